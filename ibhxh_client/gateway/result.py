"""The result notice: the gateway's signed verdict on a dossier after processing,
accepted, or rejected with its reasons.

Each reason names the form, the row and the field it is about, and says what is wrong in
Vietnamese and English, without repeating personal values (the officer finds the worker
by the row), so the reasons can go into the dossier's history as they are.

A claim list (M01B-HSB, procedures 630a, 630b, 630c) is answered claim by claim:
approved, with the days and the amount Social Security pays, or rejected with the reason
(each rejected claim is a reason too, so the dossier's history shows it as any reason).
The list is accepted when at least one claim is approved.

Layout::

    <ThongBaoKetQua>
      <SoHoSo/> <MaDonVi/> <TrangThai>accepted | rejected</TrangThai> <NgayXuLy/>
      <LyDos><LyDo><Ma/><ToKhai/><Dong/><Truong/><NoiDung/><NoiDungEn/></LyDo>…</LyDos>
      <KetQuaDeNghi>                                  (claim lists only)
        <DeNghi><Dong/><MaSoBHXH/><KetQua>approved | rejected</KetQua><SoNgayDuyet/>
                <SoTienDuyet/><SoTienDeNghi/><GhiChu/><GhiChuEn/></DeNghi>…
      </KetQuaDeNghi>
      <Cky><Signature …/></Cky>
    </ThongBaoKetQua>
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from lxml import etree

from ..dossier.safexml import parse
from ..dossier.xmlform import to_bytes
from . import errors as E
from .documents import Opened, field, open_document, parse_document, text
from .messages import say
from .protocol import DossierStatus

ROOT = "ThongBaoKetQua"
SIGNATURE_ID = "sig-ThongBaoKetQua"


@dataclass(frozen=True)
class Reason:
    """Why a dossier was rejected: a stable code, where, and the sentence in vi and en."""

    code: str
    form: str
    row: int | None
    field: str
    message_vi: str
    message_en: str

    def message(self, lang: str = "vi") -> str:
        """The reason with where it is, in ``lang``."""
        what = self.message_en if lang == "en" and self.message_en else self.message_vi
        if self.row is None:
            return f"{self.form}: {what}" if self.form else what
        return say("reason_at", lang, form=self.form, row=self.row, field=self.field,
                   message=what)

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "form": self.form, "row": self.row, "field": self.field,
                "message_vi": self.message_vi, "message_en": self.message_en}


@dataclass(frozen=True)
class ClaimOutcome:
    """Social Security's answer to one claim of a claim list: approved with the days and
    the amount it pays, or rejected. ``reason_vi``/``reason_en``: why it was rejected,
    or, approved, how the amount differs from the one asked ("" when it does not)."""

    row: int  # the claim's row (STT) in the list
    bhxh_number: str
    approved: bool
    days: int  # approved days (0 when rejected)
    amount: int  # approved amount in đồng (0 when rejected)
    reason_vi: str = ""
    reason_en: str = ""
    asked: int | None = None  # the amount the list asked (SoTienDeNghi)

    def reason(self, lang: str = "vi") -> str:
        return self.reason_en if lang == "en" and self.reason_en else self.reason_vi

    def to_dict(self) -> dict[str, object]:
        return {"row": self.row, "bhxh_number": self.bhxh_number, "approved": self.approved,
                "days": self.days, "amount": self.amount, "asked": self.asked,
                "reason_vi": self.reason_vi, "reason_en": self.reason_en}


CLAIMS = "KetQuaDeNghi"
APPROVED, REJECTED = "approved", "rejected"


@dataclass(frozen=True)
class ResultData:
    """What the result notice says (``claims``: a claim list's answer per claim)."""

    number: str
    unit_code: str
    status: DossierStatus
    processed_at: str
    reasons: tuple[Reason, ...]
    claims: tuple[ClaimOutcome, ...] = ()


def build_result(data: ResultData) -> bytes:
    """The notice's XML, its ``Cky`` left empty for the gateway's signature."""
    root = etree.Element(ROOT)
    text(root, "SoHoSo", data.number)
    text(root, "MaDonVi", data.unit_code)
    text(root, "TrangThai", str(data.status))
    text(root, "NgayXuLy", data.processed_at)
    reasons = etree.SubElement(root, "LyDos")
    for r in data.reasons:
        el = etree.SubElement(reasons, "LyDo")
        text(el, "Ma", r.code)
        text(el, "ToKhai", r.form)
        text(el, "Dong", "" if r.row is None else r.row)
        text(el, "Truong", r.field)
        text(el, "NoiDung", r.message_vi)
        text(el, "NoiDungEn", r.message_en)
    if data.claims:
        claims = etree.SubElement(root, CLAIMS)
        for c in data.claims:
            el = etree.SubElement(claims, "DeNghi")
            text(el, "Dong", c.row)
            text(el, "MaSoBHXH", c.bhxh_number)
            text(el, "KetQua", APPROVED if c.approved else REJECTED)
            text(el, "SoNgayDuyet", c.days)
            text(el, "SoTienDuyet", c.amount)
            text(el, "SoTienDeNghi", "" if c.asked is None else c.asked)
            text(el, "GhiChu", c.reason_vi)
            text(el, "GhiChuEn", c.reason_en)
    etree.SubElement(root, "Cky")
    return to_bytes(root)


def _number(el: etree._Element, path: str, *, empty: bool = False) -> int | None:
    """A whole number the notice carries, or BAD_ANSWER (``empty``: may be left out)."""
    value = field(el, path)
    if not value and empty:
        return None
    if not value.isdigit():
        raise E.GatewayError(E.BAD_ANSWER, E.ANSWER_KIND, detail=f"{path} {value[:20]!r}")
    return int(value)


def _claims(root: etree._Element) -> tuple[ClaimOutcome, ...]:
    out = []
    for el in root.iterfind(f"{CLAIMS}/DeNghi"):
        verdict = field(el, "KetQua")
        if verdict not in (APPROVED, REJECTED):
            raise E.GatewayError(E.BAD_ANSWER, E.ANSWER_KIND, detail=f"KetQua {verdict[:20]!r}")
        out.append(ClaimOutcome(
            row=_number(el, "Dong") or 0, bhxh_number=field(el, "MaSoBHXH"),
            approved=verdict == APPROVED, days=_number(el, "SoNgayDuyet") or 0,
            amount=_number(el, "SoTienDuyet") or 0, reason_vi=field(el, "GhiChu"),
            reason_en=field(el, "GhiChuEn"), asked=_number(el, "SoTienDeNghi", empty=True)))
    return tuple(out)


def claim_outcomes(result: bytes) -> list[ClaimOutcome]:
    """A claim list's answer, claim by claim, from a result notice the client verified
    and stored (``verify_result`` first for one just received): parsed safely (no DTD,
    no entities, no network). Empty for a notice of any other dossier. Raises
    GatewayError (kind answer): hostile_xml, or bad_answer for a wrong document."""
    return list(_claims(parse_document(result, ROOT)))


def _read(opened: Opened) -> ResultData:
    root = opened.root
    status = field(root, "TrangThai")
    if status not in (DossierStatus.ACCEPTED, DossierStatus.REJECTED):
        raise E.GatewayError(E.BAD_ANSWER, E.ANSWER_KIND, detail=f"TrangThai {status[:20]!r}")
    reasons = []
    for el in root.iterfind("LyDos/LyDo"):
        row = field(el, "Dong")
        reasons.append(Reason(code=field(el, "Ma"), form=field(el, "ToKhai"),
                              row=int(row) if row.isdigit() else None,
                              field=field(el, "Truong"), message_vi=field(el, "NoiDung"),
                              message_en=field(el, "NoiDungEn")))
    return ResultData(number=field(root, "SoHoSo"), unit_code=field(root, "MaDonVi"),
                      status=DossierStatus(status), processed_at=field(root, "NgayXuLy"),
                      reasons=tuple(reasons), claims=_claims(root))


def verify_result(data: bytes, *, trusted_cas: Sequence[x509.Certificate], number: str,
                  unit_code: str, now: dt.datetime | None = None) -> ResultData:
    """Open a result notice safely, verify the gateway's signature and check it is for
    dossier ``number`` of ``unit_code``. Raises GatewayError (kind answer)."""
    opened = open_document(data, ROOT, trusted_cas=trusted_cas,
                           signature_code=E.RESULT_SIGNATURE, now=now)
    result = _read(opened)
    for name, got, want in (("SoHoSo", result.number, number),
                            ("MaDonVi", result.unit_code, unit_code)):
        if got != want:
            raise E.GatewayError(E.RESULT_MISMATCH, E.ANSWER_KIND, number=number, field=name)
    return result


def read_stored_result(data: bytes) -> ResultData:
    """A notice the client verified and stored earlier (its own database), for display."""
    return _read(Opened(root=parse(data), signer=None, signed_at=None))
