"""The unit's registration for electronic filing as a file: 04_DK-IVAN (register),
05_SD-IVAN (change) or 06_NG-IVAN (stop), each a Hoso of its own that the unit signs into
Hoso/CKy_Dvi (docs/exchange-format.md §11; the forms under forms/04_DK-IVAN … say which
element holds what, and how sure we are of it).

Values come from the definitions' ``source`` (the unit's profile, the signing certificate,
what this registration says, the envelope's I-VAN); the checks are the fields' own; the
XML is checked against the form's schema before anything signs it. Deterministic: the
same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from lxml import etree

from ..catalog import Catalog
from ..domain.formspec import FieldSpec, FormSpec
from ..domain.model import Employer
from ..domain.validation import FormData, Problem, RuleContext, validate_form
from .build import schema_problems
from .safexml import parse
from .xmlform import form_element, form_from_element, to_bytes

# What each registration kind of the protocol (gateway.protocol.RegistrationKind) files.
REGISTRATION_FORMS: dict[str, str] = {"register": "04_DK-IVAN", "change": "05_SD-IVAN",
                                      "stop": "06_NG-IVAN"}
# The exchange's elements a gateway reads back: the unit and its tax code.
UNIT_CODE_PATH = "NoiDung/MaSoBHXH"
TAX_CODE_PATH = "NoiDung/MaSoThue"
UNIT_NAME_PATH = "NoiDung/TenDoiTuong"


@dataclass(frozen=True)
class CertificateFacts:
    """What the registration says of the certificate the unit signs with (form 04's
    "Số chứng thư số, tổ chức chứng thực, thời hạn")."""

    serial: str
    issuer: str
    not_before: dt.date
    not_after: dt.date

    @classmethod
    def of(cls, cert: x509.Certificate) -> CertificateFacts:
        """The facts of a certificate, its validity as dates in Vietnam time."""
        from ..signing.certs import describe

        info = describe(cert)
        vietnam = dt.timezone(dt.timedelta(hours=7))
        return cls(serial=info.serial, issuer=info.issuer_common_name or info.issuer,
                   not_before=info.not_before.astimezone(vietnam).date(),
                   not_after=info.not_after.astimezone(vietnam).date())


@dataclass(frozen=True)
class RegistrationFacts:
    """What this registration says beyond the unit's profile and its certificate."""

    kind: str  # register | change | stop
    made: dt.date  # NgayLap
    effective: dt.date  # NgayDangKy
    procedures: str = ""  # the procedures filed electronically (register, change)
    changes: str = ""  # what changes (change)
    stop_date: dt.date | None = None  # from when it stops (stop)
    stop_reason: str = ""  # why (stop)


def registration_spec(catalog: Catalog, kind: str) -> FormSpec:
    """The form a registration of ``kind`` is filed on (ValueError for an unknown kind)."""
    code = REGISTRATION_FORMS.get(kind)
    if code is None or code not in catalog.registrations:
        raise ValueError(f"no registration form for {kind!r}")
    return catalog.registrations[code]


def _value(f: FieldSpec, sources: dict[str, Any]) -> Any:
    """The field's value from its source ("employer.phone"): None for a field with no
    source or an owner left out (a unit without a certificate); a misspelt source is a
    KeyError or AttributeError, which the catalogue's tests catch."""
    if not f.source:
        return None
    owner = sources[f.owner]
    return getattr(owner, f.attr) if owner is not None else None


def registration_form(catalog: Catalog, employer: Employer, facts: RegistrationFacts,
                      certificate: CertificateFacts | None) -> FormData:
    """The registration's values, field by field as its definition sources them."""
    spec = registration_spec(catalog, facts.kind)
    sources = {"employer": employer, "registration": facts, "certificate": certificate,
               "envelope": catalog.envelope}
    header = {f.name: _value(f, sources) for f in spec.header.fields}
    return FormData(spec, header)


def check_registration(catalog: Catalog, data: FormData) -> list[Problem]:
    """Every problem of the registration's values (required, identifiers, lengths …)."""
    return validate_form(data, RuleContext(codelists=catalog.codelists))


def registration_xml(catalog: Catalog, data: FormData) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes, unsigned (CKy_Dvi empty), or None and the problems: the values'
    own, then the schema's."""
    problems = check_registration(catalog, data)
    if problems:
        return None, problems
    root = form_element(data)
    problems = schema_problems(catalog.xsd_path(data.spec.code), data.spec.code, root)
    if problems:
        return None, problems
    return to_bytes(root), []


def signature_place(spec: FormSpec) -> str:
    """Where the unit signs the file, from the root: /Hoso/CKy_Dvi."""
    return f"/{spec.root}/{spec.signature}"


def signature_id(spec: FormSpec) -> str:
    """The Signature's Id in the file (an XML name)."""
    return f"sig-{spec.code}"


def is_signed(root: etree._Element, spec: FormSpec) -> bool:
    """Whether the file carries anything in its signature place (a unit without a
    certificate sends it empty)."""
    place = root.find(spec.signature)
    return place is not None and any(isinstance(c.tag, str) for c in place)


def read_registration(catalog: Catalog, kind: str, data: bytes) -> FormData:
    """The values of a registration file of ``kind`` (our own stored file, or one already
    schema-checked); raises UnsafeXmlError or FormReadError for a broken one."""
    spec = registration_spec(catalog, kind)
    return form_from_element(spec, parse(data))
