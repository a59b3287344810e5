"""Several units in one database, in the window: the unit switcher of the status bar, the
"All units" view (each unit's filing this month, a person searched in every unit) and the
form that adds a unit. The choosing itself is the window's (MainWindow.switch_unit): it
keeps a unit's work from running on while another unit is on screen."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyleOptionComboBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..domain.messages import say
from ..services import units as units_svc
from ..services.app import UserError
from . import adapters, tasks
from .i18n import lang, translate
from .widgets import (
    FieldPanel,
    FormScroll,
    ListModel,
    compact,
    error_message,
    fit_screen,
    hint,
    restyle,
    row_table,
    title,
)

SEARCH_LIMIT = 500  # people shown of a search across units; a longer list is narrowed
SHOWN_CHARS = 40  # of a unit's "code — name" on view when the window has the room
NAMED_CHARS = 56  # of the only unit's "code — name" (no list beside it), at most


def unit_text(unit: dict[str, Any]) -> str:
    """How a unit is named in the window: its code, then its name."""
    return f"{unit['unit_code']} — {unit['name']}"


def _set_role(label: QLabel, role: str, text: str) -> None:
    label.setProperty("role", role)
    label.setText(text)
    restyle(label)


class UnitCombo(QComboBox):
    """The list of units: as wide as the unit shown (up to 40 average characters) when
    the status bar has the room, down to 16 characters on a small screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        compact(self, 16)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        fm = self.fontMetrics()
        content = min(fm.horizontalAdvance(self.currentText()),
                      SHOWN_CHARS * fm.averageCharWidth())
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        around = self.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, opt,
                                               QSize(content, fm.height()), self)
        return QSize(max(hint.width(), around.width()), hint.height())


class UnitSwitcher(QWidget):
    """The status bar's unit: its code and name always; with several units, a list to
    choose another (``chosen(unit id)``) and the button to the view of all units
    (``overview``)."""

    chosen = Signal(int)
    overview = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unit_switcher")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.label.setObjectName("unit_status")
        self.combo = UnitCombo(self)
        self.combo.setObjectName("unit_choice")
        self.label.setBuddy(self.combo)
        self.all_button = QToolButton(self)
        self.all_button.setObjectName("all_units")
        self.all_button.setAutoRaise(True)
        row.addWidget(self.label)
        row.addWidget(self.combo)
        row.addWidget(self.all_button)
        self.units: list[dict[str, Any]] = []
        self.current: int | None = None
        self.combo.currentIndexChanged.connect(self._picked)
        self.all_button.clicked.connect(self.overview.emit)

    def show_units(self, units: list[dict[str, Any]], current: int | None) -> None:
        """The units of the database, ``current`` the one chosen (no signal)."""
        self.units, self.current = units, current
        self.combo.blockSignals(True)
        self.combo.clear()
        for u in units:
            self.combo.addItem(unit_text(u), u["id"])
            self.combo.setItemData(self.combo.count() - 1, unit_text(u),
                                   Qt.ItemDataRole.ToolTipRole)
        self.combo.setCurrentIndex(self.combo.findData(current))
        self.combo.blockSignals(False)
        fm = QFontMetrics(self.combo.view().font())
        widest = max((fm.horizontalAdvance(unit_text(u)) for u in units), default=0)
        self.combo.view().setMinimumWidth(widest + 40)  # the open list shows names whole
        several = len(units) > 1
        self.combo.setVisible(several)
        self.all_button.setVisible(several)
        here = next((u for u in units if u["id"] == current), None)
        self.combo.setToolTip(unit_text(here) if here else "")
        self.combo.updateGeometry()
        self.retranslate()

    def retranslate(self) -> None:
        here = next((u for u in self.units if u["id"] == self.current), None)
        if len(self.units) > 1:
            self.label.setText(self.tr("&Unit ({count}):").format(count=len(self.units)))
            self.label.setToolTip("")
        elif here is not None:
            # a long name is cut (whole in the tooltip): the status bar must fit 910 px
            fm = self.label.fontMetrics()
            shown = fm.elidedText(unit_text(here), Qt.TextElideMode.ElideRight,
                                  NAMED_CHARS * fm.averageCharWidth())
            self.label.setText(self.tr("Unit: {unit}").format(unit=shown))
            self.label.setToolTip(unit_text(here))
        else:
            self.label.setText(self.tr("No unit set up yet"))
        self.combo.setAccessibleName(self.tr("Unit to work on"))
        self.all_button.setText(self.tr("All units…"))
        self.all_button.setToolTip(self.tr(
            "Each unit's filing this month, and a search for a person in every unit"))

    def revert(self) -> None:
        """Show the unit still chosen again (a switch that was refused)."""
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(self.combo.findData(self.current))
        self.combo.blockSignals(False)

    def _picked(self, index: int) -> None:
        unit = self.combo.itemData(index)
        if unit is not None and unit != self.current:
            self.chosen.emit(int(unit))


# -- the view of all units -----------------------------------------------------------------

class UnitsModel(ListModel):
    """Each unit: code, name, workers, dossiers, and this month's filing."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__([translate("Units", "Unit code"), translate("Units", "Name"),
                          translate("Units", "Workers"), translate("Units", "Dossiers"),
                          translate("Units", "This month")], parent)

    @staticmethod
    def widths(fm: QFontMetrics) -> tuple[int, ...]:
        return (fm.horizontalAdvance("TZH490L0") + 16, 260, 80, 70, 130)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row["unit_code"], row["name"], row["workers"], row["dossiers"],
                    filing_text(row))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1:
            return row["name"]
        if role == Qt.ItemDataRole.FontRole and row.get("current"):
            font = self.parent().font() if self.parent() else None
            if font is not None:
                font.setBold(True)
            return font
        return None


def filing_text(row: dict[str, Any]) -> str:
    """A unit's filing this month as the officer reads it (with the dossier's state when
    one is under way)."""
    from .declarations import state_text

    status = row.get("status") or "missing"
    text = say(f"unit_{status}", lang())
    if status == "started" and row.get("state"):
        text += f" ({state_text(row['state']).lower()})"
    return text


class PeopleModel(ListModel):
    """People found in every unit: the unit's code first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__([translate("Units", "Unit code"), translate("Units", "Full name"),
                          translate("Units", "BHXH number"), translate("Units", "Birth date")],
                         parent)

    @staticmethod
    def widths(fm: QFontMetrics) -> tuple[int, ...]:
        return (fm.horizontalAdvance("TZH490L0") + 16, 220, 110, 100)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        birth = str(row.get("birth_date") or "")
        return (row["unit_code"], row["full_name"], row.get("bhxh_number") or "",
                _day(birth))[index.column()]


def _day(iso: str) -> str:
    """2026-03-05 as 05/03/2026 (a partial date as it is)."""
    parts = iso.split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else iso


class UnitsDialog(QDialog):
    """Every unit at a glance: which have not filed this month, and who works where. A
    double click on a unit, or on a person, works on that unit (and opens the person)."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("units_dialog")
        self.setWindowTitle(self.tr("All units"))
        col = QVBoxLayout(self)
        col.addWidget(title(self.tr("All units"), self))
        self.summary = QLabel(self)
        self.summary.setObjectName("units_summary")
        self.summary.setWordWrap(True)
        col.addWidget(self.summary)
        self.units_model = UnitsModel(self)
        self.units_table = row_table(self.units_model, self, "units_table")
        self.units_table.setAccessibleName(self.tr("Units"))
        col.addWidget(self.units_table, 2)
        col.addWidget(hint(self.tr("A double click on a unit works on it."), self))
        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setObjectName("units_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("A name, or a full BHXH / CCCD number"))
        self.search.setAccessibleName(self.tr("Search a person in every unit"))
        label = QLabel(self.tr("&Person:"), self)
        label.setBuddy(self.search)
        self.search_button = QPushButton(self.tr("&Search every unit"), self)
        self.search_button.setObjectName("units_search_button")
        bar.addWidget(label)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.search_button)
        col.addLayout(bar)
        self.people_model = PeopleModel(self)
        self.people_table = row_table(self.people_model, self, "units_people")
        self.people_table.setAccessibleName(self.tr("People found"))
        col.addWidget(self.people_table, 3)
        self.status = QLabel(self)
        self.status.setObjectName("units_status")
        self.status.setWordWrap(True)
        col.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)
        self.search.returnPressed.connect(self.find)
        self.search_button.clicked.connect(self.find)
        self.units_table.activated.connect(self._unit_activated)
        self.people_table.activated.connect(self._person_activated)
        self.job: tasks.Task | None = None
        self.ids: dict[str, int] = {}  # unit id by code, for the people found
        self.refresh()
        fit_screen(self, 820, 620)

    def refresh(self) -> None:
        """The units and this month's filing, read again."""
        app = self.ctx.app
        listed = units_svc.listing(app)
        filing = units_svc.reminders(app)
        by_code = {u["unit_code"]: u for u in filing["units"]}
        self.units_model.set_rows([{**u, **{k: by_code.get(u["unit_code"], {}).get(k)
                                            for k in ("status", "state")}} for u in listed])
        self.ids = {u["unit_code"]: u["id"] for u in listed}
        self.summary.setText(say("units_not_filed", lang(), period=filing["period"],
                                 count=filing["not_filed"]))

    # -- the search across units -------------------------------------------------------------

    def find(self) -> None:
        text = self.search.text().strip()
        if not text or self.job is not None:
            return
        app = self.ctx.app
        self.search_button.setEnabled(False)
        _set_role(self.status, "hint", self.tr("Searching every unit…"))
        self.job = tasks.run(lambda _p: units_svc.search_workers(app, text, SEARCH_LIMIT + 1),
                             self._found, self._failed)

    def _found(self, people: list[dict[str, Any]]) -> None:
        self.job = None
        self.search_button.setEnabled(True)
        self.people_model.set_rows(people[:SEARCH_LIMIT])
        if len(people) > SEARCH_LIMIT:
            text = self.tr("The first {count} people found: type more of the name to "
                           "narrow the list.").format(count=SEARCH_LIMIT)
        elif people:
            units = len({p["unit_code"] for p in people})
            text = self.tr("{count} people found in {units} unit(s). A double click "
                           "works on that unit and opens the person.").format(
                count=len(people), units=units)
        else:
            text = self.tr("Nobody found in any unit.")
        _set_role(self.status, "hint", text)

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.search_button.setEnabled(True)
        _set_role(self.status, "error", error_message(exc))

    # -- working on a unit -------------------------------------------------------------------

    def _unit_activated(self, index: QModelIndex) -> None:
        self.work_on(self.units_model.rows[index.row()]["id"])

    def _person_activated(self, index: QModelIndex) -> None:
        person = self.people_model.rows[index.row()]
        if self.work_on(self.ids[person["unit_code"]]):
            self.ctx.open_worker(person["id"])

    def work_on(self, unit_id: int) -> bool:
        """Switch the window to ``unit_id``; the dialog closes when it did, and says why
        when it was refused."""
        window = self.ctx.window
        if window is None:
            return False
        refused = window.switch_unit(unit_id)
        if refused:
            _set_role(self.status, "error", refused)
            return False
        self.accept()
        return True


# -- adding a unit -------------------------------------------------------------------------

class AddUnitDialog(QDialog):
    """An empty profile for another unit of this database. It is added only when every
    check passes and its code is not in the database yet; it is then the unit worked on."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        from .company import employer_fields, employer_values

        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("add_unit_dialog")
        self.setWindowTitle(self.tr("Add a unit"))
        col = QVBoxLayout(self)
        col.addWidget(title(self.tr("Add a unit"), self))
        col.addWidget(hint(self.tr(
            "Another employer kept in the same data: its own profile, workers, dossiers "
            "and gateway account. Fields marked * are required; the unit code cannot be "
            "one already in the data."), self))
        self.panel = FieldPanel(employer_fields(ctx), self)
        self.panel.setObjectName("new_unit_panel")
        self.panel.set_values(employer_values(None))
        col.addWidget(FormScroll(self.panel, self), 1)
        self.status = QLabel(self)
        self.status.setObjectName("add_unit_status")
        self.status.setWordWrap(True)
        col.addWidget(self.status)
        buttons = QDialogButtonBox(self)
        self.add_button = buttons.addButton(self.tr("&Add the unit"),
                                            QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setObjectName("add_unit_save")
        cancel = buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAutoDefault(False)
        buttons.accepted.connect(self.add)
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)
        self.added: Any = None
        fit_screen(self, 760, 640)

    def add(self) -> None:
        """Store the unit and choose it; a failure is shown by its fields, the dialog
        stays open with what was typed."""
        from .company import show_failure

        window = self.ctx.window
        busy = window.leave_unit() if window is not None else None
        if busy:
            _set_role(self.status, "error", busy)
            return
        try:
            self.added = adapters.add_unit(self.ctx.app, self.panel.values())
        except UserError as exc:
            show_failure(self.panel, exc, None)
            _set_role(self.status, "error", error_message(exc) if not exc.problems else
                      self.tr("Not added: fix the fields marked in red."))
            return
        self.accept()
