"""Errors of the signing library: a stable code, a PIN status, and a sentence in vi or en.

Every failure carries ``code`` (one of the constants below, stable for the CLI's JSON and
for tests), ``pin_status`` (the PIN story's status: LOCKED, INCORRECT, DEVICE_ERROR …) and
``message(lang)``. Technical detail (module path, original PKCS#11 error type) is kept in
``detail`` and appended in parentheses, so support staff can read it from a screenshot.
No error ever holds a PIN.
"""

from __future__ import annotations

from ibhxh_client.signing.messages import say
from ibhxh_client.signing.pin import PinStatus, pin_message

MODULE_NOT_FOUND = "module_not_found"
MODULE_LOAD_FAILED = "module_load_failed"
NO_TOKEN = "no_token"
SEVERAL_TOKENS = "several_tokens"
TOKEN_REMOVED = "token_removed"
NO_CERTIFICATE = "no_certificate"
SEVERAL_CERTIFICATES = "several_certificates"
PIN_LOCKED = "pin_locked"
PIN_INCORRECT = "pin_incorrect"
PIN_CANCELLED = "pin_cancelled"
PIN_EXPIRED = "pin_expired"
PIN_NOT_CONFIRMED = "pin_not_confirmed"
CERT_EXPIRED = "cert_expired"
CERT_NOT_YET_VALID = "cert_not_yet_valid"
CERT_KEY_USAGE = "cert_key_usage"
CERT_WEAK_KEY = "cert_weak_key"
CERT_CHAIN = "cert_chain"
DEVICE_ERROR = "device_error"
PKCS12_NOT_FOUND = "pkcs12_not_found"
PKCS12_INVALID = "pkcs12_invalid"
BAD_XML = "bad_xml"
NO_CONTAINER = "no_container"
ALREADY_SIGNED = "already_signed"
BAD_ENVELOPE = "bad_envelope"
# Remote signing (a signing service holds the key; the director approves on the phone).
BAD_SIGNATURE_VALUE = "bad_signature_value"
REMOTE_UNREACHABLE = "remote_unreachable"
REMOTE_TLS = "remote_tls"
REMOTE_CREDENTIALS = "remote_credentials"
REMOTE_UNKNOWN_ACCOUNT = "remote_unknown_account"
REMOTE_CERTIFICATE = "remote_certificate"
REMOTE_BAD_ANSWER = "remote_bad_answer"
REMOTE_TOO_LARGE = "remote_too_large"
REMOTE_REDIRECT = "remote_redirect"
REMOTE_DOC_IDS = "remote_doc_ids"
REMOTE_TRANSACTION_USED = "remote_transaction_used"
REMOTE_FAILED = "remote_failed"
REMOTE_QUOTA = "remote_quota"
REMOTE_UNSUPPORTED = "remote_unsupported"
REMOTE_STATE = "remote_state"
PROVIDER_INVALID = "provider_invalid"
PROVIDER_UNKNOWN = "provider_unknown"

# The PIN-story status each code stands for (the GUI picks its icon from it).
_PIN_STATUS = {
    PIN_LOCKED: PinStatus.LOCKED,
    PIN_INCORRECT: PinStatus.INCORRECT,
    PIN_CANCELLED: PinStatus.CANCELLED,
    TOKEN_REMOVED: PinStatus.DEVICE_ERROR,
    DEVICE_ERROR: PinStatus.DEVICE_ERROR,
}


class SigningError(Exception):
    """A failure of the signing library, with a stable ``code`` and a user sentence.

    ``key`` names the message when one code has several wordings (``no_certificate`` for
    "none on the token", "none with this tax code" …); ``params`` fill its placeholders.
    """

    def __init__(self, code: str, *, key: str | None = None, detail: str | None = None,
                 pin_status: PinStatus | None = None, tries_left: PinStatus | None = None,
                 **params: object) -> None:
        self.code = code
        self.key = key or code
        self.detail = detail
        self.pin_status = pin_status or _PIN_STATUS.get(code, PinStatus.OTHER)
        # After a wrong PIN: COUNT_LOW or FINAL_TRY when the token says so, else None.
        self.tries_left = tries_left
        self.params = params
        super().__init__(self.message("en"))

    @property
    def status(self) -> str:
        """The stable code (alias kept for callers that say "status")."""
        return self.code

    def message(self, lang: str = "vi") -> str:
        """The user sentence in ``lang``, with the technical detail in parentheses."""
        if self.code == PIN_NOT_CONFIRMED:
            text = pin_message(self.pin_status, lang) + " " + say("pin.confirm", lang)
        elif self.code in (PIN_LOCKED, PIN_INCORRECT, PIN_CANCELLED) and self.key == self.code:
            text = pin_message(self.pin_status, lang)
        else:
            text = say(self.key, lang, **self.params)
        if self.tries_left is not None:
            text += " " + pin_message(self.tries_left, lang)
        if self.detail:
            text += f" ({self.detail})"
        return text


class ModuleError(SigningError):
    """The PKCS#11 module cannot be found or loaded."""


class TokenError(SigningError):
    """No token, several tokens, a token pulled out, a device error, no certificate."""


class PinError(SigningError):
    """Locked, wrong, cancelled or expired PIN; or a warning the caller must confirm."""


class CertificateError(SigningError):
    """The certificate may not sign: expired, not yet valid, wrong usage, weak key, chain."""


class XmlSigningError(SigningError):
    """The document cannot be signed as given (broken XML, no container, already signed)."""


class RemoteSigningError(SigningError):
    """A remote signing service failed, refused, or answered something that is refused:
    unreachable, TLS, credentials, account or serial, certificate, a malformed, oversized
    or redirected answer, a value that does not verify, doc_ids missing or extra."""


class ProviderError(SigningError):
    """providers.toml names no such provider, or describes one wrongly."""


def pin_cancelled() -> PinError:
    """The error a caller raises (or the library raises) when the user cancels the PIN."""
    return PinError(PIN_CANCELLED)
