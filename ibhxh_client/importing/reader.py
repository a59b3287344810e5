"""Spreadsheet files in: .xlsx, .xlsm, .xls and .ods through python-calamine; .csv as text.

A sheet comes back as rows of Python values, as calamine gives them (str, int, float,
bool, date, datetime, time); CSV cells are strings. Nothing is interpreted here.

A file is opened by what it holds (``sniff``), not only by its name: a Word document, a
PDF or a zip named .xlsx is said to be no spreadsheet, and a workbook saved under another
workbook's suffix (an .xls named .xlsx) is read all the same.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..domain.text import fold, looks_vietnamese, nfc
from .messages import text
from .sniff import NOT_SPREADSHEETS, SPREADSHEETS, SUFFIX_KINDS, kind_of

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".txt")
SUFFIXES = WORKBOOK_SUFFIXES + TEXT_SUFFIXES
CSV_SHEET = "CSV"

Merged = list[tuple[tuple[int, int], tuple[int, int]]]


class ReadError(Exception):
    """The file cannot be read: ``code`` and ``params`` make the officer's message, or
    ``texts`` (language → sentence) when part of it is itself worded per language."""

    def __init__(self, code: str, texts: dict[str, str] | None = None,
                 **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.texts = texts
        self.params = params


# What to do with a file that is not a spreadsheet, by what it is.
_HINTS = {"word": "import_hint_copy", "odt": "import_hint_copy",
          "powerpoint": "import_hint_copy", "odp": "import_hint_copy",
          "pdf": "import_hint_copy", "html": "import_hint_resave",
          "zip": "import_hint_extract", "rar": "import_hint_extract",
          "7z": "import_hint_extract"}


def not_a_spreadsheet(path: Path, kind: str) -> ReadError:
    """The error for a file that holds ``kind`` (one of ``sniff.NOT_SPREADSHEETS``):
    "Tệp X không phải là bảng tính (có vẻ là tài liệu Word) …", with what to do."""
    hint = _HINTS.get(kind, "import_hint_choose")
    texts = {lang: text("import_not_spreadsheet", lang, path=path.name,
                        kind=text(f"file_kind_{kind}", lang),
                        hint=text(hint, lang, allowed=", ".join(SUFFIXES)))
             for lang in ("vi", "en")}
    return ReadError("import_not_spreadsheet", texts=texts, path=path.name, kind=kind)


@dataclass
class Sheet:
    """One sheet's cells, top-left first; ``merged`` lists merged ranges as
    ((first row, first col), (last row, last col)), 0-based, when the format keeps them."""

    name: str
    rows: list[list[Any]]
    merged: Merged = field(default_factory=list)
    encoding: str | None = None  # CSV only: utf-8, utf-8-sig, utf-16, cp1258 or cp1252


def check_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ReadError("import_format", value=path.name, allowed=", ".join(SUFFIXES))
    return suffix


def _workbook(path: Path, by_content: bool = False):
    """The workbook in ``path``, its format told by the suffix, or by the content when
    ``by_content`` (a workbook saved under another workbook's suffix)."""
    from python_calamine import CalamineWorkbook

    try:
        if by_content:
            with path.open("rb") as f:
                return CalamineWorkbook.from_filelike(f)
        return CalamineWorkbook.from_path(str(path))
    except OSError as exc:
        raise ReadError("import_unreadable", path=str(path),
                        detail=exc.strerror or type(exc).__name__) from None
    except Exception as exc:  # calamine's own errors: zip, xml, password, format
        raise ReadError("import_unreadable", path=str(path),
                        detail=f"{type(exc).__name__}: {exc}"[:200]) from None


class Book:
    """A spreadsheet file opened once: its sheet names, and its sheets as rows (a CSV
    file is one sheet, named "CSV"). A workbook's sheet is parsed once however often it
    is asked for (the first rows to find its header, then the whole) until ``drop``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        suffix = check_suffix(path)
        kind = kind_of(path)
        if kind in NOT_SPREADSHEETS:
            raise not_a_spreadsheet(path, kind)
        self._text = suffix in TEXT_SUFFIXES and kind not in SPREADSHEETS
        by_content = kind in SPREADSHEETS and kind != SUFFIX_KINDS.get(suffix)
        self._wb = None if self._text else _workbook(path, by_content)
        self.names: list[str] = [CSV_SHEET] if self._text else list(self._wb.sheet_names)
        self._parsed: dict[str, Any] = {}  # sheet name → calamine's parsed sheet

    def sheet(self, name: str, nrows: int | None = None) -> Sheet:
        """The named sheet's cells, or only its first ``nrows`` rows."""
        if self._wb is None:
            sheet = read_csv(self.path)
            if nrows is not None:
                sheet.rows = sheet.rows[:nrows]
            return sheet
        try:
            if name not in self._parsed:
                self._parsed[name] = self._wb.get_sheet_by_name(name)
            ws = self._parsed[name]
            rows = ws.to_python(skip_empty_area=False, nrows=nrows)
            merged = ws.merged_cell_ranges or []
        except Exception as exc:
            raise ReadError("import_unreadable", path=str(self.path),
                            detail=f"{type(exc).__name__}: {exc}"[:200]) from None
        return Sheet(name, rows, [((a, b), (c, d)) for (a, b), (c, d) in merged])

    def drop(self, name: str) -> None:
        """Let a parsed sheet go (one not chosen)."""
        self._parsed.pop(name, None)

    def close(self) -> None:
        self._parsed.clear()
        if self._wb is not None:
            self._wb.close()

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def find_sheet(names: list[str], wanted: str) -> str:
    """The sheet an officer named, ignoring case, diacritics and spaces."""
    if wanted in names:
        return wanted
    key = " ".join(fold(wanted).split())
    for name in names:
        if " ".join(fold(name).split()) == key:
            return name
    raise ReadError("import_no_sheet", value=wanted, allowed=", ".join(names))


# -- CSV -----------------------------------------------------------------------------------

def decode_text(raw: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read with.

    UTF-16 with its byte order mark (Excel's "Unicode Text"), then UTF-8 (with or without
    BOM). Otherwise Windows-1258, the Vietnamese code page, unless the words it gives are
    not Vietnamese: then the file was typed with a TCVN3 or VNI font, whose bytes are read
    as Windows-1252 (the reading the legacy tables use) and converted column by column
    later.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace"), "utf-16"
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    vn = nfc(raw.decode("cp1258", errors="replace"))
    words = {w for w in vn.split() if not w.isascii()}
    if all(looks_vietnamese(w) for w in words):
        return vn, "cp1258"
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "cp1252"


def read_csv(path: Path) -> Sheet:
    """A CSV file as one sheet of strings; the delimiter (, ; or tab) is guessed."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReadError("import_unreadable", path=str(path),
                        detail=exc.strerror or type(exc).__name__) from None
    return csv_sheet(raw)


def csv_sheet(raw: bytes) -> Sheet:
    """CSV bytes as one sheet of strings (see ``decode_text`` and ``read_csv``)."""
    text, encoding = decode_text(raw)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), dialect=dialect)]
    return Sheet(CSV_SHEET, rows, [], encoding)


def excel_serial_to_datetime(value: float) -> datetime:
    """An Excel date serial number (1900 system; 60 is Lotus's phantom 29 Feb 1900)."""
    from datetime import timedelta

    base = datetime(1899, 12, 30) if value >= 61 else datetime(1899, 12, 31)
    return base + timedelta(days=float(value))
