"""The Settings screen: language, data folder (backup and restore), token module, gateway,
the registration for electronic filing, diagnostics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from . import adapters, i18n, tasks
from .i18n import lang
from .widgets import error_message, fit_screen, hint, scrolled_screen


class SettingsScreen(QWidget):
    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("screen_settings")
        inner, col = scrolled_screen(self, self.tr("Settings"))

        # language
        box = QGroupBox(self.tr("Language"), inner)
        form = QFormLayout(box)
        self.language = QComboBox(box)
        self.language.setObjectName("language")
        self.language.addItem("Tiếng Việt", "vi")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(self.language.findData(lang()), 0))
        self.language.setAccessibleName(self.tr("Language of the window"))
        form.addRow(self.tr("&Language of the window:"), self.language)
        col.addWidget(box)

        # data folder
        box = QGroupBox(self.tr("Data folder"), inner)
        form = QFormLayout(box)
        self.data_dir = QLineEdit(str(ctx.app.data_dir), box)
        self.data_dir.setObjectName("data_dir")
        self.data_dir.setReadOnly(True)
        self.data_dir.setAccessibleName(self.tr("Data folder"))
        change = QPushButton(self.tr("C&hange…"), box)
        change.clicked.connect(self.change_data_dir)
        row = QHBoxLayout()
        row.addWidget(self.data_dir, 1)
        row.addWidget(change)
        form.addRow(self._label(self.tr("Folder in use:"), self.data_dir), row)
        self.data_note = hint(self.tr("Every declaration, worker and file of the company "
                                      "is kept here, sealed. Use Backup (command line: "
                                      "ibhxh backup) before moving it."), box)
        form.addRow(self.data_note)
        backup = QPushButton(self.tr("&Back up…"), box)
        backup.setObjectName("backup")
        backup.clicked.connect(lambda: self.backup())
        restore = QPushButton(self.tr("Restore a bac&kup…"), box)
        restore.setObjectName("restore")
        restore.clicked.connect(lambda: self.restore())
        row = QHBoxLayout()
        row.addWidget(backup)
        row.addWidget(restore)
        row.addStretch(1)
        form.addRow(row)
        self.backup_result = hint("", box)
        self.backup_result.setObjectName("backup_result")
        form.addRow(self.backup_result)
        col.addWidget(box)

        # the database: this PC's file or a shared office's server, and its officers
        from .office import DatabaseBox, OfficersBox

        self.database = DatabaseBox(ctx, inner)
        col.addWidget(self.database)
        self.officers = OfficersBox(ctx, inner)
        col.addWidget(self.officers)
        if ctx.window is not None:
            self.officers.changed.connect(ctx.window.show_officer)

        # token
        box = QGroupBox(self.tr("USB token"), inner)
        form = QFormLayout(box)
        self.module = QLineEdit(ctx.prefs.module, box)
        self.module.setObjectName("token_module")
        self.module.setPlaceholderText(self.tr("found automatically (Viettel-CA, VNPT-CA, "
                                               "BKAV-CA, FPT-CA …)"))
        self.module.setAccessibleName(self.tr("Token module (PKCS#11 library)"))
        browse = QPushButton(self.tr("&Browse…"), box)
        browse.clicked.connect(self.browse_module)
        test = QPushButton(self.tr("&Find tokens"), box)
        test.setObjectName("test_tokens")
        test.clicked.connect(self.test_tokens)
        row = QHBoxLayout()
        row.addWidget(self.module, 1)
        row.addWidget(browse)
        row.addWidget(test)
        form.addRow(self._label(self.tr("Token &module:"), self.module), row)
        self.token_result = QLabel(box)
        self.token_result.setObjectName("token_result")
        self.token_result.setWordWrap(True)
        self.token_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.token_result)
        col.addWidget(box)

        # gateway
        box = QGroupBox(self.tr("Gateway"), inner)
        form = QFormLayout(box)
        self.mode = QButtonGroup(box)
        self.sandbox = QRadioButton(self.tr("&Sandbox gateway on this computer (training, "
                                            "demo)"), box)
        self.sandbox.setObjectName("gateway_sandbox")
        self.real = QRadioButton(self.tr("Social Security &gateway at this address:"), box)
        self.real.setObjectName("gateway_real")
        self.mode.addButton(self.sandbox)
        self.mode.addButton(self.real)
        (self.sandbox if ctx.prefs.gateway_mode == "sandbox" else self.real).setChecked(True)
        form.addRow(self.sandbox)
        form.addRow(self.real)
        sub = adapters.submission()
        conf = sub.settings(ctx.app) if sub else None
        self.url = QLineEdit(ctx.prefs.gateway_url or (conf.url if conf else ""), box)
        self.url.setObjectName("gateway_url")
        self.url.setPlaceholderText("https://…")
        self.url.setAccessibleName(self.tr("Gateway address"))
        form.addRow(self.tr("&Address:"), self.url)
        e = adapters.get_employer(ctx.app)
        self.unit = QLineEdit(conf.unit_code if conf else (e.unit_code if e else ""), box)
        self.unit.setAccessibleName(self.tr("Unit code"))
        form.addRow(self.tr("&Unit code:"), self.unit)
        self.login_group = QButtonGroup(box)
        self.login_password = QRadioButton(self.tr("Log in with the trial pass&word"), box)
        self.login_password.setObjectName("login_password")
        self.login_cert = QRadioButton(self.tr("Log in with the company's certificat&e"), box)
        self.login_cert.setObjectName("login_certificate")
        self.login_group.addButton(self.login_password)
        self.login_group.addButton(self.login_cert)
        (self.login_cert if conf is not None and conf.login == "certificate"
         else self.login_password).setChecked(True)
        row = QHBoxLayout()
        row.addWidget(self.login_password)
        row.addWidget(self.login_cert)
        row.addStretch(1)
        form.addRow(self.tr("Login:"), row)
        self.password = QLineEdit(box)
        self.password.setObjectName("gateway_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Trial account password"))
        self.password.setPlaceholderText(self.tr("trial account (units without a token); "
                                                 "kept in the Windows Credential Manager"))
        self.password_label = self._label(self.tr("&Password:"), self.password)
        form.addRow(self.password_label, self.password)
        # the certificate choices of the Send wizard: token (PIN asked), .p12 file, demo
        self.cert_kind = QComboBox(box)
        self.cert_kind.setObjectName("login_cert_kind")
        self.cert_kind.setAccessibleName(self.tr("Certificate to log in with"))
        self.cert_kind.addItem(self.tr("USB token (the PIN is asked)"), "token")
        self.cert_kind.addItem(self.tr("Certificate file (.p12, .pfx)"), "file")
        self.cert_kind.addItem(self.tr("Demo certificate (training only)"), "demo")
        self.cert_label = self._label(self.tr("Ce&rtificate:"), self.cert_kind)
        form.addRow(self.cert_label, self.cert_kind)
        self.cert_file = QLineEdit(box)
        self.cert_file.setObjectName("login_p12_path")
        self.cert_file.setAccessibleName(self.tr("Certificate file"))
        browse_cert = QPushButton(self.tr("Choose f&ile…"), box)
        browse_cert.clicked.connect(self.browse_certificate)
        self.cert_file_row = QWidget(box)
        row = QHBoxLayout(self.cert_file_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.cert_file, 1)
        row.addWidget(browse_cert)
        self.cert_file_label = self._label(self.tr("Certificate file:"), self.cert_file)
        form.addRow(self.cert_file_label, self.cert_file_row)
        self.cert_password = QLineEdit(box)
        self.cert_password.setObjectName("login_p12_password")
        self.cert_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.cert_password.setAccessibleName(self.tr("Password of the certificate file"))
        self.cert_password_label = self._label(self.tr("File password:"), self.cert_password)
        form.addRow(self.cert_password_label, self.cert_password)
        self.login_form = form
        self.ca = QLineEdit(conf.ca_path if conf else "", box)
        self.ca.setAccessibleName(self.tr("CA certificate of the gateway (optional)"))
        form.addRow(self.tr("&CA file (optional):"), self.ca)
        connect = QPushButton(self.tr("C&onnect and remember"), box)
        connect.setObjectName("gateway_connect")
        connect.clicked.connect(self.connect_gateway)
        form.addRow(connect)
        self.gateway_result = QLabel(box)
        self.gateway_result.setObjectName("gateway_result")
        self.gateway_result.setWordWrap(True)
        form.addRow(self.gateway_result)
        if conf is not None:
            how = (self.tr("trial password") if conf.login == "password" else
                   self.tr("the token's certificate"))
            self.gateway_result.setText(self.tr("Now: {url}, unit {unit}, login by {how}.")
                                        .format(url=conf.url, unit=conf.unit_code, how=how))
        col.addWidget(box)

        # registration for electronic filing (04_DK-IVAN, 05_SD-IVAN, 06_NG-IVAN)
        from .registration import RegistrationPanel

        box = QGroupBox(self.tr("Registration for electronic filing"), inner)
        box.setObjectName("registration_group")
        row_box = QVBoxLayout(box)
        self.registration = RegistrationPanel(ctx, self._registration_target, box)
        self.registration.changed.connect(self._registered)
        row_box.addWidget(self.registration)
        col.addWidget(box)

        # remote signing (SmartCA, CA2, the training service)
        from .remote import RemoteAccountBox

        self.remote = RemoteAccountBox(ctx, inner)
        col.addWidget(self.remote)

        # support
        box = QGroupBox(self.tr("Support"), inner)
        row = QHBoxLayout(box)
        diag = QPushButton(self.tr("&Diagnostics report…"), box)
        diag.setObjectName("diagnostics")
        diag.clicked.connect(self.diagnostics)
        row.addWidget(diag)
        row.addWidget(hint(self.tr("Versions, data folder, tokens, gateway and printers, "
                                   "ready to paste into a support ticket."), box), 1)
        col.addWidget(box)
        col.addStretch(1)

        self.language.currentIndexChanged.connect(self.change_language)
        self.module.editingFinished.connect(self.save_module)
        self.sandbox.toggled.connect(self.change_mode)
        self.login_cert.toggled.connect(self._show_login)
        self.cert_kind.currentIndexChanged.connect(self._show_login)
        self.pin_dialog: Any = None
        self._show_login()

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        """A form label whose accelerator (Alt + letter) moves to ``buddy``."""
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    # -- language --------------------------------------------------------------------------

    def change_language(self) -> None:
        language = self.language.currentData()
        self.ctx.prefs.set("lang", language)
        i18n.install(language)
        self.ctx.app.lang = language
        if self.ctx.window is not None:
            window = self.ctx.window
            # Rebuilt after this slot returns: this screen is one of those replaced.
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, window.build)

    # -- data folder -----------------------------------------------------------------------

    def change_data_dir(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Data folder"),
                                                str(self.ctx.app.data_dir))
        if path:
            self.ctx.prefs.set("data_dir", path)
            self.data_note.setText(self.tr("The program will open {path} the next time it "
                                           "starts.").format(path=path))

    # -- backup ----------------------------------------------------------------------------

    def _passphrase(self, confirm: bool) -> str | None:
        """Asked without echo; kept only for the one operation."""
        from PySide6.QtWidgets import QInputDialog

        first, ok = QInputDialog.getText(self, self.tr("Backup passphrase"),
                                         self.tr("Passphrase (at least 8 characters):"),
                                         QLineEdit.EchoMode.Password)
        if not ok:
            return None
        if confirm:
            again, ok = QInputDialog.getText(self, self.tr("Backup passphrase"),
                                             self.tr("The same passphrase again:"),
                                             QLineEdit.EchoMode.Password)
            if not ok or again != first:
                self.backup_result.setText(self.tr("The two passphrases differ; nothing "
                                                   "was written."))
                return None
        return first

    def backup(self, out: str | None = None, passphrase: str | None = None) -> tasks.Task | None:
        """Write a sealed backup of the data and its key (services.backup)."""
        from ..services import backup as backup_service

        if out is None:
            out, _ = QFileDialog.getSaveFileName(self, self.tr("Back up to"),
                                                 "ibhxh-sao-luu.ibhxh",
                                                 self.tr("Backups (*.ibhxh)"))
        if not out:
            return None
        passphrase = passphrase if passphrase is not None else self._passphrase(True)
        if passphrase is None:
            return None
        app = self.ctx.app
        self.backup_result.setText(self.tr("Backing up…"))

        def job(_p: Any) -> dict[str, Any]:
            return backup_service.backup(app, Path(out), passphrase)

        return tasks.run(job, lambda r: self.backup_result.setText(
            self.tr("Backed up {workers} workers to {out}.").format(workers=r["workers"],
                                                                   out=r["out"])),
            self._backup_failed)

    def restore(self, path: str | None = None,
                passphrase: str | None = None) -> tasks.Task | None:
        """Replace the data with a backup's; the current file is kept beside it, and the
        program closes so it opens the restored data with its key."""
        from ..services import backup as backup_service

        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Restore from"), "",
                                                  self.tr("Backups (*.ibhxh)"))
        if not path:
            return None
        passphrase = passphrase if passphrase is not None else self._passphrase(False)
        if passphrase is None:
            return None
        app = self.ctx.app
        self.backup_result.setText(self.tr("Restoring…"))

        def job(_p: Any) -> dict[str, Any]:
            backup_service.open_backup(Path(path), passphrase)  # refuse before closing
            app.db.close()
            return backup_service.restore(app.data_dir, Path(path), passphrase,
                                          keystore=app.db.keystore)

        return tasks.run(job, self._restored, self._backup_failed)

    def _restored(self, info: dict[str, Any]) -> None:
        self.restored = True
        self.backup_result.setText(self.tr(
            "Restored {workers} workers; the previous data is kept at {kept}. Close the "
            "program and open it again to work on the restored data.").format(
                workers=info["workers"], kept=info["kept"] or "-"))

    def _backup_failed(self, exc: BaseException) -> None:
        self.backup_result.setText(error_message(exc))

    # -- token -----------------------------------------------------------------------------

    def browse_module(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Token module"), "C:\\Windows\\System32",
            self.tr("PKCS#11 libraries (*.dll *.so *.dylib);;All files (*)"))
        if path:
            self.module.setText(path)
            self.save_module()

    def save_module(self) -> None:
        self.ctx.prefs.set("token_module", self.module.text().strip())
        if self.ctx.window is not None:
            self.ctx.window.watcher.poll_now()

    def test_tokens(self) -> tasks.Task:
        from ..services.signing import token_report
        from .tokens import TOKEN_LOCK

        self.save_module()
        module = self.module.text().strip() or None
        language = lang()
        self.token_result.setText(self.tr("Looking for tokens…"))

        def job(_p: Any) -> list[dict[str, Any]]:
            with TOKEN_LOCK:
                return token_report(module, language)

        return tasks.run(job, self._tokens, lambda exc: self.token_result.setText(
            error_message(exc)))

    def _tokens(self, report: list[dict[str, Any]]) -> None:
        lines = []
        for entry in report:
            lines.append(f"<b>{entry['module']}</b>")
            if entry.get("error"):
                lines.append(entry["error"])
            for t in entry["tokens"]:
                lines.append(self.tr("Token {label} (serial {serial}). {pin}").format(
                    label=t["label"], serial=t["serial"], pin=t["pin_text"]))
                for c in t["certificates"]:
                    lines.append("&nbsp;&nbsp;" + self.tr("{subject}: {days} days to "
                                                          "expiry").format(
                        subject=c["subject"], days=c["days_to_expiry"]))
            if not entry["tokens"] and not entry.get("error"):
                lines.append(self.tr("no token plugged in"))
        self.token_result.setText("<br>".join(lines))

    # -- gateway ---------------------------------------------------------------------------

    def change_mode(self) -> None:
        mode = "sandbox" if self.sandbox.isChecked() else "gateway"
        self.ctx.prefs.set("gateway_mode", mode)
        from . import sandbox

        if mode == "sandbox":
            running = sandbox.start(self.ctx)
            if running is None:
                self.gateway_result.setText(self.tr("This copy has no sandbox gateway."))
            else:
                self.gateway_result.setText(self.tr("The sandbox gateway is starting; the "
                                                    "data folder is connected to it."))
        if self.ctx.window is not None:
            self.ctx.window.update_status()

    def connect_gateway(self) -> tasks.Task | None:
        sub = adapters.submission()
        if sub is None:
            self.gateway_result.setText(self.tr("This copy cannot send yet."))
            return None
        if self.sandbox.isChecked():
            from . import sandbox

            running = sandbox.start(self.ctx)
            if running is None:
                return None
            app = self.ctx.app

            def job_sb(_p: Any) -> bool:
                running.wait(60)
                return sandbox.configure(app, running)

            return tasks.run(job_sb, lambda ok: self.gateway_result.setText(
                self.tr("Connected to the sandbox gateway.") if ok else
                self.tr("Set up the company first.")), self._gateway_failed)
        url, unit = self.url.text().strip(), self.unit.text().strip()
        ca = self.ca.text().strip() or None
        how = self._login_how()
        if how is None:
            return None
        self.ctx.prefs.set("gateway_url", url)
        app = self.ctx.app
        self.gateway_result.setText(self.tr("Connecting…"))
        if how[0] == "password":
            password = how[1]

            def job(_p: Any) -> dict[str, Any]:
                return sub.login(app, url, unit, password=password, ca_file=ca)
        else:
            from .pin import PinBridge
            from .send import _open_signer
            from .tokens import TOKEN_LOCK

            self.bridge = bridge = PinBridge(self)
            bridge.asked.connect(self._ask_pin)
            module = self.ctx.prefs.module or None

            def job(_p: Any) -> dict[str, Any]:
                lock = TOKEN_LOCK if how[0] == "token" else None
                if lock is not None:
                    lock.acquire()
                try:
                    signer = _open_signer(app, how, bridge.ask, module)
                    try:
                        return sub.login(app, url, unit, signer=signer, ca_file=ca)
                    finally:
                        signer.close()
                finally:
                    if lock is not None:
                        lock.release()

        self.gateway_job = tasks.run(job, lambda r: self.gateway_result.setText(
            self.tr("Connected: {name}.").format(name=r.get("gateway_name", url))),
            self._gateway_failed)
        return self.gateway_job

    def _show_login(self) -> None:
        """The password for a trial account; the certificate choices for the other."""
        cert = self.login_cert.isChecked()
        kind = self.cert_kind.currentData()
        for widget, shown in ((self.password, not cert), (self.password_label, not cert),
                              (self.cert_kind, cert), (self.cert_label, cert),
                              (self.cert_file_row, cert and kind == "file"),
                              (self.cert_file_label, cert and kind == "file"),
                              (self.cert_password, cert and kind == "file"),
                              (self.cert_password_label, cert and kind == "file")):
            widget.setVisible(shown)

    def browse_certificate(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Certificate file"),
                                              str(Path.home()),
                                              self.tr("Certificates (*.p12 *.pfx)"))
        if path:
            self.cert_file.setText(path)
            self.cert_password.setFocus()

    def _login_how(self) -> tuple | None:
        """("password", pw) or the Send wizard's certificate choice: ("token", None, None)
        (the company's certificate on the token), ("file", path, password), ("demo",)."""
        if not self.login_cert.isChecked():
            password = self.password.text()
            self.password.clear()
            return ("password", password)
        kind = self.cert_kind.currentData()
        if kind == "demo":
            return ("demo",)
        if kind == "file":
            path = self.cert_file.text().strip()
            if not path:
                self.gateway_result.setText(self.tr("Choose the certificate file first."))
                return None
            password = self.cert_password.text()
            self.cert_password.clear()
            return ("file", path, password)
        return ("token", None, None)

    def _ask_pin(self, preflight: Any) -> None:
        from .pin import ask_pin_for

        ask_pin_for(self, preflight, self.bridge, self.gateway_result,
                    self.tr("Waiting for the PIN…"), self.tr("Connecting…"))

    def _gateway_failed(self, exc: BaseException) -> None:
        self.gateway_result.setText(error_message(exc))

    # -- registration for electronic filing -------------------------------------------------

    def _registration_target(self) -> Any:
        """Where a registration goes: the sandbox this window runs, or the address and CA
        file in the gateway group (the configured gateway when empty)."""
        from .registration import sandbox_target

        if self.sandbox.isChecked():
            return sandbox_target(self.ctx)
        url, ca = self.url.text().strip() or None, self.ca.text().strip() or None
        return lambda: (url, ca)

    def _registered(self, state: dict[str, Any]) -> None:
        """The gateway answered: the gateway group says where the data folder now sends."""
        if state.get("state") == "registered":
            self.unit.setText(state["unit_code"])
            (self.login_cert if state["method"] == "certificate"
             else self.login_password).setChecked(True)
            self.gateway_result.setText(self.tr("Now: {url}, unit {unit}, login by {how}.")
                                        .format(url=state["gateway"], unit=state["unit_code"],
                                                how=state["method_name"]))
        if self.ctx.window is not None:
            self.ctx.window.update_status()

    def shown(self) -> None:
        if self.registration.job is None:
            self.registration.refresh()

    # -- support ---------------------------------------------------------------------------

    def diagnostics(self) -> tasks.Task:
        from ..services import diagnose

        data_dir = Path(self.ctx.app.data_dir)
        module = self.ctx.prefs.module or None
        sub = adapters.submission()
        conf = sub.settings(self.ctx.app) if sub else None
        gateway = conf.url if conf else None
        ca = conf.ca_path if conf and conf.ca_path else None

        def job(_p: Any) -> str:
            from .tokens import TOKEN_LOCK

            with TOKEN_LOCK:
                return diagnose.as_text(diagnose.report(data_dir, module=module,
                                                        gateway=gateway, ca_file=ca))

        return tasks.run(job, self._show_report, self._gateway_failed)

    def _show_report(self, text: str) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Diagnostics report"))
        col = QVBoxLayout(dialog)
        view = QPlainTextEdit(text, dialog)
        view.setReadOnly(True)
        view.setObjectName("diagnostics_text")
        view.setAccessibleName(self.tr("Diagnostics report"))
        col.addWidget(view)
        buttons = QDialogButtonBox(dialog)
        copy = buttons.addButton(self.tr("&Copy"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QApplication.clipboard().setText(text))
        buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(dialog.reject)
        col.addWidget(buttons)
        fit_screen(dialog, 800, 560)
        dialog.open()
        self.report_dialog = dialog
