"""Importing workers from a spreadsheet in the window: the columns that are not recognised
are asked about in a mapping dialog; the answer is remembered per layout; Cancel imports
nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ibhxh_client.domain import ids
from tests import test_ui_fixtures as fx
from tests.test_ui_fixtures import wait_loaded

ctx, prefs, window = fx.ctx, fx.prefs, fx.window


def unknown_layout(tmp_path, name="nv.csv"):
    from tests.test_import_files import write_csv

    rows = [["Mã NV", "Tên nhân viên đầy đủ", "Căn cước", "Sinh nhật", "Nam/Nữ", "Bộ phận"],
            ["NV01", "Trịnh Công Sơn", ids.cccd_for("046", "M", 1979, 9), "28/02/1979", "Nam",
             "Kho"],
            ["NV02", "Lê Thị Hồng", ids.cccd_for("079", "F", 1990, 5), "01/05/1990", "Nữ",
             "Văn phòng"]]
    return write_csv(tmp_path / name, rows)


def open_dialog(qtbot, screen, path):
    screen.run_import(path)
    qtbot.waitUntil(lambda: screen.mapping_dialog is not None
                    and screen.mapping_dialog.isVisible(), timeout=10_000)
    return screen.mapping_dialog


def test_unrecognised_columns_are_asked_in_a_dialog_and_remembered(window, qtbot, tmp_path):
    screen = window.go("workers")
    wait_loaded(qtbot, screen, 0)
    dialog = open_dialog(qtbot, screen, unknown_layout(tmp_path))
    # each unmatched column, with its header and a few of its values
    assert sorted(dialog.combos) == [0, 1, 3, 5]
    texts = " ".join(w.text() for w in dialog.findChildren(type(dialog.status)))
    assert "Tên nhân viên đầy đủ" in texts and "Trịnh Công Sơn, Lê Thị Hồng" in texts
    assert "Họ và tên" in dialog.status.text()  # a required field still has no column
    dialog.choose(1, "full_name")
    dialog.choose(5, "full_name")
    assert not dialog.ok.isEnabled()  # one field from two columns is refused
    dialog.choose(5, None)
    dialog.choose(3, "birth_date")
    assert dialog.ok.isEnabled()
    assert dialog.mapping() == {0: None, 1: "full_name", 3: "birth_date", 5: None}
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, screen, 2)
    assert "Trịnh Công Sơn" in screen.model.idx.names
    assert screen.import_button.isEnabled()
    # the same layout again: no question
    screen.run_import(unknown_layout(tmp_path, "again.csv"))
    qtbot.waitUntil(lambda: screen._importing is not None and screen._importing.done.is_set()
                    and screen.import_button.isEnabled(), timeout=10_000)
    assert screen.mapping_dialog is None
    assert list((window.ctx.app.data_dir / "mappings").glob("*.json"))


def test_cancel_in_the_mapping_dialog_imports_nothing(window, qtbot, tmp_path):
    screen = window.go("workers")
    wait_loaded(qtbot, screen, 0)
    dialog = open_dialog(qtbot, screen, unknown_layout(tmp_path))
    dialog.choose(1, "full_name")
    dialog.reject()
    assert screen.mapping_dialog is None and screen.import_button.isEnabled()
    assert screen.import_status.text() == "Không nhập được gì."
    qtbot.wait(200)
    assert screen._importing is None and screen.model.rowCount() == 0
    assert not (window.ctx.app.data_dir / "mappings").exists()


# -- rows that disagree with a stored worker (issue 13) ---------------------------------

def conflicting_file(app, tmp_path):
    """Two stored workers, and a file whose row 2 gives the first another name, row 3 the
    second another birth date, and row 4 a new worker."""
    from ibhxh_client.domain.model import PartialDate, Worker
    from ibhxh_client.storage import repo
    from tests.test_import_files import write_xlsx

    hoa = Worker("Nguyễn Thị Hoa", "F", PartialDate(1985, 6, 15), bhxh_number="7900000011",
                 cccd=ids.cccd_for("079", "F", 1985, 11), phone="0912345678")
    binh = Worker("Trần Văn Bình", "M", PartialDate(1990, 2, 1), bhxh_number="7900000012",
                  cccd=ids.cccd_for("001", "M", 1990, 12))
    with app.db.transaction() as conn:
        repo.add_workers(conn, [hoa, binh])
    rows = [["Họ và tên", "Mã số BHXH", "Ngày sinh", "Giới tính"],
            ["Nguyễn Thị Hòa", "7900000011", "15/06/1985", "Nữ"],
            ["Trần Văn Bình", "7900000012", "09/09/1990", "Nam"],
            ["Lê Văn Mới", "7900000013", "1995", "Nam"]]
    return hoa, binh, write_xlsx(tmp_path / "ds.xlsx", {"DS": rows})


def raw_worker(app, worker_id):
    from sqlalchemy import select

    from ibhxh_client.storage.schema import workers

    with app.db.reading() as conn:
        return tuple(conn.execute(select(workers).where(workers.c.id == worker_id)).one())


def open_conflicts(qtbot, screen, path):
    screen.run_import(path)
    qtbot.waitUntil(lambda: screen.conflict_dialog is not None
                    and screen.conflict_dialog.isVisible(), timeout=10_000)
    return screen.conflict_dialog


def test_an_import_shows_both_versions_and_changes_a_person_only_when_chosen(window, qtbot,
                                                                            tmp_path):
    from PySide6.QtWidgets import QComboBox

    from ibhxh_client.ui import adapters
    from ibhxh_client.ui.conflicts import CHOICE, GIVEN, STORED

    app = window.ctx.app
    hoa, binh, path = conflicting_file(app, tmp_path)
    screen = window.go("workers")
    screen.reload()
    wait_loaded(qtbot, screen, 2)
    before = {hoa.id: raw_worker(app, hoa.id), binh.id: raw_worker(app, binh.id)}
    dialog = open_conflicts(qtbot, screen, path)
    model = dialog.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert headers[STORED] == "Bản đã lưu" and headers[GIVEN] == "Bản trong tệp"
    assert model.rowCount() == 2
    cell = [[model.data(model.index(r, c)) for c in range(6)] for r in range(2)]
    assert cell[0][0] == "2" and cell[0][1] == f"#{hoa.id}" and cell[0][2] == "họ tên"
    assert "≠ họ tên: Nguyễn Thị Hoa" in cell[0][STORED]
    assert "≠ họ tên: Nguyễn Thị Hòa" in cell[0][GIVEN]
    assert "mã số BHXH: 7900000011" in cell[0][STORED] and "ngày sinh: 15/06/1985" in \
        cell[0][GIVEN]
    assert cell[1][2] == "ngày sinh" and "≠ ngày sinh: 09/09/1990" in cell[1][GIVEN]
    assert cell[0][CHOICE] == cell[1][CHOICE] == "Giữ bản đã lưu"
    # While the officer decides, the new worker is in and the two are as stored.
    assert {raw_worker(app, w) for w in before} == set(before.values())
    assert screen.model.rowCount() == 2  # the list is read again once it is all done
    # Row 2: the file's version, chosen in the table's own list.
    dialog.table.setCurrentIndex(model.index(0, CHOICE))  # opens the list
    qtbot.waitUntil(lambda: bool(dialog.table.viewport().findChildren(QComboBox)))
    (combo,) = dialog.table.viewport().findChildren(QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Giữ bản đã lưu", "Dùng bản trong tệp"]
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert dialog.choice_text(0) == "Dùng bản trong tệp"
    assert dialog.choice_text(1) == "Giữ bản đã lưu"
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, screen, 3)
    qtbot.waitUntil(screen.import_button.isEnabled, timeout=10_000)
    assert adapters.get_worker(app, hoa.id).full_name == "Nguyễn Thị Hòa"
    assert adapters.get_worker(app, hoa.id).phone == "0912345678"
    assert raw_worker(app, binh.id) == before[binh.id]  # kept: to the byte
    status = screen.import_status.text()
    assert "cho các dòng 2" in status and "các dòng 3" in status
    assert screen.conflict_dialog is None


def test_change_nothing_in_the_conflict_dialog_keeps_every_stored_person(window, qtbot,
                                                                         tmp_path):
    app = window.ctx.app
    hoa, binh, path = conflicting_file(app, tmp_path)
    screen = window.go("workers")
    screen.reload()
    wait_loaded(qtbot, screen, 2)
    before = [raw_worker(app, hoa.id), raw_worker(app, binh.id)]
    dialog = open_conflicts(qtbot, screen, path)
    qtbot.mouseClick(dialog.take_all, Qt.MouseButton.LeftButton)
    assert [dialog.choice_text(r) for r in range(2)] == ["Dùng bản trong tệp"] * 2
    dialog.reject()  # "Không thay đổi gì": the choices are dropped
    wait_loaded(qtbot, screen, 3)
    qtbot.waitUntil(screen.import_button.isEnabled, timeout=10_000)
    assert [raw_worker(app, hoa.id), raw_worker(app, binh.id)] == before
    assert "các dòng 2, 3" in screen.import_status.text()
    assert (tmp_path / "ds-loi.xlsx").exists()  # both versions there too, to keep
