"""Starting the window: `ibhxh-client` and `python -m ibhxh_client` with no arguments.

    ibhxh-client [--data-dir DIR] [--lang vi|en] [--settings FILE.ini]

The first run (no company in the data folder) offers a short setup or demo data.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from typing import Any

log = logging.getLogger(__name__)
STARTED = time.perf_counter()


def _parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="ibhxh-client", description="iBHXH: the window")
    p.add_argument("--data-dir", help="the data folder (default: the per-user folder)")
    p.add_argument("--lang", choices=("vi", "en"), help="language of the window")
    p.add_argument("--settings", help="an .ini file for the window's preferences")
    p.add_argument("--no-token-watch", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def make_qapp(argv: list[str] | None = None) -> Any:
    """The QApplication, with the program's look and fonts (created once)."""
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from .widgets import STYLE

    qapp = QApplication.instance()
    if qapp is None:
        qapp = QApplication(["ibhxh-client", *(argv or [])])
    qapp.setApplicationName("ibhxh-client")
    qapp.setOrganizationName("ibhxh")
    qapp.setStyle("Fusion")
    if not sys.platform.startswith("win"):
        # The shipped DejaVu Sans has every Vietnamese letter; Windows has Segoe UI.
        from ..printing.qt import font_family

        qapp.setFont(QFont(font_family(), 10))
    qapp.setStyleSheet(STYLE)
    return qapp


def open_data(data_dir: str | None, lang: str) -> Any:
    """The data folder opened on its unit: the last one used on this PC, else the only
    one; with several and none remembered (a new PC), the officer chooses."""
    from ..services.app import UserError, open_app

    try:
        return open_app(data_dir or None, lang=lang)
    except UserError as exc:
        if exc.code != "unit_choose":
            raise
        code = ask_unit(str(exc.params.get("known", "")).split(", "))
        if code is None:
            raise
        return open_app(data_dir or None, lang=lang, unit=code)


def ask_unit(codes: list[str]) -> str | None:
    """Which unit to work on, of ``codes`` (None: the officer cancelled)."""
    from PySide6.QtWidgets import QInputDialog

    from . import i18n

    code, ok = QInputDialog.getItem(
        None, i18n.translate("Startup", "Choose the unit"),
        i18n.translate("Startup", "This data holds several units. The unit to work on (it "
                       "can be changed in the status bar):"), codes, 0, False)
    return code if ok and code in codes else None


def open_window(app: Any, prefs: Any, *, watch_tokens: bool = True, first_run: bool = True
                ) -> Any:
    """The main window on an open data folder (after the first-run setup if needed)."""
    from .mainwindow import Context, MainWindow

    ctx = Context(app, prefs)
    if first_run:
        from .firstrun import needs_setup, run_setup
        from .office import officer_state

        # a PC not let in into a shared office reads no profile: its window says why
        if not officer_state(app)[1] and needs_setup(ctx) and not run_setup(ctx):
            return None
    from . import sandbox

    sandbox.start_if_configured(ctx)
    window = MainWindow(ctx, watch_tokens=watch_tokens)
    from PySide6.QtCore import QTimer

    # after the window's own sandbox had time to start (it may be the service asked)
    QTimer.singleShot(RESUME_AFTER_MS, lambda: resume_remote(ctx))
    return window


RESUME_AFTER_MS = 3000


def resume_remote(ctx: Any) -> None:
    """The requests a remote signing service still had waiting when the program last
    closed: each polled once in the background, never sent again; a dossier the director
    approved meanwhile is signed now and shows as such."""
    from ..services import remote_signing
    from . import tasks

    def done(outcomes: list[dict[str, Any]]) -> None:
        for item in outcomes:
            log.info("remote signing of dossier %s at start: %s", item["dossier_id"],
                     item["outcome"])
        if any(item["outcome"] == "signed" for item in outcomes):
            ctx.dossiers_changed()

    tasks.run(lambda _p: remote_signing.resume_pending(ctx.app), on_done=done,
              on_fail=lambda exc: log.warning("remote signing at start: %s",
                                              type(exc).__name__))


def show(window: Any) -> None:
    screen = window.screen().availableGeometry()
    if screen.width() <= 1440 or screen.height() <= 820:
        window.resize(min(1366, screen.width()), min(768, screen.height()))
        window.showMaximized()
    else:
        window.resize(1366, 800)
        window.show()


def main(argv: list[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    qapp = make_qapp()
    from . import i18n
    from .prefs import Prefs
    from .widgets import show_error

    prefs = Prefs(args.settings)
    language = i18n.install(args.lang or prefs.lang)
    try:
        app = open_data(args.data_dir or prefs.data_dir, language)
    except Exception as exc:  # a missing key or a damaged file: say so, never a traceback
        log.exception("cannot open the data folder")
        from ..services.app import UserError
        from ..storage.crypto import CryptoError
        from ..storage.db import ServerError

        text = str(exc)
        if isinstance(exc, CryptoError | ServerError):  # ServerError: the database's server
            from ..domain.messages import say

            text = say(exc.code, language, **exc.params)
        elif isinstance(exc, UserError):
            text = exc.message(language)
        show_error(None, i18n.translate("Startup", "The data cannot be opened"), text)
        return 1
    window = open_window(app, prefs, watch_tokens=not args.no_token_watch)
    if window is None:
        app.close()
        return 0
    show(window)
    log.info("window shown %.2f s after start", time.perf_counter() - STARTED)
    code = qapp.exec()
    from . import sandbox

    sandbox.stop(window.ctx)
    app.close()
    return code


if __name__ == "__main__":
    sys.exit(main())


