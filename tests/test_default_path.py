"""The program as a new user meets it: the installed `ibhxh` and `ibhxh-client` with
nothing chosen by the test (no keyring, data folder or language), only HOME and the XDG
folders pointed at a temporary folder. Every other test picks its own keyring and data,
which hid that the data key did not outlive the first command."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
ENGLISH_STATES = ("draft", "validated", "signed", "sent", "accepted", "rejected", "printed",
                  "queued", "polling", "certificate")


def bare_env(home: Path, **extra: str) -> dict[str, str]:
    """What a fresh login has: a home, its XDG folders, a PATH; nothing of ours."""
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin",
           "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local/share"),
           "XDG_CACHE_HOME": str(home / ".cache"), "XDG_STATE_HOME": str(home / ".local/state")}
    env.update(extra)
    return env


def ibhxh(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "ibhxh"), *args], env=bare_env(home),
                          capture_output=True, text=True, timeout=180)


def test_installed_command_keeps_its_data_across_commands(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    first = ibhxh(home, "demo")
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    for _ in range(2):  # twice in a row, each a new process on the same folder
        status = ibhxh(home, "status")
        assert status.returncode == 0, status.stderr
        assert "#1" in status.stdout
        assert "Nháp" in status.stdout or "Đã kiểm tra" in status.stdout
        listed = ibhxh(home, "--json", "workers", "list")
        assert listed.returncode == 0, listed.stderr
        assert len(json.loads(listed.stdout)) == 25
        checked = ibhxh(home, "validate", "1")
        assert checked.returncode == 0, checked.stderr
        assert "Đã kiểm tra" in checked.stdout
    # The key was kept where a machine with no keyring daemon keeps it: a file of the
    # user's, outside the data folder.
    keys = list((home / ".config" / "ibhxh-client" / "keys").glob("*.key"))
    assert len(keys) == 1
    data = home / ".local" / "share" / "ibhxh-client"
    assert (data / "ibhxh.sqlite3").exists() and not list(data.rglob("*.key"))
    key = ibhxh(home, "key", "status")
    assert key.returncode == 0 and "tệp trong thư mục cấu hình" in key.stdout
    # Vietnamese output names every state in Vietnamese.
    words = set(ibhxh(home, "status", "1").stdout.lower().replace(":", " ").split())
    assert not words & set(ENGLISH_STATES)


def test_a_mistyped_data_folder_is_said_not_made(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    missing = tmp_path / "nope"
    r = subprocess.run([str(BIN / "ibhxh"), "--data-dir", str(missing), "workers", "list"],
                       env=bare_env(home), capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert "không tồn tại" in r.stderr and str(missing) in r.stderr
    assert not missing.exists()
    # A fresh machine's default folder: the same, until data is made.
    r = ibhxh(home, "status")
    assert r.returncode == 2 and "không tồn tại" in r.stderr
    assert not (home / ".local" / "share" / "ibhxh-client").exists()
    # calc needs no data at all.
    r = ibhxh(home, "calc", "--period", "01/2026", "--region", "I", "5310000")
    assert r.returncode == 0 and "1.699.200" in r.stdout


def test_output_cut_by_its_reader_ends_quietly(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    assert ibhxh(home, "demo", "--workers", "3000").returncode == 0
    r = subprocess.run(f"'{BIN / 'ibhxh'}' workers list | head -n 2", shell=True,
                       env=bare_env(home), capture_output=True, text=True, timeout=180)
    assert len(r.stdout.splitlines()) == 2
    assert "BrokenPipe" not in r.stderr and "Traceback" not in r.stderr
    assert "Exception ignored" not in r.stderr


WINDOW = r"""
import faulthandler, json, sys
# A window that never gets where the test waits: every thread's stack on stderr before the
# test's own timeout kills it, so a hang says where it is.
faulthandler.dump_traceback_later(120, exit=True)
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ibhxh_client.ui import app as entry

entry.make_qapp()  # main() takes this one: the timer below needs it to exist
seen = {"first_run": False}

def drive():
    qapp = QApplication.instance()
    for widget in qapp.topLevelWidgets():
        if widget.objectName() == "first_run" and widget.isVisible():
            if not seen["first_run"]:
                seen["first_run"] = True
                widget.demo_button.click()
            break
        if widget.objectName() == "main_window" and widget.isVisible():
            screen = widget.screens["declarations"]
            rows = screen.list_model.rowCount()
            if rows:
                seen["dossiers"] = rows
                seen["title"] = widget.windowTitle()
                widget.close()
                return
    QTimer.singleShot(200, drive)

QTimer.singleShot(200, drive)
code = entry.main([])
seen["code"] = code
print(json.dumps(seen, ensure_ascii=False))
"""


@pytest.mark.slow
def test_window_first_run_demo_then_start_again(tmp_path):
    """`ibhxh-client` as installed: the first start offers the demo, the second opens
    the same data without asking again."""
    home = tmp_path / "home"
    home.mkdir()
    env = bare_env(home, QT_QPA_PLATFORM="offscreen")  # no screen here; nothing else set
    results = []
    for _ in range(2):
        r = subprocess.run([sys.executable, "-c", WINDOW], env=env, capture_output=True,
                           text=True, timeout=150)
        assert r.returncode == 0, r.stderr
        assert "Traceback" not in r.stderr, r.stderr
        results.append(json.loads(r.stdout.strip().splitlines()[-1]))
    assert results[0]["first_run"] and results[0]["dossiers"] == 1
    assert not results[1]["first_run"] and results[1]["dossiers"] == 1
    assert results[1]["code"] == 0
    assert list((home / ".config" / "ibhxh-client" / "keys").glob("*.key"))


def test_start_script_without_a_screen_twice(tmp_path):
    """`bash .ci/start` on a machine with no screen shows the demo from the command line;
    a second start finds the same data."""
    root = Path(__file__).resolve().parent.parent
    home = tmp_path / "home"
    home.mkdir()
    env = bare_env(home)
    env.pop("DISPLAY", None)
    for _ in range(2):
        # The setup step has run already for this checkout (it ran the tests); the rest
        # of the start script is what a user meets.
        r = subprocess.run(["bash", str(root / ".ci" / "start")], env=env, cwd=root,
                           capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stderr
        assert "#1" in r.stdout
        assert "Traceback" not in r.stderr
    assert os.path.exists(home / ".local" / "share" / "ibhxh-client" / "ibhxh.sqlite3")


def _start_sandbox(home: Path, state: Path) -> tuple[subprocess.Popen, str]:
    """`ibhxh sandbox` as installed, on a free port; its URL once it is listening."""
    import time

    proc = subprocess.Popen([str(BIN / "ibhxh"), "sandbox", "--port", "0", "--state-dir",
                             str(state), "--process-after", "0.1"], env=bare_env(home),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    text = ""
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        text += line
        if "Ctrl+C" in line or not line:
            break
    url = next(w for w in text.split() if w.startswith("https://127.0.0.1:"))
    return proc, url


@contextlib.contextmanager
def sandbox(home: Path, state: Path) -> Iterator[tuple[str, str]]:
    """The installed sandbox running for the test: its URL and its CA file."""
    proc, url = _start_sandbox(home, state)
    try:
        yield url, str(state / "ca.pem")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_installed_command_registers_signs_and_sends_a_month(tmp_path):
    """The officer's month with nothing chosen: registration for electronic filing, then
    a dossier declared, signed, sent and followed to its result, each command a new
    process on the same default folder; then the same folder read again."""
    home = tmp_path / "home"
    home.mkdir()
    with sandbox(home, tmp_path / "sandbox") as (url, ca):
        assert ibhxh(home, "demo").returncode == 0
        steps = [("register", "--gateway", url, "--ca", ca, "--demo-cert"),
                 ("register", "--status"),
                 ("validate", "1"), ("sign", "1", "--demo-cert"),
                 ("submit", "1", "--demo-cert"), ("sync", "--demo-cert", "--wait", "20")]
        for step in steps:
            r = ibhxh(home, *step)
            assert r.returncode == 0, (step, r.stdout, r.stderr)
            assert "Traceback" not in r.stderr
        for _ in range(2):
            status = ibhxh(home, "status", "1")
            assert status.returncode == 0 and "Được chấp nhận" in status.stdout


def test_installed_command_files_a_book_re_issue(tmp_path):
    """A procedure besides contributions (607, re-issue of a lost book) with nothing
    chosen: declared, checked and printed, then read again by a second round."""
    home = tmp_path / "home"
    home.mkdir()
    assert ibhxh(home, "demo").returncode == 0
    listed = json.loads(ibhxh(home, "--json", "workers", "list").stdout)
    bhxh = next(w["bhxh_number"] for w in listed if w["bhxh_number"])
    r = ibhxh(home, "--json", "declare", "--procedure", "607", "--period", "12/2026",
              "--line", f"{bhxh}:Sổ bị mất khi chuyển nhà")
    assert r.returncode == 0, r.stderr
    dossier = str(json.loads(r.stdout)["dossier_id"])
    for _ in range(2):
        checked = ibhxh(home, "validate", dossier)
        assert checked.returncode == 0, checked.stderr
        pdf = tmp_path / "so.pdf"
        printed = ibhxh(home, "print", dossier, "--out", str(pdf))
        assert printed.returncode == 0, printed.stderr
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                              text=True).stdout
        assert "Sổ bị mất khi chuyển nhà" in text and bhxh in text


def test_installed_command_files_the_months_claims(tmp_path):
    """Benefit claims with nothing chosen: the demo's claims (and the months of
    contribution they are checked against) listed twice, declared, signed, sent and
    followed to Social Security's answer, each command a new process on the default
    folder; the approved amounts are then read again, twice."""
    from datetime import date

    home = tmp_path / "home"
    home.mkdir()
    with sandbox(home, tmp_path / "sandbox") as (url, ca):
        assert ibhxh(home, "demo").returncode == 0
        for _ in range(2):
            listed = ibhxh(home, "claims", "list")
            assert listed.returncode == 0, listed.stderr
            assert "Ốm đau (bản thân)" in listed.stdout and "cách tính" in listed.stdout
            checked = ibhxh(home, "claims", "check")
            assert checked.returncode == 0, (checked.stdout, checked.stderr)
        expected = {c["id"]: c["expected_amount"]
                    for c in json.loads(ibhxh(home, "--json", "claims", "list").stdout)}
        assert len(expected) == 4 and all(a and a > 0 for a in expected.values())
        assert ibhxh(home, "register", "--gateway", url, "--ca", ca,
                     "--demo-cert").returncode == 0
        month = f"{date.today():%m/%Y}"
        r = ibhxh(home, "--json", "claims", "declare", month)
        assert r.returncode == 0, (r.stdout, r.stderr)
        lists = json.loads(r.stdout)
        assert {d["procedure"] for d in lists} == {"630a", "630b"}
        for d in lists:
            for step in (("validate",), ("sign", "--demo-cert"), ("submit", "--demo-cert")):
                done = ibhxh(home, step[0], str(d["dossier_id"]), *step[1:])
                assert done.returncode == 0, (step, done.stdout, done.stderr)
        synced = ibhxh(home, "sync", "--demo-cert", "--wait", "30")
        assert synced.returncode == 0, (synced.stdout, synced.stderr)
        for _ in range(2):
            answered = json.loads(ibhxh(home, "--json", "claims", "list").stdout)
            assert {c["id"]: c["approved_amount"] for c in answered} == expected
            assert all(c["difference"] == 0 for c in answered)
            human = ibhxh(home, "claims", "list")
            assert "Traceback" not in human.stderr and "Được duyệt" in human.stdout
