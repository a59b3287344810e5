"""The result notice: the gateway's signed verdict on a dossier after processing,
accepted, or rejected with its reasons.

Each reason names the form, the row and the field it is about, and says what is wrong in
Vietnamese and English, without repeating personal values (the officer finds the worker
by the row), so the reasons can go into the dossier's history as they are.

Layout::

    <ThongBaoKetQua>
      <SoHoSo/> <MaDonVi/> <TrangThai>accepted | rejected</TrangThai> <NgayXuLy/>
      <LyDos><LyDo><Ma/><ToKhai/><Dong/><Truong/><NoiDung/><NoiDungEn/></LyDo>…</LyDos>
      <Cky><Signature …/></Cky>
    </ThongBaoKetQua>
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from lxml import etree

from ..dossier.xmlform import to_bytes
from . import errors as E
from .documents import Opened, field, open_document, text
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
class ResultData:
    """What the result notice says."""

    number: str
    unit_code: str
    status: DossierStatus
    processed_at: str
    reasons: tuple[Reason, ...]


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
    etree.SubElement(root, "Cky")
    return to_bytes(root)


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
                      reasons=tuple(reasons))


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
    from ..dossier.safexml import parse

    return _read(Opened(root=parse(data), signer=None, signed_at=None))
