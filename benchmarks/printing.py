"""The 50,000-worker paper dossier: a D02-LT list drawn to PDF with QPainter.

    python benchmarks/printing.py [--workers 50000] [--repeat 3]

Prints one table: each step's best time over the repeats and its ratio to a baseline
measured in the same run (plain QPainter drawText of the same number of cells, at the same
places, onto a QPdfWriter with the same number of pages: the floor of what Qt's PDF
engine costs), pdftotext of the output as a second yardstick, then peak memory measured in
fresh child processes: printing from the forms' records (what the printer reads), and
after a whole build_dossier (what print_dossier does: its peak is build_dossier's, see
benchmarks/pipeline.py). Goal (issue 5): the PDF in under 5 s, under 300 MB peak.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import PERIOD, best, make_inputs, rss_mb

from ibhxh_client.catalog import load_catalog
from ibhxh_client.dossier.build import build_dossier, summarise
from ibhxh_client.dossier.records import Totals, build_forms
from ibhxh_client.printing.dossier import DossierInfo, write_pdf


def info_for(catalog, employer, result) -> DossierInfo:
    digest = hashlib.sha256(result.envelope).hexdigest() if result else "0" * 64
    return DossierInfo(dossier_id=1, unit_code=employer.unit_code, unit_name=employer.name,
                       period=str(PERIOD), procedure="600",
                       procedure_name=catalog.procedure("600").name["vi"],
                       day=date(2026, 11, 5),
                       envelope_sha256=digest,
                       reason="Không ký được hồ sơ điện tử: không có USB token chữ ký số.",
                       place="TP. Hồ Chí Minh", signer=employer.signer_name,
                       contact=employer.contact_name)


def memory_only(n: int, mode: str, out: Path) -> int:
    """Print in a fresh process: peak memory with nothing else held. ``records``: from the
    forms' records, what the printer reads; ``build``: after the whole build_dossier (XML,
    schemas, envelope), as print_dossier does."""
    catalog = load_catalog()
    employer, workers, decl = make_inputs(n)
    if mode == "build":
        result = build_dossier(catalog, employer, workers, decl)
        assert result.ok
        forms, info = result.forms, info_for(catalog, employer, result)
    else:
        summary = summarise(catalog, employer, decl)
        forms = build_forms(catalog.forms, catalog.procedure("600"), employer, workers, decl,
                            Totals(len(decl.lines), 0, summary.total))
        info = info_for(catalog, employer, None)
    before = rss_mb()
    write_pdf(out, forms, info, catalog)
    print(f"{before:.0f} {rss_mb():.0f}")
    return 0


def make_data_folder(n: int, folder: Path) -> None:
    """A real data folder: the demo company, n workers, a validated procedure-600 dossier."""
    import keyring
    from keyring.backends import fail

    from ibhxh_client.services.app import open_app
    from ibhxh_client.services.declarations import declare, validate
    from ibhxh_client.storage import repo

    keyring.set_keyring(fail.Keyring())  # the key goes to IBHXH_KEY_DIR, not a real keyring
    app = open_app(folder)
    employer, workers, _ = make_inputs(n)
    for w in workers.values():
        w.id = None
    with app.db.transaction() as conn:
        repo.save_employer(conn, employer)
        repo.add_workers_bulk(conn, list(workers.values()))
    decl, _ = declare(app, "600", str(PERIOD), [], new_workers=True)
    validate(app, decl.id)
    app.close()


def service_only(folder: Path, out: Path) -> int:
    """`ibhxh print` as the officer runs it, in a fresh process: seconds and peak memory."""
    import keyring
    from keyring.backends import fail

    from ibhxh_client.services.app import open_app
    from ibhxh_client.services.printing import print_dossier

    keyring.set_keyring(fail.Keyring())
    app = open_app(folder)
    start = time.perf_counter()
    print_dossier(app, 1, reason="benchmark", out=out)
    seconds = time.perf_counter() - start
    print(f"{seconds:.3f} {rss_mb():.0f}")
    return 0


def memory(n: int, mode: str, out: Path) -> tuple[float, float]:
    # In a child started while this process is still small: Linux carries the parent's
    # peak RSS across exec, so a child started later would report ours.
    done = subprocess.run([sys.executable, __file__, "--workers", str(n), "--memory-only",
                           mode, "--out", str(out)], capture_output=True, text=True,
                          check=True)
    before, peak = (float(x) for x in done.stdout.split())
    return before, peak


def baseline(path: Path, pages: int, rows: int, cells: list[int]) -> None:
    """The same number of text cells drawn with bare QPainter calls: fixed texts at fixed
    places, no formatting, no measuring, no layout."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

    from ibhxh_client.printing.qt import font_family

    writer = QPdfWriter(str(path))
    writer.setResolution(600)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Landscape,
                                     QMarginsF(15, 10, 10, 10), QPageLayout.Unit.Millimeter))
    painter = QPainter(writer)
    font = QFont(font_family())
    font.setPointSizeF(8)
    painter.setFont(font)
    texts = ["12345", "Nguyễn Thị Phương", "7900000123", "079123456789", "12/03/1990", "Nữ",
             "Nhân viên kinh doanh", "12.340.000", "11/2026", "TM"]
    per_page = -(-rows // pages)
    step = 6300 // max(len(cells), 1)
    y = 0
    for i in range(rows):
        if i and i % per_page == 0:
            writer.newPage()
            y = 0
        y += 120
        for j in range(cells[i % len(cells)]):
            painter.drawText(j * step, y, texts[j % len(texts)])
    painter.end()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory-only", choices=["records", "build"], help=argparse.SUPPRESS)
    parser.add_argument("--service-only", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_only:
        return memory_only(args.workers, args.memory_only, Path(args.out))
    if args.service_only:
        return service_only(Path(args.service_only), Path(args.out))

    tmp = Path(tempfile.mkdtemp(prefix="ibhxh-print-bench-"))
    try:
        # Memory first, while this process is still small.
        records_mb, print_mb = memory(args.workers, "records", tmp / "m1.pdf")
        built_mb, full_mb = memory(args.workers, "build", tmp / "m2.pdf")
        # The whole `ibhxh print` on a validated dossier in a real (sealed) data folder.
        env = {**os.environ, "IBHXH_KEY_DIR": str(tmp / "keys")}
        subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]);"
                        "import printing as b;"
                        "b.make_data_folder(int(sys.argv[2]), b.Path(sys.argv[3]))",
                        str(Path(__file__).resolve().parent), str(args.workers),
                        str(tmp / "data")], check=True, env=env)
        done = subprocess.run([sys.executable, __file__, "--workers", str(args.workers),
                               "--service-only", str(tmp / "data"), "--out",
                               str(tmp / "svc.pdf")], capture_output=True, text=True,
                              check=True, env=env)
        t_service, service_mb = (float(x) for x in done.stdout.split())

        catalog = load_catalog()
        employer, workers, decl = make_inputs(args.workers)
        t_build, result = best(lambda: build_dossier(catalog, employer, workers, decl), 1)
        assert result.ok
        info = info_for(catalog, employer, result)
        out = tmp / "d02.pdf"
        t_render, rendered = best(lambda: write_pdf(out, result.forms, info, catalog),
                                  args.repeat)
        rows = result.forms[0].rows
        cells = [sum(1 for v in r.values() if v not in (None, "", 0, False)) for r in rows]
        d02_pages = rendered.documents[0].pages
        t_base, _ = best(lambda: baseline(tmp / "base.pdf", d02_pages, len(rows), cells),
                         args.repeat)
        pdftotext = shutil.which("pdftotext")
        t_text = None
        if pdftotext:
            t_text, _ = best(lambda: subprocess.run([pdftotext, str(out), str(tmp / "o.txt")],
                                                    check=True), 1)
        size = out.stat().st_size
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"{args.workers:,} workers: D02-LT {len(rows):,} rows, {sum(cells):,} cells, "
          f"{rendered.pages:,} pages (cover + {d02_pages:,}), PDF {size / 1e6:.1f} MB, "
          f"best of {args.repeat}")
    print(f"{'step':44} {'seconds':>9} {'x baseline':>11}")
    steps = [("build_dossier (forms, checks, XML; not printing)", t_build),
             ("write_pdf: cover + D02-LT to PDF", t_render),
             ("baseline: bare drawText, same cells and pages", t_base)]
    if t_text is not None:
        steps.append(("pdftotext of the output (poppler)", t_text))
    for name, secs in steps:
        print(f"{name:44} {secs:9.3f} {secs / t_base:11.2f}")
    print(f"{'memory: inputs and form records (max RSS)':44} {records_mb:8.0f}M")
    print(f"{'memory: peak, records + write_pdf':44} {print_mb:8.0f}M")
    print(f"{'memory: inputs and build_dossier (max RSS)':44} {built_mb:8.0f}M")
    print(f"{'memory: peak, build_dossier + write_pdf':44} {full_mb:8.0f}M")
    print(f"{'ibhxh print, validated dossier: seconds':44} {t_service:9.3f}")
    print(f"{'ibhxh print, validated dossier: peak':44} {service_mb:8.0f}M")
    goal_time, goal_mem = t_service < 5.0, service_mb < 300
    print(f"goal (ibhxh print of a validated 50,000-worker dossier): < 5 s: "
          f"{'yes' if goal_time else 'NO'}; peak < 300 MB: {'yes' if goal_mem else 'NO'}. "
          f"A draft is validated first, which builds the XML: {full_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
