"""Reading one cell the way an officer meant it, whatever Excel did to it.

Each reader takes a raw cell (str, int, float, date, datetime … or None) and returns
``(value, issue)``. The value is typed when the cell could be read (a PartialDate, an int
amount, a code from its code list …); when it could not, the cleaned text is returned as
it is, with the form's own message code for its type (not_number, bad_partial_date,
bad_month …) as an error; text in a code or identifier column is left for the field
checks of the forms. ``issue`` is None, or (message code, params, severity): leading zeros
restored (a warning), an identifier whose digits Excel mangled (an error) …
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from operator import is_
from typing import Any

from ..catalog import Catalog
from ..domain import ids
from ..domain.formspec import CodeList
from ..domain.model import PartialDate, Period, PeriodError
from ..domain.text import (
    LEGACY_TO_UNICODE,
    detect_legacy,
    fold,
    looks_vietnamese,
    nfc,
    unicode_to_tcvn3,
    unicode_to_vni,
)
from ..domain.validation import ID_CHECKS
from .columns import Target
from .reader import excel_serial_to_datetime

Issue = tuple[str, dict[str, Any], str]  # (message code, params, "error" | "warning")
Reader = Callable[[Any], tuple[Any, Issue | None]]

# The length each identifier has when Excel has not eaten its leading zeros.
ID_LENGTHS = {kind: length for kind, (length, _) in ids.ZEROS_LOST.items()}

_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
_SCIENTIFIC = re.compile(r"^\d(?:[.,]\d+)?[eE]\+?\d+$")
_GROUPED = re.compile(r"^\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})*$")
_DECIMALS = re.compile(r"^(\d{1,3}(?:([.,\s])\d{3})*(?:\2\d{3})*|\d+)([.,])(\d+)$")
_CURRENCY = re.compile(r"(?:vnd|vnđ|đồng|dong|đ|₫)\.?$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?$")
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?:\s+[\d:]+)?$")
_MY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_YM = re.compile(r"^(\d{4})\s*[/.\-]\s*(\d{1,2})$")
_YEAR = re.compile(r"^\d{4}$")
_MONTH_WORD = re.compile(r"^(?:tháng|thang|t)\s*", re.IGNORECASE)


def clean_text(value: Any, legacy: str | None = None) -> str:
    """Cell text in NFC with stray spaces gone (ends, doubles, non-breaking, zero-width),
    converted from TCVN3 or VNI when its column was typed that way (``legacy``; "auto"
    converts a cell that is detected on its own, for columns that mix encodings). Letters
    are not otherwise touched: a name stays exactly as the officer wrote it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = value if isinstance(value, str) else str(value)
    if not s.isascii():
        if _INVISIBLE.search(s):
            s = _INVISIBLE.sub("", s)
        s = nfc(s)
        if legacy and not looks_vietnamese(s):
            kind = detect_legacy(s) if legacy == "auto" else legacy
            if kind:
                s = LEGACY_TO_UNICODE[kind](s)
    return " ".join(s.split())


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# -- identifiers ---------------------------------------------------------------------------

def _digits_of(value: Any, check: str | None) -> tuple[str | None, str]:
    """(digits, cleaned text): digits is None when the cell is not a plain number."""
    if isinstance(value, bool):
        return None, str(value)
    if isinstance(value, int):
        return str(value), str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value)), str(int(value))
        return None, repr(value)
    s = clean_text(value).lstrip("'")
    squeezed = "".join(s.split())
    if check == "phone":
        squeezed = re.sub(r"[.\-()]", "", squeezed)
    if squeezed.isascii() and squeezed.isdigit():
        return squeezed, squeezed
    return None, squeezed


def id_reader(check: str) -> Reader:
    """An identifier (BHXH number, CCCD, phone …): digits as text, with the leading zeros
    that Excel dropped from a number restored only where it could have dropped them
    (``ids.restore_zeros``: 123456789 is the BHXH number 0123456789, 12345 is left as it
    is for the check to refuse; 1234567890 is a valid BHXH number and stays as it is)."""
    length = ID_LENGTHS.get(check)
    restore = zeros_restorer(check)

    def read(value: Any) -> tuple[Any, Issue | None]:
        if value.__class__ is str and len(value) == length and value.isdigit() \
                and value.isascii():
            return value, None  # the usual case, first
        if _is_empty(value):
            return "", None
        digits, text = _digits_of(value, check)
        if digits is None:
            if _SCIENTIFIC.match(text) or isinstance(value, float):
                return text, ("import_number_mangled", {"value": text}, "error")
            return text, None
        return restore(digits)

    return read


def zeros_restorer(check: str) -> Callable[[str], tuple[str, Issue | None]]:
    """The digits of an identifier with the leading zeros a number lost put back (a
    warning), when Excel could have dropped them and the digits alone do not pass the
    identifier's check (``ids.restore_zeros``); else the digits as they are."""
    validate = ID_CHECKS[check]
    length = ID_LENGTHS.get(check)

    def restore(digits: str) -> tuple[str, Issue | None]:
        if length is None or len(digits) >= length or validate(digits) is None:
            return digits, None
        padded = ids.restore_zeros(check, digits)
        if padded is not None:
            return padded, ("import_zeros_restored", {"value": padded}, "warning")
        return digits, None

    return restore


def idcard_reader() -> Reader:
    """A column holding either a CCCD (12 digits) or an old CMND (9): the value is
    ("cccd" | "cmnd", number), decided by the number of digits after zeros are restored."""
    cccd, cmnd = id_reader("cccd"), id_reader("cmnd")

    def read(value: Any) -> tuple[Any, Issue | None]:
        if _is_empty(value):
            return ("cccd", ""), None
        digits, _ = _digits_of(value, "cccd")
        if digits is not None and len(digits) <= 9:
            number, issue = cmnd(value)
            if ID_CHECKS["cmnd"](number) is None:
                return ("cmnd", number), issue
        number, issue = cccd(value)
        return ("cccd", number), issue

    return read


# -- numbers -------------------------------------------------------------------------------

def _number_text(value: Any) -> str:
    s = clean_text(value).replace("\u00a0", " ")
    s = _CURRENCY.sub("", s).strip()
    return s


def money_reader() -> Reader:
    """Whole đồng from 10000000, 10000000.0, "10.000.000", "10,000,000", "10 000 000",
    "10.000.000 đ" or "10.000.000,00"."""

    def read(value: Any) -> tuple[Any, Issue | None]:
        if _is_empty(value):
            return 0, None
        if isinstance(value, bool):
            return str(value), None
        if isinstance(value, int):
            return value, None
        if isinstance(value, float):
            if abs(value - round(value)) < 1e-6:
                return round(value), None
            return repr(value), ("import_not_whole", {"value": value}, "error")
        s = _number_text(value)
        sign = -1 if s.startswith("-") else 1
        body = s.lstrip("-").strip()
        if body.isdigit():
            return sign * int(body), None
        m = _GROUPED.match(body)
        if m:
            return sign * int(re.sub(r"[.,\s]", "", body)), None
        m = _DECIMALS.match(body)
        if m and (m.group(2) or "") != m.group(3):
            whole = re.sub(r"[.,\s]", "", m.group(1))
            if set(m.group(4)) == {"0"}:
                return sign * int(whole), None
            return s, ("import_not_whole", {"value": s}, "error")
        return s, ("not_number", {"value": s}, "error")

    return read


def decimal_reader() -> Reader:
    """A coefficient or a percentage: 4.32, "4,32" or "4.32"."""

    def read(value: Any) -> tuple[Any, Issue | None]:
        if _is_empty(value):
            return None, None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return Decimal(str(round(value, 6))).normalize(), None
        s = _number_text(value).replace(",", ".")
        try:
            return Decimal(s), None
        except InvalidOperation:
            return s, ("not_number", {"value": s}, "error")

    return read


def int_reader() -> Reader:
    def read(value: Any) -> tuple[Any, Issue | None]:
        if _is_empty(value):
            return 0, None
        if isinstance(value, int) and not isinstance(value, bool):
            return value, None
        if isinstance(value, float) and value.is_integer():
            return int(value), None
        s = _number_text(value)
        if s.isdigit():
            return int(s), None
        return s, ("import_bad_int", {"value": s}, "error")

    return read


# -- dates ---------------------------------------------------------------------------------

def _as_date(value: Any) -> date | None:
    """A calendar day from a date cell, a date serial number or ISO text."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return excel_serial_to_datetime(value).date()
    return None


def _text_day(s: str) -> date | None:
    """A day written yyyy-mm-dd or dd/mm/yyyy (also with . or -), when that day exists."""
    m = _ISO_DATE.match(s)
    parts = (m.group(1), m.group(2), m.group(3)) if m else None
    if parts is None:
        m = _DMY.match(s)
        parts = (m.group(3), m.group(2), m.group(1)) if m else None
    try:
        return date(*map(int, parts)) if parts else None
    except ValueError:  # 31/02/1982
        return None


def partial_date_reader() -> Reader:
    """A birth date as TK1-TS allows it: a date cell, a serial number, dd/mm/yyyy text,
    mm/yyyy, or a bare year (typed as text or as the number 1990)."""

    def read(value: Any) -> tuple[Any, Issue | None]:
        if _is_empty(value):
            return None, None
        if isinstance(value, int | float) and not isinstance(value, bool) \
                and float(value).is_integer() and 1800 <= value <= 2200:
            return PartialDate(int(value)), None  # a bare year, not serial 1990 (1905)
        day = _as_date(value)
        if day is not None:
            return PartialDate.of(day), None
        s = clean_text(value)
        day = _text_day(s)
        if day is not None:
            return PartialDate.of(day), None
        try:
            m = _MY.match(s)
            if m:
                return PartialDate(int(m.group(2)), int(m.group(1))), None
            m = _YM.match(s)
            if m:
                return PartialDate(int(m.group(1)), int(m.group(2))), None
            if _YEAR.match(s):
                return PartialDate(int(s)), None
        except ValueError:
            pass
        return s, ("bad_partial_date", {"value": s}, "error")

    return read


def date_reader() -> Reader:
    """A full date (a decision's): a date cell, a serial number, dd/mm/yyyy or ISO text."""

    def read(value: Any) -> tuple[Any, Issue | None]:
        if _is_empty(value):
            return None, None
        day = _as_date(value)
        if day is not None:
            return day, None
        s = clean_text(value)
        day = _text_day(s)
        if day is not None:
            return day, None
        return s, ("bad_date", {"value": s}, "error")

    return read


def month_reader() -> Reader:
    """A month (from/to of a declaration line): mm/yyyy, yyyy-mm, a date cell or a
    serial number (the day is dropped), "Tháng 01/2026"."""

    def read(value: Any) -> tuple[Any, Issue | None]:
        if _is_empty(value):
            return None, None
        day = _as_date(value)
        if day is None:
            s = _MONTH_WORD.sub("", clean_text(value))
            day = _text_day(s)
        else:
            s = str(value)
        try:
            if day is not None:
                return Period.of(day), None
            m = _MY.match(s)
            if m:
                return Period(int(m.group(2)), int(m.group(1))), None
            m = _YM.match(s)
            if m:
                return Period(int(m.group(1)), int(m.group(2))), None
        except (ValueError, PeriodError):
            pass
        return s, ("bad_month", {"value": s}, "error")

    return read


# -- codes ---------------------------------------------------------------------------------

def _code_key(text: str) -> str:
    return " ".join(fold(text).replace("đ", "d").replace(".", " ").split())


_PLACE_PREFIXES = ("thanh pho ", "tinh ", "tp ")


def code_index(codelist: CodeList) -> dict[str, str]:
    """Every way a code may be written in a cell → the code: the code itself, its names
    in both languages, aliases, ISO alpha-3, and place names without "Tỉnh"/"TP."."""
    index: dict[str, str] = {}
    for code, entry in codelist.entries.items():
        names = [code, entry.get("vi", ""), entry.get("en", ""), entry.get("alpha3", "")]
        names += [a for a in (entry.get("aliases") or "").split(";")]
        for name in names:
            key = _code_key(name)
            if not key:
                continue
            index.setdefault(key, code)
            for prefix in _PLACE_PREFIXES:
                if key.startswith(prefix):
                    index.setdefault(key[len(prefix):], code)
    return index


def code_reader(codelist: CodeList, legacy: str | None = None) -> Reader:
    """A code from its code list: "01", 1, "Kinh", "TM", "TM - Tăng mới", "Việt Nam",
    "TP. Hồ Chí Minh" …; text that names no code is returned as it is (the form's check
    then says it is not in the list)."""
    index = code_index(codelist)
    codes = list(codelist.entries)
    width = len(codes[0]) if codes and all(c.isdigit() and len(c) == len(codes[0])
                                           for c in codes) else 0

    def read(value: Any) -> tuple[Any, Issue | None]:
        if _is_empty(value):
            return "", None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        s = clean_text(value, legacy)
        if s in codelist.entries:
            return s, None
        if width and s.isdigit() and len(s) < width and s.zfill(width) in codelist.entries:
            return s.zfill(width), None
        for candidate in (s, s.split(" - ", 1)[0], s.split("-", 1)[0]):
            key = _code_key(candidate)
            code = index.get(key)
            for prefix in _PLACE_PREFIXES:
                if code is None and key.startswith(prefix):
                    code = index.get(key[len(prefix):])
            if code is not None:
                return code, None
        return s, None

    return read


def gender_reader(genders: CodeList, legacy: str | None = None) -> Reader:
    """M or F from "Nam"/"Nữ" (also typed without accents, in TCVN3 or VNI), "M"/"F",
    "Male"/"Female"."""
    words = {"nam": "M", "m": "M", "male": "M", "trai": "M", "nu": "F", "f": "F",
             "female": "F", "gai": "F"}
    for code, entry in genders.entries.items():
        for name in (code, entry.get("vi", ""), entry.get("en", "")):
            if name:
                words.setdefault(_code_key(name), code)
                words.setdefault(_code_key(unicode_to_tcvn3(name)), code)
                words.setdefault(_code_key(unicode_to_vni(name)), code)

    def read(value: Any) -> tuple[Any, Issue | None]:
        if _is_empty(value):
            return "", None
        s = clean_text(value, legacy)
        code = words.get(_code_key(s)) or words.get(_code_key(s.split(" - ", 1)[0]))
        if code:
            return code, None
        return s, ("import_bad_gender", {"value": s}, "error")

    return read


def text_reader(legacy: str | None = None) -> Reader:
    def read(value: Any) -> tuple[Any, Issue | None]:
        s = clean_text(value, legacy)
        if legacy == "auto" and s != clean_text(value):
            return s, ("import_legacy_cell", {"value": s}, "warning")
        return s, None

    return read


# Yes or no (a claim's surgery, heavy work …): the words officers write for each, folded.
FLAG_TRUE = frozenset({"1", "x", "co", "c", "yes", "y", "true", "dung", "phau thuat",
                       "sinh mo", "mo", "nang nhoc", "doc hai", "nguy hiem"})
FLAG_FALSE = frozenset({"0", "khong", "k", "no", "n", "false", "sai", "binh thuong",
                        "thuong"})
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def flag_reader() -> Reader:
    """Yes or no: 1/0, x, có/không, yes/no; "Nặng nhọc, độc hại" and "Bình thường" in a
    working-conditions column; "Sinh mổ" in a surgery column."""

    def read(value: Any) -> tuple[Any, Issue | None]:
        if _is_empty(value):
            return False, None
        if isinstance(value, bool):
            return value, None
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value), None
        s = clean_text(value)
        key = " ".join(_NOT_WORD.sub(" ", fold(s).replace("đ", "d")).split())
        if key in FLAG_TRUE or any(w in key for w in ("nang nhoc", "doc hai", "nguy hiem")):
            return True, None
        if key in FLAG_FALSE:
            return False, None
        return s, ("import_bad_flag", {"value": s}, "error")

    return read


TEXT_KINDS = frozenset({"name", "text", "code", "gender"})


def reader_for(target: Target, catalog: Catalog, legacy: str | None = None) -> Reader:
    """The reader of a target's cells (``legacy``: the column's legacy encoding)."""
    kind = target.kind
    if kind in ("name", "text"):
        return text_reader(legacy)
    if kind == "id":
        return id_reader(target.check or "")
    if kind == "idcard":
        return idcard_reader()
    if kind == "money":
        return money_reader()
    if kind == "decimal":
        return decimal_reader()
    if kind == "int":
        return int_reader()
    if kind == "partial_date":
        return partial_date_reader()
    if kind == "date":
        return date_reader()
    if kind == "month":
        return month_reader()
    if kind == "flag":
        return flag_reader()
    if kind == "gender":
        return gender_reader(catalog.codelists["genders"], legacy)
    if kind == "code":
        return code_reader(catalog.codelists[target.codelist or ""], legacy)
    return text_reader(legacy)


# A bulk reader: the values and issues of the distinct cells it could read; None for the
# values when every cell reads as itself.
Bulk = Callable[[set[Any]], tuple[dict[Any, Any] | None, dict[Any, Issue]]]
AsIs = Callable[[Sequence[Any]], bool]


def read_column(read: Reader, cells: Sequence[Any], bulk: Bulk | None = None,
                distinct: set[Any] | None = None, as_is: AsIs | None = None,
                ) -> tuple[list[Any], dict[int, Issue]]:
    """Every cell of a column through ``read``: the values, and the issues by position.

    Each distinct value is read once (a column repeats its genders, provinces and
    salaries, and a cell's reading depends on nothing else). ``bulk`` reads at once the
    distinct values it can and returns their values and issues; ``read`` takes the rest,
    one by one. ``distinct``: the set of the cells, when the caller has it.
    ``as_is`` tells in one pass that every cell is already what reading it would give
    (a column of identifiers typed as text): then nothing else is done."""
    if as_is is not None and as_is(cells):
        return list(cells), {}
    if distinct is None:
        try:
            distinct = set(cells)
        except TypeError:  # an unhashable cell (never from calamine or csv)
            pairs = [read(v) for v in cells]
            return [p[0] for p in pairs], {k: p[1] for k, p in enumerate(pairs) if p[1]}
    value_of, issue_of = bulk(distinct) if bulk is not None else ({}, {})
    if value_of is None:
        return list(cells), {}
    for v in distinct.difference(value_of):
        value_of[v], issue = read(v)
        if issue is not None:
            issue_of[v] = issue
    if not issue_of and all(map(is_, value_of, value_of.values())):
        return list(cells), {}  # every cell is read as itself: names, addresses …
    values = list(map(value_of.__getitem__, cells))
    if not issue_of:
        return values, {}
    return values, {k: issue_of[v] for k, v in enumerate(cells) if v in issue_of}


class _Readings(dict):
    """Cell → its reading, each distinct cell read on first sight (a dict's own look-up
    for every other)."""

    def __init__(self, read: Reader) -> None:
        super().__init__()
        self.read = read
        self.issues: dict[Any, Issue] = {}

    def __missing__(self, cell: Any) -> Any:
        value, issue = self.read(cell)
        self[cell] = value
        if issue is not None:
            self.issues[cell] = issue
        return value


def read_each(read: Reader, cells: Sequence[Any]
              ) -> tuple[list[Any], dict[int, Issue], Collection[Any]]:
    """Every cell of a column through ``read`` in one pass, each distinct value read
    once: the values, the issues by position, and the distinct cells."""
    readings = _Readings(read)
    try:
        values = list(map(readings.__getitem__, cells))
    except TypeError:  # an unhashable cell (never from calamine or csv)
        values, found = read_column(read, cells)
        return values, found, cells
    bad = readings.issues
    found = {k: bad[v] for k, v in enumerate(cells) if v in bad} if bad else {}
    return values, found, readings.keys()


_SEP = "\x00"  # never in a cell's text once the sheet is read; checked all the same


def clean_texts(distinct: set[Any]) -> tuple[dict[str, str] | None, dict[Any, Issue]]:
    """clean_text of many cells at once (the text cells of ``distinct``; legacy fonts
    aside): one pass over all of them joined, which is what makes a column of 50,000
    names cheap. None when every cell is clean text already; empty when a cell holds
    the separator (then each is cleaned alone)."""
    texts = [v for v in distinct if v.__class__ is str]
    joined = _SEP.join(texts)
    if joined.count(_SEP) != len(texts) - 1:
        return {}, {}
    if all(map(str.isprintable, texts)) and "  " not in joined \
            and " " + _SEP not in joined and _SEP + " " not in joined \
            and joined[:1] != " " and joined[-1:] != " ":
        # No space to take away (tabs, line breaks, non-breaking and zero-width spaces
        # are not printable): only the composition may change, and seldom does.
        cleaned = joined if joined.isascii() else nfc(joined)
        if cleaned is joined or cleaned == joined:
            if len(texts) == len(distinct):
                return None, {}
            return dict(zip(texts, texts, strict=True)), {}
        return dict(zip(texts, cleaned.split(_SEP), strict=True)), {}
    if not joined.isascii():
        if any(ch in joined for ch in _INVISIBLE_CHARS):
            joined = _INVISIBLE.sub("", joined)
        joined = nfc(joined)
    joined = " ".join(joined.split()).replace(" " + _SEP, _SEP).replace(_SEP + " ", _SEP)
    return dict(zip(texts, joined.split(_SEP), strict=True)), {}


def digit_texts(check: str) -> Bulk:
    """The bulk reader of an identifier column (id_reader's commonest cases): texts of
    the identifier's length in ASCII digits are what they should be; a whole number is
    its digits, with the zeros it lost put back."""
    length = ID_LENGTHS[check]
    restore = zeros_restorer(check)

    def bulk(distinct: set[Any]) -> tuple[dict[Any, Any], dict[Any, Issue]]:
        texts = [v for v in distinct if v.__class__ is str and len(v) == length]
        joined = "".join(texts)
        values = dict(zip(texts, texts, strict=True)) \
            if joined.isdigit() and joined.isascii() else {}
        issues: dict[Any, Issue] = {}
        numbers = [v for v in distinct if v.__class__ is int or v.__class__ is float]
        try:
            whole = list(map(int, numbers))
        except (ValueError, OverflowError):  # not a number, infinite: the reader's
            return values, issues
        for v, n, digits in zip(numbers, whole, map(str, whole), strict=True):
            if n != v or n < 0:
                continue  # 1.5, -3: the reader's
            if len(digits) == length:
                values[v] = digits
            elif len(digits) < length:
                values[v], issue = restore(digits)
                if issue is not None:
                    issues[v] = issue
        return values, issues

    return bulk


def digits_as_is(length: int) -> AsIs:
    """Whether every cell of a column is text of ``length`` ASCII digits."""

    def as_is(cells: Sequence[Any]) -> bool:
        try:
            joined = "".join(cells)
        except TypeError:  # not all text
            return False
        return len(joined) == length * len(cells) and joined.isdigit() \
            and joined.isascii() and min(map(len, cells), default=length) == length

    return as_is


def as_is_for(target: Target) -> AsIs | None:
    """What tells at once that a target's column needs no reading (see ``read_column``)."""
    length = ID_LENGTHS.get(target.check or "") if target.kind == "id" else None
    return digits_as_is(length) if length else None


def bulk_for(target: Target, legacy: str | None = None) -> Bulk | None:
    """What reads a target's column at once where it can (see ``read_column``)."""
    if target.kind in ("name", "text") and legacy is None:
        return clean_texts
    if target.kind == "id" and ID_LENGTHS.get(target.check or ""):
        return digit_texts(target.check or "")
    return None
