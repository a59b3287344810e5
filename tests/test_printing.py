"""The paper dossier, printed for real and read back with independent tools: pdftotext
for the text, pdfinfo for the pages, pdffonts for the embedded fonts, pdftoppm + zbarimg
for the QR code. These tools are part of the test setup (poppler-utils, zbar-tools): a
missing one fails the test, it never skips it."""

import hashlib
import shutil
import subprocess
import unicodedata
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest

from ibhxh_client.catalog import load_catalog
from ibhxh_client.domain.model import Declaration, DeclarationLine, DossierState, Period
from ibhxh_client.domain.text import vnd
from ibhxh_client.dossier.build import build_dossier
from ibhxh_client.printing import qr
from ibhxh_client.printing.dossier import DossierInfo, print_to, write_pdf
from ibhxh_client.services import declarations, printing
from ibhxh_client.services.app import UserError
from ibhxh_client.services.demo import demo_employer, demo_workers
from ibhxh_client.services.printing import PrintError, offer_paper, print_dossier
from ibhxh_client.storage import repo

REASON = "Không ký được hồ sơ điện tử: không có USB token chữ ký số."
PERIOD = Period(2026, 11)


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is not installed: the test setup installs poppler-utils and zbar-tools"
    return path


def run(*args: str | Path) -> str:
    done = subprocess.run([tool(str(args[0])), *map(str, args[1:])], capture_output=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout.decode("utf-8")


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    pages = ["-f", str(first), "-l", str(last or first)] if first else []
    return run("pdftotext", "-enc", "UTF-8", *pages, path, "-")


def pdf_pages(path: Path) -> int:
    for line in run("pdfinfo", path).splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo gave no page count")


def read_qr(path: Path, tmp_path: Path) -> str:
    run("pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", path, tmp_path / "page")
    (png,) = tmp_path.glob("page-*1.png")
    return run("zbarimg", "--raw", "-q", png).strip()


def in_memory(rows: int, with_bhxh: bool = True):
    """A dossier built without a database: the demo company, ``rows`` workers."""
    catalog = load_catalog()
    employer = demo_employer()
    workers = {}
    for i, w in enumerate(demo_workers(rows, PERIOD), start=1):
        w.id = i
        if with_bhxh:
            w.bhxh_number = w.bhxh_number or f"99{i:08d}"
        workers[i] = w
    lines = [DeclarationLine(worker_id=i, plan="TM", from_month=PERIOD, salary=w.salary,
                             position=w.position, has_book=bool(w.bhxh_number))
             for i, w in workers.items()]
    decl = Declaration(procedure="600", period=PERIOD, lines=lines, created=date(2026, 11, 5))
    result = build_dossier(catalog, employer, workers, decl)
    assert result.ok, result.problems[:3]
    info = DossierInfo(dossier_id=7, unit_code=employer.unit_code, unit_name=employer.name,
                       period=str(PERIOD), procedure="600",
                       procedure_name=catalog.procedure("600").name["vi"], day=decl.created,
                       envelope_sha256=hashlib.sha256(result.envelope).hexdigest(),
                       reason=REASON, place="TP. Hồ Chí Minh", signer=employer.signer_name,
                       contact=employer.contact_name)
    return catalog, workers, result, info


@pytest.fixture
def printed(demo_app, tmp_path):
    """The demo dossier (25 workers, draft) printed to a PDF."""
    out = tmp_path / "hoso.pdf"
    result = print_dossier(demo_app, demo_app.demo_id, reason=REASON, out=out)
    return demo_app, out, result


def test_every_name_the_unit_the_period_and_the_totals_come_back_from_the_pdf(printed):
    app, out, result = printed
    text = pdf_text(out)
    assert unicodedata.is_normalized("NFC", text)
    decl, workers = declarations.load(app, app.demo_id)
    names = [workers[line.worker_id].full_name for line in decl.lines]
    assert len(names) == 25 and any(n != unicodedata.normalize("NFD", n) for n in names)
    lines = text.splitlines()
    for name in names:
        assert name in lines or any(name in line for line in lines), name
    employer = demo_employer()
    assert employer.name in text and employer.unit_code in text
    assert f"Kỳ kê khai: {decl.period}" in text
    salaries = sum(line.salary for line in decl.lines)
    assert vnd(salaries) in text and "." in vnd(salaries)  # 460.990.000, not 460990000
    build = build_dossier(app.catalog, employer, workers, decl)
    d02 = build.forms[0].header
    assert f"Tổng quỹ lương đóng: {vnd(d02['tong_quy_luong'])} đồng" in text
    assert f"Tổng số phải đóng: {vnd(d02['tong_phai_dong'])} đồng" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    for sign in ("NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ", "(Ký, đóng dấu, ghi rõ họ tên)",
                 employer.signer_name, employer.contact_name):
        assert sign in text
    assert f"ngày {decl.created.day:02d} tháng" in text
    assert REASON in text  # the cover says why it was printed
    assert result.pages == pdf_pages(out) == 5  # cover, D02-LT on 2, a TK1-TS for 2 workers


def test_the_fonts_are_the_shipped_ones_embedded(printed):
    _, out, _ = printed
    fonts = run("pdffonts", out).splitlines()[2:]
    assert fonts
    for line in fonts:
        assert line.startswith("DejaVuSans"), line
        assert " yes " in line.split("Identity-H", 1)[1], line  # embedded


def test_qr_read_by_zbarimg_gives_the_envelope_digest(printed, tmp_path):
    app, out, result = printed
    fields = qr.parse_payload(read_qr(out, tmp_path))
    with app.db.reading() as conn:
        envelope = repo.get_artifact(conn, app.demo_id, "envelope")
    exported = tmp_path / "hoso.xml"
    declarations.export(app, app.demo_id, exported)
    digest = hashlib.sha256(envelope).hexdigest()
    assert fields == {"dossier": str(app.demo_id), "period": str(Period.of(date.today())),
                      "unit": "TZH490L", "sha256": digest}
    assert hashlib.sha256(exported.read_bytes()).hexdigest() == digest == result.sha256


def test_a_tk1_ts_page_for_each_worker_without_a_bhxh_number(printed):
    app, out, result = printed
    decl, workers = declarations.load(app, app.demo_id)
    without = [workers[line.worker_id] for line in decl.lines
               if not workers[line.worker_id].bhxh_number]
    assert len(without) == 2  # every 10th demo worker
    tk1_pages = [p for p in range(1, result.pages + 1) if "Mẫu TK1-TS" in pdf_text(out, p)]
    assert len(tk1_pages) == len(without)
    for page, worker in zip(tk1_pages, without, strict=True):
        text = pdf_text(out, page)
        assert f"[01] Họ và tên: {worker.full_name.upper()}" in text
        assert worker.cccd in text and "Trang 1/1" in text
    assert {"form": "TK1-TS", "title": app.catalog.form("TK1-TS").title["vi"], "count": 2,
            "pages": 2} in result.documents
    cover = pdf_text(out, 1)
    assert "TK1-TS" in cover and "D02-LT" in cover


def test_printing_records_printed_with_the_reason_and_keeps_the_dossier_to_send(printed):
    app, out, result = printed
    status = declarations.status(app, app.demo_id)
    assert status["state"] == "printed" == result.state
    last = status["history"][-1]
    assert last["from"] == "validated" and last["to"] == "printed"
    assert last["detail"].startswith(REASON) and result.sha256[:16] in last["detail"]
    assert printing.state_before_printing(app, app.demo_id) == DossierState.VALIDATED
    with app.db.reading() as conn:
        log = [e for e in repo.list_processing(conn) if e["action"] == "print"]
    assert len(log) == 1 and log[0]["workers"] == 25
    assert log[0]["target"] == f"dossier {app.demo_id}"
    names = [w.full_name for w in declarations.load(app, app.demo_id)[1].values()]
    assert not any(n in log[0]["detail"] for n in names)
    assert not out.with_name(out.name + ".part").exists()
    # A reprint is allowed, and the dossier can still be exported to be signed and sent.
    again = print_dossier(app, app.demo_id, reason="In lại", out=out)
    assert again.sha256 == result.sha256
    assert declarations.status(app, app.demo_id)["history"][-1]["from"] == "printed"
    assert printing.state_before_printing(app, app.demo_id) == DossierState.VALIDATED
    with app.db.reading() as conn:  # the same envelope is not stored twice
        from sqlalchemy import func, select

        from ibhxh_client.storage.schema import artifacts
        count = conn.execute(select(func.count()).select_from(artifacts)
                             .where(artifacts.c.kind == "envelope")).scalar_one()
    assert count == 1


def test_an_unknown_printer_is_a_clear_error_and_changes_nothing(demo_app):
    before = declarations.status(demo_app, demo_app.demo_id)
    with pytest.raises(PrintError) as err:
        print_dossier(demo_app, demo_app.demo_id, reason=REASON, printer="Máy in tầng 3")
    assert err.value.code == "no_printer" and err.value.exit_code == 2
    assert "Không có máy in tên 'Máy in tầng 3'" in err.value.message("vi")
    assert "There is no printer named 'Máy in tầng 3'" in err.value.message("en")
    assert declarations.status(demo_app, demo_app.demo_id) == before
    with demo_app.db.reading() as conn:
        assert not [e for e in repo.list_processing(conn) if e["action"] == "print"]


def test_wrong_requests_are_refused_before_anything_changes(demo_app, tmp_path):
    before = declarations.status(demo_app, demo_app.demo_id)
    cases = [
        ({"reason": "  ", "out": tmp_path / "a.pdf"}, "reason_required"),
        ({"reason": "x" * 301, "out": tmp_path / "a.pdf"}, "reason_too_long"),
        ({"reason": REASON}, "print_target"),
        ({"reason": REASON, "out": tmp_path / "a.pdf", "printer": "P"}, "print_target"),
        ({"reason": REASON, "out": tmp_path / "a.docx"}, "bad_extension"),
    ]
    for kwargs, code in cases:
        with pytest.raises(UserError) as err:
            print_dossier(demo_app, demo_app.demo_id, **kwargs)
        assert err.value.code == code and err.value.exit_code == 2
        assert err.value.message("vi") != code  # a worded sentence, not the bare code
    with pytest.raises(PrintError) as err:  # a folder that does not exist
        print_dossier(demo_app, demo_app.demo_id, reason=REASON,
                      out=tmp_path / "missing" / "a.pdf")
    assert err.value.code == "pdf_failed"
    assert not list(tmp_path.rglob("*.part"))
    # A rejection the program cannot mend: the paper dossier is how the filing happens.
    with demo_app.db.transaction() as conn:
        repo.set_state(conn, demo_app.demo_id, DossierState.REJECTED, "test")
    print_dossier(demo_app, demo_app.demo_id, reason=REASON, out=tmp_path / "r.pdf")
    assert (tmp_path / "r.pdf").exists()
    with demo_app.db.transaction() as conn:
        repo.set_state(conn, demo_app.demo_id, DossierState.ACCEPTED, "test")
    with pytest.raises(PrintError) as err:
        print_dossier(demo_app, demo_app.demo_id, reason=REASON, out=tmp_path / "a.pdf")
    assert err.value.code == "not_printable"
    assert before["state"] == "draft"


def test_first_registration_and_a_late_change_print_tk3_ts_and_d01_ts(demo_app, tmp_path):
    today = Period.of(date.today())
    late = Period(today.year - (today.month <= 2), (today.month - 3) % 12 + 1)
    declarations.validate(demo_app, demo_app.demo_id)  # the 25 workers are now active
    with demo_app.db.reading() as conn:
        worker = repo.find_worker(conn, "#3")
    req = declarations.LineRequest(worker="#3", plan="GH", from_month=str(late),
                                   decision_number="QĐ-15/2026",
                                   decision_date=f"01/{late.month:02d}/{late.year}")
    decl, _ = declarations.declare(demo_app, "600", str(today), [req],
                                   first_registration=False)
    out = tmp_path / "giam.pdf"
    result = print_dossier(demo_app, decl.id, reason=REASON, out=out)
    assert [d["form"] for d in result.documents] == ["D02-LT", "D01-TS"]
    text = pdf_text(out)
    assert "BẢNG KÊ THÔNG TIN" in text and "QĐ-15/2026" in text  # D01-TS, the portal's name
    # The exchange's D01-TS holds no unit; its page names it all the same.
    assert "Mã đơn vị: TZH490L" in pdf_text(out, result.pages)
    assert worker.full_name in text and "Quyết định" in text
    # A first registration adds the unit's own declaration.
    with demo_app.db.reading() as conn:
        new = repo.find_worker(conn, "#25")
    with demo_app.db.transaction() as conn:
        repo.set_worker_status(conn, [new.id], new.status.NEW)
    decl2, _ = declarations.declare(demo_app, "600", str(today), [
        declarations.LineRequest(worker="#25")], first_registration=True)
    out2 = tmp_path / "dangky.pdf"
    result2 = print_dossier(demo_app, decl2.id, reason=REASON, out=out2)
    assert "TK3-TS" in [d["form"] for d in result2.documents]
    text2 = pdf_text(out2)
    assert "Mẫu TK3-TS" in text2 and "[02] Mã số thuế" in text2
    assert demo_employer().address in text2


@pytest.mark.parametrize(("rows", "d02_pages"), [(1, 1), (30, 2), (1000, 32)])
def test_page_count_follows_the_rows(tmp_path, rows, d02_pages):
    catalog, _workers, result, info = in_memory(rows)
    out = tmp_path / f"d02-{rows}.pdf"
    rendered = write_pdf(out, result.forms, info, catalog)
    assert rendered.documents[0].form == "D02-LT"
    assert rendered.documents[0].pages == d02_pages
    assert pdf_pages(out) == rendered.pages == 1 + d02_pages
    last = pdf_text(out, rendered.pages)
    assert f"Trang {d02_pages}/{d02_pages}" in last
    assert "THỦ TRƯỞNG ĐƠN VỊ" in last  # the signatures end the list
    # The column labels are repeated on every page of the list.
    for page in range(2, rendered.pages + 1):
        assert "Họ và tên" in pdf_text(out, page)


def test_a_qprinter_prints_the_same_dossier(tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from ibhxh_client.printing.output import available_printers

    assert isinstance(available_printers(), list)
    catalog, workers, result, info = in_memory(40, with_bhxh=False)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printer.pdf"
    printer.setOutputFileName(str(out))
    rendered = print_to(printer, result.forms, info, catalog)
    del printer  # the file is complete when the printer is gone
    assert pdf_pages(out) == rendered.pages == 1 + 2 + 4  # cover, D02-LT, 4 TK1-TS
    text = pdf_text(out)
    for w in workers.values():
        assert w.full_name in text


def test_page_one_renders_to_png(printed, tmp_path):
    _, out, _ = printed
    run("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", out, tmp_path / "look")
    pngs = sorted(tmp_path.glob("look-*.png"))
    assert len(pngs) == 2 and all(p.stat().st_size > 10_000 for p in pngs)


def test_offer_then_print_is_the_fallback_flow(demo_app, tmp_path):
    from ibhxh_client.signing.errors import PinError

    offer = offer_paper(PinError("pin_locked"))
    assert offer is not None
    result = print_dossier(demo_app, demo_app.demo_id, reason=offer.reason_vi,
                           out=tmp_path / "x.pdf")
    assert declarations.status(demo_app, demo_app.demo_id)["history"][-1]["detail"] \
        .startswith(offer.reason_vi)
    assert offer.reason_vi in pdf_text(tmp_path / "x.pdf", 1)
    assert result.message("en").startswith("Printed dossier")


def test_a_printer_that_cannot_reach_the_margins_gets_them_widened():
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize

    from ibhxh_client.printing.output import apply_layout, ensure_app

    ensure_app()

    class Printer:  # refuses layouts inside its 12 mm unprintable border, as QPrinter does
        def __init__(self):
            self.layout = QPageLayout(QPageSize(QPageSize.PageSizeId.Letter),
                                      QPageLayout.Orientation.Portrait, QMarginsF(12, 12, 12, 12),
                                      QPageLayout.Unit.Millimeter, QMarginsF(12, 12, 12, 12))

        def setPageLayout(self, layout):
            return False

        def pageLayout(self):
            return self.layout

        def setPageSize(self, size):
            self.layout.setPageSize(size, QMarginsF(12, 12, 12, 12))

        def setPageOrientation(self, orientation):
            self.layout.setOrientation(orientation)

        def setPageMargins(self, margins, units):
            self.margins = margins

    printer = Printer()
    apply_layout(printer, "landscape", (10, 10, 10, 15))
    assert printer.layout.pageSize().id() == QPageSize.PageSizeId.A4
    assert printer.layout.orientation() == QPageLayout.Orientation.Landscape
    m = printer.margins
    assert (m.left(), m.top(), m.right(), m.bottom()) == (15, 12, 12, 12)


def test_a_preview_changes_nothing_and_the_dialogs_printer_is_recorded(demo_app, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from ibhxh_client.printing.qt import ensure_app

    ensure_app()  # the window has its application when it shows a preview
    before = declarations.status(demo_app, demo_app.demo_id)
    paper = printing.prepare_paper(demo_app, demo_app.demo_id, reason=REASON)
    preview = QPrinter(QPrinter.PrinterMode.HighResolution)  # what a preview hands over
    preview.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    preview.setOutputFileName(str(tmp_path / "preview.pdf"))
    assert paper.render(preview).pages == 5
    del preview
    assert pdf_pages(tmp_path / "preview.pdf") == 5
    assert declarations.status(demo_app, demo_app.demo_id) == before  # still a draft

    chosen = QPrinter(QPrinter.PrinterMode.HighResolution)  # what a print dialog hands over
    chosen.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    chosen.setOutputFileName(str(tmp_path / "dialog.pdf"))
    result = print_dossier(demo_app, demo_app.demo_id, reason=REASON, printer=chosen)
    del chosen
    assert result.printer == str(tmp_path / "dialog.pdf") and result.out is None
    assert result.sha256 == paper.sha256  # the preview showed what was printed
    assert pdf_text(tmp_path / "dialog.pdf") == pdf_text(tmp_path / "preview.pdf")
    assert declarations.status(demo_app, demo_app.demo_id)["state"] == "printed"


def test_no_text_runs_into_the_footer_or_off_the_page(tmp_path):
    """Word boxes from pdftotext -bbox: on every page, everything but the footer line lies
    above the footer, nothing leaves the paper, and no two words on a line overlap (no
    cell runs into the next)."""
    import re

    catalog, _workers, result, info = in_memory(300, with_bhxh=False)
    out = tmp_path / "boxes.pdf"
    write_pdf(out, result.forms, info, catalog)
    html = run("pdftotext", "-bbox", out, "-")
    page_re = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
    word_re = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                         r'yMax="([\d.]+)">([^<]*)</word>')
    pages = page_re.findall(html)
    assert len(pages) == pdf_pages(out)
    for number, (width, height, body) in enumerate(pages, start=1):
        words = [(float(a), float(b), float(c), float(d), w)
                 for a, b, c, d, w in word_re.findall(body)]
        footer_top = max(b for a, b, c, d, w in words if w == "Trang")
        for x0, y0, x1, y1, word in words:
            assert 0 < x0 and x1 < float(width) and 0 < y0 and y1 < float(height), (number, word)
            if y0 < footer_top - 1:  # not on the footer's line
                assert y1 < footer_top - 2, (number, word, y1, footer_top)
        lines: dict[float, list] = {}
        for x0, y0, x1, _y1, word in words:
            lines.setdefault(round(y0, 1), []).append((x0, x1, word))
        for line in lines.values():
            line.sort()
            for (_a0, a1, a), (b0, _b1, b) in pairwise(line):
                assert a1 <= b0 + 0.5, (number, a, b)
