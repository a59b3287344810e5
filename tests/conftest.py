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

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


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
