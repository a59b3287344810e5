"""The `ibhxh` command end to end on a temporary data folder."""

import json
import subprocess
import sys

import pytest

from ibhxh_client.domain import ids


@pytest.fixture
def demo(cli):
    r = cli("--json", "demo", "--workers", "6")
    assert r.code == 0, r.err
    return r.json["dossier_id"]


def count_dossiers(cli):
    return len(cli("--json", "status").json)


def test_demo_prints_the_dossier_id(cli):
    r = cli("--json", "demo")
    assert r.code == 0
    assert r.json["dossier_id"] == 1
    workers = cli("--json", "workers", "list").json
    assert len(workers) == 25
    assert all(ids.check_cccd(w["cccd"]) is None for w in workers)
    assert any(c in w["full_name"] for w in workers for c in "ễăđơư")  # real diacritics
    from ibhxh_client.domain.text import name_sort_key

    names = [w["full_name"] for w in workers]
    assert names == sorted(names, key=name_sort_key)  # Vietnamese order, given name first
    r = cli("demo")  # a second demo never overwrites data
    assert r.code == 1 and "đã có dữ liệu" in r.err


def test_employer_show_has_every_field(cli, demo):
    r = cli("--json", "employer", "show")
    assert r.code == 0
    data = r.json
    assert data["unit_code"] == "TZH490L" and ids.check_tax_code(data["tax_code"]) is None
    text = cli("employer", "show").out
    assert "TZH490L" in text and data["tax_code"] in text and "Sao Mai" in text


def test_employer_set_from_toml_and_json(cli, tmp_path):
    toml = tmp_path / "e.toml"
    toml.write_text('unit_code = "AB12345"\nname = "Công ty Cổ phần Hoa Sen"\n'
                    f'tax_code = "{ids.make_tax_code("010123456")}"\nregion = "II"\n',
                    encoding="utf-8")
    r = cli("employer", "set", "--file", toml)
    assert r.code == 0, r.err
    assert cli("--json", "employer", "show").json["name"] == "Công ty Cổ phần Hoa Sen"
    js = tmp_path / "e.json"
    js.write_text(json.dumps({"employer": {"unit_code": "AB12345", "name": "Công ty B",
                                           "tax_code": ids.make_tax_code("010123456"),
                                           "phone": "0241234567"}}), encoding="utf-8")
    assert cli("employer", "set", "--file", js).code == 0
    shown = cli("--json", "employer", "show").json
    assert shown["name"] == "Công ty B" and shown["region"] == "II"  # kept from before


@pytest.mark.parametrize("content,expected", [
    ('unit_code = "AB12345"\nname = "X\n', "sai cú pháp"),  # broken TOML
    ('unit_code = "AB12345"\nname = "X"\ntax_code = "0312345678"\n', "Mã số thuế"),
    ('unit_code = "AB12345"\nname = "X"\ntax_code = "0312345673"\nregion = "V"\n', "vùng"),
    ('unit_code = "AB12345"\nname = "X"\ntax_code = "0312345673"\ncolour = "red"\n',
     "colour"),
    ('tax_code = ["0312345673"]\n', "tax_code"),
    # 099 is no province: no agency has such a code.
    ('unit_code = "AB12345"\nname = "X"\ntax_code = "0312345673"\nagency_code = "09906"\n',
     "Mã cơ quan BHXH quản lý: Ba số đầu của mã cơ quan BHXH phải là mã tỉnh"),
    ('unit_code = "AB12345"\nname = "X"\ntax_code = "0312345673"\nagency_code = "7906"\n',
     "Mã cơ quan BHXH phải gồm đúng 5 chữ số"),
])
def test_broken_employer_file_changes_nothing(cli, demo, tmp_path, content, expected):
    before = cli("--json", "employer", "show").json
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    r = cli("employer", "set", "--file", path)
    assert r.code == 1
    assert expected.lower() in r.err.lower()
    assert cli("--json", "employer", "show").json == before


def test_workers_add_checks_every_field(cli, demo):
    before = len(cli("--json", "workers", "list").json)
    # A CCCD whose century/gender digit says female born in the 1900s, for a man born 1990.
    bad = ids.cccd_for("079", "F", 1990, 1)
    r = cli("workers", "add", "--full-name", "Lê Văn Tám", "--gender", "M",
            "--birth-date", "01/05/1990", "--cccd", bad, "--bhxh-number", "123")
    assert r.code == 1
    assert "Số CCCD" in r.err and "giới tính" in r.err
    assert "Mã số BHXH" in r.err and "10 chữ số" in r.err
    assert len(cli("--json", "workers", "list").json) == before
    good = ids.cccd_for("079", "M", 1990, 7)
    r = cli("--json", "workers", "add", "--full-name", "  Lê   Văn Tám ", "--gender", "M",
            "--birth-date", "01/05/1990", "--cccd", good, "--salary", "7.500.000")
    assert r.code == 0, r.err
    assert r.json["full_name"] == "Lê Văn Tám" and r.json["salary"] == 7_500_000
    found = cli("--json", "workers", "list", "--search", "le van tam").json
    assert [w["cccd"] for w in found] == [good]


def test_workers_import_valid_rows_or_all_or_nothing(cli, demo, tmp_path):
    good = ids.cccd_for("001", "F", 1995, 11)
    path = tmp_path / "w.csv"
    path.write_text("Họ và tên,Giới tính,Ngày sinh,Số CCCD,Mức lương\n"
                    f"Đỗ Thị Hoa,Nữ,1995,{good},6000000\n"
                    "Ngô Văn B,Nam,32/01/1990,001090000001,6000000\n", encoding="utf-8-sig")
    before = len(cli("--json", "workers", "list").json)
    r = cli("workers", "import", path, "--all-or-nothing")
    assert r.code == 1 and "32/01/1990" in r.err
    assert len(cli("--json", "workers", "list").json) == before
    report = tmp_path / "loi.xlsx"
    r = cli("workers", "import", path, "--report", report)  # the valid rows, by default
    assert r.code == 1 and report.exists() and "loi.xlsx" in r.err
    assert len(cli("--json", "workers", "list").json) == before + 1
    path.write_text("full_name,gender,birth_date,cccd\n"
                    f"Đỗ Thị Hoa,F,1995,{good}\n", encoding="utf-8")
    r = cli("--json", "workers", "import", path)
    assert r.code == 0 and (r.json["added"], r.json["unchanged"]) == (0, 1)
    assert len(cli("--json", "workers", "list").json) == before + 1


def test_template_export_and_declare_from_a_spreadsheet(cli, demo, tmp_path):
    assert cli("template", "d02", "--out", tmp_path / "mau.xlsx").code == 0
    assert cli("workers", "export", "--out", tmp_path / "nld.xlsx").code == 0
    assert cli("export", demo, "--out", tmp_path / "d02.xlsx").code == 0
    r = cli("--json", "workers", "import", tmp_path / "nld.xlsx")
    assert r.code == 0 and r.json["unchanged"] == 6
    r = cli("declare", "--procedure", "600", "--period", "01/2026", "--from",
            tmp_path / "d02.xlsx")
    assert r.code == 0 and "6 dòng" in r.out, r.err


def _worker(cli, n):
    return cli("--json", "workers", "list").json[n]


def test_declare_validate_export_status(cli, demo, tmp_path):
    # The demo's draft covers every worker; validate it, then declare a salary change.
    r = cli("validate", demo)
    assert r.code == 0, r.err
    w = _worker(cli, 0)
    key = w["bhxh_number"]
    r = cli("--json", "declare", "--procedure", "600", "--period", "12/2026", "--line",
            f"{key}:DC:12.000.000")
    assert r.code == 0, r.err
    new_id = r.json["dossier_id"]
    out = tmp_path / "d.xml"
    r = cli("export", new_id, "--out", out)
    assert r.code == 0, r.err
    assert out.read_bytes().startswith(b"<?xml")
    assert cli("validate", out).code == 0
    status = cli("--json", "status", new_id).json
    assert status["state"] == "validated"
    assert [h["to"] for h in status["history"]] == ["draft", "validated"]
    assert "Đã kiểm tra" in cli("status").out


def test_declare_lines_from_a_csv_file(cli, demo, tmp_path):
    # --lines: a CSV with a header (worker, plan, salary, from …), in Windows-1258 here.
    first, second = _worker(cli, 0)["bhxh_number"], _worker(cli, 1)["bhxh_number"]
    path = tmp_path / "dong.csv"
    path.write_bytes(f"worker;plan;salary;from\n{first};DC;12.000.000;12/2026\n\n"
                     f"{second};DC;13.000.000;12/2026\n".encode("cp1258"))
    r = cli("--json", "declare", "--procedure", "600", "--period", "12/2026",
            "--lines", path)
    assert r.code == 0, r.err
    assert cli("--json", "status", r.json["dossier_id"]).json["lines"] == 2


@pytest.mark.parametrize("line,field_text,message", [
    ("{key}:XX", "Phương án", "XX"),  # unknown plan code
    ("{key}:DC:1000000", "Mức lương", "lương tối thiểu vùng"),  # under the floor
    ("{key}:DC:abc", "Mức lương", "abc"),
    ("{key}:DC:9000000:13/2026", "Từ tháng", "13/2026"),
    ("0000000000:DC", "Mã số BHXH", "không tìm thấy"),
])
def test_declare_bad_lines_store_nothing(cli, demo, line, field_text, message):
    before = count_dossiers(cli)
    key = _worker(cli, 0)["bhxh_number"]
    r = cli("declare", "--procedure", "600", "--period", "12/2026", "--line",
            line.format(key=key))
    assert r.code == 1, r.err
    assert "D02-LT dòng 1" in r.err and field_text in r.err and message in r.err
    assert count_dossiers(cli) == before


def test_declare_same_worker_twice(cli, demo):
    key = _worker(cli, 0)["bhxh_number"]
    r = cli("declare", "--procedure", "600", "--period", "12/2026",
            "--line", f"{key}:DC:9000000", "--line", f"{key}:DC:9500000")
    assert r.code == 1
    assert "D02-LT dòng 2" in r.err and "dòng 1" in r.err


def test_decrease_of_a_worker_never_increased(cli, demo):
    # The demo's draft has not been validated: its workers were never increased.
    key = _worker(cli, 0)["bhxh_number"]
    before = count_dossiers(cli)
    r = cli("declare", "--procedure", "600", "--period", "12/2026", "--line", f"{key}:GH")
    assert r.code == 1 and "chưa từng được báo tăng" in r.err
    assert count_dossiers(cli) == before
    assert cli("validate", demo).code == 0  # now they are increased
    r = cli("declare", "--procedure", "600", "--period", "12/2026", "--line", f"{key}:GH")
    assert r.code == 0, r.err


@pytest.mark.parametrize("code,plans", [("600a", "GH, GD, GC, KL, TS, OF"), ("600b", "DC, TT")])
def test_the_former_codes_600a_600b_are_refused_with_where_to_file(cli, demo, code, plans):
    """600a and 600b were this program's own codes: Social Security files decreases and
    adjustments under 600, each line with its plan code (docs/exchange-format.md §12)."""
    assert cli("validate", demo).code == 0
    key = _worker(cli, 0)["bhxh_number"]
    before = count_dossiers(cli)
    r = cli("declare", "--procedure", code, "--period", "12/2026", "--line", f"{key}:GH")
    assert r.code == 2 and r.out == ""
    assert f"'{code}' không phải mã thủ tục của BHXH Việt Nam" in r.err
    assert f"nay nộp theo thủ tục 600, mỗi dòng với phương án của nó ({plans})" in r.err
    r = cli("--lang", "en", "declare", "--procedure", code, "--period", "12/2026",
            "--line", f"{key}:GH")
    assert r.code == 2 and f"filed under procedure 600, each line with its plan code ({plans})" \
        in r.err
    assert count_dossiers(cli) == before


def test_malformed_period_is_a_usage_error(cli, demo):
    before = count_dossiers(cli)
    r = cli("declare", "--procedure", "600", "--period", "2026-13", "--new-workers")
    assert r.code == 2 and "2026-13" in r.err
    r = cli("declare", "--procedure", "999", "--period", "12/2026", "--new-workers")
    assert r.code == 2 and "600, 604, 607, 608, 610, 612" in r.err and "600a" not in r.err
    assert count_dossiers(cli) == before


def test_validate_reports_every_problem_of_a_file(cli, demo, tmp_path):
    out = tmp_path / "d.xml"
    assert cli("export", demo, "--out", out).code == 0
    import base64

    from lxml import etree

    root = etree.fromstring(out.read_bytes())
    node = root.find(".//NoiDungFile")
    import re

    # every row's salary under the regional minimum wage (one problem a row)
    form = re.sub(rb"<MucLuong>\d+</MucLuong>", b"<MucLuong>1000000</MucLuong>",
                  base64.b64decode(node.text))
    node.text = base64.b64encode(form).decode()
    root.find(".//DoDaiFile").text = str(len(node.text))  # as the exchange derives it
    bad = tmp_path / "bad.xml"
    bad.write_bytes(etree.tostring(root))
    r = cli("--json", "validate", bad)
    assert r.code == 1
    problems = r.json["problems"]
    assert len(problems) == 6 and {p["field"] for p in problems} == {"muc_luong"}
    hostile = tmp_path / "h.xml"
    hostile.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM '
                        b'"file:///etc/passwd">]><Hoso>&e;</Hoso>')
    r = cli("validate", hostile)
    assert r.code == 1 and "không an toàn" in r.err and "root:" not in r.err + r.out


def test_calc_the_known_example(cli):
    r = cli("calc", "--period", "01/2026", "--region", "I", "5310000", "5310000")
    assert r.code == 0
    for amount in ("2.655.000", "477.900", "212.400", "53.100", "3.398.400"):
        assert amount in r.out
    data = cli("--json", "calc", "--period", "01/2026", "--region", "I", "5310000",
               "5310000").json
    assert data["funds"]["BHXH"]["total"] == 2_655_000
    assert data["total"] == 3_398_400
    r = cli("--lang", "en", "calc", "--period", "01/2026", "--region", "I", "100000000")
    assert "Employer" in r.out
    assert cli("calc", "--period", "01/2026", "--region", "I", "5tr").code == 2


def test_english_messages(cli, demo):
    r = cli("--lang", "en", "declare", "--procedure", "600", "--period", "12/2026",
            "--line", "0000000000:DC")
    assert r.code == 1 and "not found" in r.err


def test_console_script_runs(tmp_path):
    """The installed `ibhxh` entry point (python -m as the same code path)."""
    import os

    env = {"IBHXH_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin",
           "IBHXH_KEY_DIR": os.environ["IBHXH_KEY_DIR"],
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    r = subprocess.run([sys.executable, "-m", "ibhxh_client", "--json", "demo", "--workers",
                        "3"], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["dossier_id"] == 1
