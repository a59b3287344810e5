"""The Tracking screen: every dossier's state, receipt, result and history; resend and
reprint. The gateway is asked in the background (``services.submission.sync``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..domain.messages import state_name
from ..domain.text import counted
from ..services import declarations as decls
from ..services.signing import SIGNABLE
from . import adapters, tasks
from .declarations import state_text
from .i18n import lang, translate
from .widgets import ListModel, error_message, fit_columns, title

ROOT = QModelIndex()
SYNC_EVERY_MS = 30_000


def load_rows(app: Any) -> list[dict[str, Any]]:
    """Every dossier with its gateway tracking (from the local database only)."""
    items = decls.status(app)
    assert isinstance(items, list)
    sub = adapters.submission()
    for item in items:
        item["tracking"] = sub.tracking(app, item["id"]) if sub else None
    return items


def when(text: str | None, utc: bool = False) -> str:
    """An ISO time as the officer reads it: dd/mm/yyyy hh:mm, in local time (history rows
    are stored in UTC without a zone)."""
    import datetime as dt

    if not text:
        return "—"
    try:
        moment = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return str(text)
    if moment.tzinfo is None and utc:
        moment = moment.replace(tzinfo=dt.UTC)
    if moment.tzinfo is not None:  # the receipt's Vietnam time and the history alike
        moment = moment.astimezone()
    return moment.strftime("%d/%m/%Y %H:%M")


class TrackingModel(ListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__([translate("TrackingModel", "No."),
                          translate("TrackingModel", "Procedure"),
                          translate("TrackingModel", "Period"),
                          translate("TrackingModel", "Lines"),
                          translate("TrackingModel", "State"),
                          translate("TrackingModel", "Dossier number"),
                          translate("TrackingModel", "Gateway")], parent)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        r = self.rows[index.row()]
        t = r.get("tracking") or {}
        col = index.column()
        if col == 0:
            return str(r["id"])
        if col == 1:
            return r["procedure"]
        if col == 2:
            return r["period"]
        if col == 3:
            return str(r.get("lines", 0))
        if col == 4:
            return state_text(r["state"])
        if col == 5:
            return t.get("dossier_number") or ""
        if col == 6:
            if not t:
                return ""
            if t.get("last_error_message"):
                return t["last_error_message"]
            return outbox_text(t.get("outbox", ""))
        return None


def outbox_text(status: str) -> str:
    return state_name(status, lang())


class TrackingScreen(QWidget):
    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("screen_tracking")
        outer = QVBoxLayout(self)
        outer.addWidget(title(self.tr("Tracking"), self))
        bar = QHBoxLayout()
        self.sync_button = QPushButton(self.tr("&Ask the gateway now"), self)
        self.sync_button.setObjectName("sync_now")
        self.resend_button = QPushButton(self.tr("&Resend…"), self)
        self.resend_button.setObjectName("resend")
        self.paper_button = QPushButton(self.tr("Re&print on paper…"), self)
        self.paper_button.setObjectName("reprint")
        self.open_button = QPushButton(self.tr("&Open the declaration"), self)
        for b in (self.sync_button, self.resend_button, self.paper_button, self.open_button):
            bar.addWidget(b)
        bar.addStretch(1)
        self.sync_status = QLabel(self)
        self.sync_status.setObjectName("sync_status")
        bar.addWidget(self.sync_status)
        outer.addLayout(bar)
        self.model = TrackingModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("tracking_table")
        self.table.setAccessibleName(self.tr("Dossiers and their state"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        fit_columns(self.table, (50, 80, 80, 60, 150, 170))
        self.details = QTextBrowser(self)
        self.details.setObjectName("tracking_details")
        self.details.setAccessibleName(self.tr("Receipt, result and history"))
        split = QSplitter(Qt.Orientation.Vertical, self)
        # a shared office: the validated dossiers waiting for the signer, first
        from .office import ToSignBox

        self.to_sign = ToSignBox(ctx, split)
        split.addWidget(self.to_sign)
        split.addWidget(self.table)
        split.addWidget(self.details)
        for index in range(3):
            split.setStretchFactor(index, 1)
        outer.addWidget(split, 1)
        self.sync_button.clicked.connect(lambda: self.sync(due_only=False))
        self.resend_button.clicked.connect(self.resend)
        self.paper_button.clicked.connect(self.reprint)
        self.open_button.clicked.connect(self._open)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_details())
        self._job: tasks.Task | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(SYNC_EVERY_MS)
        self.timer.timeout.connect(lambda: self.sync(due_only=True, quiet=True))
        self.timer.start()
        self.refresh()

    def current(self) -> dict[str, Any] | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def refresh(self, select: int | None = None) -> None:
        current = select if select is not None else (self.current() or {}).get("id")
        self.to_sign.refresh()
        self.model.set_rows(load_rows(self.ctx.app))
        row = next((i for i, r in enumerate(self.model.rows) if r["id"] == current), 0)
        if self.model.rowCount():
            self.table.selectRow(row)
        self.show_details()

    def show_details(self) -> None:
        r = self.current()
        for b in (self.resend_button, self.paper_button, self.open_button):
            b.setEnabled(r is not None)
        if r is None:
            self.details.setHtml(self.tr("<p>No dossier yet.</p>"))
            return
        item = decls.status(self.ctx.app, r["id"])
        assert isinstance(item, dict)
        t = r.get("tracking") or {}
        heading = self.tr("Dossier {id}").format(id=r["id"])
        parts = [f"<h3>{heading} · {r['procedure']} · {r['period']} · "
                 f"{state_text(r['state'])}</h3>"]
        receipt = t.get("receipt")
        if receipt:
            line = self.tr("<b>Receipt</b>: dossier number <b>{number}</b>, received "
                           "{when}, agency {agency}; forms {forms}").format(
                number=receipt["number"], when=when(receipt["received_at"]),
                agency=receipt["agency"], forms=counted(receipt["forms"]))
            parts.append(f"<p>{line}</p>")
        result = t.get("result")
        if result:
            line = self.tr("<b>Result</b>: {state} ({when})").format(
                state=state_text(r["state"]), when=when(result["processed_at"]))
            parts.append(f"<p>{line}</p>")
            reasons = t.get("reasons") or []
            if reasons:
                parts.append("<ul>" + "".join(f"<li>{x['message']}</li>" for x in reasons)
                             + "</ul>")
        if t.get("last_error_message"):
            parts.append(f"<p style='color:#b00020'>{t['last_error_message']}</p>")
        rows = "".join(
            f"<tr><td>{when(h['at'], utc=True)}</td><td>{state_text(h['to'])}</td>"
            f"<td>{h['user']}</td><td>{h['detail']}</td></tr>" for h in item["history"])
        heads = (self.tr("When"), self.tr("State"), self.tr("By"), self.tr("Detail"))
        history = self.tr("History")
        parts.append(f"<p><b>{history}</b></p><table cellspacing=4><tr>"
                     + "".join(f"<th align=left>{h}</th>" for h in heads)
                     + f"</tr>{rows}</table>")
        self.details.setHtml("".join(parts))
        self.resend_button.setEnabled(r["state"] in SIGNABLE)  # what can be signed and sent

    # -- actions ---------------------------------------------------------------------------

    def sync(self, due_only: bool = False, quiet: bool = False) -> tasks.Task | None:
        sub = adapters.submission()
        if sub is None or self._job is not None or sub.settings(self.ctx.app) is None:
            if not quiet and sub is not None and sub.settings(self.ctx.app) is None:
                self.sync_status.setText(self.tr("No gateway set up (Settings)."))
            return None
        if due_only and not sub.pending(self.ctx.app, due_only=True):
            return None
        app = self.ctx.app
        if not quiet:
            self.sync_status.setText(self.tr("Asking the gateway…"))
            self.sync_button.setEnabled(False)
        self._job = tasks.run(lambda _p: sub.sync(app, due_only=due_only), self._synced,
                              self._sync_failed)
        return self._job

    def _synced(self, result: dict[str, Any]) -> None:
        self._job = None
        self.sync_button.setEnabled(True)
        self.sync_status.setText(self.tr("Accepted {a}, rejected {r}, waiting {w}, "
                                         "failed {f}.").format(
            a=result.get("accepted", 0), r=result.get("rejected", 0),
            w=result.get("waiting", 0), f=result.get("failed", 0)))
        self.ctx.dossiers_changed()  # this screen, when it is in view

    def _sync_failed(self, exc: BaseException) -> None:
        self._job = None
        self.sync_button.setEnabled(True)
        self.sync_status.setText(error_message(exc))

    def resend(self) -> None:
        r = self.current()
        if r is not None:
            self.ctx.send(r["id"])

    def reprint(self) -> Any:
        from .paper import PaperDialog

        r = self.current()
        if r is None:
            return None
        dialog = PaperDialog(self.ctx, r["id"], parent=self)
        dialog.open()
        return dialog

    def _open(self) -> None:
        r = self.current()
        if r is not None:
            self.ctx.open_declaration(r["id"])

    def dossiers_changed(self) -> None:
        self.refresh()

    def shown(self) -> None:
        self.refresh()

