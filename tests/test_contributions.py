"""Tests for the contribution rules (DOMAIN.md §3) over forms/rates.toml."""

from __future__ import annotations

import copy
import tomllib
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ibhxh_client.domain.contributions import (
    COMPONENT_FUND,
    COMPONENTS,
    FUNDS,
    REGIONS,
    RateTable,
    WorkerInput,
    coefficient_salary,
    compute_many,
    compute_worker,
    contribution_salary,
    percent_of,
    period_start,
)

RATES_FILE = Path(__file__).resolve().parents[1] / "forms" / "rates.toml"


def _raw() -> dict:
    with RATES_FILE.open("rb") as f:
        return tomllib.load(f)


RAW = _raw()
TABLE = RateTable.from_dict(RAW)


def _half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# -- the data file ---------------------------------------------------------------------


def test_rates_file_loads_and_every_row_has_source_and_status():
    tables = [k for k, v in RAW.items() if isinstance(v, list)]
    assert set(tables) >= {
        "rates",
        "base_salary",
        "reference_level",
        "regional_minimum_wage",
        "caps",
        "floors",
    }
    for name in tables:
        assert RAW[name], name
        for row in RAW[name]:
            assert isinstance(row.get("source"), str) and row["source"].strip(), (name, row)
            assert row.get("status") in {"law", "seen", "check"}, (name, row)
            assert isinstance(row.get("from"), date), (name, row)
    assert RAW["settings"]["no_contribution_leave_days"] == 14


def test_rates_are_strings_not_floats():
    for row in RAW["rates"]:
        for key in ("employer", "employee", "employer_reduced"):
            if key in row:
                assert isinstance(row[key], str), row


def test_reference_level_follows_base_salary_as_data():
    (row,) = RAW["reference_level"]
    assert row["from"] == date(2025, 7, 1)
    assert row["follows"] == "base_salary"


# -- the known check -------------------------------------------------------------------


def test_real_notice_january_2026_two_workers_region_i():
    summary = compute_many(TABLE, (2026, 1), "I", [WorkerInput(5_310_000)] * 2)
    funds = {f: s.total for f, s in summary.funds.items()}
    assert funds == {"BHXH": 2_655_000, "BHYT": 477_900, "BHTN": 212_400, "BHTNLD": 53_100}
    assert summary.total == 3_398_400
    assert summary.employer_total + summary.employee_total == 3_398_400
    assert summary.workers == 2 and summary.exempt == 0 and summary.floored == 0


def test_single_worker_lines_january_2026():
    w = compute_worker(TABLE, date(2026, 1, 1), "I", 5_310_000)
    lines = {c: (s.employer, s.employee) for c, s in w.components.items()}
    assert lines == {
        "bhxh_htts": (743_400, 424_800),
        "bhxh_odts": (159_300, 0),
        "bhtnld": (26_550, 0),
        "bhyt": (159_300, 79_650),
        "bhtn": (53_100, 53_100),
    }
    assert w.funds["BHXH"].employer == 902_700
    assert w.employer_total == 1_141_650  # 21.5 %
    assert w.employee_total == 557_550  # 10.5 %
    assert w.total == 1_699_200


# -- floor and caps --------------------------------------------------------------------


def test_salary_under_minimum_is_raised_and_flagged():
    w = compute_worker(TABLE, (2026, 1), "I", 4_000_000)
    assert w.floored
    assert set(w.bases.values()) == {5_310_000}
    assert w.funds["BHTN"].employee == 53_100
    ok = compute_worker(TABLE, (2026, 1), "I", 5_310_000)
    assert not ok.floored
    # Region IV has a lower floor.
    iv = compute_worker(TABLE, (2026, 1), "IV", 4_000_000)
    assert not iv.floored and iv.bases["BHXH"] == 4_000_000
    assert compute_worker(TABLE, (2026, 1), "IV", 3_000_000).bases["BHXH"] == 3_700_000


def test_bhxh_bhyt_capped_at_20_reference_levels():
    w = compute_worker(TABLE, (2026, 1), "I", 100_000_000)
    assert w.bases == {
        "BHXH": 46_800_000,
        "BHTNLD": 46_800_000,
        "BHYT": 46_800_000,
        "BHTN": 100_000_000,
    }
    assert w.capped == {"BHXH", "BHYT", "BHTNLD"}
    assert w.funds["BHXH"].employee == 3_744_000  # 8 % of 46.8 M
    assert w.funds["BHYT"].total == 2_106_000


def test_bhtn_capped_at_20_regional_minimums():
    w = compute_worker(TABLE, (2026, 1), "I", 200_000_000)
    assert w.bases["BHTN"] == 106_200_000
    assert "BHTN" in w.capped
    assert w.funds["BHTN"].employer == 1_062_000
    # Region IV: 20 × 3,700,000.
    assert compute_worker(TABLE, (2026, 1), "IV", 200_000_000).bases["BHTN"] == 74_000_000


def test_caps_at():
    caps = TABLE.caps_at((2026, 1), "I")
    assert caps.floor == 5_310_000
    assert dict(caps.ceilings) == {
        "BHXH": 46_800_000,
        "BHYT": 46_800_000,
        "BHTN": 106_200_000,
        "BHTNLD": 46_800_000,
    }
    # Before Law 41/2024 the cap is 20 × base salary.
    assert TABLE.caps_at((2024, 6), "II").ceilings["BHXH"] == 36_000_000
    assert TABLE.caps_at((2026, 7), "I").ceilings["BHYT"] == 50_600_000


def test_state_pay_scale_has_no_floor_and_bhtn_cap_on_base_salary():
    salary = coefficient_salary(Decimal("1.86"), Decimal(0), Decimal(0), Decimal(0), 2_340_000)
    assert salary == 4_352_400
    w = compute_worker(TABLE, (2026, 1), "I", salary, state_pay_scale=True)
    assert not w.floored and w.bases["BHXH"] == 4_352_400
    big = compute_worker(TABLE, (2026, 1), "I", 200_000_000, state_pay_scale=True)
    assert big.bases["BHTN"] == 46_800_000


def test_reference_level_amount_row_is_a_data_change():
    raw = copy.deepcopy(RAW)
    raw["reference_level"].append(
        {"from": date(2026, 1, 1), "amount": 2_500_000, "source": "test", "status": "check"}
    )
    table = RateTable.from_dict(raw)
    assert table.reference_level_at((2025, 12)) == 2_340_000
    assert table.reference_level_at((2026, 1)) == 2_500_000
    assert table.caps_at((2026, 1), "I").ceilings["BHXH"] == 50_000_000
    assert table.base_salary_at((2026, 1)) == 2_340_000


# -- leave -----------------------------------------------------------------------------


def test_fourteen_leave_days_means_nothing_due():
    w = compute_worker(TABLE, (2026, 1), "I", 10_000_000, leave_days=14)
    assert w.exempt and w.total == 0
    assert all(s.total == 0 for s in w.funds.values())
    full = compute_worker(TABLE, (2026, 1), "I", 10_000_000, leave_days=13)
    assert not full.exempt
    assert full == compute_worker(TABLE, (2026, 1), "I", 10_000_000)
    assert full.total == 3_200_000


def test_leave_in_compute_many():
    items = [WorkerInput(5_310_000), WorkerInput(5_310_000, 14), WorkerInput(5_310_000, 13)]
    summary = compute_many(TABLE, (2026, 1), "I", items)
    assert summary.workers == 3 and summary.exempt == 1
    assert summary.total == 3_398_400


# -- dated rows ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "base"),
    [
        ((2019, 7), 1_490_000),
        ((2023, 6), 1_490_000),
        ((2023, 7), 1_800_000),
        ((2024, 6), 1_800_000),
        ((2024, 7), 2_340_000),
        ((2026, 6), 2_340_000),
        ((2026, 7), 2_530_000),
    ],
)
def test_base_salary_rows(period, base):
    assert TABLE.base_salary_at(period) == base


def test_history_picks_the_right_row_in_computation():
    # BHXH cap = 20 × base salary (before 07/2025) or 20 × reference level (after).
    cap = {
        p: compute_worker(TABLE, p, "I", 100_000_000).bases["BHXH"]
        for p in [(2024, 6), (2024, 7), (2026, 6), (2026, 7)]
    }
    assert cap == {
        (2024, 6): 36_000_000,
        (2024, 7): 46_800_000,
        (2026, 6): 46_800_000,
        (2026, 7): 50_600_000,
    }


def test_reference_level_rows():
    assert TABLE.reference_level_at((2025, 7)) == 2_340_000
    assert TABLE.reference_level_at((2026, 7)) == 2_530_000  # follows the base salary
    with pytest.raises(ValueError, match="reference_level"):
        TABLE.reference_level_at((2025, 6))


@pytest.mark.parametrize(
    ("period", "region", "amount"),
    [
        ((2020, 1), "IV", 3_070_000),
        ((2022, 6), "I", 4_420_000),
        ((2022, 7), "I", 4_680_000),
        ((2022, 7), "III", 3_640_000),
        ((2024, 7), "II", 4_410_000),
        ((2025, 12), "I", 4_960_000),
        ((2026, 1), "I", 5_310_000),
        ((2026, 1), "II", 4_730_000),
        ((2026, 1), "III", 4_140_000),
        ((2026, 1), "IV", 3_700_000),
    ],
)
def test_minimum_wage_rows(period, region, amount):
    assert TABLE.minimum_wage_at(period, region) == amount
    # The salary floor the checks use is the table's [[floors]]: that wage for a labour
    # contract, none on the state pay scale; the contributions use the same.
    assert TABLE.floor_at(period, region) == amount == TABLE.caps_at(period, region).floor
    assert TABLE.floor_at(period, region, state_pay_scale=True) == 0


def test_period_before_first_row_is_a_clear_error():
    with pytest.raises(ValueError, match=r"regional_minimum_wage.*12/2019.*2020-01-01"):
        TABLE.minimum_wage_at((2019, 12), "I")
    with pytest.raises(ValueError, match="base_salary"):
        TABLE.base_salary_at((2019, 6))
    with pytest.raises(ValueError, match="rates"):
        TABLE.rates_at((2015, 12))
    with pytest.raises(ValueError):
        compute_worker(TABLE, (2019, 12), "I", 5_000_000)


def _employer(period, component, **kw):
    return TABLE.rates_at(period, **kw)[component].employer


def test_accident_rate_history():
    assert _employer((2017, 6), "bhtnld") == Decimal(1)
    assert _employer((2017, 7), "bhtnld") == Decimal("0.5")


def test_resolution_68_accident_reduction():
    assert _employer((2021, 6), "bhtnld") == Decimal("0.5")
    assert _employer((2021, 7), "bhtnld") == 0
    assert _employer((2022, 6), "bhtnld") == 0
    assert _employer((2022, 7), "bhtnld") == Decimal("0.5")
    assert _employer((2021, 7), "bhtnld", reduced_accident_rate=True) == 0
    w = compute_worker(TABLE, (2022, 1), "I", 10_000_000)
    assert w.funds["BHTNLD"].total == 0
    assert w.funds["BHXH"].total == 2_500_000


def test_resolution_116_unemployment_reduction():
    for period, employer in [((2021, 9), 1), ((2021, 10), 0), ((2022, 9), 0), ((2022, 10), 1)]:
        rate = TABLE.rates_at(period)["bhtn"]
        assert rate.employer == employer, period
        assert rate.employee == 1, period
    w = compute_worker(TABLE, (2022, 1), "I", 10_000_000)
    assert (w.funds["BHTN"].employer, w.funds["BHTN"].employee) == (0, 100_000)


def test_reduced_accident_rate_flag():
    assert _employer((2026, 1), "bhtnld", reduced_accident_rate=True) == Decimal("0.3")
    assert _employer((2020, 8), "bhtnld", reduced_accident_rate=True) == Decimal("0.3")
    with pytest.raises(ValueError, match="reduced"):
        TABLE.rates_at((2020, 7), reduced_accident_rate=True)
    w = compute_worker(TABLE, (2026, 1), "I", 5_310_000, reduced_accident_rate=True)
    assert w.funds["BHTNLD"].employer == 15_930
    s = compute_many(TABLE, (2026, 1), "I", [WorkerInput(5_310_000)], reduced_accident_rate=True)
    assert s.funds["BHTNLD"].employer == 15_930


def test_rates_since_2017_total_32_percent():
    rates = TABLE.rates_at((2026, 1))
    assert sum(r.employer for r in rates.values()) == Decimal("21.5")
    assert sum(r.employee for r in rates.values()) == Decimal("10.5")
    assert all(r.source and r.status in {"law", "seen", "check"} for r in rates.values())


# -- salary helpers --------------------------------------------------------------------


def test_contribution_salary():
    assert contribution_salary(8_000_000) == 8_000_000
    assert contribution_salary(8_000_000, 1_500_000) == 9_500_000
    with pytest.raises(ValueError):
        contribution_salary(-1)
    with pytest.raises(ValueError):
        contribution_salary(1_000.5)  # type: ignore[arg-type]


def test_coefficient_salary():
    # 2.34 + 0.2 position; over-frame 5 % of 2.34 = 0.117; seniority 10 % of 2.657.
    value = coefficient_salary(
        Decimal("2.34"), Decimal("0.2"), Decimal("5"), Decimal("10"), 2_340_000
    )
    assert value == 6_839_118
    assert coefficient_salary(Decimal("2.34"), Decimal(0), Decimal(0), Decimal(0), 2_340_000) == (
        5_475_600
    )
    with pytest.raises(ValueError):
        coefficient_salary(2.34, Decimal(0), Decimal(0), Decimal(0), 2_340_000)  # type: ignore[arg-type]


_pct = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@given(
    coef=st.decimals(min_value=0, max_value=100, places=2),
    position=st.decimals(min_value=0, max_value=2, places=2),
    overframe=_pct,
    seniority=_pct,
    base=st.integers(min_value=0, max_value=10_000_000),
)
def test_coefficient_salary_matches_decimal(coef, position, overframe, seniority, base):
    with localcontext() as ctx:
        ctx.prec = 60
        over = coef * overframe / 100
        total = coef + position + over + (coef + position + over) * seniority / 100
        expected = _half_up(total * base)
    assert coefficient_salary(coef, position, overframe, seniority, base) == expected


# -- arithmetic ------------------------------------------------------------------------


@given(
    amount=st.integers(min_value=-(10**12), max_value=10**12),
    rate=st.decimals(min_value=0, max_value=100, places=4, allow_nan=False, allow_infinity=False),
)
def test_integer_rounding_equals_decimal_half_up(amount, rate):
    with localcontext() as ctx:
        ctx.prec = 60
        expected = _half_up(Decimal(amount) * rate / 100)
    assert percent_of(amount, rate) == expected


def test_integer_rounding_ties():
    assert percent_of(5_310_000, Decimal("0.5")) == 26_550
    assert percent_of(1, Decimal(50)) == 1  # 0.5 rounds up
    assert percent_of(3, Decimal(50)) == 2  # 1.5 rounds up
    assert percent_of(-1, Decimal(50)) == -1  # away from zero, as ROUND_HALF_UP
    assert percent_of(33, Decimal("1.5")) == 0  # 0.495


def _reference_worker(period, region, salary, leave_days=0):
    """The rules written the slow, obvious way with Decimal."""
    if leave_days >= 14:
        return dict.fromkeys(COMPONENTS, (0, 0))
    rates = TABLE.rates_at(period)
    minimum = TABLE.minimum_wage_at(period, region)
    ref = TABLE.reference_level_at(period) if period >= (2025, 7) else TABLE.base_salary_at(period)
    base = max(salary, minimum)
    out = {}
    for c in COMPONENTS:
        cap = 20 * minimum if c == "bhtn" else 20 * ref
        b = Decimal(min(base, cap))
        r = rates[c]
        out[c] = (_half_up(b * r.employer / 100), _half_up(b * r.employee / 100))
    return out


_periods = st.sampled_from(
    [(2020, 1), (2021, 8), (2022, 1), (2023, 7), (2024, 7), (2025, 7), (2026, 1), (2026, 7)]
)
_salaries = st.integers(min_value=0, max_value=300_000_000)


@given(
    period=_periods,
    region=st.sampled_from(REGIONS),
    salary=_salaries,
    leave=st.integers(min_value=0, max_value=31),
)
def test_compute_worker_matches_decimal_reference(period, region, salary, leave):
    w = compute_worker(TABLE, period, region, salary, leave_days=leave)
    got = {c: (s.employer, s.employee) for c, s in w.components.items()}
    assert got == _reference_worker(period, region, salary, leave)
    for fund in FUNDS:
        parts = [w.components[c] for c in COMPONENTS if COMPONENT_FUND[c] == fund]
        assert w.funds[fund].employer == sum(p.employer for p in parts)
        assert w.funds[fund].employee == sum(p.employee for p in parts)
    assert w.total == sum(s.total for s in w.funds.values())


@settings(max_examples=50)
@given(
    period=_periods,
    region=st.sampled_from(REGIONS),
    items=st.lists(
        st.builds(
            WorkerInput,
            salary=st.one_of(_salaries, st.sampled_from([5_310_000, 4_000_000, 10_000_001])),
            leave_days=st.sampled_from([0, 0, 0, 5, 13, 14, 22]),
        ),
        max_size=40,
    ),
    reduced=st.booleans(),
)
def test_totals_equal_sum_of_rounded_lines(period, region, items, reduced):
    reduced = reduced and period >= (2020, 8)
    summary = compute_many(TABLE, period, region, items, reduced_accident_rate=reduced)
    lines = [
        compute_worker(
            TABLE, period, region, w.salary, leave_days=w.leave_days, reduced_accident_rate=reduced
        )
        for w in items
    ]
    for c in COMPONENTS:
        assert summary.components[c].employer == sum(x.components[c].employer for x in lines)
        assert summary.components[c].employee == sum(x.components[c].employee for x in lines)
    for f in FUNDS:
        assert summary.funds[f].total == sum(x.funds[f].total for x in lines)
        assert summary.capped[f] == sum(f in x.capped for x in lines)
    assert summary.employer_total == sum(x.employer_total for x in lines)
    assert summary.employee_total == sum(x.employee_total for x in lines)
    assert summary.total == sum(x.total for x in lines)
    assert summary.exempt == sum(x.exempt for x in lines)
    assert summary.floored == sum(x.floored for x in lines)
    assert summary.workers == len(items)


# -- input checks ----------------------------------------------------------------------


def test_period_forms():
    assert period_start((2026, 1)) == date(2026, 1, 1)
    assert period_start(date(2026, 1, 1)) == date(2026, 1, 1)
    for bad in [date(2026, 1, 15), (2026, 13), (2026,), "2026-01", (2026.0, 1)]:
        with pytest.raises(ValueError):
            period_start(bad)  # type: ignore[arg-type]


def test_bad_inputs():
    with pytest.raises(ValueError, match="region"):
        compute_worker(TABLE, (2026, 1), "V", 5_000_000)
    with pytest.raises(ValueError, match="salary"):
        compute_worker(TABLE, (2026, 1), "I", -1)
    with pytest.raises(ValueError, match="leave_days"):
        compute_worker(TABLE, (2026, 1), "I", 5_000_000, leave_days=-1)
    with pytest.raises(ValueError, match="salary"):
        compute_many(TABLE, (2026, 1), "I", [WorkerInput(5_000_000.0)])  # type: ignore[arg-type]


def _with(table: str, index: int, **changes):
    raw = copy.deepcopy(RAW)
    raw[table][index].update(changes)
    return raw


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (_with("rates", 0, employer=14.0), "strings"),
        (_with("rates", 0, employe="8"), "unknown key"),
        (_with("rates", 0, status="maybe"), "status"),
        (_with("rates", 0, component="bhxh"), "component"),
        (_with("base_salary", 0, amount="1490000"), "base_salary"),
        (_with("base_salary", 1, **{"from": date(2019, 7, 1)}), "same date"),
        (_with("reference_level", 0, amount=2_000_000), "exactly one"),
        (_with("caps", 0, of="nothing"), "'of'"),
        (_with("regional_minimum_wage", 0, **{"from": "2020-01-01"}), "TOML date"),
    ],
)
def test_table_validation(raw, message):
    with pytest.raises(ValueError, match=message):
        RateTable.from_dict(raw)


def test_missing_source_rejected():
    raw = copy.deepcopy(RAW)
    del raw["caps"][0]["source"]
    with pytest.raises(ValueError, match="source"):
        RateTable.from_dict(raw)
