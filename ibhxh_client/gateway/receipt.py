"""The receipt, "Phiếu giao nhận hồ sơ" (form 02/TB-TS of Decision 528/QĐ-BHXH): what
the gateway signs and hands back at once when it takes a dossier in.

Besides what the paper form shows (dossier number, date, agency, unit, procedure, forms),
it carries the submission's idempotency key (``MaThamChieu``) and the SHA-256 of the
envelope received (``MaBamHoSo``), so the client can tell that this receipt is for the
very bytes it sent, and says whether the gateway checked the unit certificate's chain.

Layout::

    <PhieuGiaoNhan>
      <MauSo>02/TB-TS</MauSo> <TieuDe>PHIẾU GIAO NHẬN HỒ SƠ</TieuDe>
      <SoHoSo>00042/2026/07906</SoHoSo> <NgayNhan>2026-07-15T09:30:00+07:00</NgayNhan>
      <CoQuanTiepNhan>07906</CoQuanTiepNhan>
      <DonVi><MaDonVi/><MaSoThue/><TenDonVi/></DonVi>
      <ThuTuc><MaThuTuc/><TenThuTuc/><KyKeKhai/></ThuTuc>
      <ToKhais><ToKhai><MaToKhai/><TenFile/><DoDaiFile/></ToKhai>…</ToKhais>
      <MaThamChieu/> <MaBamHoSo/>
      <KiemTraChuKy><ChuKyDonVi>hop_le</ChuKyDonVi>
                    <ChuoiChungThu>da_kiem_tra | chua_kiem_tra</ChuoiChungThu>
                    <GhiChu/></KiemTraChuKy>
      <Cky><Signature …/></Cky>
    </PhieuGiaoNhan>
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from lxml import etree

from ..dossier.xmlform import to_bytes
from ..signing.certs import CertInfo
from . import errors as E
from .documents import Opened, field, open_document, text

ROOT = "PhieuGiaoNhan"
FORM_NUMBER = "02/TB-TS"
TITLE = "PHIẾU GIAO NHẬN HỒ SƠ"
SIGNATURE_ID = "sig-PhieuGiaoNhan"
CHAIN_CHECKED, CHAIN_NOT_CHECKED = "da_kiem_tra", "chua_kiem_tra"
NOTE_NOT_CHECKED = ("Chuỗi chứng thư số của đơn vị chưa được kiểm tra (cổng thử nghiệm "
                    "không cấu hình CA tin cậy).")


@dataclass(frozen=True)
class FormEntry:
    """One form listed on the receipt."""

    code: str  # MaToKhai, the exchange code (D02-TS); shown as Catalog.form_name gives it
    file_name: str
    length: int


@dataclass(frozen=True)
class ReceiptData:
    """Everything the receipt says."""

    number: str
    received_at: str  # ISO 8601 with the +07:00 offset
    agency: str
    unit_code: str
    tax_code: str
    unit_name: str
    procedure: str
    procedure_name: str
    period: str
    forms: tuple[FormEntry, ...]
    reference: str  # the idempotency key of the submission
    envelope_sha256: str
    chain_checked: bool


@dataclass(frozen=True)
class VerifiedReceipt:
    """A receipt whose signature verified and that matches the submission."""

    data: ReceiptData
    signer: CertInfo | None
    signed_at: dt.datetime | None


def build_receipt(data: ReceiptData) -> bytes:
    """The receipt's XML, its ``Cky`` left empty for the gateway's signature."""
    root = etree.Element(ROOT)
    text(root, "MauSo", FORM_NUMBER)
    text(root, "TieuDe", TITLE)
    text(root, "SoHoSo", data.number)
    text(root, "NgayNhan", data.received_at)
    text(root, "CoQuanTiepNhan", data.agency)
    unit = etree.SubElement(root, "DonVi")
    text(unit, "MaDonVi", data.unit_code)
    text(unit, "MaSoThue", data.tax_code)
    text(unit, "TenDonVi", data.unit_name)
    proc = etree.SubElement(root, "ThuTuc")
    text(proc, "MaThuTuc", data.procedure)
    text(proc, "TenThuTuc", data.procedure_name)
    text(proc, "KyKeKhai", data.period)
    forms = etree.SubElement(root, "ToKhais")
    for f in data.forms:
        el = etree.SubElement(forms, "ToKhai")
        text(el, "MaToKhai", f.code)
        text(el, "TenFile", f.file_name)
        text(el, "DoDaiFile", f.length)
    text(root, "MaThamChieu", data.reference)
    text(root, "MaBamHoSo", data.envelope_sha256)
    check = etree.SubElement(root, "KiemTraChuKy")
    text(check, "ChuKyDonVi", "hop_le")
    text(check, "ChuoiChungThu", CHAIN_CHECKED if data.chain_checked else CHAIN_NOT_CHECKED)
    text(check, "GhiChu", "" if data.chain_checked else NOTE_NOT_CHECKED)
    etree.SubElement(root, "Cky")
    return to_bytes(root)


def _read(opened: Opened) -> ReceiptData:
    root = opened.root
    forms = []
    for el in root.iterfind("ToKhais/ToKhai"):
        length = field(el, "DoDaiFile")
        forms.append(FormEntry(field(el, "MaToKhai"), field(el, "TenFile"),
                               int(length) if length.isdigit() else 0))
    return ReceiptData(
        number=field(root, "SoHoSo"), received_at=field(root, "NgayNhan"),
        agency=field(root, "CoQuanTiepNhan"), unit_code=field(root, "DonVi/MaDonVi"),
        tax_code=field(root, "DonVi/MaSoThue"), unit_name=field(root, "DonVi/TenDonVi"),
        procedure=field(root, "ThuTuc/MaThuTuc"),
        procedure_name=field(root, "ThuTuc/TenThuTuc"), period=field(root, "ThuTuc/KyKeKhai"),
        forms=tuple(forms), reference=field(root, "MaThamChieu"),
        envelope_sha256=field(root, "MaBamHoSo"),
        chain_checked=field(root, "KiemTraChuKy/ChuoiChungThu") == CHAIN_CHECKED)


def verify_receipt(data: bytes, *, trusted_cas: Sequence[x509.Certificate], reference: str,
                   envelope_sha256: str, unit_code: str, number: str | None = None,
                   now: dt.datetime | None = None) -> VerifiedReceipt:
    """Open a receipt safely, verify the gateway's signature against ``trusted_cas`` and
    check that it is for this submission (idempotency key, envelope hash, unit and, when
    given, dossier number). Raises GatewayError (kind answer): hostile_xml, bad_answer,
    receipt_signature or receipt_mismatch."""
    opened = open_document(data, ROOT, trusted_cas=trusted_cas,
                           signature_code=E.RECEIPT_SIGNATURE, now=now)
    receipt = _read(opened)
    expected = {"MaThamChieu": (receipt.reference, reference),
                "MaBamHoSo": (receipt.envelope_sha256, envelope_sha256),
                "MaDonVi": (receipt.unit_code, unit_code)}
    if number is not None:
        expected["SoHoSo"] = (receipt.number, number)
    for name, (got, want) in expected.items():
        if got != want:
            raise E.GatewayError(E.RECEIPT_MISMATCH, E.ANSWER_KIND, field=name)
    return VerifiedReceipt(data=receipt, signer=opened.signer, signed_at=opened.signed_at)


def read_stored_receipt(data: bytes) -> ReceiptData:
    """A receipt the client verified and stored earlier (its own database), for display."""
    from ..dossier.safexml import parse

    return _read(Opened(root=parse(data), signer=None, signed_at=None))
