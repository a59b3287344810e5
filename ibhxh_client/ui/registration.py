"""Registering the unit for electronic filing from the window: the panel of the first-run
step ("Đăng ký giao dịch điện tử") and of the group in Settings. It shows the registration
as the gateway last answered it and runs ``services.registration`` in a worker: register
(04_DK-IVAN), change (05_SD-IVAN), stop (06_NG-IVAN), send a waiting file again, print
the paper form. The PIN is asked through the PIN bridge; no rule lives here."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from ..services import registration
from ..services import signing as signing_svc
from . import adapters, tasks
from .pin import PinBridge, ask_pin_for
from .widgets import error_message

# Where a registration goes: (gateway URL or None for the configured one, CA file or
# None). Called in the worker thread: it may wait for the sandbox to start.
Target = Callable[[], tuple[str | None, str | None]]


def run(app: Any, kind: str, how: tuple, ask_pin: Any, module: str | None, target: Target,
        reason: str = "") -> dict[str, Any]:
    """The worker-thread part: where to, the signer the officer chose (none for a unit
    without a certificate), then the registration service."""
    from .send import _open_signer
    from .tokens import TOKEN_LOCK

    url, ca_file = target()
    if how[0] == "trial":
        return registration.register(app, kind, gateway=url, ca_file=ca_file,
                                     stop_reason=reason)
    with TOKEN_LOCK if how[0] == "token" else nullcontext():
        signer = _open_signer(app, how, ask_pin, module)
        try:
            return registration.register(app, kind, gateway=url, ca_file=ca_file,
                                         signer=signer, stop_reason=reason)
        finally:
            signer.close()


def sandbox_target(ctx: Any) -> Target:
    """The sandbox gateway the window runs, once it has started and made its first
    connection."""
    from ..services.app import UserError
    from . import sandbox

    running = sandbox.start(ctx)

    def target() -> tuple[str | None, str | None]:
        if running is None or not running.wait(60):
            error = running.error if running is not None else None
            raise error if isinstance(error, UserError) else \
                registration.RegistrationError("registration_no_gateway", exit_code=2)
        running.configured.wait(60)
        return running.server.url, str(running.server.ca_file)

    return target


class RegistrationPanel(QWidget):
    """The unit's registration and what can be done with it. ``first_run``: only the
    registration itself (the setup's step); otherwise change, stop, send again and print
    as well (Settings)."""

    changed = Signal(object)  # the state after the gateway answered

    def __init__(self, ctx: Any, target: Callable[[], Target], parent: QWidget | None = None,
                 *, first_run: bool = False) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.target = target
        self.first_run = first_run
        self.job: tasks.Task | None = None
        self.pin_dialog: Any = None
        self.state: dict[str, Any] = {}
        self.bridge = PinBridge(self)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("registration_state")
        self.state_label.setWordWrap(True)
        self.state_label.setTextFormat(Qt.TextFormat.RichText)
        self.state_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.state_label)
        self.how = QComboBox(self)
        self.how.setObjectName("registration_how")
        self.how.setAccessibleName(self.tr("How the registration is signed"))
        self.how.addItem(self.tr("USB token of the company (the PIN is asked)"), "token")
        self.how.addItem(self.tr("Certificate file (.p12, .pfx)"), "file")
        self.how.addItem(self.tr("Demo certificate (training only)"), "demo")
        self.how.addItem(self.tr("No digital certificate yet: ask for a trial password"),
                         "trial")
        how_label = QLabel(self.tr("&Sign with:"), self)
        how_label.setBuddy(self.how)
        form.addRow(how_label, self.how)
        self.file_path = QLineEdit(self)
        self.file_path.setObjectName("registration_p12_path")
        self.file_path.setAccessibleName(self.tr("Certificate file"))
        browse = QPushButton(self.tr("Choose f&ile…"), self)
        browse.clicked.connect(self._browse)
        self.file_row = QWidget(self)
        row = QHBoxLayout(self.file_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.file_path, 1)
        row.addWidget(browse)
        self.file_label = QLabel(self.tr("Certificate file:"), self)
        self.file_label.setBuddy(self.file_path)
        form.addRow(self.file_label, self.file_row)
        self.file_password = QLineEdit(self)
        self.file_password.setObjectName("registration_p12_password")
        self.file_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.file_password.setAccessibleName(self.tr("Password of the certificate file"))
        self.password_label = QLabel(self.tr("File password:"), self)
        self.password_label.setBuddy(self.file_password)
        form.addRow(self.password_label, self.file_password)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("registration_stop_reason")
        self.reason.setAccessibleName(self.tr("Why electronic filing stops"))
        self.reason.setPlaceholderText(self.tr("needed to stop, e.g. the unit is dissolved"))
        self.reason_label = QLabel(self.tr("&Reason to stop:"), self)
        self.reason_label.setBuddy(self.reason)
        form.addRow(self.reason_label, self.reason)
        buttons = QHBoxLayout()
        self.register_button = QPushButton(self.tr("&Register"), self)
        self.register_button.setObjectName("registration_register")
        self.change_button = QPushButton(self.tr("C&hange the registration"), self)
        self.change_button.setObjectName("registration_change")
        self.stop_button = QPushButton(self.tr("S&top electronic filing…"), self)
        self.stop_button.setObjectName("registration_stop")
        self.resend_button = QPushButton(self.tr("Send &again"), self)
        self.resend_button.setObjectName("registration_resend")
        self.print_button = QPushButton(self.tr("&Print the paper form…"), self)
        self.print_button.setObjectName("registration_print")
        for b in (self.register_button, self.change_button, self.stop_button,
                  self.resend_button, self.print_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        form.addRow(buttons)
        self.result = QLabel(self)
        self.result.setObjectName("registration_result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.result)
        for widget in (self.change_button, self.stop_button, self.print_button,
                       self.reason, self.reason_label):
            widget.setVisible(not first_run)
        self.register_button.clicked.connect(lambda: self.start("register"))
        self.change_button.clicked.connect(lambda: self.start("change"))
        self.stop_button.clicked.connect(self.stop)
        self.resend_button.clicked.connect(self.resend)
        self.print_button.clicked.connect(lambda: self.print_form())
        self.how.currentIndexChanged.connect(self._show_file)
        self._show_file()
        self.refresh()

    # -- what is shown -----------------------------------------------------------------------

    def _show_file(self) -> None:
        file = self.how.currentData() == "file"
        for widget in (self.file_row, self.file_label, self.file_password,
                       self.password_label):
            widget.setVisible(file)

    def choose_default(self, sandbox: bool) -> None:
        """The demo certificate for the sandbox when the data folder has one."""
        demo = signing_svc.demo_signer_path(self.ctx.app).exists()
        if sandbox and demo:
            self.how.setCurrentIndex(self.how.findData("demo"))

    def refresh(self) -> dict[str, Any]:
        """Read the registration's state again and show it."""
        try:
            state = registration.state(self.ctx.app)
        except Exception as exc:  # no unit yet: the state says so
            self.state_label.setText(error_message(exc))
            return {}
        lines = [f"<b>{state['state_name']}</b>"]
        e = adapters.get_employer(self.ctx.app)
        if e is not None:  # which unit registers, as the file will say
            lines.append(self.tr("{name} · unit code {unit} · tax code {tax} · e-mail "
                                 "{email} · phone {phone}").format(
                name=escape(e.name), unit=e.unit_code, tax=e.tax_code,
                email=escape(e.email) or "—", phone=e.phone or "—"))
        if state["state"] != "unregistered":
            lines.append(self.tr("Gateway {url} · unit {unit} · login {login} by {method} · "
                                 "reference {reference} ({since})").format(
                url=state["gateway"], unit=state["unit_code"], login=state["login"],
                method=state["method_name"], reference=state["reference"],
                since=state["since"]))
        pending, refused = state["pending"], state["refused"]
        if pending:
            lines.append(self.tr("Waiting to be sent: {form} (no. {id}). {error}").format(
                form=pending["form"], id=pending["id"],
                error=pending["last_error_message"] or ""))
        if refused:
            lines.append(self.tr("Last refused: {form} (no. {id}). {error}").format(
                form=refused["form"], id=refused["id"],
                error=refused["last_error_message"] or ""))
        self.state_label.setText("<br>".join(lines))
        idle = self.job is None
        registered = state["state"] == "registered"
        self.register_button.setEnabled(idle and not registered and not pending)
        self.change_button.setEnabled(idle and registered and not pending)
        self.stop_button.setEnabled(idle and registered and not pending)
        self.resend_button.setVisible(bool(pending))
        self.resend_button.setEnabled(idle)
        self.state = state
        return state

    # -- actions -----------------------------------------------------------------------------

    def _how(self) -> tuple | None:
        kind = self.how.currentData()
        if kind == "file":
            path = self.file_path.text().strip()
            if not path:
                self.result.setText(self.tr("Choose the certificate file first."))
                return None
            password = self.file_password.text()
            self.file_password.clear()
            return ("file", path, password)
        if kind == "token":
            return ("token", None, None)
        return (kind,)

    def start(self, kind: str) -> tasks.Task | None:
        """Register, change or stop in a worker; the answer (or why not) is shown."""
        how = self._how()
        if how is None or self.job is not None:
            return None
        self.bridge = PinBridge(self)
        self.bridge.asked.connect(self._ask_pin)
        app, bridge, target = self.ctx.app, self.bridge, self.target()
        module = self.ctx.prefs.module or None
        reason = self.reason.text().strip()
        self.result.setText(self.tr("Sending the registration…"))

        def job(_p: Any) -> dict[str, Any]:
            return run(app, kind, how, bridge.ask, module, target, reason)

        return self._run(job)

    def stop(self) -> tasks.Task | None:
        """Stop electronic filing (06_NG-IVAN), after the officer confirms."""
        answer = QMessageBox.question(
            self, self.tr("Stop electronic filing"),
            self.tr("After this the unit cannot send dossiers electronically until it "
                    "registers again. Stop electronic filing?"))
        if answer != QMessageBox.StandardButton.Yes:
            return None
        return self.start("stop")

    def resend(self) -> tasks.Task | None:
        """Send the waiting file again (the same bytes: the gateway records it once)."""
        if self.job is not None:
            return None
        app = self.ctx.app
        self.result.setText(self.tr("Sending the registration…"))
        return self._run(lambda _p: registration.resend(app))

    def _run(self, job: Callable[[Any], dict[str, Any]]) -> tasks.Task:
        self.job = tasks.run(job, self._done, self._failed)
        self.refresh()
        return self.job

    def _ask_pin(self, preflight: Any) -> None:
        ask_pin_for(self, preflight, self.bridge, self.result, self.tr("Waiting for the PIN…"),
                    self.tr("Sending the registration…"))

    def _done(self, state: dict[str, Any]) -> None:
        self.job = None
        done = {"register": self.tr("Registered for electronic filing: unit {unit}, login "
                                    "{login}, by {method}. Reference {reference}."),
                "change": self.tr("The registration was changed: unit {unit}, by {method}. "
                                  "Reference {reference}."),
                "stop": self.tr("Electronic filing stopped for unit {unit}. Reference "
                                "{reference}.")}[state["kind"]]
        text = done.format(unit=state["unit_code"], login=state["login"],
                           method=state["method_name"], reference=state["reference"])
        if state.get("trial_password_issued"):
            text += " " + self.tr("The gateway issued a trial password; it is kept in the "
                                  "Windows Credential Manager, never shown or written down.")
        self.result.setText(text)
        self.refresh()
        self.changed.emit(state)

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        if self.pin_dialog is not None:
            self.pin_dialog.reject()
        self.result.setText(error_message(exc))
        self.refresh()

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Certificate file"),
                                              str(Path.home()),
                                              self.tr("Certificates (*.p12 *.pfx)"))
        if path:
            self.file_path.setText(path)
            self.file_password.setFocus()

    def print_form(self, out: str | None = None) -> tasks.Task | None:
        """The paper form of the registration (the change or the stop once registered) to
        a PDF file."""
        kind = "change" if self.state.get("state") == "registered" else "register"
        if out is None:
            out, _ = QFileDialog.getSaveFileName(self, self.tr("Save the paper form"),
                                                 f"{registration.REGISTRATION_FORMS[kind]}.pdf",
                                                 self.tr("PDF files (*.pdf)"))
        if not out:
            return None
        app = self.ctx.app

        def job(_p: Any) -> dict[str, Any]:
            return registration.print_form(app, kind, Path(out))

        def printed(done: dict[str, Any]) -> None:
            self.result.setText(self.tr("Printed form {form} to {out}.").format(
                form=done["form"], out=done["out"]))

        return tasks.run(job, printed, self._failed)
