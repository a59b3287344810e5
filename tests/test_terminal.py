"""The terminal is a user too: long lists of problems summarised by kind with the full
list in a report, a column mapped wrong named as such, and no keyring of the program's
own choosing."""

from __future__ import annotations

import csv
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import ibhxh_client
from ibhxh_client.domain import digest
from ibhxh_client.domain.validation import Problem


@pytest.fixture
def demo(cli):
    assert cli("demo", "--workers", "5").code == 0


def _problems(n: int, field: str = "muc_luong") -> list[Problem]:
    label = {"vi": "Mức lương", "en": "Salary"}
    return [Problem("D02-LT", row, field, "not_number", {"value": f"x{row}"}, label=label)
            for row in range(1, n + 1)]


def test_a_summary_names_each_kind_with_its_count_and_first_rows():
    issues = [*_problems(30), Problem("D02-LT", 7, "ho_ten", "required",
                                      label={"vi": "Họ và tên", "en": "Name"})]
    lines = digest.summary(issues, lambda p: p.where_field("vi"), "vi")
    assert lines[0] == "31 lỗi thuộc 2 loại:"
    assert lines[1].startswith("  - D02-LT, Mức lương: 30 dòng (dòng 1, 2, 3, 4, 5, 6, … và "
                               "24 dòng nữa). Ví dụ: 'x1' không phải là số.")
    assert lines[2].startswith("  - D02-LT, Họ và tên: 1 dòng (dòng 7).")
    assert len(lines) == 3  # not every row checked failed on one field: no mapping hint


def test_every_row_failing_on_one_column_says_the_mapping_is_probably_wrong():
    lines = digest.summary(_problems(40), lambda p: p.where_field("en"), "en",
                           rows_checked=40)
    assert "probably mapped wrong" in lines[-1] and "--mapping" in lines[-1]
    assert "Salary" in lines[-1]
    lines = digest.summary(_problems(39), lambda p: p.where_field("en"), "en",
                           rows_checked=40)
    assert "--mapping" not in lines[-1]


def _write_csv(path: Path, rows: int, salary: str) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Mức lương"])
        for i in range(rows):
            out.writerow([f"Trần Văn {chr(65 + i % 26)}", "Nam", "01/02/1990",
                          f"079090{i + 500:06d}", salary])


def test_import_with_many_failed_rows_summarises_and_writes_the_report(cli, demo, tmp_path):
    before = cli("--json", "workers", "list").json
    source = tmp_path / "nhan-vien.csv"
    _write_csv(source, 40, "Kế toán")  # the position column where the salary should be
    r = cli("workers", "import", source)
    assert r.code == 1
    err = r.err.splitlines()
    assert "40 lỗi thuộc 1 loại:" in err
    assert any(line.startswith("  - cột E (Mức lương): 40 dòng") for line in err)
    assert any("có lẽ cột này được ghép sai" in line and "--mapping" in line for line in err)
    assert len(err) < 12  # a summary, not forty lines
    report = tmp_path / "nhan-vien-bao-cao-loi.xlsx"
    assert report.exists() and str(report) in r.err
    from openpyxl import load_workbook

    sheet = load_workbook(report).active
    assert sheet.max_row >= 41  # every failed row is in the report
    assert cli("--json", "workers", "list").json == before  # nothing saved


def test_a_few_failed_rows_are_listed_one_by_one(cli, demo, tmp_path):
    source = tmp_path / "it.csv"
    _write_csv(source, 3, "abc")
    r = cli("workers", "import", source)
    assert r.code == 1
    assert r.err.count("không phải là số") == 3
    assert not (tmp_path / "it-bao-cao-loi.xlsx").exists()


def test_no_keyring_backend_of_the_program_competes_with_the_real_ones(tmp_path):
    """keyring discovers every KeyringBackend subclass that is imported: none may live in
    the package, or a machine with no keyring daemon would keep the data key in memory."""
    modules = [m.name for m in pkgutil.walk_packages(ibhxh_client.__path__, "ibhxh_client.")
               if not any(part in m.name for part in (".ui", "__main__", ".migrations"))]
    code = ("import importlib, keyring, sys\n"
            f"for name in {modules!r}:\n"
            "    importlib.import_module(name)\n"
            "from keyring.backend import get_all_keyring\n"
            "print(sorted({type(k).__module__ for k in get_all_keyring()}))\n"
            "print(type(keyring.get_keyring()).__module__)\n")
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    backends, chosen = r.stdout.splitlines()
    assert "ibhxh_client" not in backends and not chosen.startswith("ibhxh_client")


def test_vietnamese_output_names_fields_actions_and_states_in_vietnamese(cli, demo, tmp_path):
    shown = cli("employer", "show").out
    assert "Mã số thuế" in shown and "Người lập biểu" in shown
    for english in ("unit_code", "tax_code", "True", "False", "contact_name"):
        assert english not in shown
    assert "Unit code" in cli("--lang", "en", "employer", "show").out
    assert cli("export", "1", "--out", tmp_path / "d.xml").code == 0
    audit = cli("audit").out
    assert "xuất dữ liệu" in audit and "hồ sơ 1" in audit
    assert "export" not in audit and "dossier" not in audit
    assert "export" in cli("--lang", "en", "audit").out
