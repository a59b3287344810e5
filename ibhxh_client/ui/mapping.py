"""The column-mapping dialog of a spreadsheet import: each column the importing service
could not recognise, with its header and a few of its values, and a choice of what it
holds (or "ignore"). The answer is ``{column index: target name or None}`` for
``services.importing.import_workers(mapping=...)``, which remembers it for files of the
same layout."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from .widgets import fit_screen, hint, say, title

SAMPLES = 3  # values shown per column
SAMPLE_ROWS = 30  # rows looked at for them


def needs_mapping(analysis: Any) -> bool:
    """True when a column is not recognised or a required field has no column."""
    return bool(analysis.unmatched or analysis.missing)


def samples(analysis: Any, index: int) -> list[str]:
    """A few non-empty values of a column, as the sheet holds them."""
    data = getattr(analysis, "data", None)
    if data is None:
        return []
    out: list[str] = []
    start = analysis.first_data_row - 1
    for row in data.rows[start:start + SAMPLE_ROWS]:
        value = row[index] if index < len(row) else None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = " ".join(str(value).split()) if value is not None else ""
        if text:
            out.append(text[:40])
        if len(out) >= SAMPLES:
            break
    return out


class MappingDialog(QDialog):
    """Ask what each unrecognised column holds. ``mapping()`` is the answer."""

    def __init__(self, analysis: Any, lang: str = "vi", parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setObjectName("mapping_dialog")
        self.analysis = analysis
        self.lang = lang
        self.setWindowTitle(self.tr("Columns of {file}").format(file=analysis.path.name))
        col = QVBoxLayout(self)
        col.addWidget(title(self.tr("Which column holds what?"), self))
        col.addWidget(hint(self.tr(
            "Some columns of the sheet were not recognised. Choose what each one holds, or "
            "Ignore. The choice is remembered for files with the same columns."), self))
        self.columns = list(analysis.unmatched) or [c for c in analysis.columns if c.header]
        grid_host = QWidget(self)
        grid = QGridLayout(grid_host)
        for i, text in enumerate((self.tr("Column"), self.tr("Header"),
                                  self.tr("Values"), self.tr("Holds"))):
            head = QLabel(f"<b>{text}</b>", grid_host)
            grid.addWidget(head, 0, i)
        targets = sorted(analysis.targets.values(), key=lambda t: t.label_in(lang).lower())
        self.combos: dict[int, QComboBox] = {}
        for row, column in enumerate(self.columns, start=1):
            grid.addWidget(QLabel(column.letter, grid_host), row, 0)
            header = QLabel(column.header, grid_host)
            header.setWordWrap(True)
            grid.addWidget(header, row, 1)
            values = QLabel(", ".join(samples(analysis, column.index)) or "—", grid_host)
            values.setProperty("role", "hint")
            values.setWordWrap(True)
            grid.addWidget(values, row, 2)
            combo = QComboBox(grid_host)
            combo.setObjectName(f"mapping_{column.index}")
            combo.setAccessibleName(self.tr("Column {letter} holds").format(
                letter=column.letter))
            combo.addItem(self.tr("Ignore this column"), None)
            for target in targets:
                combo.addItem(target.label_in(lang), target.name)
            if column.target:
                combo.setCurrentIndex(max(0, combo.findData(column.target)))
            combo.currentIndexChanged.connect(self._update)
            grid.addWidget(combo, row, 3)
            header.setBuddy(combo)
            self.combos[column.index] = combo
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 2)
        grid.setColumnStretch(3, 3)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_host)
        col.addWidget(scroll, 1)
        self.status = QLabel(self)
        self.status.setObjectName("mapping_status")
        self.status.setWordWrap(True)
        col.addWidget(self.status)
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton(self.tr("&Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("mapping_ok")
        self.ok.setDefault(True)
        cancel = buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("mapping_cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)
        fit_screen(self, 760, min(560, 200 + 44 * len(self.columns)))
        self._update()

    def choose(self, index: int, target: str | None) -> None:
        """Set what column ``index`` holds (tests, keyboard users)."""
        combo = self.combos[index]
        combo.setCurrentIndex(combo.findData(target) if target else 0)

    def mapping(self) -> dict[int, str | None]:
        return {index: combo.currentData() for index, combo in self.combos.items()}

    def _update(self) -> None:
        chosen = [t for t in self.mapping().values() if t]
        twice = sorted({t for t in chosen if chosen.count(t) > 1})
        asked = set(self.combos)
        held = set(chosen) | {c.target for c in self.analysis.columns
                              if c.target and c.index not in asked}
        missing = self.analysis.missing_with(held)
        if twice:
            labels = ", ".join(self.analysis.targets[t].label_in(self.lang) for t in twice)
            self._say("error", self.tr("Each field can come from one column only: {fields}."
                                       ).format(fields=labels))
        elif missing:
            labels = ", ".join(t.label_in(self.lang) for t in missing)
            self._say("error", self.tr("Still without a column: {fields}. Rows without "
                                       "them will be refused.").format(fields=labels))
        else:
            self._say("ok", self.tr("Every required field has a column."))
        self.ok.setEnabled(not twice)

    def _say(self, role: str, text: str) -> None:
        say(self.status, role, text)
