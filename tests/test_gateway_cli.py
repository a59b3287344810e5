"""The gateway commands as an officer types them: login, sign, submit, sync, status, and
the paper dossier offered when the gateway is down (exit code 4, the dossier kept)."""

from __future__ import annotations

import re
import time

from tests.test_gateway_support import (
    DEMO_UNIT,
    TRIAL_PASSWORD,
    make_sandbox,
    sandbox_pki,
)

__all__ = ["make_sandbox", "sandbox_pki"]  # fixtures


def test_a_month_from_the_command_line(cli, make_sandbox, monkeypatch, tmp_path,
                                       memory_keyring):
    gateway = make_sandbox()
    assert cli("demo", "--workers", "6").code == 0
    monkeypatch.setenv("GW_PASS", TRIAL_PASSWORD)
    r = cli("login", "--gateway", gateway.url, "--ca", gateway.ca_file, "--unit", DEMO_UNIT,
            "--password-env", "GW_PASS")
    assert r.code == 0, r.err
    # The password went to the keyring, and nowhere in the data folder.
    assert TRIAL_PASSWORD in memory_keyring.items.values()
    data = b"".join(p.read_bytes() for p in (tmp_path / "data").rglob("*") if p.is_file())
    assert TRIAL_PASSWORD.encode() not in data
    assert cli("sign", 1, "--demo-cert").code == 0
    r = cli("--json", "submit", 1)
    assert r.code == 0, r.out
    deadline = time.monotonic() + 20
    while cli("--json", "status", 1).json["state"] != "accepted":
        assert time.monotonic() < deadline
        assert cli("sync").code == 0
        time.sleep(0.2)
    status = cli("status", 1).out
    assert "Được chấp nhận" in status and re.search(r"\d{5}/\d{4}/07906", status)


def test_gateway_down_exit_4_keeps_the_dossier_and_offers_paper(cli, make_sandbox,
                                                                 monkeypatch, tmp_path):
    gateway = make_sandbox()
    assert cli("demo", "--workers", "4").code == 0
    monkeypatch.setenv("GW_PASS", TRIAL_PASSWORD)
    assert cli("login", "--gateway", gateway.url, "--ca", gateway.ca_file, "--unit",
               DEMO_UNIT, "--password-env", "GW_PASS").code == 0
    assert cli("sign", 1, "--demo-cert").code == 0
    gateway.stop()
    r = cli("submit", 1)
    assert r.code == 4
    assert "ibhxh print 1" in r.err  # the paper dossier, with its command
    assert cli("--json", "status", 1).json["state"] == "signed"
    pdf = tmp_path / "giay.pdf"
    r = cli("print", 1, "--out", pdf, "--reason", "Cổng tiếp nhận không kết nối được")
    assert r.code == 0, r.err
    assert pdf.read_bytes().startswith(b"%PDF")
    assert cli("--json", "status", 1).json["state"] == "printed"


def test_without_an_os_keyring_only_the_local_sandbox_password_is_kept(
        cli, make_sandbox, monkeypatch, tmp_path):
    """A bare machine (no keyring): the training sandbox on this machine still works, its
    shared trial password kept in the user's key folder; a real gateway's password never
    leaves a keyring."""
    import os
    from pathlib import Path

    import keyring
    from keyring.backends import fail

    from ibhxh_client.storage.keys import on_this_machine

    keyring.set_keyring(fail.Keyring())
    gateway = make_sandbox()
    assert cli("demo", "--workers", "3").code == 0
    monkeypatch.setenv("GW_PASS", TRIAL_PASSWORD)
    r = cli("login", "--gateway", gateway.url, "--ca", gateway.ca_file, "--unit", DEMO_UNIT,
            "--password-env", "GW_PASS")
    assert r.code == 0, r.err
    key_dir = os.environ["IBHXH_KEY_DIR"]
    assert any(TRIAL_PASSWORD in p.read_text() for p in Path(key_dir).rglob("*.key"))
    assert cli("sign", 1, "--demo-cert").code == 0
    assert cli("submit", 1).code == 0
    assert on_this_machine("https://127.0.0.1:8443") and on_this_machine("https://localhost/")
    assert not on_this_machine("https://cong.baohiemxahoi.gov.vn/api")


def test_diagnose_checks_the_configured_gateway(cli, make_sandbox, monkeypatch):
    gateway = make_sandbox()
    assert cli("demo", "--workers", "2").code == 0
    monkeypatch.setenv("GW_PASS", TRIAL_PASSWORD)
    assert cli("login", "--gateway", gateway.url, "--ca", gateway.ca_file, "--unit",
               DEMO_UNIT, "--password-env", "GW_PASS").code == 0
    r = cli("--json", "diagnose")
    assert r.code == 0
    found = r.json["gateway"]
    assert found["url"].rstrip("/") == gateway.url.rstrip("/")
    assert found["reachable"] is True and found["tls"] == "verified"
    assert abs(found["clock_skew_seconds"]) < 120
