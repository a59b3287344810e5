"""Enveloped XML-DSig as DOMAIN.md §5 describes: sign into a container, verify it back.

What a signature looks like (one ``Signature`` in the XML-DSig namespace, written with
that namespace as default, as .NET's SignedXml does)::

    <Cky>
      <Signature xmlns="http://www.w3.org/2000/09/xmldsig#" Id="sig-D02-TS">
        <SignedInfo>
          <CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>
          <SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
          <Reference URI="">                      the whole document
            <Transforms><Transform Algorithm="…#enveloped-signature"/>
                        <Transform Algorithm="…REC-xml-c14n-20010315"/></Transforms>
            <DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
            <DigestValue>…</DigestValue></Reference>
          <Reference URI="#sig-D02-TS-time">…</Reference>      the SigningTime property
          <Reference URI="#sig-D02-TS-keyinfo">…</Reference>   the certificate
        </SignedInfo>
        <SignatureValue>…</SignatureValue>
        <KeyInfo Id="sig-D02-TS-keyinfo"><X509Data><X509Certificate>…</X509Certificate>
        </X509Data></KeyInfo>
        <Object><SignatureProperties>
          <SignatureProperty Id="sig-D02-TS-time" Target="#sig-D02-TS">
            <SigningTime>2026-01-15T08:30:00Z</SigningTime></SignatureProperty>
        </SignatureProperties></Object>
      </Signature>
    </Cky>

Why hand-written rather than signxml: signxml 5.2 writes SignatureProperties only for
detached signatures, and it serialises and re-parses the whole document; this needs an
enveloped signature with a signed SigningTime, placed inside ``Cky``, on 20 MB forms.
The canonicalisation is lxml's (libxml2's) inclusive C14N 1.0, the same code xmlsec1 uses.

Why the third reference (KeyInfo): the enveloped transform removes the whole Signature
from the document digest, so without it a byte changed in the CA's signature inside the
certificate would go unnoticed when no trusted CA is configured.

Signing is prepare → value → finish: ``prepare_tree`` writes everything but the
SignatureValue and gives the canonical SignedInfo and its SHA-256 digest; ``finish_tree``
writes a value only once it verifies against the certificate in KeyInfo and that digest.
A token signs at once (``sign_tree``); a remote signing service signs the digest minutes
later, maybe after a restart (``prepare_xml`` / ``finish_xml``, whose prepared document
is bytes). Both give the same bytes for the same value.

Independent check with xmlsec1 (1.2.x): the Id attributes live inside the Signature, which
xmlsec1 registers itself, so no ``--id-attr`` option is needed (passing
``--id-attr:Id SignatureProperty --id-attr:Id KeyInfo`` does no harm)::

    xmlsec1 --verify --trusted-pem ca.pem form.xml
    xmlsec1 --verify --insecure form.xml          # signature only, no certificate checks

Add ``--verification-gmt-time "2026-01-15 08:30:00"`` (the SigningTime) to check a
signature whose certificate has expired since; without it xmlsec1 checks the certificate
at the current time.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    Prehashed,
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from ibhxh_client.dossier.safexml import UnsafeXmlError
from ibhxh_client.dossier.safexml import parse as safe_parse
from ibhxh_client.signing import errors as E
from ibhxh_client.signing.certs import (
    CertInfo,
    check_key,
    check_key_usage,
    describe,
    verify_trust,
)
from ibhxh_client.signing.messages import Msg
from ibhxh_client.signing.signer import ECDSA_SHA256, RSA_SHA256, Signer, algorithm_for

DS_NS = "http://www.w3.org/2000/09/xmldsig#"
C14N_10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
ENVELOPED = DS_NS + "enveloped-signature"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
ALG_RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
ALG_ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"

FORM_CONTAINER = "Cky"
ENVELOPE_CONTAINER = "/Hoso/CKy_Dvi"

_DIGESTS = {
    SHA256: hashlib.sha256,
    "http://www.w3.org/2001/04/xmldsig-more#sha384": hashlib.sha384,
    "http://www.w3.org/2001/04/xmlenc#sha512": hashlib.sha512,
}
_SIGNATURE_ALGS: dict[str, tuple[str, hashes.HashAlgorithm]] = {
    ALG_RSA_SHA256: ("rsa", hashes.SHA256()),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": ("rsa", hashes.SHA384()),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": ("rsa", hashes.SHA512()),
    ALG_ECDSA_SHA256: ("ec", hashes.SHA256()),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384": ("ec", hashes.SHA384()),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512": ("ec", hashes.SHA512()),
}
_C14N_ALGS = {C14N_10: False, EXC_C14N: True}  # value: exclusive?
_XML_ALG = {RSA_SHA256: ALG_RSA_SHA256, ECDSA_SHA256: ALG_ECDSA_SHA256}

# A signing time this far ahead of the verifier's clock is refused.
CLOCK_SKEW = dt.timedelta(minutes=10)
# Signing times written without a zone by other software are read as Vietnam time.
VIETNAM_TZ = dt.timezone(dt.timedelta(hours=7))

_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")


def _ds(name: str) -> str:
    return f"{{{DS_NS}}}{name}"


# --------------------------------------------------------------------------- parsing

def parse_xml(data: bytes) -> Any:
    """Parse untrusted XML the program's one way (``dossier.safexml``: no entities, no
    network, no DTD). Raises XmlSigningError(bad_xml). Returns an lxml ElementTree."""
    try:
        return safe_parse(data).getroottree()
    except (UnsafeXmlError, ValueError, TypeError) as exc:
        raise _bad_xml(str(exc)[:200]) from None


def _bad_xml(problem: str) -> E.XmlSigningError:
    return E.XmlSigningError(E.BAD_XML, problem=problem)


def find_container(root: Any, container: str) -> Any:
    """The element ``container`` names: "Cky" is a child of the root (whatever the root is
    called); "/Hoso/CKy_Dvi" is a path from the root. Raises no_container."""
    if container.startswith("/"):
        parts = [p for p in container.split("/") if p]
        if not parts or root.tag != parts[0]:
            raise E.XmlSigningError(E.NO_CONTAINER, container=container)
        node = root
        for part in parts[1:]:
            node = node.find(part)
            if node is None:
                raise E.XmlSigningError(E.NO_CONTAINER, container=container)
        return node
    node = root
    for part in container.split("/"):
        found = node.find(part)
        if found is None:
            raise E.XmlSigningError(E.NO_CONTAINER, container=container)
        node = found
    return node


_XML_NS = "http://www.w3.org/XML/1998/namespace"
_SUBTREE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                  huge_tree=True, remove_blank_text=False)


def _c14n(node: Any, exclusive: bool = False) -> bytes:
    """C14N 1.0 (no comments) of a whole document (an ElementTree) or of one element's
    subtree, as a same-document reference or SignedInfo needs it."""
    if not isinstance(node, etree._Element):
        return etree.tostring(node, method="c14n", exclusive=exclusive, with_comments=False)
    # lxml 6.1 / libxml2 2.14 canonicalising a subtree in place writes a spurious xmlns=""
    # on grandchildren that use an inherited default namespace (xmlsec1 does not), so the
    # subtree is serialised (lxml declares every in-scope namespace on it), re-parsed and
    # canonicalised as a document of its own.
    copy = etree.fromstring(etree.tostring(node, with_tail=False), _SUBTREE_PARSER)
    if not exclusive:
        # Inclusive C14N of a subset inherits xml:lang, xml:space … from the ancestors.
        for ancestor in node.iterancestors():
            for name, value in ancestor.attrib.items():
                if name.startswith(f"{{{_XML_NS}}}") and name not in copy.attrib:
                    copy.set(name, value)
    return etree.tostring(copy.getroottree(), method="c14n", exclusive=exclusive,
                          with_comments=False)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _b64decode(text: str | None) -> bytes:
    """Strict base64 (line breaks allowed): the unused bits before "=" must be zero, so
    that no change to the text leaves the decoded bytes the same."""
    compact = "".join((text or "").split())
    raw = base64.b64decode(compact, validate=True)
    if base64.b64encode(raw).decode("ascii") != compact:
        raise ValueError("non-canonical base64")
    return raw


def _iso(when: dt.datetime) -> str:
    if when.tzinfo is None:
        raise ValueError("signing_time must be timezone-aware")
    return when.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        value = value.replace(tzinfo=VIETNAM_TZ)
    return value.astimezone(dt.UTC)


# --------------------------------------------------------------------------- signing

def _signature_value(signer: Signer, signed_info: bytes) -> bytes:
    raw = signer.sign(signed_info)
    if signer.algorithm == ECDSA_SHA256:
        # XML-DSig wants r||s of the curve's size (RFC 4050), Signer.sign gives DER.
        key = signer.certificate.public_key()
        assert isinstance(key, ec.EllipticCurvePublicKey)
        size = (key.curve.key_size + 7) // 8
        r, s = decode_dss_signature(raw)
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    return raw


@dataclass(frozen=True)
class PreparedSignature:
    """A Signature written into its document but for its value (``SignatureValue`` empty).

    ``signed_info``: the canonical SignedInfo (what a token signs); ``digest``: its
    SHA-256 (what a remote signing service signs); ``certificate``: the one in KeyInfo.
    """

    element: Any
    signed_info: bytes
    digest: bytes
    certificate: x509.Certificate


def prepare_tree(tree: Any, certificate: x509.Certificate, *, container: str,
                 signing_time: dt.datetime, signature_id: str) -> PreparedSignature:
    """Write the Signature for ``certificate`` into ``container`` of ``tree``, in place:
    references, SigningTime and KeyInfo, everything but the signature value.

    The container must hold no element yet (already_signed otherwise). The value comes
    later from ``finish_tree``, maybe minutes later from a remote signing service.
    """
    if not _NCNAME.match(signature_id):
        raise ValueError(f"signature_id {signature_id!r} is not an XML name")
    cont = find_container(tree.getroot(), container)
    for child in cont:
        if isinstance(child.tag, str):
            if child.tag == _ds("Signature"):
                raise E.XmlSigningError(E.ALREADY_SIGNED, container=container)
            raise _bad_xml(f"{container} is not empty")
    algorithm = _XML_ALG.get(algorithm_for(certificate))
    if algorithm is None:
        raise ValueError("unsupported certificate key")
    stamp = _iso(signing_time)

    # The enveloped transform removes exactly what is about to be added, so the document
    # digest is that of the document as it stands now.
    doc_digest = hashlib.sha256(_c14n(tree)).digest()

    sig = etree.SubElement(cont, _ds("Signature"), nsmap={None: DS_NS})
    sig.set("Id", signature_id)
    signed_info = etree.SubElement(sig, _ds("SignedInfo"))
    etree.SubElement(signed_info, _ds("CanonicalizationMethod"), Algorithm=C14N_10)
    etree.SubElement(signed_info, _ds("SignatureMethod"), Algorithm=algorithm)

    def reference(uri: str, transforms: Sequence[str]) -> Any:
        ref = etree.SubElement(signed_info, _ds("Reference"), URI=uri)
        trs = etree.SubElement(ref, _ds("Transforms"))
        for alg in transforms:
            etree.SubElement(trs, _ds("Transform"), Algorithm=alg)
        etree.SubElement(ref, _ds("DigestMethod"), Algorithm=SHA256)
        return etree.SubElement(ref, _ds("DigestValue"))

    time_id, keyinfo_id = f"{signature_id}-time", f"{signature_id}-keyinfo"
    doc_value = reference("", (ENVELOPED, C14N_10))
    time_value = reference("#" + time_id, (C14N_10,))
    keyinfo_value = reference("#" + keyinfo_id, (C14N_10,))
    etree.SubElement(sig, _ds("SignatureValue"))
    key_info = etree.SubElement(sig, _ds("KeyInfo"), Id=keyinfo_id)
    x509_data = etree.SubElement(key_info, _ds("X509Data"))
    etree.SubElement(x509_data, _ds("X509Certificate")).text = _b64(
        certificate.public_bytes(Encoding.DER))
    obj = etree.SubElement(sig, _ds("Object"))
    props = etree.SubElement(obj, _ds("SignatureProperties"))
    prop = etree.SubElement(props, _ds("SignatureProperty"), Id=time_id,
                            Target="#" + signature_id)
    etree.SubElement(prop, _ds("SigningTime")).text = stamp

    doc_value.text = _b64(doc_digest)
    time_value.text = _b64(hashlib.sha256(_c14n(prop)).digest())
    keyinfo_value.text = _b64(hashlib.sha256(_c14n(key_info)).digest())
    canonical_info = _c14n(signed_info)
    return PreparedSignature(element=sig, signed_info=canonical_info,
                             digest=hashlib.sha256(canonical_info).digest(),
                             certificate=certificate)


def value_matches(certificate: x509.Certificate, value: bytes, digest: bytes) -> bool:
    """True when ``value`` (as XML-DSig writes it: PKCS#1 v1.5 for RSA, r||s for EC) is a
    signature by ``certificate``'s key over the SHA-256 ``digest``."""
    key = certificate.public_key()
    prehashed = Prehashed(hashes.SHA256())
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(value, digest, padding.PKCS1v15(), prehashed)
            return True
        if isinstance(key, ec.EllipticCurvePublicKey):
            size = (key.curve.key_size + 7) // 8
            if len(value) != 2 * size:
                return False
            der = encode_dss_signature(int.from_bytes(value[:size], "big"),
                                       int.from_bytes(value[size:], "big"))
            key.verify(der, digest, ec.ECDSA(prehashed))
            return True
    except (InvalidSignature, ValueError):
        return False
    return False


def finish_tree(prepared: PreparedSignature, value: bytes) -> None:
    """Write ``value`` into the prepared Signature once it is checked against the
    certificate in KeyInfo and the SignedInfo's digest; refuse it (bad_signature_value)
    otherwise, leaving the Signature unfinished."""
    if not value_matches(prepared.certificate, value, prepared.digest):
        raise E.RemoteSigningError(E.BAD_SIGNATURE_VALUE)
    prepared.element.find(_ds("SignatureValue")).text = _b64(value)


def sign_tree(tree: Any, signer: Signer, *, container: str, signing_time: dt.datetime,
              signature_id: str) -> Any:
    """Sign the parsed document ``tree`` in place; return the new Signature element.

    ``prepare_tree``, the signer's value, ``finish_tree``. The container must hold no
    element yet (already_signed otherwise); on any failure it is left as it was.
    """
    prepared = prepare_tree(tree, signer.certificate, container=container,
                            signing_time=signing_time, signature_id=signature_id)
    sig = prepared.element
    try:
        finish_tree(prepared, _signature_value(signer, prepared.signed_info))
    except BaseException:
        sig.getparent().remove(sig)
        raise
    return sig


def _splice(raw: bytes, tree: Any, cont: Any, sig: Any) -> bytes | None:
    """The input bytes with the signature inserted into the container, or None when the
    document's shape does not allow it safely (then the tree is serialised instead)."""
    spliced = _splice_at(raw, tree, cont, sig)
    return spliced[0] if spliced is not None else None


def _splice_at(raw: bytes, tree: Any, cont: Any, sig: Any) -> tuple[bytes, int] | None:
    """``_splice``'s bytes and the offset at which the signature starts in them.

    Keeps every byte of the input: the container is the root's last child and is followed
    only by whitespace and the root's end tag, which the pattern checks.
    """
    root = tree.getroot()
    encoding = (tree.docinfo.encoding or "UTF-8").upper().replace("_", "-")
    if encoding not in ("UTF-8", "UTF8", "ASCII", "US-ASCII"):
        return None
    if cont.getparent() is not root or len(cont.attrib) or root[-1] is not cont:
        return None
    if not isinstance(root.tag, str) or root.tag.startswith("{") or cont.tag.startswith("{"):
        return None
    if (cont.text or "").strip() or (cont.tail or "").strip() or root.prefix or cont.prefix:
        return None
    ctag, rtag = re.escape(cont.tag.encode()), re.escape(root.tag.encode())
    pattern = re.compile(
        rb"<" + ctag + rb"(?:(?P<empty>\s*/>)|(?P<open>\s*>)(?P<inside>\s*)(?P<close></" + ctag
        + rb"\s*>))\s*</" + rtag + rb"\s*>\s*\Z")
    window = 8192
    start = max(0, len(raw) - window)
    m = pattern.search(raw, start)
    if m is None:
        return None
    sig_bytes = etree.tostring(sig, with_tail=False)
    if m.group("empty") is not None:
        at = m.start()
        end = m.end("empty")
        opening = b"<" + cont.tag.encode() + b">"
        return (raw[:at] + opening + sig_bytes + b"</" + cont.tag.encode() + b">"
                + raw[end:], at + len(opening))
    at = m.start("close")
    return raw[:at] + sig_bytes + raw[at:], at


def serialize(tree: Any) -> bytes:
    """The document as UTF-8 bytes with an XML declaration."""
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def sign_xml(xml: bytes, signer: Signer, *, container: str, signing_time: dt.datetime,
             signature_id: str) -> bytes:
    """Sign ``xml`` with an enveloped signature placed in ``container``.

    ``container``: "Cky" (a child of the form's root) or "/Hoso/CKy_Dvi" (a path from the
    root). ``signing_time`` (timezone-aware) becomes the signed SigningTime, in UTC.
    ``signature_id`` is the Signature's Id (an XML name, e.g. "sig-D02-TS").

    Only the signature is added: when the container is the root's last child (the shape
    of our forms and envelope), the result is the input's bytes with the signature
    inserted; otherwise the document is re-serialised (same content, C14N-equal).
    Raises bad_xml, no_container, already_signed, and whatever the signer raises.
    """
    tree = parse_xml(xml)
    sig = sign_tree(tree, signer, container=container, signing_time=signing_time,
                    signature_id=signature_id)
    spliced = _splice(xml, tree, sig.getparent(), sig)
    return spliced if spliced is not None else serialize(tree)


@dataclass(frozen=True)
class PreparedXml:
    """A document prepared for a signature whose value comes later (remote signing).

    ``xml``: the document with its unfinished Signature (bytes: they outlive a restart);
    ``digest``: the SHA-256 of the canonical SignedInfo, what the service signs;
    ``signature_at``: where the Signature starts in ``xml`` when it was spliced into the
    input's bytes (None when the document was serialised); ``sha256``: of ``xml`` as
    prepared (None in a state kept by an older version), so that finishing can tell the
    bytes are untouched without parsing them again.
    """

    xml: bytes
    container: str
    digest: bytes
    signature_at: int | None
    sha256: bytes | None = None


def prepare_xml(xml: bytes, certificate: x509.Certificate, *, container: str,
                signing_time: dt.datetime, signature_id: str) -> PreparedXml:
    """``sign_xml`` up to the signature value: the Signature for ``certificate`` written
    into ``container`` with an empty SignatureValue, and the digest to have signed."""
    tree = parse_xml(xml)
    prepared = prepare_tree(tree, certificate, container=container,
                            signing_time=signing_time, signature_id=signature_id)
    spliced = _splice_at(xml, tree, prepared.element.getparent(), prepared.element)
    if spliced is None:
        return PreparedXml(serialize(tree), container, prepared.digest, None)
    return PreparedXml(spliced[0], container, prepared.digest, spliced[1],
                       hashlib.sha256(spliced[0]).digest())


def reopen_tree(tree: Any, container: str) -> PreparedSignature:
    """The unfinished Signature in ``container`` of a parsed prepared document, with its
    canonical SignedInfo, digest and KeyInfo certificate read back (bad_xml when there is
    none, or when it is finished already)."""
    cont = find_container(tree.getroot(), container)
    sigs = [c for c in _children(cont) if c.tag == _ds("Signature")]
    if len(sigs) != 1:
        raise _bad_xml(f"{container}: no prepared signature")
    sig = sigs[0]
    info, value = sig.find(_ds("SignedInfo")), sig.find(_ds("SignatureValue"))
    cert_text = sig.findtext(f"{_ds('KeyInfo')}/{_ds('X509Data')}/{_ds('X509Certificate')}")
    if info is None or value is None or (value.text or "").strip() or not cert_text:
        raise _bad_xml(f"{container}: no prepared signature")
    try:
        certificate = x509.load_der_x509_certificate(_b64decode(cert_text))
    except ValueError:
        raise _bad_xml(f"{container}: KeyInfo") from None
    if not _references_hold(tree, sig, info):
        raise _bad_xml(f"{container}: the prepared document changed")
    canonical_info = _c14n(info)
    return PreparedSignature(element=sig, signed_info=canonical_info,
                             digest=hashlib.sha256(canonical_info).digest(),
                             certificate=certificate)


def _references_hold(tree: Any, sig: Any, info: Any) -> bool:
    """Whether each reference prepare_tree wrote still digests to its DigestValue: the
    document (the Signature left out, as the enveloped transform does), the SigningTime
    and KeyInfo. A prepared document kept for hours is checked before it is finished."""
    for ref in info.findall(_ds("Reference")):
        uri = ref.get("URI", "")
        if uri == "":
            parent, index, tail = _detach(sig)
            try:
                data = _c14n(tree)
            finally:
                _reattach(sig, parent, index, tail)
        else:
            targets = [el for el in sig.iter() if el.get("Id") == uri[1:]]
            if not uri.startswith("#") or len(targets) != 1:
                return False
            data = _c14n(targets[0])
        try:
            expected = _b64decode(ref.findtext(_ds("DigestValue")))
        except ValueError:
            return False
        if hashlib.sha256(data).digest() != expected:
            return False
    return True


_EMPTY_VALUE = b"<SignatureValue/>"  # as prepare_tree's Signature serialises it


def finish_xml(prepared: PreparedXml, value: bytes,
               certificate: x509.Certificate | None = None) -> bytes:
    """The prepared document with ``value`` as its signature value, checked first against
    the certificate in KeyInfo and the digest (bad_signature_value otherwise). The same
    bytes ``sign_xml`` gives when its signer returns ``value``.

    ``certificate`` (the one it was prepared for): when given, and the prepared bytes are
    the ones prepared (their SHA-256) with the Signature spliced in, the value is written
    into the bytes without parsing them again (a dossier of thousands of forms); the
    caller verifies the finished document as a whole (``verify_dossier``)."""
    quick = _finish_bytes(prepared, value, certificate)
    if quick is not None:
        return quick
    tree = parse_xml(prepared.xml)
    reopened = reopen_tree(tree, prepared.container)
    if reopened.digest != prepared.digest:
        raise _bad_xml(f"{prepared.container}: the prepared signature changed")
    before = etree.tostring(reopened.element, with_tail=False)
    finish_tree(reopened, value)
    at = prepared.signature_at
    if at is not None and prepared.xml[at:at + len(before)] == before:
        after = etree.tostring(reopened.element, with_tail=False)
        return prepared.xml[:at] + after + prepared.xml[at + len(before):]
    return serialize(tree)


def _finish_bytes(prepared: PreparedXml, value: bytes,
                  certificate: x509.Certificate | None) -> bytes | None:
    """``finish_xml`` on the bytes alone, or None when that cannot be done safely."""
    at, xml = prepared.signature_at, prepared.xml
    if certificate is None or at is None or prepared.sha256 is None or \
            hashlib.sha256(xml).digest() != prepared.sha256:
        return None
    where = xml.find(_EMPTY_VALUE, at)
    if where < 0 or xml.find(_EMPTY_VALUE, where + 1) >= 0:
        return None
    if not value_matches(certificate, value, prepared.digest):
        raise E.RemoteSigningError(E.BAD_SIGNATURE_VALUE)
    filled = b"<SignatureValue>" + _b64(value).encode("ascii") + b"</SignatureValue>"
    return xml[:where] + filled + xml[where + len(_EMPTY_VALUE):]


# --------------------------------------------------------------------------- verifying

@dataclass(frozen=True)
class Verification:
    """The verdict on one signature: ``valid``, why (``code``, ``reason``), who signed
    (``certificate``), when (``signing_time``), and whether the chain reached a trusted
    CA (``trusted``; False when no trusted CAs were given)."""

    valid: bool
    code: str
    reason: Msg
    certificate: CertInfo | None = None
    signing_time: dt.datetime | None = None
    trusted: bool = False

    def message(self, lang: str = "vi") -> str:
        """The reason as a sentence in ``lang``."""
        return self.reason.text(lang)

    @property
    def reason_vi(self) -> str:
        """The reason in Vietnamese."""
        return self.message("vi")

    @property
    def reason_en(self) -> str:
        """The reason in English."""
        return self.message("en")


class _Invalid(Exception):
    def __init__(self, code: str, reason: Msg) -> None:
        super().__init__(code)
        self.code = code
        self.reason = reason
        self.certificate: CertInfo | None = None
        self.signing_time: dt.datetime | None = None


def _structure(problem: str) -> _Invalid:
    return _Invalid("structure", Msg("verify.structure", problem=problem))


def _children(node: Any) -> list[Any]:
    return [c for c in node if isinstance(c.tag, str)]


@dataclass
class _Ref:
    uri: str
    transforms: list[str]
    digest_alg: str
    digest: bytes


def _read_reference(ref: Any) -> _Ref:
    kids = _children(ref)
    names = [k.tag for k in kids]
    transforms: list[str] = []
    if names and names[0] == _ds("Transforms"):
        for tr in _children(kids[0]):
            if tr.tag != _ds("Transform") or _children(tr):
                raise _structure("Transform")
            transforms.append(tr.get("Algorithm", ""))
        kids = kids[1:]
    if [k.tag for k in kids] != [_ds("DigestMethod"), _ds("DigestValue")]:
        raise _structure("Reference")
    alg = kids[0].get("Algorithm", "")
    if alg not in _DIGESTS:
        raise _Invalid("algorithm", Msg("verify.algorithm", algorithm=alg))
    try:
        digest = _b64decode(kids[1].text)
    except ValueError:
        raise _structure("DigestValue") from None
    if ref.get("URI") is None:
        raise _structure("Reference URI")
    return _Ref(uri=ref.get("URI"), transforms=transforms, digest_alg=alg, digest=digest)


def _elements_by_id(root: Any) -> dict[str, list[Any]]:
    """Every element of the document that has an Id attribute, by its value (one XPath
    pass, at C speed, for all the references of a signature)."""
    found: dict[str, list[Any]] = {}
    for el in root.xpath("//*[@Id]"):
        found.setdefault(el.get("Id"), []).append(el)
    return found


def _detach(el: Any) -> tuple[Any, int, str | None]:
    """Remove ``el`` but keep its tail text in place (the enveloped transform removes the
    element only; lxml would take the tail with it)."""
    parent = el.getparent()
    index = parent.index(el)
    tail = el.tail
    prev = el.getprevious()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    el.tail = None
    parent.remove(el)
    return parent, index, tail


def _reattach(el: Any, parent: Any, index: int, tail: str | None) -> None:
    if tail:
        prev = parent[index - 1] if index > 0 else None
        if prev is not None:
            prev.tail = (prev.tail or "")[: -len(tail)] or None
        else:
            parent.text = (parent.text or "")[: -len(tail)] or None
    parent.insert(index, el)
    el.tail = tail


def _verify_value(cert: x509.Certificate, alg: str, value: bytes, data: bytes) -> bool:
    kind, hash_alg = _SIGNATURE_ALGS[alg]
    key = cert.public_key()
    try:
        if kind == "rsa" and isinstance(key, rsa.RSAPublicKey):
            key.verify(value, data, padding.PKCS1v15(), hash_alg)
            return True
        if kind == "ec" and isinstance(key, ec.EllipticCurvePublicKey):
            size = (key.curve.key_size + 7) // 8
            if len(value) != 2 * size:
                return False
            der = encode_dss_signature(int.from_bytes(value[:size], "big"),
                                       int.from_bytes(value[size:], "big"))
            key.verify(der, data, ec.ECDSA(hash_alg))
            return True
    except InvalidSignature:
        return False
    return False


def _c14n_transform(transforms: Sequence[str]) -> bool:
    """Exclusive? for a same-document reference with at most one C14N 1.0 transform."""
    if not transforms:
        return False
    if len(transforms) == 1 and transforms[0] in _C14N_ALGS:
        return _C14N_ALGS[transforms[0]]
    raise _Invalid("algorithm", Msg("verify.algorithm", algorithm=" ".join(transforms)))


def _check(tree: Any, container: str, trusted_cas: Sequence[x509.Certificate] | None,
           now: dt.datetime) -> Verification:
    root = tree.getroot()
    try:
        cont = find_container(root, container)
    except E.SigningError:
        raise _Invalid("no_signature", Msg("verify.no_signature", container=container)) \
            from None
    sigs = [c for c in _children(cont) if c.tag == _ds("Signature")]
    if not sigs:
        raise _Invalid("no_signature", Msg("verify.no_signature", container=container))
    if len(sigs) > 1:
        raise _Invalid("several_signatures",
                       Msg("verify.several_signatures", container=container))
    sig = sigs[0]
    sig_id = sig.get("Id")
    kids = _children(sig)
    if len(kids) < 2 or kids[0].tag != _ds("SignedInfo") or kids[1].tag != _ds(
            "SignatureValue"):
        raise _structure("Signature")
    for extra in kids[2:]:
        if extra.tag not in (_ds("KeyInfo"), _ds("Object")):
            raise _structure(etree.QName(extra).localname)
    signed_info, sig_value_el = kids[0], kids[1]
    si_kids = _children(signed_info)
    if len(si_kids) < 3 or si_kids[0].tag != _ds("CanonicalizationMethod") or \
            si_kids[1].tag != _ds("SignatureMethod"):
        raise _structure("SignedInfo")
    c14n_alg = si_kids[0].get("Algorithm", "")
    sig_alg = si_kids[1].get("Algorithm", "")
    if c14n_alg not in _C14N_ALGS:
        raise _Invalid("algorithm", Msg("verify.algorithm", algorithm=c14n_alg))
    if sig_alg not in _SIGNATURE_ALGS:
        raise _Invalid("algorithm", Msg("verify.algorithm", algorithm=sig_alg))
    if _children(si_kids[0]) or _children(si_kids[1]):
        raise _structure("SignedInfo")
    refs = []
    for ref_el in si_kids[2:]:
        if ref_el.tag != _ds("Reference"):
            raise _structure("SignedInfo")
        refs.append(_read_reference(ref_el))

    # Which reference covers what.
    sig_nodes = set(sig.iter())
    doc_refs = [r for r in refs if r.uri == ""]
    if len(doc_refs) != 1:
        raise _structure("Reference URI=\"\"")
    doc_ref = doc_refs[0]
    if not doc_ref.transforms or doc_ref.transforms[0] != ENVELOPED or \
            len(doc_ref.transforms) > 2:
        raise _structure("enveloped-signature")
    doc_exclusive = _c14n_transform(doc_ref.transforms[1:])
    covered: list[tuple[_Ref, Any]] = []
    by_id = _elements_by_id(root)
    for ref in refs:
        if ref is doc_ref:
            continue
        if not ref.uri.startswith("#") or ref.uri.startswith("#xpointer("):
            raise _structure(f"Reference URI={ref.uri}")
        targets = by_id.get(ref.uri[1:], [])
        if len(targets) != 1 or targets[0] not in sig_nodes:
            raise _structure(f"Reference URI={ref.uri}")
        covered.append((ref, targets[0]))

    # The certificate(s).
    certs: list[x509.Certificate] = []
    ders: dict[int, bytes] = {}  # id(certificate) → its DER, as KeyInfo carries it
    key_infos = [k for k in kids[2:] if k.tag == _ds("KeyInfo")]
    if len(key_infos) != 1:
        raise _Invalid("bad_certificate", Msg("verify.bad_certificate"))
    key_info = key_infos[0]
    for el in key_info.iter(_ds("X509Certificate")):
        try:
            der = _b64decode(el.text)
            certs.append(x509.load_der_x509_certificate(der))
        except Exception:
            raise _Invalid("bad_certificate", Msg("verify.bad_certificate")) from None
        ders[id(certs[-1])] = der
    if not certs:
        raise _Invalid("bad_certificate", Msg("verify.bad_certificate"))

    # The signing time: a SignatureProperty aimed at this signature, covered by a reference.
    signing_time = None
    time_ref = None
    for ref, target in covered:
        props = [target] if target.tag == _ds("SignatureProperty") else list(
            target.iter(_ds("SignatureProperty")))
        for prop in props:
            if sig_id is None or prop.get("Target") != "#" + sig_id:
                continue
            for child in _children(prop):
                if etree.QName(child).localname == "SigningTime":
                    if signing_time is not None:
                        raise _structure("SigningTime ×2")
                    try:
                        signing_time = _parse_time(child.text or "")
                    except ValueError:
                        raise _structure("SigningTime") from None
                    time_ref = ref
    if signing_time is None:
        raise _Invalid("no_signing_time", Msg("verify.no_signing_time"))

    # SignedInfo first: it is cheap and names the signer's key.
    try:
        sig_value = _b64decode(sig_value_el.text)
    except ValueError:
        raise _structure("SignatureValue") from None
    si_bytes = _c14n(signed_info, exclusive=_C14N_ALGS[c14n_alg])
    signer_cert = next((c for c in certs if _verify_value(c, sig_alg, sig_value, si_bytes)),
                       None)
    if signer_cert is None:
        raise _Invalid("signature_value", Msg("verify.signature_value"))
    info = _described(ders[id(signer_cert)])
    try:
        return _check_signed(tree, sig, covered, doc_ref, doc_exclusive, key_info, time_ref,
                             signer_cert, info, certs, ders, signing_time, trusted_cas, now)
    except _Invalid as bad:
        bad.certificate, bad.signing_time = info, signing_time
        raise


def _check_signed(tree: Any, sig: Any, covered: list[tuple[_Ref, Any]], doc_ref: _Ref,
                  doc_exclusive: bool, key_info: Any, time_ref: _Ref | None,
                  signer_cert: x509.Certificate, info: CertInfo,
                  certs: list[x509.Certificate], ders: dict[int, bytes],
                  signing_time: dt.datetime,
                  trusted_cas: Sequence[x509.Certificate] | None,
                  now: dt.datetime) -> Verification:
    for ref, target in covered:
        data = _c14n(target, exclusive=_c14n_transform(ref.transforms))
        if _DIGESTS[ref.digest_alg](data).digest() != ref.digest:
            if ref is time_ref:
                raise _Invalid("time_changed", Msg("verify.time_changed"))
            if target is key_info or key_info in set(target.iter()):
                raise _Invalid("keyinfo_changed", Msg("verify.keyinfo_changed"))
            raise _Invalid("content_changed", Msg("verify.content_changed"))

    parent, index, tail = _detach(sig)
    try:
        doc_bytes = _c14n(tree, exclusive=doc_exclusive)
    finally:
        _reattach(sig, parent, index, tail)
    if _DIGESTS[doc_ref.digest_alg](doc_bytes).digest() != doc_ref.digest:
        raise _Invalid("content_changed", Msg("verify.content_changed"))

    # The certificate at the signing time.
    stamp = f"{signing_time:%d/%m/%Y %H:%M} UTC"
    if signing_time > now + CLOCK_SKEW:
        raise _Invalid("time_future", Msg("verify.time_future", time=stamp))
    if not info.valid_at(signing_time):
        raise _Invalid("time_outside", Msg(
            "verify.time_outside", time=stamp, start=f"{info.not_before:%d/%m/%Y}",
            end=f"{info.not_after:%d/%m/%Y}"))
    der = ders[id(signer_cert)]
    if not _may_sign(der):
        raise _Invalid("key_usage", Msg("verify.key_usage"))
    trusted = False
    if trusted_cas is not None:
        exc = _distrust(der, _ders(tuple(trusted_cas)),
                        tuple(ders[id(c)] for c in certs if c is not signer_cert),
                        signing_time)
        if exc is not None:
            raise _Invalid("untrusted", Msg("verify.untrusted", reason=Msg(
                exc.key, **exc.params) if exc.key != "cert_chain" else exc.params["reason"])
                           )
        trusted = True
    return Verification(valid=True, code="ok", reason=Msg("verify.ok"), certificate=info,
                        signing_time=signing_time, trusted=trusted)


# The certificate checks of a verification depend on the certificates and the signing time
# only: a dossier's thousands of forms, signed by one certificate at one time, pay for them
# once (keyed by the DER bytes, never by an object that could change).

@functools.lru_cache(maxsize=64)
def _described(der: bytes) -> CertInfo:
    return describe(x509.load_der_x509_certificate(der))


@functools.lru_cache(maxsize=16)
def _ders(certs: tuple[x509.Certificate, ...]) -> tuple[bytes, ...]:
    """The DER bytes of the CAs a verification trusts (the same objects for a dossier)."""
    return tuple(c.public_bytes(Encoding.DER) for c in certs)


@functools.lru_cache(maxsize=64)
def _may_sign(der: bytes) -> bool:
    cert = x509.load_der_x509_certificate(der)
    try:
        check_key_usage(cert)
        check_key(cert)
    except E.SigningError:
        return False
    return True


@functools.lru_cache(maxsize=64)
def _distrust(der: bytes, trusted: tuple[bytes, ...], others: tuple[bytes, ...],
              at: dt.datetime) -> E.SigningError | None:
    """Why the certificate does not chain to a trusted CA at ``at`` (None: it does)."""
    def load(data: bytes) -> x509.Certificate:
        return x509.load_der_x509_certificate(data)

    try:
        verify_trust(load(der), [load(d) for d in trusted],
                     intermediates=[load(d) for d in others], at=at)
    except E.SigningError as exc:
        return exc
    return None


def verify_tree(tree: Any, *, container: str,
                trusted_cas: Sequence[x509.Certificate] | None = None,
                now: dt.datetime | None = None) -> Verification:
    """``verify_xml`` on an already parsed document (left as it was found)."""
    now = now or dt.datetime.now(dt.UTC)
    try:
        return _check(tree, container, trusted_cas, now)
    except _Invalid as bad:
        return Verification(valid=False, code=bad.code, reason=bad.reason,
                            certificate=bad.certificate, signing_time=bad.signing_time)
    except Exception as exc:
        return Verification(valid=False, code="structure", reason=Msg(
            "verify.structure", problem=type(exc).__name__))


def verify_xml(xml: bytes, *, container: str,
               trusted_cas: Sequence[x509.Certificate] | None = None,
               now: dt.datetime | None = None) -> Verification:
    """Check the enveloped signature in ``container`` of ``xml``.

    Valid only when: exactly one Signature sits in the container; it has the expected
    shape (a URI="" reference with the enveloped-signature transform and C14N 1.0, and
    same-document references only to elements inside the signature); the algorithms are
    on the allowed list (C14N 1.0 inclusive/exclusive; SHA-256/384/512; RSA or ECDSA);
    the SignatureValue verifies with the certificate in KeyInfo; every digest matches
    (document, SigningTime property, KeyInfo); a SigningTime aimed at this signature is
    signed, not in the future, and inside the certificate's validity; the certificate
    allows signing; and, when ``trusted_cas`` is given, the certificate chains to one of
    them (using any other certificates in X509Data as intermediates), valid at the
    signing time. Never raises for a bad document: the verdict says why.

    Without ``trusted_cas`` a valid verdict proves the document is intact and names who
    signed it (``certificate``), not that the certificate is genuine: compare its tax code
    with the unit's, or pass the CAs to trust.
    """
    try:
        tree = parse_xml(xml)
    except E.SigningError as exc:
        return Verification(valid=False, code="bad_xml", reason=Msg(
            "bad_xml", problem=exc.params.get("problem", "")))
    return verify_tree(tree, container=container, trusted_cas=trusted_cas, now=now)


def remove_signature(tree: Any, container: str) -> int:
    """Remove the XML-DSig Signature elements from ``container`` (keeping the text around
    them, as the enveloped transform does). Returns how many were removed."""
    try:
        cont = find_container(tree.getroot(), container)
    except E.SigningError:
        return 0
    sigs = [c for c in _children(cont) if c.tag == _ds("Signature")]
    for sig in sigs:
        _detach(sig)
    return len(sigs)


def canonical(tree: Any) -> bytes:
    """The document in inclusive C14N 1.0 without comments (what a URI="" digest sees)."""
    return _c14n(tree)


def strip_signatures(xml: bytes, *, container: str) -> bytes:
    """The C14N 1.0 form of ``xml`` with the signature in ``container`` removed.

    For any document D, ``strip_signatures(sign_xml(D, …)) == strip_signatures(D)``:
    signing adds the signature and changes nothing else (the safety property).
    """
    tree = parse_xml(xml)
    remove_signature(tree, container)
    return canonical(tree)
