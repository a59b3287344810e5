"""The PIN story in one status type, and the one place that turns it into a sentence.

The library never asks for a PIN (the CLI prompts, the GUI shows a dialog); it reads the
token flags first and tells the caller what to warn about. ``PinStatus`` is what the flags
or a login attempt say; ``pin_message`` is the only function that words it.
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
        """True when the user must be warned before the PIN is sent."""
        return self in (PinStatus.COUNT_LOW, PinStatus.FINAL_TRY)


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

    COUNT_LOW and FINAL_TRY are worded so that they read well both as a warning shown in
    the PIN dialog before the PIN is sent and after "the PIN is wrong" (what is left).
    """
    return say("pin." + status.value, lang)
