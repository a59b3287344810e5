"""`ibhxh remote set|show`, `ibhxh tokens --remote` and `ibhxh sign ID --remote` end to end
against the sandbox's training remote-signing service over real HTTPS: the "phone"
approves or rejects through the sandbox's own endpoints (or `ibhxh sandbox approve`), the
signed dossier is checked by xmlsec1, and every failure leaves the dossier as it was."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from lxml import etree

from ibhxh_client.domain.messages import say
from ibhxh_client.gateway.sandbox import Sandbox
from ibhxh_client.gateway.sandbox.remote_signing import provider_base_url
from ibhxh_client.services.demo import demo_employer
from tests.pg import raw_connect
from tests.ports import quiet_port

PROVIDER = "sandbox"
CONFIRM = "Mở ứng dụng trên điện thoại để xác nhận"
ADMIN = "/sandbox/v1"


class Phone:
    """The director's phone: watches the training service's pending transactions over
    HTTPS (the sandbox's admin endpoints) and approves or rejects each one it sees."""

    def __init__(self, sandbox: Sandbox, decide: str = "approve") -> None:
        self.sandbox, self.decide = sandbox, decide
        self.seen: list[dict] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.verify = str(sandbox.ca_file)
        self.session.headers["X-Sandbox-Admin"] = sandbox.admin_token

    def call(self, method: str, path: str, **kw) -> dict:
        answer = self.session.request(method, self.sandbox.url + ADMIN + path, timeout=10, **kw)
        assert answer.status_code == 200, answer.text
        return answer.json()["data"]

    def pending(self) -> list[dict]:
        return self.call("GET", "/transactions?state=PENDING")["transactions"]

    def all(self) -> list[dict]:
        return self.call("GET", "/transactions")["transactions"]

    def _run(self) -> None:
        while not self._stop.is_set():
            for tx in self.pending():
                self.seen.append(tx)
                self.call("POST", f"/transactions/{tx['transaction_id']}/{self.decide}")
            self._stop.wait(0.1)

    def __enter__(self) -> Phone:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


@pytest.fixture
def sandbox(tmp_path):
    sb = Sandbox(tmp_path / "sandbox", port=quiet_port()).start()  # restarted on it
    yield sb
    sb.stop()


def set_account(cli, sandbox: Sandbox, *extra: str):
    return cli("remote", "set", PROVIDER, "--user-id", demo_employer().tax_code,
               "--sp-id", sandbox.remote.sp_id, "--password-env", "SP_PASSWORD",
               "--url", provider_base_url(sandbox.url), "--ca", sandbox.ca_file, *extra)


@pytest.fixture
def account(cli, sandbox, monkeypatch):
    """The demo unit with a dossier, its training account set, its certificate chosen."""
    assert cli("demo", "--workers", "12").code == 0
    monkeypatch.setenv("SP_PASSWORD", sandbox.remote.sp_password)
    r = set_account(cli, sandbox)
    assert r.code == 0, r.err
    r = cli("--json", "tokens", "--remote", PROVIDER)
    assert r.code == 0, r.err
    (cert,) = r.json
    assert cli("remote", "set", PROVIDER, "--serial", cert["serial"]).code == 0
    return sandbox


def state(cli, decl_id=1):
    return cli("--json", "status", decl_id).json["state"]


@pytest.fixture
def unsigned(cli, tmp_path):
    """Whether nothing signed is stored for the dossier (asked by exporting it)."""
    def ask(decl_id: int = 1) -> bool:
        return cli("export", decl_id, "--signed", "--out", tmp_path / "signed-now.xml"
                   ).code == 1
    return ask


def requests_of(app_dir: Path) -> list[tuple]:
    """The remote signing requests the data folder stored (phase, status, error)."""
    with raw_connect(app_dir) as conn:
        return conn.execute("SELECT phase, status, last_error, transaction_id FROM "
                            "remote_signatures ORDER BY id").fetchall()


def test_the_account_keeps_its_password_in_the_keyring_only(cli, sandbox, monkeypatch,
                                                            memory_keyring, data_dir):
    assert cli("demo", "--workers", "3").code == 0
    password = sandbox.remote.sp_password
    monkeypatch.setenv("SP_PASSWORD", password)
    r = set_account(cli, sandbox)
    assert r.code == 0, r.err
    assert "kho khóa" in r.out and password not in r.out
    shown = cli("--json", "remote", "show").json
    (acc,) = shown
    assert acc["provider"] == PROVIDER and acc["sp_id"] == sandbox.remote.sp_id
    assert acc["base_url"] == provider_base_url(sandbox.url) and acc["password_kept"]
    assert acc["serial"] == "" and password not in cli("remote", "show").out
    assert password in memory_keyring.items.values()
    # Nowhere in the data folder (the database, the logs) is the password written.
    for path in [*data_dir.rglob("*"), *Path(os.environ["IBHXH_LOG_DIR"]).rglob("*")]:
        if path.is_file():
            assert password.encode() not in path.read_bytes(), path
    # The signer's id is sealed like other personal data.
    with raw_connect(data_dir) as conn:
        (raw,) = conn.execute("SELECT user_id FROM remote_accounts").fetchone()
    assert demo_employer().tax_code.encode() not in raw
    # A new data key re-seals it; the account reads back the same.
    assert cli("key", "rotate").code == 0
    assert cli("--json", "remote", "show", PROVIDER).json[0]["user_id"] == \
        demo_employer().tax_code
    assert "integration password: in the OS keyring" in cli("--lang", "en", "remote",
                                                             "show").out
    # Signing needs a certificate chosen first, and says how.
    r = cli("sign", 1, "--remote", PROVIDER)
    assert r.code == 2 and f"ibhxh tokens --remote {PROVIDER}" in r.err
    # An account never set, a provider unknown or not supported: said, exit 2.
    assert cli("tokens", "--remote", "vnpt-smartca").code == 2
    r = cli("remote", "set", "khong-co", "--user-id", "1", "--sp-id", "x")
    assert r.code == 2 and "khong-co" in r.err
    assert cli("remote", "set", "misa-esign", "--user-id", "1", "--sp-id", "x").code == 2


def test_tokens_lists_the_accounts_certificates_with_expiry(cli, account):
    r = cli("--json", "tokens", "--remote", PROVIDER)
    assert r.code == 0, r.err
    (cert,) = r.json
    assert cert["tax_code"] == demo_employer().tax_code and cert["chosen"]
    assert cert["days_to_expiry"] > 300
    human = cli("tokens", "--remote", PROVIDER).out
    assert cert["serial"] in human and "còn" in human and "đang dùng" in human


def test_approved_on_the_phone_signs_both_levels_and_xmlsec1_agrees(cli, account, tmp_path,
                                                                   data_dir):
    sandbox = account
    unsigned_xml = tmp_path / "unsigned.xml"
    assert cli("export", 1, "--out", unsigned_xml).code == 0
    with Phone(sandbox) as phone:
        r = cli("sign", 1, "--remote", PROVIDER, "--wait", "60")
    assert r.code == 0, r.err
    assert CONFIRM in r.err and "các tờ khai" in r.err and "tệp hồ sơ gửi đi" in r.err
    assert state(cli) == "signed"
    history = cli("--json", "status", 1).json["history"]
    assert history[-1]["to"] == "signed" and "tập luyện" in history[-1]["detail"]
    # Two confirmations: the forms together, then the envelope.
    assert phone.seen[1]["doc_ids"] == ["BHXHDienTu.xml"]
    assert len(phone.seen) == 2 and len(phone.seen[0]["doc_ids"]) == 2
    assert [(p, s) for p, s, _, _ in requests_of(data_dir)] == [("forms", "done"),
                                                                ("envelope", "done")]
    signed = tmp_path / "signed.xml"
    assert cli("export", 1, "--signed", "--out", signed).code == 0
    from ibhxh_client.signing import strip_dossier_signatures

    assert strip_dossier_signatures(signed.read_bytes()) == \
        strip_dossier_signatures(unsigned_xml.read_bytes())
    assert cli("verify", signed, "--trusted-ca", sandbox.ca_file).code == 0
    assert xmlsec_verify(signed, sandbox.ca_file).returncode == 0
    root = etree.fromstring(signed.read_bytes())
    for i, node in enumerate(root.iter("NoiDungFile")):
        form = tmp_path / f"form{i}.xml"
        form.write_bytes(base64.b64decode(node.text))
        assert xmlsec_verify(form, sandbox.ca_file).returncode == 0


def xmlsec_verify(path, ca_pem) -> subprocess.CompletedProcess:
    return subprocess.run(["xmlsec1", "--verify", "--trusted-pem", str(ca_pem), str(path)],
                          capture_output=True, text=True)


def test_rejected_on_the_phone_leaves_the_dossier_unchanged(cli, account, data_dir,
                                                            unsigned):
    sandbox = account
    with Phone(sandbox, "reject"):
        r = cli("sign", 1, "--remote", PROVIDER, "--wait", "60")
    assert r.code == 3 and say("remote_rejected", "vi", id=1) in r.err
    assert state(cli) in ("draft", "validated") and unsigned()
    assert [(p, s, e) for p, s, e, _ in requests_of(data_dir)] == [
        ("forms", "failed", "remote_rejected")]
    # It can be signed again (a new request), or printed.
    with Phone(sandbox):
        r = cli("sign", 1, "--remote", PROVIDER, "--wait", "60")
    assert r.code == 0, r.err
    assert state(cli) == "signed" and not unsigned()


def test_expired_request_leaves_the_dossier_unchanged(cli, account, data_dir, unsigned,
                                                     tmp_path):
    sandbox = account
    sandbox.remote.configure({"expiry_seconds": 1})
    r = cli("--json", "sign", 1, "--remote", PROVIDER, "--wait", "30")
    assert r.code == 3 and r.json["error"] == "remote_expired"
    assert state(cli) in ("draft", "validated") and unsigned()
    assert [(s, e) for _, s, e, _ in requests_of(data_dir)] == [("failed", "remote_expired")]
    r = cli("print", 1, "--out", tmp_path / "ho-so.pdf")
    assert r.code == 0, r.err


def test_the_wait_ends_the_request_stays_pending_and_is_not_sent_again(cli, account,
                                                                       data_dir, unsigned):
    sandbox = account
    r = cli("--json", "sign", 1, "--remote", PROVIDER, "--wait", "1")
    assert r.code == 3 and r.json["error"] == "remote_pending"
    ((phase, status, _, tid),) = requests_of(data_dir)
    assert (phase, status) == ("forms", "pending") and tid in r.json["message"]
    assert state(cli) in ("draft", "validated") and unsigned()
    # The phone approves through `ibhxh sandbox approve`; the next call polls it.
    r = cli("sandbox", "approve", tid, "--state-dir", sandbox.state_dir)
    assert r.code == 0, r.err
    with Phone(sandbox) as phone:
        r = cli("sign", 1, "--remote", PROVIDER, "--wait", "60")
    assert r.code == 0, r.err
    assert [tx["doc_ids"] for tx in phone.seen] == [["BHXHDienTu.xml"]]
    assert sandbox.requests["remote sign"] == 2  # the forms once, the envelope once
    assert requests_of(data_dir)[0][3] == tid


def test_dropped_connection_keeps_the_request_and_follows_it_later(cli, account, data_dir,
                                                                   tmp_path, unsigned):
    sandbox = account
    r = cli("sign", 1, "--remote", PROVIDER, "--wait", "1")
    assert r.code == 3
    ((_, _, _, tid),) = requests_of(data_dir)
    port = sandbox.port
    sandbox.stop()
    r = cli("--json", "sign", 1, "--remote", PROVIDER, "--wait", "5")
    assert r.code == 4, r.out
    assert state(cli) in ("draft", "validated") and unsigned()
    ((_, status, error, _),) = requests_of(data_dir)
    assert status == "pending" and error == "remote_unreachable"
    again = Sandbox(sandbox.state_dir, port=port).start()
    try:
        with Phone(again) as phone:
            r = cli("sign", 1, "--remote", PROVIDER, "--wait", "60")
        assert r.code == 0, r.err
        assert phone.seen[0]["transaction_id"] == tid
        assert again.requests["remote sign"] == 1  # only the envelope's, after the restart
    finally:
        again.stop()


@pytest.mark.parametrize("arrived", [True, False])
def test_a_request_cut_off_while_sent_is_asked_about_before_another_is_made(
        cli, account, data_dir, monkeypatch, arrived):
    """The connection drops while the request is sent (the answer is lost): the next run
    asks the service about the stored id. Arrived: it is followed, not sent again. Not
    arrived: it is given up and a new one is made."""
    from ibhxh_client.signing import errors as E
    from ibhxh_client.signing.remote import RemoteClient

    sandbox = account
    real = RemoteClient.start

    def cut_off(self, *args, **kw):
        if arrived:
            real(self, *args, **kw)
        raise E.RemoteSigningError(E.REMOTE_UNREACHABLE, host=self.host, detail="ReadTimeout")

    monkeypatch.setattr(RemoteClient, "start", cut_off)
    r = cli("--json", "sign", 1, "--remote", PROVIDER, "--wait", "5")
    assert r.code == 4 and r.json["error"] == "remote_unreachable"
    ((_, status, error, tid),) = requests_of(data_dir)
    assert (status, error) == ("pending", "remote_unreachable")
    monkeypatch.setattr(RemoteClient, "start", real)
    with Phone(sandbox) as phone:
        r = cli("sign", 1, "--remote", PROVIDER, "--wait", "60")
    assert r.code == 0, r.err
    assert sandbox.requests["remote sign"] == 2  # the forms once, the envelope once
    if arrived:
        assert phone.seen[0]["transaction_id"] == tid
        assert [s for _, s, _, _ in requests_of(data_dir)] == ["done", "done"]
    else:
        assert phone.seen[0]["transaction_id"] != tid
        assert [(s, e) for _, s, e, _ in requests_of(data_dir)] == [
            ("failed", "remote_not_sent"), ("done", None), ("done", None)]


def test_an_envelope_request_cut_off_never_asks_the_forms_again(cli, account, data_dir,
                                                                monkeypatch):
    """The forms approved, the envelope's request lost on the way (it never reached the
    service): the next run sends the envelope's step again, and the director is not
    asked to approve the forms a second time."""
    from ibhxh_client.signing import errors as E
    from ibhxh_client.signing.remote import RemoteClient

    sandbox = account
    real = RemoteClient.start

    def envelope_lost(self, transaction_id, description, digests):
        if digests[0][0] == "BHXHDienTu.xml":
            raise E.RemoteSigningError(E.REMOTE_UNREACHABLE, host=self.host,
                                       detail="ConnectionError")
        return real(self, transaction_id, description, digests)

    monkeypatch.setattr(RemoteClient, "start", envelope_lost)
    with Phone(sandbox) as phone:
        r = cli("--json", "sign", 1, "--remote", PROVIDER, "--wait", "60")
    assert r.code == 4 and r.json["error"] == "remote_unreachable"
    assert [tx["doc_ids"] != ["BHXHDienTu.xml"] for tx in phone.seen] == [True]
    assert [(p, s) for p, s, _, _ in requests_of(data_dir)] == [("forms", "done"),
                                                                ("envelope", "pending")]
    monkeypatch.setattr(RemoteClient, "start", real)
    with Phone(sandbox) as phone:
        r = cli("sign", 1, "--remote", PROVIDER, "--wait", "60")
    assert r.code == 0, r.err
    assert [tx["doc_ids"] for tx in phone.seen] == [["BHXHDienTu.xml"]]
    assert sandbox.requests["remote sign"] == 2  # the forms once, the envelope once
    assert [(p, s, e) for p, s, e, _ in requests_of(data_dir)] == [
        ("forms", "done", None), ("envelope", "failed", "remote_not_sent"),
        ("envelope", "done", None)]
    assert state(cli) == "signed"


@pytest.mark.parametrize(("fault", "code"), [
    ("wrong_digest", "bad_signature_value"), ("malformed", "remote_bad_answer"),
    ("redirect", "remote_redirect"), ("oversized", "remote_too_large"),
    ("fail", "remote_failed")])
def test_a_hostile_or_failing_answer_ends_the_request_and_changes_nothing(
        cli, account, data_dir, fault, code, unsigned):
    sandbox = account
    sandbox.remote.configure({"faults": {fault: "status"}})
    with Phone(sandbox):
        r = cli("--json", "sign", 1, "--remote", PROVIDER, "--wait", "30")
    assert r.code == 3 and r.json["error"] == code, r.out
    assert [(s, e) for _, s, e, _ in requests_of(data_dir)] == [("failed", code)]
    assert state(cli) in ("draft", "validated") and unsigned()


def test_a_certificate_of_another_unit_is_refused(cli, account, data_dir, unsigned):
    sandbox = account
    sandbox.remote.configure({"faults": {"other_unit": "get_certificate"}})
    # The service now answers with another unit's certificate: not the serial chosen.
    r = cli("sign", 1, "--remote", PROVIDER, "--wait", "5")
    assert r.code == 3 and "sê-ri" in r.err
    # Chosen anyway (an account that holds several units' certificates): its tax code is
    # not the unit's, and nothing is sent.
    (other,) = cli("--json", "tokens", "--remote", PROVIDER).json
    assert other["tax_code"] == "0109999982" and not other["chosen"]
    assert cli("remote", "set", PROVIDER, "--serial", other["serial"]).code == 0
    r = cli("--json", "sign", 1, "--remote", PROVIDER, "--wait", "5")
    assert r.code == 3 and r.json["error"] == "cert_other_unit"
    assert r.json["message"] == say("cert_other_unit", "vi", cert="0109999982",
                                    unit=demo_employer().tax_code)
    assert requests_of(data_dir) == [] and sandbox.requests["remote sign"] == 0
    assert state(cli) in ("draft", "validated") and unsigned()


def test_wrong_password_and_revoked_certificate_are_said_and_change_nothing(
        cli, account, monkeypatch, data_dir, unsigned):
    sandbox = account
    monkeypatch.setenv("SP_PASSWORD", "sai-mat-khau")
    assert set_account(cli, sandbox).code == 0
    r = cli("--json", "sign", 1, "--remote", PROVIDER, "--wait", "5")
    assert r.code == 3 and r.json["error"] == "remote_credentials"
    assert requests_of(data_dir) == []  # refused at the certificate: nothing sent
    monkeypatch.setenv("SP_PASSWORD", sandbox.remote.sp_password)
    assert set_account(cli, sandbox).code == 0
    serial = cli("--json", "remote", "show", PROVIDER).json[0]["serial"]
    assert serial  # kept from before: only what is given changes
    assert sandbox.remote.revoke(serial)
    r = cli("--json", "sign", 1, "--remote", PROVIDER, "--wait", "5")
    assert r.code == 3 and r.json["error"] == "remote_certificate"
    # The service refused the request: it is over, not left waiting.
    assert [(s, e) for _, s, e, _ in requests_of(data_dir)] == [
        ("failed", "remote_certificate")]
    assert state(cli) in ("draft", "validated") and unsigned()


def test_resume_pending_follows_each_waiting_request_and_the_countdown_can_stop(
        cli, account, data_dir):
    """What the window does at start (resume_pending) and while it shows the countdown
    (on_tick; Cancel returns False): the request stays, nothing is sent twice."""
    from ibhxh_client.services import remote_signing
    from ibhxh_client.services.app import UserError, open_app

    sandbox = account
    ticks: list[tuple[int, str]] = []

    def cancel(seconds_left: int, phase: str) -> bool:
        ticks.append((seconds_left, phase))
        return False

    app = open_app(data_dir)
    try:
        with pytest.raises(UserError) as stopped:
            remote_signing.sign_remote(app, 1, PROVIDER, wait=60, on_tick=cancel)
        assert stopped.value.code == "remote_pending" and stopped.value.exit_code == 3
        assert len(ticks) == 1 and ticks[0][1] == "forms" and 250 < ticks[0][0] <= 300
        (item,) = remote_signing.pending(app)
        assert item["phase"] == "forms" and item["dossier_id"] == 1
        # Nothing decided yet: still pending after a poll.
        (out,) = remote_signing.resume_pending(app)
        assert out["outcome"] == "pending" and item["transaction_id"] in out["message"]
        sandbox.remote.decide(item["transaction_id"], True)
        (out,) = remote_signing.resume_pending(app)
        assert out["outcome"] == "pending"  # the forms signed, the envelope asked for
        (envelope,) = remote_signing.pending(app)
        assert envelope["phase"] == "envelope"
        sandbox.remote.decide(envelope["transaction_id"], True)
        assert remote_signing.resume_pending(app) == [
            {"dossier_id": 1, "provider": PROVIDER, "outcome": "signed", "message": "",
             "unit_code": "TZH490L"}]
        assert remote_signing.pending(app) == [] and remote_signing.resume_pending(app) == []
    finally:
        app.close()
    assert state(cli) == "signed" and sandbox.requests["remote sign"] == 2
    # A request that ended keeps no prepared content (personal data).
    with raw_connect(data_dir) as conn:
        sizes = [n for (n,) in conn.execute("SELECT length(state) FROM remote_signatures")]
    assert len(sizes) == 2 and max(sizes) < 64


def test_a_dossier_edited_while_the_phone_is_asked_is_not_finished_from_the_old_one(
        cli, account, data_dir, unsigned, tmp_path):
    from ibhxh_client.services import employer, remote_signing
    from ibhxh_client.services.app import UserError, open_app

    sandbox = account
    app = open_app(data_dir)

    def rename(unit_name: str) -> None:
        e = employer.get(app)
        e.name = unit_name
        employer.save(app, e)

    try:
        # Edited while the countdown runs: approved, but not taken for this dossier.
        edited: list[str] = []

        def edit_once(seconds_left: int, phase: str) -> None:
            if not edited:
                rename("Công ty Đổi Tên Lúc Chờ")
                edited.append(phase)

        with Phone(sandbox), pytest.raises(UserError) as changed:
            remote_signing.sign_remote(app, 1, PROVIDER, wait=60, on_tick=edit_once)
        assert changed.value.code == "remote_dossier_changed" and unsigned()
        # Edited between two runs: the waiting request is given up when looked at.
        with pytest.raises(UserError) as pending:
            remote_signing.sign_remote(app, 1, PROVIDER, wait=0)
        assert pending.value.code == "remote_pending"
        rename("Công ty Đổi Tên")
        (out,) = remote_signing.resume_pending(app)
        assert out["outcome"] == "remote_dossier_changed" and unsigned()
        assert remote_signing.pending(app) == []
    finally:
        app.close()
    # Signed again: the new content, in new requests.
    with Phone(sandbox):
        r = cli("sign", 1, "--remote", PROVIDER, "--wait", "60")
    assert r.code == 0, r.err
    signed = tmp_path / "signed.xml"
    assert cli("export", 1, "--signed", "--out", signed).code == 0
    assert "Công ty Đổi Tên".encode() in signed.read_bytes()
    assert "Lúc Chờ".encode() not in signed.read_bytes()
    assert [(p, s, e) for p, s, e, _ in requests_of(data_dir)] == [
        ("forms", "failed", "remote_dossier_changed"),
        ("forms", "failed", "remote_dossier_changed"), ("forms", "done", None),
        ("envelope", "done", None)]


def test_an_expired_certificate_is_refused_before_anything_is_sent(cli, account,
                                                                   data_dir, unsigned):
    """The certificate the service gives is checked as a token's: at a time past its
    validity (four years on; the training service issues for three) it is refused."""
    import datetime as dt

    from ibhxh_client.services import remote_signing
    from ibhxh_client.services.app import UserError, open_app

    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=4 * 365)
    app = open_app(data_dir)
    try:
        with pytest.raises(UserError) as refused:
            remote_signing.sign_remote(app, 1, PROVIDER, wait=5, now=later)
    finally:
        app.close()
    assert refused.value.code == "cert_expired" and refused.value.exit_code == 3
    assert "hết hạn" in refused.value.message("vi")
    assert requests_of(data_dir) == [] and account.requests["remote sign"] == 0
    assert state(cli) == "draft" and unsigned()


def test_the_training_account_comes_from_the_sandbox_running_for_the_data_folder(
        cli, data_dir, monkeypatch):
    """`ibhxh sandbox` started for this data folder: `remote set sandbox` needs no --url,
    and ``use_training_service`` (the first-run demo) sets the whole account."""
    from ibhxh_client.services import remote_signing
    from ibhxh_client.services.app import open_app

    assert cli("demo", "--workers", "3").code == 0
    sandbox = Sandbox(data_dir / "sandbox").start()
    try:
        monkeypatch.setenv("SP_PASSWORD", sandbox.remote.sp_password)
        r = cli("--json", "remote", "set", PROVIDER, "--user-id", demo_employer().tax_code,
                "--sp-id", sandbox.remote.sp_id, "--password-env", "SP_PASSWORD")
        assert r.code == 0, r.err
        assert r.json["base_url"] == provider_base_url(sandbox.url) and not r.json["serial"]
        app = open_app(data_dir)
        try:
            account = remote_signing.use_training_service(app, data_dir / "sandbox")
        finally:
            app.close()
        assert account["serial"] and account["ca_file"] == str(data_dir / "sandbox" /
                                                                "ca.pem")
        sandbox.remote.configure({"auto_approve_after_seconds": 0.3})
        r = cli("sign", 1, "--remote", PROVIDER, "--wait", "30")
        assert r.code == 0, r.err
        assert state(cli) == "signed"
    finally:
        sandbox.stop()


def _run(data_dir: Path, *args: str, **kw) -> subprocess.Popen:
    env = {**os.environ, "IBHXH_DATA_DIR": str(data_dir)}
    return subprocess.Popen([sys.executable, "-m", "ibhxh_client.cli", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def _done(proc: subprocess.Popen, timeout: float = 120) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def test_a_new_process_follows_the_stored_request_after_a_crash(sandbox, tmp_path,
                                                                monkeypatch):
    """The program is killed while the phone has not answered; the next run polls the
    stored transaction, never sends the forms a second time."""
    data = tmp_path / "proc-data"
    monkeypatch.setenv("SP_PASSWORD", sandbox.remote.sp_password)
    assert _done(_run(data, "demo", "--workers", "5"))[0] == 0
    code, out, err = _done(_run(data, "remote", "set", PROVIDER, "--user-id",
                                demo_employer().tax_code, "--sp-id", sandbox.remote.sp_id,
                                "--password-env", "SP_PASSWORD", "--url",
                                provider_base_url(sandbox.url), "--ca", str(sandbox.ca_file)))
    assert code == 0, err
    code, out, err = _done(_run(data, "--json", "tokens", "--remote", PROVIDER))
    assert code == 0, err
    import json

    serial = json.loads(out)[0]["serial"]
    assert _done(_run(data, "remote", "set", PROVIDER, "--serial", serial))[0] == 0
    phone = Phone(sandbox)
    first = _run(data, "sign", "1", "--remote", PROVIDER, "--wait", "120")
    deadline = time.monotonic() + 60
    while not phone.pending():
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.1)
    first.kill()  # a crash while waiting for the phone
    first.communicate()
    (tx,) = phone.all()
    with phone:
        code, out, err = _done(_run(data, "sign", "1", "--remote", PROVIDER, "--wait", "60"))
    assert code == 0, err
    assert phone.seen[0]["transaction_id"] == tx["transaction_id"]
    assert sandbox.requests["remote sign"] == 2
    code, out, err = _done(_run(data, "--json", "status", "1"))
    assert json.loads(out)["state"] == "signed"


def test_two_signers_at_once_send_one_request_and_both_end_signed(account, data_dir,
                                                                  monkeypatch, cli):
    """The window and the CLI (here two threads, each with its own connection) sign the
    same dossier at once: both have looked for a pending request and found none before
    either stores one. Only one request per phase reaches the service; the other signer
    follows it and ends with the same signed dossier."""
    from ibhxh_client.services import remote_signing
    from ibhxh_client.services.app import open_app
    from ibhxh_client.signing.remote import RemoteClient

    sandbox = account
    both_looked = threading.Barrier(2, timeout=30)
    real_certificate = RemoteClient.certificate

    def certificate_then_meet(self):  # called after the check for a pending request
        found = real_certificate(self)
        both_looked.wait()
        return found

    monkeypatch.setattr(RemoteClient, "certificate", certificate_then_meet)
    results: dict[int, object] = {}

    def sign(n: int) -> None:
        app = open_app(data_dir)
        try:
            results[n] = remote_signing.sign_remote(app, 1, PROVIDER, wait=90)
        except Exception as exc:  # the assertion below shows it
            results[n] = exc
        finally:
            app.close()

    with Phone(sandbox) as phone:
        threads = [threading.Thread(target=sign, args=(n,)) for n in (1, 2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    assert sorted(results) == [1, 2]
    for outcome in results.values():
        assert isinstance(outcome, remote_signing.SignResult), outcome
    assert results[1].certificate["fingerprint"] == results[2].certificate["fingerprint"]
    assert sandbox.requests["remote sign"] == 2  # the forms once, the envelope once
    assert [len(tx["doc_ids"]) > 0 for tx in phone.seen] == [True, True]
    assert [(p, s) for p, s, _, _ in requests_of(data_dir)] == [("forms", "done"),
                                                                ("envelope", "done")]
    assert state(cli) == "signed"


def test_printing_abandons_the_pending_request_and_says_so(cli, account, data_dir,
                                                           unsigned, tmp_path):
    """Paper while the phone has not answered: the officer is told the request is
    abandoned, it is marked so, an approval that comes later is never applied to the
    printed dossier, and the dossier's data is intact."""
    from ibhxh_client.services import remote_signing
    from ibhxh_client.services.app import open_app

    sandbox = account
    before = tmp_path / "before.xml"
    assert cli("export", 1, "--out", before).code == 0
    r = cli("--json", "sign", 1, "--remote", PROVIDER, "--wait", "1")
    assert r.code == 3 and r.json["error"] == "remote_pending"
    ((_, _, _, tid),) = requests_of(data_dir)
    r = cli("print", 1, "--out", tmp_path / "paper.pdf", "--reason", "Chờ ký quá lâu")
    assert r.code == 0, r.err
    assert "đã bị hủy vì hồ sơ 1 được in ra giấy" in r.out and tid in r.out
    assert "sandbox" not in r.out
    assert [(s, e) for _, s, e, _ in requests_of(data_dir)] == [("failed", "remote_printed")]
    # The director approves afterwards: nothing follows it, the dossier stays printed.
    assert cli("sandbox", "approve", tid, "--state-dir", sandbox.state_dir).code == 0
    app = open_app(data_dir)
    try:
        assert remote_signing.pending(app) == [] and remote_signing.resume_pending(app) == []
    finally:
        app.close()
    assert state(cli) == "printed" and unsigned()
    after = tmp_path / "after.xml"
    assert cli("export", 1, "--out", after).code == 0
    assert after.read_bytes() == before.read_bytes()


def test_the_abandoned_request_is_said_in_english_too(cli, account, data_dir, tmp_path):
    assert cli("sign", 1, "--remote", PROVIDER, "--wait", "1").code == 3
    ((_, _, _, tid),) = requests_of(data_dir)
    r = cli("--lang", "en", "print", 1, "--out", tmp_path / "p.pdf", "--reason", "paper")
    assert r.code == 0, r.err
    assert f"request {tid} waiting on the phone was abandoned because dossier 1 was " \
           "printed on paper" in r.out
    r = cli("--json", "print", 1, "--out", tmp_path / "p2.pdf", "--reason", "again")
    assert r.code == 0 and r.json["abandoned_remote_requests"] == []


def test_a_request_abandoned_while_followed_is_not_applied_when_approved(
        cli, account, data_dir, unsigned):
    """The officer gives up the request in the waiting list while a signer (the Send
    wizard, the CLI) still follows it: the approval that arrives is not used."""
    from ibhxh_client.services import remote_signing
    from ibhxh_client.services.app import UserError, open_app

    sandbox = account
    app, other = open_app(data_dir), open_app(data_dir)
    given_up: list[str] = []

    def abandon_then_approve(_seconds: int, _phase: str) -> None:
        if not given_up:
            given_up.extend(remote_signing.abandon(other, 1))
            sandbox.remote.decide(given_up[0], True)

    try:
        with pytest.raises(UserError) as ended:
            remote_signing.sign_remote(app, 1, PROVIDER, wait=60,
                                       on_tick=abandon_then_approve)
    finally:
        app.close()
        other.close()
    assert ended.value.code == "remote_abandoned" and given_up[0] in ended.value.message("vi")
    assert sandbox.requests["remote sign"] == 1 and unsigned()
    assert [(s, e) for _, s, e, _ in requests_of(data_dir)] == [("failed",
                                                                 "remote_abandoned")]


def test_a_request_of_a_unit_not_chosen_is_followed_at_start(cli, account, data_dir):
    """Several units: the window starts on another unit than the one whose request waits
    on the phone; the request is still followed to its signature, the choice unchanged."""
    from ibhxh_client.services import employer, remote_signing
    from ibhxh_client.services.app import UserError, open_app
    from tests.test_units import SECOND

    sandbox = account
    app = open_app(data_dir)
    try:
        with pytest.raises(UserError):
            remote_signing.sign_remote(app, 1, PROVIDER, wait=60, on_tick=lambda *_: False)
        (forms,) = remote_signing.pending(app)
        sandbox.remote.decide(forms["transaction_id"], True)
        employer.save(app, employer.from_values(SECOND), new_unit=True)  # chosen now
        assert app.unit != 1 and remote_signing.pending(app) == []
        (out,) = remote_signing.resume_pending(app)
        assert (out["unit_code"], out["outcome"]) == ("TZH490L", "pending")  # the envelope's
        (envelope,) = remote_signing.pending(app.for_unit(1))
        assert envelope["phase"] == "envelope"
        sandbox.remote.decide(envelope["transaction_id"], True)
        (out,) = remote_signing.resume_pending(app)
        assert (out["unit_code"], out["outcome"]) == ("TZH490L", "signed")
        assert app.unit != 1
        assert len(sandbox.remote.transactions()) == 2  # nothing sent twice
    finally:
        app.close()
    assert cli("--json", "--unit", "TZH490L", "status", 1).json["state"] == "signed"
