"""Sending to the sandbox gateway over real HTTPS on 127.0.0.1 (issue 4).

    python benchmarks/gateway.py [--dossiers 200] [--workers 25] [--big 50000]

1. ``--dossiers`` signed dossiers of ``--workers`` workers each, through
   ``services.submission.submit`` (outbox writes, TLS, the gateway's XSD and signature
   checks, the signed receipt, its verification, the receipt stored), one at a time and 4
   at a time: throughput, p50 and p95 latency. Baseline in the same run: a bare HTTPS POST
   of the same request body to the same server (an address that only reads it and
   answers 404), with the same concurrency.
2. One dossier of ``--big`` workers: envelope size, bytes on the wire (the request body
   is gzip-compressed above 64 KiB), time to the verified receipt, and to the accepted
   result; baseline: a bare HTTPS POST of the same compressed bytes.

The dossiers are copies of one demo dossier (distinct dossier ids, so distinct
idempotency keys and distinct dossier numbers at the gateway). Nothing leaves 127.0.0.1;
the keyring is an in-memory one. The sandbox runs in a process of its own, as it does
at a training site (in the test process it would share the client's GIL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import no_keyring

from ibhxh_client.gateway import protocol as P
from ibhxh_client.gateway.client import GZIP_FROM, RetryPolicy
from ibhxh_client.services import declarations, demo, submission
from ibhxh_client.services.app import App, open_app
from ibhxh_client.signing import Pkcs12Signer, make_demo_pkcs12, sign_dossier
from ibhxh_client.storage import repo

PASSWORD = "benchmark-pw"
UNIT = "TZH490L"
TAX = "0312345673"
NAME = "Công ty TNHH Thương mại Dịch vụ Sao Mai"



def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _run(n: int, concurrency: int, one: Callable[[int], None]) -> tuple[float, list[float]]:
    """Run ``one(i)`` for i < n with ``concurrency`` threads; wall time and latencies."""
    latencies: list[float] = []
    lock = threading.Lock()

    def timed(i: int) -> None:
        start = time.perf_counter()
        one(i)
        elapsed = time.perf_counter() - start
        with lock:
            latencies.append(elapsed)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(timed, range(n)))
    return time.perf_counter() - start, latencies


def _signed_copies(app: App, decl_id: int, signed: bytes, count: int) -> list[int]:
    """``count`` more dossiers like ``decl_id``, each marked signed with ``signed``."""
    ids = []
    with app.db.transaction() as conn:
        decl = repo.load_declaration(conn, decl_id)
        for _ in range(count):
            decl.id = None
            new_id = repo.save_declaration(conn, decl)
            repo.put_artifact(conn, new_id, "signed", signed)
            ids.append(new_id)
    for new_id in ids:
        submission.store_signed(app, new_id, signed)
    return ids


class _Gateway:
    """The sandbox in a process of its own (as at a training site), on 127.0.0.1."""

    def __init__(self, state: Path, process_after: float) -> None:
        self.state = state
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ibhxh_client.gateway.sandbox", "--port", "0",
             "--state-dir", str(state), "--trial-password", PASSWORD,
             "--process-after", str(process_after), "--lang", "en"],
            stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parent.parent)
        self.url = ""
        for line in self.proc.stdout:
            if line.startswith("The sandbox gateway is running at "):
                self.url = line.split()[-1]
            if "Ctrl+C" in line:
                break
        self.ca_file = state / "ca.pem"

    def dossiers(self) -> int:
        token = (self.state / "admin-token").read_text().strip()
        answer = _bare_session(self).get(self.url + "/_sandbox/stats",
                                         headers={"X-Sandbox-Admin": token})
        return answer.json()["dossiers"]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def _bare_session(sandbox: _Gateway) -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    session.verify = str(sandbox.ca_file)
    return session


def _bare_post(sessions: list[requests.Session], url: str, body: bytes,
               headers: dict[str, str]) -> Callable[[int], None]:
    local = threading.local()
    pool = iter(sessions)
    pool_lock = threading.Lock()

    def one(_i: int) -> None:
        if not hasattr(local, "session"):
            with pool_lock:
                local.session = next(pool)
        answer = local.session.post(url, data=body, headers=headers)
        assert answer.status_code == 404
    return one


def _body(signed: bytes) -> tuple[bytes, dict[str, str]]:
    import hashlib

    body = json.dumps(P.Submission(envelope=P.b64encode(signed),
                                   sha256=hashlib.sha256(signed).hexdigest()).to_json(),
                      separators=(",", ":")).encode()
    headers = {"Content-Type": "application/json"}
    if len(body) > GZIP_FROM:
        body = gzip.compress(body, compresslevel=1, mtime=0)
        headers["Content-Encoding"] = "gzip"
    return body, headers


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=200)
    parser.add_argument("--workers", type=int, default=25)
    parser.add_argument("--big", type=int, default=50_000, help="0 to skip")
    args = parser.parse_args()
    no_keyring()
    tmp = Path(tempfile.mkdtemp(prefix="ibhxh-gw-bench-"))
    os.environ["IBHXH_KEY_DIR"] = str(tmp / "keys")
    made = make_demo_pkcs12(tmp / "unit.p12", b"pw", TAX, NAME)
    signer = Pkcs12Signer.from_file(made.path, b"pw")
    rows: list[tuple[str, str, str, str, str]] = []

    # -- 1. many small dossiers --------------------------------------------------------
    sandbox = _Gateway(tmp / "gateway", process_after=3600)
    app = open_app(tmp / "data")
    base = demo.make_demo(app, args.workers)
    envelope = declarations.validate(app, base).envelope
    signed = sign_dossier(envelope, signer, signing_time=dt.datetime.now(dt.UTC))
    submission.store_signed(app, base, signed)
    submission.login(app, sandbox.url, UNIT, password=PASSWORD, ca_file=sandbox.ca_file)
    ids = [base, *_signed_copies(app, base, signed, 2 * args.dossiers - 1)]
    body, headers = _body(signed)
    no_retry = RetryPolicy(attempts=1)

    for concurrency, batch in ((1, ids[:args.dossiers]), (4, ids[args.dossiers:])):
        clients = [submission.connect(app, retry=no_retry) for _ in range(concurrency)]
        local = threading.local()
        pool = iter(clients)
        pool_lock = threading.Lock()

        def send(i: int, batch=batch, local=local, pool=pool, pool_lock=pool_lock) -> None:
            if not hasattr(local, "client"):
                with pool_lock:
                    local.client = next(pool)
            submission.submit(app, batch[i], client=local.client)

        wall, lat = _run(len(batch), concurrency, send)
        for c in clients:
            c.close()
        rows.append((f"submit {args.workers}-worker dossier", str(concurrency),
                     f"{len(batch) / wall:8.1f}/s", f"{_pct(lat, .5) * 1000:7.1f} ms",
                     f"{_pct(lat, .95) * 1000:7.1f} ms"))
        sessions = [_bare_session(sandbox) for _ in range(concurrency)]
        wall, lat = _run(len(batch), concurrency, _bare_post(
            sessions, sandbox.url + "/api/v1/nothing", body, headers))
        rows.append(("  baseline: bare HTTPS POST, same body", str(concurrency),
                     f"{len(batch) / wall:8.1f}/s", f"{_pct(lat, .5) * 1000:7.1f} ms",
                     f"{_pct(lat, .95) * 1000:7.1f} ms"))
    assert sandbox.dossiers() == 2 * args.dossiers
    sizes = (len(signed), len(body))
    app.close()
    sandbox.stop()

    print(f"\n{args.dossiers} dossiers of {args.workers} workers each (signed envelope "
          f"{sizes[0]:,} bytes, request body {sizes[1]:,} bytes), sandbox on 127.0.0.1")
    print(f"{'':44}{'clients':>8}{'throughput':>12}{'p50':>12}{'p95':>12}")
    for name, conc, thr, p50, p95 in rows:
        print(f"{name:44}{conc:>8}{thr:>12}{p50:>12}{p95:>12}")

    # -- 2. one big dossier ------------------------------------------------------------
    if args.big:
        sandbox = _Gateway(tmp / "gateway-big", process_after=0)
        app = open_app(tmp / "big")
        t0 = time.perf_counter()
        big = demo.make_demo(app, args.big)
        envelope = declarations.validate(app, big).envelope
        signed = sign_dossier(envelope, signer, signing_time=dt.datetime.now(dt.UTC))
        submission.store_signed(app, big, signed)
        prepare = time.perf_counter() - t0
        submission.login(app, sandbox.url, UNIT, password=PASSWORD, ca_file=sandbox.ca_file)
        client = submission.connect(app, retry=no_retry)
        client.login()
        sent_before, received_before = client.bytes_sent, client.bytes_received
        t0 = time.perf_counter()
        submission.submit(app, big, client=client)
        t_receipt = time.perf_counter() - t0
        wire_up = client.bytes_sent - sent_before
        wire_down = client.bytes_received - received_before
        done = submission.sync(app, client=client, wait=600, interval=0.2)
        t_result = time.perf_counter() - t0
        assert done["accepted"] == 1, done
        client.close()
        body, headers = _body(signed)
        session = _bare_session(sandbox)
        t0 = time.perf_counter()
        _bare_post([session], sandbox.url + "/api/v1/nothing", body, headers)(0)
        t_bare = time.perf_counter() - t0
        json_size = len(P.b64encode(signed)) + 100
        app.close()
        sandbox.stop()
        print(f"\nOne dossier of {args.big:,} workers (prepared and signed in {prepare:.1f} s)")
        print(f"  signed envelope            {len(signed):>14,} bytes")
        print(f"  JSON request body          {json_size:>14,} bytes (envelope in base64)")
        print(f"  on the wire, up (gzip)     {wire_up:>14,} bytes "
              f"({wire_up / len(signed):.0%} of the envelope)")
        print(f"  on the wire, down          {wire_down:>14,} bytes (the signed receipt)")
        print(f"  submit → verified receipt  {t_receipt:>14.2f} s")
        print(f"  submit → accepted result   {t_result:>14.2f} s")
        print(f"  baseline: bare HTTPS POST  {t_bare:>14.2f} s (same compressed bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
