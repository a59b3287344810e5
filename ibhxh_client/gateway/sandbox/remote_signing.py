"""The training remote-signing service: VNPT SmartCA's "SP769" shape, served by the sandbox.

docs/remote-signing.md §11.3 is the contract; docs/gateway-protocol.md ("Remote signing
training service") says how to drive it. Three calls under ``/sca/sp769`` (all POST, JSON,
``status_code`` in the body equal to the HTTP code):

- ``/v1/credentials/get_certificate``: the account's certificates. A training account's
  ``user_id`` is its unit's tax code (``0312345673``, or a branch ``0312345673-001``); its
  first call makes an RSA-2048 key and a certificate from the sandbox's CA with
  ``UID=MST:<tax code>`` in the subject, as Vietnamese CAs write it (``signing.demo``).
  Keys stay in ``remote-signing/`` in the state folder, certificates in its database, so
  a restart keeps both.
- ``/v1/signatures/sign``: a transaction (our ``transaction_id``) of hex SHA-256 digests,
  held until the "phone" approves or rejects it, or it expires. The same id with the same
  files answers the same (no second approval); with other files, 409.
- ``/v1/signatures/sign/{transaction_id}/status``: PENDING, SUCCESS with one raw RSA
  PKCS#1 v1.5 signature per ``doc_id`` (base64), EXPIRED or REJECTED.

The "phone" and the trainer use ``/sandbox/v1/…`` with the sandbox's admin token (the
``X-Sandbox-Admin`` header, as ``/_sandbox/…``): the pending transactions, approve,
reject, the behaviour (``config``: expiry, automatic approval, a slow answer, faults) and
revoking a certificate. The integrator credentials (``sp_id``/``sp_password``) are made
once per state folder and kept in ``remote-signing.json`` there.

Signature values are computed in the background as soon as a transaction is stored (the
approval then only changes its state), so a dossier of thousands of files answers at once.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import math
import os
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils

from ...domain.ids import check_tax_code
from .api import Answer
from .pki import Pki, _write_key
from .store import Store

log = logging.getLogger("ibhxh.sandbox.remote")

PREFIX = "/sca/sp769"
ADMIN_PREFIX = "/sandbox/v1"
CREDENTIALS_FILE = "remote-signing.json"
KEYS_FOLDER = "remote-signing"
URL_FILE = "url"

DEFAULT_EXPIRY = 300
DEFAULT_MAX_FILES = 10_000
OVERSIZED_BYTES = 17 * 1024 * 1024  # beyond the 16 MiB the program reads at most
CERT_DAYS = 3 * 365
OTHER_UNIT = "0109999982"  # the unit whose certificate the other_unit fault answers with
REDIRECT_HOST = "https://remote-signing.invalid"
SERVICE_TYPE = "SANDBOX"
SERVICE_NAME = "KÝ SỐ TỪ XA TẬP LUYỆN (KHÔNG DÙNG THẬT)"
CERT_ACTIVE = "Đang hoạt động"
CERT_REVOKED = "Đã thu hồi"
CERT_EXPIRED = "Hết hạn"

PENDING, SUCCESS, EXPIRED, REJECTED = "PENDING", "SUCCESS", "EXPIRED", "REJECTED"
STATES = (PENDING, SUCCESS, EXPIRED, REJECTED)
FAULTS = ("fail", "expire_now", "wrong_digest", "other_unit", "oversized", "malformed",
          "redirect")
CALLS = ("get_certificate", "sign", "status", "*")
ERRORS = {400: "BAD_REQUEST", 401: "SP_CREDENTIAL_INVALID", 403: "CREDENTIAL_STATUS_INVALID",
          404: "NOT_FOUND", 409: "TRANSACTION_ID_USED", 500: "SERVER_INTERNAL_ERROR"}
TRANSACTION_ID = re.compile(r"[A-Za-z0-9._~:-]{1,128}")
HEX_DIGEST = re.compile(r"[0-9a-f]{64}")
MAX_DOC_ID = 255

SCHEMA = """
CREATE TABLE IF NOT EXISTS remote_certificates (
    serial TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    tax_code TEXT NOT NULL,
    cert_id TEXT NOT NULL,
    certificate BLOB NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_remote_certificates_user ON remote_certificates (user_id);
CREATE TABLE IF NOT EXISTS remote_transactions (
    transaction_id TEXT PRIMARY KEY,
    tran_code TEXT NOT NULL,
    user_id TEXT NOT NULL,
    serial TEXT NOT NULL,
    description TEXT NOT NULL,
    files TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    approve_at REAL,
    decided_at REAL,
    signatures TEXT
);
CREATE INDEX IF NOT EXISTS ix_remote_transactions_state ON remote_transactions (state);
"""


class RemoteRefusal(Exception):
    """A call refused with one of SmartCA's HTTP codes (``ERRORS``); ``detail`` is logged."""

    def __init__(self, status: int, detail: str = "") -> None:
        super().__init__(detail or ERRORS[status])
        self.status = status
        self.detail = detail


@dataclass
class Reply:
    """An answer and, when a fault changes the bytes themselves, the bytes to send."""

    answer: Answer
    payload: bytes | None = None


@dataclass
class Config:
    """How the training service behaves (``POST /sandbox/v1/config``); kept in memory.

    ``faults``: fault name → the call it acts on (``get_certificate``, ``sign``,
    ``status`` or ``*``), armed until the config changes them; ``expire_now`` is not kept:
    it ends every pending transaction when it is set."""

    expiry_seconds: float = DEFAULT_EXPIRY
    auto_approve_after_seconds: float | None = None
    answer_delay_ms: int = 0
    max_files: int = DEFAULT_MAX_FILES
    faults: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"expiry_seconds": self.expiry_seconds,
                "auto_approve_after_seconds": self.auto_approve_after_seconds,
                "answer_delay_ms": self.answer_delay_ms, "max_files": self.max_files,
                "faults": dict(self.faults)}


@dataclass(frozen=True)
class Transaction:
    """A stored transaction; ``files`` in the order sent, as (doc_id, hex digest)."""

    transaction_id: str
    tran_code: str
    user_id: str
    serial: str
    description: str
    files: list[tuple[str, str]]
    fingerprint: str
    state: str
    created_at: float
    expires_at: float
    approve_at: float | None
    decided_at: float | None

    def view(self, now: float) -> dict[str, Any]:
        """The transaction as the phone and the trainer see it."""
        return {"transaction_id": self.transaction_id, "tran_code": self.tran_code,
                "user_id": self.user_id, "serial_number": self.serial,
                "transaction_desc": self.description, "state": self.state,
                "doc_ids": [doc_id for doc_id, _ in self.files],
                "created_at": _iso(self.created_at),
                "expired_in": _left(self.expires_at, now) if self.state == PENDING else None}


def _iso(when: float) -> str:
    return dt.datetime.fromtimestamp(when, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _left(until: float, now: float) -> int:
    return max(0, math.ceil(until - now))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _ok(message: str, data: Any) -> Answer:
    return Answer(200, {"status_code": 200, "message": message, "data": data})


def _error(status: int) -> Answer:
    return Answer(status, {"status_code": status, "message": ERRORS[status], "data": None})


def _text(body: dict[str, Any], name: str, *, required: bool = True) -> str:
    value = body.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise RemoteRefusal(400, f"{name}: a non-empty string is required")
    return value


def _files(body: dict[str, Any], max_files: int) -> list[tuple[str, str]]:
    """The sign_files of a sign request as (doc_id, hex digest), every rule of §11.3
    checked."""
    items = body.get("sign_files")
    if not isinstance(items, list) or not items:
        raise RemoteRefusal(400, "sign_files: a non-empty list is required")
    if len(items) > max_files:
        raise RemoteRefusal(400, f"sign_files: at most {max_files} items")
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, dict):
            raise RemoteRefusal(400, "sign_files: objects are required")
        doc_id = _text(item, "doc_id")
        if len(doc_id) > MAX_DOC_ID or doc_id in seen:
            raise RemoteRefusal(400, f"doc_id {doc_id[:40]!r}: too long or repeated")
        if item.get("sign_type") != "hash":
            raise RemoteRefusal(400, "sign_type: only 'hash'")
        _text(item, "file_type")
        digest = item.get("data_to_be_signed")
        if not isinstance(digest, str) or not HEX_DIGEST.fullmatch(digest):
            raise RemoteRefusal(400, "data_to_be_signed: 64 lowercase hex digits")
        seen.add(doc_id)
        out.append((doc_id, digest))
    return out


def _fingerprint(user_id: str, serial: str, files: Iterable[tuple[str, str]]) -> str:
    """What makes a sign request "the same request again": account, serial, files."""
    text = json.dumps([user_id, serial, sorted(files)], separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sign(key: rsa.RSAPrivateKey, digest: bytes) -> str:
    """RSA PKCS#1 v1.5 over DigestInfo(SHA-256, digest), base64: what SmartCA answers."""
    return _b64(key.sign(digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256())))


def load_credentials(state_dir: Path) -> tuple[str, str]:
    """The training service's ``sp_id`` and ``sp_password`` for this state folder (made
    on first use, kept in ``remote-signing.json``, readable by the owner only)."""
    path = Path(state_dir) / CREDENTIALS_FILE
    if path.exists():
        data = json.loads(path.read_text("utf-8"))
        return str(data["sp_id"]), str(data["sp_password"])
    sp_id = f"sandbox-{secrets.token_hex(4)}"
    sp_password = secrets.token_urlsafe(18)
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"sp_id": sp_id, "sp_password": sp_password}, fh)
    tmp.replace(path)
    return sp_id, sp_password


def provider_base_url(sandbox_url: str) -> str:
    """The base URL of the ``sandbox`` provider (providers.toml) for a running sandbox."""
    return sandbox_url.rstrip("/") + PREFIX


def running_url(state_dir: Path) -> str | None:
    """The address of the sandbox running with ``state_dir`` (from its ``url`` file), or
    None when none is running there."""
    path = Path(state_dir) / URL_FILE
    try:
        return path.read_text("utf-8").strip() or None
    except OSError:
        return None


class RemoteSigning:
    """The training service's behaviour; thread-safe (the server runs a thread per client).

    ``clock`` gives wall-clock seconds (expiry and approval times are stored with the
    transactions, so they survive a restart)."""

    def __init__(self, store: Store, pki: Pki, state_dir: Path, *,
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.pki = pki
        self.keys_dir = Path(state_dir) / KEYS_FOLDER
        self.clock = clock
        self.credentials_file = Path(state_dir) / CREDENTIALS_FILE
        self.sp_id, self.sp_password = load_credentials(Path(state_dir))
        self.config = Config()
        self._lock = threading.Lock()  # the config, the key cache
        self._issue_lock = threading.Lock()  # one certificate per unit, even when raced
        self._sign_lock = threading.Lock()
        self._keys: dict[str, rsa.RSAPrivateKey] = {}
        self._workers: set[threading.Thread] = set()
        store.create(SCHEMA)

    def close(self, timeout: float = 10.0) -> None:
        """Wait for the signatures being computed ahead (before the store closes)."""
        with self._lock:
            workers = list(self._workers)
        for worker in workers:
            worker.join(timeout)

    # -- the HTTP entry point ----------------------------------------------------------

    def handle(self, method: str, path: str, query: str, body: Any, *,
               admin: bool) -> Reply:
        """Answer one request under ``/sca/sp769`` or ``/sandbox/v1``. ``body`` is the
        parsed JSON, ``None`` (no body) or ``ValueError`` (unreadable)."""
        if path.startswith(ADMIN_PREFIX + "/"):
            return Reply(self._admin(method, path[len(ADMIN_PREFIX):], query, body, admin))
        call, transaction_id = _route(method, path)
        with self._lock:
            delay = self.config.answer_delay_ms / 1000
            fault = {name: route for name, route in self.config.faults.items()
                     if route in (call, "*")}
        if delay:
            time.sleep(delay)
        if call is None:
            return Reply(_error(404))
        if "fail" in fault:
            return Reply(_error(500))
        if "redirect" in fault:
            return Reply(Answer(302, {"status_code": 302, "message": "FOUND", "data": None},
                                {"Location": REDIRECT_HOST + path}))
        answer = self._call(call, transaction_id, body, fault)
        return Reply(answer, _damaged(answer, fault))

    def _call(self, call: str, transaction_id: str | None, body: Any,
              fault: dict[str, str]) -> Answer:
        try:
            if not isinstance(body, dict):
                raise RemoteRefusal(400, "a JSON object is required")
            self._check_sp(body)
            if call == "get_certificate":
                return self.get_certificate(body, other_unit="other_unit" in fault)
            if call == "sign":
                return self.sign(body)
            assert transaction_id is not None
            return self.status(transaction_id, wrong_digest="wrong_digest" in fault)
        except RemoteRefusal as refusal:
            log.debug("remote signing %s: %s %s", call, refusal.status, refusal.detail)
            return _error(refusal.status)
        except Exception:
            log.exception("remote signing: %s failed", call)
            return _error(500)

    def _check_sp(self, body: dict[str, Any]) -> None:
        sp_id, sp_password = body.get("sp_id"), body.get("sp_password")
        if not isinstance(sp_id, str) or not isinstance(sp_password, str):
            raise RemoteRefusal(401, "sp_id and sp_password are required")
        same_id = hmac.compare_digest(sp_id.encode(), self.sp_id.encode())
        same_pw = hmac.compare_digest(sp_password.encode(), self.sp_password.encode())
        if not (same_id and same_pw):
            raise RemoteRefusal(401, "wrong sp_id or sp_password")

    # -- certificates ------------------------------------------------------------------

    def certificate_of(self, user_id: str) -> x509.Certificate:
        """The certificate of the training account ``user_id`` (a unit's tax code), made
        on its first use; RemoteRefusal(401) for a user_id that is not a tax code."""
        return self._certificates(user_id)[0][1]

    def _certificates(self, user_id: str) -> list[tuple[str, x509.Certificate, str, str]]:
        """(serial, certificate, cert_id, status) of the account, oldest first."""
        if check_tax_code(user_id) is not None:
            raise RemoteRefusal(401, "user_id is not a tax code of a training unit")
        with self._issue_lock:
            found = self._stored_certificates(user_id)
            if not found:
                self._issue(user_id)
                found = self._stored_certificates(user_id)
        return found

    def _stored_certificates(self, user_id: str
                             ) -> list[tuple[str, x509.Certificate, str, str]]:
        with self.store.transaction() as conn:
            rows = conn.execute("SELECT serial, certificate, cert_id, status FROM "
                                "remote_certificates WHERE user_id = ? ORDER BY created_at, "
                                "serial", (user_id,)).fetchall()
        return [(r[0], x509.load_der_x509_certificate(r[1]), r[2], r[3]) for r in rows]

    def _issue(self, tax_code: str) -> None:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        start = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=1)
        cert = self.pki.ca.issue(key.public_key(),
                                 company_name=f"Đơn vị tập luyện MST {tax_code}",
                                 tax_code=tax_code, not_before=start,
                                 not_after=start + dt.timedelta(days=CERT_DAYS))
        serial = format(cert.serial_number, "X")
        self.keys_dir.mkdir(parents=True, exist_ok=True)
        _write_key(self.keys_dir / f"{serial}-key.pem", key)
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO remote_certificates (serial, user_id, tax_code, "
                         "cert_id, certificate, status, created_at) VALUES "
                         "(?, ?, ?, ?, ?, 'active', ?)",
                         (serial, tax_code, tax_code, str(uuid.uuid4()),
                          cert.public_bytes(serialization.Encoding.DER), _iso(self.clock())))
        with self._lock:
            self._keys[serial] = key

    def _key(self, serial: str) -> rsa.RSAPrivateKey:
        with self._lock:
            key = self._keys.get(serial)
        if key is None:
            loaded = serialization.load_pem_private_key(
                (self.keys_dir / f"{serial}-key.pem").read_bytes(), password=None)
            assert isinstance(loaded, rsa.RSAPrivateKey)
            key = loaded
            with self._lock:
                self._keys[serial] = key
        return key

    def _status_of(self, cert: x509.Certificate, stored: str) -> str:
        if stored == "revoked":
            return CERT_REVOKED
        if cert.not_valid_after_utc.timestamp() < self.clock():
            return CERT_EXPIRED
        return CERT_ACTIVE

    def _pick(self, user_id: str, serial: str) -> tuple[str, x509.Certificate]:
        """The account's certificate by serial (its first when none is named), usable
        now; RemoteRefusal(401) for a serial not of this account, 403 revoked/expired."""
        found = self._certificates(user_id)
        if serial:
            found = [c for c in found if c[0] == serial.upper()]
            if not found:
                raise RemoteRefusal(401, "serial_number is not one of this user_id's")
        chosen, cert, _cert_id, stored = found[0]
        if self._status_of(cert, stored) != CERT_ACTIVE:
            raise RemoteRefusal(403, f"certificate {chosen} is {stored}")
        return chosen, cert

    def get_certificate(self, body: dict[str, Any], *, other_unit: bool = False) -> Answer:
        """The account's certificates (only the named one when ``serial_number`` is
        given); ``other_unit``: those of another unit instead (a fault)."""
        user_id = _text(body, "user_id")
        serial = _text(body, "serial_number", required=False)
        transaction_id = _text(body, "transaction_id", required=False)
        if serial:
            self._pick(user_id, serial)
        found = self._certificates(OTHER_UNIT if other_unit else user_id)
        if serial and not other_unit:
            found = [c for c in found if c[0] == serial.upper()]
        ca = _b64(self.pki.ca.certificate.public_bytes(serialization.Encoding.DER))
        listed = [{
            "service_type": SERVICE_TYPE, "service_name": SERVICE_NAME, "cert_id": cert_id,
            "cert_status": self._status_of(cert, stored), "serial_number": number,
            "cert_subject": cert.subject.rfc4514_string(),
            "cert_valid_from": _iso(cert.not_valid_before_utc.timestamp()),
            "cert_valid_to": _iso(cert.not_valid_after_utc.timestamp()),
            "cert_data": _b64(cert.public_bytes(serialization.Encoding.DER)),
            "chain_data": {"ca_cert": ca, "root_cert": None},
            "transaction_id": transaction_id} for number, cert, cert_id, stored in found]
        return _ok("SUCCESS", {"user_certificates": listed})

    def revoke(self, serial: str) -> bool:
        """Revoke a certificate (its account is then refused with 403); whether it was
        known."""
        with self.store.transaction() as conn:
            done = conn.execute("UPDATE remote_certificates SET status = 'revoked' WHERE "
                                "serial = ?", (serial.upper(),)).rowcount
        return bool(done)

    # -- transactions ------------------------------------------------------------------

    def sign(self, body: dict[str, Any]) -> Answer:
        """Hold a new transaction for the phone; the same request again answers the same."""
        user_id = _text(body, "user_id")
        transaction_id = _text(body, "transaction_id")
        if not TRANSACTION_ID.fullmatch(transaction_id):
            raise RemoteRefusal(400, "transaction_id: 1-128 of A-Z a-z 0-9 . _ ~ : -")
        description = _text(body, "transaction_desc", required=False)
        _text(body, "time_stamp", required=False)
        with self._lock:
            config = Config(**{**vars(self.config), "faults": dict(self.config.faults)})
        files = _files(body, config.max_files)
        serial, _cert = self._pick(user_id, _text(body, "serial_number", required=False))
        fingerprint = _fingerprint(user_id, serial, files)
        now = self.clock()
        auto = config.auto_approve_after_seconds
        with self.store.transaction() as conn:
            found = self._get(conn, transaction_id)
            if found is not None:
                if found.fingerprint != fingerprint:
                    raise RemoteRefusal(409, "transaction_id used for other files")
                return self._sign_answer(found, now)
            tran_code = str(uuid.uuid4())
            conn.execute(
                "INSERT INTO remote_transactions (transaction_id, tran_code, user_id, serial, "
                "description, files, fingerprint, state, created_at, expires_at, approve_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (transaction_id, tran_code, user_id, serial, description, json.dumps(files),
                 fingerprint, PENDING, now, now + config.expiry_seconds,
                 None if auto is None else now + auto))
            found = self._get(conn, transaction_id)
        assert found is not None
        worker = threading.Thread(target=self._precompute, args=(transaction_id,),
                                  name="sandbox-remote-sign", daemon=True)
        with self._lock:
            self._workers.add(worker)
        worker.start()
        return self._sign_answer(found, now)

    def _sign_answer(self, tx: Transaction, now: float) -> Answer:
        return _ok("sig_wait_for_user_confirm", {
            "transaction_id": tx.transaction_id, "tran_code": tx.tran_code,
            "expired_in": _left(tx.expires_at, now)})

    def status(self, transaction_id: str, *, wrong_digest: bool = False) -> Answer:
        """The transaction's state; its signatures once approved (``wrong_digest``: over
        other digests, a fault)."""
        now = self.clock()
        tx = self.transaction(transaction_id)
        if tx is None:
            raise RemoteRefusal(404, "unknown transaction")
        data: dict[str, Any] = {"transaction_id": tx.transaction_id, "signatures": None}
        if tx.state == PENDING:
            data["expired_in"] = _left(tx.expires_at, now)
        elif tx.state == SUCCESS:
            values = self._signatures(tx)
            if wrong_digest:
                key = self._key(tx.serial)
                values = {d: _sign(key, hashlib.sha256(b"other" + bytes.fromhex(h)).digest())
                          for d, h in tx.files}
            data["signatures"] = [{"doc_id": d, "signature_value": values[d],
                                   "timestamp_signature": None} for d, _ in tx.files]
        return _ok(tx.state, data)

    def _precompute(self, transaction_id: str) -> None:
        try:
            tx = self.transaction(transaction_id)
            if tx is not None:
                self._signatures(tx)
        except Exception:  # computed again when the status is asked
            log.exception("remote signing: signing %s ahead failed", transaction_id)
        finally:
            with self._lock:
                self._workers.discard(threading.current_thread())

    def _signatures(self, tx: Transaction) -> dict[str, str]:
        """The signature value of each doc_id, computed once and stored."""
        with self._sign_lock:
            with self.store.transaction() as conn:
                row = conn.execute("SELECT signatures FROM remote_transactions WHERE "
                                   "transaction_id = ?", (tx.transaction_id,)).fetchone()
            if row and row[0]:
                return json.loads(row[0])
            key = self._key(tx.serial)
            values = {doc_id: _sign(key, bytes.fromhex(digest)) for doc_id, digest in tx.files}
            with self.store.transaction() as conn:
                conn.execute("UPDATE remote_transactions SET signatures = ? WHERE "
                             "transaction_id = ?", (json.dumps(values), tx.transaction_id))
            return values

    _COLUMNS = ("transaction_id, tran_code, user_id, serial, description, files, fingerprint, "
                "state, created_at, expires_at, approve_at, decided_at")

    def _settle(self, conn: Any, now: float) -> None:
        """Automatic approvals due, then expiries due (each at the time it happened)."""
        conn.execute("UPDATE remote_transactions SET state = ?, decided_at = approve_at "
                     "WHERE state = ? AND approve_at IS NOT NULL AND approve_at <= ? AND "
                     "approve_at < expires_at", (SUCCESS, PENDING, now))
        conn.execute("UPDATE remote_transactions SET state = ?, decided_at = expires_at "
                     "WHERE state = ? AND expires_at <= ?", (EXPIRED, PENDING, now))

    def _get(self, conn: Any, transaction_id: str) -> Transaction | None:
        self._settle(conn, self.clock())
        row = conn.execute(f"SELECT {self._COLUMNS} FROM remote_transactions WHERE "
                           "transaction_id = ?", (transaction_id,)).fetchone()
        return _transaction(row) if row else None

    def transaction(self, transaction_id: str) -> Transaction | None:
        """A stored transaction as it stands now, or None."""
        with self.store.transaction() as conn:
            return self._get(conn, transaction_id)

    def transactions(self, state: str | None = None) -> list[Transaction]:
        """The transactions (in one state, when given), oldest first."""
        with self.store.transaction() as conn:
            self._settle(conn, self.clock())
            where, args = ("WHERE state = ?", (state,)) if state else ("", ())
            rows = conn.execute(f"SELECT {self._COLUMNS} FROM remote_transactions {where} "
                                "ORDER BY created_at, transaction_id", args).fetchall()
        return [_transaction(r) for r in rows]

    def decide(self, transaction_id: str, approve: bool) -> Transaction:
        """The phone's answer: approve (signed) or reject a pending transaction.
        RemoteRefusal(404) unknown, 409 no longer pending."""
        with self.store.transaction() as conn:
            tx = self._get(conn, transaction_id)
            if tx is None:
                raise RemoteRefusal(404, "unknown transaction")
            if tx.state != PENDING:
                raise RemoteRefusal(409, f"the transaction is {tx.state}")
            conn.execute("UPDATE remote_transactions SET state = ?, decided_at = ? WHERE "
                         "transaction_id = ?",
                         (SUCCESS if approve else REJECTED, self.clock(), transaction_id))
            decided = self._get(conn, transaction_id)
        assert decided is not None
        return decided

    def counts(self) -> dict[str, int]:
        """How many transactions are in each state (for the sandbox's stats)."""
        with self.store.transaction() as conn:
            self._settle(conn, self.clock())
            rows = conn.execute("SELECT state, COUNT(*) FROM remote_transactions "
                                "GROUP BY state").fetchall()
        return {state: count for state, count in rows}

    def expire_pending(self) -> int:
        """End every pending transaction now, as if its time ran out; how many."""
        with self.store.transaction() as conn:
            return conn.execute("UPDATE remote_transactions SET state = ?, decided_at = ?, "
                                "expires_at = MIN(expires_at, ?) WHERE state = ?",
                                (EXPIRED, self.clock(), self.clock(), PENDING)).rowcount

    def configure(self, changes: dict[str, Any]) -> Config:
        """Change the behaviour (only the fields given); ValueError names a bad one."""
        unknown = set(changes) - {"expiry_seconds", "auto_approve_after_seconds",
                                  "answer_delay_ms", "max_files", "faults"}
        if unknown:
            raise ValueError(f"unknown settings {sorted(unknown)}")
        with self._lock:
            config = Config(**{**vars(self.config), "faults": dict(self.config.faults)})
            for name in ("expiry_seconds", "answer_delay_ms", "max_files"):
                if name in changes:
                    setattr(config, name, _number(changes[name], name))
            if "auto_approve_after_seconds" in changes:
                value = changes["auto_approve_after_seconds"]
                config.auto_approve_after_seconds = (
                    None if value is None else _number(value, "auto_approve_after_seconds"))
            expire_now = False
            if "faults" in changes:
                config.faults = _faults(changes["faults"])
                expire_now = config.faults.pop("expire_now", None) is not None
            config.answer_delay_ms = int(config.answer_delay_ms)
            config.max_files = int(config.max_files)
            self.config = config
        if expire_now:
            self.expire_pending()
        return config

    # -- /sandbox/v1 -------------------------------------------------------------------

    def _admin(self, method: str, path: str, query: str, body: Any, admin: bool) -> Answer:
        if not admin:
            return _error(401)
        parts = path.strip("/").split("/")
        try:
            if (method, parts) == ("GET", ["transactions"]):
                state = (parse_qs(query).get("state") or [""])[0].upper() or None
                if state is not None and state not in STATES:
                    raise RemoteRefusal(400, f"state: one of {', '.join(STATES)}")
                now = self.clock()
                listed = [t.view(now) for t in self.transactions(state)]
                return _ok("SUCCESS", {"transactions": listed})
            if method == "POST" and len(parts) == 3 and parts[0] == "transactions" and \
                    parts[2] in ("approve", "reject"):
                tx = self.decide(parts[1], parts[2] == "approve")
                return _ok("SUCCESS", tx.view(self.clock()))
            if (method, parts) == ("GET", ["config"]):
                return _ok("SUCCESS", self.config.to_json())
            if (method, parts) == ("POST", ["config"]):
                if not isinstance(body, dict):
                    raise RemoteRefusal(400, "a JSON object is required")
                try:
                    return _ok("SUCCESS", self.configure(body).to_json())
                except ValueError as exc:
                    raise RemoteRefusal(400, str(exc)) from None
            if method == "POST" and len(parts) == 3 and parts[0] == "certificates" and \
                    parts[2] == "revoke":
                if not self.revoke(parts[1]):
                    raise RemoteRefusal(404, "unknown serial")
                return _ok("SUCCESS", {"serial_number": parts[1].upper(), "status": "revoked"})
            raise RemoteRefusal(404, "no such address")
        except RemoteRefusal as refusal:
            return _error(refusal.status)


def _route(method: str, path: str) -> tuple[str | None, str | None]:
    """The SP769 call of a request and, for a status call, its transaction id."""
    if method != "POST" or not path.startswith(PREFIX + "/"):
        return None, None
    rest = path[len(PREFIX):]
    if rest == "/v1/credentials/get_certificate":
        return "get_certificate", None
    if rest == "/v1/signatures/sign":
        return "sign", None
    parts = rest.split("/")
    if len(parts) == 6 and parts[1:4] == ["v1", "signatures", "sign"] and \
            parts[5] == "status" and TRANSACTION_ID.fullmatch(parts[4]):
        return "status", parts[4]
    return None, None


def _transaction(row: tuple) -> Transaction:
    return Transaction(transaction_id=row[0], tran_code=row[1], user_id=row[2], serial=row[3],
                       description=row[4], files=[tuple(f) for f in json.loads(row[5])],
                       fingerprint=row[6], state=row[7], created_at=row[8],
                       expires_at=row[9], approve_at=row[10], decided_at=row[11])


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"{name}: a number >= 0 is required")
    return value


def _faults(value: Any) -> dict[str, str]:
    """Faults as given: a list of names (each on every call) or name → call."""
    if isinstance(value, list):
        value = {name: "*" for name in value}
    if not isinstance(value, dict):
        raise ValueError("faults: a list of names or an object name -> call")
    for name, call in value.items():
        if name not in FAULTS:
            raise ValueError(f"unknown fault {name!r} (known: {', '.join(FAULTS)})")
        if call not in CALLS:
            raise ValueError(f"unknown call {call!r} (known: {', '.join(CALLS)})")
    return dict(value)


def _damaged(answer: Answer, fault: dict[str, str]) -> bytes | None:
    """The bytes of a hostile answer (oversized, malformed), or None for the plain one."""
    if "oversized" in fault:
        return json.dumps({**answer.body, "padding": "x" * OVERSIZED_BYTES}).encode("ascii")
    if "malformed" in fault:
        whole = json.dumps(answer.body).encode("utf-8")
        return whole[: max(1, len(whole) // 2)]
    return None
