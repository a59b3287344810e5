"""Finding the table in a sheet: which sheet, which row(s) hold the header, which column
holds what; and the mappings an officer gives for the columns that were not recognised.

``analyse`` does this without reading more than it must; the result (``Analysis``) is
what a mapping dialog shows (matched and unmatched columns, the targets left to assign)
and what ``extract`` reads the rows with.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, Protocol

from ..catalog import Catalog, derived
from .columns import IDENTITY, HeaderMatcher, Target, header_key, targets_for
from .reader import Book, ReadError, Sheet, check_suffix, find_sheet

HEADER_SCAN_ROWS = 30  # a title block of a few rows sits above the header in most files
REQUIRED = {"workers": ("full_name", "gender", "birth_date"), "lines": (),
            "claims": ("kind", "from_date", "to_date"), "history": ("from_month", "salary")}
_NUMBERING_CELL = re.compile(r"^[(\[]?(?:\d{1,2}(?:\.\d)?|[A-Za-z])[)\]]?$")


@dataclass
class Column:
    """One column of the table: where it is, its header, and what it was matched to."""

    index: int  # 0-based
    header: str  # as written, two header lines joined with " / "
    target: str | None = None
    how: str = ""  # exact, prefix, mapping, remembered; "" when unmatched

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "letter": self.letter, "header": self.header,
                "target": self.target, "how": self.how}


@dataclass
class Analysis:
    """A file looked at, before any row is read as data."""

    path: Path
    use: str  # "workers" | "lines" | "claims" | "history"
    sheet: str
    sheets: list[str]
    header_rows: tuple[int, ...]  # 1-based row numbers, as the spreadsheet shows them
    columns: list[Column]
    targets: dict[str, Target]
    layout: str  # key of the header layout, for remembered mappings
    data: Sheet | None = field(default=None, repr=False)  # the whole sheet, once read
    encoding: str | None = None

    @property
    def first_data_row(self) -> int:
        return self.header_rows[-1] + 1

    @property
    def matched(self) -> dict[str, Column]:
        return {c.target: c for c in self.columns if c.target}

    @property
    def unmatched(self) -> list[Column]:
        """Columns with a header that names nothing known: what a dialog asks about."""
        return [c for c in self.columns if not c.target and c.header and not c.how]

    @property
    def missing(self) -> list[Target]:
        """Required targets no column holds (the identity counts once, as bhxh_number)."""
        return self.missing_with(set(self.matched))

    def missing_with(self, held: set[str]) -> list[Target]:
        """The required targets none of ``held`` is (a dialog's choices so far)."""
        out = [self.targets[name] for name in REQUIRED[self.use] if name not in held]
        if not any(name in held for name in IDENTITY):
            out.insert(0, self.targets["bhxh_number"])
        return out

    def mapping(self) -> dict[int, str]:
        """Column index → target, as matched now."""
        return {c.index: c.target for c in self.columns if c.target}

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.path.name, "sheet": self.sheet, "sheets": self.sheets,
                "header_rows": list(self.header_rows), "layout": self.layout,
                "columns": [c.to_dict() for c in self.columns],
                "missing": [t.name for t in self.missing]}


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def column_index(letter: str) -> int | None:
    """A → 0, AA → 26; None when ``letter`` is not a column letter."""
    if not letter.isascii() or not letter.isalpha() or len(letter) > 3:
        return None
    n = 0
    for ch in letter.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


# -- the header ---------------------------------------------------------------------------

@dataclass
class _Header:
    rows: tuple[int, ...]  # 0-based
    columns: list[Column]
    score: int


def _fill_merged(top: list[str], merged, row: int) -> list[str]:
    """A header cell merged across columns names each of them."""
    filled = list(top)
    for (r0, c0), (r1, c1) in merged:
        if r0 <= row <= r1 and c0 < len(filled):
            for c in range(c0 + 1, min(c1 + 1, len(filled))):
                if not filled[c]:
                    filled[c] = filled[c0]
    return filled


class _Matches(Protocol):
    def match(self, text: str) -> tuple[str, str] | None: ...


def _match_row(cells: list[str], matcher: _Matches) -> list[Column]:
    columns = []
    for i, text in enumerate(cells):
        found = matcher.match(text) if text else None
        columns.append(Column(i, text, *(found or (None, ""))))
    return columns


def _match_two(top: list[str], bottom: list[str], merged, row: int,
               matcher: _Matches) -> list[Column]:
    """A header on two lines: a group title above ("Giấy tờ tùy thân", merged over two
    columns) and the column names below ("Số CCCD", "Số CMND"); a title merged down over
    both lines names its column alone."""
    width = max(len(top), len(bottom))
    top = top + [""] * (width - len(top))
    bottom = bottom + [""] * (width - len(bottom))
    if merged:
        above = _fill_merged(top, merged, row)
    else:  # no merge information (ODS, CSV): a title stands over the blank cells after it
        above, last = [], ""
        for t, b in zip(top, bottom, strict=True):
            last = t or (last if b else "")
            above.append(last)
    columns = []
    for i, (t, b) in enumerate(zip(above, bottom, strict=True)):
        candidates = [b, f"{t} {b}"] if b else [t]
        if b and t and not top[i]:
            candidates.append(t)
        found = None
        for text in candidates:
            if text.strip():
                found = matcher.match(text)
                if found:
                    break
        header = (f"{t} / {b}" if t else b) if b else t
        columns.append(Column(i, header, *(found or (None, ""))))
    return columns


def _score(columns: list[Column]) -> int:
    return len({c.target for c in columns if c.target and c.target != "stt"})


def _dedupe(columns: list[Column]) -> list[Column]:
    """A target matched by two columns stays with the first; a wrong guess on the second
    must not overwrite good data."""
    seen: set[str] = set()
    for c in columns:
        if c.target:
            if c.target in seen:
                c.target, c.how = None, ""
            else:
                seen.add(c.target)
    return columns


class _Remembering:
    """A matcher that matches each text once (a cell is tried alone, under the one above
    and over the one below)."""

    def __init__(self, matcher: HeaderMatcher) -> None:
        self.matcher = matcher
        self.found: dict[str, tuple[str, str] | None] = {}

    def match(self, text: str) -> tuple[str, str] | None:
        if text not in self.found:
            self.found[text] = self.matcher.match(text)
        return self.found[text]


def find_header(sheet: Sheet, matcher: HeaderMatcher) -> _Header | None:
    """The best header in the first rows: one line, or two when that names more columns."""
    remembering = _Remembering(matcher)
    scanned = sheet.rows[:HEADER_SCAN_ROWS + 1]
    rows = [[_text(v) for v in r] for r in scanned]
    ones = []
    for r, cells in enumerate(rows):
        one = [] if _is_data(scanned[r]) else _match_row(cells, remembering)
        ones.append(_Header((r,), one, _score(one)))
    candidates: list[_Header] = []
    for r in range(min(HEADER_SCAN_ROWS, len(rows))):
        if sum(1 for x in rows[r] if x) < 2:
            continue
        candidates.append(ones[r])
        # Two lines name a column together only where one of them names some alone
        # (rows of data, which name nothing, are not tried in pairs).
        if r + 1 < len(rows) and (ones[r].score or ones[r + 1].score):
            two = _match_two(rows[r], rows[r + 1], sheet.merged, r, remembering)
            candidates.append(_Header((r, r + 1), two, _score(two)))
    if not candidates:
        return None
    # The most columns named; on a tie one line rather than two, then the first.
    best = max(candidates, key=lambda h: (h.score, -len(h.rows), -h.rows[0]))
    if best.score < 2:
        return None
    best.columns = _dedupe(best.columns)
    return best


def _is_data(cells: list[Any]) -> bool:
    """A row no header is: it has a date, or a number too large to number a column."""
    return any(isinstance(v, date | time) or (
        isinstance(v, int | float) and not isinstance(v, bool) and abs(v) >= 1000)
        for v in cells)


def is_numbering_row(cells: list[Any], width: int) -> bool:
    """The row of column numbers under a form's header: (1) (2) (3) … or A B C …"""
    texts = [_text(v) for v in cells if _text(v)]
    return len(texts) >= max(3, width // 2) and all(_NUMBERING_CELL.match(t) for t in texts)


def layout_key(use: str, columns: list[Column]) -> str:
    """The same header (after folding) gives the same key: remembered mappings use it."""
    names = [header_key(c.header) for c in columns]
    while names and not names[-1]:
        names.pop()
    raw = json.dumps([use, names], ensure_ascii=True)
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


# -- analyse -------------------------------------------------------------------------------

def analyse(path: Path | str, catalog: Catalog, *, use: str = "workers",
            sheet: str | None = None, remembered: MappingStore | None = None) -> Analysis:
    """Look at a file: choose the sheet (the one named, else the one whose header names
    the most known columns), find the header row(s) and match each column.

    The chosen sheet is read whole once and kept in the analysis for ``extract``.
    """
    path = Path(path)
    suffix = check_suffix(path)
    if not path.is_file():
        raise ReadError("import_not_found", path=str(path))
    targets = targets_for(catalog, use)
    matcher = derived(catalog, f"header_matcher:{use}", lambda: HeaderMatcher(targets, catalog))
    with Book(path) as book:
        names = book.names
        chosen = [find_sheet(names, sheet)] if sheet else names
        if len(chosen) == 1:
            data = book.sheet(chosen[0])
            header = find_header(data, matcher)
        else:
            header, name = _best_sheet(book, chosen, matcher)
            data = book.sheet(name)
    if header is None:
        where = data.name if suffix not in (".csv", ".txt") else path.name
        raise ReadError("import_no_header", where=where)
    analysis = Analysis(path=path, use=use, sheet=data.name, sheets=names,
                        header_rows=tuple(r + 1 for r in header.rows), columns=header.columns,
                        targets=targets, layout=layout_key(use, header.columns), data=data,
                        encoding=data.encoding)
    if remembered is not None:
        saved = remembered.get(analysis.layout)
        if saved:
            apply_mapping(analysis, saved, how="remembered")
    return analysis


def _best_sheet(book: Book, names: list[str], matcher: HeaderMatcher
                ) -> tuple[_Header | None, str]:
    """The header and name of the sheet whose header names the most known columns (the
    first on a tie; the first sheet when none has a header). Only the best so far stays
    parsed."""
    best: tuple[_Header | None, str] = (None, names[0])
    for name in names:
        header = find_header(book.sheet(name, nrows=HEADER_SCAN_ROWS + 1), matcher)
        if header is not None and (best[0] is None or header.score > best[0].score):
            book.drop(best[1])
            best = (header, name)
        elif name != best[1]:
            book.drop(name)
    return best


# -- mappings ------------------------------------------------------------------------------

Mapping = dict[str, str | None]  # column (header, letter or 1-based number) → target


def load_mapping_file(path: Path | str) -> Mapping:
    """A mapping an officer wrote: JSON or TOML, column → field, e.g.
    ``{"Tên NV": "full_name", "E": "cccd", "Mã nội bộ": null}``. A column is named by its
    header, its letter or its number; a field by its name, label or any known header;
    null, "" or "-" ignores the column."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReadError("import_bad_mapping", path=str(path), detail=str(exc)) from None
    try:
        raw = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise ReadError("import_bad_mapping", path=str(path), detail=str(exc)) from None
    if isinstance(raw, dict) and isinstance(raw.get("columns"), dict):
        raw = raw["columns"]
    if not isinstance(raw, dict) or not all(isinstance(v, str | None) for v in raw.values()):
        raise ReadError("import_bad_mapping", path=str(path),
                        detail='{"column": "field", …}')
    return {str(k): v for k, v in raw.items()}


def _find_column(analysis: Analysis, key: str) -> Column | None:
    wanted = header_key(key)
    for c in analysis.columns:
        if c.header == key or (wanted and header_key(c.header) == wanted):
            return c
    index = column_index(key) if key.isalpha() and len(key) <= 3 else None
    if index is None and key.isdigit():
        index = int(key) - 1
    for c in analysis.columns:
        if c.index == index:
            return c
    return None


def apply_mapping(analysis: Analysis, mapping: Mapping | dict[int, str | None],
                  how: str = "mapping") -> None:
    """Assign columns as an officer said (a mapping file, the dialog, or one remembered).

    Keys are column indexes (from a dialog) or names as in ``load_mapping_file``. A target
    given to a column is taken from any other column that had it. Raises ReadError naming
    the first thing that is wrong."""
    from ..domain.messages import say

    matcher = HeaderMatcher(analysis.targets)
    allowed_cols = ", ".join(c.header or c.letter for c in analysis.columns)
    allowed_targets = ", ".join(analysis.targets)
    where = str(analysis.path.name)
    chosen: dict[int, str | None] = {}
    for key, value in mapping.items():
        column = (next((c for c in analysis.columns if c.index == key), None)
                  if isinstance(key, int) else _find_column(analysis, key))
        if column is None:
            raise ReadError("import_bad_mapping", path=where, detail=say(
                "import_mapping_column", value=key, allowed=allowed_cols))
        if value is None or not str(value).strip() or str(value).strip() == "-":
            chosen[column.index] = None
            continue
        target = matcher.resolve(str(value).strip())
        if target is None:
            raise ReadError("import_bad_mapping", path=where, detail=say(
                "import_mapping_target", value=value, allowed=allowed_targets))
        twice = [i for i, t in chosen.items() if t == target]
        if twice:
            raise ReadError("import_bad_mapping", path=where, detail=say(
                "import_mapping_twice", value=target, columns=", ".join(
                    column_letter(i) for i in (*twice, column.index))))
        chosen[column.index] = target
    for c in analysis.columns:
        if c.index in chosen:
            c.target, c.how = chosen[c.index], how  # how set, target None: ignored
        elif c.target in chosen.values():
            c.target, c.how = None, ""


def mapping_to_save(analysis: Analysis) -> dict[str, str | None]:
    """What is remembered for a layout: every column's target by its letter."""
    return {c.letter: c.target for c in analysis.columns if c.header or c.target}


class MappingStore:
    """Mappings remembered per header layout: one small JSON file per layout in the data
    folder's ``mappings`` directory (headers only, never a cell of data)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _file(self, layout: str) -> Path:
        return self.folder / f"{layout}.json"

    def get(self, layout: str) -> Mapping | None:
        try:
            raw = json.loads(self._file(layout).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        columns = raw.get("columns") if isinstance(raw, dict) else None
        return columns if isinstance(columns, dict) else None

    def put(self, analysis: Analysis) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._file(analysis.layout)
        data = {"use": analysis.use, "headers": [c.header for c in analysis.columns],
                "columns": mapping_to_save(analysis),
                "saved": datetime.now(UTC).isoformat(timespec="seconds")}
        tmp = path.with_suffix(".part")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)
        return path

    def forget(self, layout: str) -> None:
        self._file(layout).unlink(missing_ok=True)
