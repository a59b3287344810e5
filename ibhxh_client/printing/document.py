"""One printed document of the dossier (the cover, a list, a declaration): its pages are
counted before anything is drawn, so every footer can say "Trang x/y" and the cover can
list each document's page count."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date

from .blocks import Area, Fonts, fill, footer, heading
from .canvas import Canvas
from .layout import FormLayout, PageSettings


def date_values(day: date) -> dict[str, str]:
    """Day, month and year as Vietnamese administrative documents write them (Decree
    30/2020/NĐ-CP): a leading zero for days 1–9 and for January and February only."""
    return {"day": f"{day.day:02d}", "month": f"{day.month:02d}" if day.month < 3
            else str(day.month), "year": str(day.year)}


@dataclass
class Context:
    """What the dossier's pages say besides the forms' own values."""

    values: dict[str, str]  # dossier_id, period, unit_code, unit_name, procedure, place …
    names: dict[str, str] = field(default_factory=dict)  # contact, signer
    reason: str = ""
    qr_text: str = ""


class Document(ABC):
    """A document laid out on ``pages`` pages of one orientation."""

    form = ""
    title = ""
    count = 1  # how many forms this document stands for on the cover

    def __init__(self, c: Canvas, area: Area, settings: PageSettings, layout: FormLayout,
                 ctx: Context) -> None:
        self.c, self.area, self.settings, self.layout, self.ctx = c, area, settings, layout, ctx
        self.orientation = layout.orientation
        self.fonts = Fonts.sized(c, layout.font_size)
        self.pages = 1

    @abstractmethod
    def draw(self, index: int) -> None:
        """Draw page ``index`` (0-based) of this document (each kind of document does)."""

    def values(self, **extra: object) -> dict[str, object]:
        return {**self.ctx.values, "form": self.form, **extra}

    def heading(self, unit_lines: list[str], draw: bool = True) -> float:
        """Draw (or with ``draw`` false, measure) the first page's heading."""
        lay = self.layout
        return heading(self.c, self.area, self.fonts, self.settings, lay.form_note, unit_lines,
                       tuple(fill(t, self.values()) for t in lay.title),
                       [fill(t, self.values()) for t in lay.subtitle], draw)

    def footer(self, index: int) -> None:
        values = self.values(page=index + 1, pages=self.pages)
        footer(self.c, self.area, fill(self.layout.footer or self.settings.footer, values),
               fill(self.settings.page_number, values))

    def date_line(self, day: date | None = None) -> str:
        values = self.values(**date_values(day)) if day else self.values()
        return fill(self.settings.date_line, values)
