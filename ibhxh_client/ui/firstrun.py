"""The first run: a short setup (company, token, gateway, the registration for
electronic filing), or demo data to try the program out (the demo company, its workers
and a draft, the demo certificate, and the sandbox gateway started in the background)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..services.app import UserError
from . import adapters, sandbox, tasks
from .company import employer_fields, employer_values
from .i18n import lang
from .widgets import FieldPanel, FormScroll, error_message, fit_screen, hint, title

WELCOME, COMPANY, TOKEN, GATEWAY, REGISTER, BUSY = range(6)


def needs_setup(ctx: Any) -> bool:
    """Nothing in this data folder yet, and the officer has not set it up before."""
    return adapters.get_employer(ctx.app) is None and not ctx.prefs.flag("setup_done")


def run_setup(ctx: Any) -> bool:
    dialog = FirstRunDialog(ctx)
    return dialog.exec() == QDialog.DialogCode.Accepted


def make_demo_data(app: Any, workers: int = 25) -> int:
    """The demo company with its workers, draft dossier and certificate (worker thread)."""
    from ..services import signing
    from ..services.demo import make_demo

    decl_id = make_demo(app, workers)
    signing.ensure_demo_certificate(app)
    return decl_id


class FirstRunDialog(QDialog):
    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("first_run")
        self.setWindowTitle(self.tr("Welcome to iBHXH"))
        fit_screen(self, 760, 520)
        col = QVBoxLayout(self)
        self.pages = QStackedWidget(self)
        col.addWidget(self.pages, 1)
        self._welcome()
        self._company()
        self._token()
        self._gateway()
        self._register()
        self._busy()
        nav = QHBoxLayout()
        self.message = QLabel(self)
        self.message.setObjectName("first_run_message")
        self.message.setWordWrap(True)
        self.message.setProperty("role", "error")
        nav.addWidget(self.message, 1)
        self.back_button = QPushButton(self.tr("< &Back"), self)
        self.next_button = QPushButton(self.tr("&Next >"), self)
        self.next_button.setObjectName("first_run_next")
        self.next_button.setDefault(True)
        self.close_button = QPushButton(self.tr("Later"), self)
        self.close_button.setToolTip(self.tr("Open the program without setting it up now"))
        for b in (self.back_button, self.next_button, self.close_button):
            nav.addWidget(b)
        col.addLayout(nav)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.close_button.clicked.connect(self.later)
        self.go(WELCOME)

    # -- pages -----------------------------------------------------------------------------

    def _welcome(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        col.addWidget(title(self.tr("Welcome"), page))
        col.addWidget(hint(self.tr(
            "This program prepares the monthly social-insurance declarations (D02-LT, "
            "TK1-TS, TK3-TS, D01-TS), checks every identifier, computes the contributions, "
            "signs with the company's USB token and sends to the Social Security gateway. "
            "When sending fails, it prints the paper dossier."), page))
        col.addSpacing(16)
        self.setup_button = QPushButton(self.tr("&Set up my company"), page)
        self.setup_button.setObjectName("start_setup")
        self.setup_button.setMinimumHeight(48)
        self.demo_button = QPushButton(self.tr("&Try with demo data"), page)
        self.demo_button.setObjectName("start_demo")
        self.demo_button.setMinimumHeight(48)
        col.addWidget(self.setup_button)
        col.addWidget(hint(self.tr("Four short steps: the company's profile, the USB token, "
                                   "the gateway, the registration for electronic filing."),
                           page))
        col.addSpacing(8)
        col.addWidget(self.demo_button)
        col.addWidget(hint(self.tr("A demo company with 25 workers and a draft declaration, "
                                   "a demo certificate and a sandbox gateway on this "
                                   "computer: try everything without a real filing."), page))
        self.demo_sign_file = QRadioButton(self.tr("Sign with the demo certificate"), page)
        self.demo_sign_file.setObjectName("demo_sign_file")
        self.demo_sign_remote = QRadioButton(
            self.tr("Sign remotely: the training service, approved on a training phone"), page)
        self.demo_sign_remote.setObjectName("demo_sign_remote")
        self.demo_signing = QButtonGroup(page)
        self.demo_signing.addButton(self.demo_sign_file)
        self.demo_signing.addButton(self.demo_sign_remote)
        self.demo_sign_file.setChecked(True)
        col.addWidget(self.demo_sign_file)
        col.addWidget(self.demo_sign_remote)
        col.addStretch(1)
        self.setup_button.clicked.connect(lambda: self.go(COMPANY))
        self.demo_button.clicked.connect(self.start_demo)
        self.pages.addWidget(page)

    def _company(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        col.addWidget(title(self.tr("1/4 · The company"), page))
        col.addWidget(hint(self.tr("As on the business licence and the last Social Security "
                                   "notice. Fields marked * are required."), page))
        self.panel = FieldPanel(employer_fields(self.ctx), page)
        self.panel.set_values(self.ctx.drafts.load("employer") or employer_values(None))
        self.panel.typed.connect(lambda: self.ctx.drafts.save("employer", self.panel.values()))
        col.addWidget(FormScroll(self.panel, page), 1)
        self.pages.addWidget(page)

    def _token(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        col.addWidget(title(self.tr("2/4 · The USB token"), page))
        col.addWidget(hint(self.tr("Plug in the company's USB token and press Find. The "
                                   "program knows the drivers of Viettel-CA, VNPT-CA, "
                                   "BKAV-CA, FPT-CA and others; if yours is not found, give "
                                   "the path of its PKCS#11 library (a .dll)."), page))
        row = QHBoxLayout()
        self.module = QLineEdit(self.ctx.prefs.module, page)
        self.module.setAccessibleName(self.tr("Token module (PKCS#11 library)"))
        self.module.setPlaceholderText(self.tr("found automatically"))
        find = QPushButton(self.tr("&Find"), page)
        find.clicked.connect(self.find_tokens)
        row.addWidget(self.module, 1)
        row.addWidget(find)
        col.addLayout(row)
        self.token_result = QLabel(page)
        self.token_result.setWordWrap(True)
        col.addWidget(self.token_result)
        col.addStretch(1)
        self.pages.addWidget(page)

    def _gateway(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        col.addWidget(title(self.tr("3/4 · The gateway"), page))
        self.use_sandbox = QRadioButton(self.tr("&Sandbox gateway on this computer (to "
                                                "practise first)"), page)
        self.use_real = QRadioButton(self.tr("The Social Security &gateway"), page)
        group = QButtonGroup(page)
        group.addButton(self.use_sandbox)
        group.addButton(self.use_real)
        self.use_sandbox.setChecked(True)
        col.addWidget(self.use_sandbox)
        col.addWidget(self.use_real)
        self.url = QLineEdit(page)
        self.url.setPlaceholderText("https://…")
        self.url.setAccessibleName(self.tr("Gateway address"))
        self.password = QLineEdit(page)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Trial account password"))
        self.password.setPlaceholderText(self.tr("trial account password (units without a "
                                                 "token)"))
        col.addWidget(self.url)
        col.addWidget(self.password)
        col.addWidget(hint(self.tr("This can be changed at any time under Settings."), page))
        col.addStretch(1)
        self.url.textEdited.connect(lambda _t: self.use_real.setChecked(True))
        self.pages.addWidget(page)

    def _register(self) -> None:
        from .registration import RegistrationPanel, sandbox_target

        page = QWidget(self)
        col = QVBoxLayout(page)
        col.addWidget(title(self.tr("4/4 · Registering for electronic filing"), page))
        col.addWidget(hint(self.tr(
            "Before its first electronic dossier the unit registers with the gateway "
            "(form 04/ĐK-IVAN), signed with its digital certificate. A unit without one "
            "yet asks for a trial password instead. This can also be done later under "
            "Settings."), page))

        def target() -> Any:
            if self.ctx.prefs.gateway_mode == "sandbox":
                return sandbox_target(self.ctx)
            url = self.ctx.prefs.gateway_url or None
            return lambda: (url, None)

        self.registration = RegistrationPanel(self.ctx, target, page, first_run=True)
        col.addWidget(self.registration)
        col.addStretch(1)
        self.pages.addWidget(page)

    def _busy(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        col.addStretch(1)
        self.busy_label = QLabel(page)
        self.busy_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.busy_label)
        bar = QProgressBar(page)
        bar.setRange(0, 0)
        col.addWidget(bar)
        col.addStretch(1)
        self.pages.addWidget(page)

    # -- navigation ------------------------------------------------------------------------

    def go(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self.message.setText("")
        self.back_button.setVisible(page in (COMPANY, TOKEN, GATEWAY, REGISTER))
        self.next_button.setVisible(page in (COMPANY, TOKEN, GATEWAY, REGISTER))
        self.next_button.setText(self.tr("&Finish") if page == REGISTER else self.tr("&Next >"))
        self.close_button.setEnabled(page != BUSY)
        if page == COMPANY:
            self.panel.focus("name")
        elif page == TOKEN:
            self.find_tokens()
        elif page == WELCOME:
            self.setup_button.setFocus()
        elif page == REGISTER:
            self.registration.choose_default(self.ctx.prefs.gateway_mode == "sandbox")
            self.registration.refresh()
            self.registration.register_button.setFocus()

    def back(self) -> None:
        self.go(max(WELCOME, self.pages.currentIndex() - 1))

    def next(self) -> None:
        page = self.pages.currentIndex()
        if page == COMPANY:
            try:
                adapters.save_employer(self.ctx.app, self.panel.values())
            except UserError as exc:
                self.panel.show_problems(exc.problems)
                self.message.setText(exc.message(lang()) if not exc.problems else
                                     self.tr("Fix the fields marked in red."))
                return
            self.ctx.drafts.clear("employer")
            self.go(TOKEN)
        elif page == TOKEN:
            self.ctx.prefs.set("token_module", self.module.text().strip())
            self.go(GATEWAY)
        elif page == GATEWAY:
            self.finish_gateway()
        elif page == REGISTER and self.registration.job is None:
            self.ctx.prefs.set("setup_done", True)
            self.accept()

    def later(self) -> None:
        self.ctx.prefs.set("setup_done", True)
        self.accept()

    def find_tokens(self) -> None:
        from .tokens import TOKEN_LOCK, poll

        module = self.module.text().strip() or None
        e = adapters.get_employer(self.ctx.app)
        tax, language = (e.tax_code if e else None), lang()
        self.token_result.setText(self.tr("Looking for tokens…"))

        def job(_p: Any) -> Any:
            with TOKEN_LOCK:
                return poll(module, tax, language)

        def done(state: Any) -> None:
            tokens = [t for t in state if not t.error]
            if tokens:
                self.token_result.setText("\n".join(
                    self.tr("Found: {label} · {name} · {days} days left").format(
                        label=t.label, name=t.cert_name or "—",
                        days=t.days_to_expiry if t.days_to_expiry is not None else "—")
                    for t in tokens))
            else:
                self.token_result.setText(self.tr("No token found yet. You can go on and "
                                                  "plug it in later."))

        tasks.run(job, done, lambda exc: self.token_result.setText(error_message(exc)))

    def finish_gateway(self) -> None:
        if self.use_sandbox.isChecked():
            self.ctx.prefs.set("gateway_mode", "sandbox")
            sandbox.start(self.ctx)
            self.go(REGISTER)
            return
        sub = adapters.submission()
        e = adapters.get_employer(self.ctx.app)
        url, password = self.url.text().strip(), self.password.text()
        self.password.clear()
        self.ctx.prefs.set("gateway_mode", "gateway")
        self.ctx.prefs.set("gateway_url", url)
        if sub is not None and e is not None and url and not password:
            self.go(REGISTER)  # a new account: the unit registers (a password is one)
            return
        if sub is None or e is None or not url:
            self.ctx.prefs.set("setup_done", True)
            self.accept()
            return
        app = self.ctx.app
        self.busy_label.setText(self.tr("Connecting to the gateway…"))
        self.go(BUSY)

        def failed(exc: BaseException) -> None:
            self.go(GATEWAY)
            self.message.setText(error_message(exc))

        def done(_r: Any) -> None:
            self.ctx.prefs.set("setup_done", True)
            self.accept()

        tasks.run(lambda _p: sub.login(app, url, e.unit_code, password=password), done,
                  failed)

    def start_demo(self) -> tasks.Task:
        self.busy_label.setText(self.tr("Preparing the demo company and starting the "
                                        "sandbox gateway…"))
        self.go(BUSY)
        app = self.ctx.app
        self.ctx.prefs.set("gateway_mode", "sandbox")
        remote = self.demo_sign_remote.isChecked()
        self.ctx.prefs.set("sign_with", "remote" if remote else "")
        running = sandbox.start(self.ctx)

        def job(_p: Any) -> int:
            decl_id = make_demo_data(app)
            if running is not None and running.wait(60):
                sandbox.configure(app, running)
                if remote:  # the unit's account at the sandbox's training service
                    from .remote import training_account

                    training_account(app, running.server)
            return decl_id

        def done(decl_id: int) -> None:
            self.demo_id = decl_id
            self.ctx.prefs.set("setup_done", True)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.go(WELCOME)
            self.message.setText(error_message(exc))

        return tasks.run(job, done, failed)
