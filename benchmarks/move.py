"""Moving a 50,000-worker database (issue 17, point 5): this PC's SQLite file to a
PostgreSQL database, then back to a SQLite file, each copy verified table by table.

    python benchmarks/move.py [--workers 50000]

The inputs (not timed): the demo company with that many workers and its draft D02-LT, one
line per worker (`ibhxh demo --workers N --no-claims`). Timed: `ibhxh move --to URL` and
`ibhxh move --to sqlite` through services.move, which the command calls. The PostgreSQL
server is a throwaway cluster (``.ci/pg``). Prints the time, the rows and rows per second.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import no_keyring

ROOT = Path(__file__).resolve().parent.parent


def start_cluster(folder: Path) -> str:
    done = subprocess.run(["bash", str(ROOT / ".ci" / "pg"), "start", str(folder)],
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.strip().splitlines()[-1]


def new_database(admin: str, name: str) -> str:
    import psycopg
    from sqlalchemy.engine import make_url

    libpq = make_url(admin).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(admin).set(database=name).render_as_string(hide_password=False)


def timed_move(folder: Path, to: str) -> dict:
    from ibhxh_client.services import move
    from ibhxh_client.services.app import open_app

    app = open_app(folder)
    try:
        started = time.perf_counter()
        info = move.move(app, to)
        info["wall"] = time.perf_counter() - started
        return info
    finally:
        app.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=50_000)
    args = parser.parse_args()
    no_keyring()
    from ibhxh_client.services.app import open_app
    from ibhxh_client.services.demo import make_demo

    pg_dir = Path(tempfile.mkdtemp(prefix="ibhxh-bench-pg-"))
    try:
        with tempfile.TemporaryDirectory(prefix="ibhxh-bench-move-") as tmp:
            folder = Path(tmp) / "data"
            t = time.perf_counter()
            app = open_app(folder)
            make_demo(app, args.workers, claims=False)
            app.close()
            size = (folder / "ibhxh.sqlite3").stat().st_size
            print(f"{args.workers} workers stored in {time.perf_counter() - t:.1f} s "
                  f"(file {size / 2**20:.0f} MiB)", flush=True)
            target = new_database(start_cluster(pg_dir), "ibhxh_bench_move")
            rows = [("SQLite → PostgreSQL", timed_move(folder, target)),
                    ("PostgreSQL → SQLite", timed_move(folder, "sqlite"))]
    finally:
        subprocess.run(["bash", str(ROOT / ".ci" / "pg"), "stop", str(pg_dir)],
                       capture_output=True, timeout=60, check=False)
    print()
    print(f"{'move':<22}{'tables':>7}{'rows':>10}{'seconds':>9}{'rows/s':>9}")
    for name, info in rows:
        print(f"{name:<22}{info['tables']:>7}{info['rows']:>10}{info['wall']:>9.2f}"
              f"{info['rows'] / info['wall']:>9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
