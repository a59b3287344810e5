"""The Workers screen: the list (search as you type, Vietnamese order) and the editor."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..domain.text import vnd
from ..services import workers as workers_svc
from ..services.app import UserError
from ..services.checks import fields_of
from . import adapters, tasks
from .i18n import translate
from .import_flow import ImportFlow
from .widgets import (
    Debounce,
    FieldDef,
    FieldPanel,
    FormScroll,
    counted_title,
    def_from_spec,
    hint,
    row_table,
    say,
    show_row,
    title,
)
from .worker_table import WorkerTableModel, load_index

ORDER = ("full_name", "gender", "birth_date", "cccd", "bhxh_number", "cmnd", "nationality",
         "ethnicity", "phone", "email", "birth_place", "birth_province", "address",
         "address_province", "position", "salary", "allowances", "kcb_code",
         "receive_method")
NEW_DRAFT = "worker-new"


def worker_fields(ctx: Any) -> list[FieldDef]:
    specs = fields_of(ctx.app.catalog, "worker")
    line = fields_of(ctx.app.catalog, "line")
    out = []
    for attr in ORDER:
        if attr in specs:
            out.append(def_from_spec(ctx.app.catalog, specs[attr]))
        elif attr in line:
            out.append(def_from_spec(ctx.app.catalog, line[attr], required=False))
        elif attr == "cmnd":
            out.append(FieldDef(attr, translate("WorkersScreen",
                                                "Old ID card (CMND, 9 digits)")))
    return out


def worker_values(w: Any) -> dict[str, Any]:
    from dataclasses import asdict

    out = asdict(w)
    out["birth_date"] = str(w.birth_date)
    out["salary"] = vnd(w.salary) if w.salary else ""
    out["allowances"] = vnd(w.allowances) if w.allowances else ""
    out["status"] = str(w.status)
    out.pop("id", None)
    return out


class WorkerEditor(QWidget):
    """One worker's fields with their checks: a new worker is added with the button; a
    stored one is saved each time a field is left and every check passes."""

    saved = Signal(int)

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.worker_id: int | None = None
        self.touched: set[str] = set()
        self.conflict_dialog: Any = None  # open while a stored person would change
        col = QVBoxLayout(self)
        self.heading = title("", self)
        col.addWidget(self.heading)
        self.panel = FieldPanel(worker_fields(ctx), self)
        # beside the list: the labels go above the fields when the window is narrow
        col.addWidget(FormScroll(self.panel, self), 1)
        self.status = QLabel(self)
        self.status.setObjectName("worker_status")
        self.status.setWordWrap(True)
        col.addWidget(self.status)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("&Add worker"), self)
        self.add_button.setObjectName("add_worker")
        self.add_button.setAutoDefault(True)
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add)
        self.clear_button = QPushButton(self.tr("Clear form"), self)
        self.clear_button.clicked.connect(self.clear_new)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        col.addLayout(buttons)
        self.draft_saver = Debounce(300, self._save_draft, self)
        self.panel.typed.connect(self.draft_saver.poke)
        self.panel.edited.connect(self._edited)
        self.start_new()

    def keyPressEvent(self, event: Any) -> None:
        """Enter in any field of a new worker adds it (the default button of the form)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.worker_id is None:
            self.add()
            return
        super().keyPressEvent(event)

    # -- which worker ----------------------------------------------------------------------

    def _draft_name(self) -> str:
        return NEW_DRAFT if self.worker_id is None else f"worker-{self.worker_id}"

    def start_new(self) -> None:
        self.flush()
        self.worker_id = None
        self.heading.setText(self.tr("New worker"))
        self.add_button.setVisible(True)
        self.clear_button.setVisible(True)
        draft = self.ctx.drafts.load(NEW_DRAFT)
        self.panel.set_values(draft or {"nationality": "VN", "ethnicity": "01",
                                        "receive_method": "1"})
        self.panel.clear_problems()
        self.touched = set()
        self._say("hint", self.tr("Fill in the fields, then press Add worker (Enter). "
                                  "What you type is kept even if the program closes."))

    def clear_new(self) -> None:
        self.ctx.drafts.clear(NEW_DRAFT)
        self.start_new()
        self.panel.focus("full_name")

    def open_worker(self, worker_id: int) -> None:
        if worker_id == self.worker_id:
            return
        self.flush()
        w = adapters.get_worker(self.ctx.app, worker_id)
        if w is None:
            return
        self.worker_id = worker_id
        self.heading.setText(w.full_name)
        self.add_button.setVisible(False)
        self.clear_button.setVisible(False)
        draft = self.ctx.drafts.load(self._draft_name())
        self.panel.set_values(draft or worker_values(w))
        self.panel.clear_problems()
        self.touched = set()
        if draft:
            self.touched = set(self.panel.inputs)
            self._save_existing()
        else:
            self._say("hint", self.tr("Changes are saved when you leave a field."))

    # -- saving ----------------------------------------------------------------------------

    def _save_draft(self) -> None:
        self.ctx.drafts.save(self._draft_name(), self.panel.values())

    def flush(self) -> None:
        self.draft_saver.flush()

    def _edited(self, attr: str) -> None:
        self.touched.add(attr)
        self.flush()
        if self.worker_id is None:
            self._check_new()
        else:
            self._save_existing()

    def _problems_of(self, values: dict[str, Any]) -> list:
        """Every problem with the values as typed (the service's own checks)."""
        from ..domain.validation import Problem
        from ..services.checks import check_worker

        try:
            w = workers_svc.make_worker(values)
        except UserError as exc:
            field = str(exc.params.get("field", ""))
            return [Problem("TK1-TS", None, field, "bad_value",
                            {"value": exc.params.get("value", "")})]
        return check_worker(self.ctx.app.catalog, w)

    def _check_new(self) -> None:
        self.panel.show_problems(self._problems_of(self.panel.values()), self.touched)

    def _save_existing(self) -> None:
        assert self.worker_id is not None
        try:
            adapters.update_worker(self.ctx.app, self.worker_id, self.panel.values())
        except UserError as exc:
            self._show_failure(exc, self.touched)
            return
        self.panel.clear_problems()
        self.ctx.drafts.clear(self._draft_name())
        self._say("ok", self.tr("Saved."))
        self.saved.emit(self.worker_id)

    def add(self, replace_stored: bool = False) -> None:
        self.flush()
        values = self.panel.values()
        try:
            w = workers_svc.add(self.ctx.app, values, replace_stored=replace_stored)
        except UserError as exc:
            self.touched = set(self.panel.inputs)
            if exc.code == "worker_conflict":
                self._ask_conflict(exc.params["conflict"])
            self._show_failure(exc, None)
            return
        self.ctx.drafts.clear(NEW_DRAFT)
        assert w.id is not None
        self.saved.emit(w.id)
        self.start_new()
        done = self.tr("{name} was saved.") if replace_stored else self.tr("{name} was added.")
        self._say("ok", done.format(name=w.full_name))
        self.panel.focus("full_name")

    def _ask_conflict(self, conflict: Any) -> None:
        """The number typed belongs to a stored worker who is another person: both
        versions, and the stored worker changes only if the officer says so."""
        from .conflicts import ConflictDialog

        self.conflict_dialog = dialog = ConflictDialog([(None, conflict)], self.ctx.lang(),
                                                       self, typed=True)

        def answered(_code: int) -> None:
            self.conflict_dialog = None
            dialog.deleteLater()
            if dialog.taken():
                self.add(replace_stored=True)

        dialog.finished.connect(answered)
        dialog.open()

    def _show_failure(self, exc: UserError, only: set[str] | None) -> None:
        problems = list(exc.problems)
        if not problems and exc.code == "bad_field":
            problems = self._problems_of(self.panel.values())
        rest = self.panel.show_problems(problems, only)
        first = next((p.field for p in problems if p.field in self.panel.inputs), None)
        if exc.code in ("worker_exists", "worker_conflict"):
            self._say("error", exc.message(self.ctx.lang()))
        elif rest and not any(p.field in self.panel.inputs for p in problems):
            self._say("error", "\n".join(p.message(self.ctx.lang()) for p in rest))
        else:
            self._say("error", self.tr("Not saved yet: fix the fields marked in red. "
                                       "What you typed is kept."))
        if first and only is None:
            self.panel.focus(first)

    def _say(self, role: str, text: str) -> None:
        say(self.status, role, text)


class WorkersScreen(ImportFlow, QWidget):
    """The worker list and the editor side by side."""

    import_use = "workers"
    import_run = staticmethod(adapters.import_workers)

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("screen_workers")
        outer = QVBoxLayout(self)
        self.count = counted_title(self.tr("Workers"), outer, self, "worker_count")
        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setObjectName("worker_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr(
            "Search: a name (no accents needed), or a full BHXH / CCCD number  (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search workers"))
        bar.addWidget(self.search, 1)
        self.new_button = QPushButton(self.tr("&New worker"), self)
        self.new_button.setObjectName("new_worker")
        self.new_button.setToolTip("Ctrl+N")
        self.import_button = QPushButton(self.tr("&Import from a spreadsheet…"), self)
        self.import_button.setObjectName("import_workers")
        bar.addWidget(self.new_button)
        bar.addWidget(self.import_button)
        outer.addLayout(bar)

        self.model = WorkerTableModel(ctx.app.db, self)
        self.table = row_table(self.model, self, "worker_table")
        self.table.setAccessibleName(self.tr("Worker list"))
        self.editor = WorkerEditor(ctx, self)
        self.editor.setObjectName("worker_editor")
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(self.editor)
        # about half each: at 1366×768 the editor has its labels beside the fields; on a
        # narrower window it keeps the width its fields need and the list scrolls sideways
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([640, 560])
        split.setChildrenCollapsible(False)
        outer.addWidget(split, 1)
        self.import_status = hint("", self)
        outer.addWidget(self.import_status)
        self.import_status.setVisible(False)

        self.search.textChanged.connect(self._filter)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.activated.connect(lambda _i: self.editor.panel.focus("full_name"))
        self.new_button.clicked.connect(self.new_worker)
        self.import_button.clicked.connect(self.import_file)
        self.editor.saved.connect(self._saved)
        for key, slot in ((QKeySequence.StandardKey.Find, self._focus_search),
                          (QKeySequence.StandardKey.New, self.new_worker)):
            shortcut = QShortcut(key, self, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.search.installEventFilter(self)
        self._pending_select: int | None = None
        self.loader = tasks.Latest(self._load_work, self._loaded, self._load_failed)
        self._importing: tasks.Task | None = None
        self.mapping_dialog: Any = None
        self.import_title = self.tr("Import workers")
        self.conflict_dialog: Any = None
        self.setTabOrder(self.search, self.table)
        self.setTabOrder(self.table, self.new_button)
        self.reload()

    def eventFilter(self, obj: Any, event: Any) -> bool:
        from PySide6.QtCore import QEvent

        if obj is self.search and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Down and self.model.rowCount():
                self.table.setFocus()
                if not self.table.currentIndex().isValid():
                    self.table.selectRow(0)
                return True
            if event.key() == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
        return super().eventFilter(obj, event)

    # -- loading ---------------------------------------------------------------------------

    def reload(self, select: int | None = None) -> None:
        """Read the list again in the background; the table stays usable meanwhile."""
        self._pending_select = select if select is not None else self._pending_select
        self.loader.ask()

    def _load_work(self) -> Any:
        db = self.ctx.app.db
        self.count.setText(self.tr("Loading workers…"))
        return lambda _p: load_index(db)

    def _loaded(self, idx: Any) -> None:
        current = self._current_id()
        self.model.set_index(idx)
        self._update_count()
        wanted = self._pending_select or current
        self._pending_select = None
        if wanted is not None:
            self.select_worker(wanted, focus=False)

    def _load_failed(self, exc: BaseException) -> None:
        from .widgets import error_message

        self.count.setText(error_message(exc))

    def _update_count(self) -> None:
        total, shown = len(self.model.idx), self.model.rowCount()
        if shown == total:
            self.count.setText(self.tr("{count} workers").format(count=vnd(total)))
        else:
            self.count.setText(self.tr("{shown} of {count} workers").format(
                shown=vnd(shown), count=vnd(total)))

    def _filter(self, text: str) -> None:
        current = self._current_id()
        self.model.set_query(text)
        self._update_count()
        if current is not None:
            row = self.model.row_of(current)
            if row is not None:
                self.table.selectRow(row)

    # -- selection -------------------------------------------------------------------------

    def _current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.worker_id(index.row()) if index.isValid() else None

    def _row_changed(self, current: Any, _previous: Any) -> None:
        if current.isValid():
            self.editor.open_worker(self.model.worker_id(current.row()))

    def select_worker(self, worker_id: int, focus: bool = True, field: str | None = None
                      ) -> None:
        row = self.model.row_of(worker_id)
        if row is None and self.search.text():
            self.search.clear()
            row = self.model.row_of(worker_id)
        if row is not None:
            show_row(self.table, row)
        else:
            self.editor.open_worker(worker_id)
        if field:
            QTimer.singleShot(0, lambda: self.editor.panel.focus(field))
        elif focus:
            self.table.setFocus()

    def new_worker(self) -> None:
        self.table.clearSelection()
        self.table.setCurrentIndex(self.model.index(-1, -1))
        self.editor.start_new()
        self.editor.panel.focus("full_name")

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _saved(self, worker_id: int) -> None:
        self.reload(select=worker_id if self.editor.worker_id is not None else None)
        self.ctx.workers_changed()

    # -- import (ImportFlow: the file, its columns, the import in the background) ------------

    def _imported(self, result: dict[str, Any]) -> None:
        if result.get("conflicts"):
            self._ask_conflicts(result)
        else:
            self._show_imported(result)

    def _ask_conflicts(self, outcome: dict[str, Any]) -> None:
        """Rows that disagree with a stored worker on the person: both versions, and per
        worker whether to keep the stored one (nothing changes) or use the file's."""
        from .conflicts import ConflictDialog

        self.import_status.setText(outcome.get("summary", ""))
        self.conflict_dialog = dialog = ConflictDialog(outcome["conflicts"], self.ctx.lang(),
                                                       self)
        app, language = self.ctx.app, self.ctx.lang()

        def answered(_code: int) -> None:
            self.conflict_dialog = None
            dialog.deleteLater()
            rows = [row for row, _conflict in dialog.taken()]
            if not rows:
                self._show_imported(outcome)
                return
            self._importing = tasks.run(
                lambda _p: adapters.take_import_rows(app, outcome, rows, language),
                self._show_imported, self._import_failed)

        dialog.finished.connect(answered)
        dialog.open()

    def _show_imported(self, result: dict[str, Any]) -> None:
        self._import_ended(result.get("summary") or self.tr(
            "Imported: {added} added, {updated} updated.").format(
            added=result.get("added", 0), updated=result.get("updated", 0)))
        if result.get("rows"):
            from .widgets import show_error

            show_error(self, self.import_title, result.get("summary", "") + "\n\n"
                       + "\n".join(result.get("rows", [])))
        self.reload()
        self.ctx.workers_changed()

    def flush(self) -> None:
        self.editor.flush()
