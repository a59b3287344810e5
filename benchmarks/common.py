"""What the benchmarks share: timing, peak memory, the 50,000-worker inputs. Run the
benchmarks as scripts (`python benchmarks/NAME.py`): their folder is on sys.path."""

from __future__ import annotations

import gc
import resource
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ibhxh_client.domain.model import Declaration, DeclarationLine, Period
from ibhxh_client.services.demo import demo_employer, demo_workers

PERIOD = Period(2026, 11)
__all__ = ["PERIOD", "best", "make_inputs", "no_keyring", "rss_mb"]


def no_keyring() -> None:
    """Keep the machine's own keyring out of a benchmark: keyring's "fail" backend, so the
    data key goes to the program's own fallback file, in a folder of the benchmark's."""
    import os
    import tempfile

    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    os.environ["IBHXH_KEY_DIR"] = tempfile.mkdtemp(prefix="ibhxh-bench-keys-")


def best(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """The best of ``repeat`` timings, and the last result. Each run starts from the same
    state: the previous result let go and the garbage collected, outside the timing (the
    collector stays on during it: what a step costs the collector is part of its cost)."""
    times, result = [], None
    for _ in range(repeat):
        result = None
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def rss_mb() -> float:
    """This process's peak resident memory. Linux carries a parent's peak across exec:
    measure in a child started while the parent is still small."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_inputs(n: int, new_workers: bool = False):
    """The demo employer, n workers all with BHXH numbers (one D02-LT, no TK1-TS), and a
    procedure-600 declaration with a line for each. ``new_workers``: the demo's one worker
    in ten without a BHXH number keeps it so (a TK1-TS with a row for each)."""
    employer = demo_employer()
    workers = {}
    for i, w in enumerate(demo_workers(n, PERIOD), start=1):
        w.id = i
        if not new_workers:
            w.bhxh_number = w.bhxh_number or f"99{i:08d}"
        workers[i] = w
    lines = [DeclarationLine(worker_id=i, plan="TM", from_month=PERIOD, salary=w.salary,
                             position=w.position, has_book=bool(w.bhxh_number))
             for i, w in workers.items()]
    decl = Declaration(procedure="600", period=PERIOD, lines=lines, created=date(2026, 11, 5))
    return employer, workers, decl
