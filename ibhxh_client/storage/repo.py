"""Reading and writing the domain objects. Every function takes the connection of the
caller's transaction, so a use case commits all its changes together or none.

A database holds several units. Every function works on the unit the connection was
opened for (``unit_of``: Database.unit_id, set when the program chose its unit): it reads
only that unit's rows, writes its rows with that unit, and refuses a worker, dossier or
claim of another unit (``UnitMismatch``) instead of mixing them. Only the functions that
say so (``all_units=True``) read across units.
"""

from __future__ import annotations

import getpass
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, or_, select, text, update

from ..domain.claims import Claim
from ..domain.history import Stint
from ..domain.model import (
    Declaration,
    DeclarationLine,
    DossierState,
    Employer,
    PartialDate,
    Period,
    SupportingDocument,
    Worker,
    WorkerStatus,
)
from ..domain.text import fold
from .db import cipher_of
from .schema import (
    HASHED,
    artifacts,
    claims,
    contribution_stints,
    declaration_lines,
    declarations,
    documents,
    employer,
    history,
    processing_log,
    remote_accounts,
    remote_signatures,
)
from .schema import workers as workers_t


class NotFound(LookupError):
    """No such worker or dossier; carries what was looked for."""


class NoUnit(LookupError):
    """No unit is chosen on this connection (none set up yet, or several and none named)."""


class StaleEdit(Exception):
    """The dossier changed since it was read (another officer, another window): the save
    was refused. ``who``, ``at`` and ``what`` say the change that came first."""

    def __init__(self, decl_id: int, who: str, at: datetime, what: str) -> None:
        super().__init__(f"dossier {decl_id} changed by {who} at {at}")
        self.decl_id, self.who, self.at, self.what = decl_id, who, at, what


class UnitMismatch(LookupError):
    """Rows of another unit were named in this unit's change; ``kind`` and ``ids`` say
    which (nothing was written)."""

    def __init__(self, kind: str, ids: Iterable[int]) -> None:
        self.kind = kind
        self.ids = sorted(set(ids))
        super().__init__(f"{kind} of another unit: {self.ids[:10]}")


def unit_of(conn: Connection) -> int:
    """The unit this connection works on."""
    unit = conn.get_execution_options().get("ibhxh_unit")
    if unit is None:
        raise NoUnit()
    return int(unit)


def work_on(conn: Connection, unit_id: int) -> None:
    """From now on this connection works on ``unit_id`` (a unit added in the same
    transaction)."""
    conn.execution_options(ibhxh_unit=unit_id)


def _unit_or_none(conn: Connection) -> int | None:
    unit = conn.get_execution_options().get("ibhxh_unit")
    return None if unit is None else int(unit)


def _own(conn: Connection, table: Any, ids: Iterable[int], kind: str) -> None:
    """Refuse any id in ``ids`` that is not a row of this unit in ``table``."""
    wanted = sorted({i for i in ids if i is not None})
    unit = unit_of(conn)
    found: set[int] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        found.update(conn.execute(select(table.c.id).where(
            table.c.id.in_(chunk), table.c.unit_id == unit)).scalars())
    if len(found) != len(wanted):
        raise UnitMismatch(kind, set(wanted) - found)


def own_declaration(conn: Connection, decl_id: int) -> None:
    """NotFound unless ``decl_id`` is a dossier of this unit."""
    row = conn.execute(select(declarations.c.id).where(
        declarations.c.id == decl_id, declarations.c.unit_id == unit_of(conn))).first()
    if row is None:
        raise NotFound(str(decl_id))


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _user(conn: Connection) -> str:
    """Who makes the change: the officer signed in on this PC (a shared database), else
    the operating system's user name."""
    officer = conn.get_execution_options().get("ibhxh_officer")
    if officer:
        return str(officer)
    try:
        return getpass.getuser()
    except Exception:  # no user name on some service accounts
        return "?"


# -- value conversions --------------------------------------------------------------------

def _period_out(p: Period | None) -> str | None:
    return f"{p.year:04d}-{p.month:02d}" if p else None


def _period_in(s: str | None) -> Period | None:
    return Period(int(s[:4]), int(s[5:7])) if s else None


def _date_out(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _date_in(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def _partial_out(p: PartialDate) -> str:
    parts = [f"{p.year:04d}"] + [f"{v:02d}" for v in (p.month, p.day) if v is not None]
    return "-".join(parts)


def _partial_in(s: str) -> PartialDate:
    nums = [int(x) for x in s.split("-")]
    return PartialDate(*nums)


def _dec_out(d: Decimal | None) -> str | None:
    return str(d) if d is not None else None


def _dec_in(s: str | None) -> Decimal | None:
    return Decimal(s) if s else None


# -- employer -----------------------------------------------------------------------------

def _employer_from(row: Any) -> Employer:
    values = {k: v for k, v in row.items() if k != "id"}
    values["licence_date"] = _date_in(values["licence_date"])
    return Employer(**values)


def get_employer(conn: Connection) -> Employer | None:
    """The unit the connection works on (None before one is set up and chosen)."""
    unit = _unit_or_none(conn)
    if unit is None:
        return None
    row = conn.execute(select(employer).where(employer.c.id == unit)).mappings().first()
    return _employer_from(row) if row else None


def save_employer(conn: Connection, e: Employer) -> int:
    """Update the chosen unit's profile, or, with no unit chosen, add ``e`` as a new unit
    (the first unit of a database has id 1, as the single unit always had). Returns the
    unit's id."""
    values = asdict(e)
    values["licence_date"] = _date_out(e.licence_date)
    unit = _unit_or_none(conn)
    if unit is not None:
        n = conn.execute(update(employer).where(employer.c.id == unit).values(**values))
        if n.rowcount:
            return unit
    return add_unit(conn, e)


def add_unit(conn: Connection, e: Employer) -> int:
    """Store a new unit; returns its id."""
    values = asdict(e)
    values["licence_date"] = _date_out(e.licence_date)
    first = conn.execute(select(employer.c.id)).first() is None
    if first:
        values["id"] = 1  # rows kept from a single-unit database belong to unit 1
    unit = int(conn.execute(insert(employer).values(**values)).inserted_primary_key[0])
    if first and conn.dialect.name == "postgresql":  # an id given does not move the sequence
        conn.execute(text("SELECT setval(pg_get_serial_sequence('employer', 'id'), 1)"))
    return unit


def unit_code_of(conn: Connection, unit_id: int) -> str:
    code = conn.execute(select(employer.c.unit_code).where(employer.c.id == unit_id)).scalar()
    if code is None:
        raise NotFound(f"unit {unit_id}")
    return code


def list_units(conn: Connection) -> list[dict[str, Any]]:
    """Every unit of the database: id, code, name and tax code, by code."""
    query = select(employer.c.id, employer.c.unit_code, employer.c.name,
                   employer.c.tax_code).order_by(employer.c.unit_code)
    return [dict(r) for r in conn.execute(query).mappings()]


def units_by_id(conn: Connection) -> dict[int, Employer]:
    """Every unit's profile by id (cross-unit views)."""
    return {row["id"]: _employer_from(row)
            for row in conn.execute(select(employer)).mappings()}


# -- workers ------------------------------------------------------------------------------

_WORKER_FIELDS = [f.name for f in fields(Worker) if f.name != "id"]


def _worker_row(conn: Connection, w: Worker) -> dict[str, Any]:
    row = {name: getattr(w, name) for name in _WORKER_FIELDS}
    row["birth_date"] = _partial_out(w.birth_date)
    row["status"] = str(w.status)
    row["name_key"] = fold(w.full_name)
    row["updated_at"] = _now()
    cipher = cipher_of(conn)
    for hash_col, (source, kind) in HASHED.items():
        row[hash_col] = cipher.index(kind, row[source])
    return row


def _worker_from(row: Any) -> Worker:
    values = {name: row[name] for name in _WORKER_FIELDS}
    values["birth_date"] = _partial_in(row["birth_date"])
    values["status"] = WorkerStatus(row["status"])
    return Worker(id=row["id"], **values)


def add_workers(conn: Connection, items: Iterable[Worker]) -> list[int]:
    """Insert workers into this unit; returns their new ids in order."""
    ids = []
    unit = unit_of(conn)
    for w in items:
        result = conn.execute(insert(workers_t).values(unit_id=unit, **_worker_row(conn, w)))
        w.id = result.inserted_primary_key[0]
        ids.append(w.id)
    return ids


def add_workers_bulk(conn: Connection, items: list[Worker]) -> None:
    """Insert many workers in one statement batch (demo and benchmark data)."""
    if items:
        unit = unit_of(conn)
        conn.execute(insert(workers_t), [{**_worker_row(conn, w), "unit_id": unit}
                                         for w in items])


def update_worker(conn: Connection, w: Worker) -> None:
    if w.id is None:
        raise NotFound("worker without id")
    n = conn.execute(update(workers_t).where(workers_t.c.id == w.id,
                                             workers_t.c.unit_id == unit_of(conn))
                     .values(**_worker_row(conn, w)))
    if n.rowcount == 0:
        raise NotFound(str(w.id))


def set_worker_status(conn: Connection, ids: Iterable[int], status: WorkerStatus,
                      period: Period | None = None) -> None:
    """Record a worker's new standing; ``period`` is when a permanent decrease took effect
    (the start of the retention clock)."""
    ids = list(ids)
    values: dict[str, Any] = {"status": str(status), "updated_at": _now()}
    if status == WorkerStatus.LEFT:
        values["left_period"] = _period_out(period)
    elif status == WorkerStatus.ACTIVE:
        values["left_period"] = None
    _own(conn, workers_t, ids, "workers")
    for start in range(0, len(ids), 500):
        conn.execute(update(workers_t).where(workers_t.c.id.in_(ids[start:start + 500]))
                     .values(**values))


def load_workers(conn: Connection, ids: Iterable[int] | None = None) -> dict[int, Worker]:
    """This unit's workers by id: all of them, or those named (an id of another unit is
    not found)."""
    query = select(workers_t).where(workers_t.c.unit_id == unit_of(conn))
    if ids is not None:
        wanted = sorted(set(ids))
        out: dict[int, Worker] = {}
        for start in range(0, len(wanted), 500):  # SQLite's bound-parameter limit
            chunk = wanted[start:start + 500]
            for row in conn.execute(query.where(workers_t.c.id.in_(chunk))).mappings():
                out[row["id"]] = _worker_from(row)
        return out
    return {row["id"]: _worker_from(row) for row in conn.execute(query).mappings()}


def _by_identifier(conn: Connection, key: str):
    """A condition matching a BHXH number, CCCD or CMND through their keyed hashes."""
    cipher = cipher_of(conn)
    return or_(*[workers_t.c[hash_col] == cipher.index(kind, key)
                 for hash_col, (_source, kind) in HASHED.items()])


def find_worker(conn: Connection, key: str) -> Worker | None:
    """A worker by BHXH number, CCCD, old CMND, or "#id"."""
    key = key.strip()
    if not key:
        return None
    if key.startswith("#") and key[1:].isdigit():
        cond = workers_t.c.id == int(key[1:])
    else:
        cond = _by_identifier(conn, key)
    row = conn.execute(select(workers_t).where(cond, workers_t.c.unit_id == unit_of(conn))
                       ).mappings().first()
    return _worker_from(row) if row else None


def find_workers(conn: Connection, keys: Sequence[str]) -> list[Worker | None]:
    """``find_worker`` for many keys at once, in their order (None where none matches):
    the "#id" keys in one query, the identifiers in one more, whatever their number (a
    dossier's lines on a server are not one round trip each)."""
    wanted = [key.strip() for key in keys]
    ids = {int(k[1:]) for k in wanted if k.startswith("#") and k[1:].isdigit()}
    by_id = load_workers(conn, ids) if ids else {}
    others = sorted({k for k in wanted if k and not (k.startswith("#") and k[1:].isdigit())})
    by_key: dict[str, Worker] = {}
    cipher = cipher_of(conn)
    for start in range(0, len(others), 100):  # bound parameters: 100 keys × 3 columns
        chunk = others[start:start + 100]
        owner = {(col, cipher.index(kind, k)): k for k in chunk
                 for col, (_source, kind) in HASHED.items()}
        cond = or_(*[workers_t.c[col].in_([cipher.index(kind, k) for k in chunk])
                     for col, (_source, kind) in HASHED.items()])
        query = select(workers_t).where(cond, workers_t.c.unit_id == unit_of(conn))
        for row in conn.execute(query.order_by(workers_t.c.id)).mappings():
            for col in HASHED:
                key = owner.get((col, row[col]))
                if key is not None and key not in by_key:
                    by_key[key] = _worker_from(row)
    out: list[Worker | None] = []
    for k in wanted:
        if k.startswith("#") and k[1:].isdigit():
            out.append(by_id.get(int(k[1:])))
        else:
            out.append(by_key.get(k) if k else None)
    return out


def search_workers(conn: Connection, text: str = "", limit: int | None = None) -> list[Worker]:
    """Workers whose name contains ``text`` (diacritics ignored), or whose BHXH number,
    CCCD or CMND is exactly ``text`` (ID numbers are stored sealed: no partial match)."""
    query = (select(workers_t).where(workers_t.c.unit_id == unit_of(conn))
             .order_by(workers_t.c.id))
    if text.strip():
        folded = f"%{fold(text)}%"
        query = query.where(or_(workers_t.c.name_key.like(folded),
                                _by_identifier(conn, text.strip())))
    if limit:
        query = query.limit(limit)
    return [_worker_from(row) for row in conn.execute(query).mappings()]


def worker_ids_with_status(conn: Connection, status: WorkerStatus) -> list[int]:
    """The ids of the workers in ``status``, in the order they were added (nothing is
    unsealed: the status is a plain column)."""
    query = select(workers_t.c.id).where(workers_t.c.status == status.value,
                                         workers_t.c.unit_id == unit_of(conn))
    return list(conn.execute(query.order_by(workers_t.c.id)).scalars())


def count_workers(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(workers_t)
                        .where(workers_t.c.unit_id == unit_of(conn))).scalar_one()


# -- declarations -------------------------------------------------------------------------

_LINE_FIELDS = [f.name for f in fields(DeclarationLine)]
_DOC_FIELDS = [f.name for f in fields(SupportingDocument)]


def _line_row(decl_id: int, seq: int, line: DeclarationLine) -> dict[str, Any]:
    row = {name: getattr(line, name) for name in _LINE_FIELDS}
    row.update(declaration_id=decl_id, seq=seq,
               from_month=_period_out(line.from_month), to_month=_period_out(line.to_month),
               decision_date=_date_out(line.decision_date))
    for name in ("coefficient", "position_coef", "overframe_pct", "seniority_pct"):
        row[name] = _dec_out(row[name])
    row["change"] = line.change or None  # nothing sealed for the many lines without one
    return row


def _line_from(row: Any) -> DeclarationLine:
    values = {name: row[name] for name in _LINE_FIELDS}
    values.update(from_month=_period_in(row["from_month"]), to_month=_period_in(row["to_month"]),
                  decision_date=_date_in(row["decision_date"]))
    for name in ("coefficient", "position_coef", "overframe_pct", "seniority_pct"):
        values[name] = _dec_in(values[name])
    values["change"] = values["change"] or ""
    return DeclarationLine(**values)


def _doc_row(decl_id: int, seq: int, doc: SupportingDocument) -> dict[str, Any]:
    row = {name: getattr(doc, name) for name in _DOC_FIELDS}
    row.update(declaration_id=decl_id, seq=seq, issue_date=_date_out(doc.issue_date),
               effective_date=_date_out(doc.effective_date))
    return row


def _doc_from(row: Any) -> SupportingDocument:
    values = {name: row[name] for name in _DOC_FIELDS}
    values.update(issue_date=_date_in(row["issue_date"]),
                  effective_date=_date_in(row["effective_date"]))
    return SupportingDocument(**values)


def save_declaration(conn: Connection, decl: Declaration, detail: str = "") -> int:
    """Store a new declaration with its lines and documents, and its first history row."""
    created = decl.created or date.today()
    _own_people(conn, decl)
    result = conn.execute(insert(declarations).values(
        unit_id=unit_of(conn), procedure=decl.procedure, period=_period_out(decl.period),
        first_registration=decl.first_registration, state=str(decl.state),
        created=created.isoformat(), updated_at=_now(), updated_by=_user(conn),
        change=decl.change or None))
    decl.id = result.inserted_primary_key[0]
    decl.created = created
    decl.version = 0  # its first save below makes it version 2 (1 is the empty row)
    replace_lines(conn, decl)
    conn.execute(insert(history).values(declaration_id=decl.id, at=_now(), user=_user(conn),
                                        from_state=None, to_state=str(decl.state),
                                        detail=detail))
    return decl.id


def _own_people(conn: Connection, decl: Declaration) -> None:
    """Refuse a dossier that names a worker of another unit."""
    people = [line.worker_id for line in decl.lines]
    people += [doc.worker_id for doc in decl.documents if doc.worker_id is not None]
    _own(conn, workers_t, people, "workers")


def replace_lines(conn: Connection, decl: Declaration) -> None:
    """Write the declaration's lines and documents anew, and what it says changes (an
    edit of a draft)."""
    assert decl.id is not None
    own_declaration(conn, decl.id)
    _own_people(conn, decl)
    query = update(declarations).where(declarations.c.id == decl.id)
    if decl.version:  # read from storage: only over the version it was read at
        query = query.where(declarations.c.version == decl.version)
    n = conn.execute(query.values(change=decl.change or None, updated_at=_now(),
                                  updated_by=_user(conn), version=declarations.c.version + 1))
    if n.rowcount == 0:
        raise _stale(conn, decl.id)
    decl.version = conn.execute(select(declarations.c.version)
                                .where(declarations.c.id == decl.id)).scalar_one()
    conn.execute(delete(declaration_lines).where(declaration_lines.c.declaration_id == decl.id))
    conn.execute(delete(documents).where(documents.c.declaration_id == decl.id))
    if decl.lines:
        conn.execute(insert(declaration_lines),
                     [_line_row(decl.id, i, line) for i, line in enumerate(decl.lines, 1)])
    if decl.documents:
        conn.execute(insert(documents),
                     [_doc_row(decl.id, i, doc) for i, doc in enumerate(decl.documents, 1)])


def load_declaration(conn: Connection, decl_id: int, lines: bool = True) -> Declaration:
    """A dossier; ``lines=False`` reads its own row only (no lines, no documents)."""
    row = conn.execute(select(declarations).where(
        declarations.c.id == decl_id, declarations.c.unit_id == unit_of(conn))
    ).mappings().first()
    if row is None:
        raise NotFound(str(decl_id))
    if not lines:
        return Declaration(procedure=row["procedure"], period=_period_in(row["period"]),
                           first_registration=row["first_registration"], id=row["id"],
                           state=DossierState(row["state"]), created=_date_in(row["created"]),
                           change=row["change"] or "", version=row["version"])
    lines_ = [_line_from(r) for r in conn.execute(
        select(declaration_lines).where(declaration_lines.c.declaration_id == decl_id)
        .order_by(declaration_lines.c.seq)).mappings()]
    docs = [_doc_from(r) for r in conn.execute(
        select(documents).where(documents.c.declaration_id == decl_id)
        .order_by(documents.c.seq)).mappings()]
    return Declaration(procedure=row["procedure"], period=_period_in(row["period"]),
                       lines=lines_, documents=docs,
                       first_registration=row["first_registration"], id=row["id"],
                       state=DossierState(row["state"]), created=_date_in(row["created"]),
                       change=row["change"] or "", version=row["version"],
                       claims=[r.claim for r in claims_of_declaration(conn, decl_id)])


def _stale(conn: Connection, decl_id: int) -> StaleEdit:
    row = conn.execute(select(declarations.c.updated_by, declarations.c.updated_at)
                       .where(declarations.c.id == decl_id)).one()
    last = conn.execute(select(history.c.to_state, history.c.detail)
                        .where(history.c.declaration_id == decl_id)
                        .order_by(history.c.id.desc()).limit(1)).first()
    what = (last[1] or last[0]) if last else ""
    return StaleEdit(decl_id, row[0] or "?", row[1], what)


def lock_declaration(conn: Connection, decl_id: int) -> None:
    """Hold the dossier's row until the transaction ends (PostgreSQL: SELECT … FOR UPDATE;
    SQLite's write transaction already holds the whole file): a second officer's change
    waits, then sees this one's."""
    found = conn.execute(select(declarations.c.id).where(
        declarations.c.id == decl_id, declarations.c.unit_id == unit_of(conn))
        .with_for_update()).first()
    if found is None:
        raise NotFound(str(decl_id))


def list_declarations(conn: Connection, all_units: bool = False) -> list[dict[str, Any]]:
    """This unit's dossiers (``all_units``: every unit's, each with its ``unit_code``),
    newest first, with its line count (a claim list's: its claims)."""
    counts = (select(declaration_lines.c.declaration_id, func.count().label("n"))
              .group_by(declaration_lines.c.declaration_id).subquery())
    claim_counts = (select(claims.c.declaration_id, func.count().label("n"))
                    .where(claims.c.declaration_id.is_not(None))
                    .group_by(claims.c.declaration_id).subquery())
    query = (select(declarations, (func.coalesce(counts.c.n, 0)
                                   + func.coalesce(claim_counts.c.n, 0)).label("lines"))
             .outerjoin(counts, counts.c.declaration_id == declarations.c.id)
             .outerjoin(claim_counts, claim_counts.c.declaration_id == declarations.c.id)
             .order_by(declarations.c.id.desc()))
    if all_units:
        query = (query.add_columns(employer.c.unit_code)
                 .outerjoin(employer, employer.c.id == declarations.c.unit_id))
    else:
        query = query.where(declarations.c.unit_id == unit_of(conn))
    out = []
    for row in conn.execute(query).mappings():
        item = dict(row)
        item["period"] = str(_period_in(item["period"]))
        item.pop("updated_at", None)
        item.pop("change", None)
        out.append(item)
    return out


def set_state(conn: Connection, decl_id: int, state: DossierState, detail: str = "") -> None:
    """Move a dossier to ``state`` and record the transition."""
    row = conn.execute(select(declarations.c.state).where(
        declarations.c.id == decl_id, declarations.c.unit_id == unit_of(conn))).first()
    if row is None:
        raise NotFound(str(decl_id))
    conn.execute(update(declarations).where(declarations.c.id == decl_id)
                 .values(state=str(state), updated_at=_now(), updated_by=_user(conn)))
    conn.execute(insert(history).values(declaration_id=decl_id, at=_now(), user=_user(conn),
                                        from_state=row[0], to_state=str(state), detail=detail))


def note_change(conn: Connection, decl_id: int, detail: str) -> None:
    """Record an edit that keeps the dossier's state (who, when, what) in its history."""
    state = conn.execute(select(declarations.c.state)
                         .where(declarations.c.id == decl_id)).scalar_one()
    conn.execute(insert(history).values(declaration_id=decl_id, at=_now(), user=_user(conn),
                                        from_state=state, to_state=state, detail=detail))


def state_before(conn: Connection, decl_id: int, state: DossierState) -> DossierState:
    """The last state the dossier had other than ``state`` (where signing and sending
    pick up a dossier that was printed on paper)."""
    for row in reversed(get_history(conn, decl_id)):
        if row["to_state"] != state:
            return DossierState(row["to_state"])
    return DossierState.DRAFT


def get_history(conn: Connection, decl_id: int) -> list[dict[str, Any]]:
    own_declaration(conn, decl_id)
    query = select(history).where(history.c.declaration_id == decl_id).order_by(history.c.id)
    return [dict(r) for r in conn.execute(query).mappings()]


# -- artifacts ----------------------------------------------------------------------------

def of_unit(conn: Connection, decl_column: Any) -> Any:
    """A condition: the dossier in ``decl_column`` is one of this unit's."""
    return decl_column.in_(select(declarations.c.id)
                           .where(declarations.c.unit_id == unit_of(conn)))


def dossier_basis(conn: Connection, decl_id: int) -> str:
    """A fingerprint of everything a dossier is built from: the unit's profile, the
    dossier's row, its lines, documents and claims, and the last change of each person in
    it. Equal fingerprints: what was validated is still what would be built now."""
    lines, docs, t = declaration_lines, documents, claims
    people = (select(lines.c.worker_id).where(lines.c.declaration_id == decl_id)
              .union(select(t.c.worker_id).where(t.c.declaration_id == decl_id)))
    parts = [
        conn.execute(select(employer).where(employer.c.id == unit_of(conn))).all(),
        conn.execute(select(declarations).where(declarations.c.id == decl_id)).all(),
        conn.execute(select(func.count(), func.max(lines.c.id))
                     .where(lines.c.declaration_id == decl_id)).all(),
        conn.execute(select(func.count(), func.max(docs.c.id))
                     .where(docs.c.declaration_id == decl_id)).all(),
        conn.execute(select(func.count(), func.max(t.c.updated_at))
                     .where(t.c.declaration_id == decl_id)).all(),
        conn.execute(select(func.count(), func.max(workers_t.c.updated_at))
                     .where(workers_t.c.id.in_(people))).all(),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def put_artifact(conn: Connection, decl_id: int, kind: str, content: bytes) -> str:
    """Keep a file the dossier produced (envelope, signed envelope, receipt …)."""
    digest = hashlib.sha256(content).hexdigest()
    own_declaration(conn, decl_id)
    conn.execute(insert(artifacts).values(declaration_id=decl_id, kind=kind, sha256=digest,
                                          content=content, created_at=_now()))
    return digest


def artifact_sha256(conn: Connection, decl_id: int, kind: str) -> str | None:
    """The digest of the newest file of that kind (without opening the file itself)."""
    query = (select(artifacts.c.sha256)
             .where(artifacts.c.declaration_id == decl_id, artifacts.c.kind == kind,
                    of_unit(conn, artifacts.c.declaration_id))
             .order_by(artifacts.c.id.desc()).limit(1))
    return conn.execute(query).scalar()


def get_artifact(conn: Connection, decl_id: int, kind: str) -> bytes | None:
    """The newest file of that kind for the dossier."""
    query = (select(artifacts.c.content)
             .where(artifacts.c.declaration_id == decl_id, artifacts.c.kind == kind,
                    of_unit(conn, artifacts.c.declaration_id))
             .order_by(artifacts.c.id.desc()).limit(1))
    row = conn.execute(query).first()
    return row[0] if row else None


# -- processing log -----------------------------------------------------------------------

def log_processing(conn: Connection, action: str, target: str = "", workers: int = 0,
                   detail: str = "") -> None:
    """Record an export, print, backup, import or erasure: who, when, what, how many.
    Callers pass counts and ids, never a personal value."""
    conn.execute(insert(processing_log).values(unit_id=_unit_or_none(conn), at=_now(),
                                               user=_user(conn), action=action,
                                               target=target, workers=workers,
                                               detail=detail))


def list_processing(conn: Connection) -> list[dict[str, Any]]:
    """This unit's processing log, and what concerned the database as a whole."""
    unit = _unit_or_none(conn)
    query = select(processing_log).order_by(processing_log.c.id)
    if unit is not None:
        query = query.where(or_(processing_log.c.unit_id == unit,
                                processing_log.c.unit_id.is_(None)))
    return [dict(r) for r in conn.execute(query).mappings()]


# -- benefit claims -----------------------------------------------------------------------

_CLAIM_FIELDS = [f.name for f in fields(Claim) if f.name != "id"]
# Sealed columns that hold text: an empty value is stored as NULL, not as a sealed "".
_CLAIM_SEALED_TEXT = ("long_term_code", "child_id", "certificate", "bank_account", "note",
                      "rule", "approved_note")
CLAIM_OUTCOMES = ("", "approved", "rejected")


@dataclass
class ClaimRecord:
    """A stored claim, with what its row holds besides the Claim: the rule in English,
    its row in the list it was declared in, and that row's answer (approved | rejected,
    "" before one)."""

    claim: Claim
    rule_en: str = ""
    seq: int | None = None
    outcome: str = ""


def _claim_row(claim: Claim) -> dict[str, Any]:
    row = {name: getattr(claim, name) for name in _CLAIM_FIELDS}
    row["from_date"] = _date_out(claim.from_date)
    row["to_date"] = _date_out(claim.to_date)
    row["child_birth_date"] = _date_out(claim.child_birth_date)
    for name in _CLAIM_SEALED_TEXT:
        row[name] = row[name] or None
    row["updated_at"] = _now()
    return row


def _claim_from(row: Any) -> ClaimRecord:
    values = {name: row[name] for name in _CLAIM_FIELDS}
    values.update(from_date=_date_in(row["from_date"]), to_date=_date_in(row["to_date"]),
                  child_birth_date=_date_in(row["child_birth_date"]))
    for name in _CLAIM_SEALED_TEXT:
        values[name] = values[name] or ""
    return ClaimRecord(Claim(id=row["id"], **values), row["rule_en"] or "", row["seq"],
                       row["outcome"])


def add_claims(conn: Connection, items: Iterable[Claim]) -> list[int]:
    """Store new claims; returns their ids in order (each claim gets its id)."""
    items = list(items)
    if not items:
        return []
    now = _now()
    unit = unit_of(conn)
    _own(conn, workers_t, [claim.worker_id for claim in items], "workers")
    rows = [{**_claim_row(claim), "created_at": now, "unit_id": unit} for claim in items]
    # One statement for all (an import of thousands of claims), ids in the rows' order.
    result = conn.execute(insert(claims).returning(claims.c.id, sort_by_parameter_order=True),
                          rows)
    ids = [row[0] for row in result]
    for claim, claim_id in zip(items, ids, strict=True):
        claim.id = claim_id
    return ids


def update_claim(conn: Connection, claim: Claim, *, rule_en: str | None = None,
                 seq: int | None = None) -> None:
    """Write every attribute of a stored claim (and, when given, its rule in English and
    its row in the list)."""
    values = _claim_row(claim)
    if rule_en is not None:
        values["rule_en"] = rule_en or None
    if seq is not None:
        values["seq"] = seq
    if claim.declaration_id is None:
        values["seq"] = None
    _own(conn, workers_t, [claim.worker_id], "workers")
    n = conn.execute(update(claims).where(claims.c.id == claim.id,
                                          claims.c.unit_id == unit_of(conn)).values(**values))
    if n.rowcount == 0:
        raise NotFound(f"claim {claim.id}")


def put_claims_in_list(conn: Connection, decl_id: int, items: list[tuple[Claim, str]]) -> None:
    """Write the claims of a new list in one statement: each one's frozen values, its
    rule in English and its row (in the order given)."""
    own_declaration(conn, decl_id)
    _own(conn, claims, [claim.id for claim, _rule in items], "claims")
    rows = []
    for seq, (claim, rule_en) in enumerate(items, start=1):
        claim.declaration_id = decl_id
        row = _claim_row(claim)
        row.update(b_id=claim.id, rule_en=rule_en or None, seq=seq)
        rows.append(row)
    if not rows:
        return
    stmt = update(claims).where(claims.c.id == bindparam("b_id")).values(
        {name: bindparam(name) for name in rows[0] if name != "b_id"})
    n = conn.execute(stmt, rows)
    if n.rowcount != len(rows):
        raise NotFound(f"{len(rows) - n.rowcount} of the claims of list {decl_id}")


def set_claim_outcome(conn: Connection, claim_id: int, outcome: str, *,
                      days: int | None, amount: int | None, note: str = "") -> None:
    """Record Social Security's answer to one claim: approved (days, amount) or rejected
    (why, in ``note``)."""
    if outcome not in CLAIM_OUTCOMES:
        raise ValueError(outcome)
    n = conn.execute(update(claims).where(
        claims.c.id == claim_id, claims.c.unit_id == unit_of(conn)).values(
        outcome=outcome, approved_days=days, approved_amount=amount,
        approved_note=note or None, updated_at=_now()))
    if n.rowcount == 0:
        raise NotFound(f"claim {claim_id}")


def delete_claim(conn: Connection, claim_id: int) -> None:
    n = conn.execute(delete(claims).where(claims.c.id == claim_id,
                                          claims.c.unit_id == unit_of(conn)))
    if n.rowcount == 0:
        raise NotFound(f"claim {claim_id}")


def load_claims(conn: Connection, *conditions: Any, by_row: bool = False
                ) -> list[ClaimRecord]:
    """Claims matching every condition on the ``claims`` table, in one query, in the
    order they were entered (``by_row``: by their row in their list first)."""
    order = (claims.c.seq, claims.c.id) if by_row else (claims.c.id,)
    query = select(claims).where(claims.c.unit_id == unit_of(conn), *conditions).order_by(*order)
    return [_claim_from(row) for row in conn.execute(query).mappings()]


def load_claim(conn: Connection, claim_id: int) -> ClaimRecord:
    found = load_claims(conn, claims.c.id == claim_id)
    if not found:
        raise NotFound(f"claim {claim_id}")
    return found[0]


def claims_of_declaration(conn: Connection, decl_id: int) -> list[ClaimRecord]:
    """The claims of one list, in its rows' order."""
    return load_claims(conn, claims.c.declaration_id == decl_id, by_row=True)


def claims_of_workers(conn: Connection, worker_ids: Iterable[int]) -> list[ClaimRecord]:
    wanted = sorted(set(worker_ids))
    out: list[ClaimRecord] = []
    for start in range(0, len(wanted), 500):  # SQLite's bound-parameter limit
        out += load_claims(conn, claims.c.worker_id.in_(wanted[start:start + 500]))
    return out


def claims_of_year(conn: Connection, year: int) -> list[ClaimRecord]:
    """The claims whose leave has a day in ``year``."""
    return load_claims(conn, claims.c.from_date <= f"{year:04d}-12-31",
                       claims.c.to_date >= f"{year:04d}-01-01")


def undeclared_claims(conn: Connection) -> list[ClaimRecord]:
    return load_claims(conn, claims.c.declaration_id.is_(None))


def undeclared_claim_ids(conn: Connection) -> set[int]:
    """The ids of the claims in no list yet (nothing decrypted)."""
    query = select(claims.c.id).where(claims.c.declaration_id.is_(None),
                                      claims.c.unit_id == unit_of(conn))
    return set(conn.execute(query).scalars())


def claims_since(conn: Connection, day: date) -> list[ClaimRecord]:
    """Every claim whose leave ends on or after ``day``, declared or not."""
    return load_claims(conn, claims.c.to_date >= day.isoformat())


def declaration_has_claims(conn: Connection, decl_id: int) -> bool:
    query = select(claims.c.id).where(claims.c.declaration_id == decl_id,
                                      claims.c.unit_id == unit_of(conn)).limit(1)
    return conn.execute(query).first() is not None


# -- months of contribution ---------------------------------------------------------------

def _stint_from(row: Any) -> Stint:
    return Stint(_period_in(row["from_month"]), _period_in(row["to_month"]), row["salary"])


def load_stints(conn: Connection, worker_ids: Iterable[int] | None = None,
                source: str | None = None) -> dict[int, list[Stint]]:
    """The stored months of contribution (domain.history.Stint) by worker, oldest first:
    every worker's, or those named; ``source`` keeps one source (import, manual)."""
    t = contribution_stints
    mine = select(workers_t.c.id).where(workers_t.c.unit_id == unit_of(conn))
    query = (select(t).where(t.c.worker_id.in_(mine))
             .order_by(t.c.worker_id, t.c.from_month, t.c.id))
    if source is not None:
        query = query.where(t.c.source == source)
    out: dict[int, list[Stint]] = {}
    rows: list[Any] = []
    if worker_ids is None:
        rows = list(conn.execute(query).mappings())
    else:
        wanted = sorted(set(worker_ids))
        for start in range(0, len(wanted), 500):
            rows += conn.execute(query.where(t.c.worker_id.in_(wanted[start:start + 500]))
                                 ).mappings().all()
    for row in rows:
        out.setdefault(row["worker_id"], []).append(_stint_from(row))
    return out


def replace_stints(conn: Connection, stints: dict[int, list[Stint]],
                   source: str = "import") -> int:
    """Make the stints of ``source`` of each worker named exactly those given (importing
    the same file again changes nothing); returns how many were written."""
    t = contribution_stints
    now = _now()
    ids = sorted(stints)
    _own(conn, workers_t, ids, "workers")
    for start in range(0, len(ids), 500):
        conn.execute(delete(t).where(t.c.worker_id.in_(ids[start:start + 500]),
                                     t.c.source == source))
    rows = [{"worker_id": wid, "from_month": _period_out(s.from_month),
             "to_month": _period_out(s.to_month), "salary": s.salary, "source": source,
             "updated_at": now}
            for wid in ids for s in stints[wid]]
    if rows:
        conn.execute(insert(t), rows)
    return len(rows)


def contribution_lines(conn: Connection, procedures: Iterable[str],
                       states: Iterable[DossierState],
                       worker_ids: Iterable[int] | None = None
                       ) -> list[tuple[Declaration, DeclarationLine]]:
    """The lines of the stored dossiers of ``procedures`` in ``states`` (the contribution
    changes the unit filed), each with its dossier's own row (no lines of its own), in
    filing order: by period, then dossier, then row. One query."""
    d, line_t = declarations, declaration_lines
    query = (select(line_t, d.c.procedure.label("d_procedure"), d.c.period.label("d_period"),
                    d.c.state.label("d_state"), d.c.created.label("d_created"))
             .join(d, d.c.id == line_t.c.declaration_id)
             .where(d.c.unit_id == unit_of(conn), d.c.procedure.in_(list(procedures)),
                    d.c.state.in_([str(s) for s in states]))
             .order_by(d.c.period, d.c.id, line_t.c.seq))
    wanted = None if worker_ids is None else set(worker_ids)
    heads: dict[int, Declaration] = {}
    out = []
    for row in conn.execute(query).mappings():
        if wanted is not None and row["worker_id"] not in wanted:
            continue
        decl_id = row["declaration_id"]
        head = heads.get(decl_id)
        if head is None:
            head = heads[decl_id] = Declaration(
                procedure=row["d_procedure"], period=_period_in(row["d_period"]), id=decl_id,
                state=DossierState(row["d_state"]), created=_date_in(row["d_created"]))
        out.append((head, _line_from(row)))
    return out


# -- remote signing -----------------------------------------------------------------------

def get_remote_account(conn: Connection, provider: str) -> dict[str, Any] | None:
    """The unit's stored account at a remote signing service (no password: keyring)."""
    row = conn.execute(select(remote_accounts).where(
        remote_accounts.c.provider == provider, remote_accounts.c.unit_id == unit_of(conn))
    ).mappings().first()
    return dict(row) if row else None


def list_remote_accounts(conn: Connection) -> list[dict[str, Any]]:
    query = (select(remote_accounts).where(remote_accounts.c.unit_id == unit_of(conn))
             .order_by(remote_accounts.c.provider))
    return [dict(r) for r in conn.execute(query).mappings()]


def put_remote_account(conn: Connection, values: dict[str, Any]) -> None:
    """Store (or replace) the account of ``values["provider"]``."""
    values = {**values, "updated_at": _now(), "unit_id": unit_of(conn)}
    found = conn.execute(select(remote_accounts.c.id)
                         .where(remote_accounts.c.provider == values["provider"],
                                remote_accounts.c.unit_id == values["unit_id"])).scalar()
    if found is None:
        conn.execute(insert(remote_accounts).values(**values))
    else:
        conn.execute(update(remote_accounts).where(remote_accounts.c.id == found)
                     .values(**values))


def add_remote_signature(conn: Connection, values: dict[str, Any]) -> int:
    """Record a signing request before it is sent (status pending)."""
    now = _now()
    own_declaration(conn, values["declaration_id"])
    result = conn.execute(insert(remote_signatures).values(
        **values, status="pending", created_at=now, updated_at=now))
    return int(result.inserted_primary_key[0])


def update_remote_signature(conn: Connection, row_id: int, **values: Any) -> None:
    conn.execute(update(remote_signatures)
                 .where(remote_signatures.c.id == row_id,
                        of_unit(conn, remote_signatures.c.declaration_id))
                 .values(**values, updated_at=_now()))


def remote_signatures_of(conn: Connection, decl_id: int | None = None,
                         status: str | None = None) -> list[dict[str, Any]]:
    """The signing requests of a dossier (or of all), oldest first, state included."""
    query = (select(remote_signatures).order_by(remote_signatures.c.id)
             .where(of_unit(conn, remote_signatures.c.declaration_id)))
    if decl_id is not None:
        query = query.where(remote_signatures.c.declaration_id == decl_id)
    if status is not None:
        query = query.where(remote_signatures.c.status == status)
    return [dict(r) for r in conn.execute(query).mappings()]
