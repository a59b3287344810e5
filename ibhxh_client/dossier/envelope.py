"""The envelope (Hoso) that carries a dossier's forms to the gateway, element for element
as the exchange writes it (docs/exchange-format.md §2, §4): its file name, root, signature
place, I-VAN and the rules for MaToKhai and MaThuTuc are data (forms/envelope/envelope.toml,
``EnvelopeSpec``)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from lxml import etree

from ..domain.formspec import EnvelopeSpec
from ..domain.model import Declaration, Employer
from .safexml import UnsafeXmlError, parse
from .xmlform import to_bytes

_INFO = "NoiDung/ThongTinHoSo/"


@dataclass(frozen=True)
class DossierFile:
    """One form file inside the envelope."""

    form: str  # MaToKhai, the form's exchange code: its XML root (D02-TS, TK1-TS …)
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
                     files: list[DossierFile], spec: EnvelopeSpec) -> etree._Element:
    """The envelope, every form inside in base64, the signature place left empty. Every
    element is written, empty when it has no value, as the reference's serializer writes
    an empty string."""
    hoso = etree.Element(spec.root)
    content = etree.SubElement(hoso, "NoiDung")
    ivan = etree.SubElement(content, "ThongTinIVAN")
    _text(ivan, "MaIVAN", spec.ivan_code)
    _text(ivan, "TenIVAN", spec.ivan_name)
    unit = etree.SubElement(content, "ThongTinDonVi")
    for tag, value in (("TenDoiTuong", employer.name), ("MaSoBHXH", employer.unit_code),
                       ("LoaiDoiTuong", spec.unit_kind), ("MaSoThue", employer.tax_code),
                       ("NguoiKy", employer.signer_name), ("DienThoai", employer.phone),
                       ("CoQuanQuanLy", employer.agency_code)):
        _text(unit, tag, value)
    info = etree.SubElement(content, "ThongTinHoSo")
    _text(info, "TenThuTuc", procedure_name)
    _text(info, "MaThuTuc", spec.procedure_code(decl.procedure))
    _text(info, "KyKeKhai", str(decl.period))
    _text(info, "NgayLap", decl.created.strftime("%d/%m/%Y") if decl.created else "")
    _text(info, "SoLuongFile", str(len(files)))
    etree.SubElement(info, "QuyTrinhISO")  # always there, always empty
    forms = etree.SubElement(info, "ToKhais")
    for f in files:
        el = etree.SubElement(forms, "FileToKhai")
        encoded = base64.b64encode(f.content).decode("ascii")
        _text(el, "MaToKhai", spec.form_code(f.file_name))
        _text(el, "MoTaToKhai", f.description)
        _text(el, "TenFile", f.file_name)
        _text(el, "LoaiFile", spec.file_type(f.file_name))
        _text(el, "DoDaiFile", str(len(encoded)))  # the base64 text's length, not the bytes'
        _text(el, "NoiDungFile", encoded)
    etree.SubElement(hoso, spec.signature)
    return hoso


def build_envelope(employer: Employer, decl: Declaration, procedure_name: str,
                   files: list[DossierFile], spec: EnvelopeSpec) -> bytes:
    """The envelope's bytes (see ``envelope_element``)."""
    return to_bytes(envelope_element(employer, decl, procedure_name, files, spec))


def procedure_and_period(root: etree._Element) -> tuple[str, str]:
    """The envelope's MaThuTuc and KyKeKhai exactly as written, read before any check."""
    return (root.findtext(_INFO + "MaThuTuc") or "", root.findtext(_INFO + "KyKeKhai") or "")


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
