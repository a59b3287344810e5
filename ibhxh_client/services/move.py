"""Moving the data folder's database to another one: this PC's SQLite file to a shared
office's PostgreSQL server, or back, or from one server to another.

Every table is copied as it is stored (sealed values stay sealed: the ``meta`` table's
database id and key check go along, so the key in the keyring still opens the copy), in
the dependency order of storage.schema, in batches, keeping every id. The copy is then
read back and compared with the source, table by table (rows and a digest), inside the
target's own transaction: any difference and the transaction is rolled back, so the target
is left as it was and the data folder keeps its old database. Only a verified copy is
committed and chosen for the data folder; the old database is never changed.

The same copier writes the SQLite snapshot of a PostgreSQL database into a backup, and
restores a backup into a server (services.backup).
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    LargeBinary,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from ..storage import location
from ..storage.crypto import Encrypted, FieldCipher, new_key
from ..storage.db import (
    CONNECT_TIMEOUT,
    DB_FILE,
    MIGRATION_LOCK,
    current_revision,
    head_revision,
    server_error,
    upgrade,
)
from ..storage.keys import SecretStoreError, keep_secret
from ..storage.schema import metadata
from .app import App, UserError

log = logging.getLogger(__name__)
BATCH = 5_000  # rows read and written at a time
Progress = Callable[[int, int], None]
# Tables the migrations fill by themselves: replaced by the source's rows, not "data".
BOOKKEEPING = ("alembic_version", "meta")


def _raw_tables() -> list[Table]:
    """Every table in dependency order, as stored: a sealed column is plain bytes here, so
    values are copied sealed, never opened. alembic_version comes last."""
    raw = MetaData()
    tables = []
    for table in metadata.sorted_tables:
        columns = [Column(c.name, LargeBinary if isinstance(c.type, Encrypted) else c.type,
                          primary_key=c.primary_key) for c in table.columns]
        tables.append(Table(table.name, raw, *columns))
    tables.append(Table("alembic_version", raw,
                        Column("version_num", String(32), primary_key=True)))
    return tables


TABLES = _raw_tables()


# -- reading and digests ------------------------------------------------------------------

def _ordered(table: Table):
    return select(table).order_by(*table.primary_key.columns)


def _integer_key(table: Table) -> bool:
    return all(c.type.python_type is int for c in table.primary_key.columns)


def _rows(conn: Connection, table: Table) -> Iterator[list[tuple]]:
    """The table's rows by primary key, a batch at a time. Text keys are sorted here, not
    by the server: PostgreSQL's collation and SQLite's byte order disagree."""
    if not _integer_key(table):
        rows = [tuple(r) for r in conn.execute(select(table)).all()]
        keys = [i for i, c in enumerate(table.columns) if c.primary_key]
        rows.sort(key=lambda r: [str(r[i]) for i in keys])
        for at in range(0, len(rows), BATCH):
            yield rows[at:at + BATCH]
        return
    result = conn.execution_options(yield_per=BATCH).execute(_ordered(table))
    for part in result.partitions():
        yield [tuple(r) for r in part]


def _normaliser(table: Table) -> Callable[[tuple], str]:
    """A row as text both engines give back alike: bytes as bytes (not a memoryview),
    booleans as booleans (SQLite keeps 0/1), date-times without time zone to the
    microsecond; every other value as it is."""
    fixes = []
    for at, col in enumerate(table.columns):
        if isinstance(col.type, LargeBinary):
            fixes.append((at, bytes))
        elif isinstance(col.type, Boolean):
            fixes.append((at, bool))
        elif isinstance(col.type, DateTime):
            fixes.append((at, _moment))

    def text_of(row: tuple) -> str:
        if fixes:
            row = list(row)
            for at, fix in fixes:
                if row[at] is not None:
                    row[at] = fix(row[at])
        return repr(tuple(row))

    return text_of


def _moment(value: datetime | str) -> str:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    return str(value)


def digest_rows(table: Table, batches: Iterable[list[tuple]]) -> tuple[int, str]:
    """The count and the SHA-256 of a table's rows, each normalised (``_normaliser``)."""
    digest, count, text_of = hashlib.sha256(), 0, _normaliser(table)
    for batch in batches:
        digest.update("\n".join(map(text_of, batch)).encode("utf-8"))
        digest.update(b"\n")
        count += len(batch)
    return count, digest.hexdigest()


def digests(conn: Connection) -> dict[str, tuple[int, str]]:
    """Each table's row count and digest, read in primary key order."""
    return {table.name: digest_rows(table, _rows(conn, table)) for table in TABLES}


# -- the target ---------------------------------------------------------------------------

def _has_our_tables(conn: Connection) -> bool:
    names = set(inspect(conn).get_table_names())
    return any(t.name in names for t in TABLES)


def _data_rows(conn: Connection) -> int:
    return sum(conn.execute(select(func.count()).select_from(t)).scalar() or 0
               for t in TABLES if t.name not in BOOKKEEPING)


def prepare_target(conn: Connection, shown: str, *, replace: bool = False) -> None:
    """Make an empty database ready to take a copy: the schema at head (the migrations,
    as the program runs them), with no row in any table. A database holding data is
    refused (or, ``replace``, emptied in this transaction); one at another schema is
    refused."""
    if conn.dialect.name == "postgresql":
        # a PC opening the same empty database now waits, rather than migrating it too
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
    revision = current_revision(conn)
    head = head_revision()
    if revision is None:
        if _has_our_tables(conn):
            raise UserError("move_target_not_empty", exit_code=2, url=shown)
        # The migrations write a database id and key check of their own: replaced below.
        upgrade(conn, cipher=FieldCipher(new_key()), db_id="move")
    elif revision != head:
        raise UserError("move_target_schema", exit_code=2, url=shown, revision=revision,
                        head=head)
    elif _data_rows(conn) and not replace:
        raise UserError("move_target_not_empty", exit_code=2, url=shown)
    for table in reversed(TABLES):
        conn.execute(delete(table))


def write_batch(conn: Connection, table: Table, rows: list[tuple]) -> None:
    """Insert rows as they are, ids included (on PostgreSQL with COPY: several times
    faster than INSERTs, in the same transaction)."""
    names = [c.name for c in table.columns]
    if conn.dialect.name != "postgresql":
        conn.execute(insert(table), [dict(zip(names, row, strict=True)) for row in rows])
        return
    columns = ", ".join(f'"{n}"' for n in names)
    with conn.connection.dbapi_connection.cursor() as cursor, \
            cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


def _set_sequences(conn: Connection) -> None:
    # Ids were copied as they were: each sequence must start past the highest one.
    for table in TABLES:
        if not _integer_key(table) or len(table.primary_key.columns) != 1:
            continue
        pk = next(iter(table.primary_key.columns)).name
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence(:t, :c), COALESCE(MAX({pk}), 1), "
            f"MAX({pk}) IS NOT NULL) FROM {table.name} "
            f"WHERE pg_get_serial_sequence(:t, :c) IS NOT NULL"), {"t": table.name, "c": pk})


def copy_into(source: Connection, target: Connection,
              progress: Progress | None = None) -> dict[str, int]:
    """Copy every table of ``source`` into the prepared, empty ``target`` (both in their
    transactions); then read the copy back and compare it with the source. Returns the
    rows per table; UserError ``move_verify_failed`` on any difference (the caller rolls
    the target back)."""
    if current_revision(source) != head_revision():
        raise UserError("move_source_schema", exit_code=2)
    counts = {t.name: source.execute(select(func.count()).select_from(t)).scalar() or 0
              for t in TABLES}
    total, done = sum(counts.values()), 0
    for table in TABLES:
        for batch in _rows(source, table):
            try:
                write_batch(target, table, batch)
            except (DBAPIError, target.dialect.loaded_dbapi.Error) as exc:
                _refused(exc, table.name, target.dialect.loaded_dbapi)
            done += len(batch)
        if progress is not None:
            progress(done, total)
    if target.dialect.name == "postgresql":
        _set_sequences(target)
    _verify(source, target)
    return counts


def _refused(exc: Exception, table: str, dbapi) -> None:
    """The target refused a batch (a constraint the source did not enforce, such as a
    foreign key an old SQLite file let through): the whole copy is rolled back by the
    caller. A lost connection is raised as it is. The log gets the kind of refusal, not
    the server's words, which may quote a row's values."""
    raw = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(raw, dbapi.OperationalError):
        raise exc
    log.warning("copying %s refused: %s (SQLSTATE %s)", table, type(raw).__name__,
                getattr(raw, "sqlstate", "?"))
    raise UserError("move_copy_failed", table=table) from None


def _verify(source: Connection, target: Connection) -> None:
    mine, theirs = digests(source), digests(target)
    differ = [name for name in mine if mine[name] != theirs[name]]
    if differ:
        raise UserError("move_verify_failed", tables=", ".join(differ))


# -- moving the data folder's database ----------------------------------------------------

def _sqlite_target(data_dir: Path, to: str) -> bool:
    """``to`` names the data folder's SQLite file (``sqlite``, or a ``sqlite:///`` URL of
    that file or folder); any other SQLite file is refused: the program uses that one."""
    if to.strip().lower() == "sqlite":
        return True
    if not to.strip().lower().startswith("sqlite:"):
        return False
    try:
        named = Path(make_url(to.strip()).database or "")
    except ArgumentError:
        named = Path()
    wanted = (data_dir / DB_FILE).resolve()
    if named.resolve() not in (wanted, data_dir.resolve()):
        raise UserError("move_sqlite_path", exit_code=2, path=str(wanted))
    return True


def _server_engine(where: location.Location) -> Engine:
    return create_engine(where.url, connect_args={"connect_timeout": CONNECT_TIMEOUT,
                                                  "application_name": "ibhxh-client move"})


def _source(app: App) -> Connection:
    """A connection to the database in use that sees one moment of it throughout (other
    officers may keep working on a server while it is copied)."""
    conn = app.db.engine.connect()
    if not app.db.is_sqlite:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    return conn


def move(app: App, to: str, progress: Progress | None = None) -> dict[str, object]:
    """Copy the database in use into ``to`` (a PostgreSQL URL, or ``sqlite``: the data
    folder's file), verify the copy, and only then make the data folder use it."""
    from . import officers

    officers.require(app, officers.SIGNER)  # a shared database: the whole of it moves
    started = time.perf_counter()
    folder = app.data_dir
    if _sqlite_target(folder, to):
        if app.db.is_sqlite:
            raise UserError("move_same", exit_code=2, url=app.db.where)
        counts, kept_aside = _to_sqlite(app, progress)
        chosen = location.local(folder)
    else:
        try:
            where = location.Location(location.parse(to), "argument")
        except location.LocationError as exc:
            raise UserError(exc.code, exit_code=2, **exc.params) from None
        _keep_password(where)  # before copying: a copy the folder cannot use is no use
        counts, kept_aside = _to_server(app, where, progress), None
        try:
            chosen = location.use(folder, to)
        except location.LocationError as exc:
            raise UserError(exc.code, exit_code=2, **exc.params) from None
    seconds = time.perf_counter() - started
    rows = sum(counts.values())
    return {"from": app.db.where, "to": chosen.shown, "engine": chosen.engine,
            "tables": len(counts), "rows": rows, "seconds": round(seconds, 2),
            "rows_per_second": round(rows / seconds) if seconds else rows,
            "set_aside": kept_aside,
            # the environment still names a database: it wins over the data folder's choice
            "environment_overrides": bool(os.environ.get(location.ENV))}


def _keep_password(where: location.Location) -> None:
    """The target's password into the OS keyring (where ``location.use`` keeps it after
    the copy), so a machine that cannot keep it is told before anything is copied."""
    url = where.url
    if url.password is None:
        return
    try:
        keep_secret(location.secret_name(url), url.password, where.shown)
    except SecretStoreError as exc:
        raise UserError("database_no_keyring", exit_code=2, detail=exc.detail) from None


def _to_server(app: App, where: location.Location, progress: Progress | None
               ) -> dict[str, int]:
    engine = _server_engine(where)
    try:
        with _source(app) as source, engine.connect() as target, target.begin():
            prepare_target(target, where.shown)
            return copy_into(source, target, progress)
    except OperationalError as exc:
        if exc.statement is None:  # never connected: what the server said, for the officer
            raise server_error(exc, where) from None
        raise
    finally:
        engine.dispose()


def _to_sqlite(app: App, progress: Progress | None) -> tuple[dict[str, int], str | None]:
    """Copy into a new file beside the data folder's, verified, then put it in place; a
    SQLite file already there (the one used before a move to the server) is kept aside
    under another name, never overwritten."""
    folder = app.data_dir
    staged = folder / f"{DB_FILE}.move.part"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{staged}{suffix}").unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{staged}")
    try:
        with _source(app) as source, engine.connect() as target, target.begin():
            prepare_target(target, str(folder / DB_FILE))
            counts = copy_into(source, target, progress)
    except BaseException:
        engine.dispose()
        staged.unlink(missing_ok=True)
        raise
    engine.dispose()
    current = folder / DB_FILE
    kept = None
    if current.exists():
        kept = folder / f"{DB_FILE}.before-move-{datetime.now():%Y%m%d-%H%M%S}"
        _checkpoint(current)
        current.replace(kept)
        for suffix in ("-wal", "-shm"):
            Path(f"{current}{suffix}").unlink(missing_ok=True)
    staged.replace(current)
    return counts, str(kept) if kept else None


def _checkpoint(path: Path) -> None:
    """Fold a WAL into its file, so the file kept aside is whole on its own."""
    import sqlite3

    if not Path(f"{path}-wal").exists():
        return
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def snapshot_sqlite(app: App, folder: Path) -> Path:
    """The database in use written into a new SQLite file in ``folder`` (verified): how a
    backup holds a server's database in the same format as a PC's file."""
    path = folder / DB_FILE
    engine = create_engine(f"sqlite:///{path}")
    try:
        with _source(app) as source, engine.connect() as target, target.begin():
            prepare_target(target, str(path))
            copy_into(source, target)
    finally:
        engine.dispose()
    return path


def restore_into_server(sqlite_file: Path, where: location.Location, *,
                        replace: bool = False,
                        guard: Callable[[Connection], None] | None = None) -> dict[str, int]:
    """Copy a SQLite database (a backup's, at head) into the server's database in one
    transaction: refused when it holds data unless ``replace``, and then the old rows are
    deleted in the same transaction, so a failure leaves them. ``guard`` looks at the
    target first, inside that transaction (and may refuse)."""
    source_engine = create_engine(f"sqlite:///{sqlite_file}")
    engine = _server_engine(where)
    try:
        with source_engine.connect() as source, engine.connect() as target, target.begin():
            if guard is not None:
                guard(target)
            try:
                prepare_target(target, where.shown, replace=replace)
            except UserError as exc:
                if exc.code != "move_target_not_empty":
                    raise
                raise UserError("restore_target_not_empty", exit_code=2, url=where.shown
                                ) from None
            return copy_into(source, target)
    except OperationalError as exc:
        if exc.statement is None:
            raise server_error(exc, where) from None
        raise
    finally:
        engine.dispose()
        source_engine.dispose()

