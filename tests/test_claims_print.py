"""The claim list M01B-HSB on paper (issue 15), printed for real and read back with
pdftotext: the list of one month through the printing pipeline (cover, heading, a row per
claim, the totals, the signatures), a long list over several pages, and a stored claim-list
dossier through `ibhxh print`. poppler-utils is part of the test setup: a missing tool
fails the test, it never skips it."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

from ibhxh_client.catalog import load_catalog
from ibhxh_client.domain.claims import Claim
from ibhxh_client.domain.model import Declaration, DossierState, Period
from ibhxh_client.domain.text import vnd
from ibhxh_client.dossier.build import build_dossier
from ibhxh_client.dossier.reading import envelope_forms
from ibhxh_client.printing.dossier import DossierInfo, write_pdf
from ibhxh_client.services.app import open_app
from ibhxh_client.services.demo import demo_employer, demo_workers
from ibhxh_client.services.employer import get as get_employer
from ibhxh_client.storage import repo

CATALOG = load_catalog()
PERIOD = Period(2026, 3)
REASON = "Cổng tiếp nhận không kết nối được."
TITLE = ("DANH SÁCH ĐỀ NGHỊ GIẢI QUYẾT HƯỞNG CHẾ ĐỘ ỐM ĐAU, THAI SẢN, DƯỠNG SỨC PHỤC HỒI "
         "SỨC KHỎE")


def pdf_text(path: Path, *args: str) -> str:
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is not installed: the test setup installs poppler-utils"
    done = subprocess.run([tool, "-enc", "UTF-8", *args, str(path), "-"], capture_output=True,
                          timeout=60, check=True)
    return done.stdout.decode("utf-8")


def flat(text: str) -> str:
    return " ".join(text.split())


def sick(worker_id: int, n: int = 0) -> Claim:
    start = date(2026, 3, 2) + timedelta(days=7 * (n % 3))
    amount = 937_500 + 1_250 * n
    return Claim(worker_id=worker_id, kind="om_dau", from_date=start,
                 to_date=start + timedelta(days=4), certificate=f"BV-2026-{n:06d}",
                 payment="TK", bank_account="0071000123456", bank_code="VCB", expected_days=5,
                 expected_amount=amount, salary_base=6_000_000, months=40,
                 rule="75 % × 6.000.000 ÷ 24 × 5 ngày (Luật 41/2024/QH15, điều 45)")


def printed(tmp_path: Path, claims: list[Claim], workers) -> tuple[Path, int]:
    employer = demo_employer()
    decl = Declaration(procedure="630a", period=PERIOD, claims=claims,
                       created=date(2026, 3, 20))
    result = build_dossier(CATALOG, employer, workers, decl)
    assert result.ok, [p.message() for p in result.problems]
    info = DossierInfo(dossier_id=12, unit_code=employer.unit_code, unit_name=employer.name,
                       period=str(PERIOD), procedure="630a",
                       procedure_name=CATALOG.procedure("630a").name["vi"], day=decl.created,
                       envelope_sha256=hashlib.sha256(result.envelope).hexdigest(),
                       reason=REASON, place="TP. Hồ Chí Minh", signer=employer.signer_name,
                       contact=employer.contact_name)
    pdf = tmp_path / "m01b.pdf"
    rendered = write_pdf(pdf, envelope_forms(CATALOG, result.envelope), info, CATALOG)
    return pdf, rendered.pages


def some_workers(count: int):
    return {n: dataclasses.replace(w, id=n)
            for n, w in enumerate(demo_workers(count, PERIOD), start=1)}


def test_the_claim_list_prints_with_its_rows_and_totals(tmp_path):
    workers = some_workers(3)
    birth = Claim(worker_id=3, kind="sinh_con", from_date=date(2026, 3, 9),
                  to_date=date(2026, 9, 8), child_birth_date=date(2026, 3, 10), child_count=1,
                  expected_days=184, expected_amount=60_000_000, salary_base=10_000_000,
                  months=30)
    claims = [sick(1), sick(2, 4)]
    pdf, pages = printed(tmp_path, claims, workers)
    text = pdf_text(pdf)
    words = flat(text)
    assert pages == 2  # the cover, then the one-page list
    assert "PHIẾU GIAO NHẬN HỒ SƠ" in text and "Mẫu 01B-HSB" in text
    assert TITLE in words
    assert "Tháng 03/2026 — Thủ tục 630a: Xét duyệt chế độ ốm đau" in words
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Công ty TNHH Thương mại Dịch vụ Sao Mai" in text and "TZH490L" in text
    for n in (1, 2):
        assert workers[n].full_name in words and workers[n].bhxh_number in text
    assert "Ốm đau (bản thân)" in words
    assert "02/03/2026" in text and "06/03/2026" in text
    assert "937.500" in text and "942.500" in text  # each amount asked, 937.500 + 5 × 1.250
    total = 937_500 + 942_500
    assert "Tổng cộng" in text and vnd(total) == "1.880.000" and "1.880.000" in text
    assert "Tổng số tiền đề nghị: 1.880.000 đồng" in words
    assert "Số người đề nghị: 2" in words
    assert "NGƯỜI LẬP BIỂU" in text and "THỦ TRƯỞNG ĐƠN VỊ" in text
    assert "Nguyễn Thị Lan" in text and "Trần Minh Quân" in text
    assert "BV-2026-000004" in text  # the certificate's serial, a column shown when given
    assert "Nặng nhọc" not in words  # an optional column nobody filled is left out
    assert "Nghỉ dưỡng thai" not in words and "Con thứ hai" not in words
    # a maternity list: the child's birth date and count are shown, and its own title line
    rested = dataclasses.replace(birth, worker_id=2, prenatal_rest=True)
    decl = Declaration(procedure="630b", period=PERIOD, claims=[birth, rested],
                       created=date(2026, 3, 20))
    result = build_dossier(CATALOG, demo_employer(), workers, decl)
    info = DossierInfo(dossier_id=13, unit_code="TZH490L", unit_name="Sao Mai",
                       period="03/2026", procedure="630b",
                       procedure_name=CATALOG.procedure("630b").name["vi"], day=decl.created,
                       envelope_sha256="0" * 64, reason=REASON)
    other = tmp_path / "630b.pdf"
    write_pdf(other, envelope_forms(CATALOG, result.envelope), info, CATALOG, cover=False)
    words = flat(pdf_text(other))
    assert "Thủ tục 630b: Xét duyệt chế độ thai sản" in words
    assert "Lao động nữ sinh con" in words and "10/03/2026" in words
    assert "60.000.000" in words and "Ngày sinh con" in words
    # a birth after a prenatal rest: its column, marked on that row only
    assert "Nghỉ dưỡng thai" in words and "Con thứ hai" not in words


def test_a_long_list_goes_over_pages_with_one_total(tmp_path):
    workers = some_workers(66)  # every tenth has no BHXH number: no claim for them
    claims = [sick(n, n) for n in range(1, 67) if workers[n].bhxh_number]
    assert len(claims) == 60
    pdf, pages = printed(tmp_path, claims, workers)
    assert pages >= 3  # the cover and at least two pages of rows
    total = sum(c.expected_amount for c in claims)
    text = pdf_text(pdf)
    assert text.count("Tổng cộng") == 1 and text.count(vnd(total)) >= 2  # row and summary
    last = pdf_text(pdf, "-f", str(pages), "-l", str(pages))
    assert "THỦ TRƯỞNG ĐƠN VỊ" in last
    second = pdf_text(pdf, "-f", "3", "-l", "3")
    assert "Mẫu 01B-HSB" not in second and "Họ và tên" in second  # labels on every page
    assert f"Trang 2/{pages - 1}" in second


def test_ibhxh_print_prints_a_stored_claim_list(cli, data_dir, tmp_path):
    """A claim-list dossier as the database holds it once validated (its envelope
    stored): `ibhxh print` prints it like any dossier and records the state printed."""
    assert cli("demo", "--workers", "4", "--no-claims").code == 0
    app = open_app(data_dir)
    try:
        employer = get_employer(app)
        with app.db.reading() as conn:
            workers = repo.load_workers(conn)
        first, second = sorted(workers)[:2]
        decl = Declaration(procedure="630a", period=PERIOD,
                           claims=[sick(first), sick(second, 2)], created=date(2026, 3, 20))
        result = build_dossier(app.catalog, employer, workers, decl)
        assert result.ok, [p.message() for p in result.problems]
        with app.db.transaction() as conn:
            decl_id = repo.save_declaration(conn, decl)
            repo.put_artifact(conn, decl_id, "envelope", result.envelope)
            repo.set_state(conn, decl_id, DossierState.VALIDATED)
    finally:
        app.close()
    pdf = tmp_path / "ho-so.pdf"
    r = cli("--json", "print", decl_id, "--out", pdf, "--reason", REASON)
    assert r.code == 0, r.err
    assert r.json["workers"] == 2 and r.json["state"] == "printed"
    assert [d["form"] for d in r.json["documents"]] == ["M01B-HSB"]
    words = flat(pdf_text(pdf))
    assert TITLE in words and workers[first].full_name in words
    assert "Thủ tục 630a" in words and "1.877.500" in words  # 937.500 + 940.000
    assert REASON in words
    assert cli("--json", "status", decl_id).json["state"] == "printed"
