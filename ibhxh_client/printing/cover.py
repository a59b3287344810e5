"""The cover of the paper dossier, "Phiếu giao nhận hồ sơ": each document with its form,
count and pages, why the dossier was printed on paper, and the QR code that matches the
paper to the electronic record."""

from __future__ import annotations

from dataclasses import dataclass

from . import qr
from .blocks import Area, fill, signatures, table_rules
from .canvas import Canvas
from .document import Context, Document
from .layout import CoverLayout, PageSettings

QR_MM = 40.0
PAD_MM = 1.2


@dataclass(frozen=True)
class DocumentEntry:
    """One line of the cover: a document of the dossier."""

    form: str
    title: str
    count: int  # forms of this kind (one TK1-TS per worker)
    pages: int


class CoverDocument(Document):
    form = "Phiếu giao nhận"

    def __init__(self, c: Canvas, area: Area, settings: PageSettings, layout: CoverLayout,
                 ctx: Context, entries: list[DocumentEntry]) -> None:
        super().__init__(c, area, settings, layout, ctx)
        self.cover = layout
        self.entries = entries
        self.title = layout.title[0] if layout.title else ""

    def draw(self, index: int) -> None:
        c, area, fonts, lay = self.c, self.area, self.fonts, self.cover
        values = self.values()
        y = self.heading([fill(t, values) for t in lay.unit_fields])
        y = self._table(y) + c.mm(6)

        # Why on paper.
        c.text(fonts.bold, 0, y, area.width, lay.reason_label)
        y += fonts.bold.line * 1.2
        y += c.paragraph(fonts.body, c.mm(4), y, area.width - c.mm(4), self.ctx.reason,
                         leading=1.15)
        y += c.mm(1)
        if lay.reason_note:
            y += c.paragraph(fonts.note_italic, c.mm(4), y, area.width - c.mm(4),
                             lay.reason_note, leading=1.15)
        y += c.mm(6)

        # The QR code and what it holds, in words, for a reader without a scanner.
        size = c.mm(QR_MM)
        qr.draw(c.painter, 0, y, size, self.ctx.qr_text)
        tx = size + c.mm(4)
        tw = area.width - tx
        ty = y + c.mm(3)
        c.text(fonts.bold, tx, ty, tw, lay.qr_caption)
        ty += fonts.bold.line * 1.3
        digest = self.ctx.values.get("sha256", "")
        # In groups of eight, to be compared by eye with `ibhxh status` or a checksum tool.
        grouped = " ".join(digest[i:i + 8] for i in range(0, len(digest), 8))
        for line in lay.qr_lines:
            text = fill(line, {**values, "sha256": grouped})
            ty += c.paragraph(fonts.note, tx, ty, tw, text, leading=1.25)
        y += max(size, ty - y) + c.mm(6)

        signatures(c, area, fonts, self.settings, y, lay.signatures, self.ctx.names,
                   self.date_line())
        self.footer(index)

    def _table(self, top: float) -> float:
        c, area, fonts, lay = self.c, self.area, self.fonts, self.cover
        pad = c.mm(PAD_MM)
        scale = area.width / sum(col.width for col in lay.columns)
        xs, x = [], 0.0
        for col in lay.columns:
            xs.append(x)
            x += col.width * scale
        widths = [col.width * scale for col in lay.columns]
        label_h = fonts.bold.line + 2 * pad
        for col, cx, w in zip(lay.columns, xs, widths, strict=True):
            c.text(fonts.bold, cx + pad, top + pad, w - 2 * pad, col.label, "center")
        ys = [top, top + label_h]
        y = top + label_h
        for stt, entry in enumerate(self.entries, start=1):
            cells = [str(stt), entry.title, entry.form, str(entry.count), str(entry.pages)]
            name_lines = fonts.body.split(entry.title, widths[1] - 2 * pad)
            h = len(name_lines) * fonts.body.line + 2 * pad
            for i, (col, cx, w) in enumerate(zip(lay.columns, xs, widths, strict=True)):
                if i == 1:
                    c.lines(fonts.body, cx + pad, y + pad, w - 2 * pad, name_lines, col.align)
                else:
                    c.text(fonts.body, cx + pad, y + (h - fonts.body.line) / 2, w - 2 * pad,
                           cells[i], col.align)
            y += h
            ys.append(y)
        c.grid(table_rules([*xs, area.width], top, y, ys, 0, area.width))
        return y
