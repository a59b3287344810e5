"""A shared office in the window: the Settings group that chooses the database (this PC's
file or a PostgreSQL server), the officers of a shared database (asking to join, letting
in, removing, rotating the key), the banner of a PC not let in, and the "to sign" list.

Every decision is the services' (services.database, services.officers); this module asks
and shows. Changing the database reopens the data in place: the window's background work
is let end and every draft written first (as for a switch of unit), the new data is
opened in the background, then the screens are made again on it and the old one closed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from . import tasks
from .i18n import lang, translate
from .widgets import error_message, hint, list_table

PORT = 5432


def why(exc: BaseException) -> str:
    """The sentence for a failure, the server's own (unreachable, wrong password, no such
    database) included."""
    from ..domain.messages import say
    from ..storage.db import ServerError

    if isinstance(exc, ServerError):
        return say(exc.code, lang(), **exc.params)
    return error_message(exc)


def officer_state(app: Any) -> tuple[Any, str]:
    """This PC's officer (None on a single PC or when not let in) and, when the data is
    shared and this PC cannot open it, the service's sentence saying why."""
    officer, _code, locked = officer_why(app)
    return officer, locked


def officer_why(app: Any) -> tuple[Any, str, str]:
    """As ``officer_state``, with the message code of why this PC cannot open the data."""
    from ..services import officers
    from ..services.app import UserError

    try:
        return officers.current(app), "", ""
    except UserError as exc:
        return None, exc.code, exc.message(lang())


def role_text(roles: Any) -> str:
    from ..services import officers

    return officers.role_names(tuple(roles), lang())


def is_shared(app: Any) -> bool:
    from ..services import officers

    return officers.shared(app)


# -- the banner and the status bar --------------------------------------------------------------

class OfficeBanner(QLabel):
    """Across the top of the window while this PC's officer waits to be let in, or was
    removed: what it means, instead of a failure on the first personal value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("office_banner")
        self.setWordWrap(True)
        self.setStyleSheet("QLabel#office_banner { background: #fff3cd; color: #5c4400; "
                           "padding: 6px; border-bottom: 1px solid #e0c060; }")
        self.setVisible(False)

    def show_state(self, app: Any, found: tuple[Any, str, str] | None = None
                   ) -> tuple[Any, bool]:
        """The officer of this PC (None when none or locked), and whether this PC cannot
        open the shared data (the banner shown then). ``found``: ``officer_why(app)``
        already asked (in the background)."""
        officer, code, locked = found if found is not None else officer_why(app)
        if code == "officer_waiting":
            self.setText(self.tr("Waiting for a signer to let this computer in… {why}")
                         .format(why=locked))
        elif locked:
            self.setText(self.tr("This computer cannot open the shared data: {why} "
                                 "(Settings → Officers)").format(why=locked))
        self.setVisible(bool(locked))
        return officer, bool(locked)


def officer_seen(found: tuple[Any, str, str]) -> tuple[Any, str]:
    """What of ``officer_why``'s answer tells one state of this PC from another: its
    officer and their roles, or why it cannot open the data."""
    officer, code, _locked = found
    return ((officer.login, tuple(officer.roles)) if officer is not None else None), code


def officer_change(before: tuple[Any, str], after: tuple[Any, str]) -> str:
    """The status bar's words for what changed between two ``officer_seen`` states ("":
    nothing to say beyond the banner)."""
    was, now = before[0], after[0]
    if was is None and now is not None:
        return translate("Office", "This computer was let in: {login} works here now as "
                         "{roles}.").format(login=now[0], roles=role_text(now[1]))
    if was is not None and now is None and after[1]:  # shut out (not: no longer shared)
        return translate("Office", "This computer can no longer open the shared data: "
                         "the screens with personal data are closed.")
    if was is not None and now is not None and was != now:
        return translate("Office", "The roles of {login} are now: {roles}.").format(
            login=now[0], roles=role_text(now[1]))
    return ""


def officer_status(officer: Any) -> str:
    """The status bar's words for this PC's officer in a shared database ("" if none)."""
    if officer is None:
        return ""
    return translate("Office", "Officer: {login} ({roles})").format(
        login=officer.login, roles=role_text(officer.roles))


# -- the database group ---------------------------------------------------------------------

class DatabaseBox(QGroupBox):
    """Where the data is, and the choice of a shared office's PostgreSQL server."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Database"), parent)
        self.ctx = ctx
        self.setObjectName("database_group")
        self.job: tasks.Task | None = None
        form = QFormLayout(self)
        self.where = QLabel(self)
        self.where.setObjectName("database_where")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("In use:"), self.where)
        form.addRow(hint(self.tr("A shared office keeps its data on a PostgreSQL server; "
                                 "every officer's computer works on it. The password is "
                                 "kept in the Windows Credential Manager."), self))
        self.host = self._field("database_host", self.tr("Server (name or address)"))
        self.port = QSpinBox(self)
        self.port.setObjectName("database_port")
        self.port.setRange(1, 65535)
        self.port.setValue(PORT)
        self.port.setAccessibleName(self.tr("Port"))
        self.name = self._field("database_name", self.tr("Database name"))
        self.user = self._field("database_user", self.tr("User"))
        self.password = self._field("database_password", self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        row = QHBoxLayout()
        row.addWidget(self.host, 1)
        row.addWidget(QLabel(self.tr("Port:"), self))
        row.addWidget(self.port)
        form.addRow(self._label(self.tr("Ser&ver:"), self.host), row)
        form.addRow(self._label(self.tr("Database na&me:"), self.name), self.name)
        row = QHBoxLayout()
        row.addWidget(self.user, 1)
        row.addWidget(self._label(self.tr("Pass&word:"), self.password))
        row.addWidget(self.password, 1)
        form.addRow(self._label(self.tr("U&ser:"), self.user), row)
        self.test_button = QPushButton(self.tr("&Test the connection"), self)
        self.test_button.setObjectName("database_test")
        self.use_button = QPushButton(self.tr("Use this ser&ver"), self)
        self.use_button.setObjectName("database_use")
        self.local_button = QPushButton(self.tr("Back to the data on this &computer"), self)
        self.local_button.setObjectName("database_local")
        row = QHBoxLayout()
        for button in (self.test_button, self.use_button, self.local_button):
            row.addWidget(button)
        row.addStretch(1)
        form.addRow(row)
        self.busy = QProgressBar(self)
        self.busy.setObjectName("database_busy")
        self.busy.setRange(0, 0)  # no steps to count: a connection either answers or not
        self.busy.setMaximumHeight(8)
        self.busy.setTextVisible(False)
        self.busy.setVisible(False)
        form.addRow(self.busy)
        self.result = QLabel(self)
        self.result.setObjectName("database_result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.result)
        self.test_button.clicked.connect(lambda: self.test())
        self.use_button.clicked.connect(lambda: self.use())
        self.local_button.clicked.connect(lambda: self.local())
        self.show_where()

    def _field(self, name: str, accessible: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setObjectName(name)
        field.setAccessibleName(accessible)
        return field

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def show_where(self) -> None:
        from ..services import database
        from ..services.app import UserError

        try:
            found = database.show(self.ctx.app.data_dir)
        except UserError as exc:  # a damaged database.json: said, the rest still usable
            self.where.setText(why(exc))
            return
        local = found["engine"] == "sqlite"
        text = (self.tr("the file on this computer: {url}") if local else
                self.tr("the shared server: {url}"))
        text = text.format(url=found["url"].removeprefix("sqlite:///"))
        if found["source"] in ("environment", "argument"):
            # IBHXH_DATABASE_URL or --database wins over what is chosen here
            text += "\n" + self.tr("Chosen for this run by IBHXH_DATABASE_URL or --database: "
                                   "a choice made here takes effect once they are not set.")
        self.where.setText(text)
        self.local_button.setEnabled(not local)

    def _url(self) -> str:
        from ..services import database

        return database.server_url(self.host.text(), self.port.value(), self.name.text(),
                                   self.user.text(), self.password.text())

    def _start(self, text: str, job: Any, done: Any, then: Any = None) -> tasks.Task:
        """``job`` in the background, the busy bar shown; ``done`` with its result, or the
        failure said (and ``then()`` called after)."""
        for button in (self.test_button, self.use_button, self.local_button):
            button.setEnabled(False)
        self.busy.setVisible(True)
        self.result.setText(text)

        def ended() -> None:
            self.busy.setVisible(False)
            for button in (self.test_button, self.use_button, self.local_button):
                button.setEnabled(True)
            self.job = None

        def ok(result: Any) -> None:
            ended()
            done(result)

        def failed(exc: BaseException) -> None:
            ended()
            self.result.setText(why(exc))
            self.show_where()
            if then is not None:
                then()

        self.job = tasks.run(job, ok, failed)
        return self.job

    def test(self) -> tasks.Task:
        """Try the server in the form; nothing is saved."""
        from ..services import database

        url, folder = self._url(), self.ctx.app.data_dir
        return self._start(self.tr("Connecting…"), lambda _p: database.check(folder, url),
                           lambda r: self.result.setText(self.tr(
                               "The server answers: {url}.").format(url=r["url"])))

    def use(self) -> tasks.Task | None:
        """Work on the server in the form from now on (the service tries it first: a
        wrong password or a server that does not answer changes nothing)."""
        return self._switch(self._url())

    def local(self) -> tasks.Task | None:
        """Back to this PC's own file (the server keeps its data)."""
        return self._switch(None)

    def _switch(self, url: str | None) -> tasks.Task | None:
        """Another database (``url``; None: this PC's file), then the data reopened on it."""
        window = self.ctx.window
        refused = window.leave_unit() if window is not None else None
        if refused:
            self.result.setText(refused)
            return None
        folder, language = self.ctx.app.data_dir, self.ctx.app.lang
        self.password.clear()
        chosen: dict[str, Any] = {}

        def job(_p: Any) -> tuple[dict[str, str], Any]:
            from ..services import database
            from ..services.app import open_app

            chosen.update(database.use(folder, url) if url is not None
                          else database.local(folder))
            return chosen, open_app(folder, lang=language)

        return self._start(self.tr("Connecting…"), job, self._reopened,
                           lambda: self._not_reopened(chosen))

    def _not_reopened(self, chosen: dict[str, Any]) -> None:
        """Chosen, but the data there did not open (the window stays on the data before):
        the next start opens the choice."""
        if chosen:
            self.result.setText(self.result.text() + "\n" + self.tr(
                "{url} is chosen, but its data did not open here; start the program again "
                "to work on it.").format(url=chosen["url"]))

    def _reopened(self, result: tuple[dict[str, str], Any]) -> None:
        chosen, app = result
        self.result.setText(self.tr("Now working on {url}.").format(url=chosen["url"]))
        reopen(self.ctx, app)


def reopen(ctx: Any, app: Any) -> None:
    """The window on ``app`` (the data just opened elsewhere), the data before closed."""
    from .drafts import Drafts

    old = ctx.app
    ctx.app, ctx.drafts = app, Drafts(app)
    if ctx.window is not None:
        # after the slot that asked returns: its screen is one of those made again
        QTimer.singleShot(0, ctx.window.build)
    QTimer.singleShot(0, old.close)


# -- the officers -------------------------------------------------------------------------------

def _status_name(status: str) -> str:
    names = {"requested": translate("Office", "waiting to be let in"),
             "active": translate("Office", "working"),
             "removed": translate("Office", "removed")}
    return names.get(status, status)


class OfficersBox(QGroupBox):
    """The officers of a shared database; shown when it is shared, or on a server (to
    start sharing)."""

    changed = Signal()

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Officers"), parent)
        self.ctx = ctx
        self.setObjectName("officers_group")
        self.job: tasks.Task | None = None
        self.rows: list[Any] = []
        col = QVBoxLayout(self)
        self.me = QLabel(self)
        self.me.setObjectName("officer_me")
        self.me.setWordWrap(True)
        self.refresh_button = QPushButton(self.tr("Re&fresh"), self)
        self.refresh_button.setObjectName("officers_refresh")
        row = QHBoxLayout()
        row.addWidget(self.me, 1)
        row.addWidget(self.refresh_button)
        col.addLayout(row)
        self.table = list_table(self, "officers_table", self.tr("Officers"), [
            self.tr("Login"), self.tr("Name"), self.tr("Roles"), self.tr("Status"),
            self.tr("Key fingerprint")])
        header = self.table.horizontalHeader()
        # each column as wide as its title and values (the titles are longer in Vietnamese)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setMinimumHeight(90)
        col.addWidget(self.table)
        self.signer_row = QWidget(self)
        row = QHBoxLayout(self.signer_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton(self.tr("&Let in…"), self)
        self.add_button.setObjectName("officer_add")
        self.remove_button = QPushButton(self.tr("Re&move…"), self)
        self.remove_button.setObjectName("officer_remove")
        self.rotate_button = QPushButton(self.tr("New data &key"), self)
        self.rotate_button.setObjectName("officer_rotate")
        for button in (self.add_button, self.remove_button, self.rotate_button):
            row.addWidget(button)
        row.addStretch(1)
        col.addWidget(self.signer_row)
        # asking to join (a PC not let in) or starting to share (a server not shared yet)
        self.join_row = QWidget(self)
        form = QFormLayout(self.join_row)
        form.setContentsMargins(0, 0, 0, 0)
        self.login = QLineEdit(self.join_row)
        self.login.setObjectName("officer_login")
        self.login.setAccessibleName(self.tr("Login"))
        self.login.setPlaceholderText(self.tr("letters without accents, digits, . _ @ -"))
        self.full_name = QLineEdit(self.join_row)
        self.full_name.setObjectName("officer_name")
        self.full_name.setAccessibleName(self.tr("Full name"))
        label = QLabel(self.tr("Lo&gin:"), self.join_row)
        label.setBuddy(self.login)
        form.addRow(label, self.login)
        label = QLabel(self.tr("F&ull name:"), self.join_row)
        label.setBuddy(self.full_name)
        form.addRow(label, self.full_name)
        self.join_button = QPushButton(self.tr("As&k to join"), self.join_row)
        self.join_button.setObjectName("officer_request")
        self.init_button = QPushButton(self.tr("Start &sharing: I am the first signer"),
                                       self.join_row)
        self.init_button.setObjectName("officer_init")
        row = QHBoxLayout()
        row.addWidget(self.join_button)
        row.addWidget(self.init_button)
        row.addStretch(1)
        form.addRow(row)
        col.addWidget(self.join_row)
        self.result = QLabel(self)
        self.result.setObjectName("officers_result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        col.addWidget(self.result)
        self.add_button.clicked.connect(lambda: self.let_in())
        self.remove_button.clicked.connect(lambda: self.remove())
        self.rotate_button.clicked.connect(lambda: self.rotate())
        self.join_button.clicked.connect(lambda: self.ask_to_join())
        self.init_button.clicked.connect(lambda: self.start_sharing())
        self.refresh_button.clicked.connect(self.reread)
        self.refresh()

    def reread(self) -> None:
        """Read again: another PC may have asked, let this one in, or removed it."""
        self.refresh()
        self.changed.emit()

    def refresh(self) -> None:
        """The list and the buttons for what this PC may do now."""
        from ..services import officers

        app = self.ctx.app
        shared = is_shared(app)
        self.setVisible(shared or not app.db.is_sqlite)
        self.rows = officers.listing(app) if shared else []
        self.table.setRowCount(len(self.rows))
        for i, o in enumerate(self.rows):
            for j, text in enumerate((o.login, o.name, role_text(o.roles),
                                      _status_name(o.status), o.fingerprint)):
                self.table.setItem(i, j, QTableWidgetItem(text))
        me, locked = officer_state(app)
        signer = me is not None and officers.SIGNER in me.roles
        self.signer_row.setVisible(signer)
        self.join_row.setVisible(not shared or me is None)
        self.join_button.setVisible(shared and me is None)
        self.init_button.setVisible(not shared)
        if me is not None:
            self.me.setText(officer_status(me))
        elif locked:
            self.me.setText(locked)
        else:
            self.me.setText(self.tr("This database is not shared yet: start sharing to "
                                    "let other officers' computers open it."))

    def selected(self) -> Any:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _run(self, job: Any, done_text: Any) -> tasks.Task:
        self.result.setText(self.tr("Working…"))
        self.setEnabled(False)

        def ok(result: Any) -> None:
            self.setEnabled(True)
            self.job = None
            self.refresh()
            self.result.setText(done_text(result))
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            self.setEnabled(True)
            self.job = None
            self.result.setText(why(exc))
            self.refresh()

        self.job = tasks.run(job, ok, failed)
        return self.job

    def ask_to_join(self) -> tasks.Task:
        """This PC asks to join: the fingerprint to read out to the signer is shown."""
        from ..services import officers

        app, login, name = self.ctx.app, self.login.text().strip(), self.full_name.text().strip()
        return self._run(lambda _p: officers.request(app, login, name),
                         lambda o: self.tr("Asked as {login}. Read this key fingerprint to "
                                           "the signer, who compares it before letting you "
                                           "in: {fingerprint}").format(
                                               login=o.login, fingerprint=o.fingerprint))

    def start_sharing(self) -> tasks.Task:
        from ..services import officers

        app, login, name = self.ctx.app, self.login.text().strip(), self.full_name.text().strip()
        return self._run(lambda _p: officers.init(app, login, name),
                         lambda o: self.tr("The database is shared now; {login} is its "
                                           "first signer.").format(login=o.login))

    def let_in(self, login: str | None = None, roles: list[str] | None = None
               ) -> tasks.Task | None:
        """Let the chosen officer in with ``roles`` (asked in a dialog that shows the key
        fingerprint to compare with the one on their PC, when not given)."""
        from ..services import officers

        chosen = next((o for o in self.rows if o.login == login), None) if login \
            else self.selected()
        if chosen is None:
            self.result.setText(self.tr("Choose an officer in the list first."))
            return None
        if roles is None:
            roles = AddDialog.ask(chosen, self)
            if not roles:
                return None
        app = self.ctx.app
        return self._run(lambda _p: officers.add(app, chosen.login, roles,
                                                 chosen.fingerprint),
                         lambda o: self.tr("{login} works here now as {roles}.").format(
                             login=o.login, roles=role_text(o.roles)))

    def remove(self, login: str | None = None, confirmed: bool | None = None
               ) -> tasks.Task | None:
        """Remove the chosen officer, after saying that the data key will be rotated."""
        from ..services import officers

        chosen = next((o for o in self.rows if o.login == login), None) if login \
            else self.selected()
        if chosen is None:
            self.result.setText(self.tr("Choose an officer in the list first."))
            return None
        if confirmed is None:
            answer = QMessageBox.question(self, self.tr("Remove an officer"), self.tr(
                "Remove {login} ({name})? The data key will be rotated: every sealed value "
                "is sealed again under a new key, made for the officers who stay, so "
                "{login}'s computer opens nothing written from now on.").format(
                    login=chosen.login, name=chosen.name))
            confirmed = answer == QMessageBox.StandardButton.Yes
        if not confirmed:
            return None
        app = self.ctx.app
        return self._run(lambda _p: officers.remove(app, chosen.login),
                         lambda o: self.tr("{login} was removed; the data key is a new "
                                           "one.").format(login=o.login))

    def rotate(self) -> tasks.Task:
        from ..services import officers

        app = self.ctx.app
        return self._run(lambda _p: officers.rotate(app),
                         lambda _r: self.tr("The data key is a new one, made again for "
                                            "every officer."))


class AddDialog(QDialog):
    """Letting an officer in: their key fingerprint to compare, and their roles."""

    def __init__(self, officer: Any, parent: QWidget | None = None) -> None:
        from ..services import officers

        super().__init__(parent)
        self.setWindowTitle(self.tr("Let an officer in"))
        col = QVBoxLayout(self)
        text = QLabel(self.tr("{login} ({name}) asked to join with the key fingerprint:")
                      .format(login=officer.login, name=officer.name), self)
        text.setWordWrap(True)
        col.addWidget(text)
        shown = QLabel(officer.fingerprint, self)
        shown.setObjectName("officer_fingerprint")
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        shown.setStyleSheet("font-family: monospace; font-size: 14px;")
        col.addWidget(shown)
        col.addWidget(hint(self.tr("Let in only if it is the same as on their computer "
                                   "(Settings → Officers), read out by the officer."), self))
        self.boxes = {}
        for role in officers.ROLES:
            box = QCheckBox(role_text((role,)), self)
            box.setChecked(role == officers.PREPARER)
            col.addWidget(box)
            self.boxes[role] = box
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Let in"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)

    def roles(self) -> list[str]:
        return [r for r, box in self.boxes.items() if box.isChecked()]

    @classmethod
    def ask(cls, officer: Any, parent: QWidget | None = None) -> list[str]:
        dialog = cls(officer, parent)
        return dialog.roles() if dialog.exec() == QDialog.DialogCode.Accepted else []


# -- the "to sign" list ------------------------------------------------------------------------

class ToSignBox(QGroupBox):
    """The validated dossiers waiting for a signer, with who prepared each; a double
    click opens the Send wizard on one. Shown to a signer of a shared database only."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("To sign"), parent)
        self.ctx = ctx
        self.setObjectName("to_sign_group")
        self.rows: list[dict[str, Any]] = []
        col = QVBoxLayout(self)
        self.table = list_table(self, "to_sign_table",
                                self.tr("Dossiers waiting for the signer"), [
                                    self.tr("No."), self.tr("Procedure"), self.tr("Period"),
                                    self.tr("Prepared by"), self.tr("Validated at")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda index: self.open(index.row()))
        col.addWidget(self.table)
        col.addWidget(hint(self.tr("Double click a dossier to sign and send it."), self))
        self.refresh()

    def refresh(self) -> None:
        from ..services import officers

        app = self.ctx.app
        me, _locked = officer_state(app) if is_shared(app) else (None, "")
        signer = me is not None and officers.SIGNER in me.roles
        self.setVisible(signer)
        self.rows = officers.to_sign(app) if signer else []
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            for j, text in enumerate((str(r["id"]), r["procedure"], r["period"],
                                      r["prepared_by"], (r["prepared_at"] or "")
                                      .replace("T", " "))):
                self.table.setItem(i, j, QTableWidgetItem(text))

    def open(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.ctx.send(self.rows[row]["id"])


class LockedScreen(QWidget):
    """In place of a screen that needs personal data, on a PC of a shared office not let
    in (or removed): what to do, and the way to Settings."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("screen_locked")
        col = QVBoxLayout(self)
        text = QLabel(self.tr("This computer cannot open the shared data yet. Ask to join "
                              "in Settings → Officers; once a signer lets you in, the "
                              "screens open by themselves within half a minute (or choose "
                              "Refresh there)."), self)
        text.setWordWrap(True)
        col.addWidget(text)
        go = QPushButton(self.tr("Open &Settings"), self)
        go.clicked.connect(lambda: ctx.go("settings"))
        row = QHBoxLayout()
        row.addWidget(go)
        row.addStretch(1)
        col.addLayout(row)
        col.addStretch(1)


class LockedSettings(QWidget):
    """The Settings of a PC not let in: the database and the officers only (the other
    groups read the unit's sealed profile)."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        from .widgets import scrolled_screen

        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("screen_settings")
        inner, col = scrolled_screen(self, self.tr("Settings"))
        self.database = DatabaseBox(ctx, inner)
        col.addWidget(self.database)
        self.officers = OfficersBox(ctx, inner)
        col.addWidget(self.officers)
        col.addStretch(1)
        if ctx.window is not None:
            self.officers.changed.connect(ctx.window.show_officer)
