"""The Send wizard end to end: a SoftHSM2 token whose PIN the test types into the PIN
dialog, the sandbox gateway in-process, the receipt on screen; and, with the gateway
pulled down by its fault switch, the paper dossier printed to a PDF."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests import test_ui_fixtures as fx
from tests.pkcs11_fixtures import USER_PIN, SoftHsm

ctx, prefs, window, demo_window = fx.ctx, fx.prefs, fx.window, fx.demo_window
LABEL = "SAOMAI-UI"


@pytest.fixture(scope="module")
def token(tmp_path_factory):
    """A SoftHSM2 token holding a key made on it and the demo company's certificate."""
    from ibhxh_client.services.demo import demo_employer
    from ibhxh_client.signing.demo import DemoCA

    hsm = SoftHsm(tmp_path_factory.mktemp("ui-token"))
    hsm.init_token(LABEL)
    e = demo_employer()
    ca = DemoCA.create("IBHXH UI TEST CA")
    public = hsm.generate_key(LABEL, b"\x01")
    hsm.store_certificate(LABEL, ca.issue(public, company_name=e.name, tax_code=e.tax_code),
                          b"\x01")
    hsm.lib()
    return hsm.module_path


@pytest.fixture
def gateway(demo_app, tmp_path):
    """The sandbox gateway on loopback, and the data folder logged in to it."""
    from ibhxh_client.gateway.sandbox import Sandbox
    from ibhxh_client.services import submission
    from ibhxh_client.services.demo import demo_employer

    sandbox = Sandbox(tmp_path / "gateway", trial_password="thu-nghiem",
                      process_after=0.2).start()
    submission.login(demo_app, sandbox.url, demo_employer().unit_code, password="thu-nghiem",
                     ca_file=sandbox.ca_file)
    yield sandbox
    sandbox.stop()


def to_certificate_page(qtbot, screen, decl_id):
    from ibhxh_client.ui.send import CERT

    screen.start(decl_id)
    qtbot.waitUntil(lambda: screen.next_button.isEnabled(), timeout=10_000)
    assert screen.check_label.text().startswith("Không có lỗi")
    qtbot.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)
    assert screen.pages.currentIndex() == CERT
    qtbot.waitUntil(lambda: screen.find_button.isEnabled(), timeout=10_000)


def test_sign_with_the_token_and_send_until_the_receipt_shows(demo_window, qtbot, token,
                                                              gateway):
    from ibhxh_client.services import declarations as decls
    from ibhxh_client.ui.send import RECEIPT

    app = demo_window.ctx.app
    demo_window.ctx.prefs.set("token_module", token)
    screen = demo_window.go("send")
    to_certificate_page(qtbot, screen, app.demo_id)
    assert screen.token_list.count() >= 1 and LABEL in screen.token_list.currentItem().text()
    qtbot.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)  # Sign and send
    qtbot.waitUntil(lambda: screen.pin_dialog is not None and screen.pin_dialog.isVisible(),
                    timeout=10_000)
    dialog = screen.pin_dialog
    assert dialog.field.echoMode() == dialog.field.EchoMode.Password
    qtbot.keyClicks(dialog.field, USER_PIN)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.field.text() == ""  # the PIN is not kept in the dialog
    qtbot.waitUntil(lambda: screen.pages.currentIndex() == RECEIPT, timeout=30_000)
    text = screen.receipt_label.text()
    assert re.search(r"\d+/\d{4}/\d+", text), text  # the dossier number, like 00001/2026/07906
    decl, _ = decls.load(app, app.demo_id)
    assert str(decl.state) == "sent"
    # Tracking asks the gateway in the background until the result is there
    qtbot.mouseClick(screen.track_button, Qt.MouseButton.LeftButton)
    tracking = demo_window.screens["tracking"]
    assert demo_window.current_name() == "tracking"
    number = re.search(r"\d+/\d{4}/\d+", text).group(0)
    assert number in tracking.details.toHtml()

    def accepted():
        if tracking._job is None:
            tracking.sync()
        return decls.load(app, app.demo_id)[0].state in ("accepted", "rejected")

    qtbot.waitUntil(accepted, timeout=20_000)
    qtbot.waitUntil(lambda: tracking._job is None)
    tracking.refresh()
    from ibhxh_client.ui.declarations import state_text

    assert state_text("accepted") == "Được chấp nhận"  # Vietnamese by default
    assert state_text("accepted") in tracking.details.toPlainText()


def test_a_wrong_pin_leaves_the_dossier_as_it_was(demo_window, qtbot, token, gateway):
    from ibhxh_client.services import declarations as decls
    from ibhxh_client.ui.send import FAILED

    app = demo_window.ctx.app
    demo_window.ctx.prefs.set("token_module", token)
    screen = demo_window.go("send")
    to_certificate_page(qtbot, screen, app.demo_id)
    qtbot.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pin_dialog is not None, timeout=10_000)
    qtbot.keyClicks(screen.pin_dialog.field, "0000")
    qtbot.mouseClick(screen.pin_dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentIndex() == FAILED, timeout=20_000)
    assert "PIN" in screen.fail_label.text()
    assert not screen.paper_button.isVisible()  # fixed now, not by paper
    decl, _ = decls.load(app, app.demo_id)
    assert str(decl.state) == "draft"


def test_gateway_down_offers_the_paper_dossier_printed_to_pdf(demo_window, qtbot, gateway,
                                                              tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from ibhxh_client.services import declarations as decls
    from ibhxh_client.services import signing as signing_svc
    from ibhxh_client.ui.send import FAILED

    app = demo_window.ctx.app
    signing_svc.ensure_demo_certificate(app)
    gateway.faults.arm("http_error", route="submit", times=None, status=503,
                       retry_after=120)  # the gateway is down for good
    screen = demo_window.go("send")
    to_certificate_page(qtbot, screen, app.demo_id)
    screen.use_demo.setChecked(True)
    qtbot.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentIndex() == FAILED, timeout=30_000)
    assert screen.paper_button.isVisible()
    decl, _ = decls.load(app, app.demo_id)
    assert str(decl.state) == "signed"  # signed, queued: nothing lost
    dialog = screen.offer_paper()
    out = tmp_path / "ho-so-giay.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=30_000)
    assert out.read_bytes().startswith(b"%PDF") and dialog.result_value.pages >= 2
    decl, _ = decls.load(app, app.demo_id)
    assert str(decl.state) == "printed"
    dialog.close()


def test_the_status_bar_follows_the_token(demo_window, qtbot, token, tmp_path):
    """The watcher polls in the background: the token and its certificate's days to
    expiry appear, and go when the token does (here: its module is no longer there)."""
    demo_window.ctx.prefs.set("token_module", token)
    watcher = demo_window.watcher
    watcher.poll_now()
    qtbot.waitUntil(lambda: LABEL in demo_window.token_label.text(), timeout=10_000)
    assert re.search(r"còn \d+ ngày", demo_window.token_label.text())
    demo_window.ctx.prefs.set("token_module", str(tmp_path / "pulled-out.so"))
    qtbot.waitUntil(lambda: watcher._job is None)
    watcher.poll_now()
    qtbot.waitUntil(lambda: demo_window.token_label.text() == "Chưa cắm token",
                    timeout=10_000)


def settings_for_login(demo_window, gateway, kind):
    from ibhxh_client.services.demo import demo_employer

    settings = demo_window.go("settings")
    settings.real.setChecked(True)
    settings.url.setText(gateway.url)
    settings.unit.setText(demo_employer().unit_code)
    settings.ca.setText(str(gateway.ca_file))
    settings.login_cert.setChecked(True)
    settings.cert_kind.setCurrentIndex(settings.cert_kind.findData(kind))
    assert not settings.password.isVisibleTo(settings)
    assert settings.cert_file.isVisibleTo(settings) == (kind == "file")
    return settings


def test_settings_log_in_to_the_gateway_with_the_demo_certificate(demo_window, qtbot, gateway):
    from ibhxh_client.services import submission

    app = demo_window.ctx.app
    assert submission.settings(app).login == "password"
    settings = settings_for_login(demo_window, gateway, "demo")
    qtbot.mouseClick(settings.findChild(QPushButton, "gateway_connect"),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settings.gateway_result.text().startswith("Đã kết nối"),
                    timeout=20_000)
    assert submission.settings(app).login == "certificate"


def test_settings_log_in_with_a_p12_file_and_with_the_token(demo_window, qtbot, token,
                                                            gateway):
    from ibhxh_client.services import signing, submission

    app = demo_window.ctx.app
    # a wrong file password is said at once and nothing changes
    settings = settings_for_login(demo_window, gateway, "file")
    settings.cert_file.setText(str(signing.ensure_demo_certificate(app)))
    settings.cert_password.setText("sai mật khẩu")
    settings.connect_gateway()
    qtbot.waitUntil(lambda: settings.gateway_job.done.is_set(), timeout=20_000)
    qtbot.waitUntil(lambda: not settings.gateway_result.text().startswith("Đang"))
    assert submission.settings(app).login == "password"
    assert settings.cert_password.text() == ""  # never kept
    # the token: the PIN dialog of the Send wizard
    demo_window.ctx.prefs.set("token_module", token)
    settings.cert_kind.setCurrentIndex(settings.cert_kind.findData("token"))
    settings.connect_gateway()
    qtbot.waitUntil(lambda: settings.pin_dialog is not None and settings.pin_dialog.isVisible(),
                    timeout=10_000)
    qtbot.keyClicks(settings.pin_dialog.field, USER_PIN)
    qtbot.mouseClick(settings.pin_dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settings.gateway_result.text().startswith("Đã kết nối"),
                    timeout=20_000)
    assert submission.settings(app).login == "certificate"
