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
    # The sqlite3 module's own transaction handling would commit around DDL; we issue
    # BEGIN ourselves (_on_begin) so a migration is one transaction like any other change.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    # WAL: readers never block the writer, and a crash mid-write leaves the last commit.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    # Deleted personal data is overwritten, not left in free pages of the file.
    cur.execute("PRAGMA secure_delete=ON")
    cur.close()


def _on_begin(conn: Connection) -> None:
    # A unit of work takes the write lock at its start (IMMEDIATE): with a deferred BEGIN
    # a transaction that reads, then writes, fails at once when another writer came in
    # between. Reads stay deferred so they never wait for each other.
    write = conn.get_execution_options().get("ibhxh_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


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
        event.listen(self.engine, "begin", _on_begin)
        if migrate:
            self.migrate()

    @property
    def cipher(self) -> FieldCipher:
        return self.engine.dialect.ibhxh_cipher

    def _key_for(self, meta: dict[str, str]) -> FieldCipher:
        db_id, check = meta["db_id"], meta["key_check"]
        current = self.keystore.get(db_id)
        if current is not None and FieldCipher(current).check_value == check:
            self.keystore.delete(db_id, "pending")  # left by a rotation that rolled back
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
            with self.engine.connect() as conn:
                # Tables are rebuilt to change column types: foreign keys are checked
                # after the migration instead of during it (the pragma is a no-op inside
                # a transaction, so it is set before BEGIN).
                raw = conn.connection.dbapi_connection
                raw.execute("PRAGMA foreign_keys=OFF")
                with conn.begin():
                    cipher, sealed_now = self._open_in(conn)
                    bad = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if bad:
                        raise DatabaseError(f"foreign key check failed: {bad[:5]}")
                raw.execute("PRAGMA foreign_keys=ON")
        except (CryptoError, DatabaseError):
            raise
        except Exception as exc:  # SQLAlchemy and sqlite3 errors alike
            raise DatabaseError(f"cannot open the database {self.path}: {exc}") from exc
        self.engine.dialect.ibhxh_cipher = cipher
        if sealed_now:
            self.compact()

    def _open_in(self, conn: Connection) -> tuple[FieldCipher, bool]:
        """The database's cipher, after any pending migration; and whether plaintext
        data was sealed just now."""
        meta = read_meta(conn)
        if "db_id" in meta:
            cipher = self._key_for(meta)
            self.db_id = meta["db_id"]
            if current_revision(conn) != _head():
                upgrade(conn, cipher=cipher, db_id=self.db_id)
            return cipher, False
        # New, or written before encryption: a key of its own, stored before any use.
        self.db_id = uuid.uuid4().hex
        key = new_key()
        self.keystore.put(self.db_id, key)
        cipher = FieldCipher(key)
        sealed_now = current_revision(conn) is not None
        upgrade(conn, cipher=cipher, db_id=self.db_id)
        return cipher, sealed_now

    def rotate_key(self) -> None:
        """Re-seal every value and re-hash every ID under a new key, in one transaction.

        The new key goes to the key store's "pending" slot first; the data changes in one
        transaction; only then does the new key become current. Stopped anywhere, the
        database opens: before the commit with the old key, after it with the pending one.
        """
        from .schema import HASHED, encrypted_columns, workers

        old = self.cipher
        key = new_key()
        new = FieldCipher(key)
        self.keystore.put(self.db_id, key, "pending")
        with self.engine.begin() as conn:
            for table, column in encrypted_columns():
                pk = next(iter(table.primary_key.columns)).name
                label = column.type.column
                rows = conn.execute(text(f"SELECT {pk}, {column.name} FROM {table.name} "
                                         f"WHERE {column.name} IS NOT NULL")).all()
                if rows:
                    conn.execute(text(f"UPDATE {table.name} SET {column.name} = :v "
                                      f"WHERE {pk} = :k"),
                                 [{"k": k, "v": new.seal(old.open(v, label), label)}
                                  for k, v in rows])
            sources = [source for source, _kind in HASHED.values()]
            rows = conn.execute(text(f"SELECT id, {', '.join(sources)} FROM workers")).all()
            if rows:
                params = []
                for row in rows:
                    values = {"k": row[0]}
                    for (hash_col, (source, kind)), raw in zip(HASHED.items(), row[1:],
                                                               strict=True):
                        plain = new.open(raw, f"workers.{source}").decode() if raw else ""
                        values[hash_col] = new.index(kind, plain)
                    params.append(values)
                sets = ", ".join(f"{h} = :{h}" for h in HASHED)
                conn.execute(text(f"UPDATE {workers.name} SET {sets} WHERE id = :k"), params)
            conn.execute(text("UPDATE meta SET value = :v WHERE key = 'key_check'"),
                         {"v": new.check_value})
        self.engine.dialect.ibhxh_cipher = new
        self.keystore.put(self.db_id, key)
        self.keystore.delete(self.db_id, "pending")
        self.compact()

    def compact(self) -> None:
        """Rewrite the file and empty the WAL so no old plaintext page survives."""
        with self.engine.connect() as conn:
            raw = conn.connection.dbapi_connection  # outside any transaction, as VACUUM needs
            raw.execute("VACUUM")
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One unit of work: committed as a whole, or not at all."""
        with self.engine.connect().execution_options(ibhxh_write=True) as conn, conn.begin():
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()


def _head() -> str:
    """``head_revision`` without loading alembic (a third of a second at every start):
    migrations are files named NNNN_what.py whose revision is NNNN, so the newest is the
    highest number (a test holds this to alembic's own answer)."""
    return max(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
