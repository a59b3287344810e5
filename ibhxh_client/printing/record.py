"""A declaration on one page (TK1-TS for one worker, TK3-TS for the unit): numbered
"label: value" lines, the date and the signature blocks. An empty value is printed as a
dotted line, to be filled in by hand. A form whose every row is a declaration (TK1-TS, one
row per worker in its one file) gives one such page per row."""

from __future__ import annotations

from typing import Any

from ..domain.formspec import CodeList, FieldSpec
from ..domain.validation import FormData
from .blocks import Area, fill, signatures, signatures_height, unit_line
from .canvas import Canvas
from .cells import formatter
from .document import Context, Document
from .layout import FormLayout, PageSettings

DOTS = "." * 60
GAP_MM = 6.0  # between two fields sharing a line
LEADING = 1.5  # line spacing of the lines, for handwriting between them


class RecordDocument(Document):
    """One form's header fields, one per line (or side by side as the layout says)."""

    def __init__(self, c: Canvas, area: Area, settings: PageSettings, layout: FormLayout,
                 ctx: Context, data: FormData, codelists: dict[str, CodeList],
                 row: dict[str, Any] | None = None) -> None:
        super().__init__(c, area, settings, layout, ctx)
        spec = data.spec
        self.form = spec.code
        self.title = spec.title["vi"]
        self.data = data
        header = {**data.header, **row} if row is not None else data.header

        def field(name: str) -> FieldSpec:
            found = spec.find_field(name)
            assert found is not None  # the layout was checked against the form
            return found

        def text(name: str, upper: bool = True) -> str:
            fmt = formatter(field(name), codelists, layout.show.get(name, "label"),
                            upper and name in layout.upper)
            return fmt(header.get(name))

        self.lines = [[(field(n).label_in("vi"), text(n)) for n in line]
                      for line in layout.lines]
        # the parts that apply to this record: (title, its lines)
        self.sections = [(part.title, [[(field(n).label_in("vi"), text(n)) for n in line]
                                       for line in part.lines])
                         for part in layout.sections if header.get(part.when)]
        values = self.values()
        self.unit_lines = [fill(n, values) if "{" in n else unit_line(field(n).label_in("vi"),
                                                                         text(n))
                           for n in layout.unit_fields]
        self.names = dict(ctx.names)
        for block in layout.signatures:
            if block.name and spec.find_field(block.name):
                self.names[block.name] = text(block.name, upper=False)
        self.day = header.get(layout.date_field) if layout.date_field else None
        self.pages = 1

    def _field(self, x: float, y: float, width: float, label: str, value: str) -> float:
        """"label: value" in the box; the value wraps under itself. Returns the height."""
        c, fonts = self.c, self.fonts
        step = fonts.body.line * LEADING
        head = label + ": "
        label_w = fonts.body.advance(head)
        if label_w > width * 0.6:  # a long label: the value goes on the next line
            c.text(fonts.body, x, y, width, label + ":")
            indent = c.mm(5)
            return step + self._value(x + indent, y + step, width - indent, value)
        c.text(fonts.body, x, y, label_w, head)
        return self._value(x + label_w, y, width - label_w, value)

    def _value(self, x: float, y: float, width: float, value: str) -> float:
        c, fonts = self.c, self.fonts
        step = fonts.body.line * LEADING
        if not value:
            c.text(fonts.body, x, y, width, DOTS)
            return step
        lines = fonts.bold.split(value, width)
        for i, line in enumerate(lines):
            c.text(fonts.bold, x, y + i * step, width, line)
        return step * len(lines)

    def _lines(self, y: float, lines: list[list[tuple[str, str]]]) -> float:
        """Draw "label: value" lines from ``y``; returns where the next one starts."""
        gap = self.c.mm(GAP_MM)
        for line in lines:
            width = (self.area.width - gap * (len(line) - 1)) / len(line)
            used = 0.0
            for i, (label, value) in enumerate(line):
                used = max(used, self._field(i * (width + gap), y, width, label, value))
            y += used
        return y

    def draw(self, index: int) -> None:
        c, area, fonts = self.c, self.area, self.fonts
        y = self.heading(self.unit_lines)
        if self.layout.section:
            c.text(fonts.bold, 0, y, area.width, self.layout.section)
            y += fonts.bold.line * LEADING
        y = self._lines(y, self.lines)
        for title, lines in self.sections:
            y += c.mm(3)
            if title:
                c.text(fonts.bold, 0, y, area.width, title)
                y += fonts.bold.line * LEADING
            y = self._lines(y, lines)
        y += c.mm(8)
        room = area.bottom - signatures_height(c, fonts, self.settings)
        signatures(c, area, fonts, self.settings, min(y, room), self.layout.signatures,
                   self.names, self.date_line(self.day))
        self.footer(index)
