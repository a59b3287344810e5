"""Which forms a procedure takes and needs, by the conditions forms/procedures.toml names,
and whether a dossier's procedure, period and forms fit them.

One check for every dossier: the one the program builds, an envelope file brought in for
``ibhxh validate``, and the envelope the sandbox gateway receives. The facts the
conditions ask about come from a declaration or are read back from an envelope's forms;
a condition an envelope cannot tell (a first registration) is left undecided, and then
its form is taken but not asked for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .formspec import Procedure
from .messages import ELEMENT_LABELS
from .model import Period, PeriodError
from .validation import Problem

ENVELOPE = "Hoso"  # where problems of the envelope itself are placed
ROWS_SHOWN = 10  # rows named in a message; the rest are counted

# The exchange format writes a period one way only: two-digit month, slash, year.
_MONTH = re.compile(r"(0[1-9]|1[0-2])/(\d{4})")


@dataclass(frozen=True)
class NeedFacts:
    """What the conditions of procedures.toml ask about a dossier."""

    lines_form: str  # the form whose rows are the changes (D02-LT), named in messages
    without_bhxh: tuple[int, ...] = ()  # its rows whose worker has no BHXH number yet
    late: tuple[int, ...] = ()  # its rows that start before the declared period
    first_registration: bool | None = None  # None: cannot be told (an envelope does not say)


# A condition says whether the form is needed: True, False, or None when undecided.
CONDITIONS: dict[str, Callable[[NeedFacts], bool | None]] = {
    "always": lambda facts: True,
    "worker_without_bhxh": lambda facts: bool(facts.without_bhxh),
    "first_registration": lambda facts: facts.first_registration,
    "late_or_retroactive": lambda facts: bool(facts.late),
}

# The rows that make a condition true, for the message that names them.
_ROWS: dict[str, Callable[[NeedFacts], tuple[int, ...]]] = {
    "worker_without_bhxh": lambda facts: facts.without_bhxh,
    "late_or_retroactive": lambda facts: facts.late,
}


def exchange_month(text: str) -> Period | None:
    """A period as the exchange format writes it (MM/yyyy, month 01–12), or None."""
    m = _MONTH.fullmatch(text or "")
    if m is None:
        return None
    try:
        return Period(int(m.group(2)), int(m.group(1)))
    except PeriodError:
        return None


def needed(procedure: Procedure, facts: NeedFacts) -> list[str]:
    """The forms this dossier needs, in the procedure's order (undecided ones left out)."""
    return [need.form for need in procedure.forms if CONDITIONS[need.when](facts)]


def envelope_problem(field: str, code: str, **params: object) -> Problem:
    """A problem of the envelope itself, at one of its elements (ELEMENT_LABELS)."""
    return Problem(ENVELOPE, None, field, code, dict(params), ELEMENT_LABELS[field])


_problem = envelope_problem


def head_problems(procedures: Mapping[str, Procedure], procedure: str, period: str,
                  retired: Mapping[str, tuple[str, str]] | None = None) -> list[Problem]:
    """An unknown procedure code (MaThuTuc) and a period (KyKeKhai) that is no month.
    ``retired``: codes Social Security does not have, each with the procedure its changes
    are filed under now and that procedure's plan codes for them (600a → 600, GH …)."""
    problems = []
    moved = (retired or {}).get(procedure)
    if moved is not None:
        problems.append(_problem("MaThuTuc", "procedure_retired", value=procedure,
                                 now=moved[0], plans=moved[1]))
    elif procedure not in procedures:
        problems.append(_problem("MaThuTuc", "unknown_procedure", value=procedure,
                                 allowed=", ".join(procedures)))
    if exchange_month(period) is None:
        problems.append(_problem("KyKeKhai", "bad_month", value=period))
    return problems


def _rows_text(rows: tuple[int, ...]) -> str:
    shown = ", ".join(str(r) for r in rows[:ROWS_SHOWN])
    return shown + (f", … (+{len(rows) - ROWS_SHOWN})" if len(rows) > ROWS_SHOWN else "")


def form_problems(procedure: Procedure, present: Sequence[str],
                  facts: NeedFacts) -> list[Problem]:
    """Forms the procedure does not take, and forms it needs here that are missing
    (``present``: the code of each form in the dossier, as an officer names it)."""
    taken = [need.form for need in procedure.forms]
    problems = []
    for form in dict.fromkeys(present):
        if form not in taken:
            problems.append(_problem("MaToKhai", "form_not_taken", form=form,
                                     procedure=procedure.code, allowed=", ".join(taken)))
    for need in procedure.forms:
        if need.form in present or not CONDITIONS[need.when](facts):
            continue
        rows = _ROWS[need.when](facts) if need.when in _ROWS else ()
        problems.append(_problem("ToKhais", f"form_missing_{need.when}", form=need.form,
                                 procedure=procedure.code, lines_form=facts.lines_form,
                                 count=len(rows), rows=_rows_text(rows)))
    return problems
