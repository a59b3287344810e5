"""Fixtures and helpers for the gateway tests (no tests here).

The sandbox runs for real: HTTPS on 127.0.0.1 with an ephemeral port, in background
threads of the test process. Its certificates (CA, TLS, receipt key) are made once per
run and copied into each test's own state folder, so every test gets a fresh gateway
state without paying for new RSA keys.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ibhxh_client.gateway.client import GatewayClient, RetryPolicy, Timeouts
from ibhxh_client.gateway.sandbox import Sandbox
from ibhxh_client.services import declarations, submission
from ibhxh_client.services.app import App
from ibhxh_client.signing import Pkcs12Signer, make_demo_pkcs12
from ibhxh_client.signing.signer import Signer
from tests.pg import folder_text, integrity
from tests.ports import quiet_port

TRIAL_PASSWORD = "tap-huan-2026"
DEMO_UNIT = "TZH490L"
DEMO_TAX = "0312345673"  # services.demo.demo_employer()
DEMO_NAME = "Công ty TNHH Thương mại Dịch vụ Sao Mai"
PKI_FILES = ("ca.pem", "ca-key.pem", "server.pem", "server-key.pem", "wrong-host.pem",
             "wrong-host-key.pem", "receipt.pem", "receipt-key.pem")
FAST_RETRY = RetryPolicy(attempts=4, base=0.02, cap=0.1, max_retry_after=5)
FAST_TIMEOUTS = Timeouts(connect=2.0, read=3.0, submit_read=5.0)

_CACHE: dict[str, object] = {}


@pytest.fixture(scope="session")
def sandbox_pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A state folder holding only the sandbox's certificates, made once per run."""
    if "pki" not in _CACHE:
        path = tmp_path_factory.mktemp("sandbox-pki")
        Sandbox(path).stop()  # makes the CA, TLS and receipt keys; never served
        for name in ("sandbox.sqlite3", "sandbox.sqlite3-wal", "sandbox.sqlite3-shm",
                     "admin-token"):
            (path / name).unlink(missing_ok=True)
        _CACHE["pki"] = path
    return _CACHE["pki"]  # type: ignore[return-value]


def fresh_state(pki: Path, target: Path) -> Path:
    """A new, empty sandbox state folder with the run's certificates."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PKI_FILES:
        shutil.copy2(pki / name, target / name)
    return target


@pytest.fixture
def make_sandbox(sandbox_pki: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Start sandboxes (stopped at the end of the test): ``make_sandbox(**options)``."""
    started: list[Sandbox] = []
    # A proxy set for the machine must not see the loopback traffic (requests honours it).
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")

    def start(state: Path | None = None, **options) -> Sandbox:
        options.setdefault("trial_password", TRIAL_PASSWORD)
        options.setdefault("process_after", 0.2)
        options.setdefault("port", quiet_port())  # a test may stop it and start it again
        state = state or fresh_state(sandbox_pki, tmp_path / f"sandbox{len(started)}")
        sandbox = Sandbox(state, host="127.0.0.1", **options).start()
        started.append(sandbox)
        return sandbox

    yield start
    for sandbox in started:
        sandbox.stop()


@pytest.fixture
def sandbox(make_sandbox) -> Sandbox:
    """One running sandbox: trial password, processing after 0.2 s, no trusted CA."""
    return make_sandbox()


@dataclass
class Identity:
    """A demo PKCS#12 identity and the CA that issued it."""

    path: Path
    password: bytes
    ca_certificate: object

    def signer(self) -> Pkcs12Signer:
        return Pkcs12Signer.from_file(self.path, self.password)


@pytest.fixture(scope="session")
def demo_identity(tmp_path_factory: pytest.TempPathFactory) -> Identity:
    """The demo company's signing certificate (tax code 0312345673), once per run."""
    if "identity" not in _CACHE:
        path = tmp_path_factory.mktemp("p12") / "saomai.p12"
        made = make_demo_pkcs12(path, b"mat-khau", DEMO_TAX, DEMO_NAME)
        _CACHE["identity"] = Identity(path, b"mat-khau", made.ca_certificate)
    return _CACHE["identity"]  # type: ignore[return-value]


def sign_and_store(app: App, decl_id: int, signer: Signer) -> bytes:
    """Sign the dossier as the officer does (services.signing: validate, sign both
    levels, check, store, state signed); the signed bytes."""
    from ibhxh_client.services import signing as signing_service

    signing_service.sign(app, decl_id, signer)
    return signing_service.signed_bytes(app, decl_id)


def login_trial(app: App, sandbox: Sandbox, unit: str = DEMO_UNIT) -> None:
    submission.login(app, sandbox.url, unit, password=TRIAL_PASSWORD, ca_file=sandbox.ca_file)


def fast_client(app: App, **kw) -> GatewayClient:
    """A client for the configured gateway with short timeouts and quick retries."""
    kw.setdefault("retry", FAST_RETRY)
    kw.setdefault("timeouts", FAST_TIMEOUTS)
    return submission.connect(app, **kw)


def snapshot(app: App, decl_id: int) -> dict:
    """What must not change when an answer is refused: state, history, artifacts."""
    from sqlalchemy import select

    from ibhxh_client.storage import repo
    from ibhxh_client.storage.schema import artifacts

    with app.db.reading() as conn:
        kinds = [r[0] for r in conn.execute(select(artifacts.c.kind).where(
            artifacts.c.declaration_id == decl_id).order_by(artifacts.c.id))]
        return {"state": declarations.status(app, decl_id)["state"],
                "history": len(repo.get_history(conn, decl_id)), "artifacts": kinds,
                "integrity": integrity(conn)}


def iter_db_bytes(data_dir: Path) -> Iterator[bytes]:
    """Every file of the database (main file, WAL) as bytes (on PostgreSQL: its rows)."""
    yield folder_text(data_dir)
