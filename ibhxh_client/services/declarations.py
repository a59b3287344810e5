"""Declarations: made from worker changes, checked, stored, exported, followed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from .. import __version__
from ..catalog import Catalog
from ..domain.formspec import LineField, Procedure
from ..domain.messages import say
from ..domain.model import (
    Declaration,
    DeclarationLine,
    DossierState,
    Period,
    PeriodError,
    Worker,
    WorkerStatus,
)
from ..domain.validation import Problem, RuleContext, validate_form
from ..domain.values import parse_day, parse_money
from ..dossier import procedure_check
from ..dossier.build import (
    BuildResult,
    build_dossier,
    check_declaration,
    salary_floor,
    schema_problems,
)
from ..dossier.envelope import read_envelope
from ..dossier.safexml import UnsafeXmlError, parse
from ..dossier.xmlform import FormReadError, form_from_element
from ..storage import repo
from . import officers
from .app import App, UserError
from .employer import get as get_employer
from .files import read_bytes, write_atomic

# What a validated dossier does to each worker's standing (by plan code).
STATUS_AFTER = {"TM": WorkerStatus.ACTIVE, "ON": WorkerStatus.ACTIVE, "TD": WorkerStatus.ACTIVE,
                "TC": WorkerStatus.ACTIVE, "GH": WorkerStatus.LEFT, "GD": WorkerStatus.LEFT,
                "GC": WorkerStatus.LEFT, "KL": WorkerStatus.PAUSED, "TS": WorkerStatus.PAUSED,
                "OF": WorkerStatus.PAUSED}


@dataclass
class LineRequest:
    """One change asked for on the command line or in a file, before it is checked."""

    worker: str  # BHXH number, CCCD, or #id
    plan: str = ""
    salary: str = ""
    from_month: str = ""
    to_month: str = ""
    decision_number: str = ""
    decision_date: str = ""
    leave_days: str = ""
    note: str = ""
    change: str = ""  # what changes, or why (607, 608 …)
    doc_type: str = ""  # the type of the document behind it (608: CCCD, GK …)


def line_request(procedure: Procedure, spec: str) -> LineRequest:
    """A line as ``--line WORKER:…`` gives it: the worker, then the values the procedure
    asks for (``line`` in forms/procedures.toml), in order; the last takes the rest of the
    text, colons included (a change written "Họ tên: A → B")."""
    names = ["worker", *procedure.line]
    parts = [p.strip() for p in spec.split(":", len(names) - 1)]
    return LineRequest(**dict(zip(names, parts, strict=False)))


def procedure_of(app: App, code: str, exit_code: int = 2) -> Procedure:
    """The catalogue's procedure, or the sentence that says there is none: a retired
    code (600a) with where its changes are filed now, an unknown one with the known."""
    proc = app.catalog.procedures.get(code)
    if proc is not None:
        return proc
    moved = app.catalog.retired_hints().get(code)
    if moved is not None:
        raise UserError("procedure_retired", exit_code=exit_code, value=code, now=moved[0],
                        plans=moved[1])
    raise UserError("unknown_procedure", exit_code=exit_code, value=code,
                    allowed=", ".join(app.catalog.procedures))


def procedure_list(catalog: Catalog, lang: str = "vi") -> list[dict[str, Any]]:
    """Every procedure as ``ibhxh procedures`` lists it: code, name, how sure we are of it
    and where from, its plan codes, what ``--line`` gives after the worker (the fields'
    labels, in order), what ``--change`` says for one about the unit, and its forms."""
    def label(proc: Procedure, attr: str, fields: tuple[LineField, ...]) -> str:
        found = next((f for f in fields if f.attr == attr), None)
        spec = catalog.form(found.form).find_field(found.field) if found else None
        return spec.label_in(lang) if spec else attr

    return [{"code": code, "name": proc.name.get(lang) or proc.name["vi"],
             "status": proc.status, "status_text": say(f"status_{proc.status}", lang),
             "source": proc.source, "plans": list(proc.plans),
             "line": [say("line_worker", lang)] + [label(proc, a, proc.columns)
                                                   for a in proc.line]
             if proc.workers and not proc.claims else [],
             "header": [label(proc, f.attr, proc.header) for f in proc.header],
             "forms": [need.form for need in proc.forms]}
            for code, proc in catalog.procedures.items()]


def parse_period(text: str) -> Period:
    try:
        return Period.parse(text)
    except PeriodError:
        raise UserError("bad_period", exit_code=2, value=text) from None


def _status_lookup(workers: dict[int, Worker]):
    by_key: dict[str, WorkerStatus] = {}
    for w in workers.values():
        for key in (w.bhxh_number, w.cccd):
            if key:
                by_key[key] = w.status

    def status_of(record: dict[str, Any]) -> WorkerStatus | None:
        key = record.get("ma_so_bhxh") or record.get("so_cccd")
        return by_key.get(key) if key else None

    return status_of


def _line_problem(app: App, proc: Procedure, row: int, attr: str, code: str,
                  value: str) -> Problem:
    """A value of a line that cannot be read, where the procedure shows it (D02-LT's
    salary for 600, D01-TS's issue date for 608 …)."""
    column = proc.column(attr)
    if column is not None:
        form, spec = column.form, app.catalog.form(column.form).find_field(column.field)
    else:  # a value the procedure does not show: where the contribution lines hold it
        lines = app.catalog.lines_form()
        form = lines.code if lines else proc.code
        source = attr if attr.startswith("worker.") else f"line.{attr}"
        spec = next((f for f in lines.rows.fields if f.source == source), None) \
            if lines and lines.rows else None
    return Problem(form, row, spec.name if spec else attr, code, {"value": value},
                   spec.label if spec else None)


def _line(app: App, proc: Procedure, req: LineRequest, row: int, worker: Worker,
          period: Period, problems: list[Problem]) -> DeclarationLine | None:
    """A declaration line from a request; unreadable values become problems at that row."""
    def bad(attr: str, code: str, value: str) -> None:
        problems.append(_line_problem(app, proc, row, attr, code, value))

    def month(text: str, attr: str) -> Period | None:
        if not text:
            return None
        try:
            return Period.parse(text)
        except PeriodError:
            bad(attr, "bad_month", text)
            return None

    money = app.catalog.has_contributions(proc)  # a book re-issue holds no salary
    salary = worker.salary if money else 0
    if req.salary.strip():
        try:
            salary = parse_money(req.salary)
        except ValueError:
            bad("salary", "not_number", req.salary)
    decision_date = None
    if req.decision_date:
        try:
            decision_date = parse_day(req.decision_date)
        except ValueError:
            bad("decision_date", "bad_date", req.decision_date)
    leave = 0
    if req.leave_days:
        if req.leave_days.isdigit():
            leave = int(req.leave_days)
        else:
            bad("leave_days", "not_number", req.leave_days)
    start = month(req.from_month, "from_month") or period
    return DeclarationLine(
        worker_id=worker.id, plan=(req.plan or proc.default_plan).strip().upper(),
        from_month=start, to_month=month(req.to_month, "to_month"), salary=salary,
        position=worker.position if money else "",
        allowances=worker.allowances if money else 0, leave_days=leave,
        decision_number=req.decision_number.strip(), decision_date=decision_date,
        has_book=bool(worker.bhxh_number), note=req.note.strip(),
        change=req.change.strip(), doc_type=req.doc_type.strip().upper())


def declare(app: App, procedure: str, period_text: str, requests: list[LineRequest],
            new_workers: bool = False, first_registration: bool = False,
            created: date | None = None, change: str = "") -> tuple[Declaration, BuildResult]:
    """Make a draft dossier from worker changes (or, for a procedure about the unit, from
    what changes: ``change``). Every check runs first; the draft is stored only when they
    all pass, so a rejected request leaves the database as it was."""
    officers.require_preparer(app)
    proc = procedure_of(app, procedure)
    period = parse_period(period_text)
    if new_workers and not app.catalog.plans_of_kind(proc, "increase"):
        raise UserError("new_workers_not_taken", exit_code=2, procedure=procedure,
                        allowed=", ".join(code for code, p in app.catalog.procedures.items()
                                          if app.catalog.plans_of_kind(p, "increase")))
    if not proc.workers and (requests or new_workers):
        raise UserError("lines_not_taken", exit_code=2, procedure=procedure)
    employer = get_employer(app)
    problems: list[Problem] = []
    with app.db.reading() as conn:
        chosen: list[tuple[LineRequest, Worker]] = []
        found_workers = repo.find_workers(conn, [req.worker for req in requests])
        for row, (req, w) in enumerate(zip(requests, found_workers, strict=True), start=1):
            if w is None:
                problems.append(_line_problem(app, proc, row, "worker.bhxh_number",
                                              "unknown_worker", req.worker))
            else:
                chosen.append((req, w))
        if new_workers:
            ids = repo.worker_ids_with_status(conn, WorkerStatus.NEW)
            found = repo.load_workers(conn, ids)
            chosen += [(LineRequest(worker=f"#{i}"), found[i]) for i in ids]
    lines = []
    for row, (req, w) in enumerate(chosen, start=1):
        line = _line(app, proc, req, row, w, period, problems)
        if line:
            lines.append(line)
    if problems:  # rows that cannot even be read: report them before the form checks
        raise UserError("invalid_data", problems=problems, count=len(problems))
    if not lines and proc.workers:
        raise UserError("no_lines")
    decl = Declaration(procedure=procedure, period=period, lines=lines,
                       first_registration=first_registration, created=created or date.today(),
                       change=change.strip())
    workers = {w.id: w for _, w in chosen}
    result = build_dossier(app.catalog, employer, workers, decl, _status_lookup(workers))
    problems += result.problems
    if problems:
        raise UserError("invalid_data", problems=problems, count=len(problems))
    detail = f"{len(lines)} dòng" if proc.workers else "thông tin đơn vị"
    with app.db.transaction() as conn:
        repo.save_declaration(conn, decl, detail=detail)
    return decl, result


EDITABLE = (DossierState.DRAFT, DossierState.VALIDATED)


def new_draft(app: App, procedure: str, period_text: str) -> int:
    """An empty draft for a procedure and period, filled line by line in the window."""
    officers.require_preparer(app)
    procedure_of(app, procedure, exit_code=1)
    period = parse_period(period_text)
    get_employer(app)  # a clear message when the unit is not set up yet
    decl = Declaration(procedure=procedure, period=period, created=date.today())
    with app.db.transaction() as conn:
        return repo.save_declaration(conn, decl, detail="0 dòng")


def default_line(app: App, decl: Declaration, worker: Worker) -> DeclarationLine:
    """A new line for ``worker`` with the defaults ``declare`` gives: the procedure's
    default plan, the worker's salary and position, the declared period."""
    proc = app.catalog.procedure(decl.procedure)
    line = _line(app, proc, LineRequest(worker=f"#{worker.id}"), len(decl.lines) + 1, worker,
                 decl.period, [])
    assert line is not None  # no request field to misread: never None here
    return line


def save_lines(app: App, decl: Declaration) -> DossierState:
    """Store a draft's edited lines; an edited validated dossier goes back to draft."""
    assert decl.id is not None
    with app.db.transaction() as conn:
        repo.lock_declaration(conn, decl.id)
        state = repo.load_declaration(conn, decl.id, lines=False).state
        if state not in EDITABLE:
            raise UserError("not_editable", value=decl.id, state=str(state))
        try:
            repo.replace_lines(conn, decl)
        except repo.StaleEdit as exc:
            raise UserError("edit_conflict", id=decl.id, who=exc.who,
                            at=exc.at.strftime("%d/%m/%Y %H:%M") + " UTC",
                            what=exc.what) from None
        count = len(decl.lines) + len(decl.documents)
        repo.note_change(conn, decl.id, f"sửa hồ sơ: {count} dòng")
        if state == DossierState.VALIDATED:
            repo.set_state(conn, decl.id, DossierState.DRAFT, detail="sửa dòng")
            state = DossierState.DRAFT
    decl.state = state
    return state


def preview(app: App, decl: Declaration, workers: dict[int, Worker]) -> BuildResult:
    """The dossier as ``validate`` would build it (totals, forms, every problem), without
    storing anything: what the editor shows after each edit."""
    return check_declaration(app.catalog, get_employer(app), workers, decl,
                             _status_lookup(workers))


def _declaration(conn: Connection, decl_id: int, lines: bool = True) -> Declaration:
    try:
        return repo.load_declaration(conn, decl_id, lines=lines)
    except repo.NotFound:
        raise UserError("no_dossier", value=decl_id) from None


def load(app: App, decl_id: int) -> tuple[Declaration, dict[int, Worker]]:
    with app.db.reading() as conn:
        decl = _declaration(conn, decl_id)
        workers = repo.load_workers(conn, {line.worker_id for line in decl.lines}
                                    | {d.worker_id for d in decl.documents if d.worker_id}
                                    | {c.worker_id for c in decl.claims})
    return decl, workers


def head(app: App, decl_id: int) -> Declaration:
    """A dossier's own row (procedure, period, state), without reading (and unsealing)
    its lines."""
    with app.db.reading() as conn:
        return _declaration(conn, decl_id, lines=False)


def state_of(app: App, decl_id: int) -> DossierState:
    return head(app, decl_id).state


def validate(app: App, decl_id: int) -> BuildResult:
    """Check a stored dossier; when it passes, keep its envelope and mark it validated."""
    officers.require_preparer(app)
    decl, workers = load(app, decl_id)
    result = build_dossier(app.catalog, get_employer(app), workers, decl)
    if not result.ok:
        raise UserError("invalid_data", problems=result.problems, count=len(result.problems))
    digest = hashlib.sha256(result.envelope).hexdigest()
    with app.db.transaction() as conn:
        if repo.artifact_sha256(conn, decl_id, "envelope") != digest:
            repo.put_artifact(conn, decl_id, "envelope", result.envelope)  # once per content
        if decl.state == DossierState.DRAFT:
            repo.set_state(conn, decl_id, DossierState.VALIDATED,
                           detail=f"{len(result.files)} tệp")
            groups: dict[tuple[WorkerStatus, Period], list[int]] = {}
            for line in decl.lines:
                if line.plan in STATUS_AFTER:
                    groups.setdefault((STATUS_AFTER[line.plan], line.from_month),
                                      []).append(line.worker_id)
            for (status, start), ids in groups.items():
                repo.set_worker_status(conn, ids, status, start)
        basis = f"{__version__} {repo.dossier_basis(conn, decl_id)}".encode()
        repo.put_artifact(conn, decl_id, "basis", basis)
    return result


def validated_envelope(app: App, decl_id: int) -> bytes | None:
    """The envelope ``validate`` kept, when the dossier is still validated and nothing it
    was built from has changed since (nor the program): what signing can take without
    building it again. None otherwise."""
    with app.db.reading() as conn:
        if repo.load_declaration(conn, decl_id, lines=False).state != DossierState.VALIDATED:
            return None
        basis = f"{__version__} {repo.dossier_basis(conn, decl_id)}".encode()
        if repo.get_artifact(conn, decl_id, "basis") != basis:
            return None
        return repo.get_artifact(conn, decl_id, "envelope")


def export(app: App, decl_id: int, out: Path) -> int:
    """Write the dossier's envelope to a file (validating it first); returns its size."""
    result = validate(app, decl_id)
    data = result.envelope
    write_atomic(out, data)
    with app.db.transaction() as conn:
        repo.log_processing(conn, "export", f"dossier {decl_id}",
                            workers=len(result.forms[0].rows) if result.forms else 0,
                            detail=out.suffix)
    return len(data)


def status(app: App, decl_id: int | None = None) -> list[dict[str, Any]] | dict[str, Any]:
    """Every dossier, or one with its history."""
    with app.db.reading() as conn:
        if decl_id is None:
            return repo.list_declarations(conn)
        items = [d for d in repo.list_declarations(conn) if d["id"] == decl_id]
        if not items:
            raise UserError("no_dossier", value=decl_id)
        item = items[0]
        item["history"] = [
            {"at": h["at"].isoformat(timespec="seconds"), "user": h["user"],
             "from": h["from_state"], "to": h["to_state"], "detail": h["detail"]}
            for h in repo.get_history(conn, decl_id)]
        return item


def validate_file(app: App, path: Path) -> list[Problem]:
    """Check an XML file from anywhere: an envelope with its forms, or a single form."""
    data = read_bytes(path)
    try:
        root = parse(data)
    except UnsafeXmlError as exc:
        return [Problem(path.name, None, None, "bad_xml", {"detail": str(exc)})]
    if root.tag == "Hoso":
        return _check_envelope(app, root)
    return _check_form(app, root, None, None)


def _check_envelope(app: App, root) -> list[Problem]:
    """The envelope against the catalogue and its schema, then each form in it, then the
    forms against what the procedure takes and needs."""
    problems = procedure_check.head_problems(app.catalog, root)
    if problems:  # every later check depends on the procedure and the period
        return problems
    problems = schema_problems(app.catalog.envelope_xsd_path(), "Hoso", root)
    if problems:
        return problems
    problems = procedure_check.file_problems(app.catalog, root)
    if problems:  # names, codes, types and lengths as the exchange derives them
        return problems
    info = read_envelope(root)
    ctx_period = _try_period(info.period)
    proc = app.catalog.procedure(info.procedure)
    tally = procedure_check.FormTally(app.catalog, root)
    for f in info.files:
        try:
            inner = parse(f.content)
        except UnsafeXmlError as exc:
            problems.append(Problem(f.file_name, None, None, "bad_xml", {"detail": str(exc)}))
            continue
        tally.add(inner)
        problems += _check_form(app, inner, ctx_period, proc)
    return problems + tally.problems()


def _try_period(text: str) -> Period | None:
    try:
        return Period.parse(text)
    except PeriodError:
        return None


def _check_form(app: App, root, period: Period | None, proc) -> list[Problem]:
    spec = app.catalog.form_by_exchange(root.tag)
    if spec is None:
        return [Problem(str(root.tag), None, None, "unknown_form", {"value": root.tag})]
    problems = schema_problems(app.catalog.xsd_path(spec.code), spec.code, root)
    if problems:
        return problems
    try:
        data = form_from_element(spec, root)
    except FormReadError as exc:
        return [Problem(spec.code, exc.row, exc.field, exc.code, {"value": exc.value})]
    ctx = RuleContext(codelists=app.catalog.codelists, procedure=proc,
                      period=period or data.header.get("ky_ke_khai"))
    try:
        ctx.region = get_employer(app).region
        ctx.salary_floor = salary_floor(app.catalog)
    except UserError:
        pass  # no unit set up here: the salary floor cannot be known, the rest still runs
    # A field the exchange has no element for (TK1-TS [11]) cannot be read from a file.
    unsent = {f.name for group in spec.groups() for f in group.fields if not f.xml}
    return [p for p in validate_form(data, ctx) if p.field not in unsent]

