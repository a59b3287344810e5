"""Benefit claims (issue 15): sickness, maternity and convalescence claims from entry to
Social Security's answer.

    add_claim / update_claim / remove_claim     one claim at a time (the window, the CLI)
    preview_claim                               a claim as typed, assessed, not stored
    kind_values / values_for_kind               the values each kind of claim uses
    import_claims / import_history              the spreadsheets HR already has
    check_claims                                every claim not declared yet, assessed
    declare_claims                              the lists 630a/b/c, one dossier each, draft
    (validate, sign, submit, sync, print: the dossier commands, unchanged)
    record_results / record_approved            what Social Security approved

A claim is checked against the worker's history: the months of contribution HR imported
(``contribution_stints``) and those the unit's own filed D02-LT lines give
(``domain.history.derive_stints``), and against the worker's other claims. The checks and
amounts are ``domain.claim_rules``'; this module reads what they need in one query per
table, whatever the number of claims.

A claim's state comes from its list's dossier: draft (in no list yet), declared (in a
list not signed yet), signed, sent, accepted, rejected (the list, or this row), approved
(Social Security's amount recorded), printed (filed on paper).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from ..catalog import Catalog, CatalogError, derived, load_benefits, load_holidays
from ..domain.calendar import check_rest_days
from ..domain.claim_rules import Assessment, ClaimContext, assess_claims
from ..domain.claims import DEFAULT_REST_DAYS, Claim
from ..domain.history import History, Stint, derive_stints
from ..domain.messages import say, state_name
from ..domain.model import Declaration, DossierState, Period, Worker
from ..domain.text import fold
from ..domain.validation import Problem
from ..domain.values import parse_day
from ..dossier.build import check_declaration, line_salary
from ..importing import RowIssue, extract, xlsx
from ..importing.columns import targets_for
from ..importing.convert import code_reader, flag_reader
from ..importing.extract import Extraction, gc_paused
from ..storage import repo
from ..storage.repo import ClaimRecord
from ..storage.schema import claims as claims_t
from ..storage.schema import declarations as declarations_t
from .app import App, UserError
from .checks import fields_of, same_value
from .declarations import EDITABLE, parse_period
from .employer import get as get_employer
from .importing import (
    ImportResult,
    RowReport,
    RowReports,
    _column_of,
    _Matcher,
    _prepare,
    mapping_store,
    write_error_report,
)

log = logging.getLogger(__name__)

FORM = "M01B-HSB"
STATES = ("draft", "declared", "signed", "sent", "accepted", "rejected", "approved", "printed")
# The contribution dossiers whose lines count as months paid: filed, on line or on paper.
FILED = (DossierState.SENT, DossierState.ACCEPTED, DossierState.PRINTED)
# Where an approved amount is recorded by hand (a list filed on paper, or an answer
# that came by another way)
ANSWERABLE = (DossierState.PRINTED, DossierState.SENT, DossierState.ACCEPTED)
CLAIM_ATTRS = ("kind", "from_date", "to_date", "days", "rest_days", "heavy_work",
               "long_term_code", "surgery", "pregnancy_weeks", "child_birth_date",
               "child_count", "child_id", "prenatal_rest", "infertility", "second_child",
               "certificate", "payment", "bank_account", "bank_code", "note")
_DATES = ("from_date", "to_date", "child_birth_date")
_INTS = ("days", "pregnancy_weeks", "child_count")
_FLAGS = ("heavy_work", "surgery", "prenatal_rest", "infertility", "second_child")
_CODES = {"kind": "benefit_kinds", "payment": "benefit_payment"}
_MANY = 500  # above this many ids, a whole table is read once rather than in chunks


# -- the view ------------------------------------------------------------------------------

@dataclass
class ClaimView:
    """A claim as the officer sees it: the worker, what the rules make of it now (for a
    claim in no list yet), its state, and what was frozen and answered once declared."""

    claim: Claim
    worker: Worker
    assessment: Assessment | None
    state: str
    outcome: str = ""  # the row's answer: approved | rejected | ""
    rule_en: str = ""
    dossier_state: str | None = None

    @property
    def declared(self) -> bool:
        return self.claim.declaration_id is not None

    @property
    def expected_days(self) -> int | None:
        if self.declared or self.assessment is None:
            return self.claim.expected_days
        return self.assessment.days

    @property
    def expected_amount(self) -> int | None:
        if self.declared or self.assessment is None:
            return self.claim.expected_amount
        return self.assessment.amount

    @property
    def problems(self) -> list[Problem]:
        return list(self.assessment.problems) if self.assessment else []

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def difference(self) -> int | None:
        return self.claim.difference

    def rule(self, lang: str = "vi") -> str:
        """The rule and figures that gave the expected amount, in ``lang``."""
        if self.declared or self.assessment is None:
            return self.rule_en if lang == "en" and self.rule_en else self.claim.rule
        return self.assessment.rule.get(lang) or self.assessment.rule.get("vi", "")

    def to_dict(self, catalog: Catalog, lang: str = "vi") -> dict[str, Any]:
        """Every value of the claim and its view, for ``--json`` and the window."""
        c, w = self.claim, self.worker
        kinds = catalog.codelists["benefit_kinds"]
        return {
            "id": c.id, "worker_id": c.worker_id, "full_name": w.full_name,
            "bhxh_number": w.bhxh_number, "kind": c.kind,
            "kind_name": kinds.label(c.kind, lang) if c.kind in kinds else c.kind,
            "procedure": kinds.column(c.kind, "procedure", "") if c.kind in kinds else "",
            "from_date": c.from_date, "to_date": c.to_date, "days": c.days,
            "rest_days": c.rest_days, "heavy_work": c.heavy_work,
            "long_term_code": c.long_term_code, "surgery": c.surgery,
            "pregnancy_weeks": c.pregnancy_weeks, "child_birth_date": c.child_birth_date,
            "child_count": c.child_count, "child_id": c.child_id,
            "prenatal_rest": c.prenatal_rest, "infertility": c.infertility,
            "second_child": c.second_child, "certificate": c.certificate, "payment": c.payment,
            "bank_account": c.bank_account, "bank_code": c.bank_code, "note": c.note,
            "state": self.state, "state_name": say_state(self.state, lang),
            "dossier_id": c.declaration_id,
            "period": str(_period_in(c.period)) if c.period else None,
            "expected_days": self.expected_days, "expected_amount": self.expected_amount,
            "salary_base": c.salary_base if self.declared else (
                self.assessment.salary_base if self.assessment else None),
            "months": c.months if self.declared else (
                self.assessment.months if self.assessment else None),
            "rule": self.rule(lang), "approved_days": c.approved_days,
            "approved_amount": c.approved_amount, "approved_note": c.approved_note,
            "outcome": self.outcome, "difference": self.difference,
            "problems": [p.to_dict(lang) for p in self.problems]}


def say_state(state: str, lang: str = "vi") -> str:
    """A claim state's name (domain.messages.STATE_NAMES)."""
    return state_name(state, lang)


def claim_state(dossier: DossierState | None, outcome: str,
                approved_amount: int | None) -> str:
    """A claim's state from its list's dossier and its row's answer."""
    if dossier is None:
        return "draft"
    if outcome == "rejected" or dossier == DossierState.REJECTED:
        return "rejected"
    if approved_amount is not None:
        return "approved"
    if dossier in EDITABLE:
        return "declared"
    return str(dossier)


def _period_in(text: str) -> Period:
    return Period(int(text[:4]), int(text[5:7]))


def _period_out(period: Period) -> str:
    return f"{period.year:04d}-{period.month:02d}"


# -- reading what the checks need ----------------------------------------------------------

def _context(app: App) -> ClaimContext:
    """The rules, rates and calendar the checks take (made once per catalogue)."""
    root = app.catalog.root

    def make() -> ClaimContext:
        return ClaimContext(rules=load_benefits(root / "benefits.toml"),
                            rates=app.catalog.rates,
                            calendar=load_holidays(root / "holidays.toml"),
                            rest_days=DEFAULT_REST_DAYS)

    return derived(app.catalog, "claim_context", make)


def _workers(conn: Connection, ids: Collection[int]) -> dict[int, Worker]:
    """The workers named, in one query when they are many."""
    if len(ids) > _MANY:
        every = repo.load_workers(conn)
        return {i: every[i] for i in ids if i in every}
    return repo.load_workers(conn, ids)


def _stints(conn: Connection, ids: Collection[int]) -> dict[int, list[Stint]]:
    if len(ids) > _MANY:
        every = repo.load_stints(conn)
        return {i: every[i] for i in ids if i in every}
    return repo.load_stints(conn, ids)


def _heads(conn: Connection) -> dict[int, tuple[str, DossierState]]:
    """Every dossier's procedure and state, by id (one query, no personal data)."""
    t = declarations_t
    return {r[0]: (r[1], DossierState(r[2]))
            for r in conn.execute(select(t.c.id, t.c.procedure, t.c.state)
                                  .where(t.c.unit_id == repo.unit_of(conn)))}


def _contribution_procedures(app: App) -> list[str]:
    """The procedures whose lines change contributions (600), and the retired codes
    filed under one of them (600a, 600b, kept by dossiers sent before migration 0006)."""
    catalog = app.catalog
    codes = [code for code, proc in catalog.procedures.items()
             if catalog.has_contributions(proc)]
    return codes + [code for code, old in catalog.retired.items() if old.filed_under in codes]


def _sources(app: App, conn: Connection, ids: Collection[int]
             ) -> tuple[dict[int, list[Stint]], dict[int, list[Stint]]]:
    """Each worker's stints: those HR imported, and those the unit's own filed D02-LT
    lines give (in filing order, each with the salary it was filed on)."""
    catalog = app.catalog
    plans = catalog.codelists["plan_codes"]
    plan_kinds = {code: plans.column(code, "kind", "") for code in plans.entries}
    lines: dict[int, list] = {}
    for head, line in repo.contribution_lines(conn, _contribution_procedures(app), FILED,
                                              ids):
        lines.setdefault(line.worker_id, []).append(
            (line, line_salary(catalog.rates, head, line)))
    return _stints(conn, ids), {wid: derive_stints(found, plan_kinds)
                                for wid, found in lines.items()}


def _histories(app: App, conn: Connection, ids: Collection[int]) -> dict[int, History]:
    """Each worker's history: the imported months, then those of the filed D02-LT lines,
    which win where both say something of the same month."""
    imported, filed = _sources(app, conn, ids)
    return {wid: History.of([*imported.get(wid, []), *filed.get(wid, [])]) for wid in ids}


def _rejected(record: ClaimRecord, heads: Mapping[int, tuple[str, DossierState]]) -> bool:
    decl_id = record.claim.declaration_id
    return record.outcome == "rejected" or (
        decl_id is not None and heads.get(decl_id, ("", None))[1] == DossierState.REJECTED)


def _earlier(conn: Connection, chosen: Sequence[Claim],
             heads: Mapping[int, tuple[str, DossierState]],
             undeclared: Sequence[ClaimRecord] | None = None) -> list[Claim]:
    """The chosen workers' other stored claims that still count: not among the chosen,
    not rejected, ending in or after the first year the chosen claims start in.
    ``undeclared``: every claim in no list, when the caller has read them already."""
    if not chosen:
        return []
    first = date(min(c.from_date for c in chosen).year, 1, 1)
    since = claims_t.c.to_date >= first.isoformat()
    found = repo.load_claims(conn, since, claims_t.c.declaration_id.is_not(None))
    found += repo.load_claims(conn, since, claims_t.c.declaration_id.is_(None)) \
        if undeclared is None else [r for r in undeclared if r.claim.to_date >= first]
    workers = {c.worker_id for c in chosen}
    mine = {c.id for c in chosen}
    return [r.claim for r in found
            if r.claim.worker_id in workers and r.claim.id not in mine
            and not _rejected(r, heads)]


def _assess(app: App, conn: Connection, chosen: Sequence[Claim],
            heads: Mapping[int, tuple[str, DossierState]],
            undeclared: Sequence[ClaimRecord] | None = None) -> list[Assessment]:
    """The rules' verdict on ``chosen`` as one list (rows 1…n in their order)."""
    if not chosen:
        return []
    histories = _histories(app, conn, {c.worker_id for c in chosen})
    return assess_claims(chosen, histories, _context(app),
                         _earlier(conn, chosen, heads, undeclared))


def _views(app: App, conn: Connection, records: Sequence[ClaimRecord],
           heads: Mapping[int, tuple[str, DossierState]] | None = None,
           undeclared: Sequence[ClaimRecord] | None = None) -> list[ClaimView]:
    """Views of stored claims: the undeclared ones assessed together, as one list
    (``undeclared``: every claim in no list, when the caller has read them already)."""
    heads = _heads(conn) if heads is None else heads
    workers = _workers(conn, {r.claim.worker_id for r in records})
    pending = [r.claim for r in records if r.claim.declaration_id is None]
    found = dict(zip([c.id for c in pending],
                     _named(app, pending, _assess(app, conn, pending, heads, undeclared)),
                     strict=True))
    out = []
    for r in records:
        c = r.claim
        dossier = heads[c.declaration_id][1] if c.declaration_id in heads else None
        out.append(ClaimView(c, workers[c.worker_id], found.get(c.id),
                             claim_state(dossier, r.outcome, c.approved_amount), r.outcome,
                             r.rule_en, str(dossier) if dossier else None))
    return out


# -- problems, named -------------------------------------------------------------------------

def _labels(app: App) -> dict[str, dict[str, str]]:
    """Each claim attribute's name for an officer: the claim list's own column, else the
    import column's name."""
    def make() -> dict[str, dict[str, str]]:
        out = {name: dict(t.label) for name, t in targets_for(app.catalog, "claims").items()}
        out.update({attr: dict(f.label) for attr, f in fields_of(app.catalog, "claim").items()})
        out["worker"] = {lang: say("import_report_worker", lang) for lang in ("vi", "en")}
        return out

    return derived(app.catalog, "claim_labels", make)


def _problem(app: App, row: int | None, attr: str | None, code: str,
             params: dict[str, Any] | None = None, claim_id: int | None = None,
             severity: str = "error") -> Problem:
    label = _labels(app).get(attr or "")
    if claim_id is not None:
        label = {lang: (f"{label[lang]} " if label else "") + say("claim_ref", lang, id=claim_id)
                 for lang in ("vi", "en")}
    return Problem(FORM, row, attr, code, params or {}, label, severity)


def _named(app: App, claims: Sequence[Claim], found: Sequence[Assessment]
           ) -> list[Assessment]:
    """The assessments with each problem labelled with its field and its claim's id, so
    the officer finds the claim whatever list it was checked in."""
    out = []
    for claim, a in zip(claims, found, strict=True):
        problems = [_problem(app, p.row, p.field, p.code, p.params, claim.id, p.severity)
                    for p in a.problems]
        out.append(replace(a, problems=problems))
    return out


# -- reading a claim's values -------------------------------------------------------------

_WEEKDAYS = {"thu hai": "1", "thu ba": "2", "thu tu": "3", "thu nam": "4", "thu sau": "5",
             "thu bay": "6", "chu nhat": "7", "cn": "7", "monday": "1", "tuesday": "2",
             "wednesday": "3", "thursday": "4", "friday": "5", "saturday": "6",
             "sunday": "7", "mon": "1", "tue": "2", "wed": "3", "thu": "4", "fri": "5",
             "sat": "6", "sun": "7"}


def parse_rest_days(text: str) -> str:
    """A worker's weekly rest days as ISO weekday digits: "7", "67", "6,7", "T7, CN",
    "Thứ bảy, Chủ nhật", "Thứ 7 và Chủ nhật"; "" stays "" (the unit's). ValueError
    otherwise."""
    s = " ".join(fold(str(text)).replace("đ", "d").split())
    if not s:
        return ""
    digits = s.replace(",", "").replace(" ", "").replace(";", "")
    if not digits.isdigit():
        found = []
        for part in s.replace(";", ",").replace(" va ", ",").replace("+", ",").split(","):
            word = part.strip()
            if word in _WEEKDAYS:
                found.append(_WEEKDAYS[word])
                continue
            number = word.removeprefix("thu").removeprefix("t").strip()
            if not number.isdigit() or not 2 <= int(number) <= 7:
                raise ValueError(text)
            found.append(str(int(number) - 1))
        digits = "".join(found)
    return check_rest_days("".join(sorted(set(digits), key=digits.index)))


def _read_value(app: App, attr: str, value: Any) -> tuple[Any, str | None]:
    """(typed value, None) or (text, the message code of why it cannot be read)."""
    if attr in _DATES:
        if value is None or isinstance(value, date):
            return value, None
        text = str(value).strip()
        if not text:
            return None, None
        try:
            return parse_day(text), None
        except ValueError:
            return text, "bad_date"
    if attr in _INTS:
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value, None
        text = str(value).strip()
        if not text:
            return None, None
        return (int(text), None) if text.isdigit() else (text, "not_number")
    if attr in _FLAGS:
        read, issue = flag_reader()(value)
        return (read, None) if issue is None else (read, issue[0])
    if attr in _CODES:
        read, _ = code_reader(app.catalog.codelists[_CODES[attr]])(value)
        return read, None
    if attr == "rest_days":
        try:
            return parse_rest_days(value or ""), None
        except ValueError:
            return str(value), "claim_bad_rest_days"
    return ("" if value is None else " ".join(str(value).split())), None


def _with_values(app: App, claim: Claim, values: Mapping[str, Any], row: int = 1
                 ) -> tuple[Claim, list[Problem]]:
    """The claim with ``values`` (text as typed, or typed values) set; what cannot be read
    is a problem at that attribute."""
    unknown = [k for k in values if k not in CLAIM_ATTRS]
    if unknown:
        raise UserError("unknown_fields", exit_code=2, fields=", ".join(unknown),
                        known=", ".join(CLAIM_ATTRS))
    changes: dict[str, Any] = {}
    problems = []
    for attr, value in values.items():
        read, code = _read_value(app, attr, value)
        if code:
            problems.append(_problem(app, row, attr, code, {"value": read}))
        elif attr == "child_count" and read is None:
            changes[attr] = 0
        else:
            changes[attr] = read
    return replace(claim, **changes), problems


def input_problems(app: App, claim: Claim, row: int = 1) -> list[Problem]:
    """What is wrong with a claim whatever the worker's history: an unknown kind or way
    of payment, the dates the wrong way round, rest days that are no weekdays."""
    problems = []
    for attr, name in _CODES.items():
        value = getattr(claim, attr)
        if value and value not in app.catalog.codelists[name]:
            problems.append(_problem(app, row, attr, "not_in_list", {"value": value}))
    if not claim.kind:
        problems.append(_problem(app, row, "kind", "required"))
    for attr in ("from_date", "to_date"):
        if getattr(claim, attr) is None:
            problems.append(_problem(app, row, attr, "required"))
    if claim.from_date and claim.to_date and claim.to_date < claim.from_date:
        problems.append(_problem(app, row, "to_date", "to_day_before_from",
                                 {"start": claim.from_date.strftime("%d/%m/%Y"),
                                  "to": claim.to_date.strftime("%d/%m/%Y")}))
    if claim.rest_days:
        try:
            check_rest_days(claim.rest_days)
        except ValueError:
            problems.append(_problem(app, row, "rest_days", "claim_bad_rest_days",
                                     {"value": claim.rest_days}))
    return problems


# -- the values each kind of claim uses ---------------------------------------------------

def _kind_uses(app: App) -> dict[str, tuple[str, ...]]:
    """Each kind's own values: the ``uses`` column of codelists/benefit_kinds.csv (Claim
    attribute names, space-separated: what domain.claim_rules reads for that kind)."""
    def make() -> dict[str, tuple[str, ...]]:
        kinds = app.catalog.codelists["benefit_kinds"]
        out = {}
        for code in kinds.entries:
            names = tuple(kinds.column(code, "uses", "").split())
            unknown = [n for n in names if n not in CLAIM_ATTRS]
            if unknown:
                raise CatalogError(f"codelists/benefit_kinds.csv, {code}: 'uses' names "
                                   f"{', '.join(unknown)}, not values of a claim")
            out[code] = names
        return out

    return derived(app.catalog, "claim_kind_uses", make)


def kind_values(app: App, kind: str) -> tuple[str, ...]:
    """The values a claim of ``kind`` holds, in the claim's order: those every claim has
    (the ones no kind names in its ``uses``) and the kind's own; the common ones alone
    for a kind not chosen yet (or not in the list)."""
    uses = _kind_uses(app)
    some = {attr for names in uses.values() for attr in names}
    own = uses.get(kind, ())
    return tuple(attr for attr in CLAIM_ATTRS if attr not in some or attr in own)


def values_for_kind(app: App, values: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``values`` as a claim of their kind keeps them: each value the kind does not use
    emptied (a flag off, any other blank), and the names of those emptied that held
    something (what was given in vain). The kind may be given by its code or its name."""
    kind, _ = _read_value(app, "kind", values.get("kind"))
    wanted = set(kind_values(app, kind or ""))
    out: dict[str, Any] = {}
    dropped = []
    for attr, value in values.items():
        if attr in wanted or attr not in CLAIM_ATTRS:
            out[attr] = value
            continue
        out[attr] = False if attr in _FLAGS else ""
        if value not in (None, "", False, 0):
            dropped.append(attr)
    return out, dropped


# -- a claim as typed (nothing stored) ---------------------------------------------------------

@dataclass
class Preview:
    """A claim as typed: the claim read from the values, what the rules make of it
    (None while a value cannot be read or the worker is not chosen), and every problem
    (those of reading first)."""

    claim: Claim
    assessment: Assessment | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def days(self) -> int | None:
        return self.assessment.days if self.assessment else None

    @property
    def amount(self) -> int | None:
        return self.assessment.amount if self.assessment else None

    def rule(self, lang: str = "vi") -> str:
        if self.assessment is None:
            return ""
        return self.assessment.rule.get(lang) or self.assessment.rule.get("vi", "")


def preview_claim(app: App, worker_id: int | None, values: Mapping[str, Any],
                  claim_id: int | None = None) -> Preview:
    """The claim ``values`` make (for ``worker_id``; over the stored claim ``claim_id``
    when one is being changed) as ``add_claim`` / ``update_claim`` would store it, and
    what the rules make of it against the worker's history and other claims (the
    editor's days, amount and problems as the officer types). Nothing is stored."""
    with app.db.reading() as conn:
        if claim_id is not None:
            base = _load(conn, claim_id).claim
        else:
            base = Claim(worker_id=0, kind="", from_date=None, to_date=None)  # type: ignore[arg-type]
        if worker_id is not None:
            base = replace(base, worker_id=worker_id)
        claim, problems = _with_values(app, base, values)
        if worker_id is None:
            problems.append(_problem(app, 1, "worker", "required"))
        unread = {p.field for p in problems}
        problems += [p for p in input_problems(app, claim) if p.field not in unread]
        if problems:
            return Preview(claim, None, problems)
        # a changed claim is assessed as it will be after the change: in no list
        claim = _undeclared(claim)
        found = _assess(app, conn, [claim], _heads(conn))
    assessment = _named(app, [claim], found)[0]
    return Preview(claim, assessment, list(assessment.problems))


# -- one claim at a time -------------------------------------------------------------------

def _find_worker(app: App, conn: Connection, key: str | int) -> Worker:
    worker = repo.find_worker(conn, f"#{key}" if isinstance(key, int) else str(key))
    if worker is None:
        problem = _problem(app, 1, "worker", "unknown_worker", {"value": key})
        raise UserError("invalid_data", problems=[problem], count=1)
    return worker


def _load(conn: Connection, claim_id: int) -> ClaimRecord:
    try:
        return repo.load_claim(conn, claim_id)
    except repo.NotFound:
        raise UserError("no_claim", value=claim_id) from None


def _refuse_bad(problems: list[Problem], exit_code: int) -> None:
    if problems:
        raise UserError("invalid_data", exit_code=exit_code, problems=problems,
                        count=len(problems))


def add_claim(app: App, worker: str | int, values: Mapping[str, Any]) -> ClaimView:
    """Store a new claim for ``worker`` (BHXH number, CCCD, CMND, "#id" or the id).

    Values that cannot be read refuse it (exit 2), so do an unknown kind, dates the wrong
    way round and the like (exit 1): nothing is stored then. What the rules find (too
    many days, months of contribution missing …) does not: the claim is stored and its
    view carries the problems, to be mended before it is declared."""
    with app.db.reading() as conn:
        w = _find_worker(app, conn, worker)
    blank = Claim(worker_id=w.id or 0, kind="", from_date=None, to_date=None)  # type: ignore[arg-type]
    claim, unread = _with_values(app, blank, values)
    _refuse_bad(unread, 2)
    _refuse_bad(input_problems(app, claim), 1)
    with app.db.transaction() as conn:
        repo.add_claims(conn, [claim])
        return _views(app, conn, [repo.load_claim(conn, claim.id or 0)])[0]


def _locked(conn: Connection, record: ClaimRecord) -> DossierState | None:
    """The state of the dossier that holds the claim when it can no longer change (the
    list was signed, sent, answered or printed); None when it can."""
    decl_id = record.claim.declaration_id
    if decl_id is None:
        return None
    state = repo.load_declaration(conn, decl_id, lines=False).state
    return None if state in EDITABLE else state


def _refuse_locked(conn: Connection, record: ClaimRecord) -> None:
    state = _locked(conn, record)
    if state is not None:
        raise UserError("claim_locked", value=record.claim.id,
                        dossier=record.claim.declaration_id, state=str(state))


def _take_out(conn: Connection, record: ClaimRecord, why: str) -> int | None:
    """Take a claim out of its list (a draft or checked one, which goes back to draft):
    the rows after it move up. Returns the dossier's id."""
    decl_id = record.claim.declaration_id
    if decl_id is None:
        return None
    others = [r for r in repo.claims_of_declaration(conn, decl_id)
              if r.claim.id != record.claim.id]
    for seq, other in enumerate(others, start=1):
        if other.seq != seq:
            repo.update_claim(conn, other.claim, seq=seq)
    if repo.load_declaration(conn, decl_id, lines=False).state == DossierState.VALIDATED:
        repo.set_state(conn, decl_id, DossierState.DRAFT, detail=why)
    return decl_id


def _undeclared(claim: Claim) -> Claim:
    return replace(claim, declaration_id=None, period="", expected_days=None,
                   expected_amount=None, salary_base=None, months=None, rule="")


def update_claim(app: App, claim_id: int, values: Mapping[str, Any]) -> ClaimView:
    """Change a stored claim. One in a list that was signed, sent, answered or printed
    cannot change (``claim_locked``); one in a draft list is taken out of it (the list
    goes back to draft), to be declared again once it passes its checks."""
    with app.db.transaction() as conn:
        record = _load(conn, claim_id)
        _refuse_locked(conn, record)
        claim, unread = _with_values(app, record.claim, values)
        _refuse_bad(unread, 2)
        _refuse_bad(input_problems(app, claim), 1)
        if claim.declaration_id is not None:
            _take_out(conn, record, say("claim_changed_detail", "vi", id=claim_id))
            claim = _undeclared(claim)
        repo.update_claim(conn, claim, rule_en="")
        return _views(app, conn, [repo.load_claim(conn, claim_id)])[0]


def remove_claim(app: App, claim_id: int) -> int | None:
    """Delete a claim (taken out of its draft list first); returns the list's dossier id,
    if it was in one. One in a list that was signed, sent or printed stays."""
    with app.db.transaction() as conn:
        record = _load(conn, claim_id)
        _refuse_locked(conn, record)
        decl_id = _take_out(conn, record, say("claim_removed_detail", "vi", id=claim_id))
        repo.delete_claim(conn, claim_id)
    return decl_id


def refile_claim(app: App, claim_id: int) -> ClaimView:
    """A rejected claim entered again, to be mended and declared in a later list: a new
    claim with the same values, in no list yet. The rejected one stays in the list that
    was sent, as it was sent; a claim is re-filed once."""
    with app.db.transaction() as conn:
        record = _load(conn, claim_id)
        if not _rejected(record, _heads(conn)):
            raise UserError("claim_not_rejected", value=claim_id)
        again = _undeclared(replace(record.claim, id=None, approved_days=None,
                                    approved_amount=None, approved_note=""))
        key = _claim_key(again)
        for other in repo.undeclared_claims(conn):
            if _claim_key(other.claim) == key:
                raise UserError("claim_refiled_already", value=claim_id, other=other.claim.id)
        repo.add_claims(conn, [again])
        return _views(app, conn, [repo.load_claim(conn, again.id or 0)])[0]


def get_claim(app: App, claim_id: int) -> ClaimView:
    with app.db.reading() as conn:
        return _views(app, conn, [_load(conn, claim_id)])[0]


# -- lists ---------------------------------------------------------------------------------

def periods_of(view: ClaimView) -> list[Period]:
    """The periods a claim is listed under (``list_claims(period=…)``): its list's, or,
    in no list yet, each month its leave has days in."""
    c = view.claim
    if c.declaration_id is not None and c.period:
        return [_period_in(c.period)]
    first, last = Period.of(c.from_date), Period.of(c.to_date)
    out = [first]
    while out[-1] < last:
        p = out[-1]
        out.append(Period(p.year + p.month // 12, p.month % 12 + 1))
    return out


def list_claims(app: App, period: str | None = None, state: str | None = None
                ) -> list[ClaimView]:
    """Every claim (those of a period, or in a state), the ones in no list assessed."""
    if state is not None and state not in STATES:
        raise UserError("claim_bad_state", exit_code=2, value=state,
                        allowed=", ".join(STATES))
    wanted = parse_period(period) if period else None
    with app.db.reading() as conn:
        every = repo.load_claims(conn)
        views = _views(app, conn, every, undeclared=[r for r in every
                                                     if r.claim.declaration_id is None])
    return [v for v in views if (wanted is None or wanted in periods_of(v))
            and (state is None or v.state == state)]


def claims_of_dossier(app: App, decl_id: int) -> list[ClaimView]:
    """The claims of one list, in its rows' order."""
    with app.db.reading() as conn:
        return _views(app, conn, repo.claims_of_declaration(conn, decl_id))


def check_claims(app: App, ids: Iterable[int] | None = None) -> list[ClaimView]:
    """The claims in no list yet (all, or those named), assessed together: what
    ``declare_claims`` would find."""
    with app.db.reading() as conn:
        pending = repo.undeclared_claims(conn)
        return _views(app, conn, _chosen(conn, pending, ids), undeclared=pending)


def _chosen(conn: Connection, pending: list[ClaimRecord], ids: Iterable[int] | None
            ) -> list[ClaimRecord]:
    """The claims named among those in no list (all of them when none is named)."""
    if ids is None:
        return pending
    wanted = list(dict.fromkeys(ids))
    by_id = {r.claim.id: r for r in pending}
    for claim_id in wanted:
        if claim_id not in by_id:
            record = _load(conn, claim_id)
            raise UserError("claim_already_declared", value=claim_id,
                            dossier=record.claim.declaration_id)
    return [by_id[i] for i in wanted]


# -- declaring -----------------------------------------------------------------------------

def procedure_of_kind(app: App, kind: str) -> str:
    """The procedure a kind of claim is filed under (codelists/benefit_kinds.csv)."""
    return app.catalog.codelists["benefit_kinds"].column(kind, "procedure", "")


def _frozen(claim: Claim, a: Assessment, period: Period) -> tuple[Claim, str]:
    """The claim as its list carries it: the expected days, amount, salary base, months
    and rule fixed now (the rule in English beside it)."""
    return replace(claim, period=_period_out(period), expected_days=a.days,
                   expected_amount=a.amount, salary_base=a.salary_base, months=a.months,
                   rule=a.rule.get("vi", "")), a.rule.get("en", "")


def declare_claims(app: App, period_text: str, ids: Iterable[int] | None = None,
                   created: date | None = None) -> list[Declaration]:
    """Put the claims in no list yet (all, or those named) into the period's lists: one
    draft dossier per procedure (630a sickness, 630b maternity, 630c convalescence), each
    claim's expected days, amount, salary base, months and rule frozen on it. Refused,
    with every problem, when a claim has one: then nothing is stored. The dossiers then
    go through validate, sign, submit, sync and print as any other."""
    period = parse_period(period_text)
    employer = get_employer(app)
    with app.db.reading() as conn:
        pending = repo.undeclared_claims(conn)
        records = _chosen(conn, pending, ids)
        if not records:
            raise UserError("claims_none")
        views = _views(app, conn, records, undeclared=pending)
    problems = [p for v in views for p in v.errors]
    _refuse_bad(problems, 1)
    groups: dict[str, list[ClaimView]] = {}
    for v in views:
        groups.setdefault(procedure_of_kind(app, v.claim.kind), []).append(v)
    made: list[tuple[Declaration, list[str]]] = []
    for code, members in groups.items():
        proc = app.catalog.procedures.get(code)
        if proc is None or not proc.claims:
            raise UserError("unknown_procedure", value=code,
                            allowed=", ".join(c for c, p in app.catalog.procedures.items()
                                              if p.claims))
        frozen = [_frozen(v.claim, v.assessment, period) for v in members
                  if v.assessment is not None]
        decl = Declaration(procedure=code, period=period, claims=[c for c, _ in frozen],
                           created=created or date.today())
        workers = {v.worker.id: v.worker for v in members}
        result = check_declaration(app.catalog, employer, workers, decl)
        problems += [_problem(app, p.row, _claim_attr(app, p), p.code, p.params,
                              _claim_at(decl, p.row), p.severity)
                     if p.form == FORM else p for p in result.problems
                     if p.severity == "error"]
        made.append((decl, [en for _, en in frozen]))
    _refuse_bad(problems, 1)
    return _store_lists(app, made, [r.claim.id for r in records])


def _claim_attr(app: App, p: Problem) -> str | None:
    """The claim (or worker) attribute a claim list's field holds."""
    spec = app.catalog.form(FORM).find_field(p.field) if p.field else None
    return spec.attr if spec is not None and spec.owner in ("claim", "worker") else p.field


def _claim_at(decl: Declaration, row: int | None) -> int | None:
    return decl.claims[row - 1].id if row and 0 < row <= len(decl.claims) else None


def _store_lists(app: App, made: list[tuple[Declaration, list[str]]],
                 ids: list[int | None]) -> list[Declaration]:
    with app.db.transaction() as conn:
        still = repo.undeclared_claim_ids(conn)
        gone = [i for i in ids if i not in still]
        if gone:  # declared or removed meanwhile (another window)
            raise UserError("claims_changed", ids=", ".join(f"#{i}" for i in gone))
        for decl, rules_en in made:
            repo.save_declaration(conn, decl, detail=say("claims_count_detail", "vi",
                                                         count=len(decl.claims)))
            repo.put_claims_in_list(conn, decl.id or 0,
                                    list(zip(decl.claims, rules_en, strict=True)))
    return [decl for decl, _ in made]


# -- Social Security's answer --------------------------------------------------------------

def record_results_in(conn: Connection, decl_id: int, result: bytes) -> int:
    """Store each claim's answer from a claim list's result notice (verified and kept by
    the caller in the same transaction): approved days and amount, or rejected with the
    reason. A row whose person is not the claim's is left alone. Returns how many claims
    got their answer; 0 for a dossier that is no claim list."""
    records = repo.claims_of_declaration(conn, decl_id)
    if not records:
        return 0
    from ..gateway.result import claim_outcomes

    by_row = {r.seq: r for r in records}
    workers = repo.load_workers(conn, {r.claim.worker_id for r in records})
    done = 0
    for outcome in claim_outcomes(result):
        record = by_row.get(outcome.row)
        if record is None:
            continue
        worker = workers.get(record.claim.worker_id)
        if worker is not None and outcome.bhxh_number and \
                outcome.bhxh_number != worker.bhxh_number:
            log.warning("dossier %s row %s: the answer names another person", decl_id,
                        outcome.row)
            continue
        repo.set_claim_outcome(conn, record.claim.id or 0,
                               "approved" if outcome.approved else "rejected",
                               days=outcome.days, amount=outcome.amount,
                               note=outcome.reason("vi"))
        done += 1
    return done


def record_results(app: App, decl_id: int) -> list[ClaimView]:
    """Store what a claim list's stored result notice approved, claim by claim (``sync``
    does this when the result arrives); returns the list's claims."""
    with app.db.transaction() as conn:
        try:
            repo.load_declaration(conn, decl_id, lines=False)
        except repo.NotFound:
            raise UserError("no_dossier", value=decl_id) from None
        data = repo.get_artifact(conn, decl_id, "result")
        if data is None:
            raise UserError("claims_no_result", value=decl_id)
        record_results_in(conn, decl_id, data)
        return _views(app, conn, repo.claims_of_declaration(conn, decl_id))


def record_approved(app: App, claim_id: int, amount: int, days: int | None = None,
                    note: str = "") -> ClaimView:
    """Record what Social Security approved for a claim of a list filed on paper (or
    answered by another way): the amount, the days (the expected ones when not given)."""
    if amount < 0 or (days is not None and days < 0):
        raise UserError("bad_value", exit_code=2, value=min(amount, days or 0))
    with app.db.transaction() as conn:
        record = _load(conn, claim_id)
        decl_id = record.claim.declaration_id
        if decl_id is None:
            raise UserError("claim_not_declared", value=claim_id)
        state = repo.load_declaration(conn, decl_id, lines=False).state
        if state not in ANSWERABLE:
            raise UserError("claim_not_filed", value=claim_id, dossier=decl_id,
                            state=str(state))
        repo.set_claim_outcome(conn, claim_id, "approved",
                               days=record.claim.expected_days if days is None else days,
                               amount=amount, note=note.strip())
        return _views(app, conn, [repo.load_claim(conn, claim_id)])[0]


# -- a worker's history --------------------------------------------------------------------

def worker_history(app: App, worker: str | int, today: date | None = None) -> dict[str, Any]:
    """What the program knows of a worker's contributions and claims: the stints (HR's
    imported ones and those of the unit's filed D02-LT lines), the months and years of
    contribution before this month, the last salary and the average of the last six,
    and the days of each kind of claim taken this year (approved, else expected: as
    declared, or as the rules count them now; rejected claims do not count)."""
    today = today or date.today()
    now = Period.of(today)
    with app.db.reading() as conn:
        w = _find_worker(app, conn, worker)
        assert w.id is not None
        imported, filed = (found.get(w.id, []) for found in _sources(app, conn, [w.id]))
        history = History.of([*imported, *filed])
        heads = _heads(conn)
        views = _views(app, conn, [r for r in repo.claims_of_workers(conn, [w.id])
                                   if r.claim.from_date.year == today.year
                                   and not _rejected(r, heads)], heads)
    months = history.total_months(now)
    average = history.average_before(now, 6)
    taken: dict[str, int] = {}
    for v in views:
        days = next((d for d in (v.claim.approved_days, v.expected_days) if d is not None), 0)
        taken[v.claim.kind] = taken.get(v.claim.kind, 0) + days
    return {"worker_id": w.id, "full_name": w.full_name, "bhxh_number": w.bhxh_number,
            "before": str(now), "months": months, "years": months // 12,
            "salary_base": history.salary_before(now),
            "average_6": round(sum(average) / len(average)) if average else None,
            "stints": [_stint_dict(s, "import") for s in imported]
            + [_stint_dict(s, "declarations") for s in filed],
            "days_this_year": taken, "year": today.year}


def _stint_dict(s: Stint, source: str) -> dict[str, Any]:
    return {"from": str(s.from_month), "to": str(s.to_month) if s.to_month else None,
            "salary": s.salary, "source": source}


# -- importing -----------------------------------------------------------------------------

CLAIM_COLUMNS = ("stt", "full_name", "bhxh_number", "cccd", "kind", "from_date", "to_date",
                 "days", "certificate", "payment", "bank_account", "bank_code",
                 "child_birth_date", "child_count", "child_id", "pregnancy_weeks", "surgery",
                 "prenatal_rest", "infertility", "second_child", "heavy_work",
                 "long_term_code", "rest_days", "note")
HISTORY_COLUMNS = ("stt", "full_name", "bhxh_number", "cccd", "from_month", "to_month",
                   "salary", "note")
_KEYS = ("bhxh_number", "cccd", "cmnd")


@dataclass
class ClaimsImportResult(ImportResult):
    """An import of claims or of months of contribution (``what``): the importer's
    result, counted in claims, or in workers whose months were replaced."""

    what: str = "claims"  # claims | history
    workers: int = 0  # history: the workers whose months were stored

    def summary(self, lang: str = "vi") -> str:
        rows = self.added + self.updated + self.unchanged
        if self.what == "history":
            done = say("history_import_done", lang, rows=rows, workers=self.workers)
            saved = say("history_import_valid_saved", lang, workers=self.workers)
        else:
            done = say("claims_import_done", lang, rows=rows, added=self.added,
                       updated=self.updated, unchanged=self.unchanged)
            saved = say("claims_import_valid_saved", lang, added=self.added,
                        updated=self.updated)
        lines = [done]
        if self.failed:
            outcome = saved if self.stored else say("import_nothing_saved", lang)
            lines = [say("import_rows_failed", lang, failed=self.failed, outcome=outcome)]
        if self.report:
            lines.append(say("import_report_written", lang, path=str(self.report)))
        return "\n".join(lines)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {**super().to_dict(lang), "what": self.what, "workers": self.workers}


class _Rows:
    """What was noted per row of an import, and the row reports made from it."""

    def __init__(self, ex: Extraction, column_of: Any, targets: Mapping[str, Any]) -> None:
        self.ex, self.column_of, self.targets = ex, column_of, targets
        self.issues = ex.issues

    def add(self, k: int, code: str, attr: str | None, params: dict[str, Any] | None = None,
            severity: str = "error") -> None:
        target = self.targets.get(attr or "")
        self.issues.setdefault(k, []).append(RowIssue(
            self.ex.rows[k], code, params or {}, severity, self.column_of(attr), attr,
            dict(target.label) if target else None))

    def failed(self, k: int) -> bool:
        return any(i.severity == "error" for i in self.issues.get(k, ()))

    def unread(self, k: int) -> set[str]:
        return {i.target for i in self.issues.get(k, ()) if i.severity == "error"
                and i.target}

    def reports(self) -> RowReports:
        status = {k: "error" if self.failed(k) else "warning"
                  for k, found in self.issues.items() if found}
        return RowReports(self.ex.rows, {k: RowReport(self.ex.rows[k], s, self.issues[k],
                                                      index=self.ex.rows[k] - 1)
                                         for k, s in status.items()})


def _row_workers(app: App, conn: Connection, ex: Extraction, rows: _Rows
                 ) -> dict[int, Worker]:
    """The stored worker each row is about (by BHXH number, CCCD or CMND), by position;
    a row that names nobody stored, two people, or another person's name is an error."""
    matcher = _Matcher(conn)
    found = matcher.match_all(ex, {})
    workers = repo.load_workers(conn, {wid for wid, _by, c in found.values() if wid})
    names = ex.columns.get("full_name")
    out: dict[int, Worker] = {}
    for k in range(len(ex.rows)):
        keys = [(a, ex.columns[a][k]) for a in _KEYS if a in ex.columns and ex.columns[a][k]]
        if not keys:
            rows.add(k, "import_no_worker_key", "bhxh_number")
            continue
        wid, _by, conflict = found.get(k, (None, "", None))
        if conflict:
            rows.add(k, conflict[0], keys[0][0], conflict[1])
            continue
        if wid is None:
            rows.add(k, "unknown_worker", keys[0][0], {"value": keys[0][1]})
            continue
        w = out[k] = workers[wid]
        if names is not None and not same_value("full_name", w.full_name, names[k]):
            rows.add(k, "import_claim_other_person", "full_name",
                     {"key": keys[0][1], "worker": wid, "stored": w.full_name,
                      "name": names[k]})
    return out


def import_claims(app: App, source: Path | str, *, sheet: str | None = None,
                  mapping: Path | str | dict | None = None, report: Path | str | None = None,
                  dry_run: bool = False, all_or_nothing: bool = False,
                  remember: bool = True) -> ClaimsImportResult:
    """Claims from a spreadsheet (the M01B-HSB import template's columns, or any other
    the importer recognises; ``mapping`` for the rest), as ``import_workers`` imports
    workers: each row read and checked, named by row and column when it fails. The valid
    rows are saved unless ``all_or_nothing`` (nothing is when a row failed) or
    ``dry_run``; a row about a claim stored already (same worker, kind and dates) updates
    it while it is in no list, and is counted unchanged when it says the same. What the
    rules find against the worker's history is a warning: the claim is saved, and
    ``check_claims`` shows it until mended. ``report``: the .xlsx error report."""
    with gc_paused():
        return _import_claims(app, source, sheet, mapping, report, dry_run, all_or_nothing,
                              remember)


def _claim_key(c: Claim) -> tuple[int, str, date, date]:
    return (c.worker_id, c.kind, c.from_date, c.to_date)


def _import_claims(app: App, source: Path | str, sheet: str | None,
                   mapping: Path | str | dict | None, report: Path | str | None,
                   dry_run: bool, all_or_nothing: bool, remember: bool
                   ) -> ClaimsImportResult:
    analysis, explicit = _prepare(app, source, "claims", sheet, mapping)
    ex = extract(analysis, app.catalog)
    rows = _Rows(ex, _column_of(analysis), analysis.targets)
    attrs = [a for a in CLAIM_ATTRS if a in ex.columns]
    with app.db.reading() as conn:
        workers = _row_workers(app, conn, ex, rows)
        heads = _heads(conn)
        stored = {_claim_key(r.claim): r
                  for r in repo.claims_of_workers(conn, {w.id for w in workers.values()})}
        claims, seen = {}, {}
        for k, w in workers.items():
            claim = _row_claim(app, ex, rows, k, w, attrs)
            if claim is None:
                continue
            key = _claim_key(claim)
            if key in seen:
                rows.add(k, "import_duplicate_claim", "from_date", {"other": ex.rows[seen[key]]})
                continue
            seen[key] = k
            claims[k] = claim
        changes = _against_stored(ex, rows, claims, stored, heads)
        _warn_rules(app, conn, rows, changes, heads)
    reports = rows.reports()
    failed = sum(1 for r in reports.noted() if r.status == "error")
    result = ClaimsImportResult(analysis.path.name, analysis.sheet, reports, ex.notes,
                                skipped=ex.skipped, all_or_nothing=all_or_nothing,
                                analysis=analysis, legacy=ex.legacy, what="claims")
    result.unchanged = sum(1 for k, c in changes.items() if c is None and not rows.failed(k))
    if not dry_run and not (all_or_nothing and failed):
        new = [c for k, c in changes.items() if c is not None and c.id is None
               and not rows.failed(k)]
        updated = [c for k, c in changes.items() if c is not None and c.id is not None
                   and not rows.failed(k)]
        with app.db.transaction() as conn:
            repo.add_claims(conn, new)
            for claim in updated:
                repo.update_claim(conn, claim)
            repo.log_processing(conn, "import", analysis.path.name,
                                workers=len({c.worker_id for c in new + updated}),
                                detail=f"claims: added {len(new)}, updated {len(updated)}, "
                                       f"unchanged {result.unchanged}, failed {failed}")
        result.added, result.updated = len(new), len(updated)
        _saved(app, result, explicit and remember)
    return _reported(app, result, report)


def _saved(app: App, result: ClaimsImportResult, remember: bool) -> None:
    """An import's rows stored: each row reported as imported, and the columns' meaning
    the officer chose remembered (``remember``) for files of the same layout."""
    result.stored = True
    result.rows.action = "added"
    if remember and result.analysis is not None:
        mapping_store(app).put(result.analysis)


def _reported(app: App, result: ClaimsImportResult, report: Path | str | None
              ) -> ClaimsImportResult:
    """The import, with its .xlsx error report written where one was asked for."""
    if report is not None:
        result.report = write_error_report(app, result, Path(report))
    return result


def _row_claim(app: App, ex: Extraction, rows: _Rows, k: int, w: Worker,
               attrs: list[str]) -> Claim | None:
    """The claim a row holds, or None when a cell of it cannot be used (noted)."""
    unread = rows.unread(k)
    values = {a: ex.columns[a][k] for a in attrs if a not in unread}
    if "rest_days" in values:  # text in the sheet: read here
        read, code = _read_value(app, "rest_days", values["rest_days"])
        if code:
            rows.add(k, code, "rest_days", {"value": read})
            values.pop("rest_days")
        else:
            values["rest_days"] = read
    if "child_count" in values and values["child_count"] is None:
        values["child_count"] = 0
    for attr in ("days", "pregnancy_weeks"):  # an empty cell reads as 0: none given
        if values.get(attr) == 0:
            values[attr] = None
    for attr in ("bank_account", "child_id"):  # numbers kept as text the old way: '0071…
        if isinstance(values.get(attr), str):
            values[attr] = values[attr].lstrip("'")
    blank = Claim(worker_id=w.id or 0, kind="", from_date=None, to_date=None)  # type: ignore[arg-type]
    claim = replace(blank, **{a: v for a, v in values.items() if v is not None})
    for p in input_problems(app, claim, ex.rows[k]):
        if p.field not in unread:
            rows.add(k, p.code, p.field, p.params)
    return None if rows.failed(k) else claim


def _against_stored(ex: Extraction, rows: _Rows, claims: dict[int, Claim],
                    stored: dict[tuple, ClaimRecord],
                    heads: Mapping[int, tuple[str, DossierState]]) -> dict[int, Claim | None]:
    """Each row's claim as it will be saved: new, the stored one with the row's values
    over it, or None when the stored one says the same already. A row that would change
    a claim already in a list is an error."""
    out: dict[int, Claim | None] = {}
    for k, claim in claims.items():
        record = stored.get(_claim_key(claim))
        if record is None:
            out[k] = claim
            continue
        before = record.claim
        merged = replace(before, **{a: getattr(claim, a) for a in CLAIM_ATTRS
                                    if a in ex.columns and getattr(claim, a) not in (None, "")})
        if merged == before:
            out[k] = None
        elif before.declaration_id is not None:
            state = heads.get(before.declaration_id, ("", DossierState.DRAFT))[1]
            rows.add(k, "import_claim_filed", "kind",
                     {"id": before.id, "dossier": before.declaration_id, "state": str(state)})
        else:
            out[k] = merged
    return out


def _warn_rules(app: App, conn: Connection, rows: _Rows, changes: dict[int, Claim | None],
                heads: Mapping[int, tuple[str, DossierState]]) -> None:
    """What the rules say of the rows to be saved, as warnings at their cells."""
    positions = [k for k, c in changes.items() if c is not None and not rows.failed(k)]
    claims = [changes[k] for k in positions]
    for k, a in zip(positions, _assess(app, conn, claims, heads), strict=True):  # type: ignore[arg-type]
        for p in a.problems:
            rows.add(k, p.code, p.field, dict(p.params), "warning")


# -- months of contribution from a spreadsheet ----------------------------------------------

def import_history(app: App, source: Path | str, *, sheet: str | None = None,
                   mapping: Path | str | dict | None = None,
                   report: Path | str | None = None, dry_run: bool = False,
                   remember: bool = True) -> ClaimsImportResult:
    """Months of contribution and salaries from HR's own records: per row a worker (BHXH
    number, CCCD or CMND), a from month, a to month (empty: still contributing) and the
    salary. A worker's imported months are replaced by the file's as a whole, so
    importing the same file twice changes nothing; a worker with a bad row keeps the
    months stored before (all their rows are reported, to be imported again together).
    The months the unit filed on its D02-LT lines are not touched: they come from the
    dossiers."""
    with gc_paused():
        return _import_history(app, source, sheet, mapping, report, dry_run, remember)


def _import_history(app: App, source: Path | str, sheet: str | None,
                    mapping: Path | str | dict | None, report: Path | str | None,
                    dry_run: bool, remember: bool) -> ClaimsImportResult:
    analysis, explicit = _prepare(app, source, "history", sheet, mapping)
    ex = extract(analysis, app.catalog)
    rows = _Rows(ex, _column_of(analysis), analysis.targets)
    with app.db.reading() as conn:
        workers = _row_workers(app, conn, ex, rows)
    by_worker: dict[int, list[tuple[int, Stint]]] = {}
    for k, w in workers.items():
        stint = _row_stint(ex, rows, k)
        if stint is not None:
            by_worker.setdefault(w.id or 0, []).append((k, stint))
    for wid in list(by_worker):
        _check_overlaps(ex, rows, by_worker[wid])
    every = {}
    for k, w in workers.items():
        every.setdefault(w.id, []).append(k)
    good: dict[int, list[Stint]] = {}
    for wid, positions in every.items():
        bad = [ex.rows[k] for k in positions if rows.failed(k)]
        if bad:
            for k in positions:
                if not rows.failed(k):
                    rows.add(k, "import_stint_worker_failed", None,
                             {"rows": ", ".join(map(str, bad))})
        else:
            good[wid] = [s for _, s in by_worker.get(wid, [])]
    reports = rows.reports()
    failed = sum(1 for r in reports.noted() if r.status == "error")
    result = ClaimsImportResult(analysis.path.name, analysis.sheet, reports, ex.notes,
                                skipped=ex.skipped, analysis=analysis, legacy=ex.legacy,
                                what="history")
    if not dry_run:
        with app.db.transaction() as conn:
            before = repo.load_stints(conn, good, source="import")
            written = repo.replace_stints(conn, good)
            repo.log_processing(conn, "import", analysis.path.name, workers=len(good),
                                detail=f"contribution months: {written} rows, "
                                       f"{len(good)} workers, failed {failed}")
        result.workers = len(good)
        result.added = sum(len(good[wid]) for wid in good if wid not in before)
        result.updated = sum(len(good[wid]) for wid in good if wid in before
                             and before[wid] != good[wid])
        result.unchanged = sum(len(s) for s in good.values()) - result.added - result.updated
        _saved(app, result, explicit and remember)
    return _reported(app, result, report)


def _row_stint(ex: Extraction, rows: _Rows, k: int) -> Stint | None:
    unread = rows.unread(k)
    start = ex.columns["from_month"][k] if "from_month" in ex.columns else None
    end = ex.columns["to_month"][k] if "to_month" in ex.columns else None
    salary = ex.columns["salary"][k] if "salary" in ex.columns else None
    if start is None and "from_month" not in unread:
        rows.add(k, "required", "from_month")
    if not salary and "salary" not in unread:
        rows.add(k, "required", "salary")
    if isinstance(start, Period) and isinstance(end, Period) and end < start:
        rows.add(k, "to_before_from", "to_month", {"to": str(end), "start": str(start)})
    if rows.failed(k):
        return None
    return Stint(start, end, salary)


def _check_overlaps(ex: Extraction, rows: _Rows, stints: list[tuple[int, Stint]]) -> None:
    """Two rows of one worker whose months overlap: the later one is an error."""
    ordered = sorted(stints, key=lambda item: item[1].from_month)
    for (k0, s0), (k1, s1) in pairwise(ordered):
        if s0.to_month is None or s1.from_month <= s0.to_month:
            rows.add(k1, "import_stint_overlap", "from_month", {"other": ex.rows[k0]})


# -- templates -----------------------------------------------------------------------------

def write_template(app: App, out: Path | str, what: str = "claims") -> Path:
    """A fill-in .xlsx for ``import_claims`` (or, ``what="history"``, for
    ``import_history``): the columns the importer reads, drop-down lists for the kinds
    and ways of payment, identifiers as text."""
    names, title, hint = ((CLAIM_COLUMNS, FORM, "claims_template_hint") if what == "claims"
                          else (HISTORY_COLUMNS, "QuaTrinhDong", "history_template_hint"))
    out = Path(out)
    columns = xlsx.out_columns(targets_for(app.catalog, what), names)
    try:
        xlsx.write_template(out, columns, app.catalog, app.lang, sheet_title=title, hint=hint)
    except OSError as exc:
        raise UserError("file_unwritable", path=str(out), detail=exc.strerror) from None
    return out


__all__ = ["CLAIM_COLUMNS", "FORM", "HISTORY_COLUMNS", "STATES", "ClaimView",
           "ClaimsImportResult", "Preview", "add_claim", "check_claims", "claim_state",
           "claims_of_dossier", "declare_claims", "get_claim", "import_claims",
           "import_history", "input_problems", "kind_values", "list_claims",
           "parse_rest_days", "periods_of", "preview_claim", "procedure_of_kind",
           "record_approved", "record_results", "record_results_in", "remove_claim",
           "update_claim", "values_for_kind", "worker_history", "write_template"]
