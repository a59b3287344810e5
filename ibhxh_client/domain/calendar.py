"""Vietnam's public holidays and the days a benefit counts (forms/holidays.toml).

Pure Python, no I/O: the caller reads the file (``catalog.load_holidays``) and hands the
parsed dict to :meth:`Calendar.from_dict`.

The Labour Code names the holidays (2012 Code art. 115.1, 2019 Code art. 112.1): some on
fixed solar dates (1/1, 30/4, 1/5, 2/9), the others decided each year (the five days of
Tết, the 10th day of the 3rd lunar month, the day beside 2/9). The fixed ones come from
the ``[[law]]`` rows; each year's others are ``[[holiday]]`` rows, so a year is known only
when every one of them is there. A holiday that falls on the worker's weekly rest day
gives a compensatory day off on the next working day (2019 Code art. 111.3; 2012 Code
art. 115.3): that depends on which days the worker rests, so it is computed here, per
set of rest days, never stored.

Rest days are ISO weekday digits: "7" = Sunday, "67" = Saturday and Sunday.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise
from types import MappingProxyType
from typing import Any

from .contributions import STATUSES

__all__ = ["COUNTS", "Calendar", "CalendarError", "HolidayRow", "LawRow", "check_rest_days"]

COUNTS = ("working_days", "all_days")
NAMES = ("new_year", "tet", "hung_kings", "reunification", "labour_day", "national_day",
         "culture_day")
_ONE_DAY = timedelta(days=1)


class CalendarError(ValueError):
    """A day in a year the holiday table does not cover ("no calendar for 2029")."""

    def __init__(self, year: int) -> None:
        super().__init__(f"no calendar for {year}")
        self.year = year


def check_rest_days(rest_days: str) -> str:
    """The rest days as given when they are ISO weekday digits, each once, not all seven;
    ValueError otherwise."""
    if (not isinstance(rest_days, str) or not rest_days or len(rest_days) >= 7
            or any(c not in "1234567" for c in rest_days)
            or len(set(rest_days)) != len(rest_days)):
        raise ValueError(f"rest days must be ISO weekday digits 1-7, got {rest_days!r}")
    return rest_days


@dataclass(frozen=True)
class LawRow:
    """Which holidays the Labour Code in force gives, and which are on fixed dates."""

    valid_from: date
    days: Mapping[str, int]  # holiday name -> number of days off
    fixed: Mapping[str, tuple[int, int]]  # holiday name -> (month, day) it always includes
    compensatory: frozenset[str]  # holidays that give a day back on a weekly rest day
    source: str
    status: str
    note: str = ""

    def yearly(self) -> tuple[str, ...]:
        """The holidays whose days a ``[[holiday]]`` row must give each year."""
        return tuple(n for n in NAMES if n in self.days
                     and not (n in self.fixed and self.days[n] == 1))


@dataclass(frozen=True)
class HolidayRow:
    """One holiday in one year: its days off, and where they were read."""

    year: int
    name: str
    days: tuple[date, ...]
    source: str
    status: str
    note: str = ""
    lunar: str = ""  # the lunar date it keeps (Tết, 10/3), as read


def _date(v: object, where: str, key: str) -> date:
    if isinstance(v, datetime) or not isinstance(v, date):
        raise ValueError(f"{where}: '{key}' must be a TOML date, got {v!r}")
    return v


def _provenance(raw: Mapping[str, Any], where: str) -> tuple[str, str, str]:
    if raw.get("status") not in STATUSES:
        raise ValueError(f"{where}: 'status' must be one of {sorted(STATUSES)}")
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ValueError(f"{where}: 'source' must be a non-empty string")
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise ValueError(f"{where}: 'note' must be text")
    return source, raw["status"], note


def _keys(raw: object, where: str, required: set[str], optional: set[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected a table, got {raw!r}")
    missing, unknown = required - set(raw), set(raw) - required - optional
    if missing or unknown:
        raise ValueError(f"{where}: missing {sorted(missing)}, unknown {sorted(unknown)}")
    return raw


def _month_day(v: object, where: str) -> tuple[int, int]:
    try:
        month, day = (int(x) for x in str(v).split("-"))
        date(2000, month, day)
    except ValueError:
        raise ValueError(f"{where}: a fixed day is written \"MM-DD\", got {v!r}") from None
    return month, day


def _parse_law(i: int, raw: object) -> LawRow:
    where = f"law[{i}]"
    raw = _keys(raw, where, {"from", "days", "fixed", "compensatory", "source", "status"},
                {"note"})
    source, status, note = _provenance(raw, where)
    days, fixed = raw["days"], raw["fixed"]
    if (not isinstance(days, dict) or not set(days) <= set(NAMES)
            or not all(type(n) is int and n > 0 for n in days.values())):
        raise ValueError(f"{where}: 'days' maps holiday names {NAMES} to a number of days")
    if not isinstance(fixed, dict) or not set(fixed) <= set(days):
        raise ValueError(f"{where}: 'fixed' names holidays of 'days'")
    comp = raw["compensatory"]
    if not isinstance(comp, list) or not set(comp) <= set(days):
        raise ValueError(f"{where}: 'compensatory' lists holidays of 'days'")
    return LawRow(_date(raw["from"], where, "from"), MappingProxyType(dict(days)),
                  MappingProxyType({n: _month_day(v, where) for n, v in fixed.items()}),
                  frozenset(comp), source, status, note)


def _parse_holiday(i: int, raw: object) -> HolidayRow:
    where = f"holiday[{i}]"
    raw = _keys(raw, where, {"year", "name", "days", "source", "status"}, {"note", "lunar"})
    source, status, note = _provenance(raw, where)
    year, name, days = raw["year"], raw["name"], raw["days"]
    if type(year) is not int or name not in NAMES:
        raise ValueError(f"{where}: 'year' is a number and 'name' one of {NAMES}")
    if not isinstance(days, list) or not days:
        raise ValueError(f"{where}: 'days' must be a non-empty list of dates")
    parsed = tuple(_date(d, where, "days") for d in days)
    if any(d.year != year for d in parsed) or list(parsed) != sorted(set(parsed)):
        raise ValueError(f"{where}: the days must be in {year}, in order, each once")
    if any(b - a != _ONE_DAY for a, b in pairwise(parsed)):
        raise ValueError(f"{where}: the days of one holiday must follow each other")
    return HolidayRow(year, name, parsed, source, status, note, str(raw.get("lunar", "")))


def _check_year(year: int, law: LawRow, rows: Mapping[str, HolidayRow]) -> None:
    missing = [n for n in law.yearly() if n not in rows]
    extra = [n for n in rows if n not in law.yearly()]
    if missing or extra:
        raise ValueError(f"holidays of {year}: missing {missing}, not taken {extra} "
                         f"(law from {law.valid_from})")
    for name, row in rows.items():
        if len(row.days) != law.days[name]:
            raise ValueError(f"{name} {year}: {len(row.days)} days, the law gives "
                             f"{law.days[name]}")
        if name in law.fixed and date(year, *law.fixed[name]) not in row.days:
            raise ValueError(f"{name} {year}: must include {law.fixed[name]}")


@dataclass(frozen=True)
class Calendar:
    """The holidays of every year the table covers, and the day counts over them."""

    laws: tuple[LawRow, ...]
    rows: Mapping[int, Mapping[str, HolidayRow]]  # year -> name -> row
    # Each claim asks for the same few years and rest days: their days off, kept.
    _offs: dict[tuple[int, str], tuple[list[date], tuple[date, ...]]] = field(
        default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Calendar:
        """Check and index the parsed holidays.toml; ValueError names the bad row."""
        unknown = set(d) - {"law", "holiday"}
        if unknown:
            raise ValueError(f"unknown table(s) {', '.join(sorted(unknown))}")
        laws = tuple(sorted((_parse_law(i, r) for i, r in enumerate(d.get("law", []))),
                            key=lambda r: r.valid_from))
        if not laws:
            raise ValueError("no [[law]] row")
        by_year: dict[int, dict[str, HolidayRow]] = {}
        for i, raw in enumerate(d.get("holiday", [])):
            row = _parse_holiday(i, raw)
            if row.name in by_year.setdefault(row.year, {}):
                raise ValueError(f"holiday[{i}]: {row.name} {row.year} given twice")
            by_year[row.year][row.name] = row
        cal = cls(laws, MappingProxyType({y: MappingProxyType(r) for y, r in by_year.items()}))
        for year, rows in by_year.items():
            _check_year(year, cal.law(year), rows)
        return cal

    def law(self, year: int) -> LawRow:
        """The law row in force at the end of ``year``: the holidays its rows must give."""
        return self.law_on(date(year, 12, 31))

    def law_on(self, day: date) -> LawRow:
        """The law row in force on ``day``."""
        i = bisect.bisect_right([r.valid_from for r in self.laws], day)
        if i == 0:
            raise CalendarError(day.year)
        return self.laws[i - 1]

    @property
    def years(self) -> tuple[int, ...]:
        """The years whose holidays are known, in order."""
        return tuple(sorted(self.rows))

    def covers(self, year: int) -> bool:
        """Whether the holidays of ``year`` are known."""
        return year in self.rows

    def holidays(self, year: int) -> dict[date, str]:
        """Each holiday of ``year`` (the day -> the holiday's name); CalendarError when
        the year is not covered."""
        if year not in self.rows:
            raise CalendarError(year)
        days: dict[date, str] = {}
        for law in self.laws:  # a fixed day counts under the law in force on it
            for name, (month, day) in law.fixed.items():
                when = date(year, month, day)
                if self.law_on(when) is law:
                    days[when] = name
        for row in self.rows[year].values():
            days.update(dict.fromkeys(row.days, row.name))
        return days

    def compensatory(self, year: int, rest_days: str) -> tuple[date, ...]:
        """The days off given back for holidays that fall on a weekly rest day."""
        return self._days_off(year, check_rest_days(rest_days))[1]

    def is_day_off(self, day: date, rest_days: str) -> bool:
        """Whether ``day`` is a weekly rest day, a holiday or a compensatory day off for
        a worker resting on ``rest_days``; CalendarError when its year is not covered."""
        rest = check_rest_days(rest_days)
        if str(day.isoweekday()) in rest:
            return True
        offs = self._days_off(day.year, rest)[0]
        i = bisect.bisect_left(offs, day)
        return i < len(offs) and offs[i] == day

    def count(self, start: date, end: date, counts: str, rest_days: str) -> int:
        """Days from ``start`` to ``end`` (both included; 0 when end is before start):
        every day ("all_days"), or the days that are not off ("working_days").
        CalendarError for working days in a year not covered."""
        if counts not in COUNTS:
            raise ValueError(f"counts must be one of {COUNTS}, got {counts!r}")
        rest = check_rest_days(rest_days)
        if end < start:
            return 0
        if counts == "all_days":
            return (end - start).days + 1
        total = 0
        for year in range(start.year, end.year + 1):
            first, last = max(start, date(year, 1, 1)), min(end, date(year, 12, 31))
            offs = self._days_off(year, rest)[0]
            off = bisect.bisect_right(offs, last) - bisect.bisect_left(offs, first)
            total += _weekdays(first, last, rest) - off
        return total

    def working_days(self, start: date, end: date, rest_days: str) -> list[date]:
        """The working days from ``start`` to ``end``, in order."""
        days, day = [], start
        while day <= end:
            if not self.is_day_off(day, rest_days):
                days.append(day)
            day += _ONE_DAY
        return days

    def end_after(self, start: date, n: int, counts: str, rest_days: str) -> date:
        """The last day of ``n`` counted days from ``start`` (start itself when n is 0
        or less: nothing is counted)."""
        if counts == "all_days" or n <= 0:
            return start + timedelta(days=max(n, 1) - 1)
        day, left = start, n
        while True:
            if not self.is_day_off(day, rest_days):
                left -= 1
                if left == 0:
                    return day
            day += _ONE_DAY

    def _days_off(self, year: int, rest: str) -> tuple[list[date], tuple[date, ...]]:
        """The days off of ``year`` that are not weekly rest days (holidays and
        compensatory days, sorted), and the compensatory days alone."""
        found = self._offs.get((year, rest))
        if found is None:
            holidays = self.holidays(year)
            giving = {d for d, name in holidays.items()
                      if name in self.law_on(d).compensatory}
            comp = _compensatory(holidays, giving, rest)
            on_work_days = {d for d in holidays if str(d.isoweekday()) not in rest}
            found = self._offs[(year, rest)] = (sorted(on_work_days | set(comp)), comp)
        return found

    def sources(self, year: int) -> list[HolidayRow]:
        """The rows of ``year``, for showing where each holiday was read."""
        if year not in self.rows:
            raise CalendarError(year)
        return [self.rows[year][n] for n in NAMES if n in self.rows[year]]


def _weekdays(first: date, last: date, rest: str) -> int:
    """Days from first to last that are not weekly rest days."""
    n = (last - first).days + 1
    weeks, extra = divmod(n, 7)
    total = weeks * (7 - len(rest))
    wd = first.isoweekday()
    for k in range(extra):
        if str((wd - 1 + k) % 7 + 1) not in rest:
            total += 1
    return total


def _compensatory(holidays: Iterable[date], giving: set[date], rest: str) -> tuple[date, ...]:
    """Art. 111.3: each holiday of ``giving`` on a weekly rest day gives the next working
    day off, in the order of the holidays (a holiday, a rest day or a day already given
    back is not a working day)."""
    taken = set(holidays)
    given: list[date] = []
    for day in sorted(giving):
        if str(day.isoweekday()) not in rest:
            continue
        nxt = day + _ONE_DAY
        while nxt in taken or str(nxt.isoweekday()) in rest:
            nxt += _ONE_DAY
        given.append(nxt)
        taken.add(nxt)
    return tuple(sorted(given))
