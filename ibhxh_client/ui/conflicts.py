"""The question asked when a file or the worker form would change a stored person: each
stored worker that another version disagrees with (name, birth date, an identifier), both
versions side by side, and per worker the officer's choice, "Keep the stored version" (the
default: nothing changes) or "Use the file's version".

The conflicts and their sentences come from the services (``IdentityConflict``); this
dialog only shows them and collects the choices."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .widgets import fit_screen, hint, title

_ROOT = QModelIndex()
ROW, WORKER, DIFFERS, STORED, GIVEN, CHOICE = range(6)
DIFFERS_MARK = "≠ "  # before each line whose two versions differ


def version_text(conflict: Any, lang: str, which: int) -> str:
    """One version of the person, a line per identity field (``which``: 1 the stored
    version, 2 the other), the lines that differ marked."""
    out = []
    for label, stored, given, differs in conflict.lines(lang):
        value = stored if which == 1 else given
        out.append(f"{DIFFERS_MARK if differs else ''}{label}: {value or '-'}")
    return "\n".join(out)


class ConflictModel(QAbstractTableModel):
    """One row per conflict: where it is, both versions, and the choice (False: keep the
    stored version)."""

    def __init__(self, conflicts: list[tuple[int | None, Any]], headers: list[str],
                 choices: tuple[str, str], lang: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.conflicts = conflicts
        self.headers = headers
        self.choice_texts = choices
        self.lang = lang
        self.take = [False] * len(conflicts)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.conflicts)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, conflict = self.conflicts[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.EditRole and col == CHOICE:
            return self.take[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if col == ROW:
            return "" if row is None else str(row)
        if col == WORKER:
            return f"#{conflict.worker_id}"
        if col == DIFFERS:
            return "\n".join(label for label, _s, _g, differs in conflict.lines(self.lang)
                             if differs)
        if col in (STORED, GIVEN):
            return version_text(conflict, self.lang, 1 if col == STORED else 2)
        return self.choice_texts[self.take[index.row()]]

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == CHOICE else base

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if index.column() != CHOICE or role != Qt.ItemDataRole.EditRole:
            return False
        self.take[index.row()] = bool(value)
        self.dataChanged.emit(index, index)
        return True

    def set_all(self, take: bool) -> None:
        self.take = [take] * len(self.conflicts)
        if self.conflicts:
            self.dataChanged.emit(self.index(0, CHOICE), self.index(len(self.take) - 1, CHOICE))


class ChoiceDelegate(QStyledItemDelegate):
    """The choice as a list of its two answers."""

    def __init__(self, texts: tuple[str, str], parent: Any = None) -> None:
        super().__init__(parent)
        self.texts = texts

    def createEditor(self, parent: QWidget, _option: Any, _index: Any) -> QWidget:
        combo = QComboBox(parent)
        combo.addItem(self.texts[0], False)
        combo.addItem(self.texts[1], True)
        # The choice counts as soon as it is made, not when the list is left.
        combo.currentIndexChanged.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: Any) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(int(bool(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: Any) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class ConflictDialog(QDialog):
    """Both versions of each person, and the choice per person. ``taken()`` is the answer:
    the conflicts whose other version is to be stored (none when cancelled).

    ``conflicts``: (row of the file or None, ``IdentityConflict``). ``typed``: the other
    version is the worker form's (a single worker typed by hand), not a file's."""

    def __init__(self, conflicts: list[tuple[int | None, Any]], lang: str = "vi",
                 parent: QWidget | None = None, *, typed: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_dialog")
        self.setWindowTitle(self.tr("Stored workers that differ"))
        if typed:
            given = self.tr("The version typed here")
            choices = (self.tr("Keep the stored version"), self.tr("Use the version typed here"))
            intro = self.tr(
                "A number you typed already belongs to a stored worker whose name, date of "
                "birth or other number is not the same. Nothing changes unless you choose "
                "to use the version typed here.")
        else:
            given = self.tr("The file's version")
            choices = (self.tr("Keep the stored version"), self.tr("Use the file's version"))
            intro = self.tr(
                "These rows found a stored worker by one number, but the name, date of birth "
                "or another number is not the same. Nothing changes for these workers unless "
                "you choose to use the file's version.")
        col = QVBoxLayout(self)
        col.addWidget(title(self.tr("Which version is right?"), self))
        col.addWidget(hint(intro, self))
        headers = [self.tr("Row"), self.tr("Worker"), self.tr("Differs in"),
                   self.tr("Stored version"), given, self.tr("Choice")]
        self.model = ConflictModel(conflicts, headers, choices, lang, self)
        self.table = QTableView(self)
        self.table.setObjectName("conflict_table")
        self.table.setAccessibleName(self.tr("Workers that differ"))
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(CHOICE, ChoiceDelegate(choices, self.table))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setColumnHidden(ROW, typed)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(STORED, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(GIVEN, QHeaderView.ResizeMode.Stretch)
        col.addWidget(self.table, 1)
        every = QHBoxLayout()
        self.keep_all = QPushButton(self.tr("Keep every stored version"), self)
        self.keep_all.setObjectName("conflict_keep_all")
        self.take_all = QPushButton(self.tr("Use the file's version for all"), self)
        self.take_all.setObjectName("conflict_take_all")
        self.keep_all.clicked.connect(lambda: self.model.set_all(False))
        self.take_all.clicked.connect(lambda: self.model.set_all(True))
        every.addWidget(self.keep_all)
        every.addWidget(self.take_all)
        every.addStretch(1)
        if len(conflicts) > 1:
            col.addLayout(every)
        else:
            self.keep_all.hide()
            self.take_all.hide()
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton(self.tr("&Apply the choices"),
                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("conflict_ok")
        self.ok.setDefault(True)
        cancel = buttons.addButton(self.tr("Change nothing"),
                                   QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("conflict_cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)
        fit_screen(self, 980, min(620, 220 + 110 * len(conflicts)))

    def showEvent(self, event: Any) -> None:
        """Rows as tall as their text once the columns have their real widths."""
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def choose(self, position: int, take: bool) -> None:
        """Set the choice of the conflict at ``position`` (tests, keyboard users)."""
        self.model.setData(self.model.index(position, CHOICE), take)

    def choice_text(self, position: int) -> str:
        return self.model.data(self.model.index(position, CHOICE))

    def taken(self) -> list[tuple[int | None, Any]]:
        """The conflicts whose other version the officer chose (none when cancelled)."""
        if self.result() != QDialog.DialogCode.Accepted:
            return []
        return [c for c, take in zip(self.model.conflicts, self.model.take, strict=True)
                if take]
