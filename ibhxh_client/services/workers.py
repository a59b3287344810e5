"""Workers: added one by one, listed and searched, imported from CSV."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

from ..domain.model import PartialDate, Worker, WorkerStatus
from ..domain.text import clean_name, name_sort_key, nfc
from ..domain.values import parse_money
from ..storage import repo
from .app import App, UserError
from .checks import check_worker
from .files import read_bytes

_FIELDS = {f.name for f in fields(Worker)} - {"id"}
_INT_FIELDS = {"salary", "allowances"}


def make_worker(values: dict[str, Any], row: int | None = None) -> Worker:
    """A Worker from loose text values, each one coerced; bad values name their field."""
    v = {k: (nfc(str(x)).strip() if x is not None else "") for k, x in values.items()
         if k in _FIELDS}
    try:
        born = PartialDate.parse(v.get("birth_date", ""))
    except ValueError:
        raise UserError("bad_field", row=row or "", field="birth_date",
                        value=v.get("birth_date", "")) from None
    out: dict[str, Any] = {}
    for key, value in v.items():
        if key in _INT_FIELDS:
            try:
                out[key] = parse_money(value)
            except ValueError:
                raise UserError("bad_field", row=row or "", field=key, value=value) from None
        elif key == "status":
            try:
                out[key] = WorkerStatus(value or "new")
            except ValueError:
                raise UserError("bad_field", row=row or "", field=key, value=value) from None
        elif key == "gender":
            out[key] = {"nam": "M", "nữ": "F", "nu": "F"}.get(value.lower(), value.upper())
        elif key != "birth_date":
            out[key] = value
    out["full_name"] = clean_name(out.get("full_name", ""))
    out.setdefault("gender", "")
    return Worker(birth_date=born, **out)


def add(app: App, values: dict[str, Any]) -> Worker:
    """Add one worker after every check; nothing is stored when one fails."""
    w = make_worker(values)
    problems = check_worker(app.catalog, w)
    if problems:
        raise UserError("invalid_data", problems=problems, count=len(problems))
    with app.db.transaction() as conn:
        for key in (w.bhxh_number, w.cccd):
            if key and repo.find_worker(conn, key):
                raise UserError("worker_exists", value=key)
        repo.add_workers(conn, [w])
    return w


def update(app: App, worker_id: int, values: dict[str, Any]) -> Worker:
    """Change a stored worker after every check, as ``add`` checks a new one; an ID number
    that belongs to another worker is refused."""
    w = make_worker(values)
    problems = check_worker(app.catalog, w)
    if problems:
        raise UserError("invalid_data", problems=problems, count=len(problems))
    with app.db.transaction() as conn:
        old = repo.find_worker(conn, f"#{worker_id}")
        if old is None:
            raise UserError("unknown_worker", value=f"#{worker_id}")
        for key in (w.bhxh_number, w.cccd):
            other = repo.find_worker(conn, key) if key else None
            if other is not None and other.id != worker_id:
                raise UserError("worker_exists", value=key)
        w.id, w.status = worker_id, old.status
        repo.update_worker(conn, w)
    return w


def search(app: App, text: str = "", limit: int | None = None) -> list[Worker]:
    """Workers matching ``text`` (diacritics ignored), in Vietnamese name order."""
    with app.db.reading() as conn:
        found = repo.search_workers(conn, text)
    found.sort(key=lambda w: name_sort_key(w.full_name))
    return found[:limit] if limit else found


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file by its header, read as the importer reads CSV (UTF-8 with or
    without BOM, Windows-1258, the delimiter guessed)."""
    from ..importing.reader import csv_sheet

    header, *rows = csv_sheet(read_bytes(path)).rows or [[]]
    return [dict(zip(header, row, strict=False)) for row in rows if any(row)]
