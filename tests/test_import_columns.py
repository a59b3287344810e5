"""Columns found by meaning: synonyms with or without diacritics, two-line headers with
merged cells, a title block above; what is not recognised is given by a mapping, which is
remembered per layout."""

from __future__ import annotations

import json

import pytest

from ibhxh_client.catalog import load_catalog
from ibhxh_client.domain import ids
from ibhxh_client.importing.columns import HeaderMatcher, header_key, targets_for
from ibhxh_client.services import importing as imp
from ibhxh_client.services.app import UserError
from tests.test_import_files import stored, write_csv, write_ods, write_xls, write_xlsx


@pytest.fixture(scope="module")
def matcher():
    catalog = load_catalog()
    return HeaderMatcher(targets_for(catalog, "workers"), catalog)


@pytest.mark.parametrize("header,target", [
    ("Họ và tên", "full_name"), ("HỌ VÀ TÊN", "full_name"), ("ho va ten", "full_name"),
    ("HoTen", "full_name"), ("Họ tên người lao động", "full_name"),
    ("Mã số BHXH", "bhxh_number"), ("MasoBHXH", "bhxh_number"), ("MA SO BHXH", "bhxh_number"),
    ("ma_so_bhxh", "bhxh_number"), ("Số sổ BHXH", "bhxh_number"),
    ("Số CCCD", "cccd"), ("CCCD", "cccd"), ("so cccd", "cccd"),
    ("[06] Số CCCD/ĐDCN/Hộ chiếu", "cccd"),
    ("CMND", "cmnd"), ("Số CMND", "cmnd"), ("CMND/CCCD", "idcard"),
    ("Ngày sinh", "birth_date"), ("Ngày, tháng, năm sinh", "birth_date"),
    ("NGAY SINH (dd/mm/yyyy)", "birth_date"), ("Giới tính", "gender"), ("GIOI TINH", "gender"),
    ("Mức lương", "salary"), ("Mức lương (đồng)", "salary"),
    ("Mức lương đóng BHXH tháng 01/2026", "salary"), ("Phương án", "plan"),
    ("PhuongAn", "plan"), ("Dân tộc", "ethnicity"), ("Quốc tịch", "nationality"),
    ("(5) Điện thoại", "phone"), ("Full name", "full_name"), ("Date of birth", "birth_date"),
    ("Họ đệm", "family_name"), ("Tên", "given_name"),
    # A header typed in .VnTime (TCVN3) is read too.
    ("Hä vµ tªn", "full_name"),
])
def test_headers_are_matched_by_meaning(matcher, header, target):
    assert matcher.match(header)[0] == target


@pytest.mark.parametrize("header", ["Mã nhân viên", "Phòng ban", "", "Số tài khoản"])
def test_unknown_headers_match_nothing(matcher, header):
    assert matcher.match(header) is None


def test_header_key_ignores_case_accents_and_punctuation():
    assert header_key("Mã số BHXH") == header_key("MaSoBHXH") == header_key("ma_so_bhxh") \
        == "masobhxh"


def two_line_rows():
    c1 = ids.cccd_for("001", "F", 1991, 1)
    c2 = ids.cccd_for("001", "M", 1987, 2)
    return [
        ["CÔNG TY CỔ PHẦN HOA SEN", None, None, None, None, None, None],
        ["DANH SÁCH LAO ĐỘNG THAM GIA BHXH", None, None, None, None, None, None],
        [None] * 7,
        ["STT", "Họ và tên", "Mã số BHXH", "Giấy tờ tùy thân", None, "Ngày sinh", "Giới tính"],
        [None, None, None, "Số CCCD", "Số CMND", None, None],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        [1, "Hoàng Thị Mai", "0101234567", c1, None, "03/1991", "Nữ"],
        [2, "Võ Văn Toàn", None, c2, "012345678", "1987", "Nam"],
        [None, "Tổng cộng", None, None, None, None, None],
        [None] * 7,
        [None, "Người lập biểu", None, None, None, "Thủ trưởng đơn vị", None],
    ]


def check_two_line(app, path):
    analysis = imp.analyse(app, path)
    assert analysis.header_rows == (4, 5)
    targets = {c.letter: c.target for c in analysis.columns}
    assert targets == {"A": "stt", "B": "full_name", "C": "bhxh_number", "D": "cccd",
                       "E": "cmnd", "F": "birth_date", "G": "gender"}
    assert analysis.columns[3].header == "Giấy tờ tùy thân / Số CCCD"
    result = imp.import_workers(app, analysis)
    assert result.ok, [i.message() for i in result.problems]
    assert (result.added, result.skipped) == (2, 3)  # total, blank and signature rows
    by_name = {w.full_name: w for w in stored(app)}
    assert str(by_name["Hoàng Thị Mai"].birth_date) == "03/1991"
    assert str(by_name["Võ Văn Toàn"].birth_date) == "1987"
    assert by_name["Võ Văn Toàn"].cmnd == "012345678"


def test_two_line_header_with_merged_cells_xlsx(app, tmp_path):
    path = write_xlsx(tmp_path / "two.xlsx", {"DS": two_line_rows()},
                      merged={"DS": ["A1:G1", "A4:A5", "B4:B5", "C4:C5", "D4:E4", "F4:F5",
                                     "G4:G5"]}, text_columns=(2, 3, 4))
    check_two_line(app, path)


def test_error_report_of_a_two_line_header_reads_back(app, tmp_path):
    from openpyxl import load_workbook

    rows = two_line_rows()
    rows[6][5] = "30/02/1991"
    path = write_xlsx(tmp_path / "two.xlsx", {"DS": rows}, merged={"DS": ["D4:E4"]})
    report = tmp_path / "loi.xlsx"
    result = imp.import_workers(app, path, report=report)
    assert result.failed == 1 and result.added == 1
    wb = load_workbook(report)
    header = [c.value for c in wb.worksheets[0][1]][:7]
    assert header == ["STT", "Họ và tên", "Mã số BHXH", "Số CCCD", "Số CMND", "Ngày sinh",
                      "Giới tính"]
    wb.worksheets[0]["F2"].value = "03/1991"
    wb.save(report)
    again = imp.import_workers(app, report)
    assert again.ok and again.added == 1


def test_two_line_header_with_merged_cells_xls(app, tmp_path):
    path = write_xls(tmp_path / "two.xls", {"DS": two_line_rows()},
                     merged={"DS": [(3, 4, 0, 0), (3, 4, 1, 1), (3, 4, 2, 2), (3, 3, 3, 4),
                                    (3, 4, 5, 5), (3, 4, 6, 6)]})
    check_two_line(app, path)


def test_two_line_header_without_merge_information_ods_and_csv(app, tmp_path):
    # calamine gives no merged ranges for .ods, and CSV has none: the group title
    # stands over the blank cells after it.
    path = write_ods(tmp_path / "two.ods", {"DS": two_line_rows()}, spans={"DS": {(3, 3): 2}})
    check_two_line(app, path)


def test_two_line_header_csv(app, tmp_path):
    path = write_csv(tmp_path / "two.csv", two_line_rows())
    check_two_line(app, path)


def test_split_name_and_id_card_columns(app, tmp_path):
    cccd = ids.cccd_for("079", "M", 1990, 5)
    rows = [["Họ đệm", "Tên", "Số CMND/CCCD", "Ngày sinh", "Giới tính", "Mã BHXH"],
            ["Nguyễn Văn", "Bình", cccd, "01/01/1990", "Nam", None],
            ["Lê Thị", "Hồng", "023456789", "1975", "Nữ", "0212345678"]]
    result = imp.import_workers(app, write_xlsx(tmp_path / "s.xlsx", {"S": rows}))
    assert result.ok, [i.message() for i in result.problems]
    by_name = {w.full_name: w for w in stored(app)}
    assert by_name["Nguyễn Văn Bình"].cccd == cccd
    assert by_name["Lê Thị Hồng"].cmnd == "023456789" and by_name["Lê Thị Hồng"].cccd == ""


def unknown_layout(tmp_path, name="la.xlsx"):
    rows = [["Mã NV", "Tên nhân viên đầy đủ", "Căn cước", "Sinh nhật", "Nam/Nữ", "Bộ phận"],
            ["NV01", "Trịnh Công Sơn", ids.cccd_for("046", "M", 1979, 9), "28/02/1979", "Nam",
             "Kho"]]
    return write_xlsx(tmp_path / name, {"S": rows})


def test_unmatched_columns_are_asked_for_then_remembered(app, tmp_path):
    path = unknown_layout(tmp_path)
    analysis = imp.analyse(app, path)
    assert [c.header for c in analysis.unmatched] == ["Mã NV", "Tên nhân viên đầy đủ",
                                                      "Sinh nhật", "Bộ phận"]
    assert [t.name for t in analysis.missing] == ["full_name", "birth_date"]
    # What a dialog asks with the choices so far: a CMND/CCCD column is an identity too.
    assert [t.name for t in analysis.missing_with({"gender", "birth_date"})] == [
        "bhxh_number", "full_name"]
    assert analysis.missing_with({"idcard", "full_name", "gender", "birth_date"}) == []
    with pytest.raises(UserError) as err:
        imp.import_workers(app, path)
    assert err.value.code == "import_unmatched"
    message = err.value.message()
    assert "Họ và tên" in message and "Sinh nhật" in message and "--mapping" in message
    # The mapping file: by header, by letter, by a field's label; null ignores a column.
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"Tên nhân viên đầy đủ": "full_name", "D": "Ngày sinh",
                                   "Mã NV": None, "F": None}, ensure_ascii=False), "utf-8")
    result = imp.import_workers(app, path, mapping=mapping)
    assert result.ok and result.added == 1
    assert stored(app)[0].full_name == "Trịnh Công Sơn"
    # Another file of the same layout needs no mapping any more.
    again = imp.analyse(app, unknown_layout(tmp_path, "lb.xlsx"))
    assert again.matched["full_name"].how == "remembered" and not again.missing
    assert not again.unmatched
    assert list((app.data_dir / "mappings").glob("*.json"))


def test_mapping_from_a_dialog_by_column_index(app, tmp_path):
    analysis = imp.analyse(app, unknown_layout(tmp_path))
    choices = {c.index: None for c in analysis.unmatched}
    choices.update({1: "full_name", 3: "birth_date"})
    result = imp.import_workers(app, analysis, mapping=choices, remember=False)
    assert result.ok and result.added == 1
    assert not (app.data_dir / "mappings").exists()


@pytest.mark.parametrize("content,expected", [
    ('{"Không có cột này": "full_name"}', "Không có cột này"),
    ('{"B": "mau_sac"}', "mau_sac"),
    ('{"B": "full_name", "D": "full_name"}', "full_name"),
    ('[1, 2]', "column"),
    ('{"B": ', "map.json"),
])
def test_bad_mapping_files_are_usage_errors(app, tmp_path, content, expected):
    mapping = tmp_path / "map.json"
    mapping.write_text(content, encoding="utf-8")
    with pytest.raises(UserError) as err:
        imp.import_workers(app, unknown_layout(tmp_path), mapping=mapping)
    assert err.value.code == "import_bad_mapping" and err.value.exit_code == 2
    assert expected in err.value.message() and "map.json" in err.value.message()


def test_mapping_file_in_toml(app, tmp_path):
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\n"Tên nhân viên đầy đủ" = "Họ và tên"\n'
                       '"Sinh nhật" = "birth_date"\n', encoding="utf-8")
    result = imp.import_workers(app, unknown_layout(tmp_path), mapping=mapping)
    assert result.ok and result.added == 1


def test_no_identity_column_is_refused(app, tmp_path):
    rows = [["Họ và tên", "Ngày sinh", "Giới tính"], ["Lý Thị Na", "1990", "Nữ"]]
    with pytest.raises(UserError) as err:
        imp.import_workers(app, write_xlsx(tmp_path / "n.xlsx", {"S": rows}))
    assert err.value.code == "import_no_identity"


def test_analysis_for_a_dialog_is_plain_data(app, tmp_path):
    data = imp.analyse(app, unknown_layout(tmp_path)).to_dict()
    assert data["sheet"] == "S" and data["header_rows"] == [1]
    assert data["columns"][2] == {"index": 2, "letter": "C", "header": "Căn cước",
                                  "target": "cccd", "how": "exact"}
    json.dumps(data)
