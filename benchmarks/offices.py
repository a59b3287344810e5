"""A shared office on PostgreSQL (issue 17): 200 units × 500 workers in one database;
four officers at once, each in a process of its own (as on four PCs), prepare and
validate dossiers for units of their own while a fifth syncs the outbox against the
sandbox gateway. Beside it, the same work by one officer on a SQLite file (the baseline,
measured in the same run).

    python benchmarks/offices.py [--units 200] [--workers 500] [--rounds 10]

Per operation: how many, the throughput (operations per second of the run's wall time,
all officers together), the median and the 95th percentile. Goal: no operation's p95 over
1 s on this 2-core machine. The PostgreSQL server is a throwaway cluster (``.ci/pg``).

Operations (each through the services the window and the command line use):
- ``open unit``: choose the unit and read its worker list (500 people, sealed values
  opened);
- ``declare``: a 600 dossier of salary changes for 25 of its workers (every check runs);
- ``validate``: build and check the dossier's XML (XSD included), store it;
- ``sync``: the fifth officer: send every queued dossier of a unit and ask for results.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import PERIOD, no_keyring

from ibhxh_client.domain import ids
from ibhxh_client.domain.model import Employer

ROOT = Path(__file__).resolve().parents[1]
GOAL_P95 = 1.0
LINES = 25
TRIAL_PASSWORD = "bench-trial-1"


def unit(n: int) -> Employer:
    from ibhxh_client.services.demo import demo_employer

    e = demo_employer()
    e.unit_code = f"BM{n:05d}"
    e.name = f"Công ty TNHH Đo Lường Số {n}"
    for k in range(1000):  # not every prefix has a check digit
        try:
            e.tax_code = ids.make_tax_code(f"03{n:04d}{k:03d}")
            return e
        except ValueError:
            continue
    raise ValueError(n)


def populate(data_dir: Path, units: int, workers: int) -> None:
    """The database: ``units`` units of ``workers`` workers each (as imported)."""
    from ibhxh_client.services.app import open_app
    from ibhxh_client.services.demo import demo_workers
    from ibhxh_client.storage import repo

    app = open_app(data_dir)
    try:
        for n in range(1, units + 1):
            with app.db.transaction() as conn:
                unit_id = repo.add_unit(conn, unit(n))
                repo.work_on(conn, unit_id)
                people = list(demo_workers(workers, PERIOD, seed=n))
                for i, w in enumerate(people):
                    w.bhxh_number = w.bhxh_number or f"9{n:04d}{i:05d}"
                repo.add_workers_bulk(conn, people)
    finally:
        app.close()


def _timed(times: dict[str, list[float]], name: str, fn):
    start = time.perf_counter()
    result = fn()
    times.setdefault(name, []).append(time.perf_counter() - start)
    return result


def officer(data_dir: str, units: list[int], rounds: int, queue_after: bool,
            out: mp.Queue) -> None:
    """One officer's PC: for each round, for each of its units, open it, declare, validate
    (and, ``queue_after``, sign with the unit's demo certificate and queue it)."""
    from ibhxh_client.services import declarations, signing, submission, workers
    from ibhxh_client.services.app import open_app

    times: dict[str, list[float]] = {}
    app = open_app(data_dir, unit=unit(1).unit_code)
    try:
        for r in range(rounds):
            for unit_id in units:
                app.use_unit(unit_id, remember=False)
                people = _timed(times, "open unit", lambda: workers.search(app))
                proc = declarations.procedure_of(app, "600")
                chosen = people[r * LINES % len(people):][:LINES] or people[:LINES]
                requests = [declarations.line_request(proc, f"#{w.id}:DC:{w.salary + 100_000}")
                            for w in chosen]
                decl, _ = _timed(times, "declare", lambda r=requests: declarations.declare(
                    app, "600", str(PERIOD), r))
                _timed(times, "validate", lambda d=decl: declarations.validate(app, d.id))
                if queue_after:
                    signer = signing.file_signer(signing.ensure_demo_certificate(app),
                                                 signing.DEMO_P12_PASSWORD)
                    with signer:
                        signing.sign(app, decl.id, signer)
                    submission.enqueue(app, decl.id)
    finally:
        app.close()
    out.put(times)


def syncer(data_dir: str, units: list[int], stop, out: mp.Queue) -> None:
    """The fifth officer: sync each unit's outbox in turn until the others are done
    (``stop`` set), then once more."""
    from ibhxh_client.services import submission
    from ibhxh_client.services.app import open_app

    times: dict[str, list[float]] = {}
    app = open_app(data_dir, unit=unit(1).unit_code)
    try:
        last = False
        while not last:
            last = stop.is_set()
            for unit_id in units:
                app.use_unit(unit_id, remember=False)
                _timed(times, "sync", lambda: submission.sync(app))
            time.sleep(0.2)
    finally:
        app.close()
    out.put(times)


def login_units(data_dir: Path, units: list[int], sandbox) -> None:
    from ibhxh_client.services import submission
    from ibhxh_client.services.app import open_app

    app = open_app(data_dir, unit=unit(1).unit_code)
    try:
        for unit_id in units:
            app.use_unit(unit_id, remember=False)
            code = unit(unit_id).unit_code
            submission.login(app, sandbox.url, code, password=TRIAL_PASSWORD,
                             ca_file=sandbox.ca_file)
    finally:
        app.close()


def run(label: str, data_dir: Path, officers: int, units_each: int, rounds: int,
        with_syncer: bool, sandbox) -> dict[str, object]:
    ctx = mp.get_context("fork")
    out: mp.Queue = ctx.Queue()
    plans = [list(range(1 + k * units_each, 1 + (k + 1) * units_each))
             for k in range(officers)]
    sync_units = plans[0]  # the first officer's units are queued, the syncer sends them
    login_units(data_dir, sync_units, sandbox)
    start = time.perf_counter()
    procs = [ctx.Process(target=officer, args=(str(data_dir), plan, rounds, k == 0, out))
             for k, plan in enumerate(plans)]
    for p in procs:
        p.start()
    results: list[dict[str, list[float]]] = []
    sync_proc = None
    stop = ctx.Event()
    if with_syncer:
        sync_proc = ctx.Process(target=syncer, args=(str(data_dir), sync_units, stop, out))
        sync_proc.start()
    for _ in procs:
        results.append(out.get(timeout=3600))
    for p in procs:
        p.join()
    stop.set()
    if sync_proc is not None:
        results.append(out.get(timeout=600))
        sync_proc.join()
    wall = time.perf_counter() - start
    merged: dict[str, list[float]] = {}
    for times in results:
        for name, values in times.items():
            merged.setdefault(name, []).extend(values)
    return {"label": label, "wall": wall, "ops": merged}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def start_cluster(folder: Path) -> str:
    done = subprocess.run(["bash", str(ROOT / ".ci" / "pg"), "start", str(folder)],
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--workers", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--units-each", type=int, default=5,
                        help="units each officer works on, in turn")
    args = parser.parse_args()
    no_keyring()
    from ibhxh_client.gateway.sandbox import Sandbox

    with tempfile.TemporaryDirectory(prefix="ibhxh-bench-office-") as tmp:
        tmp_path = Path(tmp)
        sandbox = Sandbox(tmp_path / "sandbox", trial_password=TRIAL_PASSWORD).start()
        # its own folder: the server's user must reach it (tmp is the benchmark's alone)
        pg_dir = Path(tempfile.mkdtemp(prefix="ibhxh-bench-pg-"))
        try:
            # The baseline: one officer on a SQLite file, the same units.
            lite = tmp_path / "sqlite"
            t = time.perf_counter()
            populate(lite, args.units, args.workers)
            print(f"SQLite: {args.units} units × {args.workers} workers stored in "
                  f"{time.perf_counter() - t:.1f} s", flush=True)
            baseline = run("SQLite, 1 officer", lite, 1, args.units_each, args.rounds, True,
                           sandbox)
            admin = start_cluster(pg_dir)
            import psycopg
            from sqlalchemy.engine import make_url

            libpq = make_url(admin).set(drivername="postgresql").render_as_string(
                hide_password=False)
            with psycopg.connect(libpq, autocommit=True) as conn:
                conn.execute("CREATE DATABASE ibhxh_bench")
            os.environ["IBHXH_DATABASE_URL"] = make_url(admin).set(
                database="ibhxh_bench").render_as_string(hide_password=False)
            shared = tmp_path / "office"
            t = time.perf_counter()
            populate(shared, args.units, args.workers)
            print(f"PostgreSQL: {args.units} units × {args.workers} workers stored in "
                  f"{time.perf_counter() - t:.1f} s", flush=True)
            office = run("PostgreSQL, 4 officers + 1 syncing", shared, 4, args.units_each,
                         args.rounds, True, sandbox)
            del os.environ["IBHXH_DATABASE_URL"]
        finally:
            sandbox.stop()
            if pg_dir.exists():
                subprocess.run(["bash", str(ROOT / ".ci" / "pg"), "stop", str(pg_dir)],
                               capture_output=True, timeout=60, check=False)
    print()
    print(f"{'operation':<12}{'run':<36}{'count':>7}{'per s':>9}{'median s':>10}"
          f"{'p95 s':>9}{'p95 ratio':>11}")
    worst = 0.0
    for name in ("open unit", "declare", "validate", "sync"):
        base = baseline["ops"].get(name, [])
        for row in (baseline, office):
            values = row["ops"].get(name, [])
            if not values:
                continue
            ratio = p95(values) / p95(base) if base else float("nan")
            print(f"{name:<12}{row['label']:<36}{len(values):>7}"
                  f"{len(values) / row['wall']:>9.2f}{statistics.median(values):>10.3f}"
                  f"{p95(values):>9.3f}{ratio:>11.2f}")
            if row is office:
                worst = max(worst, p95(values))
    print(f"goal: no operation's p95 over {GOAL_P95:.0f} s with 4 officers and a sync on "
          f"PostgreSQL: {'met' if worst <= GOAL_P95 else 'NOT met'} (worst {worst:.3f} s)")


if __name__ == "__main__":
    main()
