"""The database file: migrations, WAL, transactions that commit all or nothing."""

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from ibhxh_client.domain.model import DossierState, WorkerStatus
from ibhxh_client.storage import repo
from ibhxh_client.storage.crypto import FieldCipher, new_key
from ibhxh_client.storage.db import DB_FILE, Database, current_revision, head_revision, upgrade
from ibhxh_client.storage.schema import metadata


def test_the_quick_head_is_alembics_head():
    from ibhxh_client.storage.db import _head

    assert _head() == head_revision()


def test_empty_database_migrates_to_head(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with engine.begin() as conn:
        assert current_revision(conn) is None
        upgrade(conn, cipher=FieldCipher(new_key()), db_id="test")
        assert current_revision(conn) == head_revision()
        # What the migrations made is exactly what the code expects.
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == []


@pytest.mark.sqlite_only  # the file's WAL and pragmas
def test_open_is_idempotent_and_uses_wal(tmp_path):
    Database(tmp_path).close()
    db = Database(tmp_path)
    with db.reading() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.close()
    assert (tmp_path / DB_FILE).exists()


def test_a_failed_transaction_leaves_nothing(demo_app):
    with demo_app.db.reading() as conn:
        before = len(repo.search_workers(conn))
    with pytest.raises(RuntimeError), demo_app.db.transaction() as conn:
        w = repo.find_worker(conn, "#1")
        w.full_name = "Tên Đã Sửa"
        repo.update_worker(conn, w)
        repo.set_state(conn, demo_app.demo_id, DossierState.VALIDATED)
        raise RuntimeError("power cut")
    with demo_app.db.reading() as conn:
        assert repo.find_worker(conn, "#1").full_name != "Tên Đã Sửa"
        assert len(repo.search_workers(conn)) == before
        assert repo.load_declaration(conn, demo_app.demo_id).state == DossierState.DRAFT


def test_declaration_round_trip_through_the_database(demo_app):
    with demo_app.db.reading() as conn:
        decl = repo.load_declaration(conn, demo_app.demo_id)
        assert len(decl.lines) == 25 and decl.state == DossierState.DRAFT
        history = repo.get_history(conn, decl.id)
    assert [h["to_state"] for h in history] == ["draft"]
    with demo_app.db.transaction() as conn:
        decl.id = None
        new_id = repo.save_declaration(conn, decl)
    with demo_app.db.reading() as conn:
        again = repo.load_declaration(conn, new_id)
    assert again.lines == decl.lines and again.period == decl.period


def test_search_ignores_diacritics(demo_app):
    with demo_app.db.reading() as conn:
        w = repo.find_worker(conn, "#3")
        from ibhxh_client.domain.text import fold

        found = repo.search_workers(conn, fold(w.full_name))
        assert w.id in [x.id for x in found]
        assert all(x.status == WorkerStatus.NEW for x in found)


@pytest.mark.sqlite_only  # a damaged SQLite file
def test_a_damaged_file_is_a_clear_error(tmp_path):
    (tmp_path / DB_FILE).write_bytes(b"this is not a database" * 100)
    from ibhxh_client.storage.db import DatabaseError

    with pytest.raises(DatabaseError, match=DB_FILE):
        Database(tmp_path)
    assert sqlite3  # the file was not replaced: still our bytes
    assert (tmp_path / DB_FILE).read_bytes().startswith(b"this is not a database")


def test_validating_again_keeps_one_copy_of_the_envelope(demo_app):
    from sqlalchemy import func, select

    from ibhxh_client.services import declarations
    from ibhxh_client.storage.schema import artifacts

    for _ in range(3):
        declarations.validate(demo_app, demo_app.demo_id)
    with demo_app.db.reading() as conn:
        count = conn.execute(select(func.count()).select_from(artifacts)
                             .where(artifacts.c.kind == "envelope")).scalar()
    assert count == 1
