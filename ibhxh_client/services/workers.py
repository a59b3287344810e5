"""Workers: added one by one, listed and searched, imported from CSV."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from ..domain.messages import say
from ..domain.model import PartialDate, Worker, WorkerStatus
from ..domain.text import clean_name, name_sort_key, nfc
from ..domain.values import parse_money
from ..storage import repo
from .app import App, UserError
from .checks import IDENTIFIERS, PERSON_FIELDS, IdentityConflict, check_worker, identity_conflict
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


def _owners(conn: Connection, w: Worker) -> dict[int, tuple[Worker, str]]:
    """The stored workers holding one of ``w``'s identifiers: id → (worker, the first
    identifier it holds)."""
    out: dict[int, tuple[Worker, str]] = {}
    for attr in IDENTIFIERS:
        key = getattr(w, attr)
        other = repo.find_worker(conn, key) if key else None
        if other is not None and other.id is not None:
            out.setdefault(other.id, (other, attr))
    return out


def conflict_error(conflict: IdentityConflict) -> UserError:
    """The refusal of a worker whose identifier belongs to another person: both versions
    in the sentence (in each language), the conflict itself in ``params["conflict"]``."""
    texts = {}
    for lang in ("vi", "en"):
        params = conflict.params(lang)
        params["key"] = params["key"][:1].upper() + params["key"][1:]
        texts[lang] = say("worker_conflict", lang, **params)
    return UserError("worker_conflict", texts=texts, conflict=conflict)


def add(app: App, values: dict[str, Any], *, replace_stored: bool = False) -> Worker:
    """Add one worker after every check; nothing is stored when one fails.

    A BHXH number, CCCD or CMND already stored is refused: as ``worker_conflict`` (both
    versions shown) when the stored worker is another person (name, birth date or another
    identifier differ), else ``worker_exists``. With ``replace_stored`` the stored worker
    takes the values given instead (what is not given is kept) and is returned."""
    w = make_worker(values)
    problems = check_worker(app.catalog, w)
    if problems:
        raise UserError("invalid_data", problems=problems, count=len(problems))
    with app.db.transaction() as conn:
        owners = _owners(conn, w)
        if len(owners) > 1:
            first, second = sorted(owners)
            raise UserError("worker_two_owners", first=first, second=second)
        if not owners:
            repo.add_workers(conn, [w])
            return w
        [(old, attr)] = owners.values()
        # What is given goes over the stored worker; what is not given is kept.
        after = replace(old, **{k: getattr(w, k) for k in values
                                if k in _FIELDS and values[k] not in (None, "")})
        if not replace_stored:
            conflict = identity_conflict(old, {a: getattr(w, a) for a in PERSON_FIELDS}, attr,
                                         after)
            if conflict is not None:
                raise conflict_error(conflict)
            raise UserError("worker_exists", value=getattr(w, attr))
        problems = check_worker(app.catalog, after)
        if problems:
            raise UserError("invalid_data", problems=problems, count=len(problems))
        repo.update_worker(conn, after)
        return after


def update(app: App, worker_id: int, values: dict[str, Any]) -> Worker:
    """Change a stored worker after every check, as ``add`` checks a new one; an ID number
    that belongs to another worker is refused (``worker_conflict`` with both versions
    when that worker is another person)."""
    w = make_worker(values)
    problems = check_worker(app.catalog, w)
    if problems:
        raise UserError("invalid_data", problems=problems, count=len(problems))
    with app.db.transaction() as conn:
        old = repo.find_worker(conn, f"#{worker_id}")
        if old is None:
            raise UserError("unknown_worker", value=f"#{worker_id}")
        for other, attr in _owners(conn, w).values():
            if other.id == worker_id:
                continue
            conflict = identity_conflict(other, {a: getattr(w, a) for a in PERSON_FIELDS}, attr,
                                         w)
            if conflict is not None:
                raise conflict_error(conflict)
            raise UserError("worker_exists", value=getattr(w, attr))
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
