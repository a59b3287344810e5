"""Fault switches: what the sandbox can be told to do wrong, for tests and training.

Armed in-process (``sandbox.faults.arm("drop_after_store")``) or over the admin endpoint
(``POST /_sandbox/faults`` with the ``X-Sandbox-Admin`` token from the state folder).
Each fault applies to one route (or ``*``) for ``times`` requests, or until cleared when
``times`` is None.

===================  ===========================================================
drop_after_store     store the dossier, then close the connection without answering
slow                 wait ``delay`` seconds before answering (after the work is done)
http_error           answer ``status`` (500 or 503) without doing anything
rate_limit           answer 429 with ``Retry-After: retry_after`` without doing anything
hostile_xml          the receipt/result in the answer becomes hostile XML (``variant``:
                     entity_expansion or external_entity)
bad_signature        the receipt/result in the answer is altered after signing
malformed_json       the answer's body is cut in the middle of the JSON
wrong_host           the next TLS handshakes use a certificate for another host name
===================  ===========================================================
"""

from __future__ import annotations

import base64
import threading
from dataclasses import asdict, dataclass, fields
from typing import Any

KINDS = ("drop_after_store", "slow", "http_error", "rate_limit", "hostile_xml",
         "bad_signature", "malformed_json", "wrong_host")
ROUTES = ("info", "challenge", "login", "submit", "register", "state", "result", "*")

ENTITY_EXPANSION = b"""<?xml version="1.0"?>
<!DOCTYPE PhieuGiaoNhan [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<PhieuGiaoNhan><SoHoSo>&f;</SoHoSo><Cky/></PhieuGiaoNhan>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE PhieuGiaoNhan [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<PhieuGiaoNhan><SoHoSo>&secret;</SoHoSo><Cky/></PhieuGiaoNhan>
"""
HOSTILE = {"entity_expansion": ENTITY_EXPANSION, "external_entity": EXTERNAL_ENTITY}


@dataclass
class Fault:
    """One armed fault (see the module's table)."""

    kind: str
    route: str = "submit"
    times: int | None = 1
    status: int = 503
    retry_after: int = 1
    delay: float = 1.0
    variant: str = "entity_expansion"

    def __post_init__(self) -> None:
        if self.kind == "wrong_host":
            self.route = "*"  # it acts on the TLS handshake, before any route is known
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault {self.kind!r} (known: {', '.join(KINDS)})")
        if self.route not in ROUTES:
            raise ValueError(f"unknown route {self.route!r} (known: {', '.join(ROUTES)})")
        if self.variant not in HOSTILE:
            raise ValueError(f"unknown variant {self.variant!r}")

    @classmethod
    def from_json(cls, data: Any) -> Fault:
        if not isinstance(data, dict):
            raise ValueError("a JSON object is expected")
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fields {sorted(unknown)}")
        return cls(**data)


class Faults:
    """The armed faults, thread-safe; ``hits`` counts how often each one fired."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._armed: list[Fault] = []
        self.hits: dict[str, int] = {}

    def arm(self, kind: str, **params: Any) -> Fault:
        """Arm a fault; returns it."""
        fault = Fault(kind=kind, **params)
        with self._lock:
            self._armed.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._armed.clear()

    def take(self, kind: str, route: str) -> Fault | None:
        """The armed fault of ``kind`` for ``route``, used up once; or None."""
        with self._lock:
            for fault in self._armed:
                if fault.kind == kind and fault.route in (route, "*"):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self._armed.remove(fault)
                    self.hits[kind] = self.hits.get(kind, 0) + 1
                    return fault
        return None

    def to_json(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(f) for f in self._armed]


def hostile_document(variant: str) -> str:
    """Hostile XML, base64 as the answer carries documents."""
    return base64.b64encode(HOSTILE[variant]).decode("ascii")


def tamper(document_b64: str) -> str:
    """A signed document with one signed character changed after signing."""
    data = base64.b64decode(document_b64)
    changed = data.replace(b"<MauSo>02/TB-TS</MauSo>", b"<MauSo>02/TB-TX</MauSo>", 1)
    if changed == data:
        changed = data.replace(b"<TrangThai>", b"<TrangThai> ", 1)
    return base64.b64encode(changed).decode("ascii")
