"""The Benefits screen ("Chế độ ốm đau, thai sản"): the sickness, maternity and
convalescence claims, each with its expected days and amount, the rule that gave them and
its problems; a claim entered (or changed) with its amount recomputed as the officer
types; claims imported from a spreadsheet; the month's lists made (630a/b/c dossiers,
then signed, sent, tracked and printed by the other screens); and Social Security's
approved amount recorded beside the expected one.

Every check, amount and state, and which values each kind of claim uses, comes from
``services.claims``: this module only shows them and sends the officer's input on.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..domain.messages import state_name
from ..domain.model import Period
from ..domain.text import vnd
from ..domain.values import parse_money
from ..services import claims as claims_svc
from ..services.app import UserError
from ..services.checks import fields_of
from ..services.declarations import EDITABLE
from . import adapters, tasks
from .i18n import lang, translate
from .import_flow import ImportFlow
from .widgets import (
    Debounce,
    FieldDef,
    FieldPanel,
    FormScroll,
    ListModel,
    compact,
    counted_title,
    def_from_spec,
    error_message,
    fit_screen,
    hint,
    refill,
    row_table,
    say,
    show_error,
    show_row,
    title,
)

NEW_DRAFT = "claim-new"
SHOWN_PROBLEMS = 4  # under the form; the rest are counted
RED = QColor("#b00020")
# The states of a claim list in which its claims can still change (the service refuses
# the others: claim_locked), and those in which an approved amount is recorded by hand
CHANGEABLE = frozenset(str(s) for s in EDITABLE)
ANSWERABLE = frozenset(str(s) for s in claims_svc.ANSWERABLE)


def changeable(view: claims_svc.ClaimView) -> bool:
    """A claim in no list yet, or in a list not signed yet."""
    return view.dossier_state is None or view.dossier_state in CHANGEABLE


def answerable(view: claims_svc.ClaimView) -> bool:
    """A claim in a list filed (sent, answered or printed)."""
    return view.dossier_state in ANSWERABLE


def refilable(view: claims_svc.ClaimView) -> bool:
    """A claim Social Security rejected (the service says whether it was entered again)."""
    return view.state == "rejected"
PANEL_ORDER = ("kind", "from_date", "to_date", "days", "rest_days", "heavy_work",
               "long_term_code", "surgery", "pregnancy_weeks", "child_birth_date",
               "child_count", "child_id", "second_child", "prenatal_rest", "infertility",
               "certificate", "payment", "bank_account", "bank_code", "note")


def money(amount: int | None) -> str:
    """Whole đồng with dots; a negative difference keeps its sign."""
    if amount is None:
        return ""
    return ("−" + vnd(-amount)) if amount < 0 else vnd(amount)


def claim_labels(catalog: Any) -> dict[str, str]:
    """Each claim value's name in the window's language: the claim list's column."""
    out = {attr: spec.label_in(lang()) for attr, spec in fields_of(catalog, "claim").items()}
    out["days"] = translate("ClaimEditor", "Days asked (empty: counted)")
    out["worker"] = translate("ClaimEditor", "Worker")
    return out


def problem_text(p: Any, labels: dict[str, str]) -> str:
    """A problem as the list shows it: the field it names, then the sentence."""
    name = labels.get(p.field or "") or (p.where_field(lang()) if p.field else "")
    return f"{name}: {p.text(lang())}" if name else p.text(lang())


def panel_fields(catalog: Any) -> list[FieldDef]:
    """The claim's inputs, labelled and listed as the claim list M01B-HSB names them."""
    specs = fields_of(catalog, "claim")
    out = []
    for attr in PANEL_ORDER:
        if attr == "days":
            out.append(FieldDef("days", translate("ClaimEditor", "Days asked (empty: counted)"),
                                placeholder=translate("ClaimEditor", "counted")))
        elif attr in specs:
            out.append(def_from_spec(catalog, specs[attr], attr=attr,
                                     required=attr in ("kind", "from_date", "to_date")))
    return out


def panel_values(claim: Any) -> dict[str, Any]:
    """A stored claim's values as the form shows them."""
    def day(d: date | None) -> str:
        return d.strftime("%d/%m/%Y") if d else ""

    return {"kind": claim.kind, "from_date": day(claim.from_date),
            "to_date": day(claim.to_date), "days": "" if claim.days is None else claim.days,
            "rest_days": claim.rest_days, "heavy_work": claim.heavy_work,
            "long_term_code": claim.long_term_code, "surgery": claim.surgery,
            "pregnancy_weeks": "" if claim.pregnancy_weeks is None else claim.pregnancy_weeks,
            "child_birth_date": day(claim.child_birth_date),
            "child_count": claim.child_count or "", "child_id": claim.child_id,
            "second_child": claim.second_child, "prenatal_rest": claim.prenatal_rest,
            "infertility": claim.infertility,
            "certificate": claim.certificate, "payment": claim.payment,
            "bank_account": claim.bank_account, "bank_code": claim.bank_code,
            "note": claim.note}


# -- the list --------------------------------------------------------------------------------

class ClaimTableModel(ListModel):
    """The claims (``services.claims.ClaimView``), filtered by state and period: the
    rows are positions into the views, so 5,000 claims filter at once."""

    COLUMNS = ("worker", "kind", "from", "to", "days", "expected", "problems", "state",
               "approved", "difference")
    CHARS = (22, 22, 10, 10, 5, 12, 34, 14, 12, 12)

    def __init__(self, catalog: Any, parent: Any = None) -> None:
        super().__init__([translate("ClaimTableModel", "Worker"),
                          translate("ClaimTableModel", "Benefit"),
                          translate("ClaimTableModel", "From"),
                          translate("ClaimTableModel", "To"),
                          translate("ClaimTableModel", "Days"),
                          translate("ClaimTableModel", "Expected (VND)"),
                          translate("ClaimTableModel", "Problems"),
                          translate("ClaimTableModel", "State"),
                          translate("ClaimTableModel", "Approved (VND)"),
                          translate("ClaimTableModel", "Difference (VND)")], parent)
        self.catalog = catalog
        self.views: list[claims_svc.ClaimView] = []
        self.rows: list[int] = []  # positions into the views
        self.state = ""
        self.period: Period | None = None
        self.labels = claim_labels(catalog)
        self._problems: dict[int, str] = {}
        self._periods: dict[int, list[Period]] = {}

    @classmethod
    def widths(cls, fm: Any) -> list[int]:
        return [fm.averageCharWidth() * chars + 12 for chars in cls.CHARS]

    # -- loading and filtering -------------------------------------------------------------

    def set_views(self, views: list[claims_svc.ClaimView]) -> None:
        self.beginResetModel()
        self.views = views
        self._problems.clear()
        self._periods.clear()
        self.rows = self._matching()
        self.endResetModel()

    def set_filter(self, state: str = "", period: Period | None = None) -> None:
        self.beginResetModel()
        self.state, self.period = state, period
        self.rows = self._matching()
        self.endResetModel()

    def periods_of(self, i: int) -> list[Period]:
        found = self._periods.get(i)
        if found is None:
            found = self._periods[i] = claims_svc.periods_of(self.views[i])
        return found

    def _matching(self) -> list[int]:
        return [i for i, v in enumerate(self.views)
                if (not self.state or v.state == self.state)
                and (self.period is None or self.period in self.periods_of(i))]

    def all_periods(self) -> list[Period]:
        return sorted({p for i in range(len(self.views)) for p in self.periods_of(i)},
                      reverse=True)

    def view(self, row: int) -> claims_svc.ClaimView:
        return self.views[self.rows[row]]

    def row_of(self, claim_id: int) -> int | None:
        return next((r for r, i in enumerate(self.rows) if self.views[i].claim.id == claim_id),
                    None)

    # -- Qt model (rows, columns and headers: ListModel's) ----------------------------------

    def problems_text(self, row: int) -> str:
        i = self.rows[row]
        text = self._problems.get(i)
        if text is None:
            text = self._problems[i] = "; ".join(
                problem_text(p, self.labels) for p in self.views[i].problems)
        return text

    def _text(self, row: int, name: str) -> str:
        v = self.view(row)
        c = v.claim
        if name == "worker":
            return v.worker.full_name
        if name == "kind":
            kinds = self.catalog.codelists["benefit_kinds"]
            return kinds.label(c.kind, lang()) if c.kind in kinds else c.kind
        if name in ("from", "to"):
            day = c.from_date if name == "from" else c.to_date
            return day.strftime("%d/%m/%Y")
        if name == "days":
            return "" if v.expected_days is None else str(v.expected_days)
        if name == "expected":
            return money(v.expected_amount)
        if name == "problems":
            return self.problems_text(row)
        if name == "state":
            return state_name(v.state, lang())
        if name == "approved":
            return money(c.approved_amount)
        return money(v.difference)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        name = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(index.row(), name)
        if role == Qt.ItemDataRole.ToolTipRole:
            if name == "expected":
                return self.view(index.row()).rule(lang()) or None
            if name == "problems":
                return self.problems_text(index.row()).replace("; ", "\n") or None
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            v = self.view(index.row())
            if name == "problems" or (name == "difference" and (v.difference or 0) < 0):
                return QBrush(RED)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and name in (
                "days", "expected", "approved", "difference"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return self.view(index.row()).claim.id
        return None


# -- one claim ---------------------------------------------------------------------------------

class ClaimEditor(QWidget):
    """One claim's values, with its days, amount, rule and problems recomputed (through
    the service, after a short pause) as the officer types. A new claim is added with
    the button; a stored one is saved with "Save changes"."""

    saved = Signal(int)

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: claims_svc.ClaimView | None = None
        self.worker_id: int | None = None
        self.last_preview: claims_svc.Preview | None = None
        self.previewer = tasks.Latest(self._preview_work, self._assessed,
                                      self._assess_failed)
        self.labels = claim_labels(ctx.app.catalog)
        col = QVBoxLayout(self)
        self.heading = title("", self)
        self.heading.setWordWrap(True)
        col.addWidget(self.heading)
        who = QHBoxLayout()
        self.worker_label = QLabel(self)
        self.worker_label.setObjectName("claim_worker")
        self.worker_label.setWordWrap(True)
        self.worker_button = QPushButton(self.tr("Choose &worker…"), self)
        self.worker_button.setObjectName("choose_worker")
        who.addWidget(self.worker_label, 1)
        who.addWidget(self.worker_button)
        col.addLayout(who)
        self.worker_error = QLabel(self)
        self.worker_error.setObjectName("error_worker")
        self.worker_error.setProperty("role", "error")
        self.worker_error.setWordWrap(True)
        self.worker_error.setVisible(False)
        col.addWidget(self.worker_error)
        self.panel = FieldPanel(panel_fields(ctx.app.catalog), self)
        self.scroll = FormScroll(self.panel, self)
        col.addWidget(self.scroll, 1)
        self.result = QLabel(self)
        self.result.setObjectName("claim_result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        col.addWidget(self.result)
        self.status = QLabel(self)
        self.status.setObjectName("claim_status")
        self.status.setWordWrap(True)
        col.addWidget(self.status)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(self.tr("&Add claim"), self)
        self.save_button.setObjectName("save_claim")
        self.save_button.setAutoDefault(True)
        self.clear_button = QPushButton(self.tr("Clear form"), self)
        self.clear_button.setObjectName("clear_claim")
        self.remove_button = QPushButton(self.tr("Re&move"), self)
        self.remove_button.setObjectName("remove_claim")
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        col.addLayout(buttons)
        self.assessor = Debounce(300, self.assess, self)
        self.draft_saver = Debounce(300, self._save_draft, self)
        # a value still missing is said once the officer has been to its field (an empty
        # form is not a list of mistakes); every other problem at once
        self.touched: set[str] = set()
        for attr, w in self.panel.inputs.items():
            if isinstance(w, QLineEdit):
                w.textEdited.connect(lambda _t, a=attr: self.touched.add(a))
        self.panel.typed.connect(self._typed)
        self.panel.edited.connect(self._edited)
        self.worker_button.clicked.connect(self.pick_worker)
        self.save_button.clicked.connect(self.save)
        self.clear_button.clicked.connect(self.clear_new)
        self.picker: Any = None
        self.start_new()

    # -- which claim ---------------------------------------------------------------------

    def start_new(self) -> None:
        self.flush()
        self.view = None
        self.heading.setText(self.tr("New claim"))
        self.save_button.setText(self.tr("&Add claim"))
        self.clear_button.setVisible(True)
        self.remove_button.setVisible(False)
        draft = self.ctx.drafts.load(NEW_DRAFT) or {}
        wid = draft.pop("worker_id", None)
        self._set_worker(int(wid) if wid else None)
        self.panel.set_values(draft or {"payment": "TK"})
        self.touched = {attr for attr, value in draft.items() if value not in ("", None)}
        self._editable(True)
        self._say("hint", self.tr("Choose the worker and the benefit, then the dates: the "
                                  "days and the amount follow as you type."))
        self._kind_changed()
        self.assess()

    def clear_new(self) -> None:
        self.ctx.drafts.clear(NEW_DRAFT)
        self.start_new()

    def open_claim(self, view: claims_svc.ClaimView) -> None:
        """Show a stored claim (again only when it changed: the list was read again)."""
        if self.view is not None and view.claim == self.view.claim \
                and view.state == self.view.state:
            self.view = view
            return
        self.flush()
        self.view = view
        c = view.claim
        self.heading.setText(self.tr("Claim #{id}").format(id=c.id))
        self.save_button.setText(self.tr("&Save changes"))
        self.clear_button.setVisible(False)
        self.remove_button.setVisible(True)
        self._set_worker(c.worker_id, view.worker.full_name)
        self.panel.set_values(panel_values(c))
        self.touched = set(self.panel.inputs) | {"worker"}
        can_change = changeable(view)
        self._editable(can_change)
        if can_change:
            self._say("hint", self.tr("Change what is needed and press Save changes. A claim "
                                      "already in a draft list is taken out of it, to be "
                                      "put in a list again."))
        else:
            self._say("hint", self.tr("This claim is in a list that is {state}: it can no "
                                      "longer be changed.").format(
                state=state_name(view.dossier_state or view.state, lang()).lower()))
        self._kind_changed()
        if can_change:
            self.assess()
        else:
            self._show_stored(view)

    def _editable(self, yes: bool) -> None:
        self.panel.setEnabled(yes)
        self.worker_button.setEnabled(yes and self.view is None)
        self.save_button.setEnabled(yes)
        self.remove_button.setEnabled(yes)

    def _set_worker(self, worker_id: int | None, name: str | None = None) -> None:
        self.worker_id = worker_id
        if worker_id is None:
            self.worker_label.setText(self.tr("No worker chosen yet."))
            return
        if name is None:
            from .adapters import get_worker

            w = get_worker(self.ctx.app, worker_id)
            name = w.full_name if w else f"#{worker_id}"
            if w and w.bhxh_number:
                name += f" · {w.bhxh_number}"
        self.worker_label.setText(name)

    def pick_worker(self) -> None:
        from .declarations import WorkerPicker

        self.picker = picker = WorkerPicker(self.ctx, self)
        picker.setWindowTitle(self.tr("Choose the worker"))
        picker.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

        def answered(code: int) -> None:
            self.picker = None
            chosen = picker.chosen() if code == QDialog.DialogCode.Accepted else []
            picker.deleteLater()
            if chosen:
                self.choose_worker(chosen[0])

        picker.finished.connect(answered)
        picker.open()

    def choose_worker(self, worker_id: int) -> None:
        self._set_worker(worker_id)
        self.touched.add("worker")
        self._typed()

    # -- typing ----------------------------------------------------------------------------

    def _typed(self) -> None:
        if self.view is None:
            self.draft_saver.poke()
        self.assessor.poke()

    def _edited(self, attr: str) -> None:
        self.touched.add(attr)
        if attr == "kind":
            self._kind_changed()

    def _kind_changed(self) -> None:
        """Show the values the chosen kind of claim uses, and only those."""
        kind = self.panel.values().get("kind", "")
        wanted = set(claims_svc.kind_values(self.ctx.app, kind))
        for row, attr in enumerate(self.panel.inputs):
            self.panel.form.setRowVisible(row, attr in wanted)

    def _values(self) -> dict[str, Any]:
        """What the form holds, for the values the kind uses (the others are emptied)."""
        return claims_svc.values_for_kind(self.ctx.app, self.panel.values())[0]

    def _save_draft(self) -> None:
        if self.view is None:
            self.ctx.drafts.save(NEW_DRAFT, {**self.panel.values(),
                                             "worker_id": self.worker_id or ""})

    def flush(self) -> None:
        self.draft_saver.flush()

    # -- the service's answer --------------------------------------------------------------

    def assess(self) -> None:
        """Ask the service what the claim as typed gives (in the background; one question
        at a time, the last answer wins)."""
        self.previewer.ask()

    def _preview_work(self) -> Any:
        if self.view is not None and not changeable(self.view):
            return None  # a claim in a signed list: what was declared is shown
        app, worker_id, values = self.ctx.app, self.worker_id, self._values()
        claim_id = self.view.claim.id if self.view is not None else None
        return lambda _p: claims_svc.preview_claim(app, worker_id, values, claim_id)

    def _assessed(self, preview: claims_svc.Preview) -> None:
        self.last_preview = preview
        self._show(preview.days, preview.amount, preview.rule(lang()), preview.problems)

    def _assess_failed(self, exc: BaseException) -> None:
        self._say("error", error_message(exc))

    def _show_stored(self, view: claims_svc.ClaimView) -> None:
        self._show(view.expected_days, view.expected_amount, view.rule(lang()), view.problems)

    def _show(self, days: int | None, amount: int | None, rule: str, problems: list) -> None:
        if amount is None:
            self.result.setText(self.tr("Days and amount: not computed yet."))
        else:
            text = self.tr("<b>{days} days, {amount} VND</b>").format(days=days,
                                                                     amount=money(amount))
            self.result.setText(f"{text}<br>{rule}" if rule else text)
        self.result.setToolTip(rule)
        if self.touched:  # the worker is asked for once the officer has begun
            self.touched.add("worker")
        problems = [p for p in problems if p.code != "required" or p.field in self.touched]
        rest = self.panel.show_problems(problems, None)
        worker = [p for p in rest if p.field == "worker"]
        self.worker_error.setText(" ".join(p.text(lang()) for p in worker))
        self.worker_error.setVisible(bool(worker))
        if problems:  # each named by its field: the field may be out of view
            lines = [problem_text(p, self.labels) for p in problems[:SHOWN_PROBLEMS]]
            if len(problems) > SHOWN_PROBLEMS:
                lines.append(self.tr("… and {count} more.").format(
                    count=len(problems) - SHOWN_PROBLEMS))
            self._say("error", "\n".join(lines))
        elif amount is not None:
            self._say("ok", self.tr("No problems."))

    # -- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        self.flush()
        self.touched = set(self.panel.inputs) | {"worker"}
        values = self._values()
        try:
            if self.view is None:
                if self.worker_id is None:
                    self.assess()
                    self._say("error", self.tr("Choose the worker first."))
                    return
                view = claims_svc.add_claim(self.ctx.app, self.worker_id, values)
            else:
                assert self.view.claim.id is not None
                view = claims_svc.update_claim(self.ctx.app, self.view.claim.id, values)
        except UserError as exc:
            rest = self.panel.show_problems(exc.problems, None) if exc.problems else []
            if not exc.problems or rest:
                self._say("error", error_message(exc))
            else:
                self._say("error", self.tr("Not saved: fix the fields marked in red. What "
                                           "you typed is kept."))
            return
        assert view.claim.id is not None
        if self.view is None:
            self.ctx.drafts.clear(NEW_DRAFT)
            done = self.tr("Claim #{id} was added.")
        else:
            done = self.tr("Claim #{id} was saved.")
        self.view = None  # the screen opens it again from the list
        self.saved.emit(view.claim.id)
        self._say("ok", done.format(id=view.claim.id))

    def _say(self, role: str, text: str) -> None:
        say(self.status, role, text)


# -- the approved amount ---------------------------------------------------------------------------

class ApprovedDialog(QDialog):
    """What Social Security approved for one claim, and its difference from the amount
    asked, shown as it is typed."""

    def __init__(self, ctx: Any, view: claims_svc.ClaimView, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view = view
        self.setObjectName("approved_dialog")
        self.setWindowTitle(self.tr("Amount approved"))
        c = view.claim
        col = QVBoxLayout(self)
        kinds = ctx.app.catalog.codelists["benefit_kinds"]
        kind = kinds.label(c.kind, lang()) if c.kind in kinds else c.kind
        self.about = hint(self.tr("Claim #{id}: {worker}, {kind}, {start} – {end}. Asked: "
                                  "{days} days, {amount} VND.").format(
            id=c.id, worker=view.worker.full_name, kind=kind,
            start=c.from_date.strftime("%d/%m/%Y"), end=c.to_date.strftime("%d/%m/%Y"),
            days=view.expected_days if view.expected_days is not None else "—",
            amount=money(view.expected_amount) or "—"), self)
        self.about.setObjectName("approved_about")
        col.addWidget(self.about)
        form = QFormLayout()
        self.amount = QLineEdit(money(c.approved_amount), self)
        self.amount.setObjectName("approved_amount")
        self.amount.setAccessibleName(self.tr("Amount approved (VND)"))
        self.days = QLineEdit("" if c.approved_days is None else str(c.approved_days), self)
        self.days.setObjectName("approved_days")
        self.days.setPlaceholderText(str(view.expected_days or ""))
        self.days.setAccessibleName(self.tr("Days approved"))
        self.note = QLineEdit(c.approved_note, self)
        self.note.setObjectName("approved_note")
        self.note.setAccessibleName(self.tr("Note"))
        form.addRow(self.tr("&Amount approved (VND):"), self.amount)
        form.addRow(self.tr("&Days approved:"), self.days)
        form.addRow(self.tr("&Note:"), self.note)
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label is not None and field is not None:
                label.widget().setBuddy(field.widget())
        col.addLayout(form)
        self.difference = QLabel(self)
        self.difference.setObjectName("approved_difference")
        self.difference.setWordWrap(True)
        col.addWidget(self.difference)
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton(self.tr("&Record"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("approved_ok")
        self.ok.setDefault(True)
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.record)
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)
        self.amount.textChanged.connect(self._update)
        self.days.textChanged.connect(self._update)
        self.recorded: claims_svc.ClaimView | None = None
        self.setMinimumWidth(520)
        self._update()

    def _read(self) -> tuple[int | None, int | None] | None:
        """(amount, days) as typed, or None when one cannot be read."""
        try:
            amount = parse_money(self.amount.text()) if self.amount.text().strip() else None
        except ValueError:
            return None
        days_text = self.days.text().strip()
        if days_text and not days_text.isdigit():
            return None
        return amount, int(days_text) if days_text else None

    def _update(self) -> None:
        read = self._read()
        self.ok.setEnabled(bool(read) and read[0] is not None)  # type: ignore[index]
        if read is None:
            self._say("error", self.tr("Type the amount in đồng (for example 1.250.000) and "
                                       "the days as a number."))
            return
        amount = read[0]
        if amount is None:
            self._say("hint", self.tr("Type the amount Social Security approved."))
            return
        from dataclasses import replace

        difference = replace(self.view.claim, approved_amount=amount).difference
        if difference is None:
            self._say("hint", self.tr("No amount was asked for this claim."))
        elif difference == 0:
            self._say("ok", self.tr("Difference: none, the amount asked was approved."))
        else:
            self._say("error" if difference < 0 else "ok",
                      self.tr("Difference from the amount asked: {difference} VND.").format(
                          difference=money(difference)))

    def record(self) -> None:
        read = self._read()
        if not read or read[0] is None:
            return
        amount, days = read
        try:
            self.recorded = claims_svc.record_approved(self.ctx.app, self.view.claim.id or 0,
                                                       amount, days, self.note.text())
        except UserError as exc:
            self._say("error", error_message(exc))
            return
        self.accept()

    def _say(self, role: str, text: str) -> None:
        say(self.difference, role, text)


# -- declaring -------------------------------------------------------------------------------

class DeclareDialog(QDialog):
    """Make the month's lists from the claims in no list yet (one dossier per procedure,
    630a, 630b, 630c), then open, send, print or track each."""

    def __init__(self, ctx: Any, waiting: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("declare_dialog")
        self.setWindowTitle(self.tr("Make the claim lists"))
        self.made: list[Any] = []
        self.job: tasks.Task | None = None
        col = QVBoxLayout(self)
        self.pages = QStackedWidget(self)
        col.addWidget(self.pages, 1)
        ask = QWidget(self)
        acol = QVBoxLayout(ask)
        acol.setContentsMargins(0, 0, 0, 0)
        self.intro = hint(self.tr(
            "The {count} claims in no list yet go into the lists of the month: one dossier "
            "for sickness (630a), one for maternity (630b), one for convalescence (630c). "
            "A claim with a problem stops it: then nothing is made.").format(count=waiting),
            ask)
        self.intro.setObjectName("declare_intro")
        acol.addWidget(self.intro)
        row = QFormLayout()
        self.period = QLineEdit(str(Period.of(date.today())), ask)
        self.period.setObjectName("declare_period")
        self.period.setPlaceholderText("mm/yyyy")
        self.period.setAccessibleName(self.tr("Month of the lists"))
        label = QLabel(self.tr("&Month (mm/yyyy):"), ask)
        label.setBuddy(self.period)
        row.addRow(label, self.period)
        acol.addLayout(row)
        self.error = QListWidget(ask)
        self.error.setObjectName("declare_problems")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        acol.addWidget(self.error, 1)
        self.status = QLabel(ask)
        self.status.setObjectName("declare_status")
        self.status.setWordWrap(True)
        acol.addWidget(self.status)
        acol.addStretch(0)
        self.pages.addWidget(ask)
        done = QWidget(self)
        dcol = QVBoxLayout(done)
        dcol.setContentsMargins(0, 0, 0, 0)
        dcol.addWidget(hint(self.tr("The lists were made as drafts. Choose one to open it, "
                                    "sign and send it, print it on paper or follow it."),
                            done))
        self.dossiers = QListWidget(done)
        self.dossiers.setObjectName("declared_dossiers")
        self.dossiers.setAccessibleName(self.tr("Dossiers made"))
        dcol.addWidget(self.dossiers, 1)
        actions = QHBoxLayout()
        self.open_button = QPushButton(self.tr("&Open"), done)
        self.open_button.setObjectName("declared_open")
        self.send_button = QPushButton(self.tr("&Sign and send…"), done)
        self.send_button.setObjectName("declared_send")
        self.paper_button = QPushButton(self.tr("&Print on paper…"), done)
        self.paper_button.setObjectName("declared_paper")
        self.track_button = QPushButton(self.tr("&Tracking"), done)
        self.track_button.setObjectName("declared_track")
        for b in (self.open_button, self.send_button, self.paper_button, self.track_button):
            actions.addWidget(b)
        actions.addStretch(1)
        dcol.addLayout(actions)
        self.pages.addWidget(done)
        self.buttons = QDialogButtonBox(self)
        self.make_button = self.buttons.addButton(self.tr("&Make the lists"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.make_button.setObjectName("declare_make")
        self.make_button.setDefault(True)
        self.close_button = self.buttons.addButton(self.tr("Close"),
                                                   QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.declare)
        self.buttons.rejected.connect(self.reject)
        col.addWidget(self.buttons)
        self.open_button.clicked.connect(lambda: self._then(self.ctx.open_declaration))
        self.send_button.clicked.connect(lambda: self._then(self.ctx.send))
        self.track_button.clicked.connect(lambda: self._then(self.ctx.track))
        self.paper_button.clicked.connect(self.paper)
        self.paper_dialog: Any = None
        fit_screen(self, 640, 420)

    def declare(self) -> tasks.Task | None:
        if self.job is not None:
            return None
        app, period = self.ctx.app, self.period.text().strip()
        self.make_button.setEnabled(False)
        self.error.setVisible(False)
        self._say("hint", self.tr("Making the lists…"))
        self.job = tasks.run(lambda _p: claims_svc.declare_claims(app, period),
                             self._declared, self._failed)
        return self.job

    def _declared(self, made: list[Any]) -> None:
        self.job = None
        self.made = made
        catalog = self.ctx.app.catalog
        for decl in made:
            name = catalog.procedure_name(decl.procedure, lang()) or decl.procedure
            item = QListWidgetItem(self.tr("Dossier {id} · {procedure} – {name} · period "
                                           "{period} · {count} claims").format(
                id=decl.id, procedure=decl.procedure, name=name, period=decl.period,
                count=len(decl.claims)))
            item.setData(Qt.ItemDataRole.UserRole, decl.id)
            self.dossiers.addItem(item)
        if made:
            self.dossiers.setCurrentRow(0)
        self.make_button.setVisible(False)
        self.pages.setCurrentIndex(1)
        self.ctx.dossiers_changed()

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.make_button.setEnabled(True)
        problems = getattr(exc, "problems", None) or []
        if isinstance(exc, UserError):
            self._say("error", exc.message(lang()))
        else:
            self._say("error", error_message(exc))
        self.error.clear()
        for p in problems:
            self.error.addItem(p.message(lang()))
        self.error.setVisible(bool(problems))

    def chosen(self) -> int | None:
        item = self.dossiers.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _then(self, go: Any) -> None:
        decl_id = self.chosen()
        if decl_id is not None:
            self.accept()
            go(decl_id)

    def paper(self) -> Any:
        from .paper import PaperDialog

        decl_id = self.chosen()
        if decl_id is None:
            return None
        self.paper_dialog = PaperDialog(self.ctx, decl_id, parent=self)
        self.paper_dialog.open()
        return self.paper_dialog

    def _say(self, role: str, text: str) -> None:
        say(self.status, role, text)


# -- the screen --------------------------------------------------------------------------------

class ClaimsScreen(ImportFlow, QWidget):
    """The claims and the editor of one, side by side."""

    import_use = "claims"
    import_run = staticmethod(adapters.import_claims)

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("screen_claims")
        outer = QVBoxLayout(self)
        self.count = counted_title(self.tr("Sickness and maternity benefits"), outer, self,
                                   "claim_count")
        filters = QHBoxLayout()
        self.period_filter = QComboBox(self)
        self.period_filter.setObjectName("claim_period_filter")
        self.period_filter.setAccessibleName(self.tr("Period"))
        compact(self.period_filter, 10)
        self.state_filter = QComboBox(self)
        self.state_filter.setObjectName("claim_state_filter")
        self.state_filter.setAccessibleName(self.tr("State"))
        self.state_filter.addItem(self.tr("All states"), "")
        for state in claims_svc.STATES:
            self.state_filter.addItem(state_name(state, lang()), state)
        compact(self.state_filter, 16)
        period_label = QLabel(self.tr("Pe&riod:"), self)
        period_label.setBuddy(self.period_filter)
        state_label = QLabel(self.tr("S&tate:"), self)
        state_label.setBuddy(self.state_filter)
        filters.addWidget(period_label)
        filters.addWidget(self.period_filter)
        filters.addWidget(state_label)
        filters.addWidget(self.state_filter)
        filters.addStretch(1)
        outer.addLayout(filters)
        bar = QHBoxLayout()
        self.new_button = QPushButton(self.tr("&New claim"), self)
        self.new_button.setObjectName("new_claim")
        self.new_button.setToolTip("Ctrl+N")
        self.import_button = QPushButton(self.tr("&Import…"), self)
        self.import_button.setObjectName("import_claims")
        self.import_button.setToolTip(self.tr("Import claims from a spreadsheet"))
        self.declare_button = QPushButton(self.tr("Make the &lists…"), self)
        self.declare_button.setObjectName("declare_claims")
        self.approved_button = QPushButton(self.tr("Amount a&pproved…"), self)
        self.approved_button.setObjectName("record_approved")
        self.refile_button = QPushButton(self.tr("En&ter again"), self)
        self.refile_button.setObjectName("refile_claim")
        self.refile_button.setToolTip(self.tr(
            "A rejected claim as a new one, to mend and put in a later list"))
        for b in (self.new_button, self.import_button, self.declare_button,
                  self.approved_button, self.refile_button):
            bar.addWidget(b)
        bar.addStretch(1)
        outer.addLayout(bar)
        self.model = ClaimTableModel(ctx.app.catalog, self)
        self.table = row_table(self.model, self, "claim_table")
        self.table.setAccessibleName(self.tr("Claims"))
        self.editor = ClaimEditor(ctx, self)
        self.editor.setObjectName("claim_editor")
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(self.editor)
        # the list gets the room the editor does not need: its amounts and problems are
        # to the right of the names
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([720, 420])
        split.setChildrenCollapsible(False)
        outer.addWidget(split, 1)
        self.import_status = hint("", self)
        self.import_status.setObjectName("claim_import_status")
        self.import_status.setVisible(False)
        outer.addWidget(self.import_status)
        # the rows an import refused, each with its sentences, until the next import
        self.import_rows = QListWidget(self)
        self.import_rows.setObjectName("claim_import_rows")
        self.import_rows.setAccessibleName(self.tr("Rows not imported"))
        self.import_rows.setWordWrap(True)
        self.import_rows.setMaximumHeight(self.fontMetrics().height() * 6)
        self.import_rows.setVisible(False)
        outer.addWidget(self.import_rows)

        self.period_filter.currentIndexChanged.connect(self._apply_filter)
        self.state_filter.currentIndexChanged.connect(self._apply_filter)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.new_button.clicked.connect(self.new_claim)
        self.import_button.clicked.connect(self.import_file)
        self.declare_button.clicked.connect(self.declare)
        self.approved_button.clicked.connect(self.record_approved)
        self.refile_button.clicked.connect(self.refile)
        self.editor.remove_button.clicked.connect(self.remove)
        self.editor.saved.connect(lambda claim_id: self.reload(select=claim_id))
        shortcut = QShortcut(QKeySequence.StandardKey.New, self, self.new_claim)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.loader = tasks.Latest(self._load_work, self._loaded, self._load_failed)
        self._pending_select: int | None = None
        self._pending_dossier: int | None = None
        self._importing: tasks.Task | None = None
        self.mapping_dialog: Any = None
        self.import_title = self.tr("Import claims")
        self.declare_dialog: DeclareDialog | None = None
        self.approved_dialog: ApprovedDialog | None = None
        self._update_buttons()
        self.reload()

    # -- loading ---------------------------------------------------------------------------

    def reload(self, select: int | None = None) -> None:
        """Read the claims again in the background; the table stays usable meanwhile."""
        self._pending_select = select if select is not None else self._pending_select
        self.loader.ask()

    def _load_work(self) -> Any:
        app = self.ctx.app
        self.count.setText(self.tr("Loading claims…"))
        return lambda _p: claims_svc.list_claims(app)

    def _loaded(self, views: list[claims_svc.ClaimView]) -> None:
        current = self.current_id()
        self.model.set_views(views)
        self._fill_periods()
        self._update_count()
        wanted = self._pending_select or current
        self._pending_select = None
        if self._pending_dossier is not None:
            wanted = self._first_of(self._pending_dossier) or wanted
            self._pending_dossier = None
        if wanted is not None:
            self.select_claim(wanted)
        self._update_buttons()

    def _load_failed(self, exc: BaseException) -> None:
        self.count.setText(error_message(exc))

    def _fill_periods(self) -> None:
        refill(self.period_filter, self.tr("All periods"),
               ((str(p), str(p)) for p in self.model.all_periods()))
        self._apply_filter()

    def _apply_filter(self) -> None:
        current = self.current_id()
        period = self.period_filter.currentData()
        self.model.set_filter(self.state_filter.currentData() or "",
                              Period.parse(period) if period else None)
        self._update_count()
        if current is not None:
            self.select_claim(current)
        self._update_buttons()

    def _update_count(self) -> None:
        total, shown = len(self.model.views), self.model.rowCount()
        if shown == total:
            self.count.setText(self.tr("{count} claims").format(count=vnd(total)))
        else:
            self.count.setText(self.tr("{shown} of {count} claims").format(
                shown=vnd(shown), count=vnd(total)))

    # -- selection -------------------------------------------------------------------------

    def current(self) -> claims_svc.ClaimView | None:
        index = self.table.currentIndex()
        return self.model.view(index.row()) if index.isValid() else None

    def current_id(self) -> int | None:
        v = self.current()
        return v.claim.id if v is not None else None

    def select_claim(self, claim_id: int) -> bool:
        row = self.model.row_of(claim_id)
        if row is None:
            return False
        show_row(self.table, row)
        return True

    def _row_changed(self, current: Any, _previous: Any) -> None:
        if current.isValid():
            self.editor.open_claim(self.model.view(current.row()))
        self._update_buttons()

    def _update_buttons(self) -> None:
        v = self.current()
        self.approved_button.setEnabled(v is not None and answerable(v))
        self.refile_button.setEnabled(v is not None and refilable(v))

    def new_claim(self) -> None:
        self.table.clearSelection()
        self.table.setCurrentIndex(self.model.index(-1, -1))
        self.editor.start_new()
        self.editor.panel.focus("kind")
        self._update_buttons()

    def remove(self) -> None:
        from .widgets import ask

        v = self.current()
        if v is None or v.claim.id is None:
            return
        if not ask(self, self.tr("Remove claim"),
                   self.tr("Remove claim #{id} of {worker}?").format(
                       id=v.claim.id, worker=v.worker.full_name),
                   self.tr("Remove"), self.tr("Cancel")):
            return
        try:
            claims_svc.remove_claim(self.ctx.app, v.claim.id)
        except UserError as exc:
            show_error(self, self.tr("Remove claim"), exc)
            return
        self.editor.start_new()
        self.reload()
        self.ctx.dossiers_changed()

    def refile(self) -> None:
        """The rejected claim entered again; the new one is selected, ready to mend."""
        v = self.current()
        if v is None or v.claim.id is None:
            return
        try:
            again = claims_svc.refile_claim(self.ctx.app, v.claim.id)
        except UserError as exc:
            show_error(self, self.tr("Enter again"), exc)
            return
        self.reload(select=again.claim.id)

    # -- the approved amount ---------------------------------------------------------------

    def record_approved(self) -> ApprovedDialog | None:
        v = self.current()
        if v is None:
            return None
        self.approved_dialog = dialog = ApprovedDialog(self.ctx, v, self)

        def answered(code: int) -> None:
            self.approved_dialog = None
            dialog.deleteLater()
            if code == QDialog.DialogCode.Accepted and dialog.recorded is not None:
                self.reload(select=dialog.recorded.claim.id)

        dialog.finished.connect(answered)
        dialog.open()
        return dialog

    # -- declaring -------------------------------------------------------------------------

    def declare(self) -> DeclareDialog:
        waiting = sum(1 for v in self.model.views if v.claim.declaration_id is None)
        self.declare_dialog = dialog = DeclareDialog(self.ctx, waiting, self)

        def answered(_code: int) -> None:
            self.declare_dialog = None
            dialog.deleteLater()
            if dialog.made:
                self.reload()

        dialog.finished.connect(answered)
        dialog.open()
        return dialog

    # -- import (ImportFlow: the file, its columns, the import in the background) ------------

    def _import_begins(self) -> None:
        self.import_rows.clear()
        self.import_rows.setVisible(False)

    def _imported(self, outcome: dict[str, Any]) -> None:
        self._import_ended(outcome["summary"])
        for row, status, text in outcome["rows"]:
            item = QListWidgetItem(self.tr("Row {row}: {messages}").format(row=row,
                                                                          messages=text))
            if status == "error":
                item.setForeground(QBrush(RED))
            self.import_rows.addItem(item)
        self.import_rows.setVisible(bool(outcome["rows"]))
        self.reload()

    # -- notifications ---------------------------------------------------------------------

    def show_dossier(self, decl_id: int) -> None:
        """The claims of one list, its first chosen (from the declarations screen), once
        the list is read again."""
        self.period_filter.setCurrentIndex(0)
        self.state_filter.setCurrentIndex(0)
        self._pending_dossier = decl_id
        if not self.loader.busy:
            self.reload()

    def _first_of(self, decl_id: int) -> int | None:
        return next((v.claim.id for v in self.model.views
                     if v.claim.declaration_id == decl_id), None)

    def dossiers_changed(self) -> None:
        self.reload()

    def shown(self) -> None:
        self.reload()

    def flush(self) -> None:
        self.editor.flush()
