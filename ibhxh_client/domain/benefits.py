"""Sickness, maternity and convalescence rules over the dated table ``forms/benefits.toml``.

Pure Python, no I/O: the caller reads the file (``catalog.load_benefits``) and hands the
parsed dict to :meth:`BenefitRules.from_dict`. Amounts that depend on the base salary or
the reference level take the :class:`RateTable` of ``rates.toml``, so those levels are
kept in one place.

Money: whole đồng, each result rounded half-up once, from the exact fraction (a total
for several days is not a rounded daily amount times the days).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from .contributions import STATUSES, RateTable

__all__ = [
    "BENEFITS",
    "BenefitRules",
    "Rule",
    "birth_allowance",
    "child_sickness_days",
    "convalescence_daily_amount",
    "convalescence_days",
    "counts_rest_days",
    "father_birth_days",
    "long_term_sickness_amount",
    "maternity_amount",
    "maternity_monthly_amount",
    "miscarriage_days",
    "mother_birth_months",
    "sickness_amount",
    "sickness_daily_amount",
    "sickness_days_per_year",
]

COUNTS = ("working_days", "all_days")
_LEVELS = ("base_salary", "reference_level")
# What an [[eligibility]] row is for: "participating" (the worker is insured when the
# event happens: every kind but a birth and an adoption), a birth by the mother (and its
# two exceptions: a doctor-ordered rest during the pregnancy, infertility treatment),
# an adoption.
BENEFITS = ("participating", "birth", "birth_prenatal_rest", "birth_infertility", "adoption")


def _int(v: object) -> bool:
    return type(v) is int and v >= 0


def _rate(v: object) -> bool:
    try:
        return isinstance(v, str) and 0 <= Fraction(v) <= 100
    except ValueError:
        return False


def _ints(v: object) -> bool:
    return isinstance(v, list) and bool(v) and all(_int(x) for x in v)


def _rates(v: object) -> bool:
    return isinstance(v, list) and bool(v) and all(_rate(x) for x in v)


def _choice(*allowed: str) -> Callable[[object], bool]:
    return lambda v: v in allowed


def _table_of_ints(*keys: str) -> Callable[[object], bool]:
    return lambda v: isinstance(v, dict) and set(v) == set(keys) and all(map(_int, v.values()))


_COUNTS_KEY = {"counts": _choice(*COUNTS)}
# Each kind: its keys and how each is checked; "key" names the column that splits a kind
# into several timelines (work = normal | heavy).
_KINDS: dict[str, dict[str, Callable[[object], bool]]] = {
    "sickness_days": {"work": _choice("normal", "heavy"), "years": _ints, "days": _ints,
                      **_COUNTS_KEY},
    "long_term_sickness": {"first_days": _int, "first_counts": _choice(*COUNTS),
                           "years": _ints, "rates": _rates,
                           "low_max": _choice("contribution_time", "none"), **_COUNTS_KEY},
    "child_sickness_days": {"ages": _ints, "days": _ints, "under_age": _int, **_COUNTS_KEY},
    "sickness_rate": {"rate": _rate, "day_divisor": _int,
                      "half_days": lambda v: isinstance(v, bool)},
    "convalescence": {"after": _choice("sickness", "maternity"), "days": lambda v: (
        _table_of_ints("long_term", "surgery", "other")(v)
        or _table_of_ints("multiple", "surgery", "other")(v)),
        "rate": _rate, "of": _choice(*_LEVELS), "min_sick_days": _int, "year_max": _int,
        "within_days": _int, **_COUNTS_KEY},
    "prenatal_visits": {"visits": _int, "days_per_visit": _int, "days_per_visit_far": _int,
                        **_COUNTS_KEY},
    "miscarriage_days": {"weeks": _ints, "days": _ints, **_COUNTS_KEY},
    "birth_mother": {"months": _int, "extra_child_months": _int, "before_birth_months": _int,
                     "second_child_months": _int, **_COUNTS_KEY},
    "birth_father": {"plain": _int, "surgery": _int, "twins": _int, "twins_surgery": _int,
                     "extra_from_third": _int, "extra_with_surgery": lambda v: isinstance(v, bool),
                     "second_child": _int, "within_days": _int, **_COUNTS_KEY},
    "adoption": {"under_months": _int, **_COUNTS_KEY},
    "contraception": {"iud": _int, "sterilisation": _int, **_COUNTS_KEY},
    "maternity_rate": {"rate": _rate, "average_months": _int, "day_divisor": _int,
                       "odd_day_divisor": _int},
    "birth_allowance": {"multiplier": _int, "of": _choice(*_LEVELS)},
    "eligibility": {"benefit": _choice(*BENEFITS), "months": _int, "window": _int,
                    "total_months": _int, "event_month": lambda v: isinstance(v, bool)},
}
_SPLIT = {"sickness_days": "work", "convalescence": "after", "eligibility": "benefit"}
_BANDS = {"sickness_days": ("years", "days"), "long_term_sickness": ("years", "rates"),
          "child_sickness_days": ("ages", "days"), "miscarriage_days": ("weeks", "days")}
_COMMON = {"from", "source", "status", "note"}


@dataclass(frozen=True)
class Rule:
    """One row of benefits.toml: its values by key, and where it comes from."""

    kind: str
    valid_from: date
    values: Mapping[str, Any]
    source: str
    status: str
    note: str = ""

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


def _parse_row(kind: str, i: int, raw: object) -> Rule:
    where = f"{kind}[{i}]"
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected a table, got {raw!r}")
    schema = _KINDS[kind]
    missing = (set(schema) | {"from", "source", "status"}) - set(raw)
    unknown = set(raw) - set(schema) - _COMMON
    if missing or unknown:
        raise ValueError(f"{where}: missing {sorted(missing)}, unknown {sorted(unknown)}")
    valid_from = raw["from"]
    if isinstance(valid_from, datetime) or not isinstance(valid_from, date):
        raise ValueError(f"{where}: 'from' must be a TOML date, got {valid_from!r}")
    if raw["status"] not in STATUSES:
        raise ValueError(f"{where}: 'status' must be one of {sorted(STATUSES)}")
    if not isinstance(raw["source"], str) or not raw["source"].strip():
        raise ValueError(f"{where}: 'source' must be a non-empty string")
    for key, check in schema.items():
        if not check(raw[key]):
            raise ValueError(f"{where}: '{key}' has a wrong value {raw[key]!r}")
    if kind in _BANDS:
        lows, values = (raw[k] for k in _BANDS[kind])
        if len(lows) != len(values) or lows[0] != 0 or lows != sorted(set(lows)):
            raise ValueError(f"{where}: bands must start at 0, rise, and match the values")
    values = {k: raw[k] for k in schema}
    return Rule(kind, valid_from, MappingProxyType(values), raw["source"], raw["status"],
                raw.get("note", ""))


class _Timeline:
    def __init__(self, name: str, rows: Sequence[Rule]) -> None:
        self.name = name
        self.rows = tuple(sorted(rows, key=lambda r: r.valid_from))
        self.dates = [r.valid_from for r in self.rows]
        if len(set(self.dates)) != len(self.dates):
            raise ValueError(f"{name}: two rows from the same date")

    def at(self, day: date) -> Rule:
        i = bisect.bisect_right(self.dates, day)
        if i == 0:
            raise ValueError(f"no {self.name} rule in force on {day.isoformat()}")
        return self.rows[i - 1]


@dataclass(frozen=True)
class BenefitRules:
    """Every timeline of benefits.toml, by kind (and split value: work, after)."""

    timelines: Mapping[str, _Timeline]

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> BenefitRules:
        """Check and index the parsed benefits.toml; ValueError names the bad row."""
        unknown = set(d) - set(_KINDS)
        if unknown:
            raise ValueError(f"unknown table(s) {', '.join(sorted(unknown))}")
        groups: dict[str, list[Rule]] = {}
        for kind in _KINDS:
            rows = d.get(kind, [])
            if not isinstance(rows, list):
                raise ValueError(f"[[{kind}]] must be an array of tables")
            for i, raw in enumerate(rows):
                rule = _parse_row(kind, i, raw)
                name = f"{kind}.{rule[_SPLIT[kind]]}" if kind in _SPLIT else kind
                groups.setdefault(name, []).append(rule)
        return cls(MappingProxyType({n: _Timeline(n, r) for n, r in groups.items()}))

    def rule(self, kind: str, day: date, split: str = "") -> Rule:
        """The row of ``kind`` (``kind.split`` for sickness_days and convalescence) in
        force on ``day``."""
        name = f"{kind}.{split}" if split else kind
        if name not in self.timelines:
            raise ValueError(f"no {name} rules in the benefits table")
        return self.timelines[name].at(day)


def _band(lows: Sequence[int], values: Sequence[Any], x: int) -> Any:
    return values[bisect.bisect_right(list(lows), x) - 1]


def _whole(value: object, what: str) -> int:
    if type(value) is not int or value < 0:
        raise ValueError(f"{what} must be a non-negative whole number, got {value!r}")
    return value


def _round(x: Fraction) -> int:
    """Half-up to the đồng (amounts are never negative here)."""
    return int(x + Fraction(1, 2))


# -------------------------------------------------------------------------------------
# Sickness
# -------------------------------------------------------------------------------------


def sickness_days_per_year(rules: BenefitRules, years: int, heavy: bool, day: date) -> int:
    """Most working days of own sickness benefit in a year, for ``years`` whole years of
    contribution, heavy/hazardous work or not, on ``day``."""
    rule = rules.rule("sickness_days", day, "heavy" if heavy else "normal")
    return _band(rule["years"], rule["days"], _whole(years, "years"))


def child_sickness_days(rules: BenefitRules, child_age: int, day: date) -> int:
    """Most working days a year to care for one sick child aged ``child_age`` whole years;
    0 from the age limit (7) on."""
    rule = rules.rule("child_sickness_days", day)
    if _whole(child_age, "child_age") >= rule["under_age"]:
        return 0
    return _band(rule["ages"], rule["days"], child_age)


def _sickness_fraction(rules: BenefitRules, monthly: int, day: date) -> Fraction:
    rule = rules.rule("sickness_rate", day)
    return Fraction(_whole(monthly, "monthly salary")) * Fraction(rule["rate"]) / 100 \
        / rule["day_divisor"]


def sickness_daily_amount(rules: BenefitRules, monthly_salary: int, day: date) -> int:
    """One day of sickness benefit: rate × the monthly contribution salary / 24."""
    return _round(_sickness_fraction(rules, monthly_salary, day))


def sickness_amount(rules: BenefitRules, monthly_salary: int, days: int, day: date,
                    half_days: int = 0) -> int:
    """Sickness benefit for ``days`` whole days and ``half_days`` half days (half days only
    where the rule in force has them), rounded once."""
    rule = rules.rule("sickness_rate", day)
    if half_days and not rule["half_days"]:
        raise ValueError(f"no half days of sickness benefit on {day.isoformat()}")
    count = _whole(days, "days") + Fraction(_whole(half_days, "half_days"), 2)
    return _round(_sickness_fraction(rules, monthly_salary, day) * count)


def long_term_sickness_amount(rules: BenefitRules, monthly_salary: int, years: int,
                              day: date, *, full: tuple[int, int] = (0, 0),
                              low: tuple[int, int] = (0, 0)) -> int:
    """A long-term illness's benefit, rounded once: ``full`` (months, days) at the
    sickness rate and ``low`` (months, days) at the lower rate for ``years`` whole years
    of contribution (long_term_sickness ``rates``). A month is the monthly rate × salary,
    a day the month / ``day_divisor`` (Circular 59/2015 art. 6 for Law 58; under Law 41
    the days are working days and come as days)."""
    rate = rules.rule("sickness_rate", day)
    long_term = rules.rule("long_term_sickness", day)
    low_rate = _band(long_term["years"], long_term["rates"], _whole(years, "years"))
    salary = Fraction(_whole(monthly_salary, "monthly salary"))
    total = Fraction(0)
    for (months, days), pct in ((full, rate["rate"]), (low, low_rate)):
        span = _whole(months, "months") + Fraction(_whole(days, "days"), rate["day_divisor"])
        total += salary * Fraction(pct) / 100 * span
    return _round(total)


# -------------------------------------------------------------------------------------
# Maternity
# -------------------------------------------------------------------------------------


def _children(n: object) -> int:
    if type(n) is not int or n < 1:
        raise ValueError(f"children must be a whole number of at least 1, got {n!r}")
    return n


def mother_birth_months(rules: BenefitRules, children: int, day: date,
                        second_child: bool = False) -> int:
    """Months of birth leave of the mother for ``children`` born at once on ``day``;
    ``second_child`` where a rule gives more for a second child."""
    rule = rules.rule("birth_mother", day)
    months = rule["months"] + rule["extra_child_months"] * (_children(children) - 1)
    if second_child and rule["second_child_months"]:
        months = max(months, rule["second_child_months"])
    return months


def father_birth_days(rules: BenefitRules, children: int, day: date, *, surgery: bool = False,
                      second_child: bool = False) -> int:
    """Working days of leave of the father when his wife gives birth on ``day``.
    ``surgery``: caesarean, or (for one child) a birth under 32 weeks."""
    rule = rules.rule("birth_father", day)
    n = _children(children)
    if n == 1:
        days = rule["surgery"] if surgery else rule["plain"]
        if second_child and rule["second_child"]:
            days = max(days, rule["second_child"])
        return days
    days = rule["twins_surgery"] if surgery else rule["twins"]
    if not surgery or rule["extra_with_surgery"]:
        days += rule["extra_from_third"] * (n - 2)
    return days


def miscarriage_days(rules: BenefitRules, weeks: int, day: date) -> int:
    """Most days (rest days included) of leave after losing a pregnancy of ``weeks``."""
    rule = rules.rule("miscarriage_days", day)
    return _band(rule["weeks"], rule["days"], _whole(weeks, "weeks"))


def maternity_monthly_amount(rules: BenefitRules, salaries: Sequence[int], day: date) -> int:
    """A month of maternity benefit: rate × the average of the last months' contribution
    salaries (``salaries`` oldest first; only the last 6 count, fewer when fewer paid)."""
    rule = rules.rule("maternity_rate", day)
    last = [_whole(s, "salary") for s in salaries][-rule["average_months"]:]
    if not last:
        raise ValueError("no contribution salary to average")
    return _round(Fraction(sum(last), len(last)) * Fraction(rule["rate"]) / 100)


def maternity_amount(rules: BenefitRules, salaries: Sequence[int], day: date, *,
                     months: int = 0, days: int = 0, per_day: str = "odd") -> int:
    """Maternity benefit for ``months`` whole months and ``days`` days, from the average
    of ``salaries`` (as :func:`maternity_monthly_amount`), rounded once. A day is the
    month / ``day_divisor`` (24: prenatal visits, the father's leave) when ``per_day`` is
    "day", / ``odd_day_divisor`` (30: odd days of a birth leave, pregnancy loss,
    contraception) when it is "odd"."""
    rule = rules.rule("maternity_rate", day)
    last = [_whole(s, "salary") for s in salaries][-rule["average_months"]:]
    if not last:
        raise ValueError("no contribution salary to average")
    if per_day not in ("day", "odd"):
        raise ValueError(f"per_day must be 'day' or 'odd', got {per_day!r}")
    divisor = rule["day_divisor"] if per_day == "day" else rule["odd_day_divisor"]
    monthly = Fraction(sum(last), len(last)) * Fraction(rule["rate"]) / 100
    span = _whole(months, "months") + Fraction(_whole(days, "days"), divisor)
    return _round(monthly * span)


def _level(rates: RateTable, of: str, day: date) -> int:
    month = day.replace(day=1)
    return rates.base_salary_at(month) if of == "base_salary" else rates.reference_level_at(month)


def birth_allowance(rules: BenefitRules, rates: RateTable, children: int, day: date) -> int:
    """The one-off allowance for ``children`` born (or adopted) in the month of ``day``."""
    rule = rules.rule("birth_allowance", day)
    return rule["multiplier"] * _level(rates, rule["of"], day) * _children(children)


# -------------------------------------------------------------------------------------
# Convalescence and day counting
# -------------------------------------------------------------------------------------


def convalescence_days(rules: BenefitRules, after: str, case: str, day: date) -> int:
    """Most days of convalescence ``after`` "sickness" or "maternity" for a ``case``
    (sickness: long_term, surgery, other; maternity: multiple, surgery, other)."""
    rule = rules.rule("convalescence", day, after)
    if case not in rule["days"]:
        raise ValueError(f"no convalescence case {case!r} after {after}")
    return rule["days"][case]


def convalescence_daily_amount(rules: BenefitRules, rates: RateTable, after: str,
                               day: date) -> int:
    """One day of convalescence: rate × the base salary / reference level of its month."""
    rule = rules.rule("convalescence", day, after)
    return _round(Fraction(_level(rates, rule["of"], day)) * Fraction(rule["rate"]) / 100)


def counts_rest_days(rules: BenefitRules, kind: str, day: date, split: str = "") -> bool:
    """Whether the days of ``kind`` count weekly rest days and public holidays."""
    return rules.rule(kind, day, split)["counts"] == "all_days"
