"""Encryption of the workers' personal data at rest (Decree 13/2023/NĐ-CP).

One data key per database, kept outside the data folder (see ``keys``). From it, HKDF
derives a key for AES-GCM field encryption and a key for the HMAC index that lets the
program find a worker by ID number without storing the number in clear.

A stored value is: version (1 byte) · key id (4) · nonce (12) · ciphertext and tag. The
column's name is the associated data, so a value moved to another column fails to open.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from decimal import Decimal
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import LargeBinary
from sqlalchemy.types import TypeDecorator

VERSION = b"\x01"
KEY_BYTES = 32
_HEADER = 1 + 4 + 12


class CryptoError(Exception):
    """Personal data cannot be opened: the key is missing, wrong, or a value is damaged.

    ``code`` is a message code (key_missing, key_wrong, value_damaged); ``params`` name
    the database and, for a damaged value, the column.
    """

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params


def _derive(key: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"ibhxh-client/" + purpose).derive(key)


def new_key() -> bytes:
    """A fresh random data key."""
    return os.urandom(KEY_BYTES)


class FieldCipher:
    """Seals and opens field values, and makes their index hashes, with one data key."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise CryptoError("key_wrong", detail="length")
        self._aead = AESGCM(_derive(key, b"fields"))
        self._index_key = _derive(key, b"index")
        self.key_id = hashlib.sha256(_derive(key, b"id")).digest()[:4]
        self.check_value = _derive(key, b"check").hex()

    def seal(self, plain: bytes, column: str) -> bytes:
        nonce = os.urandom(12)
        return VERSION + self.key_id + nonce + self._aead.encrypt(nonce, plain, column.encode())

    def open(self, sealed: bytes, column: str) -> bytes:
        if len(sealed) < _HEADER + 16 or sealed[:1] != VERSION:
            raise CryptoError("value_damaged", column=column)
        if sealed[1:5] != self.key_id:
            raise CryptoError("key_wrong", column=column)
        try:
            return self._aead.decrypt(sealed[5:17], sealed[17:], column.encode())
        except InvalidTag:
            raise CryptoError("value_damaged", column=column) from None

    def index(self, kind: str, value: str) -> str:
        """A keyed hash to look a value up by equality; empty for an empty value."""
        if not value:
            return ""
        mac = hmac.new(self._index_key, f"{kind}:{value}".encode(), hashlib.sha256)
        return mac.hexdigest()[:32]


class Encrypted(TypeDecorator):
    """A column whose values are stored sealed. The cipher is the engine's own
    (``engine.dialect.ibhxh_cipher``), so two open databases never share a key."""

    impl = LargeBinary
    cache_ok = True

    def __init__(self, column: str, python_type: str = "str") -> None:
        super().__init__()
        self.column = column
        self.value_type = python_type

    # The processors look the cipher up at every call: a key rotation replaces it on the
    # dialect, and SQLAlchemy caches processors per type and dialect.
    def bind_processor(self, dialect):
        column = self.column

        def process(value: Any) -> bytes | None:
            if value is None:
                return None
            cipher = getattr(dialect, "ibhxh_cipher", None)
            if cipher is None:
                raise CryptoError("key_missing", column=column)
            return cipher.seal(value if type(value) is bytes else str(value).encode(), column)

        return process

    def result_processor(self, dialect, coltype):
        column, kind = self.column, self.value_type

        def process(value: bytes | None) -> Any:
            if value is None:
                return None
            cipher = getattr(dialect, "ibhxh_cipher", None)
            if cipher is None:
                raise CryptoError("key_missing", column=column)
            plain = cipher.open(value, column)
            if kind == "bytes":
                return plain
            if kind == "int":
                return int(plain)
            text = plain.decode("utf-8")
            return Decimal(text) if kind == "decimal" else text

        return process
