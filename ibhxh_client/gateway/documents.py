"""What the receipt and the result notice share: the gateway signs them (enveloped
XML-DSig in ``<root>/Cky``, like a form) and the client opens them safely.

Opening is always: parse with ``dossier.safexml.parse`` (no DTD, no entities, no
network), check the root, then verify the signature against the gateway's CA. Nothing is
read from a document before all three passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from lxml import etree

from ..dossier.safexml import UnsafeXmlError, parse
from ..signing.certs import CertInfo
from ..signing.signer import Signer
from ..signing.xmldsig import FORM_CONTAINER, sign_xml, verify_tree
from . import errors as E

# Vietnam keeps one time zone, no daylight saving: what the receipts print.
VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")


def text(parent: etree._Element, tag: str, value: object) -> etree._Element:
    """A child element holding ``value`` as text."""
    el = etree.SubElement(parent, tag)
    el.text = "" if value is None else str(value)
    return el


def sign_document(xml: bytes, signer: Signer, signature_id: str,
                  now: dt.datetime | None = None) -> bytes:
    """Sign a gateway document into its ``Cky`` (the gateway's key, the signing time)."""
    return sign_xml(xml, signer, container=FORM_CONTAINER,
                    signing_time=now or dt.datetime.now(dt.UTC), signature_id=signature_id)


@dataclass(frozen=True)
class Opened:
    """A gateway document whose signature verified: its root and who signed it."""

    root: etree._Element
    signer: CertInfo | None
    signed_at: dt.datetime | None


def parse_document(data: bytes, root_tag: str) -> etree._Element:
    """A document from the gateway parsed safely (no DTD, no entities, no network), its
    root ``root_tag``; raise GatewayError (kind answer): hostile_xml for DTDs and
    entities, bad_answer for another document."""
    try:
        root = parse(data)
    except UnsafeXmlError as exc:
        raise E.GatewayError(E.HOSTILE_XML, E.ANSWER_KIND, detail=str(exc)[:200]) from None
    if root.tag != root_tag:
        raise E.GatewayError(E.BAD_ANSWER, E.ANSWER_KIND,
                             detail=f"<{root.tag}> instead of <{root_tag}>")
    return root


def open_document(data: bytes, root_tag: str, *, trusted_cas: Sequence[x509.Certificate],
                  signature_code: str, now: dt.datetime | None = None) -> Opened:
    """Parse and verify a document the gateway signed; raise GatewayError (kind answer):
    hostile_xml for DTDs and entities, bad_answer for a wrong document, ``signature_code``
    for a signature that is invalid or does not chain to ``trusted_cas``."""
    root = parse_document(data, root_tag)
    # No trusted CA means nothing can vouch for the gateway: an empty list (not None)
    # makes verify_tree refuse rather than skip the chain.
    verdict = verify_tree(root.getroottree(), container=FORM_CONTAINER,
                          trusted_cas=list(trusted_cas), now=now)
    if not verdict.valid:
        raise E.GatewayError(signature_code, E.ANSWER_KIND, reason=verdict.reason)
    return Opened(root=root, signer=verdict.certificate, signed_at=verdict.signing_time)


def field(root: etree._Element, path: str) -> str:
    """The text at ``path`` (stripped; "" when absent)."""
    return (root.findtext(path) or "").strip()
