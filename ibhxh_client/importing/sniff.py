"""What a file holds, told from its bytes rather than from its name.

An officer picks "DS lao động.xlsx" and it is a Word document someone renamed, a PDF, a
zip of the month's papers, or a workbook saved as .xls under an .xlsx name. The importer
names the first kinds ("not a spreadsheet: it looks like a Word document") rather than
calling the file damaged, and reads the last by its content.

Only the first bytes are looked at, and for a zip or an OLE compound file (what Office
97–2003 files are) their table of contents: never the whole file.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path
from typing import BinaryIO

# Spreadsheets python-calamine reads, by what they hold (not by their suffix).
SPREADSHEETS = frozenset({"xlsx", "xlsb", "xls", "ods"})
# Files that are no spreadsheet, each named in the officer's message
# (``file_kind_<kind>`` in importing/messages.py).
NOT_SPREADSHEETS = frozenset({"word", "odt", "powerpoint", "odp", "pdf", "html", "zip",
                              "rar", "7z", "image", "program", "binary"})
# What each spreadsheet suffix is expected to hold.
SUFFIX_KINDS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xlsb": "xlsb", ".xls": "xls",
                ".ods": "ods"}

_HEAD = 65536  # how much of a file is looked at to tell text from binary data
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"{\\rtf", "word"),  # Rich Text: Word opens it, no spreadsheet reader does
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),  # JPEG
    (b"GIF87a", "image"),
    (b"GIF89a", "image"),
    (b"II*\x00", "image"),  # TIFF, as scanners save
    (b"MM\x00*", "image"),
    (b"\x7fELF", "program"),
)
# Inside a zip: the part that makes it an Office Open XML file.
_OOXML_PARTS = (("xl/workbook.xml", "xlsx"), ("xl/workbook.bin", "xlsb"),
                ("word/document.xml", "word"), ("ppt/presentation.xml", "powerpoint"))
_ODF_TYPES = {"application/vnd.oasis.opendocument.spreadsheet": "ods",
              "application/vnd.oasis.opendocument.text": "odt",
              "application/vnd.oasis.opendocument.presentation": "odp"}
# Inside an OLE compound file: the stream that makes it a Word, Excel or PowerPoint file.
_OLE_STREAMS = (("WordDocument", "word"), ("Workbook", "xls"), ("Book", "xls"),
                ("PowerPoint Document", "powerpoint"))
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # Excel's "Unicode Text" is UTF-16 with a BOM
# Bytes that text (UTF-8, Windows-1258, TCVN3, VNI) does not hold: C0 controls other
# than tab, line feed, form feed, carriage return and the old end-of-file mark, and DEL.
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\x0c\r\x1a") + b"\x7f"


def kind_of(path: Path) -> str | None:
    """What ``path`` holds: a kind of ``SPREADSHEETS`` or ``NOT_SPREADSHEETS``, or None
    for text (a CSV file, or a file to leave to the reader its suffix names) and for
    what cannot be told (a zip or compound file too damaged to list, an unreadable
    file: the reader then says what is wrong with it)."""
    try:
        with path.open("rb") as f:
            head = f.read(_HEAD)
            if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
                return _zip_kind(path)
            if head.startswith(_OLE):
                return _ole_kind(f)
    except OSError:
        return None
    return _head_kind(head)


def _head_kind(head: bytes) -> str | None:
    """The kind told by a file's first bytes alone."""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head.startswith(_UTF16_BOMS):
        return None
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return "html"
    if not is_binary(head):
        return None
    return "program" if head.startswith(b"MZ") else "binary"


def is_binary(head: bytes) -> bool:
    """Whether the first bytes of a file are not text: a NUL byte (text in UTF-16 has
    its byte order mark, looked at before), or more than one byte in a hundred a
    control character no text file holds."""
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls * 100 > len(head)


def _zip_kind(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            for part, kind in _OOXML_PARTS:
                if part in names:
                    return kind
            if "mimetype" in names:
                mimetype = z.read("mimetype")[:100].decode("ascii", "replace").strip()
                return _ODF_TYPES.get(mimetype, "zip")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None  # a damaged zip: the reader says the workbook is damaged
    return "zip"


def _ole_kind(f: BinaryIO) -> str | None:
    try:
        names = ole_streams(f)
    except (struct.error, ValueError):
        return None
    for stream, kind in _OLE_STREAMS:
        if stream in names:
            return kind
    return None  # a password-protected Office file, an Outlook message …


_FREE = 0xFFFFFFFA  # sector numbers from here up mark the end of a chain, or none


def ole_streams(f: BinaryIO) -> set[str]:
    """The names in an OLE compound file's directory (Microsoft's [MS-CFB]): the header's
    sector size and the file allocation table, through the header's list of its sectors
    and any continuation of it, then the directory's chain of sectors."""
    f.seek(0)
    header = f.read(512)
    shift = struct.unpack_from("<H", header, 30)[0]
    if shift not in (9, 12):
        raise ValueError("not a compound file sector size")
    size = 1 << shift
    per_sector = size // 4

    def sector(n: int) -> tuple[int, ...]:
        f.seek((n + 1) * size)
        return struct.unpack(f"<{per_sector}I", f.read(size))

    fat_sectors = [n for n in struct.unpack_from("<109I", header, 76) if n < _FREE]
    more, count = struct.unpack_from("<II", header, 68)
    for _ in range(count):
        if more >= _FREE:
            break
        *listed, more = sector(more)
        fat_sectors += [n for n in listed if n < _FREE]
    fat = [entry for n in fat_sectors for entry in sector(n)]
    names: set[str] = set()
    n, seen = struct.unpack_from("<I", header, 48)[0], set()
    while n < min(len(fat), _FREE) and n not in seen:
        seen.add(n)
        f.seek((n + 1) * size)
        block = f.read(size)
        for at in range(0, len(block) - 127, 128):
            length, kind = struct.unpack_from("<HB", block, at + 64)
            if kind in (1, 2) and 2 <= length <= 64:  # a storage or a stream
                names.add(block[at:at + length - 2].decode("utf-16-le", "replace"))
        n = fat[n]
    return names
