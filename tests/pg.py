"""A real PostgreSQL server for the tests.

``pg_server``: the admin URL of the server ``.ci/test`` started (IBHXH_TEST_PG_URL), or,
when pytest runs on its own, of a throwaway cluster started here with ``.ci/pg`` for the
session. PostgreSQL missing is a failure, never a skip: ``.ci/setup`` installs it.
``pg_url``: a fresh, empty database on it for one test, dropped after.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

# storage.location.resolve as the program has it (PostgreSQL mode patches the module's).
from ibhxh_client.storage.location import resolve as real_resolve  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
PG_SCRIPT = ROOT / ".ci" / "pg"
ADMIN_ENV = "IBHXH_TEST_PG_URL"
# Time spent making and dropping databases this session (reported by test_pg_overhead).
overhead = {"created": 0, "seconds": 0.0}


def start_cluster() -> tuple[str, Path]:
    """Start a throwaway cluster with .ci/pg; its admin URL and its folder."""
    folder = Path(tempfile.mkdtemp(prefix="ibhxh-pg-"))
    done = subprocess.run(["bash", str(PG_SCRIPT), "start", str(folder)],
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"cannot start a PostgreSQL cluster with .ci/pg: {done.stderr.strip()}",
                    pytrace=False)
    return done.stdout.strip().splitlines()[-1], folder


def stop_cluster(folder: Path) -> None:
    subprocess.run(["bash", str(PG_SCRIPT), "stop", str(folder)], capture_output=True,
                   timeout=60, check=False)


def _libpq(url: str) -> str:
    # psycopg takes postgresql:// only; the program's URLs may name the driver.
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def database_url(admin_url: str, name: str) -> str:
    """The admin URL pointed at another database of the same server."""
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def create_database(admin_url: str) -> str:
    """A new empty database; its URL."""
    started = time.perf_counter()
    name = f"ibhxh_t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(_libpq(admin_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    overhead["created"] += 1
    overhead["seconds"] += time.perf_counter() - started
    return database_url(admin_url, name)


def drop_database(admin_url: str, url: str) -> None:
    started = time.perf_counter()
    name = make_url(url).database
    with psycopg.connect(_libpq(admin_url), autocommit=True) as conn:
        # FORCE: a test may leave an engine open; its connections go with the database.
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    overhead["seconds"] += time.perf_counter() - started


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The admin URL (a superuser, on the "postgres" database) of a running server."""
    given = os.environ.get(ADMIN_ENV)
    if given:
        yield given
        return
    url, folder = start_cluster()
    os.environ[ADMIN_ENV] = url  # subprocesses of the tests find the same server
    try:
        yield url
    finally:
        os.environ.pop(ADMIN_ENV, None)
        stop_cluster(folder)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test (dropped after): its URL."""
    url = create_database(pg_server)
    try:
        yield url
    finally:
        drop_database(pg_server, url)


class DatabasePerFolder:
    """PostgreSQL mode of the suite: each data folder a test opens gets a fresh database
    of its own (the first one is also in IBHXH_DATABASE_URL, for subprocesses); a URL
    given explicitly, or chosen with ``ibhxh database use``, is used as it is."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.first = create_database(admin_url)
        self.folders: dict[Path, str] = {}

    def resolve(self, data_dir: Path, explicit: str | None = None):
        from ibhxh_client.storage import location

        if explicit:
            return location.Location(location.parse(explicit), "argument")
        chosen = location.saved(data_dir)
        if chosen is not None:
            return chosen
        folder = Path(data_dir).resolve()
        if folder not in self.folders:
            self.folders[folder] = (create_database(self.admin_url) if self.folders
                                    else self.first)
        return location.Location(location.parse(self.folders[folder]), "environment")

    def drop_all(self) -> None:
        for url in {self.first, *self.folders.values()}:
            drop_database(self.admin_url, url)


def database_text(url: str) -> bytes:
    """Every row of every table of a PostgreSQL database, as the server writes it out
    (bytea as hex): what someone reading the database without the key would see."""
    out = []
    with psycopg.connect(_libpq(url)) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        for table in tables:
            out += [r[0] for r in conn.execute(f'SELECT t::text FROM "{table}" AS t')]
    return "\n".join(out).encode("utf-8")


def raw_connect(data_dir: Path):
    """A DB-API connection to the database a data folder uses, whichever the engine
    (sqlite3 or psycopg: both take ``conn.execute(sql)`` and commit on leaving ``with``)."""
    import sqlite3

    from ibhxh_client.storage import location

    where = location.resolve(data_dir)
    if where.is_sqlite:
        return sqlite3.connect(where.sqlite_path)
    return psycopg.connect(_libpq(where.url.render_as_string(hide_password=False)))


def folder_text(data_dir: Path) -> bytes:
    """What the database of a data folder holds, as bytes: the SQLite file and its WAL,
    or every row of the PostgreSQL database as the server writes it out."""
    from ibhxh_client.storage import location

    where = location.resolve(data_dir)
    if not where.is_sqlite:
        return database_text(where.url.render_as_string(hide_password=False))
    return b"".join(p.read_bytes() for p in sorted(Path(data_dir).glob("ibhxh.sqlite3*")))


def integrity(conn) -> str:
    """The engine's own check of the stored data: SQLite's integrity_check, or amcheck's
    check of every index on PostgreSQL ("ok" when it finds nothing wrong)."""
    if conn.dialect.name == "sqlite":
        return conn.exec_driver_sql("PRAGMA integrity_check").scalar()
    conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS amcheck")
    conn.exec_driver_sql(
        "SELECT bt_index_check(i.indexrelid) FROM pg_index i JOIN pg_class c "
        "ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_am a ON a.oid = c.relam WHERE n.nspname = 'public' AND a.amname = 'btree'"
    ).all()
    return "ok"
