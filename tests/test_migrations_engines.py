"""The same migrations on both engines: every revision, one by one, on a fresh SQLite file
and on a fresh PostgreSQL database; at head each equals storage/schema.py; and a
PostgreSQL database holding data at 0008 upgrades to head with nothing lost."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine, func, insert, select, text

from ibhxh_client.storage import repo
from ibhxh_client.storage.crypto import FieldCipher, new_key
from ibhxh_client.storage.db import (
    Database,
    _alembic_config,
    current_revision,
    head_revision,
    upgrade,
)
from ibhxh_client.storage.keys import KeyStore
from ibhxh_client.storage.schema import metadata


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(_alembic_config(None))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def _engine(kind: str, tmp_path, pg_url: str | None):
    if kind == "sqlite":
        return create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    return create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_engine(request, tmp_path):
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    engine = _engine(request.param, tmp_path, url)
    yield engine
    engine.dispose()


def test_the_revisions_are_one_line_from_0001_to_head():
    revisions = _revisions()
    assert revisions[0] == "0001" and revisions[-1] == head_revision()
    assert revisions == sorted(revisions) and len(set(revisions)) == len(revisions)


def test_every_migration_one_by_one_then_head_equals_the_schema(fresh_engine):
    cipher = FieldCipher(new_key())
    for revision in _revisions():
        with fresh_engine.begin() as conn:  # each revision committed on its own
            upgrade(conn, revision, cipher=cipher, db_id="engines")
        with fresh_engine.connect() as conn:
            assert current_revision(conn) == revision
    with fresh_engine.connect() as conn:
        # What the migrations made is exactly what the code expects, on this engine too.
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        assert dict(conn.execute(text("SELECT key, value FROM meta")).all()) == {
            "db_id": "engines", "key_check": cipher.check_value}


def _at_0008_with_data(url: str, cipher: FieldCipher, db_id: str) -> None:
    """A PostgreSQL database as the previous version left it: migrated to 0008, one unit's
    profile, two workers (personal data sealed), a dossier with a line and its history,
    its place in the outbox, and a processing log row."""
    engine = create_engine(url)
    with engine.begin() as conn:
        upgrade(conn, "0008", cipher=cipher, db_id=db_id)
        old = MetaData()
        old.reflect(conn)
        now = repo._now()

        def insert_into(table_name: str, /, **values: object):
            # The table as 0008 had it, with today's Python defaults of its columns.
            table = old.tables[table_name]
            defaults = {c.name: c.default.arg for c in metadata.tables[table_name]
                        .columns if c.name in table.c and c.default is not None
                        and c.default.is_scalar}
            return insert(table).values(**{**defaults, **values})

        def sealed(value: str, column: str) -> bytes:
            return cipher.seal(value.encode(), column)

        conn.execute(insert_into("employer",
            unit_code="TZH490L", name="Công ty TNHH Hoa Sen", tax_code="0101234567",
            bank_account=sealed("0011223344", "employer.bank_account"),
            reduced_accident_rate=False, registered=True))
        for n, name in enumerate(["Nguyễn Văn An", "Trần Thị Bình"], start=1):
            conn.execute(insert_into("workers",
                full_name=name, name_key=name.lower(), gender="M" if n == 1 else "F",
                birth_date=sealed(f"1990-01-0{n}", "workers.birth_date"),
                bhxh_number=sealed(f"01234567{n}0", "workers.bhxh_number"),
                cccd=sealed("", "workers.cccd"), cmnd=sealed("", "workers.cmnd"),
                phone=sealed("", "workers.phone"), email=sealed("", "workers.email"),
                birth_place=sealed("", "workers.birth_place"),
                address=sealed("", "workers.address"),
                salary=sealed(str(6_000_000 * n), "workers.salary"),
                allowances=sealed("0", "workers.allowances"),
                bhxh_hash=cipher.index("bhxh", f"01234567{n}0"),
                cccd_hash=cipher.index("cccd", ""), cmnd_hash=cipher.index("cmnd", ""),
                status="new", updated_at=now))
        decl = conn.execute(insert_into("declarations",
            procedure="600", period="2026-03", first_registration=False, state="validated",
            created="2026-03-02", updated_at=now)).inserted_primary_key[0]
        conn.execute(insert_into("declaration_lines",
            declaration_id=decl, seq=1, worker_id=1, plan="TM", from_month="2026-03",
            salary=sealed("6000000", "declaration_lines.salary"),
            allowances=sealed("0", "declaration_lines.allowances"), doc_type=""))
        conn.execute(insert_into("history",
            declaration_id=decl, at=now, user="ketoan", to_state="validated", detail=""))
        conn.execute(insert_into("outbox",
            declaration_id=decl, gateway_url="https://gw.example", unit_code="TZH490L",
            idempotency_key="k-1", status="queued", attempts=0, created_at=now,
            updated_at=now))
        conn.execute(insert_into("processing_log",
            at=now, user="ketoan", action="export", target="x", workers=2, detail=""))
    engine.dispose()


def test_a_postgresql_database_with_data_at_0008_upgrades_to_head(pg_url, tmp_path):
    key = new_key()
    cipher, keystore = FieldCipher(key), KeyStore()
    _at_0008_with_data(pg_url, cipher, "old-db")
    keystore.put("old-db", key)

    db = Database(tmp_path, keystore=keystore, url=pg_url)  # migrates to head
    try:
        assert db.where.startswith("postgresql+psycopg://") and not db.is_sqlite
        db.unit_id = 1
        with db.reading() as conn:
            assert current_revision(conn) == head_revision()
            assert conn.execute(text("SELECT DISTINCT unit_id FROM workers")).all() == [(1,)]
            assert conn.execute(text("SELECT version, updated_by FROM declarations")
                                ).all() == [(1, "")]
            people = list(repo.load_workers(conn).values())
            assert sorted(w.full_name for w in people) == ["Nguyễn Văn An", "Trần Thị Bình"]
            assert sorted(w.salary for w in people) == [6_000_000, 12_000_000]
            decl = repo.load_declaration(conn, 1)
            assert len(decl.lines) == 1 and decl.lines[0].salary == 6_000_000
            assert conn.execute(select(func.count()).select_from(
                metadata.tables["outbox"])).scalar() == 1
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    finally:
        db.close()
