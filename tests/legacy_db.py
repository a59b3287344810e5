"""Writing dossiers into a database of an older revision, for the migration tests: the
rows as that revision's tables hold them, without the columns later migrations added
(``storage.repo`` writes today's)."""

from __future__ import annotations

from sqlalchemy import Connection, MetaData, Table, insert

from ibhxh_client.domain.model import Declaration
from ibhxh_client.storage import repo
from ibhxh_client.storage.schema import declaration_lines, declarations, history

# Columns added by a migration, by the revision that added them.
ADDED = {"0006": {"declarations": ("change",), "declaration_lines": ("change", "doc_type")}}


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
