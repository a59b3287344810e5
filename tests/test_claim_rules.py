"""Checking a claim list and computing each claim (domain/claim_rules.py).

Worked examples, each named in its test:
  GUIDE20  hongquantq92/hddtvn, "Chế độ ốm đau hưởng Bảo hiểm xã hội năm 2020" (the
           examples of Circular 59/2015/TT-BLĐTBXH under Law 58/2014; Ví dụ 6 and 7 keep
           the weekdays of 2016, when Circular 59 was written, so they are dated 2016 here).
  GUIDE21M hongquantq92/hddtvn, "Hướng dẫn cách tính tiền thai sản năm 2021 chuẩn nhất":
           average 6,500,000 × 6 months = 39,000,000; convalescence 447,000 × 5 = 2,235,000.
  GUIDE26  "Quyền lợi người lao động (ước tính)", updated 2026-08-01 (search index file
           62464752450): TC-SICK-01, TC-MAT-01, TC-MAT-03 under Law 41/2024.
  L41      Law 41/2024/QH15 (teije05-art/clone-pjj-tax-legal-22dec), arts. 43-60.
  L58      Law 58/2014/QH13 (search index file 70417496973), arts. 26-31.
"""

from __future__ import annotations

import csv
import re
from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest

from ibhxh_client.catalog import load_benefits, load_catalog, load_holidays
from ibhxh_client.domain.claim_rules import Assessment, ClaimContext, assess_claims
from ibhxh_client.domain.claims import Claim
from ibhxh_client.domain.history import History, Stint
from ibhxh_client.domain.model import Period
from ibhxh_client.paths import forms_dir


@pytest.fixture(scope="module")
def ctx() -> ClaimContext:
    return ClaimContext(load_benefits(), load_catalog().rates, load_holidays(), "67")


@pytest.fixture(scope="module")
def sunday_ctx() -> ClaimContext:
    return ClaimContext(load_benefits(), load_catalog().rates, load_holidays(), "7")


def paid(salary: int, start: str, end: str | None = None) -> History:
    return History.of([Stint(Period.parse(start), Period.parse(end) if end else None,
                             salary)])


def one(ctx: ClaimContext, claim: Claim, history: History,
        earlier: tuple[Claim, ...] = ()) -> Assessment:
    return assess_claims([claim], {claim.worker_id: history}, ctx, earlier)[0]


def codes(a: Assessment, severity: str | None = None) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in a.problems if severity in (None, p.severity)]


def sick(worker: int, start: date, end: date, **kw) -> Claim:
    return Claim(worker, "om_dau", start, end, **kw)


# --- sickness ----------------------------------------------------------------------------


def test_guide26_tc_sick_01(ctx):
    """GUIDE26 TC-SICK-01: salary 12,000,000, 5 days → 375,000 a day, 1,875,000."""
    a = one(ctx, sick(1, date(2025, 9, 15), date(2025, 9, 19)), paid(12_000_000, "01/2020"))
    assert (a.days, a.amount, a.salary_base, a.problems) == (5, 1_875_000, 12_000_000, [])
    assert a.months == 68  # 1/2020 to 8/2025
    assert a.rule["vi"].startswith("75 % × 12.000.000 ÷ 24 × 5 ngày (Luật 41/2024/QH15")
    assert a.rule["en"].startswith("75 % × 12.000.000 ÷ 24 × 5 days (Law 41/2024/QH15")


def test_guide20_example_2_heavy_work_gives_40_days(ctx):
    """GUIDE20 Ví dụ 2: 13 years, 30 days of sickness taken by September 2020, heavy work
    from October; ill from 25/10/2020 for 7 working days: paid (limit 40)."""
    history = paid(8_000_000, "01/2007")
    taken = sick(1, date(2020, 2, 3), date(2020, 3, 13), approved_days=30)
    claim = sick(1, date(2020, 10, 26), date(2020, 11, 3), heavy_work=True)
    a = one(ctx, claim, history, (taken,))
    assert a.days == 7 and a.problems == []
    assert a.amount == 8_000_000 * 75 // 100 * 7 // 24  # 1,750,000 exactly
    assert "tối đa 40 ngày một năm" in a.rule["vi"]


def test_guide20_example_3_nothing_left_after_37_days(ctx):
    """GUIDE20 Ví dụ 3: 10 years, normal work from September 2020, 37 days taken: the 3
    days from 26/9/2020 are not paid (limit 30)."""
    history = paid(8_000_000, "01/2010")
    taken = sick(1, date(2020, 1, 6), date(2020, 2, 28), approved_days=37)
    claim = sick(1, date(2020, 9, 28), date(2020, 9, 30), days=3)
    a = one(ctx, claim, history, (taken,))
    assert (a.days, a.amount) == (0, 0)
    assert codes(a) == [("days", "claim_too_many_days")]
    assert a.problems[0].params == {"days": 3, "allowed": 0, "limit": 30, "taken": 37}
    assert "chỉ còn được hưởng 0 ngày" in a.problems[0].message("vi")


def test_days_past_the_limit_from_the_dates_are_a_warning_and_are_not_paid(ctx):
    """Without `days`, the leave's own working days are capped: 28 taken, 5 asked, 2
    paid; a warning on the end date, not an error."""
    history = paid(12_000_000, "01/2020")
    taken = sick(1, date(2025, 2, 3), date(2025, 3, 12), expected_days=28)
    a = one(ctx, sick(1, date(2025, 9, 15), date(2025, 9, 19)), history, (taken,))
    assert a.days == 2 and a.amount == 750_000
    assert codes(a, "warning") == [("to_date", "claim_too_many_days")] and a.ok


def test_the_list_takes_days_row_by_row(ctx):
    """Rows above in the same list count as taken: 25 + 10 asked, limit 30. Asking more
    days than the dates hold is a problem too (the first row's dates hold 28)."""
    h = {1: paid(12_000_000, "01/2020")}
    rows = [sick(1, date(2025, 7, 28), date(2025, 9, 5), days=25),
            sick(1, date(2025, 10, 6), date(2025, 10, 17), days=10)]
    first, second = assess_claims(rows, h, ctx)
    assert first.days == 25 and second.days == 5
    assert codes(second) == [("days", "claim_too_many_days")]
    assert second.problems[0].row == 2
    over = assess_claims([replace(rows[0], days=29)], h, ctx)[0]
    assert codes(over) == [("days", "claim_too_many_days")] and over.days == 28


def test_a_leave_across_the_new_year_counts_each_year(ctx):
    """GUIDE20 A.5: days of each calendar year count for that year. 29 days taken in
    2025; 29/12/2025-9/1/2026 (1/1 a holiday): 3 days in 2025 of which 1 is left, 6 in
    2026."""
    history = paid(12_000_000, "01/2020")
    taken = sick(1, date(2025, 2, 3), date(2025, 3, 13), approved_days=29)
    a = one(ctx, sick(1, date(2025, 12, 29), date(2026, 1, 9)), history, (taken,))
    assert a.days == 1 + 6
    assert codes(a) == [("to_date", "claim_too_many_days")]


def test_guide20_example_10_first_month_of_contribution(ctx):
    """GUIDE20 Ví dụ 10: recruited 1/6/2020 at 5,000,000, ill from 6/6 to the end of
    June: the benefit is on that month's salary (L41 art. 45.1(b) says the same)."""
    a = one(ctx, sick(1, date(2020, 6, 8), date(2020, 6, 30)), paid(5_000_000, "06/2020"))
    assert a.salary_base == 5_000_000 and a.days == 17 and a.problems == []


def test_sickness_needs_a_paid_month(ctx):
    a = one(ctx, sick(1, date(2025, 9, 15), date(2025, 9, 19)), History.of(()))
    assert codes(a) == [("from_date", "claim_not_insured")]
    assert a.amount == 0 and "09/2025" in a.problems[0].message("vi")
    gap = paid(9_000_000, "01/2024", "03/2025")  # left in March, ill in September
    assert codes(one(ctx, sick(1, date(2025, 9, 15), date(2025, 9, 19)), gap)) == [
        ("from_date", "claim_not_insured")]


def test_guide20_examples_6_and_7_sick_children(sunday_ctx):
    """GUIDE20 Ví dụ 6: two sick children, 4-10/1 and 7-13/1, Sunday rest: 9 days in all
    (counted once). Ví dụ 7: a child of 5, the mother off 11-17/1 and 25/1-5/2 (17
    working days) gets 15; the father, 18-24/1, gets 6."""
    history = {1: paid(6_000_000, "01/2015"), 2: paid(7_000_000, "01/2015")}
    rows = [Claim(1, "con_om", date(2016, 1, 4), date(2016, 1, 10), child_id="A",
                  child_birth_date=date(2013, 3, 1)),
            Claim(1, "con_om", date(2016, 1, 7), date(2016, 1, 13), child_id="B",
                  child_birth_date=date(2014, 3, 1))]
    a, b = assess_claims(rows, history, sunday_ctx)
    assert (a.days, b.days) == (6, 3) and a.problems == b.problems == []
    five = date(2010, 6, 1)
    rows = [Claim(1, "con_om", date(2016, 1, 11), date(2016, 1, 17), child_birth_date=five),
            Claim(1, "con_om", date(2016, 1, 25), date(2016, 2, 5), child_birth_date=five),
            Claim(2, "con_om", date(2016, 1, 18), date(2016, 1, 24), child_birth_date=five)]
    mother1, mother2, father = assess_claims(rows, history, sunday_ctx)
    assert (mother1.days, mother2.days, father.days) == (6, 9, 6)
    assert mother2.amount == 6_000_000 * 75 // 100 * 9 // 24
    assert codes(mother2) == [("to_date", "claim_too_many_days")]
    assert "con 5 tuổi, tối đa 15 ngày một năm" in mother2.rule["vi"]


def test_a_sick_child_of_7_or_without_a_birth_date(ctx):
    history = paid(6_000_000, "01/2020")
    old = Claim(1, "con_om", date(2025, 9, 15), date(2025, 9, 16),
                child_birth_date=date(2018, 9, 15))
    a = one(ctx, old, history)
    assert codes(a) == [("child_birth_date", "claim_child_too_old")]
    assert a.problems[0].params == {"age": 7, "limit": 7}
    younger = replace(old, child_birth_date=date(2018, 9, 16))  # 6 the day before
    assert one(ctx, younger, history).days == 2
    missing = replace(old, child_birth_date=None)
    assert codes(one(ctx, missing, history)) == [("child_birth_date", "claim_child_missing")]


def test_guide20_example_9_long_term_illness_in_months_and_odd_days(ctx):
    """GUIDE20 Ví dụ 9 (Law 58): 28/3 to 5/6/2020 is 2 months (28/3-27/5) and 9 odd
    days (28/5-5/6); a month is 75 % of the salary, an odd day 1/24 of it."""
    claim = Claim(1, "om_dai_ngay", date(2020, 3, 28), date(2020, 6, 5), long_term_code="B18")
    a = one(ctx, claim, paid(8_000_000, "01/2015"))
    expected = Fraction(8_000_000) * Fraction(75, 100) * (2 + Fraction(9, 24))
    assert a.amount == round(expected) == 14_250_000
    assert a.days == (date(2020, 6, 5) - date(2020, 3, 28)).days + 1 and a.problems == []
    assert "75 % × 2 tháng và 9 ngày" in a.rule["vi"]


def test_guide20_example_4_long_term_after_180_days_for_as_long_as_contributed(ctx):
    """GUIDE20 Ví dụ 4: 3 months of contribution: 180 days (every day counted), then the
    lower rate for at most 3 months. A year-long leave from 1/1/2020 is paid to 28/9."""
    claim = Claim(1, "om_dai_ngay", date(2020, 1, 1), date(2020, 12, 31), long_term_code="C")
    a = one(ctx, claim, paid(6_000_000, "10/2019", "12/2019"))
    assert a.days == 180 + (date(2020, 9, 28) - date(2020, 6, 29)).days + 1
    assert codes(a) == [("to_date", "claim_too_many_days")]
    low = Fraction(6_000_000) * Fraction(50, 100) * 3  # 50 % under 15 years, 3 months
    first = Fraction(6_000_000) * Fraction(75, 100) * (5 + Fraction(28, 24))  # 1/1-28/6
    assert a.amount == round(first + low)


def test_law_41_long_term_after_the_yearly_limit_in_working_days(ctx):
    """L41 art. 43.2 and 45.3: after the 30 days of art. 43.1 (5 used), the lower rate,
    working days only: 25 at 75 %, the rest at 50 %."""
    history = paid(12_000_000, "01/2020")
    rows = [sick(1, date(2025, 9, 15), date(2025, 9, 19)),
            Claim(1, "om_dai_ngay", date(2025, 10, 1), date(2025, 11, 28), long_term_code="X")]
    _, a = assess_claims(rows, {1: history}, ctx)
    working = load_holidays().count(date(2025, 10, 1), date(2025, 11, 28), "working_days",
                                    "67")
    assert a.days == working == 43
    assert a.amount == round(Fraction(12_000_000, 24) * (Fraction(75, 100) * 25
                                                         + Fraction(50, 100) * 18))
    missing = replace(rows[1], long_term_code="")
    assert ("long_term_code", "claim_long_term_code") in codes(one(ctx, missing, history))


# --- maternity ------------------------------------------------------------------------


def test_guide21m_birth_average_of_six_months(ctx):
    """GUIDE21M: 6,000,000 in 2019, 7,000,000 in 1-3/2020, birth in April 2020: average
    6,500,000 × 6 = 39,000,000; plus the one-off 2 × 1,490,000 (L58 art. 38)."""
    history = History.of([Stint(Period.parse("01/2019"), Period.parse("12/2019"), 6_000_000),
                          Stint(Period.parse("01/2020"), Period.parse("03/2020"), 7_000_000)])
    claim = Claim(1, "sinh_con", date(2020, 4, 1), date(2020, 9, 30),
                  child_birth_date=date(2020, 4, 1), child_count=1)
    a = one(ctx, claim, history)
    assert a.problems == [] and a.salary_base == 6_500_000
    assert a.amount == 39_000_000 + 2_980_000
    assert a.months == 12  # all 12 months before April 2020 paid
    assert "= 39.000.000" in a.rule["vi"] and "2.980.000" in a.rule["vi"]


def test_guide26_tc_mat_01_and_03(ctx):
    """GUIDE26 TC-MAT-01: average 18,000,000, birth early 8/2026, 6 months →
    108,000,000 + 5,060,000 = 113,060,000. TC-MAT-03: twins, 7 months and two
    allowances → 136,120,000."""
    history = paid(18_000_000, "01/2025")
    single = Claim(1, "sinh_con", date(2026, 8, 3), date(2027, 2, 2),
                   child_birth_date=date(2026, 8, 3), child_count=1)
    a = one(ctx, single, history)
    assert (a.amount, a.days, a.problems) == (113_060_000, 184, [])
    twins = replace(single, to_date=date(2027, 3, 2), child_count=2)
    assert one(ctx, twins, history).amount == 136_120_000


def test_birth_leave_longer_than_allowed_and_started_too_early(ctx):
    history = paid(10_000_000, "01/2024")
    claim = Claim(1, "sinh_con", date(2025, 9, 1), date(2026, 3, 31),
                  child_birth_date=date(2025, 9, 1), child_count=1)
    a = one(ctx, claim, history)
    assert codes(a) == [("to_date", "claim_too_many_days")]
    assert a.days == (date(2026, 2, 28) - date(2025, 9, 1)).days + 1  # 6 months
    given = replace(claim, days=200)
    assert codes(one(ctx, given, history)) == [("days", "claim_too_many_days")]
    early = replace(claim, from_date=date(2025, 6, 20), to_date=date(2025, 12, 19))
    assert codes(one(ctx, early, history)) == [("from_date", "claim_birth_too_early")]


def test_birth_needs_6_of_the_12_months_before(ctx):
    """L41 art. 50.2: 6 of the 12 months before the birth; paid 4/2025-8/2025 (5 months)
    before a birth in 9/2025 is not enough."""
    claim = Claim(1, "sinh_con", date(2025, 9, 10), date(2026, 3, 9),
                  child_birth_date=date(2025, 9, 10), child_count=1)
    a = one(ctx, claim, paid(10_000_000, "04/2025"))
    assert codes(a) == [("child_birth_date", "claim_no_contribution")]
    assert a.problems[0].params["need"] == 6 and a.problems[0].params["paid"] == 5
    assert a.amount == 0
    assert one(ctx, claim, paid(10_000_000, "03/2025")).problems == []


def test_birth_after_a_prenatal_rest_needs_3_months(ctx):
    """L41 art. 50.3: 12 months paid in all and a doctor-ordered rest during the
    pregnancy ("Nghỉ dưỡng thai"): 3 of the 12 months before the birth are enough."""
    history = History.of([Stint(Period.parse("01/2023"), Period.parse("06/2024"), 9_000_000),
                          Stint(Period.parse("06/2025"), Period.parse("08/2025"), 9_000_000)])
    plain = Claim(1, "sinh_con", date(2025, 9, 10), date(2026, 3, 9),
                  child_birth_date=date(2025, 9, 10), child_count=1)
    assert codes(one(ctx, plain, history)) == [("child_birth_date", "claim_no_contribution")]
    rested = replace(plain, prenatal_rest=True)
    a = one(ctx, rested, history)
    assert a.problems == [] and a.amount > 0
    # the months in all (21), not the 3 of the window: read back as a run of months
    # before the leave (what the claim list's row lets Social Security do), they pass
    assert a.months == 21
    flat = History.flat(a.salary_base, a.months, Period.parse("09/2025"))
    again = one(ctx, rested, flat)
    assert (again.problems, again.amount, again.days) == ([], a.amount, a.days)
    # without the 12 months in all the rest does not help
    short = History.of([Stint(Period.parse("06/2025"), Period.parse("08/2025"), 9_000_000)])
    assert codes(one(ctx, rested, short)) == [("child_birth_date", "claim_no_contribution")]


def test_birth_after_infertility_treatment_needs_6_of_24_months(ctx):
    """L41 art. 50.5: a mother who took leave to treat infertility needs 6 of the 24
    months before the birth; there is no such exception under Law 58."""
    history = paid(10_000_000, "01/2024", "06/2024")
    plain = Claim(1, "sinh_con", date(2025, 9, 10), date(2026, 3, 9),
                  child_birth_date=date(2025, 9, 10), child_count=1)
    assert codes(one(ctx, plain, history)) == [("child_birth_date", "claim_no_contribution")]
    treated = one(ctx, replace(plain, infertility=True), history)
    assert treated.problems == [] and treated.months == 6
    assert treated.amount == 10_000_000 * 6 + 4_680_000
    before_law_41 = Claim(1, "sinh_con", date(2020, 9, 10), date(2021, 3, 9),
                          child_birth_date=date(2020, 9, 10), child_count=1, infertility=True)
    assert codes(one(ctx, before_law_41, paid(8_000_000, "01/2019", "06/2019"))) == [
        ("child_birth_date", "claim_no_contribution")]


def test_a_second_child_from_july_2026_gives_the_mother_7_months(ctx):
    """Law on Population 113/2025 art. 29.1 (benefits.toml, status check): from
    2026-07-01 a mother has 7 months for a second child (TC-MAT-01's figures: average
    18,000,000, the one-off 2 × 2,530,000)."""
    history = paid(18_000_000, "01/2025")
    second = Claim(1, "sinh_con", date(2026, 8, 3), date(2027, 3, 2),
                   child_birth_date=date(2026, 8, 3), child_count=1, second_child=True)
    a = one(ctx, second, history)
    assert (a.days, a.problems) == ((date(2027, 3, 2) - date(2026, 8, 3)).days + 1, [])
    assert a.amount == 18_000_000 * 7 + 5_060_000
    assert "nghỉ tối đa 7 tháng, con thứ hai (Luật Dân số 113/2025/QH15" in a.rule["vi"]
    assert "at most 7 months of leave, a second child" in a.rule["en"]
    # not said: 6 months, the seventh is too many
    first = one(ctx, replace(second, second_child=False), history)
    assert codes(first) == [("to_date", "claim_too_many_days")] and first.days == 184
    # a second child born before the rule: 6 months
    early = Claim(1, "sinh_con", date(2026, 5, 4), date(2026, 12, 3),
                  child_birth_date=date(2026, 5, 4), child_count=1, second_child=True)
    b = one(ctx, early, history)
    assert codes(b) == [("to_date", "claim_too_many_days")]
    assert b.days == (date(2026, 11, 3) - date(2026, 5, 4)).days + 1
    assert "con thứ hai" not in b.rule["vi"]


def test_a_second_child_from_july_2026_gives_the_father_10_days(ctx):
    """P113 art. 29.2 (amending L41 art. 53.2(c)): 10 working days for a second child
    from 2026-07-01, 5 otherwise; a day = the average / 24."""
    history = paid(12_000_000, "01/2025")
    claim = Claim(1, "cha_nghi", date(2026, 8, 3), date(2026, 8, 14),
                  child_birth_date=date(2026, 8, 1), child_count=1, second_child=True)
    a = one(ctx, claim, history)
    assert (a.days, a.amount, a.problems) == (10, 5_000_000, [])
    assert "vợ sinh 1 con, con thứ hai, tối đa 10 ngày làm việc" in a.rule["vi"]
    plain = one(ctx, replace(claim, second_child=False), history)
    assert plain.days == 5 and codes(plain) == [("to_date", "claim_too_many_days")]
    before = Claim(1, "cha_nghi", date(2025, 11, 3), date(2025, 11, 14),
                   child_birth_date=date(2025, 10, 30), child_count=1, second_child=True)
    assert one(ctx, before, paid(12_000_000, "01/2024")).days == 5


def test_a_birth_without_the_childs_details(ctx):
    history = paid(10_000_000, "01/2024")
    claim = Claim(1, "sinh_con", date(2025, 9, 1), date(2026, 2, 28))
    assert codes(one(ctx, claim, history)) == [("child_birth_date", "claim_child_missing"),
                                               ("child_count", "claim_child_count_missing")]


def test_father_days_window_and_surgery(ctx):
    """L41 art. 53.2-53.3: 5 working days (7 after surgery or under 32 weeks, 14 for twins
    by surgery), a day = the average / 24, starting within 60 days of the birth."""
    history = paid(12_000_000, "01/2024")
    claim = Claim(1, "cha_nghi", date(2025, 11, 3), date(2025, 11, 7),
                  child_birth_date=date(2025, 10, 30), child_count=1)
    a = one(ctx, claim, history)
    assert (a.days, a.amount, a.problems) == (5, 2_500_000, [])
    assert one(ctx, replace(claim, to_date=date(2025, 11, 11), pregnancy_weeks=30),
               history).days == 7
    twins = replace(claim, to_date=date(2025, 11, 20), child_count=2, surgery=True)
    assert one(ctx, twins, history).days == 14
    late = replace(claim, from_date=date(2025, 12, 29), to_date=date(2026, 1, 2))
    assert codes(one(ctx, late, history)) == [("from_date", "claim_father_window")]
    too_many = replace(claim, to_date=date(2025, 11, 10))
    assert codes(one(ctx, too_many, history)) == [("to_date", "claim_too_many_days")]


def test_father_leave_in_several_parts_shares_the_days(ctx):
    """L41 art. 53.3: leave in several parts, in all no more than the days of 53.2."""
    history = paid(12_000_000, "01/2024")
    born = date(2025, 10, 30)
    rows = [Claim(1, "cha_nghi", date(2025, 11, 3), date(2025, 11, 5), child_birth_date=born,
                  child_count=1),
            Claim(1, "cha_nghi", date(2025, 12, 1), date(2025, 12, 5), child_birth_date=born,
                  child_count=1)]
    first, second = assess_claims(rows, {1: history}, ctx)
    assert (first.days, second.days) == (3, 2)


def test_father_window_law_58_is_30_days(ctx):
    history = paid(8_000_000, "01/2019")
    claim = Claim(1, "cha_nghi", date(2020, 11, 30), date(2020, 12, 4),
                  child_birth_date=date(2020, 10, 30), child_count=1)
    assert codes(one(ctx, claim, history)) == [("from_date", "claim_father_window")]


def test_adoption_until_six_months(ctx):
    """L41 art. 56.1: leave from the adoption until the child is 6 months old; art. 58:
    the one-off 2 × reference level (2,340,000 in 2025)."""
    history = paid(9_000_000, "01/2024")
    claim = Claim(1, "nhan_con_nuoi", date(2025, 7, 1), date(2025, 8, 31),
                  child_birth_date=date(2025, 3, 1), child_count=1)
    a = one(ctx, claim, history)
    assert a.problems == [] and a.amount == 9_000_000 * 2 + 4_680_000
    too_long = replace(claim, to_date=date(2025, 9, 30))
    b = one(ctx, too_long, history)
    assert codes(b) == [("to_date", "claim_too_many_days")] and b.amount == a.amount
    old = replace(claim, child_birth_date=date(2024, 12, 1))
    assert codes(one(ctx, old, history)) == [("child_birth_date", "claim_adopted_too_old")]
    assert codes(one(ctx, claim, paid(9_000_000, "03/2025"))) == [
        ("from_date", "claim_no_contribution")]  # 4 of the 12 months before July


@pytest.mark.parametrize(("weeks", "cap"), [(3, 10), (10, 20), (20, 40), (25, 50)])
def test_pregnancy_loss_by_weeks(ctx, weeks, cap):
    """L41 art. 52.1 and 52.3: days by weeks, rest days included; a day = average / 30
    (art. 59.3)."""
    history = paid(15_000_000, "01/2024")
    claim = Claim(1, "say_thai", date(2025, 9, 1), date(2025, 12, 31), pregnancy_weeks=weeks)
    a = one(ctx, claim, history)
    assert a.days == cap and a.amount == 15_000_000 * cap // 30
    assert codes(a) == [("to_date", "claim_too_many_days")]
    assert codes(one(ctx, replace(claim, pregnancy_weeks=None), history)) == [
        ("pregnancy_weeks", "claim_weeks_missing")]


def test_contraception_and_prenatal_visits(ctx):
    """L41 art. 57: 7 days for an IUD, 15 for sterilisation, rest days included, a day =
    average / 30; art. 51: a visit of at most 2 working days, a day = average / 24."""
    history = paid(12_000_000, "01/2024")
    iud = one(ctx, Claim(1, "tranh_thai", date(2025, 9, 1), date(2025, 9, 7)), history)
    assert (iud.days, iud.amount) == (7, 2_800_000)
    ster = one(ctx, Claim(1, "tranh_thai", date(2025, 9, 1), date(2025, 9, 15), surgery=True),
               history)
    assert (ster.days, ster.amount, ster.problems) == (15, 6_000_000, [])
    visit = one(ctx, Claim(1, "kham_thai", date(2025, 9, 15), date(2025, 9, 16)), history)
    assert (visit.days, visit.amount) == (2, 1_000_000)
    long = one(ctx, Claim(1, "kham_thai", date(2025, 9, 15), date(2025, 9, 17), days=3),
               history)
    assert codes(long) == [("days", "claim_too_many_days")] and long.days == 2


def test_maternity_average_of_fewer_months(ctx):
    """L41 art. 59.1: under 6 months paid, the average of the months paid."""
    history = History.of([Stint(Period.parse("06/2025"), Period.parse("07/2025"), 6_000_000),
                          Stint(Period.parse("08/2025"), None, 9_000_000)])
    a = one(ctx, Claim(1, "tranh_thai", date(2025, 9, 1), date(2025, 9, 7)), history)
    assert a.salary_base == 7_000_000 and a.months == 3
    assert a.amount == round(Fraction(7_000_000 * 7, 30))


# --- convalescence --------------------------------------------------------------------


def test_guide20_example_11_convalescence_left_in_the_year(ctx):
    """GUIDE20 Ví dụ 11: 35 days of sickness and 5 of convalescence taken by 7/2020;
    after surgery in 9/2020 at most 7 - 5 = 2 days."""
    history = paid(8_000_000, "01/2010")
    earlier = (sick(1, date(2020, 2, 3), date(2020, 3, 20), approved_days=35),
               Claim(1, "duong_suc_om", date(2020, 3, 30), date(2020, 4, 3), approved_days=5),
               sick(1, date(2020, 9, 7), date(2020, 9, 15), surgery=True, approved_days=7))
    claim = Claim(1, "duong_suc_om", date(2020, 9, 16), date(2020, 9, 17), surgery=True)
    a = one(ctx, claim, history, earlier)
    assert a.days == 2 and a.problems == []
    assert a.amount == 2 * 447_000  # 30 % of 1,490,000
    more = replace(claim, to_date=date(2020, 9, 22), days=7)
    assert codes(one(ctx, more, history, earlier)) == [("days", "claim_too_many_days")]


def test_guide20_example_12_convalescence_counts_for_the_year_of_the_illness(ctx):
    """GUIDE20 Ví dụ 12: a long-term illness 1/8-10/12/2020, back to work, then 10 days
    of convalescence from 5/1/2021: counted for 2020, paid 30 % of 1,490,000 a day."""
    history = paid(8_000_000, "01/2010")
    rows = [Claim(1, "om_dai_ngay", date(2020, 8, 1), date(2020, 12, 10), long_term_code="X"),
            Claim(1, "duong_suc_om", date(2021, 1, 5), date(2021, 1, 14), long_term_code="X")]
    _, a = assess_claims(rows, {1: history}, ctx)
    assert (a.days, a.amount, a.problems) == (10, 4_470_000, [])


def test_convalescence_checks_are_warnings(ctx):
    """L41 art. 46.1: 30 days of sickness in the year, and within 30 days after the
    leave; the program may not hold every earlier claim, so these are warnings."""
    history = paid(12_000_000, "01/2020")
    alone = one(ctx, Claim(1, "duong_suc_om", date(2025, 9, 1), date(2025, 9, 5)), history)
    assert codes(alone, "warning") == [("from_date", "claim_convalescence_unknown"),
                                       ("from_date", "claim_convalescence_not_due")]
    assert alone.ok and alone.amount == 5 * 702_000
    rows = [sick(1, date(2025, 6, 2), date(2025, 6, 6)),
            Claim(1, "duong_suc_om", date(2025, 8, 1), date(2025, 8, 5))]
    late = assess_claims(rows, {1: history}, ctx)[1]
    assert ("from_date", "claim_convalescence_late") in codes(late, "warning")


def test_guide21m_convalescence_after_birth(ctx):
    """GUIDE21M: 30 % × 1,490,000 = 447,000 a day, 5 days = 2,235,000 (L58 art. 41);
    twins give 10 days (L41 art. 60.2(a))."""
    history = paid(6_000_000, "01/2019")
    rows = [Claim(1, "sinh_con", date(2020, 6, 1), date(2020, 11, 30),
                  child_birth_date=date(2020, 6, 1), child_count=1),
            Claim(1, "duong_suc_ts", date(2020, 12, 1), date(2020, 12, 5))]
    _, a = assess_claims(rows, {1: history}, ctx)
    assert (a.amount, a.problems) == (2_235_000, [])
    twins = Claim(1, "duong_suc_ts", date(2026, 3, 1), date(2026, 3, 10), child_count=2)
    b = assess_claims([Claim(1, "sinh_con", date(2025, 8, 1), date(2026, 2, 28),
                             child_birth_date=date(2025, 8, 1), child_count=2), twins],
                      {1: paid(10_000_000, "01/2024")}, ctx)[1]
    assert (b.days, b.problems) == (10, [])


# --- the list: overlaps, kinds, dates, calendar ------------------------------------------


def test_overlapping_leaves_of_one_worker(ctx):
    history = {1: paid(12_000_000, "01/2020"), 2: paid(12_000_000, "01/2020")}
    rows = [sick(1, date(2025, 9, 15), date(2025, 9, 19)),
            sick(2, date(2025, 9, 15), date(2025, 9, 19)),
            Claim(1, "con_om", date(2025, 9, 18), date(2025, 9, 22),
                  child_birth_date=date(2023, 1, 1))]
    a = assess_claims(rows, history, ctx)
    assert codes(a[1]) == []
    assert codes(a[2]) == [("from_date", "claim_overlap_row")]
    assert a[2].problems[0].params == {"other": 1}
    stored = sick(1, date(2025, 9, 1), date(2025, 9, 16), approved_days=12)
    b = assess_claims(rows[:1], history, ctx, earlier=[stored])[0]
    assert ("from_date", "claim_overlap_stored") in codes(b)
    assert "từ 01/09/2025 đến 16/09/2025" in b.problems[0].message("vi")


def test_dates_kind_rest_days_calendar_and_rules(ctx):
    h = paid(12_000_000, "01/2020")
    reversed_ = one(ctx, sick(1, date(2025, 9, 19), date(2025, 9, 15)), h)
    assert codes(reversed_) == [("to_date", "claim_dates_reversed")]
    unknown = one(ctx, Claim(1, "nghi_phep", date(2025, 9, 15), date(2025, 9, 19)), h)
    assert codes(unknown) == [("kind", "claim_unknown_kind")]
    assert unknown.rule == {"vi": "", "en": ""} and unknown.amount == 0
    bad_rest = one(ctx, sick(1, date(2025, 9, 15), date(2025, 9, 19), rest_days="8"), h)
    assert codes(bad_rest) == [("rest_days", "claim_rest_days")]
    no_calendar = one(ctx, sick(1, date(2029, 3, 5), date(2029, 3, 9)), h)
    assert codes(no_calendar) == [("from_date", "claim_no_calendar")]
    assert "2029" in no_calendar.problems[0].message("en")
    into_2028 = one(ctx, sick(1, date(2027, 12, 27), date(2028, 1, 4)), h)
    assert codes(into_2028) == [("to_date", "claim_no_calendar")]
    before_rules = one(ctx, sick(1, date(2015, 6, 1), date(2015, 6, 5)), h)
    assert codes(before_rules) == [("from_date", "claim_no_rule")]


def test_the_workers_rest_days_decide_the_count(ctx):
    """A claim's own rest days win over the unit's: Monday 15 to Sunday 21/9/2025 is 5
    working days resting Saturday and Sunday, 6 resting Sunday only."""
    h = paid(12_000_000, "01/2020")
    assert one(ctx, sick(1, date(2025, 9, 15), date(2025, 9, 21)), h).days == 5
    assert one(ctx, sick(1, date(2025, 9, 15), date(2025, 9, 21), rest_days="7"), h).days == 6


def _kind_codes() -> list[str]:
    with (forms_dir() / "codelists" / "benefit_kinds.csv").open(encoding="utf-8") as f:
        return [row["code"] for row in csv.DictReader(f)]


def _good_claim(kind: str) -> Claim:
    born = date(2025, 9, 1)
    claims = {
        "om_dau": sick(1, date(2025, 9, 15), date(2025, 9, 19)),
        "om_dai_ngay": Claim(1, kind, date(2025, 9, 15), date(2025, 9, 19), long_term_code="X"),
        "con_om": Claim(1, kind, date(2025, 9, 15), date(2025, 9, 16),
                        child_birth_date=date(2022, 1, 1)),
        "kham_thai": Claim(1, kind, date(2025, 9, 15), date(2025, 9, 15)),
        "say_thai": Claim(1, kind, date(2025, 9, 15), date(2025, 9, 24), pregnancy_weeks=4),
        "sinh_con": Claim(1, kind, born, date(2026, 2, 28), child_birth_date=born,
                          child_count=1),
        "cha_nghi": Claim(1, kind, date(2025, 9, 2), date(2025, 9, 8), child_birth_date=born,
                          child_count=1),
        "nhan_con_nuoi": Claim(1, kind, born, date(2025, 12, 31),
                               child_birth_date=date(2025, 7, 1), child_count=1),
        "tranh_thai": Claim(1, kind, date(2025, 9, 15), date(2025, 9, 21)),
        "duong_suc_om": Claim(1, kind, date(2025, 9, 15), date(2025, 9, 19)),
        "duong_suc_ts": Claim(1, kind, date(2025, 9, 15), date(2025, 9, 19)),
    }
    return claims[kind]


_ENGLISH = re.compile(r"\b(Law|art|and|of|days?|months?|child|children|average|at most|"
                      r"the|one-off|surgery|weeks?|visit|rest|year|leave)\b")


@pytest.mark.parametrize("kind", _kind_codes())
def test_every_kind_is_assessed_and_said_in_both_languages(ctx, kind):
    a = one(ctx, _good_claim(kind), paid(12_000_000, "01/2020"))
    assert a.ok, [p.message("en") for p in a.problems]
    assert a.days > 0 and a.amount > 0 and a.salary_base > 0
    assert a.rule["vi"] and a.rule["en"] and a.rule["vi"] != a.rule["en"]
    assert not _ENGLISH.search(a.rule["vi"]), a.rule["vi"]
    assert "Luật" in a.rule["vi"] and "Law" in a.rule["en"]


def test_every_problem_is_said_in_vietnamese_without_english(ctx):
    """Each problem code of the module, rendered: no English word in the Vietnamese."""
    from ibhxh_client.domain.messages import MESSAGES
    found = [code for code in MESSAGES if code.startswith("claim_")]
    assert len(found) >= 20
    for code in found:
        text = re.sub(r"\{\w+\}", "", MESSAGES[code]["vi"])
        assert not _ENGLISH.search(text), code


def test_a_long_list_keeps_its_order_and_rows(ctx):
    """One call over a large list: one assessment per claim, in order, rows numbered."""
    claims = [sick(i, date(2025, 9, 15), date(2025, 9, 19) if i % 2 else date(2025, 9, 13))
              for i in range(1, 501)]
    histories = {i: paid(6_000_000 + i, "01/2020") for i in range(1, 501)}
    out = assess_claims(claims, histories, ctx)
    assert len(out) == 500
    assert [a.days for a in out[:4]] == [5, 0, 5, 0]
    assert [p.row for p in out[1].problems] == [2]
