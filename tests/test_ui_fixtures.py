"""Fixtures for the window's tests (imported by the tests/test_ui_*.py modules): the main
window on a temporary data folder, in Vietnamese, with its own preferences file."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def prefs(tmp_path: Path):
    from ibhxh_client.ui.prefs import Prefs

    p = Prefs(tmp_path / "ui.ini")
    p.set("gateway_mode", "gateway")  # no sandbox unless a test starts one
    return p


@pytest.fixture
def ctx(app, prefs, qapp):
    from ibhxh_client.ui import i18n
    from ibhxh_client.ui.app import make_qapp
    from ibhxh_client.ui.mainwindow import Context

    make_qapp()
    i18n.install("vi")
    return Context(app, prefs)


def make_window(ctx, qtbot):
    from ibhxh_client.ui.mainwindow import MainWindow

    window = MainWindow(ctx, watch_tokens=False)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def type_text(widget, text: str) -> None:
    """Type ``text`` key by key, Vietnamese letters included (QTest.keyClicks takes only
    ASCII)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                     ch))


def wait_loaded(qtbot, screen, rows: int | None = None) -> None:
    """Wait until the worker table has been (re)loaded in the background."""
    qtbot.waitUntil(lambda: not screen.loader.busy and
                    (rows is None or screen.model.rowCount() == rows), timeout=10_000)


@pytest.fixture
def window(ctx, qtbot):
    from ibhxh_client.ui import tasks

    w = make_window(ctx, qtbot)
    yield w
    w.close()
    tasks.wait_all(5000)


@pytest.fixture
def demo_window(demo_app, prefs, qtbot, qapp):
    from ibhxh_client.ui import i18n, tasks
    from ibhxh_client.ui.app import make_qapp
    from ibhxh_client.ui.mainwindow import Context

    make_qapp()
    i18n.install("vi")
    w = make_window(Context(demo_app, prefs), qtbot)
    yield w
    w.close()
    tasks.wait_all(5000)
