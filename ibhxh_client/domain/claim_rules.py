"""Checks a claim list and computes what each claim should be paid (issue 15).

Pure Python, no I/O. :func:`assess_claims` takes the claims of one list (in their order:
row 1, 2, …), each worker's :class:`~.history.History` of paid months, the rules
(``forms/benefits.toml``), the rate table and the holiday calendar, and the workers'
other stored claims (``earlier``). For each claim it gives the days, the amount to the
đồng, the salary base and the rule that produced them, and the problems, each naming the
row and the field (form "M01B-HSB").

What it checks: the dates, the days (counted from the dates by the rule's counts and
the calendar, capped by the rule: the yearly limit less the days already taken that year,
per child for a sick child, the weeks of a lost pregnancy, the case of a convalescence),
the months of contribution the rule needs, leaves of one worker that overlap, the child's
details, the age of a sick child, the start of the father's leave, the kind.

The days already taken come from the stored claims first (each assessed the same way,
with the days Social Security approved, else the days expected when it was declared),
then from the rows above in the list.
"""

from __future__ import annotations

import calendar as _gregorian
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from functools import lru_cache

from . import benefits as B
from .benefits import BenefitRules, Rule
from .calendar import Calendar, CalendarError, check_rest_days
from .claims import (
    ADOPTION,
    BIRTH_FATHER,
    BIRTH_MOTHER,
    CHILD_SICKNESS,
    CONTRACEPTION,
    CONVALESCENCE_MATERNITY,
    CONVALESCENCE_SICKNESS,
    KINDS,
    LONG_TERM_SICKNESS,
    OWN_SICKNESS,
    PREGNANCY_LOSS,
    PRENATAL_VISIT,
    Claim,
)
from .contributions import RateTable
from .history import History
from .model import Period
from .text import vnd
from .validation import Problem

__all__ = ["FORM", "Assessment", "ClaimContext", "assess_claims"]

FORM = "M01B-HSB"
_ONE_DAY = timedelta(days=1)
_EMPTY = History.of(())
# Own sickness: the kinds whose days count towards the yearly limit and the 30 days a
# convalescence needs.
_OWN_SICK = (OWN_SICKNESS, LONG_TERM_SICKNESS)
# The leaves a convalescence follows (L41 art. 46.1 and 60.1).
_BEFORE_CONVALESCENCE = {CONVALESCENCE_SICKNESS: _OWN_SICK,
                         CONVALESCENCE_MATERNITY: (PREGNANCY_LOSS, BIRTH_MOTHER)}


@dataclass(frozen=True)
class ClaimContext:
    """What a claim is assessed against: the rules, the rate table (base salary and
    reference level), the holidays, and the unit's weekly rest days."""

    rules: BenefitRules
    rates: RateTable
    calendar: Calendar
    rest_days: str = "7"


@dataclass
class Assessment:
    """One claim's expected days and amount (whole đồng), the salary base they were
    computed on, the months of contribution used, the rule and figures (vi, en), and
    what is wrong with the claim."""

    days: int
    amount: int
    salary_base: int
    months: int
    rule: dict[str, str]
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No error (warnings allowed)."""
        return not any(p.severity == "error" for p in self.problems)


# -------------------------------------------------------------------------------------
# Dates
# -------------------------------------------------------------------------------------


def _add_months(day: date, months: int) -> tuple[date, bool]:
    """The same day ``months`` later, and whether it had to be moved to the month's end."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    last = _gregorian.monthrange(year, month)[1]
    return date(year, month, min(day.day, last)), day.day > last


def _month_end(start: date, months: int) -> date:
    """The last day of ``months`` whole months from ``start``: the day before the same
    day ``months`` later (a month "from the day of the month to the day before it in the
    next month", GUIDE20 III.2), the month's last day when that day does not exist."""
    later, moved = _add_months(start, months)
    return later if moved else later - _ONE_DAY


def _months_and_days(start: date, end: date) -> tuple[int, int]:
    """Whole months from ``start`` to ``end`` (both included) and the odd days after."""
    if end < start:
        return 0, 0
    months = 0
    while _month_end(start, months + 1) <= end:
        months += 1
    first_odd = _month_end(start, months) + _ONE_DAY if months else start
    return months, (end - first_odd).days + 1


def _age_years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _year_parts(start: date, end: date) -> list[tuple[int, date, date]]:
    return [(y, max(start, date(y, 1, 1)), min(end, date(y, 12, 31)))
            for y in range(start.year, end.year + 1)]


# -------------------------------------------------------------------------------------
# The rule's words
# -------------------------------------------------------------------------------------

_VI_WORDS = (("Law on Population", "Luật Dân số"), ("Labour Code", "Bộ luật Lao động"),
             ("Circular", "Thông tư"), ("Decree", "Nghị định"), ("Resolution", "Nghị quyết"),
             ("Law", "Luật"), ("art.", "điều"), (" and ", " và "), ("ND-CP", "NĐ-CP"),
             ("TT-BLDTBXH", "TT-BLĐTBXH"))


def _cite(rule: Rule, lang: str) -> str:
    """The rule's source, short, in ``lang``: the first text it names, without the
    marks of where it was read."""
    return _cite_source(rule.source, lang)


@lru_cache(maxsize=256)
def _cite_source(source: str, lang: str) -> str:
    text = source.split(";")[0].split(", by ")[0]
    text = re.sub(r"\s*\((?![a-zđ0-9]\))[^)]*\)", "", text).strip()
    if lang == "vi":
        for en, vi in _VI_WORDS:
            text = text.replace(en, vi)
    return text


@lru_cache(maxsize=64)
def _pct(rate: str, lang: str) -> str:
    text = str(Fraction(rate)) if Fraction(rate).denominator == 1 else str(float(rate))
    return (text.replace(".", ",") if lang == "vi" else text) + " %"


_UNITS = {"day": ("ngày", "day", "days"), "month": ("tháng", "month", "months")}


def _children(count: int, lang: str) -> str:
    if lang == "vi":
        return f"{count} con"
    return f"{count} child" if count == 1 else f"{count} children"


def _n(count: int, unit: str, lang: str) -> str:
    vi, one, many = _UNITS[unit]
    return f"{count} {vi}" if lang == "vi" else f"{count} {one if count == 1 else many}"


def _span(months: int, days: int, lang: str) -> str:
    parts = ([_n(months, "month", lang)] if months else []) + (
        [_n(days, "day", lang)] if days or not months else [])
    return (" và " if lang == "vi" else " and ").join(parts)


# -------------------------------------------------------------------------------------
# The worker's ledger: leaves seen so far and days taken
# -------------------------------------------------------------------------------------


@dataclass
class _Leave:
    start: date
    end: date
    kind: str
    child: str
    row: int | None  # the row in this list; None for a stored claim
    days: int
    working: frozenset[date] = frozenset()  # a sick child's days, counted once (GUIDE20 VD 6)


@dataclass
class _Ledger:
    taken: dict[tuple, int] = field(default_factory=dict)
    leaves: list[_Leave] = field(default_factory=list)

    def used(self, *key: object) -> int:
        return self.taken.get(key, 0)

    def use(self, days: int, *key: object) -> None:
        if days:
            self.taken[key] = self.taken.get(key, 0) + days


def _child_key(claim: Claim) -> str:
    if claim.child_id:
        return claim.child_id
    return claim.child_birth_date.isoformat() if claim.child_birth_date else ""


# -------------------------------------------------------------------------------------
# One claim
# -------------------------------------------------------------------------------------


class _Job:
    """Assesses one claim; collects the problems, the days taken and the rule's words."""

    def __init__(self, row: int, claim: Claim, history: History, ctx: ClaimContext,
                 ledger: _Ledger, stored: bool) -> None:
        self.row, self.claim, self.history, self.ctx = row, claim, history, ctx
        # A stored claim (``earlier``) is assessed only for the days it took: those Social
        # Security approved, else those expected when it was declared, else its own.
        self.ledger, self.stored = ledger, stored
        self.problems: list[Problem] = []
        self.uses: list[tuple[int, tuple]] = []  # (days, ledger key), recorded after
        self.working: frozenset[date] = frozenset()
        self.days = self.amount = self.salary_base = self.months = 0
        self.rule = {"vi": "", "en": ""}
        self.rest = ""

    # -- problems ----------------------------------------------------------------------

    def problem(self, field_: str, code: str, severity: str = "error", **params: object
                ) -> None:
        self.problems.append(Problem(FORM, self.row, field_, code, params, None, severity))

    def say_rule(self, vi: str, en: str) -> None:
        self.rule = {"vi": vi, "en": en}

    # -- common steps ------------------------------------------------------------------

    def count(self, start: date, end: date, counts: str) -> int:
        return self.ctx.calendar.count(start, end, counts, self.rest)

    def calendar_problem(self, exc: CalendarError) -> None:
        c = self.claim
        field_ = "to_date" if exc.year == c.to_date.year and exc.year != c.from_date.year \
            else "from_date"
        self.problem(field_, "claim_no_calendar", year=exc.year)

    def limit_days(self, counted: int, allowed: int, limit: int, taken: int) -> int:
        """The days to pay: the claim's own ``days`` (a problem when more than allowed),
        else the days counted, at most ``allowed`` (a warning when the dates run past)."""
        allowed = max(allowed, 0)
        if self.stored:
            taken_then = _stored_days(self.claim)
            return taken_then if taken_then is not None else min(counted, allowed)
        given = self.claim.days
        if given is not None:
            if given > allowed:
                self.problem("days", "claim_too_many_days", days=given, allowed=allowed,
                             limit=limit, taken=taken)
            return min(given, allowed)
        if counted > allowed:
            self.problem("to_date", "claim_too_many_days", "warning", days=counted,
                         allowed=allowed, limit=limit, taken=taken)
        return min(counted, allowed)

    def eligible(self, benefit: str, event: date, field_: str, *, show: bool = True) -> bool:
        """At least the rule's months paid before the event (a problem when not)."""
        rule = self.ctx.rules.rule("eligibility", event, benefit)
        month = Period.of(event)
        after = Period(month.year, month.month)
        if rule["event_month"]:
            after = _next_month(month)
        paid = self.history.months_paid(after, rule["window"] + (1 if rule["event_month"]
                                                                  else 0))
        total = self.history.total_months(after)
        ok = paid >= rule["months"] and total >= rule["total_months"]
        if not ok and show and benefit == "participating":
            self.problem(field_, "claim_not_insured", month=str(month))
        elif not ok and show:
            self.problem(field_, "claim_no_contribution", need=rule["months"],
                         window=rule["window"], paid=paid, event=_show_date(event))
        if benefit != "participating":
            # A rule that needs months in all as well (a prenatal rest: 12) is met by the
            # list's months read as a run before the leave only when they say that total
            self.months = max(paid, total) if rule["total_months"] else paid
        return ok

    def sickness_salary(self, start: date) -> int | None:
        """Art. 45.1: the salary of the last paid month before the month of leave; that
        of the month itself when it is the first month paid (or paid again)."""
        month = Period.of(start)
        before = self.history.salary_before(month)
        previous = _previous_month(month)
        if not self.history.paid(previous) and self.history.paid(month):
            return self.history.salary_in(month)
        return before

    def maternity_salaries(self, start: date) -> list[int]:
        rule = self.ctx.rules.rule("maternity_rate", start)
        return self.history.average_before(Period.of(start), rule["average_months"])

    def overlaps(self) -> None:
        c = self.claim
        for other in self.ledger.leaves:
            if other.end < c.from_date or other.start > c.to_date:
                continue
            if c.kind == CHILD_SICKNESS and other.kind == CHILD_SICKNESS \
                    and other.child != _child_key(c):
                continue  # two sick children at once: the days count once (GUIDE20 VD 6)
            if other.row is not None:
                self.problem("from_date", "claim_overlap_row", other=other.row)
            else:
                self.problem("from_date", "claim_overlap_stored", start=_show_date(other.start),
                             end=_show_date(other.end))
            return


def _next_month(p: Period) -> Period:
    return Period(p.year + p.month // 12, p.month % 12 + 1)


def _previous_month(p: Period) -> Period:
    return Period(p.year - (p.month == 1), (p.month - 2) % 12 + 1)


def _show_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# -------------------------------------------------------------------------------------
# Sickness
# -------------------------------------------------------------------------------------


def _own_sickness(job: _Job) -> None:
    c, rules = job.claim, job.ctx.rules
    salary = _sickness_base(job)
    years = job.history.total_months(Period.of(c.from_date)) // 12
    job.months = job.history.total_months(Period.of(c.from_date))
    work = "heavy" if c.heavy_work else "normal"
    rule = rules.rule("sickness_days", c.from_date, work)

    def year_days(year: int, a: date, b: date) -> tuple[int, int, int]:
        return (job.count(a, b, rule["counts"]),
                B.sickness_days_per_year(rules, years, c.heavy_work, a),
                job.ledger.used("sick", year))

    _, limit = _days_by_year(job, year_days, ("sick",), ("sickdays",))
    if salary is not None:
        _sickness_pay(job, salary, lambda rate, lang: (
            f" ({_cite(rate, lang)}; tối đa {limit} ngày một năm, {_cite(rule, lang)})"
            if lang == "vi" else
            f" ({_cite(rate, lang)}; at most {limit} days a year, {_cite(rule, lang)})"))


def _days_by_year(job: _Job, year_days: Callable[[int, date, date], tuple[int, int, int]],
                  *keys: tuple) -> tuple[int, int]:
    """The days of a leave capped year by year (each calendar year has its own limit):
    ``year_days(year, first, last)`` gives that year's days counted, its limit and the
    days taken already. Sets and returns the days to pay, recorded year by year against
    ``keys``, with the largest limit (what a problem names)."""
    c = job.claim
    parts: list[tuple[int, int, int]] = []
    counted = allowed = limit = taken = 0
    for year, a, b in _year_parts(c.from_date, c.to_date):
        n, cap, used = year_days(year, a, b)
        room = max(cap - used, 0)
        parts.append((year, n, room))
        counted, allowed = counted + n, allowed + min(n, room)
        limit, taken = max(limit, cap), taken + used
    job.days = job.limit_days(counted, allowed, limit, taken)
    _record_by_year(job, parts, job.days, *keys)
    return job.days, limit


def _sickness_pay(job: _Job, salary: int, tail: Callable[[Rule, str], str]) -> None:
    """A sickness amount (art. 45: the rate × the salary ÷ the divisor × the days) and
    its rule; ``tail(rate rule, lang)`` ends the rule's words (the limit, the sources)."""
    c, rules = job.claim, job.ctx.rules
    job.amount = B.sickness_amount(rules, salary, job.days, c.from_date)
    rate = rules.rule("sickness_rate", c.from_date)
    job.say_rule(*(f"{_pct(rate['rate'], lang)} × {vnd(salary)} ÷ {rate['day_divisor']} × "
                   f"{_n(job.days, 'day', lang)}{tail(rate, lang)}" for lang in ("vi", "en")))


def _record_by_year(job: _Job, parts: list[tuple[int, int, int]], days: int,
                    *keys: tuple) -> None:
    """Spread ``days`` over the years of the leave, each at most its own days."""
    left = days
    for i, (year, n, room) in enumerate(parts):
        share = left if i == len(parts) - 1 else min(left, n, room)
        left -= share
        for key in keys:
            job.uses.append((share, (*key, year)))


def _sickness_base(job: _Job) -> int | None:
    """The salary base of a sickness leave; a problem when there is none."""
    c = job.claim
    if not job.eligible("participating", c.from_date, "from_date"):
        return None
    salary = job.sickness_salary(c.from_date)
    if salary is None:
        job.problem("from_date", "claim_no_salary", month=str(Period.of(c.from_date)))
        return None
    job.salary_base = salary
    return salary


def _long_term(job: _Job) -> None:
    """A listed long-term illness: the sickness rate while the year's first days last
    (Law 58: 180 days counting every day; Law 41: what is left of the yearly limit of
    own sickness), then the lower rate by years of contribution (Law 58: for at most as
    long as the worker has contributed). Each calendar year has its own first days."""
    c, rules = job.claim, job.ctx.rules
    if not c.long_term_code:
        job.problem("long_term_code", "claim_long_term_code")
    salary = _sickness_base(job)
    total_months = job.history.total_months(Period.of(c.from_date))
    job.months, years = total_months, total_months // 12
    lt = rules.rule("long_term_sickness", c.from_date)
    end = c.to_date
    if lt["low_max"] == "contribution_time":
        end = _low_limit(job, lt, total_months)
    full = [0, 0]  # months, days at the sickness rate
    low = [0, 0]
    counted = first_limit = taken = 0
    for year, a, b in _year_parts(c.from_date, end):
        if lt["first_days"]:
            first_limit, key = lt["first_days"], "long"
        else:
            first_limit = B.sickness_days_per_year(rules, years, c.heavy_work, a)
            key = "sick"
        taken = job.ledger.used(key, year)
        room = max(first_limit - taken, 0)
        in_year = job.count(a, b, lt["first_counts"])
        full_end = b if in_year <= room else (
            job.ctx.calendar.end_after(a, room, lt["first_counts"], job.rest) if room
            else a - _ONE_DAY)
        f = _measure(job, a, full_end, lt["first_counts"])
        lo = _measure(job, full_end + _ONE_DAY, b, lt["counts"])
        full, low = [full[0] + f[0], full[1] + f[1]], [low[0] + lo[0], low[1] + lo[1]]
        f_days = job.count(a, full_end, lt["first_counts"]) if full_end >= a else 0
        l_days = job.count(full_end + _ONE_DAY, b, lt["counts"]) if full_end < b else 0
        counted += f_days + l_days
        job.uses += [(f_days, ("long", year)), (f_days + l_days, ("sickdays", year))]
        if key == "sick":
            job.uses.append((f_days, ("sick", year)))
    job.days = counted
    if job.stored and _stored_days(c) is not None:
        job.days = _stored_days(c) or 0
    elif c.days is not None and c.days > counted:
        job.problem("days", "claim_too_many_days", days=c.days, allowed=counted,
                    limit=first_limit, taken=taken)
    if salary is None:
        return
    job.amount = B.long_term_sickness_amount(rules, salary, years, c.from_date,
                                             full=(full[0], full[1]), low=(low[0], low[1]))
    rate = rules.rule("sickness_rate", c.from_date)
    low_rate = lt["rates"][sum(1 for y in lt["years"] if y <= years) - 1]
    job.say_rule(
        f"{vnd(salary)} × ({_pct(rate['rate'], 'vi')} × {_span(*full, 'vi')} + "
        f"{_pct(low_rate, 'vi')} × {_span(*low, 'vi')}), một ngày = 1/{rate['day_divisor']} "
        f"tháng ({_cite(lt, 'vi')})",
        f"{vnd(salary)} × ({_pct(rate['rate'], 'en')} × {_span(*full, 'en')} + "
        f"{_pct(low_rate, 'en')} × {_span(*low, 'en')}), a day = 1/{rate['day_divisor']} "
        f"month ({_cite(lt, 'en')})")


def _measure(job: _Job, start: date, end: date, counts: str) -> tuple[int, int]:
    """A stretch of leave as (months, days): whole months and odd days when every day
    counts, working days otherwise."""
    if end < start:
        return 0, 0
    if counts == "all_days":
        return _months_and_days(start, end)
    return 0, job.count(start, end, counts)


def _low_limit(job: _Job, lt: Rule, total_months: int) -> date:
    """Law 58 art. 26.2(b): after the first 180 days, at most as long as the worker has
    contributed. The claim's last payable day (a warning when its dates run past it)."""
    c = job.claim
    room = max(lt["first_days"] - job.ledger.used("long", c.from_date.year), 0)
    first_end = c.from_date + timedelta(days=room - 1)
    last = _month_end(first_end + _ONE_DAY, total_months) if total_months else first_end
    if last < c.to_date and not job.stored:
        counted = job.count(c.from_date, c.to_date, lt["counts"])
        job.problem("to_date", "claim_too_many_days", "warning", days=counted,
                    allowed=job.count(c.from_date, last, lt["counts"]),
                    limit=lt["first_days"], taken=lt["first_days"] - room)
    return min(last, c.to_date)


def _child_sickness(job: _Job) -> None:
    c, rules = job.claim, job.ctx.rules
    if c.child_birth_date is None:
        job.problem("child_birth_date", "claim_child_missing")
        return
    salary = _sickness_base(job)
    age = _age_years(c.child_birth_date, c.from_date)
    rule = rules.rule("child_sickness_days", c.from_date)
    if age >= rule["under_age"] or c.child_birth_date > c.from_date:
        job.problem("child_birth_date", "claim_child_too_old", age=max(age, 0),
                    limit=rule["under_age"])
        return
    key = _child_key(c)
    others = frozenset().union(*(leave.working for leave in job.ledger.leaves
                                 if leave.kind == CHILD_SICKNESS and leave.child != key))
    own: set[date] = set()

    def year_days(year: int, a: date, b: date) -> tuple[int, int, int]:
        days = [d for d in job.ctx.calendar.working_days(a, b, job.rest) if d not in others]
        own.update(days)
        return len(days), B.child_sickness_days(rules, age, a), job.ledger.used("child", key,
                                                                                year)

    days, limit = _days_by_year(job, year_days, ("child", key))
    job.working = frozenset(sorted(own)[:days])
    job.months = job.history.total_months(Period.of(c.from_date))
    if salary is not None:
        _sickness_pay(job, salary, lambda _rate, lang: (
            f"; con {age} tuổi, tối đa {limit} ngày một năm ({_cite(rule, lang)})"
            if lang == "vi" else
            f"; child aged {age}, at most {limit} days a year ({_cite(rule, lang)})"))


# -------------------------------------------------------------------------------------
# Maternity
# -------------------------------------------------------------------------------------


def _maternity_base(job: _Job, event: date, benefit: str = "participating",
                    field_: str = "from_date") -> list[int] | None:
    """The salaries averaged, once the worker may claim; None (and a problem) if not."""
    c = job.claim
    if benefit == "participating":
        ok = job.eligible("participating", c.from_date, "from_date")
    else:
        ok = _birth_eligible(job, event, benefit, field_)
    salaries = job.maternity_salaries(c.from_date)
    if not salaries:
        if ok:
            job.problem(field_, "claim_no_salary", month=str(Period.of(c.from_date)))
        return None
    job.salary_base = int(Fraction(sum(salaries), len(salaries)) + Fraction(1, 2))
    if benefit == "participating":
        job.months = len(salaries)
    return salaries if ok else None


def _birth_eligible(job: _Job, event: date, benefit: str, field_: str) -> bool:
    """A birth: 6 of the 12 months before it, or an exception the claim names."""
    if job.eligible(benefit, event, field_, show=False):
        return True
    c = job.claim
    # The claim list's "Nghỉ dưỡng thai", and a leave to treat infertility
    exceptions = [name for name, named in (("birth_prenatal_rest", c.prenatal_rest),
                                           ("birth_infertility", c.infertility))
                  if named and benefit == "birth"]
    for name in exceptions:
        try:
            if job.eligible(name, event, field_, show=False):
                return True
        except ValueError:  # no such rule on that day (infertility before Law 41)
            continue
    job.eligible(benefit, event, field_)  # says why
    return False


def _day_kind(job: _Job, cap: int, limit_note: tuple[str, str], rule: Rule, counts: str,
              per_day: str, taken: int = 0) -> None:
    """A maternity leave counted in days, capped: prenatal visit, pregnancy loss,
    contraception, the father's leave."""
    c = job.claim
    salaries = _maternity_base(job, c.from_date)
    counted = job.count(c.from_date, c.to_date, counts)
    job.days = job.limit_days(counted, cap - taken, cap, taken)
    if salaries is None:
        return
    rate = job.ctx.rules.rule("maternity_rate", c.from_date)
    job.amount = B.maternity_amount(job.ctx.rules, salaries, c.from_date, days=job.days,
                                    per_day=per_day)
    divisor = rate["day_divisor"] if per_day == "day" else rate["odd_day_divisor"]
    avg = vnd(job.salary_base)
    job.say_rule(
        f"{_pct(rate['rate'], 'vi')} × {avg} (bình quân {len(salaries)} tháng) ÷ {divisor} × "
        f"{_n(job.days, 'day', 'vi')}; {limit_note[0]} ({_cite(rule, 'vi')})",
        f"{_pct(rate['rate'], 'en')} × {avg} (average of {len(salaries)} months) ÷ {divisor} "
        f"× {_n(job.days, 'day', 'en')}; {limit_note[1]} ({_cite(rule, 'en')})")


def _prenatal(job: _Job) -> None:
    rule = job.ctx.rules.rule("prenatal_visits", job.claim.from_date)
    cap = max(rule["days_per_visit"], rule["days_per_visit_far"])
    _day_kind(job, cap, (f"tối đa {cap} ngày một lần khám", f"at most {cap} days a visit"),
              rule, rule["counts"], "day")


def _pregnancy_loss(job: _Job) -> None:
    c = job.claim
    if c.pregnancy_weeks is None:
        job.problem("pregnancy_weeks", "claim_weeks_missing")
        return
    rule = job.ctx.rules.rule("miscarriage_days", c.from_date)
    cap = B.miscarriage_days(job.ctx.rules, c.pregnancy_weeks, c.from_date)
    _day_kind(job, cap, (f"thai {c.pregnancy_weeks} tuần, tối đa {cap} ngày",
                         f"{c.pregnancy_weeks} weeks, at most {cap} days"),
              rule, rule["counts"], "odd")


def _contraception(job: _Job) -> None:
    rule = job.ctx.rules.rule("contraception", job.claim.from_date)
    # Claim.surgery marks sterilisation; otherwise an intrauterine device
    what = "sterilisation" if job.claim.surgery else "iud"
    cap = rule[what]
    words = ("triệt sản", "sterilisation") if what == "sterilisation" else (
        "đặt vòng", "intrauterine device")
    _day_kind(job, cap, (f"{words[0]}, tối đa {cap} ngày", f"{words[1]}, at most {cap} days"),
              rule, rule["counts"], "odd")


def _born(job: _Job, need_count: bool) -> date | None:
    """The child's birth date once the claim names the child (and, ``need_count``, how
    many were born); None, each missing value a problem, when it does not."""
    c = job.claim
    if c.child_birth_date is None:
        job.problem("child_birth_date", "claim_child_missing")
    if need_count and c.child_count < 1:
        job.problem("child_count", "claim_child_count_missing")
        return None
    return c.child_birth_date


def _father(job: _Job) -> None:
    c, rules = job.claim, job.ctx.rules
    birth = _born(job, need_count=True)
    if birth is None:
        return
    rule = rules.rule("birth_father", c.from_date)
    last_start = birth + timedelta(days=rule["within_days"] - 1)
    if not birth <= c.from_date <= last_start:
        job.problem("from_date", "claim_father_window", start=_show_date(c.from_date),
                    birth=_show_date(birth), within=rule["within_days"])
    surgery = c.surgery or (c.pregnancy_weeks is not None and c.pregnancy_weeks < 32)
    cap = B.father_birth_days(rules, c.child_count, c.from_date, surgery=surgery,
                              second_child=c.second_child)
    taken = job.ledger.used("father", birth)
    second = c.second_child and c.child_count == 1 and rule["second_child"] > 0
    words = (f"vợ sinh {c.child_count} con{', con thứ hai' if second else ''}"
             f"{', phẫu thuật' if surgery else ''}, tối đa {cap} ngày làm việc",
             f"{_children(c.child_count, 'en')}{', a second child' if second else ''}"
             f"{', surgery' if surgery else ''}, at most {cap} working days")
    _day_kind(job, cap, words, rule, rule["counts"], "day", taken)
    job.uses.append((job.days, ("father", birth)))


def _birth_mother(job: _Job) -> None:
    c, rules, rates = job.claim, job.ctx.rules, job.ctx.rates
    birth = _born(job, need_count=True)
    if birth is None:
        return
    rule = rules.rule("birth_mother", c.from_date)
    earliest, _ = _add_months(birth, -rule["before_birth_months"])
    if c.from_date < earliest:
        job.problem("from_date", "claim_birth_too_early", months=rule["before_birth_months"],
                    birth=_show_date(birth))
    months = B.mother_birth_months(rules, c.child_count, birth, second_child=c.second_child)
    # the months are the rule's of the day of the birth (that is the row to cite when a
    # second child's months apply)
    at_birth = rules.rule("birth_mother", birth)
    second = c.second_child and at_birth["second_child_months"] > 0
    cited = at_birth if second else rule
    start = min(c.from_date, birth)
    last = _month_end(start, months)
    counted = job.count(c.from_date, c.to_date, rule["counts"])
    allowed = job.count(c.from_date, last, rule["counts"])
    job.days = job.limit_days(counted, allowed, (last - start).days + 1, 0)
    salaries = _maternity_base(job, birth, "birth", "child_birth_date")
    end = c.from_date + timedelta(days=job.days - 1)
    span = _months_and_days(c.from_date, end) if job.days else (0, 0)
    allowance = B.birth_allowance(rules, rates, c.child_count, birth)
    if salaries is None:
        return
    leave = B.maternity_amount(rules, salaries, c.from_date, months=span[0], days=span[1])
    job.amount = leave + allowance
    rate = rules.rule("maternity_rate", c.from_date)
    grant = rules.rule("birth_allowance", birth)
    avg = vnd(job.salary_base)
    job.say_rule(
        f"{_pct(rate['rate'], 'vi')} × {avg} (bình quân {len(salaries)} tháng) × "
        f"{_span(*span, 'vi')} (ngày lẻ ÷ {rate['odd_day_divisor']}) = {vnd(leave)}; "
        f"trợ cấp một lần {grant['multiplier']} × mức {_level_word(grant, 'vi')} × "
        f"{c.child_count} con = {vnd(allowance)}; nghỉ tối đa {months} tháng"
        f"{', con thứ hai' if second else ''} "
        f"({_cite(cited, 'vi')}; {_cite(rate, 'vi')}; {_cite(grant, 'vi')})",
        f"{_pct(rate['rate'], 'en')} × {avg} (average of {len(salaries)} months) × "
        f"{_span(*span, 'en')} (odd days ÷ {rate['odd_day_divisor']}) = {vnd(leave)}; "
        f"one-off {grant['multiplier']} × {_level_word(grant, 'en')} × "
        f"{_children(c.child_count, 'en')} = {vnd(allowance)}; at most {months} months of leave"
        f"{', a second child' if second else ''} "
        f"({_cite(cited, 'en')}; {_cite(rate, 'en')}; {_cite(grant, 'en')})")


def _level_word(rule: Rule, lang: str) -> str:
    if rule["of"] == "base_salary":
        return "lương cơ sở" if lang == "vi" else "the base salary"
    return "tham chiếu" if lang == "vi" else "the reference level"


def _adoption(job: _Job) -> None:
    c, rules, rates = job.claim, job.ctx.rules, job.ctx.rates
    born = _born(job, need_count=False)
    if born is None:
        return
    rule = rules.rule("adoption", c.from_date)
    limit_day, _ = _add_months(born, rule["under_months"])
    if c.from_date >= limit_day or c.from_date < born:
        job.problem("child_birth_date", "claim_adopted_too_old", months=rule["under_months"])
        return
    last = limit_day - _ONE_DAY
    counted = job.count(c.from_date, c.to_date, rule["counts"])
    allowed = job.count(c.from_date, last, rule["counts"])
    job.days = job.limit_days(counted, allowed, allowed, 0)
    children = max(c.child_count, 1)
    salaries = _maternity_base(job, c.from_date, "adoption", "from_date")
    if salaries is None:
        return
    span = _months_and_days(c.from_date, c.from_date + timedelta(days=job.days - 1)) \
        if job.days else (0, 0)
    leave = B.maternity_amount(rules, salaries, c.from_date, months=span[0], days=span[1])
    allowance = B.birth_allowance(rules, rates, children, c.from_date)
    job.amount = leave + allowance
    rate = rules.rule("maternity_rate", c.from_date)
    avg = vnd(job.salary_base)
    job.say_rule(
        f"{_pct(rate['rate'], 'vi')} × {avg} × {_span(*span, 'vi')} = {vnd(leave)}; trợ cấp "
        f"một lần {vnd(allowance)}; nghỉ đến khi con đủ {rule['under_months']} tháng tuổi "
        f"({_cite(rule, 'vi')})",
        f"{_pct(rate['rate'], 'en')} × {avg} × {_span(*span, 'en')} = {vnd(leave)}; one-off "
        f"{vnd(allowance)}; leave until the child is {rule['under_months']} months old "
        f"({_cite(rule, 'en')})")


# -------------------------------------------------------------------------------------
# Convalescence
# -------------------------------------------------------------------------------------


def _convalescence(job: _Job) -> None:
    c, rules = job.claim, job.ctx.rules
    after = "sickness" if c.kind == CONVALESCENCE_SICKNESS else "maternity"
    rule = rules.rule("convalescence", c.from_date, after)
    if after == "sickness":
        case = "long_term" if c.long_term_code else "surgery" if c.surgery else "other"
    else:
        case = "multiple" if c.child_count >= 2 else "surgery" if c.surgery else "other"
    job.eligible("participating", c.from_date, "from_date")
    # The list row carries the months paid, so whoever re-computes it (the gateway) sees
    # the worker insured too.
    job.months = job.history.total_months(Period.of(c.from_date))
    before = _leave_before(job, _BEFORE_CONVALESCENCE[c.kind])
    year = before.end.year if before is not None else c.from_date.year
    if before is None:
        job.problem("from_date", "claim_convalescence_unknown", "warning")
    elif (c.from_date - before.end).days > rule["within_days"]:
        job.problem("from_date", "claim_convalescence_late", "warning",
                    within=rule["within_days"], end=_show_date(before.end))
    if rule["min_sick_days"] and job.ledger.used("sickdays", year) < rule["min_sick_days"]:
        job.problem("from_date", "claim_convalescence_not_due", "warning",
                    need=rule["min_sick_days"], have=job.ledger.used("sickdays", year))
    case_days = B.convalescence_days(rules, after, case, c.from_date)
    if rule["year_max"]:
        key: tuple = ("conv_sick", year)
        cap = min(case_days, rule["year_max"])
    else:
        key = ("conv_mat", before.end if before is not None else c.from_date)
        cap = case_days
    taken = job.ledger.used(*key)
    counted = job.count(c.from_date, c.to_date, rule["counts"])
    job.days = job.limit_days(counted, cap - taken, cap, taken)
    job.uses.append((job.days, key))
    daily = B.convalescence_daily_amount(rules, job.ctx.rates, after, c.from_date)
    job.salary_base = daily
    job.amount = daily * job.days
    pct = _pct(rule["rate"], "vi"), _pct(rule["rate"], "en")
    job.say_rule(
        f"{pct[0]} mức {_level_word(rule, 'vi')} = {vnd(daily)} một ngày × "
        f"{_n(job.days, 'day', 'vi')}; tối đa {cap} ngày ({_cite(rule, 'vi')})",
        f"{pct[1]} of {_level_word(rule, 'en')} = {vnd(daily)} a day × "
        f"{_n(job.days, 'day', 'en')}; at most {cap} days ({_cite(rule, 'en')})")


def _leave_before(job: _Job, kinds: tuple[str, ...]) -> _Leave | None:
    """The latest leave of ``kinds`` that ended before this claim starts."""
    found = [leave for leave in job.ledger.leaves
             if leave.kind in kinds and leave.end < job.claim.from_date]
    return max(found, key=lambda leave: leave.end) if found else None


_ASSESS = {OWN_SICKNESS: _own_sickness, LONG_TERM_SICKNESS: _long_term,
           CHILD_SICKNESS: _child_sickness, PRENATAL_VISIT: _prenatal,
           PREGNANCY_LOSS: _pregnancy_loss, BIRTH_MOTHER: _birth_mother,
           BIRTH_FATHER: _father, ADOPTION: _adoption, CONTRACEPTION: _contraception,
           CONVALESCENCE_SICKNESS: _convalescence, CONVALESCENCE_MATERNITY: _convalescence}
assert set(_ASSESS) == set(KINDS)


# -------------------------------------------------------------------------------------
# The list
# -------------------------------------------------------------------------------------


def _assess_one(row: int, claim: Claim, history: History, ctx: ClaimContext,
                ledger: _Ledger, stored: bool = False) -> _Job:
    job = _Job(row, claim, history, ctx, ledger, stored)
    if claim.kind not in _ASSESS:
        job.problem("kind", "claim_unknown_kind", value=claim.kind)
        return job
    if claim.to_date < claim.from_date:
        job.problem("to_date", "claim_dates_reversed", start=_show_date(claim.from_date),
                    to=_show_date(claim.to_date))
        return job
    try:
        job.rest = check_rest_days(claim.rest_days or ctx.rest_days)
    except ValueError:
        job.problem("rest_days", "claim_rest_days", value=claim.rest_days or ctx.rest_days)
        return job
    if not stored:
        job.overlaps()
    try:
        _ASSESS[claim.kind](job)
    except CalendarError as exc:
        job.calendar_problem(exc)
    except ValueError:  # no rule in force on that day (before 2016)
        job.problem("from_date", "claim_no_rule", day=_show_date(claim.from_date))
    return job


def _record(ledger: _Ledger, job: _Job, row: int | None) -> None:
    c = job.claim
    for days, key in job.uses:
        ledger.use(days, *key)
    if c.kind in _ASSESS and c.to_date >= c.from_date:
        ledger.leaves.append(_Leave(c.from_date, c.to_date, c.kind, _child_key(c), row,
                                    job.days, job.working))


def _stored_days(claim: Claim) -> int | None:
    for days in (claim.approved_days, claim.expected_days, claim.days):
        if days is not None:
            return days
    return None


def assess_claims(claims: Sequence[Claim], histories: Mapping[int, History],
                  ctx: ClaimContext, earlier: Sequence[Claim] = ()) -> list[Assessment]:
    """Check and compute every claim of a list, in its order (see the module docstring).

    ``histories`` maps a worker's id to his paid months (a worker without one has none);
    ``earlier`` are the workers' other stored claims, not in this list and not rejected:
    the days they took count against this year's limits, and a leave here that overlaps
    one of them is a problem.
    """
    ledgers: dict[int, _Ledger] = {}
    for claim in sorted(earlier, key=lambda c: (c.from_date, c.to_date)):
        ledger = ledgers.setdefault(claim.worker_id, _Ledger())
        job = _assess_one(0, claim, histories.get(claim.worker_id, _EMPTY), ctx, ledger,
                          stored=True)
        _record(ledger, job, None)
    out = []
    for row, claim in enumerate(claims, 1):
        ledger = ledgers.setdefault(claim.worker_id, _Ledger())
        job = _assess_one(row, claim, histories.get(claim.worker_id, _EMPTY), ctx, ledger)
        _record(ledger, job, row)
        out.append(Assessment(job.days, job.amount, job.salary_base, job.months, job.rule,
                              job.problems))
    return out
