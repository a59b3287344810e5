"""The Declarations screen: a new draft of three lines shows the right totals, the forms
the procedure needs, and problems that jump to their field; every edit is stored."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from tests import test_ui_fixtures as fx
from tests.test_ui_fixtures import type_text, wait_loaded

ctx, prefs, window, demo_window = fx.ctx, fx.prefs, fx.window, fx.demo_window


def edit_cell(qtbot, table, row, col, text):
    """Type into a cell as the officer does: F2, the text, Enter."""
    index = table.model().index(row, col)
    table.setFocus()
    table.setCurrentIndex(index)
    table.edit(index)
    from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit | QComboBox)
                    and QApplication.focusWidget().parent() is table.viewport())
    editor = QApplication.focusWidget()
    if isinstance(editor, QComboBox):
        editor.setCurrentIndex(editor.findData(text))
    else:
        editor.selectAll()
        type_text(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState)  # commit is queued


def test_three_lines_show_the_right_totals_and_are_saved(demo_window, qtbot, monkeypatch):
    from ibhxh_client.domain.model import Period
    from ibhxh_client.services import calc
    from ibhxh_client.services import declarations as decls
    from ibhxh_client.ui import adapters
    from ibhxh_client.ui.declarations import NewDeclarationDialog, WorkerPicker
    from ibhxh_client.ui.lines import FIELD_COLUMN

    app = demo_window.ctx.app
    screen = demo_window.go("declarations")
    monkeypatch.setattr(NewDeclarationDialog, "exec", lambda self: (
        self.procedure.setCurrentIndex(self.procedure.findData("600")),
        self.period.setText("11/2026"), QDialog.DialogCode.Accepted)[-1])
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    editor = screen.editor
    assert screen.pages.currentIndex() == 1 and editor.decl.procedure == "600"
    ids = [w.id for w in adapters.workers_by_id(app, list(range(1, 26))).values()
           if w.bhxh_number][:3]

    def pick(self):
        idle = SimpleNamespace(busy=False)
        wait_loaded(qtbot, SimpleNamespace(loader=idle, model=self.model))
        qtbot.waitUntil(lambda: self.model.rowCount() == 25)
        for wid in ids:
            self.table.selectionModel().select(
                self.model.index(self.model.row_of(wid), 0),
                self.table.selectionModel().SelectionFlag.Select
                | self.table.selectionModel().SelectionFlag.Rows)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(WorkerPicker, "exec", pick)
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.model.rowCount() == 3
    salaries = [10_000_000, 7_500_000, 5_310_000]
    for row, salary in enumerate(salaries):
        edit_cell(qtbot, editor.table, row, FIELD_COLUMN["muc_luong"],
                  f"{salary:,}".replace(",", "."))
    assert [line.salary for line in editor.decl.lines] == salaries
    expected = calc.calculate(app.catalog, Period(2026, 11), "I", salaries)
    qtbot.waitUntil(lambda: editor.total_labels[("total", "total")].text() ==
                    f"{expected['total']:,}".replace(",", "."), timeout=5000)
    assert editor.total_labels[("BHXH", "employer")].text() == \
        f"{expected['funds']['BHXH']['employer']:,}".replace(",", ".")
    assert "D02-LT" in editor.forms_label.text()
    # the edit was stored as it was made
    editor.flush()
    decl, _ = decls.load(app, editor.decl.id)
    assert [line.salary for line in decl.lines] == salaries
    assert [line.plan for line in decl.lines] == ["TM", "TM", "TM"]  # 600's default


def test_a_problem_jumps_to_its_cell_and_a_bad_value_is_kept(demo_window, qtbot):
    from ibhxh_client.ui.lines import FIELD_COLUMN

    screen = demo_window.go("declarations")
    screen.open(demo_window.ctx.app.demo_id)
    editor = screen.editor
    qtbot.waitUntil(lambda: editor.last_check is not None, timeout=5000)
    edit_cell(qtbot, editor.table, 1, FIELD_COLUMN["phuong_an"], "GH")  # never increased
    edit_cell(qtbot, editor.table, 2, FIELD_COLUMN["tu_thang"], "13/2026")  # no such month
    assert editor.model.text(2, FIELD_COLUMN["tu_thang"]) == "13/2026"  # kept as typed
    qtbot.waitUntil(lambda: editor.problems.count() >= 2, timeout=5000)
    texts = [editor.problems.item(i).text() for i in range(editor.problems.count())]
    plan = next(i for i, t in enumerate(texts) if "GH" in t)
    editor.table.setCurrentIndex(editor.model.index(0, 0))
    editor.problems.itemClicked.emit(editor.problems.item(plan))
    current = editor.table.currentIndex()
    assert (current.row(), current.column()) == (1, FIELD_COLUMN["phuong_an"])
    assert editor.table.hasFocus()
    # the half-typed month survives closing the editor
    editor.flush()
    screen.show_list()
    screen.open(demo_window.ctx.app.demo_id)
    assert screen.editor.model.text(2, FIELD_COLUMN["tu_thang"]) == "13/2026"


def test_state_pay_scale_columns_are_edited_in_the_table(demo_window, qtbot):
    from decimal import Decimal

    from ibhxh_client.domain.text import vnd
    from ibhxh_client.services import declarations as decls
    from ibhxh_client.ui import adapters
    from ibhxh_client.ui.lines import FIELD_COLUMN

    app = demo_window.ctx.app
    screen = demo_window.go("declarations")
    screen.open(app.demo_id)
    editor = screen.editor
    qtbot.waitUntil(lambda: editor.last_check is not None, timeout=5000)
    before = editor.total_labels[("total", "total")].text()
    for field, text in (("he_so", "4,32"), ("pc_chuc_vu", "0.5"), ("pc_vuot_khung", "5"),
                        ("pc_tham_nien", "10")):
        edit_cell(qtbot, editor.table, 0, FIELD_COLUMN[field], text)
    line = editor.decl.lines[0]
    assert (line.coefficient, line.position_coef, line.overframe_pct, line.seniority_pct) == (
        Decimal("4.32"), Decimal("0.5"), Decimal("5"), Decimal("10"))
    assert editor.model.text(0, FIELD_COLUMN["he_so"]) == "4,32"
    # the totals are those of the dossier with the coefficients
    expected = adapters.check_draft(app, editor.decl, editor.workers).summary.total
    qtbot.waitUntil(lambda: editor.total_labels[("total", "total")].text() == vnd(expected),
                    timeout=5000)
    assert vnd(expected) != before
    # a value that is not a number is refused at the cell, kept as typed, with a message
    edit_cell(qtbot, editor.table, 0, FIELD_COLUMN["pc_tham_nien"], "mười")
    assert editor.decl.lines[0].seniority_pct == Decimal("10")
    index = editor.model.index(0, FIELD_COLUMN["pc_tham_nien"])
    assert "mười" in editor.model.data(index, Qt.ItemDataRole.ToolTipRole)
    qtbot.waitUntil(lambda: any("mười" in editor.problems.item(i).text()
                                for i in range(editor.problems.count())), timeout=5000)
    # stored as edited; the bad text survives in the draft, by field name
    editor.flush()
    decl, _ = decls.load(app, editor.decl.id)
    assert decl.lines[0].coefficient == Decimal("4.32")
    screen.show_list()
    screen.open(app.demo_id)
    assert screen.editor.model.text(0, FIELD_COLUMN["pc_tham_nien"]) == "mười"
    # drafts written before these columns kept cells by index: still found
    from ibhxh_client.ui.lines import draft_cell

    assert draft_cell("2,6") == (2, FIELD_COLUMN["tu_thang"])
    assert draft_cell("0,pc_tham_nien") == (0, FIELD_COLUMN["pc_tham_nien"])


def _choose(monkeypatch, code: str, period: str) -> None:
    from ibhxh_client.ui.declarations import NewDeclarationDialog

    monkeypatch.setattr(NewDeclarationDialog, "exec", lambda self: (
        self.procedure.setCurrentIndex(self.procedure.findData(code)),
        self.period.setText(period), QDialog.DialogCode.Accepted)[-1])


def test_a_book_re_issue_is_declared_in_the_window(demo_window, qtbot, monkeypatch):
    """607 from the catalogue: the New declaration dialog lists it, the editor shows its
    lines' columns (the worker and what changes or why), no contributions; its check
    speaks until the reason is typed, and the line is stored with it."""
    from PySide6.QtCore import Qt as QtEnum

    from ibhxh_client.services import declarations as decls
    from ibhxh_client.ui import adapters
    from ibhxh_client.ui.declarations import NewDeclarationDialog, WorkerPicker

    app = demo_window.ctx.app
    screen = demo_window.go("declarations")
    dialog = NewDeclarationDialog(demo_window.ctx, screen)
    codes = [dialog.procedure.itemData(i) for i in range(dialog.procedure.count())]
    assert codes == ["600", "604", "607", "608", "610", "612"]  # no 600a, no 600b
    _choose(monkeypatch, "607", "11/2026")
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    editor = screen.editor
    assert screen.pages.currentIndex() == 1 and editor.decl.procedure == "607"
    headers = [editor.model.headerData(i, QtEnum.Orientation.Horizontal)
               for i in range(editor.model.columnCount())]
    assert headers == ["STT", "[01] Họ và tên", "Mã số BHXH",
                       "[13] Nội dung thay đổi, yêu cầu"]
    assert not editor.add_new_button.isVisibleTo(editor)  # 607 takes no increase
    assert not editor.totals_box.isVisibleTo(editor)  # nor any contribution
    assert editor.table.isVisibleTo(editor) and not editor.header_box.isVisibleTo(editor)
    wid = next(w.id for w in adapters.workers_by_id(app, list(range(1, 26))).values()
               if w.bhxh_number)

    def pick(self):
        qtbot.waitUntil(lambda: self.model.rowCount() == 25)
        self.table.selectionModel().select(
            self.model.index(self.model.row_of(wid), 0),
            self.table.selectionModel().SelectionFlag.Select
            | self.table.selectionModel().SelectionFlag.Rows)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(WorkerPicker, "exec", pick)
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.model.rowCount() == 1

    def problems() -> list[str]:
        return [editor.problems.item(i).text() for i in range(editor.problems.count())]

    qtbot.waitUntil(lambda: any("chưa ghi nội dung thay đổi" in t for t in problems()),
                    timeout=5000)
    column = editor.model.column_of("noi_dung_thay_doi")
    assert editor.table.currentIndex().column() == column  # the first cell to type in
    edit_cell(qtbot, editor.table, 0, column, "Sổ bị mất khi chuyển nhà")
    qtbot.waitUntil(lambda: not problems() and editor.last_check is not None
                    and not editor.last_check.problems, timeout=5000)
    assert "TK1-TS × 1" in editor.forms_label.text()
    editor.flush()
    decl, _ = decls.load(app, editor.decl.id)
    assert [(line.worker_id, line.change, line.plan) for line in decl.lines] == [
        (wid, "Sổ bị mất khi chuyển nhà", "")]
    assert decls.validate(app, decl.id).files[0].file_name == "TK1-TS-595.xml"


def test_a_change_of_the_unit_is_declared_in_the_window(demo_window, qtbot, monkeypatch):
    """604 has no worker lines: the editor asks what changes, and nothing else."""
    from ibhxh_client.services import declarations as decls

    app = demo_window.ctx.app
    screen = demo_window.go("declarations")
    _choose(monkeypatch, "604", "11/2026")
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    editor = screen.editor
    assert editor.decl.procedure == "604"
    assert not editor.table.isVisibleTo(editor) and not editor.add_button.isVisibleTo(editor)
    change = editor.header_inputs["change"]
    assert change.isVisibleTo(editor)
    qtbot.waitUntil(lambda: editor.problems.count() == 1, timeout=5000)
    assert "Nội dung thay đổi, yêu cầu" in editor.problems.item(0).text()
    editor.problems.itemClicked.emit(editor.problems.item(0))  # the problem goes to it
    assert change.hasFocus()
    type_text(change, "Địa chỉ trụ sở: 45 Lê Lợi")
    qtbot.waitUntil(lambda: editor.problems.count() == 0, timeout=5000)
    editor.flush()
    assert decls.head(app, editor.decl.id).change == "Địa chỉ trụ sở: 45 Lê Lợi"


def test_the_contribution_columns_are_600s_as_the_catalogue_lists_them():
    """ui.lines.COLUMNS (what drafts kept by index refer to) is procedure 600's columns as
    forms/procedures.toml gives them; a change to one is a change to the other."""
    from ibhxh_client.catalog import load_catalog
    from ibhxh_client.ui.lines import COLUMNS, columns_of

    catalog = load_catalog()
    assert columns_of(catalog, catalog.procedure("600")) == COLUMNS
    kinds = {c.name: c.kind for c in columns_of(catalog, catalog.procedure("608"))}
    assert kinds == {"stt": "ro", "ho_ten": "ro", "ma_so_bhxh": "ro",
                     "noi_dung_thay_doi": "text", "loai_van_ban": "code",
                     "so_van_ban": "text", "ngay_ban_hanh": "date"}
