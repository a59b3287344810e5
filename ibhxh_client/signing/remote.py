"""Remote signing services (VNPT SmartCA, Nacencomm CA2, Viettel MySign, the training
service): the providers as data, and the client of their common ``sp-json`` shape.

The providers live in ``resources/remote_signing/providers.toml`` (docs/remote-signing.md
is the evidence behind each value); ``load_providers`` reads and checks it, naming the
provider and key of any wrong value. Two shapes are implemented: ``sp-json`` here and
``vtss`` (Viettel MySign, ``remote_vtss``); ``Provider.supported`` is true only for
those; the others are listed so that support staff recognise them. ``open_client``
gives the client of a provider's shape.

``RemoteClient`` speaks one ``sp-json`` account's calls over ``requests``; what every
client does (``ServiceClient``):

- TLS is always verified: the system trust store (truststore), plus the account's
  ``ca_file`` for the training service; plain ``http://`` is refused.
- Redirects are never followed (a 3xx is an error naming the host and the target).
- Every call has a (connect, read) timeout; answers are streamed and cut at the
  provider's ``max_answer_bytes``; their JSON shape is checked before anything is used.
- ``sp_password`` and the digests are never logged; errors carry the host, never a body.

What the services sign is the raw SHA-256 digest of a canonical SignedInfo, sent as the
provider says (lowercase hex or base64); a value comes back as base64 of a raw RSA
PKCS#1 v1.5 signature. Checking it against the certificate and the digest is the
caller's (``remote_steps.advance``), as is checking the certificate's unit.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import logging
import re
import tomllib
import uuid
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from cryptography import x509

from ibhxh_client.net.tls import NO_REDIRECTS, tls_context, verified_session
from ibhxh_client.signing import errors as E
from ibhxh_client.signing.messages import Msg, Named

log = logging.getLogger("ibhxh.remote")

PROVIDERS_FILE = (Path(__file__).resolve().parents[2] / "resources" / "remote_signing"
                  / "providers.toml")
IMPLEMENTED_SHAPES = ("sp-json", "vtss")
DIGEST_ENCODINGS = ("hex_lower", "base64")
STATES = ("pending", "signed", "rejected", "expired", "failed", "quota",
          "account_invalid", "certificate_invalid")
HTTP_OUTCOMES = ("failed", "account_invalid", "certificate_invalid", "quota")
VIETNAM_TZ = dt.timezone(dt.timedelta(hours=7))
CONNECT_TIMEOUT, READ_TIMEOUT = 10.0, 60.0
_CHUNK = 64 * 1024
SANDBOX_URL = "{sandbox_url}"  # in the training service's base_url


# --------------------------------------------------------------------------- providers

@dataclass(frozen=True)
class Provider:
    """One remote signing service as providers.toml describes it.

    ``supported``: the program can sign with it (listed as supported and of a shape the
    program implements). ``states``: the service's words (``message`` or codes), upper-
    cased, to ours. ``http_errors``: an HTTP status to what it means.
    """

    key: str
    name_vi: str
    name_en: str
    supported: bool
    api_shape: str
    base_url: str
    training: bool = False
    reason: str = ""
    user_id_hint_vi: str = ""
    user_id_hint_en: str = ""
    digest_encoding: str = "hex_lower"
    file_type: str = "xml"
    sign_type: str = "hash"
    time_stamp_format: str = "%Y%m%d%H%M%SZ"
    status_call: str = "path"
    status_body: tuple[str, ...] = ("sp_id", "sp_password")
    pending_signal: str = "message"
    failed_signature_value: str | None = None
    serial_compare: str = "casefold"
    poll_interval_seconds: int = 3
    expiry_seconds: int = 300
    max_files_per_request: int = 0
    max_answer_bytes: int = 16 * 1024 * 1024
    paths: Mapping[str, str] = field(default_factory=dict)
    states: Mapping[str, str] = field(default_factory=dict)
    http_errors: Mapping[int, str] = field(default_factory=dict)
    # vtss (Viettel MySign) only
    profile_id: str = ""
    hash_algo_oid: str = ""
    sign_algo_oid: str = ""
    names_max_base64_chars: int = 99
    async_mode: int = 2
    token_lifetime_seconds: int = 3600

    @property
    def assigns_ids(self) -> bool:
        """Whether the service names a transaction itself (MySign): a request whose
        answer was lost cannot be asked about by the id the program chose."""
        return self.api_shape == "vtss"

    def name(self, lang: str = "vi") -> str:
        """The provider's name in ``lang``."""
        return self.name_en if lang == "en" else self.name_vi

    def user_id_hint(self, lang: str = "vi") -> str:
        """What the service calls the signer's user id, in ``lang`` ("" when unknown)."""
        return (self.user_id_hint_en or self.user_id_hint_vi) if lang == "en" \
            else self.user_id_hint_vi

    @property
    def named(self) -> Named:
        """The display name in each language, as a message parameter."""
        return Named(self.name_vi, self.name_en)

    def encode_digest(self, digest: bytes) -> str:
        """The 32 digest bytes as this service wants them (lowercase hex or base64)."""
        if self.digest_encoding == "hex_lower":
            return digest.hex()
        return base64.b64encode(digest).decode("ascii")


def _invalid(key: str, name: str, problem: str, **params: object) -> E.ProviderError:
    return E.ProviderError(E.PROVIDER_INVALID, provider=key, setting=name,
                           problem=Msg(problem, **params))


class _Reader:
    """Typed reads of one provider table, each refusal naming the provider and key."""

    def __init__(self, key: str, table: Mapping[str, Any]) -> None:
        self.key, self.table = key, table

    def get(self, name: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if name not in self.table:
            if default is ...:
                raise _invalid(self.key, name, "provider.missing")
            return default
        value = self.table[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise _invalid(self.key, name, "provider.type", value=value)
        return value

    def choice(self, name: str, allowed: tuple[str, ...], default: Any = ...) -> Any:
        value = self.get(name, str, default)
        if value is not default and value not in allowed:
            raise _invalid(self.key, name, "provider.value", value=value)
        return value

    def count(self, name: str, *, minimum: int, default: Any = ...) -> int:
        value = self.get(name, int, default)
        if value < minimum:
            raise _invalid(self.key, name, "provider.value", value=value)
        return value


def _string_table(reader: _Reader, name: str, allowed: tuple[str, ...] | None
                  ) -> dict[str, str]:
    table = reader.get(name, dict, {})
    out: dict[str, str] = {}
    for word, meaning in table.items():
        if not isinstance(meaning, str) or (allowed and meaning not in allowed):
            raise _invalid(reader.key, f"{name}.{word}", "provider.value", value=meaning)
        out[str(word).upper() if allowed else str(word)] = meaning
    return out


def _http_table(reader: _Reader) -> dict[int, str]:
    out: dict[int, str] = {}
    for code, meaning in _string_table(reader, "http_errors", HTTP_OUTCOMES).items():
        if not code.isdigit() or not 400 <= int(code) <= 599:
            raise _invalid(reader.key, f"http_errors.{code}", "provider.value", value=code)
        out[int(code)] = meaning
    return out


def _check_url(reader: _Reader, url: str, training: bool) -> None:
    if training and url.startswith(SANDBOX_URL):
        return  # the running sandbox's https address, filled in at run time
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise _invalid(reader.key, "base_url", "provider.https", value=url)


def _sp_json(reader: _Reader) -> dict[str, Any]:
    """The fields an ``sp-json`` provider must have, checked."""
    paths = _string_table(reader, "paths", None)
    for name in ("get_certificate", "sign", "status"):
        if not paths.get(name, "").startswith("/"):
            raise _invalid(reader.key, f"paths.{name}", "provider.missing")
    status_call = reader.choice("status_call", ("path", "body"))
    if status_call == "path" and "{transaction_id}" not in paths["status"]:
        raise _invalid(reader.key, "paths.status", "provider.value", value=paths["status"])
    body = reader.get("status_body", list)
    if not body or any(item not in ("sp_id", "sp_password", "user_id", "transaction_id")
                       for item in body):
        raise _invalid(reader.key, "status_body", "provider.value", value=body)
    failed = reader.get("failed_signature_value", str, None)
    return {
        **_pace(reader, paths),
        "digest_encoding": reader.choice("digest_encoding", DIGEST_ENCODINGS),
        "file_type": reader.get("file_type", str),
        "sign_type": reader.choice("sign_type", ("hash",)),
        "time_stamp_format": reader.get("time_stamp_format", str),
        "status_call": status_call,
        "status_body": tuple(body),
        "pending_signal": reader.choice("pending_signal",
                                        ("message", "empty_signature_value")),
        "failed_signature_value": failed,
        "serial_compare": reader.choice("serial_compare", ("casefold", "hex_digits_upper"),
                                        "casefold"),
    }


def _pace(reader: _Reader, paths: dict[str, str]) -> dict[str, Any]:
    """What every implemented shape has: the signature form, the program's pace and
    limits, the paths, the states and the HTTP meanings."""
    for name in ("signature_form", "digest_algorithm"):
        wanted = {"signature_form": "pkcs1_v15_base64", "digest_algorithm": "sha256"}[name]
        if reader.get(name, str) != wanted:
            raise _invalid(reader.key, name, "provider.value", value=reader.table[name])
    return {
        "poll_interval_seconds": reader.count("poll_interval_seconds", minimum=1),
        "expiry_seconds": reader.count("expiry_seconds", minimum=1),
        "max_files_per_request": reader.count("max_files_per_request", minimum=0),
        "max_answer_bytes": reader.count("max_answer_bytes", minimum=1024),
        "paths": paths,
        "states": _string_table(reader, "states", STATES),
        "http_errors": _http_table(reader),
    }


def _vtss(reader: _Reader) -> dict[str, Any]:
    """The fields a ``vtss`` provider (Viettel MySign) must have, checked."""
    paths = _string_table(reader, "paths", None)
    for name in ("login", "certificates", "sign", "status"):
        if not paths.get(name, "").startswith("/"):
            raise _invalid(reader.key, f"paths.{name}", "provider.missing")
    return {
        **_pace(reader, paths),
        "digest_encoding": reader.choice("digest_encoding", ("base64",)),
        "profile_id": reader.get("profile_id_default", str),
        "hash_algo_oid": reader.get("hash_algo_oid", str),
        "sign_algo_oid": reader.get("sign_algo_oid", str),
        "names_max_base64_chars": reader.count("names_max_base64_chars", minimum=16),
        "async_mode": reader.count("async_mode", minimum=1),
        "token_lifetime_seconds": reader.count("token_lifetime_seconds", minimum=60),
    }


def _provider(key: str, table: Any) -> Provider:
    if not isinstance(table, dict):
        raise _invalid(key, key, "provider.type", value=type(table).__name__)
    reader = _Reader(key, table)
    listed = reader.get("supported", bool)
    shape = reader.get("api_shape", str)
    common = {"key": key, "name_vi": reader.get("name_vi", str),
              "name_en": reader.get("name_en", str), "api_shape": shape,
              "base_url": reader.get("base_url", str),
              "training": reader.get("training", bool, False),
              "reason": reader.get("reason", str, ""),
              "user_id_hint_vi": reader.get("user_id_hint", str, ""),
              "user_id_hint_en": reader.get("user_id_hint_en", str, "")}
    if not (listed and shape in IMPLEMENTED_SHAPES):
        return Provider(supported=False, **common)
    _check_url(reader, common["base_url"], common["training"])
    fields = _vtss(reader) if shape == "vtss" else _sp_json(reader)
    return Provider(supported=True, **common, **fields)


def load_providers(path: Path | str | None = None) -> dict[str, Provider]:
    """Every provider of providers.toml (or ``path``), by key, checked: a wrong or missing
    value raises ProviderError naming the provider and the key."""
    source = Path(path) if path is not None else PROVIDERS_FILE
    try:
        data = tomllib.loads(source.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise E.ProviderError(E.PROVIDER_INVALID, provider=source.name, setting="-",
                              problem=Msg("provider.file", error=type(exc).__name__),
                              detail=str(exc)[:200]) from None
    tables = data.get("provider")
    if not isinstance(tables, dict) or not tables:
        raise _invalid(source.name, "provider", "provider.missing")
    return {key: _provider(key, table) for key, table in tables.items()}


def get_provider(key: str, providers: Mapping[str, Provider] | None = None) -> Provider:
    """The provider ``key`` (ProviderError provider_unknown when there is none)."""
    known = providers if providers is not None else load_providers()
    if key not in known:
        raise E.ProviderError(E.PROVIDER_UNKNOWN, provider=key,
                              known=", ".join(sorted(known)))
    return known[key]


# --------------------------------------------------------------------------- data

@dataclass(frozen=True)
class RemoteAccount:
    """A unit's account at a service: ``user_id`` (tax code or CCCD), the certificate's
    ``serial``, the integrator's ``sp_id``/``sp_password``; ``ca_file`` adds a trusted
    CA for TLS (the training service's)."""

    provider: str
    base_url: str
    user_id: str
    serial: str
    sp_id: str
    sp_password: str = field(repr=False)
    ca_file: str | None = None


@dataclass(frozen=True)
class RemoteCertificate:
    """A certificate the service holds for the account, with the chain it gave."""

    serial: str
    certificate: x509.Certificate
    chain: list[x509.Certificate]
    credential_id: str = ""  # the service's own name for it (MySign signs by it)


@dataclass(frozen=True)
class Started:
    """A request the service took: the seconds until it expires when it says, and the
    transaction id it gave when it names transactions itself (MySign; else None: the
    program's own id)."""

    expires_in: int | None
    reference: str | None = None


@dataclass(frozen=True)
class TransactionStatus:
    """A transaction's state ("pending", "signed", "rejected", "expired"), the values by
    doc_id when signed (raw bytes), and the seconds left when the service says."""

    state: str
    values: dict[str, bytes]
    expires_in: int | None


def same_serial(provider: Provider, a: str, b: str) -> bool:
    """Whether two serial numbers name the same certificate, compared as the provider
    needs (CA2: hex digits only, upper-cased)."""
    if provider.serial_compare == "hex_digits_upper":
        def norm(text: str) -> str:
            return re.sub(r"[^0-9A-Fa-f]", "", text).upper().lstrip("0")
    else:
        def norm(text: str) -> str:
            return text.strip().casefold()
    return norm(a) == norm(b) and norm(a) != ""


# --------------------------------------------------------------------------- the client

class ServiceClient(ABC):
    """What every remote signing client does: TLS, redirects refused, answers capped and
    parsed, the certificate chosen by serial, refusals worded. Not shared between
    threads. A shape's client adds ``certificates``, ``start`` and ``status``."""

    def __init__(self, provider: Provider, account: RemoteAccount, *,
                 timeouts: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT)) -> None:
        if not provider.supported:
            raise E.RemoteSigningError(E.REMOTE_UNSUPPORTED, provider=provider.named)
        parts = urlsplit(account.base_url.strip())
        if parts.scheme != "https" or not parts.hostname or "{" in account.base_url:
            raise E.RemoteSigningError(E.REMOTE_TLS, host=account.base_url,
                                       detail="https")
        self.provider, self.account, self.timeouts = provider, account, timeouts
        self.base_url = account.base_url.strip().rstrip("/")
        self.host = parts.netloc
        try:
            ca_pem = Path(account.ca_file).read_text("ascii") if account.ca_file else None
            context = tls_context(ca_pem)
        except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
            raise E.RemoteSigningError(E.REMOTE_TLS, host=self.host,
                                       detail=f"ca_file: {type(exc).__name__}") from None
        self._session = verified_session(context)

    def close(self) -> None:
        """Close the connections."""
        self._session.close()

    @abstractmethod
    def certificates(self) -> list[RemoteCertificate]:
        """Every certificate the service holds for the account's user."""

    @abstractmethod
    def start(self, transaction_id: str, description: str,
              digests: Sequence[tuple[str, bytes]]) -> Started:
        """Ask for the signatures of ``digests`` (doc_id, SHA-256) in one request."""

    @abstractmethod
    def status(self, transaction_id: str, doc_ids: Sequence[str] = ()) -> TransactionStatus:
        """The request's state; when signed, every value by doc_id."""

    def certificate(self) -> RemoteCertificate:
        """The account's certificate, by its serial (remote_unknown_account when the
        service holds none with that serial)."""
        found = self.certificates()
        chosen = [c for c in found if same_serial(self.provider, c.serial,
                                                  self.account.serial)]
        if len(chosen) != 1:
            raise E.RemoteSigningError(
                E.REMOTE_UNKNOWN_ACCOUNT, key="remote_unknown_serial",
                provider=self.provider.named, serial=self.account.serial or "-",
                user_id=self.account.user_id, found=", ".join(c.serial for c in found))
        return chosen[0]

    def _check_digests(self, digests: Sequence[tuple[str, bytes]]) -> None:
        """Within the provider's count; 32-byte digests under distinct doc_ids."""
        limit = self.provider.max_files_per_request
        if limit and len(digests) > limit:
            raise E.RemoteSigningError(E.REMOTE_FAILED, key="remote_too_many",
                                       provider=self.provider.named, limit=limit,
                                       count=len(digests))
        if any(len(d) != 32 for _, d in digests) or \
                len({doc_id for doc_id, _ in digests}) != len(digests):
            raise ValueError("digests must be 32-byte SHA-256 values with distinct doc_ids")

    def _unknown_account(self) -> E.RemoteSigningError:
        return E.RemoteSigningError(E.REMOTE_UNKNOWN_ACCOUNT, provider=self.provider.named,
                                    user_id=self.account.user_id)

    def _bad(self, problem: str) -> E.RemoteSigningError:
        return E.RemoteSigningError(E.REMOTE_BAD_ANSWER, host=self.host, problem=problem)

    def _final(self, state: str) -> str:
        """A state that ends a poll (pending, signed, rejected, expired), or its refusal."""
        if state in ("pending", "signed", "rejected", "expired"):
            return state
        raise self._outcome(state, "-")

    def _outcome(self, meaning: str, status: object,
                 transaction_id: str | None = None) -> E.RemoteSigningError:
        name = self.provider.named
        if meaning == "account_invalid":
            return E.RemoteSigningError(E.REMOTE_CREDENTIALS, provider=name)
        if meaning == "certificate_invalid":
            return E.RemoteSigningError(E.REMOTE_CERTIFICATE, provider=name)
        if meaning == "quota":
            return E.RemoteSigningError(E.REMOTE_QUOTA, provider=name)
        if meaning == "used":
            return E.RemoteSigningError(E.REMOTE_TRANSACTION_USED,
                                        transaction=transaction_id or "-")
        return E.RemoteSigningError(E.REMOTE_FAILED, host=self.host, status=status)

    # -- HTTP --------------------------------------------------------------------------

    def _exchange(self, path: str, body: dict[str, Any],
                  headers: Mapping[str, str] | None = None) -> tuple[int, Any]:
        """One POST of ``body`` as JSON: the HTTP status and the answer's JSON (None when
        empty). Refused: TLS trouble, a redirect, an answer over the cap, not JSON."""
        url = self.base_url + path
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        try:
            resp = self._session.post(url, data=payload, timeout=self.timeouts,
                                      headers={"Content-Type": "application/json",
                                               **(headers or {})},
                                      stream=True, **NO_REDIRECTS)
            try:
                raw = self._read(resp)
            finally:
                resp.close()
        except requests.exceptions.SSLError as exc:
            raise E.RemoteSigningError(E.REMOTE_TLS, host=self.host,
                                       detail=type(exc).__name__) from None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                requests.exceptions.ChunkedEncodingError) as exc:
            raise E.RemoteSigningError(E.REMOTE_UNREACHABLE, host=self.host,
                                       detail=type(exc).__name__) from None
        # The path only: it carries the transaction id, never a credential or a digest.
        log.debug("remote %s %s: HTTP %d, %d bytes", self.provider.key, path,
                  resp.status_code, len(raw))
        if 300 <= resp.status_code < 400:
            target = urlsplit(resp.headers.get("Location", "")).netloc or "-"
            raise E.RemoteSigningError(E.REMOTE_REDIRECT, host=self.host, target=target)
        if not raw.strip():
            return resp.status_code, None
        try:
            return resp.status_code, json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise self._bad("JSON") from None

    def _read(self, resp: requests.Response) -> bytes:
        limit = self.provider.max_answer_bytes
        declared = resp.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise E.RemoteSigningError(E.REMOTE_TOO_LARGE, host=self.host, limit=limit)
        chunks, total = [], 0
        for chunk in resp.iter_content(_CHUNK):
            total += len(chunk)
            if total > limit:
                raise E.RemoteSigningError(E.REMOTE_TOO_LARGE, host=self.host, limit=limit)
            chunks.append(chunk)
        return b"".join(chunks)


class RemoteClient(ServiceClient):
    """One account at one ``sp-json`` service (SmartCA SP769, CA2, the training one)."""

    # -- the calls ----------------------------------------------------------------------

    def certificates(self) -> list[RemoteCertificate]:
        """Every certificate the service holds for the account's user_id."""
        body = {"sp_id": self.account.sp_id, "sp_password": self.account.sp_password,
                "user_id": self.account.user_id, "serial_number": "",
                "transaction_id": str(uuid.uuid4())}
        data = self._data(self._post(self.provider.paths["get_certificate"], body))
        items = data.get("user_certificates")
        if not isinstance(items, list):
            raise self._bad("user_certificates")
        if not items:
            raise self._unknown_account()
        return [self._certificate(item) for item in items]

    def start(self, transaction_id: str, description: str,
              digests: Sequence[tuple[str, bytes]]) -> Started:
        """Ask for the signatures of ``digests`` (doc_id, SHA-256) in one transaction;
        the seconds until it expires when the service says. The same transaction sent
        again with other files is refused (remote_transaction_used)."""
        self._check_digests(digests)
        files = [{"doc_id": doc_id, "file_type": self.provider.file_type,
                  "sign_type": self.provider.sign_type,
                  "data_to_be_signed": self.provider.encode_digest(digest)}
                 for doc_id, digest in digests]
        body = {"sp_id": self.account.sp_id, "sp_password": self.account.sp_password,
                "user_id": self.account.user_id, "transaction_id": transaction_id,
                "transaction_desc": description, "serial_number": self.account.serial,
                "time_stamp": self._time_stamp(), "sign_files": files}
        answer = self._post(self.provider.paths["sign"], body,
                            transaction_id=transaction_id)
        data = answer.get("data")
        expired_in = data.get("expired_in") if isinstance(data, dict) else None
        return Started(_seconds(expired_in))

    def status(self, transaction_id: str, doc_ids: Sequence[str] = ()) -> TransactionStatus:
        """The transaction's state; when signed, every value by doc_id (base64 decoded,
        a doc_id twice refused). A failed, quota or certificate outcome raises.
        ``doc_ids`` (the files sent, in order) is not needed: the answer names them."""
        fields = {"sp_id": self.account.sp_id, "sp_password": self.account.sp_password,
                  "user_id": self.account.user_id, "transaction_id": transaction_id}
        body = {name: fields[name] for name in self.provider.status_body}
        path = self.provider.paths["status"]
        if self.provider.status_call == "path":
            path = path.replace("{transaction_id}", quote(transaction_id, safe=""))
        answer = self._post(path, body, transaction_id=transaction_id)
        data = answer.get("data")
        if data is not None and not isinstance(data, dict):
            raise self._bad("data")
        data = data or {}
        expires_in = _seconds(data.get("expired_in"))
        signatures = data.get("signatures")
        if signatures is not None and not isinstance(signatures, list):
            raise self._bad("signatures")
        if self.provider.pending_signal == "message":
            state = self._state_of_message(answer.get("message"), signatures)
        else:
            state = self._state_of_values(answer, signatures)
        if state != "signed":
            return TransactionStatus(state, {}, expires_in)
        return TransactionStatus("signed", self._values(signatures or []), expires_in)

    # -- reading answers ---------------------------------------------------------------

    def _state_of_message(self, message: Any, signatures: list[Any] | None) -> str:
        if not isinstance(message, str):
            raise self._bad("message")
        state = self.provider.states.get(message.strip().upper())
        if state is None:
            raise self._bad(f"message {message[:40]}")
        if state == "signed" and not signatures:
            raise self._bad("signatures")
        return self._final(state)

    def _state_of_values(self, answer: Mapping[str, Any], signatures: list[Any] | None
                         ) -> str:
        code = str(answer.get("status_code", ""))
        if code in self.provider.states:
            return self._final(self.provider.states[code])
        if not signatures:
            return "pending"
        texts = [s.get("signature_value") if isinstance(s, dict) else None
                 for s in signatures]
        failed = self.provider.failed_signature_value
        if failed is not None and failed in texts:
            raise E.RemoteSigningError(E.REMOTE_FAILED, host=self.host, status=failed)
        return "pending" if any(t == "" or t is None for t in texts) else "signed"

    def _values(self, signatures: list[Any]) -> dict[str, bytes]:
        values: dict[str, bytes] = {}
        for item in signatures:
            if not isinstance(item, dict) or not isinstance(item.get("doc_id"), str) \
                    or not isinstance(item.get("signature_value"), str):
                raise self._bad("signatures")
            doc_id = item["doc_id"]
            if doc_id in values:
                raise E.RemoteSigningError(E.REMOTE_DOC_IDS, key="remote_duplicate_doc_id",
                                           doc_id=doc_id)
            values[doc_id] = strict_b64(item["signature_value"], self._bad)
        return values

    def _certificate(self, item: Any) -> RemoteCertificate:
        if not isinstance(item, dict) or not isinstance(item.get("cert_data"), str):
            raise self._bad("cert_data")
        cert = load_cert(item["cert_data"], self._bad)
        chain_data = item.get("chain_data") or {}
        if not isinstance(chain_data, dict):
            raise self._bad("chain_data")
        chain = [load_cert(chain_data[name], self._bad) for name in ("ca_cert", "root_cert")
                 if chain_data.get(name)]
        serial = item.get("serial_number")
        if not isinstance(serial, str) or not serial.strip():
            serial = f"{cert.serial_number:x}"
        return RemoteCertificate(serial.strip(), cert, chain)

    def _data(self, answer: Mapping[str, Any]) -> dict[str, Any]:
        data = answer.get("data")
        if not isinstance(data, dict):
            raise self._bad("data")
        return data

    def _time_stamp(self) -> str:
        fmt = self.provider.time_stamp_format
        now = dt.datetime.now(dt.UTC if fmt.endswith("Z") else VIETNAM_TZ)
        return now.strftime(fmt)

    def _post(self, path: str, body: dict[str, Any], *,
              transaction_id: str | None = None) -> dict[str, Any]:
        """One POST; the answer's JSON object when its HTTP and body status are 200."""
        status, answer = self._exchange(path, body)
        if answer is None:
            answer = {}
        if not isinstance(answer, dict):
            raise self._bad("JSON")
        if status == 409:
            raise self._outcome("used", 409, transaction_id)
        if status != 200:
            meaning = self.provider.http_errors.get(status, "failed")
            raise self._outcome(meaning, status, transaction_id)
        code = answer.get("status_code")
        if code not in (200, "200") and not (self.provider.pending_signal
                                              == "empty_signature_value"
                                              and str(code) in self.provider.states):
            meaning = self.provider.http_errors.get(_int(code), "failed")
            raise self._outcome(meaning, code, transaction_id)
        return answer


def open_client(provider: Provider, account: RemoteAccount) -> ServiceClient:
    """The client of the provider's shape for the account (close it after use)."""
    if provider.api_shape == "vtss":
        from ibhxh_client.signing.remote_vtss import VtssClient

        return VtssClient(provider, account)
    return RemoteClient(provider, account)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _seconds(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def strict_b64(text: str, bad: Any) -> bytes:
    """Base64 with whitespace removed (MySign wraps lines), canonical, not empty."""
    compact = "".join(text.split())
    try:
        raw = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise bad("base64") from None
    if not raw or base64.b64encode(raw).decode("ascii") != compact:
        raise bad("base64")
    return raw


def load_cert(text: Any, bad: Any) -> x509.Certificate:
    if not isinstance(text, str):
        raise bad("certificate")
    try:
        return x509.load_der_x509_certificate(strict_b64(text, bad))
    except ValueError:
        raise bad("certificate") from None
