"""The one way untrusted XML is read: no entities, no network, no DTD."""

from __future__ import annotations

from lxml import etree


class UnsafeXmlError(ValueError):
    """XML that is malformed or tries something a declaration never needs (DTD, entities)."""


def _parser() -> etree.XMLParser:
    # huge_tree: a 50,000-worker form inside an envelope is one base64 text node of tens of
    # megabytes, over libxml2's default 10 MB limit. Entities stay unresolved and any DTD
    # is refused below, so this does not open the door to entity expansion.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=True, remove_blank_text=False)


def parse(data: bytes) -> etree._Element:
    """Parse bytes from a file or the network; refuse DTDs, entities and broken XML."""
    if not isinstance(data, bytes | bytearray):
        raise TypeError("parse takes bytes")
    try:
        root = etree.fromstring(bytes(data), _parser())
    except etree.XMLSyntaxError as exc:
        raise UnsafeXmlError(str(exc)) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise UnsafeXmlError("DOCTYPE is not allowed")
    for node in root.iter(etree.Entity):
        raise UnsafeXmlError(f"entity reference &{node.name}; is not allowed")
    return root
