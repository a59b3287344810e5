"""The few calls the window needs that the services do not offer as one function yet,
and the work of the other modules (printing, importing, the gateway) behind one small
face each, so a screen never depends on how they are spelled.

Each function here only sequences existing service and repository calls; the checks and
computations are theirs. See docs/ui.md ("wiring") for what should move into services.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain.model import (
    Declaration,
    DeclarationLine,
    DossierState,
    Employer,
    Worker,
)
from ..services import declarations as decls
from ..services import employer as employer_svc
from ..services import importing as import_svc
from ..services import workers as workers_svc
from ..services.app import App, UserError
from ..storage import repo


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


EDITABLE = decls.EDITABLE


def save_employer(app: App, values: dict[str, Any]) -> Employer:
    """Store the unit's profile when every check passes (as ``employer set`` does)."""
    return employer_svc.set_values(app, values)


def add_unit(app: App, values: dict[str, Any]) -> Employer:
    """Add another unit from a form's values and choose it (as ``units add`` does); a
    unit code already in the database is refused, nothing overwritten."""
    return employer_svc.save(app, employer_svc.from_values(values), new_unit=True)


# -- workers ----------------------------------------------------------------------------

def get_worker(app: App, worker_id: int) -> Worker | None:
    with app.db.reading() as conn:
        return repo.find_worker(conn, f"#{worker_id}")


def update_worker(app: App, worker_id: int, values: dict[str, Any]) -> Worker:
    """Change a stored worker after every check (as ``workers add`` checks a new one)."""
    return workers_svc.update(app, worker_id, values)


def analyse_import(app: App, path: Path, use: str = "workers") -> Any:
    """The importing service's look at a spreadsheet (sheet, header, matched and unmatched
    columns) for ``use`` (workers, claims)."""
    return import_svc.analyse(app, Path(path), use=use)


def _report_beside(app: App, result: Any, source: Path | Any) -> Path | None:
    """When rows failed, the .xlsx error report beside the imported file (the rows to
    correct, marked in red); its path, or None."""
    if not result.failed:
        return None
    file = Path(getattr(source, "path", source))
    return import_svc.write_error_report(app, result, file.with_name(f"{file.stem}-loi.xlsx"))


def import_workers(app: App, path: Path | Any, lang: str = "vi",
                   mapping: dict[int, str | None] | None = None) -> dict[str, Any]:
    """Workers from a spreadsheet (a path, or the ``analyse_import`` result; xlsx, xls, ods,
    csv): rows that fail are reported, the others saved, an .xlsx error report beside the
    file. ``mapping``: column index → field (None: ignore), from the mapping dialog;
    remembered by the service for files of the same layout."""
    result = import_svc.import_workers(app, path, mapping=mapping)
    return _import_outcome(result, lang, _report_beside(app, result, path))


def import_claims(app: App, path: Path | Any, lang: str = "vi",
                  mapping: dict[int, str | None] | None = None) -> dict[str, Any]:
    """Benefit claims from a spreadsheet, as ``import_workers`` imports workers: the
    summary, and each row noted (row, "error" or "warning", its sentences)."""
    from ..services import claims as claims_svc

    result = claims_svc.import_claims(app, path, mapping=mapping)
    _report_beside(app, result, path)
    return {"summary": result.summary(lang), "failed": result.failed,
            "added": result.added, "updated": result.updated,
            "rows": [(r.row, r.status, "; ".join(r.messages(lang)))
                     for r in result.rows.noted()]}


def _import_outcome(result: Any, lang: str, report: Path | None) -> dict[str, Any]:
    """What the window shows of an import: the counts and summary, the failed rows but
    those refused only for disagreeing with a stored worker, which are ``conflicts`` to
    ask about ((row, IdentityConflict)); ``result`` and ``report`` for ``take_import_rows``."""
    return {"added": result.added, "updated": result.updated, "failed": result.failed,
            "summary": result.summary(lang),
            "rows": [f"{r.row}: " + "; ".join(r.messages(lang))
                     for r in result.rows.noted()
                     if r.status == "error" and not r.open_conflict][:50],
            "conflicts": [(r.row, r.conflict) for r in result.conflicts if r.open_conflict],
            "result": result, "report": report}


def take_import_rows(app: App, outcome: dict[str, Any], rows: list[int],
                     lang: str = "vi") -> dict[str, Any]:
    """Store the file's version of the conflict rows the officer chose after an import
    (``import_workers``'s outcome); the error report beside the file is written again."""
    result, report = outcome["result"], outcome["report"]
    import_svc.take_rows(app, result, rows)
    if report is not None:
        import_svc.write_error_report(app, result, report)
    return _import_outcome(result, lang, report)


# -- declarations -----------------------------------------------------------------------

def new_draft(app: App, procedure: str, period_text: str) -> int:
    return decls.new_draft(app, procedure, period_text)


def line_for(app: App, decl: Declaration, worker: Worker) -> DeclarationLine:
    return decls.default_line(app, decl, worker)


def save_lines(app: App, decl: Declaration) -> DossierState:
    """Store a draft's lines; a worker of another unit in them is refused, as the command
    line refuses it, and nothing is written."""
    try:
        return decls.save_lines(app, decl)
    except repo.UnitMismatch as exc:
        raise UserError("unit_mismatch", kind=exc.kind,
                        ids=", ".join(f"#{i}" for i in exc.ids[:10])) from None


def new_worker_ids(app: App) -> list[int]:
    """The workers not declared yet (the ``--new-workers`` of ``declare``)."""
    from ..domain.model import WorkerStatus

    with app.db.reading() as conn:
        return repo.worker_ids_with_status(conn, WorkerStatus.NEW)


def workers_by_id(app: App, ids: list[int]) -> dict[int, Worker]:
    with app.db.reading() as conn:
        return repo.load_workers(conn, ids)


@dataclass
class CheckResult:
    """What the editor shows after each edit: totals, forms, problems."""

    summary: Any
    forms: list[tuple[str, int]]  # form code, how many declarations (TK1-TS: per worker)
    problems: list[Any]


def check_draft(app: App, decl: Declaration, workers: dict[int, Worker]) -> CheckResult:
    """Build the dossier as ``validate`` would, without storing anything."""
    result = decls.preview(app, decl, workers)
    counts: dict[str, int] = {}
    for data in result.forms:  # TK1-TS: one file, one declaration per row (per worker)
        each = len(data.rows) if data.spec.per == "row" else 1
        counts[data.spec.code] = counts.get(data.spec.code, 0) + each
    return CheckResult(result.summary, list(counts.items()), list(result.problems))


# -- paper ------------------------------------------------------------------------------

def paper_offer(exc: BaseException | None) -> Any | None:
    """The paper dossier offered after a signing or sending failure (or None)."""
    from ..services import printing

    return printing.offer_paper(exc)


def render_preview(app: App, decl_id: int, device: Any, reason: str) -> int:
    """Draw the paper dossier onto a print preview's printer; nothing is recorded."""
    from ..services import printing

    return printing.prepare_paper(app, decl_id, reason=reason).render(device).pages


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


def sandbox_training() -> tuple[str, ...]:
    """The rules the training gateway breaks on purpose in claim lists (all of them in
    the window: an officer in training meets an approved amount that differs)."""
    mod = optional("ibhxh_client.gateway.sandbox.claims")
    return tuple(getattr(mod, "TRAINING", ())) if mod else ()
