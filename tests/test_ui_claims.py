"""The benefits screen ("Chế độ ốm đau, thai sản"): a claim typed in shows its days,
amount and rule; a problem shows at its field while typing; a spreadsheet with a bad row
imports the good rows and shows the bad one; the month's lists are made and open in the
declarations screen and the Send wizard; the approved amount is recorded with its
difference from the amount asked."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from tests import test_ui_fixtures as fx
from tests.test_ui_fixtures import type_text

ctx, prefs, window, demo_window = fx.ctx, fx.prefs, fx.window, fx.demo_window

SALARY = 8_000_000
# 02/03/2026 is a Monday: Monday to Friday are 5 working days (the unit rests on Sunday)
WEEK = ("02/03/2026", "06/03/2026")
# Law 41/2024/QH15 art. 45.1, 45.2, 45.5: 75 % of the last month's contribution salary,
# divided by 24, for each working day
SICK_WEEK = 75 * SALARY * 5 // (100 * 24)  # 1.250.000


def vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def with_history(app, worker_ids, salary=SALARY):
    """Months of contribution since 2020 at one salary, as HR imports them."""
    from ibhxh_client.domain.history import Stint
    from ibhxh_client.domain.model import Period
    from ibhxh_client.storage import repo

    with app.db.transaction() as conn:
        repo.replace_stints(conn, {wid: [Stint(Period(2020, 1), None, salary)]
                                   for wid in worker_ids})


def workers_with_numbers(app, count):
    from ibhxh_client.ui import adapters

    found = adapters.workers_by_id(app, list(range(1, 26)))
    return [w for w in found.values() if w.bhxh_number][:count]


def claims_screen(w, qtbot):
    screen = w.go("claims")
    qtbot.waitUntil(lambda: not screen.loader.busy, timeout=10_000)
    return screen


def set_kind(editor, kind):
    combo = editor.panel.inputs["kind"]
    combo.setCurrentIndex(combo.findData(kind))


def type_into(editor, attr, text):
    edit = editor.panel.inputs[attr]
    edit.setFocus()
    edit.selectAll()
    edit.del_()
    type_text(edit, text)


def row_texts(model, row):
    return {name: model.data(model.index(row, c)) for c, name in enumerate(model.COLUMNS)}


def test_a_claim_typed_in_shows_its_amount_and_is_added(demo_window, qtbot):
    app = demo_window.ctx.app
    (worker,) = workers_with_numbers(app, 1)
    with_history(app, [worker.id])
    screen = claims_screen(demo_window, qtbot)
    assert screen.model.rowCount() == 0
    editor = screen.editor
    editor.choose_worker(worker.id)
    assert worker.full_name in editor.worker_label.text()
    set_kind(editor, "om_dau")
    type_into(editor, "from_date", WEEK[0])
    type_into(editor, "to_date", WEEK[1])
    # the days and amount follow the typing, through the service, with the rule
    qtbot.waitUntil(lambda: vnd(SICK_WEEK) in editor.result.text(), timeout=5000)
    assert "5" in editor.result.text() and "75 %" in editor.result.text()
    assert "8.000.000" in editor.result.text()
    assert editor.status.text() == "Không có vấn đề."
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=5000)
    cells = row_texts(screen.model, 0)
    assert cells["worker"] == worker.full_name
    assert cells["kind"] == "Ốm đau (bản thân)"
    assert (cells["from"], cells["to"], cells["days"]) == (*WEEK, "5")
    assert cells["expected"] == vnd(SICK_WEEK)
    assert cells["state"] == "Nháp" and cells["problems"] == ""
    tip = screen.model.data(screen.model.index(0, 5), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("75 % × 8.000.000 ÷ 24 × 5 ngày")
    # stored by the service as typed, and nothing left of the form's draft
    from ibhxh_client.services import claims as claims_svc

    (view,) = claims_svc.list_claims(app)
    assert (view.claim.worker_id, view.claim.kind, view.expected_amount) == \
        (worker.id, "om_dau", SICK_WEEK)
    assert view.claim.from_date == date(2026, 3, 2)
    assert demo_window.ctx.drafts.load("claim-new") is None


def test_a_problem_shows_at_its_field_while_typing(demo_window, qtbot):
    app = demo_window.ctx.app
    (worker,) = workers_with_numbers(app, 1)
    with_history(app, [worker.id])
    screen = claims_screen(demo_window, qtbot)
    editor = screen.editor
    editor.choose_worker(worker.id)
    set_kind(editor, "om_dau")
    assert not editor.panel.inputs["child_birth_date"].isVisibleTo(editor)
    assert editor.panel.inputs["heavy_work"].isVisibleTo(editor)
    error = editor.panel.errors["from_date"]
    qtbot.waitUntil(lambda: not editor.previewer.busy and editor.last_preview is not None)
    assert not error.isVisible()  # nothing said before the officer types
    type_into(editor, "from_date", "32/03/2026")  # no such day, the field not left
    type_into(editor, "to_date", WEEK[1])
    qtbot.waitUntil(lambda: error.isVisible() and
                    error.text() == "'32/03/2026' không phải ngày hợp lệ (dd/mm/yyyy).",
                    timeout=5000)
    assert "chưa tính" in editor.result.text()
    # a birth: the child's values appear, and a birth without the child's birth date is
    # a problem named at that field
    set_kind(editor, "sinh_con")
    assert editor.panel.inputs["child_birth_date"].isVisibleTo(editor)
    assert not editor.panel.inputs["heavy_work"].isVisibleTo(editor)
    type_into(editor, "from_date", "02/03/2026")
    type_into(editor, "to_date", "01/09/2026")
    type_into(editor, "child_count", "1")
    child = editor.panel.errors["child_birth_date"]
    qtbot.waitUntil(lambda: child.isVisible() and not error.isVisible(), timeout=5000)
    assert "ngày sinh của con" in child.text()
    # under the form too, named by its field (the field may be scrolled out of view)
    assert editor.status.text().startswith("Ngày sinh con: ")
    type_into(editor, "child_birth_date", "05/03/2026")
    qtbot.waitUntil(lambda: not child.isVisible(), timeout=5000)
    assert editor.last_preview is not None and editor.last_preview.amount
    # what was typed is kept as a draft until the claim is added
    editor.flush()
    draft = demo_window.ctx.drafts.load("claim-new")
    assert draft["kind"] == "sinh_con" and draft["worker_id"] == worker.id


def test_a_birth_shows_its_prenatal_rest_and_a_second_child(demo_window, qtbot):
    """The editor shows "Nghỉ dưỡng thai", "Nghỉ điều trị vô sinh" and "Con thứ hai" for
    a birth (the father's leave: the second child only; a sickness: none, as
    codelists/benefit_kinds.csv's ``uses`` says); a mother with 3 of the 12 months paid
    before the birth (27 in all) is refused until her prenatal rest is ticked."""
    from ibhxh_client.domain.history import Stint
    from ibhxh_client.domain.model import Period
    from ibhxh_client.services import claims as claims_svc
    from ibhxh_client.storage import repo

    app = demo_window.ctx.app
    (worker,) = workers_with_numbers(app, 1)
    with app.db.transaction() as conn:
        repo.replace_stints(conn, {worker.id: [
            Stint(Period(2023, 1), Period(2024, 12), SALARY),
            Stint(Period(2025, 12), Period(2026, 2), SALARY)]})
    screen = claims_screen(demo_window, qtbot)
    editor = screen.editor
    inputs = editor.panel.inputs
    flags = ("prenatal_rest", "infertility", "second_child")
    set_kind(editor, "om_dau")
    assert not any(inputs[f].isVisibleTo(editor) for f in flags)
    set_kind(editor, "cha_nghi")
    assert [inputs[f].isVisibleTo(editor) for f in flags] == [False, False, True]
    set_kind(editor, "sinh_con")
    assert all(inputs[f].isVisibleTo(editor) for f in flags)
    assert inputs["prenatal_rest"].accessibleName() == "Nghỉ dưỡng thai"
    editor.choose_worker(worker.id)
    type_into(editor, "from_date", "10/03/2026")
    type_into(editor, "to_date", "09/09/2026")
    type_into(editor, "child_birth_date", "10/03/2026")
    type_into(editor, "child_count", "1")
    child = editor.panel.errors["child_birth_date"]
    qtbot.waitUntil(lambda: child.isVisible() and "6" in child.text(), timeout=5000)
    inputs["prenatal_rest"].setChecked(True)
    qtbot.waitUntil(lambda: not child.isVisible() and editor.last_preview is not None
                    and bool(editor.last_preview.amount), timeout=5000)
    assert editor.status.text() == "Không có vấn đề."
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=5000)
    (view,) = claims_svc.list_claims(app)
    assert (view.claim.prenatal_rest, view.claim.infertility, view.claim.second_child) == (
        True, False, False)
    assert view.problems == [] and view.expected_amount == editor.last_preview.amount


def claims_file(tmp_path, workers):
    """The VSS import template's columns, one header this program does not know, and
    row 3 with a day that does not exist."""
    from tests.test_import_files import write_csv

    a, b = workers
    rows = [["STT", "Số sổ BHXH", "Họ và tên", "Loại nhóm hưởng", "Hôm đầu vắng mặt",
             "Đến ngày", "Hình thức nhận"],
            ["1", a.bhxh_number, a.full_name, "om_dau", WEEK[0], WEEK[1], "TK"],
            ["2", b.bhxh_number, b.full_name, "om_dau", "31/02/2026", "06/03/2026", "TK"]]
    return write_csv(tmp_path / "om-dau.csv", rows)


def test_an_import_asks_about_a_column_saves_the_good_rows_and_shows_the_bad(
        demo_window, qtbot, tmp_path):
    from ibhxh_client.services import claims as claims_svc

    app = demo_window.ctx.app
    workers = workers_with_numbers(app, 2)
    with_history(app, [w.id for w in workers])
    screen = claims_screen(demo_window, qtbot)
    path = claims_file(tmp_path, workers)
    # Cancel in the column dialog: nothing at all
    screen.run_import(path)
    qtbot.waitUntil(lambda: screen.mapping_dialog is not None
                    and screen.mapping_dialog.isVisible(), timeout=10_000)
    dialog = screen.mapping_dialog
    assert list(dialog.combos) == [4]  # "Hôm đầu vắng mặt"
    dialog.reject()
    assert screen.import_status.text() == "Không nhập được gì."
    assert claims_svc.list_claims(app) == []
    # again, saying the column holds the first day of leave
    screen.run_import(path)
    qtbot.waitUntil(lambda: screen.mapping_dialog is not None
                    and screen.mapping_dialog.isVisible(), timeout=10_000)
    dialog = screen.mapping_dialog
    dialog.choose(4, "from_date")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.import_rows.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=10_000)
    rows = [screen.import_rows.item(i).text() for i in range(screen.import_rows.count())]
    assert len(rows) == 1 and rows[0].startswith("Dòng 3:")
    assert "31/02/2026" in rows[0]
    assert screen.import_rows.item(0).foreground().color().name() == "#b00020"
    cells = row_texts(screen.model, 0)
    assert cells["worker"] == workers[0].full_name and cells["expected"] == vnd(SICK_WEEK)
    assert [v.claim.worker_id for v in claims_svc.list_claims(app)] == [workers[0].id]
    assert (tmp_path / "om-dau-loi.xlsx").exists()  # the rows to correct, beside the file


def add_claims(app, workers):
    """A sickness claim (630a) and a prenatal visit (630b)."""
    from ibhxh_client.services import claims as claims_svc

    sick = claims_svc.add_claim(app, workers[0].id, {"kind": "om_dau", "from_date": WEEK[0],
                                                     "to_date": WEEK[1]})
    visit = claims_svc.add_claim(app, workers[1].id, {"kind": "kham_thai",
                                                      "from_date": "10/03/2026",
                                                      "to_date": "10/03/2026"})
    return sick, visit


def test_the_lists_are_made_and_open_in_the_declarations_screen_and_send(demo_window,
                                                                          qtbot):
    from ibhxh_client.services import declarations as decls

    app = demo_window.ctx.app
    workers = workers_with_numbers(app, 2)
    with_history(app, [w.id for w in workers])
    add_claims(app, workers)
    screen = claims_screen(demo_window, qtbot)
    assert screen.model.rowCount() == 2
    qtbot.mouseClick(screen.declare_button, Qt.MouseButton.LeftButton)
    dialog = screen.declare_dialog
    assert "2 yêu cầu" in dialog.intro.text()
    dialog.period.setText("03/2026")
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.dossiers.count() == 2, timeout=10_000)
    made = {decls.head(app, dialog.dossiers.item(i).data(Qt.ItemDataRole.UserRole)).procedure
            for i in range(2)}
    assert made == {"630a", "630b"}
    first = dialog.chosen()
    assert dialog.dossiers.item(0).text() == \
        f"Hồ sơ {first} · 630a – Xét duyệt chế độ ốm đau · kỳ 03/2026 · 1 yêu cầu"
    # open the list: the declarations screen shows its claims, read only
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert demo_window.current_name() == "declarations"
    decl_screen = demo_window.screens["declarations"]
    editor = decl_screen.editor
    assert decl_screen.pages.currentIndex() == 1 and editor.decl.id == first
    assert editor.claims_box.isVisible() and not editor.table.isVisible()
    assert not editor.add_button.isVisible()
    assert editor.claims_model.rowCount() == 1
    assert editor.claims_model.data(editor.claims_model.index(0, 7)) == "Đã lập danh sách"
    qtbot.waitUntil(lambda: editor.last_check is not None, timeout=10_000)
    assert "M01B-HSB" in editor.forms_label.text()
    assert editor.problems.count() == 0, [editor.problems.item(i).text()
                                          for i in range(editor.problems.count())]
    # and back to the benefits screen, the list's claim chosen
    qtbot.mouseClick(editor.claims_button, Qt.MouseButton.LeftButton)
    assert demo_window.current_name() == "claims"
    qtbot.waitUntil(lambda: not screen.loader.busy, timeout=10_000)
    assert screen.current().claim.declaration_id == first
    assert screen.current().state == "declared"
    # the claims are declared now; sending reuses the Send wizard by dossier id
    screen.declare()
    send_dialog = screen.declare_dialog
    send_dialog.period.setText("03/2026")
    qtbot.mouseClick(send_dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: send_dialog.error.isVisible() or
                    "Không có yêu cầu" in send_dialog.status.text(), timeout=10_000)
    assert send_dialog.status.text() == "Không có yêu cầu nào chưa lập danh sách."
    send_dialog.reject()
    demo_window.ctx.send(first)
    send = demo_window.screens["send"]
    assert demo_window.current_name() == "send" and send.decl_id == first
    qtbot.waitUntil(send.next_button.isEnabled, timeout=10_000)


def test_the_approved_amount_is_recorded_with_its_difference(demo_window, qtbot, tmp_path):
    from ibhxh_client.services import claims as claims_svc
    from ibhxh_client.services import printing

    app = demo_window.ctx.app
    workers = workers_with_numbers(app, 2)
    with_history(app, [w.id for w in workers])
    sick, _visit = add_claims(app, workers)
    made = claims_svc.declare_claims(app, "03/2026")
    sick_list = next(d for d in made if d.procedure == "630a")
    # filed on paper: the answer is recorded by hand
    printing.print_dossier(app, sick_list.id, reason="thử", out=tmp_path / "630a.pdf")
    screen = claims_screen(demo_window, qtbot)
    assert screen.select_claim(sick.claim.id)
    assert screen.current().state == "printed" and screen.approved_button.isEnabled()
    qtbot.mouseClick(screen.approved_button, Qt.MouseButton.LeftButton)
    dialog = screen.approved_dialog
    assert vnd(SICK_WEEK) in dialog.about.text() and "5 ngày" in dialog.about.text()
    assert not dialog.ok.isEnabled()
    type_text(dialog.amount, "1.200.000")
    assert dialog.difference.text() == "Chênh lệch so với số tiền đề nghị: −50.000 đồng."
    type_text(dialog.days, "x")
    assert not dialog.ok.isEnabled()
    dialog.days.clear()
    type_text(dialog.days, "5")
    type_text(dialog.note, "trừ 1 ngày nghỉ lễ")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.approved_dialog is None, timeout=5000)
    qtbot.waitUntil(lambda: not screen.loader.busy and screen.current() is not None
                    and screen.current().state == "approved", timeout=10_000)
    row = screen.model.row_of(sick.claim.id)
    cells = row_texts(screen.model, row)
    assert cells["approved"] == "1.200.000"
    assert cells["difference"] == "−50.000"
    assert cells["state"] == "Đã được duyệt"
    red = screen.model.data(screen.model.index(row, 9), Qt.ItemDataRole.ForegroundRole)
    assert red.color().name() == "#b00020"
    stored = claims_svc.get_claim(app, sick.claim.id).claim
    assert (stored.approved_amount, stored.approved_days, stored.approved_note) == \
        (1_200_000, 5, "trừ 1 ngày nghỉ lễ")
    # the filter by state keeps only the approved one
    screen.state_filter.setCurrentIndex(screen.state_filter.findData("approved"))
    assert screen.model.rowCount() == 1 and screen.current().claim.id == sick.claim.id
    screen.state_filter.setCurrentIndex(screen.state_filter.findData("draft"))
    assert screen.model.rowCount() == 0
    # by period: a declared claim is of its list's month, one in no list of its leave's
    screen.state_filter.setCurrentIndex(0)
    later = claims_svc.add_claim(app, workers[1].id, {"kind": "om_dau",
                                                      "from_date": "27/04/2026",
                                                      "to_date": "05/05/2026"})
    screen.reload()
    qtbot.waitUntil(lambda: not screen.loader.busy and screen.model.rowCount() == 3,
                    timeout=10_000)
    periods = [screen.period_filter.itemText(i) for i in range(screen.period_filter.count())]
    assert periods == ["Tất cả các kỳ", "05/2026", "04/2026", "03/2026"]
    screen.period_filter.setCurrentIndex(screen.period_filter.findData("03/2026"))
    assert screen.model.rowCount() == 2 and screen.count.text() == "2 / 3 yêu cầu"
    screen.period_filter.setCurrentIndex(screen.period_filter.findData("05/2026"))
    assert [screen.model.view(r).claim.id for r in range(screen.model.rowCount())] == \
        [later.claim.id]


def test_a_rejected_claim_is_entered_again_to_mend(demo_window, qtbot, tmp_path):
    """A claim Social Security rejected stays in the list that was sent; "Enter again"
    makes a new claim with its values, selected in the editor to mend."""
    from ibhxh_client.services import claims as claims_svc
    from ibhxh_client.services import printing
    from ibhxh_client.storage import repo

    app = demo_window.ctx.app
    workers = workers_with_numbers(app, 2)
    with_history(app, [w.id for w in workers])
    sick, _visit = add_claims(app, workers)
    made = claims_svc.declare_claims(app, "03/2026")
    sick_list = next(d for d in made if d.procedure == "630a")
    printing.print_dossier(app, sick_list.id, reason="thử", out=tmp_path / "630a.pdf")
    with app.db.transaction() as conn:  # the agency's answer to the paper list
        repo.set_claim_outcome(conn, sick.claim.id, "rejected", days=0, amount=0,
                               note="thiếu giấy chứng nhận nghỉ việc")
    screen = claims_screen(demo_window, qtbot)
    assert screen.select_claim(_visit.claim.id)
    assert not screen.refile_button.isEnabled()  # not rejected
    assert screen.select_claim(sick.claim.id)
    assert screen.current().state == "rejected" and screen.refile_button.isEnabled()
    qtbot.mouseClick(screen.refile_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not screen.loader.busy and screen.current() is not None
                    and screen.current().claim.id != sick.claim.id, timeout=10_000)
    again = screen.current()
    assert (again.state, again.claim.declaration_id, again.claim.from_date) == \
        ("draft", None, sick.claim.from_date)
    assert screen.model.rowCount() == 3
    assert claims_svc.get_claim(app, sick.claim.id).state == "rejected"  # as it was sent
