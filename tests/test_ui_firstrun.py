"""The first run: "try with demo data" fills the demo company, starts the sandbox gateway
in the background and connects the data folder to it; the window then opens on the
declarations."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from tests import test_ui_fixtures as fx

ctx, prefs, window, demo_window = fx.ctx, fx.prefs, fx.window, fx.demo_window


def test_first_run_with_demo_data(ctx, qtbot):
    from ibhxh_client.services import submission
    from ibhxh_client.ui import adapters, sandbox, tasks
    from ibhxh_client.ui.firstrun import FirstRunDialog, needs_setup

    assert needs_setup(ctx)
    dialog = FirstRunDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.setup_button.hasFocus() or dialog.isVisible()
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=60_000)
    try:
        assert adapters.get_employer(ctx.app).name.startswith("Công ty")
        assert not needs_setup(ctx) and ctx.prefs.gateway_mode == "sandbox"
        running = ctx.sandbox
        assert running is not None and running.wait(30)
        conf = submission.settings(ctx.app)
        assert conf is not None and conf.url == running.server.url
        w = fx.make_window(ctx, qtbot)
        assert w.current_name() == "declarations"
        screen = w.screens["declarations"]
        assert screen.list_model.rowCount() == 1
        workers = w.screens["workers"]
        fx.wait_loaded(qtbot, workers, 25)
        assert "Cổng: thử nghiệm" in w.gateway_label.text()
        w.close()
    finally:
        tasks.wait_all(5000)
        sandbox.stop(ctx)


def test_setting_up_a_company_step_by_step(ctx, qtbot):
    from ibhxh_client.domain import ids
    from ibhxh_client.ui import adapters, tasks
    from ibhxh_client.ui.firstrun import COMPANY, GATEWAY, TOKEN, FirstRunDialog
    from tests.test_ui_workers import type_into

    dialog = FirstRunDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.mouseClick(dialog.setup_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == COMPANY
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)  # nothing filled in
    assert dialog.pages.currentIndex() == COMPANY and dialog.message.text()
    type_into(qtbot, dialog.panel, {
        "name": "Công ty Cổ phần Bình Minh", "unit_code": "TZH490L",
        "tax_code": ids.make_tax_code("031234567"), "unit_type": "DNTN",
        "address": "1 Lê Duẩn", "province": "79", "phone": "0283823456",
        "licence_number": "0312345678", "licence_date": "12/03/2015", "payment_mode": "01",
        "region": "I", "signer_name": "Trần Văn Bình"})
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == TOKEN, dialog.message.text()
    assert adapters.get_employer(ctx.app).name == "Công ty Cổ phần Bình Minh"
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == GATEWAY
    dialog.use_real.setChecked(True)
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)  # no address: later
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert ctx.prefs.gateway_mode == "gateway"
    tasks.wait_all(5000)
