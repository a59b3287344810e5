"""Usable by everyone: the month's filing with the keyboard alone (shortcuts, accelerators,
default buttons), an accessible name on every input, and layouts that fit 1366×768 and
150 % scaling."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextBrowser,
    QWidget,
)

from tests import test_ui_fixtures as fx
from tests import test_ui_send

ctx, prefs, window, demo_window = fx.ctx, fx.prefs, fx.window, fx.demo_window
gateway = test_ui_send.gateway


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    QApplication.processEvents()  # an editor opened by the last key takes the focus
    target = QApplication.focusWidget() or QApplication.activeWindow()
    qtbot.keyClick(target, key, modifier)


def accelerator(qtbot, button) -> None:
    """Press Alt + the underlined letter of a button, as the officer would."""
    text = button.text()
    i = text.replace("&&", "").index("&")
    letter = text.replace("&&", "")[i + 1].upper()
    key = getattr(Qt.Key, f"Key_{letter}", None)
    if key is None:  # a Vietnamese letter: its unaccented base
        from ibhxh_client.domain.text import fold

        key = getattr(Qt.Key, f"Key_{fold(letter).upper()}")
    press(qtbot, key, Qt.KeyboardModifier.AltModifier)
    qtbot.wait(250)  # a button's accelerator clicks it with a short animation


def test_the_filing_with_the_keyboard_alone(demo_window, qtbot, gateway):
    from ibhxh_client.services import declarations as decls
    from ibhxh_client.services import signing as signing_svc
    from ibhxh_client.ui.lines import FIELD_COLUMN
    from ibhxh_client.ui.send import CERT, RECEIPT

    app = demo_window.ctx.app
    signing_svc.ensure_demo_certificate(app)
    demo_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is demo_window)
    demo_window.nav.setFocus()
    press(qtbot, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    screen = demo_window.screens["declarations"]
    assert demo_window.current_name() == "declarations"
    screen.list.setFocus()
    press(qtbot, Qt.Key.Key_Return)  # opens the selected dossier
    assert screen.pages.currentIndex() == 1
    editor = screen.editor
    assert editor.table.hasFocus()
    # to the salary cell of the first line, type a new salary, Enter
    editor.table.setCurrentIndex(editor.model.index(0, FIELD_COLUMN["phuong_an"]))
    press(qtbot, Qt.Key.Key_Right)
    assert editor.table.currentIndex().column() == FIELD_COLUMN["muc_luong"]
    for ch in "12000000":
        press(qtbot, ch)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.decl.lines[0].salary == 12_000_000)
    accelerator(qtbot, editor.send_button)  # Alt+K: Ký và gửi
    send = demo_window.screens["send"]
    assert demo_window.current_name() == "send"
    qtbot.waitUntil(lambda: send.next_button.isEnabled(), timeout=10_000)
    assert send.next_button.isDefault()
    press(qtbot, Qt.Key.Key_Return)  # Next (the default button)
    assert send.pages.currentIndex() == CERT
    qtbot.waitUntil(lambda: send.find_button.isEnabled(), timeout=10_000)
    accelerator(qtbot, send.use_demo)
    assert send.use_demo.isChecked()
    press(qtbot, Qt.Key.Key_Return)  # Sign and send
    qtbot.waitUntil(lambda: send.pages.currentIndex() == RECEIPT, timeout=30_000)
    assert str(decls.load(app, app.demo_id)[0].state) == "sent"


def inputs(root: QWidget) -> list[QWidget]:
    kinds = (QLineEdit, QComboBox, QAbstractItemView, QTextBrowser, QPlainTextEdit)
    return [w for w in root.findChildren(QWidget) if isinstance(w, kinds)
            and not isinstance(w.parent(), QComboBox) and w.objectName() != "qt_calendar"
            and not (w.parent() and w.parent().inherits("QComboBoxPrivateContainer"))
            and not (w.parent() and w.parent().inherits("QAbstractSpinBox"))
            and not isinstance(w.parent(), QAbstractItemView)]


def test_every_input_has_an_accessible_name(demo_window, qtbot):
    missing = []
    demo_window.screens["declarations"].open(demo_window.ctx.app.demo_id)
    for name, screen in demo_window.screens.items():
        for w in inputs(screen):
            if not w.accessibleName().strip():
                missing.append(f"{name}: {type(w).__name__} {w.objectName()!r}")
    assert not missing, "\n".join(missing)


def test_layouts_fit_1366x768_and_150_percent(demo_window, qtbot):
    demo_window.screens["declarations"].open(demo_window.ctx.app.demo_id)
    for name in demo_window.screens:
        demo_window.go(name)
        hint = demo_window.minimumSizeHint()
        # 1366×768, and 1920×1080 at 150 % (1280×720 device-independent pixels)
        assert hint.width() <= 1280 and hint.height() <= 700, (name, hint)
    demo_window.resize(1366, 768)
    assert demo_window.width() <= 1366
