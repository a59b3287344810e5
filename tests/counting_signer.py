"""A test double over a real signer (a SoftHSM2 token or a PKCS#12 file): it signs through
the real one and counts what the token is asked to do."""

from __future__ import annotations

from typing import Any

from ibhxh_client.signing.signer import Signer


class CountingSigner(Signer):
    """Every ``sign`` goes to ``inner``; ``calls`` counts them, ``sessions`` holds the
    token session each one went through (a file signer has none: ``{None}``)."""

    def __init__(self, inner: Signer) -> None:
        self.inner = inner
        self.certificate = inner.certificate
        self.chain = inner.chain
        self.warnings = inner.warnings
        self.calls = 0
        self.sessions: set[int | None] = set()

    def sign(self, data: bytes) -> bytes:
        self.calls += 1
        session: Any = getattr(self.inner, "_session", None)
        self.sessions.add(id(session) if session is not None else None)
        return self.inner.sign(data)

    def close(self) -> None:
        self.inner.close()
