"""The rows of an analysed sheet as typed values, column by column.

Columns are read whole (each value of a column once, through a memo), which is what keeps
a 50,000-row file close to the time of reading it at all. Blank rows, total rows and the
signature block under the table are left out; every cell the importer had to change or
could not read is noted against its row and column.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import compress
from operator import eq, itemgetter, or_
from typing import Any

from ..catalog import Catalog
from ..domain.text import detect_legacy_many, fold, looks_vietnamese, nfc
from .columns import Target
from .convert import (
    TEXT_KINDS,
    Issue,
    as_is_for,
    bulk_for,
    read_column,
    read_each,
    reader_for,
)
from .layout import Analysis, Column, is_numbering_row

# A row is about a person only when one of these holds something.
KEY_TARGETS = {
    "workers": frozenset({"full_name", "family_name", "given_name", "bhxh_number", "cccd",
                          "cmnd", "idcard", "birth_date"}),
    "lines": frozenset({"full_name", "family_name", "given_name", "bhxh_number", "cccd",
                        "cmnd", "idcard", "plan", "from_month"}),
    "claims": frozenset({"full_name", "family_name", "given_name", "bhxh_number", "cccd",
                         "idcard", "kind", "from_date"}),
    "history": frozenset({"full_name", "family_name", "given_name", "bhxh_number", "cccd",
                          "idcard", "from_month", "salary"}),
}
# First words of the rows under a table that are not people: totals and signatures.
_NOT_A_PERSON = re.compile(
    r"^(tong|cong|total|sum|nguoi lap|thu truong|giam doc|ke toan|xac nhan|ngay\b.*thang"
    r"|\(?ky,? ghi ro|ghi chu\b|luu y\b)")


@dataclass(slots=True)
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
        where_field = self.where_field(lang)
        return f"{place}, {where_field}" if where_field else place

    def where_field(self, lang: str = "vi") -> str:
        """The column (letter and header) or the field the issue is in; "" for a row."""
        from ..domain.messages import say

        if self.column is not None:
            header = self.column.header or self.column.letter
            return f"{say('import_report_column', lang).lower()} {self.column.letter} ({header})"
        if self.label:
            return self.label.get(lang) or self.label["vi"]
        return ""

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
    """The rows about a person, column by column: ``rows[k]`` is the sheet's row number
    of position k, ``columns[target][k]`` its value, ``issues[k]`` what was noted."""

    rows: list[int]  # 1-based rows of the sheet
    columns: dict[str, list[Any]]
    issues: dict[int, list[RowIssue]]
    notes: list[ColumnNote]
    skipped: int  # blank, total and signature rows
    legacy: dict[int, str]  # column index → "tcvn3" | "vni" | "auto" (cell by cell)

    def records(self) -> Iterator[RowData]:
        """The same rows one by one, each with its values by target."""
        names = list(self.columns)
        for k, values in enumerate(zip(*self.columns.values(), strict=True)):
            row = self.rows[k]
            yield RowData(row, row - 1, dict(zip(names, values, strict=True)),
                          self.issues.get(k, []))


def column_legacy(values: Iterable[Any]) -> str | None:
    """The legacy encoding of a column, "auto" when some cells may be legacy but the
    column as a whole is not one encoding, or None.

    Most columns are plain Unicode. Text typed in a TCVN3 or VNI font arrives as the
    Windows-1252 reading of its bytes, so a cell with any other character (ư, ơ, đ, ạ …)
    is Unicode; the words of the other cells are checked, each distinct one once, and
    only a column with a word that is not Vietnamese goes through the full test.
    """
    distinct = values if isinstance(values, AbstractSet) else set(values)
    texts = [v for v in distinct if v.__class__ is str and not v.isascii()]
    if not texts:
        return None
    words = {w for w in set(nfc(" ".join(_legacy_suspects(texts))).split())
             if not w.isascii()}
    if all(looks_vietnamese(w) for w in words):
        return None
    return detect_legacy_many(nfc(t) for t in texts) or "auto"


def _legacy_suspects(texts: list[str]) -> Iterable[str]:
    """The texts made of Windows-1252 characters only (all of them, in one pass)."""
    joined = "\x00".join(texts)
    back = joined.encode("cp1252", "replace").decode("cp1252").split("\x00")
    if len(back) != len(texts):  # a text holds the separator
        return texts
    return compress(texts, map(eq, texts, back))


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many small objects are made.

    A sheet of 50,000 rows is some 750,000 live cells; every collection the allocations
    trigger walks them all, which doubled the time of reading the rows. Nothing made here
    holds a reference cycle, so nothing is left for the collector to find afterwards.

    On the way out what was made goes straight to the oldest generation (frozen, then
    unfrozen there): left young, the sheet's rows and every row's report would be walked
    by the next young collection, and again as they aged, 30 ms or more each time, for
    objects that are alive and hold no cycle."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.unfreeze()
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
    width = max((c.index for c in mapped), default=-1) + 1
    if min(map(len, body), default=width) < width:  # calamine's rows are all as wide
        body = [list(r) + [None] * (width - len(r)) for r in body]
    cells = list(zip(*body, strict=False)) if n else []
    notes: list[ColumnNote] = []
    legacy_of: dict[int, str] = {}
    columns: dict[str, list[Any]] = {}
    issues: dict[int, list[RowIssue]] = {}
    for column in mapped:
        raw = cells[column.index] if n else ()
        target = analysis.targets[column.target or ""]
        values, found, legacy = _read(target, catalog, raw)
        if legacy:
            legacy_of[column.index] = legacy
        if legacy in ("tcvn3", "vni"):
            notes.append(ColumnNote(column, "import_legacy",
                                    {"encoding": "TCVN3 (ABC)" if legacy == "tcvn3"
                                     else "VNI-Windows"}))
        for k, (code, params, severity) in found.items():
            issues.setdefault(k, []).append(RowIssue(
                first + k, code, params, severity, column, target.name, target.label))
        columns[target.name] = values
    for column in analysis.unmatched:
        notes.append(ColumnNote(column, "import_ignored_column"))
    keep = _people(columns, analysis.use, n)
    rows = [first + k for k in keep]
    if len(keep) < n:
        columns = {name: [values[k] for k in keep] for name, values in columns.items()}
        issues = {i: issues[k] for i, k in enumerate(keep) if k in issues}
    if "idcard" in columns:
        _split_idcard(columns)
    if "family_name" in columns or "given_name" in columns:
        _join_name(columns)
    return Extraction(rows, columns, issues, notes, n - len(keep), legacy_of)


def _read(target: Target, catalog: Catalog, raw: Sequence[Any]
          ) -> tuple[list[Any], dict[int, Issue], str | None]:
    """A column's values, issues by position, and the legacy encoding it was typed in.

    Names and free text are looked at for legacy fonts first and cleaned in bulk; other
    columns (codes, dates, amounts, identifiers) are read in one pass, each distinct value
    on first sight, and read again only when a legacy font shows in the codes."""
    if bulk_for(target) is None:
        values, found, distinct = read_each(reader_for(target, catalog), raw)
        legacy = column_legacy(distinct) if target.kind in TEXT_KINDS else None
        if legacy:
            values, found, _ = read_each(reader_for(target, catalog, legacy), raw)
        return values, found, legacy
    try:
        distinct: set[Any] | None = set(raw)
    except TypeError:  # an unhashable cell (never from calamine or csv)
        distinct = None
    legacy = (column_legacy(raw if distinct is None else distinct)
              if target.kind in TEXT_KINDS else None)
    values, found = read_column(reader_for(target, catalog, legacy), raw,
                                bulk_for(target, legacy), distinct, as_is_for(target))
    return values, found, legacy


def _people(columns: dict[str, list[Any]], use: str, n: int) -> list[int]:
    """The positions of the rows about a person: something in a column that names one,
    and not a total or signature row (a row with a BHXH number or a CCCD never is)."""
    keys = [[v[1] for v in values] if name == "idcard" else values
            for name, values in columns.items() if name in KEY_TARGETS[use]]
    keyed = _any_of(keys, _filled, n)
    numbered = _any_of([columns[name] for name in ("cccd", "bhxh_number") if name in columns],
                       _numbers, n)  # the CCCD first: more often on every row
    if all(keyed) and all(numbered):
        return list(range(n))
    names = list(columns)
    return [k for k, (key, number) in enumerate(zip(keyed, numbered, strict=True))
            if key and (number or not _not_a_person(
                {name: columns[name][k] for name in names}))]


def _any_of(columns: list[list[Any]], flags_of: Callable[[list[Any]], list[bool]],
            n: int) -> list[bool]:
    """Row by row, whether one of ``columns`` has a value ``flags_of`` flags."""
    found = [False] * n
    for values in columns:
        flags = flags_of(values)
        if all(flags):
            return flags
        found = list(map(or_, found, flags))
    return found


def _filled(values: list[Any]) -> list[bool]:
    return list(map(bool, values))


def _numbers(texts: list[str]) -> list[bool]:
    """Which texts start with a digit (identifiers are read as text, "" when empty)."""
    if "".join(texts).isdigit() and "" not in texts:  # all numbers: the usual column
        return [True] * len(texts)
    return list(map(str.isdigit, map(_FIRST, texts)))


_FIRST = itemgetter(slice(0, 1))


def _has_number(value: Any) -> bool:
    return value.__class__ is str and value[:1].isdigit()


def _not_a_person(values: dict[str, Any]) -> bool:
    """A total or signature row: no identifier, and "Tổng cộng", "Người lập biểu" … in
    one of its cells."""
    if _has_number(values.get("cmnd")) or _has_number((values.get("idcard") or ("", ""))[1]):
        return False
    return any(v.__class__ is str and v and _NOT_A_PERSON.match(fold(v))
               for v in values.values())


def _split_idcard(columns: dict[str, list[Any]]) -> None:
    """A CMND/CCCD column fills the one its number is (unless a column of that one has
    a number of its own on this row)."""
    pairs = columns.pop("idcard")
    for kind in ("cccd", "cmnd"):
        own = columns.get(kind) or [""] * len(pairs)
        columns[kind] = [number if kind_ == kind and number and not mine else mine
                         for (kind_, number), mine in zip(pairs, own, strict=True)]


def _join_name(columns: dict[str, list[Any]]) -> None:
    n = len(next(iter(columns.values())))
    family = columns.pop("family_name", None) or [""] * n
    given = columns.pop("given_name", None) or [""] * n
    full = columns.get("full_name") or [""] * n
    columns["full_name"] = [mine or " ".join(x for x in (f, g) if x)
                            for f, g, mine in zip(family, given, full, strict=True)]
