"""Remote signing in the window: the Send wizard's third choice against the sandbox's
training remote-signing service (real HTTPS on loopback), the countdown dialog, and the
training "phone" dialog that approves or rejects each request through /sandbox/v1."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests import test_ui_fixtures as fx

ctx, prefs, window, demo_window = fx.ctx, fx.prefs, fx.window, fx.demo_window
CONFIRM = "Mở ứng dụng trên điện thoại để xác nhận"


@pytest.fixture
def running(demo_app, tmp_path):
    """The sandbox (gateway + training remote-signing service) as the window runs it, the
    data folder logged in to its gateway."""
    from ibhxh_client.gateway.sandbox import Sandbox
    from ibhxh_client.services import submission
    from ibhxh_client.services.demo import demo_employer
    from ibhxh_client.ui.sandbox import Running

    sandbox = Sandbox(tmp_path / "gateway", trial_password="thu-nghiem",
                      process_after=0.2).start()
    submission.login(demo_app, sandbox.url, demo_employer().unit_code, password="thu-nghiem",
                     ca_file=sandbox.ca_file)
    run = Running()
    run.server = sandbox
    run.ready.set()
    run.configured.set()
    yield run
    sandbox.stop()


def remote_page(qtbot, demo_window, running):
    from ibhxh_client.ui.send import CERT

    demo_window.ctx.sandbox = running
    demo_window.ctx.prefs.set("gateway_mode", "sandbox")
    screen = demo_window.go("send")
    screen.start(demo_window.ctx.app.demo_id)
    qtbot.waitUntil(lambda: screen.next_button.isEnabled(), timeout=15_000)
    qtbot.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)
    assert screen.pages.currentIndex() == CERT
    qtbot.waitUntil(lambda: screen.find_button.isEnabled(), timeout=10_000)
    assert screen.use_remote.text().replace("&", "") == "Ký từ xa (SmartCA, CA2 …)"
    assert screen.remote_choice.currentData() == "sandbox"
    screen.use_remote.setChecked(True)
    return screen


def start_signing(qtbot, screen):
    qtbot.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)  # Sign and send
    qtbot.waitUntil(lambda: getattr(screen, "countdown", None) is not None and
                    screen.countdown.isVisible(), timeout=10_000)
    dialog = screen.countdown
    assert dialog.instruction.text() == CONFIRM
    return dialog


def open_phone(qtbot, dialog):
    assert dialog.phone_button.isVisible()
    qtbot.mouseClick(dialog.phone_button, Qt.MouseButton.LeftButton)
    phone = dialog.parent().phone_dialog
    qtbot.waitUntil(phone.isVisible, timeout=5_000)
    return phone


def wait_for_request(qtbot, phone, files_text: str):
    qtbot.waitUntil(lambda: phone.list.count() == 1 and
                    files_text in phone.list.item(0).text() and
                    phone.approve_button.isEnabled(), timeout=20_000)


def state_of(app) -> str:
    from ibhxh_client.services.declarations import state_of as state

    return str(state(app, app.demo_id))


def test_signed_remotely_with_two_approvals_on_the_training_phone_and_sent(
        demo_window, qtbot, running):
    from ibhxh_client.ui.send import RECEIPT

    app = demo_window.ctx.app
    screen = remote_page(qtbot, demo_window, running)
    assert "điện thoại" in screen.remote_note.text()
    dialog = start_signing(qtbot, screen)
    qtbot.waitUntil(lambda: "Bước 1/2" in dialog.phase_label.text(), timeout=20_000)
    assert dialog.time_label.text().startswith("Còn lại: ")
    phone = open_phone(qtbot, dialog)
    wait_for_request(qtbot, phone, "ký 2 tờ khai · 2 tệp")  # the forms
    assert screen.pages.currentIndex() != RECEIPT and state_of(app) != "signed"
    qtbot.mouseClick(phone.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Bước 2/2" in dialog.phase_label.text(), timeout=20_000)
    wait_for_request(qtbot, phone, " · 1 tệp · ")  # the envelope
    qtbot.mouseClick(phone.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentIndex() == RECEIPT, timeout=30_000)
    assert not dialog.isVisible()
    assert state_of(app) in ("sent", "accepted")
    from ibhxh_client.services import remote_signing

    assert remote_signing.pending(app) == []
    assert [t.state for t in running.server.remote.transactions()] == ["SUCCESS"] * 2
    phone.accept()


def test_a_rejection_on_the_phone_shows_the_services_sentence_and_leaves_the_dossier(
        demo_window, qtbot, running):
    from ibhxh_client.services import declarations as decls
    from ibhxh_client.ui.send import FAILED

    app = demo_window.ctx.app
    screen = remote_page(qtbot, demo_window, running)
    before = state_of(app)
    # Signing validates first (as with a token); nothing beyond that may change.
    unchanged = {before, "validated"}
    dialog = start_signing(qtbot, screen)
    phone = open_phone(qtbot, dialog)
    wait_for_request(qtbot, phone, "tệp")
    qtbot.mouseClick(phone.reject_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentIndex() == FAILED, timeout=30_000)
    assert screen.fail_label.text().startswith("Người ký đã từ chối yêu cầu ký trên điện thoại.")
    assert state_of(app) in unchanged
    decl, _ = decls.load(app, app.demo_id)
    assert str(decl.state) in unchanged
    assert [t.state for t in running.server.remote.transactions()] == ["REJECTED"]
    phone.accept()


def test_cancel_stops_waiting_the_request_stays_pending_and_the_window_answers(
        demo_window, qtbot, running):
    from ibhxh_client.services import remote_signing
    from ibhxh_client.ui.send import FAILED

    app = demo_window.ctx.app
    screen = remote_page(qtbot, demo_window, running)
    before = state_of(app)
    # Signing validates first (as with a token); nothing beyond that may change.
    unchanged = {before, "validated"}
    dialog = start_signing(qtbot, screen)
    qtbot.waitUntil(lambda: "Bước 1/2" in dialog.phase_label.text(), timeout=20_000)
    # The window is not blocked while the phone is awaited: another screen opens.
    assert demo_window.go("workers") is not None
    demo_window.go("send")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentIndex() == FAILED, timeout=20_000)
    assert "vẫn đang chờ xác nhận trên điện thoại" in screen.fail_label.text()
    assert not dialog.isVisible()
    assert state_of(app) in unchanged
    assert [p["phase"] for p in remote_signing.pending(app)] == ["forms"]


def test_without_an_account_the_choice_points_to_the_settings(demo_window, qtbot):
    from ibhxh_client.ui.send import CERT

    demo_window.ctx.sandbox = None
    screen = demo_window.go("send")
    screen.start(demo_window.ctx.app.demo_id)
    qtbot.waitUntil(lambda: screen.next_button.isEnabled(), timeout=15_000)
    qtbot.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)
    assert screen.pages.currentIndex() == CERT
    assert screen.remote_choice.count() == 0 and not screen.remote_choice.isEnabled()
    assert "Chưa có tài khoản ký từ xa" in screen.remote_note.text()
    assert 'href="settings"' in screen.remote_note.text()
    screen.use_remote.setChecked(True)
    assert screen._how() is None
    assert screen.pages.currentIndex() == CERT


def test_the_countdown_shows_the_phase_and_the_time_left(qtbot, ctx):
    from ibhxh_client.ui.remote import CountdownDialog

    dialog = CountdownDialog("Dịch vụ ký số thử nghiệm")
    qtbot.addWidget(dialog)
    seen = []
    dialog.cancelled.connect(lambda: seen.append(True))
    dialog.tick(125, "forms")
    assert dialog.instruction.text() == CONFIRM
    assert dialog.provider_label.text() == "Ký qua Dịch vụ ký số thử nghiệm"
    assert dialog.time_label.text() == "Còn lại: 2:05"
    assert dialog.phase_label.text().startswith("Bước 1/2")
    dialog.tick(61, "envelope")
    assert dialog.time_label.text() == "Còn lại: 1:01"
    assert "BHXHDienTu.xml" in dialog.phase_label.text()
    assert dialog.bar.maximum() == 125 and dialog.bar.value() == 61
    dialog.reject()  # Esc: as Cancel, once
    dialog.reject()
    assert seen == [True] and not dialog.cancel_button.isEnabled()


def test_settings_keep_the_account_without_showing_the_password_and_list_certificates(
        demo_window, qtbot, running):
    from ibhxh_client.gateway.sandbox.remote_signing import load_credentials
    from ibhxh_client.services import remote_signing
    from ibhxh_client.services.demo import demo_employer

    app = demo_window.ctx.app
    demo_window.ctx.sandbox = running
    box = demo_window.go("settings").remote
    assert box.title() == "Ký từ xa"
    box.provider.setCurrentIndex(box.provider.findData("sandbox"))
    sp_id, sp_password = load_credentials(running.server.state_dir)
    box.user_id.setText(demo_employer().tax_code)
    box.sp_id.setText(sp_id)
    box.password.setText(sp_password)
    box.save()
    qtbot.waitUntil(lambda: box.result.text() == "Đã lưu tài khoản.", timeout=10_000)
    assert box.password.text() == "" and sp_password not in box.password.placeholderText()
    account = remote_signing.show_account(app, "sandbox")
    assert account["password_kept"] and account["sp_id"] == sp_id and not account["serial"]
    box.show_certificates()
    qtbot.waitUntil(lambda: box.certificates.count() == 1, timeout=15_000)
    item = box.certificates.item(0)
    assert f"mã số thuế {demo_employer().tax_code}" in item.text()
    box.certificates.itemActivated.emit(item)
    qtbot.waitUntil(lambda: remote_signing.show_account(app, "sandbox")["serial"] != "",
                    timeout=10_000)
    assert box.serial.text() == remote_signing.show_account(app, "sandbox")["serial"]
    qtbot.mouseClick(box.phone_button, Qt.MouseButton.LeftButton)
    phone = box.phone_dialog
    qtbot.waitUntil(lambda: phone.note.text() == "Không có yêu cầu nào đang chờ.",
                    timeout=10_000)
    assert phone.list.count() == 0 and not phone.approve_button.isEnabled()
    phone.accept()
    demo_window.ctx.sandbox = None
    assert box.open_phone() is None and box.result.text() == "Cổng thử nghiệm chưa chạy."


def test_the_first_run_demo_can_sign_remotely_at_the_training_service(ctx, qtbot):
    from PySide6.QtWidgets import QDialog

    from ibhxh_client.gateway.sandbox.remote_signing import provider_base_url
    from ibhxh_client.services import remote_signing
    from ibhxh_client.ui import sandbox, tasks
    from ibhxh_client.ui.firstrun import FirstRunDialog
    from ibhxh_client.ui.send import CERT

    dialog = FirstRunDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.demo_sign_file.isChecked()  # the demo certificate stays the default
    dialog.demo_sign_remote.setChecked(True)
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=60_000)
    try:
        running = ctx.sandbox
        assert running is not None and running.wait(30)
        account = remote_signing.show_account(ctx.app, "sandbox")
        assert account["base_url"] == provider_base_url(running.server.url)
        assert account["serial"] and account["password_kept"]
        w = fx.make_window(ctx, qtbot)
        screen = w.go("send")
        screen.go(CERT)
        qtbot.waitUntil(lambda: screen.find_button.isEnabled(), timeout=10_000)
        assert screen.use_remote.isChecked()
        assert screen.remote_choice.currentData() == "sandbox"
        w.close()
    finally:
        tasks.wait_all(5000)
        sandbox.stop(ctx)


def test_an_expired_request_says_so_and_leaves_the_dossier(demo_window, qtbot, running):
    from ibhxh_client.ui.send import FAILED

    app = demo_window.ctx.app
    running.server.remote.configure({"expiry_seconds": 2})
    screen = remote_page(qtbot, demo_window, running)
    before = state_of(app)
    dialog = start_signing(qtbot, screen)
    qtbot.waitUntil(lambda: screen.pages.currentIndex() == FAILED, timeout=30_000)
    assert screen.fail_label.text().startswith("Yêu cầu ký đã hết hạn")
    assert not dialog.isVisible()
    assert state_of(app) in {before, "validated"}
    from ibhxh_client.services import remote_signing

    assert remote_signing.pending(app) == []  # ended, not left waiting


def test_a_request_left_waiting_is_followed_at_the_next_start(demo_window, qtbot, running):
    """The director approves after the officer gave up waiting (or closed the program):
    the next start polls the stored request, never sends it again, and the dossier ends
    signed once the envelope is approved too."""
    from ibhxh_client.services import remote_signing
    from ibhxh_client.ui.app import resume_remote

    app = demo_window.ctx.app
    screen = remote_page(qtbot, demo_window, running)
    dialog = start_signing(qtbot, screen)
    qtbot.waitUntil(lambda: "Bước 1/2" in dialog.phase_label.text(), timeout=20_000)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20_000)
    (forms,) = remote_signing.pending(app)
    service = running.server.remote
    service.decide(forms["transaction_id"], approve=True)
    resume_remote(demo_window.ctx)  # what the window does when it starts
    qtbot.waitUntil(lambda: [p["phase"] for p in remote_signing.pending(app)] == ["envelope"],
                    timeout=20_000)
    # the request is stored before it is sent: the phone sees it once the service has it
    qtbot.waitUntil(lambda: len(service.transactions()) == 2, timeout=20_000)
    (envelope,) = remote_signing.pending(app)
    service.decide(envelope["transaction_id"], approve=True)
    resume_remote(demo_window.ctx)
    qtbot.waitUntil(lambda: state_of(app) == "signed", timeout=20_000)
    assert remote_signing.pending(app) == []
    # one request per phase reached the service: the forms were not sent again
    assert len(service.transactions()) == 2


def test_settings_take_the_services_address_and_ca_file_as_the_cli_does(
        demo_window, qtbot, running):
    """The fields `ibhxh remote set --url --ca` has: typed in, kept, shown back."""
    from ibhxh_client.gateway.sandbox.remote_signing import load_credentials, provider_base_url
    from ibhxh_client.services import remote_signing
    from ibhxh_client.services.demo import demo_employer

    app = demo_window.ctx.app
    demo_window.ctx.sandbox = None  # the address is the officer's, not the window's sandbox
    box = demo_window.go("settings").remote
    box.provider.setCurrentIndex(box.provider.findData("sandbox"))
    assert box.base_url.accessibleName() == "Địa chỉ dịch vụ"
    assert box.ca_file.accessibleName() == "Tệp CA của dịch vụ"
    url = provider_base_url(running.server.url)
    sp_id, sp_password = load_credentials(running.server.state_dir)
    box.base_url.setText(url + "/")
    box.ca_file.setText(str(running.server.ca_file))
    box.user_id.setText(demo_employer().tax_code)
    box.sp_id.setText(sp_id)
    box.password.setText(sp_password)
    box.save()
    qtbot.waitUntil(lambda: box.result.text() == "Đã lưu tài khoản.", timeout=10_000)
    account = remote_signing.show_account(app, "sandbox")
    assert account["base_url"] == url and account["ca_file"] == str(running.server.ca_file)
    box.base_url.clear()
    box.ca_file.clear()
    box.load()
    assert box.base_url.text() == url and box.ca_file.text() == str(running.server.ca_file)
    # the CA file is checked as on the command line: a file that is no certificate
    bad = running.server.state_dir / "not-a-ca.pem"
    bad.write_text("không phải chứng thư", "utf-8")
    box.ca_file.setText(str(bad))
    box.save()
    qtbot.waitUntil(lambda: box.result.text() not in ("", "Đã lưu tài khoản."),
                    timeout=10_000)
    assert remote_signing.show_account(app, "sandbox")["ca_file"] == str(
        running.server.ca_file)


def test_the_requests_waiting_on_the_phone_are_listed_polled_and_abandoned(
        demo_window, qtbot, running):
    from ibhxh_client.services import remote_signing
    from ibhxh_client.services.app import UserError
    from ibhxh_client.ui.remote import training_account

    app = demo_window.ctx.app
    decl_id = app.demo_id
    training_account(app, running.server)
    assert not demo_window.remote_button.isVisible()
    with pytest.raises(UserError):  # the officer stopped waiting: the request stays
        remote_signing.sign_remote(app, decl_id, "sandbox", wait=60,
                                   on_tick=lambda _s, _p: False)
    demo_window.show_remote_count()
    assert demo_window.remote_button.text() == "Chờ ký trên điện thoại: 1"
    assert not demo_window.remote_button.isHidden()
    qtbot.mouseClick(demo_window.remote_button, Qt.MouseButton.LeftButton)
    dialog = demo_window.remote_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    table = dialog.table
    assert table.rowCount() == 1
    cells = [table.item(0, j).text() for j in range(4)]
    assert cells[0] == str(decl_id) and cells[1] == "Dịch vụ ký từ xa tập luyện (hộp cát)"
    assert cells[2] == "Bước 1/2: các tờ khai" and cells[3].startswith("4:")
    # the time left counts down by itself between two reads
    qtbot.waitUntil(lambda: table.item(0, 3).text() != cells[3], timeout=5_000)
    assert table.item(0, 3).text() < cells[3] and dialog.rows[0]["seconds_left"] > 0
    # Poll now: still waiting, then approved on the phone: the envelope is asked for.
    dialog.poll()
    qtbot.waitUntil(lambda: dialog.task is None and "vẫn đang chờ" in dialog.note.text(),
                    timeout=15_000)
    (forms,) = remote_signing.pending(app)
    running.server.remote.decide(forms["transaction_id"], approve=True)
    dialog.poll()
    qtbot.waitUntil(lambda: dialog.task is None and table.rowCount() == 1 and
                    table.item(0, 2).text() == "Bước 2/2: tệp hồ sơ gửi đi", timeout=15_000)
    # Abandon: the list empties, and an approval that comes later is not applied.
    (envelope,) = remote_signing.pending(app)
    qtbot.mouseClick(dialog.abandon_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None and table.rowCount() == 0, timeout=15_000)
    assert "đã bị hủy" in dialog.note.text()
    running.server.remote.decide(envelope["transaction_id"], approve=True)
    assert remote_signing.resume_pending(app) == []
    assert state_of(app) != "signed"
    dialog.accept()
    qtbot.waitUntil(lambda: demo_window.remote_button.isHidden(), timeout=5_000)


def test_settings_name_the_fields_as_each_service_does(demo_window):
    """MySign's integrator credentials are a client id and secret, and each service says
    what its user id is; the labels follow the service chosen, both ways."""
    box = demo_window.go("settings").remote
    form = box.layout()

    def label(widget) -> str:
        return form.labelForField(widget).text()

    box.provider.setCurrentIndex(box.provider.findData("viettel-mysign"))
    assert label(box.sp_id) == "Mã ứng dụng (client_id):"
    assert label(box.password) == "Khóa bí mật ứng dụng (client_secret):"
    assert box.password.accessibleName() == "Khóa bí mật ứng dụng (client_secret)"
    assert box.user_id.placeholderText().startswith("Tài khoản MySign")
    box.provider.setCurrentIndex(box.provider.findData("vnpt-smartca"))
    assert label(box.sp_id) == "Mã tích hợp (sp_id):"
    assert box.user_id.placeholderText().startswith("Số CCCD")
