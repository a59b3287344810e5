"""A list form (D02-LT, D01-TS) drawn page by page: the heading on the first page, the
column labels repeated on every page, rows of one line (or a few, where a long name
wraps), the totals row, the summary, the date and the signature blocks.

Two passes over the rows: the first measures only what can wrap (names, positions) to
know each row's height, so pages and "Trang x/y" are known before drawing; the second
formats and draws. Neither keeps the formatted text of more than one row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain.formspec import CodeList
from ..domain.text import vnd
from ..domain.validation import FormData
from .blocks import (
    Area,
    fill,
    running_head,
    running_head_height,
    signatures,
    signatures_height,
    table_rules,
    unit_line,
)
from .canvas import Canvas
from .cells import formatter
from .document import Context, Document
from .layout import FormLayout, PageSettings

TOTAL_LABEL = "Tổng cộng"
# Fields written with digits and separators at fixed places: with digits of one width, a
# value's printed width follows from its length alone.
DIGIT_TYPES = frozenset({"int", "money", "date", "month", "partial_date"})
DIGIT_IDS = frozenset({"bhxh", "cccd", "cmnd", "tax_code", "kcb", "agency_code", "phone"})
PAD_MM = 0.9  # inside a cell, each side


def _widest(ftype: str, fmt: Callable[[Any], str], values: list[Any]) -> str:
    """The text of a column's widest value, found without formatting every row: the
    largest number, the longest text; dates and months all have one width."""
    present = [v for v in values if v is not None and v != ""]
    if not present:
        return ""
    if ftype in ("int", "money"):
        return fmt(max(present))
    if ftype in ("date", "month", "bool"):
        return fmt(present[0])
    if ftype == "code":
        return max((fmt(v) for v in set(present)), key=len)
    if ftype == "decimal":
        return max((fmt(v) for v in present), key=len)
    return fmt(max(present, key=lambda v: len(str(v))))


def allocate(total: float, ratios: list[float], mins: list[float]) -> list[float]:
    """Widths in the layout's ratios that add up to ``total``, each at least its minimum:
    a column held at its minimum leaves the rest to the others, in their ratios. When the
    minimums alone are too wide, they are scaled down to fit."""
    if sum(mins) >= total:
        return [m * total / sum(mins) for m in mins]
    held: dict[int, float] = {}
    while True:
        free = [i for i in range(len(ratios)) if i not in held]
        room = total - sum(held.values())
        share = room / sum(ratios[i] for i in free)
        short = [i for i in free if ratios[i] * share < mins[i]]
        if not short:
            return [held.get(i, ratios[i] * share) for i in range(len(ratios))]
        for i in short:
            held[i] = mins[i]


class _Col:
    """A visible column with everything the drawing loop needs, in device pixels."""

    __slots__ = ("align", "digits", "fmt", "label_lines", "lines", "name", "total", "width",
                 "wrap", "x")

    def __init__(self, name: str, fmt: Callable[[Any], str], x: float, width: float,
                 align: str, wrap: bool, lines: int, total: bool, digits: bool) -> None:
        self.name, self.fmt, self.x, self.width = name, fmt, x, width
        self.align, self.wrap, self.lines, self.total = align, wrap, lines, total
        self.digits = digits
        self.label_lines: list[str] = []


class ListDocument(Document):
    """A form with rows, laid out on as many pages as its rows need."""

    def __init__(self, c: Canvas, area: Area, settings: PageSettings, layout: FormLayout,
                 ctx: Context, data: FormData, codelists: dict[str, CodeList]) -> None:
        super().__init__(c, area, settings, layout, ctx)
        spec = data.spec
        assert spec.rows is not None
        self.data = data
        self.form = spec.code
        self.title = spec.title["vi"]
        rows = data.rows
        fonts = self.fonts
        self.pad = c.mm(PAD_MM)
        self.row_h = fonts.body.line + 2 * self.pad
        self.total_h = fonts.bold.line + 2 * self.pad

        # Columns: optional ones only when a row has a value. Widths follow the layout's
        # ratios, but never below what a column's longest value or a word of its label
        # needs: an ID number or an amount is never cut.
        chosen = []
        for col in layout.columns:
            fspec = spec.rows.field(col.field)
            fmt = formatter(fspec, codelists, col.show, col.field in layout.upper)
            if col.optional and not any(r.get(col.field) for r in rows):
                continue
            chosen.append((col, fspec, fmt))
        self.sums: dict[str, int] = {
            col.field: sum(r.get(col.field) or 0 for r in rows)
            for col, _, _ in chosen if col.total}
        label_font = fonts.label
        mins = []
        for col, fspec, fmt in chosen:
            words = fspec.label_in("vi").split()
            need = max(label_font.advance(w) for w in words) if words else 0.0
            if not col.wrap:
                sample = _widest(fspec.type, fmt, [r.get(col.field) for r in rows])
                need = max(need, fonts.body.advance(sample))
                if col.total:
                    need = max(need, fonts.bold.advance(vnd(self.sums[col.field])))
            mins.append(need + 2 * self.pad + c.mm(0.4))
        widths = allocate(area.width, [col.width for col, _, _ in chosen], mins)
        self.cols: list[_Col] = []
        x = 0.0
        for (col, fspec, fmt), width in zip(chosen, widths, strict=True):
            digits = fspec.type in DIGIT_TYPES or (fspec.type == "id"
                                                   and fspec.check in DIGIT_IDS)
            self.cols.append(_Col(col.field, fmt, x, width, col.align, col.wrap, col.lines,
                                  col.total, digits and fonts.body.tabular))
            x += width
        self.edges = [col.x for col in self.cols] + [area.width]
        self._by_length: dict[str, dict[int, float]] = {}
        if not self.sums:  # nothing to total (D01-TS): no totals row
            self.total_h = 0.0

        # Column labels, wrapped to their width; then the (1) (2) … row.
        for col in self.cols:
            label = spec.rows.field(col.name).label_in("vi")
            col.label_lines = label_font.split(label, col.width - 2 * self.pad)
        most = max(len(col.label_lines) for col in self.cols)
        self.label_h = most * label_font.line + 2 * self.pad
        self.number_h = fonts.note.line + self.pad if layout.numbered else 0.0
        self.header_h = self.label_h + self.number_h

        # Pass 1: row heights.
        wraps = [(col.name, col.fmt, col.width - 2 * self.pad, col.lines)
                 for col in self.cols if col.wrap]
        measure = fonts.body.metrics.horizontalAdvance
        split = fonts.body.split
        row_h, line = self.row_h, fonts.body.line
        heights: list[float] = []
        for r in rows:
            h = row_h
            for name, fmt, avail, max_lines in wraps:
                text = fmt(r.get(name))
                # Names are mostly distinct: measure without filling the cache.
                if text and measure(text) > avail:
                    h = max(h, row_h + (len(split(text, avail, max_lines)) - 1) * line)
            heights.append(h)
        self.heights = heights

        # The end block: summary lines, the date line and the signature blocks.
        header = data.header
        self.summary = []
        for name in layout.summary:
            fspec = spec.header.field(name)
            value = header.get(name)
            text = formatter(fspec, codelists)(value) or "0"
            if fspec.type == "money":
                text += " đồng"
            self.summary.append(unit_line(fspec.label_in("vi"), text))
        self.end_h = (c.mm(4) + len(self.summary) * fonts.body.line * 1.3 + c.mm(4)
                      + signatures_height(c, fonts, settings))
        values = self.values()
        self.unit_lines = [fill(n, values) if "{" in n else  # a text of the layout's own
                           unit_line(spec.header.field(n).label_in("vi"),
                                     formatter(spec.header.field(n), codelists)(header.get(n)))
                           for n in layout.unit_fields]
        self._paginate()

    # -- pass 1: pages --------------------------------------------------------------------

    def _paginate(self) -> None:
        bottom = self.area.bottom
        first = bottom - self.heading(self.unit_lines, draw=False) - self.header_h
        later = bottom - running_head_height(self.c, self.fonts) - self.header_h
        ranges: list[tuple[int, int]] = []
        start, used, room = 0, 0.0, first
        heights = self.heights
        for i, h in enumerate(heights):
            if used + h > room and i > start:
                ranges.append((start, i))
                start, used, room = i, 0.0, later
            used += h
        n = len(heights)
        if self.total_h and used + self.total_h > room and n - start > 1:
            # The totals row never stands alone on a page: the last row goes with it.
            ranges.append((start, n - 1))
            start, used, room = n - 1, heights[-1], later
        ranges.append((start, n))
        used += self.total_h
        self.ranges = ranges
        self.end_apart = used + self.end_h > room  # the signatures need a page of their own
        self.pages = len(ranges) + (1 if self.end_apart else 0)

    # -- pass 2: drawing ------------------------------------------------------------------

    def draw(self, index: int) -> None:
        c, area = self.c, self.area
        if index == 0:
            y = self.heading(self.unit_lines)
        else:
            y = running_head(c, area, self.fonts,
                             fill(self.settings.continued, self.values()))
        if index < len(self.ranges):
            start, end = self.ranges[index]
            y = self._header(y)
            y = self._rows(y, start, end)
            if index == len(self.ranges) - 1:
                if self.sums:
                    y = self._totals(y)
                if not self.end_apart:
                    self._end(y)
        else:
            self._end(y)
        self.footer(index)

    def _header(self, top: float) -> float:
        c, fonts, pad = self.c, self.fonts, self.pad
        label = fonts.label
        for col in self.cols:
            lines = col.label_lines
            y = top + (self.label_h - len(lines) * label.line) / 2
            c.lines(label, col.x + pad, y, col.width - 2 * pad, lines, "center")
        ys = [top, top + self.label_h]
        if self.number_h:
            ny = top + self.label_h + self.pad / 2
            for i, col in enumerate(self.cols, start=1):
                c.text(fonts.note, col.x, ny, col.width, f"({i})", "center")
            ys.append(top + self.header_h)
        bottom = top + self.header_h
        c.grid(table_rules(self.edges, top, bottom, ys, 0, self.area.width))
        return bottom

    def _rows(self, top: float, start: int, end: int) -> float:
        """The rows [start, end) from ``top``; returns the y under the last one."""
        c, pad = self.c, self.pad
        font = self.fonts.body
        c.use(font)
        draw = c.painter.drawText
        adv = font.advance
        measure = font.metrics.horizontalAdvance
        ascent, line = font.ascent, font.line
        rows, heights = self.data.rows, self.heights
        row_h = self.row_h
        # (field, format, left x, right x, width inside, 0 left / 1 centre / 2 right,
        #  lines it may wrap to or 0, widths by text length for digit columns or None)
        cols = [(col.name, col.fmt, col.x + pad, col.x + col.width - pad, col.width - 2 * pad,
                 ("left", "center", "right").index(col.align), col.lines if col.wrap else 0,
                 self._by_length.setdefault(col.name, {}) if col.digits else None)
                for col in self.cols]
        ys = []
        y = top
        for i in range(start, end):
            r = rows[i]
            h = heights[i]
            tall = h > row_h  # a wrapping cell of this row did not fit on one line
            mid = int(y + (h - line) / 2 + ascent)  # baseline of a one-line cell
            for name, fmt, left, right, avail, align, wrap, by_length in cols:
                text = fmt(r.get(name))
                if not text:
                    continue
                if by_length is not None:
                    width = by_length.get(len(text))
                    if width is None:
                        width = by_length[len(text)] = adv(text)
                elif align == 0:
                    if wrap and not tall:  # measured in pass 1: it fits
                        draw(int(left), mid, text)
                        continue
                    width = measure(text) if wrap else adv(text)
                else:
                    width = adv(text)
                if width > avail:
                    if wrap:
                        base = y + pad + ascent
                        for k, part in enumerate(font.split(text, avail, wrap)):
                            draw(int(left), int(base + k * line), part)
                        continue
                    text = font.elide(text, avail)
                    width = adv(text)
                if align == 0:
                    x = left
                elif align == 2:
                    x = right - width
                else:
                    x = (left + right - width) / 2
                draw(int(x), mid, text)
            ys.append(y)
            y += h
        ys.append(y)
        c.grid(table_rules(self.edges, top, y, ys, 0, self.area.width))
        return y

    def _totals(self, top: float) -> float:
        c, pad, bold = self.c, self.pad, self.fonts.bold
        first = next((i for i, col in enumerate(self.cols) if col.total), len(self.cols))
        label_w = self.cols[first].x if first < len(self.cols) else self.area.width
        c.text(bold, 0, top + pad, label_w, TOTAL_LABEL, "center")
        size = self.layout.font_size
        for col in self.cols[first:]:
            if col.total:
                text, avail = vnd(self.sums[col.name]), col.width - 2 * pad
                font = bold
                width = font.advance(text)
                if width > avail:  # a sum wider than its column: a smaller size, not cut
                    font = c.font(max(size * avail / width, 5.0), bold=True)
                c.text(font, col.x + pad, top + pad + bold.ascent - font.ascent, avail, text,
                       "right")
        bottom = top + self.total_h
        xs = [0.0, *self.edges[first:]]
        c.grid(table_rules(xs, top, bottom, [bottom], 0, self.area.width))
        return bottom

    def _end(self, top: float) -> None:
        c, fonts = self.c, self.fonts
        y = top + c.mm(4)
        for line in self.summary:
            c.text(fonts.body, 0, y, self.area.width, line)
            y += fonts.body.line * 1.3
        y += c.mm(4)
        signatures(c, self.area, fonts, self.settings, y, self.layout.signatures,
                   self.ctx.names, self.date_line())
