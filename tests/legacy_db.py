"""Writing dossiers into a database of an older revision, for the migration tests: the
rows as that revision's tables hold them, without the columns later migrations added
(``storage.repo`` writes today's)."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import Connection, MetaData, Table, insert, select, update

from ibhxh_client.domain.model import Declaration, DossierState, Employer, Worker
from ibhxh_client.storage import repo
from ibhxh_client.storage.schema import (
    artifacts,
    declaration_lines,
    declarations,
    employer,
    history,
    workers,
)

# Columns added by a migration, by the revision that added them.
ADDED = {"0006": {"declarations": ("change",), "declaration_lines": ("change", "doc_type")},
         "0009": {"declarations": ("unit_id", "version", "updated_by"),
                  "workers": ("unit_id",)}}


def _as_of(table: Table, revision: str) -> Table:
    dropped = {name for rev, tables in ADDED.items() if rev > revision
               for name in tables.get(table.name, ())}
    return Table(table.name, MetaData(),
                 *[c._copy() for c in table.columns if c.name not in dropped])


def save_declaration(conn: Connection, decl: Declaration, revision: str) -> int:
    """Store ``decl`` (its row, lines and first history row) as ``revision`` held it."""
    head = _as_of(declarations, revision)
    created = decl.created.isoformat() if decl.created else "2026-01-01"
    decl.id = conn.execute(insert(head).values(
        procedure=decl.procedure, period=f"{decl.period.year}-{decl.period.month:02d}",
        first_registration=decl.first_registration, state=str(decl.state), created=created,
        updated_at=repo._now())).inserted_primary_key[0]
    lines = _as_of(declaration_lines, revision)
    names = {c.name for c in lines.columns}
    if decl.lines:
        conn.execute(insert(lines), [
            {k: v for k, v in repo._line_row(decl.id, seq, line).items() if k in names}
            for seq, line in enumerate(decl.lines, start=1)])
    conn.execute(insert(history).values(declaration_id=decl.id, at=repo._now(), user="test",
                                        from_state=None, to_state=str(decl.state), detail=""))
    return decl.id


def save_employer(conn: Connection, e: Employer) -> None:
    """The one unit of a database before 0009 (row id 1)."""
    values = asdict(e)
    values["licence_date"] = repo._date_out(e.licence_date)
    conn.execute(insert(employer).values(id=1, **values))


def add_workers(conn: Connection, items: list[Worker], revision: str) -> dict[int, Worker]:
    """Store workers as ``revision`` held them; returns them by their new id."""
    table = _as_of(workers, revision)
    names = {c.name for c in table.columns}
    for w in items:
        row = {k: v for k, v in repo._worker_row(conn, w).items() if k in names}
        w.id = conn.execute(insert(table).values(**row)).inserted_primary_key[0]
    return {w.id: w for w in items}


def put_artifact(conn: Connection, decl_id: int, kind: str, content: bytes) -> None:
    import hashlib

    conn.execute(insert(artifacts).values(declaration_id=decl_id, kind=kind,
                                          sha256=hashlib.sha256(content).hexdigest(),
                                          content=content, created_at=repo._now()))


def set_state(conn: Connection, decl_id: int, state: DossierState, detail: str,
              revision: str) -> None:
    head = _as_of(declarations, revision)
    before = conn.execute(select(head.c.state).where(head.c.id == decl_id)).scalar_one()
    conn.execute(update(head).where(head.c.id == decl_id).values(state=str(state),
                                                                 updated_at=repo._now()))
    conn.execute(insert(history).values(declaration_id=decl_id, at=repo._now(), user="test",
                                        from_state=before, to_state=str(state),
                                        detail=detail))
