"""Print layouts as read from forms/<CODE>/print.toml and forms/cover/print.toml.

A layout names the fields of the form's definition (form.toml) that appear and where:
columns of a list, lines of a person's or unit's declaration, the unit block, the summary
under a table. Labels and value formats stay in form.toml, so the printer, the XML writer
and the validator cannot disagree. Everything is checked against the definition when
loaded: a misspelt field name is an error naming the file, not a blank column on paper.
No Qt here.
"""

from __future__ import annotations

import string
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..catalog import Catalog
from ..domain.formspec import FormSpec

ORIENTATIONS = ("portrait", "landscape")
ALIGNS = ("left", "center", "right")
SHOWS = ("label", "code", "both")
COVER_DIR = "cover"
# What a layout's texts may name in {braces}: filled by the program for every page.
PLACEHOLDERS = frozenset({"dossier_id", "unit_code", "unit_name", "period", "procedure",
                          "procedure_name", "place", "day", "month", "year", "sha256", "form",
                          "page", "pages"})


class LayoutError(Exception):
    """A print layout that is broken: names the file and what is wrong in it."""


@dataclass(frozen=True)
class Column:
    """One column of a printed list."""

    field: str  # a row field of form.toml ("" for the cover's own columns)
    width: float  # a ratio of the table's width
    align: str = "left"
    wrap: bool = False  # long text takes more lines (up to ``lines``) instead of being cut
    lines: int = 2
    total: bool = False  # summed in the totals row
    optional: bool = False  # printed only when some row has a value
    show: str = "label"  # code fields: the code, its name in the list, or both
    label: str = ""  # the cover's own columns; form columns take the field's label


@dataclass(frozen=True)
class Signature:
    """A signature block: who signs, how, and the name printed under the space."""

    title: str
    note: str = ""
    name: str = ""  # "contact", "signer" or a header field; "" leaves a blank line


@dataclass(frozen=True)
class Section:
    """A further part of a declaration, printed only when its ``when`` field has a value
    (TK1-TS's part II, for someone who already has a BHXH number and asks for a change)."""

    title: str
    when: str
    lines: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class FormLayout:
    """How one form is printed: a list (columns) or a declaration (lines)."""

    form: str
    orientation: str
    font_size: float
    title: tuple[str, ...]
    subtitle: tuple[str, ...] = ()
    form_note: str = ""
    unit_fields: tuple[str, ...] = ()  # header fields, or text templates on the cover
    section: str = ""
    lines: tuple[tuple[str, ...], ...] = ()
    upper: frozenset[str] = frozenset()
    show: dict[str, str] = field(default_factory=dict)
    columns: tuple[Column, ...] = ()
    numbered: bool = False
    summary: tuple[str, ...] = ()
    date_field: str = ""
    signatures: tuple[Signature, ...] = ()
    footer: str = ""  # the page footer, when not the dossier's ([page] footer)
    sections: tuple[Section, ...] = ()  # declarations: parts printed when they apply

    @property
    def is_list(self) -> bool:
        return bool(self.columns)


@dataclass(frozen=True)
class CoverLayout(FormLayout):
    """The cover: a form layout of its own columns plus the reason and the QR block."""

    reason_label: str = ""
    reason_note: str = ""
    qr_caption: str = ""
    qr_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageSettings:
    """What every printed page shares."""

    margins_mm: tuple[float, float, float, float]  # top, right, bottom, left
    national: tuple[str, ...]
    date_line: str
    footer: str
    page_number: str
    continued: str
    signature_space_mm: float = 22.0


@dataclass(frozen=True)
class Layouts:
    """Every layout of the catalogue, checked against the form definitions."""

    page: PageSettings
    cover: CoverLayout
    forms: dict[str, FormLayout]
    registrations: dict[str, FormLayout] = field(default_factory=dict)  # 04_DK-IVAN …

    def form(self, code: str) -> FormLayout:
        try:
            return self.forms.get(code) or self.registrations[code]
        except KeyError:
            raise LayoutError(f"no print layout for form {code} "
                              f"(forms/{code}/print.toml)") from None


def _check_template(where: str, text: str) -> str:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise LayoutError(f"{where}: '{text}': {exc}") from None
    unknown = sorted(names - PLACEHOLDERS)
    if unknown:
        raise LayoutError(f"{where}: '{text}' names unknown {{{', '.join(unknown)}}}; "
                          f"known: {', '.join(sorted(PLACEHOLDERS))}")
    return text


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LayoutError(f"{path}: missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(f"{path}: {exc}") from None


def _choice(where: str, key: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise LayoutError(f"{where}: {key} '{value}' is not one of {', '.join(allowed)}")
    return value


def _column(raw: dict[str, Any], where: str) -> Column:
    known = {"field", "width", "align", "wrap", "lines", "total", "optional", "show", "label"}
    unknown = set(raw) - known
    if unknown:
        raise LayoutError(f"{where}: unknown column keys {sorted(unknown)}")
    try:
        width = float(raw["width"])
    except (KeyError, TypeError, ValueError):
        raise LayoutError(f"{where}: column {raw} needs a numeric width") from None
    if width <= 0:
        raise LayoutError(f"{where}: column {raw} has a width that is not positive")
    return Column(field=raw.get("field", ""), width=width,
                  align=_choice(where, "align", raw.get("align", "left"), ALIGNS),
                  wrap=bool(raw.get("wrap", False)), lines=_lines(raw, where),
                  total=bool(raw.get("total", False)),
                  optional=bool(raw.get("optional", False)),
                  show=_choice(where, "show", raw.get("show", "label"), SHOWS),
                  label=raw.get("label", ""))


def _section(raw: dict[str, Any], where: str) -> Section:
    unknown = set(raw) - {"title", "when", "lines"}
    if unknown or "when" not in raw or not raw.get("lines"):
        raise LayoutError(f"{where}: a section has a title, 'when' (a field) and lines: {raw}")
    return Section(title=raw.get("title", ""), when=raw["when"],
                   lines=tuple(tuple(line) for line in raw["lines"]))


def _lines(raw: dict[str, Any], where: str) -> int:
    lines = raw.get("lines", 2)
    if not isinstance(lines, int) or not 1 <= lines <= 6:
        raise LayoutError(f"{where}: column {raw.get('field', raw)}: lines must be 1–6")
    return lines


def _signatures(raw: list[dict[str, Any]], where: str) -> tuple[Signature, ...]:
    out = []
    for item in raw:
        if "title" not in item:
            raise LayoutError(f"{where}: a signature block needs a title: {item}")
        out.append(Signature(item["title"], item.get("note", ""), item.get("name", "")))
    return tuple(out)


def _strings(raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, ())
    if isinstance(value, str):
        value = [value]
    if not all(isinstance(v, str) for v in value):
        raise LayoutError(f"{where}: {key} must be text or a list of texts")
    return tuple(_check_template(where, v) for v in value)


def _common(raw: dict[str, Any], where: str, default_title: tuple[str, ...]) -> dict[str, Any]:
    font_size = raw.get("font_size", 9)
    if not isinstance(font_size, int | float) or not 6 <= font_size <= 14:
        raise LayoutError(f"{where}: font_size {font_size} is outside 6–14 points")
    return {
        "orientation": _choice(where, "orientation", raw.get("orientation", "portrait"),
                               ORIENTATIONS),
        "font_size": float(font_size),
        "title": _strings(raw, "title", where) or default_title,
        "subtitle": _strings(raw, "subtitle", where),
        "form_note": raw.get("form_note", ""),
        "unit_fields": _strings(raw, "unit_fields", where),
        "section": raw.get("section", ""),
        "numbered": bool(raw.get("numbered", False)),
        "signatures": _signatures(raw.get("signatures", []), where),
        "footer": _check_template(where, raw.get("footer", "")),
    }


def _check_names(where: str, what: str, names: Any, allowed: set[str]) -> None:
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise LayoutError(f"{where}: {what} names fields that the form does not have: "
                          f"{', '.join(unknown)}")


def form_layout(path: Path, spec: FormSpec) -> FormLayout:
    """Read one form's print.toml and check every name in it against the form."""
    where = str(path)
    raw = _read(path)
    if raw.get("form") != spec.code:
        raise LayoutError(f"{where}: form = '{raw.get('form')}', expected '{spec.code}'")
    common = _common(raw, where, (spec.title["vi"].upper(),))
    header = {f.name for f in spec.header.fields}
    rows = {f.name for f in spec.rows.fields} if spec.rows else set()
    columns = tuple(_column(c, where) for c in raw.get("columns", []))
    lines = tuple(tuple(line) for line in raw.get("lines", []))
    show = dict(raw.get("show", {}))
    if columns and spec.rows is None:
        raise LayoutError(f"{where}: columns given, but {spec.code} has no list of rows")
    if spec.rows is not None and not columns and spec.per != "row":
        raise LayoutError(f"{where}: {spec.code} is a list; its print layout needs columns")
    # A form whose every row is a declaration of its own (TK1-TS) prints a page per row,
    # from the header's fields and the row's.
    record = header | rows if spec.per == "row" and not columns else header
    _check_names(where, "columns", [c.field for c in columns], rows)
    _check_names(where, "unit_fields", [n for n in common["unit_fields"] if "{" not in n],
                 header)
    _check_names(where, "summary", raw.get("summary", []), header)
    _check_names(where, "lines", [n for line in lines for n in line], record)
    sections = tuple(_section(raw_section, where) for raw_section in raw.get("sections", []))
    if sections and (columns or not lines):
        raise LayoutError(f"{where}: sections go with a declaration's lines")
    for section in sections:
        _check_names(where, "sections", [section.when, *(n for line in section.lines
                                                          for n in line)], record)
    _check_names(where, "upper", raw.get("upper", []), header | rows)
    _check_names(where, "show", show, record)
    for name, value in show.items():
        _choice(where, f"show.{name}", value, SHOWS)
    date_field = raw.get("date_field", "")
    if date_field:
        _check_names(where, "date_field", [date_field], record)
        if spec.find_field(date_field).type != "date":  # type: ignore[union-attr]
            raise LayoutError(f"{where}: date_field '{date_field}' is not a date")
    names = record | {"contact", "signer", ""}
    _check_names(where, "signatures", [s.name for s in common["signatures"]], names)
    for col in columns:
        ftype = spec.rows.field(col.field).type  # type: ignore[union-attr]
        if col.total and ftype not in ("int", "money"):
            raise LayoutError(f"{where}: column {col.field} is totalled but is not a number")
    return FormLayout(form=spec.code, lines=lines, upper=frozenset(raw.get("upper", [])),
                      show=show, columns=columns, summary=tuple(raw.get("summary", [])),
                      date_field=date_field, sections=sections, **common)


def cover_layout(path: Path) -> tuple[PageSettings, CoverLayout]:
    """Read the shared page settings and the cover (forms/cover/print.toml)."""
    where = str(path)
    raw = _read(path)
    try:
        page, cover = raw["page"], raw["cover"]
        margins = page["margins_mm"]
        settings = PageSettings(
            margins_mm=tuple(float(margins[k]) for k in ("top", "right", "bottom", "left")),
            national=tuple(page["national"]),
            date_line=_check_template(where, page["date_line"]),
            footer=_check_template(where, page["footer"]),
            page_number=_check_template(where, page["page_number"]),
            continued=_check_template(where, page["continued"]),
            signature_space_mm=float(page.get("signature_space_mm", 22)))
    except (KeyError, TypeError, ValueError) as exc:
        raise LayoutError(f"{where}: [page] is missing or has a bad {exc}") from None
    common = _common(cover, where, ("PHIẾU GIAO NHẬN HỒ SƠ",))
    columns = tuple(_column(c, where) for c in cover.get("columns", []))
    if len(columns) != 5:
        raise LayoutError(f"{where}: the cover needs five columns (STT, document, form, "
                          f"count, pages)")
    return settings, CoverLayout(
        form="cover", columns=columns, reason_label=cover.get("reason_label", ""),
        reason_note=cover.get("reason_note", ""), qr_caption=cover.get("qr_caption", ""),
        qr_lines=_strings(cover, "qr_lines", where), **common)


def load_layouts_from(catalog: Catalog) -> Layouts:
    """Every form's layout, checked against its definition; a form without one is an
    error, so a new form cannot be filed on paper without its layout."""
    settings, cover = cover_layout(catalog.root / COVER_DIR / "print.toml")
    forms = {code: form_layout(catalog.root / code / "print.toml", spec)
             for code, spec in catalog.forms.items()}
    registrations = {code: form_layout(catalog.root / code / "print.toml", spec)
                     for code, spec in catalog.registrations.items()}
    return Layouts(settings, cover, forms, registrations)


_CACHE: dict[Path, Layouts] = {}


def load_layouts(catalog: Catalog) -> Layouts:
    """The layouts of a catalogue (cached by its folder: shipped read-only data)."""
    layouts = _CACHE.get(catalog.root)
    if layouts is None:
        layouts = _CACHE[catalog.root] = load_layouts_from(catalog)
    return layouts
