"""The gateway client: one requests Session that speaks ``protocol`` over verified TLS.

- TLS is always verified, never switchable off, plain HTTP refused and no redirect
  followed: the session of ``net.tls`` (system trust store plus the gateway's CA, the
  system's proxies), shared with the remote signing client.
- Every call has a (connect, read) timeout.
- Retries, with exponential backoff and full jitter, on connection errors, timeouts, 5xx
  and 429 (waiting at least its Retry-After), only for requests that are safe to repeat:
  the submission, which carries its idempotency key, and GETs. A login is never repeated
  behind the officer's back.
- Answers are read up to a size cap, must be JSON of the documented shape, and are
  checked before anything of them is used. A 401 on an authenticated call logs in once
  more with the same method (the session token lives in this object only).
"""

from __future__ import annotations

import email.utils
import gzip
import json
import logging
import random
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
from cryptography.hazmat.primitives.serialization import Encoding

from .. import __version__
from ..net.tls import NO_REDIRECTS, load_ca_pem, normalise_url, tls_context, verified_session
from ..signing.signer import Signer
from . import errors as E
from . import protocol as P

__all__ = ["GatewayClient", "RetryPolicy", "Timeouts", "load_ca_pem", "normalise_url",
           "parse_retry_after", "tls_context"]

log = logging.getLogger("ibhxh.gateway")

KIB, MIB = 1024, 1024 * 1024
SMALL_ANSWER = 1 * MIB  # login, state, errors
RECEIPT_ANSWER = 32 * MIB  # lists every form: one TK1-TS per new worker
RESULT_ANSWER = 64 * MIB  # a rejection may give a reason for each of 50,000 rows
GZIP_FROM = 64 * KIB  # request bodies above this are sent gzip-compressed


# --------------------------------------------------------------------------- settings

@dataclass(frozen=True)
class Timeouts:
    """Seconds to connect, and to wait for each read of an answer (the submission gets
    longer: the gateway checks every signature before it answers)."""

    connect: float = 10.0
    read: float = 30.0
    submit_read: float = 300.0


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry a call that is safe to repeat.

    Attempt n (from 1) that failed waits a random time in [0, min(cap, base·2^(n-1))]
    ("full jitter", so many clients that failed together do not return together), and
    at least the Retry-After the gateway gave. A Retry-After longer than
    ``max_retry_after`` ends the call: the dossier waits in the outbox instead.
    """

    attempts: int = 4
    base: float = 0.5
    cap: float = 8.0
    max_retry_after: float = 30.0

    def delay(self, attempt: int, retry_after: float | None = None,
              rng: random.Random | None = None) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``; None: do not retry."""
        if attempt >= self.attempts:
            return None
        if retry_after is not None and retry_after > self.max_retry_after:
            return None
        jitter = (rng or random).uniform(0, min(self.cap, self.base * 2 ** (attempt - 1)))
        return max(jitter, retry_after or 0.0)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


# --------------------------------------------------------------------------- client

class GatewayClient:
    """One gateway at ``url``; not shared between threads (one per worker)."""

    def __init__(self, url: str, *, ca_pem: str | None = None,
                 timeouts: Timeouts | None = None, retry: RetryPolicy | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 rng: random.Random | None = None) -> None:
        self.url = normalise_url(url)
        self.timeouts = timeouts or Timeouts()
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._session = verified_session(tls_context(ca_pem))
        self._session.headers.update({"User-Agent": f"ibhxh-client/{__version__}",
                                      "Accept": P.JSON_TYPE, P.VERSION_HEADER: P.VERSION})
        self._token: str | None = None
        self._login: Callable[[], P.Session] | None = None
        self.session_info: P.Session | None = None
        self.requests_sent = 0  # every HTTP request, retries included
        self.bytes_sent = 0  # request bodies as sent (after compression)
        self.bytes_received = 0  # answer bodies as received (after decompression)

    def close(self) -> None:
        self._session.close()
        self._token = None

    def __enter__(self) -> GatewayClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the calls -------------------------------------------------------------------

    def info(self) -> P.Info:
        """Who answers; raises bad_answer when it does not speak protocol version 1."""
        info = P.Info.from_json(self._call("GET", P.INFO, auth=False))
        if info.protocol != P.PROTOCOL or P.VERSION not in info.versions:
            raise E.GatewayError(E.BAD_ANSWER, E.ANSWER_KIND,
                                 detail=f"protocol {info.protocol} {info.versions}")
        return info

    def use_password(self, unit_code: str, password: str) -> None:
        """Log in with a trial unit's password at the first call that needs a session (and
        again the same way after a 401)."""
        def login() -> P.Session:
            body = P.PasswordLogin(unit_code=unit_code, password=password).to_json()
            return P.Session.from_json(self._call("POST", P.LOGIN_PASSWORD, body=body,
                                                  auth=False))
        self._login, self._token = login, None

    def use_certificate(self, unit_code: str, signer: Signer) -> None:
        """Log in by certificate (the gateway's nonce signed by ``signer``, the unit's
        token) at the first call that needs a session, and again after a 401."""
        def login() -> P.Session:
            challenge = P.Challenge.from_json(self._call(
                "POST", P.CHALLENGE, body=P.ChallengeRequest(unit_code).to_json(),
                auth=False))
            signature = signer.sign(P.login_message(unit_code, challenge.nonce))
            body = P.CertificateLogin(
                challenge_id=challenge.challenge_id, unit_code=unit_code,
                certificate=P.b64encode(signer.certificate.public_bytes(Encoding.DER)),
                signature=P.b64encode(signature)).to_json()
            return P.Session.from_json(self._call("POST", P.LOGIN_CERTIFICATE, body=body,
                                                  auth=False))
        self._login, self._token = login, None

    def login(self) -> P.Session:
        """Log in now with the method set by ``use_password`` or ``use_certificate``."""
        if self._login is None:
            raise RuntimeError("no login method set")
        return self._start(self._login)

    def login_password(self, unit_code: str, password: str) -> P.Session:
        """``use_password`` and log in now."""
        self.use_password(unit_code, password)
        return self.login()

    def login_certificate(self, unit_code: str, signer: Signer) -> P.Session:
        """``use_certificate`` and log in now."""
        self.use_certificate(unit_code, signer)
        return self.login()

    def _start(self, login: Callable[[], P.Session]) -> P.Session:
        session = login()
        self._login = login
        self._token = session.token
        self.session_info = session
        return session

    def submit(self, envelope: bytes, idempotency_key: str, sha256: str) -> P.Receipt:
        """Hand in a signed envelope. The same key again returns the first answer."""
        if not P.IDEMPOTENCY_KEY.fullmatch(idempotency_key):
            raise ValueError("bad idempotency key")
        body = P.Submission(envelope=P.b64encode(envelope), sha256=sha256).to_json()
        data = self._call("POST", P.DOSSIERS, body=body, idempotency_key=idempotency_key,
                          limit=RECEIPT_ANSWER, read_timeout=self.timeouts.submit_read)
        return P.Receipt.from_json(data)

    def state(self, number: str) -> P.State:
        """Where dossier ``number`` stands."""
        return P.State.from_json(self._call("GET", P.dossier_path(number)))

    def result(self, number: str) -> P.Result:
        """The signed result notice of a processed dossier."""
        return P.Result.from_json(self._call("GET", P.result_path(number),
                                             limit=RESULT_ANSWER))

    def register(self, request: P.RegistrationRequest, idempotency_key: str, *,
                 auth: bool = False) -> P.Registration:
        """Hand in a registration file (04_DK-IVAN, 05_SD-IVAN, 06_NG-IVAN). The same key
        again returns the first answer, so a retry is safe. ``auth``: within a session (a
        unit without a certificate changes or stops its registration after logging in
        with its trial password); a signed file needs none, its signature vouches for it."""
        if not P.IDEMPOTENCY_KEY.fullmatch(idempotency_key):
            raise ValueError("bad idempotency key")
        data = self._call("POST", P.REGISTRATIONS, body=request.to_json(), auth=auth,
                          idempotency_key=idempotency_key)
        return P.Registration.from_json(data)

    # -- the machinery ---------------------------------------------------------------

    def _call(self, method: str, path: str, *, body: dict[str, Any] | None = None,
              auth: bool = True, idempotency_key: str | None = None,
              limit: int = SMALL_ANSWER, read_timeout: float | None = None) -> dict[str, Any]:
        """One protocol call with the retry policy; the decoded JSON object."""
        repeatable = idempotency_key is not None or method == "GET"
        payload, headers = _encode(body)
        if idempotency_key:
            headers[P.IDEMPOTENCY_HEADER] = idempotency_key
        relogged = False
        attempt = 0
        while True:
            attempt += 1
            if auth:
                if self._token is None:
                    if self._login is None:
                        raise E.GatewayError(P.ErrorCode.UNAUTHORIZED, E.REFUSED_KIND)
                    self._start(self._login)
                headers["Authorization"] = f"Bearer {self._token}"
            try:
                return self._once(method, path, payload, headers, limit,
                                  read_timeout or self.timeouts.read)
            except E.GatewayError as exc:
                if exc.code == P.ErrorCode.UNAUTHORIZED and auth and self._login \
                        and not relogged:
                    relogged = True
                    self._token = None
                    attempt -= 1  # a new session is not a retry of the request
                    continue
                wait = self.retry.delay(attempt, exc.retry_after, self._rng) \
                    if repeatable and exc.retryable else None
                if wait is None:
                    raise
                log.info("gateway %s %s: %s; retry %d in %.2fs", method, path, exc.code,
                         attempt, wait)
                self._sleep(wait)

    def _once(self, method: str, path: str, payload: bytes | None, headers: dict[str, str],
              limit: int, read_timeout: float) -> dict[str, Any]:
        url = self.url + path
        self.requests_sent += 1
        self.bytes_sent += len(payload or b"")
        try:
            resp = self._session.request(method, url, data=payload, headers=headers,
                                         timeout=(self.timeouts.connect, read_timeout),
                                         stream=True, **NO_REDIRECTS)
            try:
                raw = _read_capped(resp, limit)
            finally:
                resp.close()
            self.bytes_received += len(raw)
        except requests.exceptions.SSLError as exc:
            raise E.GatewayError(E.TLS, E.ANSWER_KIND, url=self.url,
                                 detail=_short(exc)) from None
        except (requests.exceptions.ConnectTimeout, requests.exceptions.ReadTimeout):
            raise E.GatewayError(E.TIMEOUT, E.NETWORK_KIND, url=self.url) from None
        except (requests.exceptions.ConnectionError,
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError) as exc:
            raise E.GatewayError(E.NETWORK, E.NETWORK_KIND, url=self.url,
                                 detail=_short(exc)) from None
        return _decode(resp, raw)


def _encode(body: dict[str, Any] | None) -> tuple[bytes | None, dict[str, str]]:
    if body is None:
        return None, {}
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = {"Content-Type": f"{P.JSON_TYPE}; charset=utf-8"}
    if len(data) > GZIP_FROM:
        data = gzip.compress(data, compresslevel=1, mtime=0)
        headers["Content-Encoding"] = "gzip"
    return data, headers


def _read_capped(resp: requests.Response, limit: int) -> bytes:
    declared = resp.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise E.GatewayError(E.ANSWER_TOO_LARGE, E.ANSWER_KIND, limit=limit)
    chunks, total = [], 0
    for chunk in resp.iter_content(64 * KIB):
        total += len(chunk)
        if total > limit:
            raise E.GatewayError(E.ANSWER_TOO_LARGE, E.ANSWER_KIND, limit=limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _decode(resp: requests.Response, raw: bytes) -> dict[str, Any]:
    """The answer's JSON object, or GatewayError for an error status or a broken answer."""
    status = resp.status_code
    ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
    obj: Any = None
    problem = ""
    if ctype != P.JSON_TYPE:
        problem = f"Content-Type {ctype or '-'}"
    else:
        try:
            obj = json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            problem = f"JSON: {type(exc).__name__}"
        else:
            if not isinstance(obj, dict):
                problem, obj = "JSON: not an object", None
    if 200 <= status < 300:
        if obj is None:
            raise E.GatewayError(E.BAD_ANSWER, E.ANSWER_KIND, detail=problem)
        return obj
    retry_after = parse_retry_after(resp.headers.get("Retry-After"))
    error = None
    if obj is not None and "error" in obj:
        try:
            error = P.Error.from_json(obj["error"])
        except P.ProtocolError:
            error = None
    if retry_after is None and error is not None and error.retry_after is not None:
        retry_after = float(max(0, error.retry_after))
    transient = status == 429 or status >= 500
    kind = E.NETWORK_KIND if transient else E.REFUSED_KIND
    if error is not None and error.code in set(P.ErrorCode):
        wait = round(retry_after) if retry_after is not None else None
        raise E.GatewayError(error.code, kind, status=status, server_message=error.message[:300],
                             details=error.details[:200], retry_after=retry_after, wait=wait)
    raise E.GatewayError(E.HTTP_STATUS, kind, status=status, retry_after=retry_after)


def _causes(exc: BaseException, depth: int = 0) -> list[BaseException]:
    """The exception and what it wraps (requests → urllib3 → ssl/socket), outermost first."""
    if depth > 8:
        return [exc]
    out = [exc]
    inner: list[Any] = [getattr(exc, "reason", None), exc.__cause__, exc.__context__,
                        *[a for a in exc.args if isinstance(a, BaseException)]]
    for item in inner:
        if isinstance(item, BaseException) and item is not exc:
            out += _causes(item, depth + 1)
            break
    return out


def _short(exc: BaseException) -> str:
    """The innermost reason of a requests/urllib3 exception, short enough for a message:
    what certificate check failed, or the socket's error."""
    chain = _causes(exc)
    for item in chain:
        if isinstance(item, ssl.SSLCertVerificationError):
            return (item.verify_message or str(item)).rstrip(".")[:200]
    last = chain[-1]
    text = str(last) or type(last).__name__
    return text.rsplit("): ", 1)[-1].rstrip(".")[:200]
