"""A plain A4 report of headed sections of label/value lines, drawn with QPainter onto
QPdfWriter (the worker's personal-data report; diagnostics later)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .qt import ensure_app, font_family


@dataclass
class Section:
    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)


def write_pdf(path: Path, title: str, subtitle: str, sections: list[Section]) -> int:
    """Draw the report; returns the number of pages."""
    ensure_app()
    from PySide6.QtCore import QMarginsF, QRectF, Qt
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

    writer = QPdfWriter(str(path))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    writer.setResolution(300)
    writer.setTitle(title)
    family = font_family()
    painter = QPainter(writer)
    try:
        page = writer.pageLayout().paintRectPixels(writer.resolution())
        width, bottom = page.width(), page.height()
        body, bold, head = QFont(family, 10), QFont(family, 10), QFont(family, 14)
        bold.setBold(True)
        head.setBold(True)
        line_h = int(writer.resolution() * 10 / 72 * 1.5)
        pages, y = 1, 0

        def text(font: QFont, x: int, w: int, value: str, flags=Qt.AlignmentFlag.AlignLeft):
            painter.setFont(font)
            painter.drawText(QRectF(x, y, w, line_h), int(flags | Qt.AlignmentFlag.AlignVCenter),
                             value)

        def need(lines: int) -> None:
            nonlocal y, pages
            if y + lines * line_h > bottom:
                writer.newPage()
                pages += 1
                y = 0

        text(head, 0, width, title)
        y += int(line_h * 1.6)
        text(body, 0, width, subtitle)
        y += line_h * 2
        label_w = int(width * 0.38)
        for section in sections:
            need(3)
            text(bold, 0, width, section.title)
            y += line_h
            for label, value in section.lines:
                need(1)
                text(body, 0, label_w, label)
                text(body, label_w, width - label_w, value)
                y += line_h
            y += line_h // 2
    finally:
        painter.end()
    return pages
