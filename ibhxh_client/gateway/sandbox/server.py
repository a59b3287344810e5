"""The sandbox gateway as a real HTTPS server (http.server + ssl), in a thread of a test
or as ``ibhxh sandbox``.

Each accepted connection is wrapped in TLS in its own thread (a slow or broken handshake
never holds up the others), with the sandbox's certificate or, while the ``wrong_host``
fault is armed, one for another host name. HTTP/1.1 with keep-alive; every answer has a
Content-Length. Request bodies are capped, gzip-compressed ones too after decompression.

Besides the protocol (``gateway.protocol``) it serves ``/_sandbox/…`` for tests and
trainers, guarded by the token in ``admin-token`` in the state folder:
``GET|POST|DELETE /_sandbox/faults`` (see ``faults``) and ``GET /_sandbox/stats``.

The training remote-signing service (``remote_signing``) shares the port: ``/sca/sp769/…``
for the program, ``/sandbox/v1/…`` (the same admin token) for the "phone" and trainers.
While it runs, the sandbox's address is in the ``url`` file of its state folder (what
``ibhxh sandbox approve`` reads).
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import secrets
import socket
import ssl
import threading
import time
import zlib
from collections import Counter
from collections.abc import Collection, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509

from .. import protocol as P
from .api import DEFAULT_AGENCY, Answer, GatewayApi
from .checks import Refusal
from .faults import Faults, hostile_document, tamper
from .pki import load_or_create
from .remote_signing import ADMIN_PREFIX, URL_FILE, RemoteSigning
from .remote_signing import PREFIX as REMOTE_PREFIX
from .store import Store

log = logging.getLogger("ibhxh.sandbox")

MAX_BODY = 256 * 1024 * 1024  # as received
MAX_JSON = 512 * 1024 * 1024  # after gzip
ADMIN_HEADER = "X-Sandbox-Admin"
STATE_FILE = "sandbox.sqlite3"


def _route(method: str, path: str) -> tuple[str | None, str | None]:
    """The route name and, for a dossier, its number (from the path)."""
    fixed = {("GET", P.INFO): "info", ("POST", P.CHALLENGE): "challenge",
             ("POST", P.LOGIN_CERTIFICATE): "login", ("POST", P.LOGIN_PASSWORD): "login",
             ("POST", P.DOSSIERS): "submit", ("POST", P.REGISTRATIONS): "register"}
    if (method, path) in fixed:
        return fixed[(method, path)], None
    if method == "GET" and path.startswith(P.DOSSIERS + "/"):
        parts = path[len(P.DOSSIERS) + 1:].split("/")
        number = P.number_from_path(parts[0])
        if len(parts) == 1:
            return "state", number
        if len(parts) == 2 and parts[1] == "result":
            return "result", number
    return None, None


def _error(refusal: Refusal, **headers: str) -> Answer:
    status = P.HTTP_STATUS.get(refusal.code, 400)
    retry = headers.get("Retry-After")
    body = P.Error(code=refusal.code, message=refusal.message, details=refusal.details,
                   retry_after=int(retry) if retry else None).wrap()
    return Answer(status, body, dict(headers))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ibhxh-sandbox"
    sys_version = ""
    timeout = 60  # an idle keep-alive connection is closed after this

    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.client_address[0], *args)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    # -- plumbing -----------------------------------------------------------------------

    def _send(self, answer: Answer, payload: bytes | None = None) -> None:
        data = payload if payload is not None else json.dumps(
            answer.body, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", f"{P.JSON_TYPE}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)
        except (ConnectionError, TimeoutError, ssl.SSLError, OSError):
            self.close_connection = True  # the client went away (a timeout on its side)

    def _body(self, method: str) -> Any:
        if method != "POST":
            return None
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise Refusal(P.ErrorCode.BAD_REQUEST, "Cần Content-Length.")
        length_text = self.headers.get("Content-Length", "")
        if not length_text.isdigit():
            self.close_connection = True
            raise Refusal(P.ErrorCode.BAD_REQUEST, "Cần Content-Length.")
        length = int(length_text)
        if length > MAX_BODY:
            self.close_connection = True  # the body is not read: the connection is spent
            raise Refusal(P.ErrorCode.TOO_LARGE, f"Tối đa {MAX_BODY} byte.")
        raw = self.rfile.read(length)
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if ctype != P.JSON_TYPE:
            raise Refusal(P.ErrorCode.UNSUPPORTED_MEDIA, "Cần application/json.")
        encoding = self.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding == "gzip":
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            try:
                raw = inflater.decompress(raw, MAX_JSON)
            except zlib.error:
                raise Refusal(P.ErrorCode.BAD_REQUEST, "Dữ liệu gzip hỏng.") from None
            if inflater.unconsumed_tail:
                raise Refusal(P.ErrorCode.TOO_LARGE, f"Tối đa {MAX_JSON} byte sau giải nén.")
        elif encoding != "identity":
            raise Refusal(P.ErrorCode.UNSUPPORTED_MEDIA, f"Không hỗ trợ {encoding}.")
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise Refusal(P.ErrorCode.BAD_REQUEST, "Không phải JSON.") from None
        return body

    def _handle(self, method: str) -> None:
        sandbox = self.server.sandbox
        path = urlsplit(self.path).path
        if path.startswith("/_sandbox/"):
            self._admin(method, path)
            return
        if path.startswith((REMOTE_PREFIX + "/", ADMIN_PREFIX + "/")):
            self._remote(method, path)
            return
        route, number = _route(method, path)
        sandbox.requests[route or "unknown"] += 1
        try:
            body = self._body(method)
        except Refusal as refusal:
            self._send(_error(refusal))
            return
        if route is None:
            self._send(_error(Refusal(P.ErrorCode.NOT_FOUND, "Không có địa chỉ này.")))
            return
        faults = sandbox.faults
        if fault := faults.take("http_error", route):
            code = P.ErrorCode.UNAVAILABLE if fault.status == 503 else P.ErrorCode.INTERNAL
            answer = _error(Refusal(code, "Lỗi giả lập của cổng thử nghiệm."))
            answer.status = fault.status
            self._send(answer)
            return
        if fault := faults.take("rate_limit", route):
            self._send(_error(Refusal(P.ErrorCode.RATE_LIMITED, "Quá nhiều yêu cầu."),
                              **{"Retry-After": str(fault.retry_after)}))
            return
        answer = self._dispatch(route, number, body)
        if answer.stored and faults.take("drop_after_store", route):
            self.close_connection = True
            try:  # no answer at all: the TCP connection just ends
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if fault := faults.take("slow", route):
            time.sleep(fault.delay)
        if answer.status < 300 and route in ("submit", "result"):
            field = "receipt" if route == "submit" else "result"
            if fault := faults.take("hostile_xml", route):
                answer.body[field] = hostile_document(fault.variant)
            if faults.take("bad_signature", route):
                answer.body[field] = tamper(answer.body[field])
        payload = None
        if faults.take("malformed_json", route):
            whole = json.dumps(answer.body).encode("utf-8")
            payload = whole[: max(1, len(whole) // 2)]
        self._send(answer, payload)

    def _dispatch(self, route: str, number: str | None, body: Any) -> Answer:
        api = self.server.sandbox.api
        version = self.headers.get(P.VERSION_HEADER)
        try:
            if version and version != P.VERSION:
                raise Refusal(P.ErrorCode.UNSUPPORTED_VERSION,
                              f"Chỉ hỗ trợ giao thức phiên bản {P.VERSION}.")
            if route == "info":
                return api.info()
            if route == "challenge":
                return api.challenge(body)
            if route == "login":
                if self.path.startswith(P.LOGIN_PASSWORD):
                    return api.login_password(body)
                return api.login_certificate(body)
            if route == "register":  # signed files need no session; trial ones bring theirs
                return api.register(self.headers.get("Authorization"),
                                    self.headers.get(P.IDEMPOTENCY_HEADER), body)
            session = api.authenticate(self.headers.get("Authorization"))
            if route == "submit":
                return api.submit(session, self.headers.get(P.IDEMPOTENCY_HEADER), body)
            if route == "state":
                return api.state(session, number)
            return api.result(session, number)
        except Refusal as refusal:
            return _error(refusal)
        except Exception:
            log.exception("sandbox: %s failed", route)
            return _error(Refusal(P.ErrorCode.INTERNAL, "Lỗi nội bộ của cổng thử nghiệm."))

    def _remote(self, method: str, path: str) -> None:
        """The training remote-signing service (its own answer shape: SmartCA's)."""
        sandbox = self.server.sandbox
        sandbox.requests["remote " + path.rsplit("/", 1)[-1]] += 1
        # A body is read whatever the method: left unread it would be taken for the next
        # request on this connection.
        sent = self.headers.get("Content-Length", "") not in ("", "0")
        try:
            body: Any = self._body("POST" if sent else method)
        except Refusal as refusal:
            body = ValueError(refusal.message)
        given = self.headers.get(ADMIN_HEADER, "")
        admin = hmac.compare_digest(given.encode(), sandbox.admin_token.encode())
        reply = sandbox.remote.handle(method, path, urlsplit(self.path).query, body,
                                      admin=admin)
        self._send(reply.answer, reply.payload)

    def _admin(self, method: str, path: str) -> None:
        sandbox = self.server.sandbox
        try:
            body = self._body(method)  # read first: closing on unread data resets the line
            given = self.headers.get(ADMIN_HEADER, "")
            if not hmac.compare_digest(given.encode(), sandbox.admin_token.encode()):
                raise Refusal(P.ErrorCode.UNAUTHORIZED, "admin token")
            if path == "/_sandbox/faults" and method == "GET":
                answer = Answer(200, {"faults": sandbox.faults.to_json()})
            elif path == "/_sandbox/faults" and method == "POST":
                try:
                    from .faults import Fault

                    fault = Fault.from_json(body)
                except (TypeError, ValueError) as exc:
                    raise Refusal(P.ErrorCode.BAD_REQUEST, str(exc)) from None
                sandbox.faults.arm(**{k: v for k, v in vars(fault).items()})
                answer = Answer(201, {"armed": vars(fault)})
            elif path == "/_sandbox/faults" and method == "DELETE":
                sandbox.faults.clear()
                answer = Answer(200, {"faults": []})
            elif path == "/_sandbox/stats" and method == "GET":
                answer = Answer(200, sandbox.stats())
            else:
                raise Refusal(P.ErrorCode.NOT_FOUND, "Không có địa chỉ này.")
        except Refusal as refusal:
            answer = _error(refusal)
        self._send(answer)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        super().__init__(address, _Handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        sandbox = self.sandbox
        wrong = sandbox.faults.take("wrong_host", "*") is not None
        context = sandbox.wrong_host_context if wrong else sandbox.tls_context
        request.settimeout(30)
        # Headers and body go out as separate writes: without this, Nagle's algorithm and
        # the client's delayed ACK add ~40 ms to every answer.
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            conn = context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return  # the client refused our certificate, or went away
        try:
            self.RequestHandlerClass(conn, client_address, self)
        except (ConnectionError, TimeoutError, ssl.SSLError, OSError):
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass


def _tls(cert: Path, key: Path) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(str(cert), str(key))
    return ctx


def _admin_token(state_dir: Path, name: str = "admin-token") -> str:
    path = state_dir / name
    if path.exists():
        return path.read_text("ascii").strip()
    token = secrets.token_urlsafe(24)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(token + "\n")
    return token


def load_trusted(paths: Sequence[Path | str]) -> list[x509.Certificate]:
    """The CA certificates in the PEM files given with ``--trust-ca``."""
    out: list[x509.Certificate] = []
    for path in paths:
        out += x509.load_pem_x509_certificates(Path(path).read_bytes())
    return out


class Sandbox:
    """A sandbox gateway on ``host:port`` (port 0: any free one) with its state in
    ``state_dir``. ``start()`` serves in background threads; ``stop()`` ends them.
    ``training``: the rules it breaks on purpose in claim lists (``claims.TRAINING``)."""

    def __init__(self, state_dir: Path | str, *, host: str = "127.0.0.1", port: int = 0,
                 trial_password: str | None = None,
                 trust_ca: Sequence[Path | str] = (),
                 trusted_cas: Sequence[x509.Certificate] = (),
                 process_after: float = 5.0, agency: str = DEFAULT_AGENCY,
                 training: Collection[str] = ()) -> None:
        self.state_dir = Path(state_dir)
        self.host = host
        self.pki, self.created = load_or_create(self.state_dir, host)
        self.tls_context = _tls(self.pki.server_cert, self.pki.server_key)
        self.wrong_host_context = _tls(self.pki.wrong_host_cert, self.pki.wrong_host_key)
        self.store = Store(self.state_dir / STATE_FILE)
        self.faults = Faults()
        self.requests: Counter[str] = Counter()
        self.process_after = process_after
        # The trial passwords issued at registration are derived from this secret, kept in
        # the state folder so they survive a restart.
        trial_secret = _admin_token(self.state_dir, "trial-secret").encode("ascii")
        self.api = GatewayApi(self.store, self.pki, trial_password=trial_password,
                              trusted_cas=[*load_trusted(trust_ca), *trusted_cas],
                              process_after=process_after, agency=agency,
                              trial_secret=trial_secret, training=training)
        self.admin_token = _admin_token(self.state_dir)
        self.remote = RemoteSigning(self.store, self.pki, self.state_dir)
        self._server = _Server((host, port), self)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        host = "localhost" if self.host in ("0.0.0.0", "::", "") else self.host
        if ":" in host:
            host = f"[{host}]"
        return f"https://{host}:{self.port}"

    @property
    def ca_file(self) -> Path:
        return self.pki.ca_file

    @property
    def ca_pem(self) -> str:
        return self.pki.ca_pem

    def stats(self) -> dict[str, Any]:
        return {"dossiers": self.store.count(),
                "registrations": self.store.count_registrations(),
                "remote_transactions": self.remote.counts(),
                "requests": dict(self.requests),
                "faults_fired": dict(self.faults.hits)}

    def _process_loop(self) -> None:
        interval = min(0.5, max(0.02, self.process_after / 5))
        while not self._stop.wait(interval):
            try:
                self.api.process_due()
            except Exception:  # keep processing alive; the failure is in the log
                log.exception("sandbox: processing failed")

    def start(self) -> Sandbox:
        for target, name in ((self._server.serve_forever, "sandbox-http"),
                             (self._process_loop, "sandbox-processing")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        (self.state_dir / URL_FILE).write_text(self.url + "\n", "utf-8")
        return self

    def stop(self) -> None:
        self._stop.set()
        url_file = self.state_dir / URL_FILE
        try:  # another sandbox may have started on this folder since
            if self._threads and url_file.read_text("utf-8").strip() == self.url:
                url_file.unlink()
        except OSError:
            pass
        if self._threads:  # shutdown() waits for serve_forever, which must have started
            self._server.shutdown()
        self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self.remote.close()
        self.store.close()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
