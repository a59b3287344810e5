"""Signing and verifying the whole electronic dossier (DOMAIN.md §5).

Each form inside the envelope (``FileToKhai/NoiDungFile``, base64) is decoded, signed
into its ``<root>/Cky``, re-encoded (``DoDaiFile`` updated to the length of the new base64
text, as the exchange counts it), and then the envelope is signed into ``/Hoso/CKy_Dvi``.
One signature per form file and one for the envelope, whatever the number of workers:
every worker of a form is in its one file. Where each form is signed is the caller's to
say (``place_of``, from the form definitions, by exact file name as the exchange looks it
up); without it, every form is signed into its root's ``Cky``.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from lxml import etree

from ibhxh_client.signing import errors as E
from ibhxh_client.signing.messages import Msg
from ibhxh_client.signing.signer import Signer
from ibhxh_client.signing.xmldsig import (
    ENVELOPE_CONTAINER,
    FORM_CONTAINER,
    Verification,
    canonical,
    parse_xml,
    remove_signature,
    serialize,
    sign_tree,
    sign_xml,
    strip_signatures,
    verify_tree,
    verify_xml,
)

FILES_PATH = "NoiDung/ThongTinHoSo/ToKhais/FileToKhai"
ENVELOPE_SIGNATURE_ID = "sig-Hoso"
# A form file's name → the element under its root it is signed in ("Cky"), None when no
# form has that name.
PlaceOf = Callable[[str], str | None]


def _bad(problem: str) -> E.XmlSigningError:
    return E.XmlSigningError(E.BAD_ENVELOPE, problem=problem)


def _files(tree: Any) -> list[Any]:
    root = tree.getroot()
    if root.tag != "Hoso":
        raise _bad(f"root <{root.tag}> is not <Hoso>")
    return root.findall(FILES_PATH)


def _is_xml(entry: Any) -> bool:
    kind = (entry.findtext("LoaiFile") or "xml").strip().lower()
    return kind in ("xml", ".xml", "")


def _name(entry: Any, index: int) -> str:
    return ((entry.findtext("TenFile") or entry.findtext("MaToKhai") or "").strip()
            or f"#{index + 1}")


def _decode(entry: Any, name: str) -> bytes:
    content = entry.find("NoiDungFile")
    if content is None:
        raise _bad(f"{name}: NoiDungFile")
    try:
        return base64.b64decode("".join((content.text or "").split()), validate=True)
    except ValueError:
        raise _bad(f"{name}: NoiDungFile base64") from None


def _signature_id(entry: Any, index: int) -> str:
    code = (entry.findtext("MaToKhai") or "").strip()
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", code)
    return f"sig-{safe}" if safe else f"sig-form{index + 1}"


def _set_content(entry: Any, data: bytes) -> None:
    text = base64.b64encode(data).decode("ascii")
    entry.find("NoiDungFile").text = text
    length = entry.find("DoDaiFile")
    if length is None:
        length = etree.Element("DoDaiFile")
        entry.find("NoiDungFile").addprevious(length)
    length.text = str(len(text))  # the exchange's DoDaiFile: the base64 text's length


def _container(entry: Any, index: int, place_of: PlaceOf | None) -> str:
    if place_of is None:
        return FORM_CONTAINER
    name = (entry.findtext("TenFile") or "").strip()
    place = place_of(name)
    if place is None:  # as the exchange's own signer: an unknown name has no place
        raise E.XmlSigningError(E.BAD_ENVELOPE, key="unknown_file",
                                file=name or _name(entry, index))
    return place


def sign_dossier(envelope: bytes, signer: Signer, *, signing_time: dt.datetime,
                 place_of: PlaceOf | None = None,
                 envelope_place: str = ENVELOPE_CONTAINER) -> bytes:
    """Sign every XML form of ``envelope`` into its Cky, then the envelope into CKy_Dvi:
    ``signer.sign`` is called once per form file and once for the envelope.

    ``place_of`` gives each form's signature element by its TenFile (an unknown name is
    refused, bad_envelope); ``envelope_place`` the envelope's ("/Hoso/CKy_Dvi"). Non-XML
    attachments (``LoaiFile`` other than .xml) are left as they are and covered by the
    envelope's signature. Raises bad_envelope, bad_xml, no_container, already_signed and
    the signer's errors (a pulled token, a wrong re-authentication PIN …); nothing is
    returned half-signed.
    """
    tree = parse_xml(envelope)
    entries = _files(tree)
    if not entries:
        raise _bad(FILES_PATH)
    for index, entry in enumerate(entries):
        if not _is_xml(entry):
            continue
        name = _name(entry, index)
        container = _container(entry, index, place_of)
        form = _decode(entry, name)
        signed = sign_xml(form, signer, container=container, signing_time=signing_time,
                          signature_id=_signature_id(entry, index))
        _set_content(entry, signed)
    sign_tree(tree, signer, container=envelope_place, signing_time=signing_time,
              signature_id=ENVELOPE_SIGNATURE_ID)
    return serialize(tree)


@dataclass(frozen=True)
class FormVerification:
    """One form of the dossier: its file name, verdict, and its length as DoDaiFile
    declares it and as it is (the length of its base64 text, as the exchange counts)."""

    name: str
    verification: Verification
    declared_length: int | None
    actual_length: int


@dataclass(frozen=True)
class DossierVerification:
    """The verdict on a whole dossier: the envelope's signature and every form's."""

    valid: bool
    envelope: Verification
    forms: tuple[FormVerification, ...] = ()
    problems: tuple[Msg, ...] = field(default=())
    unit_tax_code: str | None = None  # ThongTinDonVi/MaSoThue

    @property
    def same_signer(self) -> bool:
        """True when the envelope and every form were signed with the same certificate."""
        certs = [self.envelope.certificate, *(f.verification.certificate for f in self.forms)]
        prints = {c.fingerprint if c else None for c in certs}
        return len(prints) == 1 and None not in prints

    @property
    def tax_code_matches(self) -> bool | None:
        """Whether the envelope's certificate carries the unit's tax code (None: unknown).

        Informational: the gateway decides whether a certificate may sign for a unit.
        """
        cert = self.envelope.certificate
        if not self.unit_tax_code or cert is None or cert.tax_code is None:
            return None
        return cert.tax_code == self.unit_tax_code

    def messages(self, lang: str = "vi") -> list[str]:
        """Every problem as a sentence (empty when valid)."""
        return [m.text(lang) for m in self.problems]

    def message(self, lang: str = "vi") -> str:
        """The first problem, or "the signature is valid"."""
        return self.problems[0].text(lang) if self.problems else Msg("verify.ok").text(lang)


def verify_dossier(envelope: bytes, *, trusted_cas: Sequence[x509.Certificate] | None = None,
                   now: dt.datetime | None = None, place_of: PlaceOf | None = None,
                   envelope_place: str = ENVELOPE_CONTAINER,
                   byte_lengths: bool = False) -> DossierVerification:
    """Check the envelope's signature and each XML form's, and each DoDaiFile.

    Valid only when every signature is valid (see ``xmldsig.verify_xml``) and every
    declared length is the length of the file's base64 text; ``byte_lengths`` also takes
    the decoded file's length in bytes, which this program declared before it followed
    the exchange (to verify such files as they were made). ``place_of`` and
    ``envelope_place``: where the forms and the envelope are signed, as for
    ``sign_dossier``. Never raises for a bad document.
    """
    try:
        tree = parse_xml(envelope)
        entries = _files(tree)
    except E.SigningError as exc:
        bad = Verification(valid=False, code=exc.code, reason=Msg(exc.key, **exc.params))
        return DossierVerification(valid=False, envelope=bad, problems=(bad.reason,))
    env = verify_tree(tree, container=envelope_place, trusted_cas=trusted_cas, now=now)
    problems: list[Msg] = []
    if not env.valid:
        problems.append(Msg("verify.envelope", reason=env.reason))
    forms = []
    for index, entry in enumerate(entries):
        if not _is_xml(entry):
            continue
        name = _name(entry, index)
        try:
            data = _decode(entry, name)
            container = _container(entry, index, place_of)
        except E.SigningError as exc:
            verdict = Verification(valid=False, code=exc.code,
                                   reason=Msg(exc.key, **exc.params))
            data = b""
        else:
            verdict = verify_xml(data, container=container, trusted_cas=trusted_cas,
                                 now=now)
        declared_text = (entry.findtext("DoDaiFile") or "").strip()
        declared = int(declared_text) if declared_text.isdigit() else None
        actual = len("".join((entry.findtext("NoiDungFile") or "").split()))
        forms.append(FormVerification(name=name, verification=verdict,
                                      declared_length=declared, actual_length=actual))
        if not verdict.valid:
            problems.append(Msg("verify.in_form", file=name, reason=verdict.reason))
        if declared != actual and not (byte_lengths and declared == len(data)):
            problems.append(Msg("verify.form_length", file=name,
                                declared=declared_text or "-", actual=actual))
    if not forms:
        problems.append(Msg("bad_envelope", problem=FILES_PATH))
    unit_tax = (tree.getroot().findtext("NoiDung/ThongTinDonVi/MaSoThue") or "").strip()
    return DossierVerification(valid=not problems, envelope=env, forms=tuple(forms),
                               problems=tuple(problems), unit_tax_code=unit_tax or None)


def strip_dossier_signatures(envelope: bytes, *, place_of: PlaceOf | None = None,
                             envelope_place: str = ENVELOPE_CONTAINER) -> bytes:
    """The envelope in C14N 1.0 with every signature taken out: its own (CKy_Dvi) and each
    form's (Cky), each form re-encoded from its own C14N and DoDaiFile set to match.

    For any dossier D, ``strip_dossier_signatures(sign_dossier(D, …))`` equals
    ``strip_dossier_signatures(D)``: signing changes nothing but the signatures.
    """
    tree = parse_xml(envelope)
    remove_signature(tree, envelope_place)
    for index, entry in enumerate(_files(tree)):
        if _is_xml(entry):
            form = _decode(entry, _name(entry, index))
            container = _container(entry, index, place_of)
            _set_content(entry, strip_signatures(form, container=container))
    return canonical(tree)
