"""What a form is, as read from its definition under forms/: fields, groups, procedures.

These classes hold no behaviour beyond small look-ups: the validator, the XML writer, the
XSD generator and the printer all read them, so a new decree is a data change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

FIELD_TYPES = ("text", "name", "id", "int", "money", "decimal", "date", "partial_date",
               "month", "code", "bool")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form: its XML element, value type, checks and labels."""

    name: str
    xml: str  # "": the exchange format has no element for it (held, checked, not sent)
    type: str
    source: str  # "worker.full_name", "line.salary", "row.stt" …; "": no data, written empty
    label: dict[str, str]
    required: bool = False
    max_length: int | None = None
    codelist: str | None = None
    check: str | None = None  # identifier check name in domain.ids (bhxh, cccd …)
    max: float | None = None
    # A code field whose exchange element holds the code list's Vietnamese name
    # (TenLoaiVanBan): "label"; the pairs (code, name) are filled in from the code list.
    written: str = "code"
    names: tuple[tuple[str, str], ...] = ()
    # Where the element itself comes from, as docs/exchange-format.md tags facts: its
    # status (law, seen, check) and the source keys (T4, X1 …); "" when not given.
    status: str = ""
    ref: str = ""

    @cached_property
    def _by_name(self) -> dict[str, str]:
        return {name: code for code, name in self.names}

    def exchange_text(self, value: str) -> str:
        """What the exchange carries for a code: the code, or its name (``written``)."""
        return dict(self.names).get(value, value) if self.names else value

    def from_exchange(self, text: str) -> str:
        """A code read back from what the exchange carries (an unknown name is kept, for
        the code list check to name)."""
        return self._by_name.get(text, text) if self.names else text

    @property
    def owner(self) -> str:
        """The object the value comes from: worker, line, employer, declaration, doc …
        ("" for a field the program holds no data for)."""
        return self.source.split(".", 1)[0]

    @property
    def attr(self) -> str:
        return self.source.partition(".")[2]

    def label_in(self, lang: str) -> str:
        return self.label.get(lang) or self.label.get("vi") or self.name


@dataclass(frozen=True)
class Block:
    """Elements the exchange format defines that the program never fills (TK1-TS's
    household appendix, PhuLuc): the schema accepts them, nothing writes them, reading
    passes over them. Every leaf is text."""

    element: str
    fields: tuple[str, ...] = ()
    children: tuple[Block, ...] = ()
    repeated: bool = False


@dataclass(frozen=True)
class GroupSpec:
    """A group of fields: the header block, or the repeated rows of a list.

    ``element`` and ``container`` are paths from the form's root ("NoiDung",
    "NoiDung/BangKe"); a header with no element has no fields of its own (TK1-TS)."""

    element: str
    fields: tuple[FieldSpec, ...]
    container: str | None = None  # the list element holding the rows
    source: str | None = None  # rows: "lines", "new_workers", "documents" or "claims"
    unfilled: tuple[Block, ...] = ()  # after the fields: defined, never written

    def field(self, name: str) -> FieldSpec:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @cached_property
    def by_xml(self) -> dict[str, FieldSpec]:
        """The fields by their XML element name (what reading a form looks them up by)."""
        return {f.xml: f for f in self.fields}


STATUSES = ("law", "seen", "check")  # as forms/rates.toml and DOMAIN.md tag facts


@dataclass(frozen=True)
class Provenance:
    """Where a definition's facts come from: its file (name, version suffix, signature
    place) and its layout (the elements inside), each with a status and a source."""

    file_status: str
    file_source: str
    layout_status: str
    layout_source: str


@dataclass(frozen=True)
class LegacyFile:
    """A file name this program wrote before, read back (never written) so that what was
    signed or sent stays readable and printable; ``layout`` None: the current one."""

    file_name: str  # may hold {stt}, numbered files of one kind (TK1-TS_1.xml …)
    layout: FormSpec | None = None

    def matches(self, name: str) -> bool:
        pattern = re.escape(self.file_name).replace(re.escape("{stt}"), "[0-9]+")
        return re.fullmatch(pattern, name) is not None


@dataclass(frozen=True)
class FormSpec:
    """A whole form: D02-LT, TK1-TS, TK3-TS, D01-TS …"""

    code: str  # the name an officer knows it by, as on the printed form: D02-LT
    root: str  # its code in the exchange format, the XML root and MaToKhai: D02-TS
    title: dict[str, str]
    file_name: str  # exactly as the exchange names it: D02-TS-595.xml
    header: GroupSpec
    rows: GroupSpec | None = None
    # "dossier": the file is one declaration; "row": each row is one (TK1-TS: one file,
    # one LaoDong per worker, one printed page per worker)
    per: str = "dossier"
    rules: tuple[str, ...] = ()
    version: str = ""  # the decision its file name's suffix names (595), "" for none
    signature: str = "Cky"  # the element under the root the form is signed in
    empty: str = "omit"  # an optional field without a value: "omit" it or "write" it empty
    provenance: Provenance | None = None
    legacy: tuple[LegacyFile, ...] = ()
    # "dossier": a form that travels in the envelope (BHXHDienTu.xml); "registration": a
    # file of its own, the unit's registration for electronic filing (04_DK-IVAN …)
    kind: str = "dossier"

    def layout_for(self, file_name: str) -> FormSpec | None:
        """The layout a file of this form with this name was written in: this one, an
        older one (``legacy``), or None when the name is not one of this form's."""
        if file_name == self.file_name:
            return self
        for old in self.legacy:
            if old.matches(file_name):
                return old.layout or self
        return None

    def groups(self) -> tuple[GroupSpec, ...]:
        return (self.header, self.rows) if self.rows else (self.header,)

    def find_field(self, name: str) -> FieldSpec | None:
        for group in self.groups():
            for f in group.fields:
                if f.name == name:
                    return f
        return None


@dataclass(frozen=True)
class EnvelopeSpec:
    """The envelope (Hoso) as forms/envelope/envelope.toml describes it: its file name,
    root and signature place, the I-VAN it names, and the rules by which the reference
    derives MaToKhai from a file name and MaThuTuc from a procedure code."""

    file_name: str  # BHXHDienTu.xml
    root: str  # Hoso
    signature: str  # CKy_Dvi, a child of the root
    ivan_code: str
    ivan_name: str
    unit_kind: str  # LoaiDoiTuong: 1 = an organisation, an employer
    form_code_removes: tuple[str, ...]  # taken out of a file's stem: -595
    attachment_types: tuple[str, ...]  # .pdf, .docx, .xlsx
    attachment_code: str  # CT-DK
    procedure_code_removes: tuple[str, ...]  # -595, -959, _959, _595, _166, -166
    provenance: Provenance | None = None

    @staticmethod
    def file_type(file_name: str) -> str:
        """LoaiFile: the extension with its dot (".xml"), "" when there is none."""
        stem, dot, ext = file_name.rpartition(".")
        return f".{ext}" if dot and stem else ""

    def form_code(self, file_name: str) -> str:
        """MaToKhai: CT-DK for an attachment, else the stem with the suffixes removed."""
        kind = self.file_type(file_name)
        if kind.lower() in self.attachment_types:
            return self.attachment_code
        code = file_name[:len(file_name) - len(kind)]
        for suffix in self.form_code_removes:
            code = code.replace(suffix, "")
        return code

    def procedure_code(self, code: str) -> str:
        """MaThuTuc: the procedure's code with every version suffix removed, in order."""
        for suffix in self.procedure_code_removes:
            code = code.replace(suffix, "")
        return code

    @property
    def signature_path(self) -> str:
        """Where the unit signs the envelope, from the root: /Hoso/CKy_Dvi."""
        return f"/{self.root}/{self.signature}"


@dataclass(frozen=True)
class FormNeed:
    """A form a procedure takes, the condition under which it needs it, and what the
    procedure asks of it beyond the form's own definition: where its rows come from
    (``rows``: "lines" for one row per line, when the form's own source is narrower) and
    the rules it adds (``rules``). ``status`` and ``source`` say how sure we are that the
    procedure takes this form (docs/exchange-format.md tags)."""

    form: str
    when: str
    rows: str | None = None
    rules: tuple[str, ...] = ()
    status: str = ""
    source: str = ""


@dataclass(frozen=True)
class LineField:
    """One value a procedure's line (or, for a procedure without workers, its dossier)
    holds, named by the form field that shows it: its label, type and code list are that
    field's. ``attr`` is where the value lives: "row" (the row number), "worker.<name>"
    (read from the worker), or the line's (the declaration's) own attribute."""

    form: str
    field: str
    attr: str

    @property
    def editable(self) -> bool:
        return self.attr != "row" and not self.attr.startswith("worker.")


@dataclass(frozen=True)
class Procedure:
    """A procedure (thủ tục 600, 604, 607 …): its plan codes, what each line asks, the
    forms it needs and the checks it adds to them (forms/procedures.toml)."""

    code: str
    name: dict[str, str]
    plans: tuple[str, ...]
    forms: tuple[FormNeed, ...]
    default_plan: str = ""  # a new line's plan code ("" for a procedure without plans)
    status: str = ""
    source: str = ""
    plans_status: str = ""
    plans_source: str = ""
    # Where D01-TS's rows come from: "late" (a row for each line that starts before the
    # period, from its decision), "every" (each line's own document), "none"
    documents: str = "none"
    workers: bool = True  # False: the dossier is about the unit itself (604), no lines
    line: tuple[str, ...] = ()  # what ``--line WORKER:…`` gives after the worker, in order
    columns: tuple[LineField, ...] = ()  # a line's values, as the editor shows them
    header: tuple[LineField, ...] = ()  # the dossier's own values (604: what changed)
    # True: a benefit claim list (630a, 630b, 630c): its rows are the dossier's claims
    # (domain.claims), made by the claims commands, never lines of ``declare``
    claims: bool = False

    def need(self, form: str) -> FormNeed | None:
        """The procedure's entry for a form, or None when it does not take it."""
        return next((n for n in self.forms if n.form == form), None)

    def rules_for(self, form: str) -> tuple[str, ...]:
        """The rules this procedure adds to a form's own."""
        found = self.need(form)
        return found.rules if found else ()

    def column(self, attr: str) -> LineField | None:
        """The line value held at ``attr`` ("salary", "worker.bhxh_number" …), or None."""
        return next((c for c in self.columns if c.attr == attr), None)


@dataclass(frozen=True)
class RetiredProcedure:
    """A code this program once filed under that Social Security does not have (600a,
    600b): refused for anything new, with where such a change is filed now; a dossier
    sent under it keeps it, and is shown with this name."""

    code: str
    filed_under: str
    kind: str  # the plan codes' kind it held: decrease, adjust
    name: dict[str, str]
    status: str = ""
    source: str = ""


@dataclass(frozen=True)
class CodeList:
    """A list of codes with their names; extra columns are kept by name."""

    name: str
    entries: dict[str, dict[str, str]] = field(default_factory=dict)

    def __contains__(self, code: object) -> bool:
        return code in self.entries

    def label(self, code: str, lang: str = "vi") -> str:
        entry = self.entries.get(code)
        return entry.get(lang, code) if entry else code

    def column(self, code: str, column: str, default: Any = None) -> Any:
        entry = self.entries.get(code)
        return entry.get(column, default) if entry else default
