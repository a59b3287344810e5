"""What can go wrong talking to a gateway, as one exception with a stable code.

``code`` is a client-side code (below) or one of ``protocol.ErrorCode`` when the gateway
itself refused; ``kind`` tells the caller what to do with the dossier:

- ``network``: the gateway was not reached or did not answer (connection refused or
  dropped, timeout, 5xx, 429): keep the dossier queued and try again later;
- ``answer``: an answer came but cannot be trusted (not JSON, too large, hostile XML, a
  receipt with a bad signature or for another dossier, a wrong TLS certificate): keep the
  dossier queued, write nothing from the answer, tell the officer;
- ``refused``: the gateway refused the request for good (envelope invalid, conflict,
  wrong password …): retrying the same thing will not help.
"""

from __future__ import annotations

from .messages import say
from .protocol import Detail

# Client-side codes.
NETWORK = "network"
TIMEOUT = "timeout"
TLS = "tls"
BAD_ANSWER = "bad_answer"
ANSWER_TOO_LARGE = "answer_too_large"
HOSTILE_XML = "hostile_xml"
RECEIPT_SIGNATURE = "receipt_signature"
RECEIPT_MISMATCH = "receipt_mismatch"
RESULT_SIGNATURE = "result_signature"
RESULT_MISMATCH = "result_mismatch"
HTTP_STATUS = "http_status"

NETWORK_KIND, ANSWER_KIND, REFUSED_KIND = "network", "answer", "refused"


class GatewayError(Exception):
    """A failed gateway call: ``code``, ``kind``, the HTTP status when there was one,
    the gateway's own message and details, and ``retry_after`` seconds when it said."""

    def __init__(self, code: str, kind: str, *, status: int | None = None,
                 server_message: str = "", details: list[Detail] | None = None,
                 retry_after: float | None = None, **params: object) -> None:
        self.code = code
        self.kind = kind
        self.status = status
        self.server_message = server_message
        self.details = details or []
        self.retry_after = retry_after
        self.params = params
        super().__init__(self.message("en"))

    @property
    def retryable(self) -> bool:
        """True when the same request may succeed later (network trouble, 5xx, 429)."""
        return self.kind == NETWORK_KIND

    def message(self, lang: str = "vi") -> str:
        """The sentence for the officer, with the gateway's own words when it gave any."""
        # A parameter may be a signing ``Msg`` (a signature verdict): said in ``lang`` too.
        params = {k: v.text(lang) if callable(getattr(v, "text", None)) else v
                  for k, v in self.params.items()}
        text = say(self.code, lang, status=self.status, **params)
        if self.server_message:
            text += f" ({self.server_message})"
        return text
