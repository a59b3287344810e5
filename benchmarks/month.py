"""The realistic month (issue 14): 50,000 workers from a spreadsheet to a signed, exported and
printed procedure-600 dossier, every step the `ibhxh` command in a fresh process.

    python benchmarks/month.py [--workers 50000] [--new-share 0.1] [--keep DIR]
                               [--returning-share 0.02] [--first-month]

Inputs are written first (not timed), from services/demo.py's generators: the company, and
an .xlsx of ``--workers`` workers (realistic Vietnamese names, CCCD, birth dates, salaries,
half of the BHXH numbers typed as numbers that lost their leading zero) in which
``--new-share`` have no BHXH number yet: the month's new workers.

The months before are set up through the same command line and timed apart (not part of
the month): the company (`employer set`), the existing workers imported and increased in
08/2026 (`declare --new-workers`, `validate`: they become active), and
``--returning-share`` of them put on leave in 09/2026 (procedure 600, plan codes TS or
KL: maternity or unpaid leave). ``--first-month`` skips them: the onboarding month, in
which every imported worker is new to the program and the dossier holds a line for each
of them.

The month (11/2026), each step ``python -m ibhxh_client --data-dir D …`` in a new process:

- import + save: `workers import` of the whole sheet (the existing workers are found and
  left unchanged, the new ones added);
- declare: `declare --procedure 600 --new-workers --lines FILE.csv`: a D02-LT line (TM) for
  each new worker and one (ON, back to work) for each worker on leave, a third of those
  from 10/2026 with their decision; so TK1-TS for the new workers and D01-TS for the
  retroactive lines. The month's decreases and adjustments (600 as well, by their plan
  codes) are not in it;
- validate; sign with the file key (`--demo-cert`); sign with a SoftHSM2 token (a real
  token in a private SOFTHSM2_CONF, the PIN through --pin-env); export the signed envelope;
  print the paper dossier to PDF.

Beside each step, the same step for a one-form dossier in the same run (50 workers, all
with BHXH numbers: a D02-LT only) and the ratio. Wall time is the child's, from start to
exit; peak memory its ru_maxrss from wait4. Linux carries a parent's peak RSS across exec,
so this process imports nothing heavy: the inputs, the token and the signature count are
made in children too, and the parent's own size (the floor of every figure) is printed.

Token operations are counted, not inferred: the SoftHSM2 signing runs the same command in
a child that wraps python-pkcs11's ``SignMixin.sign`` (each call one C_SignInit/C_Sign)
before calling ``ibhxh_client.cli.main``. A real USB token takes 100–300 ms per signature
(RECIPES.md), so the step is also given as measured + calls × 0.2 s. The signatures in the
exported envelope are counted too (every ds:Signature element, in the envelope and in
each form file inside it), whatever the files are named.

The machine's keyring stays out, as ``common.no_keyring()`` keeps it out of an in-process
benchmark: each child runs with keyring's "fail" backend (PYTHON_KEYRING_BACKEND) and the
data key in a folder of the benchmark's (IBHXH_KEY_DIR).

Goals (issue 14): the whole month under 20 s (token signing as on the 200 ms token); no
step over 500 MB; signing under 5 s on the 200 ms token; printing under 8 s. Exit status 1
when one is not met (2 when SoftHSM2 is missing).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN_LABEL = "MONTH"
TOKEN_PIN = "1234"
TOKEN_SECONDS = 0.2  # a real USB token: 100–300 ms per RSA signature
BASELINE_WORKERS = 50
PERIOD = "11/2026"
BEFORE = ("08/2026", "09/2026")  # increased, then put on leave
RETRO_FROM = "10/2026"  # a retroactive return: the month before the declared one
GOAL_MONTH_S, GOAL_MB, GOAL_SIGN_S, GOAL_PRINT_S = 20.0, 500, 5.0, 8.0


# -- children: inputs, the token, the counted signing, the signature count -----------------

def _is_new(n: int, share: float) -> bool:
    """Spread the new workers evenly: worker n is new when the running share steps up."""
    return int((n + 1) * share) > int(n * share)


def prepare(folder: Path, workers: int, new_share: float, returning_share: float,
            first_month: bool) -> int:
    """Write the inputs: employer.json, month.xlsx, before.xlsx (existing workers only),
    leave.csv and back.csv (the leave and return lines), baseline.xlsx; print their counts."""
    sys.path.insert(0, str(BENCH))
    from common import PERIOD as COMMON_PERIOD

    from ibhxh_client.services.demo import demo_employer, demo_workers
    from ibhxh_client.services.employer import as_dict

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "employer.json").write_text(json.dumps(as_dict(demo_employer()),
                                                     ensure_ascii=False), "utf-8")
    people = list(demo_workers(workers, COMMON_PERIOD))
    new = [_is_new(n, new_share) for n in range(workers)]
    for n, w in enumerate(people):
        w.bhxh_number = "" if new[n] else w.bhxh_number or f"{w.address_province}{n:08d}"
    _write_sheet(folder / "month.xlsx", people)
    existing = [w for n, w in enumerate(people) if not new[n]]
    leave = [] if first_month else [w for n, w in enumerate(existing)
                                    if _is_new(n, returning_share)]
    if not first_month:
        _write_sheet(folder / "before.xlsx", existing)
        _write_lines(folder / "leave.csv", [(w, "TS" if w.gender == "F" else "KL",
                                             BEFORE[1], "", "") for w in leave])
        back = [(w, "ON", RETRO_FROM if i % 3 == 0 else PERIOD,
                 f"{i + 1}/2026/QĐ-SM" if i % 3 == 0 else "",
                 "01/10/2026" if i % 3 == 0 else "") for i, w in enumerate(leave)]
        _write_lines(folder / "back.csv", back)
    base = list(demo_workers(BASELINE_WORKERS, COMMON_PERIOD, seed=14))
    for n, w in enumerate(base):
        w.bhxh_number = w.bhxh_number or f"{w.address_province}{n:08d}"
    _write_sheet(folder / "baseline.xlsx", base)
    print(json.dumps({"workers": workers, "new": sum(new), "returning": len(leave),
                      "retroactive": len(range(0, len(leave), 3))}))
    return 0


def _write_sheet(path: Path, people: list) -> None:
    """The workers as HR files look (benchmarks/importing.py's columns)."""
    from datetime import date

    from importing import HEADER
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(["DANH SÁCH LAO ĐỘNG"])
    ws.append([])
    ws.append(HEADER)
    for n, w in enumerate(people, start=1):
        bhxh = int(w.bhxh_number) if w.bhxh_number and n % 2 else w.bhxh_number
        born = w.birth_date
        ws.append([n, w.full_name, bhxh, w.cccd, date(born.year, born.month, born.day),
                   "Nam" if w.gender == "M" else "Nữ", "Kinh", "Việt Nam", w.phone,
                   w.birth_place, w.birth_province, w.address, w.address_province,
                   w.position, w.salary])
    wb.save(path)


def _write_lines(path: Path, lines: list[tuple]) -> None:
    """A `declare --lines` CSV: the worker by BHXH number, plan, from, decision."""
    import csv

    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["worker", "plan", "from", "decision_number", "decision_date"])
        for w, plan, start, number, day in lines:
            out.writerow([w.bhxh_number, plan, start, number, day])


def make_token(folder: Path) -> int:
    """A SoftHSM2 token of the demo company (tests/pkcs11_fixtures.py's steps): key made
    on the token, certificate from a throw-away CA; prints the module and config paths."""
    sys.path.insert(0, str(ROOT))
    from ibhxh_client.services.demo import demo_employer
    from ibhxh_client.signing.demo import DemoCA
    from tests.pkcs11_fixtures import SoftHsm

    employer = demo_employer()
    hsm = SoftHsm(folder)
    hsm.init_token(TOKEN_LABEL, pin=TOKEN_PIN)
    public = hsm.generate_key(TOKEN_LABEL, b"\x01", pin=TOKEN_PIN)
    ca = DemoCA.create("IBHXH MONTH BENCH CA")
    cert = ca.issue(public, company_name=employer.name, tax_code=employer.tax_code)
    hsm.store_certificate(TOKEN_LABEL, cert, b"\x01", pin=TOKEN_PIN)
    hsm.store_certificate(TOKEN_LABEL, ca.certificate, b"\xca", pin=TOKEN_PIN)  # the chain
    print(json.dumps({"module": hsm.module_path, "conf": str(hsm.conf)}))
    return 0


def counted_cli(count_file: Path, argv: list[str]) -> int:
    """`ibhxh ARGV` with every python-pkcs11 signing call counted into ``count_file``."""
    import pkcs11.types

    calls = 0
    real = pkcs11.types.SignMixin.sign

    def sign(self, data, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return real(self, data, **kwargs)

    pkcs11.types.SignMixin.sign = sign  # type: ignore[method-assign]
    from ibhxh_client.cli import main

    try:
        return main(argv)
    finally:
        count_file.write_text(str(calls))


def count_signatures(path: Path) -> int:
    """XML-DSig signatures in an envelope and in every XML file carried inside it
    (base64 text that decodes to XML), whatever the elements and files are called."""
    import base64
    import binascii

    from lxml import etree

    ds = "{http://www.w3.org/2000/09/xmldsig#}Signature"
    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)
    root = etree.fromstring(path.read_bytes(), parser)
    files, signatures = 0, sum(1 for _ in root.iter(ds))
    for el in root.iter():
        text = (el.text or "").strip()
        if len(el) or len(text) < 64:
            continue
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            continue
        if data.lstrip()[:1] == b"<":
            files += 1
            signatures += sum(1 for _ in etree.fromstring(data, parser).iter(ds))
    print(json.dumps({"files": files, "signatures": signatures}))
    return 0


# -- the parent: fresh processes, measured ----------------------------------------------

@dataclass
class Run:
    """One child: wall seconds, peak RSS in MB, what it printed."""

    seconds: float
    peak_mb: float
    stdout: str
    extra: dict = field(default_factory=dict)


class Runner:
    """Starts each step as a new process and measures it with wait4 (that child's own
    ru_maxrss, not the sum or the maximum over every child)."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
                    "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
                    "IBHXH_KEY_DIR": str(work / "keys"),
                    "PYTHONPATH": os.pathsep.join(filter(None, [
                        str(ROOT), os.environ.get("PYTHONPATH", "")]))}
        self.count = 0

    def run(self, argv: list[str], env: dict[str, str] | None = None) -> Run:
        self.count += 1
        out, err = (self.work / f"step{self.count:02d}.{x}" for x in ("out", "err"))
        with out.open("wb") as fo, err.open("wb") as fe:
            start = time.perf_counter()
            child = subprocess.Popen(argv, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL,
                                     env=env or self.env, cwd=self.work)
            _, status, usage = os.wait4(child.pid, 0)
            seconds = time.perf_counter() - start
        child.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:  # with --json the command's own message is on stdout
            tail = "\n".join(f.read_text("utf-8", "replace")[-1500:] for f in (out, err))
            raise SystemExit(f"step failed (exit {code}): {' '.join(argv)}\n{tail}")
        return Run(seconds, usage.ru_maxrss / 1024, out.read_text("utf-8"))

    def ibhxh(self, data: Path, *args: str) -> Run:
        return self.run([sys.executable, "-m", "ibhxh_client", "--data-dir", str(data),
                         "--json", *args])

    def tool(self, *args: str) -> dict:
        """A helper child of this script (inputs, token, signature count): its JSON."""
        return json.loads(self.run([sys.executable, str(Path(__file__).resolve()),
                                    *args]).stdout)


def setup_months(r: Runner, data: Path, inputs: Path, first_month: bool,
                 returning: int) -> list[tuple[str, Run]]:
    """The company, and unless ``first_month`` the months before; their timings."""
    done = [("employer set", r.ibhxh(data, "employer", "set", "--file",
                                     str(inputs / "employer.json")))]
    if first_month:
        return done
    done.append(("import the existing workers", r.ibhxh(data, "workers", "import",
                                                        str(inputs / "before.xlsx"))))
    months = [(BEFORE[0], "600", ["--new-workers"], "all existing")]
    if returning:
        months.append((BEFORE[1], "600", ["--lines", str(inputs / "leave.csv")],
                       "600, on leave"))
    for period, procedure, how, what in months:
        made = r.ibhxh(data, "declare", "--procedure", procedure, "--period", period, *how)
        done.append((f"declare {period} ({what})", made))
        dossier = str(json.loads(made.stdout)["dossier_id"])
        done.append((f"validate {period}", r.ibhxh(data, "validate", dossier)))
    return done


def the_month(r: Runner, data: Path, sheet: Path, lines: Path | None,
              token: dict) -> dict[str, Run]:
    """The month's steps, each a new process; the SoftHSM2 signing counted."""
    steps: dict[str, Run] = {}
    steps["import"] = r.ibhxh(data, "workers", "import", str(sheet))
    extra = ["--lines", str(lines)] if lines else []
    steps["declare"] = r.ibhxh(data, "declare", "--procedure", "600", "--period", PERIOD,
                               "--new-workers", *extra)
    made = json.loads(steps["declare"].stdout)
    steps["declare"].extra = made
    dossier = str(made["dossier_id"])
    steps["validate"] = r.ibhxh(data, "validate", dossier)
    steps["sign_file"] = r.ibhxh(data, "sign", dossier, "--demo-cert")
    calls = data / "token-calls.txt"
    env = {**r.env, "SOFTHSM2_CONF": token["conf"], "IBHXH_BENCH_PIN": TOKEN_PIN}
    steps["sign_token"] = r.run(
        [sys.executable, str(Path(__file__).resolve()), "--counted-cli", str(calls), "--",
         "--data-dir", str(data), "--json", "sign", dossier, "--module", token["module"],
         "--token-label", TOKEN_LABEL, "--pin-env", "IBHXH_BENCH_PIN"], env=env)
    steps["sign_token"].extra["calls"] = int(calls.read_text())
    signed = data / "signed.xml"
    steps["export"] = r.ibhxh(data, "export", dossier, "--signed", "--out", str(signed))
    steps["export"].extra = {**r.tool("--count-signatures", str(signed)),
                             "bytes": signed.stat().st_size}
    pdf = data / "dossier.pdf"
    steps["print"] = r.ibhxh(data, "print", dossier, "--out", str(pdf))
    steps["print"].extra = {**json.loads(steps["print"].stdout), "bytes": pdf.stat().st_size}
    return steps


STEP_NAMES = [("import", "import + save (workers import)"),
              ("declare", "declare (procedure 600)"),
              ("validate", "validate"),
              ("sign_file", "sign, file key (--demo-cert)"),
              ("sign_token", "sign, SoftHSM2 token"),
              ("export", "export (signed envelope)"),
              ("print", "print (PDF)")]
MONTH_STEPS = ("import", "declare", "validate", "sign_token", "export", "print")


def on_token(run: Run) -> float:
    return run.seconds + run.extra["calls"] * TOKEN_SECONDS


def report(counts: dict, setup: list[tuple[str, Run]], month: dict[str, Run],
           base: dict[str, Run], floor_mb: float, first_month: bool) -> bool:
    """Print what was measured, the table and the goals; True when every goal is met."""
    made, files = month["declare"].extra, month["export"].extra
    scenario = ("first month: every worker new to the program" if first_month else
                f"{counts['returning']:,} back from leave, {counts['retroactive']:,} of "
                f"them from {RETRO_FROM} (retroactive)")
    print(f"{counts['workers']:,} workers, {counts['new']:,} without a BHXH number; "
          f"{scenario}.")
    print(f"Dossier {PERIOD}: {made['lines']:,} D02-LT lines, {files['files']} files in the "
          f"envelope ({files['bytes'] / 1e6:.1f} MB signed), {files['signatures']} "
          f"signatures; PDF {month['print'].extra['pages']:,} pages "
          f"({month['print'].extra['bytes'] / 1e6:.1f} MB).")
    print(f"Baseline: one form, {BASELINE_WORKERS} workers all with BHXH numbers "
          f"({base['export'].extra['files']} file, {base['export'].extra['signatures']} "
          f"signatures). Every step a new process; peak = its max RSS (floor: this parent, "
          f"{floor_mb:.0f} MB).")
    print()
    whole = table(month, base)
    print()
    print("the months before (set up, not in the month):")
    for name, run in setup:
        print(f"  {name:34} {run.seconds:8.2f} {run.peak_mb:8.0f}")
    print()
    return goals(month, whole)


def table(month: dict[str, Run], base: dict[str, Run]) -> float:
    """Each step beside the one-form figures, the simulated token and the whole month;
    returns the whole month's seconds with the 200 ms token."""
    print(f"{'step':36} {'month s':>8} {'peak MB':>8} {'1-form s':>9} {'peak MB':>8} "
          f"{'x time':>7} {'x mem':>6}")
    for key, name in STEP_NAMES:
        m, b = month[key], base[key]
        print(f"{name:36} {m.seconds:8.2f} {m.peak_mb:8.0f} {b.seconds:9.2f} "
              f"{b.peak_mb:8.0f} {m.seconds / b.seconds:7.2f} {m.peak_mb / b.peak_mb:6.2f}")

    def line(name: str, m: float, b: float) -> None:
        print(f"{name:36} {m:8.2f} {'':8} {b:9.2f} {'':8} {m / b:7.2f}")

    sim_m, sim_b = on_token(month["sign_token"]), on_token(base["sign_token"])
    line("sign on a 200 ms token (simulated)", sim_m, sim_b)
    total_m = sum(month[k].seconds for k in MONTH_STEPS)
    total_b = sum(base[k].seconds for k in MONTH_STEPS)
    line("whole month, SoftHSM2 signing", total_m, total_b)
    real_m = total_m - month["sign_token"].seconds + sim_m
    line("whole month, 200 ms token", real_m, total_b - base["sign_token"].seconds + sim_b)
    print(f"token operations (python-pkcs11 sign calls, each one C_Sign): month "
          f"{month['sign_token'].extra['calls']}, 1-form {base['sign_token'].extra['calls']}; "
          f"signatures in the exported envelope: month {month['export'].extra['signatures']}, "
          f"1-form {base['export'].extra['signatures']}")
    print("(the whole month: import, declare, validate, token signing, export, print; the "
          "file-key signing is the other way to sign, not added)")
    return real_m


def goals(month: dict[str, Run], whole: float) -> bool:
    """The issue's goals, each with its figure; True when all are met."""
    peak_key = max(month, key=lambda key: month[key].peak_mb)
    peak_mb = month[peak_key].peak_mb
    sign = month["sign_token"]
    checks = [(f"whole month < {GOAL_MONTH_S:.0f} s (200 ms token)", whole < GOAL_MONTH_S,
               f"{whole:.2f} s"),
              (f"no step over {GOAL_MB} MB", peak_mb <= GOAL_MB,
               f"{peak_mb:.0f} MB ({dict(STEP_NAMES)[peak_key]})"),
              (f"signing < {GOAL_SIGN_S:.0f} s on the 200 ms token",
               on_token(sign) < GOAL_SIGN_S,
               f"{on_token(sign):.2f} s ({sign.extra['calls']} token operations)"),
              (f"printing < {GOAL_PRINT_S:.0f} s", month["print"].seconds < GOAL_PRINT_S,
               f"{month['print'].seconds:.2f} s")]
    for name, met, value in checks:
        print(f"goal: {name:38} {value:36} {'met' if met else 'NOT met'}")
    return all(met for _, met, _ in checks)


def missing_tools() -> str | None:
    if not Path(SOFTHSM).exists() or shutil.which("softhsm2-util") is None:
        return (f"SoftHSM2 is not installed ({SOFTHSM}, softhsm2-util): run .ci/setup, or "
                "apt-get install softhsm2")
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=50_000)
    parser.add_argument("--new-share", type=float, default=0.1)
    parser.add_argument("--returning-share", type=float, default=0.02,
                        help="existing workers back from leave this month")
    parser.add_argument("--first-month", action="store_true",
                        help="no months before: every imported worker is new to the program")
    parser.add_argument("--keep", metavar="DIR", help="keep the inputs and data folders here")
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    parser.add_argument("--make-token", help=argparse.SUPPRESS)
    parser.add_argument("--count-signatures", help=argparse.SUPPRESS)
    parser.add_argument("--counted-cli", help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.counted_cli:
        rest = args.rest[1:] if args.rest[:1] == ["--"] else args.rest
        return counted_cli(Path(args.counted_cli), rest)
    if args.prepare:
        return prepare(Path(args.prepare), args.workers, args.new_share,
                       args.returning_share, args.first_month)
    if args.make_token:
        return make_token(Path(args.make_token))
    if args.count_signatures:
        return count_signatures(Path(args.count_signatures))
    if not 0 < args.new_share < 1 or not 0 <= args.returning_share < 1 or args.workers < 10:
        parser.error("--new-share in (0, 1), --returning-share in [0, 1), --workers >= 10")
    problem = missing_tools()
    if problem:
        print(problem, file=sys.stderr)
        return 2

    if args.keep:
        work = Path(args.keep).resolve()
        if work.exists() and any(work.iterdir()):
            parser.error(f"--keep {work}: the folder is not empty")
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="ibhxh-month-"))
    try:
        r = Runner(work)
        floor_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        inputs = work / "inputs"
        flags = ["--first-month"] if args.first_month else []
        counts = r.tool("--prepare", str(inputs), "--workers", str(args.workers),
                        "--new-share", str(args.new_share), "--returning-share",
                        str(args.returning_share), *flags)
        token = r.tool("--make-token", str(work / "softhsm"))

        base_data = work / "baseline"
        setup_months(r, base_data, inputs, first_month=True, returning=0)
        base = the_month(r, base_data, inputs / "baseline.xlsx", None, token)

        data = work / "month"
        setup = setup_months(r, data, inputs, args.first_month, counts["returning"])
        lines = None if args.first_month or not counts["returning"] else inputs / "back.csv"
        month = the_month(r, data, inputs / "month.xlsx", lines, token)
        met = report(counts, setup, month, base, floor_mb, args.first_month)
    finally:
        if args.keep:
            print(f"kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
