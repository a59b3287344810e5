"""Where a printed dossier goes: a PDF file (QPdfWriter) or a printer (QPrinter), A4."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .qt import ensure_app

PDF_RESOLUTION = 600  # dots per inch of the PDF's coordinates: fine enough for 7 pt text


class PrinterNotFound(LookupError):
    """No printer of that name; carries the names that do exist."""

    def __init__(self, name: str, available: list[str]) -> None:
        super().__init__(name)
        self.name = name
        self.available = available


def page_layout(orientation: str, margins_mm: tuple[float, float, float, float]) -> Any:
    """An A4 page layout in millimetres; margins are (top, right, bottom, left)."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize

    top, right, bottom, left = margins_mm
    orient = (QPageLayout.Orientation.Landscape if orientation == "landscape"
              else QPageLayout.Orientation.Portrait)
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orient,
                       QMarginsF(left, top, right, bottom), QPageLayout.Unit.Millimeter)


def apply_layout(device: Any, orientation: str,
                 margins_mm: tuple[float, float, float, float]) -> None:
    """Set A4, the orientation and the margins on a QPdfWriter or QPrinter. A printer that
    cannot print that close to the edge gets the margins widened to what it can reach
    (QPrinter refuses the whole layout otherwise)."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout

    layout = page_layout(orientation, margins_mm)
    if device.setPageLayout(layout):
        return
    device.setPageSize(layout.pageSize())
    device.setPageOrientation(layout.orientation())
    current = QPageLayout(device.pageLayout())
    current.setUnits(QPageLayout.Unit.Millimeter)
    low, want = current.minimumMargins(), layout.margins()
    device.setPageMargins(QMarginsF(max(want.left(), low.left()), max(want.top(), low.top()),
                                    max(want.right(), low.right()),
                                    max(want.bottom(), low.bottom())),
                          QPageLayout.Unit.Millimeter)


def pdf_writer(path: Path, title: str = "") -> Any:
    """A QPdfWriter for ``path`` (the caller writes to a temporary name and renames)."""
    ensure_app()
    from PySide6.QtGui import QPdfWriter

    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_RESOLUTION)
    writer.setCreator("ibhxh-client")
    if title:
        writer.setTitle(title)
    return writer


def available_printers() -> list[str]:
    """The names of the printers this computer knows."""
    ensure_app()
    from PySide6.QtPrintSupport import QPrinterInfo

    return list(QPrinterInfo.availablePrinterNames())


def open_printer(name: str, doc_name: str = "") -> Any:
    """A QPrinter for the printer called ``name``; raises PrinterNotFound."""
    ensure_app()
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    names = available_printers()
    if name not in names:
        raise PrinterNotFound(name, names)
    printer = QPrinter(QPrinterInfo.printerInfo(name), QPrinter.PrinterMode.HighResolution)
    if doc_name:
        printer.setDocName(doc_name)
    return printer
