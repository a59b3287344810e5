"""The outcome of an import: a result per row, the .xlsx error report an officer fixes and
imports again, "only the valid rows" or "all or nothing", no duplicates on a second
import (workers matched by BHXH number, then CCCD), and the processing log."""

from __future__ import annotations

import json

from openpyxl import load_workbook

from ibhxh_client.domain import ids
from ibhxh_client.domain.model import PartialDate, Worker
from ibhxh_client.services import importing as imp
from ibhxh_client.storage import repo
from tests.test_import_files import people_rows, stored, write_xlsx


def mixed_rows():
    rows = people_rows(4)
    rows[2][4] = "31/02/1982"  # row 3: no such day
    rows[3][3] = "07918200000X"  # row 4: a letter in the CCCD
    rows[4][2] = 790000004  # row 5: lost its leading zero (a warning)
    return rows


def test_only_the_valid_rows_by_default(app, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", {"DS": mixed_rows()})
    result = imp.import_workers(app, path)
    assert [(r.row, r.status) for r in result.rows] == [
        (2, "imported"), (3, "error"), (4, "error"), (5, "warning")]
    assert (result.added, result.failed, result.warnings, result.stored) == (2, 2, 1, True)
    assert result.exit_code == 1
    bad_date = result.rows[1].issues[0]
    assert (bad_date.row, bad_date.column.letter, bad_date.target) == (3, "E", "birth_date")
    assert bad_date.message() == ("Dòng 3, cột E (Ngày sinh): '31/02/1982' không hợp lệ "
                                  "(dd/mm/yyyy, mm/yyyy hoặc yyyy).")
    assert "Row 3, column E" in bad_date.message("en")
    assert result.rows[2].issues[0].column.letter == "D"
    summary = result.summary()
    assert "2 dòng có lỗi" in summary and "2 người mới" in summary
    assert {w.bhxh_number for w in stored(app)} == {"7900000001", "0790000004"}
    data = result.to_dict()
    json.dumps(data)
    assert data["failed"] == 2 and len(data["rows"]) == 3
    # Every row has its report, the good ones made when asked for, all saved "added"
    # but the errors; the noted ones are at hand without making the others.
    assert [r.action for r in result.rows] == ["added", "", "", "added"]
    assert [r.row for r in result.rows.noted()] == [3, 4, 5]
    assert result.rows[-1] is result.rows[3] and result.rows[1:3] == list(result.rows)[1:3]


def test_all_or_nothing(app, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", {"DS": mixed_rows()})
    result = imp.import_workers(app, path, all_or_nothing=True)
    assert (result.added, result.stored, result.failed) == (0, False, 2)
    assert "Chưa có gì được lưu" in result.summary()
    assert stored(app) == []
    with app.db.reading() as conn:
        assert repo.list_processing(conn) == []
    clean = write_xlsx(tmp_path / "ok.xlsx", {"DS": people_rows(3)})
    assert imp.import_workers(app, clean, all_or_nothing=True).added == 3


def test_dry_run_checks_everything_and_saves_nothing(app, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", {"DS": mixed_rows()})
    result = imp.import_workers(app, path, dry_run=True)
    assert result.failed == 2 and not result.stored and stored(app) == []


def test_error_report_marks_the_bad_cells_and_imports_again_once_fixed(app, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", {"DS": mixed_rows()})
    report = tmp_path / "loi.xlsx"
    result = imp.import_workers(app, path, report=report)
    assert result.report == report and "loi.xlsx" in result.summary()
    wb = load_workbook(report)
    errors, results = wb.worksheets
    assert errors.title == "Dòng lỗi" and results.title == "Kết quả từng dòng"
    header = [c.value for c in errors[1]]
    assert header == [*people_rows(1)[0], "Lỗi cần sửa", "Dòng trong tệp gốc"]
    assert errors.max_row == 3  # the two failed rows
    bad = errors["E2"]
    assert bad.value == "31/02/1982" and bad.fill.start_color.rgb.endswith("FFC7CE")
    assert "31/02/1982" in bad.comment.text
    assert errors["D3"].fill.start_color.rgb.endswith("FFC7CE")
    assert errors["C2"].value == "7900000002" and errors["C2"].data_type == "s"
    assert "Ngày sinh" in errors["H2"].value and errors["I2"].value == 3
    statuses = [results.cell(row=r, column=2).value for r in range(2, 6)]
    assert statuses == ["Đã nhập", "Lỗi", "Lỗi", "Cảnh báo"]
    # The officer fixes the red cells and imports the report itself.
    errors["E2"].value = "28/02/1982"
    errors["D3"].value = ids.cccd_for("079", "F", 1983, 3)
    wb.save(report)
    again = imp.import_workers(app, report)
    assert again.ok and again.added == 2, [i.message() for i in again.problems]
    assert len(stored(app)) == 4
    with app.db.reading() as conn:
        log = repo.list_processing(conn)
    assert [(e["action"], e["target"]) for e in log] == [
        ("import", "m.xlsx"), ("export", "loi.xlsx"), ("import", "loi.xlsx")]
    assert log[0]["workers"] == 2 and "added 2" in log[0]["detail"]
    for entry in log:  # never a personal value
        text = json.dumps(entry, default=str)
        assert "7900000" not in text and "Nguyễn" not in text and "0791" not in text


def test_the_same_file_twice_makes_no_duplicates(app, tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", {"DS": people_rows(3)})
    assert imp.import_workers(app, path).added == 3
    again = imp.import_workers(app, path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    assert [r.action for r in again.rows] == ["unchanged"] * 3
    rows = people_rows(3)
    rows[1][6] = 9_999_000  # a raise
    again = imp.import_workers(app, write_xlsx(tmp_path / "q.xlsx", {"DS": rows}))
    assert (again.added, again.updated, again.unchanged) == (0, 1, 2)
    assert len(stored(app)) == 3
    assert {w.salary for w in stored(app)} >= {9_999_000}


def test_matched_by_bhxh_then_cccd_and_empty_cells_erase_nothing(app, tmp_path):
    cccd = ids.cccd_for("001", "F", 1990, 77)
    with app.db.transaction() as conn:
        repo.add_workers(conn, [Worker("Trương Thị Mỹ", "F", PartialDate(1990, 1, 2), cccd=cccd,
                                       phone="0912345678", position="Thủ kho")])
    rows = [["Họ và tên", "Mã số BHXH", "Số CCCD", "Ngày sinh", "Giới tính", "Chức vụ",
             "Điện thoại"],
            ["Trương Thị Mỹ", "0112345678", cccd, "02/01/1990", "Nữ", "Kế toán", None]]
    result = imp.import_workers(app, write_xlsx(tmp_path / "u.xlsx", {"S": rows}))
    assert result.updated == 1 and result.added == 0
    (w,) = stored(app)
    # Found by CCCD, given its new BHXH number; the phone the file leaves empty is kept.
    assert (w.bhxh_number, w.position, w.phone) == ("0112345678", "Kế toán", "0912345678")
    rows[1][2] = None  # now only the BHXH number
    rows[1][5] = "Kế toán trưởng"
    result = imp.import_workers(app, write_xlsx(tmp_path / "v.xlsx", {"S": rows}))
    assert result.updated == 1 and len(stored(app)) == 1
    assert stored(app)[0].position == "Kế toán trưởng" and stored(app)[0].cccd == cccd


def test_conflicts_and_duplicates_are_row_errors(app, tmp_path):
    a, b = (ids.cccd_for("001", "M", 1980, n) for n in (1, 2))
    with app.db.transaction() as conn:
        repo.add_workers(conn, [
            Worker("Người A", "M", PartialDate(1980), bhxh_number="0100000001", cccd=a),
            Worker("Người B", "M", PartialDate(1980), bhxh_number="0100000002", cccd=b)])
    rows = [["Họ và tên", "Mã số BHXH", "Số CCCD", "Ngày sinh", "Giới tính"],
            ["Người A", "0100000001", b, "1980", "Nam"],  # A's number with B's CCCD
            ["Người A", "0100000009", a, "1980", "Nam"],  # A's CCCD, another number
            ["Người C", "0100000003", ids.cccd_for("001", "M", 1980, 3), "1980", "Nam"],
            ["Người C", "0100000003", ids.cccd_for("001", "M", 1980, 3), "1980", "Nam"]]
    result = imp.import_workers(app, write_xlsx(tmp_path / "c.xlsx", {"S": rows}))
    codes = [[i.code for i in r.issues] for r in result.rows]
    # A's CCCD with another BHXH number disagrees with A on the person: a conflict that
    # shows both numbers (tests/test_import_conflicts.py has the rest of that story).
    assert codes == [["import_conflict"], ["import_person_conflict"], [],
                     ["import_duplicate_row"]]
    assert result.rows[1].conflict.fields == ("bhxh_number",)
    assert "0100000001" in result.rows[1].issues[0].message()
    assert "0100000009" in result.rows[1].issues[0].message()
    assert "dòng 4" in result.rows[3].issues[0].message()
    assert result.added == 1 and len(stored(app)) == 3
