"""The paper dossier offered when signing or sending fails (Official Dispatch 2724):
print preview, the print dialog, or a PDF file; ``services.printing`` records it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from . import adapters, tasks
from .i18n import lang
from .widgets import error_message, fit_screen, hint, restyle


class PaperDialog(QDialog):
    """Print the dossier on paper, with the reason printed on its cover."""

    def __init__(self, ctx: Any, decl_id: int, reason: str = "", message: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.decl_id = decl_id
        self.setObjectName("paper_dialog")
        self.setWindowTitle(self.tr("Paper dossier"))
        col = QVBoxLayout(self)
        if message:
            top = QLabel(message, self)
            top.setWordWrap(True)
            top.setProperty("role", "error")
            col.addWidget(top)
        col.addWidget(hint(self.tr(
            "The dossier {id} is printed with a cover that lists each form and the reason "
            "below. Sign and stamp it and take it to the Social Security office. It can "
            "still be signed and sent electronically later.").format(id=decl_id), self))
        label = QLabel(self.tr("&Reason printed on the cover:"), self)
        self.reason = QLineEdit(reason, self)
        self.reason.setObjectName("paper_reason")
        self.reason.setAccessibleName(self.tr("Reason printed on the cover"))
        label.setBuddy(self.reason)
        col.addWidget(label)
        col.addWidget(self.reason)
        self.status = QLabel(self)
        self.status.setObjectName("paper_status")
        self.status.setWordWrap(True)
        col.addWidget(self.status)
        buttons = QDialogButtonBox(self)
        self.preview_button = QPushButton(self.tr("Pre&view and print…"), self)
        self.print_button = QPushButton(self.tr("&Print…"), self)
        self.pdf_button = QPushButton(self.tr("Save as P&DF…"), self)
        self.pdf_button.setObjectName("paper_pdf")
        self.preview_button.setDefault(True)
        for b in (self.preview_button, self.print_button, self.pdf_button):
            buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        col.addWidget(buttons)
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_dialog)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.result_value: Any = None
        self.setMinimumWidth(620)
        if not reason:
            from ..services.printing import default_reason

            self.reason.setText(default_reason("vi"))

    def _reason(self) -> str:
        return self.reason.text().strip()

    def preview(self) -> None:
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle(self.tr("Paper dossier {id}: preview").format(id=self.decl_id))
        app, reason = self.ctx.app, self._reason()

        def paint(device: Any) -> None:
            try:
                adapters.render_preview(app, self.decl_id, device, reason)
            except Exception as exc:  # shown, never a crash inside the preview
                self.status.setText(error_message(exc))

        dialog.paintRequested.connect(paint)
        fit_screen(dialog, 1000, 700)
        # The preview's own Print button goes through our print dialog, so the print is
        # made and recorded by services.printing like any other.
        wanted = {"print": False}
        for action in dialog.findChildren(QAction):
            if action.text().replace("&", "").strip().lower() == "print":
                action.triggered.disconnect()
                action.triggered.connect(lambda *_: (wanted.update(print=True),
                                                     dialog.accept()))
        dialog.exec()
        if wanted["print"]:
            self.print_dialog()

    def print_dialog(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and \
                printer.outputFileName():
            self._run(out=Path(printer.outputFileName()))
        else:
            self._run(printer=printer.printerName())

    def save_pdf(self) -> None:
        default = Path.home() / f"ho-so-giay-{self.decl_id}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the paper dossier"),
                                              str(default), self.tr("PDF files (*.pdf)"))
        if path:
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
            self._run(out=Path(path))

    def _run(self, *, out: Path | None = None, printer: str | None = None) -> tasks.Task:
        app, reason, decl_id = self.ctx.app, self._reason(), self.decl_id
        self.status.setProperty("role", "hint")
        self.status.setText(self.tr("Printing…"))
        for b in (self.preview_button, self.print_button, self.pdf_button):
            b.setEnabled(False)

        def job(_p: Any) -> Any:
            return adapters.print_paper(app, decl_id, reason, out=out, printer=printer)

        return tasks.run(job, self._done, self._failed)

    def _done(self, result: Any) -> None:
        self.result_value = result
        for b in (self.preview_button, self.print_button, self.pdf_button):
            b.setEnabled(True)
        self.status.setProperty("role", "ok")
        self.status.setText(result.message(lang()))
        restyle(self.status)
        self.ctx.dossiers_changed()

    def _failed(self, exc: BaseException) -> None:
        for b in (self.preview_button, self.print_button, self.pdf_button):
            b.setEnabled(True)
        self.status.setProperty("role", "error")
        self.status.setText(error_message(exc))
        restyle(self.status)

