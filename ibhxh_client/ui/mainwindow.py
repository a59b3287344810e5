"""The main window: navigation on the left, one screen at a time, the token and the
gateway in the status bar."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..paths import resources_dir
from . import i18n, tasks
from .drafts import Drafts
from .tokens import TokenState, TokenWatcher
from .units import UnitsDialog, UnitSwitcher, unit_text

SWITCH_WAIT_MS = 3000  # how long a switch of unit waits for background work to end
# How often a PC of a shared office looks whether a signer let it in, removed it or gave
# its officer other roles (the window's ``officer_timer`` may be set to another interval).
OFFICER_CHECK_MS = 30_000

log = logging.getLogger(__name__)

NAV_MIN, NAV_MAX, NAV_PADDING = 110, 190, 40  # pixels; padding: the item's 12 px each side
SCREENS = ("company", "workers", "declarations", "claims", "send", "tracking", "settings")


class Context:
    """What every screen shares: the open data folder, the preferences, the drafts, and
    the window's navigation."""

    def __init__(self, app: Any, prefs: Any, window: MainWindow | None = None) -> None:
        self.app = app
        self.prefs = prefs
        self.drafts = Drafts(app)
        self.window = window
        self.sandbox: Any = None  # the training gateway, when this window started one

    @staticmethod
    def lang() -> str:
        return i18n.lang()

    # Navigation and notifications, forwarded to the window (no-ops without one).
    def go(self, name: str) -> Any:
        return self.window.go(name) if self.window else None

    def open_worker(self, worker_id: int, field: str | None = None) -> None:
        if self.window:
            self.window.go("workers").select_worker(worker_id, field=field)

    def open_declaration(self, decl_id: int) -> None:
        if self.window:
            self.window.go("declarations").open(decl_id)

    def open_claims(self, decl_id: int | None = None) -> None:
        """The benefits screen; with a claim list's id, its first claim chosen."""
        if self.window:
            screen = self.window.go("claims")
            if decl_id is not None:
                screen.show_dossier(decl_id)

    def send(self, decl_id: int) -> None:
        if self.window:
            self.window.go("send").start(decl_id)

    def track(self, decl_id: int | None = None) -> None:
        if self.window:
            self.window.go("tracking").refresh(select=decl_id)

    def employer_changed(self) -> None:
        if self.window:
            self.window.update_status()
            self.window.show_unit()

    def unit_changed(self) -> None:
        """Another unit is worked on now (one was added and chosen)."""
        if self.window:
            self.window.unit_changed()

    def workers_changed(self) -> None:
        if self.window and "declarations" in self.window.screens:
            self.window.screens["declarations"].workers_changed()

    def dossiers_changed(self) -> None:
        """Dossiers were made or changed: the screen in view shows it now; the others read
        theirs again when they are shown (``shown``), not on every edit."""
        if self.window:
            screen = self.window.screens.get(self.window.current_name())
            if screen is not None and hasattr(screen, "dossiers_changed"):
                screen.dossiers_changed()
            self.window.show_remote_count()


class MainWindow(QMainWindow):
    """One window for the whole month's filing."""

    def __init__(self, ctx: Context, *, watch_tokens: bool = True) -> None:
        super().__init__()
        self.ctx = ctx
        ctx.window = self
        self.setObjectName("main_window")
        icon = resources_dir() / "icons" / "ibhxh.png"
        if icon.exists():
            self.setWindowIcon(QIcon(str(icon)))
        self.screens: dict[str, QWidget] = {}
        self.nav = QListWidget(self)
        self.nav.setObjectName("nav")
        self.nav.setAccessibleName(self.tr("Navigation"))
        self.nav.setFixedWidth(190)
        self.nav.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget(self)
        central = QWidget(self)
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        # a PC of a shared office not let in (or removed) says so above every screen
        from .office import OfficeBanner

        self.office_banner = OfficeBanner(central)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        right.addWidget(self.office_banner)
        right.addWidget(self.stack, 1)
        row.addLayout(right, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self._nav_changed)
        for i in range(len(SCREENS)):
            QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self,
                      lambda i=i: self.nav.setCurrentRow(i))
        self.token_label = QLabel(self)
        self.token_label.setObjectName("token_status")
        self.gateway_label = QLabel(self)
        self.gateway_label.setObjectName("gateway_status")
        self.officer_label = QLabel(self)
        self.officer_label.setObjectName("officer_status")
        self.unit_switcher = UnitSwitcher(self)
        self.unit_switcher.chosen.connect(self.switch_unit)
        self.unit_switcher.overview.connect(self.show_units)
        self.units_dialog: UnitsDialog | None = None
        self.statusBar().addPermanentWidget(self.officer_label)
        self.statusBar().addPermanentWidget(self.unit_switcher)
        self.statusBar().addPermanentWidget(self.gateway_label)
        self.statusBar().addPermanentWidget(self.token_label)
        # signing requests still waiting on the phone: shown when there are any
        self.remote_button = QPushButton(self)
        self.remote_button.setObjectName("remote_pending")
        self.remote_button.setFlat(True)
        self.remote_button.clicked.connect(self.show_remote_pending)
        self.statusBar().addPermanentWidget(self.remote_button)
        self.remote_timer = QTimer(self)
        self.remote_timer.setInterval(10_000)
        self.remote_timer.timeout.connect(self.show_remote_count)
        self.remote_timer.start()
        # this PC's officer of a shared database, looked at again in the background
        self.officer_seen: tuple[Any, str] | None = None
        self.officer_job: tasks.Task | None = None
        self.officer_timer = QTimer(self)
        self.officer_timer.setInterval(OFFICER_CHECK_MS)
        self.officer_timer.timeout.connect(self.check_officer)
        self.watcher = TokenWatcher(self._watch_settings, self)
        self.watcher.changed.connect(self.show_tokens)
        self.build()
        self.show_remote_count()
        if watch_tokens:
            self.watcher.start()

    # -- building (again, when the language changes) -----------------------------------------

    def build(self) -> None:
        from .claims import ClaimsScreen
        from .company import CompanyScreen
        from .declarations import DeclarationsScreen
        from .send import SendScreen
        from .settings import SettingsScreen
        from .tracking import TrackingScreen
        from .workers import WorkersScreen

        current = self.nav.currentRow()
        self.flush()
        for screen in self.screens.values():
            self.stack.removeWidget(screen)
            screen.deleteLater()
        self.screens = {}
        self.nav.blockSignals(True)
        self.nav.clear()
        names = {"company": self.tr("Company"), "workers": self.tr("Workers"),
                 "declarations": self.tr("Declarations"),
                 "claims": self.tr("Sickness, maternity"), "send": self.tr("Sign and send"),
                 "tracking": self.tr("Tracking"), "settings": self.tr("Settings")}
        kinds = {"company": CompanyScreen, "workers": WorkersScreen,
                 "declarations": DeclarationsScreen, "claims": ClaimsScreen,
                 "send": SendScreen,
                 "tracking": TrackingScreen, "settings": SettingsScreen}
        # a PC of a shared office not let in yet: only Settings, where it asks to join
        from .office import LockedScreen, LockedSettings

        self.locked = self.show_officer()
        if self.locked:
            kinds.update({n: LockedScreen for n in SCREENS}, settings=LockedSettings)
        for i, name in enumerate(SCREENS):
            item = QListWidgetItem(f"{names[name]}")
            item.setToolTip(f"Ctrl+{i + 1}")
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.nav.addItem(item)
            screen = kinds[name](self.ctx, self.stack)
            screen.setAccessibleName(names[name])
            self.screens[name] = screen
            self.stack.addWidget(screen)
        self.nav.blockSignals(False)
        self._fit_nav(list(names.values()))
        self.show_unit()
        if current < 0:
            current = SCREENS.index("settings" if self.locked else "declarations"
                                    if self._has_employer() else "company")
        self.nav.setCurrentRow(current)
        self.stack.setCurrentIndex(current)
        self.update_status()

    def _fit_nav(self, texts: list[str]) -> None:
        """As wide as the longest screen name (with the item's padding), no wider: at
        1366×768 with 150 % scaling the window has 910 logical pixels for everything."""
        self.nav.ensurePolished()
        fm = self.nav.fontMetrics()
        widest = max((fm.horizontalAdvance(t) for t in texts), default=0)
        self.nav.setFixedWidth(max(NAV_MIN, min(NAV_MAX, widest + NAV_PADDING)))

    def _has_employer(self) -> bool:
        from .adapters import get_employer

        return get_employer(self.ctx.app) is not None

    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        self.flush()
        self.stack.setCurrentIndex(row)
        screen = self.stack.currentWidget()
        if hasattr(screen, "shown"):
            screen.shown()

    def go(self, name: str) -> Any:
        self.nav.setCurrentRow(SCREENS.index(name))
        return self.screens[name]

    def current_name(self) -> str:
        return SCREENS[self.nav.currentRow()]

    # -- status bar ------------------------------------------------------------------------

    def _watch_settings(self) -> tuple[str, str | None, str]:
        from .adapters import get_employer

        # a PC not let in into a shared office cannot read the unit's sealed profile
        e = None if getattr(self, "locked", False) else get_employer(self.ctx.app)
        return self.ctx.prefs.module, e.tax_code if e else None, i18n.lang()

    def show_tokens(self, state: tuple[TokenState, ...]) -> None:
        tokens = [t for t in state if not t.error]
        if not tokens:
            errors = [t.error for t in state if t.error]
            self.token_label.setText(self.tr("No token plugged in"))
            self.token_label.setToolTip(errors[0] if errors else self.tr(
                "Plug in the company's USB token to sign. Settings → Token module if it "
                "is not found."))
            return
        t = tokens[0]
        if t.days_to_expiry is None:
            text = self.tr("Token {label}: no certificate").format(label=t.label)
        elif t.days_to_expiry < 0:
            text = self.tr("Token {label}: certificate expired").format(label=t.label)
        else:
            text = self.tr("Token {label}: certificate expires in {days} days").format(
                label=t.label, days=t.days_to_expiry)
        if len(tokens) > 1:
            text += self.tr(" (+{count} more)").format(count=len(tokens) - 1)
        self.token_label.setText(text)
        self.token_label.setToolTip(f"{t.cert_name}\n{t.module}")
        if "send" in self.screens:
            self.screens["send"].tokens_changed(state)

    def update_status(self) -> None:
        if self.ctx.sandbox is not None or self.ctx.prefs.gateway_mode == "sandbox":
            self.gateway_label.setText(self.tr("Gateway: sandbox (training)"))
        else:
            self.gateway_label.setText(self.tr("Gateway: {url}").format(
                url=self.ctx.prefs.gateway_url or "—"))

    # -- the unit worked on ------------------------------------------------------------------

    def show_unit(self) -> None:
        """The unit in the title and the status bar (and the others to switch to)."""
        from ..services import units

        listed = units.listing(self.ctx.app)
        self.unit_switcher.show_units(listed, self.ctx.app.unit)
        here = next((u for u in listed if u["current"]), None)
        if here is None:
            self.setWindowTitle(self.tr("iBHXH – social insurance declarations"))
        else:
            self.setWindowTitle(self.tr("iBHXH – {unit}").format(
                unit=f"{here['unit_code']} {here['name']}"))

    def leave_unit(self) -> str | None:
        """Ready to work on another unit: every draft written, no background work of this
        unit running. None when ready, else the sentence that says why not."""
        self.flush()
        if tasks.settle(SWITCH_WAIT_MS):
            return None
        return self.tr("Work of this unit is still running in the background (a check, "
                       "an import, a signing or a sending). Wait for it to end, then "
                       "choose the other unit again.")

    def switch_unit(self, unit_id: int) -> str | None:
        """Work on ``unit_id`` (remembered on this PC): nothing of the unit before stays
        on screen. None when done, else why it was refused (also shown in the status
        bar, the unit before still chosen)."""
        if unit_id == self.ctx.app.unit:
            return None
        refused = self.leave_unit()
        if refused:
            self.unit_switcher.revert()
            self.statusBar().showMessage(refused, 15_000)
            return refused
        self.ctx.app.use_unit(unit_id)
        self.unit_changed()
        return None

    def unit_changed(self) -> None:
        """Every screen made again for the unit now chosen."""
        from ..domain.messages import say

        self.build()
        here = next((u for u in self.unit_switcher.units if u["id"] == self.ctx.app.unit),
                    None)
        if here is not None:
            self.statusBar().showMessage(say("unit_chosen", i18n.lang(),
                                             unit_code=unit_text(here)), 10_000)

    def show_officer(self, found: tuple[Any, str, str] | None = None) -> bool:
        """This PC's officer of a shared database in the status bar, or the banner that
        says why this PC cannot open its personal data (True: it cannot). A PC let in,
        or shut out, since the screens were made gets them made again. ``found``:
        ``office.officer_why`` already asked. In a shared database the state is looked
        at again every ``officer_timer`` tick (``check_officer``)."""
        from .office import officer_seen, officer_status, officer_why

        found = found if found is not None else officer_why(self.ctx.app)
        officer, locked = self.office_banner.show_state(self.ctx.app, found)
        self.officer_label.setText(officer_status(officer))
        self.officer_label.setVisible(officer is not None)
        self.officer_seen = officer_seen(found)
        if officer is not None or locked:
            if not self.officer_timer.isActive():
                self.officer_timer.start()
        else:  # a single PC: nobody else lets it in or removes it
            self.officer_timer.stop()
        if self.screens and locked != getattr(self, "locked", locked):
            QTimer.singleShot(0, self.build)
        return locked

    def check_officer(self) -> tasks.Task | None:
        """Look in the background whether a signer let this PC in, removed it, or changed
        its officer's roles; the window follows when so (``_officer_checked``). Skipped
        while the look before still runs (a slow server)."""
        from .office import officer_why

        if self.officer_job is not None:
            return None
        # Pending drafts written first, as before a switch of unit: the look may find
        # this PC removed, and the screens they were typed in are then made again.
        self.flush()
        app = self.ctx.app
        self.officer_job = tasks.run(lambda _p: officer_why(app),
                                     lambda found: self._officer_checked(app, found),
                                     self._officer_not_checked)
        return self.officer_job

    def _officer_checked(self, app: Any, found: tuple[Any, str, str]) -> None:
        from .office import officer_change, officer_seen

        self.officer_job = None
        if app is not self.ctx.app:  # the data was reopened elsewhere meanwhile
            return
        before, now = self.officer_seen, officer_seen(found)
        if before is None or now == before:
            return
        said = officer_change(before, now)
        if now[0] != before[0]:
            self.build()  # let in, removed, other roles: every screen made again
        else:
            self.show_officer(found)  # still shut out, for another reason: the banner
        if said:
            self.statusBar().showMessage(said, 15_000)

    def _officer_not_checked(self, exc: BaseException) -> None:
        """The server did not answer (or the data is being closed): said in the log only,
        and asked again at the next tick; the window stays as it was."""
        self.officer_job = None
        log.info("this PC's officer not checked (%s); asked again in %d s",
                 type(exc).__name__, self.officer_timer.interval() // 1000)

    def show_remote_count(self) -> None:
        """How many dossiers wait for an approval on the phone (hidden when none)."""
        from ..services import remote_signing

        try:
            count = len({r["dossier_id"] for r in remote_signing.pending(self.ctx.app)})
        except Exception:  # the database is being switched or closed: shown next time
            return
        self.remote_button.setText(self.tr("Waiting on the phone: {count}").format(
            count=count))
        self.remote_button.setVisible(count > 0)

    def show_remote_pending(self) -> Any:
        """The list of signing requests waiting on the phone (poll now, abandon)."""
        from .remote import PendingDialog

        self.remote_dialog = dialog = PendingDialog(self.ctx, self)
        dialog.changed.connect(self.ctx.dossiers_changed)
        dialog.changed.connect(self.show_remote_count)
        dialog.finished.connect(lambda _r: self.show_remote_count())
        dialog.open()
        return dialog

    def show_units(self) -> None:
        """The view of all units (opened from the status bar)."""
        self.units_dialog = dialog = UnitsDialog(self.ctx, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    # -- closing ---------------------------------------------------------------------------

    def flush(self) -> None:
        """Write every pending draft now."""
        for screen in self.screens.values():
            if hasattr(screen, "flush"):
                screen.flush()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.remote_timer.stop()
        self.officer_timer.stop()
        self.flush()
        self.watcher.stop()
        tasks.wait_all(5000)
        super().closeEvent(event)
