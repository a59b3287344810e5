"""The local database at 50,000 workers, personal data sealed (issue 9).

    python benchmarks/storage.py [--workers 50000]

Times storing the workers, loading them all back, and 1,000 look-ups by CCCD through the
keyed-hash index; the baseline, measured in the same run, is plain sqlite3 storing and
loading the same rows with the same columns in clear.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import no_keyring

from ibhxh_client.domain.model import Period
from ibhxh_client.services.demo import demo_workers
from ibhxh_client.storage import repo
from ibhxh_client.storage.db import Database


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=50_000)
    args = parser.parse_args()
    no_keyring()
    workers = list(demo_workers(args.workers, Period(2026, 11)))
    probes = [w.cccd for w in workers[:: max(1, len(workers) // 1000)]][:1000]

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(Path(tmp) / "sealed")

        def store():
            with db.transaction() as conn:
                repo.add_workers_bulk(conn, workers)

        def load():
            with db.reading() as conn:
                return repo.load_workers(conn)

        def lookups():
            with db.reading() as conn:
                return [repo.find_worker(conn, c) for c in probes]

        t_store, _ = timed(store)
        t_load, loaded = timed(load)
        t_find, found = timed(lookups)
        assert len(loaded) == len(workers) and all(found)
        db.close()
        size = os.path.getsize(Path(tmp) / "sealed" / "ibhxh.sqlite3")

        plain = sqlite3.connect(Path(tmp) / "plain.sqlite3")
        cols = ["full_name", "birth_date", "bhxh_number", "cccd", "phone", "email",
                "birth_place", "address", "salary", "allowances"]
        plain.execute(f"CREATE TABLE w (id INTEGER PRIMARY KEY, {', '.join(cols)})")
        plain.execute("CREATE INDEX ix ON w (cccd)")
        rows = [tuple(str(getattr(w, c)) for c in cols) for w in workers]
        t_pstore, _ = timed(lambda: (plain.executemany(
            f"INSERT INTO w ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows),
            plain.commit()))
        t_pload, _ = timed(lambda: plain.execute("SELECT * FROM w").fetchall())
        t_pfind, _ = timed(lambda: [plain.execute("SELECT * FROM w WHERE cccd = ?",
                                                  (c,)).fetchone() for c in probes])
        plain.close()

    print(f"{args.workers:,} workers, {len(probes)} look-ups, sealed file {size / 1e6:.1f} MB")
    print(f"{'step':36} {'sealed s':>9} {'plain s':>9} {'ratio':>7}")
    for name, a, b in (("store all workers", t_store, t_pstore),
                       ("load all workers", t_load, t_pload),
                       ("find by CCCD (hash index)", t_find, t_pfind)):
        print(f"{name:36} {a:9.3f} {b:9.3f} {a / b:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
