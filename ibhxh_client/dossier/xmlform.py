"""A form's values to its XML and back, driven by the form definition.

Output is deterministic: the same values give the same bytes (UTF-8, fixed element order,
no timestamps of its own). The signature placeholder <Cky/> is always the last child.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from ..domain.formspec import FormSpec, GroupSpec
from ..domain.validation import FormData
from ..domain.values import from_text, is_empty, to_text

SIGNATURE_ELEMENT = "Cky"


def _fill(parent: etree._Element, group: GroupSpec, record: dict[str, Any]) -> None:
    sub = etree.SubElement
    for f in group.fields:
        value = record.get(f.name)
        if is_empty(f.type, value, f.required):
            if f.required:
                sub(parent, f.xml)  # keep the element: the XSD names what is missing
            continue
        sub(parent, f.xml).text = to_text(f.type, value)


def form_element(data: FormData) -> etree._Element:
    """The form's XML tree."""
    spec = data.spec
    root = etree.Element(spec.root)
    _fill(etree.SubElement(root, spec.header.element), spec.header, data.header)
    if spec.rows is not None:
        container = etree.SubElement(root, spec.rows.container)
        for record in data.rows:
            _fill(etree.SubElement(container, spec.rows.element), spec.rows, record)
    etree.SubElement(root, SIGNATURE_ELEMENT)
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
        try:
            out[f.name] = from_text(f.type, text)
        except ValueError as exc:
            raise FormReadError(row, f.name, exc.args[0], text) from None
    return out


def form_from_element(spec: FormSpec, root: etree._Element) -> FormData:
    """A form's values from its (already schema-checked) XML tree."""
    header_el = root.find(spec.header.element)
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
    tags = [spec.header.element] + ([spec.rows.element] if spec.rows else [])
    events = etree.iterparse(io.BytesIO(content), events=("end",), tag=tags,
                             resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=True)
    for _event, el in events:
        if el.tag == spec.header.element:
            header = _read(spec.header, el, None)
        else:
            rows.append(_read(spec.rows, el, len(rows) + 1))
        el.clear()
        while el.getprevious() is not None:
            del el.getparent()[0]
    return FormData(spec, header, rows)
