"""Claims and months of contribution from the spreadsheets HR already has (issue 15, with
the importer of issue 7): VSS's M01B-HSB import template recognised column by column, bad
rows named by row and column and reported in an .xlsx to fix and import again, the valid
rows saved (nothing with --all-or-nothing or --dry-run), no claim twice."""

from __future__ import annotations

from datetime import date

from openpyxl import load_workbook

from ibhxh_client.services import claims as service
from ibhxh_client.services import importing
from tests.test_claims_cli import SICK, claims, ready
from tests.test_import_files import write_csv, write_xlsx

# The columns of VSS's import template for M01B-HSB, in its order (sheet
# "M01B-HSB-PhatSinh", as a public Odoo module writes it: report BHXH630).
VSS_HEADERS = ["Số sổ BHXH", "Họ và tên", "Từ ngày", "Đến ngày", "Số serial của chứng từ",
               "Loại nhóm hưởng", "Số CMND", "Tổng số ngày nghỉ", "Đợt bổ sung",
               "Hình thức nhận", "Số tài khoản", "Tên chủ tài khoản", "Mã ngân hàng",
               "Mã nhân viên", "Từ ngày đơn vị đề nghị", "Nghỉ dưỡng thai", "Ngày sinh con",
               "Mã thẻ BHYT của con", "Ngày nghỉ trong tuần", "Số con", "Điều kiện làm việc",
               "Mã tuyến bệnh viện", "Mã bệnh dài ngày"]
TARGETS = ["bhxh_number", "full_name", "from_date", "to_date", "certificate", "kind",
           "idcard", "days", "supplement_batch", "payment", "bank_account", "account_holder",
           "bank_code", "employee_code", "proposed_from", "prenatal_rest", "child_birth_date",
           "child_id", "rest_days", "child_count", "heavy_work", "hospital_route",
           "long_term_code"]


def vss_row(worker: dict, **cells) -> list:
    """A row of the template for ``worker``; ``cells`` by header position name."""
    row = [worker["bhxh_number"], worker["full_name"], date(2026, 3, 2), date(2026, 3, 6),
           "BV-2026-000123", "om_dau", "", None, "", "TK", "'0071000123456",
           worker["full_name"].upper(), "VCB", "NV001", date(2026, 3, 2), "", None, "", "",
           None, "", "1", ""]
    for name, value in cells.items():
        row[TARGETS.index(name)] = value
    return row


def test_the_vss_template_is_read_column_by_column(app, cli, tmp_path):
    workers = ready(cli, tmp_path)
    rows = [
        ["DANH SÁCH ĐỀ NGHỊ GIẢI QUYẾT HƯỞNG CHẾ ĐỘ ỐM ĐAU, THAI SẢN, DSPHSK"],
        ["Mẫu 01B-HSB"],
        [],
        [],
        VSS_HEADERS,
        # own sickness, heavy work, Saturday and Sunday off: the fifth day is a Saturday
        vss_row(workers[1], to_date=date(2026, 3, 7), rest_days="T7, CN",
                heavy_work="Nặng nhọc, độc hại"),
        # a birth, the worker named by the CCCD in "Số CMND" (no book number on the row)
        vss_row(workers[3], bhxh_number="", idcard=workers[3]["cccd"], kind="sinh_con",
                from_date="09/03/2026", to_date="08/09/2026", certificate="",
                child_birth_date="10/03/2026", child_count=1, child_id="TE1790123456789",
                heavy_work=""),
        # a long-term illness, days given
        vss_row(workers[2], kind="Ốm đau dài ngày", days=5, long_term_code="J45",
                from_date=date(2026, 3, 9), to_date=date(2026, 3, 13), payment="TM",
                bank_account="", bank_code=""),
    ]
    path = write_xlsx(tmp_path / "BHXH630.xlsx", {"M01B-HSB-PhatSinh": rows})
    analysis = importing.analyse(app, path, use="claims")
    assert analysis.header_rows == (5,)
    assert [c.target for c in analysis.columns] == TARGETS
    assert analysis.unmatched == []
    result = service.import_claims(app, path)
    assert (result.ok, result.added, result.notes) == (True, 3, [])
    assert [r.to_dict() for r in result.rows.noted()] == []
    first, birth, long_term = claims(cli)
    assert (first["kind"], first["rest_days"], first["heavy_work"], first["certificate"]) == (
        "om_dau", "67", True, "BV-2026-000123")
    assert (first["payment"], first["bank_account"], first["bank_code"]) == (
        "TK", "0071000123456", "VCB")
    assert (first["expected_days"], first["expected_amount"]) == (5, SICK)
    assert birth["worker_id"] == 3 and birth["kind"] == "sinh_con"
    assert (birth["child_birth_date"], birth["child_count"], birth["child_id"]) == (
        "2026-03-10", 1, "TE1790123456789")
    assert birth["problems"] == [] and birth["expected_days"] == 184
    assert (long_term["kind"], long_term["days"], long_term["long_term_code"]) == (
        "om_dai_ngay", 5, "J45")
    # the same file again: nothing new, nothing doubled
    again = service.import_claims(app, path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    assert len(claims(cli)) == 3


def test_bad_rows_are_named_by_row_and_column_and_the_good_ones_saved(cli, tmp_path):
    workers = ready(cli, tmp_path)
    w1, w2, w3 = workers[1], workers[2], workers[6]
    rows = [VSS_HEADERS,
            vss_row(w1),  # row 2: good
            vss_row(w2, bhxh_number="0100000099", full_name="Người Lạ"),  # 3: nobody
            vss_row(w2, from_date="31/02/2026"),  # 4: no such day
            vss_row(w2, kind="om"),  # 5: no such kind
            vss_row(w3, from_date=date(2026, 3, 6), to_date=date(2026, 3, 2)),  # 6
            vss_row(w3, heavy_work="có lẽ"),  # 7: not yes or no
            vss_row(w1),  # 8: row 2 again
            vss_row(w2, full_name="Trần Văn Khác"),  # 9: another person's number
            ]
    path = write_xlsx(tmp_path / "ds.xlsx", {"DS": rows})
    report = tmp_path / "loi.xlsx"
    r = cli("claims", "import", path, "--report", report)
    assert r.code == 1
    expected = [
        "Dòng 3, cột A (Số sổ BHXH): không tìm thấy người lao động '0100000099'.",
        "Dòng 4, cột C (Từ ngày): '31/02/2026' không phải ngày hợp lệ (dd/mm/yyyy).",
        "Dòng 5, cột F (Loại nhóm hưởng): mã 'om' không có trong danh mục.",
        "Dòng 6, cột D (Đến ngày): ngày kết thúc 02/03/2026 trước ngày bắt đầu 06/03/2026.",
        "Dòng 7, cột U (Điều kiện làm việc): 'có lẽ' không phải có hoặc không",
        "Dòng 8, cột C (Từ ngày): trùng yêu cầu ở dòng 2 của cùng tệp",
        f"Dòng 9, cột B (Họ và tên): số {w2['bhxh_number']} là của người lao động #2 "
        f"{w2['full_name']}, không phải Trần Văn Khác.",
    ]
    for line in expected:
        assert line in r.err, (line, r.err)
    assert "7 dòng có lỗi. Đã lưu các dòng hợp lệ: 1 yêu cầu mới, 0 yêu cầu cập nhật." in r.err
    assert [(c["worker_id"], c["from_date"]) for c in claims(cli)] == [(1, "2026-03-02")]
    # the report: the failed rows, each bad cell marked, to fix and import again
    sheet = load_workbook(report).worksheets[0]
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == [
        "0100000099", w2["bhxh_number"], w2["bhxh_number"], w3["bhxh_number"],
        w3["bhxh_number"], w1["bhxh_number"], w2["bhxh_number"]]
    assert sheet["C3"].fill.start_color.rgb.endswith("FFC7CE")
    assert "không phải ngày hợp lệ" in sheet["C3"].comment.text
    # fixed in the report (report row = failed row's place), then imported as it is
    mar = {d: date(2026, 3, d) for d in (2, 6, 9, 13, 16, 20)}
    fixes = {3: {"C": mar[2]}, 4: {"F": "om_dau", "C": mar[9], "D": mar[13]},
             5: {"C": mar[2], "D": mar[6]}, 6: {"U": "có", "C": mar[9], "D": mar[13]},
             8: {"B": w2["full_name"], "C": mar[16], "D": mar[20]}}
    for r_, cells in fixes.items():
        for col, value in cells.items():
            sheet[f"{col}{r_}"] = value
    sheet.delete_rows(7)  # row 2 again: saved already
    sheet.delete_rows(2)  # the stranger
    sheet.parent.save(report)
    r = cli("--json", "claims", "import", report)
    assert r.code == 0, r.out
    assert (r.json["added"], r.json["failed"]) == (5, 0)
    assert sorted((c["worker_id"], c["from_date"], c["to_date"]) for c in claims(cli)) == [
        (1, "2026-03-02", "2026-03-06"), (2, "2026-03-02", "2026-03-06"),
        (2, "2026-03-09", "2026-03-13"), (2, "2026-03-16", "2026-03-20"),
        (6, "2026-03-02", "2026-03-06"), (6, "2026-03-09", "2026-03-13")]
    assert [c["heavy_work"] for c in claims(cli) if c["worker_id"] == 6] == [False, True]
    # the first file again: its good row is there already, the bad ones still bad
    r = cli("--json", "claims", "import", path)
    assert (r.code, r.json["added"], r.json["unchanged"], r.json["failed"]) == (1, 0, 1, 7)
    assert len(claims(cli)) == 6


def test_all_or_nothing_and_dry_run_save_nothing(cli, tmp_path):
    workers = ready(cli, tmp_path)
    rows = [VSS_HEADERS, vss_row(workers[1]), vss_row(workers[2], kind="om")]
    path = write_xlsx(tmp_path / "ds.xlsx", {"DS": rows})
    r = cli("claims", "import", path, "--all-or-nothing")
    assert r.code == 1 and "Chưa có gì được lưu (chế độ tất cả hoặc không)." in r.err
    assert claims(cli) == []
    good = write_xlsx(tmp_path / "tot.xlsx", {"DS": rows[:2]})
    r = cli("--json", "claims", "import", good, "--dry-run")
    assert r.code == 0 and r.json["stored"] is False
    assert claims(cli) == []
    assert cli("claims", "import", good).code == 0 and len(claims(cli)) == 1


def test_what_the_rules_find_is_a_warning_and_the_claim_is_kept(cli, tmp_path):
    """A worker with no months of contribution imported: the claim is saved with the
    problem, which `claims check` keeps showing until it is mended."""
    assert cli("demo", "--workers", "3", "--no-claims").code == 0
    worker = cli("--json", "workers", "list").json[0]
    path = write_csv(tmp_path / "ds.csv", [
        ["Mã số BHXH", "Loại chế độ", "Từ ngày", "Đến ngày"],
        [worker["bhxh_number"], "om_dau", "02/03/2026", "06/03/2026"]])
    r = cli("claims", "import", path)
    assert r.code == 0, r.err
    (warning,) = r.err.rstrip().splitlines()
    assert warning.startswith("  ! Dòng 2, cột C (Từ ngày): ") and "BHXH" in warning
    assert "Đã nhập 1 dòng: 1 yêu cầu mới" in r.out
    (stored,) = claims(cli)
    assert stored["problems"][0]["field"] == "from_date"
    assert cli("claims", "check").code == 1


def test_a_stored_claim_is_updated_until_it_is_in_a_list(cli, tmp_path):
    workers = ready(cli, tmp_path)
    path = write_xlsx(tmp_path / "ds.xlsx", {"DS": [VSS_HEADERS, vss_row(workers[1])]})
    assert cli("claims", "import", path).code == 0
    changed = write_xlsx(tmp_path / "ds2.xlsx", {"DS": [
        VSS_HEADERS, vss_row(workers[1], certificate="BV-2026-000999")]})
    r = cli("--json", "claims", "import", changed)
    assert r.code == 0 and (r.json["added"], r.json["updated"]) == (0, 1)
    assert [c["certificate"] for c in claims(cli)] == ["BV-2026-000999"]
    assert cli("claims", "declare", "03/2026").code == 0
    r = cli("claims", "import", path)
    assert r.code == 1
    assert "Dòng 2, cột F (Loại nhóm hưởng): yêu cầu này (#1: cùng người, chế độ và ngày " \
           "nghỉ) đã nằm trong hồ sơ 2 (Nháp); tệp nhập không sửa được nó." in r.err
    assert [c["certificate"] for c in claims(cli)] == ["BV-2026-000999"]


def test_a_file_without_the_claim_columns_is_refused(cli, tmp_path):
    assert cli("demo", "--workers", "2", "--no-claims").code == 0
    path = write_csv(tmp_path / "ds.csv", [["Họ và tên", "Từ ngày", "Đến ngày", "Phòng ban"],
                                           ["A", "02/03/2026", "06/03/2026", "B"]])
    r = cli("claims", "import", path)
    assert r.code == 1 and "Không có cột nào chứa mã số BHXH" in r.err
    assert "Cột chưa nhận ra: Phòng ban." in r.err
    r = cli("claims", "import", tmp_path / "khong-co.xlsx")
    assert r.code == 1 and "Không tìm thấy tệp" in r.err


# -- months of contribution ----------------------------------------------------------------

HISTORY = ["Mã số BHXH", "Họ và tên", "Từ tháng", "Đến tháng", "Mức lương"]


def stints(cli, worker: str) -> list[tuple]:
    info = cli("--json", "claims", "history", worker).json
    return [(s["from"], s["to"], s["salary"], s["source"]) for s in info["stints"]]


def test_months_of_contribution_from_hr_records(cli, tmp_path):
    assert cli("demo", "--workers", "4", "--no-claims").code == 0
    w = {x["id"]: x for x in cli("--json", "workers", "list").json}
    path = write_xlsx(tmp_path / "qua-trinh.xlsx", {"QT": [
        ["QUÁ TRÌNH ĐÓNG BHXH"], [],
        ["STT", "Số CMND", "Họ và tên", "Từ tháng", "Đến tháng", "Mức lương (đồng)"],
        [1, w[1]["cccd"], w[1]["full_name"], "01/2019", "12/2025", "8.000.000"],
        [2, w[1]["cccd"], w[1]["full_name"], date(2026, 1, 1), None, 10_000_000],
        [3, w[2]["cccd"], w[2]["full_name"], "06/2020", "", 9_000_000]]})
    r = cli("claims", "history", "import", path)
    assert r.code == 0, r.err
    assert "Đã nhập 3 dòng: quá trình đóng của 2 người lao động." in r.out
    assert stints(cli, "#1") == [("01/2019", "12/2025", 8_000_000, "import"),
                                 ("01/2026", None, 10_000_000, "import")]
    info = cli("--json", "claims", "history", "#1").json
    assert (info["months"], info["salary_base"], info["average_6"]) == (
        95, 10_000_000, 10_000_000)
    # again: the same months, nothing doubled
    r = cli("--json", "claims", "history", "import", path)
    assert r.code == 0 and (r.json["added"], r.json["unchanged"], r.json["workers"]) == (0, 3, 2)
    assert len(stints(cli, "#1")) == 2


def test_a_worker_with_a_bad_row_keeps_the_months_stored_before(cli, tmp_path):
    assert cli("demo", "--workers", "4", "--no-claims").code == 0
    w = {x["id"]: x for x in cli("--json", "workers", "list").json}
    good = write_csv(tmp_path / "qt.csv", [HISTORY,
                                           [w[1]["bhxh_number"], "", "01/2019", "", 8_000_000],
                                           [w[2]["bhxh_number"], "", "01/2020", "", 7_000_000]])
    assert cli("claims", "history", "import", good).code == 0
    bad = write_csv(tmp_path / "qt2.csv", [
        HISTORY,
        [w[1]["bhxh_number"], "", "01/2019", "12/2024", 8_000_000],  # 2
        [w[1]["bhxh_number"], "", "06/2024", "", 9_000_000],  # 3: overlaps row 2
        [w[2]["bhxh_number"], "", "01/2021", "", ""],  # 4: no salary
        [w[3]["bhxh_number"], "", "13/2021", "", 5_000_000],  # 5: no such month
        [w[4]["bhxh_number"], "", "03/2022", "01/2022", 5_000_000],  # 6: backwards
        ["0100000099", "", "01/2022", "", 5_000_000],  # 7: nobody
    ])
    report = tmp_path / "loi.xlsx"
    r = cli("claims", "history", "import", bad, "--report", report)
    assert r.code == 1
    for line in ["Dòng 2: chưa lưu: dòng 3 của cùng người lao động có lỗi",
                 "Dòng 3, cột C (Từ tháng): các tháng trùng với dòng 2 của cùng người lao động.",
                 "Dòng 4, cột E (Mức lương): chưa nhập (bắt buộc).",
                 "Dòng 5, cột C (Từ tháng): '13/2021' không phải tháng hợp lệ (mm/yyyy).",
                 "Dòng 6, cột D (Đến tháng): tháng kết thúc 01/2022 trước tháng bắt đầu 03/2022.",
                 "Dòng 7, cột A (Mã số BHXH): không tìm thấy người lao động '0100000099'."]:
        assert line in r.err, (line, r.err)
    assert "6 dòng có lỗi. Đã lưu quá trình đóng của 0 người lao động" in r.err
    assert stints(cli, "#1") == [("01/2019", None, 8_000_000, "import")]
    assert stints(cli, "#2") == [("01/2020", None, 7_000_000, "import")]
    assert stints(cli, "#3") == []
    sheet = load_workbook(report).worksheets[0]
    assert sheet.max_row == 7  # the header and the six failed rows, to fix and re-import


def test_a_birth_after_a_prenatal_rest_is_read_from_nghi_duong_thai(cli, tmp_path):
    """VSS's column "Nghỉ dưỡng thai" (x, có, 1 …) is the claim's prenatal rest: a mother
    with 27 months paid but only 3 of the 12 before the birth is then eligible (L41 art.
    50.3); the same row without it is saved with the rules' warning. "Con thứ hai" and
    "Nghỉ điều trị vô sinh" are read the same way; a value that is no yes or no is an
    error at its column."""
    workers = ready(cli, tmp_path)
    mother = workers[3]
    months = write_csv(tmp_path / "me.csv", [
        ["Mã số BHXH", "Họ và tên", "Từ tháng", "Đến tháng", "Mức lương"],
        [mother["bhxh_number"], mother["full_name"], "01/2023", "12/2024", 9_000_000],
        [mother["bhxh_number"], mother["full_name"], "12/2025", "02/2026", 9_000_000]])
    assert cli("claims", "history", "import", months).code == 0
    birth = {"kind": "sinh_con", "from_date": "10/03/2026", "to_date": "09/09/2026",
             "certificate": "", "child_birth_date": "10/03/2026", "child_count": 1,
             "heavy_work": ""}
    plain = write_xlsx(tmp_path / "plain.xlsx", {"DS": [VSS_HEADERS,
                                                         vss_row(mother, **birth)]})
    r = cli("--json", "claims", "import", plain, "--dry-run")
    assert r.code == 0 and r.json["warnings"] == 1
    (row,) = r.json["rows"]
    assert [(i["field"], i["code"], i["severity"]) for i in row["issues"]] == [
        ("child_birth_date", "claim_no_contribution", "warning")]
    rested = write_xlsx(tmp_path / "rested.xlsx", {"DS": [
        VSS_HEADERS, vss_row(mother, prenatal_rest="x", **birth)]})
    r = cli("--json", "claims", "import", rested)
    assert r.code == 0 and (r.json["added"], r.json["warnings"]) == (1, 0)
    (stored,) = claims(cli)
    assert (stored["prenatal_rest"], stored["infertility"], stored["second_child"]) == (
        True, False, False)
    assert stored["problems"] == [] and stored["expected_amount"] > 0
    # the two other facts, by their own headers, and a value that is no yes or no
    more = write_csv(tmp_path / "more.csv", [
        ["Mã số BHXH", "Loại chế độ", "Từ ngày", "Đến ngày", "Ngày sinh con", "Số con",
         "Con thứ hai", "Nghỉ điều trị vô sinh"],
        [workers[2]["bhxh_number"], "cha_nghi", "02/03/2026", "06/03/2026", "01/03/2026",
         "1", "có", ""],
        [workers[4]["bhxh_number"], "sinh_con", "02/03/2026", "01/09/2026", "02/03/2026",
         "1", "", "có lẽ"]])
    r = cli("claims", "import", more)
    assert r.code == 1
    assert "Dòng 3, cột H (Nghỉ điều trị vô sinh): 'có lẽ' không phải có hoặc không" in r.err
    father = [c for c in claims(cli) if c["worker_id"] == workers[2]["id"]]
    assert [(c["kind"], c["second_child"], c["infertility"]) for c in father] == [
        ("cha_nghi", True, False)]
