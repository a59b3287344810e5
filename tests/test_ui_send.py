"""The Send wizard end to end: a SoftHSM2 token whose PIN the test types into the PIN
dialog, the sandbox gateway in-process, the receipt on screen; and, with the gateway
pulled down by its fault switch, the paper dossier printed to a PDF."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QPushButton

from ibhxh_client.signing import PinStatus, pin_message
from tests import test_ui_fixtures as fx
from tests.pkcs11_fixtures import USER_PIN, FakeLib, SoftHsm, fake_token, install_fake_module

ctx, prefs, window, demo_window = fx.ctx, fx.prefs, fx.window, fx.demo_window
LABEL = "SAOMAI-UI"


@pytest.fixture(scope="module")
def softhsm(tmp_path_factory):
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
    return hsm


@pytest.fixture(scope="module")
def token(softhsm):
    """The module path of that token."""
    return softhsm.module_path


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
    # The forms by the names on paper (the gateway's receipt says D02-TS); one TK1-TS file
    # holding both demo workers without a BHXH number, as the exchange carries it.
    assert "D02-LT, TK1-TS<" in text and "TK1-TS ×" not in text and "D02-TS" not in text, text
    decl, _ = decls.load(app, app.demo_id)
    assert str(decl.state) == "sent"
    # Tracking asks the gateway in the background until the result is there
    qtbot.mouseClick(screen.track_button, Qt.MouseButton.LeftButton)
    tracking = demo_window.screens["tracking"]
    assert demo_window.current_name() == "tracking"
    number = re.search(r"\d+/\d{4}/\d+", text).group(0)
    assert number in tracking.details.toHtml()
    details = tracking.details.toPlainText()
    assert "D02-LT, TK1-TS" in details and "TK1-TS ×" not in details  # one TK1-TS file

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


def start_signing(qtbot, demo_window, module):
    """The Send wizard on the demo dossier with the token of ``module``, up to the PIN
    dialog (or to a failure before it)."""
    demo_window.ctx.prefs.set("token_module", module)
    screen = demo_window.go("send")
    to_certificate_page(qtbot, screen, demo_window.ctx.app.demo_id)
    qtbot.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)  # Sign and send
    return screen


def test_a_typo_earlier_is_said_and_the_right_pin_signs_unconfirmed(demo_window, qtbot,
                                                                     softhsm, gateway):
    """SoftHSM2 sets COUNT_LOW after a wrong PIN: the dialog says a wrong PIN was entered
    earlier, asks for no confirmation, and the right PIN signs and sends."""
    from pkcs11 import exceptions as X

    from ibhxh_client.services import declarations as decls
    from ibhxh_client.ui.send import RECEIPT

    with pytest.raises(X.PinIncorrect):  # one typo, outside the program
        softhsm.token(LABEL).open(user_pin="0000")
    screen = start_signing(qtbot, demo_window, softhsm.module_path)
    qtbot.waitUntil(lambda: screen.pin_dialog is not None and screen.pin_dialog.isVisible(),
                    timeout=10_000)
    dialog = screen.pin_dialog
    said = pin_message(PinStatus.COUNT_LOW, "vi")
    assert "đã nhập sai PIN ít nhất một lần" in said
    assert dialog.warning.isVisible() and said in dialog.warning.text()
    assert "lần thử cuối cùng" not in dialog.warning.text()
    assert dialog.confirm is None and dialog.findChild(QCheckBox) is None
    assert dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.field, USER_PIN)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentIndex() == RECEIPT, timeout=30_000)
    assert str(decls.load(demo_window.ctx.app, demo_window.ctx.app.demo_id)[0].state) == "sent"


@pytest.fixture
def fake_module(monkeypatch, tmp_path):
    """A fake token (for the flags SoftHSM2 never sets) with the demo company's
    certificate, loaded by the window from a module path."""
    from ibhxh_client.services.demo import demo_employer
    from ibhxh_client.signing.demo import DemoCA

    def make(tries_left: int):
        fake, _, _ = fake_token(DemoCA.create("IBHXH UI FAKE CA"), "FAKE-CA", "FAKE0001",
                                tries_left=tries_left, tax_code=demo_employer().tax_code)
        return install_fake_module(monkeypatch, tmp_path, FakeLib(fake)), fake

    return make


def test_final_try_asks_for_the_tick_box_before_the_pin_is_sent(demo_window, qtbot, gateway,
                                                                 fake_module):
    from ibhxh_client.services import declarations as decls
    from ibhxh_client.ui.send import RECEIPT

    module, fake = fake_module(tries_left=1)
    screen = start_signing(qtbot, demo_window, module)
    qtbot.waitUntil(lambda: screen.pin_dialog is not None and screen.pin_dialog.isVisible(),
                    timeout=10_000)
    dialog = screen.pin_dialog
    assert pin_message(PinStatus.FINAL_TRY, "vi") in dialog.warning.text()
    assert dialog.confirm is not None and dialog.confirm.isVisible()
    assert not dialog.confirm.isChecked() and not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.field, fake.pin)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)  # Enter does not skip the tick box
    assert dialog.isVisible() and fake.login_attempts == 0
    dialog.confirm.click()
    assert dialog.ok.isEnabled()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentIndex() == RECEIPT, timeout=30_000)
    assert fake.login_attempts == 1 and fake.tries_left == fake.max_tries
    assert str(decls.load(demo_window.ctx.app, demo_window.ctx.app.demo_id)[0].state) == "sent"


def test_final_try_cancelled_leaves_the_dossier_unsigned(demo_window, qtbot, fake_module):
    from ibhxh_client.services import declarations as decls
    from ibhxh_client.ui.send import FAILED

    module, fake = fake_module(tries_left=1)
    screen = start_signing(qtbot, demo_window, module)
    qtbot.waitUntil(lambda: screen.pin_dialog is not None and screen.pin_dialog.isVisible(),
                    timeout=10_000)
    qtbot.mouseClick(screen.pin_dialog.findChild(QPushButton, "pin_cancel"),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentIndex() == FAILED, timeout=20_000)
    assert "Đã hủy nhập mã PIN" in screen.fail_label.text()
    assert fake.login_attempts == 0
    assert str(decls.load(demo_window.ctx.app, demo_window.ctx.app.demo_id)[0].state) == "draft"


def test_locked_pin_is_refused_before_any_pin_dialog(demo_window, qtbot, fake_module):
    from ibhxh_client.services import declarations as decls
    from ibhxh_client.ui.send import FAILED

    module, fake = fake_module(tries_left=0)
    screen = start_signing(qtbot, demo_window, module)
    qtbot.waitUntil(lambda: screen.pages.currentIndex() == FAILED, timeout=20_000)
    assert screen.pin_dialog is None
    assert pin_message(PinStatus.LOCKED, "vi") in screen.fail_label.text()
    assert fake.login_attempts == 0
    assert str(decls.load(demo_window.ctx.app, demo_window.ctx.app.demo_id)[0].state) == "draft"


@pytest.mark.parametrize("tries_left", [3, 2, 1])
def test_the_confirmation_is_asked_only_on_the_final_try(window, qtbot, tries_left):
    """OK (3 tries), one typo earlier (COUNT_LOW) and the final try, as the dialog shows
    them: only the final try has the tick box and a disabled Sign button."""
    from ibhxh_client.signing import preflight
    from ibhxh_client.signing.demo import DemoCA
    from ibhxh_client.ui.pin import PinDialog

    fake, _, _ = fake_token(DemoCA.create("IBHXH UI FAKE CA"), tries_left=tries_left)
    pf = preflight("fake.dll", loader=FakeLib(fake).loader)
    dialog = PinDialog(pf, window)
    qtbot.addWidget(dialog)
    dialog.show()
    final = pf.pin_status is PinStatus.FINAL_TRY
    assert pf.pin_status is {3: PinStatus.OK, 2: PinStatus.COUNT_LOW, 1: PinStatus.FINAL_TRY
                             }[tries_left]
    assert (dialog.findChild(QCheckBox, "pin_confirm") is not None) == final
    assert dialog.ok.isEnabled() == (not final)
    said = [s for s in (PinStatus.COUNT_LOW, PinStatus.FINAL_TRY)
            if pin_message(s, "vi") in dialog.warning.text()]
    assert said == ([] if pf.pin_status is PinStatus.OK else [pf.pin_status])
    if final:
        assert dialog.confirm.text() == ("Tôi &chắc chắn mã PIN đúng: gửi mã PIN ở lần thử "
                                         "cuối cùng này")
        dialog.accept()  # not ticked: nothing happens
        assert dialog.isVisible() and dialog.result() != dialog.DialogCode.Accepted
        dialog.confirm.setChecked(True)
        assert dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.field, fake.pin)
    with qtbot.waitSignal(dialog.accepted, timeout=2_000):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.take_pin() == fake.pin and fake.login_attempts == 0  # the dialog sends nothing


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
