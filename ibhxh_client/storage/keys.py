"""Where a database's data key lives: the OS keyring (Windows Credential Manager), never
the data folder; and the passphrase-protected recovery file the officer keeps.

A machine with no keyring at all (a bare Linux server, a training VM) falls back to a
file in the user's configuration folder, readable by the user only, and says so: the key
is still never next to the data it opens.
"""

from __future__ import annotations

import base64
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import keyring
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from keyring.errors import KeyringError, NoKeyringError

from .crypto import KEY_BYTES, CryptoError

SERVICE = "ibhxh-client"
log = logging.getLogger("ibhxh.keys")


def _config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(os.environ.get("IBHXH_KEY_DIR") or user_config_dir("ibhxh-client", "ibhxh"))


def _fallback_path(name: str) -> Path:
    return _config_dir() / "keys" / (name.replace(":", "_").replace("/", "_") + ".key")


def fallback_get(name: str) -> str | None:
    """A secret from the per-user fallback folder (machines with no OS keyring)."""
    path = _fallback_path(name)
    return path.read_text("utf-8").strip() if path.exists() else None


def fallback_put(name: str, text: str) -> None:
    """Keep a secret in the per-user fallback folder, readable by the user only."""
    import threading

    path = _fallback_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A temporary file of this writer's own: two background jobs keeping the same secret
    # at once (the window's first run) must not take each other's file away.
    tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    tmp.replace(path)
    log.warning("no OS keyring: secret kept in %s", path.parent)


def fallback_delete(name: str) -> None:
    _fallback_path(name).unlink(missing_ok=True)


class SecretStoreError(Exception):
    """The OS keyring could not keep or give a password (``detail``: the keyring's error
    type), and the service is not one whose password may live in the fallback folder."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def on_this_machine(url: str) -> bool:
    """A service on this machine: a training service (the sandbox gateway, the remote
    signing training service), whose password is shared by every trainee and is no secret.
    Only such a service may keep its password outside an OS keyring, on a machine with
    none; a real service's password never is."""
    from urllib.parse import urlsplit

    return (urlsplit(url).hostname or "") in ("127.0.0.1", "localhost", "::1")


def keep_secret(name: str, text: str, url: str) -> None:
    """Keep a service's password (the service at ``url``) in the OS keyring; the fallback
    folder only for a service on this machine. SecretStoreError otherwise."""
    try:
        keyring.set_password(SERVICE, name, text)
    except NoKeyringError as exc:
        if not on_this_machine(url):
            raise SecretStoreError(type(exc).__name__) from None
        fallback_put(name, text)
    except KeyringError as exc:
        raise SecretStoreError(type(exc).__name__) from None


def read_secret(name: str, url: str) -> str | None:
    """A password ``keep_secret`` kept (None when there is none)."""
    try:
        return keyring.get_password(SERVICE, name)
    except NoKeyringError as exc:
        if not on_this_machine(url):
            raise SecretStoreError(type(exc).__name__) from None
        return fallback_get(name)
    except KeyringError as exc:
        raise SecretStoreError(type(exc).__name__) from None


@dataclass
class KeyStore:
    """Data keys by database id, in the keyring (or the per-user fallback file)."""

    fallback_used: bool = False

    @staticmethod
    def _name(db_id: str, slot: str) -> str:
        return f"data-key:{db_id}" + ("" if slot == "current" else f":{slot}")

    def get(self, db_id: str, slot: str = "current") -> bytes | None:
        name = self._name(db_id, slot)
        try:
            text = keyring.get_password(SERVICE, name)
        except NoKeyringError:
            self.fallback_used = True
            text = fallback_get(name)
        except KeyringError as exc:
            raise CryptoError("keyring_error", detail=str(exc)) from None
        if text is None:
            return None
        try:
            key = base64.b64decode(text, validate=True)
        except ValueError:
            raise CryptoError("key_wrong", detail="not base64") from None
        if len(key) != KEY_BYTES:
            raise CryptoError("key_wrong", detail="length")
        return key

    def put(self, db_id: str, key: bytes, slot: str = "current") -> None:
        name = self._name(db_id, slot)
        text = base64.b64encode(key).decode("ascii")
        try:
            keyring.set_password(SERVICE, name, text)
        except NoKeyringError:
            self.fallback_used = True
            fallback_put(name, text)
        except KeyringError as exc:
            raise CryptoError("keyring_error", detail=str(exc)) from None

    def delete(self, db_id: str, slot: str = "current") -> None:
        name = self._name(db_id, slot)
        try:
            keyring.delete_password(SERVICE, name)
        except NoKeyringError:
            fallback_delete(name)
        except KeyringError:
            pass  # nothing stored under that name


# -- recovery file ------------------------------------------------------------------------

RECOVERY_FORMAT = "ibhxh-key-recovery/1"
_SCRYPT = {"n": 2**15, "r": 8, "p": 1}


def _kek(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, **_SCRYPT).derive(passphrase.encode("utf-8"))


def wrap_key(key: bytes, db_id: str, passphrase: str) -> bytes:
    """The recovery file's bytes: the data key sealed under a key from the passphrase."""
    if len(passphrase) < 8:
        raise CryptoError("passphrase_short")
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_kek(passphrase, salt)).encrypt(nonce, key, db_id.encode())
    doc = {"format": RECOVERY_FORMAT, "db_id": db_id, "kdf": "scrypt", **_SCRYPT,
           "salt": base64.b64encode(salt).decode(), "nonce": base64.b64encode(nonce).decode(),
           "key": base64.b64encode(sealed).decode()}
    return json.dumps(doc, indent=2).encode("utf-8")


def unwrap_key(data: bytes, passphrase: str) -> tuple[str, bytes]:
    """(database id, data key) from a recovery file; a clear error for a wrong
    passphrase or a damaged file."""
    try:
        doc = json.loads(data.decode("utf-8"))
        if doc.get("format") != RECOVERY_FORMAT:
            raise ValueError("format")
        salt = base64.b64decode(doc["salt"])
        nonce = base64.b64decode(doc["nonce"])
        sealed = base64.b64decode(doc["key"])
        db_id = str(doc["db_id"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise CryptoError("recovery_damaged") from None
    try:
        key = AESGCM(_kek(passphrase, salt)).decrypt(nonce, sealed, db_id.encode())
    except InvalidTag:
        raise CryptoError("passphrase_wrong") from None
    return db_id, key
