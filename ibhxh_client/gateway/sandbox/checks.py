"""What the sandbox checks before it gives a receipt: the envelope's procedure and period
against the catalogue, the envelope against its XSD, its file entries as the exchange
derives them (each TenFile a form's file name; MaToKhai, LoaiFile, DoDaiFile from it), every
form against its XSD, the forms against what the procedure takes and needs (the very
check ``ibhxh validate`` makes) and the rules the procedure adds to them (a book
re-issued only for someone with a BHXH number …), both signature levels (each form's Cky,
the envelope's CKy_Dvi, where the form definitions place them), the unit certificate's
validity now and,
when the sandbox was given CAs to trust, its chain; and that the envelope is the
logged-in unit's. A dossier that fails gets no number.

Also reads what processing needs later: each row's identifiers and plan code in the form
whose rows are the declaration's lines (D02-TS in the exchange format), and each row of a
claim list (M01B-HSB), computed again when the dossier is processed (``claims``).
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
from ...domain.validation import Problem
from ...dossier import procedure_check
from ...dossier.envelope import read_envelope
from ...dossier.registration import (
    REGISTRATION_FORMS,
    TAX_CODE_PATH,
    UNIT_CODE_PATH,
    UNIT_NAME_PATH,
    is_signed,
    registration_spec,
    signature_place,
)
from ...dossier.safexml import UnsafeXmlError, parse
from ...dossier.xmlform import FormReadError, form_from_element
from ...dossier.xsd import schema_errors
from ...signing.certs import CertInfo
from ...signing.dossier import verify_dossier
from ...signing.xmldsig import verify_xml
from ..protocol import Detail, ErrorCode
from .claims import ClaimRow, claim_rows


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
    claims: tuple[ClaimRow, ...] = field(default=())  # a claim list's rows


class Schemas:
    """The published XSDs, compiled once per thread (lxml schemas are not shared)."""

    def __init__(self) -> None:
        catalog = self.catalog = load_catalog()
        self.envelope = catalog.envelope_xsd_path()
        self.by_root: dict[str, Path] = {spec.root: catalog.xsd_path(code)
                                         for code, spec in catalog.forms.items()}
        lines = catalog.lines_form()
        self.lines_root = lines.root if lines else None
        # The claim list (M01B-HSB): the form whose rows are claims
        self.claims_form = next((spec for spec in catalog.forms.values()
                                 if spec.rows is not None and spec.rows.source == "claims"),
                                None)
        # The registration files, by the protocol's kind (register → 04_DK-IVAN …).
        self.registrations = {kind: registration_spec(catalog, kind)
                              for kind in REGISTRATION_FORMS}
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


def _catalogue(problems: list[Problem]) -> Refusal:
    return Refusal(ErrorCode.ENVELOPE_INVALID, "Hồ sơ không khớp danh mục thủ tục và tờ khai.",
                   [Detail(where=p.field or p.form, message=p.text("vi")) for p in problems])


def check_envelope(data: bytes, *, schemas: Schemas,
                   trusted_cas: Sequence[x509.Certificate] | None,
                   now: dt.datetime) -> Facts:
    """The envelope's facts, or Refusal(envelope_invalid) with every problem found."""
    try:
        root = parse(data)
    except UnsafeXmlError as exc:
        raise Refusal(ErrorCode.ENVELOPE_INVALID, "Hồ sơ không phải XML hợp lệ.",
                      [Detail(where="Hoso", message=str(exc)[:300])]) from None
    if root.tag != "Hoso":
        raise Refusal(ErrorCode.ENVELOPE_INVALID, "Hồ sơ không đúng lược đồ XML.",
                      [Detail(where="Hoso", message=f"root <{root.tag}>")])
    head = procedure_check.head_problems(schemas.catalog, root)
    if head:
        raise _catalogue(head)
    problems = _xsd(schemas, schemas.envelope, "Hoso", root)
    if problems:
        raise Refusal(ErrorCode.ENVELOPE_INVALID, "Hồ sơ không đúng lược đồ XML.", problems)
    entries = procedure_check.file_problems(schemas.catalog, root)
    if entries:  # names, codes, types and lengths as the exchange derives them
        raise _catalogue(entries)
    info = read_envelope(root)
    tally = procedure_check.FormTally(schemas.catalog, root, rules=True)
    rows: list[Row] = []
    claims: list[ClaimRow] = []
    claims_form = schemas.claims_form
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
        found = _xsd(schemas, xsd, f.file_name, form_root)
        problems += found
        tally.add(form_root)
        if form_root.tag == schemas.lines_root:
            rows += _rows(form_root.tag, form_root)
        elif not found and claims_form is not None and form_root.tag == claims_form.root:
            try:
                claims += claim_rows(form_from_element(claims_form, form_root))
            except FormReadError as exc:  # a date the pattern lets through: 31/02/2026
                label = claims_form.rows.field(exc.field).label_in("vi")
                problems.append(Detail(where=f.file_name, message=f"{claims_form.code} dòng "
                                       f"{exc.row}, {label}: '{exc.value}' không hợp lệ"))
    if problems:
        raise Refusal(ErrorCode.ENVELOPE_INVALID, "Tờ khai không đúng lược đồ XML.", problems)
    fit = tally.problems()
    if fit:
        raise _catalogue(fit)

    verdict = verify_dossier(data, trusted_cas=trusted_cas, now=now,
                             place_of=schemas.catalog.signature_place,
                             envelope_place=schemas.catalog.envelope.signature_path)
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
                 rows=tuple(rows), claims=tuple(claims))


@dataclass(frozen=True)
class RegistrationFacts:
    """What a valid registration file says: whose it is and who signed it (None: a unit
    without a certificate, asking for a trial password)."""

    unit_code: str
    tax_code: str
    unit_name: str
    certificate: CertInfo | None


def check_registration(data: bytes, kind: str, *, schemas: Schemas,
                       trusted_cas: Sequence[x509.Certificate] | None,
                       now: dt.datetime) -> RegistrationFacts:
    """The file's facts, or Refusal: envelope_invalid (not XML, not its form's schema, a
    signature that does not verify, a certificate out of its validity) or unit_mismatch
    (the signing certificate carries another tax code than the file's MaSoThue)."""
    spec = schemas.registrations[kind]
    try:
        root = parse(data)
    except UnsafeXmlError as exc:
        raise Refusal(ErrorCode.ENVELOPE_INVALID, "Tờ khai đăng ký không phải XML hợp lệ.",
                      [Detail(where=spec.file_name, message=str(exc)[:300])]) from None
    if root.tag != spec.root:
        raise Refusal(ErrorCode.ENVELOPE_INVALID, "Tờ khai đăng ký không đúng lược đồ XML.",
                      [Detail(where=spec.file_name, message=f"root <{root.tag}>")])
    problems = _xsd(schemas, schemas.catalog.xsd_path(spec.code), spec.file_name, root)
    if problems:
        raise Refusal(ErrorCode.ENVELOPE_INVALID, "Tờ khai đăng ký không đúng lược đồ XML.",
                      problems)
    tax_code = (root.findtext(TAX_CODE_PATH) or "").strip()
    facts = RegistrationFacts(unit_code=(root.findtext(UNIT_CODE_PATH) or "").strip(),
                              tax_code=tax_code,
                              unit_name=(root.findtext(UNIT_NAME_PATH) or "").strip(),
                              certificate=None)
    if not is_signed(root, spec):
        return facts
    verdict = verify_xml(data, container=signature_place(spec), trusted_cas=trusted_cas,
                         now=now)
    cert = verdict.certificate
    if not verdict.valid or cert is None:
        raise Refusal(ErrorCode.ENVELOPE_INVALID, "Chữ ký số trên tờ khai đăng ký không hợp "
                      "lệ.", [Detail(where=spec.signature, message=verdict.message("vi"))])
    if not cert.valid_at(now):
        raise Refusal(ErrorCode.ENVELOPE_INVALID, "Chứng thư số đã hết hạn hoặc chưa có hiệu "
                      "lực.", [Detail(where=spec.signature, message=cert.short())])
    if cert.tax_code != tax_code:
        raise Refusal(ErrorCode.UNIT_MISMATCH, f"Chứng thư số ký tờ khai mang mã số thuế "
                      f"{cert.tax_code or '-'}, không phải mã số thuế khai trong tờ khai "
                      f"({tax_code}).", [Detail(where="MaSoThue", message=f"{cert.tax_code} "
                                                f"≠ {tax_code}")])
    return RegistrationFacts(facts.unit_code, tax_code, facts.unit_name, cert)
