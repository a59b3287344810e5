"""The parts every printed form shares: the heading (the unit on the left, the national
heading on the right, the title), the running head of continuation pages, the footer with
"Trang x/y", the "…, ngày … tháng … năm …" line and the signature blocks."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QLineF

from .canvas import Canvas, Font
from .layout import PageSettings, Signature

TITLE_LEADING = 1.2  # room for the stacked marks of capitals (Ể, Ỗ) between title lines


@dataclass(frozen=True)
class Area:
    """The printable area of a page in device pixels: (0, 0) is its top-left corner."""

    width: float
    height: float
    footer: float  # the footer's height at the bottom

    @property
    def bottom(self) -> float:
        """Where the body ends: the footer starts below it."""
        return self.height - self.footer


@dataclass(frozen=True)
class Fonts:
    """The fonts of one form, sized from its layout's body size."""

    body: Font
    bold: Font
    italic: Font
    head: Font
    head_bold: Font
    title: Font
    small: Font
    small_italic: Font
    label: Font  # a table's column labels
    note: Font  # a size under the body: the (1) (2) (3) row, the QR code's text
    note_italic: Font  # explanations

    @classmethod
    def sized(cls, c: Canvas, size: float) -> Fonts:
        head = size + 1 if size < 10 else size
        return cls(body=c.font(size), bold=c.font(size, bold=True),
                   italic=c.font(size, italic=True), head=c.font(head),
                   head_bold=c.font(head, bold=True),
                   title=c.font(min(size + 4, 13), bold=True), small=c.font(7),
                   small_italic=c.font(7, italic=True), label=c.font(size - 0.5, bold=True),
                   note=c.font(max(size - 1.5, 6)),
                   note_italic=c.font(max(size - 1.5, 6), italic=True))


def heading(c: Canvas, area: Area, fonts: Fonts, settings: PageSettings, form_note: str,
            unit_lines: list[str], title: tuple[str, ...], subtitle: list[str],
            draw: bool = True) -> float:
    """The top of a form's first page; returns the y where the body starts. With
    ``draw`` false it only measures (how a list knows its first page's room)."""
    def para(font: Font, x: float, y: float, width: float, text: str, align: str = "left",
             leading: float = 1.0) -> float:
        if draw:
            return c.paragraph(font, x, y, width, text, align, leading)
        return c.paragraph_height(font, width, text, leading)

    left_w = area.width * 0.46
    right_x = area.width * 0.5
    right_w = area.width - right_x
    y_left = 0.0
    for line in unit_lines:
        y_left += para(fonts.head, 0, y_left, left_w, line)
    y_right = 0.0
    if form_note:
        y_right += para(fonts.small_italic, right_x, y_right, right_w, form_note, "right")
    for i, line in enumerate(settings.national):
        font = fonts.head_bold
        y_right += para(font, right_x, y_right, right_w, line, "center")
        if draw and i == len(settings.national) - 1:  # the rule under "Độc lập - Tự do …"
            half = font.advance(line) / 2
            mid = right_x + right_w / 2
            c.hline(mid - half, mid + half, y_right + c.mm(0.3))
    y = max(y_left, y_right) + c.mm(5)
    for line in title:
        y += para(fonts.title, 0, y, area.width, line, "center", TITLE_LEADING)
    y += c.mm(1.5)
    for line in subtitle:
        y += para(fonts.italic, 0, y, area.width, line, "center")
    return y + c.mm(3)


def running_head(c: Canvas, area: Area, fonts: Fonts, text: str) -> float:
    """The line on top of a continuation page; returns the y where the body starts."""
    c.text(fonts.small_italic, 0, 0, area.width, text)
    y = fonts.small_italic.line + c.mm(0.8)
    c.hline(0, area.width, y)
    return y + c.mm(1.5)


def running_head_height(c: Canvas, fonts: Fonts) -> float:
    return fonts.small_italic.line + c.mm(2.3)


def footer_height(c: Canvas) -> float:
    return c.font(7).line + c.mm(3.5)


def footer(c: Canvas, area: Area, left: str, right: str) -> None:
    """The rule and the line at the bottom of every page: which dossier, and the page."""
    small = c.font(7)
    y = area.bottom + c.mm(2.5)
    c.hline(0, area.width, y - c.mm(0.6))
    right_w = small.advance(right) + c.mm(2)
    c.text(small, 0, y, area.width - right_w, left)
    c.text(small, area.width - right_w, y, right_w, right, "right")


def signatures_height(c: Canvas, fonts: Fonts, settings: PageSettings,
                      dated: bool = True) -> float:
    h = fonts.head_bold.line + fonts.italic.line + c.mm(settings.signature_space_mm)
    h += fonts.head_bold.line
    return h + (fonts.italic.line + c.mm(1) if dated else 0)


def signatures(c: Canvas, area: Area, fonts: Fonts, settings: PageSettings, y: float,
               blocks: tuple[Signature, ...], names: dict[str, str], date_line: str) -> float:
    """The date line over the last block, then each block side by side: title, how to
    sign, room to sign and stamp, the name. Returns the height used."""
    if not blocks:
        return 0.0
    # Blocks fill columns from the right: a single signer signs on the right half.
    width = area.width / max(len(blocks), 2)
    first = area.width - len(blocks) * width
    top = y
    if date_line:
        c.text(fonts.italic, area.width - width, y, width, date_line, "center")
        y += fonts.italic.line + c.mm(1)
    for i, block in enumerate(blocks):
        x = first + i * width
        by = y
        c.text(fonts.head_bold, x, by, width, block.title.upper(), "center")
        by += fonts.head_bold.line
        if block.note:
            c.text(fonts.italic, x, by, width, block.note, "center")
        by += fonts.italic.line + c.mm(settings.signature_space_mm)
        name = names.get(block.name, "") if block.name else ""
        if name:
            c.text(fonts.head_bold, x, by, width, name, "center")
    return y - top + signatures_height(c, fonts, settings, dated=False)


def table_rules(xs: list[float], top: float, bottom: float,
                ys: list[float], left: float, right: float) -> list[QLineF]:
    """The rules of a table: a vertical at each x from top to bottom, a horizontal at
    each y from left to right."""
    return ([QLineF(x, top, x, bottom) for x in xs]
            + [QLineF(left, y, right, y) for y in ys])


def fill(template: str, values: dict[str, object]) -> str:
    """A layout text with its {placeholders} filled; unknown ones are left as written."""
    class Keep(dict):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    return template.format_map(Keep(values))


def unit_line(label: str, value: str) -> str:
    return f"{label}: {value}"
