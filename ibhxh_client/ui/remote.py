"""Remote signing in the window: the countdown shown while the director approves on the
phone, and, for training, a "phone" that lists the training service's pending requests
and approves or rejects them (the sandbox's ``/sandbox/v1`` endpoints over HTTPS).

The waiting itself runs in a worker (``services.remote_signing.sign_remote``); these
dialogs only show what the worker reports and pass the officer's Cancel back.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from . import tasks
from .i18n import lang
from .widgets import error_message, list_table

ADMIN_PREFIX = "/sandbox/v1"
ADMIN_HEADER = "X-Sandbox-Admin"
TRAINING = "sandbox"  # the training service's key in providers.toml


def clock(seconds: int) -> str:
    """Seconds as m:ss."""
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def training_account(app: Any, server: Any) -> None:
    """The unit's account at the training service of the sandbox this window runs, set
    (again) when missing or pointing at another run of it."""
    from ..gateway.sandbox.remote_signing import provider_base_url
    from ..services import remote_signing as remote_svc
    from ..services.app import UserError

    try:
        account = remote_svc.show_account(app, TRAINING)
    except UserError:
        account = None
    if account is None or account["base_url"] != provider_base_url(server.url) or \
            not account["serial"] or not account["password_kept"]:
        remote_svc.use_training_service(app, Path(server.state_dir), TRAINING)


class CountdownDialog(QDialog):
    """"Open the app on the phone to confirm": the phase, the time left, Cancel.

    ``cancelled`` is emitted when the officer stops waiting; the owner stops the worker
    (the request stays pending at the service and is followed next time)."""

    cancelled = Signal()

    def __init__(self, provider_name: str, phone: Any = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("remote_countdown")
        self.setWindowTitle(self.tr("Remote signing"))
        self.setModal(False)
        self.total = 0
        self.phone_opener = phone
        col = QVBoxLayout(self)
        self.instruction = QLabel(self.tr("Open the app on your phone to confirm"), self)
        self.instruction.setObjectName("remote_instruction")
        self.instruction.setProperty("role", "title")
        self.instruction.setWordWrap(True)
        col.addWidget(self.instruction)
        # the name already says "Dịch vụ ký từ xa …": not "Service: Service …"
        self.provider_label = QLabel(
            self.tr("Signing through {name}").format(name=provider_name), self)
        col.addWidget(self.provider_label)
        self.phase_label = QLabel(self.tr("Sending the request…"), self)
        self.phase_label.setObjectName("remote_phase")
        self.phase_label.setWordWrap(True)
        col.addWidget(self.phase_label)
        self.time_label = QLabel(self)
        self.time_label.setObjectName("remote_time_left")
        col.addWidget(self.time_label)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("remote_time_bar")
        self.bar.setTextVisible(False)
        self.bar.setRange(0, 0)
        col.addWidget(self.bar)
        row = QHBoxLayout()
        self.phone_button = QPushButton(self.tr("Open the training &phone…"), self)
        self.phone_button.setObjectName("remote_open_phone")
        self.phone_button.setVisible(phone is not None)
        self.phone_button.clicked.connect(self._open_phone)
        row.addWidget(self.phone_button)
        row.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("remote_cancel")
        self.cancel_button.clicked.connect(self._cancel)
        row.addWidget(self.cancel_button)
        col.addLayout(row)

    def tick(self, seconds_left: int, phase: str) -> None:
        """What the worker saw at its last poll."""
        self.phase_label.setText(
            self.tr("Step 1 of 2: the forms of the dossier") if phase == "forms" else
            self.tr("Step 2 of 2: the dossier envelope (BHXHDienTu.xml)"))
        self.total = max(self.total, seconds_left)
        self.bar.setRange(0, max(1, self.total))
        self.bar.setValue(seconds_left)
        self.time_label.setText(self.tr("Time left: {time}").format(time=clock(seconds_left)))

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.phase_label.setText(self.tr("Stopping…"))
        self.cancelled.emit()

    def reject(self) -> None:  # Esc or the window's close button: as Cancel
        if self.cancel_button.isEnabled():
            self._cancel()

    def finish(self) -> None:
        """The worker ended: close for good."""
        super().reject()

    def _open_phone(self) -> None:
        if self.phone_opener is not None:
            self.phone_opener(self)


class TrainingPhone:
    """The training service's "phone": its pending requests, approve, reject, over HTTPS
    with the sandbox's admin token (no Qt here: called from workers)."""

    def __init__(self, url: str, admin_token: str, ca_file: str) -> None:
        import requests

        self.url = url.rstrip("/") + ADMIN_PREFIX
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.verify = ca_file
        self.session.headers[ADMIN_HEADER] = admin_token

    @classmethod
    def of(cls, server: Any) -> TrainingPhone:
        """The phone of a running ``gateway.sandbox.Sandbox``."""
        return cls(server.url, server.admin_token, str(server.ca_file))

    def _call(self, method: str, path: str) -> dict[str, Any]:
        answer = self.session.request(method, self.url + path, timeout=10)
        answer.raise_for_status()
        return answer.json()["data"]

    def pending(self) -> list[dict[str, Any]]:
        """The requests waiting for an answer, oldest first."""
        return self._call("GET", "/transactions?state=PENDING")["transactions"]

    def decide(self, transaction_id: str, approve: bool) -> dict[str, Any]:
        """Approve or reject one request."""
        verb = "approve" if approve else "reject"
        return self._call("POST", f"/transactions/{transaction_id}/{verb}")


class PhoneDialog(QDialog):
    """A small window standing in for the director's phone during training."""

    def __init__(self, phone: TrainingPhone, parent: QWidget | None = None,
                 refresh_ms: int = 1000) -> None:
        super().__init__(parent)
        self.setObjectName("remote_phone")
        self.setWindowTitle(self.tr("Training phone"))
        self.phone = phone
        self.busy = False
        col = QVBoxLayout(self)
        col.addWidget(QLabel(self.tr("Requests waiting for the director's approval:"), self))
        self.list = QListWidget(self)
        self.list.setObjectName("phone_requests")
        self.list.setAccessibleName(self.tr("Requests waiting"))
        self.list.setWordWrap(True)
        col.addWidget(self.list, 1)
        self.note = QLabel(self)
        self.note.setObjectName("phone_note")
        self.note.setWordWrap(True)
        col.addWidget(self.note)
        row = QHBoxLayout()
        self.approve_button = QPushButton(self.tr("&Approve"), self)
        self.approve_button.setObjectName("phone_approve")
        self.reject_button = QPushButton(self.tr("&Reject"), self)
        self.reject_button.setObjectName("phone_reject")
        close = QPushButton(self.tr("Close"), self)
        row.addWidget(self.approve_button)
        row.addWidget(self.reject_button)
        row.addStretch(1)
        row.addWidget(close)
        col.addLayout(row)
        self.approve_button.clicked.connect(lambda: self.decide(True))
        self.reject_button.clicked.connect(lambda: self.decide(False))
        close.clicked.connect(self.accept)
        self.list.currentItemChanged.connect(lambda *_a: self._buttons())
        self.timer = QTimer(self)
        self.timer.setInterval(refresh_ms)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self._buttons()
        self.refresh()

    def _buttons(self) -> None:
        chosen = self.list.currentItem() is not None and not self.busy
        self.approve_button.setEnabled(chosen)
        self.reject_button.setEnabled(chosen)

    def refresh(self) -> None:
        """Ask the service for its pending requests (in a worker)."""
        if self.busy:
            return
        self.busy = True
        phone = self.phone
        tasks.run(lambda _p: phone.pending(), self._listed, self._failed)

    def _listed(self, found: list[dict[str, Any]]) -> None:
        self.busy = False
        current = self.list.currentItem()
        keep = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        self.list.clear()
        for tx in found:
            text = self.tr("{description} · {files} file(s) · {time} left").format(
                description=tx.get("transaction_desc") or tx["transaction_id"],
                files=len(tx.get("doc_ids") or ()), time=clock(tx.get("expired_in") or 0))
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, tx["transaction_id"])
            self.list.addItem(item)
            if tx["transaction_id"] == keep or self.list.currentItem() is None:
                self.list.setCurrentItem(item)
        self.note.setText("" if found else self.tr("Nothing is waiting."))
        self._buttons()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        from ..services.app import UserError

        self.note.setText(error_message(exc) if isinstance(exc, UserError) else
                          self.tr("The training service did not answer."))
        self._buttons()

    def decide(self, approve: bool) -> tasks.Task | None:
        item = self.list.currentItem()
        if item is None or self.busy:
            return None
        self.busy = True
        self._buttons()
        tid, phone = item.data(Qt.ItemDataRole.UserRole), self.phone

        def done(_answer: Any) -> None:
            self.busy = False
            self.note.setText(self.tr("Approved.") if approve else self.tr("Rejected."))
            self.refresh()

        return tasks.run(lambda _p: phone.decide(tid, approve), done, self._failed)

    def done(self, result: int) -> None:  # closed: stop asking
        self.timer.stop()
        super().done(result)


class RemoteAccountBox(QGroupBox):
    """Settings → Remote signing: the unit's account at a service (provider, user id,
    certificate serial, sp_id, password) kept through ``services.remote_signing``; the
    password is never shown back. "Show certificates" lists the account's certificates
    and lets one be chosen."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Remote signing"), parent)
        from ..services import remote_signing as remote_svc

        self.ctx = ctx
        self.setObjectName("remote_group")
        form = QFormLayout(self)
        self.provider = QComboBox(self)
        self.provider.setObjectName("remote_provider")
        try:
            known = remote_svc.providers()
        except Exception:  # a damaged providers.toml: said when used
            known = {}
        for key, found in known.items():
            if found.supported:
                self.provider.addItem(found.name(lang()), key)
        self.user_id = QLineEdit(self)
        self.user_id.setObjectName("remote_user_id")
        self.serial = QLineEdit(self)
        self.serial.setObjectName("remote_serial")
        self.sp_id = QLineEdit(self)
        self.sp_id.setObjectName("remote_sp_id")
        self.password = QLineEdit(self)
        self.password.setObjectName("remote_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        # the service's address and CA file, as `ibhxh remote set --url --ca` takes them
        self.base_url = QLineEdit(self)
        self.base_url.setObjectName("remote_base_url")
        self.base_url.setPlaceholderText("https://…")
        self.ca_file = QLineEdit(self)
        self.ca_file.setObjectName("remote_ca_file")
        self.ca_browse = QPushButton(self.tr("Choose…"), self)
        self.ca_browse.setObjectName("remote_ca_browse")
        self.ca_browse.clicked.connect(self._browse_ca)
        ca_row = QWidget(self)
        ca_line = QHBoxLayout(ca_row)
        ca_line.setContentsMargins(0, 0, 0, 0)
        ca_line.addWidget(self.ca_file, 1)
        ca_line.addWidget(self.ca_browse)
        for label, widget in ((self.tr("Service:"), self.provider),
                              (self.tr("Service address:"), self.base_url),
                              (self.tr("Service CA file:"), self.ca_file),
                              (self.tr("User id:"), self.user_id),
                              (self.tr("Certificate serial:"), self.serial),
                              (self.tr("Integrator id (sp_id):"), self.sp_id),
                              (self.tr("Integrator password:"), self.password)):
            form.addRow(label, ca_row if widget is self.ca_file else widget)
            widget.setAccessibleName(label.rstrip(":"))
        row = QHBoxLayout()
        self.save_button = QPushButton(self.tr("Save the account"), self)
        self.save_button.setObjectName("remote_save")
        self.show_button = QPushButton(self.tr("Show certificates"), self)
        self.show_button.setObjectName("remote_show_certificates")
        self.phone_button = QPushButton(self.tr("Training phone…"), self)
        self.phone_button.setObjectName("remote_training_phone")
        row.addWidget(self.save_button)
        row.addWidget(self.show_button)
        row.addWidget(self.phone_button)
        row.addStretch(1)
        form.addRow(row)
        self.certificates = QListWidget(self)
        self.certificates.setObjectName("remote_certificates")
        self.certificates.setAccessibleName(self.tr("Certificates of the account"))
        self.certificates.setVisible(False)
        form.addRow(self.certificates)
        self.result = QLabel(self)
        self.result.setObjectName("remote_result")
        self.result.setWordWrap(True)
        form.addRow(self.result)
        self.provider.currentIndexChanged.connect(lambda _i: self.load())
        self.save_button.clicked.connect(self.save)
        self.show_button.clicked.connect(self.show_certificates)
        self.certificates.itemActivated.connect(self._choose)
        self.phone_button.clicked.connect(self.open_phone)
        self.load()

    def load(self) -> None:
        """The stored account of the chosen service into the fields (no password)."""
        from ..services import remote_signing as remote_svc
        from ..services.app import UserError

        key = self.provider.currentData()
        self._name_fields(key)
        self.password.clear()
        self.certificates.clear()
        self.certificates.setVisible(False)
        try:
            account = remote_svc.show_account(self.ctx.app, key) if key else None
        except UserError:
            account = None
        self.user_id.setText(account["user_id"] if account else "")
        self.serial.setText(account["serial"] if account else "")
        self.sp_id.setText(account["sp_id"] if account else "")
        self.base_url.setText(account["base_url"] if account else "")
        self.ca_file.setText((account["ca_file"] or "") if account else "")
        self.password.setPlaceholderText(
            self.tr("kept; type to change") if account and account["password_kept"] else "")
        self.result.setText("")

    def _name_fields(self, key: str | None) -> None:
        """The fields as the chosen service names them: MySign's integrator credentials
        are a client id and secret; the user id's hint is the service's own."""
        from ..services import remote_signing as remote_svc

        try:
            found = remote_svc.providers().get(key) if key else None
        except Exception:  # a damaged providers.toml: said when used
            found = None
        own = found is not None and found.api_shape == "vtss"
        labels = {self.sp_id: self.tr("Client id (client_id):") if own
                  else self.tr("Integrator id (sp_id):"),
                  self.password: self.tr("Client secret (client_secret):") if own
                  else self.tr("Integrator password:")}
        form = self.layout()
        for widget, text in labels.items():
            label = form.labelForField(widget)
            if isinstance(label, QLabel):
                label.setText(text)
            widget.setAccessibleName(text.rstrip(":"))
        self.user_id.setPlaceholderText(found.user_id_hint(lang()) if found else "")

    def _browse_ca(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("CA certificate of the service"), str(Path.home()),
            self.tr("Certificates (*.pem *.crt *.cer)"))
        if path:
            self.ca_file.setText(path)

    def open_phone(self) -> PhoneDialog | None:
        """The training phone of the sandbox this window runs (requests made from the
        command line too)."""
        running = getattr(self.ctx, "sandbox", None)
        if running is None or running.server is None:
            self.result.setText(self.tr("The sandbox gateway is not running."))
            return None
        self.phone_dialog = PhoneDialog(TrainingPhone.of(running.server), self)
        self.phone_dialog.open()
        return self.phone_dialog

    def save(self) -> tasks.Task | None:
        from ..services import remote_signing as remote_svc

        key = self.provider.currentData()
        if key is None:
            return None
        app, password = self.ctx.app, self.password.text() or None
        values = {"user_id": self.user_id.text(), "serial": self.serial.text(),
                  "sp_id": self.sp_id.text(), "sp_password": password,
                  "base_url": self.base_url.text().strip() or None,
                  "ca_file": self.ca_file.text().strip() or None}
        running = getattr(self.ctx, "sandbox", None)
        if key == TRAINING and running is not None and running.server is not None:
            # the training service of the sandbox this window runs: its address and CA
            from ..gateway.sandbox.remote_signing import provider_base_url

            values.update(base_url=provider_base_url(running.server.url),
                          ca_file=str(running.server.ca_file))
        self.password.clear()
        return tasks.run(lambda _p: remote_svc.set_account(app, key, **values),
                         self._saved, self._failed)

    def _saved(self, _account: dict[str, Any]) -> None:
        self.load()
        self.result.setText(self.tr("The account is saved."))

    def _failed(self, exc: BaseException) -> None:
        self.result.setText(error_message(exc))

    def show_certificates(self) -> tasks.Task | None:
        from ..services import remote_signing as remote_svc

        key = self.provider.currentData()
        if key is None:
            return None
        app = self.ctx.app
        self.result.setText(self.tr("Asking the service…"))
        return tasks.run(lambda _p: remote_svc.remote_certificates(app, key),
                         self._listed, self._failed)

    def _listed(self, found: list[dict[str, Any]]) -> None:
        self.certificates.clear()
        for c in found:
            text = self.tr("{name} · tax code {tax} · serial {serial} · {days} days left"
                           ).format(name=c["common_name"] or c["subject"],
                                    tax=c["tax_code"] or "—", serial=c["serial"],
                                    days=c["days_to_expiry"])
            item = QListWidgetItem(("✔ " if c["chosen"] else "") + text)
            item.setData(Qt.ItemDataRole.UserRole, c["serial"])
            self.certificates.addItem(item)
        self.certificates.setVisible(True)
        self.result.setText(self.tr("{count} certificate(s). Double-click one to sign "
                                    "with it.").format(count=len(found)))

    def _choose(self, item: QListWidgetItem) -> None:
        self.serial.setText(item.data(Qt.ItemDataRole.UserRole))
        self.save()


class PendingDialog(QDialog):
    """The signing requests still waiting on the phone (opened from the status bar):
    dossier, service, step and time left, each one polled now or given up. The work is
    ``services.remote_signing`` (pending, poll, abandon) in a worker."""

    changed = Signal()  # a dossier was signed, or a request given up

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("remote_pending_dialog")
        self.setWindowTitle(self.tr("Signing requests waiting on the phone"))
        box = QVBoxLayout(self)
        self.table = list_table(self, "remote_pending_table",
                                self.tr("Signing requests waiting on the phone"), [
                                    self.tr("Dossier"), self.tr("Service"), self.tr("Step"),
                                    self.tr("Time left")])
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch)
        box.addWidget(self.table, 1)
        self.note = QLabel(self)
        self.note.setObjectName("remote_pending_note")
        self.note.setWordWrap(True)
        box.addWidget(self.note)
        row = QHBoxLayout()
        self.poll_button = QPushButton(self.tr("&Poll now"), self)
        self.poll_button.setObjectName("remote_poll")
        self.abandon_button = QPushButton(self.tr("&Abandon the request"), self)
        self.abandon_button.setObjectName("remote_abandon")
        self.close_button = QPushButton(self.tr("Close"), self)
        for button in (self.poll_button, self.abandon_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        box.addLayout(row)
        self.poll_button.clicked.connect(self.poll)
        self.abandon_button.clicked.connect(self.abandon)
        self.close_button.clicked.connect(self.accept)
        self.table.itemSelectionChanged.connect(self._selected)
        self.rows: list[dict[str, Any]] = []
        self.ends: list[float] = []  # each row's deadline on this PC's monotonic clock
        self.task: tasks.Task | None = None
        self.clock = QTimer(self)  # the time left counts down between two reads
        self.clock.setInterval(1000)
        self.clock.timeout.connect(self._tick)
        self.clock.start()
        self.resize(620, 300)
        self.refresh()

    def refresh(self) -> None:
        """The waiting requests, read again (one row per dossier)."""
        from ..services import remote_signing as remote_svc

        try:
            names = {k: p.name(lang()) for k, p in remote_svc.providers().items()}
        except Exception:  # a damaged providers.toml: the key is still shown
            names = {}
        by_dossier = {r["dossier_id"]: r for r in remote_svc.pending(self.ctx.app)}
        self.rows = list(by_dossier.values())
        now = time.monotonic()
        self.ends = [now + r["seconds_left"] for r in self.rows]
        self.table.setRowCount(len(self.rows))
        steps = {"forms": self.tr("Step 1/2: the forms"),
                 "envelope": self.tr("Step 2/2: the envelope")}
        for i, r in enumerate(self.rows):
            cells = (str(r["dossier_id"]), names.get(r["provider"], r["provider"]),
                     steps.get(r["phase"], r["phase"]), clock(r["seconds_left"]))
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))
        if self.rows and not self.table.selectedItems():
            self.table.selectRow(0)
        if not self.rows:
            self.note.setText(self.tr("No signing request is waiting."))
        self._selected()

    def _tick(self) -> None:
        now = time.monotonic()
        for i, end in enumerate(self.ends):
            item = self.table.item(i, 3)
            if item is not None:
                item.setText(clock(max(0, round(end - now))))

    def current(self) -> dict[str, Any] | None:
        i = self.table.currentRow()
        return self.rows[i] if 0 <= i < len(self.rows) else None

    def _selected(self) -> None:
        idle = self.task is None
        self.poll_button.setEnabled(idle and self.current() is not None)
        self.abandon_button.setEnabled(idle and self.current() is not None)

    def poll(self) -> tasks.Task | None:
        from ..services import remote_signing as remote_svc

        row, app = self.current(), self.ctx.app
        if row is None:
            return None
        self.note.setText(self.tr("Asking the service…"))
        return self._run(lambda _p: remote_svc.poll(app, row["dossier_id"], row["provider"]),
                         self._polled)

    def _polled(self, outcome: dict[str, Any]) -> None:
        if outcome["outcome"] == "signed":
            self.note.setText(self.tr("Dossier {id} is signed.").format(
                id=outcome["dossier_id"]))
            self.changed.emit()
        else:
            self.note.setText(outcome["message"])
            if outcome["outcome"] != "pending":
                self.changed.emit()

    def abandon(self) -> tasks.Task | None:
        from ..services import remote_signing as remote_svc

        row, app = self.current(), self.ctx.app
        if row is None:
            return None
        return self._run(lambda _p: remote_svc.abandon(app, row["dossier_id"]),
                         lambda _ids: self._abandoned(row["dossier_id"]))

    def _abandoned(self, decl_id: int) -> None:
        self.note.setText(self.tr("The request of dossier {id} is abandoned: a later "
                                  "approval on the phone will not be used. The dossier "
                                  "is unchanged.").format(id=decl_id))
        self.changed.emit()

    def _run(self, job: Any, done: Any) -> tasks.Task:
        def finished(result: Any) -> None:
            self.task = None
            self.refresh()
            done(result)

        def failed(exc: BaseException) -> None:
            self.task = None
            self.refresh()
            self.note.setText(error_message(exc))

        self.task = tasks.run(job, finished, failed)
        self._selected()
        return self.task
