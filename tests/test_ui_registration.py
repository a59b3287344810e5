"""Registering for electronic filing from the window: the first-run step ("Đăng ký giao
dịch điện tử") with the demo certificate or without one (trial password), and the
Settings group that shows the registration and changes or stops it; a dead network is
said, and the file waits to be sent again."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from tests import test_ui_fixtures as fx
from tests.test_gateway_support import DEMO_UNIT, fresh_state, make_sandbox, sandbox_pki

ctx, prefs = fx.ctx, fx.prefs
__all__ = ["make_sandbox", "sandbox_pki"]  # fixtures

COMPANY = {
    "name": "Công ty Cổ phần Bình Minh", "unit_code": "BMH0001", "agency_code": "07906",
    "unit_type": "DNTN", "address": "1 Lê Duẩn, Phường Sài Gòn", "province": "79",
    "phone": "0283823456", "email": "nhansu@binhminh.example.vn",
    "licence_number": "0312345678", "licence_date": "12/03/2015", "payment_mode": "01",
    "region": "I", "signer_name": "Trần Văn Bình", "contact_name": "Lê Thị Hoa"}


@pytest.fixture
def no_proxy(monkeypatch):
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def wait_done(qtbot, panel) -> None:
    qtbot.waitUntil(lambda: panel.job is None, timeout=60_000)


def setup_to_the_registration_step(ctx, qtbot, sandbox_pki):
    """Company, token and the sandbox gateway filled in, as an officer does."""
    from ibhxh_client.domain import ids
    from ibhxh_client.ui.firstrun import COMPANY as COMPANY_PAGE
    from ibhxh_client.ui.firstrun import GATEWAY, REGISTER, TOKEN, FirstRunDialog
    from tests.test_ui_workers import type_into

    # the sandbox's certificates made once per run (a fresh one would take seconds)
    fresh_state(sandbox_pki, Path(ctx.app.data_dir) / "sandbox-gateway")
    dialog = FirstRunDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.open()
    click(qtbot, dialog.setup_button)
    assert dialog.pages.currentIndex() == COMPANY_PAGE
    type_into(qtbot, dialog.panel, {**COMPANY, "tax_code": ids.make_tax_code("031234567")})
    click(qtbot, dialog.next_button)
    assert dialog.pages.currentIndex() == TOKEN, dialog.message.text()
    click(qtbot, dialog.next_button)
    assert dialog.pages.currentIndex() == GATEWAY
    assert dialog.use_sandbox.isChecked()
    click(qtbot, dialog.next_button)
    assert dialog.pages.currentIndex() == REGISTER
    assert dialog.next_button.text().replace("&", "") == "Hoàn tất"
    return dialog


def test_first_run_registers_the_unit_with_its_certificate(ctx, qtbot, sandbox_pki,
                                                           no_proxy):
    from ibhxh_client.services import registration, submission
    from ibhxh_client.ui import sandbox, tasks

    dialog = setup_to_the_registration_step(ctx, qtbot, sandbox_pki)
    try:
        panel = dialog.registration
        assert "Chưa đăng ký giao dịch điện tử" in panel.state_label.text()
        assert not panel.stop_button.isVisible()  # the setup only registers
        panel.how.setCurrentIndex(panel.how.findData("demo"))
        click(qtbot, panel.register_button)
        wait_done(qtbot, panel)
        assert "Đã đăng ký giao dịch điện tử" in panel.result.text(), panel.result.text()
        assert "BMH0001" in panel.result.text() and "chữ ký số" in panel.result.text()
        assert "Đã đăng ký giao dịch điện tử" in panel.state_label.text()
        assert not panel.register_button.isEnabled()
        state = registration.state(ctx.app)
        assert (state["state"], state["method"]) == ("registered", "certificate")
        conf = submission.settings(ctx.app)
        assert conf.url == ctx.sandbox.server.url and conf.login == "certificate"
        click(qtbot, dialog.next_button)
        assert dialog.result() == QDialog.DialogCode.Accepted
        assert ctx.prefs.flag("setup_done")
    finally:
        tasks.wait_all(5000)
        sandbox.stop(ctx)


def test_first_run_without_a_certificate_gets_a_trial_password(ctx, qtbot, sandbox_pki,
                                                               no_proxy, memory_keyring):
    from ibhxh_client.services import registration, submission
    from ibhxh_client.ui import sandbox, tasks

    dialog = setup_to_the_registration_step(ctx, qtbot, sandbox_pki)
    try:
        panel = dialog.registration
        panel.how.setCurrentIndex(panel.how.findData("trial"))
        click(qtbot, panel.register_button)
        wait_done(qtbot, panel)
        text = panel.result.text()
        assert "mật khẩu dùng thử" in text and "kho mật khẩu của Windows" in text, text
        state = registration.state(ctx.app)
        assert (state["state"], state["method"]) == ("registered", "password")
        url = ctx.sandbox.server.url
        password = memory_keyring.items[("ibhxh-client", submission.keyring_user(url,
                                                                                 "BMH0001"))]
        assert password and password not in text and password != ctx.prefs.get(
            "sandbox_password")
        with submission.connect(ctx.app) as client:
            assert client.login().method == "password"
    finally:
        tasks.wait_all(5000)
        sandbox.stop(ctx)


def _registered(app, gateway):
    from ibhxh_client.services import registration
    from ibhxh_client.services import signing as signing_svc
    from ibhxh_client.services.demo import make_demo

    make_demo(app, 2)
    with signing_svc.file_signer(signing_svc.ensure_demo_certificate(app),
                                 signing_svc.DEMO_P12_PASSWORD) as signer:
        registration.register(app, "register", gateway=gateway.url, ca_file=gateway.ca_file,
                              signer=signer)


def test_settings_show_the_registration_and_change_and_stop_it(ctx, qtbot, make_sandbox,
                                                               monkeypatch):
    from ibhxh_client.services import employer as employer_svc
    from ibhxh_client.services import registration
    from ibhxh_client.ui import tasks
    from ibhxh_client.ui.settings import SettingsScreen

    gateway = make_sandbox()
    _registered(ctx.app, gateway)
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    panel = screen.registration
    assert panel.parent().objectName() == "registration_group"
    text = panel.state_label.text()
    assert "Đã đăng ký giao dịch điện tử" in text and DEMO_UNIT in text
    assert gateway.url in text and "chữ ký số" in text
    assert not panel.register_button.isEnabled()
    assert panel.change_button.isEnabled() and panel.stop_button.isEnabled()
    assert not panel.resend_button.isVisible()
    # a new phone number: the change goes out, signed with the demo certificate
    values = employer_svc.as_dict(employer_svc.get(ctx.app))
    employer_svc.set_values(ctx.app, {**values, "phone": "0281234567"})
    panel.how.setCurrentIndex(panel.how.findData("demo"))
    click(qtbot, panel.change_button)
    wait_done(qtbot, panel)
    assert "đã được thay đổi" in panel.result.text(), panel.result.text()
    assert registration.state(ctx.app)["kind"] == "change"
    # stopping asks first; "No" sends nothing
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or
                        QMessageBox.StandardButton.No)
    click(qtbot, panel.stop_button)
    assert asked and panel.job is None
    assert registration.state(ctx.app)["state"] == "registered"
    # without its reason the stop is refused where it is typed
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    click(qtbot, panel.stop_button)
    wait_done(qtbot, panel)
    assert "Lý do ngừng" in panel.result.text()
    fx.type_text(panel.reason, "Giải thể đơn vị")
    click(qtbot, panel.stop_button)
    wait_done(qtbot, panel)
    assert "Đã ngừng giao dịch điện tử" in panel.state_label.text(), panel.result.text()
    assert panel.register_button.isEnabled() and not panel.change_button.isEnabled()
    assert registration.state(ctx.app)["state"] == "stopped"
    assert gateway.store.count_registrations() == 3
    tasks.wait_all(5000)


def test_settings_dead_network_says_so_and_sends_again(ctx, qtbot, make_sandbox,
                                                       sandbox_pki, tmp_path):
    from ibhxh_client.services import registration
    from ibhxh_client.services.demo import make_demo
    from ibhxh_client.ui import tasks
    from ibhxh_client.ui.settings import SettingsScreen

    make_demo(ctx.app, 2)
    state_dir = fresh_state(sandbox_pki, tmp_path / "gw")
    gateway = make_sandbox(state=state_dir)
    url, port, ca = gateway.url, gateway.port, str(gateway.ca_file)
    gateway.stop()
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    screen.url.setText(url)
    screen.ca.setText(ca)
    panel = screen.registration
    panel.how.setCurrentIndex(panel.how.findData("demo"))
    click(qtbot, panel.register_button)
    wait_done(qtbot, panel)
    text = panel.result.text()
    assert "Không kết nối được" in text and "được giữ lại" in text, text
    assert "Chờ gửi" in panel.state_label.text() or "chờ" in panel.state_label.text()
    assert panel.resend_button.isVisible() and not panel.register_button.isEnabled()
    pending = registration.state(ctx.app)["pending"]
    assert pending is not None and pending["status"] == "ready"
    make_sandbox(state=state_dir, port=port)
    click(qtbot, panel.resend_button)
    wait_done(qtbot, panel)
    assert "Đã đăng ký giao dịch điện tử" in panel.state_label.text(), panel.result.text()
    assert not panel.resend_button.isVisible()
    assert registration.state(ctx.app)["pending"] is None
    tasks.wait_all(5000)


def test_settings_print_the_paper_form(ctx, qtbot, tmp_path):
    import subprocess

    from ibhxh_client.services.demo import make_demo
    from ibhxh_client.ui import tasks
    from ibhxh_client.ui.settings import SettingsScreen

    make_demo(ctx.app, 2)
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    panel = screen.registration
    out = tmp_path / "04.pdf"
    panel.print_form(str(out))
    qtbot.waitUntil(lambda: "04_DK-IVAN" in panel.result.text(), timeout=30_000)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "ĐĂNG KÝ SỬ DỤNG DỊCH VỤ I-VAN" in text and DEMO_UNIT in text
    tasks.wait_all(5000)


@pytest.mark.parametrize("size", ((1024, 600), (1280, 720)), ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_registration_step_fits_small_screens(ctx, qtbot, monkeypatch, size):
    """The first run's new step, in both languages, as tests/test_ui_sizes.py holds every
    other dialog (its inputs whole, the dialog inside the screen)."""
    from PySide6.QtCore import QRect

    from ibhxh_client.services.demo import make_demo
    from ibhxh_client.ui import i18n, widgets
    from ibhxh_client.ui.firstrun import REGISTER, FirstRunDialog
    from tests.test_ui_sizes import TASKBAR, fits_screen, problems_of

    make_demo(ctx.app, 2)
    monkeypatch.setattr(widgets, "available_geometry",
                        lambda _w: QRect(0, 0, size[0], size[1] - TASKBAR))
    bad = {}
    try:
        for language in ("vi", "en"):
            i18n.install(language)
            dialog = FirstRunDialog(ctx)
            qtbot.addWidget(dialog)
            dialog.show()
            qtbot.waitExposed(dialog)
            dialog.go(REGISTER)
            for how in ("token", "file"):  # the file row shows two more inputs
                dialog.registration.how.setCurrentIndex(
                    dialog.registration.how.findData(how))
                problems = fits_screen(dialog, size) + problems_of(dialog, qtbot)
                if problems:
                    bad[f"{language} {how}"] = problems
            dialog.close()
    finally:
        i18n.install("vi")
    assert not bad, bad
