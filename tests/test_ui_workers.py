"""The Company and Workers screens: inline checks at the field, saving as one types,
search that ignores diacritics, and the fast worker model at 100,000 workers."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests import test_ui_fixtures as fx
from tests.test_ui_fixtures import type_text, wait_loaded

ctx, prefs, window, demo_window = fx.ctx, fx.prefs, fx.window, fx.demo_window

GOOD = {"full_name": "Lê Thị Hồng Nhung", "gender": "F", "birth_date": "12/03/1995",
        "cccd": "079195001234", "nationality": "VN", "ethnicity": "01",
        "birth_place": "Phường Sài Gòn", "birth_province": "79", "address": "12 Lê Lợi",
        "address_province": "79", "receive_method": "1", "salary": "9.000.000"}


def type_into(qtbot, panel, values):
    from PySide6.QtWidgets import QComboBox, QLineEdit

    for attr, value in values.items():
        w = panel.inputs[attr]
        if isinstance(w, QComboBox):
            w.setCurrentIndex(w.findData(value))
        elif isinstance(w, QLineEdit):
            w.setFocus()
            w.clear()
            type_text(w, value)
            w.editingFinished.emit()


def test_a_wrong_cccd_is_shown_at_the_field_and_nothing_is_added(demo_window, qtbot):
    screen = demo_window.go("workers")
    wait_loaded(qtbot, screen, 25)
    editor = screen.editor
    screen.new_worker()
    type_into(qtbot, editor.panel, {**GOOD, "cccd": "079095001234"})  # says: male, 1900s
    error = editor.panel.errors["cccd"]
    assert error.isVisible() and error.text()  # shown as soon as the field is left
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert "CCCD" in error.text() or "giới tính" in error.text() or "năm sinh" in error.text()
    assert editor.panel.inputs["cccd"].hasFocus()
    assert screen.model.rowCount() == 25 and len(screen.model.idx) == 25
    # corrected, the worker is added and shows up in the list in name order
    type_into(qtbot, editor.panel, {"cccd": GOOD["cccd"]})
    assert not error.isVisible()
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, screen, 26)
    assert "Lê Thị Hồng Nhung" in screen.model.idx.names
    assert editor.worker_id is None and editor.panel.values()["full_name"] == ""


def test_search_ignores_diacritics_and_matches_exact_numbers(demo_window, qtbot):
    screen = demo_window.go("workers")
    wait_loaded(qtbot, screen, 25)
    names = screen.model.idx.names
    from ibhxh_client.domain.text import fold, name_sort_key

    assert names == sorted(names, key=name_sort_key)  # Vietnamese order
    target = names[3]
    qtbot.keyClicks(screen.search, fold(target))  # typed without accents
    shown = [screen.model.data(screen.model.index(r, 0)) for r in range(screen.model.rowCount())]
    assert target in shown and all(fold(target) in fold(n) for n in shown)
    screen.search.clear()
    from ibhxh_client.ui import adapters

    w = adapters.get_worker(demo_window.ctx.app, screen.model.idx.ids[5])
    qtbot.keyClicks(screen.search, w.cccd)
    assert screen.model.rowCount() == 1
    assert screen.model.data(screen.model.index(0, 2)) == w.cccd  # decrypted when shown


def test_an_edit_is_saved_when_the_field_is_left_and_survives_a_restart(demo_window, qtbot,
                                                                        tmp_path):
    screen = demo_window.go("workers")
    wait_loaded(qtbot, screen, 25)
    wid = screen.model.idx.ids[0]
    screen.select_worker(wid)
    editor = screen.editor
    assert editor.worker_id == wid
    type_into(qtbot, editor.panel, {"position": "Trưởng phòng nhân sự"})
    from ibhxh_client.ui import adapters

    assert adapters.get_worker(demo_window.ctx.app, wid).position == "Trưởng phòng nhân sự"
    # a half-typed new worker is kept in a sealed draft, as if the program were killed
    screen.new_worker()
    type_text(editor.panel.inputs["full_name"], "Đỗ Văn Kiê")
    editor.panel.inputs["phone"].setFocus()
    qtbot.keyClicks(editor.panel.inputs["phone"], "0912")
    qtbot.wait(400)  # the draft is written 300 ms after the last keystroke
    draft = demo_window.ctx.drafts.load("worker-new")
    assert draft["full_name"] == "Đỗ Văn Kiê" and draft["phone"] == "0912"
    raw = (demo_window.ctx.app.data_dir / "drafts" / "worker-new.sealed").read_bytes()
    assert b"0912" not in raw  # sealed like every personal value
    from ibhxh_client.ui.mainwindow import Context
    from tests.test_ui_fixtures import make_window

    again = make_window(Context(demo_window.ctx.app, demo_window.ctx.prefs), qtbot)
    again_editor = again.go("workers").editor
    assert again_editor.panel.values()["full_name"] == "Đỗ Văn Kiê"
    assert again_editor.panel.values()["phone"] == "0912"
    again.close()


def test_company_profile_checks_fields_and_saves_as_typed(window, qtbot):
    screen = window.go("company")
    panel = screen.panel
    type_into(qtbot, panel, {"name": "Công ty TNHH Hoa Sen", "unit_code": "TZH490L",
                             "tax_code": "0312345670"})
    assert panel.errors["tax_code"].isVisible()  # wrong check digit, said at the field
    from ibhxh_client.ui import adapters

    assert adapters.get_employer(window.ctx.app) is None
    from ibhxh_client.domain import ids

    values = {"tax_code": ids.make_tax_code("031234567"), "unit_type": "DNTN",
              "address": "1 Lê Duẩn", "province": "79", "phone": "0283823456",
              "licence_number": "0312345678", "licence_date": "12/03/2015",
              "payment_mode": "01", "region": "I", "signer_name": "Trần Văn Bình"}
    type_into(qtbot, panel, values)
    e = adapters.get_employer(window.ctx.app)
    assert e is not None and e.name == "Công ty TNHH Hoa Sen" and e.region == "I"
    assert not panel.errors["tax_code"].isVisible()


def test_model_opens_and_filters_100000_workers(tmp_path, qapp):
    from ibhxh_client.domain.model import Period
    from ibhxh_client.services.app import open_app
    from ibhxh_client.services.demo import demo_employer, demo_workers
    from ibhxh_client.storage import repo
    from ibhxh_client.ui.worker_table import WorkerTableModel, load_index

    app = open_app(tmp_path / "big")
    workers = list(demo_workers(100_000, Period(2026, 1)))
    with app.db.transaction() as conn:
        repo.save_employer(conn, demo_employer())
        for start in range(0, len(workers), 20_000):
            repo.add_workers_bulk(conn, workers[start:start + 20_000])
    model = WorkerTableModel(app.db)
    model.set_index(load_index(app.db))  # benchmarks/ui.py measures how fast
    assert model.rowCount() == 100_000
    text = ""
    for ch in "nguyen van an":
        text += ch
        model.set_query(text)
    assert 0 < model.rowCount() < 1000
    assert all("nguyen van an" in model.idx.keys[i] for i in model.rows)
    app.close()


def test_saving_a_new_worker_with_a_stored_number_asks_and_changes_nothing_if_declined(
        demo_window, qtbot):
    from sqlalchemy import select

    from ibhxh_client.storage.schema import workers
    from ibhxh_client.ui import adapters
    from ibhxh_client.ui.conflicts import GIVEN, STORED

    app = demo_window.ctx.app
    screen = demo_window.go("workers")
    wait_loaded(qtbot, screen, 25)
    stored = adapters.get_worker(app, screen.model.idx.ids[0])

    def raw():
        with app.db.reading() as conn:
            return conn.execute(select(workers).order_by(workers.c.id)).all()

    before = raw()
    editor = screen.editor
    screen.new_worker()
    typed = {**GOOD, "full_name": "Hà Thị Khác", "gender": stored.gender,
             "birth_date": str(stored.birth_date), "cccd": stored.cccd}
    type_into(qtbot, editor.panel, typed)
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.conflict_dialog is not None
                    and editor.conflict_dialog.isVisible(), timeout=5_000)
    dialog = editor.conflict_dialog
    model = dialog.model
    assert model.headerData(GIVEN, Qt.Orientation.Horizontal) == "Bản vừa nhập"
    assert f"≠ họ tên: {stored.full_name}" in model.data(model.index(0, STORED))
    assert "≠ họ tên: Hà Thị Khác" in model.data(model.index(0, GIVEN))
    assert f"số CCCD: {stored.cccd}" in model.data(model.index(0, GIVEN))
    assert dialog.choice_text(0) == "Giữ bản đã lưu"
    assert "Bản đã lưu" in editor.status.text() and "Bản mới" in editor.status.text()
    qtbot.mouseClick(dialog.findChild(type(dialog.ok), "conflict_cancel"),
                     Qt.MouseButton.LeftButton)
    assert editor.conflict_dialog is None
    assert raw() == before  # declined: nothing changed
    assert editor.panel.values()["full_name"] == "Hà Thị Khác"  # what was typed is kept
    # Asked again, the officer uses the version typed here: the stored worker takes it.
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.conflict_dialog is not None
                    and editor.conflict_dialog.isVisible(), timeout=5_000)
    dialog = editor.conflict_dialog
    dialog.choose(0, True)
    assert dialog.choice_text(0) == "Dùng bản vừa nhập"
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, screen, 25)
    after = adapters.get_worker(app, stored.id)
    assert (after.full_name, after.cccd, after.salary) == ("Hà Thị Khác", stored.cccd,
                                                           9_000_000)
    assert len(raw()) == len(before)
    assert "Hà Thị Khác" in editor.status.text()
