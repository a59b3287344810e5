"""The data key of a shared database, one copy per officer, each wrapped for that officer.

A shared database (several officers, each on their own PC) must open on every officer's
PC without the data key ever sitting in the database in clear. Each officer has an X25519
key pair made on their own PC: the private half stays in that PC's key store (the OS
keyring; ``KeyStore`` slot ``officer:LOGIN``), the public half goes in the ``officers``
table. A signer who can open the data wraps the data key for a new officer's public key.

A wrapped copy is: version (1 byte) · an ephemeral X25519 public key (32) · nonce (12) ·
the data key sealed with AES-GCM (32 + 16). The AES key comes from HKDF-SHA256 over the
X25519 shared secret, its info naming the database and the officer, so a copy moved to
another row or another database does not open.

Once the table has an active officer the database is in "office mode": it opens only
with this PC's officer's own copy. The PC's officer is the login chosen here (the data
folder's local.json, key "officer" by database id), or the environment's IBHXH_OFFICER.
Without a usable copy (not yet let in, removed, key lost) the database still opens, with a
``LockedCipher``: what needs no personal data works (asking to join), and anything that
seals or opens a value says why it cannot.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Connection, func, inspect, select, update

from .crypto import KEY_BYTES, CryptoError, FieldCipher
from .keys import KeyStore
from .schema import officers

VERSION = b"\x01"
_PUBLIC = 32
_NONCE = 12
_WRAPPED = 1 + _PUBLIC + _NONCE + KEY_BYTES + 16

REQUESTED, ACTIVE, REMOVED = "requested", "active", "removed"
LOCAL_FILE = "local.json"  # services.app keeps this PC's choices there
ENV_OFFICER = "IBHXH_OFFICER"
_LOGIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")

# Why this PC cannot open a shared database's personal data (messages of the same codes).
LOCKED_CODES = ("officer_none", "officer_unknown", "officer_waiting", "officer_removed",
                "officer_key_missing", "officer_key_wrong", "officer_key_old")


def check_login(login: str) -> str:
    """The login, when it is one: letters, digits and . _ @ - (at most 64), as the key
    store's names and the history's user column take it."""
    if not _LOGIN.fullmatch(login or ""):
        raise CryptoError("officer_login_bad", login=login)
    return login


# -- key pairs and wrapping -------------------------------------------------------------------

def new_pair() -> tuple[bytes, str]:
    """A new X25519 key pair: (the raw private key, the public key as base64 text)."""
    private = X25519PrivateKey.generate()
    return private.private_bytes_raw(), _b64(private.public_key().public_bytes_raw())


def public_of(private: bytes) -> str:
    """The base64 public key of a raw private key."""
    key = X25519PrivateKey.from_private_bytes(private)
    return _b64(key.public_key().public_bytes_raw())


def fingerprint(public_key: str) -> str:
    """A short fingerprint of a public key, for two officers to compare by phone before a
    signer lets a new one in (four groups of four hex digits)."""
    digest = hashlib.sha256(_public_bytes(public_key)).hexdigest()[:16].upper()
    return "-".join(digest[i:i + 4] for i in range(0, 16, 4))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _public_bytes(public_key: str) -> bytes:
    try:
        raw = base64.b64decode(public_key, validate=True)
    except ValueError:
        raw = b""
    if len(raw) != _PUBLIC:
        raise CryptoError("officer_key_wrong", detail="public key")
    return raw


def _aead(shared: bytes, ephemeral: bytes, recipient: bytes, db_id: str,
          login: str) -> AESGCM:
    info = f"ibhxh-client/officer-key/1 {db_id} {login}".encode()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient,
               info=info).derive(shared)
    return AESGCM(key)


def wrap(data_key: bytes, public_key: str, *, db_id: str, login: str) -> bytes:
    """The data key sealed for the officer ``login`` of database ``db_id`` whose public
    key (base64) is ``public_key``: only that officer's private key opens it."""
    if len(data_key) != KEY_BYTES:
        raise CryptoError("key_wrong", detail="length")
    recipient = _public_bytes(public_key)
    ephemeral = X25519PrivateKey.generate()
    eph_public = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
    nonce = os.urandom(_NONCE)
    header = VERSION + eph_public
    sealed = _aead(shared, eph_public, recipient, db_id, login).encrypt(nonce, data_key, header)
    return header + nonce + sealed


def unwrap(blob: bytes, private_key: bytes, *, db_id: str, login: str) -> bytes:
    """The data key from a copy ``wrap`` made, with the officer's raw private key.
    A copy that was changed, or made for another officer or database: CryptoError
    ``officer_key_wrong``."""
    if len(blob) != _WRAPPED or blob[:1] != VERSION:
        raise CryptoError("officer_key_wrong", login=login)
    eph_public, nonce, sealed = blob[1:1 + _PUBLIC], blob[1 + _PUBLIC:1 + _PUBLIC + _NONCE], \
        blob[1 + _PUBLIC + _NONCE:]
    private = X25519PrivateKey.from_private_bytes(private_key)
    recipient = private.public_key().public_bytes_raw()
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(eph_public))
        aead = _aead(shared, eph_public, recipient, db_id, login)
        return aead.decrypt(nonce, sealed, VERSION + eph_public)
    except (InvalidTag, ValueError):
        raise CryptoError("officer_key_wrong", login=login) from None


# -- this PC's officer ------------------------------------------------------------------------

def _slot(login: str) -> str:
    return f"officer:{login}"


def keep_private(keystore: KeyStore, db_id: str, login: str, private: bytes) -> None:
    """Keep an officer's private key in this PC's key store (never the database, never
    the data folder)."""
    keystore.put(db_id, private, _slot(login))


def private_key(keystore: KeyStore, db_id: str, login: str) -> bytes | None:
    """This PC's private key for officer ``login`` of database ``db_id`` (None: none)."""
    return keystore.get(db_id, _slot(login))


def forget_private(keystore: KeyStore, db_id: str, login: str) -> None:
    keystore.delete(db_id, _slot(login))


def chosen_login(data_dir: Path, db_id: str) -> str | None:
    """The officer working on this PC: IBHXH_OFFICER, else the login remembered in the
    data folder's local.json for this database (None: none chosen)."""
    if os.environ.get(ENV_OFFICER):
        return os.environ[ENV_OFFICER]
    try:
        data = json.loads((Path(data_dir) / LOCAL_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    chosen = data.get("officer") if isinstance(data, dict) else None
    login = chosen.get(db_id) if isinstance(chosen, dict) else None
    return login if isinstance(login, str) and login else None


# -- the officers table -----------------------------------------------------------------------

def office_mode(conn: Connection) -> bool:
    """Whether the database is shared by officers: it has an active one."""
    if not inspect(conn).has_table("officers"):
        return False
    query = select(func.count()).select_from(officers).where(officers.c.status == ACTIVE)
    return bool(conn.execute(query).scalar())


def officer_row(conn: Connection, login: str) -> dict[str, Any] | None:
    """An officer's row by login (None: no such officer)."""
    row = conn.execute(select(officers).where(officers.c.login == login)).mappings().first()
    return dict(row) if row else None


def open_data_key(conn: Connection, keystore: KeyStore, db_id: str, login: str | None,
                  check: str) -> bytes:
    """The data key from officer ``login``'s own copy, opened with this PC's private key;
    CryptoError (one of LOCKED_CODES) saying why not."""
    if not login:
        raise CryptoError("officer_none", db_id=db_id)
    row = officer_row(conn, login)
    if row is None:
        raise CryptoError("officer_unknown", login=login)
    if row["status"] == REQUESTED:
        raise CryptoError("officer_waiting", login=login)
    if row["status"] != ACTIVE or row["wrapped_key"] is None:
        raise CryptoError("officer_removed", login=login)
    private = private_key(keystore, db_id, login)
    if private is None or public_of(private) != row["public_key"]:
        raise CryptoError("officer_key_missing", login=login)
    key = unwrap(bytes(row["wrapped_key"]), private, db_id=db_id, login=login)
    if FieldCipher(key).check_value != check:
        raise CryptoError("officer_key_old", login=login)
    return key


def wrap_for(conn: Connection, row: dict[str, Any], data_key: bytes, db_id: str,
             check: str, **values: Any) -> None:
    """Store the data key wrapped for the officer of ``row`` (and ``values``: other
    columns to change at the same time)."""
    wrapped = wrap(data_key, row["public_key"], db_id=db_id, login=row["login"])
    conn.execute(update(officers).where(officers.c.id == row["id"])
                 .values(wrapped_key=wrapped, key_check=check, updated_at=now(), **values))


def rewrap_all(conn: Connection, data_key: bytes, db_id: str, check: str) -> int:
    """Wrap a new data key for every active officer (a rotation, in its transaction);
    returns how many copies were made."""
    rows = conn.execute(select(officers).where(officers.c.status == ACTIVE)).mappings().all()
    for row in rows:
        wrap_for(conn, dict(row), data_key, db_id, check)
    return len(rows)


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class LockedCipher:
    """The cipher of a shared database this PC's officer cannot open yet: whatever would
    seal, open or look up a personal value raises ``error`` (why, and what to do)."""

    def __init__(self, error: CryptoError) -> None:
        self.error = error

    def __getattr__(self, name: str) -> Any:
        raise CryptoError(self.error.code, **self.error.params)
