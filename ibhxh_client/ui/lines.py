"""A draft's lines as an editable table model (its columns are the procedure's, as
forms/procedures.toml lists them), and the code-list editor of its code columns."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Any, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QWidget

from ..catalog import Catalog
from ..domain.formspec import FieldSpec, LineField, Procedure
from ..domain.model import Declaration, DeclarationLine, Period, PeriodError, Worker
from ..domain.text import vnd
from ..domain.values import parse_day, parse_money
from .i18n import lang

ROOT = QModelIndex()


class Col(NamedTuple):
    """One column: the form field that names it, where the value lives ("row",
    "worker.<name>", or the line's attribute), how it is edited, and the form."""

    name: str
    attr: str
    kind: str  # ro, plan, code, money, decimal, month, month?, int, date, text
    form: str = "D02-LT"


# The contribution lines' columns (procedure 600's in forms/procedures.toml; a test holds
# the two together): what a draft kept by column index before, and tests, refer to.
COLUMNS: tuple[Col, ...] = (
    Col("stt", "row", "ro"),
    Col("ho_ten", "worker.full_name", "ro"),
    Col("ma_so_bhxh", "worker.bhxh_number", "ro"),
    Col("phuong_an", "plan", "plan"),
    Col("muc_luong", "salary", "money"),
    Col("he_so", "coefficient", "decimal"),  # the state pay scale: coefficients and %
    Col("pc_chuc_vu", "position_coef", "decimal"),
    Col("pc_vuot_khung", "overframe_pct", "decimal"),
    Col("pc_tham_nien", "seniority_pct", "decimal"),
    Col("pc_khac", "allowances", "money"),
    Col("tu_thang", "from_month", "month"),
    Col("den_thang", "to_month", "month?"),
    Col("so_ngay_nghi", "leave_days", "int"),
    Col("so_quyet_dinh", "decision_number", "text"),
    Col("ngay_quyet_dinh", "decision_date", "date"),
    Col("chuc_vu", "position", "text"),
    Col("ghi_chu", "note", "text"),
)
FIELD_COLUMN = {c.name: i for i, c in enumerate(COLUMNS)}
# The columns before the pay-scale ones were added: drafts kept their cells by index.
OLD_ORDER = ("stt", "ho_ten", "ma_so_bhxh", "phuong_an", "muc_luong", "pc_khac", "tu_thang",
             "den_thang", "so_ngay_nghi", "so_quyet_dinh", "ngay_quyet_dinh", "chuc_vu",
             "ghi_chu")
_DECIMAL = re.compile(r"^\d{1,6}(?:\.\d{1,4})?$")
_KINDS = {"money": "money", "decimal": "decimal", "int": "int", "date": "date"}


def _kind(spec: FieldSpec, value: LineField) -> str:
    """How a column is edited, from the type of the form field that names it."""
    if not value.editable:
        return "ro"
    if spec.type == "code":
        return "plan" if spec.codelist == "plan_codes" else "code"
    if spec.type == "month":
        return "month" if spec.required else "month?"
    return _KINDS.get(spec.type, "text")


def columns_of(catalog: Catalog, procedure: Procedure | None) -> tuple[Col, ...]:
    """The columns of a procedure's lines, as forms/procedures.toml lists them (the
    contribution lines' for a procedure the catalogue no longer has)."""
    if procedure is None:
        return COLUMNS
    out = []
    for value in procedure.columns:
        spec = catalog.form(value.form).find_field(value.field)
        assert spec is not None  # the catalogue checked it
        out.append(Col(value.field, value.attr, _kind(spec, value), value.form))
    return tuple(out)


def draft_key(row: int, name: str) -> str:
    """How a cell typed but not readable is kept in a draft: row and field name."""
    return f"{row},{name}"


def draft_cell(key: str, field_column: dict[str, int] | None = None) -> tuple[int, int] | None:
    """(row, column) of a draft's key, by field name or by an old column index."""
    row, _, name = key.partition(",")
    if name.isdigit():
        name = OLD_ORDER[int(name)] if int(name) < len(OLD_ORDER) else ""
    col = (FIELD_COLUMN if field_column is None else field_column).get(name)
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
        self._use(COLUMNS)

    def _use(self, columns: tuple[Col, ...]) -> None:
        self.columns = columns
        self.field_column = {c.name: i for i, c in enumerate(columns)}
        self.headers = []
        for col in columns:
            f = self.catalog.form(col.form).find_field(col.name)
            self.headers.append(f.label_in(lang()) if f else col.name)

    def set_declaration(self, decl: Declaration, workers: dict[int, Worker],
                        read_only: bool, columns: tuple[Col, ...] = COLUMNS) -> None:
        """Show a declaration's lines in the columns of its procedure."""
        self.beginResetModel()
        self._use(columns)
        self.decl, self.workers, self.read_only = decl, workers, read_only
        self.bad.clear()
        self.problems.clear()
        self.endResetModel()

    def column_of(self, name: str) -> int | None:
        """The column of a field (by its name in the form), or None."""
        return self.field_column.get(name)

    @property
    def lines(self) -> list[DeclarationLine]:
        return self.decl.lines if self.decl else []

    # -- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role in (
                Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.headers[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and not self.read_only and self.columns[index.column()].kind != "ro":
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def _value(self, row: int, col: int) -> Any:
        line = self.lines[row]
        attr = self.columns[col].attr
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
        kind = self.columns[col].kind
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
            kind = self.columns[col].kind
            if role == Qt.ItemDataRole.DisplayRole and kind in ("plan", "code"):
                code = self.text(row, col)
                codes = self.catalog.codelists[self._codelist(col)]
                return f"{code} – {codes.label(code, lang())}" if code else ""
            return self.text(row, col)
        if role == Qt.ItemDataRole.BackgroundRole:
            if key in self.bad:
                return QBrush(BAD)
            if key in self.problems:
                return QBrush(PROBLEM)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.problems.get(key) or (self.bad_message(row, col) if key in self.bad
                                               else None)
        if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[col].kind in (
                "money", "int", "decimal"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _codelist(self, col: int) -> str:
        spec = self.catalog.form(self.columns[col].form).find_field(self.columns[col].name)
        return spec.codelist if spec and spec.codelist else "plan_codes"

    def codelist_of(self, col: int) -> str:
        """The code list a code column takes its values from."""
        return self._codelist(col)

    def bad_message(self, row: int, col: int) -> str:
        """The sentence for a value that cannot be read, as the checks word it."""
        from ..domain.messages import say

        kind = self.columns[col].kind
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
        attr, kind = self.columns[col].attr, self.columns[col].kind
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
        if kind in ("plan", "code"):
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


class CodeDelegate(QStyledItemDelegate):
    """A code as a list, with the names of its code list; ``first``: the codes offered
    first (a procedure's own plan codes)."""

    def __init__(self, catalog: Catalog, codelist: str, first: tuple[str, ...] = (),
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.codelist = codelist
        self.first = first

    def createEditor(self, parent: QWidget, _option: Any, _index: Any) -> QWidget:
        combo = QComboBox(parent)
        codes = self.catalog.codelists[self.codelist]
        order = list(self.first) + [c for c in codes.entries if c not in self.first]
        for code in order:
            combo.addItem(f"{code} – {codes.label(code, lang())}", code)
        return combo

    def setEditorData(self, editor: QWidget, index: Any) -> None:
        assert isinstance(editor, QComboBox)
        i = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(i, 0))

    def setModelData(self, editor: QWidget, model: Any, index: Any) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class PlanDelegate(CodeDelegate):
    """The plan code as a list: the procedure's codes first, with their names."""

    def __init__(self, catalog: Catalog, procedure: Any, parent: Any = None) -> None:
        super().__init__(catalog, "plan_codes",
                         tuple(procedure.plans) if procedure else (), parent)
        self.procedure = procedure
