"""Backups a company can carry to a new PC: the database and its data key, sealed with a
passphrase (AES-GCM, key from scrypt). Taken while the program may be running; restored
only after every check passed, the current file kept aside, never overwritten in place.

File layout: the magic line, a JSON header (no personal data: format, KDF parameters,
salt, nonce, database id, time, program version) and the sealed payload, a zip holding
the database file and the key. The header is the associated data of the seal.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from sqlalchemy import inspect, text

from .. import __version__
from ..paths import default_data_dir
from ..storage import location, officer_keys, repo
from ..storage.crypto import CryptoError, FieldCipher
from ..storage.db import DB_FILE, Database
from ..storage.keys import KeyStore
from .app import App, UserError
from .files import read_bytes, write_atomic

MAGIC = b"IBHXH-BACKUP/1\n"
SCRYPT = {"n": 2**15, "r": 8, "p": 1}


def _kek(passphrase: str, salt: bytes, params: dict) -> bytes:
    return Scrypt(salt=salt, length=32, n=params["n"], r=params["r"],
                  p=params["p"]).derive(passphrase.encode("utf-8"))


def _snapshot(db_path: Path) -> bytes:
    """A consistent copy through SQLite's online backup, safe while another process writes."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / DB_FILE
        src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        dst = sqlite3.connect(copy)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return copy.read_bytes()


def _snapshot_of(app: App) -> bytes:
    """The database in use as one SQLite file, whatever the engine: a server's database is
    copied table by table into a new file (services.move), so a backup has one format."""
    if app.db.is_sqlite:
        return _snapshot(app.db.path)
    from .move import snapshot_sqlite

    with tempfile.TemporaryDirectory() as tmp:
        return snapshot_sqlite(app, Path(tmp)).read_bytes()


def backup(app: App, out: Path, passphrase: str) -> dict[str, object]:
    """Write the sealed backup file; returns what it holds (sizes, counts)."""
    if len(passphrase) < 8:
        raise UserError("passphrase_short")
    from .datakey import current_key

    key = current_key(app)  # a shared database: a signer's own wrapped copy, opened
    if key is None:
        raise UserError("key_missing", path=app.db.where)
    data = _snapshot_of(app)
    payload = io.BytesIO()
    with zipfile.ZipFile(payload, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(DB_FILE, data)
        zf.writestr("key.json", json.dumps({"db_id": app.db.db_id,
                                            "key": key.hex()}))
    salt, nonce = os.urandom(16), os.urandom(12)
    header = json.dumps({"format": 1, "kdf": "scrypt", **SCRYPT, "salt": salt.hex(),
                         "nonce": nonce.hex(), "db_id": app.db.db_id,
                         "created": datetime.now(UTC).isoformat(timespec="seconds"),
                         "version": __version__}).encode("utf-8")
    sealed = AESGCM(_kek(passphrase, salt, SCRYPT)).encrypt(nonce, payload.getvalue(), header)
    blob = MAGIC + len(header).to_bytes(4, "big") + header + sealed
    write_atomic(out, blob)
    with app.db.transaction() as conn:
        count = repo.count_workers(conn)
        repo.log_processing(conn, "backup", out.name, workers=count)
    return {"out": str(out), "bytes": len(blob), "workers": count}


@dataclass
class Opened:
    header: dict
    database: bytes
    db_id: str
    key: bytes


def open_backup(path: Path, passphrase: str) -> Opened:
    """Read and unseal a backup; refuses a damaged file or a wrong passphrase."""
    blob = read_bytes(path)
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 4:
        raise UserError("backup_damaged", path=str(path))
    at = len(MAGIC)
    size = int.from_bytes(blob[at:at + 4], "big")
    header_bytes = blob[at + 4:at + 4 + size]
    try:
        header = json.loads(header_bytes)
        salt, nonce = bytes.fromhex(header["salt"]), bytes.fromhex(header["nonce"])
        params = {k: int(header[k]) for k in ("n", "r", "p")}
    except (ValueError, KeyError, TypeError):
        raise UserError("backup_damaged", path=str(path)) from None
    try:
        payload = AESGCM(_kek(passphrase, salt, params)).decrypt(
            nonce, blob[at + 4 + size:], header_bytes)
    except InvalidTag:
        # AES-GCM cannot tell the two apart: say both.
        raise UserError("backup_wrong_passphrase", path=str(path)) from None
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as zf:
            database = zf.read(DB_FILE)
            key_doc = json.loads(zf.read("key.json"))
        return Opened(header, database, key_doc["db_id"], bytes.fromhex(key_doc["key"]))
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise UserError("backup_damaged", path=str(path)) from None


def restore(data_dir: Path | None, path: Path, passphrase: str,
            keystore: KeyStore | None = None, database: str | None = None,
            replace: bool = False) -> dict[str, object]:
    """Restore the backup into the data folder's database (``database``: this URL
    instead): the SQLite file is replaced, the current one kept beside it, renamed; a
    PostgreSQL database must be empty, or ``replace`` (its rows replaced in one
    transaction). Only after checking that the copy is sound and that its key opens it."""
    opened = open_backup(path, passphrase)
    folder = Path(data_dir) if data_dir else default_data_dir()
    try:
        where = location.resolve(folder, database)
    except location.LocationError as exc:
        raise UserError(exc.code, exit_code=2, **exc.params) from None
    folder.mkdir(parents=True, exist_ok=True)
    keystore = keystore or KeyStore()
    if not where.is_sqlite:
        return _restore_server(folder, where, path, opened, keystore, replace)
    staged = folder / (DB_FILE + ".restore.part")
    _stage(staged, opened, path)
    keystore.put(opened.db_id, opened.key)
    current = folder / DB_FILE
    kept = None
    if current.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = folder / f"{DB_FILE}.before-restore-{stamp}"
        if (folder / (DB_FILE + "-wal")).exists():
            # Fold the WAL into the file first, so the kept copy is whole.
            con = sqlite3.connect(current)
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            con.close()
        for suffix in ("-wal", "-shm"):
            (folder / (DB_FILE + suffix)).unlink(missing_ok=True)
        current.replace(kept)
    staged.replace(current)
    # opens with the restored key, migrates if old
    workers = _logged(Database(folder, keystore=keystore), path, opened)
    return {"workers": workers, "kept": str(kept) if kept else None}


def _logged(db: Database, path: Path, opened: Opened) -> int:
    """The restore written in the processing log of the database it made (then closed);
    how many workers it holds."""
    try:
        with db.transaction() as conn:
            workers = repo.count_workers(conn)
            repo.log_processing(conn, "restore", path.name, workers=workers,
                                detail=f"backup of {opened.header.get('created', '?')}")
    finally:
        db.close()
    return workers


def _stage(staged: Path, opened: Opened, path: Path) -> None:
    """Write the backup's database file and check it: sound, and opened by its key."""
    staged.write_bytes(opened.database)
    try:
        check = sqlite3.connect(staged)
        try:
            ok = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            meta = dict(check.execute("SELECT key, value FROM meta").fetchall())
        finally:
            check.close()
        if not ok or meta.get("db_id") != opened.db_id or \
                FieldCipher(opened.key).check_value != meta.get("key_check"):
            raise UserError("backup_damaged", path=str(path))
    except (sqlite3.DatabaseError, UserError):
        staged.unlink(missing_ok=True)
        raise UserError("backup_damaged", path=str(path)) from None


def _check_replacer(folder: Path, where: location.Location, keystore: KeyStore) -> bool:
    """Replacing a shared database's rows is a signer's act, as moving it is: this PC's
    officer, active, with the signer role (services.officers.require). A database that
    is empty (a fresh target) or not shared needs nobody; it is not even opened then, so
    this PC needs no key of it. True when it is shared (and this PC's signer may)."""
    from . import officers

    db = Database(folder, keystore=keystore, url=where, migrate=False)
    try:
        if db.is_empty():
            return False
        with db.engine.connect() as conn:
            if not officer_keys.office_mode(conn):
                return False
        try:
            db.migrate()  # this PC's officer and their copy of the key, as any open finds
        except CryptoError as exc:  # not let in, on a database older than this program
            raise UserError(exc.code, **exc.params) from None
        officers.require(App(data_dir=folder, db=db), officers.SIGNER)
    finally:
        db.close()
    return True


def _still_as_checked(where: location.Location, shared: bool) -> Callable[[Any], None]:
    """Inside the restore's own transaction: the database is no more shared than when
    the role was checked. Officers are locked out of joining until it commits (another PC
    starting to share it in between would otherwise lose its officers to a replace
    nobody with the signer role asked for)."""
    def guard(conn: Any) -> None:
        if inspect(conn).has_table("officers"):
            conn.execute(text("LOCK TABLE officers IN SHARE ROW EXCLUSIVE MODE"))
        if not shared and officer_keys.office_mode(conn):
            raise UserError("restore_became_shared", url=where.shown)
    return guard


def _restore_server(folder: Path, where: location.Location, path: Path, opened: Opened,
                    keystore: KeyStore, replace: bool) -> dict[str, object]:
    """The backup's SQLite file, brought to the newest schema in a temporary folder, then
    copied into the server's database in one verified transaction (services.move)."""
    from .move import restore_into_server

    shared = _check_replacer(folder, where, keystore) if replace else False
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / DB_FILE
        _stage(staged, opened, path)
        keystore.put(opened.db_id, opened.key)
        # an older backup is migrated first: the server takes only the newest schema
        Database(Path(tmp), keystore=keystore, url=location.sqlite_location(Path(tmp))).close()
        restore_into_server(staged, where, replace=replace,
                            guard=_still_as_checked(where, shared) if replace else None)
    workers = _logged(Database(folder, keystore=keystore, url=where), path, opened)
    return {"workers": workers, "kept": None, "url": where.shown}
