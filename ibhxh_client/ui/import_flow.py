"""Importing a spreadsheet from a screen (the workers, the benefit claims): the file asked
for, looked at in the background, the columns not recognised asked about
(``MappingDialog``; Cancel imports nothing), then the import in the background and its
outcome shown by the screen.

A screen mixes :class:`ImportFlow` in beside ``QWidget``; it has ``import_button`` and
``import_status``, and says what it imports: ``import_use`` (the importing service's use,
"workers" or "claims"), ``import_run`` (the adapter that imports and returns what the
screen shows), ``import_title`` (the file dialog's and the error's title) and
``_imported`` (the outcome, on the GUI thread).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton

from . import adapters, tasks
from .i18n import translate
from .widgets import error_message, show_error


class ImportFlow:
    """The steps every spreadsheet import of a screen takes (see the module)."""

    ctx: Any
    import_button: QPushButton
    import_status: QLabel
    import_use = "workers"
    import_run: Callable[..., dict[str, Any]] = staticmethod(adapters.import_workers)
    import_title = ""
    mapping_dialog: Any = None
    _importing: tasks.Task | None = None
    # the screen's own: what it shows of an import's outcome (on the GUI thread)
    _imported: Callable[[dict[str, Any]], None]

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.import_title, str(Path.home()),
            translate("ImportFlow", "Spreadsheets (*.xlsx *.xls *.ods *.csv);;All files (*)"))
        if path:
            self.run_import(Path(path))

    def run_import(self, path: Path) -> tasks.Task:
        """Look at the file first (in the background); when a column is not recognised,
        ask about it, then import."""
        app, use = self.ctx.app, self.import_use
        self.import_button.setEnabled(False)
        self._import_begins()
        self._import_say(translate("ImportFlow", "Reading {file}…").format(file=path.name))
        return tasks.run(lambda _p: adapters.analyse_import(app, path, use),
                         lambda analysis: self._analysed(path, analysis), self._import_failed)

    def _import_begins(self) -> None:
        """What the screen clears before an import (nothing by default)."""

    def _import_say(self, text: str) -> None:
        self.import_status.setVisible(True)
        self.import_status.setText(text)

    def _analysed(self, path: Path, analysis: Any) -> None:
        from .mapping import MappingDialog, needs_mapping

        if analysis is None or not needs_mapping(analysis):
            self._start_import(analysis or path)
            return
        self.mapping_dialog = dialog = MappingDialog(analysis, self.ctx.lang(), self)
        self._import_say(translate("ImportFlow", "Choose what the columns of {file} hold."
                                   ).format(file=path.name))

        def answered(code: int) -> None:
            self.mapping_dialog = None
            dialog.deleteLater()
            if code == MappingDialog.DialogCode.Accepted:
                self._start_import(analysis, dialog.mapping())
            else:
                self._import_ended(translate("ImportFlow", "Nothing was imported."))

        dialog.finished.connect(answered)
        dialog.open()

    def _start_import(self, source: Any, mapping: dict[int, str | None] | None = None
                      ) -> tasks.Task:
        app, language, run = self.ctx.app, self.ctx.lang(), self.import_run
        name = Path(getattr(source, "path", source)).name
        self._import_say(translate("ImportFlow", "Importing {file}…").format(file=name))
        self._importing = tasks.run(lambda _p: run(app, source, language, mapping=mapping),
                                    self._imported, self._import_failed)
        return self._importing

    def _import_ended(self, text: str) -> None:
        self.import_button.setEnabled(True)
        self._import_say(text)

    def _import_failed(self, exc: BaseException) -> None:
        self._import_ended(translate("ImportFlow", "Nothing was imported."))
        show_error(self, self.import_title, error_message(exc))
