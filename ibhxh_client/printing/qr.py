"""The QR code that matches a paper dossier to its electronic record.

It holds the dossier id, the period, the unit code and the SHA-256 of the dossier's XML
envelope, as one line of text any reader shows as is:

    IBHXH|dossier=12|period=11/2026|unit=TZH490L|sha256=<64 hex digits>

segno makes the matrix; the modules are drawn as filled rectangles (runs of dark modules
in a row become one rectangle), so no image file is involved and the code stays sharp at
any printer resolution.
"""

from __future__ import annotations

from typing import Any

import segno

PREFIX = "IBHXH"
QUIET_ZONE = 4  # modules of white around the symbol, as the standard asks


def payload(dossier_id: int, period: str, unit_code: str, sha256: str) -> str:
    """The text the QR code carries."""
    return (f"{PREFIX}|dossier={dossier_id}|period={period}|unit={unit_code}"
            f"|sha256={sha256}")


def parse_payload(text: str) -> dict[str, str]:
    """The fields of a payload read back (a scanner's output); raises ValueError."""
    parts = text.strip().split("|")
    if not parts or parts[0] != PREFIX:
        raise ValueError("not an IBHXH dossier code")
    out = {}
    for part in parts[1:]:
        key, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"bad field {part!r}")
        out[key] = value
    return out


def matrix(text: str) -> list[list[bool]]:
    """The QR symbol's modules, True for dark, without the quiet zone. Error correction
    level M: a crease or a stamp across a corner still reads."""
    code = segno.make_qr(text, error="m", boost_error=False)
    return [[bool(v) for v in row] for row in code.matrix]


def runs(modules: list[list[bool]]) -> list[tuple[int, int, int]]:
    """Each horizontal run of dark modules as (row, first column, length)."""
    out = []
    for y, row in enumerate(modules):
        x, n = 0, len(row)
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                out.append((y, start, x - start))
            else:
                x += 1
    return out


def draw(painter: Any, x: float, y: float, size: float, text: str) -> None:
    """Draw the code for ``text`` with its top-left corner (quiet zone included) at x, y
    and ``size`` wide and high, in the painter's units."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor

    modules = matrix(text)
    count = len(modules) + 2 * QUIET_ZONE
    unit = size / count
    painter.fillRect(QRectF(x, y, size, size), QColor(Qt.GlobalColor.white))
    black = QColor(Qt.GlobalColor.black)
    ox, oy = x + QUIET_ZONE * unit, y + QUIET_ZONE * unit
    for row, col, length in runs(modules):
        # A hair of overlap downwards keeps renderers from leaving white seams.
        painter.fillRect(QRectF(ox + col * unit, oy + row * unit, length * unit, unit * 1.02),
                         black)
