"""A whole paper dossier: the cover, then each form of the dossier in its order, drawn from
the same FormData records that make the XML, laid out by forms/*/print.toml.

``render`` draws onto any paged device: the QPdfWriter of ``write_pdf``, the QPrinter of
``print_to`` or one that a print dialog or preview hands over. Every document is laid out
first (pages counted), then drawn page by page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..catalog import Catalog
from ..domain.validation import FormData
from . import qr
from .blocks import Area, footer_height
from .canvas import Canvas
from .cover import CoverDocument, DocumentEntry
from .document import Context, Document, date_values
from .layout import Layouts, load_layouts
from .output import apply_layout, open_printer, pdf_writer
from .qt import ensure_app, font_family
from .record import RecordDocument
from .table import ListDocument


class RenderError(RuntimeError):
    """The device refused to draw (a file that cannot be written, a printer that fails)."""


@dataclass(frozen=True)
class DossierInfo:
    """What the printed pages say about the dossier beyond its forms."""

    dossier_id: int
    unit_code: str
    unit_name: str
    period: str  # MM/YYYY
    procedure: str
    procedure_name: str
    day: date  # the dossier's date (NgayLap), on the "…, ngày … tháng … năm …" lines
    envelope_sha256: str  # of the validated XML envelope
    reason: str  # why it was printed on paper
    place: str = ""  # the province, before ", ngày …"
    signer: str = ""  # head of the unit
    contact: str = ""  # who made the lists (người lập biểu)

    @property
    def qr_text(self) -> str:
        return qr.payload(self.dossier_id, self.period, self.unit_code, self.envelope_sha256)

    def context(self) -> Context:
        values = {"dossier_id": str(self.dossier_id), "unit_code": self.unit_code,
                  "unit_name": self.unit_name, "period": self.period,
                  "procedure": self.procedure, "procedure_name": self.procedure_name,
                  "place": self.place or "…", "sha256": self.envelope_sha256,
                  **date_values(self.day)}
        return Context(values, {"signer": self.signer, "contact": self.contact},
                       self.reason, self.qr_text)


@dataclass
class RenderResult:
    """How many pages were drawn, and the documents as the cover lists them."""

    pages: int
    documents: list[DocumentEntry] = field(default_factory=list)


def _areas(device: Any, layouts: Layouts, c: Canvas) -> dict[str, Area]:
    """The printable area of each orientation, as the device really gives it (a printer
    may widen the margins to what it can reach)."""
    areas = {}
    for orientation in ("portrait", "landscape"):
        apply_layout(device, orientation, layouts.page.margins_mm)
        rect = device.pageLayout().paintRectPixels(device.resolution())
        areas[orientation] = Area(float(rect.width()), float(rect.height()),
                                  footer_height(c))
    return areas


def _entries(docs: list[Document]) -> list[DocumentEntry]:
    entries: list[DocumentEntry] = []
    for doc in docs:
        last = entries[-1] if entries else None
        if last and last.form == doc.form:  # TK1-TS: one line for all workers' forms
            entries[-1] = DocumentEntry(last.form, last.title, last.count + 1,
                                        last.pages + doc.pages)
        else:
            entries.append(DocumentEntry(doc.form, doc.title, 1, doc.pages))
    return entries


def render(device: Any, forms: Sequence[FormData], info: DossierInfo, catalog: Catalog,
           *, cover: bool = True) -> RenderResult:
    """Draw the dossier onto ``device`` (QPdfWriter or QPrinter, not yet painted on)."""
    ensure_app()
    layouts = load_layouts(catalog)
    c = Canvas(device, font_family())
    areas = _areas(device, layouts, c)
    ctx = info.context()
    docs: list[Document] = []
    for data in forms:
        layout = layouts.form(data.spec.code)
        area = areas[layout.orientation]
        if layout.is_list:
            docs.append(ListDocument(c, area, layouts.page, layout, ctx, data,
                                     catalog.codelists))
        elif data.spec.per == "row":  # TK1-TS: one file, one printed declaration per worker
            docs += [RecordDocument(c, area, layouts.page, layout, ctx, data,
                                    catalog.codelists, row) for row in data.rows]
        else:
            docs.append(RecordDocument(c, area, layouts.page, layout, ctx, data,
                                       catalog.codelists))
    entries = _entries(docs)
    if cover:
        lay = layouts.cover
        docs.insert(0, CoverDocument(c, areas[lay.orientation], layouts.page, lay, ctx,
                                     entries))
    if not docs:
        raise RenderError("nothing to print")
    margins = layouts.page.margins_mm
    current = docs[0].orientation
    apply_layout(device, current, margins)
    if not c.begin():
        raise RenderError("the device cannot be painted on")
    pages = 0
    try:
        for doc in docs:
            for index in range(doc.pages):
                if pages:
                    if doc.orientation != current:
                        current = doc.orientation
                        apply_layout(device, current, margins)
                    c.new_page()
                doc.draw(index)
                pages += 1
    finally:
        ok = c.end()
    if not ok:
        raise RenderError("the device did not finish the document")
    return RenderResult(pages, entries)


def write_pdf(path: Path, forms: Sequence[FormData], info: DossierInfo, catalog: Catalog,
              *, cover: bool = True) -> RenderResult:
    """The dossier as a PDF file at ``path`` (written in place: callers that need the file
    to appear whole write to a temporary name and rename)."""
    writer = pdf_writer(path, f"Hồ sơ giấy số {info.dossier_id} — {info.unit_code} — "
                              f"kỳ {info.period}")
    try:
        return render(writer, forms, info, catalog, cover=cover)
    finally:
        del writer  # closes the file


def print_to(printer: str | Any, forms: Sequence[FormData], info: DossierInfo,
             catalog: Catalog, *, cover: bool = True) -> RenderResult:
    """The dossier on a printer: a name (raises output.PrinterNotFound when unknown) or a
    QPrinter set up by the caller (a print dialog, or PDF output in tests)."""
    if isinstance(printer, str):
        printer = open_printer(printer, f"Hồ sơ {info.dossier_id} — {info.unit_code}")
    return render(printer, forms, info, catalog, cover=cover)
