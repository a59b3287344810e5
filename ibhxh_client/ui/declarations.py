"""The Declarations screen: every dossier by period and procedure, and the editor of a
draft's D02-LT lines with the contributions and the problems recomputed after each edit."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..domain.messages import state_name
from ..domain.model import Declaration, Period
from ..domain.text import vnd
from ..services import declarations as decls
from ..services.app import UserError
from ..services.claims import claims_of_dossier
from . import adapters, tasks
from .claims import ClaimTableModel
from .i18n import lang, translate
from .lines import CodeDelegate, LinesModel, PlanDelegate, columns_of, draft_cell, draft_key
from .widgets import (
    Debounce,
    ListModel,
    compact,
    error_message,
    fit_columns,
    fit_screen,
    hint,
    refill,
    restyle,
    row_table,
    show_error,
    title,
)
from .worker_table import WorkerTableModel, load_index

ROOT = QModelIndex()
FUNDS = ("BHXH", "BHYT", "BHTN", "BHTNLD")
# A column's width by its field, else by how it is edited (what the names wrap into)
WIDTHS = {"stt": 40, "ho_ten": 190, "ma_so_bhxh": 110, "he_so": 80, "pc_chuc_vu": 110,
          "pc_vuot_khung": 130, "pc_tham_nien": 120, "pc_khac": 100, "chuc_vu": 160,
          "noi_dung_thay_doi": 320, "plan": 150, "code": 170, "money": 110, "decimal": 90,
          "month": 90, "month?": 90, "int": 70, "date": 100, "text": 120}


def state_text(state: str) -> str:
    return state_name(state, lang())


def fund_text(fund: str) -> str:
    return {"BHXH": translate("Funds", "Social insurance (BHXH)"),
            "BHYT": translate("Funds", "Health insurance (BHYT)"),
            "BHTN": translate("Funds", "Unemployment (BHTN)"),
            "BHTNLD": translate("Funds", "Work accident (BHTNLĐ-BNN)")}.get(fund, fund)


class DossierListModel(ListModel):
    """The dossiers as ``services.declarations.status`` lists them."""

    def __init__(self, catalog: Any, parent: Any = None) -> None:
        super().__init__([translate("DossierListModel", "No."),
                          translate("DossierListModel", "Procedure"),
                          translate("DossierListModel", "Period"),
                          translate("DossierListModel", "Lines"),
                          translate("DossierListModel", "State"),
                          translate("DossierListModel", "Created")], parent)
        self.catalog = catalog

    @property
    def items(self) -> list[dict[str, Any]]:
        return self.rows

    def set_items(self, items: list[dict[str, Any]]) -> None:
        self.set_rows(items)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            col = index.column()
            if col == 0:
                return str(item["id"])
            if col == 1:
                # a dossier sent under a retired code (600a) keeps its code and name
                name = self.catalog.procedure_name(item["procedure"], lang())
                return f"{item['procedure']} – {name}"
            if col == 2:
                return item["period"]
            if col == 3:
                return str(item.get("lines", 0))
            if col == 4:
                return state_text(item["state"])
            if col == 5:
                created = item.get("created") or ""
                try:
                    return date.fromisoformat(created).strftime("%d/%m/%Y")
                except ValueError:
                    return created
        if role == Qt.ItemDataRole.UserRole:
            return item["id"]
        return None


class NewDeclarationDialog(QDialog):
    """Procedure and period of a new draft."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New declaration"))
        form = QFormLayout(self)
        self.procedure = QComboBox(self)
        self.procedure.setObjectName("new_procedure")
        for code, proc in ctx.app.catalog.procedures.items():
            if proc.claims:  # made from the claims, in the benefits screen
                continue
            self.procedure.addItem(f"{code} – {proc.name.get(lang(), proc.name['vi'])}", code)
        self.procedure.setAccessibleName(self.tr("Procedure"))
        self.period = QLineEdit(str(Period.of(date.today())), self)
        self.period.setObjectName("new_period")
        self.period.setPlaceholderText("mm/yyyy")
        self.period.setAccessibleName(self.tr("Period (month/year)"))
        self.error = QLabel(self)
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        form.addRow(self.tr("&Procedure"), self.procedure)
        form.addRow(self.tr("P&eriod (mm/yyyy)"), self.period)
        form.addRow(self.error)
        buttons = QDialogButtonBox(self)
        ok = buttons.addButton(self.tr("Create"), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        compact(self.procedure, 40)

    def values(self) -> tuple[str, str]:
        return self.procedure.currentData(), self.period.text().strip()


class WorkerPicker(QDialog):
    """Choose workers for new lines: the worker list with its search, several at once."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add workers to the declaration"))
        fit_screen(self, 900, 560)
        col = QVBoxLayout(self)
        col.addWidget(hint(self.tr("Type part of a name (no accents needed) or a full "
                                   "BHXH/CCCD number; select one or more workers (Ctrl or "
                                   "Shift + click, or Shift + arrows) and press Add."),
                           self))
        self.search = QLineEdit(self)
        self.search.setObjectName("picker_search")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search workers"))
        col.addWidget(self.search)
        self.model = WorkerTableModel(ctx.app.db, self)
        self.table = QTableView(self)
        self.table.setObjectName("picker_table")
        self.table.setAccessibleName(self.tr("Workers"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(True)
        fit_columns(self.table, self.model.widths(self.fontMetrics()))
        col.addWidget(self.table, 1)
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton(self.tr("Add"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)
        self.search.textChanged.connect(self.model.set_query)
        self.table.doubleClicked.connect(lambda _i: self.accept())
        db = ctx.app.db
        self.loading = tasks.run(lambda _p: load_index(db), self.model.set_index)

    def chosen(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.worker_id(r) for r in rows]


class Editor(QWidget):
    """One dossier's lines, totals, forms and problems."""

    def __init__(self, ctx: Any, screen: DeclarationsScreen) -> None:
        super().__init__(screen)
        self.ctx = ctx
        self.screen = screen
        self.decl: Declaration | None = None
        self.workers: dict[int, Any] = {}
        self.check_job = tasks.Latest(self._check_work, self._checked, self._check_failed)
        self.last_check: adapters.CheckResult | None = None
        col = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back = QPushButton(self.tr("← All declarations"), self)
        self.back.setObjectName("back_to_list")
        self.back.setToolTip("Alt+Left")
        self.back.setShortcut(QKeySequence("Alt+Left"))
        top.addWidget(self.back)
        self.heading = title("", self)
        self.heading.setWordWrap(True)
        self.heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top.addWidget(self.heading, 1)
        self.state = QLabel(self)
        self.state.setObjectName("dossier_state")
        top.addWidget(self.state)
        col.addLayout(top)
        bar = QHBoxLayout()
        self.add_button = QPushButton(self.tr("&Add workers…"), self)
        self.add_button.setObjectName("add_lines")
        self.add_new_button = QPushButton(self.tr("Add all &new workers"), self)
        self.add_new_button.setObjectName("add_new_workers")
        self.remove_button = QPushButton(self.tr("&Remove line"), self)
        self.remove_button.setObjectName("remove_line")
        self.remove_button.setToolTip("Delete")
        self.send_button = QPushButton(self.tr("&Sign and send…"), self)
        self.send_button.setObjectName("send_dossier")
        for b in (self.add_button, self.add_new_button, self.remove_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.send_button)
        col.addLayout(bar)
        self.note = hint("", self)
        col.addWidget(self.note)
        # The dossier's own values, for a procedure about the unit rather than its workers
        # (604: what changes); rebuilt from the procedure at each open.
        self.header_box = QWidget(self)
        self.header_box.setObjectName("dossier_values")
        self.header_form = QFormLayout(self.header_box)
        self.header_form.setContentsMargins(0, 0, 0, 0)
        self.header_inputs: dict[str, QLineEdit] = {}
        self.header_box.setVisible(False)
        col.addWidget(self.header_box)

        self.model = LinesModel(ctx.app.catalog, self)
        self.table = QTableView(self)
        self.table.setObjectName("lines_table")
        self.table.setAccessibleName(self.tr("Declaration lines"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.horizontalHeader().setStretchLastSection(True)
        self._delegates: list[Any] = []

        lower = QSplitter(Qt.Orientation.Horizontal, self)
        totals_box = self.totals_box = QGroupBox(self.tr("Contributions for the period"), self)
        grid = QGridLayout(totals_box)
        self.total_labels: dict[tuple[str, str], QLabel] = {}
        heads = (self.tr("Fund"), self.tr("Employer"), self.tr("Worker"), self.tr("Total"))
        for c, text in enumerate(heads):
            h = QLabel(f"<b>{text}</b>", totals_box)
            h.setAlignment(Qt.AlignmentFlag.AlignRight if c else Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(h, 0, c)
        for r, fund in enumerate((*FUNDS, "total"), start=1):
            if fund == "total":
                total = self.tr("Total")
                name_label = QLabel(f"<b>{total}</b>", totals_box)
            else:  # the short name everyone uses, the full one on hover
                name_label = QLabel("BHTNLĐ-BNN" if fund == "BHTNLD" else fund, totals_box)
                name_label.setToolTip(fund_text(fund))
                name_label.setAccessibleName(fund_text(fund))
            grid.addWidget(name_label, r, 0)
            for c, part in enumerate(("employer", "employee", "total"), start=1):
                label = QLabel("—", totals_box)
                label.setObjectName(f"total_{fund}_{part}")
                label.setAlignment(Qt.AlignmentFlag.AlignRight)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                grid.addWidget(label, r, c)
                self.total_labels[(fund, part)] = label
        self.summary_note = QLabel(totals_box)
        self.summary_note.setObjectName("summary_note")
        self.summary_note.setWordWrap(True)
        grid.addWidget(self.summary_note, len(FUNDS) + 2, 0, 1, 4)
        self.forms_label = QLabel(totals_box)
        self.forms_label.setObjectName("forms_needed")
        self.forms_label.setWordWrap(True)
        grid.addWidget(self.forms_label, len(FUNDS) + 3, 0, 1, 4)
        grid.setRowStretch(len(FUNDS) + 4, 1)
        # a short title: a group box is never narrower than its title, and the window must
        # fit 1366×768 at 150 % (910 logical pixels)
        problems_box = QGroupBox(self.tr("Problems"), self)
        pcol = QVBoxLayout(problems_box)
        pcol.addWidget(hint(self.tr("Click one to go to the field."), problems_box))
        self.check_status = QLabel(problems_box)
        self.check_status.setObjectName("check_status")
        self.check_status.setWordWrap(True)
        pcol.addWidget(self.check_status)
        self.problems = QListWidget(problems_box)
        self.problems.setObjectName("problems")
        self.problems.setAccessibleName(self.tr("Problems"))
        self.problems.setWordWrap(True)
        pcol.addWidget(self.problems, 1)
        lower.addWidget(totals_box)
        lower.addWidget(problems_box)
        lower.setStretchFactor(0, 2)
        lower.setStretchFactor(1, 3)
        # A claim list (630a/b/c) has claims instead of lines: shown here, changed in the
        # benefits screen
        self.claims_box = QWidget(self)
        self.claims_box.setObjectName("dossier_claims")
        claims_col = QVBoxLayout(self.claims_box)
        claims_col.setContentsMargins(0, 0, 0, 0)
        self.claims_model = ClaimTableModel(ctx.app.catalog, self)
        self.claims_table = row_table(self.claims_model, self.claims_box,
                                      "dossier_claims_table")
        self.claims_table.setAccessibleName(self.tr("Claims of the list"))
        claims_col.addWidget(self.claims_table, 1)
        self.claims_button = QPushButton(self.tr("Open in the &benefits screen"),
                                         self.claims_box)
        self.claims_button.setObjectName("open_claims")
        claims_col.addWidget(self.claims_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.claims_box.setVisible(False)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.claims_box)
        # the totals and problems scroll when the window is small (1366×768 at 150 %)
        # rather than squeezing the table or clipping their text
        lower_scroll = QScrollArea(self)
        lower_scroll.setObjectName("editor_lower")
        lower_scroll.setWidgetResizable(True)
        lower_scroll.setFrameShape(QFrame.Shape.NoFrame)
        lower_scroll.setWidget(lower)
        split.addWidget(lower_scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        col.addWidget(split, 1)

        self.saver = Debounce(150, self.save, self)
        self.checker = Debounce(250, self.check, self)
        self.model.edited.connect(self._edited)
        self.add_button.clicked.connect(self.pick_workers)
        self.add_new_button.clicked.connect(self.add_new_workers)
        self.remove_button.clicked.connect(self.remove_selected)
        self.send_button.clicked.connect(self._send)
        self.claims_button.clicked.connect(self._open_claims)
        self.back.clicked.connect(screen.show_list)
        self.problems.itemActivated.connect(self.jump)
        self.problems.itemClicked.connect(self.jump)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.table, self.remove_selected)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)

    # -- opening ---------------------------------------------------------------------------

    def open(self, decl_id: int) -> None:
        self.flush()
        decl, workers = decls.load(self.ctx.app, decl_id)
        self.decl, self.workers = decl, workers
        editable = decl.state in adapters.EDITABLE
        catalog = self.ctx.app.catalog
        proc = catalog.procedures.get(decl.procedure)
        self.model.set_declaration(decl, workers, read_only=not editable,
                                   columns=columns_of(catalog, proc))
        self._set_delegates(proc)
        cells = self.ctx.drafts.load(self._draft_name()) if editable else None
        for key, text in (cells or {}).items():
            cell = draft_cell(key, self.model.field_column)
            if cell is not None and cell[0] < self.model.rowCount():
                self.model.bad[cell] = text
        name = catalog.procedure_name(decl.procedure, lang()) or decl.procedure
        self.heading.setText(self.tr("Dossier {id} · {procedure} · period {period}").format(
            id=decl.id, procedure=f"{decl.procedure} – {name}", period=decl.period))
        self.heading.setToolTip(name)
        self.state.setText(state_text(str(decl.state)))
        claims = bool(proc and proc.claims)
        workers_shown = (proc is None or proc.workers) and not claims
        for b in (self.add_button, self.add_new_button, self.remove_button):
            b.setEnabled(editable)
            b.setVisible(workers_shown)
        self.add_new_button.setVisible(bool(proc and catalog.plans_of_kind(proc, "increase"))
                                       and not claims)
        self.table.setVisible(workers_shown)
        self.claims_box.setVisible(claims)
        self._show_claims(decl if claims else None)
        self.totals_box.setVisible(proc is None or catalog.has_contributions(proc))
        self._show_header(proc, editable)
        if claims:
            self.note.setText(self.tr(
                "A list of benefit claims: its claims are entered and changed in the "
                "benefits screen (a changed claim leaves the list until it is made "
                "again)."))
        elif editable:
            self.note.setText(self.tr(
                "Type in the table: each change is saved at once and the totals and "
                "problems below follow. Plan codes come from the code list (F2 or a "
                "double click opens the list).") if workers_shown else self.tr(
                "Say what changes: it is saved at once and the problems below follow. The "
                "unit's details themselves come from the Company screen."))
        else:
            self.note.setText(self.tr("This dossier is {state}: it can no longer be "
                                      "changed. Its history is under Tracking.")
                              .format(state=state_text(str(decl.state)).lower()))
        self.problems.clear()
        self.check_status.setText(self.tr("Checking…"))
        self.check()
        first = self._first_editable()
        if self.model.rowCount() and first is not None:
            self.table.setCurrentIndex(self.model.index(0, first))

    def _show_claims(self, decl: Declaration | None) -> None:
        """A claim list's claims, as the benefits screen shows them (read only here)."""
        views = claims_of_dossier(self.ctx.app, decl.id) if decl and decl.id else []
        self.claims_model.set_views(views)

    def _open_claims(self) -> None:
        if self.decl is not None:
            self.ctx.open_claims(self.decl.id)

    def _first_editable(self) -> int | None:
        return next((i for i, c in enumerate(self.model.columns) if c.kind != "ro"), None)

    def _set_delegates(self, proc: Any) -> None:
        """A list for each code column (the procedure's plan codes first); the column
        widths of the procedure's columns (the form's names wrap onto two lines; a column
        is never narrower than its name)."""
        for i in range(len(self._delegates)):
            self.table.setItemDelegateForColumn(i, None)
        catalog = self.ctx.app.catalog
        self._delegates = []
        for i, column in enumerate(self.model.columns):
            delegate = None
            if column.kind == "plan":
                delegate = PlanDelegate(catalog, proc, self)
            elif column.kind == "code":
                delegate = CodeDelegate(catalog, self.model.codelist_of(i), parent=self)
            if delegate is not None:
                self.table.setItemDelegateForColumn(i, delegate)
            self._delegates.append(delegate)
        fit_columns(self.table, tuple(WIDTHS.get(c.name, WIDTHS.get(c.kind, 120))
                                      for c in self.model.columns))

    def _show_header(self, proc: Any, editable: bool) -> None:
        """An input for each of the dossier's own values (604: what changes)."""
        while self.header_form.rowCount():
            self.header_form.removeRow(0)
        self.header_inputs = {}
        fields = proc.header if proc is not None else ()
        self.header_box.setVisible(bool(fields))
        catalog = self.ctx.app.catalog
        for value in fields:
            spec = catalog.form(value.form).find_field(value.field)
            label = spec.label_in(lang()) if spec else value.field
            edit = QLineEdit(getattr(self.decl, value.attr, "") or "", self.header_box)
            edit.setObjectName(f"dossier_{value.attr}")
            edit.setAccessibleName(label)
            edit.setReadOnly(not editable)
            if spec is not None and spec.max_length:
                edit.setMaxLength(spec.max_length)
            edit.textEdited.connect(lambda text, attr=value.attr: self._header_edited(attr, text))
            self.header_form.addRow(label, edit)
            self.header_inputs[value.attr] = edit

    def _header_edited(self, attr: str, text: str) -> None:
        if self.decl is not None and not self.model.read_only:
            setattr(self.decl, attr, text)
            self._edited()

    def _draft_name(self) -> str:
        return f"declaration-{self.decl.id}-cells" if self.decl else "declaration-cells"

    def reload_workers(self) -> None:
        if self.decl is not None:
            self.workers = adapters.workers_by_id(self.ctx.app,
                                                  [line.worker_id for line in self.decl.lines])
            self.model.workers = self.workers
            self.model.layoutChanged.emit()
            self.check()

    # -- editing ---------------------------------------------------------------------------

    def _edited(self) -> None:
        self.saver.poke()
        self.checker.poke()

    def save(self) -> None:
        if self.decl is None or self.model.read_only:
            return
        self.ctx.drafts.save(self._draft_name(),
                             {draft_key(r, self.model.columns[c].name): t
                              for (r, c), t in self.model.bad.items()})
        try:
            state = adapters.save_lines(self.ctx.app, self.decl)
        except UserError as exc:
            show_error(self, self.tr("Not saved"), exc)
            return
        self.state.setText(state_text(str(state)))
        self.ctx.dossiers_changed()

    def flush(self) -> None:
        self.saver.flush()

    def pick_workers(self) -> None:
        if self.decl is None:
            return
        picker = WorkerPicker(self.ctx, self)
        if picker.exec() != QDialog.DialogCode.Accepted:
            return
        self.add_workers(picker.chosen())

    def add_workers(self, ids: list[int]) -> int:
        assert self.decl is not None
        present = {line.worker_id for line in self.decl.lines}
        wanted = [i for i in ids if i not in present]
        if not wanted:
            return 0
        found = adapters.workers_by_id(self.ctx.app, wanted)
        strangers = [i for i in wanted if i not in found]
        if strangers:  # a list read before a switch of unit: none of it goes in
            self._refuse(UserError("unit_mismatch", kind="workers",
                                   ids=", ".join(f"#{i}" for i in strangers[:10])))
            return 0
        self.workers.update(found)
        new = [adapters.line_for(self.ctx.app, self.decl, found[i]) for i in wanted
               if i in found]
        self.model.add_lines(new)
        first = self._first_editable()
        if first is not None:
            self.table.setCurrentIndex(self.model.index(self.model.rowCount() - 1, first))
        return len(new)

    def _refuse(self, exc: UserError) -> None:
        self.check_status.setProperty("role", "error")
        self.check_status.setText(exc.message(lang()))
        restyle(self.check_status)

    def add_new_workers(self) -> None:
        if not self.add_workers(adapters.new_worker_ids(self.ctx.app)):
            self.check_status.setText(self.tr("Every new worker is already in this "
                                              "declaration."))

    def remove_selected(self) -> None:
        if self.decl is None or self.model.read_only:
            return
        rows = {i.row() for i in self.table.selectionModel().selectedIndexes()}
        if not rows and self.table.currentIndex().isValid():
            rows = {self.table.currentIndex().row()}
        if rows:
            self.model.remove_rows(sorted(rows))

    def _send(self) -> None:
        if self.decl is not None:
            self.flush()
            self.ctx.send(self.decl.id)

    # -- checking --------------------------------------------------------------------------

    def check(self) -> None:
        """Recompute totals and problems in the background (the table stays live)."""
        self.check_job.ask()

    def _check_work(self) -> Any:
        if self.decl is None:
            return None
        decl = copy.deepcopy(self.decl)
        workers = dict(self.workers)
        app = self.ctx.app
        return lambda _p: adapters.check_draft(app, decl, workers)

    def _checked(self, result: adapters.CheckResult) -> None:
        self.last_check = result
        self._show_totals(result.summary)
        self._show_forms(result.forms)
        self._show_problems(result.problems)

    def _check_failed(self, exc: BaseException) -> None:
        self.check_status.setText(error_message(exc))

    def _show_totals(self, s: Any) -> None:
        for (fund, part), label in self.total_labels.items():
            if s is None:
                label.setText("—")
                continue
            if fund == "total":
                value = {"employer": s.employer_total, "employee": s.employee_total,
                         "total": s.total}[part]
            else:
                share = s.funds[fund]
                value = {"employer": share.employer, "employee": share.employee,
                         "total": share.employer + share.employee}[part]
            label.setText(vnd(value))
        if s is None:
            self.summary_note.setText(self.tr("No rates are known for this period."))
            return
        note = self.tr("{count} workers; minimum wage region {region}.").format(
            count=s.workers, region=s.region)
        if s.exempt:
            note += " " + self.tr("{count} with nothing due because of leave.").format(
                count=s.exempt)
        if s.floored:
            note += " " + self.tr("{count} raised to the minimum wage.").format(
                count=s.floored)
        self.summary_note.setText(note)

    def _show_forms(self, forms: list[tuple[str, int]]) -> None:
        catalog = self.ctx.app.catalog
        proc = catalog.procedures.get(self.decl.procedure) if self.decl else None
        parts = []
        for code, count in forms:
            spec = catalog.form(code)
            name = spec.title.get(lang(), spec.title["vi"])
            need = proc.need(code) if proc else None
            when = need.when if need else ""
            if when == "worker_without_bhxh":
                parts.append(self.tr("{code} × {count}: one per worker without a BHXH "
                                     "number").format(code=code, count=count))
            elif when == "late_or_retroactive":
                parts.append(self.tr("{code}: supporting documents for late or "
                                     "retroactive lines").format(code=code))
            elif spec.per == "row":
                parts.append(self.tr("{code} × {count}: {name}").format(
                    code=code, count=count, name=name))
            else:
                parts.append(f"{code}: {name}")
        self.forms_label.setText(self.tr("Forms in this dossier:") + "\n• " +
                                 "\n• ".join(parts) if parts else "")

    def _show_problems(self, problems: list[Any]) -> None:
        self.problems.clear()
        cells: dict[tuple[int, int], str] = {}
        for (r, c) in self.model.bad:
            msg = self.model.bad_message(r, c)
            item = QListWidgetItem(self.tr("{form} row {row}: {message}").format(
                form=self.model.columns[c].form, row=r + 1, message=msg))
            item.setData(Qt.ItemDataRole.UserRole, ("cell", r, c))
            self.problems.addItem(item)
        for p in problems:
            item = QListWidgetItem(p.message(lang()))
            item.setData(Qt.ItemDataRole.UserRole, ("problem", p))
            self.problems.addItem(item)
            target = self._cell_of(p)
            if target is not None:
                cells[target] = p.text(lang())
        self.model.set_problems(cells)
        count = self.problems.count()
        if count:
            self.check_status.setProperty("role", "error")
            self.check_status.setText(self.tr("{count} problem(s) to fix before the "
                                              "dossier can be signed.").format(count=count))
        else:
            self.check_status.setProperty("role", "ok")
            self.check_status.setText(self.tr("No problems: the dossier is ready to sign "
                                              "and send."))
        restyle(self.check_status)

    def _line_forms(self) -> tuple[str, ...]:
        """The forms whose rows are the lines, in order (D02-LT; TK1-TS for 607 …)."""
        catalog = self.ctx.app.catalog
        proc = catalog.procedures.get(self.decl.procedure) if self.decl else None
        return catalog.line_forms(proc) if proc else ("D02-LT",)

    def _cell_of(self, p: Any) -> tuple[int, int] | None:
        if p.form not in self._line_forms() or not p.row or p.row > self.model.rowCount():
            return None
        col = self.model.column_of(p.field or "")
        if col is None:
            name_col = self.model.column_of("ho_ten")
            return (p.row - 1, name_col) if p.field and name_col is not None else None
        return (p.row - 1, col)

    def jump(self, item: QListWidgetItem) -> None:
        """Go to the field a problem names: a cell of the table, the dossier's own value,
        or the worker's own field in the Workers screen when the value belongs to the
        worker."""
        kind, *rest = item.data(Qt.ItemDataRole.UserRole)
        if kind == "cell":
            r, c = rest
            self._focus_cell(r, c)
            return
        p = rest[0]
        if self.claims_box.isVisible() and p.row and p.row <= self.claims_model.rowCount():
            self.claims_table.setFocus()
            self.claims_table.selectRow(p.row - 1)  # its claim: changed in the benefits screen
            return
        catalog = self.ctx.app.catalog
        spec = catalog.form(p.form).find_field(p.field) if p.form in catalog.forms and \
            p.field else None
        if p.form in self._line_forms() and p.row and p.row <= self.model.rowCount():
            col = self.model.column_of(p.field or "")
            if col is not None and self.model.columns[col].kind != "ro":
                self._focus_cell(p.row - 1, col)
                return
            if spec is not None and spec.owner == "worker":
                line = self.model.lines[p.row - 1]
                self.ctx.open_worker(line.worker_id, spec.attr)
                return
            self._focus_cell(p.row - 1, col if col is not None else 0)
            return
        if spec is not None and spec.owner == "declaration" and spec.attr in self.header_inputs:
            self.header_inputs[spec.attr].setFocus()
            return
        if spec is not None and spec.owner == "worker" and self.decl is not None:
            wid = self._worker_for(spec.attr, p)
            if wid is not None:
                self.ctx.open_worker(wid, spec.attr)
                return
        if spec is not None and spec.owner == "employer":
            screen = self.ctx.go("company")
            screen.panel.focus(spec.attr)

    def _worker_for(self, attr: str, p: Any) -> int | None:
        """The worker a per-worker form's problem is about (TK1-TS files carry no row):
        the first of the dossier's workers without a BHXH number whose value fails."""
        from ..services.checks import check_worker

        assert self.decl is not None
        candidates = [line.worker_id for line in self.decl.lines
                      if not getattr(self.workers.get(line.worker_id), "bhxh_number", "x")]
        for wid in candidates:
            w = self.workers.get(wid)
            if w is None:
                continue
            if any(q.field == attr for q in check_worker(self.ctx.app.catalog, w)):
                return wid
            if getattr(w, attr, None) in ("", None):
                return wid
        return candidates[0] if candidates else None

    def _focus_cell(self, row: int, col: int) -> None:
        index = self.model.index(row, col)
        self.table.setFocus()
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.table.scrollTo(index)


class DeclarationsScreen(QWidget):
    """The list of dossiers, and the editor of one."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("screen_declarations")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget(self)
        outer.addWidget(self.pages)

        page = QWidget(self)
        col = QVBoxLayout(page)
        col.addWidget(title(self.tr("Declarations"), page))
        bar = QHBoxLayout()
        self.period_filter = QComboBox(page)
        self.period_filter.setObjectName("period_filter")
        self.period_filter.setAccessibleName(self.tr("Period"))
        self.procedure_filter = QComboBox(page)
        self.procedure_filter.setObjectName("procedure_filter")
        self.procedure_filter.setAccessibleName(self.tr("Procedure"))
        self.procedure_filter.addItem(self.tr("All procedures"), "")
        for code, proc in ctx.app.catalog.procedures.items():
            self.procedure_filter.addItem(f"{code} – {proc.name.get(lang(), proc.name['vi'])}",
                                          code)
        compact(self.procedure_filter, 18)
        compact(self.period_filter, 8)
        period_label = QLabel(self.tr("Pe&riod:"), page)
        period_label.setBuddy(self.period_filter)
        proc_label = QLabel(self.tr("Pro&cedure:"), page)
        proc_label.setBuddy(self.procedure_filter)
        bar.addWidget(period_label)
        bar.addWidget(self.period_filter)
        bar.addWidget(proc_label)
        bar.addWidget(self.procedure_filter, 1)
        self.new_button = QPushButton(self.tr("&New declaration…"), page)
        self.new_button.setObjectName("new_declaration")
        self.open_button = QPushButton(self.tr("&Open"), page)
        self.open_button.setObjectName("open_declaration")
        bar.addWidget(self.new_button)
        bar.addWidget(self.open_button)
        col.addLayout(bar)
        self.list_model = DossierListModel(ctx.app.catalog, self)
        self.list = QTableView(page)
        self.list.setObjectName("dossier_list")
        self.list.setAccessibleName(self.tr("Dossiers"))
        self.list.setModel(self.list_model)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.verticalHeader().setVisible(False)
        self.list.horizontalHeader().setStretchLastSection(True)
        fit_columns(self.list, (60, 560, 90, 70, 160))
        col.addWidget(self.list, 1)
        col.addWidget(hint(self.tr("Enter or a double click opens a dossier. A draft can be "
                                   "changed; a signed or sent one can only be read."), page))
        self.pages.addWidget(page)
        self.editor = Editor(ctx, self)
        self.pages.addWidget(self.editor)

        self.period_filter.currentIndexChanged.connect(self._apply_filter)
        self.procedure_filter.currentIndexChanged.connect(self._apply_filter)
        self.new_button.clicked.connect(self.new_declaration)
        self.open_button.clicked.connect(self._open_current)
        self.list.activated.connect(lambda _i: self._open_current())
        shortcut = QShortcut(QKeySequence.StandardKey.New, self, self.new_declaration)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.all_items: list[dict[str, Any]] = []
        self.refresh()

    # -- the list --------------------------------------------------------------------------

    def refresh(self) -> None:
        items = decls.status(self.ctx.app)
        assert isinstance(items, list)
        self.all_items = items
        periods = sorted({i["period"] for i in items},
                         key=lambda p: (p[3:], p[:2]), reverse=True)
        refill(self.period_filter, self.tr("All periods"), ((p, p) for p in periods))
        self._apply_filter()

    def _apply_filter(self) -> None:
        period = self.period_filter.currentData() or ""
        proc = self.procedure_filter.currentData() or ""
        self.list_model.set_items([i for i in self.all_items
                                   if (not period or i["period"] == period)
                                   and (not proc or i["procedure"] == proc)])
        if self.list_model.rowCount():
            self.list.selectRow(0)

    def _open_current(self) -> None:
        index = self.list.currentIndex()
        if index.isValid():
            self.open(self.list_model.items[index.row()]["id"])

    def show_list(self) -> None:
        self.editor.flush()
        self.refresh()
        self.pages.setCurrentIndex(0)
        self.list.setFocus()

    def open(self, decl_id: int) -> None:
        try:
            self.editor.open(decl_id)
        except UserError as exc:
            show_error(self, self.tr("Declarations"), exc)
            return
        self.pages.setCurrentIndex(1)
        self.editor.table.setFocus()

    def new_declaration(self) -> None:
        dialog = NewDeclarationDialog(self.ctx, self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            procedure, period = dialog.values()
            try:
                decl_id = adapters.new_draft(self.ctx.app, procedure, period)
            except UserError as exc:
                dialog.error.setText(exc.message(lang()))
                continue
            self.ctx.dossiers_changed()
            self.open(decl_id)
            return

    # -- notifications ---------------------------------------------------------------------

    def workers_changed(self) -> None:
        if self.pages.currentIndex() == 1:
            self.editor.reload_workers()

    def dossiers_changed(self) -> None:
        if self.pages.currentIndex() == 0:
            self.refresh()

    def shown(self) -> None:
        if self.pages.currentIndex() == 0:
            self.refresh()
        else:
            self.editor.reload_workers()

    def flush(self) -> None:
        self.editor.flush()

