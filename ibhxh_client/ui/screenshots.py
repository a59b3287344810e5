"""Screenshots of the main screens, taken in a real window under Xvfb.

    python -m ibhxh_client.ui.screenshots --out docs/screenshots [--lang vi] [--scale 1.5]

Starts Xvfb when there is no DISPLAY (1366×768, at 100 % or with --scale 1.5), opens the
window on a temporary demo data folder (the demo company, the sandbox gateway, the demo
certificate; an in-memory keyring, so nothing touches the real one), visits each screen
and saves PNGs of the real X window.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _start_xvfb(width: int, height: int) -> subprocess.Popen | None:
    if os.environ.get("DISPLAY") and os.environ.get("QT_QPA_PLATFORM", "xcb") == "xcb":
        return None
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise SystemExit("Xvfb is not installed (apt-get install xvfb)")
    for number in range(90, 110):
        if not Path(f"/tmp/.X11-unix/X{number}").exists():
            break
    proc = subprocess.Popen([xvfb, f":{number}", "-screen", "0", f"{width}x{height}x24",
                             "-nolisten", "tcp"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    for _ in range(50):
        if Path(f"/tmp/.X11-unix/X{number}").exists():
            break
        time.sleep(0.1)
    os.environ["DISPLAY"] = f":{number}"
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    return proc


def _private_keyring() -> None:
    """Keep the machine's keyring out of the screenshots: the data key goes to the
    program's own fallback file, in a temporary folder."""
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    os.environ["IBHXH_KEY_DIR"] = tempfile.mkdtemp(prefix="ibhxh-shots-keys-")


def spin(ms: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_for(check: Any, timeout: float = 30.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        spin(50)
    return False


def shoot(widget: Any, path: Path) -> None:
    """The real window as the X server shows it (decorations aside)."""
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    spin(250)
    screen = widget.screen()
    pixmap = screen.grabWindow(widget.winId())
    if pixmap.isNull() or pixmap.width() < 10:
        pixmap = widget.grab()
    pixmap.save(str(path))
    print(path)


def run(out: Path, lang: str, scale: float) -> None:
    from ..services.app import open_app
    from . import i18n, sandbox
    from .app import make_qapp
    from .firstrun import FirstRunDialog
    from .mainwindow import Context, MainWindow
    from .prefs import Prefs

    out.mkdir(parents=True, exist_ok=True)
    suffix = "" if scale == 1 else f"-{int(scale * 100)}"
    qapp = make_qapp()
    i18n.install(lang)
    tmp = Path(tempfile.mkdtemp(prefix="ibhxh-shots-"))
    try:
        prefs = Prefs(tmp / "ui.ini")
        app = open_app(tmp / "data", lang=lang)
        ctx = Context(app, prefs)
        first = FirstRunDialog(ctx)
        first.show()
        if not suffix:
            shoot(first, out / f"00-first-run{suffix}.png")
        first.start_demo()
        wait_for(lambda: first.result() == 1, 90)
        first.hide()
        window = MainWindow(ctx)
        # a 1366×768 screen less a taskbar, in device-independent pixels (910×485 at 150 %)
        window.resize(int(1366 / scale), int(728 / scale))
        window.move(0, 0)
        window.show()
        wait_for(lambda: window.screens["workers"].model.rowCount() > 0)
        shots(window, ctx, out, suffix, scale)
        window.close()
        sandbox.stop(ctx)
        app.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    qapp.quit()


def shots(window: Any, ctx: Any, out: Path, suffix: str, scale: float) -> None:
    from ..services import declarations as decls
    from .lines import FIELD_COLUMN
    from .send import CERT, RECEIPT

    app = ctx.app
    demo_id = decls.status(app)[-1]["id"]
    screen = window.go("declarations")
    screen.open(demo_id)
    editor = screen.editor
    wait_for(lambda: editor.last_check is not None)
    if scale != 1:
        shoot(window, out / f"03-declaration-editor{suffix}.png")
        return
    # a line with a problem, as an officer would meet one
    editor.model.setData(editor.model.index(2, FIELD_COLUMN["phuong_an"]), "GH")
    editor.flush()
    spin(600)
    editor.table.setCurrentIndex(editor.model.index(2, FIELD_COLUMN["phuong_an"]))
    shoot(window, out / "03-declaration-editor.png")
    editor.model.setData(editor.model.index(2, FIELD_COLUMN["phuong_an"]), "TM")
    editor.flush()
    spin(600)
    screen.show_list()
    shoot(window, out / "02-declarations.png")

    window.go("company")
    shoot(window, out / "01-company.png")
    workers = window.go("workers")
    from ..domain.text import fold

    surname = fold(workers.model.idx.names[0].split()[0])
    workers.search.setText(surname)  # typed without accents
    spin(200)
    workers.table.selectRow(min(1, workers.model.rowCount() - 1))
    shoot(window, out / "04-workers.png")
    workers.search.clear()
    claims = window.go("claims")
    wait_for(lambda: not claims.loader.busy and claims.model.rowCount() > 0)
    claims.table.selectRow(min(2, claims.model.rowCount() - 1))
    spin(800)  # the editor's live amount
    shoot(window, out / "10-claims.png")

    send = window.go("send")
    send.start(demo_id)
    wait_for(lambda: send.next_button.isEnabled())
    shoot(window, out / "05-send-check.png")
    send.next_button.click()
    wait_for(lambda: send.pages.currentIndex() == CERT and send.find_button.isEnabled())
    send.use_demo.setChecked(True)
    shoot(window, out / "06-send-certificate.png")
    running = ctx.sandbox
    if running is not None and running.wait(60):
        send.next_button.click()
        wait_for(lambda: send.pages.currentIndex() in (RECEIPT, 4), 60)
        shoot(window, out / "07-send-receipt.png")
        tracking = window.go("tracking")
        from ..services import submission

        wait_for(lambda: (submission.sync(app), decls.load(app, demo_id)[0].state)[1]
                 in ("accepted", "rejected"), 30)
        tracking.refresh(select=demo_id)
        shoot(window, out / "08-tracking.png")
    window.go("settings")
    shoot(window, out / "09-settings.png")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", default="docs/screenshots")
    p.add_argument("--lang", default="vi", choices=("vi", "en"))
    p.add_argument("--scale", type=float, default=1.0, help="1.5 for 150 %% scaling")
    args = p.parse_args(argv)
    xvfb = _start_xvfb(1366, 768)  # the usual office laptop, at 100 % or 150 %
    if args.scale != 1:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    os.environ.setdefault("IBHXH_LOG_DIR", tempfile.mkdtemp(prefix="ibhxh-shots-logs-"))
    _private_keyring()
    try:
        run(Path(args.out), args.lang, args.scale)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
