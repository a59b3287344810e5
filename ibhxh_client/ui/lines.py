"""The D02-LT lines of a draft as an editable table model, and its plan-code editor."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QWidget

from ..catalog import Catalog
from ..domain.model import Declaration, DeclarationLine, Period, PeriodError, Worker
from ..domain.text import vnd
from ..domain.values import parse_day, parse_money
from .i18n import lang

ROOT = QModelIndex()

# (D02-LT field name, where the value lives, kind)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("stt", "row", "ro"),
    ("ho_ten", "worker.full_name", "ro"),
    ("ma_so_bhxh", "worker.bhxh_number", "ro"),
    ("phuong_an", "plan", "plan"),
    ("muc_luong", "salary", "money"),
    ("he_so", "coefficient", "decimal"),  # the state pay scale: coefficients and %
    ("pc_chuc_vu", "position_coef", "decimal"),
    ("pc_vuot_khung", "overframe_pct", "decimal"),
    ("pc_tham_nien", "seniority_pct", "decimal"),
    ("pc_khac", "allowances", "money"),
    ("tu_thang", "from_month", "month"),
    ("den_thang", "to_month", "month?"),
    ("so_ngay_nghi", "leave_days", "int"),
    ("so_quyet_dinh", "decision_number", "text"),
    ("ngay_quyet_dinh", "decision_date", "date"),
    ("chuc_vu", "position", "text"),
    ("ghi_chu", "note", "text"),
)
FIELD_COLUMN = {name: i for i, (name, _a, _k) in enumerate(COLUMNS)}
# The columns before the pay-scale ones were added: drafts kept their cells by index.
OLD_ORDER = ("stt", "ho_ten", "ma_so_bhxh", "phuong_an", "muc_luong", "pc_khac", "tu_thang",
             "den_thang", "so_ngay_nghi", "so_quyet_dinh", "ngay_quyet_dinh", "chuc_vu",
             "ghi_chu")
_DECIMAL = re.compile(r"^\d{1,6}(?:\.\d{1,4})?$")


def draft_key(row: int, col: int) -> str:
    """How a cell typed but not readable is kept in a draft: row and field name."""
    return f"{row},{COLUMNS[col][0]}"


def draft_cell(key: str) -> tuple[int, int] | None:
    """(row, column) of a draft's key, by field name or by an old column index."""
    row, _, name = key.partition(",")
    if name.isdigit():
        name = OLD_ORDER[int(name)] if int(name) < len(OLD_ORDER) else ""
    col = FIELD_COLUMN.get(name)
    return (int(row), col) if row.isdigit() and col is not None else None
BAD = QColor("#fde2e2")
PROBLEM = QColor("#fff1c7")


def decimal_text(value: Decimal) -> str:
    """A coefficient or a percentage as written in Vietnam: 4,32 (decimal comma)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


class LinesModel(QAbstractTableModel):
    """Rows are the declaration's lines; a value that cannot be read is kept as typed
    (shown in red) and the line keeps its last good value until it is corrected."""

    edited = Signal()

    def __init__(self, catalog: Catalog, parent: Any = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.decl: Declaration | None = None
        self.workers: dict[int, Worker] = {}
        self.read_only = True
        self.bad: dict[tuple[int, int], str] = {}  # (row, column) → text as typed
        self.problems: dict[tuple[int, int], str] = {}  # (row, column) → message
        spec = catalog.form("D02-LT")
        self.headers = []
        for name, _attr, _kind in COLUMNS:
            f = spec.find_field(name)
            self.headers.append(f.label_in(lang()) if f else name)

    def set_declaration(self, decl: Declaration, workers: dict[int, Worker],
                        read_only: bool) -> None:
        self.beginResetModel()
        self.decl, self.workers, self.read_only = decl, workers, read_only
        self.bad.clear()
        self.problems.clear()
        self.endResetModel()

    @property
    def lines(self) -> list[DeclarationLine]:
        return self.decl.lines if self.decl else []

    # -- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role in (
                Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.headers[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and not self.read_only and COLUMNS[index.column()][2] != "ro":
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def _value(self, row: int, col: int) -> Any:
        line = self.lines[row]
        _name, attr, _kind = COLUMNS[col]
        if attr == "row":
            return row + 1
        if attr.startswith("worker."):
            w = self.workers.get(line.worker_id)
            return getattr(w, attr[7:], "") if w else f"#{line.worker_id}"
        return getattr(line, attr)

    def text(self, row: int, col: int) -> str:
        if (row, col) in self.bad:
            return self.bad[(row, col)]
        value = self._value(row, col)
        kind = COLUMNS[col][2]
        if value is None:
            return ""
        if kind == "money":
            return vnd(value) if value else ""
        if kind == "int":
            return str(value) if value else ""
        if kind == "date":
            return value.strftime("%d/%m/%Y")
        if kind == "decimal":
            return decimal_text(value)
        return str(value)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        key = (row, col)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if role == Qt.ItemDataRole.DisplayRole and COLUMNS[col][2] == "plan":
                code = self.text(row, col)
                return f"{code} – {self.catalog.codelists['plan_codes'].label(code, lang())}"
            return self.text(row, col)
        if role == Qt.ItemDataRole.BackgroundRole:
            if key in self.bad:
                return QBrush(BAD)
            if key in self.problems:
                return QBrush(PROBLEM)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.problems.get(key) or (self.bad_message(row, col) if key in self.bad
                                               else None)
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[col][2] in ("money", "int",
                                                                            "decimal"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def bad_message(self, row: int, col: int) -> str:
        """The sentence for a value that cannot be read, as the checks word it."""
        from ..domain.messages import say

        kind = COLUMNS[col][2]
        text = self.bad.get((row, col), "")
        if kind == "month" and not text:
            return say("required", lang())
        code = {"money": "not_number", "int": "not_number", "decimal": "not_number",
                "month": "bad_month",
                "month?": "bad_month", "date": "bad_date"}.get(kind, "bad_value")
        return f"{self.headers[col]}: {say(code, lang(), value=text)}"

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self.read_only:
            return False
        row, col = index.row(), index.column()
        _name, attr, kind = COLUMNS[col]
        text = str(value if value is not None else "").strip()
        line = self.lines[row]
        try:
            parsed = self._parse(kind, text)
        except ValueError:
            self.bad[(row, col)] = text
            self.dataChanged.emit(index, index)
            self.edited.emit()
            return True
        self.bad.pop((row, col), None)
        if getattr(line, attr) != parsed:
            self.decl.lines[row] = replace(line, **{attr: parsed})  # type: ignore[union-attr]
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True

    @staticmethod
    def _parse(kind: str, text: str) -> Any:
        if kind == "plan":
            return text.split("–")[0].strip().upper()
        if kind == "money":
            return parse_money(text)
        if kind == "decimal":  # 4,32 or 4.32; empty: not on the state pay scale
            number = text.replace(" ", "").replace(",", ".")
            if not number:
                return None
            if not _DECIMAL.match(number):
                raise ValueError(text)
            return Decimal(number)
        if kind == "int":
            if text and not text.isdigit():
                raise ValueError(text)
            return int(text or 0)
        if kind in ("month", "month?"):
            if not text:
                if kind == "month":
                    raise ValueError(text)
                return None
            try:
                return Period.parse(text)
            except PeriodError:
                raise ValueError(text) from None
        if kind == "date":
            return parse_day(text) if text.strip() else None  # ValueError when not a day
        return text

    # -- rows ------------------------------------------------------------------------------

    def add_lines(self, lines: list[DeclarationLine]) -> None:
        if not lines or self.decl is None:
            return
        first = len(self.lines)
        self.beginInsertRows(ROOT, first, first + len(lines) - 1)
        self.decl.lines.extend(lines)
        self.endInsertRows()
        self.edited.emit()

    def remove_rows(self, rows: list[int]) -> None:
        if self.decl is None:
            return
        for row in sorted(set(rows), reverse=True):
            self.beginRemoveRows(ROOT, row, row)
            del self.decl.lines[row]
            self.endRemoveRows()
        self.bad.clear()
        self.problems.clear()
        self.edited.emit()

    def set_problems(self, cells: dict[tuple[int, int], str]) -> None:
        self.problems = cells
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.rowCount() - 1, self.columnCount() - 1))


class PlanDelegate(QStyledItemDelegate):
    """The plan code as a list: the procedure's codes first, with their names."""

    def __init__(self, catalog: Catalog, procedure: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.procedure = procedure

    def createEditor(self, parent: QWidget, _option: Any, _index: Any) -> QWidget:
        combo = QComboBox(parent)
        plans = self.catalog.codelists["plan_codes"]
        codes = list(self.procedure.plans) if self.procedure else []
        codes += [c for c in plans.entries if c not in codes]
        for code in codes:
            combo.addItem(f"{code} – {plans.label(code, lang())}", code)
        return combo

    def setEditorData(self, editor: QWidget, index: Any) -> None:
        assert isinstance(editor, QComboBox)
        i = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(i, 0))

    def setModelData(self, editor: QWidget, model: Any, index: Any) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
