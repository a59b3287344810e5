"""A form's values to its XML and back, driven by the form definition.

Output is deterministic: the same values give the same bytes (UTF-8, fixed element order,
no timestamps of its own). The signature placeholder the definition names (<Cky/>) is
always the root's last child. A group's element and a list's container are paths from
the root ("NoiDung/BangKe"); a field with no XML element (``xml = ""``) is never written.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from ..domain.formspec import FormSpec, GroupSpec
from ..domain.validation import FormData
from ..domain.values import from_text, is_empty, to_text


def _fill(parent: etree._Element, group: GroupSpec, record: dict[str, Any],
          write_empty: bool) -> None:
    sub = etree.SubElement
    for f in group.fields:
        if not f.xml:
            continue
        value = record.get(f.name)
        if is_empty(f.type, value, f.required):
            if f.required or write_empty:
                sub(parent, f.xml)  # a required one stays: the XSD names what is missing
            continue
        text = to_text(f.type, value)
        sub(parent, f.xml).text = f.exchange_text(text) if f.names else text


def at_path(root: etree._Element, path: str) -> etree._Element:
    """The element at ``path`` under ``root`` ("NoiDung/BangKe"), made where missing."""
    node = root
    for part in path.split("/"):
        found = node.find(part)
        node = found if found is not None else etree.SubElement(node, part)
    return node


def form_element(data: FormData) -> etree._Element:
    """The form's XML tree."""
    spec = data.spec
    write_empty = spec.empty == "write"
    root = etree.Element(spec.root)
    if spec.header.element:
        _fill(at_path(root, spec.header.element), spec.header, data.header, write_empty)
    if spec.rows is not None:
        container = at_path(root, spec.rows.container or spec.rows.element)
        for record in data.rows:
            _fill(etree.SubElement(container, spec.rows.element), spec.rows, record,
                  write_empty)
    etree.SubElement(root, spec.signature)
    return root


def to_bytes(root: etree._Element) -> bytes:
    """Serialise as every file of the dossier is: UTF-8 with an XML declaration."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


class FormReadError(ValueError):
    """A value in a form's XML that does not read as its type."""

    def __init__(self, row: int | None, field: str, code: str, value: str) -> None:
        super().__init__(f"{field}: {code} ({value!r})")
        self.row, self.field, self.code, self.value = row, field, code, value


def _read(group: GroupSpec, element: etree._Element, row: int | None) -> dict[str, Any]:
    by_tag = group.by_xml
    out: dict[str, Any] = {}
    for child in element:
        f = by_tag.get(child.tag) if isinstance(child.tag, str) else None
        if f is None:
            continue
        text = child.text or ""
        if not text.strip():
            out[f.name] = None
            continue
        if f.names:
            text = f.from_exchange(text.strip())
        try:
            out[f.name] = from_text(f.type, text)
        except ValueError as exc:
            raise FormReadError(row, f.name, exc.args[0], text) from None
    return out


def form_from_element(spec: FormSpec, root: etree._Element) -> FormData:
    """A form's values from its (already schema-checked) XML tree."""
    header_el = root.find(spec.header.element) if spec.header.element else None
    header = _read(spec.header, header_el, None) if header_el is not None else {}
    rows = []
    if spec.rows is not None:
        container = root.find(spec.rows.container)
        if container is not None:
            for index, el in enumerate(container.iterchildren(spec.rows.element), start=1):
                rows.append(_read(spec.rows, el, index))
    return FormData(spec, header, rows)


def form_from_bytes(spec: FormSpec, content: bytes) -> FormData:
    """A form's values read from its XML bytes as a stream: each row is read, then freed,
    so a 50,000-row form never stands whole in memory as a tree. The bytes must be one of
    our own stored files (read with entities and network off all the same)."""
    import io

    header: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    header_tag = spec.header.element.rpartition("/")[2]
    tags = ([header_tag] if header_tag else []) + ([spec.rows.element] if spec.rows else [])
    events = etree.iterparse(io.BytesIO(content), events=("end",), tag=tags,
                             resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=True)
    for _event, el in events:
        if el.tag == header_tag:
            header = _read(spec.header, el, None)
        else:
            rows.append(_read(spec.rows, el, len(rows) + 1))
        el.clear()
        while el.getprevious() is not None:
            del el.getparent()[0]
    return FormData(spec, header, rows)
