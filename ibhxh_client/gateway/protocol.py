"""The gateway protocol, version 1: paths, headers, error codes and the JSON messages.

The client (``gateway.client``) and the sandbox (``gateway.sandbox``) both speak through
these definitions and nothing else of each other; docs/gateway-protocol.md describes the
same thing for people. Every message is a frozen dataclass with ``to_json`` and a strict
``from_json`` that refuses a missing field or a value of the wrong type, so a broken or
hostile answer stops at the edge.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import re
import types
import typing
from enum import StrEnum
from typing import Any, ClassVar, Self

PROTOCOL = "ibhxh-gateway"
VERSION = "1"
PREFIX = f"/api/v{VERSION}"

INFO = f"{PREFIX}/info"
CHALLENGE = f"{PREFIX}/auth/challenge"
LOGIN_CERTIFICATE = f"{PREFIX}/auth/certificate"
LOGIN_PASSWORD = f"{PREFIX}/auth/password"
DOSSIERS = f"{PREFIX}/dossiers"
REGISTRATIONS = f"{PREFIX}/registrations"

IDEMPOTENCY_HEADER = "Idempotency-Key"
VERSION_HEADER = "X-Ibhxh-Protocol"
JSON_TYPE = "application/json"

# 16–128 characters of [A-Za-z0-9_-]: a hash in hex or base64url fits.
IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{16,128}")
# "00042/2026/07906": sequence in the year / year / receiving agency.
DOSSIER_NUMBER = re.compile(r"(\d{5,})/(\d{4})/(\d{5})")
# What the client signs to log in by certificate (the nonce is the challenge's base64).
LOGIN_CONTEXT = "IBHXH-LOGIN-V1"


class ErrorCode(StrEnum):
    """The stable codes of the error body ``{"error": {"code": …}}``."""

    BAD_REQUEST = "bad_request"  # 400: not JSON, a field missing or of the wrong type
    UNSUPPORTED_VERSION = "unsupported_version"  # 400: X-Ibhxh-Protocol not served
    UNAUTHORIZED = "unauthorized"  # 401: no session token, or it expired: log in again
    LOGIN_FAILED = "login_failed"  # 401: wrong unit code or password, bad challenge answer
    CHALLENGE_EXPIRED = "challenge_expired"  # 401: the nonce is unknown, used or too old
    CERTIFICATE_REFUSED = "certificate_refused"  # 403: expired, untrusted, no tax code
    TRIAL_DISABLED = "trial_disabled"  # 403: this gateway has no password accounts
    UNIT_MISMATCH = "unit_mismatch"  # 403: the certificate/envelope is another unit's
    NOT_FOUND = "not_found"  # 404: no such dossier for this unit, or no such path
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"  # 409: same key, different envelope
    TOO_LARGE = "too_large"  # 413
    UNSUPPORTED_MEDIA = "unsupported_media"  # 415: not application/json, unknown encoding
    ENVELOPE_INVALID = "envelope_invalid"  # 422: schema, signature or certificate problems
    IDEMPOTENCY_KEY_MISSING = "idempotency_key_missing"  # 428
    ALREADY_REGISTERED = "already_registered"  # 409: registers again while registered
    NOT_REGISTERED = "not_registered"  # 409: a change or a stop of a unit not registered
    REGISTRATION_STOPPED = "registration_stopped"  # 403: the unit stopped electronic filing
    RATE_LIMITED = "rate_limited"  # 429, with Retry-After
    INTERNAL = "internal"  # 500
    UNAVAILABLE = "unavailable"  # 503, maybe with Retry-After


HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.BAD_REQUEST: 400, ErrorCode.UNSUPPORTED_VERSION: 400,
    ErrorCode.UNAUTHORIZED: 401, ErrorCode.LOGIN_FAILED: 401,
    ErrorCode.CHALLENGE_EXPIRED: 401, ErrorCode.CERTIFICATE_REFUSED: 403,
    ErrorCode.TRIAL_DISABLED: 403, ErrorCode.UNIT_MISMATCH: 403, ErrorCode.NOT_FOUND: 404,
    ErrorCode.IDEMPOTENCY_CONFLICT: 409, ErrorCode.TOO_LARGE: 413,
    ErrorCode.UNSUPPORTED_MEDIA: 415, ErrorCode.ENVELOPE_INVALID: 422,
    ErrorCode.IDEMPOTENCY_KEY_MISSING: 428, ErrorCode.RATE_LIMITED: 429,
    ErrorCode.INTERNAL: 500, ErrorCode.UNAVAILABLE: 503,
    ErrorCode.ALREADY_REGISTERED: 409, ErrorCode.NOT_REGISTERED: 409,
    ErrorCode.REGISTRATION_STOPPED: 403,
}


class DossierStatus(StrEnum):
    """A dossier at the gateway: received (receipt given), then accepted or rejected."""

    RECEIVED = "received"
    ACCEPTED = "accepted"
    REJECTED = "rejected"

    @property
    def final(self) -> bool:
        return self is not DossierStatus.RECEIVED


class RegistrationKind(StrEnum):
    """What a registration file asks: 04_DK-IVAN, 05_SD-IVAN or 06_NG-IVAN."""

    REGISTER = "register"
    CHANGE = "change"
    STOP = "stop"


class RegistrationStatus(StrEnum):
    """A unit's registration for electronic filing at the gateway."""

    REGISTERED = "registered"
    STOPPED = "stopped"


LOGIN_METHODS = ("certificate", "password")


class ProtocolError(ValueError):
    """A message that does not follow the protocol (missing field, wrong type, bad value)."""


def dossier_path(number: str) -> str:
    """The dossier's URL: "00042/2026/07906" → /api/v1/dossiers/00042-2026-07906."""
    if not DOSSIER_NUMBER.fullmatch(number):
        raise ProtocolError(f"not a dossier number: {number!r}")
    return f"{DOSSIERS}/{number.replace('/', '-')}"


def result_path(number: str) -> str:
    """Where the dossier's signed result notice is fetched."""
    return dossier_path(number) + "/result"


def number_from_path(segment: str) -> str | None:
    """The dossier number written in a path segment, or None."""
    number = segment.replace("-", "/")
    return number if DOSSIER_NUMBER.fullmatch(number) else None


def login_message(unit_code: str, nonce: str) -> bytes:
    """The bytes a unit signs to log in by certificate: context, unit, nonce (base64)."""
    return f"{LOGIN_CONTEXT}\n{unit_code}\n{nonce}".encode()


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str, what: str = "value") -> bytes:
    """Strict base64 (no line breaks, no stray characters) or ProtocolError."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise ProtocolError(f"{what} is not base64") from None


# --------------------------------------------------------------------------- messages

def _check(value: Any, hint: Any, where: str) -> Any:
    """``value`` as the annotation ``hint`` wants it, or ProtocolError."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in typing.get_args(hint):
            return None
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _check(value, inner[0], where)
    if origin is list:
        (item,) = typing.get_args(hint)
        if not isinstance(value, list):
            raise ProtocolError(f"{where}: a list is expected")
        return [_check(v, item, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(hint, type) and issubclass(hint, Message):
        return hint.from_json(value)
    if hint is bool:
        ok = isinstance(value, bool)
    elif hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif hint is str:
        ok = isinstance(value, str)
    else:  # pragma: no cover - a message declares only the types above
        raise TypeError(hint)
    if not ok:
        raise ProtocolError(f"{where}: {hint.__name__} expected")
    return value


@dataclasses.dataclass(frozen=True)
class Message:
    """Base of every JSON message: ``to_json`` and a strict ``from_json``."""

    _hints: ClassVar[dict[type, dict[str, Any]]] = {}

    @classmethod
    def _fields(cls) -> dict[str, Any]:
        """The message's fields and their types, worked out once per class."""
        if cls not in Message._hints:
            hints = typing.get_type_hints(cls)
            Message._hints[cls] = {f.name: hints[f.name] for f in dataclasses.fields(cls)}
        return Message._hints[cls]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self._fields():
            value = getattr(self, name)
            if isinstance(value, Message):
                value = value.to_json()
            elif isinstance(value, list):
                value = [v.to_json() if isinstance(v, Message) else v for v in value]
            out[name] = value
        return out

    @classmethod
    def from_json(cls, data: Any) -> Self:
        """The message from decoded JSON; extra fields are ignored (newer servers)."""
        if not isinstance(data, dict):
            raise ProtocolError(f"{cls.__name__}: an object is expected")
        values = {}
        hints = cls._fields()
        for f in dataclasses.fields(cls):
            hint = hints[f.name]
            if f.name not in data:
                optional = f.default is not dataclasses.MISSING or \
                    f.default_factory is not dataclasses.MISSING
                if optional:
                    continue
                raise ProtocolError(f"{cls.__name__}.{f.name} is missing")
            values[f.name] = _check(data[f.name], hint, f"{cls.__name__}.{f.name}")
        message = cls(**values)
        message.validate()
        return message

    def validate(self) -> None:
        """Value checks beyond types (overridden where a message has some)."""


@dataclasses.dataclass(frozen=True)
class Info(Message):
    """GET /info: who answers and which protocol versions it speaks."""

    protocol: str
    versions: list[str]
    gateway: str
    server_time: str
    sandbox: bool = False


@dataclasses.dataclass(frozen=True)
class ChallengeRequest(Message):
    """POST /auth/challenge."""

    unit_code: str


@dataclasses.dataclass(frozen=True)
class Challenge(Message):
    """The nonce to sign (base64 of 32 random bytes), valid ``expires_in`` seconds."""

    challenge_id: str
    nonce: str
    expires_in: int


@dataclasses.dataclass(frozen=True)
class CertificateLogin(Message):
    """POST /auth/certificate: the signer's certificate (DER, base64) and its signature
    (the form ``signing.Signer.sign`` gives, base64) over ``login_message``."""

    challenge_id: str
    unit_code: str
    certificate: str
    signature: str


@dataclasses.dataclass(frozen=True)
class PasswordLogin(Message):
    """POST /auth/password: a trial account without a token."""

    unit_code: str
    password: str


@dataclasses.dataclass(frozen=True)
class Session(Message):
    """A successful login: the bearer token (kept in memory only) and whose it is."""

    token: str
    expires_in: int
    unit_code: str
    method: str  # "certificate" | "password"
    tax_code: str | None = None


@dataclasses.dataclass(frozen=True)
class Submission(Message):
    """POST /dossiers (with Idempotency-Key): the signed envelope and its SHA-256."""

    envelope: str
    sha256: str

    def validate(self) -> None:
        if not re.fullmatch(r"[0-9a-f]{64}", self.sha256):
            raise ProtocolError("sha256 must be 64 lower-case hex digits")


@dataclasses.dataclass(frozen=True)
class RegistrationRequest(Message):
    """POST /registrations (with Idempotency-Key): a registration file (base64 of its
    bytes: signed in Hoso/CKy_Dvi, or unsigned from a unit without a certificate, which
    asks for a trial password), its SHA-256, and what it asks (``RegistrationKind``)."""

    kind: str
    file: str
    sha256: str

    def validate(self) -> None:
        if self.kind not in set(RegistrationKind):
            raise ProtocolError(f"bad registration kind {self.kind!r}")
        if not re.fullmatch(r"[0-9a-f]{64}", self.sha256):
            raise ProtocolError("sha256 must be 64 lower-case hex digits")


@dataclasses.dataclass(frozen=True)
class Registration(Message):
    """The answer to a registration: the unit's account as it now stands. ``login`` is
    the account's login name, ``method`` how it logs in; ``trial_password`` is issued to a
    unit that registered without a certificate, in this answer only (again in a replay).
    ``replayed``: the idempotency key had been seen, this is the first answer again."""

    reference: str
    kind: str
    status: str
    unit_code: str
    login: str
    method: str
    tax_code: str
    received_at: str
    trial_password: str | None = None
    replayed: bool = False

    def validate(self) -> None:
        if self.kind not in set(RegistrationKind):
            raise ProtocolError(f"bad registration kind {self.kind!r}")
        if self.status not in set(RegistrationStatus):
            raise ProtocolError(f"bad registration status {self.status!r}")
        if self.method not in LOGIN_METHODS:
            raise ProtocolError(f"bad login method {self.method!r}")


def _check_number_and_status(number: str, status: str) -> None:
    """A dossier number like 00042/2026/07906 and one of the protocol's states."""
    if not DOSSIER_NUMBER.fullmatch(number):
        raise ProtocolError(f"bad dossier number {number!r}")
    if status not in set(DossierStatus):
        raise ProtocolError(f"bad status {status!r}")


@dataclasses.dataclass(frozen=True)
class Receipt(Message):
    """The answer to a submission: the dossier number and the signed receipt (base64 of
    the XML "Phiếu giao nhận hồ sơ"). ``replayed`` is true when the idempotency key had
    been seen: this is the first answer again, not a second dossier."""

    dossier_number: str
    status: str
    received_at: str
    receipt: str
    replayed: bool = False

    def validate(self) -> None:
        _check_number_and_status(self.dossier_number, self.status)


@dataclasses.dataclass(frozen=True)
class State(Message):
    """GET /dossiers/{number}: where the dossier stands."""

    dossier_number: str
    status: str
    updated_at: str
    result_available: bool

    def validate(self) -> None:
        _check_number_and_status(self.dossier_number, self.status)


@dataclasses.dataclass(frozen=True)
class Result(Message):
    """GET /dossiers/{number}/result: the signed result notice (base64 of its XML)."""

    dossier_number: str
    status: str
    result: str

    def validate(self) -> None:
        if self.status not in (DossierStatus.ACCEPTED, DossierStatus.REJECTED):
            raise ProtocolError(f"bad final status {self.status!r}")


@dataclasses.dataclass(frozen=True)
class Detail(Message):
    """One problem named in an error: where (a file, a row) and what."""

    where: str
    message: str


@dataclasses.dataclass(frozen=True)
class Error(Message):
    """The body of every error answer, under the key "error"."""

    code: str
    message: str
    details: list[Detail] = dataclasses.field(default_factory=list)
    retry_after: int | None = None

    def wrap(self) -> dict[str, Any]:
        return {"error": self.to_json()}
