"""The envelope (Hoso) that carries a dossier's forms to the gateway (DOMAIN.md §5)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from lxml import etree

from ..domain.model import Declaration, Employer
from .safexml import UnsafeXmlError, parse
from .xmlform import to_bytes

IVAN_CODE = "IBHXHC"
IVAN_NAME = "ibhxh-client"
SIGNATURE_ELEMENT = "CKy_Dvi"


@dataclass(frozen=True)
class DossierFile:
    """One form file inside the envelope."""

    form: str  # MaToKhai: the XML root name (D02-TS, TK1-TS …)
    description: str
    file_name: str
    content: bytes


@dataclass(frozen=True)
class EnvelopeInfo:
    """The envelope's own fields, read back."""

    unit_code: str
    tax_code: str
    unit_name: str
    procedure: str
    period: str
    created: str
    files: tuple[DossierFile, ...]


def _text(parent: etree._Element, tag: str, value: str) -> None:
    etree.SubElement(parent, tag).text = value


def envelope_element(employer: Employer, decl: Declaration, procedure_name: str,
                     files: list[DossierFile]) -> etree._Element:
    """The envelope, every form inside in base64, the signature place left empty."""
    hoso = etree.Element("Hoso")
    content = etree.SubElement(hoso, "NoiDung")
    ivan = etree.SubElement(content, "ThongTinIVAN")
    _text(ivan, "MaIVAN", IVAN_CODE)
    _text(ivan, "TenIVAN", IVAN_NAME)
    unit = etree.SubElement(content, "ThongTinDonVi")
    for tag, value in (("TenDoiTuong", employer.name), ("MaSoBHXH", employer.unit_code),
                       ("MaSoThue", employer.tax_code), ("LoaiDoiTuong", "1"),
                       ("NguoiKy", employer.signer_name), ("DienThoai", employer.phone),
                       ("CoQuanQuanLy", employer.agency_code)):
        _text(unit, tag, value)
    info = etree.SubElement(content, "ThongTinHoSo")
    _text(info, "TenThuTuc", procedure_name)
    _text(info, "MaThuTuc", decl.procedure)
    _text(info, "KyKeKhai", str(decl.period))
    _text(info, "NgayLap", decl.created.strftime("%d/%m/%Y") if decl.created else "")
    _text(info, "SoLuongFile", str(len(files)))
    forms = etree.SubElement(info, "ToKhais")
    for f in files:
        el = etree.SubElement(forms, "FileToKhai")
        _text(el, "MaToKhai", f.form)
        _text(el, "MoTaToKhai", f.description)
        _text(el, "TenFile", f.file_name)
        _text(el, "LoaiFile", "xml")
        _text(el, "DoDaiFile", str(len(f.content)))
        _text(el, "NoiDungFile", base64.b64encode(f.content).decode("ascii"))
    etree.SubElement(hoso, SIGNATURE_ELEMENT)
    return hoso


def build_envelope(employer: Employer, decl: Declaration, procedure_name: str,
                   files: list[DossierFile]) -> bytes:
    """The envelope's bytes (see ``envelope_element``)."""
    return to_bytes(envelope_element(employer, decl, procedure_name, files))


def read_envelope(data: bytes | etree._Element) -> EnvelopeInfo:
    """The envelope's fields and files; raises UnsafeXmlError for a broken one."""
    root = parse(data) if isinstance(data, bytes | bytearray) else data
    if root.tag != "Hoso":
        raise UnsafeXmlError(f"not an envelope: root is <{root.tag}>")

    def t(path: str) -> str:
        return root.findtext(path, default="") or ""

    files = []
    for el in root.iterfind("NoiDung/ThongTinHoSo/ToKhais/FileToKhai"):
        try:
            content = base64.b64decode(el.findtext("NoiDungFile", default=""), validate=True)
        except binascii.Error as exc:
            raise UnsafeXmlError(f"NoiDungFile is not base64: {exc}") from None
        files.append(DossierFile(el.findtext("MaToKhai", default=""),
                                 el.findtext("MoTaToKhai", default=""),
                                 el.findtext("TenFile", default=""), content))
    unit, info = "NoiDung/ThongTinDonVi/", "NoiDung/ThongTinHoSo/"
    return EnvelopeInfo(
        unit_code=t(unit + "MaSoBHXH"), tax_code=t(unit + "MaSoThue"),
        unit_name=t(unit + "TenDoiTuong"), procedure=t(info + "MaThuTuc"),
        period=t(info + "KyKeKhai"), created=t(info + "NgayLap"),
        files=tuple(files),
    )
