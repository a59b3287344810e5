"""The Send screen, a wizard: check → certificate → PIN, sign and send → receipt.

Every step that talks to a token, a file or the gateway runs in a worker thread; the
screen shows progress and never freezes. A failure leaves the dossier where the services
left it (a signature is stored only once it is made and checked; a dossier that could not
be sent stays queued) and, when the services say so, offers the paper dossier.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..domain.model import DossierState
from ..domain.text import counted, vnd
from ..services import declarations as decls
from ..services import signing as signing_svc
from ..services.app import UserError
from . import adapters, tasks
from .declarations import state_text
from .i18n import lang
from .pin import PinBridge, PinDialog, ask_pin_for
from .tokens import TOKEN_LOCK
from .tracking import when
from .widgets import compact, error_message, hint, restyle, title

CHECK, CERT, WORK, RECEIPT, FAILED = range(5)
SENDABLE = signing_svc.SIGNABLE  # what signing accepts is what can be sent
TRAINING = "sandbox"  # the training remote-signing service's key in providers.toml
REMOTE_WAIT = 900.0  # seconds the window waits for the phone (the service's expiry is less)


def sign_and_send(app: Any, decl_id: int, how: tuple, ask_pin: Any, progress: Any,
                  module_setting: str | None, sandbox_run: Any = None) -> dict[str, Any]:
    """The worker-thread part: open the signer, sign (unless signed), send.

    ``how``: ("token", serial, fingerprint) | ("file", path, password) | ("demo",) |
    ("remote", provider key).
    ``sandbox_run``: the training gateway this window runs, connected first if needed.
    """
    sub = adapters.submission()
    not_configured: BaseException = UserError("gateway_not_configured",
                                              texts=_not_configured())
    if sandbox_run is not None and sandbox_run.wait(30):
        from . import sandbox

        try:
            sandbox.configure(app, sandbox_run)
        except Exception as exc:  # said after signing: the signature is kept meanwhile
            not_configured = exc
    conf = sub.settings(app) if sub else None
    decl, _ = decls.load(app, decl_id)
    must_sign = decl.state != DossierState.SIGNED
    if how[0] == "remote":  # no signer in this process: the service signs, the phone approves
        out_remote: dict[str, Any] = {"signed": None, "tracking": None}
        if must_sign:
            progress(1, 3, "sign")
            out_remote["signed"] = sign_remotely(app, decl_id, how[1], progress, sandbox_run)
        if conf is None:
            raise not_configured
        progress(2, 3, "send")
        out_remote["tracking"] = sub.submit(app, decl_id, signer=None)  # type: ignore[union-attr]
        progress(3, 3, "done")
        return out_remote
    needs_signer = must_sign or (conf is not None and conf.login == "certificate")
    out: dict[str, Any] = {"signed": None, "tracking": None}
    if conf is None and not must_sign:
        raise not_configured
    lock = TOKEN_LOCK if how[0] == "token" else None
    if lock is not None:
        lock.acquire()
    try:
        signer = _open_signer(app, how, ask_pin, module_setting) if needs_signer else None
        try:
            if must_sign:
                progress(1, 3, "sign")
                assert signer is not None
                out["signed"] = signing_svc.sign(app, decl_id, signer)
            if conf is None:
                raise not_configured
            progress(2, 3, "send")
            use = signer if conf.login == "certificate" else None
            out["tracking"] = sub.submit(app, decl_id, signer=use)  # type: ignore[union-attr]
        finally:
            if signer is not None:
                signer.close()
    finally:
        if lock is not None:
            lock.release()
    progress(3, 3, "done")
    return out


def sign_remotely(app: Any, decl_id: int, provider_key: str, progress: Any,
                  sandbox_run: Any = None) -> Any:
    """Sign at a remote service, reporting each poll as progress ``(1, seconds left,
    "remote:<phase>")``; a cancelled job stops waiting (the request stays pending there
    and is followed next time)."""
    from ..services import remote_signing as remote_svc

    if provider_key == TRAINING and sandbox_run is not None and sandbox_run.wait(30):
        from .remote import training_account

        training_account(app, sandbox_run.server)

    def tick(seconds: int, phase: str) -> bool | None:
        if getattr(progress, "cancelled", False):
            return False
        progress(1, seconds, f"remote:{phase}")
        return None

    return remote_svc.sign_remote(app, decl_id, provider_key, wait=REMOTE_WAIT, on_tick=tick)


def _not_configured() -> dict[str, str]:
    return {"vi": "Chưa cài đặt cổng tiếp nhận: vào Cài đặt → Cổng tiếp nhận. Hồ sơ đã ký "
                  "vẫn được giữ và có thể gửi sau.",
            "en": "No gateway is set up: see Settings → Gateway. A signed dossier is kept "
                  "and can be sent later."}


def _open_signer(app: Any, how: tuple, ask_pin: Any, module_setting: str | None) -> Any:
    if how[0] == "demo":
        return signing_svc.file_signer(signing_svc.ensure_demo_certificate(app),
                                       signing_svc.DEMO_P12_PASSWORD)
    if how[0] == "file":
        return signing_svc.file_signer(Path(how[1]), how[2].encode("utf-8"))
    _, serial, fingerprint = how
    module, _pf = signing_svc.token_preflight(app, module_setting or None, token_serial=serial,
                                              cert_fingerprint=fingerprint)
    from .adapters import get_employer

    e = get_employer(app)
    return signing_svc.token_signer(module, ask_pin, token_serial=serial,
                                    cert_fingerprint=fingerprint,
                                    tax_code=e.tax_code if e else None)


class SendScreen(QWidget):
    """Sign and send one dossier, step by step."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("screen_send")
        self.bridge = PinBridge(self)
        self.bridge.asked.connect(self._ask_pin)
        self.pin_dialog: PinDialog | None = None
        self.job: tasks.Task | None = None
        self.last_error: BaseException | None = None
        self.tokens: list[dict[str, Any]] = []
        outer = QVBoxLayout(self)
        outer.addWidget(title(self.tr("Sign and send"), self))
        row = QHBoxLayout()
        label = QLabel(self.tr("&Dossier:"), self)
        self.dossier = QComboBox(self)
        self.dossier.setObjectName("send_dossier_choice")
        self.dossier.setAccessibleName(self.tr("Dossier to send"))
        compact(self.dossier, 30)
        label.setBuddy(self.dossier)
        row.addWidget(label)
        row.addWidget(self.dossier, 1)
        outer.addLayout(row)
        self.steps = QLabel(self)
        self.steps.setObjectName("send_steps")
        self.steps.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.steps)
        self.pages = QStackedWidget(self)
        outer.addWidget(self.pages, 1)
        self._build_check()
        self._build_cert()
        self._build_work()
        self._build_receipt()
        self._build_failed()
        nav = QHBoxLayout()
        nav.addStretch(1)
        self.back_button = QPushButton(self.tr("< &Back"), self)
        self.back_button.setObjectName("send_back")
        self.next_button = QPushButton(self.tr("&Next >"), self)
        self.next_button.setObjectName("send_next")
        self.next_button.setDefault(True)
        self.next_button.setAutoDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("send_cancel")
        nav.addWidget(self.back_button)
        nav.addWidget(self.next_button)
        nav.addWidget(self.cancel_button)
        outer.addLayout(nav)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.cancel_button.clicked.connect(self.cancel)
        self.dossier.activated.connect(lambda _i: self.start(self.dossier.currentData()))
        qapp = QApplication.instance()
        if qapp is not None:  # a wait for the phone must not keep a closed program alive
            qapp.aboutToQuit.connect(self.cancel)
        self.fill_dossiers()
        self.go(CHECK)

    # -- pages -----------------------------------------------------------------------------

    def _build_check(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        col.addWidget(hint(self.tr("1. The dossier is checked again, exactly as it will be "
                                   "signed."), page))
        self.check_label = QLabel(page)
        self.check_label.setObjectName("send_check_result")
        self.check_label.setWordWrap(True)
        col.addWidget(self.check_label)
        self.check_list = QListWidget(page)
        self.check_list.setObjectName("send_check_problems")
        self.check_list.setWordWrap(True)
        self.check_list.setAccessibleName(self.tr("Problems found"))
        col.addWidget(self.check_list, 1)
        col.addStretch(1)
        self.edit_button = QPushButton(self.tr("Open in the &editor"), page)
        self.edit_button.clicked.connect(lambda: self.ctx.open_declaration(self.decl_id))
        col.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.pages.addWidget(page)

    def _build_cert(self) -> None:
        page = QWidget(self)
        grid = QGridLayout(page)
        grid.addWidget(hint(self.tr("2. Choose how to sign. The USB token of the company is "
                                    "the usual way; a certificate file is for units that "
                                    "have one."), page), 0, 0, 1, 3)
        self.how = QButtonGroup(page)
        self.use_token = QRadioButton(self.tr("USB &token"), page)
        self.use_token.setObjectName("use_token")
        self.use_file = QRadioButton(self.tr("Certificate &file (.p12, .pfx)"), page)
        self.use_file.setObjectName("use_file")
        self.use_demo = QRadioButton(self.tr("De&mo certificate (training only)"), page)
        self.use_demo.setObjectName("use_demo")
        self.use_remote = QRadioButton(self.tr("&Remote signing (SmartCA, CA2 …)"), page)
        self.use_remote.setObjectName("use_remote")
        for i, b in enumerate((self.use_token, self.use_file, self.use_demo,
                               self.use_remote)):
            self.how.addButton(b, i)
        self.use_token.setChecked(True)
        grid.addWidget(self.use_token, 1, 0, 1, 2)
        self.find_button = QPushButton(self.tr("Look for &tokens again"), page)
        self.find_button.setObjectName("find_tokens")
        grid.addWidget(self.find_button, 1, 2)
        self.token_list = QListWidget(page)
        self.token_list.setObjectName("token_list")
        self.token_list.setAccessibleName(self.tr("Certificates on the tokens"))
        grid.addWidget(self.token_list, 2, 0, 1, 3)
        self.token_note = QLabel(page)
        self.token_note.setWordWrap(True)
        grid.addWidget(self.token_note, 3, 0, 1, 3)
        grid.addWidget(self.use_file, 4, 0, 1, 3)
        self.file_path = QLineEdit(page)
        self.file_path.setObjectName("p12_path")
        self.file_path.setAccessibleName(self.tr("Certificate file"))
        browse = QPushButton(self.tr("&Browse…"), page)
        browse.clicked.connect(self._browse)
        self.file_password = QLineEdit(page)
        self.file_password.setObjectName("p12_password")
        self.file_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.file_password.setAccessibleName(self.tr("Password of the certificate file"))
        self.file_password.setPlaceholderText(self.tr("password of the file"))
        grid.addWidget(self.file_path, 5, 0, 1, 2)
        grid.addWidget(browse, 5, 2)
        grid.addWidget(self.file_password, 6, 0, 1, 2)
        grid.addWidget(self.use_demo, 7, 0, 1, 3)
        self._build_remote(page, grid, 8)
        grid.setRowStretch(2, 1)
        self.find_button.clicked.connect(self.find_tokens)
        self.file_path.textEdited.connect(lambda _t: self.use_file.setChecked(True))
        self.token_list.itemActivated.connect(lambda _i: self.next())
        self.pages.addWidget(page)

    def _build_remote(self, page: QWidget, grid: QGridLayout, row: int) -> None:
        grid.addWidget(self.use_remote, row, 0, 1, 3)
        self.remote_accounts: dict[str, dict[str, Any]] = {}
        self.remote_choice = QComboBox(page)
        self.remote_choice.setObjectName("remote_choice")
        self.remote_choice.setAccessibleName(self.tr("Remote signing service"))
        compact(self.remote_choice, 30)
        grid.addWidget(self.remote_choice, row + 1, 0, 1, 2)
        self.remote_note = QLabel(page)
        self.remote_note.setObjectName("remote_account")
        self.remote_note.setWordWrap(True)
        self.remote_note.linkActivated.connect(lambda _l: self.ctx.go("settings"))
        grid.addWidget(self.remote_note, row + 2, 0, 1, 3)
        self.remote_choice.activated.connect(lambda _i: self._remote_chosen())

    def _build_work(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        col.addWidget(hint(self.tr("3. Signing and sending. The PIN is asked for by the "
                                   "token; it is never kept."), page))
        self.work_label = QLabel(page)
        self.work_label.setObjectName("send_work_label")
        self.work_label.setWordWrap(True)
        col.addWidget(self.work_label)
        self.progress = QProgressBar(page)
        self.progress.setObjectName("send_progress")
        self.progress.setRange(0, 3)
        col.addWidget(self.progress)
        col.addStretch(1)
        self.pages.addWidget(page)

    def _build_receipt(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        col.addWidget(hint(self.tr("4. The gateway's receipt (Phiếu giao nhận hồ sơ)."),
                           page))
        self.receipt_label = QLabel(page)
        self.receipt_label.setObjectName("receipt")
        self.receipt_label.setTextFormat(Qt.TextFormat.RichText)
        self.receipt_label.setWordWrap(True)
        self.receipt_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        col.addWidget(self.receipt_label)
        row = QHBoxLayout()
        self.track_button = QPushButton(self.tr("Follow it under &Tracking"), page)
        self.track_button.clicked.connect(lambda: self.ctx.track(self.decl_id))
        row.addWidget(self.track_button)
        row.addStretch(1)
        col.addLayout(row)
        col.addStretch(1)
        self.pages.addWidget(page)

    def _build_failed(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.fail_label = QLabel(page)
        self.fail_label.setObjectName("send_error")
        self.fail_label.setWordWrap(True)
        self.fail_label.setProperty("role", "error")
        self.fail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        col.addWidget(self.fail_label)
        self.state_label = QLabel(page)
        self.state_label.setWordWrap(True)
        col.addWidget(self.state_label)
        row = QHBoxLayout()
        self.retry_button = QPushButton(self.tr("&Try again"), page)
        self.retry_button.setObjectName("send_retry")
        self.paper_button = QPushButton(self.tr("Print the &paper dossier…"), page)
        self.paper_button.setObjectName("offer_paper")
        row.addWidget(self.retry_button)
        row.addWidget(self.paper_button)
        row.addStretch(1)
        col.addLayout(row)
        col.addStretch(1)
        self.retry_button.clicked.connect(lambda: self.go(CERT))
        self.paper_button.clicked.connect(self.offer_paper)
        self.pages.addWidget(page)

    # -- navigation ------------------------------------------------------------------------

    def keyPressEvent(self, event: Any) -> None:
        """Enter anywhere on a step does what the highlighted button says (as in a
        dialog): Next, Sign and send …"""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                self.next_button.isVisible() and self.next_button.isEnabled():
            self.next_button.click()
            return
        super().keyPressEvent(event)

    @property
    def decl_id(self) -> int | None:
        return self.dossier.currentData()

    def fill_dossiers(self, select: int | None = None) -> None:
        current = select if select is not None else self.dossier.currentData()
        self.dossier.blockSignals(True)
        self.dossier.clear()
        items = decls.status(self.ctx.app)
        assert isinstance(items, list)
        for item in items:
            if item["state"] in SENDABLE or item["id"] == current:
                self.dossier.addItem(self.tr("No. {id} · {procedure} · period {period} · "
                                             "{lines} lines · {state}").format(
                    id=item["id"], procedure=item["procedure"], period=item["period"],
                    lines=item.get("lines", 0), state=state_text(item["state"])), item["id"])
        i = self.dossier.findData(current)
        self.dossier.setCurrentIndex(i if i >= 0 else 0)
        self.dossier.blockSignals(False)

    def start(self, decl_id: int | None) -> None:
        """Begin (again) with a dossier: its check first."""
        if self.job is not None:
            return
        self.fill_dossiers(select=decl_id)
        self.go(CHECK)

    def go(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        names = [self.tr("1 Check"), self.tr("2 Certificate"), self.tr("3 Sign and send"),
                 self.tr("4 Receipt")]
        shown = min(page, RECEIPT) if page != FAILED else WORK
        self.steps.setText("  ›  ".join(f"<b><u>{n}</u></b>" if i == shown else n
                                        for i, n in enumerate(names)))
        self.back_button.setEnabled(page in (CERT, FAILED))
        self.next_button.setVisible(page in (CHECK, CERT, RECEIPT))
        self.next_button.setText(self.tr("Sign and &send") if page == CERT else
                                 self.tr("Send &another") if page == RECEIPT else
                                 self.tr("&Next >"))
        self.cancel_button.setEnabled(page == WORK)
        if page == CHECK:
            self.run_check()
        elif page == CERT:
            self.find_tokens()

    def back(self) -> None:
        if self.pages.currentIndex() in (CERT, FAILED):
            self.go(CHECK)

    def next(self) -> None:
        page = self.pages.currentIndex()
        if page == CHECK and self.next_button.isEnabled():
            self.go(CERT)
        elif page == CERT:
            self.sign_and_send()
        elif page == RECEIPT:
            self.start(None)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.bridge.cancel()

    # -- 1. check --------------------------------------------------------------------------

    def run_check(self) -> None:
        decl_id = self.decl_id
        self.check_list.clear()
        self.check_list.setVisible(False)
        self.edit_button.setVisible(False)
        if decl_id is None:
            self.check_label.setText(self.tr("There is no dossier to send. Make one under "
                                             "Declarations."))
            self.next_button.setEnabled(False)
            return
        self.next_button.setEnabled(False)
        self.check_label.setProperty("role", "hint")
        self.check_label.setText(self.tr("Checking dossier {id}…").format(id=decl_id))
        app = self.ctx.app

        def job(_p: Any) -> Any:
            decl, workers = decls.load(app, decl_id)
            if decl.state == DossierState.SIGNED:
                return ("signed", decl, None)
            if decl.state in (DossierState.SENT, DossierState.ACCEPTED):
                return ("done", decl, None)
            result = adapters.check_draft(app, decl, workers)
            return ("checked", decl, result)

        tasks.run(job, self._checked, self._check_failed)

    def _checked(self, answer: tuple) -> None:
        kind, decl, result = answer
        if kind == "done":
            self.check_label.setText(self.tr("This dossier was sent already ({state}). Its "
                                             "receipt and result are under Tracking.")
                                     .format(state=state_text(str(decl.state))))
            return
        if kind == "signed":
            self._ok(self.tr("Dossier {id} is signed and waits to be sent.").format(
                id=decl.id))
            return
        problems = [p for p in result.problems if p.severity == "error"]
        if problems:
            self.check_label.setProperty("role", "error")
            self.check_label.setText(self.tr("{count} problem(s) must be fixed first:")
                                     .format(count=len(problems)))
            for p in problems:
                self.check_list.addItem(QListWidgetItem(p.message(lang())))
            self.check_list.setVisible(True)
            self.edit_button.setVisible(True)
            restyle(self.check_label)
            return
        forms = ", ".join(f"{code} × {n}" if n > 1 else code for code, n in result.forms)
        due = vnd(result.summary.total) if result.summary else "—"
        self._ok(self.tr("No problems. {lines} lines; forms: {forms}; contributions due: "
                         "{due} đồng.").format(lines=len(decl.lines), forms=forms, due=due))

    def _ok(self, text: str) -> None:
        self.check_label.setProperty("role", "ok")
        self.check_label.setText(text)
        restyle(self.check_label)
        self.next_button.setEnabled(True)
        self.next_button.setFocus()

    def _check_failed(self, exc: BaseException) -> None:
        self.check_label.setProperty("role", "error")
        self.check_label.setText(error_message(exc))
        restyle(self.check_label)

    # -- 2. certificate --------------------------------------------------------------------

    def find_tokens(self) -> None:
        self.token_note.setText(self.tr("Looking for tokens…"))
        self.find_button.setEnabled(False)
        module = self.ctx.prefs.module or None
        e = adapters.get_employer(self.ctx.app)
        tax = e.tax_code if e else None
        demo_cert = signing_svc.demo_signer_path(self.ctx.app).exists()
        self.use_demo.setVisible(demo_cert or self.ctx.sandbox is not None)
        self.fill_remote()

        def job(_p: Any) -> list[dict[str, Any]]:
            with TOKEN_LOCK:
                try:
                    report = signing_svc.token_report(module, lang())
                except UserError:
                    return []
            out = []
            for entry in report:
                for t in entry["tokens"]:
                    for c in t["certificates"]:
                        out.append({"module": entry["module"], "token": t, "cert": c,
                                    "mine": bool(tax and c["tax_code"] == tax)})
            return out

        tasks.run(job, lambda found: self._tokens_found(found, tax), self._tokens_failed)

    def _tokens_found(self, found: list[dict[str, Any]], tax: str | None) -> None:
        self.find_button.setEnabled(True)
        self.tokens = found
        self.token_list.clear()
        best = None
        for i, f in enumerate(found):
            t, c = f["token"], f["cert"]
            days = c["days_to_expiry"]
            when = (self.tr("expired") if days < 0 else
                    self.tr("{days} days left").format(days=days))
            text = self.tr("{label} · {subject} · tax code {tax} · {when}").format(
                label=t["label"], subject=c["subject"], tax=c["tax_code"] or "—", when=when)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, i)
            usable = days >= 0 and (f["mine"] or not tax)
            if not usable:
                item.setForeground(Qt.GlobalColor.gray)
            elif best is None:
                best = item
            self.token_list.addItem(item)
        if best is not None:
            self.token_list.setCurrentItem(best)
            self.token_note.setText("")
        elif found:
            self.token_note.setText(self.tr("No valid certificate of this company on the "
                                            "tokens found."))
        else:
            self.token_note.setText(self.tr("No token found. Plug in the USB token, wait a "
                                            "few seconds and press Look for tokens again. "
                                            "If it is still not found, set its module "
                                            "under Settings."))
            if self.use_token.isChecked() and self.use_demo.isVisible():
                self.use_demo.setChecked(True)

    def _tokens_failed(self, exc: BaseException) -> None:
        self.find_button.setEnabled(True)
        self.token_note.setText(error_message(exc))

    def tokens_changed(self, _state: Any) -> None:
        """The watcher saw a token come or go: refresh the list if it is on screen."""
        if self.pages.currentIndex() == CERT and self.find_button.isEnabled():
            self.find_tokens()

    def fill_remote(self) -> None:
        """The remote services the unit has an account at (the training one too while
        the window's sandbox runs), each with its account."""
        from ..services import remote_signing as remote_svc

        app, current = self.ctx.app, self.remote_choice.currentData()
        self.remote_accounts = {a["provider"]: a for a in remote_svc.show_accounts(app)}
        try:
            known = remote_svc.providers()
        except UserError:
            known = {}
        keys = [k for k in self.remote_accounts if k in known and known[k].supported]
        if self.ctx.sandbox is not None and TRAINING in known and TRAINING not in keys:
            keys.append(TRAINING)
        self.remote_choice.clear()
        for key in keys:
            self.remote_choice.addItem(known[key].name(lang()), key)
        i = self.remote_choice.findData(current)
        self.remote_choice.setCurrentIndex(i if i >= 0 else 0)
        self.remote_choice.setEnabled(bool(keys))
        self._remote_chosen()
        if keys and self.ctx.prefs.get("sign_with") == "remote":  # the demo's choice
            self.use_remote.setChecked(True)

    def _remote_chosen(self) -> None:
        key = self.remote_choice.currentData()
        account = self.remote_accounts.get(key) if key else None
        settings = self.tr("<a href=\"settings\">Settings → Remote signing</a>")
        if key is None:
            text = self.tr("No remote signing account yet: set one up under {settings}."
                           ).format(settings=settings)
        elif key == TRAINING and self.ctx.sandbox is not None:
            text = self.tr("The training service of the sandbox on this computer: approve "
                           "on the training phone.")
        elif account is None or not account["serial"]:
            text = self.tr("The account is not complete: see {settings}.").format(
                settings=settings)
        else:
            text = self.tr("Account {user} · certificate {serial}").format(
                user=escape(account["user_id"]), serial=escape(account["serial"]))
        self.remote_note.setText(text)
        if key is not None and self.remote_choice.hasFocus():
            self.use_remote.setChecked(True)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Certificate file"),
                                              str(Path.home()),
                                              self.tr("Certificates (*.p12 *.pfx)"))
        if path:
            self.file_path.setText(path)
            self.use_file.setChecked(True)
            self.file_password.setFocus()

    def _how(self) -> tuple | None:
        if self.use_demo.isChecked():
            return ("demo",)
        if self.use_remote.isChecked():
            key = self.remote_choice.currentData()
            if key is None:
                self.remote_note.setText(self.tr("Choose a remote signing service first."))
                return None
            return ("remote", key)
        if self.use_file.isChecked():
            if not self.file_path.text().strip():
                self.token_note.setText(self.tr("Choose the certificate file first."))
                return None
            how = ("file", self.file_path.text().strip(), self.file_password.text())
            self.file_password.clear()
            return how
        item = self.token_list.currentItem()
        if item is None:
            self.token_note.setText(self.tr("Choose a certificate in the list first."))
            return None
        f = self.tokens[item.data(Qt.ItemDataRole.UserRole)]
        return ("token", f["token"]["serial"], f["cert"]["fingerprint"])

    # -- 3. sign and send ------------------------------------------------------------------

    def sign_and_send(self) -> tasks.Task | None:
        how = self._how()
        decl_id = self.decl_id
        if how is None or decl_id is None:
            return None
        self.go(WORK)
        self.progress.setValue(0)
        self.work_label.setText(self.tr("Opening the certificate…"))
        self.bridge = PinBridge(self)
        self.bridge.asked.connect(self._ask_pin)
        app, bridge = self.ctx.app, self.bridge
        module = self.ctx.prefs.module or None
        self.last_error = None

        running = self.ctx.sandbox if self.ctx.prefs.gateway_mode == "sandbox" else None

        def job(progress: Any) -> Any:
            return sign_and_send(app, decl_id, how, bridge.ask, progress, module, running)

        self.job = tasks.run(job, self._sent, self._send_failed, self._progress)
        if how[0] == "remote":
            self._show_countdown(how[1])
        return self.job

    def _show_countdown(self, key: str) -> None:
        from .remote import CountdownDialog

        phone = self.open_phone if key == TRAINING and self.ctx.sandbox is not None else None
        self.countdown = CountdownDialog(self.remote_choice.currentText() or key, phone, self)
        self.countdown.cancelled.connect(self.cancel)
        self.countdown.open()

    def open_phone(self, parent: QWidget | None = None) -> Any:
        """The training phone of the window's sandbox (None while it is not running)."""
        from .remote import PhoneDialog, TrainingPhone

        running = self.ctx.sandbox
        if running is None or running.server is None:
            return None
        self.phone_dialog = PhoneDialog(TrainingPhone.of(running.server), parent or self)
        self.phone_dialog.open()
        return self.phone_dialog

    def _close_countdown(self) -> None:
        dialog, self.countdown = getattr(self, "countdown", None), None
        if dialog is not None:
            dialog.finish()

    def _progress(self, done: int, total: int, step: str) -> None:
        if step.startswith("remote:"):
            dialog = getattr(self, "countdown", None)
            if dialog is not None:
                dialog.tick(total, step.split(":", 1)[1])
            self.work_label.setText(self.tr("Waiting for the approval on the phone…"))
            return
        self.progress.setValue(done)
        self.work_label.setText({"sign": self.tr("Signing the dossier…"),
                                 "send": self.tr("Sending to the gateway…"),
                                 "done": self.tr("Done.")}.get(step, step))

    def _ask_pin(self, preflight: Any) -> None:
        ask_pin_for(self, preflight, self.bridge, self.work_label, self.tr("Waiting for the PIN…"),
                    self.tr("Signing the dossier…"))

    def _sent(self, out: dict[str, Any]) -> None:
        self.job = None
        self._close_countdown()
        self.ctx.dossiers_changed()
        tracking = out.get("tracking") or {}
        receipt = tracking.get("receipt") or {}
        number = tracking.get("dossier_number") or receipt.get("number") or "—"
        rows = [(self.tr("Dossier number"), f"<b>{number}</b>"),
                (self.tr("Received at"), when(receipt.get("received_at"))),
                (self.tr("Agency"), receipt.get("agency", "—")),
                (self.tr("Forms"), counted(receipt.get("forms", [])) or "—"),
                (self.tr("State"), state_text(tracking.get("state", "sent")))]
        signed = out.get("signed")
        if signed is not None:
            subject = signed.certificate.get("subject", "")
            cn = next((part[3:] for part in subject.split(",") if part.startswith("CN=")),
                      subject)
            rows.append((self.tr("Signed with"), cn))
        html = "<table cellspacing=6>" + "".join(
            f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in rows) + "</table>"
        if signed is not None and signed.warnings:
            html += "<p>" + "<br>".join(signed.warnings) + "</p>"
        self.receipt_label.setText(html)
        self.go(RECEIPT)
        self.fill_dossiers(select=self.decl_id)

    def _send_failed(self, exc: BaseException) -> None:
        self.job = None
        self._close_countdown()
        self.last_error = exc
        if self.pin_dialog is not None:
            self.pin_dialog.reject()
        self.fail_label.setText(error_message(exc))
        decl_id = self.decl_id
        try:
            decl, _ = decls.load(self.ctx.app, decl_id) if decl_id is not None else (None, None)
        except UserError:
            decl = None
        if decl is not None:
            self.state_label.setText(self.tr("Dossier {id} is still {state}: nothing was "
                                             "lost.").format(id=decl_id,
                                                             state=state_text(str(decl.state))
                                                             .lower()))
        offer = adapters.paper_offer(exc)
        self.paper_button.setVisible(offer is not None)
        self.paper_offer = offer
        self.go(FAILED)
        (self.paper_button if offer is not None else self.retry_button).setFocus()
        self.ctx.dossiers_changed()
        self.fill_dossiers(select=decl_id)

    def offer_paper(self) -> Any:
        from .paper import PaperDialog

        offer = getattr(self, "paper_offer", None)
        dialog = PaperDialog(self.ctx, self.decl_id,
                             reason=offer.reason_vi if offer is not None else "",
                             message=offer.message(lang()) if offer is not None else "",
                             parent=self)
        self.paper_dialog = dialog
        dialog.open()
        return dialog

    # -- notifications ---------------------------------------------------------------------

    def dossiers_changed(self) -> None:
        if self.job is None:
            self.fill_dossiers()

    def shown(self) -> None:
        if self.job is None and self.pages.currentIndex() in (CHECK, RECEIPT, FAILED):
            self.fill_dossiers()
            if self.pages.currentIndex() == CHECK:
                self.run_check()

