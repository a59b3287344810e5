"""Viettel MySign (Viettel-CA's remote signing, the ``vtss`` shape).

What differs from the ``sp-json`` services (docs/remote-signing.md §5; sources M1–M7):

- The integrator's ``client_id`` / ``client_secret`` (our account's ``sp_id`` /
  ``sp_password``) and a ``profile_id`` log the *user* in: ``/login`` gives a Bearer token
  for later calls. A token refused mid-way (HTTP 401) is renewed once.
- Certificates are listed with a ``credential_id``, and a request names the credential,
  not the serial.
- A request carries parallel arrays: ``documents[i]`` (``document_id``, and a
  ``document_name`` in base64 of UTF-8) pairs with ``hash[i]`` (base64 SHA-256); the
  description is base64 too, each under the provider's length limit.
- The service names the transaction (``transactionId``): the program's own id is never
  sent, so a request whose answer was lost cannot be asked about (``Provider.assigns_ids``;
  the caller gives it up and asks again).
- The status answer gives ``status`` as a numeric string and ``signatures`` as a plain
  list, in the order of ``hash``: the caller passes the doc_ids sent, in order, to pair
  them. A count that differs is refused; a value under the wrong doc_id fails the check
  against its digest later (``remote_steps.advance``).

Nothing here logs a secret, a token, a digest or a body (``ServiceClient._exchange``).
"""

from __future__ import annotations

import base64
import time
from collections.abc import Sequence
from typing import Any

from ibhxh_client.signing import errors as E
from ibhxh_client.signing.remote import (
    RemoteCertificate,
    ServiceClient,
    Started,
    TransactionStatus,
    load_cert,
    strict_b64,
)

# Login refusals MySign names by code (M1 §2.4): the user id unknown, the others the
# integrator's credentials.
_UNKNOWN_USER = {"58008"}
_CREDENTIALS = {"58007", "59033", "86024", "86002"}


def b64_name(text: str, limit: int) -> str:
    """``text`` as MySign wants a name: base64 of UTF-8, shortened (by characters, never
    inside one) until it fits in ``limit`` base64 characters."""
    while True:
        encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
        if len(encoded) <= limit or not text:
            return encoded
        text = text[:-1]


class VtssClient(ServiceClient):
    """One account at Viettel MySign."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._token: str | None = None
        self._token_until = 0.0
        self._chosen: RemoteCertificate | None = None

    # -- the calls ----------------------------------------------------------------------

    def certificates(self) -> list[RemoteCertificate]:
        """Every certificate of the user, each with its credential id."""
        body = {"client_id": self.account.sp_id, "client_secret": self.account.sp_password,
                "profile_id": self.provider.profile_id, "user_id": self.account.user_id,
                "certificates": "chain", "certInfo": True, "authInfo": True}
        items = self._call(self.provider.paths["certificates"], body)
        if not isinstance(items, list):
            raise self._bad("certificates")
        if not items:
            raise self._unknown_account()
        return [self._certificate(item) for item in items]

    def certificate(self) -> RemoteCertificate:
        """The account's certificate by its serial (kept: a request names it)."""
        self._chosen = super().certificate()
        return self._chosen

    def start(self, transaction_id: str, description: str,
              digests: Sequence[tuple[str, bytes]]) -> Started:
        """Ask for the signatures of ``digests`` in one request; the service's own
        transaction id comes back as ``Started.reference`` (``transaction_id``, the
        program's, stays with the program)."""
        self._check_digests(digests)
        chosen = self._chosen or self.certificate()
        limit = self.provider.names_max_base64_chars
        body = {"client_id": self.account.sp_id, "client_secret": self.account.sp_password,
                "credentialID": chosen.credential_id, "numSignatures": len(digests),
                "description": b64_name(description, limit),
                "documents": [{"document_id": doc_id,
                               "document_name": b64_name(doc_id, limit)}
                              for doc_id, _ in digests],
                "hash": [self.provider.encode_digest(d) for _, d in digests],
                "hashAlgo": self.provider.hash_algo_oid,
                "signAlgo": self.provider.sign_algo_oid,
                "async": self.provider.async_mode}
        answer = self._call(self.provider.paths["sign"], body)
        reference = answer.get("transactionId") if isinstance(answer, dict) else None
        if not isinstance(reference, str) or not reference.strip() or len(reference) > 200:
            raise self._bad("transactionId")
        return Started(None, reference.strip())

    def status(self, transaction_id: str, doc_ids: Sequence[str] = ()) -> TransactionStatus:
        """The request's state (``transaction_id`` is the service's); when signed, the
        values paired with ``doc_ids`` (the files sent, in the order sent)."""
        answer = self._call(self.provider.paths["status"], {"transactionId": transaction_id})
        if not isinstance(answer, dict):
            raise self._bad("status")
        code = str(answer.get("status", "")).strip()
        meaning = self.provider.states.get(code.upper())
        if meaning is None:
            raise self._bad(f"status {code[:20]}")
        state = self._final(meaning)
        if state != "signed":
            return TransactionStatus(state, {}, None)
        values = answer.get("signatures")
        if not isinstance(values, list) or not values or \
                not all(isinstance(v, str) for v in values):
            raise self._bad("signatures")
        if len(values) != len(doc_ids):
            sent = list(doc_ids)
            raise E.RemoteSigningError(E.REMOTE_DOC_IDS,
                                       missing=", ".join(sent[len(values):]) or "-",
                                       extra=str(max(0, len(values) - len(sent))))
        return TransactionStatus("signed", {d: strict_b64(v, self._bad)
                                            for d, v in zip(doc_ids, values, strict=True)},
                                 None)

    # -- answers -------------------------------------------------------------------------

    def _certificate(self, item: Any) -> RemoteCertificate:
        cert = item.get("cert") if isinstance(item, dict) else None
        if not isinstance(cert, dict) or not isinstance(item.get("credential_id"), str):
            raise self._bad("credential_id")
        chain = cert.get("certificates")
        if not isinstance(chain, list) or not chain:
            raise self._bad("certificates")
        certs = [load_cert(text, self._bad) for text in chain]  # the user's first
        serial = cert.get("serialNumber")
        if not isinstance(serial, str) or not serial.strip():
            serial = f"{certs[0].serial_number:x}"
        return RemoteCertificate(serial.strip(), certs[0], certs[1:],
                                 credential_id=item["credential_id"])

    # -- HTTP ----------------------------------------------------------------------------

    def _call(self, path: str, body: dict[str, Any]) -> Any:
        """A Bearer call; a token refused is renewed once. A refusal raises."""
        for attempt in (1, 2):
            token = self._login() if self._token is None or \
                time.monotonic() >= self._token_until else self._token
            status, answer = self._exchange(path, body,
                                            {"Authorization": f"Bearer {token}"})
            if status == 401 and attempt == 1:
                self._token = None
                continue
            if status != 200:
                raise self._refusal(status, answer)
            return answer
        raise AssertionError("unreachable")

    def _login(self) -> str:
        body = {"client_id": self.account.sp_id, "client_secret": self.account.sp_password,
                "profile_id": self.provider.profile_id, "user_id": self.account.user_id}
        status, answer = self._exchange(self.provider.paths["login"], body)
        if status != 200:
            raise self._refusal(status, answer, login=True)
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token.strip():
            raise self._bad("access_token")
        try:
            lifetime = int(answer.get("expires_in") or 0)
        except (TypeError, ValueError):
            lifetime = 0
        lifetime = lifetime if lifetime > 0 else self.provider.token_lifetime_seconds
        self._token = token.strip()
        self._token_until = time.monotonic() + max(30, lifetime - 60)
        return self._token

    def _refusal(self, status: int, answer: Any, login: bool = False
                 ) -> E.RemoteSigningError:
        error = str(answer.get("error", "")) if isinstance(answer, dict) else ""
        if error in _UNKNOWN_USER:
            return self._unknown_account()
        if error in _CREDENTIALS or (login and status in (400, 401, 403)):
            return self._outcome("account_invalid", status)
        meaning = self.provider.http_errors.get(status, "failed")
        return self._outcome(meaning, error or status)
