"""The local database: one SQLite file in the data folder, migrated on open, WAL mode,
every change in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, create_engine, event, inspect, text
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DB_FILE = "ibhxh.sqlite3"


class DatabaseError(Exception):
    """The database cannot be opened or is damaged; says which file."""


def _on_connect(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL: readers never block the writer, and a crash mid-write leaves the last commit.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def _alembic_config(connection: Connection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest migration shipped with this program."""
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(None)  # type: ignore[arg-type]
    return ScriptDirectory.from_config(cfg).get_current_head()


def current_revision(connection: Connection) -> str | None:
    """The migration the database is at (None for an empty file)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` on this connection."""
    from alembic import command

    command.upgrade(_alembic_config(connection), revision)


class Database:
    """The open database of one data folder."""

    def __init__(self, data_dir: Path, *, migrate: bool = True) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DB_FILE
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create the data folder {self.data_dir}: {exc}") from exc
        self.engine: Engine = create_engine(f"sqlite:///{self.path}")
        event.listen(self.engine, "connect", _on_connect)
        if migrate:
            self.migrate()

    def migrate(self) -> None:
        """Bring the file to the newest schema (a no-op when it is already there)."""
        try:
            with self.engine.begin() as conn:
                if current_revision(conn) != _head():
                    upgrade(conn)
        except Exception as exc:  # SQLAlchemy and sqlite3 errors alike
            raise DatabaseError(f"cannot open the database {self.path}: {exc}") from exc

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One unit of work: committed as a whole, or not at all."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()


_HEAD: str | None = None


def _head() -> str:
    global _HEAD
    if _HEAD is None:
        _HEAD = head_revision()
    return _HEAD
