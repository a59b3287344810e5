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
