"""Contributions over the dated rule table (DOMAIN.md §3 Money).

Pure Python, no I/O: the caller reads ``forms/rates.toml`` (``tomllib``) and hands the
parsed dict to :meth:`RateTable.from_dict`, so every rate, cap and wage stays data and any
past period can be recomputed.

Money rules:

* amounts are whole đồng (``int``), rates are ``Decimal`` percentages;
* each line (one person × one component × one share) is rounded half-up to the đồng;
* every total is a sum of rounded lines, never a rate applied to a total.

The per-line rounding is done in integers (``percent_of``) so that :func:`compute_many`
stays fast; the tests prove it equals ``Decimal.quantize(1, ROUND_HALF_UP)``.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any, Generic, TypeVar

__all__ = [
    "COMPONENTS",
    "COMPONENT_FUND",
    "FUNDS",
    "REGIONS",
    "SCHEMES",
    "STATUSES",
    "BaseRow",
    "BoundRow",
    "Caps",
    "ComponentRate",
    "ContributionSummary",
    "MinimumWageRow",
    "Period",
    "Rate",
    "RateTable",
    "ReferenceRow",
    "Share",
    "WorkerContribution",
    "WorkerInput",
    "coefficient_salary",
    "compute_many",
    "compute_worker",
    "contribution_salary",
    "percent_of",
    "period_start",
]

#: A contribution period: a month, as ``(year, month)`` or the ``date`` of its first day.
Period = date | tuple[int, int]

REGIONS: tuple[str, ...] = ("I", "II", "III", "IV")
#: Fund components, in the order used for every per-component result.
COMPONENTS: tuple[str, ...] = ("bhxh_htts", "bhxh_odts", "bhtnld", "bhyt", "bhtn")
FUNDS: tuple[str, ...] = ("BHXH", "BHYT", "BHTN", "BHTNLD")
#: Which fund a component is reported under (BHXH = retirement & survivors + sickness &
#: maternity). Structure, not a rate: it does not change with decrees.
COMPONENT_FUND: Mapping[str, str] = MappingProxyType(
    {
        "bhxh_htts": "BHXH",
        "bhxh_odts": "BHXH",
        "bhtnld": "BHTNLD",
        "bhyt": "BHYT",
        "bhtn": "BHTN",
    }
)
STATUSES: frozenset[str] = frozenset({"law", "seen", "check"})
#: "enterprise": salary set by the employer; "state": state pay scale (coefficients).
SCHEMES: tuple[str, ...] = ("enterprise", "state")
_QUANTITIES = ("base_salary", "reference_level", "regional_minimum_wage", "none")


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def period_start(period: Period) -> date:
    """Normalise a period to the date of its first day.

    Periods are whole months; a date that is not the 1st is rejected rather than silently
    moved, because it usually means a day was passed where a month was meant.
    """
    if isinstance(period, datetime):
        raise ValueError(f"period must be a date or (year, month), not a datetime: {period!r}")
    if isinstance(period, date):
        if period.day != 1:
            raise ValueError(f"period date must be the first of the month, got {period}")
        return period
    if isinstance(period, tuple) and len(period) == 2:
        year, month = period
        if type(year) is int and type(month) is int and 1 <= month <= 12 and 1 <= year <= 9999:
            return date(year, month, 1)
    raise ValueError(f"period must be a date or (year, month), got {period!r}")


def _fmt_period(day: date) -> str:
    return f"{day.month:02d}/{day.year}"


def _check_region(region: str) -> str:
    if region not in REGIONS:
        raise ValueError(f"region must be one of {', '.join(REGIONS)}, got {region!r}")
    return region


def _check_amount(value: object, what: str) -> int:
    if type(value) is not int or value < 0:
        raise ValueError(f"{what} must be a non-negative whole number of đồng, got {value!r}")
    return value


def _ratio(rate: Decimal) -> tuple[int, int]:
    """``rate`` percent as an exact fraction ``p / q`` of one."""
    p, q = rate.as_integer_ratio()
    return p, q * 100


def _round_ratio(amount: int, p: int, q: int) -> int:
    """``amount × p / q`` rounded half away from zero (Decimal's ROUND_HALF_UP)."""
    n = amount * p
    if n >= 0:
        return (2 * n + q) // (2 * q)
    return -((-2 * n + q) // (2 * q))


def percent_of(amount: int, rate: Decimal) -> int:
    """``rate`` percent of ``amount`` đồng, rounded half-up to the đồng.

    Integer arithmetic on the exact fraction of the rate: the same result as
    ``(Decimal(amount) * rate / 100).quantize(1, ROUND_HALF_UP)`` without Decimal's
    context precision limits, and cheap enough for the per-worker hot loop.
    """
    if type(amount) is not int:
        raise ValueError(f"amount must be a whole number of đồng, got {amount!r}")
    if not isinstance(rate, Decimal) or not rate.is_finite():
        raise ValueError(f"rate must be a finite Decimal, got {rate!r}")
    return _round_ratio(amount, *_ratio(rate))


def _as_decimal(value: object, what: str) -> Decimal:
    if isinstance(value, Decimal):
        result = value
    elif type(value) is int:
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"{what}: not a decimal number: {value!r}") from None
    else:
        raise ValueError(
            f'{what}: write decimals as strings (e.g. "0.5") or integers, got {value!r}'
        )
    if not result.is_finite():
        raise ValueError(f"{what}: must be finite, got {value!r}")
    return result


def contribution_salary(salary: int, allowances: int = 0) -> int:
    """Salary on which contributions are computed, from salary and allowances.

    Kept as a function so every caller adds the same parts the same way; which allowances
    count (those paid regularly with the salary) is the caller's decision.
    """
    return _check_amount(salary, "salary") + _check_amount(allowances, "allowances")


def coefficient_salary(
    coef: Decimal,
    position_coef: Decimal,
    overframe_pct: Decimal,
    seniority_pct: Decimal,
    base: int,
) -> int:
    """Monthly contribution salary of a worker on the state pay scale, in đồng.

    Over-frame seniority (vượt khung, %) applies to the salary coefficient alone;
    occupation seniority (thâm niên nghề, %) applies to coefficient + position
    coefficient + over-frame. The total coefficient is kept exact and multiplied by the
    base salary once, then rounded half-up, so no intermediate rounding drifts.
    """
    coef_d = _as_decimal(coef, "coef")
    position_d = _as_decimal(position_coef, "position_coef")
    overframe_d = _as_decimal(overframe_pct, "overframe_pct")
    seniority_d = _as_decimal(seniority_pct, "seniority_pct")
    for name, value in (
        ("coef", coef_d),
        ("position_coef", position_d),
        ("overframe_pct", overframe_d),
        ("seniority_pct", seniority_d),
    ):
        if value < 0:
            raise ValueError(f"{name} must not be negative, got {value}")
    _check_amount(base, "base")
    overframe_coef = coef_d * overframe_d / 100
    seniority_coef = (coef_d + position_d + overframe_coef) * seniority_d / 100
    total = coef_d + position_d + overframe_coef + seniority_coef
    # Exact: the inputs are decimals, so total has finitely many digits; use the integer
    # ratio rather than Decimal arithmetic so the context precision cannot round it.
    p, q = total.as_integer_ratio()
    return _round_ratio(base, p, q)


# --------------------------------------------------------------------------------------
# Rows of the table
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComponentRate:
    """One ``[[rates]]`` row: the rates of one component from ``valid_from`` on."""

    component: str
    valid_from: date
    employer: Decimal
    employee: Decimal
    employer_reduced: Decimal | None
    source: str
    status: str
    note: str = ""


@dataclass(frozen=True)
class Rate:
    """The rates that apply to one component in one period, with their provenance."""

    component: str
    employer: Decimal
    employee: Decimal
    valid_from: date
    source: str
    status: str
    reduced: bool = False


@dataclass(frozen=True)
class BaseRow:
    """One ``[[base_salary]]`` row."""

    valid_from: date
    amount: int
    source: str
    status: str
    note: str = ""


@dataclass(frozen=True)
class ReferenceRow:
    """One ``[[reference_level]]`` row: an amount, or ``follows = "base_salary"``."""

    valid_from: date
    amount: int | None
    follows: str | None
    source: str
    status: str
    note: str = ""


@dataclass(frozen=True)
class MinimumWageRow:
    """One ``[[regional_minimum_wage]]`` row: the amount for each region."""

    valid_from: date
    by_region: Mapping[str, int]
    source: str
    status: str
    note: str = ""


@dataclass(frozen=True)
class BoundRow:
    """One ``[[caps]]`` or ``[[floors]]`` row: ``multiplier × of`` for a fund and scheme."""

    valid_from: date
    fund: str  # a fund name; "any" for floors
    scheme: str  # "enterprise", "state" or "any"
    multiplier: Decimal
    of: str
    source: str
    status: str
    note: str = ""


@dataclass(frozen=True)
class Caps:
    """Floor and per-fund ceilings of the contribution salary for one period and region."""

    floor: int
    ceilings: Mapping[str, int]  # fund name -> ceiling


_Row = TypeVar("_Row", ComponentRate, BaseRow, ReferenceRow, MinimumWageRow, BoundRow)


class _Timeline(Generic[_Row]):
    """Rows of one kind sorted by ``valid_from``; ``at(day)`` is the row in force."""

    def __init__(self, name: str, rows: Iterable[_Row]) -> None:
        self.name = name
        self.rows: tuple[_Row, ...] = tuple(sorted(rows, key=lambda r: r.valid_from))
        self.dates = [r.valid_from for r in self.rows]
        for earlier, later in zip(self.dates, self.dates[1:], strict=False):
            if earlier == later:
                raise ValueError(f"{name}: two rows from the same date {later}")

    def at(self, day: date) -> _Row:
        i = bisect.bisect_right(self.dates, day)
        if i == 0:
            if not self.rows:
                raise ValueError(f"no {self.name} row in the rate table")
            raise ValueError(
                f"no {self.name} row in force for {_fmt_period(day)}: "
                f"the rate table starts on {self.dates[0]}"
            )
        return self.rows[i - 1]


# --------------------------------------------------------------------------------------
# Parsing the TOML dict
# --------------------------------------------------------------------------------------

_COMMON_KEYS = frozenset({"from", "source", "status", "note"})


def _common(row: object, where: str, extra: set[str]) -> tuple[dict[str, Any], date, str, str, str]:
    if not isinstance(row, dict):
        raise ValueError(f"{where}: expected a table, got {row!r}")
    unknown = set(row) - _COMMON_KEYS - extra
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("from", "source", "status"):
        if key not in row:
            raise ValueError(f"{where}: missing {key!r}")
    valid_from = row["from"]
    if isinstance(valid_from, datetime) or not isinstance(valid_from, date):
        raise ValueError(f"{where}: 'from' must be a TOML date like 2024-07-01, got {valid_from!r}")
    source, status, note = row["source"], row["status"], row.get("note", "")
    if not isinstance(source, str) or not source.strip():
        raise ValueError(f"{where}: 'source' must be a non-empty string")
    if status not in STATUSES:
        raise ValueError(f"{where}: 'status' must be one of {sorted(STATUSES)}, got {status!r}")
    if not isinstance(note, str):
        raise ValueError(f"{where}: 'note' must be a string")
    return row, valid_from, source, status, note


def _rate(value: object, where: str) -> Decimal:
    result = _as_decimal(value, where)
    if not Decimal(0) <= result <= Decimal(100):
        raise ValueError(f"{where}: a percentage between 0 and 100, got {value!r}")
    return result


def _positive_amount(value: object, where: str) -> int:
    if type(value) is not int or value <= 0:
        raise ValueError(f"{where}: a positive whole number of đồng, got {value!r}")
    return value


def _rows(d: Mapping[str, Any], key: str) -> list[Any]:
    rows = d.get(key, [])
    if not isinstance(rows, list):
        raise ValueError(f"[[{key}]] must be an array of tables")
    return rows


def _parse_rates(d: Mapping[str, Any]) -> dict[str, _Timeline[ComponentRate]]:
    by_component: dict[str, list[ComponentRate]] = {c: [] for c in COMPONENTS}
    for i, raw in enumerate(_rows(d, "rates")):
        where = f"rates[{i}]"
        row, valid_from, source, status, note = _common(
            raw, where, {"component", "employer", "employee", "employer_reduced"}
        )
        component = row.get("component")
        if component not in by_component:
            raise ValueError(f"{where}: component must be one of {COMPONENTS}, got {component!r}")
        for key in ("employer", "employee"):
            if key not in row:
                raise ValueError(f"{where}: missing {key!r}")
        reduced = row.get("employer_reduced")
        if reduced is not None and component != "bhtnld":
            raise ValueError(f"{where}: employer_reduced is only for bhtnld")
        by_component[component].append(
            ComponentRate(
                component=component,
                valid_from=valid_from,
                employer=_rate(row["employer"], f"{where}.employer"),
                employee=_rate(row["employee"], f"{where}.employee"),
                employer_reduced=None
                if reduced is None
                else _rate(reduced, f"{where}.employer_reduced"),
                source=source,
                status=status,
                note=note,
            )
        )
    return {c: _Timeline(f"rates.{c}", rows) for c, rows in by_component.items()}


def _parse_base(d: Mapping[str, Any]) -> _Timeline[BaseRow]:
    rows = []
    for i, raw in enumerate(_rows(d, "base_salary")):
        where = f"base_salary[{i}]"
        row, valid_from, source, status, note = _common(raw, where, {"amount"})
        rows.append(
            BaseRow(valid_from, _positive_amount(row.get("amount"), where), source, status, note)
        )
    return _Timeline("base_salary", rows)


def _parse_reference(d: Mapping[str, Any]) -> _Timeline[ReferenceRow]:
    rows = []
    for i, raw in enumerate(_rows(d, "reference_level")):
        where = f"reference_level[{i}]"
        row, valid_from, source, status, note = _common(raw, where, {"amount", "follows"})
        amount, follows = row.get("amount"), row.get("follows")
        if (amount is None) == (follows is None):
            raise ValueError(f"{where}: give exactly one of 'amount' or 'follows'")
        if follows is not None and follows != "base_salary":
            raise ValueError(f"{where}: 'follows' can only be \"base_salary\", got {follows!r}")
        if amount is not None:
            amount = _positive_amount(amount, where)
        rows.append(ReferenceRow(valid_from, amount, follows, source, status, note))
    return _Timeline("reference_level", rows)


def _parse_minimum(d: Mapping[str, Any]) -> _Timeline[MinimumWageRow]:
    rows = []
    for i, raw in enumerate(_rows(d, "regional_minimum_wage")):
        where = f"regional_minimum_wage[{i}]"
        row, valid_from, source, status, note = _common(raw, where, set(REGIONS))
        by_region = {r: _positive_amount(row.get(r), f"{where}.{r}") for r in REGIONS}
        rows.append(MinimumWageRow(valid_from, MappingProxyType(by_region), source, status, note))
    return _Timeline("regional_minimum_wage", rows)


def _parse_bounds(
    d: Mapping[str, Any], key: str, funds: Sequence[str]
) -> dict[tuple[str, str], _Timeline[BoundRow]]:
    """Timelines per (fund, scheme); rows of scheme "any" go into both schemes."""
    grouped: dict[tuple[str, str], list[BoundRow]] = {(f, s): [] for f in funds for s in SCHEMES}
    has_fund = key == "caps"
    for i, raw in enumerate(_rows(d, key)):
        where = f"{key}[{i}]"
        extra = {"scheme", "multiplier", "of"} | ({"fund"} if has_fund else set())
        row, valid_from, source, status, note = _common(raw, where, extra)
        fund = row.get("fund") if has_fund else "any"
        if fund not in funds:
            raise ValueError(f"{where}: fund must be one of {tuple(funds)}, got {fund!r}")
        scheme = row.get("scheme", "any")
        if scheme != "any" and scheme not in SCHEMES:
            raise ValueError(f"{where}: scheme must be one of {SCHEMES} or 'any', got {scheme!r}")
        of = row.get("of")
        if of not in _QUANTITIES or (has_fund and of == "none"):
            raise ValueError(f"{where}: 'of' must be one of {_QUANTITIES}, got {of!r}")
        multiplier = _as_decimal(row.get("multiplier"), f"{where}.multiplier")
        if multiplier < 0:
            raise ValueError(f"{where}: multiplier must not be negative")
        bound = BoundRow(valid_from, fund, scheme, multiplier, of, source, status, note)
        for s in SCHEMES if scheme == "any" else (scheme,):
            grouped[(fund, s)].append(bound)
    return {k: _Timeline(f"{key} {k[0]}/{k[1]}", rows) for k, rows in grouped.items()}


# --------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """Everything the per-worker arithmetic needs for one period, region and unit."""

    period: date
    region: str
    caps: Caps
    rates: Mapping[str, Rate]
    leave_limit: int
    # Per component, in COMPONENTS order: (ceiling, 2p_er, q_er, 2q_er, 2p_ee, q_ee, 2q_ee)
    terms: tuple[tuple[int, int, int, int, int, int, int], ...]


@dataclass(frozen=True, eq=False)
class RateTable:
    """The dated rule table of ``forms/rates.toml``, validated and indexed by date."""

    rates: Mapping[str, _Timeline[ComponentRate]]
    base_salary: _Timeline[BaseRow]
    reference_level: _Timeline[ReferenceRow]
    regional_minimum_wage: _Timeline[MinimumWageRow]
    caps: Mapping[tuple[str, str], _Timeline[BoundRow]]
    floors: Mapping[tuple[str, str], _Timeline[BoundRow]]
    no_contribution_leave_days: int
    _plans: dict[tuple[date, str, bool, bool], _Plan] = field(
        default_factory=dict, repr=False, compare=False
    )

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> RateTable:
        """Build the table from the parsed TOML, rejecting anything malformed.

        Validation is strict (unknown keys, floats for rates, missing source/status) so a
        typo in a data change fails at start-up instead of producing wrong amounts.
        """
        settings = d.get("settings", {})
        if not isinstance(settings, dict):
            raise ValueError("[settings] must be a table")
        leave = settings.get("no_contribution_leave_days")
        if type(leave) is not int or leave <= 0:
            raise ValueError(
                f"[settings] no_contribution_leave_days must be a positive integer, got {leave!r}"
            )
        return cls(
            rates=MappingProxyType(_parse_rates(d)),
            base_salary=_parse_base(d),
            reference_level=_parse_reference(d),
            regional_minimum_wage=_parse_minimum(d),
            caps=MappingProxyType(_parse_bounds(d, "caps", FUNDS)),
            floors=MappingProxyType(_parse_bounds(d, "floors", ("any",))),
            no_contribution_leave_days=leave,
        )

    # -- lookups -----------------------------------------------------------------------

    def rates_at(
        self, period: Period, *, reduced_accident_rate: bool = False
    ) -> Mapping[str, Rate]:
        """Rates of every component in force for ``period``, keyed by component.

        ``reduced_accident_rate`` selects the BHTNLĐ-BNN rate for approved units; asking
        for it in a period that has none is an error rather than a silent normal rate.
        """
        day = period_start(period)
        result: dict[str, Rate] = {}
        for component in COMPONENTS:
            row = self.rates[component].at(day)
            employer = row.employer
            if component == "bhtnld" and reduced_accident_rate:
                if row.employer_reduced is None:
                    raise ValueError(
                        f"no reduced BHTNLĐ-BNN rate in force for {_fmt_period(day)} "
                        f"(row from {row.valid_from}, {row.source})"
                    )
                employer = row.employer_reduced
            result[component] = Rate(
                component=component,
                employer=employer,
                employee=row.employee,
                valid_from=row.valid_from,
                source=row.source,
                status=row.status,
                reduced=component == "bhtnld" and reduced_accident_rate,
            )
        return MappingProxyType(result)

    def base_salary_at(self, period: Period) -> int:
        """Base salary (lương cơ sở) in force for ``period``."""
        return self.base_salary.at(period_start(period)).amount

    def reference_level_at(self, period: Period) -> int:
        """Reference level (mức tham chiếu) in force for ``period``.

        A row that ``follows`` the base salary tracks it, so a later base-salary raise
        moves the reference level too until a separate amount is set.
        """
        day = period_start(period)
        row = self.reference_level.at(day)
        if row.amount is not None:
            return row.amount
        return self.base_salary_at(day)

    def minimum_wage_at(self, period: Period, region: str) -> int:
        """Regional minimum wage (lương tối thiểu vùng) for ``period`` and ``region``."""
        _check_region(region)
        return self.regional_minimum_wage.at(period_start(period)).by_region[region]

    def caps_at(self, period: Period, region: str, *, state_pay_scale: bool = False) -> Caps:
        """Floor and per-fund ceilings of the contribution salary.

        Workers on the state pay scale have no minimum-wage floor and a different BHTN
        ceiling, hence ``state_pay_scale``.
        """
        day = period_start(period)
        _check_region(region)
        scheme = "state" if state_pay_scale else "enterprise"
        ceilings = {
            fund: self._bound(self.caps[(fund, scheme)].at(day), day, region) for fund in FUNDS
        }
        return Caps(floor=self.floor_at(period, region, state_pay_scale=state_pay_scale),
                    ceilings=MappingProxyType(ceilings))

    def floor_at(self, period: Period, region: str, *, state_pay_scale: bool = False) -> int:
        """The lowest contribution salary (the ``[[floors]]`` rows: the regional minimum
        wage for labour contracts today, none on the state pay scale)."""
        day = period_start(period)
        _check_region(region)
        scheme = "state" if state_pay_scale else "enterprise"
        return self._bound(self.floors[("any", scheme)].at(day), day, region)

    def _quantity(self, of: str, day: date, region: str) -> int:
        if of == "base_salary":
            return self.base_salary_at(day)
        if of == "reference_level":
            return self.reference_level_at(day)
        if of == "regional_minimum_wage":
            return self.minimum_wage_at(day, region)
        return 0  # "none"

    def _bound(self, row: BoundRow, day: date, region: str) -> int:
        if row.of == "none":
            return 0
        return _round_ratio(self._quantity(row.of, day, region), *row.multiplier.as_integer_ratio())

    def _plan(
        self, period: Period, region: str, reduced_accident_rate: bool, state_pay_scale: bool
    ) -> _Plan:
        day = period_start(period)
        key = (day, region, bool(reduced_accident_rate), bool(state_pay_scale))
        plan = self._plans.get(key)
        if plan is None:
            caps = self.caps_at(day, region, state_pay_scale=state_pay_scale)
            rates = self.rates_at(day, reduced_accident_rate=reduced_accident_rate)
            terms = []
            for component in COMPONENTS:
                rate = rates[component]
                p_er, q_er = _ratio(rate.employer)
                p_ee, q_ee = _ratio(rate.employee)
                ceiling = caps.ceilings[COMPONENT_FUND[component]]
                terms.append((ceiling, 2 * p_er, q_er, 2 * q_er, 2 * p_ee, q_ee, 2 * q_ee))
            plan = _Plan(
                period=day,
                region=region,
                caps=caps,
                rates=rates,
                leave_limit=self.no_contribution_leave_days,
                terms=tuple(terms),
            )
            self._plans[key] = plan
        return plan


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """An amount split into the employer's and the employee's part, in đồng."""

    employer: int
    employee: int

    @property
    def total(self) -> int:
        return self.employer + self.employee


_ZERO = Share(0, 0)


@dataclass(frozen=True)
class WorkerInput:
    """One worker for :func:`compute_many`: contribution salary and leave days."""

    salary: int
    leave_days: int = 0


@dataclass(frozen=True)
class WorkerContribution:
    """What one worker owes for one period, line by line, with how the base was found."""

    period: date
    region: str
    salary: int  # as declared
    exempt: bool  # leave days at or over the limit: nothing due
    floored: bool  # salary was under the floor and was raised to it
    capped: frozenset[str]  # funds whose ceiling applied
    bases: Mapping[str, int]  # fund -> salary the fund was computed on
    components: Mapping[str, Share]  # component -> rounded lines
    funds: Mapping[str, Share]  # fund -> sum of its component lines

    @property
    def employer_total(self) -> int:
        return sum(s.employer for s in self.components.values())

    @property
    def employee_total(self) -> int:
        return sum(s.employee for s in self.components.values())

    @property
    def total(self) -> int:
        return self.employer_total + self.employee_total


@dataclass(frozen=True)
class ContributionSummary:
    """Totals for a unit and period, summed from every worker's rounded lines."""

    period: date
    region: str
    workers: int
    exempt: int  # workers with nothing due because of leave
    floored: int  # workers raised to the floor
    capped: Mapping[str, int]  # fund -> workers whose ceiling applied
    components: Mapping[str, Share]
    funds: Mapping[str, Share]
    employer_total: int
    employee_total: int

    @property
    def total(self) -> int:
        return self.employer_total + self.employee_total


def _funds_of(components: Mapping[str, Share]) -> Mapping[str, Share]:
    er = dict.fromkeys(FUNDS, 0)
    ee = dict.fromkeys(FUNDS, 0)
    for component, share in components.items():
        fund = COMPONENT_FUND[component]
        er[fund] += share.employer
        ee[fund] += share.employee
    return MappingProxyType({f: Share(er[f], ee[f]) for f in FUNDS})


# --------------------------------------------------------------------------------------
# Computation
# --------------------------------------------------------------------------------------


def _check_leave(leave_days: object) -> int:
    if type(leave_days) is not int or leave_days < 0:
        raise ValueError(f"leave_days must be a non-negative integer, got {leave_days!r}")
    return leave_days


def _line(plan: _Plan, salary: int) -> tuple[bool, tuple[int, ...], tuple[int, ...], list[int]]:
    """(floored, capped flags per component, base per component, 10 amounts er/ee)."""
    floor = plan.caps.floor
    floored = salary < floor
    base = floor if floored else salary
    capped = []
    bases = []
    amounts = []
    for ceiling, p2e, qe, q2e, p2w, qw, q2w in plan.terms:
        if base > ceiling:
            b = ceiling
            capped.append(True)
        else:
            b = base
            capped.append(False)
        bases.append(b)
        amounts.append((b * p2e + qe) // q2e)
        amounts.append((b * p2w + qw) // q2w)
    return floored, tuple(capped), tuple(bases), amounts


def compute_worker(
    table: RateTable,
    period: Period,
    region: str,
    salary: int,
    *,
    leave_days: int = 0,
    reduced_accident_rate: bool = False,
    state_pay_scale: bool = False,
) -> WorkerContribution:
    """What one worker and their employer owe for ``period``, line by line.

    The salary is raised to the floor (flagged ``floored``) and limited per fund by its
    ceiling (listed in ``capped``) before the rates apply, because the agency computes on
    that bounded salary; each line is rounded on its own so that totals built from these
    lines match the agency's notice.
    """
    _check_region(region)
    _check_amount(salary, "salary")
    _check_leave(leave_days)
    plan = table._plan(period, region, reduced_accident_rate, state_pay_scale)
    if leave_days >= plan.leave_limit:
        zeros = MappingProxyType(dict.fromkeys(COMPONENTS, _ZERO))
        return WorkerContribution(
            period=plan.period,
            region=region,
            salary=salary,
            exempt=True,
            floored=False,
            capped=frozenset(),
            bases=MappingProxyType(dict.fromkeys(FUNDS, 0)),
            components=zeros,
            funds=_funds_of(zeros),
        )
    floored, capped, bases, amounts = _line(plan, salary)
    components = MappingProxyType(
        {c: Share(amounts[2 * i], amounts[2 * i + 1]) for i, c in enumerate(COMPONENTS)}
    )
    fund_bases = {COMPONENT_FUND[c]: bases[i] for i, c in enumerate(COMPONENTS)}
    return WorkerContribution(
        period=plan.period,
        region=region,
        salary=salary,
        exempt=False,
        floored=floored,
        capped=frozenset(COMPONENT_FUND[c] for i, c in enumerate(COMPONENTS) if capped[i]),
        bases=MappingProxyType(fund_bases),
        components=components,
        funds=_funds_of(components),
    )


def compute_many(
    table: RateTable,
    period: Period,
    region: str,
    items: Iterable[WorkerInput],
    *,
    reduced_accident_rate: bool = False,
    state_pay_scale: bool = False,
) -> ContributionSummary:
    """Unit totals for ``period`` from many workers, equal to summing ``compute_worker``.

    Workers with the same salary give the same rounded lines, so lines are computed once
    per distinct salary and multiplied by the head count: exact, and fast for tens of
    thousands of workers. Rates are resolved once per call, the arithmetic is integer.
    """
    _check_region(region)
    plan = table._plan(period, region, reduced_accident_rate, state_pay_scale)
    limit = plan.leave_limit
    workers = items if isinstance(items, (list, tuple)) else list(items)
    for days in {w.leave_days for w in workers}:
        _check_leave(days)
    salaries = Counter([w.salary for w in workers if w.leave_days < limit])
    exempt = len(workers) - sum(salaries.values())

    totals = [0] * (2 * len(COMPONENTS))
    capped_counts = [0] * len(COMPONENTS)
    floored_count = 0
    for salary, count in salaries.items():
        _check_amount(salary, "salary")
        floored, capped, _bases, amounts = _line(plan, salary)
        if floored:
            floored_count += count
        for i, a in enumerate(amounts):
            totals[i] += a * count
        for i, c in enumerate(capped):
            if c:
                capped_counts[i] += count

    components = MappingProxyType(
        {c: Share(totals[2 * i], totals[2 * i + 1]) for i, c in enumerate(COMPONENTS)}
    )
    capped_by_fund = dict.fromkeys(FUNDS, 0)
    for i, c in enumerate(COMPONENTS):
        # Components of one fund share its ceiling: count each worker once per fund.
        fund = COMPONENT_FUND[c]
        capped_by_fund[fund] = max(capped_by_fund[fund], capped_counts[i])
    return ContributionSummary(
        period=plan.period,
        region=region,
        workers=len(workers),
        exempt=exempt,
        floored=floored_count,
        capped=MappingProxyType(capped_by_fund),
        components=components,
        funds=_funds_of(components),
        employer_total=sum(totals[0::2]),
        employee_total=sum(totals[1::2]),
    )
