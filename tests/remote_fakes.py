"""Test doubles for remote signing.

``LocalService`` plays the signing service with a key held here: it signs the raw SHA-256
digests it is given (PKCS#1 v1.5 over DigestInfo, as SmartCA and CA2 do), and can be told
to misbehave. ``SpJsonServer`` is a small HTTPS server on loopback that speaks the
``sp-json`` shape (docs/remote-signing.md §2, §11.3) over a ``LocalService``, with the
hostile answers the client must refuse; ``VtssServer`` speaks Viettel MySign's ``vtss``
shape (§5) the same way.
"""

from __future__ import annotations

import base64
import datetime as dt
import http.server
import json
import ssl
import threading
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from ibhxh_client.gateway.sandbox.pki import _tls_cert
from ibhxh_client.signing.demo import DemoCA


@dataclass
class LocalService:
    """A key and its certificate, signing digests as a remote service would."""

    key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)

    @classmethod
    def issued_by(cls, ca: DemoCA, *, tax_code: str, company: str = "Công ty TNHH ABC",
                  not_before: dt.datetime | None = None,
                  not_after: dt.datetime | None = None) -> LocalService:
        """A new RSA-2048 key with a certificate from ``ca`` for ``tax_code``."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = ca.issue(key.public_key(), company_name=company, tax_code=tax_code,
                        not_before=not_before, not_after=not_after)
        return cls(key, cert, [ca.certificate])

    def sign_digest(self, digest: bytes) -> bytes:
        """The raw RSA signature of a 32-byte SHA-256 digest."""
        return self.key.sign(digest, padding.PKCS1v15(), Prehashed(hashes.SHA256()))

    def sign_all(self, digests: Iterable[tuple[str, bytes]]) -> dict[str, bytes]:
        """Every doc_id's value, as the service's status answer gives them."""
        return {doc_id: self.sign_digest(digest) for doc_id, digest in digests}


# --------------------------------------------------------------------------- HTTPS server

CA2_BASE = "/api/data"


@dataclass
class Transaction:
    files: list[dict[str, Any]]
    state: str = "PENDING"  # PENDING, SUCCESS, REJECTED, EXPIRED


@dataclass
class LoopbackHttps(ABC):
    """A service with a key (``service``) on https://127.0.0.1:PORT, its TLS certificate
    from ``ca``; ``answer(path, body, headers)`` gives each POST's answer. ``fault`` makes
    it misbehave; "oversized_stream" ends the answer at the close, its length undeclared."""

    service: LocalService
    ca: DemoCA
    folder: Path
    fault: str | None = None
    requests_seen: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    _httpd: Any = None
    _thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def ca_file(self) -> str:
        return str(self.folder / "ca.pem")

    @abstractmethod
    def answer(self, path: str, body: dict[str, Any], headers: dict[str, str]
               ) -> tuple[int, dict[str, str], bytes]:
        """Each POST's status, headers and body (status 0: the answer is lost)."""

    def start(self):
        cert, key = _tls_cert(self.ca, ["127.0.0.1"])
        (self.folder / "ca.pem").write_bytes(
            self.ca.certificate.public_bytes(serialization.Encoding.PEM))
        (self.folder / "tls.pem").write_bytes(
            cert.public_bytes(serialization.Encoding.PEM)
            + key.private_bytes(serialization.Encoding.PEM,
                                serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()))
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(str(self.folder / "tls.pem"))
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {}
                server.requests_seen.append((self.path, body))
                status, headers, payload = server.answer(self.path, body, dict(self.headers))
                if status == 0:  # the answer lost: the connection closes without one
                    self.close_connection = True
                    return
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if server.fault != "oversized_stream":  # that one ends at the close
                    self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.socket = ctx.wrap_socket(self._httpd.socket, server_side=True)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def _json(self, status: int, obj: Any) -> tuple[int, dict[str, str], bytes]:
        return status, {"Content-Type": "application/json"}, json.dumps(obj).encode()

    def _hostile(self) -> tuple[int, dict[str, str], bytes] | None:
        """The answer of a hostile fault, None when the service behaves."""
        if self.fault == "redirect":
            return 302, {"Location": "https://evil.example/elsewhere"}, b""
        if self.fault in ("oversized", "oversized_stream"):
            return 200, {"Content-Type": "application/json"}, b" " * (2 * 1024 * 1024)
        if self.fault == "malformed":
            return 200, {"Content-Type": "application/json"}, b"{not json"
        return None


@dataclass
class SpJsonServer(LoopbackHttps):
    """An ``sp-json`` service on https://127.0.0.1:PORT/sca/sp769 (SmartCA's shape).

    ``fault`` makes it misbehave on the next calls: "oversized" (2 MiB, its length
    declared), "oversized_stream" (the same, undeclared), "malformed" (not JSON),
    "shape" (JSON of the wrong shape), "redirect" (302 to another host), "wrong_digest"
    (signs another digest), "drop_doc" / "extra_doc" / "duplicate_doc" (a doc_id missing,
    added, or twice), "fail" (500), "certificate_invalid" (403). ``approve``, ``reject`` and
    ``expire`` decide a transaction.
    """

    sp_id: str = "sp-test"
    sp_password: str = "sp-secret-0123"
    user_id: str = "0101234567"
    extra_certificates: list[x509.Certificate] = field(default_factory=list)
    digest_encoding: str = "hex_lower"
    transactions: dict[str, Transaction] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.port}/sca/sp769"

    @property
    def ca2_base_url(self) -> str:
        return f"https://127.0.0.1:{self.port}{CA2_BASE}"

    # -- the phone --------------------------------------------------------------------

    def approve(self, transaction_id: str) -> None:
        self.transactions[transaction_id].state = "SUCCESS"

    def reject(self, transaction_id: str) -> None:
        self.transactions[transaction_id].state = "REJECTED"

    def expire(self, transaction_id: str) -> None:
        self.transactions[transaction_id].state = "EXPIRED"

    # -- answers ----------------------------------------------------------------------

    def answer(self, path: str, body: dict[str, Any], headers: dict[str, str] | None = None
               ) -> tuple[int, dict[str, str], bytes]:
        fault = self.fault
        hostile = self._hostile()
        if hostile is not None:
            return hostile
        if fault == "shape":
            return self._json(200, {"status_code": 200, "message": "SUCCESS", "data": [1]})
        if fault == "fail":
            return self._json(500, {"status_code": 500, "message": "SERVER_INTERNAL_ERROR",
                                    "data": None})
        if body.get("sp_id") != self.sp_id or body.get("sp_password") != self.sp_password:
            return self._json(401, {"status_code": 401, "message": "SP_CREDENTIAL_INVALID",
                                    "data": None})
        if fault == "certificate_invalid":
            return self._json(403, {"status_code": 403,
                                    "message": "CREDENTIAL_STATUS_INVALID", "data": None})
        if path.startswith(CA2_BASE):  # CA2's paths, status ids in the body
            call = path[len(CA2_BASE):]
            if call == "/status":
                return self._status(str(body.get("transaction_id")), ca2=True)
            path = {"/get_certificate": "/sca/sp769/v1/credentials/get_certificate",
                    "/sign": "/sca/sp769/v1/signatures/sign"}.get(call, path)
        base = "/sca/sp769"
        if path == base + "/v1/credentials/get_certificate":
            return self._certificates(body)
        if path == base + "/v1/signatures/sign":
            return self._sign(body)
        prefix, suffix = base + "/v1/signatures/sign/", "/status"
        if path.startswith(prefix) and path.endswith(suffix):
            return self._status(path[len(prefix):-len(suffix)])
        return self._json(404, {"status_code": 404, "message": "NOT_FOUND", "data": None})

    def _cert_entry(self, cert: x509.Certificate, transaction_id: str) -> dict[str, Any]:
        der = cert.public_bytes(serialization.Encoding.DER)
        return {"service_type": "SMARTCA", "service_name": "SMARTCA TEST",
                "cert_id": f"id-{cert.serial_number:x}", "cert_status": "Đang hoạt động",
                "serial_number": f"{cert.serial_number:x}",
                "cert_subject": cert.subject.rfc4514_string(),
                "cert_data": base64.b64encode(der).decode(),
                "chain_data": {"ca_cert": base64.b64encode(
                    self.ca.certificate.public_bytes(serialization.Encoding.DER)).decode(),
                    "root_cert": None},
                "transaction_id": transaction_id}

    def _certificates(self, body: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        if body.get("user_id") != self.user_id:
            return self._json(401, {"status_code": 401, "message": "SP_CREDENTIAL_INVALID",
                                    "data": None})
        certs = [self.service.certificate, *self.extra_certificates]
        entries = [self._cert_entry(c, body.get("transaction_id", "")) for c in certs]
        return self._json(200, {"status_code": 200, "message": "Success",
                                "data": {"user_certificates": entries}})

    def _sign(self, body: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        tid = body.get("transaction_id")
        files = body.get("sign_files")
        if not isinstance(tid, str) or not tid or not isinstance(files, list):
            return self._json(400, {"status_code": 400, "message": "BAD_REQUEST",
                                    "data": None})
        known = self.transactions.get(tid)
        if known is not None and known.files != files:
            return self._json(409, {"status_code": 409, "message": "TRANSACTION_ID_USED",
                                    "data": None})
        if known is None:
            self.transactions[tid] = Transaction(files)
        return self._json(200, {"status_code": 200, "message": "sig_wait_for_user_confirm",
                                "data": {"transaction_id": tid, "tran_code": "tc-" + tid,
                                         "expired_in": 300}})

    def _digest(self, text: str) -> bytes:
        if self.digest_encoding == "hex_lower":
            return bytes.fromhex(text)
        return base64.b64decode(text)

    def _status(self, tid: str, *, ca2: bool = False) -> tuple[int, dict[str, str], bytes]:
        tx = self.transactions.get(tid)
        if tx is None:
            return self._json(404, {"status_code": 404, "message": "NOT_FOUND",
                                    "data": None})
        if ca2 and (tx.state == "PENDING" or self.fault == "minus2"):
            # CA2: pending is an empty value per file, a failure at the server is "-2".
            value = "-2" if self.fault == "minus2" else ""
            return self._json(200, {"status_code": 200, "message": "",
                                    "data": {"transaction_id": tid, "signatures": [
                                        {"doc_id": f["doc_id"], "signature_value": value}
                                        for f in tx.files]}})
        if tx.state != "SUCCESS":
            return self._json(200, {"status_code": 200, "message": tx.state,
                                    "data": {"transaction_id": tid, "signatures": None,
                                             "expired_in": 120}})
        sign: Callable[[bytes], bytes] = self.service.sign_digest
        signatures = []
        for item in tx.files:
            digest = self._digest(item["data_to_be_signed"])
            if self.fault == "wrong_digest":
                digest = bytes(32)
            signatures.append({"doc_id": item["doc_id"], "timestamp_signature": None,
                               "signature_value": base64.b64encode(sign(digest)).decode()})
        if self.fault == "drop_doc":
            signatures = signatures[1:]
        elif self.fault == "extra_doc":
            signatures.append({**signatures[0], "doc_id": "KHAC.xml"})
        elif self.fault == "duplicate_doc":
            signatures.append(dict(signatures[0]))
        return self._json(200, {"status_code": 200, "message": "SUCCESS",
                                "data": {"transaction_id": tid, "signatures": signatures}})


# --------------------------------------------------------------------------- Viettel MySign

VTSS = "/vtss/service"


@dataclass
class VtssTransaction:
    body: dict[str, Any]
    state: str = "4000"  # 4000 waiting, 1 signed, 4001 expired, 4002 declined
    polls: int = 0


@dataclass
class VtssServer(LoopbackHttps):
    """Viettel MySign's shape (docs/remote-signing.md §5) on https://127.0.0.1:PORT:
    ``/ras/v1/login`` gives a Bearer token per user, then ``/certificates/info``,
    ``/signHash`` (parallel ``documents``/``hash``; the service names the transaction)
    and ``/requests/status`` (a numeric status, the signatures in the order of ``hash``).

    ``decide_on_poll`` ("approve"/"reject"/"expire") decides a transaction at its second
    poll, as a director would while the program waits. ``wrap`` returns the values with
    CRLF every 76 characters (MySign does). Faults besides the hostile ones: "fail" (500),
    "lose_answer" (the signHash request is taken, its answer lost), "wrong_digest",
    "drop_sig" (one value fewer), "status:CODE" (every poll answers CODE), "no_token".
    """

    client_id: str = "vtss-client"
    client_secret: str = "vtss-secret-0123"
    profile_id: str = "adss:ras:profile:001"
    user_id: str = "MST_0101234567"
    extra_certificates: list[x509.Certificate] = field(default_factory=list)
    decide_on_poll: str | None = None
    wrap: bool = False
    tokens: set[str] = field(default_factory=set)
    logins: int = 0
    transactions: dict[str, VtssTransaction] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def credential_of(self, cert: x509.Certificate) -> str:
        return f"cred-{cert.serial_number:x}"

    # -- the phone --------------------------------------------------------------------

    def decide(self, transaction_id: str, state: str) -> None:
        self.transactions[transaction_id].state = state

    def forget_tokens(self) -> None:
        """Every token given so far expires (the next call is refused with 401)."""
        self.tokens.clear()

    # -- answers ----------------------------------------------------------------------

    def answer(self, path: str, body: dict[str, Any], headers: dict[str, str]
               ) -> tuple[int, dict[str, str], bytes]:
        hostile = self._hostile()
        if hostile is not None:
            return hostile
        if self.fault == "fail":
            return self._json(500, {"error": "50000", "error_description": "internal"})
        if path == VTSS + "/ras/v1/login":
            return self._login(body)
        bearer = headers.get("Authorization", "")
        if not bearer.startswith("Bearer ") or bearer[7:] not in self.tokens:
            return self._json(401, {"error": "invalid_token",
                                    "error_description": "token expired"})
        if path == VTSS + "/certificates/info":
            return self._certificates(body)
        if path == VTSS + "/signHash":
            return self._sign(body)
        if path == VTSS + "/requests/status":
            return self._status(body)
        return self._json(404, {"error": "404", "error_description": "not found"})

    def _login(self, body: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        if body.get("client_id") != self.client_id:
            return self._json(400, {"error": "58007", "error_description": "client id"})
        if body.get("client_secret") != self.client_secret or \
                body.get("profile_id") != self.profile_id:
            return self._json(401, {"error": "86024", "error_description": "secret"})
        if body.get("user_id") != self.user_id:
            return self._json(400, {"error": "58008", "error_description": "user id"})
        self.logins += 1
        if self.fault == "no_token":
            return self._json(200, {"token_type": "Bearer"})
        token = uuid.uuid4().hex
        self.tokens.add(token)
        return self._json(200, {"access_token": token, "refresh_token": "",
                                "token_type": "Bearer", "expires_in": "3600"})

    def _certificates(self, body: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        if body.get("user_id") != self.user_id or body.get("client_id") != self.client_id:
            return self._json(400, {"error": "58008", "error_description": "user id"})

        def b64(cert: x509.Certificate) -> str:
            return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()

        entries = []
        for cert in [self.service.certificate, *self.extra_certificates]:
            entries.append({
                "credential_id": self.credential_of(cert),
                "key": {"status": "ENABLED", "algo": ["1.2.840.113549.1.1.1"], "len": 2048},
                "cert": {"status": "VALID", "certificates": [b64(cert), b64(
                    self.ca.certificate)], "issuerDN": cert.issuer.rfc4514_string(),
                    "subjectDN": cert.subject.rfc4514_string(),
                    "serialNumber": f"{cert.serial_number:x}",
                    "validFrom": cert.not_valid_before_utc.strftime("%Y%m%d%H%M%S+0000"),
                    "validTo": cert.not_valid_after_utc.strftime("%Y%m%d%H%M%S+0000")},
                "authMode": "IMPLICIT", "multisign": 1})
        return self._json(200, entries)

    def _sign(self, body: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        hashes_, docs = body.get("hash"), body.get("documents")
        sound = (body.get("client_id") == self.client_id
                 and body.get("credentialID") == self.credential_of(self.service.certificate)
                 and isinstance(hashes_, list) and isinstance(docs, list)
                 and body.get("numSignatures") == len(hashes_) == len(docs) > 0
                 and body.get("hashAlgo") == "2.16.840.1.101.3.4.2.1"
                 and body.get("signAlgo") == "1.2.840.113549.1.1.1"
                 and body.get("async") == 2
                 and all(len(base64.b64decode(h, validate=True)) == 32 for h in hashes_)
                 and all(len(d["document_name"]) <= 99 and base64.b64decode(
                     d["document_name"], validate=True) for d in docs)
                 and len(body.get("description", "")) <= 99)
        if not sound:
            return self._json(400, {"error": "400", "error_description": "bad request"})
        tid = uuid.uuid4().hex
        self.transactions[tid] = VtssTransaction(body)
        if self.fault == "lose_answer":
            return 0, {}, b""
        return self._json(200, {"transactionId": tid})

    def _status(self, body: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        tx = self.transactions.get(str(body.get("transactionId")))
        if tx is None:
            return self._json(400, {"error": "404", "error_description": "transaction"})
        tx.polls += 1
        if tx.state == "4000" and self.decide_on_poll and tx.polls >= 2:
            tx.state = {"approve": "1", "reject": "4002", "expire": "4001"}[
                self.decide_on_poll]
        if self.fault and self.fault.startswith("status:"):
            return self._json(200, {"status": self.fault[7:], "signatures": None})
        if tx.state != "1":
            return self._json(200, {"status": tx.state, "signatures": None,
                                    "description": ""})
        values = []
        for text in tx.body["hash"]:
            digest = bytes(32) if self.fault == "wrong_digest" else base64.b64decode(text)
            value = base64.b64encode(self.service.sign_digest(digest)).decode()
            if self.wrap:
                value = "\r\n".join(value[i:i + 76] for i in range(0, len(value), 76))
            values.append(value)
        if self.fault == "drop_sig":
            values = values[:-1]
        return self._json(200, {"status": "1", "signatures": values, "description": ""})
