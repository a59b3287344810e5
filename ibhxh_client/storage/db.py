"""The database: one SQLite file in the data folder (WAL mode), or a PostgreSQL database
on a shared office's server (storage.location chooses); migrated on open, every change in
one transaction, personal data sealed with the database's own key.

Only what differs between the engines is engine-specific here: SQLite's PRAGMAs, its
``BEGIN IMMEDIATE``, VACUUM and foreign key check; PostgreSQL's isolation level, pool
checks, connect timeout and application name.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, create_engine, event, inspect, text
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import OperationalError

from . import officer_keys
from .crypto import CryptoError, FieldCipher, new_key
from .keys import KeyStore
from .location import DB_FILE, Location, parse, resolve, sqlite_location

__all__ = ["DB_FILE", "Database", "DatabaseError", "ServerError"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
APPLICATION_NAME = "ibhxh-client"
CONNECT_TIMEOUT = 5  # seconds: a server that does not answer is said so, not waited for
# Two PCs opening a new shared database at once: one migrates, the other waits for it.
MIGRATION_LOCK = 7_402_017


class DatabaseError(Exception):
    """The database cannot be opened or is damaged; says which file."""


class ServerError(DatabaseError):
    """The PostgreSQL server cannot be used: ``code`` (a message code of domain.messages:
    unreachable, wrong password, no such database) and ``params``, never the password."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(f"{code}: {params.get('url', '')}")
        self.code = code
        self.params = params


# A failed connection carries no SQLSTATE (libpq reports it before any session): the
# server's and libpq's own words tell a refused login and a missing database apart.
_AUTH_WORDS = ("authentication failed", "no password supplied", "no pg_hba.conf entry",
               "permission denied for database")
_MISSING_WORDS = ("does not exist",)


def server_error(exc: OperationalError, location: Location) -> ServerError:
    """What a failed connection to the server means for the officer."""
    said = str(exc.orig)
    url = location.shown
    if any(w in said for w in _AUTH_WORDS):
        return ServerError("database_auth", url=url, user=location.url.username or "")
    if "database" in said and any(w in said for w in _MISSING_WORDS):
        return ServerError("database_missing", url=url, name=location.url.database or "")
    return ServerError("database_unreachable", url=url)


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
                 migrate: bool = True, url: str | URL | Location | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DB_FILE
        # ``url``: this database instead of the one the data folder names (location).
        self.location = _location(self.data_dir, url)
        self.keystore = keystore or KeyStore()
        self.db_id = ""
        # The unit (employer.id) every transaction works on: services.app.choose_unit
        # chooses it; until then the first unit (id 1, also before it is set up).
        self.unit_id: int | None = 1
        # The officer working on this PC (a shared database; storage.officer_keys), whose
        # login every change records; None on a single PC (the system user is recorded).
        self.officer: str | None = None
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create the data folder {self.data_dir}: {exc}") from exc
        self.engine: Engine = _engine(self.location)
        if migrate:
            self.migrate()

    @property
    def cipher(self) -> FieldCipher:
        return self.engine.dialect.ibhxh_cipher

    @property
    def is_sqlite(self) -> bool:
        return self.location.is_sqlite

    @property
    def where(self) -> str:
        """The database as it may be shown: the file, or the server's URL without its
        password."""
        return str(self.path) if self.is_sqlite else self.location.shown

    def is_empty(self) -> bool:
        """Nothing of this program in the database yet (never migrated)."""
        if self.is_sqlite and not self.path.exists():
            return True
        try:
            with self.engine.connect() as conn:
                return current_revision(conn) is None
        except OperationalError as exc:
            raise self._failed(exc) from None

    def _key_for(self, conn: Connection, meta: dict[str, str]) -> FieldCipher:
        db_id, check = meta["db_id"], meta["key_check"]
        if officer_keys.office_mode(conn):
            return self._officer_key(conn, db_id, check)
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

    def _officer_key(self, conn: Connection, db_id: str, check: str) -> FieldCipher:
        """A shared database (office mode): the key from this PC's officer's own wrapped
        copy, never from the key store's plain slot. Without a usable copy the database
        still opens, locked (officer_keys.LockedCipher): the officer can ask to join, and
        whatever needs personal data says why it cannot."""
        # the officer this program opened as stays its officer while it runs
        login = getattr(self, "_login", None) or officer_keys.chosen_login(self.data_dir, db_id)
        self._login = login
        self.officer = None
        if not getattr(self, "_watching_key", False):
            # Another PC may rotate the key, or let this officer in, or remove them, while
            # this one is open: each transaction first takes the current copy.
            event.listen(self.engine, "begin", self._key_still_current)
            self._watching_key = True
        try:
            key = officer_keys.open_data_key(conn, self.keystore, db_id, login, check)
        except CryptoError as exc:
            if exc.code not in officer_keys.LOCKED_CODES:
                raise
            return officer_keys.LockedCipher(exc)  # type: ignore[return-value]
        self.officer = login
        return FieldCipher(key)

    def _key_still_current(self, conn: Connection) -> None:
        """Office mode, as each transaction begins: nothing is sealed under a key another
        PC has replaced since this one opened. On the server the key check is read FOR
        SHARE: a rotation in progress is waited for (and then the new copy is taken), and
        one that starts waits for this transaction to end."""
        lock = "" if self.is_sqlite else " FOR SHARE"
        check = conn.execute(text(f"SELECT value FROM meta WHERE key = 'key_check'{lock}")
                             ).scalar()
        cipher = getattr(self.engine.dialect, "ibhxh_cipher", None)
        if cipher is None or check is None or (isinstance(cipher, FieldCipher)
                                               and cipher.check_value == check):
            return  # still opening, or nothing changed
        self.engine.dialect.ibhxh_cipher = self._officer_key(conn, self.db_id, check)

    def migrate(self) -> None:
        """Bring the database to the newest schema, sealing any plaintext personal data."""
        if self.is_sqlite:
            cipher, sealed_now = self._migrate_sqlite()
        else:
            cipher, sealed_now = self._migrate_server()
        self.engine.dialect.ibhxh_cipher = cipher
        if sealed_now:
            self.compact()

    def _failed(self, exc: Exception) -> DatabaseError:
        if not self.is_sqlite and isinstance(exc, OperationalError) and exc.statement is None:
            return server_error(exc, self.location)
        return DatabaseError(f"cannot open the database {self.where}: {exc}")

    def _migrate_server(self) -> tuple[FieldCipher, bool]:
        # PostgreSQL has transactional DDL: the whole migration is one transaction, and
        # foreign keys are checked as it goes.
        try:
            with self.engine.connect() as conn, conn.begin():
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
                return self._open_in(conn)
        except (CryptoError, DatabaseError):
            raise
        except Exception as exc:  # SQLAlchemy and psycopg errors alike
            raise self._failed(exc) from exc

    def _migrate_sqlite(self) -> tuple[FieldCipher, bool]:
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
        return cipher, sealed_now

    def _open_in(self, conn: Connection) -> tuple[FieldCipher, bool]:
        """The database's cipher, after any pending migration; and whether plaintext
        data was sealed just now."""
        meta = read_meta(conn)
        if "db_id" in meta:
            cipher = self._key_for(conn, meta)
            self.db_id = meta["db_id"]
            if current_revision(conn) != _head():
                if isinstance(cipher, officer_keys.LockedCipher):
                    raise cipher.error  # only an officer let in may upgrade a shared database
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

    def rotate_key(self, change: Callable[[Connection], None] | None = None) -> None:
        """Re-seal every value and re-hash every ID under a new key, in one transaction
        (``change``: more to do in that transaction first, such as removing an officer).

        On a single PC the new key goes to the key store's "pending" slot first; the data
        changes in one transaction; only then does the new key become current. Stopped
        anywhere, the database opens: before the commit with the old key, after it with
        the pending one. A shared database (office mode) keeps no plain copy: the same
        transaction wraps the new key for every active officer, so a crash leaves the old
        key and the old copies, or the new ones, never a mix.
        """
        from .schema import HASHED, encrypted_columns, workers

        old = self.cipher
        key = new_key()
        new = FieldCipher(key)
        office = self.officer is not None
        if not office:
            self.keystore.put(self.db_id, key, "pending")
        with self.engine.begin() as conn:
            if not self.is_sqlite:  # no other PC writes under the old key meanwhile
                # meta first: every transaction of an office PC holds its key check FOR
                # SHARE (_key_still_current), so this waits for those, without deadlock
                names = sorted({t.name for t, _c in encrypted_columns()} | {"officers"})
                conn.execute(text(f"LOCK TABLE meta, {', '.join(names)} IN EXCLUSIVE MODE"))
            if change is not None:
                change(conn)
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
            if office:
                officer_keys.rewrap_all(conn, key, self.db_id, new.check_value)
                mine = officer_keys.officer_row(conn, self.officer or "")
        self.engine.dialect.ibhxh_cipher = new
        if office and (mine is None or mine["status"] != officer_keys.ACTIVE):
            # this PC's own officer removed themselves: the new key is not theirs
            self.engine.dialect.ibhxh_cipher = officer_keys.LockedCipher(
                CryptoError("officer_removed", login=self.officer))
            self.officer = None
        if not office:
            self.keystore.put(self.db_id, key)
            self.keystore.delete(self.db_id, "pending")
        self.compact()

    def compact(self) -> None:
        """Rewrite the file and empty the WAL so no old plaintext page survives.

        On PostgreSQL, VACUUM makes the space of deleted and replaced rows reusable, so
        it is written over sooner; the server's own files, WAL archive and backups are
        the office's to protect (the personal data in them is sealed anyway)."""
        if not self.is_sqlite:
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.exec_driver_sql("VACUUM")
            return
        with self.engine.connect() as conn:
            raw = conn.connection.dbapi_connection  # outside any transaction, as VACUUM needs
            raw.execute("VACUUM")
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One unit of work: committed as a whole, or not at all. It works on the unit
        chosen (``unit_id``): storage.repo reads it from the connection."""
        with (self.engine.connect().execution_options(
                ibhxh_write=True, ibhxh_unit=self.unit_id, ibhxh_officer=self.officer) as conn,
              conn.begin()):
            yield conn

    @contextmanager
    def reading(self, unit: int | None = None) -> Iterator[Connection]:
        """Reads of the chosen unit (``unit``: of that unit instead, for a view across
        units)."""
        chosen = self.unit_id if unit is None else unit
        with self.engine.connect().execution_options(ibhxh_unit=chosen,
                                                     ibhxh_officer=self.officer) as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()


def _location(data_dir: Path, url: str | URL | Location | None) -> Location:
    if url is None:
        return resolve(data_dir)
    if isinstance(url, Location):
        return url
    if isinstance(url, str) and url.startswith("sqlite"):
        return sqlite_location(data_dir)
    return Location(parse(url if isinstance(url, str)
                          else url.render_as_string(hide_password=False)), "argument")


def _engine(location: Location) -> Engine:
    if location.is_sqlite:
        engine = create_engine(location.url)
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _on_begin)
        return engine
    # READ COMMITTED: each statement sees what others committed before it; the lost
    # updates it allows are refused by the dossiers' version column (storage.repo).
    return create_engine(location.url, isolation_level="READ COMMITTED",
                         pool_pre_ping=True,
                         connect_args={"connect_timeout": CONNECT_TIMEOUT,
                                       "application_name": APPLICATION_NAME})


def _head() -> str:
    """``head_revision`` without loading alembic (a third of a second at every start):
    migrations are files named NNNN_what.py whose revision is NNNN, so the newest is the
    highest number (a test holds this to alembic's own answer)."""
    return max(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
