"""Shared fixtures: a temporary data folder, the demo data, and the command line run
in-process with its output captured."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest

from tests.keyrings import MemoryKeyring
from tests.pg import pg_server, pg_url  # noqa: F401  (fixtures)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# IBHXH_TEST_ENGINE=postgresql: the suite on a real PostgreSQL server, each test's data
# folders on a fresh database of their own (engine_of_the_test).
PG_MODE = os.environ.get("IBHXH_TEST_ENGINE", "sqlite") == "postgresql"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: checks the SQLite file itself "
                            "(WAL, VACUUM, the file's bytes); not run in PostgreSQL mode")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not PG_MODE:
        return
    kept = [i for i in items if i.get_closest_marker("sqlite_only") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


@pytest.fixture(autouse=True)
def engine_of_the_test(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """SQLite mode: no database URL from the environment. PostgreSQL mode: a fresh
    database for each data folder the test opens (tests.pg.DatabasePerFolder); the first
    one in IBHXH_DATABASE_URL, which subprocesses inherit."""
    monkeypatch.delenv("IBHXH_DATABASE_URL", raising=False)
    if not PG_MODE:
        yield
        return
    from ibhxh_client.storage import db, location
    from tests.pg import DatabasePerFolder

    per_folder = DatabasePerFolder(request.getfixturevalue("pg_server"))
    monkeypatch.setenv("IBHXH_DATABASE_URL", per_folder.first)
    monkeypatch.setattr(location, "resolve", per_folder.resolve)
    monkeypatch.setattr(db, "resolve", per_folder.resolve)
    yield
    per_folder.drop_all()


@pytest.fixture(autouse=True)
def memory_keyring(tmp_path_factory, monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    """Every test gets an empty in-memory keyring, and subprocesses a fallback key folder
    of their own (PYTHON_KEYRING_BACKEND=fail forces the no-keyring path there)."""
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    monkeypatch.setenv("IBHXH_KEY_DIR", str(tmp_path_factory.mktemp("keys")))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("IBHXH_LOG_DIR", str(tmp_path_factory.mktemp("logs")))
    yield backend
    keyring.set_keyring(previous)


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def json(self):
        return json.loads(self.out)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data folder; IBHXH_DATA_DIR points at it so nothing touches the real one."""
    path = tmp_path / "data"
    monkeypatch.setenv("IBHXH_DATA_DIR", str(path))
    return path


@pytest.fixture
def cli(data_dir: Path, capsys: pytest.CaptureFixture):
    """Run `ibhxh ARGS…` in-process against the temporary data folder."""
    from ibhxh_client.cli import main

    def run(*args: str) -> CliResult:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def app(data_dir: Path):
    from ibhxh_client.services.app import open_app

    application = open_app(data_dir)
    yield application
    application.close()


@pytest.fixture
def demo_app(app):
    """The demo company with 25 workers and its draft dossier (id in app.demo_id)."""
    from ibhxh_client.services.demo import make_demo

    app.demo_id = make_demo(app, 25, claims=False)
    return app
