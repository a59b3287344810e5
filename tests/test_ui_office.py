"""A shared office in the window (issue 17, points 2-4): the Settings group that chooses
the database, on a real PostgreSQL server; officers asking to join and let in through
the window; the banner of a PC not let in; the "to sign" list; the layout at 150 %.

Two PCs are played in one process: each has its own data folder (its own local.json, so
its own officer), both on the same server database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from ibhxh_client.domain.messages import say
from ibhxh_client.services import officers, workers
from ibhxh_client.services.app import open_app
from ibhxh_client.services.demo import make_demo
from ibhxh_client.storage import location
from ibhxh_client.storage import officer_keys as ok
from tests import test_ui_fixtures as fx

ctx, prefs, window = fx.ctx, fx.prefs, fx.window

JOB_MS = 30_000


def fill_server(box, url: str, password: str | None = None) -> None:
    """The Settings database group filled with the server of ``url``."""
    parts = make_url(url)
    box.host.setText(parts.host)
    box.port.setValue(parts.port)
    box.name.setText(parts.database)
    box.user.setText(parts.username)
    box.password.setText(parts.password if password is None else password)


def wait_job(qtbot, holder) -> None:
    qtbot.waitUntil(lambda: holder.job is None, timeout=JOB_MS)


def files_holding(folder: Path, secret: str) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


# -- the database group -------------------------------------------------------------------------

@pytest.fixture
def on_this_pc(monkeypatch):
    """The data folder on its own SQLite file, as a PC starts before choosing a server,
    in either mode of the suite (PostgreSQL mode gives each folder a server database):
    ask for it before the window."""
    from ibhxh_client.storage import db
    from tests.pg import real_resolve

    monkeypatch.delenv(location.ENV, raising=False)
    monkeypatch.setattr(location, "resolve", real_resolve)
    monkeypatch.setattr(db, "resolve", real_resolve)


def test_a_wrong_password_is_said_and_nothing_changes(on_this_pc, window, qtbot, pg_url, data_dir):
    box = window.go("settings").database
    assert "ibhxh.sqlite3" in box.where.text() and not box.local_button.isEnabled()
    fill_server(box, pg_url, password="not-the-password-42")
    box.test()
    # connecting runs in the background, the busy bar shown and the buttons off meanwhile
    assert box.job is not None and box.busy.isVisible()
    assert not box.use_button.isEnabled() and box.result.text() == "Đang kết nối…"
    wait_job(qtbot, box)
    assert not box.busy.isVisible() and box.use_button.isEnabled()
    parts = make_url(pg_url)
    wanted = say("database_auth", "vi", url=location.shown(location.parse(
        pg_url)), user=parts.username)
    assert box.result.text() == wanted
    app = window.ctx.app
    box.use()
    wait_job(qtbot, box)
    assert box.result.text() == wanted
    assert not box.busy.isVisible() and box.password.text() == ""
    assert not (data_dir / location.SETTINGS_FILE).exists()
    assert location.resolve(data_dir).is_sqlite
    assert window.ctx.app is app and app.db.is_sqlite
    assert files_holding(data_dir, "not-the-password-42") == []


def test_the_right_server_is_tested_used_and_shown(on_this_pc, window, qtbot, pg_url, data_dir):
    password = make_url(pg_url).password
    box = window.go("settings").database
    fill_server(box, pg_url)
    box.test()
    wait_job(qtbot, box)
    shown = location.shown(location.parse(pg_url))
    assert box.result.text() == f"Máy chủ trả lời: {shown}."
    assert not (data_dir / location.SETTINGS_FILE).exists()  # a test saves nothing

    old = window.ctx.app
    fill_server(box, pg_url)
    box.use()
    wait_job(qtbot, box)
    qtbot.waitUntil(lambda: window.screens["settings"].database is not box, timeout=JOB_MS)
    assert window.ctx.app is not old and not window.ctx.app.db.is_sqlite
    assert (data_dir / location.SETTINGS_FILE).exists()
    where = window.screens["settings"].database.where.text()
    assert where == f"máy chủ dùng chung: {shown}" and password not in where
    assert files_holding(data_dir, password) == []
    assert location.saved(data_dir).url.password == password  # from the keyring
    # the window works on the server: the company entered now is on it
    assert window.ctx.app.db.where != old.db.where

    box = window.go("settings").database
    box.local()
    wait_job(qtbot, box)
    qtbot.waitUntil(lambda: window.ctx.app.db.is_sqlite, timeout=JOB_MS)
    assert not (data_dir / location.SETTINGS_FILE).exists()


def test_a_server_chosen_whose_data_does_not_open_says_to_start_again(
        on_this_pc, window, qtbot, pg_url, data_dir, monkeypatch):
    from ibhxh_client.services import app as app_service
    from ibhxh_client.services.app import UserError

    def refused(*_args, **_kwargs):
        raise UserError("data_dir_empty", exit_code=2, path="máy chủ")

    monkeypatch.setattr(app_service, "open_app", refused)
    old = window.ctx.app
    box = window.go("settings").database
    fill_server(box, pg_url)
    box.use()
    wait_job(qtbot, box)
    shown = location.shown(location.parse(pg_url))
    assert box.result.text() == (say("data_dir_empty", "vi", path="máy chủ") + "\n"
                                 f"Đã chọn {shown}, nhưng dữ liệu ở đó chưa mở được trong "
                                 "cửa sổ này; hãy mở lại chương trình để làm việc trên đó.")
    assert window.ctx.app is old and old.db.is_sqlite  # the window stays on its data
    assert box.where.text() == f"máy chủ dùng chung: {shown}"  # what the next start opens


# -- officers -----------------------------------------------------------------------------------

@pytest.fixture
def two_pcs(tmp_path, pg_url, prefs, qtbot, qapp, monkeypatch):
    """PC "an" shares the demo data on the server (the first signer); PC two has its own
    data folder on the same database and no officer yet. Their windows, by name."""
    from ibhxh_client.ui import i18n, tasks
    from ibhxh_client.ui.app import make_qapp
    from ibhxh_client.ui.mainwindow import Context

    monkeypatch.delenv(ok.ENV_OFFICER, raising=False)
    folders = {"an": tmp_path / "pc-an", "two": tmp_path / "pc-two"}
    for folder in folders.values():
        location.use(folder, pg_url)
    first = open_app(folders["an"])
    make_demo(first, 3, claims=False)
    officers.init(first, "an", "Nguyễn Văn An")
    make_qapp()
    i18n.install("vi")
    windows = {"an": fx.make_window(Context(first, prefs), qtbot)}
    windows["two"] = fx.make_window(Context(open_app(folders["two"]), prefs), qtbot)
    yield windows, folders
    for w in windows.values():
        w.close()
        w.ctx.app.close()
    tasks.wait_all(5000)


def test_a_second_pc_asks_to_join_is_let_in_and_reads_a_worker(two_pcs, qtbot):
    windows, _folders = two_pcs
    an, two = windows["an"], windows["two"]
    assert an.officer_label.text() == "Cán bộ: an (người lập hồ sơ, người ký)"
    assert not an.office_banner.isVisible()
    assert two.office_banner.isVisible() and not two.officer_label.isVisible()
    assert say("officer_none", "vi", db_id=two.ctx.app.db.db_id) in two.office_banner.text()

    box = two.go("settings").officers
    assert box.isVisible() and box.join_button.isVisible() and not box.init_button.isVisible()
    assert not box.signer_row.isVisible()
    box.login.setText("binh")
    box.full_name.setText("Trần Thị Bình")
    box.ask_to_join()
    wait_job(qtbot, box)
    asked = next(o for o in officers.listing(two.ctx.app) if o.login == "binh")
    assert asked.status == ok.REQUESTED and asked.fingerprint in box.result.text()
    # the banner says now that this PC waits for a signer
    assert say("officer_waiting", "vi", login="binh") in two.office_banner.text()

    signer = an.go("settings").officers
    assert signer.signer_row.isVisible() and not signer.join_row.isVisible()
    signer.refresh_button.click()
    logins = [signer.table.item(r, 0).text() for r in range(signer.table.rowCount())]
    assert logins == ["an", "binh"]
    assert signer.table.item(1, 3).text() == "đang chờ cho vào"
    assert signer.table.item(1, 4).text() == asked.fingerprint
    signer.table.selectRow(1)
    # the dialog a signer lets in with: the fingerprint to compare, preparer by default
    from PySide6.QtWidgets import QLabel

    from ibhxh_client.ui.office import AddDialog

    dialog = AddDialog(signer.selected(), signer)
    assert dialog.findChild(QLabel, "officer_fingerprint").text() == asked.fingerprint
    assert dialog.roles() == ["preparer"]
    dialog.deleteLater()
    signer.let_in(roles=["preparer"])
    wait_job(qtbot, signer)
    assert signer.result.text() == "binh đã được vào làm việc, vai trò người lập hồ sơ."
    assert signer.table.item(1, 3).text() == "đang làm việc"

    assert two.locked
    two.screens["settings"].officers.refresh_button.click()
    qtbot.waitUntil(lambda: not two.locked, timeout=JOB_MS)  # every screen made again
    assert not two.office_banner.isVisible()
    assert two.officer_label.text() == "Cán bộ: binh (người lập hồ sơ)"
    names = {w.full_name for w in workers.search(an.ctx.app)}
    screen = two.go("workers")
    fx.wait_loaded(qtbot, screen, rows=3)
    model = screen.model
    seen = {model.data(model.index(r, c)) for r in range(3) for c in range(model.columnCount())}
    assert names and names <= seen


def test_a_waiting_pc_shows_the_banner_at_start(two_pcs, qtbot, prefs, monkeypatch):
    from ibhxh_client.ui import app as ui_app
    from ibhxh_client.ui import tasks

    windows, folders = two_pcs
    officers.request(windows["two"].ctx.app, "binh", "Trần Thị Bình")
    # as the program starts: the first-run check, every screen and the remote signing
    # requests polled at start, on a PC not let in
    monkeypatch.setattr(ui_app, "RESUME_AFTER_MS", 0)
    again = ui_app.open_window(open_app(folders["two"]), prefs, watch_tokens=False)
    qtbot.addWidget(again)
    again.show()
    qtbot.wait(50)
    assert tasks.wait_all(JOB_MS)
    try:
        assert again.locked and again.current_name() == "settings"
        assert again.office_banner.isVisible()
        text = again.office_banner.text()
        assert text.startswith("Chờ người ký cho phép máy này vào…")
        assert say("officer_waiting", "vi", login="binh") in text
        assert not again.officer_label.isVisible()
    finally:
        again.close()
        again.ctx.app.close()


def test_removing_asks_first_and_says_the_key_is_rotated(two_pcs, qtbot):
    windows, _folders = two_pcs
    officers.request(windows["two"].ctx.app, "binh", "Trần Thị Bình")
    box = windows["an"].go("settings").officers
    box.reread()
    assert box.remove("binh", confirmed=False) is None
    assert [o.status for o in officers.listing(box.ctx.app)] == [ok.ACTIVE, ok.REQUESTED]
    box.remove("binh", confirmed=True)
    wait_job(qtbot, box)
    assert box.result.text() == "Đã rút binh; khóa dữ liệu đã được thay mới."
    assert [o.status for o in officers.listing(box.ctx.app)] == [ok.ACTIVE, ok.REMOVED]
    box.remove("an", confirmed=True)  # the last signer: the service's refusal is shown
    wait_job(qtbot, box)
    assert box.result.text() == say("officer_last_signer", "vi", login="an")


# -- the "to sign" list -------------------------------------------------------------------------

def test_the_to_sign_list_shows_a_dossier_a_preparer_validated(cli, data_dir, monkeypatch,
                                                               prefs, qtbot, qapp):
    from ibhxh_client.ui import i18n, tasks
    from ibhxh_client.ui.app import make_qapp
    from ibhxh_client.ui.mainwindow import Context

    assert cli("demo", "--workers", "3", "--no-claims").code == 0
    monkeypatch.setenv(ok.ENV_OFFICER, "an")
    assert cli("officers", "init", "an", "--name", "An").code == 0
    monkeypatch.setenv(ok.ENV_OFFICER, "chi")
    r = cli("--json", "officers", "request", "chi", "--name", "Chi")
    assert r.code == 0, r.err
    monkeypatch.setenv(ok.ENV_OFFICER, "an")
    assert cli("officers", "add", "chi", "--role", "preparer").code == 0
    monkeypatch.setenv(ok.ENV_OFFICER, "chi")
    assert cli("validate", 1).code == 0
    monkeypatch.setenv(ok.ENV_OFFICER, "an")

    make_qapp()
    i18n.install("vi")
    w = fx.make_window(Context(open_app(data_dir), prefs), qtbot)
    try:
        screen = w.go("tracking")
        box = screen.to_sign
        assert box.isVisible() and box.table.rowCount() == 1
        cells = [box.table.item(0, c).text() for c in range(box.table.columnCount())]
        assert cells[:4] == ["1", "600", cells[2], "chi"] and cells[4]
        box.table.doubleClicked.emit(box.table.model().index(0, 0))
        assert w.current_name() == "send" and w.screens["send"].decl_id == 1
    finally:
        w.close()
        w.ctx.app.close()
        tasks.wait_all(5000)
    monkeypatch.setenv(ok.ENV_OFFICER, "chi")  # the preparer has nothing to sign
    w = fx.make_window(Context(open_app(data_dir), prefs), qtbot)
    try:
        assert w.officer_label.text() == "Cán bộ: chi (người lập hồ sơ)"
        assert not w.go("tracking").to_sign.isVisible()
    finally:
        w.close()
        w.ctx.app.close()
        tasks.wait_all(5000)


def test_a_single_pc_shows_no_officers_nor_to_sign(on_this_pc, window):
    assert not window.go("settings").officers.isVisible()
    assert not window.go("tracking").to_sign.isVisible()
    assert not window.office_banner.isVisible() and not window.officer_label.isVisible()


# -- layout -------------------------------------------------------------------------------------

def test_the_office_screens_fit_1366x768_at_150_percent(two_pcs, qtbot):
    from tests.test_ui_layout import SCREEN

    windows, _folders = two_pcs
    for w in windows.values():
        for name in ("settings", "tracking"):
            w.go(name)
            qtbot.wait(50)
            hint = w.minimumSizeHint()
            assert hint.width() <= SCREEN[0] and hint.height() <= SCREEN[1], (name, hint)


def test_a_database_chosen_by_the_environment_is_said_so(on_this_pc, window, monkeypatch,
                                                         pg_url):
    """IBHXH_DATABASE_URL (or --database) wins over the data folder's choice: the group
    says so, so a choice made in it is not expected to take effect now."""
    box = window.go("settings").database
    assert "IBHXH_DATABASE_URL" not in box.where.text()
    monkeypatch.setenv(location.ENV, pg_url)
    box.show_where()
    assert "IBHXH_DATABASE_URL" in box.where.text()
    assert location.shown(location.parse(pg_url)) in box.where.text()
