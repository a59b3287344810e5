"""A worker's months of contribution and their salaries, in whole months.

Pure Python. A :class:`Stint` is a run of months paid at one contribution salary; a
:class:`History` is the months they cover, each once: where stints overlap, the later
stint (in the order given) sets the salary of the months they share. The benefit rules
ask it how many months were paid in a window before an event, how many in all, the
salary of the last month paid and the salaries of the last few (``domain.claim_rules``).

``derive_stints`` reads a worker's D02-LT lines (increases, decreases, adjustments) into
stints, so stored declarations give the history without typing it twice.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .model import DeclarationLine, Period

__all__ = ["History", "Stint", "derive_stints"]

_OPEN = 10**9  # month index of "still contributing": beyond any month asked about


def _index(p: Period) -> int:
    return p.year * 12 + p.month - 1


def _period(i: int) -> Period:
    return Period(i // 12, i % 12 + 1)


@dataclass(frozen=True)
class Stint:
    """Months ``from_month`` to ``to_month`` (both included; None = still contributing)
    paid at ``salary`` đồng a month."""

    from_month: Period
    to_month: Period | None
    salary: int

    def __post_init__(self) -> None:
        end, start = self.to_month, self.from_month
        if end is not None and (end.year, end.month) < (start.year, start.month):
            raise ValueError(f"stint ends {self.to_month} before it starts {self.from_month}")
        if type(self.salary) is not int or self.salary < 0:
            raise ValueError(f"salary must be a whole number of đồng, got {self.salary!r}")


class _Runs:
    """Disjoint runs of months [start, end] with a salary, sorted; later puts win."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.salaries: list[int] = []

    def put(self, start: int, end: int, salary: int | None) -> None:
        """Months start..end now paid at ``salary`` (None: not paid)."""
        keep: list[tuple[int, int, int]] = []
        for s, e, pay in zip(self.starts, self.ends, self.salaries, strict=True):
            if e < start or s > end:
                keep.append((s, e, pay))
                continue
            if s < start:
                keep.append((s, start - 1, pay))
            if e > end:
                keep.append((end + 1, e, pay))
        if salary is not None:
            keep.append((start, end, salary))
        keep.sort()
        self.starts = [k[0] for k in keep]
        self.ends = [k[1] for k in keep]
        self.salaries = [k[2] for k in keep]

    def reprice(self, start: int, end: int, salary: int) -> None:
        """The paid months among start..end now at ``salary``."""
        paid = [(max(s, start), min(e, end)) for s, e in zip(self.starts, self.ends, strict=True)
                if s <= end and e >= start]
        for s, e in paid:
            self.put(s, e, salary)


class History:
    """The paid months of one worker (see the module docstring)."""

    def __init__(self, runs: _Runs) -> None:
        self._starts = tuple(runs.starts)
        self._ends = tuple(runs.ends)
        self._salaries = tuple(runs.salaries)
        # paid months before each run: total_months in O(log n)
        before, acc = [], 0
        for s, e in zip(self._starts, self._ends, strict=True):
            before.append(acc)
            acc += e - s + 1 if e != _OPEN else 0
        self._before = tuple(before)

    @classmethod
    def of(cls, stints: Iterable[Stint]) -> History:
        """The months the stints cover, once each; a later stint's salary wins."""
        runs = _Runs()
        for st in stints:
            end = _OPEN if st.to_month is None else _index(st.to_month)
            runs.put(_index(st.from_month), end, st.salary)
        return cls(runs)

    @classmethod
    def flat(cls, salary: int, months: int, until: Period) -> History:
        """``months`` paid months at ``salary``, the last one the month before ``until``
        (what one row of a claim list carries)."""
        if type(months) is not int or months < 0:
            raise ValueError(f"months must be a whole number, got {months!r}")
        if months == 0:
            return cls.of(())
        last = _index(until) - 1
        return cls.of([Stint(_period(last - months + 1), _period(last), salary)])

    @property
    def stints(self) -> list[Stint]:
        """The disjoint runs, oldest first."""
        return [Stint(_period(s), None if e == _OPEN else _period(e), pay)
                for s, e, pay in zip(self._starts, self._ends, self._salaries, strict=True)]

    def paid(self, period: Period) -> bool:
        """Whether ``period`` is a paid month."""
        return self.salary_in(period) is not None

    def salary_in(self, period: Period) -> int | None:
        """The salary of ``period``, None when it is not paid."""
        i = _index(period)
        k = bisect.bisect_right(self._starts, i) - 1
        return self._salaries[k] if k >= 0 and self._ends[k] >= i else None

    def _count(self, lo: int, hi: int) -> int:
        """Paid months from index lo to hi - 1."""
        n = 0
        k = max(bisect.bisect_right(self._starts, lo) - 1, 0)
        while k < len(self._starts) and self._starts[k] < hi:
            n += max(0, min(self._ends[k], hi - 1) - max(self._starts[k], lo) + 1)
            k += 1
        return n

    def months_paid(self, before: Period, window: int) -> int:
        """Paid months among the ``window`` months just before ``before``."""
        hi = _index(before)
        return self._count(hi - window, hi)

    def total_months(self, before: Period) -> int:
        """Every paid month before ``before``."""
        hi = _index(before)
        k = bisect.bisect_left(self._starts, hi)  # runs starting before hi: 0..k-1
        if k == 0:
            return 0
        last = k - 1
        return self._before[last] + min(self._ends[last], hi - 1) - self._starts[last] + 1

    def salary_before(self, period: Period) -> int | None:
        """The salary of the last paid month before ``period`` (None when none)."""
        hi = _index(period)
        k = bisect.bisect_left(self._starts, hi) - 1
        return self._salaries[k] if k >= 0 else None

    def average_before(self, period: Period, n: int = 6) -> list[int]:
        """The salaries of the last ``n`` paid months before ``period``, oldest first
        (fewer when fewer were paid): what the average of a maternity benefit is over."""
        out: list[int] = []
        hi = _index(period)
        k = bisect.bisect_left(self._starts, hi) - 1
        while k >= 0 and len(out) < n:
            last = min(self._ends[k], hi - 1)
            take = min(n - len(out), last - self._starts[k] + 1)
            out.extend([self._salaries[k]] * take)
            k -= 1
        out.reverse()
        return out


def derive_stints(lines: Sequence[tuple[DeclarationLine, int]],
                  plan_kinds: Mapping[str, str]) -> list[Stint]:
    """One worker's stints from his D02-LT lines, in filing order, each with its
    contribution salary; ``plan_kinds`` maps a plan code to "increase", "decrease" or
    "adjust" (codelists/plan_codes.csv).

    - increase: paid from its from-month at its salary (to its to-month when it has one);
    - decrease: not paid from its from-month (to its to-month when it has one: a few
      months of unpaid, sick or maternity leave, after which the months stay as they
      were);
    - adjust: the months already paid from its from-month (to its to-month) take its
      salary; an adjustment never makes a month paid.

    A plan code that is not in ``plan_kinds`` raises ValueError.
    """
    runs = _Runs()
    for line, salary in lines:
        kind = plan_kinds.get(line.plan)
        if kind not in ("increase", "decrease", "adjust"):
            raise ValueError(f"plan code {line.plan!r} has no kind increase/decrease/adjust")
        start = _index(line.from_month)
        end = _OPEN if line.to_month is None else _index(line.to_month)
        if kind == "adjust":
            runs.reprice(start, end, salary)
        else:
            runs.put(start, end, salary if kind == "increase" else None)
    return History(runs).stints
