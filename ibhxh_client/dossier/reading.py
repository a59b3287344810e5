"""The forms inside an envelope read back as values, whatever layout they were written in.

A file is known by its exact name, as the exchange knows it (TK1-TS-595.xml). A name this
program wrote before it followed the exchange (TK1-TS_1.xml, D01-TS.xml, D02-TS.xml) is read
in the layout it was written in (the form definition's ``[[legacy]]``) and handed back in
the current definition: what was signed, sent or printed stays readable and printable, its
bytes untouched. Several files of one form (one TK1-TS per worker, as written then) come
back as one form with a row each.
"""

from __future__ import annotations

from ..catalog import Catalog
from ..domain.formspec import FormSpec
from ..domain.validation import FormData
from .envelope import read_envelope
from .xmlform import form_from_bytes


def _spec_of(catalog: Catalog, file_name: str, code: str) -> tuple[FormSpec, FormSpec] | None:
    found = catalog.layout_of(file_name)
    if found is not None:
        return found
    spec = catalog.form_by_exchange(code)  # a name no form has: its code, as written now
    return (spec, spec) if spec is not None else None


def _current(spec: FormSpec, layout: FormSpec, data: FormData, rows_before: int) -> FormData:
    """A form read in ``layout`` as the current definition ``spec`` holds it: field names
    are kept across layouts, so only the shape may change (a per-worker file of old is one
    row now)."""
    if layout is not spec and spec.per == "row" and layout.rows is None:
        return FormData(spec, {}, [{**data.header, "stt": rows_before + 1}])
    return FormData(spec, data.header, data.rows)


def envelope_forms(catalog: Catalog, envelope: bytes) -> list[FormData]:
    """Each form of the envelope, in the envelope's order, one per form (files of one form
    joined), read as a stream (see ``xmlform.form_from_bytes``). Files of no known form
    (an attachment) are left out."""
    out: list[FormData] = []
    by_code: dict[str, FormData] = {}
    for f in read_envelope(envelope).files:
        found = _spec_of(catalog, f.file_name, f.form)
        if found is None:
            continue
        spec, layout = found
        held = by_code.get(spec.code)
        data = _current(spec, layout, form_from_bytes(layout, f.content),
                        len(held.rows) if held else 0)
        if held is None:
            by_code[spec.code] = data
            out.append(data)
        else:
            held.rows.extend(data.rows)
    return out
