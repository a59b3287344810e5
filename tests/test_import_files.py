"""Importing workers from real spreadsheet files that the tests write: .xlsx (openpyxl),
.xls (xlwt), .ods (odfpy) and CSV in UTF-8 (with and without BOM) and Windows-1258.

The writers here are shared by the other tests of the importer."""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from ibhxh_client.domain import ids
from ibhxh_client.services import importing as imp
from ibhxh_client.services.app import UserError
from ibhxh_client.storage import repo

Rows = list[list[Any]]

# -- writers ------------------------------------------------------------------------------


def write_xlsx(path: Path, sheets: dict[str, Rows], merged: dict[str, list[str]] | None = None,
               text_columns: tuple[int, ...] = ()) -> Path:
    """One sheet per entry; ``merged`` as Excel ranges ("D1:E1") per sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, datetime | date):
                    cell.number_format = "dd/mm/yyyy"
                if c - 1 in text_columns:
                    cell.number_format = "@"
        for rng in (merged or {}).get(name, []):
            ws.merge_cells(rng)
    wb.save(path)
    return path


def write_xls(path: Path, sheets: dict[str, Rows],
              merged: dict[str, list[tuple[int, int, int, int]]] | None = None) -> Path:
    """Excel 97 (.xls) through xlwt; ``merged`` as (row1, row2, col1, col2), 0-based."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for name, rows in sheets.items():
        ws = book.add_sheet(name)
        spans = (merged or {}).get(name, [])
        covered = {(r, c) for r1, r2, c1, c2 in spans for r in range(r1, r2 + 1)
                   for c in range(c1, c2 + 1) if (r, c) != (r1, c1)}
        for r1, r2, c1, c2 in spans:
            ws.write_merge(r1, r2, c1, c2, rows[r1][c1])
        starts = {(r1, c1) for r1, _, c1, _ in spans}
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or (r, c) in covered or (r, c) in starts:
                    continue
                if isinstance(value, date):
                    ws.write(r, c, value, date_style)
                else:
                    ws.write(r, c, value)
    book.save(str(path))
    return path


def write_ods(path: Path, sheets: dict[str, Rows],
              spans: dict[str, dict[tuple[int, int], int]] | None = None) -> Path:
    """OpenDocument through odfpy; ``spans`` (row, col) → columns spanned, per sheet."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for r, row in enumerate(rows):
            tr = TableRow()
            skip = 0
            for c, value in enumerate(row):
                if skip:
                    skip -= 1
                    tr.addElement(CoveredTableCell())
                    continue
                span = (spans or {}).get(name, {}).get((r, c), 1)
                kwargs: dict[str, Any] = {}
                if span > 1:
                    kwargs["numbercolumnsspanned"] = span
                    skip = span - 1
                if value is None:
                    cell = TableCell(**kwargs)
                elif isinstance(value, bool):
                    raise TypeError("no booleans in these tests")
                elif isinstance(value, int | float):
                    cell = TableCell(valuetype="float", value=value, **kwargs)
                    cell.addElement(P(text=str(value)))
                elif isinstance(value, date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat(), **kwargs)
                    cell.addElement(P(text=value.strftime("%d/%m/%Y")))
                else:
                    cell = TableCell(valuetype="string", **kwargs)
                    cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def cp1258(text: str) -> bytes:
    """Text as Windows-1258 holds it: the tone marks are separate combining characters
    after a precomposed base letter (ă, â, ê, ô, ơ, ư, đ are single bytes)."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tone = decomposed[-1]
            base = unicodedata.normalize("NFC", decomposed[:-1])
            out += base.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


def write_csv(path: Path, rows: Rows, encoding: str = "utf-8", bom: bool = False,
              delimiter: str = ",") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(
        [["" if v is None else v for v in row] for row in rows])
    text = buf.getvalue()
    data = cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


# -- data ---------------------------------------------------------------------------------

HEADER = ["STT", "Họ và tên", "Mã số BHXH", "Số CCCD", "Ngày sinh", "Giới tính", "Mức lương"]


def person(n: int, gender: str = "F", year: int = 1990) -> dict[str, Any]:
    """A valid worker's cells; n makes the identifiers unique."""
    return {"name": ["Nguyễn Thị Hoa", "Trần Văn Bình", "Lê Đức Thắng", "Phạm Thị Ánh",
                     "Đỗ Quỳnh Hương", "Vũ Minh Quân"][n % 6],
            "bhxh": f"79{n:08d}", "cccd": ids.cccd_for("079", gender, year, n),
            "born": f"15/06/{year}", "gender": "Nữ" if gender == "F" else "Nam",
            "salary": 8_000_000 + n * 10_000}


def people_rows(count: int = 3) -> Rows:
    rows = [HEADER]
    for n in range(1, count + 1):
        p = person(n, "MF"[n % 2], 1980 + n)
        rows.append([n, p["name"], p["bhxh"], p["cccd"], p["born"], p["gender"], p["salary"]])
    return rows


def stored(app) -> list:
    with app.db.reading() as conn:
        return list(repo.load_workers(conn).values())


# -- formats ------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods", "csv-utf8", "csv-bom", "csv-1258",
                                  "csv-semicolon"])
def test_every_format_imports_the_same_workers(app, tmp_path, kind):
    rows = people_rows(3)
    path = tmp_path / f"ds.{kind.split('-')[0]}"
    if kind == "xlsx":
        write_xlsx(path, {"DS": rows})
    elif kind == "xls":
        write_xls(path, {"DS": rows})
    elif kind == "ods":
        write_ods(path, {"DS": rows})
    elif kind == "csv-utf8":
        write_csv(path, rows)
    elif kind == "csv-bom":
        write_csv(path, rows, bom=True)
    elif kind == "csv-1258":
        write_csv(path, rows, encoding="cp1258")
    else:
        write_csv(path, rows, delimiter=";")
    result = imp.import_workers(app, path)
    assert result.ok, [i.message() for i in result.problems]
    assert (result.added, result.updated, result.failed) == (3, 0, 0)
    by_cccd = {w.cccd: w for w in stored(app)}
    for row in rows[1:]:
        w = by_cccd[row[3]]
        assert (w.full_name, w.bhxh_number, str(w.birth_date), w.salary) == (
            row[1], row[2], row[4], row[6])
        assert w.gender == ("F" if row[5] == "Nữ" else "M")


def test_cp1258_text_is_composed(tmp_path):
    from ibhxh_client.importing.reader import read_csv

    path = write_csv(tmp_path / "a.csv", [["Họ và tên"], ["Nguyễn Thị Hương"]], "cp1258")
    assert b"\xcc" in path.read_bytes() or b"\xde" in path.read_bytes()  # combining marks
    sheet = read_csv(path)
    assert sheet.encoding == "cp1258"
    assert sheet.rows[1][0] == "Nguyễn Thị Hương"


def test_sheet_by_name_or_found_by_its_header(app, tmp_path):
    cover = [["CÔNG TY TNHH SAO MAI"], ["Báo cáo lao động năm 2026"], [], ["Ghi chú", "x"]]
    path = write_xlsx(tmp_path / "two.xlsx", {"Bìa": cover, "Danh sách NLĐ": people_rows(2)})
    analysis = imp.analyse(app, path)
    assert analysis.sheet == "Danh sách NLĐ" and analysis.sheets == ["Bìa", "Danh sách NLĐ"]
    # By name, ignoring case and diacritics.
    assert imp.analyse(app, path, sheet="danh sach nld").sheet == "Danh sách NLĐ"
    with pytest.raises(UserError) as err:
        imp.analyse(app, path, sheet="Tháng 13")
    assert err.value.code == "import_no_sheet" and err.value.exit_code == 2
    assert "Danh sách NLĐ" in err.value.message()
    with pytest.raises(UserError) as err:
        imp.analyse(app, path, sheet="Bìa")
    assert err.value.code == "import_no_header"
    assert "Họ và tên" in err.value.message()


def test_unreadable_and_unsupported_files(app, tmp_path):
    bad = tmp_path / "hong.xlsx"
    bad.write_bytes(b"not a zip file at all")
    with pytest.raises(UserError) as err:
        imp.analyse(app, bad)
    assert err.value.code == "import_unreadable" and "hong.xlsx" in err.value.message()
    with pytest.raises(UserError) as err:
        imp.analyse(app, tmp_path / "ds.pdf")
    assert err.value.code == "import_format" and ".xlsx" in err.value.message("en")
    with pytest.raises(UserError) as err:
        imp.analyse(app, tmp_path / "missing.csv")
    assert err.value.code == "import_not_found" and "missing.csv" in err.value.message()


def test_date_cells_and_serials_in_every_workbook_format(app, tmp_path):
    rows = [["Họ và tên", "Số CCCD", "Ngày sinh", "Giới tính"],
            ["Đỗ Văn An", ids.cccd_for("001", "M", 1985, 1), date(1985, 3, 9), "Nam"],
            ["Mai Thị Lan", ids.cccd_for("001", "F", 1992, 2), 33700, "Nữ"]]  # serial
    for name, writer in (("a.xlsx", write_xlsx), ("a.xls", write_xls), ("a.ods", write_ods)):
        result = imp.import_workers(app, writer(tmp_path / name, {"S": rows}), dry_run=True)
        assert result.ok, (name, [i.message() for i in result.problems])
    result = imp.import_workers(app, tmp_path / "a.xls")
    assert result.added == 2
    born = {str(w.birth_date) for w in stored(app)}
    assert born == {"09/03/1985", "06/04/1992"}  # serial 33700 is 6 Apr 1992


def test_importer_messages_have_both_languages_with_the_same_placeholders():
    from ibhxh_client.domain.messages import MESSAGES as CORE
    from ibhxh_client.domain.messages import placeholders
    from ibhxh_client.importing.messages import MESSAGES

    for code, entry in MESSAGES.items():
        assert set(entry) == {"vi", "en"}, code
        assert placeholders(entry["vi"]) == placeholders(entry["en"]), code
        assert CORE[code] is entry or code not in CORE or CORE[code] == entry, code
