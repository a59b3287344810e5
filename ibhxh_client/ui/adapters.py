"""The few calls the window needs that the services do not offer as one function yet,
and the work of the other modules (printing, importing, the gateway) behind one small
face each, so a screen never depends on how they are spelled.

Each function here only sequences existing service and repository calls; the checks and
computations are theirs. See docs/ui.md ("wiring") for what should move into services.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..domain.model import (
    Declaration,
    DeclarationLine,
    DossierState,
    Employer,
    Period,
    Worker,
)
from ..services import declarations as decls
from ..services import employer as employer_svc
from ..services.app import App, UserError
from ..services.checks import check_employer, check_worker
from ..services.workers import make_worker
from ..storage import repo

EDITABLE = (DossierState.DRAFT, DossierState.VALIDATED)


def optional(module: str) -> Any | None:
    """A module of another part of the program, or None while it is not there yet."""
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


# -- employer ---------------------------------------------------------------------------

def get_employer(app: App) -> Employer | None:
    with app.db.reading() as conn:
        return repo.get_employer(conn)


def parse_day(text: str, field: str) -> date | None:
    """A day typed as dd/mm/yyyy (or yyyy-mm-dd); a clear error naming the field."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        if "-" in text:
            return date.fromisoformat(text)
        d, m, y = (int(x) for x in text.replace(".", "/").split("/"))
        return date(y, m, d)
    except (ValueError, TypeError):
        raise UserError("field_type", field=field, expected="dd/mm/yyyy", value=text) from None


def employer_from_form(values: dict[str, Any]) -> Employer:
    """The Employer the form describes, every field coerced by the service."""
    values = dict(values)
    values["licence_date"] = parse_day(values.get("licence_date", ""), "licence_date")
    return employer_svc.from_values(values)


def save_employer(app: App, values: dict[str, Any]) -> Employer:
    """Store the unit's profile when every check passes (as ``employer set`` does)."""
    e = employer_from_form(values)
    problems = check_employer(app.catalog, e)
    if problems:
        raise UserError("invalid_data", problems=problems, count=len(problems))
    with app.db.transaction() as conn:
        repo.save_employer(conn, e)
    return e


# -- workers ----------------------------------------------------------------------------

def get_worker(app: App, worker_id: int) -> Worker | None:
    with app.db.reading() as conn:
        return repo.find_worker(conn, f"#{worker_id}")


def update_worker(app: App, worker_id: int, values: dict[str, Any]) -> Worker:
    """Change a stored worker after every check (as ``workers.add`` checks a new one)."""
    w = make_worker(values)
    problems = check_worker(app.catalog, w)
    if problems:
        raise UserError("invalid_data", problems=problems, count=len(problems))
    with app.db.transaction() as conn:
        old = repo.find_worker(conn, f"#{worker_id}")
        if old is None:
            raise UserError("no_worker", texts={
                "vi": f"Không tìm thấy người lao động số {worker_id}.",
                "en": f"No worker number {worker_id}."})
        for key in (w.bhxh_number, w.cccd):
            other = repo.find_worker(conn, key) if key else None
            if other is not None and other.id != worker_id:
                raise UserError("worker_exists", value=key)
        w.id, w.status = worker_id, old.status
        repo.update_worker(conn, w)
    return w


def import_workers(app: App, path: Path, lang: str = "vi") -> dict[str, Any]:
    """Workers from a spreadsheet: the importing service when present (xlsx, xls, ods,
    csv; rows that fail are reported, the others saved, an .xlsx error report beside the
    file), else the CSV import of ``services.workers``."""
    svc = optional("ibhxh_client.services.importing")
    fn = getattr(svc, "import_workers", None) if svc else None
    path = Path(path)
    if fn is None:
        from ..services.workers import import_csv

        counts = import_csv(app, path)
        return {**counts, "failed": 0, "summary": "", "rows": []}
    result = fn(app, path)
    if result.failed:  # the rows to correct, marked in red, beside the file
        svc.write_error_report(app, result, path.with_name(f"{path.stem}-loi.xlsx"))
    return {"added": result.added, "updated": result.updated, "failed": result.failed,
            "summary": result.summary(lang),
            "rows": [f"{r.row}: " + "; ".join(r.messages(lang))
                     for r in result.rows if r.status == "error"][:50]}


# -- declarations -----------------------------------------------------------------------

def new_draft(app: App, procedure: str, period_text: str) -> int:
    """An empty draft for a procedure and period, to fill line by line in the editor."""
    if procedure not in app.catalog.procedures:
        raise UserError("unknown_procedure", value=procedure,
                        allowed=", ".join(app.catalog.procedures))
    period = decls.parse_period(period_text)
    employer_svc.get(app)  # a clear message when the unit is not set up yet
    decl = Declaration(procedure=procedure, period=period, created=date.today())
    with app.db.transaction() as conn:
        return repo.save_declaration(conn, decl, detail="0 dòng")


def line_for(app: App, decl: Declaration, worker: Worker) -> DeclarationLine:
    """A new line for ``worker`` with the defaults ``declare`` gives (plan of the procedure's
    kind, the worker's salary and position, the period)."""
    proc = app.catalog.procedure(decl.procedure)
    problems: list = []
    line = decls._line(app, decls.LineRequest(worker=f"#{worker.id}"), len(decl.lines) + 1,
                       worker, decl.period, decls.DEFAULT_PLAN[proc.kind], problems)
    assert line is not None
    return line


def save_lines(app: App, decl: Declaration) -> DossierState:
    """Store the edited lines of a draft; a validated dossier goes back to draft."""
    assert decl.id is not None
    with app.db.transaction() as conn:
        state = DossierState(repo.load_declaration(conn, decl.id).state)
        if state not in EDITABLE:
            raise UserError("not_editable", texts={
                "vi": f"Hồ sơ {decl.id} đang ở trạng thái {state}: không sửa được nữa.",
                "en": f"Dossier {decl.id} is {state}: it can no longer be changed."})
        repo.replace_lines(conn, decl)
        if state == DossierState.VALIDATED:
            repo.set_state(conn, decl.id, DossierState.DRAFT, detail="sửa dòng")
            state = DossierState.DRAFT
    decl.state = state
    return state


def new_workers(app: App) -> list[Worker]:
    """Workers not declared yet (the ``--new-workers`` of ``declare``)."""
    from ..domain.model import WorkerStatus

    with app.db.reading() as conn:
        return [w for w in repo.search_workers(conn) if w.status == WorkerStatus.NEW]


def workers_by_id(app: App, ids: list[int]) -> dict[int, Worker]:
    with app.db.reading() as conn:
        return repo.load_workers(conn, ids)


@dataclass
class CheckResult:
    """What the editor shows after each edit: totals, forms, problems."""

    summary: Any
    forms: list[tuple[str, int]]  # form code, how many files
    problems: list[Any]


def check_draft(app: App, decl: Declaration, workers: dict[int, Worker]) -> CheckResult:
    """Build the dossier as ``validate`` would, without storing anything."""
    from ..dossier.build import build_dossier

    employer = employer_svc.get(app)
    result = build_dossier(app.catalog, employer, workers, decl,
                           decls._status_lookup(workers))
    counts: dict[str, int] = {}
    for data in result.forms:
        counts[data.spec.code] = counts.get(data.spec.code, 0) + 1
    return CheckResult(result.summary, list(counts.items()), list(result.problems))


def period_of(text: str) -> Period:
    return decls.parse_period(text)


# -- paper ------------------------------------------------------------------------------

def paper_offer(exc: BaseException | None) -> Any | None:
    """The paper dossier offered after a signing or sending failure (or None)."""
    from ..services import printing

    return printing.offer_paper(exc)


def render_preview(app: App, decl_id: int, device: Any, reason: str) -> int:
    """Draw the paper dossier onto a print preview's printer; nothing is recorded."""
    import hashlib

    from ..printing.dossier import print_to
    from ..services import printing

    decl, workers = decls.load(app, decl_id)
    employer = employer_svc.get(app)
    from ..dossier.build import build_dossier

    result = build_dossier(app.catalog, employer, workers, decl)
    if not result.ok or result.envelope is None:
        raise UserError("invalid_data", problems=result.problems, count=len(result.problems))
    sha = hashlib.sha256(result.envelope).hexdigest()
    info = printing._info(app, decl, employer, sha, reason)
    return print_to(device, result.forms, info, app.catalog).pages


def print_paper(app: App, decl_id: int, reason: str, *, out: Path | None = None,
                printer: str | None = None) -> Any:
    from ..services import printing

    return printing.print_dossier(app, decl_id, reason=reason, out=out, printer=printer)


# -- gateway ----------------------------------------------------------------------------

def submission() -> Any | None:
    return optional("ibhxh_client.services.submission")


def sandbox_class() -> Any | None:
    mod = optional("ibhxh_client.gateway.sandbox")
    return getattr(mod, "Sandbox", None) if mod else None
