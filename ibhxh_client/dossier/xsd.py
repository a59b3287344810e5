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

from ..domain.formspec import CodeList, FieldSpec, FormSpec, GroupSpec

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


def _simple_type(parent: etree._Element, f: FieldSpec, codelists: dict[str, CodeList]) -> None:
    simple = etree.SubElement(parent, _x("simpleType"))
    if f.type in ("int", "money"):
        r = etree.SubElement(simple, _x("restriction"), base="xs:nonNegativeInteger")
        etree.SubElement(r, _x("totalDigits"), value="15")
        if f.max is not None:
            etree.SubElement(r, _x("maxInclusive"), value=str(int(f.max)))
        return
    if f.type == "decimal":
        r = etree.SubElement(simple, _x("restriction"), base="xs:decimal")
        etree.SubElement(r, _x("minInclusive"), value="0")
        if f.max is not None:
            etree.SubElement(r, _x("maxInclusive"), value=str(f.max))
        return
    r = etree.SubElement(simple, _x("restriction"), base="xs:string")
    if f.type in ("text", "name"):
        etree.SubElement(r, _x("minLength"), value="1")
        if f.max_length:
            etree.SubElement(r, _x("maxLength"), value=str(f.max_length))
    elif f.type == "id":
        etree.SubElement(r, _x("pattern"), value=ID_PATTERNS[f.check])
    elif f.type == "code":
        for code in codelists[f.codelist].entries:
            etree.SubElement(r, _x("enumeration"), value=code)
    else:
        etree.SubElement(r, _x("pattern"), value=PATTERNS[f.type])


def _group(parent: etree._Element, group: GroupSpec, codelists: dict[str, CodeList]) -> None:
    seq = etree.SubElement(etree.SubElement(parent, _x("complexType")), _x("sequence"))
    for f in group.fields:
        attrs = {"name": f.xml}
        if not f.required:
            attrs["minOccurs"] = "0"
        _simple_type(etree.SubElement(seq, _x("element"), attrs), f, codelists)


def schema_for(spec: FormSpec, codelists: dict[str, CodeList]) -> bytes:
    """The XSD text of a form, from its definition and code lists."""
    schema = etree.Element(_x("schema"), nsmap={"xs": XS},
                           attrib={"elementFormDefault": "qualified"})
    schema.append(etree.Comment(f" {spec.code}: generated from forms/{spec.code}/form.toml "
                                "by python -m ibhxh_client.dossier.xsd; do not edit "))
    root = etree.SubElement(schema, _x("element"), name=spec.root)
    seq = etree.SubElement(etree.SubElement(root, _x("complexType")), _x("sequence"))
    _group(etree.SubElement(seq, _x("element"), name=spec.header.element), spec.header,
           codelists)
    if spec.rows is not None:
        container = etree.SubElement(seq, _x("element"), name=spec.rows.container)
        inner = etree.SubElement(etree.SubElement(container, _x("complexType")), _x("sequence"))
        row = etree.SubElement(inner, _x("element"), name=spec.rows.element, minOccurs="0",
                               maxOccurs="unbounded")
        _group(row, spec.rows, codelists)
    cky = etree.SubElement(seq, _x("element"), name="Cky")
    cky_seq = etree.SubElement(etree.SubElement(cky, _x("complexType")), _x("sequence"))
    etree.SubElement(cky_seq, _x("any"), namespace=DSIG, processContents="skip",
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
    """Rewrite every form's schema.xsd from its definition; returns the changed files."""
    from ..catalog import load_catalog_from
    from ..paths import forms_dir

    catalog = load_catalog_from(root or forms_dir())
    changed = []
    for spec in catalog.forms.values():
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
