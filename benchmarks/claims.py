"""A large employer's month of benefit claims (issue 15): 5,000 claims in one list, checked,
computed, built, signed and printed.

    python benchmarks/claims.py [--claims 5000] [--mix]

Each size runs in a fresh child process (peak memory is its own ru_maxrss), through the
service functions the `ibhxh claims` and dossier commands call:

- inputs, not timed: the demo company, one worker per claim with five to twelve years of
  contribution (imported months, as `ibhxh claims history import` stores them) and a raise
  last year, and the claims stored undeclared. The default list is one sickness list
  (630a): 80 % own sickness of one to five working days, 15 % a sick child, 5 % a
  long-term illness; ``--mix`` spreads the same number over the month's three lists
  (sickness, maternity, convalescence) instead;
- check: every claim assessed at once against the workers' histories, the calendar and
  the other claims (`ibhxh claims check`). A preview the officer may skip: declare does
  the same check itself, so this row is shown but not counted in the total;
- declare: check and compute every claim (days, amount to the đồng, problems), check the
  list's form, and store it with each claim's expected amount (`ibhxh claims declare`);
- build: the M01B-HSB form and the envelope written and checked against their schemas
  (`ibhxh validate`);
- sign: both levels signed with the demo certificate and verified (`ibhxh sign`), the
  signatures counted: a real USB token takes 100–300 ms each, so the step is also given as
  measured + count × 0.2 s;
- print: the paper list as a PDF (`ibhxh print`).

Beside each step, the same for a 50-claim list in the same run, and the ratio.
Goal (issue 15): check, compute, build, sign and print (declare to print) under 3 s, under
300 MB. Exit status 1 when not met.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TOKEN_SECONDS = 0.2
GOAL_SECONDS, GOAL_MB = 3.0, 300
STEPS = ("check", "declare", "build", "sign", "print")
COUNTED = STEPS[1:]  # check is a preview of what declare does again
MONTH = (2026, 11)


def _claims(workers: list, mix: bool, seed: int = 15) -> list:
    """One claim per worker in the month, of the kinds a large employer's month has."""
    from ibhxh_client.domain import claims as k
    from ibhxh_client.domain.claims import Claim

    rng = random.Random(seed)
    first = date(*MONTH, 1)
    out = []
    for n, w in enumerate(workers):
        start = first + timedelta(days=rng.randint(0, 20))
        roll = rng.random()
        claim = Claim(worker_id=w.id, kind=k.OWN_SICKNESS, from_date=start,
                      to_date=start + timedelta(days=rng.randint(0, 4)),
                      certificate=f"BV{n:07d}", payment="TK",
                      bank_account=f"0{rng.randint(10**9, 10**10 - 1)}", bank_code="VCB")
        if mix and roll < 0.15 and w.gender == "F":
            claim.kind, claim.child_birth_date, claim.child_count = k.BIRTH_MOTHER, start, 1
            claim.to_date = date(start.year + (start.month + 5) // 12,
                                 (start.month + 5) % 12 + 1, 1) - timedelta(days=1)
        elif mix and roll < 0.25:
            claim.kind = k.CONVALESCENCE_SICKNESS
            claim.to_date = start + timedelta(days=4)
        elif roll > 0.95:
            claim.kind, claim.long_term_code = k.LONG_TERM_SICKNESS, "A15"
            claim.to_date = start + timedelta(days=9)
        elif roll > 0.80:
            claim.kind = k.CHILD_SICKNESS
            claim.child_birth_date = date(2022, rng.randint(1, 12), rng.randint(1, 28))
        out.append(claim)
    return out


def run(n: int, mix: bool) -> dict:
    """In a fresh process: make the inputs, then time each step."""
    from common import no_keyring, rss_mb

    no_keyring()
    from ibhxh_client.domain.model import Period
    from ibhxh_client.services import claims as svc
    from ibhxh_client.services.app import UserError, open_app
    from ibhxh_client.services.declarations import validate
    from ibhxh_client.services.demo import demo_employer, demo_history, demo_workers
    from ibhxh_client.services.printing import print_dossier
    from ibhxh_client.services.signing import (
        DEMO_P12_PASSWORD,
        ensure_demo_certificate,
        file_signer,
        sign,
    )
    from ibhxh_client.storage import repo

    folder = Path(tempfile.mkdtemp(prefix="ibhxh-bench-claims-"))
    app = open_app(folder / "data")
    period = Period(*MONTH)
    with app.db.transaction() as conn:
        repo.save_employer(conn, demo_employer())
        people = list(demo_workers(n, period))
        for i, w in enumerate(people, start=1):  # a claim needs the worker's BHXH number
            w.bhxh_number = w.bhxh_number or f"99{i:08d}"
        repo.add_workers_bulk(conn, people)
        workers = list(repo.load_workers(conn).values())
        repo.replace_stints(conn, demo_history(workers, Period(2027, 1)))
        repo.add_claims(conn, _claims(workers, mix))
    signer = file_signer(ensure_demo_certificate(app), DEMO_P12_PASSWORD)
    calls = 0
    inner_sign = signer.sign

    def counted(data: bytes) -> bytes:
        nonlocal calls
        calls += 1
        return inner_sign(data)

    signer.sign = counted  # type: ignore[method-assign]
    times: dict[str, float] = {}

    def timed(step: str, fn):
        start = time.perf_counter()
        result = fn()
        times[step] = times.get(step, 0.0) + time.perf_counter() - start
        return result

    before = rss_mb()
    views = timed("check", lambda: svc.check_claims(app))
    errors = sum(1 for v in views if v.errors)
    if errors:
        raise SystemExit(f"{errors} of {len(views)} claims have errors: "
                         f"{views[[bool(v.errors) for v in views].index(True)].errors[0]}")
    try:
        lists = timed("declare", lambda: svc.declare_claims(app, f"{MONTH[1]:02d}/{MONTH[0]}"))
    except UserError as exc:
        problems = [(p.code, p.field, p.params) for p in exc.problems]
        raise SystemExit(f"{len(problems)} problems, first: {problems[:3]}") from None
    pages = 0
    for decl in lists:
        timed("build", lambda d=decl: validate(app, d.id))
        timed("sign", lambda d=decl: sign(app, d.id, signer))
        pdf = folder / f"list-{decl.id}.pdf"
        printed = timed("print", lambda d=decl, p=pdf: print_dossier(
            app, d.id, reason="benchmark", out=p))
        pages += printed.pages
    amount = sum(v.expected_amount or 0 for v in svc.list_claims(app))
    return {"claims": n, "lists": [d.procedure for d in lists], "times": times,
            "signatures": calls, "pages": pages, "amount": amount,
            "rss_before": before, "rss": rss_mb()}


def child(n: int, mix: bool) -> dict:
    cmd = [sys.executable, __file__, "--child", str(n)] + (["--mix"] if mix else [])
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    if out.returncode:
        raise SystemExit(f"benchmark child failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(big: dict, base: dict) -> float:
    print(f"{'step':<10}{base['claims']:>10,} claims{big['claims']:>12,} claims{'ratio':>9}")
    for step in STEPS:
        b, s = base["times"].get(step, 0.0), big["times"].get(step, 0.0)
        name = step if step in COUNTED else f"({step})"
        print(f"{name:<10}{b:>15.3f} s{s:>17.3f} s{(s / b if b else 0):>8.1f}×")
    total = sum(big["times"][step] for step in COUNTED)
    base_total = sum(base["times"][step] for step in COUNTED)
    print(f"{'total':<10}{base_total:>15.3f} s{total:>17.3f} s{total / base_total:>8.1f}×"
          "   (declare to print; the check preview not counted)")
    on_token = big["times"]["sign"] + big["signatures"] * TOKEN_SECONDS
    print(f"\nlists: {', '.join(big['lists'])}; {big['pages']} printed pages; amount asked "
          f"{big['amount']:,} đồng")
    print(f"signatures: {big['signatures']} ({base['signatures']} for {base['claims']} "
          f"claims); on a 200 ms token the sign step would take {on_token:.2f} s and the "
          f"total {total - big['times']['sign'] + on_token:.2f} s")
    print(f"peak memory: {big['rss']:.0f} MB ({big['rss_before']:.0f} MB after the inputs; "
          f"{base['rss']:.0f} MB for {base['claims']} claims)")
    return total


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--mix", action="store_true",
                        help="the month's three lists instead of one sickness list")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run(args.child, args.mix)))
        return 0
    base = child(50, args.mix)
    big = child(args.claims, args.mix)
    total = table(big, base)
    ok = total < GOAL_SECONDS and big["rss"] < GOAL_MB
    print(f"\ngoal: check, compute, build, sign and print under {GOAL_SECONDS:.0f} s and "
          f"{GOAL_MB} MB: "
          f"{'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
