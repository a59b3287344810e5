"""Spreadsheets out: the fill-in template with drop-down lists, workers and declarations
to .xlsx (read back by the importer), and no cell that a spreadsheet would run."""

from __future__ import annotations

import zipfile

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from ibhxh_client.domain import ids
from ibhxh_client.domain.model import PartialDate, Worker
from ibhxh_client.importing.xlsx import is_formula_like
from ibhxh_client.services import importing as imp
from ibhxh_client.services.app import UserError
from ibhxh_client.storage import repo
from tests.test_import_files import stored

NASTY = ['=HYPERLINK("http://example.invalid","bấm")', "+84912345678", "-2+3",
         "@SUM(A1:A2)", "=1+1", "＝1+1"]


def sheet_xml(path, name="xl/worksheets/sheet1.xml") -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def test_template_d02_has_drop_downs_and_text_identifiers(app, tmp_path):
    out = imp.write_template(app, "d02", tmp_path / "mau.xlsx")
    wb = load_workbook(out)
    ws = wb["D02-LT"]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["STT", "Họ và tên", "Mã số BHXH", "Số CCCD", "Ngày sinh", "Giới tính"]
    assert "Phương án" in header and "Từ tháng" in header
    lists = wb["DanhMuc"]
    assert lists.sheet_state == "hidden"
    rules = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    plan_col = "ABCDEFGHIJKLMNOP"[header.index("Phương án")]
    plan_rule = rules[f"{plan_col}2:{plan_col}2001"]
    assert plan_rule.startswith("=DanhMuc!$")
    first = plan_rule.split("!")[1].split(":")[0].replace("$", "")
    values = [c.value for c in lists[first[0]]][1:]
    assert "TM - Tăng mới" in values and len(values) == 12
    gender_col = "ABCDEFGHIJKLMNOP"[header.index("Giới tính")]
    assert f"{gender_col}2:{gender_col}2001" in rules
    assert ws.column_dimensions["C"].number_format == "@"  # BHXH numbers stay text
    # The empty template is read back as a known layout.
    analysis = imp.analyse(app, out, use="lines")
    assert analysis.sheet == "D02-LT" and not analysis.unmatched
    with pytest.raises(UserError):
        imp.write_template(app, "d99", tmp_path / "x.xlsx")


def test_filled_template_imports_workers_and_lines(app, tmp_path):
    out = imp.write_template(app, "workers", tmp_path / "tk1.xlsx")
    wb = load_workbook(out)
    ws = wb.active
    header = [c.value for c in ws[1]]
    row = {"Họ và tên": "Châu Ngọc Trâm", "Số CCCD": ids.cccd_for("079", "F", 1996, 3),
           "Ngày sinh": "08/1996", "Giới tính": "Nữ", "Dân tộc": "01 - Kinh",
           "Quốc tịch": "VN - Việt Nam", "Tỉnh/thành phố (địa chỉ)": "79 - TP. Hồ Chí Minh",
           "Mức lương": 12_500_000}
    for col, name in enumerate(header, start=1):
        if name in row:
            ws.cell(row=2, column=col, value=row[name])
    wb.save(out)
    result = imp.import_workers(app, out)
    assert result.ok, [i.message() for i in result.problems]
    (w,) = stored(app)
    assert (w.ethnicity, w.nationality, w.address_province, str(w.birth_date)) == (
        "01", "VN", "79", "08/1996")


def nasty_workers(app):
    with app.db.transaction() as conn:
        repo.add_workers(conn, [
            Worker("Hồ Văn Nam", "M", PartialDate(1985, 2), bhxh_number="0123456789",
                   cccd=ids.cccd_for("001", "M", 1985, 1), position=NASTY[0],
                   address=NASTY[1], birth_place=NASTY[2], salary=7_000_000),
            Worker("Kha Thị Oanh", "F", PartialDate(1999), cccd=ids.cccd_for("002", "F", 1999, 2),
                   position=NASTY[3], address=NASTY[4], birth_place=NASTY[5])])


def test_workers_export_is_formula_safe_and_reads_back(app, tmp_path):
    nasty_workers(app)
    out = tmp_path / "nld.xlsx"
    assert imp.export_workers(app, out) == 2
    xml = sheet_xml(out)
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere
    ws = load_workbook(out).active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)
             and is_formula_like(c.value)]
    assert {c.value for c in cells} >= set(NASTY) - {"＝1+1"}
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    read = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    flat = {v for row in read for v in row}
    assert set(NASTY) <= flat and "0123456789" in flat  # leading zero kept, as text
    before = {w.cccd: w for w in stored(app)}
    # Exported, then imported again: the same workers, unchanged, nothing added.
    result = imp.import_workers(app, out)
    assert result.ok, [i.message() for i in result.problems]
    assert (result.added, result.unchanged) == (0, 2)
    assert {w.cccd: w for w in stored(app)} == before
    with app.db.reading() as conn:
        assert repo.list_processing(conn)[0]["action"] == "export"


def test_error_report_is_formula_safe(app, tmp_path):
    from tests.test_import_files import write_csv

    rows = [["Họ và tên", "Số CCCD", "Ngày sinh", "Giới tính", "Chức vụ"],
            ["=cmd|' /C calc'!A0", "1", "1990", "Nam", "\t@SUM(1,2)"]]
    report = tmp_path / "r.xlsx"
    imp.import_workers(app, write_csv(tmp_path / "x.csv", rows), report=report)
    for name in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):
        xml = sheet_xml(report, name)
        assert "<f>" not in xml and "<f " not in xml
    ws = load_workbook(report).worksheets[0]
    assert ws["A2"].value == "=cmd|' /C calc'!A0" and ws["A2"].quotePrefix
    assert ws["E2"].value == "@SUM(1,2)" and ws["E2"].quotePrefix  # trimmed, still safe


def test_declaration_export_reads_back_as_lines(demo_app, tmp_path):
    out = tmp_path / "d02.xlsx"
    count = imp.export_declaration(demo_app, demo_app.demo_id, out)
    assert count == 25
    ws = load_workbook(out).active
    assert "Sao Mai" in ws["A1"].value
    requests = imp.line_requests(demo_app, out)
    assert len(requests) == 25
    assert all(r.plan == "TM" and r.from_month for r in requests)
    with demo_app.db.reading() as conn:
        assert repo.list_processing(conn)[-1]["detail"].startswith(f"dossier {demo_app.demo_id}")
