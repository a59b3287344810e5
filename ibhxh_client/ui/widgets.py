"""Small building blocks shared by the screens: a field form with its inline messages,
message boxes that speak the officer's language, and the look of the window."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ..catalog import Catalog
from ..domain.formspec import FieldSpec
from ..domain.validation import Problem
from .i18n import lang, translate

ERROR_STYLE = "color: #b00020;"
# A field shows this many average characters; a longer value (an address, a company name)
# scrolls inside it. Narrower, a 12-digit CCCD or a date is cut (issue 13).
FIELD_CHARS = 40
# What a window's frame and title bar add around its contents (Windows 10/11, 100 %).
DECORATION = QSize(16, 40)
STYLE = """
QListWidget#nav { font-size: 11pt; border: none; background: #1f4e79; color: white;
                  padding-top: 6px; }
QListWidget#nav::item { padding: 9px 12px; }
QListWidget#nav::item:selected { background: #2e75b6; color: white; }
QLabel[role="title"] { font-size: 14pt; font-weight: bold; color: #1f4e79; }
QLabel[role="hint"] { color: #555555; }
QLabel[role="error"] { color: #b00020; }
QLabel[role="ok"] { color: #1b7d3a; font-weight: bold; }
QLineEdit[invalid="true"], QComboBox[invalid="true"] { border: 1px solid #b00020;
                                                        background: #fff4f4; }
"""


def restyle(w: QWidget) -> None:
    """Apply the style sheet again after a property it looks at (role, invalid) changed."""
    w.style().unpolish(w)
    w.style().polish(w)


def say(label: QLabel, role: str, text: str) -> None:
    """A status line's sentence, styled by its ``role`` (ok, error, hint)."""
    label.setProperty("role", role)
    label.setText(text)
    restyle(label)


@dataclass
class FieldDef:
    """One input of a form panel: where its value goes and how it is entered."""

    attr: str
    label: str
    kind: str = "text"  # text | combo | check
    choices: list[tuple[str, str]] = field(default_factory=list)  # (code, shown)
    placeholder: str = ""
    required: bool = False


def def_from_spec(catalog: Catalog, spec: FieldSpec, attr: str | None = None,
                  required: bool | None = None) -> FieldDef:
    """A FieldDef with the form's label and, for code fields, the code list's entries."""
    language = lang()
    label = spec.label_in(language)
    if spec.type == "code" and spec.codelist:
        entries = catalog.codelists[spec.codelist].entries
        choices = [(code, f"{code} – {e.get(language) or e.get('vi') or code}")
                   for code, e in entries.items()]
        return FieldDef(attr or spec.attr, label, "combo", choices,
                        required=spec.required if required is None else required)
    placeholder = {"date": "dd/mm/yyyy", "partial_date": "dd/mm/yyyy",
                   "month": "mm/yyyy"}.get(spec.type, "")
    if spec.type == "bool":
        return FieldDef(attr or spec.attr, label, "check")
    return FieldDef(attr or spec.attr, label, "text", placeholder=placeholder,
                    required=spec.required if required is None else required)


class FieldPanel(QWidget):
    """A form: a label, an input and an inline message per field.

    ``edited(attr)`` fires when the officer leaves a field he changed (or picks another
    entry of a list); ``typed`` on every keystroke (for the draft that keeps it).
    """

    edited = Signal(str)
    typed = Signal()

    def __init__(self, defs: Iterable[FieldDef], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.defs = {d.attr: d for d in defs}
        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.labels: list[QLabel] = []
        self.boxes: list[QWidget] = []
        form = QFormLayout(self)
        self.form = form
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.labels_above(False)
        self._loading = False
        for d in self.defs.values():
            box = QWidget(self)
            col = QVBoxLayout(box)
            col.setContentsMargins(0, 0, 0, 0)
            col.setSpacing(1)
            widget = self._make_input(d, box)
            widget.setObjectName(f"field_{d.attr}")
            widget.setAccessibleName(d.label)
            if not isinstance(widget, QCheckBox):
                widget.setMinimumWidth(field_width(widget))
            col.addWidget(widget)
            err = QLabel(box)
            err.setObjectName(f"error_{d.attr}")
            err.setProperty("role", "error")
            err.setWordWrap(True)
            err.setVisible(False)
            err.setAccessibleName(translate("FieldPanel", "Problem: {field}")
                                  .format(field=d.label))
            col.addWidget(err)
            label = QLabel(d.label + (" *" if d.required else ""), self)
            label.setBuddy(widget)
            form.addRow(label, box)
            self.inputs[d.attr] = widget
            self.errors[d.attr] = err
            self.labels.append(label)
            self.boxes.append(box)

    # -- width -----------------------------------------------------------------------------

    def labels_above(self, above: bool) -> None:
        """Labels above their fields (a narrow panel), or beside them, right-aligned."""
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows if above
                                   else QFormLayout.RowWrapPolicy.DontWrapRows)
        side = Qt.AlignmentFlag.AlignLeft if above else Qt.AlignmentFlag.AlignRight
        self.form.setLabelAlignment(side | Qt.AlignmentFlag.AlignVCenter)

    def _widest(self, widgets: list[QWidget]) -> int:
        return max((w.minimumSizeHint().expandedTo(w.minimumSize()).width()
                    for w in widgets), default=0)

    def _margins(self) -> int:
        m = self.form.contentsMargins()
        return m.left() + m.right()

    def width_beside(self) -> int:
        """The narrowest this panel can be with every label beside its field."""
        labels = max((label.sizeHint().width() for label in self.labels), default=0)
        return (labels + max(self.form.horizontalSpacing(), 0) + self._widest(self.boxes)
                + self._margins())

    def width_above(self) -> int:
        """The narrowest this panel can be, every label above its field."""
        labels = max((label.sizeHint().width() for label in self.labels), default=0)
        return max(labels, self._widest(self.boxes)) + self._margins()

    def fit_width(self, width: int) -> None:
        """Labels beside the fields when ``width`` has room for both, else above."""
        above = width < self.width_beside()
        if above != (self.form.rowWrapPolicy() == QFormLayout.RowWrapPolicy.WrapAllRows):
            self.labels_above(above)

    def _make_input(self, d: FieldDef, parent: QWidget) -> QWidget:
        if d.kind == "combo":
            combo = QComboBox(parent)
            combo.addItem("", "")
            for code, shown in d.choices:
                combo.addItem(shown, code)
            combo.setEditable(False)
            combo.setMaxVisibleItems(20)
            compact(combo, 12)
            combo.currentIndexChanged.connect(lambda _i, a=d.attr: self._changed(a))
            return combo
        if d.kind == "check":
            check = QCheckBox(parent)
            check.toggled.connect(lambda _v, a=d.attr: self._changed(a))
            return check
        edit = QLineEdit(parent)
        if d.placeholder:
            edit.setPlaceholderText(d.placeholder)
        edit.textEdited.connect(lambda _t: None if self._loading else self.typed.emit())
        edit.editingFinished.connect(lambda a=d.attr, e=edit: self._finished(a, e))
        return edit

    def _changed(self, attr: str) -> None:
        if not self._loading:
            self.typed.emit()
            self.edited.emit(attr)

    def _finished(self, attr: str, edit: QLineEdit) -> None:
        if not self._loading and edit.isModified():
            edit.setModified(False)
            self.edited.emit(attr)

    # -- values --------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for attr, w in self.inputs.items():
            if isinstance(w, QComboBox):
                out[attr] = w.currentData() or ""
            elif isinstance(w, QCheckBox):
                out[attr] = w.isChecked()
            else:
                out[attr] = w.text().strip()  # type: ignore[attr-defined]
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        self._loading = True
        try:
            for attr, w in self.inputs.items():
                value = values.get(attr, "")
                if isinstance(w, QComboBox):
                    i = w.findData(str(value or ""))
                    if i < 0 and value:  # a code not in the list: keep it visible
                        w.addItem(str(value), str(value))
                        i = w.count() - 1
                    w.setCurrentIndex(max(i, 0))
                elif isinstance(w, QCheckBox):
                    w.setChecked(bool(value))
                else:
                    w.setText("" if value is None else str(value))  # type: ignore[attr-defined]
                    w.setModified(False)  # type: ignore[attr-defined]
        finally:
            self._loading = False

    # -- messages ------------------------------------------------------------------------

    def show_problems(self, problems: Iterable[Problem], only: set[str] | None = None
                      ) -> list[Problem]:
        """Show each problem under its field; returns those that name no field here."""
        by_field: dict[str, list[str]] = {}
        rest = []
        for p in problems:
            if p.field in self.inputs:
                by_field.setdefault(p.field, []).append(p.text(lang()))
            else:
                rest.append(p)
        for attr in self.errors:
            if only is not None and attr not in only:
                continue
            self.set_error(attr, " ".join(by_field.get(attr, [])))
        return rest

    def set_error(self, attr: str, text: str) -> None:
        label = self.errors[attr]
        label.setText(text)
        label.setVisible(bool(text))
        w = self.inputs[attr]
        w.setProperty("invalid", "true" if text else "false")
        restyle(w)
        w.setToolTip(text)

    def clear_problems(self) -> None:
        for attr in self.errors:
            self.set_error(attr, "")

    def focus(self, attr: str) -> None:
        w = self.inputs.get(attr)
        if w is not None:
            w.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(w, QLineEdit):
                w.selectAll()


class Debounce(QObject):
    """Call ``fn`` once, ``ms`` after the last ``poke``."""

    def __init__(self, ms: int, fn: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(ms)
        self.timer.timeout.connect(fn)

    def poke(self) -> None:
        self.timer.start()

    def flush(self) -> None:
        if self.timer.isActive():
            self.timer.stop()
            self.timer.timeout.emit()


def field_width(widget: QWidget, chars: int = FIELD_CHARS) -> int:
    """How wide a line edit or a list must be to show ``chars`` average characters, with
    its frame, margins, buttons and arrow as the style draws them."""
    widget.ensurePolished()
    fm = widget.fontMetrics()
    text = fm.averageCharWidth() * chars
    if isinstance(widget, QComboBox):
        opt = QStyleOptionComboBox()
        widget.initStyleOption(opt)
        return widget.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, opt,
                                               QSize(text, fm.height()), widget).width()
    if isinstance(widget, QLineEdit):
        # QLineEdit's own size hint is 17 × "x" plus what the box adds around a text;
        # and a pixel for the cursor
        return text + widget.sizeHint().width() - 17 * fm.horizontalAdvance("x") + 1
    return widget.sizeHint().width()


class FormScroll(QScrollArea):
    """A FieldPanel that scrolls up and down, never sideways: its labels go above the
    fields when the room is too narrow to have them beside (the Workers screen at
    1024×600), and it is never made narrower than its fields."""

    def __init__(self, panel: FieldPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel = panel
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(panel)

    def _chrome(self) -> int:
        """Frame and vertical scroll bar: what the panel does not get of the width."""
        return 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width()

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), self.panel.width_above() + self._chrome()),
                     hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        # called for the viewport's resizes; the area's own width, less the frame and a
        # scroll bar whether shown or not, keeps the choice from flipping with the bar
        self.panel.fit_width(self.width() - self._chrome())
        super().resizeEvent(event)


def fit_columns(table: QTableView, widths: Iterable[int], lines: int = 2) -> None:
    """Each column ``widths`` pixels wide for its values, and wide enough for its name in
    the header: on one line when it fits, else wrapped at spaces onto at most ``lines``
    lines (the header grows to hold them). The full name is also the header's tooltip
    (the models' headerData)."""
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
    bold = QFont(header.font())
    bold.setBold(True)  # a highlighted section is drawn in bold, and Qt measures so
    fm = QFontMetrics(bold)
    model = table.model()
    wanted = list(widths)
    height = 0
    for col in range(model.columnCount()):
        text = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
        whole, one_line = header.sectionSizeFromContents(col), fm.size(0, text)
        margins = whole.width() - one_line.width()
        width = max(wanted[col] if col < len(wanted) else header.defaultSectionSize(),
                    max((fm.horizontalAdvance(word) for word in text.split()), default=0)
                    + margins)
        while _wrapped(fm, text, width - margins).height() > one_line.height() * lines:
            width += 2
        table.setColumnWidth(col, width)
        drawn = _wrapped(fm, text, width - margins).height()
        height = max(height, drawn + whole.height() - one_line.height())
    header.setMinimumHeight(height)


def _wrapped(fm: QFontMetrics, text: str, width: int) -> QSize:
    """The size of ``text`` wrapped at spaces within ``width``; a word wider than that
    makes it as tall as a page, never fitting."""
    drawn = fm.boundingRect(QRect(0, 0, max(width, 1), 100_000),
                            Qt.TextFlag.TextWordWrap.value, text)
    return drawn.size() if drawn.width() <= width else QSize(drawn.width(), 100_000)


def available_geometry(widget: QWidget) -> QRect:
    """The part of the widget's screen a window may use (the taskbar left out)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_screen(widget: QWidget, width: int, height: int) -> None:
    """Open a dialog ``width``×``height``, or smaller when its screen has less room
    (1024×600 netbooks): frame and title bar included, no part off screen."""
    room = available_geometry(widget).size() - DECORATION
    widget.resize(min(width, room.width()), min(height, room.height()))


def compact(combo: QComboBox, chars: int = 16) -> QComboBox:
    """A list whose long entries (procedure names, provinces) do not widen the window."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    return combo


def row_table(model: Any, parent: QWidget, name: str) -> QTableView:
    """A read-only list in a table, a row at a time (workers, claims): rows of one line,
    the columns as wide as ``model.widths(font metrics)`` says."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    vh = table.verticalHeader()
    vh.setVisible(False)
    vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vh.setDefaultSectionSize(parent.fontMetrics().height() + 8)
    table.horizontalHeader().setStretchLastSection(True)
    fit_columns(table, model.widths(parent.fontMetrics()))
    return table


def list_table(parent: QWidget, name: str, accessible: str, headers: list[str]
               ) -> QTableWidget:
    """A short read-only list filled item by item (officers, requests waiting): one row
    chosen at a time, no row numbers."""
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    return table


def show_row(table: QTableView, row: int) -> None:
    """Make ``row`` the current one, chosen alone, and bring it to the middle."""
    index = table.model().index(row, 0)
    table.selectionModel().setCurrentIndex(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows)
    table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)


def refill(combo: QComboBox, every: str, items: Iterable[tuple[str, Any]]) -> None:
    """A filter's choices made again: ``every`` (no filter) then ``items`` (text, data),
    the one chosen before kept while it is still there; no signal on the way."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(every, "")
    for text, data in items:
        combo.addItem(text, data)
    combo.setCurrentIndex(max(combo.findData(current or ""), 0))
    combo.blockSignals(False)


def title(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setProperty("role", "title")
    return label


def scrolled_screen(screen: QWidget, heading: str) -> tuple[QWidget, QVBoxLayout]:
    """A screen of groups under its title, scrolled as a whole: the widget to put them in
    and its column."""
    outer = QVBoxLayout(screen)
    outer.addWidget(title(heading, screen))
    scroll = QScrollArea(screen)
    scroll.setWidgetResizable(True)
    inner = QWidget()
    col = QVBoxLayout(inner)
    scroll.setWidget(inner)
    outer.addWidget(scroll, 1)
    return inner, col


def counted_title(text: str, layout: QVBoxLayout, parent: QWidget, name: str) -> QLabel:
    """A list screen's first line: its title, and at the right the label that counts its
    rows (named ``name``), returned."""
    top = QHBoxLayout()
    top.addWidget(title(text, parent))
    top.addStretch(1)
    count = QLabel(parent)
    count.setObjectName(name)
    top.addWidget(count)
    layout.addLayout(top)
    return count


def hint(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setProperty("role", "hint")
    label.setWordWrap(True)
    return label


def error_message(exc: BaseException) -> str:
    """What the officer reads about a failure: the service's sentence in his language,
    with its problems listed; anything unexpected as one plain sentence (the details go
    to the log)."""
    from ..services.app import UserError

    if isinstance(exc, UserError):
        text = exc.message(lang())
        if exc.problems:
            lines = [p.message(lang()) for p in exc.problems[:12]]
            more = len(exc.problems) - len(lines)
            if more > 0:
                lines.append(translate("Messages", "… and {count} more.").format(count=more))
            text += "\n\n" + "\n".join("• " + line for line in lines)
        return text
    message = getattr(exc, "message", None)
    if callable(message):
        try:
            return str(message(lang()))
        except TypeError:
            pass
    return translate("Messages", "Something went wrong: {detail}. The details are in the "
                     "log; the data on screen is kept.").format(detail=type(exc).__name__)


def show_error(parent: QWidget | None, title_text: str, exc: BaseException | str) -> None:
    text = exc if isinstance(exc, str) else error_message(exc)
    box = QMessageBox(QMessageBox.Icon.Warning, title_text, text,
                      QMessageBox.StandardButton.Ok, parent)
    box.button(QMessageBox.StandardButton.Ok).setText(translate("Messages", "OK"))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()


def ask(parent: QWidget | None, title_text: str, text: str, yes: str, no: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title_text, text,
                      QMessageBox.StandardButton.NoButton, parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes_button)
    box.exec()
    return box.clickedButton() is yes_button


_ROOT = QModelIndex()


class ListModel(QAbstractTableModel):
    """A read-only table over a list of rows with fixed column headers: the dossier list
    and the tracking list (dicts), the claims (positions into their views). Subclasses
    say what each cell shows (``data``)."""

    def __init__(self, headers: list[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = headers
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role in (
                Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.headers[section]
        return None
