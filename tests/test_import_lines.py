"""`ibhxh declare … --from FILE`: declaration lines from a spreadsheet."""

from __future__ import annotations

from datetime import date

import pytest

from ibhxh_client.domain.model import Period
from ibhxh_client.services import declarations
from ibhxh_client.services import importing as imp
from ibhxh_client.services.app import UserError
from ibhxh_client.storage import repo
from tests.test_import_files import write_csv, write_xlsx


def demo_workers(app, n=3):
    with app.db.reading() as conn:
        return repo.search_workers(conn)[:n]


def test_lines_from_a_sheet_make_a_declaration(demo_app, tmp_path):
    w = demo_workers(demo_app)
    period = Period.of(date.today())
    rows = [["DANH SÁCH ĐIỀU CHỈNH", None, None, None, None, None],
            ["Mã số BHXH", "Số CCCD", "Phương án", "Mức lương", "Từ tháng", "Ghi chú"],
            [w[0].bhxh_number or None, w[0].cccd, "DC - Điều chỉnh lương", "12.000.000",
             str(period), "Tăng lương"],
            [None, w[1].cccd, "dc", 13_500_000, date(period.year, period.month, 1), None],
            [int(w[2].bhxh_number) if w[2].bhxh_number else None, w[2].cccd, "DC",
             "14,000,000", f"{period.month}/{period.year}", None]]
    requests = imp.line_requests(demo_app, write_xlsx(tmp_path / "dc.xlsx", {"S": rows}))
    assert [(r.worker, r.plan, r.salary, r.from_month) for r in requests] == [
        (w[0].bhxh_number or w[0].cccd, "DC", "12000000", str(period)),
        (w[1].cccd, "DC", "13500000", str(period)),
        (w[2].bhxh_number or w[2].cccd, "DC", "14000000", str(period))]
    assert requests[0].note == "Tăng lương"
    decl, _ = declarations.declare(demo_app, "600", str(period), requests)
    assert [line.salary for line in decl.lines] == [12_000_000, 13_500_000, 14_000_000]


def test_decision_and_leave_columns(demo_app, tmp_path):
    w = demo_workers(demo_app, 1)[0]
    rows = [["Số CCCD", "Phương án", "Từ tháng", "Đến tháng", "Số quyết định",
             "Ngày quyết định", "Số ngày nghỉ"],
            [w.cccd, "KL", "01/2026", "2026-02", "15/QĐ-SM", date(2025, 12, 20), 20]]
    (req,) = imp.line_requests(demo_app, write_xlsx(tmp_path / "kl.xlsx", {"S": rows}))
    assert (req.plan, req.from_month, req.to_month, req.decision_number, req.decision_date,
            req.leave_days) == ("KL", "01/2026", "02/2026", "15/QĐ-SM", "20/12/2025", "20")


def test_unreadable_cells_are_listed_with_their_row_and_column(demo_app, tmp_path):
    w = demo_workers(demo_app, 1)[0]
    rows = [["Số CCCD", "Phương án", "Mức lương", "Từ tháng", "Ngày quyết định"],
            [w.cccd, "DC", "12 triệu", "13/2026", "hôm qua"],
            [None, "DC", "12000000", "01/2026", None],
            ["Tổng cộng", None, "24000000", None, None]]
    with pytest.raises(UserError) as err:
        imp.line_requests(demo_app, write_csv(tmp_path / "bad.csv", rows))
    problems = err.value.problems
    assert [(p.row, p.column.letter if p.column else None, p.code) for p in problems] == [
        (2, "C", "not_number"), (2, "D", "bad_month"), (2, "E", "bad_date"),
        (3, "A", "import_no_worker_key")]
    assert problems[1].to_dict()["message"] == (
        "Dòng 2, cột D (Từ tháng): '13/2026' không phải tháng hợp lệ (mm/yyyy).")


def test_an_unknown_worker_is_reported_by_declare(demo_app, tmp_path):
    rows = [["Mã số BHXH", "Phương án"], ["9999999999", "DC"]]
    requests = imp.line_requests(demo_app, write_xlsx(tmp_path / "u.xlsx", {"S": rows}))
    with pytest.raises(UserError) as err:
        declarations.declare(demo_app, "600", str(Period.of(date.today())), requests)
    assert err.value.problems[0].code == "unknown_worker"
