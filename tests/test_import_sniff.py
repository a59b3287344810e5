"""A file that is not a spreadsheet is named for what it is (a Word document, a PDF, a
zip …) by `ibhxh workers import`, which exits 2 and stores nothing; a spreadsheet saved
under another spreadsheet's name, or as Excel's UTF-16 "Unicode Text", is read as what it
holds."""

from __future__ import annotations

import random
import shutil
import zipfile
from pathlib import Path

import pytest

from ibhxh_client.domain.text import unicode_to_tcvn3
from ibhxh_client.importing.sniff import NOT_SPREADSHEETS, is_binary, kind_of, ole_streams
from tests.test_import_files import (
    cp1258,
    people_rows,
    write_csv,
    write_ods,
    write_xls,
    write_xlsx,
)

WORD_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Họ và tên</w:t></w:r></w:p></w:tc>"
    "<w:tc><w:p><w:r><w:t>Số CCCD</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body>"
    "</w:document>")


def write_docx(path: Path) -> Path:
    """A Word document (WordprocessingML: the parts Word itself needs) holding a table
    of workers' headers."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"><Default Extension='
                   '"rels" ContentType="application/vnd.openxmlformats-package.'
                   'relationships+xml"/><Override PartName="/word/document.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.'
                   'wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
                   'schemas.openxmlformats.org/package/2006/relationships"><Relationship '
                   'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships/officeDocument" Target="word/document.xml"/>'
                   "</Relationships>")
        z.writestr("word/document.xml", WORD_XML)
    return path


def word97_from(xls: Path, path: Path) -> Path:
    """An OLE compound file whose main stream is named as Word 97–2003 names it
    ("WordDocument"): the Excel 97 file xlwt wrote, its "Workbook" stream renamed in the
    directory entry (name in UTF-16, then its byte length with the terminator)."""
    data = bytearray(xls.read_bytes())
    old = "Workbook".encode("utf-16-le") + b"\x00\x00"
    at = data.index(old)
    name = "WordDocument".encode("utf-16-le") + b"\x00\x00"
    data[at:at + len(name)] = name
    data[at + 64:at + 66] = len(name).to_bytes(2, "little")
    path.write_bytes(bytes(data))
    return path


@pytest.fixture
def office(cli):
    """A data folder with the demo company and its workers, and how to list them."""
    r = cli("--json", "demo", "--workers", "3")
    assert r.code == 0, r.err

    def workers() -> list[dict]:
        return cli("--json", "workers", "list").json

    return workers


def imported(cli, office, path: Path, *options: str):
    before = office()
    r = cli(*options, "workers", "import", path)
    assert office() == before  # nothing stored, nothing changed
    return r


def test_a_word_document_renamed_xlsx(cli, office, tmp_path):
    path = write_docx(tmp_path / "ds_lao_dong.xlsx")
    r = imported(cli, office, path)
    assert r.code == 2
    assert "Tệp ds_lao_dong.xlsx không phải là bảng tính (có vẻ là tài liệu Word)." in r.err
    assert "chép bảng sang Excel" in r.err and "Traceback" not in r.err
    r = imported(cli, office, path, "--lang", "en")
    assert "The file ds_lao_dong.xlsx is not a spreadsheet (it looks like a Word document)" \
        in r.err
    r = imported(cli, office, path, "--json")
    assert r.code == 2 and r.json["error"] == "import_not_spreadsheet"
    assert "tài liệu Word" in r.json["message"]


def test_a_zip_renamed_xlsx(cli, office, tmp_path):
    inside = write_xlsx(tmp_path / "thang1.xlsx", {"DS": people_rows(2)})
    path = tmp_path / "ho_so.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.write(inside, "thang1.xlsx")
    r = imported(cli, office, path)
    assert r.code == 2
    assert "Tệp ho_so.xlsx không phải là bảng tính (có vẻ là tệp nén ZIP)." in r.err
    assert "giải nén" in r.err


def test_a_pdf_renamed_xls(cli, office, tmp_path):
    # The paper dossier the program prints, taken for the workers' list.
    pdf = tmp_path / "ho_so.pdf"
    assert cli("print", "1", "--out", pdf, "--reason", "thử").code == 0
    path = tmp_path / "ds.xls"
    shutil.copy(pdf, path)
    r = imported(cli, office, path)
    assert r.code == 2
    assert "Tệp ds.xls không phải là bảng tính (có vẻ là tài liệu PDF)." in r.err


def test_random_bytes_named_csv(cli, office, tmp_path):
    path = tmp_path / "ds.csv"
    path.write_bytes(random.Random(13).randbytes(5000))
    r = imported(cli, office, path)
    assert r.code == 2
    assert "Tệp ds.csv không phải là bảng tính (có vẻ là dữ liệu nhị phân không rõ loại)." \
        in r.err
    assert ".xlsx, .xlsm, .xlsb, .xls, .ods, .csv, .txt" in r.err


def test_a_web_page_saved_as_xls(cli, office, tmp_path):
    # What some payroll systems export: an HTML table named .xls, which Excel opens.
    path = tmp_path / "bang_luong.xls"
    path.write_text("<html><body><table><tr><td>Họ và tên</td></tr></table></body></html>",
                    encoding="utf-8")
    r = imported(cli, office, path)
    assert r.code == 2
    assert "(có vẻ là trang web HTML)" in r.err and "Sổ làm việc Excel (.xlsx)" in r.err


def test_a_word_97_document_renamed_xls(cli, office, tmp_path):
    xls = write_xls(tmp_path / "a.xls", {"DS": people_rows(1)})
    path = word97_from(xls, tmp_path / "ds.xls")
    assert ole_streams(path.open("rb")) >= {"WordDocument"}
    r = imported(cli, office, path)
    assert r.code == 2 and "(có vẻ là tài liệu Word)" in r.err


@pytest.mark.parametrize(("writer", "name"), [
    (write_xls, "ds.xlsx"), (write_xlsx, "ds.xls"), (write_ods, "ds.xlsx"),
    (write_xlsx, "ds.csv"),
])
def test_a_spreadsheet_under_another_name_is_read_for_what_it_is(cli, office, tmp_path,
                                                                 writer, name):
    source = writer(tmp_path / f"source.{writer.__name__.split('_')[1]}",
                    {"DS": people_rows(2)})
    path = tmp_path / name
    shutil.copy(source, path)
    before = len(office())
    r = cli("--json", "workers", "import", path)
    assert r.code == 0, r.err
    assert r.json["added"] == 2 and len(office()) == before + 2


def test_unicode_text_from_excel_is_text(cli, office, tmp_path):
    # Excel's "Unicode Text (*.txt)": UTF-16 with its byte order mark, tab-separated.
    path = write_csv(tmp_path / "ds.txt", people_rows(2), encoding="utf-16", delimiter="\t")
    assert path.read_bytes()[:2] == b"\xff\xfe"
    r = cli("--json", "workers", "import", path)
    assert r.code == 0, r.err
    assert r.json["added"] == 2


def test_what_the_first_bytes_say(tmp_path):
    def kind(name: str, data: bytes) -> str | None:
        path = tmp_path / name
        path.write_bytes(data)
        return kind_of(path)

    assert kind("a.png", b"\x89PNG\r\n\x1a\n" + bytes(100)) == "image"
    assert kind("a.jpg", b"\xff\xd8\xff\xe0" + bytes(100)) == "image"
    assert kind("a.exe", b"MZ\x90\x00" + bytes(100)) == "program"
    assert kind("a.rtf", b"{\\rtf1\\ansi Danh s\\'e1ch}") == "word"
    assert kind("a.rar", b"Rar!\x1a\x07\x01\x00" + bytes(20)) == "rar"
    assert kind("a.7z", b"7z\xbc\xaf\x27\x1c" + bytes(20)) == "7z"
    assert kind("a.csv", "Họ và tên,Số CCCD\r\nAn,001\r\n".encode()) is None
    assert kind("b.csv", b"") is None
    assert kind("c.csv", b"PK\x03\x04 truncated") is None  # a damaged zip: left to calamine
    assert {"image", "program", "word", "rar", "7z"} <= NOT_SPREADSHEETS


@pytest.mark.parametrize("data", [
    cp1258("Nguyễn Thị Hương;Đà Nẵng\r\n"),
    unicode_to_tcvn3("Nguyễn Thị Hương, Kế toán viên\t\f\x1a").encode("cp1252"),
    "Trần Văn Đức,Đà Nẵng\n".encode() * 500,
])
def test_text_in_every_encoding_the_importer_reads_is_not_binary(data):
    assert not is_binary(data)
    assert is_binary(data + b"\x00") and is_binary(random.Random(1).randbytes(1000))
