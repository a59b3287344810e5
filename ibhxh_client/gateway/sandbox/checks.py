"""What the sandbox checks before it gives a receipt: the envelope and every form against
their XSDs, both signature levels (each form's Cky, the envelope's CKy_Dvi), the unit
certificate's validity now and, when the sandbox was given CAs to trust, its chain; and
that the envelope is the logged-in unit's. A dossier that fails gets no number.

Also reads what processing needs later: each D02-TS row's identifiers and plan code.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from lxml import etree

from ...catalog import load_catalog
from ...dossier.envelope import read_envelope
from ...dossier.safexml import UnsafeXmlError, parse
from ...dossier.xsd import schema_errors
from ...signing.dossier import verify_dossier
from ..protocol import Detail, ErrorCode


class Refusal(Exception):
    """The gateway refuses the request: an error code, its sentence, the details."""

    def __init__(self, code: ErrorCode, message: str,
                 details: Sequence[Detail] = ()) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = list(details)


@dataclass(frozen=True)
class Row:
    """One worker row of a D02-TS, as processing needs it."""

    form: str
    row: int
    bhxh: str
    cccd: str
    plan: str

    @property
    def worker(self) -> str:
        return self.bhxh or f"cccd:{self.cccd}"


@dataclass(frozen=True)
class Facts:
    """What a valid envelope says, for the receipt and for processing."""

    unit_code: str
    tax_code: str
    unit_name: str
    agency: str
    procedure: str
    procedure_name: str
    period: str
    forms: tuple[tuple[str, str, int], ...]  # (form code, file name, length)
    rows: tuple[Row, ...] = field(default=())


class Schemas:
    """The published XSDs, compiled once per thread (lxml schemas are not shared)."""

    def __init__(self) -> None:
        catalog = load_catalog()
        self.envelope = catalog.envelope_xsd_path()
        self.by_root: dict[str, Path] = {spec.root: catalog.xsd_path(code)
                                         for code, spec in catalog.forms.items()}
        self._local = threading.local()

    def get(self, path: Path) -> etree.XMLSchema:
        cache = self._local.__dict__.setdefault("schemas", {})
        if path not in cache:
            cache[path] = etree.XMLSchema(etree.parse(str(path)))
        return cache[path]


def _xsd(schemas: Schemas, path: Path, where: str, root: etree._Element) -> list[Detail]:
    return [Detail(where=where, message=f"XSD {e}")
            for e in schema_errors(schemas.get(path), root, limit=20)]


def _rows(form: str, root: etree._Element) -> list[Row]:
    out = []
    for n, el in enumerate(root.iterfind("DanhSachLaoDong/LaoDong"), start=1):
        stt = (el.findtext("STT") or "").strip()
        out.append(Row(form=form, row=int(stt) if stt.isdigit() else n,
                       bhxh=(el.findtext("MaSoBHXH") or "").strip(),
                       cccd=(el.findtext("SoCCCD") or "").strip(),
                       plan=(el.findtext("PhuongAn") or "").strip().upper()))
    return out


def check_envelope(data: bytes, *, schemas: Schemas,
                   trusted_cas: Sequence[x509.Certificate] | None,
                   now: dt.datetime) -> Facts:
    """The envelope's facts, or Refusal(envelope_invalid) with every problem found."""
    try:
        root = parse(data)
    except UnsafeXmlError as exc:
        raise Refusal(ErrorCode.ENVELOPE_INVALID, "Hồ sơ không phải XML hợp lệ.",
                      [Detail(where="Hoso", message=str(exc)[:300])]) from None
    problems = _xsd(schemas, schemas.envelope, "Hoso", root) if root.tag == "Hoso" else \
        [Detail(where="Hoso", message=f"root <{root.tag}>")]
    if problems:
        raise Refusal(ErrorCode.ENVELOPE_INVALID, "Hồ sơ không đúng lược đồ XML.", problems)
    info = read_envelope(root)
    rows: list[Row] = []
    for f in info.files:
        try:
            form_root = parse(f.content)
        except UnsafeXmlError as exc:
            problems.append(Detail(where=f.file_name, message=str(exc)[:300]))
            continue
        xsd = schemas.by_root.get(form_root.tag)
        if xsd is None:
            problems.append(Detail(where=f.file_name, message=f"unknown form {form_root.tag}"))
            continue
        problems += _xsd(schemas, xsd, f.file_name, form_root)
        if form_root.tag == "D02-TS":
            rows += _rows(form_root.tag, form_root)
    if problems:
        raise Refusal(ErrorCode.ENVELOPE_INVALID, "Tờ khai không đúng lược đồ XML.", problems)

    verdict = verify_dossier(data, trusted_cas=trusted_cas, now=now)
    if not verdict.valid:
        raise Refusal(ErrorCode.ENVELOPE_INVALID, "Chữ ký số trên hồ sơ không hợp lệ.",
                      [Detail(where="CKy_Dvi / Cky", message=m) for m in verdict.messages()])
    signers = [verdict.envelope.certificate] + [f.verification.certificate
                                                for f in verdict.forms]
    for cert in signers:
        if cert is None or not cert.valid_at(now):
            raise Refusal(ErrorCode.ENVELOPE_INVALID, "Chứng thư số đã hết hạn hoặc chưa "
                          "có hiệu lực.", [Detail(where="CKy_Dvi", message=cert.short()
                                                  if cert else "-")])
        if cert.tax_code != info.tax_code:
            raise Refusal(ErrorCode.UNIT_MISMATCH, "Chứng thư số ký hồ sơ không phải của "
                          "đơn vị khai trong hồ sơ.",
                          [Detail(where="MaSoThue", message=f"{cert.tax_code} ≠ "
                                  f"{info.tax_code}")])
    agency = (root.findtext("NoiDung/ThongTinDonVi/CoQuanQuanLy") or "").strip()
    return Facts(unit_code=info.unit_code, tax_code=info.tax_code, unit_name=info.unit_name,
                 agency=agency,
                 procedure=info.procedure,
                 procedure_name=(root.findtext("NoiDung/ThongTinHoSo/TenThuTuc") or ""),
                 period=info.period,
                 forms=tuple((f.form, f.file_name, len(f.content)) for f in info.files),
                 rows=tuple(rows))
