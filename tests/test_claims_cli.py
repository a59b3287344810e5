"""Benefit claims from the command line (issue 15): `ibhxh claims add|list|check|declare|
approve|remove|history|template`, each with --json, Vietnamese by default; problems named
by row and field; nothing lost after a refused action."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.test_import_files import write_csv

PERIOD = "03/2026"
# The worked example (forms/benefits.toml, Law 41/2024/QH15 art. 45.1): own sickness on
# a contribution salary of 6.000.000, Monday 2 to Friday 6 March 2026 (no public holiday,
# Sunday the rest day): 75 % × 6.000.000 ÷ 24 = 187.500 a day, × 5 days = 937.500.
SALARY, MON, FRI, SICK = 6_000_000, "02/03/2026", "06/03/2026", 937_500
PAYMENT = ["--certificate", "BV-2026-000123", "--payment", "TK", "--bank-account",
           "0071000123456", "--bank", "VCB"]


def people(cli) -> list[dict]:
    return cli("--json", "workers", "list").json


def history_file(path: Path, workers: list[dict], since: str = "01/2018",
                 salary: int = SALARY) -> Path:
    """Every worker with a BHXH number contributing since ``since`` at one salary."""
    rows = [["Mã số BHXH", "Họ và tên", "Từ tháng", "Đến tháng", "Mức lương"]]
    rows += [[w["bhxh_number"], w["full_name"], since, "", salary] for w in workers
             if w["bhxh_number"]]
    return write_csv(path, rows)


def ready(cli, tmp_path: Path, count: int = 9) -> dict[int, dict]:
    """The demo company with ``count`` workers, each contributing since 2018 at
    6.000.000 (imported from HR's spreadsheet): the workers by id."""
    assert cli("demo", "--workers", count, "--no-claims").code == 0
    found = people(cli)
    r = cli("claims", "history", "import", history_file(tmp_path / "qua-trinh.csv", found))
    assert r.code == 0, r.err
    return {w["id"]: w for w in found}


def claims(cli, *args: str) -> list[dict]:
    r = cli("--json", "claims", "list", *args)
    assert r.code == 0, r.err
    return r.json


def sick(cli, worker: dict, *extra: str, start: str = MON, end: str = FRI):
    return cli("--json", "claims", "add", worker["bhxh_number"], "--kind", "om_dau",
               "--from", start, "--to", end, *PAYMENT, *extra)


def count_dossiers(cli) -> int:
    return len(cli("--json", "status").json)


def test_a_claim_entered_is_computed_with_its_rule(cli, tmp_path):
    workers = ready(cli, tmp_path)
    r = sick(cli, workers[1])
    assert r.code == 0, r.err
    made = r.json
    assert (made["state"], made["expected_days"], made["expected_amount"]) == ("draft", 5, SICK)
    assert made["rule"].startswith("75 % × 6.000.000 ÷ 24 × 5 ngày (Luật 41/2024/QH15")
    assert made["problems"] == [] and made["dossier_id"] is None
    # in Vietnamese on the terminal: the amount and the rule
    r = cli("claims", "list")
    assert r.code == 0
    assert "Bùi Gia Trung" in r.out and "Ốm đau (bản thân)" in r.out and "937.500" in r.out
    assert "cách tính: 75 % × 6.000.000 ÷ 24 × 5 ngày" in r.out and "Nháp" in r.out
    r = cli("--lang", "en", "claims", "list")
    assert "computed: 75 % × 6.000.000 ÷ 24 × 5 days" in r.out and "Draft" in r.out
    # the worker's history: years, months, salary, the days taken this year
    r = cli("claims", "history", workers[1]["bhxh_number"])
    assert r.code == 0, r.err
    assert "Bùi Gia Trung (mã số BHXH 9200000000): 8 năm 11 tháng đóng BHXH trước 12/2026" \
        in r.out
    assert "Lương tháng gần nhất 6.000.000 đồng" in r.out
    assert "01/2018 – nay: 6.000.000 đồng (nhập từ tệp)" in r.out
    assert "Đã nghỉ năm 2026: Ốm đau (bản thân): 5 ngày." in r.out
    info = cli("--json", "claims", "history", "#1").json
    assert (info["months"], info["years"], info["salary_base"]) == (107, 8, SALARY)
    assert info["days_this_year"] == {"om_dau": 5}


def test_unreadable_values_are_usage_errors_and_store_nothing(cli, tmp_path):
    workers = ready(cli, tmp_path)
    r = sick(cli, workers[1], end="32/03/2026")
    assert r.code == 2
    assert r.json["problems"][0]["message"] == (
        "M01B-HSB dòng 1, Đến ngày: '32/03/2026' không phải ngày hợp lệ (dd/mm/yyyy).")
    r = cli("claims", "add", workers[1]["bhxh_number"], "--kind", "om_dau", "--from", MON,
            "--to", FRI, "--days", "năm")
    assert r.code == 2 and "Tổng số ngày nghỉ: 'năm' không phải là số." in r.err
    r = cli("claims", "add", workers[1]["bhxh_number"], "--kind", "om_dau", "--from", MON,
            "--to", FRI, "--rest-days", "8")
    assert r.code == 2 and "Ngày nghỉ hằng tuần: '8' không phải ngày nghỉ trong tuần" in r.err
    # wrong on its face: an unknown kind, the dates the wrong way round, nobody
    r = cli("claims", "add", workers[1]["bhxh_number"], "--kind", "om", "--from", FRI,
            "--to", MON)
    assert r.code == 1
    assert "M01B-HSB dòng 1, Chế độ đề nghị: mã 'om' không có trong danh mục." in r.err
    assert "M01B-HSB dòng 1, Đến ngày: ngày kết thúc 02/03/2026 trước ngày bắt đầu " \
           "06/03/2026." in r.err
    assert "Chưa có gì được lưu" in r.err
    r = cli("claims", "add", "#99", "--kind", "om_dau", "--from", MON, "--to", FRI)
    assert r.code == 1 and "Người lao động: không tìm thấy người lao động '#99'." in r.err
    assert claims(cli) == []
    # argparse itself: a required option missing
    assert cli("claims", "add", "#1", "--kind", "om_dau", "--from", MON).code == 2


def test_the_kind_may_be_named_and_the_rest_days_written_in_words(cli, tmp_path):
    workers = ready(cli, tmp_path)
    r = cli("--json", "claims", "add", "#1", "--kind", "Ốm đau (bản thân)", "--from", MON,
            "--to", "07/03/2026", "--rest-days", "T7, CN", *PAYMENT)
    assert r.code == 0, r.err
    assert (r.json["kind"], r.json["rest_days"], r.json["expected_days"]) == ("om_dau", "67", 5)
    assert workers[1]["full_name"] == r.json["full_name"]


def test_a_birth_says_its_prenatal_rest_and_second_child(cli, tmp_path):
    """`claims add … --prenatal-rest --second-child --infertility`: the three facts a
    birth may carry, stored and shown; an option the kind does not use is said and left
    out (as the window leaves it out)."""
    workers = ready(cli, tmp_path)
    r = cli("--json", "claims", "add", workers[3]["bhxh_number"], "--kind", "sinh_con",
            "--from", "03/08/2026", "--to", "02/03/2027", "--child-birth", "03/08/2026",
            "--children", "1", "--prenatal-rest", "--second-child", "--infertility")
    assert r.code == 0, r.err
    made = r.json
    assert (made["prenatal_rest"], made["second_child"], made["infertility"]) == (
        True, True, True)
    assert made["problems"] == [] and made["unused_options"] == []
    # 7 months for a second child from 7/2026: 3/8/2026 to 2/3/2027, 212 days
    assert made["expected_days"] == 212 and "con thứ hai" in made["rule"]
    r = cli("claims", "add", workers[1]["bhxh_number"], "--kind", "om_dau", "--from", MON,
            "--to", FRI, "--second-child", "--surgery", *PAYMENT)
    assert r.code == 0, r.err
    assert ("Chế độ 'Ốm đau (bản thân)' không dùng --surgery, --second-child: không lưu "
            "các giá trị này.") in r.err
    (sick_claim,) = [c for c in claims(cli) if c["kind"] == "om_dau"]
    assert (sick_claim["surgery"], sick_claim["second_child"]) == (False, False)
    r = cli("--json", "--lang", "en", "claims", "add", workers[2]["bhxh_number"], "--kind",
            "om_dau", "--from", "09/03/2026", "--to", "13/03/2026", "--prenatal-rest",
            *PAYMENT)
    assert r.code == 0 and r.json["unused_options"] == ["--prenatal-rest"]
    assert r.json["prenatal_rest"] is False


def test_check_names_each_problem_by_row_field_and_claim(cli, tmp_path):
    workers = ready(cli, tmp_path)
    assert sick(cli, workers[1]).code == 0
    # a birth without the child's details, and a sickness overlapping the first one
    r = cli("--json", "claims", "add", workers[3]["bhxh_number"], "--kind", "sinh_con",
            "--from", "09/03/2026", "--to", "08/09/2026")
    assert r.code == 0, r.err  # stored: to be mended before it is declared
    assert [p["field"] for p in r.json["problems"]] == ["child_birth_date", "child_count"]
    assert sick(cli, workers[1], start="05/03/2026", end="10/03/2026").code == 0
    r = cli("claims", "check")
    assert r.code == 1
    assert "M01B-HSB dòng 2, Ngày sinh con (yêu cầu #2): " in r.err
    assert "M01B-HSB dòng 3, Từ ngày (yêu cầu #3): " in r.err
    assert "2 trong 3 yêu cầu chưa lập danh sách có lỗi cần sửa (3 lỗi)." in r.err
    found = cli("--json", "claims", "check")
    assert found.code == 1
    assert {(p["row"], p["field"]) for p in found.json["problems"]} == {
        (2, "child_birth_date"), (2, "child_count"), (3, "from_date")}
    # checked alone, a claim still meets the others stored: the overlap is said of it too
    r = cli("--json", "claims", "check", "--ids", "1")
    assert r.code == 1 and [p["field"] for p in r.json["problems"]] == ["from_date"]
    assert "trùng thời gian nghỉ từ 05/03/2026 đến 10/03/2026" in r.json["problems"][0][
        "message"]
    assert cli("claims", "remove", "3").code == 0
    r = cli("--json", "claims", "check", "--ids", "1")
    assert r.code == 0 and r.json["amount"] == SICK


def test_declare_is_refused_while_a_claim_has_a_problem_and_nothing_is_lost(cli, tmp_path):
    workers = ready(cli, tmp_path)
    assert sick(cli, workers[1]).code == 0
    assert cli("claims", "add", workers[3]["bhxh_number"], "--kind", "sinh_con", "--from",
               "09/03/2026", "--to", "08/09/2026").code == 0
    before = count_dossiers(cli)
    r = cli("claims", "declare", PERIOD)
    assert r.code == 1
    assert "M01B-HSB dòng 2, Ngày sinh con (yêu cầu #2)" in r.err
    assert "Chưa có gì được lưu" in r.err
    assert count_dossiers(cli) == before
    assert [c["state"] for c in claims(cli)] == ["draft", "draft"]
    # the good one alone goes into its list
    r = cli("--json", "claims", "declare", PERIOD, "--ids", "#1")
    assert r.code == 0, r.err
    (made,) = r.json
    assert (made["procedure"], made["period"], made["claims"], made["amount"]) == (
        "630a", PERIOD, [1], SICK)
    first = claims(cli)[0]
    assert (first["state"], first["dossier_id"], first["period"]) == (
        "declared", made["dossier_id"], PERIOD)
    assert first["expected_amount"] == SICK and first["salary_base"] == SALARY
    # declared once only
    r = cli("claims", "declare", PERIOD, "--ids", "1")
    assert r.code == 1 and "Yêu cầu #1 đã nằm trong hồ sơ" in r.err


def test_one_list_per_procedure_and_the_dossier_commands_take_it(cli, tmp_path):
    workers = ready(cli, tmp_path)
    assert sick(cli, workers[1]).code == 0
    r = cli("claims", "add", workers[3]["bhxh_number"], "--kind", "sinh_con", "--from",
            "09/03/2026", "--to", "08/09/2026", "--child-birth", "10/03/2026",
            "--children", "1")
    assert r.code == 0, r.err
    r = cli("claims", "declare", PERIOD)
    assert r.code == 0, r.err
    assert "Đã lập hồ sơ nháp số 2: thủ tục 630a, kỳ 03/2026, 1 yêu cầu, tổng 937.500 " \
           "đồng." in r.out
    assert "Đã lập hồ sơ nháp số 3: thủ tục 630b, kỳ 03/2026, 1 yêu cầu" in r.out
    status = {d["id"]: d for d in cli("--json", "status").json}
    assert (status[2]["procedure"], status[2]["lines"]) == ("630a", 1)
    r = cli("--json", "validate", 2)
    assert r.code == 0 and r.json["state"] == "validated", r.err
    assert claims(cli)[0]["state"] == "declared"
    assert cli("claims", "list", "--state", "declared").out.count("Đã lập danh sách") == 2


def test_a_claim_in_a_signed_list_cannot_change_one_in_a_draft_list_can(cli, tmp_path):
    workers = ready(cli, tmp_path)
    assert sick(cli, workers[1]).code == 0
    assert sick(cli, workers[2]).code == 0
    assert sick(cli, workers[6]).code == 0
    assert cli("claims", "declare", PERIOD).code == 0  # dossier 2, rows 1-3
    assert cli("validate", 2).code == 0
    # taken out of a checked list: the rows after it move up, the list is a draft again
    r = cli("claims", "remove", "#2")
    assert r.code == 0, r.err
    assert "Đã xoá yêu cầu #2. Hồ sơ nháp 2 đã bỏ yêu cầu này" in r.out
    assert cli("--json", "status", 2).json["state"] == "draft"
    assert [c["id"] for c in claims(cli)] == [1, 3]
    r = cli("--json", "validate", 2)
    assert r.code == 0, r.err
    assert cli("sign", 2, "--demo-cert").code == 0
    r = cli("claims", "remove", "1")
    assert r.code == 1
    assert r.err.strip() == ("Yêu cầu #1 nằm trong hồ sơ 2 đang ở trạng thái Đã ký: không sửa "
                             "hay xoá được nữa. Nếu cần thay đổi, hãy lập yêu cầu mới.")
    assert [(c["id"], c["state"]) for c in claims(cli)] == [(1, "signed"), (3, "signed")]
    r = cli("--json", "claims", "remove", "3")
    assert r.code == 1 and r.json["error"] == "claim_locked"
    assert cli("claims", "remove", "#7").code == 1  # no such claim
    assert cli("claims", "remove", "x").code == 2


def test_a_list_filed_on_paper_gets_its_approved_amounts_by_hand(cli, tmp_path):
    workers = ready(cli, tmp_path)
    assert sick(cli, workers[1]).code == 0
    r = cli("claims", "approve", "1", "--amount", "900.000")
    assert r.code == 1 and "Yêu cầu #1 chưa được lập danh sách" in r.err
    assert cli("claims", "declare", PERIOD).code == 0
    r = cli("claims", "approve", "1", "--amount", "900.000")
    assert r.code == 1 and "đang ở trạng thái Nháp: chỉ ghi số tiền được duyệt khi" in r.err
    pdf = tmp_path / "ds.pdf"
    assert cli("print", 2, "--out", pdf, "--reason", "Cổng không kết nối được").code == 0
    assert claims(cli)[0]["state"] == "printed"
    r = cli("claims", "approve", "#1", "--amount", "900.000", "--note", "Trừ 1 ngày trùng")
    assert r.code == 0, r.err
    assert "Đã ghi yêu cầu #1: được duyệt 900.000 đồng (5 ngày); chênh lệch so với dự tính " \
           "-37.500 đồng." in r.out
    (one,) = claims(cli, "--state", "approved")
    assert (one["approved_amount"], one["approved_days"], one["difference"]) == (
        900_000, 5, -37_500)
    listed = cli("claims", "list").out
    assert "900.000" in listed and "-37.500" in listed and "Đã được duyệt" in listed
    assert "cơ quan BHXH: Trừ 1 ngày trùng" in listed
    assert cli("claims", "approve", "1", "--amount", "-5").code == 2
    assert cli("claims", "approve", "1", "--amount", "năm").code == 2


def test_list_by_period_and_state(cli, tmp_path):
    workers = ready(cli, tmp_path)
    assert sick(cli, workers[1]).code == 0
    assert sick(cli, workers[2], start="04/05/2026", end="08/05/2026").code == 0
    assert [c["id"] for c in claims(cli, "--period", "03/2026")] == [1]
    assert [c["id"] for c in claims(cli, "--period", "05/2026")] == [2]
    assert claims(cli, "--state", "declared") == []
    assert cli("claims", "declare", "05/2026", "--ids", "2").code == 0
    assert [c["id"] for c in claims(cli, "--period", "05/2026", "--state", "declared")] == [2]
    r = cli("claims", "list", "--state", "xong")
    assert r.code == 2 and "Không có trạng thái yêu cầu 'xong'" in r.err
    assert cli("claims", "list", "--period", "13/2026").code == 2


def test_the_template_reads_back(cli, tmp_path):
    from openpyxl import load_workbook

    ready(cli, tmp_path)
    out = tmp_path / "mau.xlsx"
    r = cli("claims", "template", out)
    assert r.code == 0, r.err
    ws = load_workbook(out)["M01B-HSB"]
    headers = [c.value for c in ws[1]]
    assert headers[:8] == ["STT", "Họ và tên", "Mã số BHXH", "Số CCCD", "Loại chế độ",
                           "Từ ngày", "Đến ngày", "Tổng số ngày nghỉ"]
    ws.append([1, "Bùi Gia Trung", "9200000000", None, "om_dau - Ốm đau (bản thân)",
               "02/03/2026", "06/03/2026"])
    ws.parent.save(out)
    r = cli("--json", "claims", "import", out)
    assert r.code == 0, r.err
    assert [(c["kind"], c["expected_amount"]) for c in claims(cli)] == [("om_dau", SICK)]
    history = tmp_path / "mau-qua-trinh.xlsx"
    assert cli("claims", "template", history, "--history").code == 0
    assert [c.value for c in load_workbook(history)["QuaTrinhDong"][1]] == [
        "STT", "Họ và tên", "Mã số BHXH", "Số CCCD", "Từ tháng", "Đến tháng", "Mức lương",
        "Ghi chú"]


def test_the_values_each_kind_uses_are_data(app, tmp_path):
    """codelists/benefit_kinds.csv's ``uses``: which values of a claim each kind reads
    (the window shows those, `claims add` warns of the others); a name that is no value
    of a claim stops the catalogue's use."""
    import dataclasses
    import shutil

    from ibhxh_client.catalog import CatalogError, load_catalog_from
    from ibhxh_client.services import claims as service

    common = ("kind", "from_date", "to_date", "days", "rest_days", "certificate", "payment",
              "bank_account", "bank_code", "note")
    assert service.kind_values(app, "") == common
    assert service.kind_values(app, "kham_thai") == common
    assert set(service.kind_values(app, "sinh_con")) - set(common) == {
        "child_birth_date", "child_count", "child_id", "prenatal_rest", "infertility",
        "second_child"}
    assert set(service.kind_values(app, "cha_nghi")) - set(common) == {
        "child_birth_date", "child_count", "child_id", "surgery", "pregnancy_weeks",
        "second_child"}
    assert set(service.kind_values(app, "om_dau")) - set(common) == {"heavy_work"}
    values, dropped = service.values_for_kind(app, {
        "kind": "Lao động nữ sinh con", "from_date": "02/03/2026", "surgery": True,
        "heavy_work": False, "long_term_code": "J45", "prenatal_rest": True,
        "child_count": "1", "pregnancy_weeks": ""})
    assert dropped == ["surgery", "long_term_code"]
    assert values == {"kind": "Lao động nữ sinh con", "from_date": "02/03/2026",
                      "surgery": False, "heavy_work": False, "long_term_code": "",
                      "prenatal_rest": True, "child_count": "1", "pregnancy_weeks": ""}
    dst = tmp_path / "forms"
    shutil.copytree(app.catalog.root, dst)
    csv_path = dst / "codelists" / "benefit_kinds.csv"
    csv_path.write_text(csv_path.read_text("utf-8").replace("heavy_work long_term_code",
                                                            "heavy_work sick_note"), "utf-8")
    broken = dataclasses.replace(app, catalog=load_catalog_from(dst))
    with pytest.raises(CatalogError, match=r"om_dai_ngay.*sick_note"):
        service.kind_values(broken, "om_dau")


def test_checking_five_thousand_claims_reads_each_table_once(app, tmp_path):
    """A large employer's month: 5,000 claims not declared yet, checked at once with a
    query per table (not per claim), well under a second on this machine."""
    from datetime import date, timedelta

    from sqlalchemy import event

    from ibhxh_client.domain.claims import Claim
    from ibhxh_client.domain.history import Stint
    from ibhxh_client.domain.model import Period
    from ibhxh_client.services import claims as service
    from ibhxh_client.services.demo import make_demo
    from ibhxh_client.storage import repo

    make_demo(app, 2_500, claims=False)
    with app.db.transaction() as conn:
        repo.replace_stints(conn, {i: [Stint(Period(2018, 1), None, SALARY)]
                                   for i in range(1, 2_501)})
        items = []
        for i in range(5_000):
            start = date(2026, 1, 5) + timedelta(days=7 * (i // 2_500))
            items.append(Claim(worker_id=i % 2_500 + 1, kind="om_dau", from_date=start,
                               to_date=start + timedelta(days=4), certificate=f"BV-{i}",
                               payment="TK", bank_account=f"0071{i:09d}", bank_code="VCB"))
        repo.add_claims(conn, items)
    statements: list[str] = []

    def seen(*args) -> None:
        statements.append(args[2])

    event.listen(app.db.engine, "before_cursor_execute", seen)
    try:
        started = time.perf_counter()
        views = service.check_claims(app)
        took = time.perf_counter() - started
    finally:
        event.remove(app.db.engine, "before_cursor_execute", seen)
    assert len(views) == 5_000 and not [v for v in views if v.errors]
    assert {v.expected_amount for v in views} == {SICK}
    assert len(statements) <= 8, statements
    assert took < 2.0, took  # about 0.6 s on the 2-core CI machine; the slack is for load


def test_a_changed_claim_leaves_its_draft_list_and_a_signed_one_stays(app, tmp_path):
    """update_claim (the window's edit): a claim of a draft or checked list is taken out of
    it, to be declared again; one of a signed list is refused and stays as it was."""
    from ibhxh_client.services import claims as service
    from ibhxh_client.services import declarations, signing
    from ibhxh_client.services.app import UserError
    from ibhxh_client.services.demo import make_demo

    make_demo(app, 3, claims=False)
    service.import_history(app, history_file(tmp_path / "qt.csv", _people(app)))
    for worker in (1, 2):
        service.add_claim(app, worker, {"kind": "om_dau", "from_date": MON, "to_date": FRI,
                                        "certificate": "BV-1", "payment": "TM"})
    (decl,) = service.declare_claims(app, PERIOD)
    declarations.validate(app, decl.id)
    view = service.update_claim(app, 1, {"to_date": "05/03/2026", "note": "Ra viện sớm"})
    assert (view.state, view.claim.declaration_id, view.expected_days) == ("draft", None, 4)
    assert (view.claim.note, view.claim.expected_amount) == ("Ra viện sớm", None)
    assert declarations.state_of(app, decl.id) == "draft"
    with app.db.reading() as conn:
        from ibhxh_client.storage import repo

        assert [(r.claim.id, r.seq) for r in repo.claims_of_declaration(conn, decl.id)] == [
            (2, 1)]
    with pytest.raises(UserError) as err:
        service.update_claim(app, 1, {"to_date": "32/03/2026"})
    assert err.value.exit_code == 2
    assert service.get_claim(app, 1).claim.to_date.day == 5  # as it was
    signer = signing.file_signer(signing.ensure_demo_certificate(app),
                                 signing.DEMO_P12_PASSWORD)
    signing.sign(app, decl.id, signer)
    with pytest.raises(UserError) as err:
        service.update_claim(app, 2, {"note": "sửa"})
    assert err.value.code == "claim_locked"
    assert service.get_claim(app, 2).claim.note == ""


def _people(app) -> list[dict]:
    from ibhxh_client.services import workers

    return [{"bhxh_number": w.bhxh_number, "full_name": w.full_name}
            for w in workers.search(app, "")]


def test_the_worker_report_holds_the_claims_and_erasure_keeps_filed_lists(app, tmp_path):
    """Decree 13: a worker's claims and months are in the report of what is held about
    them; past retention they go with the worker, except a claim in a filed list, which
    keeps the worker's (anonymised) row."""
    from ibhxh_client.domain.model import Period, WorkerStatus
    from ibhxh_client.services import claims as service
    from ibhxh_client.services import privacy
    from ibhxh_client.services.demo import make_demo
    from ibhxh_client.storage import repo

    make_demo(app, 3, claims=False)  # workers 1-3 are on the demo's 600 dossier; 4 and 5 on none
    with app.db.transaction() as conn:
        for number in ("0100000998", "0100000999"):
            w = repo.find_worker(conn, "#1")
            w.id, w.cccd, w.bhxh_number = None, "", number
            repo.add_workers(conn, [w])
    service.import_history(app, history_file(tmp_path / "qt.csv", _people(app)))
    values = {"kind": "om_dau", "from_date": MON, "to_date": FRI, "certificate": "BV-77",
              "payment": "TK", "bank_account": "0071000123456", "bank_code": "VCB"}
    service.add_claim(app, 4, values)  # in no list
    service.add_claim(app, 5, values)
    service.declare_claims(app, PERIOD, ids=[2])  # 5's claim: in a list
    report = privacy.worker_report(app, "#4")
    (claim,) = report["claims"]
    assert (claim["certificate"], claim["bank_account"], claim["from_date"]) == (
        "BV-77", "0071000123456", "2026-03-02")
    assert report["contribution_months"] == [{"from": "01/2018", "to": None,
                                              "salary": SALARY}]
    privacy.write_worker_report(app, "#4", tmp_path / "r.pdf")
    with app.db.transaction() as conn:
        repo.set_worker_status(conn, [4, 5], WorkerStatus.LEFT, Period(2010, 1))
    assert privacy.erase(app, [4, 5]) == {"deleted": 1, "anonymised": 1}
    with app.db.reading() as conn:
        assert repo.find_worker(conn, "#4") is None
        assert repo.claims_of_workers(conn, [4]) == [] and repo.load_stints(conn, [4]) == {}
        assert repo.find_worker(conn, "#5").full_name == "Đã xoá #5"
        (kept,) = repo.claims_of_workers(conn, [5])
        assert kept.claim.declaration_id is not None and kept.claim.certificate == "BV-77"
        assert repo.load_stints(conn, [5]) == {}
