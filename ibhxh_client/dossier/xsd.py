"""Each form's XML schema: written from its definition, kept under forms/, checked before
any file leaves the program.

``python -m ibhxh_client.dossier.xsd`` rewrites forms/*/schema.xsd after a definition
changes; a test fails while a committed schema differs from its definition.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ..domain.formspec import Block, CodeList, FieldSpec, FormSpec, GroupSpec

XS = "http://www.w3.org/2001/XMLSchema"
DSIG = "http://www.w3.org/2000/09/xmldsig#"

ID_PATTERNS = {
    "bhxh": r"\d{10}",
    "cccd": r"\d{12}",
    "cmnd": r"\d{9}",
    "tax_code": r"\d{10}(-\d{3})?",
    "bhyt_card": r"[A-Z]{2}\d{13}",
    "kcb": r"\d{5}",
    "unit_code": r"[A-Z0-9]{3,10}",
    "agency_code": r"\d{5}",
    "phone": r"(0\d{9}|\+84\d{9})",
    "email": r"[^@\s]+@[^@\s]+\.[^@\s]+",
}
PATTERNS = {
    "date": r"\d{2}/\d{2}/\d{4}",
    "partial_date": r"(\d{2}/){0,2}\d{4}",
    "month": r"(0[1-9]|1[0-2])/\d{4}",
    "bool": r"[01]",
}


def _x(tag: str) -> str:
    return f"{{{XS}}}{tag}"


def _simple_type(parent: etree._Element, f: FieldSpec, codelists: dict[str, CodeList],
                 empty: bool = False) -> None:
    """The field's value type; ``empty``: an empty element is allowed too (an optional
    field of a form that writes every element, as the exchange's serializer does)."""
    simple = etree.SubElement(parent, _x("simpleType"))
    if f.type in ("int", "money") and not empty:
        r = etree.SubElement(simple, _x("restriction"), base="xs:nonNegativeInteger")
        etree.SubElement(r, _x("totalDigits"), value="15")
        if f.max is not None:
            etree.SubElement(r, _x("maxInclusive"), value=str(int(f.max)))
        return
    if f.type == "decimal" and not empty:
        r = etree.SubElement(simple, _x("restriction"), base="xs:decimal")
        etree.SubElement(r, _x("minInclusive"), value="0")
        if f.max is not None:
            etree.SubElement(r, _x("maxInclusive"), value=str(f.max))
        return
    r = etree.SubElement(simple, _x("restriction"), base="xs:string")
    optional = "?" if empty else ""
    if f.type in ("int", "money"):
        etree.SubElement(r, _x("pattern"), value=f"([0-9]{{1,15}}){optional}")
    elif f.type == "decimal":
        etree.SubElement(r, _x("pattern"), value=rf"([0-9]+(\.[0-9]+)?){optional}")
    elif f.type in ("text", "name"):
        if not empty:
            etree.SubElement(r, _x("minLength"), value="1")
        if f.max_length:
            etree.SubElement(r, _x("maxLength"), value=str(f.max_length))
    elif f.type == "id":
        etree.SubElement(r, _x("pattern"), value=f"({ID_PATTERNS[f.check]}){optional}"
                         if empty else ID_PATTERNS[f.check])
    elif f.type == "code":
        if empty:
            etree.SubElement(r, _x("enumeration"), value="")
        for code in codelists[f.codelist].entries:
            etree.SubElement(r, _x("enumeration"), value=f.exchange_text(code))
    else:
        etree.SubElement(r, _x("pattern"), value=f"({PATTERNS[f.type]}){optional}"
                         if empty else PATTERNS[f.type])


def _sequence(parent: etree._Element) -> etree._Element:
    return etree.SubElement(etree.SubElement(parent, _x("complexType")), _x("sequence"))


def _fields(seq: etree._Element, group: GroupSpec, codelists: dict[str, CodeList],
            write_empty: bool) -> None:
    for f in group.fields:
        if not f.xml:  # held and checked, not in the exchange file
            continue
        attrs = {"name": f.xml}
        if not f.required:
            attrs["minOccurs"] = "0"
        _simple_type(etree.SubElement(seq, _x("element"), attrs), f, codelists,
                     write_empty and not f.required)
    for block in group.unfilled:
        _block(seq, block)


def _block(seq: etree._Element, block: Block) -> None:
    """Elements defined by the exchange that nothing here fills: optional, text only."""
    attrs = {"name": block.element, "minOccurs": "0"}
    if block.repeated:
        attrs["maxOccurs"] = "unbounded"
    inner = _sequence(etree.SubElement(seq, _x("element"), attrs))
    for name in block.fields:
        etree.SubElement(inner, _x("element"), name=name, type="xs:string", minOccurs="0")
    for child in block.children:
        _block(inner, child)


class _Node:
    """An element of the form's tree, with what it holds in order: fields, a list of
    rows, or elements of its own."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.items: list[tuple[str, _Node | GroupSpec]] = []

    def at(self, path: str) -> _Node:
        node = self
        for part in path.split("/"):
            found = next((item for kind, item in node.items
                          if kind == "node" and isinstance(item, _Node) and item.name == part),
                         None)
            if found is None:
                found = _Node(part)
                node.items.append(("node", found))
            node = found
        return node


def _tree(spec: FormSpec) -> _Node:
    root = _Node(spec.root)
    if spec.header.element:
        root.at(spec.header.element).items.append(("fields", spec.header))
    if spec.rows is not None:
        root.at(spec.rows.container or spec.rows.element).items.append(("rows", spec.rows))
    return root


def _emit(seq: etree._Element, node: _Node, codelists: dict[str, CodeList],
          write_empty: bool) -> etree._Element:
    inner = _sequence(etree.SubElement(seq, _x("element"), name=node.name))
    for kind, item in node.items:
        if isinstance(item, _Node):
            _emit(inner, item, codelists, write_empty)
        elif kind == "fields":
            _fields(inner, item, codelists, write_empty)
        else:
            row = etree.SubElement(inner, _x("element"), name=item.element, minOccurs="0",
                                   maxOccurs="unbounded")
            _fields(_sequence(row), item, codelists, write_empty)
    return inner


def schema_for(spec: FormSpec, codelists: dict[str, CodeList]) -> bytes:
    """The XSD text of a form, from its definition and code lists."""
    schema = etree.Element(_x("schema"), nsmap={"xs": XS},
                           attrib={"elementFormDefault": "qualified"})
    schema.append(etree.Comment(f" {spec.code}: generated from forms/{spec.code}/form.toml "
                                "by python -m ibhxh_client.dossier.xsd; do not edit "))
    root = _emit(schema, _tree(spec), codelists, spec.empty == "write")
    cky = etree.SubElement(root, _x("element"), name=spec.signature)
    etree.SubElement(_sequence(cky), _x("any"), namespace=DSIG, processContents="skip",
                     minOccurs="0")
    return etree.tostring(schema, pretty_print=True, xml_declaration=True, encoding="UTF-8")


@lru_cache(maxsize=16)
def load_schema(path: Path) -> etree.XMLSchema:
    """A compiled schema (cached: compiling a large enumeration is not free)."""
    return etree.XMLSchema(etree.parse(str(path)))


def schema_errors(schema: etree.XMLSchema, root: etree._Element, limit: int = 50) -> list[str]:
    """The schema's complaints about a document, with line numbers, at most ``limit``."""
    if schema.validate(root):
        return []
    return [f"line {e.line}: {e.message}" for e in list(schema.error_log)[:limit]]


def write_all(root: Path | None = None) -> list[Path]:
    """Rewrite every form's schema.xsd (the registration files' too) from its definition;
    returns the changed files."""
    from ..catalog import load_catalog_from
    from ..paths import forms_dir

    catalog = load_catalog_from(root or forms_dir())
    changed = []
    for spec in [*catalog.forms.values(), *catalog.registrations.values()]:
        path = catalog.xsd_path(spec.code)
        text = schema_for(spec, catalog.codelists)
        if not path.exists() or path.read_bytes() != text:
            path.write_bytes(text)
            changed.append(path)
    return changed


if __name__ == "__main__":
    for p in write_all():
        print(f"wrote {p}")
    sys.exit(0)
