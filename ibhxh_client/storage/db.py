"""The local database: one SQLite file in the data folder, migrated on open, WAL mode,
every change in one transaction, personal data sealed with the database's own key.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, create_engine, event, inspect, text
from sqlalchemy.engine import Engine

from .crypto import CryptoError, FieldCipher, new_key
from .keys import KeyStore

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
    # Deleted personal data is overwritten, not left in free pages of the file.
    cur.execute("PRAGMA secure_delete=ON")
    cur.close()


def _alembic_config(connection: Connection | None, **attributes: object):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    cfg.attributes.update(attributes)
    return cfg


def head_revision() -> str:
    """The newest migration shipped with this program."""
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(None)
    return ScriptDirectory.from_config(cfg).get_current_head()


def current_revision(connection: Connection) -> str | None:
    """The migration the database is at (None for an empty file)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(connection: Connection, revision: str = "head", **attributes: object) -> None:
    """Run the migrations up to ``revision`` on this connection (``attributes``: what a
    migration needs from the program, such as the cipher that seals personal data)."""
    from alembic import command

    command.upgrade(_alembic_config(connection, **attributes), revision)


def read_meta(connection: Connection) -> dict[str, str]:
    if not inspect(connection).has_table("meta"):
        return {}
    return dict(connection.execute(text("SELECT key, value FROM meta")).all())


def cipher_of(connection: Connection) -> FieldCipher:
    """The cipher of the database this connection belongs to."""
    return connection.engine.dialect.ibhxh_cipher


class Database:
    """The open database of one data folder.

    Opening it finds the data key in the key store: a new (or pre-encryption) database
    gets a new key before its personal data is sealed; an existing one must find its own
    key, or opening stops with a CryptoError that names the recovery path.
    """

    def __init__(self, data_dir: Path, *, keystore: KeyStore | None = None,
                 migrate: bool = True) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DB_FILE
        self.keystore = keystore or KeyStore()
        self.db_id = ""
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create the data folder {self.data_dir}: {exc}") from exc
        self.engine: Engine = create_engine(f"sqlite:///{self.path}")
        event.listen(self.engine, "connect", _on_connect)
        if migrate:
            self.migrate()

    @property
    def cipher(self) -> FieldCipher:
        return self.engine.dialect.ibhxh_cipher

    def _key_for(self, meta: dict[str, str]) -> FieldCipher:
        db_id, check = meta["db_id"], meta["key_check"]
        current = self.keystore.get(db_id)
        if current is not None and FieldCipher(current).check_value == check:
            return FieldCipher(current)
        pending = self.keystore.get(db_id, "pending")
        if pending is not None and FieldCipher(pending).check_value == check:
            # A rotation committed its data, then stopped before swapping the keys.
            self.keystore.put(db_id, pending)
            self.keystore.delete(db_id, "pending")
            return FieldCipher(pending)
        code = "key_missing" if current is None else "key_wrong"
        raise CryptoError(code, db_id=db_id, path=str(self.path))

    def migrate(self) -> None:
        """Bring the file to the newest schema, sealing any plaintext personal data."""
        sealed_now = False
        try:
            with self.engine.begin() as conn:
                meta = read_meta(conn)
                if "db_id" in meta:
                    cipher = self._key_for(meta)
                    self.db_id = meta["db_id"]
                    if current_revision(conn) != _head():
                        upgrade(conn, cipher=cipher, db_id=self.db_id)
                else:
                    # New, or written before encryption: a key of its own, stored first.
                    self.db_id = uuid.uuid4().hex
                    key = new_key()
                    self.keystore.put(self.db_id, key)
                    cipher = FieldCipher(key)
                    sealed_now = current_revision(conn) is not None
                    upgrade(conn, cipher=cipher, db_id=self.db_id)
        except CryptoError:
            raise
        except Exception as exc:  # SQLAlchemy and sqlite3 errors alike
            raise DatabaseError(f"cannot open the database {self.path}: {exc}") from exc
        self.engine.dialect.ibhxh_cipher = cipher
        if sealed_now:
            self.compact()

    def compact(self) -> None:
        """Rewrite the file and empty the WAL so no old plaintext page survives."""
        with self.engine.connect() as conn:
            conn.exec_driver_sql("VACUUM")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

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
