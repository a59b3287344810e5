"""The drawing surface of the paper dossier: a QPainter on a QPdfWriter or a QPrinter, in
the device's own pixels, with the shipped fonts and their metrics made once.

Text is drawn with ``drawText`` at a computed baseline: one call per piece of text, no
layout objects per cell. Widths are measured once per distinct string (a cache per font),
which is what keeps a list of 50,000 rows fast: most cells repeat (months, plan codes,
genders, positions).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

MM_PER_INCH = 25.4
SLANT = 0.2  # the lean of slanted text: about 11 degrees, as an oblique face
_DIGITS = str.maketrans("123456789", "000000000")


class Font:
    """A QFont with its metrics on the device, and the width of each string measured."""

    __slots__ = ("_adv", "_measure", "ascent", "line", "metrics", "qfont", "slant", "tabular")

    def __init__(self, qfont: QFont, device: Any, slant: bool = False) -> None:
        self.qfont = qfont
        self.slant = slant
        self.metrics = QFontMetricsF(qfont, device)
        self.ascent = self.metrics.ascent()
        self.line = self.metrics.height()
        self._measure = self.metrics.horizontalAdvance
        self._adv: dict[str, float] = {}
        # With kerning off and digits of one width (DejaVu's are), "12/03/1990" is as wide
        # as "00/00/0000": numbers, dates and ID numbers then share a few cache entries.
        self.tabular = len({self._measure(d) for d in "0123456789"}) == 1

    def advance(self, text: str) -> float:
        """The width of ``text`` in device pixels."""
        key = text.translate(_DIGITS) if self.tabular else text
        width = self._adv.get(key)
        if width is None:
            width = self._adv[key] = self._measure(key)
        return width

    def elide(self, text: str, width: float) -> str:
        """``text`` cut with an ellipsis to fit ``width`` (unchanged when it fits)."""
        if self.advance(text) <= width:
            return text
        return self.metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)

    def split(self, text: str, width: float, max_lines: int | None = None) -> list[str]:
        """``text`` broken at spaces into lines that fit ``width``; a word longer than the
        width is cut; with ``max_lines``, the last line is cut with an ellipsis."""
        if self.advance(text) <= width:
            return [text]
        lines: list[str] = []
        current = ""
        words = text.split(" ")
        for i, word in enumerate(words):
            trial = f"{current} {word}" if current else word
            if self._measure(trial) <= width or not current:
                current = trial
                continue
            lines.append(current)
            current = word
            if max_lines is not None and len(lines) == max_lines - 1:
                current = " ".join(words[i:])
                break
        lines.append(current)
        return [self.elide(line, width) for line in lines]


class Canvas:
    """A painter on a paged device, with millimetre conversion and cached fonts."""

    def __init__(self, device: Any, family: str) -> None:
        self.device = device
        self.family = family
        self.dpmm = device.resolution() / MM_PER_INCH
        self.painter: QPainter | None = None
        self._fonts: dict[tuple[float, bool, bool], Font] = {}
        self._current: QFont | None = None
        self.thin = QPen(QColor(Qt.GlobalColor.black), self.mm(0.2))
        self.rule = QPen(QColor(Qt.GlobalColor.black), self.mm(0.35))

    def mm(self, value: float) -> float:
        """Millimetres in device pixels."""
        return value * self.dpmm

    def font(self, size: float, bold: bool = False, italic: bool = False) -> Font:
        """The shipped font at ``size`` points. Italic is the upright font slanted when
        drawn: only regular and bold ship, and Qt would otherwise take an italic from the
        machine's fonts when it has one, or make its own when not."""
        key = (size, bold, italic)
        font = self._fonts.get(key)
        if font is None:
            qfont = QFont(self.family)
            qfont.setPointSizeF(size)
            qfont.setBold(bold)
            # Kerning and hinting off: widths measured here are the widths drawn.
            qfont.setKerning(False)
            qfont.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            font = self._fonts[key] = Font(qfont, self.device, slant=italic)
        return font

    def begin(self) -> bool:
        self.painter = QPainter()
        if not self.painter.begin(self.device):
            self.painter = None
            return False
        self.painter.setPen(self.thin)
        return True

    def end(self) -> bool:
        painter, self.painter = self.painter, None
        self._current = None
        return painter.end() if painter is not None else False

    def new_page(self) -> None:
        self.device.newPage()
        self._current = None  # a new page starts a new content stream

    # -- text ---------------------------------------------------------------------------

    def use(self, font: Font) -> None:
        if self._current is not font.qfont:
            self.painter.setFont(font.qfont)
            self._current = font.qfont

    def text(self, font: Font, x: float, y: float, width: float, text: str,
             align: str = "left") -> None:
        """One line of text in the box from x (top y) ``width`` wide, cut to fit."""
        if not text:
            return
        text = font.elide(text, width)
        if align != "left":
            free = width - font.advance(text)
            x += free if align == "right" else free / 2
        self.use(font)
        if font.slant:
            painter = self.painter
            painter.save()
            painter.translate(x, y + font.ascent)
            painter.shear(-SLANT, 0)
            painter.drawText(0, 0, text)
            painter.restore()
            return
        self.painter.drawText(int(x), int(y + font.ascent), text)

    def lines(self, font: Font, x: float, y: float, width: float, lines: list[str],
              align: str = "left", leading: float = 1.0) -> float:
        """Several lines, one under the other; returns the height used."""
        step = font.line * leading
        for i, line in enumerate(lines):
            self.text(font, x, y + i * step, width, line, align)
        return step * len(lines)

    def paragraph(self, font: Font, x: float, y: float, width: float, text: str,
                  align: str = "left", leading: float = 1.0) -> float:
        """Text wrapped to ``width``; returns the height used."""
        return self.lines(font, x, y, width, font.split(text, width), align, leading)

    def paragraph_height(self, font: Font, width: float, text: str,
                         leading: float = 1.0) -> float:
        return font.line * leading * len(font.split(text, width))

    # -- lines --------------------------------------------------------------------------

    def hline(self, x1: float, x2: float, y: float, pen: QPen | None = None) -> None:
        self.painter.setPen(pen or self.thin)
        self.painter.drawLine(QLineF(x1, y, x2, y))

    def grid(self, segments: list[QLineF], pen: QPen | None = None) -> None:
        """Many line segments in one call (a page's table rules)."""
        self.painter.setPen(pen or self.thin)
        self.painter.drawLines(segments)

    def box(self, x: float, y: float, w: float, h: float, pen: QPen | None = None) -> None:
        self.painter.setPen(pen or self.thin)
        self.painter.setBrush(Qt.BrushStyle.NoBrush)
        self.painter.drawRect(QRectF(x, y, w, h))
