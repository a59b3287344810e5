"""Sickness, maternity and convalescence rules (forms/benefits.toml, domain/benefits.py).

Each example names where it was published or which article it is computed from.
Sources:
  GUIDE20  hongquantq92/hddtvn, "Chế độ ốm đau hưởng Bảo hiểm xã hội năm 2020" (worked
           examples of Circular 59/2015/TT-BLDTBXH under Law 58/2014/QH13).
  GUIDE26  public guide "Quyền lợi người lao động (ước tính)", updated 2026-08-01
           (search index file 62464752450): TC-SICK-01, TC-MAT-01..03 under Law 41/2024.
  L41      Law 41/2024/QH15 text (teije05-art/clone-pjj-tax-legal-22dec).
"""

from __future__ import annotations

import copy
import tomllib
from datetime import date

import pytest

from ibhxh_client.catalog import CatalogError, load_benefits, load_catalog
from ibhxh_client.domain.benefits import (
    BenefitRules,
    birth_allowance,
    child_sickness_days,
    convalescence_daily_amount,
    convalescence_days,
    counts_rest_days,
    father_birth_days,
    long_term_sickness_amount,
    maternity_amount,
    maternity_monthly_amount,
    miscarriage_days,
    mother_birth_months,
    sickness_amount,
    sickness_daily_amount,
    sickness_days_per_year,
)
from ibhxh_client.paths import forms_dir

L58_DAY = date(2020, 10, 25)
L41_DAY = date(2025, 9, 15)


@pytest.fixture(scope="module")
def rules() -> BenefitRules:
    return load_benefits()


@pytest.fixture(scope="module")
def rates():
    return load_catalog().rates


@pytest.fixture(scope="module")
def raw() -> dict:
    return tomllib.loads((forms_dir() / "benefits.toml").read_text("utf-8"))


# --- sickness --------------------------------------------------------------------------


def test_sickness_days_published_examples_law_58(rules):
    """GUIDE20 Ví dụ 2: 13 years, heavy work in 10/2020 → 40 days a year.
    Ví dụ 3: 10 years, normal work in 9/2020 → 30 days a year."""
    assert sickness_days_per_year(rules, 13, True, L58_DAY) == 40
    assert sickness_days_per_year(rules, 10, False, date(2020, 9, 26)) == 30


@pytest.mark.parametrize(("years", "normal", "heavy"), [
    (0, 30, 40), (14, 30, 40), (15, 40, 50), (29, 40, 50), (30, 60, 70), (41, 60, 70)])
def test_sickness_days_bands_law_41(rules, years, normal, heavy):
    """L41 art. 43.1(a) and (b): <15, 15–<30, ≥30 years."""
    assert sickness_days_per_year(rules, years, False, L41_DAY) == normal
    assert sickness_days_per_year(rules, years, True, L41_DAY) == heavy


def test_child_sickness_days(rules):
    """GUIDE20 Ví dụ 7: a 5-year-old child → at most 15 days; L41 art. 44.1: 20 under 3;
    nothing from 7 (L41 art. 42.1(e))."""
    assert child_sickness_days(rules, 5, date(2020, 1, 11)) == 15
    assert child_sickness_days(rules, 2, L41_DAY) == 20
    assert child_sickness_days(rules, 3, L41_DAY) == 15
    assert child_sickness_days(rules, 7, L41_DAY) == 0


def test_sickness_amount_published_example_law_41(rules):
    """GUIDE26 TC-SICK-01: salary 12,000,000, 5 days: 12e6 × 75 % / 24 = 375,000 a day,
    1,875,000 in all (L41 art. 45.2 and 45.5)."""
    assert sickness_daily_amount(rules, 12_000_000, L41_DAY) == 375_000
    assert sickness_amount(rules, 12_000_000, 5, L41_DAY) == 1_875_000


def test_sickness_amount_formula_law_58(rules):
    """GUIDE20 part III.1: salary × 75 % × days / 24. With 8,000,000 and 10 days:
    8e6 × 75 % / 24 × 10 = 2,500,000."""
    assert sickness_amount(rules, 8_000_000, 10, L58_DAY) == 2_500_000


def test_sickness_amount_rounds_once(rules):
    """7,000,000 × 75 % / 24 = 218,750 exactly; 7,000,001 gives 218,750.03…: the total of
    3 days is rounded once (656,250.09… → 656,250), not a rounded day × 3."""
    assert sickness_daily_amount(rules, 7_000_001, L41_DAY) == 218_750
    assert sickness_amount(rules, 7_000_001, 3, L41_DAY) == 656_250
    assert sickness_amount(rules, 7_000_003, 1, L41_DAY) == 218_750  # 218,750.09 → down
    assert sickness_amount(rules, 7_000_016, 1, L41_DAY) == 218_751  # 218,750.5 → up


def test_half_days_only_under_law_41(rules):
    """L41 art. 45.5: half a day is half a day's benefit; L58 has no half days."""
    assert sickness_amount(rules, 12_000_000, 2, L41_DAY, half_days=1) == 937_500
    with pytest.raises(ValueError, match="half days"):
        sickness_amount(rules, 12_000_000, 2, L58_DAY, half_days=1)


def test_sickness_excludes_rest_days_convalescence_counts_them(rules):
    """L41 art. 43.1 and 44.3 (working days), 46.1 and 60.1 (rest days included)."""
    assert not counts_rest_days(rules, "sickness_days", L41_DAY, "normal")
    assert not counts_rest_days(rules, "child_sickness_days", L41_DAY)
    assert counts_rest_days(rules, "convalescence", L41_DAY, "sickness")
    assert counts_rest_days(rules, "convalescence", L41_DAY, "maternity")


def test_long_term_illness_changed_with_law_41(rules):
    """L58 art. 26.2(a): 180 days counting rest days first; L41 art. 43.2: no 180 days,
    the lower rate after the yearly limit, in working days (GUIDE20 Ví dụ 4 for L58)."""
    old = rules.rule("long_term_sickness", L58_DAY)
    new = rules.rule("long_term_sickness", L41_DAY)
    assert (old["first_days"], old["first_counts"]) == (180, "all_days")
    assert (new["first_days"], new["counts"]) == (0, "working_days")
    assert new["rates"] == ["50", "55", "65"]


# --- maternity ------------------------------------------------------------------------


def test_mother_birth_months_published_examples(rules):
    """GUIDE26 TC-MAT-01: one child, 6 months; TC-MAT-03: twins, 6 + 1 = 7 months;
    TC-MAT-02: a second child born from 1 Jul 2026, 7 months (row marked check)."""
    august = date(2026, 8, 3)
    assert mother_birth_months(rules, 1, august) == 6
    assert mother_birth_months(rules, 2, august) == 7
    assert mother_birth_months(rules, 1, august, second_child=True) == 7
    assert rules.rule("birth_mother", august).status == "check"
    # before the Law on Population a second child gave no extra month
    assert mother_birth_months(rules, 1, L41_DAY, second_child=True) == 6
    assert mother_birth_months(rules, 3, L41_DAY) == 8


@pytest.mark.parametrize(("children", "surgery", "law58", "law41"), [
    (1, False, 5, 5), (1, True, 7, 7), (2, False, 10, 10), (2, True, 14, 14),
    (3, False, 13, 13), (4, False, 16, 16), (3, True, 14, 17)])
def test_father_birth_days(rules, children, surgery, law58, law41):
    """L58 art. 34.2 and L41 art. 53.2: 5/7/10/14 working days, +3 a child from the third;
    after surgery L58 stays at 14, L41 adds the 3 days too (art. 53.2(d))."""
    assert father_birth_days(rules, children, L58_DAY, surgery=surgery) == law58
    assert father_birth_days(rules, children, L41_DAY, surgery=surgery) == law41


def test_father_second_child_from_july_2026(rules):
    """GUIDE26 §4.1: 10 working days for a second child (Law on Population, check)."""
    assert father_birth_days(rules, 1, date(2026, 8, 3), second_child=True) == 10
    assert father_birth_days(rules, 1, L41_DAY, second_child=True) == 5


def test_father_window_and_days(rules):
    """L58 art. 34.2: within 30 days of the birth; L41 art. 53.3: within 60; working days."""
    assert rules.rule("birth_father", L58_DAY)["within_days"] == 30
    assert rules.rule("birth_father", L41_DAY)["within_days"] == 60
    assert not counts_rest_days(rules, "birth_father", L41_DAY)
    assert counts_rest_days(rules, "birth_mother", L41_DAY)


@pytest.mark.parametrize(("weeks", "days"), [(0, 10), (4, 10), (5, 20), (12, 20), (13, 40),
                                             (21, 40), (22, 50), (30, 50)])
def test_miscarriage_days(rules, weeks, days):
    """L41 art. 52.1: 10 / 20 / 40 / 50 days under 5, 13, 22 weeks and from 22 on,
    rest days included (art. 52.3)."""
    assert miscarriage_days(rules, weeks, L41_DAY) == days
    assert counts_rest_days(rules, "miscarriage_days", L41_DAY)


def test_prenatal_visits_and_contraception(rules):
    """L41 art. 51: 5 visits of at most 2 working days; art. 57: 7 / 15 days, rest days
    included; art. 56: adoption until 6 months."""
    visits = rules.rule("prenatal_visits", L41_DAY)
    assert (visits["visits"], visits["days_per_visit"], visits["counts"]) == (
        5, 2, "working_days")
    contra = rules.rule("contraception", L41_DAY)
    assert (contra["iud"], contra["sterilisation"], contra["counts"]) == (7, 15, "all_days")
    assert rules.rule("adoption", L41_DAY)["under_months"] == 6


def test_maternity_monthly_amount(rules):
    """GUIDE26 TC-MAT-01: average 18,000,000 over 6 months, 6 months → 108,000,000.
    L41 art. 59.1: only the last 6 months; the months paid when fewer."""
    six = [18_000_000] * 6
    assert maternity_monthly_amount(rules, six, date(2026, 8, 3)) * 6 == 108_000_000
    assert maternity_monthly_amount(rules, [99_000_000, *six], L41_DAY) == 18_000_000
    assert maternity_monthly_amount(rules, [10_000_000, 11_000_001], L41_DAY) == 10_500_001
    with pytest.raises(ValueError):
        maternity_monthly_amount(rules, [], L41_DAY)


def test_birth_allowance_published_examples(rules, rates):
    """GUIDE26 §4.1: 2 × reference level a child: 2 × 2,340,000 = 4,680,000 before
    1 Jul 2026; 2 × 2,530,000 = 5,060,000 after (TC-MAT-01), twins 10,120,000 (TC-MAT-03).
    L58 art. 38: 2 × base salary, 2 × 1,490,000 = 2,980,000 in 2020."""
    assert birth_allowance(rules, rates, 1, L41_DAY) == 4_680_000
    assert birth_allowance(rules, rates, 1, date(2026, 8, 3)) == 5_060_000
    assert birth_allowance(rules, rates, 2, date(2026, 8, 3)) == 10_120_000
    assert birth_allowance(rules, rates, 1, L58_DAY) == 2_980_000


# --- convalescence --------------------------------------------------------------------


def test_convalescence_daily_amount(rules, rates):
    """L58 art. 29.3 / 41.3: 30 % of the base salary (1,800,000 in 2023 → 540,000);
    L41 art. 46.3 / 60.3: 30 % of the reference level (2,340,000 → 702,000)."""
    assert convalescence_daily_amount(rules, rates, "sickness", date(2023, 9, 1)) == 540_000
    assert convalescence_daily_amount(rules, rates, "maternity", L41_DAY) == 702_000
    assert convalescence_daily_amount(rules, rates, "sickness", date(2026, 8, 3)) == 759_000


def test_convalescence_days(rules):
    """L41 art. 46.2 and 60.2; GUIDE20 Ví dụ 11 (after surgery at most 7 days)."""
    assert convalescence_days(rules, "sickness", "surgery", date(2020, 9, 10)) == 7
    assert convalescence_days(rules, "sickness", "long_term", L41_DAY) == 10
    assert convalescence_days(rules, "maternity", "multiple", L41_DAY) == 10
    assert convalescence_days(rules, "maternity", "other", L41_DAY) == 5
    assert rules.rule("convalescence", L41_DAY, "sickness")["min_sick_days"] == 30
    with pytest.raises(ValueError, match="case"):
        convalescence_days(rules, "maternity", "long_term", L41_DAY)


# --- eligibility and the amounts claim_rules builds on -------------------------------


@pytest.mark.parametrize(("benefit", "day", "months", "window", "total"), [
    ("birth", L58_DAY, 6, 12, 0), ("birth_prenatal_rest", L58_DAY, 3, 12, 12),
    ("adoption", L58_DAY, 6, 12, 0), ("birth", L41_DAY, 6, 12, 0),
    ("birth_prenatal_rest", L41_DAY, 3, 12, 12), ("birth_infertility", L41_DAY, 6, 24, 0),
    ("adoption", L41_DAY, 6, 12, 0)])
def test_eligibility_rows(rules, benefit, day, months, window, total):
    """L58 art. 31.2-31.3; L41 art. 50.2, 50.3 and 50.5."""
    row = rules.rule("eligibility", day, benefit)
    assert (row["months"], row["window"], row["total_months"]) == (months, window, total)
    assert row.status == "law"


def test_infertility_exception_is_law_41_only(rules):
    with pytest.raises(ValueError, match=r"no eligibility\.birth_infertility rule in force"):
        rules.rule("eligibility", L58_DAY, "birth_infertility")


def test_maternity_amount_months_and_days(rules):
    """L41 art. 59.2-59.3: a day of a visit or the father's leave = month / 24; an odd
    day of a birth leave, a pregnancy loss, contraception = month / 30. GUIDE26
    TC-MAT-01: 6 months of 18,000,000 = 108,000,000."""
    six = [18_000_000] * 6
    assert maternity_amount(rules, six, L41_DAY, months=6) == 108_000_000
    assert maternity_amount(rules, six, L41_DAY, days=2, per_day="day") == 1_500_000
    assert maternity_amount(rules, six, L41_DAY, months=1, days=15) == 27_000_000
    assert maternity_amount(rules, [10_000_000, 11_000_001], L41_DAY, days=1) == 350_000
    with pytest.raises(ValueError):
        maternity_amount(rules, six, L41_DAY, days=1, per_day="week")


def test_long_term_sickness_amount(rules):
    """GUIDE20 part III.2 and Ví dụ 9: months × rate × salary, odd days / 24; the lower
    rate by years (L58 art. 28.2: 50 % under 15 years, 55 % from 15, 65 % from 30)."""
    assert long_term_sickness_amount(rules, 8_000_000, 10, L58_DAY, full=(2, 9)) == 14_250_000
    assert long_term_sickness_amount(rules, 8_000_000, 10, L58_DAY, low=(1, 0)) == 4_000_000
    assert long_term_sickness_amount(rules, 8_000_000, 16, L58_DAY, low=(1, 0)) == 4_400_000
    assert long_term_sickness_amount(rules, 8_000_000, 31, L41_DAY, low=(0, 24)) == 5_200_000


# --- the table itself -----------------------------------------------------------------


def test_every_row_has_a_source_and_status(raw):
    for kind, rows in raw.items():
        for row in rows:
            assert row["source"].strip() and row["status"] in ("law", "seen", "check"), kind
            if row["status"] == "check":
                assert row.get("note", "").strip(), f"{kind} from {row['from']}: say why"


def test_no_rule_before_2016(rules):
    with pytest.raises(ValueError, match=r"no sickness_days\.normal rule in force"):
        sickness_days_per_year(rules, 5, False, date(2015, 12, 31))


@pytest.mark.parametrize(("kind", "key", "value", "message"), [
    ("sickness_days", "days", [30, 40], "bands"),
    ("sickness_days", "years", [1, 15, 30], "bands"),
    ("sickness_rate", "rate", "75%", "rate"),
    ("birth_allowance", "of", "minimum_wage", "of"),
    ("birth_father", "status", "maybe", "status"),
    ("eligibility", "benefit", "pension", "benefit"),
    ("long_term_sickness", "low_max", "forever", "low_max"),
])
def test_broken_rows_are_refused(raw, kind, key, value, message):
    broken = copy.deepcopy(raw)
    broken[kind][0][key] = value
    with pytest.raises(ValueError, match=message):
        BenefitRules.from_dict(broken)


def test_loader_names_the_file(tmp_path):
    bad = tmp_path / "benefits.toml"
    bad.write_text('[[sickness_rate]]\nfrom = 2016-01-01\n', "utf-8")
    with pytest.raises(CatalogError, match=r"benefits\.toml"):
        load_benefits(bad)
