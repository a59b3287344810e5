"""The rows of an analysed sheet as typed values, column by column.

Columns are read whole (each value of a column once, through a memo), which is what keeps
a 50,000-row file close to the time of reading it at all. Blank rows, total rows and the
signature block under the table are left out; every cell the importer had to change or
could not read is noted against its row and column.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from ..catalog import Catalog
from ..domain.text import detect_legacy_many, fold, looks_vietnamese, nfc
from .convert import TEXT_KINDS, cached, reader_for
from .layout import Analysis, Column, is_numbering_row

# A row is about a person only when one of these holds something.
KEY_TARGETS = {
    "workers": frozenset({"full_name", "family_name", "given_name", "bhxh_number", "cccd",
                          "cmnd", "idcard", "birth_date"}),
    "lines": frozenset({"full_name", "family_name", "given_name", "bhxh_number", "cccd",
                        "cmnd", "idcard", "plan", "from_month"}),
}
# First words of the rows under a table that are not people: totals and signatures.
_NOT_A_PERSON = re.compile(
    r"^(tong|cong|total|sum|nguoi lap|thu truong|giam doc|ke toan|xac nhan|ngay\b.*thang"
    r"|\(?ky,? ghi ro|ghi chu\b|luu y\b)")


@dataclass
class RowIssue:
    """Something about one cell (``column`` set) or one row: a message code and where."""

    row: int  # 1-based row of the sheet
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"  # error | warning
    column: Column | None = None
    target: str | None = None  # the target (a Worker attribute or line part)
    label: dict[str, str] | None = None  # the field's name in both languages

    def text(self, lang: str = "vi") -> str:
        from ..domain.validation import Problem

        return Problem("", self.row, self.target, self.code, self.params).text(lang)

    def where(self, lang: str = "vi") -> str:
        from ..domain.messages import say

        place = say("import_report_row", lang) + f" {self.row}"
        if self.column is not None:
            header = self.column.header or self.column.letter
            place += f", {say('import_report_column', lang).lower()} {self.column.letter} "
            place += f"({header})"
        elif self.label:
            place += ", " + (self.label.get(lang) or self.label["vi"])
        return place

    def message(self, lang: str = "vi") -> str:
        return f"{self.where(lang)}: {self.text(lang)}"

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {"row": self.row, "column": self.column.letter if self.column else None,
                "header": self.column.header if self.column else None,
                "field": self.target, "code": self.code, "severity": self.severity,
                "message": self.message(lang)}


@dataclass(slots=True)
class RowData:
    """One row about a person: its typed values by target, and what was noted."""

    row: int  # 1-based row of the sheet
    index: int  # position among the sheet's rows (0-based), for the report
    values: dict[str, Any]
    issues: list[RowIssue] = field(default_factory=list)

    @property
    def has_error(self) -> bool:
        return any(i.severity == "error" for i in self.issues)


@dataclass
class ColumnNote:
    """Something about a whole column: converted from a legacy font, or ignored."""

    column: Column
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "vi") -> str:
        from ..domain.messages import say

        return say(self.code, lang, column=self.column.header or self.column.letter,
                   **self.params)


@dataclass
class Extraction:
    rows: list[RowData]
    notes: list[ColumnNote]
    skipped: int  # blank, total and signature rows
    legacy: dict[int, str]  # column index → "tcvn3" | "vni" | "auto" (cell by cell)


def column_legacy(values: list[Any]) -> str | None:
    """The legacy encoding of a column, "auto" when some cells may be legacy but the
    column as a whole is not one encoding, or None.

    Most columns are plain Unicode: their distinct words are checked once each, which is
    fast; only a column with a word that is not Vietnamese goes through the full test.
    """
    texts = [v for v in set(values) if v.__class__ is str and not v.isascii()]
    if not texts:
        return None
    words = {w for w in set(nfc(" ".join(texts)).split()) if not w.isascii()}
    if all(looks_vietnamese(w) for w in words):
        return None
    return detect_legacy_many(nfc(t) for t in texts) or "auto"


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many small objects are made.

    A sheet of 50,000 rows is some 750,000 live cells; every collection the allocations
    trigger walks them all, which doubled the time of reading the rows. Nothing made here
    holds a reference cycle, so nothing is left for the collector to find afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def extract(analysis: Analysis, catalog: Catalog) -> Extraction:
    """Read every row under the header as typed values (see the module's docstring)."""
    with gc_paused():
        return _extract(analysis, catalog)


def _extract(analysis: Analysis, catalog: Catalog) -> Extraction:
    assert analysis.data is not None, "analyse() keeps the sheet's rows"
    body = analysis.data.rows[analysis.first_data_row - 1:]
    first = analysis.first_data_row
    mapped = [c for c in analysis.columns
              if c.target and analysis.targets[c.target].kind != "ignore"]
    if body and is_numbering_row(body[0], len(mapped)):
        body, first = body[1:], first + 1
    n = len(body)
    key_targets = KEY_TARGETS[analysis.use]
    square = min(map(len, body), default=0)  # calamine's rows all have the sheet's width
    notes: list[ColumnNote] = []
    legacy_of: dict[int, str] = {}
    value_cols: list[tuple[Column, tuple[Any, ...]]] = []
    issues_by_row: dict[int, list[RowIssue]] = {}
    keyed = [False] * n
    for column in mapped:
        i = column.index
        raw = (list(map(itemgetter(i), body)) if i < square else
               [r[i] if i < len(r) else None for r in body])
        target = analysis.targets[column.target or ""]
        legacy = column_legacy(raw) if target.kind in TEXT_KINDS else None
        if legacy:
            legacy_of[i] = legacy
        if legacy in ("tcvn3", "vni"):
            notes.append(ColumnNote(column, "import_legacy",
                                    {"encoding": "TCVN3 (ABC)" if legacy == "tcvn3"
                                     else "VNI-Windows"}))
        read = reader_for(target, catalog, legacy)
        if target.kind not in ("id", "idcard"):  # identifiers differ on every row
            read = cached(read)
        values, issues = zip(*map(read, raw), strict=True) if n else ((), ())
        if target.name in key_targets:
            key_values = [pair[1] for pair in values] if target.kind == "idcard" else values
            keyed = [a or bool(b) for a, b in zip(keyed, key_values, strict=True)]
        for k, issue in enumerate(issues):
            if issue is not None:
                code, params, severity = issue
                issues_by_row.setdefault(k, []).append(RowIssue(
                    first + k, code, params, severity, column, target.name, target.label))
        value_cols.append((column, values))
    for column in analysis.unmatched:
        notes.append(ColumnNote(column, "import_ignored_column"))
    names = [c.target or "" for c, _ in value_cols]
    cols = [v for _, v in value_cols]
    out: list[RowData] = []
    skipped = 0
    idcard = "idcard" in names
    name_parts = "family_name" in names or "given_name" in names
    no_issues: list[RowIssue] = []
    for k, row_values in enumerate(zip(*cols, strict=True)) if cols else ():
        if not keyed[k]:
            skipped += 1
            continue
        values = dict(zip(names, row_values, strict=True))
        if not _has_number(values.get("bhxh_number")) and not _has_number(
                values.get("cccd")) and _not_a_person(values):
            skipped += 1
            continue
        if idcard:
            _split_idcard(values)
        if name_parts:
            _join_name(values)
        issues = issues_by_row.get(k)
        out.append(RowData(first + k, first - 1 + k, values,
                           issues if issues is not None else no_issues))
    return Extraction(out, notes, skipped, legacy_of)


def _has_number(value: Any) -> bool:
    return value.__class__ is str and value[:1].isdigit()


def _not_a_person(values: dict[str, Any]) -> bool:
    """A total or signature row: no identifier, and "Tổng cộng", "Người lập biểu" … in
    one of its cells."""
    if _has_number(values.get("cmnd")) or _has_number((values.get("idcard") or ("", ""))[1]):
        return False
    return any(v.__class__ is str and v and _NOT_A_PERSON.match(fold(v))
               for v in values.values())


def _split_idcard(values: dict[str, Any]) -> None:
    """A CMND/CCCD column fills the one its number is (unless a column of that one has
    a number of its own on this row)."""
    pair = values.pop("idcard", None)
    if pair:
        kind, number = pair
        if number and not values.get(kind):
            values[kind] = number


def _join_name(values: dict[str, Any]) -> None:
    family = values.pop("family_name", "")
    given = values.pop("given_name", "")
    if (family or given) and not values.get("full_name"):
        values["full_name"] = " ".join(x for x in (family, given) if x)
