"""The window of a shared office notices by itself (issue 17, points 3 and 4) when a
signer lets this PC in, removes it or gives its officer other roles: nobody presses
Refresh. The other PC acts through the service functions, as it would on its own
machine; both PCs play on the real PostgreSQL server (tests/test_ui_office.py's
``two_pcs``)."""

from __future__ import annotations

import json
import logging
import threading

from sqlalchemy.exc import OperationalError

from ibhxh_client.domain.messages import say
from ibhxh_client.services import officers, workers
from ibhxh_client.storage import officer_keys as ok
from ibhxh_client.storage.crypto import FieldCipher
from tests import test_ui_fixtures as fx
from tests import test_ui_office as office
from tests.test_ui_office import JOB_MS

ctx, prefs, window = fx.ctx, fx.prefs, fx.window
on_this_pc, two_pcs = office.on_this_pc, office.two_pcs

TICK_MS = 50  # the windows' officer_timer in these tests, instead of 30 s


def let_in(windows, qtbot, roles=(officers.PREPARER,)) -> None:
    """PC two asks as "binh" and PC "an" lets it in; PC two's window follows by itself."""
    officers.request(windows["two"].ctx.app, "binh", "Trần Thị Bình")
    officers.add(windows["an"].ctx.app, "binh", list(roles))
    qtbot.waitUntil(lambda: not windows["two"].locked, timeout=JOB_MS)


def test_a_single_pc_does_not_look(on_this_pc, window):
    assert not window.officer_timer.isActive()


def test_a_waiting_pc_let_in_shows_the_screens_by_itself(two_pcs, qtbot):
    windows, _folders = two_pcs
    an, two = windows["an"], windows["two"]
    assert two.officer_timer.isActive() and two.officer_timer.interval() == 30_000
    assert an.officer_timer.isActive()  # a signer is told of their own roles changed too
    two.officer_timer.setInterval(TICK_MS)
    assert two.locked and two.screens["workers"].objectName() == "screen_locked"

    # the other PC's officer asks (with this PC's key store): the banner says it waits
    officers.request(two.ctx.app, "binh", "Trần Thị Bình")
    qtbot.waitUntil(lambda: say("officer_waiting", "vi", login="binh")
                    in two.office_banner.text(), timeout=JOB_MS)
    assert two.locked

    officers.add(an.ctx.app, "binh", [officers.PREPARER])
    qtbot.waitUntil(lambda: not two.locked, timeout=JOB_MS)
    assert not two.office_banner.isVisible()
    assert two.officer_label.text() == "Cán bộ: binh (người lập hồ sơ)"
    assert two.statusBar().currentMessage() == ("Máy này đã được cho vào: binh nay làm "
                                                "việc với vai trò người lập hồ sơ.")
    screen = two.screens["workers"]
    assert screen.objectName() != "screen_locked"
    two.go("workers")
    fx.wait_loaded(qtbot, screen, rows=3)
    names = {w.full_name for w in workers.search(an.ctx.app)}
    model = screen.model
    seen = {model.data(model.index(r, c)) for r in range(3) for c in range(model.columnCount())}
    assert names and names <= seen

    # given the signer role too: the screens are made again, the "to sign" list shown
    officers.add(an.ctx.app, "binh", [officers.PREPARER, officers.SIGNER])
    qtbot.waitUntil(lambda: two.officer_label.text() == "Cán bộ: binh (người lập hồ sơ, "
                    "người ký)", timeout=JOB_MS)
    assert two.statusBar().currentMessage() == ("Vai trò của binh nay là: người lập hồ sơ, "
                                                "người ký.")
    assert two.go("tracking").to_sign.isVisible()


def test_a_removed_pc_loses_the_personal_data_by_itself_and_its_draft_is_kept(
        two_pcs, qtbot):
    from ibhxh_client.ui.workers import NEW_DRAFT

    windows, _folders = two_pcs
    an, two = windows["an"], windows["two"]
    two.officer_timer.setInterval(TICK_MS)
    let_in(windows, qtbot)
    screen = two.go("workers")
    fx.wait_loaded(qtbot, screen, rows=3)
    screen.new_worker()
    typed_under = two.ctx.app.db.cipher
    assert isinstance(typed_under, FieldCipher)
    two.officer_timer.stop()  # the removal happens while a new worker is being typed
    fx.type_text(screen.editor.panel.inputs["full_name"], "Đỗ Văn Kiên")

    officers.remove(an.ctx.app, "binh")
    # any read of PC two now finds its copy of the key gone, before the draft is written
    assert officers.shared(two.ctx.app) and two.ctx.app.db.officer is None
    assert not isinstance(two.ctx.app.db.cipher, FieldCipher)
    two.officer_timer.start()
    qtbot.waitUntil(lambda: two.locked, timeout=JOB_MS)
    assert two.office_banner.isVisible()
    assert say("officer_removed", "vi", login="binh") in two.office_banner.text()
    assert not two.officer_label.isVisible()
    for name in ("company", "workers", "declarations", "claims", "send", "tracking"):
        assert two.screens[name].objectName() == "screen_locked", name
    assert two.statusBar().currentMessage() == ("Máy này không còn mở được dữ liệu dùng "
                                                "chung: các màn hình có dữ liệu cá nhân "
                                                "đã đóng.")
    # what was being typed is on disk, sealed under the key it was typed under
    sealed = two.ctx.drafts._path(NEW_DRAFT).read_bytes()
    assert "Đỗ Văn Kiên".encode() not in sealed
    draft = json.loads(typed_under.open(sealed, f"ui.draft.{NEW_DRAFT}"))
    assert draft["full_name"] == "Đỗ Văn Kiên"
    # and the data written since is closed to this PC: the new key is not its
    assert [o.status for o in officers.listing(two.ctx.app)] == [ok.ACTIVE, ok.REMOVED]


def test_a_check_that_fails_is_logged_and_tried_again(two_pcs, qtbot, monkeypatch,
                                                       caplog):
    windows, _folders = two_pcs
    two = windows["two"]
    real = officers.current
    calls, gate = [], threading.Event()
    gate.set()

    def server_gone(app):
        if app is not two.ctx.app:  # PC "an"'s own window looks too, every 30 s
            return real(app)
        calls.append(app)
        gate.wait(JOB_MS / 1000)
        raise OperationalError("SELECT officers", {}, ConnectionError("server closed the "
                                                                      "connection"))

    caplog.set_level(logging.INFO, logger="ibhxh_client.ui.mainwindow")
    banner = two.office_banner.text()
    monkeypatch.setattr(officers, "current", server_gone)
    # a check still running (a slow server): the next tick is skipped, not stacked
    two.officer_timer.stop()
    gate.clear()
    assert two.check_officer() is not None
    assert two.check_officer() is None
    gate.set()
    qtbot.waitUntil(lambda: two.officer_job is None, timeout=JOB_MS)
    assert len(calls) == 1
    # every tick fails: logged, nothing shown, and tried again at the next
    two.officer_timer.setInterval(TICK_MS)
    two.officer_timer.start()
    qtbot.waitUntil(lambda: len(calls) >= 4, timeout=JOB_MS)
    assert two.locked and two.office_banner.text() == banner
    assert two.statusBar().currentMessage() == ""
    assert "this PC's officer not checked (OperationalError)" in caplog.text
    # the server back: the next tick finds the PC let in
    monkeypatch.setattr(officers, "current", real)
    let_in(windows, qtbot)
    assert not two.office_banner.isVisible()
