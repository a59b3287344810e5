"""An import never rewrites a person (issue 13): a row that finds a stored worker by one
number (BHXH, CCCD or CMND) but disagrees with them on the full name, the birth date or
another number is a conflict. It is reported with both versions (row report, JSON, .xlsx
report), exits 1, and leaves that worker exactly as stored, unless the officer takes the
row's version (``--take-row``). The same rule holds for ``workers add`` (``--replace``)."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict

from openpyxl import load_workbook
from sqlalchemy import select

from ibhxh_client.domain import ids
from ibhxh_client.domain.model import PartialDate, Worker
from ibhxh_client.services import importing as imp
from ibhxh_client.services import workers as workers_svc
from ibhxh_client.services.app import UserError
from ibhxh_client.services.checks import name_key
from ibhxh_client.storage import repo
from ibhxh_client.storage.schema import workers as workers_table
from tests.test_import_files import write_xlsx

HEADER = ["STT", "Họ và tên", "Mã số BHXH", "Số CCCD", "Ngày sinh", "Giới tính", "Mức lương"]
CCCD_HOA = ids.cccd_for("079", "F", 1985, 11)
CCCD_BINH = ids.cccd_for("001", "M", 1990, 12)


def store_two(app) -> tuple[Worker, Worker]:
    """Two stored workers, as an earlier import or the form left them."""
    hoa = Worker("Nguyễn Thị Hoa", "F", PartialDate(1985, 6, 15), bhxh_number="7900000011",
                 cccd=CCCD_HOA, phone="0912345678", position="Kế toán", salary=9_000_000)
    binh = Worker("Trần Văn Bình", "M", PartialDate(1990, 2, 1), bhxh_number="7900000012",
                  cccd=CCCD_BINH, salary=8_000_000)
    with app.db.transaction() as conn:
        repo.add_workers(conn, [hoa, binh])
    return hoa, binh


def raw_rows(app) -> dict[int, tuple]:
    """Every stored worker's row as the database holds it (sealed values, the time of the
    last change): what "byte for byte unchanged" is checked on."""
    with app.db.reading() as conn:
        return {row.id: tuple(row) for row in conn.execute(select(workers_table)).all()}


def through_services(app, worker_id: int) -> Worker:
    """A stored worker read back the way the program reads it (search by its number)."""
    found = {w.id: w for w in workers_svc.search(app)}
    return found[worker_id]


# -- by BHXH number, a different name ---------------------------------------------------

def test_a_row_with_a_stored_bhxh_number_and_another_name_changes_nothing(app, cli, tmp_path):
    hoa, binh = store_two(app)
    before, raw_before = through_services(app, hoa.id), raw_rows(app)
    rows = [HEADER,
            [1, "Nguyễn Thị Hòa", "7900000011", CCCD_HOA, "15/06/1985", "Nữ", 12_000_000],
            [2, "Trần Văn Bình", "7900000012", CCCD_BINH, "01/02/1990", "Nam", 8_500_000],
            [3, "Lê Văn Mới", "7900000013", ids.cccd_for("079", "M", 1995, 13), "1995",
             "Nam", 7_000_000]]
    path = write_xlsx(tmp_path / "ds.xlsx", {"DS": rows})
    report = tmp_path / "loi.xlsx"
    run = cli("workers", "import", path, "--report", report)
    assert run.code == 1, run.err
    # The row is named, with both versions side by side, and how to take the file's.
    line = next(x for x in run.err.splitlines() if "7900000011" in x)
    assert line.strip().startswith("- Dòng 2, cột B (Họ và tên):")
    assert "Bản đã lưu: Nguyễn Thị Hoa, ngày sinh 15/06/1985" in line
    assert "Bản trong tệp: Nguyễn Thị Hòa, ngày sinh 15/06/1985" in line
    assert "khác họ tên" in line and f"#{hoa.id}" in line
    assert "--take-row 2" in run.err
    # That worker is as stored, to the byte (nor the salary the row carries changed);
    # the rows without a conflict were imported all the same.
    assert through_services(app, hoa.id) == before
    assert raw_rows(app)[hoa.id] == raw_before[hoa.id]
    assert through_services(app, binh.id).salary == 8_500_000
    assert {w.full_name for w in workers_svc.search(app)} == {
        "Nguyễn Thị Hoa", "Trần Văn Bình", "Lê Văn Mới"}
    # The .xlsx report: the cell red with the stored name in its comment, and a sheet
    # with both versions field by field.
    wb = load_workbook(report)
    errors, results, conflicts = wb.worksheets
    assert errors["B2"].value == "Nguyễn Thị Hòa"
    assert errors["B2"].fill.start_color.rgb.endswith("FFC7CE")
    assert "Nguyễn Thị Hoa" in errors["B2"].comment.text
    assert conflicts.title == "Khác bản đã lưu"
    table = [[c.value for c in r] for r in conflicts.iter_rows(min_row=1)]
    assert table[0] == ["Dòng", "Người lao động", "Thông tin", "Bản đã lưu", "Bản trong tệp"]
    assert [2, f"#{hoa.id}", "họ tên", "Nguyễn Thị Hoa", "Nguyễn Thị Hòa"] in table
    assert [2, f"#{hoa.id}", "mã số BHXH", "7900000011", "7900000011"] in table
    name_row = next(r for r in range(2, conflicts.max_row + 1)
                    if conflicts.cell(r, 3).value == "họ tên")
    assert conflicts.cell(name_row, 4).fill.start_color.rgb.endswith("FFC7CE")
    bhxh_row = next(r for r in range(2, conflicts.max_row + 1)
                    if conflicts.cell(r, 3).value == "mã số BHXH")
    assert conflicts.cell(bhxh_row, 4).fill.fill_type is None
    assert [results.cell(r, 2).value for r in range(2, 5)] == ["Lỗi", "Đã nhập", "Đã nhập"]


def test_the_json_output_holds_both_versions(app, cli, tmp_path):
    hoa, _ = store_two(app)
    rows = [HEADER, [1, "Nguyễn Thị Hồng", "7900000011", "", "15/06/1985", "Nữ", None]]
    run = cli("--json", "workers", "import", write_xlsx(tmp_path / "j.xlsx", {"DS": rows}))
    assert run.code == 1
    data = run.json
    (conflict,) = data["conflicts"]
    assert conflict["row"] == 2 and conflict["worker_id"] == hoa.id
    assert conflict["matched_by"] == "bhxh_number" and conflict["fields"] == ["full_name"]
    assert conflict["stored"]["full_name"] == "Nguyễn Thị Hoa"
    assert conflict["given"]["full_name"] == "Nguyễn Thị Hồng"
    assert conflict["stored"]["cccd"] == conflict["given"]["cccd"] == CCCD_HOA
    (row,) = data["rows"]
    assert row["status"] == "error" and row["conflict"]["fields"] == ["full_name"]
    assert row["issues"][0]["code"] == "import_person_conflict"
    assert data["failed"] == 1 and data["taken"] == []


def test_the_name_is_compared_without_case_spacing_or_normal_form_but_with_diacritics(
        app, tmp_path):
    hoa, _ = store_two(app)
    decomposed = unicodedata.normalize("NFD", "NGUYỄN  thị   HOA")
    assert name_key(decomposed) == name_key("Nguyễn Thị Hoa") != name_key("Nguyen Thi Hoa")
    rows = [HEADER, [1, decomposed, "7900000011", CCCD_HOA, "15/06/1985", "Nữ", 9_900_000]]
    result = imp.import_workers(app, write_xlsx(tmp_path / "n.xlsx", {"DS": rows}))
    assert result.ok and result.updated == 1 and not result.conflicts
    assert through_services(app, hoa.id).salary == 9_900_000  # not the person: updated
    rows[1][1] = "Nguyen Thi Hoa"  # the same letters without their marks: another name
    result = imp.import_workers(app, write_xlsx(tmp_path / "m.xlsx", {"DS": rows}))
    assert [r.conflict.fields for r in result.conflicts] == [("full_name",)]


# -- by CCCD, another birth date --------------------------------------------------------

def test_a_row_with_a_stored_cccd_and_another_birth_date_changes_nothing(app, cli, tmp_path):
    hoa, _ = store_two(app)
    raw_before = raw_rows(app)
    before = through_services(app, hoa.id)
    # No BHXH column: found by CCCD; the same year (the CCCD agrees), another day.
    rows = [["Họ và tên", "Số CCCD", "Ngày sinh", "Giới tính", "Địa chỉ"],
            ["Nguyễn Thị Hoa", CCCD_HOA, "20/11/1985", "Nữ", "12 Lê Lợi"]]
    run = cli("workers", "import", write_xlsx(tmp_path / "c.xlsx", {"S": rows}))
    assert run.code == 1
    line = next(x for x in run.err.splitlines() if CCCD_HOA in x)
    assert "Dòng 2, cột C (Ngày sinh)" in line and f"số CCCD {CCCD_HOA}" in line
    assert "khác ngày sinh" in line
    assert "Bản đã lưu: Nguyễn Thị Hoa, ngày sinh 15/06/1985" in line
    assert "Bản trong tệp: Nguyễn Thị Hoa, ngày sinh 20/11/1985" in line
    assert raw_rows(app) == raw_before
    assert through_services(app, hoa.id) == before  # nor the address the row adds


def test_a_row_found_by_bhxh_with_another_cccd_is_a_conflict(app, tmp_path):
    hoa, _ = store_two(app)
    other = ids.cccd_for("079", "F", 1985, 99)
    rows = [HEADER, [1, "Nguyễn Thị Hoa", "7900000011", other, "15/06/1985", "Nữ", None]]
    result = imp.import_workers(app, write_xlsx(tmp_path / "o.xlsx", {"DS": rows}))
    (rep,) = result.conflicts
    assert rep.conflict.fields == ("cccd",) and rep.issues[0].column.letter == "D"
    assert through_services(app, hoa.id).cccd == CCCD_HOA
    assert "số CCCD" in rep.messages()[0] and other in rep.messages()[0]


# -- by old CMND ------------------------------------------------------------------------

def test_a_row_with_a_stored_cmnd_and_another_name_changes_nothing(app, cli, tmp_path):
    old = Worker("Phạm Văn Cũ", "M", PartialDate(1970), bhxh_number="0100000070",
                 cmnd="012345678", address="5 Hàng Bài")
    with app.db.transaction() as conn:
        repo.add_workers(conn, [old])
    raw_before = raw_rows(app)
    rows = [["Họ và tên", "Số CMND", "Năm sinh", "Giới tính", "Địa chỉ"],
            ["Phạm Văn Khác", "012345678", "1970", "Nam", "9 Tràng Tiền"]]
    run = cli("workers", "import", write_xlsx(tmp_path / "m.xlsx", {"S": rows}))
    assert run.code == 1
    line = next(x for x in run.err.splitlines() if "012345678" in x)
    assert "Dòng 2, cột A (Họ và tên): số CMND 012345678" in line
    assert "Bản đã lưu: Phạm Văn Cũ, ngày sinh 1970, mã số BHXH 0100000070, số CMND " \
           "012345678" in line
    assert "Bản trong tệp: Phạm Văn Khác" in line
    assert raw_rows(app) == raw_before


# -- taking the row's version -----------------------------------------------------------

def test_take_row_stores_the_rows_version(app, cli, tmp_path):
    hoa, binh = store_two(app)
    rows = [HEADER,
            [1, "Nguyễn Thị Hòa", "7900000011", CCCD_HOA, "15/06/1985", "Nữ", 12_000_000],
            [2, "Trần Văn Bính", "7900000012", CCCD_BINH, "02/02/1990", "Nam", None]]
    path = write_xlsx(tmp_path / "t.xlsx", {"DS": rows})
    raw_before = raw_rows(app)
    # Only row 2 taken: row 3 is still a conflict, its worker untouched.
    run = cli("workers", "import", path, "--take-row", "2")
    assert run.code == 1
    assert through_services(app, hoa.id).full_name == "Nguyễn Thị Hòa"
    assert through_services(app, hoa.id).salary == 12_000_000
    assert through_services(app, hoa.id).phone == "0912345678"  # an empty cell erases nothing
    assert raw_rows(app)[binh.id] == raw_before[binh.id]
    assert "Dòng 3" in run.err and "--take-row 3" in run.err
    # Both at once ("2,3" as well as repeated options): done, exit 0, nothing refused.
    run = cli("--json", "workers", "import", path, "--take-row", "2,3")
    assert run.code == 0, run.out
    assert run.json["taken"] == [3] and run.json["failed"] == 0  # row 2 agrees by now
    w = through_services(app, binh.id)
    assert (w.full_name, w.birth_date) == ("Trần Văn Bính", PartialDate(1990, 2, 2))
    (noted,) = run.json["rows"]  # what the stored version was stays in the row report
    assert noted["status"] == "warning" and noted["action"] == "updated"
    assert "Bản cũ: Trần Văn Bình, ngày sinh 01/02/1990" in noted["issues"][0]["message"]


def test_all_or_nothing_saves_nothing_when_a_row_conflicts(app, tmp_path):
    hoa, _ = store_two(app)
    raw_before = raw_rows(app)
    rows = [HEADER,
            [1, "Nguyễn Thị Hòa", "7900000011", CCCD_HOA, "15/06/1985", "Nữ", None],
            [2, "Lê Văn Mới", "7900000013", ids.cccd_for("079", "M", 1995, 13), "1995", "Nam",
             7_000_000]]
    path = write_xlsx(tmp_path / "a.xlsx", {"DS": rows})
    result = imp.import_workers(app, path, all_or_nothing=True)
    assert not result.stored and result.exit_code == 1 and raw_rows(app) == raw_before
    result = imp.import_workers(app, path, all_or_nothing=True, take=[2])
    assert result.stored and result.ok and result.added == 1 and result.updated == 1
    assert through_services(app, hoa.id).full_name == "Nguyễn Thị Hòa"


def test_take_rows_after_the_import_stores_what_was_shown(app, tmp_path):
    """The window's way: import first, ask, then take the chosen rows; a worker changed
    since the import was read is not overwritten."""
    hoa, binh = store_two(app)
    rows = [HEADER,
            [1, "Nguyễn Thị Hòa", "7900000011", CCCD_HOA, "15/06/1985", "Nữ", None],
            [2, "Trần Văn Bính", "7900000012", CCCD_BINH, "01/02/1990", "Nam", None]]
    result = imp.import_workers(app, write_xlsx(tmp_path / "w.xlsx", {"DS": rows}))
    assert [r.row for r in result.conflicts] == [2, 3]
    workers_svc.update(app, binh.id, {**_as_values(through_services(app, binh.id)),
                                      "phone": "0987654321"})
    assert imp.take_rows(app, result, [2, 3]) == [2]
    assert through_services(app, hoa.id).full_name == "Nguyễn Thị Hòa"
    assert through_services(app, binh.id).full_name == "Trần Văn Bình"
    assert [r.row for r in result.conflicts] == [3] and result.taken == [2]
    assert result.rows[0].status == "warning" and result.rows[0].action == "updated"
    assert "cho các dòng 2" in result.summary()
    with app.db.reading() as conn:
        log = repo.list_processing(conn)
    assert log[-1]["action"] == "import" and log[-1]["workers"] == 1
    assert "Hòa" not in log[-1]["detail"]


def _as_values(w: Worker) -> dict[str, str]:
    """A stored worker as the form's text values (what ``workers.update`` takes)."""
    values = {k: str(v) for k, v in asdict(w).items() if k != "id"}
    return {**values, "birth_date": str(w.birth_date), "status": str(w.status)}


# -- workers add ------------------------------------------------------------------------

def test_workers_add_refuses_a_stored_number_with_another_person(app, cli):
    hoa, _ = store_two(app)
    raw_before = raw_rows(app)
    add = ["workers", "add", "--full-name", "Nguyễn Thị Hạnh", "--gender", "F",
           "--birth-date", "03/04/1985", "--cccd", CCCD_HOA, "--phone", "0900000000"]
    run = cli(*add)
    assert run.code == 1
    assert f"Số CCCD {CCCD_HOA} đã thuộc về người lao động #{hoa.id}" in run.err
    assert "khác họ tên và ngày sinh" in run.err
    assert "Bản đã lưu: Nguyễn Thị Hoa, ngày sinh 15/06/1985" in run.err
    assert "Bản mới: Nguyễn Thị Hạnh, ngày sinh 03/04/1985" in run.err
    assert "--replace" in run.err
    assert raw_rows(app) == raw_before
    run = cli("--json", *add)
    assert run.code == 1 and run.json["error"] == "worker_conflict"
    assert run.json["conflict"]["fields"] == ["full_name", "birth_date"]
    assert run.json["conflict"]["stored"]["full_name"] == "Nguyễn Thị Hoa"
    assert raw_rows(app) == raw_before
    # --replace: the given values go over the stored worker, the rest is kept.
    run = cli(*add, "--replace")
    assert run.code == 0, run.err
    w = through_services(app, hoa.id)
    assert (w.full_name, w.birth_date, w.phone) == ("Nguyễn Thị Hạnh", PartialDate(1985, 4, 3),
                                                     "0900000000")
    assert (w.bhxh_number, w.position) == ("7900000011", "Kế toán")
    assert len(workers_svc.search(app)) == 2


def test_the_same_person_again_is_still_refused_and_two_owners_always(app):
    hoa, binh = store_two(app)
    same = {"full_name": "nguyễn thị hoa", "gender": "F", "birth_date": "15/06/1985",
            "cccd": CCCD_HOA}
    try:
        workers_svc.add(app, same)
    except UserError as exc:
        assert exc.code == "worker_exists"
    else:
        raise AssertionError("added twice")
    both = {"full_name": "Nguyễn Thị Hoa", "gender": "F", "birth_date": "15/06/1985",
            "bhxh_number": binh.bhxh_number, "cccd": CCCD_HOA}
    for replace_stored in (False, True):
        try:
            workers_svc.add(app, both, replace_stored=replace_stored)
        except UserError as exc:
            assert exc.code == "worker_two_owners"
            assert f"#{hoa.id}" in exc.message() and f"#{binh.id}" in exc.message()
        else:
            raise AssertionError("two workers merged")


def test_an_edit_with_another_workers_number_shows_both_versions(app):
    _hoa, binh = store_two(app)
    values = {**_as_values(through_services(app, binh.id)), "bhxh_number": "7900000011"}
    raw_before = raw_rows(app)
    try:
        workers_svc.update(app, binh.id, values)
    except UserError as exc:
        assert exc.code == "worker_conflict"
        text = exc.message()
        assert "Bản đã lưu: Nguyễn Thị Hoa" in text and "Bản mới: Trần Văn Bình" in text
        assert "Stored: Nguyễn Thị Hoa" in exc.message("en")
    else:
        raise AssertionError("another worker's CCCD taken")
    assert raw_rows(app) == raw_before


def test_a_taken_row_with_another_error_is_not_taken(app, tmp_path):
    store_two(app)
    raw_before = raw_rows(app)
    rows = [[*HEADER, "Điện thoại"],
            [1, "Nguyễn Thị Hòa", "7900000011", CCCD_HOA, "15/06/1985", "Nữ", None, "12"]]
    result = imp.import_workers(app, write_xlsx(tmp_path / "e.xlsx", {"DS": rows}), take=[2])
    (rep,) = result.rows
    assert rep.status == "error" and not rep.open_conflict and result.taken == []
    assert [i.code for i in rep.issues if i.target == "full_name"] == ["import_person_conflict"]
    assert any(i.target == "phone" for i in rep.issues)
    assert raw_rows(app) == raw_before
    assert imp.take_rows(app, result, [2]) == [] and raw_rows(app) == raw_before
