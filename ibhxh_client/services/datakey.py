"""The data key's life: a recovery file at setup, restore on a new PC, rotation."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from ..paths import default_data_dir
from ..storage import officer_keys, repo
from ..storage.crypto import CryptoError, FieldCipher
from ..storage.db import Database, read_meta
from ..storage.keys import unwrap_key, wrap_key
from . import officers
from .app import App, UserError
from .files import read_bytes, write_atomic


def _set_meta(app: App, key: str, value: str) -> None:
    with app.db.transaction() as conn:
        conn.execute(text("INSERT INTO meta (key, value) VALUES (:k, :v) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
                     {"k": key, "v": value})


def status(app: App) -> dict[str, object]:
    """Where the key is kept, and whether a recovery file was saved for the current key."""
    with app.db.reading() as conn:
        meta = read_meta(conn)
    saved = meta.get("recovery_saved_for") == meta.get("key_check")
    return {"db_id": meta.get("db_id"), "keyring": not app.db.keystore.fallback_used,
            "recovery_saved": saved, "recovery_saved_at": meta.get("recovery_saved_at")
            if saved else None}


def export_recovery(app: App, out: Path, passphrase: str) -> None:
    """Write the recovery file: the data key sealed under the officer's passphrase."""
    key = current_key(app)
    if key is None:
        raise UserError("key_missing", path=str(app.db.path))
    try:
        data = wrap_key(key, app.db.db_id, passphrase)
    except CryptoError as exc:
        raise UserError(exc.code, **exc.params) from None
    write_atomic(out, data)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    _set_meta(app, "recovery_saved_for", app.db.cipher.check_value)
    _set_meta(app, "recovery_saved_at", now)
    with app.db.transaction() as conn:
        repo.log_processing(conn, "key_recovery_file", out.name)


def current_key(app: App) -> bytes | None:
    """The data key: the key store's copy on a single PC; in a shared database, this PC's
    officer's own wrapped copy (a signer's to export)."""
    if officers.current(app) is None:
        return app.db.keystore.get(app.db.db_id)
    officers.require(app, officers.SIGNER)
    with app.db.reading() as conn:
        try:
            return officer_keys.open_data_key(conn, app.db.keystore, app.db.db_id,
                                              app.db.officer, app.db.cipher.check_value)
        except CryptoError as exc:
            raise UserError(exc.code, **exc.params) from None


def restore(data_dir: Path | None, recovery_file: Path, passphrase: str) -> str:
    """Put the key from a recovery file back into the key store, after checking that it
    opens this database. Nothing in the database changes."""
    db = Database(Path(data_dir) if data_dir else default_data_dir(), migrate=False)
    try:
        with db.reading() as conn:
            meta = read_meta(conn)
        if "db_id" not in meta:
            raise UserError("no_encrypted_db", path=str(db.path))
        raw = read_bytes(recovery_file)
        try:
            db_id, key = unwrap_key(raw, passphrase)
        except CryptoError as exc:
            raise UserError(exc.code, **exc.params) from None
        if db_id != meta["db_id"] or FieldCipher(key).check_value != meta["key_check"]:
            raise UserError("recovery_other_db", path=str(db.path))
        db.keystore.put(db_id, key)
        return db_id
    finally:
        db.close()


def rotate(app: App) -> None:
    """A new data key for everything (for example after a PC or a backup was lost); in a
    shared database a signer's act, every officer's copy re-made in the same transaction."""
    officers.require(app, officers.SIGNER)
    with app.db.reading() as conn:
        count = repo.count_workers(conn)
    app.db.rotate_key()
    with app.db.transaction() as conn:
        repo.log_processing(conn, "key_rotate", workers=count)
