"""Cells read as the officer meant them: legacy fonts (TCVN3, VNI), decomposed text and
stray spaces; identifiers that lost their leading zeros; amounts written every way; dates
as serials, text, month/year and bare years; blank and total rows."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ibhxh_client.catalog import load_catalog
from ibhxh_client.domain import ids
from ibhxh_client.domain.model import PartialDate, Period
from ibhxh_client.domain.text import unicode_to_tcvn3, unicode_to_vni
from ibhxh_client.importing.columns import Target
from ibhxh_client.importing.convert import (
    ID_LENGTHS,
    as_is_for,
    bulk_for,
    clean_text,
    code_reader,
    date_reader,
    gender_reader,
    id_reader,
    idcard_reader,
    money_reader,
    month_reader,
    partial_date_reader,
    read_column,
)
from ibhxh_client.services import importing as imp
from tests.test_import_files import stored, write_csv, write_xls, write_xlsx

NAMES = ["Nguyễn Thị Hương", "Trần Văn Đức", "Lê Hoàng Yến", "Phạm Quốc Việt",
         "Đặng Thùy Dương"]
ADDRESSES = ["12 Nguyễn Huệ, Phường Sài Gòn", "45 Lê Lợi, Phường Bến Thành",
             "7 Trần Hưng Đạo, Phường Hoàn Kiếm", "3 Hùng Vương, Phường Ba Đình",
             "88 Điện Biên Phủ, Phường Hải Châu"]


def legacy_rows(encode):
    rows = [["Họ và tên", "Số CCCD", "Ngày sinh", "Giới tính", "Địa chỉ", "Chức vụ"]]
    for n, (name, address) in enumerate(zip(NAMES, ADDRESSES, strict=True), start=1):
        gender = "Nữ" if n % 2 else "Nam"
        rows.append([encode(name), ids.cccd_for("079", "F" if n % 2 else "M", 1980 + n, n),
                     f"01/02/{1980 + n}", encode(gender), encode(address),
                     encode("Kế toán viên")])
    return rows


@pytest.mark.parametrize("encoding,encode", [("TCVN3", unicode_to_tcvn3),
                                             ("VNI", unicode_to_vni)])
def test_legacy_font_files_are_converted_per_column(app, tmp_path, encoding, encode):
    rows = legacy_rows(encode)
    assert rows[1][0] != NAMES[0]  # really legacy bytes, not Unicode
    path = write_xlsx(tmp_path / f"{encoding}.xlsx", {"DS": rows})
    result = imp.import_workers(app, path)
    assert result.ok, [i.message() for i in result.problems]
    notes = [n.message() for n in result.notes]
    assert any(encoding in n and "Họ và tên" in n for n in notes), notes
    got = {w.full_name: w for w in stored(app)}
    assert sorted(got) == sorted(NAMES)
    for name, address in zip(NAMES, ADDRESSES, strict=True):
        assert got[name].address == address
        assert got[name].position == "Kế toán viên"
        assert unicodedata.is_normalized("NFC", got[name].full_name)
    assert got["Trần Văn Đức"].gender == "M" and got["Nguyễn Thị Hương"].gender == "F"


def test_tcvn3_csv_bytes(app, tmp_path):
    # A CSV saved from a .VnTime sheet: the font's bytes, read as Windows-1252.
    rows = legacy_rows(unicode_to_tcvn3)
    rows[0] = [unicode_to_tcvn3(h) for h in rows[0]]  # the header too, as it was typed
    path = tmp_path / "abc.csv"
    text = "\r\n".join(",".join(f'"{c}"' for c in row) for row in rows)
    path.write_bytes(text.encode("cp1252"))
    result = imp.import_workers(app, path)
    assert result.ok, [i.message() for i in result.problems]
    assert sorted(w.full_name for w in stored(app)) == sorted(NAMES)


def test_a_column_mixing_unicode_and_vni_is_converted_cell_by_cell(app, tmp_path):
    rows = legacy_rows(lambda s: s)
    rows[2][0] = unicode_to_vni(rows[2][0])  # one row retyped in VNI-Times years ago
    result = imp.import_workers(app, write_xlsx(tmp_path / "mix.xlsx", {"DS": rows}))
    assert result.ok
    assert sorted(w.full_name for w in stored(app)) == sorted(NAMES)
    assert any("VNI" in n.message() for n in result.notes)
    # A cell that is VNI in a column that is otherwise plain Unicode text is converted
    # on its own, with a warning.
    rows = legacy_rows(lambda s: s)
    rows[3][4] = "Soá " + unicode_to_vni(rows[3][4])
    rows[1][4] = "José Müller Straße"  # foreign words: neither Vietnamese nor legacy
    result = imp.import_workers(app, write_xlsx(tmp_path / "mix2.xlsx", {"DS": rows}))
    assert result.ok
    statuses = [r.status for r in result.rows]
    assert statuses.count("warning") == 1, [r.messages() for r in result.rows]


def test_only_text_a_legacy_font_could_make_is_suspected():
    # A legacy font's text arrives as the Windows-1252 reading of its bytes: a cell with
    # ư, ơ, ạ or Ł cannot be one, whatever its words; the others are still looked at.
    from ibhxh_client.importing.extract import column_legacy

    unicode_names = [*NAMES, "Łucja Wiśniewska", "Nguyễn Thị Hà"]
    assert column_legacy(unicode_names) is None
    assert column_legacy([*unicode_names, "José Müller"]) == "auto"
    assert column_legacy([unicode_to_tcvn3(n) for n in NAMES]) == "tcvn3"
    # Not one encoding for the whole column with a foreign name in it: cell by cell.
    assert column_legacy([unicode_to_vni(n) for n in NAMES] + ["Łucja"]) == "auto"


def test_decomposed_text_and_stray_spaces_but_names_kept_otherwise(app, tmp_path):
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hương")
    rows = [["Họ và tên", "Số CCCD", "Ngày sinh", "Giới tính"],
            [f"  {nfd}\u00a0 ", ids.cccd_for("001", "F", 1990, 1), "1990", " Nữ "],
            ["nguyễn  văn\u200b an", ids.cccd_for("001", "M", 1991, 2), "1991", "nam"],
            ["Mc Donald O'Neil", ids.cccd_for("001", "M", 1992, 3), "1992", "Nam"]]
    result = imp.import_workers(app, write_xlsx(tmp_path / "sp.xlsx", {"S": rows}))
    assert result.ok, [i.message() for i in result.problems]
    names = sorted(w.full_name for w in stored(app))
    # Composed and trimmed; the case an officer typed is not "corrected".
    assert names == ["Mc Donald O'Neil", "Nguyễn Thị Hương", "nguyễn văn an"]


# -- identifiers -----------------------------------------------------------------------------

def test_leading_zeros_restored_only_when_the_padded_value_passes():
    bhxh = id_reader("bhxh")
    assert bhxh(123456789) == ("0123456789", ("import_zeros_restored",
                                              {"value": "0123456789"}, "warning"))
    assert bhxh(123456789.0)[0] == "0123456789"
    assert bhxh("123456789")[0] == "0123456789"  # a CSV saved after Excel ate the zero
    assert bhxh(7912345678) == ("7912345678", None)
    assert bhxh("'0123456789") == ("0123456789", None)
    cccd = id_reader("cccd")
    number = ids.cccd_for("001", "F", 1990, 42)  # 001190000042
    assert cccd(int(number))[0] == number
    # 12 digits would start with province 000: not a CCCD, so nothing is invented.
    assert cccd(190000042) == ("190000042", None)
    assert cccd(1234567.5)[1][0] == "import_number_mangled"
    assert cccd("1,23457E+11")[1][0] == "import_number_mangled"
    assert cccd(" 001 190 000 042 ")[0] == "001190000042"
    phone = id_reader("phone")
    assert phone(912345678)[0] == "0912345678"
    assert phone("0912.345.678") == ("0912345678", None)
    kcb = id_reader("kcb")
    assert kcb(1001)[0] == "01001"
    card = idcard_reader()
    assert card(12345678)[0] == ("cmnd", "012345678")
    assert card(int(number))[0] == ("cccd", number)


def test_zeros_restored_only_where_excel_could_have_dropped_them():
    # Excel takes from a number only the zeros it starts with: one for a BHXH number
    # (its province code is never 00), so 12345 is an error, not 0000012345.
    bhxh = id_reader("bhxh")
    assert bhxh(12345) == ("12345", None)
    assert bhxh(12345678) == ("12345678", None)
    assert bhxh("012345678") == ("012345678", None)  # text that kept a zero lost a digit
    assert ids.check_bhxh(bhxh(12345)[0]) == "length"
    # A CCCD: 0 and a province code first; 11 digits get one zero back only when they
    # make one (079 yes, 097 no), and Hà Nội's 001 both of its zeros.
    cccd = id_reader("cccd")
    hcm = ids.cccd_for("079", "M", 2001, 1234)
    assert cccd(int(hcm)) == (hcm, ("import_zeros_restored", {"value": hcm}, "warning"))
    assert cccd(97185012345) == ("97185012345", None)
    assert cccd(3185012345) == ("3185012345", None)
    assert ids.check_cccd(cccd(97185012345)[0]) == "length"
    # A tax code gets its zero back only when the check digit then holds.
    tax = id_reader("tax_code")
    assert tax(312345673) == ("0312345673", ("import_zeros_restored",
                                             {"value": "0312345673"}, "warning"))
    assert tax(312345678) == ("312345678", None)
    assert tax("0312345673-001") == ("0312345673-001", None)
    cmnd, kcb = id_reader("cmnd"), id_reader("kcb")
    assert cmnd(1234567) == ("1234567", None)
    assert kcb(3001) == ("3001", None)
    card = idcard_reader()
    assert card(1234567) == (("cccd", "1234567"), None)  # neither: left for the check


ID_CELLS = st.one_of(
    st.integers(0, 10**13), st.integers(-5, 5),
    st.integers(0, 10**13).map(float), st.sampled_from([1.5, 1e20, float("inf")]),
    st.text(alphabet="0123456789", max_size=13), st.sampled_from(["", " ", "12 345", "x"]),
)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(ID_LENGTHS)), st.lists(ID_CELLS, max_size=30))
def test_a_column_read_at_once_is_read_as_cell_by_cell(check, cells):
    # The bulk reading of a column of identifiers (whole numbers turned into digits at
    # once, zeros put back) gives what each cell gives on its own.
    read = id_reader(check)
    target = Target("x", "id", {"vi": "x", "en": "x"}, (), ("workers",), check=check)
    values, issues = read_column(read, cells, bulk_for(target), as_is=as_is_for(target))
    one_by_one = [read(c) for c in cells]
    assert values == [v for v, _ in one_by_one]
    assert issues == {k: i for k, (_, i) in enumerate(one_by_one) if i}


def test_numbers_stored_without_zeros_in_a_real_file(app, tmp_path):
    number = ids.cccd_for("001", "M", 1988, 7)
    rows = [["Họ và tên", "Mã số BHXH", "Số CCCD", "Ngày sinh", "Giới tính"],
            ["Đinh Văn Hòa", 112345678, int(number), 1988, "Nam"],
            ["Kiều Thị Lan", 11234567, 99, 1990, "Nữ"]]
    result = imp.import_workers(app, write_xls(tmp_path / "z.xls", {"S": rows}))
    assert [r.status for r in result.rows] == ["warning", "error"]
    first, second = result.rows
    assert {i.code for i in first.issues} == {"import_zeros_restored"}
    assert {(i.target, i.column.letter) for i in second.issues} >= {("bhxh_number", "B"),
                                                                    ("cccd", "C")}
    (w,) = stored(app)
    assert (w.bhxh_number, w.cccd) == ("0112345678", number)


# -- amounts -------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", [10000000, 10000000.0, "10.000.000", "10,000,000",
                                  "10 000 000", "10000000", "10.000.000 đ", "10.000.000đ",
                                  "10,000,000 VND", "10.000.000,00", "10000000.00",
                                  "10\u00a0000\u00a0000"])
def test_every_way_of_writing_a_salary(cell):
    assert money_reader()(cell) == (10_000_000, None)


@pytest.mark.parametrize("cell,code", [("10.5", "import_not_whole"), (10.5, "import_not_whole"),
                                       ("mười triệu", "not_number")])
def test_amounts_that_are_not_whole_dong(cell, code):
    value, issue = money_reader()(cell)
    assert isinstance(value, str) and (issue[0] if issue else None) == code


def test_salaries_in_a_file(app, tmp_path):
    rows = [["Họ và tên", "Số CCCD", "Ngày sinh", "Giới tính", "Mức lương"]]
    for n, salary in enumerate(["10.000.000", "10,000,000", 10000000, "abc"], start=1):
        rows.append([f"Người Số {'ABCD'[n - 1]}", ids.cccd_for("001", "M", 1990, n), "1990",
                     "Nam", salary])
    result = imp.import_workers(app, write_csv(tmp_path / "s.csv", rows))
    assert [r.status for r in result.rows] == ["imported"] * 3 + ["error"]
    assert {w.salary for w in stored(app)} == {10_000_000}
    (issue,) = result.rows[3].issues
    assert issue.column.letter == "E" and "abc" in issue.message()


# -- dates ---------------------------------------------------------------------------------

@pytest.mark.parametrize("cell,expected", [
    (date(1990, 5, 1), PartialDate(1990, 5, 1)),
    (datetime(1990, 5, 1, 0, 0), PartialDate(1990, 5, 1)),
    (32994, PartialDate(1990, 5, 1)),  # serial number
    (32994.0, PartialDate(1990, 5, 1)),
    ("01/05/1990", PartialDate(1990, 5, 1)), ("1/5/1990", PartialDate(1990, 5, 1)),
    ("01-05-1990", PartialDate(1990, 5, 1)), ("01.05.1990", PartialDate(1990, 5, 1)),
    ("1990-05-01", PartialDate(1990, 5, 1)), ("1990-05-01 00:00:00", PartialDate(1990, 5, 1)),
    ("05/1990", PartialDate(1990, 5)), ("5/1990", PartialDate(1990, 5)),
    ("1990", PartialDate(1990)), (1990, PartialDate(1990)), (1990.0, PartialDate(1990)),
])
def test_birth_dates_every_way(cell, expected):
    assert partial_date_reader()(cell) == (expected, None)


@pytest.mark.parametrize("cell", ["32/01/1990", "1990/13", "năm 90", "00/1990"])
def test_unreadable_birth_dates_are_errors_with_the_forms_message(cell):
    value, issue = partial_date_reader()(cell)
    assert value == cell and issue == ("bad_partial_date", {"value": cell}, "error")


def test_bad_birth_date_reported_by_the_form_check(app, tmp_path):
    rows = [["Họ và tên", "Số CCCD", "Ngày sinh", "Giới tính"],
            ["Ngô Văn B", ids.cccd_for("001", "M", 1990, 1), "32/01/1990", "Nam"]]
    result = imp.import_workers(app, write_xlsx(tmp_path / "d.xlsx", {"S": rows}))
    (issue,) = result.rows[0].issues
    assert issue.code == "bad_partial_date" and issue.column.letter == "C"
    assert "32/01/1990" in issue.message() and "dd/mm/yyyy" in issue.message()


@pytest.mark.parametrize("cell,expected", [
    ("01/2026", Period(2026, 1)), ("1/2026", Period(2026, 1)), ("2026-01", Period(2026, 1)),
    (date(2026, 1, 15), Period(2026, 1)), (46023, Period(2026, 1)),
    ("Tháng 01/2026", Period(2026, 1)), ("15/01/2026", Period(2026, 1))])
def test_months(cell, expected):
    assert month_reader()(cell) == (expected, None)


def test_decision_dates():
    read = date_reader()
    assert read("05/01/2026") == (date(2026, 1, 5), None)
    assert read(46027) == (date(2026, 1, 5), None)
    assert read("5 tháng 1")[0] == "5 tháng 1"


# -- codes ---------------------------------------------------------------------------------

def test_codes_by_code_name_or_drop_down_text():
    lists = load_catalog().codelists
    ethnicity = code_reader(lists["ethnicities"])
    assert ethnicity("Kinh")[0] == ethnicity(1)[0] == ethnicity("01")[0] == "01"
    assert ethnicity("01 - Kinh")[0] == "01" and ethnicity("kinh")[0] == "01"
    nationality = code_reader(lists["nationalities"])
    assert nationality("Việt Nam")[0] == nationality("VNM")[0] == nationality("vn")[0] == "VN"
    province = code_reader(lists["provinces"])
    assert province("TP. Hồ Chí Minh")[0] == province("Hồ Chí Minh")[0] == "79"
    assert province(1)[0] == "01" and province("Thành phố Hà Nội")[0] == "01"
    plan = code_reader(lists["plan_codes"])
    assert plan("TM - Tăng mới")[0] == plan("tăng mới")[0] == plan("TM")[0] == "TM"
    assert plan("XX") == ("XX", None)  # left for the form check ("not in the list")
    gender = gender_reader(lists["genders"])
    assert [gender(x)[0] for x in ("Nam", "NỮ", "nu", "F", "Male", unicode_to_tcvn3("Nữ"),
                                   unicode_to_vni("Nữ"))] == ["M", "F", "F", "F", "M", "F", "F"]
    assert gender("Khác")[1][0] == "import_bad_gender"


def test_clean_text_keeps_letters():
    assert clean_text("  Ông  Văn\tBa ") == "Ông Văn Ba"
    assert clean_text(12.0) == "12"
    assert clean_text(None) == ""


# -- blank and total rows --------------------------------------------------------------------

def test_blank_total_and_signature_rows_are_ignored(app, tmp_path):
    c = [ids.cccd_for("001", "F", 1990, n) for n in (1, 2)]
    rows = [["STT", "Họ và tên", "Số CCCD", "Ngày sinh", "Giới tính", "Mức lương"],
            [1, "Lâm Thị Út", c[0], "1990", "Nữ", 6_000_000],
            [2, None, None, None, None, None],  # numbered but empty
            [None, None, None, None, None, None],
            [3, "Phan Thị Vân", c[1], "1990", "Nữ", 7_000_000],
            [None, "TỔNG CỘNG", None, None, None, 13_000_000],
            [None, "Cộng", None, None, None, 13_000_000],
            [None, None, None, None, None, 13_000_000],  # a sum without a label
            [None, "Ngày 05 tháng 01 năm 2026", None, None, None, None],
            [None, "Người lập biểu", None, None, "Kế toán trưởng", None]]
    result = imp.import_workers(app, write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
    assert result.ok, [i.message() for i in result.problems]
    assert (result.added, result.skipped, len(result.rows)) == (2, 7, 2)
    assert [r.row for r in result.rows] == [2, 5]
