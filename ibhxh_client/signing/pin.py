"""The PIN story in one status type, and the one place that turns it into a sentence.

The library never asks for a PIN (the CLI prompts, the GUI shows a dialog); it reads the
token flags first and tells the caller what to warn about. ``PinStatus`` is what the flags
or a login attempt say; ``pin_message`` is the only function that words it.

The two PIN-count flags mean what PKCS#11 says, nothing more (PKCS#11 never gives a count
of tries left): CKF_USER_PIN_COUNT_LOW is "a wrong PIN was entered at least once since the
last successful login", worth telling but no reason to hold the PIN back;
CKF_USER_PIN_FINAL_TRY is "the next wrong PIN locks the token", and only then must the
user confirm before the PIN is sent.
"""

from __future__ import annotations

import enum

from ibhxh_client.signing.messages import say

# PKCS#11 token flags (CK_TOKEN_INFO.flags) that concern the user PIN.
CKF_LOGIN_REQUIRED = 0x00000004
CKF_USER_PIN_INITIALIZED = 0x00000008
CKF_PROTECTED_AUTHENTICATION_PATH = 0x00000100
CKF_TOKEN_INITIALIZED = 0x00000400
CKF_USER_PIN_COUNT_LOW = 0x00010000
CKF_USER_PIN_FINAL_TRY = 0x00020000
CKF_USER_PIN_LOCKED = 0x00040000
CKF_USER_PIN_TO_BE_CHANGED = 0x00080000


class PinStatus(enum.Enum):
    """Where the PIN story stands: before login (from the flags) or after an attempt."""

    OK = "ok"
    CANCELLED = "cancelled"
    INCORRECT = "incorrect"
    COUNT_LOW = "count_low"
    FINAL_TRY = "final_try"
    LOCKED = "locked"
    DEVICE_ERROR = "device_error"
    OTHER = "other"

    @property
    def severity(self) -> int:
        """How close the token is to locking: OK 0, COUNT_LOW 1, FINAL_TRY 2, LOCKED 3."""
        return _SEVERITY.get(self, 0)

    @property
    def needs_warning(self) -> bool:
        """True when the flags say something the user should read before sending the PIN
        (COUNT_LOW: a wrong PIN earlier; FINAL_TRY: the next wrong PIN locks)."""
        return self in (PinStatus.COUNT_LOW, PinStatus.FINAL_TRY)

    @property
    def needs_confirmation(self) -> bool:
        """True only on the final try: the user must confirm before the PIN is sent."""
        return self is PinStatus.FINAL_TRY


_SEVERITY = {PinStatus.COUNT_LOW: 1, PinStatus.FINAL_TRY: 2, PinStatus.LOCKED: 3}


def pin_status_from_flags(flags: int) -> PinStatus:
    """What the token flags say before a PIN is sent: LOCKED, FINAL_TRY, COUNT_LOW or OK."""
    if flags & CKF_USER_PIN_LOCKED:
        return PinStatus.LOCKED
    if flags & CKF_USER_PIN_FINAL_TRY:
        return PinStatus.FINAL_TRY
    if flags & CKF_USER_PIN_COUNT_LOW:
        return PinStatus.COUNT_LOW
    return PinStatus.OK


def pin_message(status: PinStatus, lang: str = "vi") -> str:
    """The sentence for ``status`` in Vietnamese ("vi", the default) or English ("en").

    COUNT_LOW and FINAL_TRY say what the token reports, so they read well both in the PIN
    dialog before the PIN is sent and after "the PIN is wrong".
    """
    return say("pin." + status.value, lang)


def pin_state(status: PinStatus, lang: str = "vi") -> str:
    """The PIN state read from a token's flags, for a list of tokens: the same sentence as
    ``pin_message`` except OK, which says that the token reports no wrong PIN."""
    if status is PinStatus.OK:
        return say("pin.flags_ok", lang)
    return pin_message(status, lang)
