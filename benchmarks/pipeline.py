"""The 50,000-worker pipeline: validation, contributions, XML with XSD validation.

    python benchmarks/pipeline.py [--workers 50000] [--repeat 3]

Prints one table: each step's best time over the repeats, and its ratio to a baseline
measured in the same run (plain lxml building and serialisation of the same number of
elements), then the whole build_dossier call and the process's peak memory.
Goal (issue 2): the three steps together under 3 s, peak memory under 500 MB.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import best, make_inputs, rss_mb

from ibhxh_client.catalog import load_catalog
from ibhxh_client.domain.validation import validate_form
from ibhxh_client.dossier.build import build_dossier, rule_context, summarise
from ibhxh_client.dossier.envelope import DossierFile, build_envelope
from ibhxh_client.dossier.records import Totals, build_forms
from ibhxh_client.dossier.xmlform import form_element, to_bytes
from ibhxh_client.dossier.xsd import load_schema


def memory_only(n: int) -> int:
    """One build_dossier in a fresh process: peak memory with nothing else held."""
    catalog = load_catalog()
    employer, workers, decl = make_inputs(n)
    before = rss_mb()
    assert build_dossier(catalog, employer, workers, decl).ok
    print(f"{before:.0f} {rss_mb():.0f}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_only:
        return memory_only(args.workers)

    # Memory first, in a child started while this process is still small: Linux carries
    # the parent's peak RSS across exec, so a child started later would report ours.
    measured = subprocess.run([sys.executable, __file__, "--memory-only", "--workers",
                               str(args.workers)], capture_output=True, text=True, check=True)
    inputs_mb, peak_mb = (float(x) for x in measured.stdout.split())

    catalog = load_catalog()
    employer, workers, decl = make_inputs(args.workers)
    procedure = catalog.procedure("600")
    ctx = rule_context(catalog, employer, decl)
    schema = load_schema(catalog.xsd_path("D02-LT"))

    t_contrib, summary = best(lambda: summarise(catalog, employer, decl), args.repeat)
    totals = Totals(len(decl.lines), 0, summary.total)
    t_records, forms = best(lambda: build_forms(catalog.forms, procedure, employer, workers,
                                                decl, totals), args.repeat)
    t_validate, problems = best(lambda: [p for f in forms for p in validate_form(f, ctx)],
                                args.repeat)
    assert not problems, problems[:3]
    t_xml, root = best(lambda: form_element(forms[0]), args.repeat)
    t_xsd, ok = best(lambda: schema.validate(root), args.repeat)
    assert ok, schema.error_log
    t_bytes, content = best(lambda: to_bytes(root), args.repeat)
    files = [DossierFile("D02-TS", "D02", catalog.form("D02-LT").file_name, content)]
    t_env, envelope = best(lambda: build_envelope(employer, decl, "600", files,
                                                  catalog.envelope), args.repeat)
    t_total, result = best(lambda: build_dossier(catalog, employer, workers, decl), args.repeat)
    assert result.ok

    # Baseline: the same number of elements built and serialised with plain lxml.
    n_rows = len(forms[0].rows)
    n_cells = sum(len([v for v in r.values() if v not in (None, "", 0, False)])
                  for r in forms[0].rows) // max(n_rows, 1)

    def baseline() -> bytes:
        top = etree.Element("D02-TS")
        container = etree.SubElement(top, "DanhSachLaoDong")
        sub = etree.SubElement
        for i in range(n_rows):
            row = sub(container, "LaoDong")
            for j in range(n_cells):
                sub(row, f"C{j}").text = str(i + j)
        return etree.tostring(top, xml_declaration=True, encoding="UTF-8")

    t_base, _ = best(baseline, args.repeat)

    steps = [
        ("contributions (compute_many)", t_contrib),
        ("form records from the declaration", t_records),
        ("validation (fields and rules)", t_validate),
        ("XML tree of D02-LT", t_xml),
        ("XSD validation", t_xsd),
        ("serialise D02-LT", t_bytes),
        ("envelope (base64 + XSD)", t_env),
        ("build_dossier, all of the above", t_total),
        ("baseline: plain lxml, same elements", t_base),
    ]
    print(f"{args.workers:,} workers, {n_rows:,} rows x {n_cells} cells, "
          f"D02 {len(content) / 1e6:.1f} MB, envelope {len(envelope) / 1e6:.1f} MB, "
          f"best of {args.repeat}")
    print(f"{'step':40} {'seconds':>9} {'x baseline':>11}")
    for name, secs in steps:
        print(f"{name:40} {secs:9.3f} {secs / t_base:11.2f}")
    print(f"{'memory: inputs loaded (max RSS)':40} {inputs_mb:8.0f}M")
    print(f"{'memory: peak of one build_dossier':40} {peak_mb:8.0f}M")
    goal_time, goal_mem = t_total < 3.0, peak_mb < 500
    print(f"goal: build_dossier < 3 s: {'yes' if goal_time else 'NO'}; "
          f"peak < 500 MB: {'yes' if goal_mem else 'NO'}")
    signatures(catalog, args.workers)
    return 0


def signatures(catalog, n: int) -> None:
    """The same employer with one worker in ten new: its files and the token operations
    that signing it takes (counted on a real PKCS#12 signer), and the time they take."""
    import datetime as dt
    import tempfile
    import time

    from ibhxh_client.signing import Pkcs12Signer, make_demo_pkcs12, sign_dossier

    employer, workers, decl = make_inputs(n, new_workers=True)
    result = build_dossier(catalog, employer, workers, decl)
    assert result.ok, result.problems[:3]
    new = sum(1 for line in decl.lines if not workers[line.worker_id].bhxh_number)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.p12"
        make_demo_pkcs12(path, b"bench", employer.tax_code, employer.name)
        signer = Pkcs12Signer.from_file(path, b"bench")
    calls = []
    inner = signer.sign
    signer.sign = lambda data: calls.append(len(data)) or inner(data)  # count, then sign
    start = time.perf_counter()
    sign_dossier(result.envelope, signer, signing_time=dt.datetime.now(dt.UTC),
                 place_of=catalog.signature_place,
                 envelope_place=catalog.envelope.signature_path)
    took = time.perf_counter() - start
    names = ", ".join(f.file_name for f in result.files)
    print(f"{n:,} workers, {new:,} without a BHXH number: {len(result.files)} files "
          f"({names}); {len(calls)} signatures (one per file + the envelope), "
          f"one signer session; signed in {took:.2f} s")


if __name__ == "__main__":
    sys.exit(main())
