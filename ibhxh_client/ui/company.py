"""The Company screen: the unit's profile (TK3-TS), saved as it is typed."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..domain.messages import say
from ..services.app import UserError
from ..services.checks import EMPLOYER_REQUIRED, fields_of
from ..services.employer import OWN_FIELDS
from . import adapters
from .i18n import lang
from .widgets import (
    Debounce,
    FieldDef,
    FieldPanel,
    FormScroll,
    def_from_spec,
    hint,
    restyle,
    title,
)

ORDER = ("name", "unit_code", "tax_code", "agency_code", "unit_type", "address", "province",
         "phone", "email", "licence_number", "licence_date", "payment_mode", "bank_account",
         "bank_name", "region", "signer_name", "contact_name", "reduced_accident_rate",
         "registered")
DRAFT = "employer"


def employer_fields(ctx: Any) -> list[FieldDef]:
    """The profile's inputs: the forms' fields first, then the unit's own settings."""
    specs = fields_of(ctx.app.catalog, "employer")
    out = []
    for attr in ORDER:
        if attr in specs:
            out.append(def_from_spec(ctx.app.catalog, specs[attr],
                                     required=attr in EMPLOYER_REQUIRED
                                     or specs[attr].required))
        elif attr in OWN_FIELDS:  # the unit's own settings: named where the CLI names them
            kind = "check" if attr in ("reduced_accident_rate", "registered") else "text"
            out.append(FieldDef(attr, say(f"employer_{attr}", ctx.lang()), kind))
    return out


def employer_values(e: Any) -> dict[str, Any]:
    if e is None:
        return {"registered": True, "region": "I", "payment_mode": "01"}
    from ..services.employer import as_dict

    out = as_dict(e)
    if e.licence_date:
        out["licence_date"] = e.licence_date.strftime("%d/%m/%Y")
    return out


def show_failure(panel: FieldPanel, exc: UserError, only: set[str] | None) -> None:
    """A profile the service refused, shown by its fields (``only``: those the officer
    has been to; None: all)."""
    problems = list(exc.problems)
    if exc.code == "missing_fields":
        problems = _missing(exc)
    elif exc.code == "field_type" and exc.params.get("field") in panel.inputs:
        panel.set_error(str(exc.params["field"]), exc.message(lang()))
        problems = []
    panel.show_problems(problems, only)


def _missing(exc: UserError) -> list:
    from ..domain.validation import Problem

    names = [n.strip() for n in str(exc.params.get("fields", "")).split(",")]
    return [Problem("TK3-TS", None, n, "required") for n in names if n]


class CompanyScreen(QWidget):
    """The unit's profile. Each field is checked when the officer leaves it; the profile
    is stored as soon as it passes every check, and what does not pass yet is kept as a
    sealed draft until it does."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("screen_company")
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(title(self.tr("Company"), self))
        top.addStretch(1)
        self.add_unit_button = QPushButton(self.tr("A&dd a unit…"), self)
        self.add_unit_button.setObjectName("add_unit")
        self.add_unit_button.setToolTip(self.tr(
            "Keep another employer in the same data (an accounting office, a branch)"))
        self.add_unit_button.clicked.connect(self.add_unit)
        top.addWidget(self.add_unit_button)
        outer.addLayout(top)
        outer.addWidget(hint(self.tr(
            "The unit's profile as it appears on every form (TK3-TS). Changes are saved "
            "as you type; fields marked * are required."), self))
        self.panel = FieldPanel(employer_fields(ctx), self)
        self.panel.setMaximumWidth(900)
        outer.addWidget(FormScroll(self.panel, self), 1)
        self.status = QLabel(self)
        self.status.setObjectName("company_status")
        self.status.setWordWrap(True)
        outer.addWidget(self.status)
        self.touched: set[str] = set()
        self.add_dialog: QDialog | None = None
        self.draft_saver = Debounce(300, self._save_draft, self)
        self.panel.typed.connect(self.draft_saver.poke)
        self.panel.edited.connect(self._edited)
        self.load()

    def load(self) -> None:
        stored = adapters.get_employer(self.ctx.app)
        draft = self.ctx.drafts.load(DRAFT)
        self.panel.set_values(draft or employer_values(stored))
        if draft:
            self.touched = set(self.panel.inputs)
            self._try_save(show_all=True)
        elif stored is not None:
            self.status.setText(self.tr("Saved."))
            self.status.setProperty("role", "ok")

    def _save_draft(self) -> None:
        self.ctx.drafts.save(DRAFT, self.panel.values())

    def _edited(self, attr: str) -> None:
        self.touched.add(attr)
        self.draft_saver.flush()
        self._try_save()

    def _try_save(self, show_all: bool = False) -> bool:
        only = None if show_all else self.touched
        try:
            adapters.save_employer(self.ctx.app, self.panel.values())
        except UserError as exc:
            show_failure(self.panel, exc, only)
            self.status.setProperty("role", "error")
            self.status.setText(self.tr(
                "Not saved yet: fix the fields marked in red. What you typed is kept."))
            restyle(self.status)
            return False
        self.panel.clear_problems()
        self.ctx.drafts.clear(DRAFT)
        self.status.setProperty("role", "ok")
        self.status.setText(self.tr("Saved."))
        restyle(self.status)
        self.ctx.employer_changed()
        return True

    def add_unit(self) -> None:
        """The empty profile of a new unit; once added, the window works on it."""
        from .units import AddUnitDialog

        self.flush()
        self.add_dialog = dialog = AddUnitDialog(self.ctx, self)
        ctx = self.ctx

        def ended(code: int) -> None:
            dialog.deleteLater()
            if code == QDialog.DialogCode.Accepted:
                ctx.unit_changed()

        dialog.finished.connect(ended)
        dialog.open()

    def flush(self) -> None:
        self.draft_saver.flush()
