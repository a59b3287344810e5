"""The sandbox's training remote-signing service (docs/remote-signing.md §11.3) over real
HTTPS with requests and the sandbox's CA: certificates per training unit, transactions
held for the "phone", approve / reject / expire, the same request answered once, restarts,
the behaviour switches and faults, the ``ibhxh sandbox approve|reject|pending`` commands,
and the ``sandbox`` entry of providers.toml."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils

from ibhxh_client.gateway.sandbox.remote_signing import (
    CREDENTIALS_FILE,
    OTHER_UNIT,
    provider_base_url,
    running_url,
)
from ibhxh_client.signing.certs import check_for_signing, tax_code_of
from tests.test_gateway_support import fresh_state, make_sandbox, sandbox, sandbox_pki

__all__ = ["make_sandbox", "sandbox", "sandbox_pki"]  # fixtures

TAX = "0312345673"  # the demo company
ROOT = Path(__file__).resolve().parents[1]
PROVIDERS = ROOT / "resources" / "remote_signing" / "providers.toml"
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


class Service:
    """The program's side (the SP769 calls) and the phone's (``/sandbox/v1``)."""

    def __init__(self, sandbox) -> None:
        self.sandbox = sandbox
        self.http = requests.Session()
        self.http.trust_env = False  # REQUESTS_CA_BUNDLE would replace the sandbox's CA
        self.http.verify = str(sandbox.ca_file)
        self.base = provider_base_url(sandbox.url)
        self.credentials = {"sp_id": sandbox.remote.sp_id,
                            "sp_password": sandbox.remote.sp_password}
        self.admin = {"X-Sandbox-Admin": sandbox.admin_token}

    def call(self, path: str, body: dict, **kw) -> requests.Response:
        return self.http.post(self.base + path, json=body, allow_redirects=False, **kw)

    def certificates(self, user_id: str = TAX, serial: str = "") -> requests.Response:
        return self.call("/v1/credentials/get_certificate", {
            **self.credentials, "user_id": user_id, "serial_number": serial,
            "transaction_id": "c-1"})

    def certificate(self, user_id: str = TAX) -> tuple[str, x509.Certificate]:
        found = self.certificates(user_id).json()["data"]["user_certificates"][0]
        cert = x509.load_der_x509_certificate(base64.b64decode(found["cert_data"]))
        return found["serial_number"], cert

    def sign(self, transaction_id: str, files: list[tuple[str, bytes]], *,
             user_id: str = TAX, **extra) -> requests.Response:
        return self.call("/v1/signatures/sign", {
            **self.credentials, "user_id": user_id, "transaction_id": transaction_id,
            "transaction_desc": "Hồ sơ 600 (tập luyện)", "serial_number": "",
            "time_stamp": "20261204083000Z", **extra,
            "sign_files": [{"doc_id": doc_id, "file_type": "xml", "sign_type": "hash",
                            "data_to_be_signed": digest.hex()} for doc_id, digest in files]})

    def status(self, transaction_id: str) -> requests.Response:
        return self.call(f"/v1/signatures/sign/{transaction_id}/status", self.credentials)

    def phone(self, method: str, path: str, body: dict | None = None) -> requests.Response:
        return self.http.request(method, self.sandbox.url + "/sandbox/v1" + path,
                                 json=body, headers=self.admin)

    def configure(self, **settings) -> dict:
        answer = self.phone("POST", "/config", settings)
        assert answer.status_code == 200, answer.text
        return answer.json()["data"]


def files(count: int, tag: str = "") -> list[tuple[str, bytes]]:
    return [(f"F{i:04d}-{tag}.xml", hashlib.sha256(f"{tag}{i}".encode()).digest())
            for i in range(count)]


def verifies(cert: x509.Certificate, value: str, digest: bytes) -> bool:
    try:
        cert.public_key().verify(base64.b64decode(value), digest, padding.PKCS1v15(),
                                 utils.Prehashed(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def error_of(answer: requests.Response) -> tuple[int, str]:
    body = answer.json()
    assert body["status_code"] == answer.status_code and body["data"] is None
    return answer.status_code, body["message"]


@pytest.fixture
def service(sandbox) -> Service:
    return Service(sandbox)


@pytest.fixture
def clock(sandbox) -> list[float]:
    """The training service's clock, moved by the test (``clock[0] += 10``)."""
    now = [time.time()]
    sandbox.remote.clock = lambda: now[0]
    return now


# --------------------------------------------------------------------------- certificates

def test_a_training_unit_gets_its_certificate_from_the_sandbox_ca(service, sandbox):
    answer = service.certificates()
    assert answer.status_code == 200
    body = answer.json()
    assert body["status_code"] == 200 and body["message"] == "SUCCESS"
    [found] = body["data"]["user_certificates"]
    assert found["cert_status"] == "Đang hoạt động" and found["transaction_id"] == "c-1"
    cert = x509.load_der_x509_certificate(base64.b64decode(found["cert_data"]))
    ca = x509.load_der_x509_certificate(base64.b64decode(found["chain_data"]["ca_cert"]))
    assert ca == sandbox.pki.ca.certificate and found["chain_data"]["root_cert"] is None
    cert.verify_directly_issued_by(ca)
    assert tax_code_of(cert.subject) == TAX  # as the program's certificate checks read it
    assert found["serial_number"] == format(cert.serial_number, "X")
    assert found["cert_subject"] == cert.subject.rfc4514_string()
    assert found["cert_valid_to"].endswith("Z") and found["cert_valid_from"] < \
        found["cert_valid_to"]
    key = cert.public_key()
    assert isinstance(key, rsa.RSAPublicKey) and key.key_size == 2048
    assert check_for_signing(cert, cert.not_valid_before_utc, [ca]) == []
    # The same account again: the same certificate, not a new one.
    assert service.certificate() == (found["serial_number"], cert)
    by_serial = service.certificates(serial=found["serial_number"].lower())
    assert by_serial.json()["data"]["user_certificates"][0]["cert_data"] == found["cert_data"]
    # Another unit has its own.
    other_serial, other = service.certificate("0109999975")
    assert other_serial != found["serial_number"] and tax_code_of(other.subject) == \
        "0109999975"


def test_wrong_credentials_and_unknown_accounts_are_refused(service):
    bad = {**service.credentials, "sp_password": "not-it"}
    answer = service.call("/v1/credentials/get_certificate",
                          {**bad, "user_id": TAX, "serial_number": "", "transaction_id": ""})
    assert error_of(answer) == (401, "SP_CREDENTIAL_INVALID")
    assert error_of(service.certificates("079123456789")) == (401, "SP_CREDENTIAL_INVALID")
    service.certificate()
    assert error_of(service.certificates(serial="ABCDEF")) == (401, "SP_CREDENTIAL_INVALID")
    answer = service.http.post(service.base + "/v1/signatures/sign/x/status", json={})
    assert error_of(answer) == (401, "SP_CREDENTIAL_INVALID")


def test_a_revoked_certificate_is_refused_with_403(service):
    serial, _cert = service.certificate()
    assert service.phone("POST", f"/certificates/{serial}/revoke").status_code == 200
    assert error_of(service.sign("t-revoked", files(1))) == (403, "CREDENTIAL_STATUS_INVALID")
    assert error_of(service.certificates(serial=serial)) == (403, "CREDENTIAL_STATUS_INVALID")
    listed = service.certificates().json()["data"]["user_certificates"]
    assert listed[0]["cert_status"] == "Đã thu hồi"
    assert service.phone("POST", "/certificates/00/revoke").status_code == 404


# --------------------------------------------------------------------------- the phone

def test_held_until_the_phone_approves_then_one_value_per_doc_id(service, clock):
    serial, cert = service.certificate()
    sent = files(3, "a")
    answer = service.sign("t-approve", sent)
    assert answer.status_code == 200
    body = answer.json()
    assert body["message"] == "sig_wait_for_user_confirm"
    assert body["data"]["transaction_id"] == "t-approve" and body["data"]["tran_code"]
    assert body["data"]["expired_in"] == 300
    clock[0] += 10
    pending = service.status("t-approve").json()
    assert pending == {"status_code": 200, "message": "PENDING",
                       "data": {"transaction_id": "t-approve", "signatures": None,
                                "expired_in": 290}}
    waiting = service.phone("GET", "/transactions?state=PENDING").json()["data"]
    [listed] = waiting["transactions"]
    assert listed["transaction_id"] == "t-approve" and listed["serial_number"] == serial
    assert listed["doc_ids"] == [d for d, _ in sent] and listed["user_id"] == TAX
    assert listed["transaction_desc"] == "Hồ sơ 600 (tập luyện)"

    approved = service.phone("POST", "/transactions/t-approve/approve")
    assert approved.status_code == 200 and approved.json()["data"]["state"] == "SUCCESS"
    done = service.status("t-approve").json()
    assert done["message"] == "SUCCESS"
    values = {s["doc_id"]: s["signature_value"] for s in done["data"]["signatures"]}
    assert list(values) == [d for d, _ in sent]
    assert all(s["timestamp_signature"] is None for s in done["data"]["signatures"])
    for doc_id, digest in sent:
        assert verifies(cert, values[doc_id], digest)
        # Raw RSA: PKCS#1 v1.5 padding around DigestInfo(SHA-256, the digest sent).
        numbers = cert.public_key().public_numbers()
        raw = pow(int.from_bytes(base64.b64decode(values[doc_id]), "big"), numbers.e,
                  numbers.n).to_bytes(256, "big")
        assert raw.startswith(b"\x00\x01\xff") and raw.endswith(SHA256_DIGEST_INFO + digest)
    assert service.phone("GET", "/transactions?state=PENDING").json()["data"][
        "transactions"] == []
    # Decided once: a second approval or a rejection now is refused.
    assert service.phone("POST", "/transactions/t-approve/approve").status_code == 409
    assert service.phone("POST", "/transactions/t-approve/reject").status_code == 409


def test_rejected_on_the_phone(service, sandbox):
    service.sign("t-reject", files(2))
    assert sandbox.stats()["remote_transactions"] == {"PENDING": 1}
    assert service.phone("POST", "/transactions/t-reject/reject").json()["data"][
        "state"] == "REJECTED"
    assert service.status("t-reject").json() == {
        "status_code": 200, "message": "REJECTED",
        "data": {"transaction_id": "t-reject", "signatures": None}}
    assert service.phone("POST", "/transactions/t-reject/approve").status_code == 409
    assert sandbox.stats()["remote_transactions"] == {"REJECTED": 1}
    assert service.phone("POST", "/transactions/nothing/approve").status_code == 404


def test_expiry_and_expire_now(service, clock):
    assert service.configure(expiry_seconds=60)["expiry_seconds"] == 60
    assert service.sign("t-expire", files(1)).json()["data"]["expired_in"] == 60
    clock[0] += 59.5
    assert service.status("t-expire").json()["data"]["expired_in"] == 1
    clock[0] += 1
    assert service.status("t-expire").json()["message"] == "EXPIRED"
    assert service.phone("POST", "/transactions/t-expire/approve").status_code == 409
    service.sign("t-now", files(1, "now"))
    config = service.configure(faults=["expire_now"])
    assert config["faults"] == {}  # an action, not a lasting fault
    assert service.status("t-now").json()["message"] == "EXPIRED"
    assert service.sign("t-after", files(1, "after")).json()["message"] == \
        "sig_wait_for_user_confirm"
    assert service.status("t-after").json()["message"] == "PENDING"


def test_automatic_approval_and_a_slow_answer(service, clock):
    service.configure(auto_approve_after_seconds=1, answer_delay_ms=300)
    start = time.monotonic()
    service.sign("t-auto", files(2))
    assert time.monotonic() - start >= 0.3
    assert service.status("t-auto").json()["message"] == "PENDING"
    clock[0] += 1
    assert service.status("t-auto").json()["message"] == "SUCCESS"
    # The approval counts from the request: it never comes after the expiry.
    service.configure(auto_approve_after_seconds=120, expiry_seconds=60, answer_delay_ms=0)
    service.sign("t-late", files(1, "late"))
    clock[0] += 130
    assert service.status("t-late").json()["message"] == "EXPIRED"


def test_the_same_request_again_is_answered_the_same(service, sandbox):
    sent = files(2, "same")
    first = service.sign("t-same", sent).json()
    again = service.sign("t-same", list(reversed(sent))).json()
    assert again["data"]["tran_code"] == first["data"]["tran_code"]
    assert len(sandbox.remote.transactions()) == 1
    assert error_of(service.sign("t-same", files(2, "other"))) == (409, "TRANSACTION_ID_USED")
    assert error_of(service.sign("t-same", sent, user_id="0109999975")) == (
        409, "TRANSACTION_ID_USED")
    service.phone("POST", "/transactions/t-same/approve")
    # Sent again after the approval: no second approval, the signatures are there.
    assert service.sign("t-same", sent).json()["data"]["tran_code"] == first["data"][
        "tran_code"]
    assert service.status("t-same").json()["message"] == "SUCCESS"
    assert service.phone("GET", "/transactions?state=PENDING").json()["data"][
        "transactions"] == []


@pytest.mark.parametrize("change, expected", [
    (lambda f: {**f, "data_to_be_signed": f["data_to_be_signed"].upper()}, 400),
    (lambda f: {**f, "data_to_be_signed": f["data_to_be_signed"][:62]}, 400),
    (lambda f: {**f, "data_to_be_signed": base64.b64encode(b"x" * 32).decode()}, 400),
    (lambda f: {**f, "sign_type": "file"}, 400),
    (lambda f: {k: v for k, v in f.items() if k != "doc_id"}, 400),
    (lambda f: f, 200),
])
def test_sign_requests_are_checked(service, change, expected):
    one = {"doc_id": "D02-TS.xml", "file_type": "xml", "sign_type": "hash",
           "data_to_be_signed": hashlib.sha256(b"x").hexdigest()}
    answer = service.call("/v1/signatures/sign", {
        **service.credentials, "user_id": TAX, "transaction_id": "t-check",
        "sign_files": [change(one)]})
    assert answer.status_code == expected
    if expected != 200:
        assert error_of(answer) == (400, "BAD_REQUEST")


def test_malformed_requests_duplicates_limits_and_unknown_ids(service):
    answer = service.http.post(service.base + "/v1/signatures/sign", data=b"{not json",
                               headers={"Content-Type": "application/json"})
    assert error_of(answer) == (400, "BAD_REQUEST")
    duplicate = [("same.xml", b"\x01" * 32), ("same.xml", b"\x02" * 32)]
    assert error_of(service.sign("t-dup", duplicate)) == (400, "BAD_REQUEST")
    assert error_of(service.sign("t/slash", files(1))) == (400, "BAD_REQUEST")
    assert error_of(service.sign("t-empty", [])) == (400, "BAD_REQUEST")
    service.configure(max_files=3)
    assert error_of(service.sign("t-many", files(4))) == (400, "BAD_REQUEST")
    assert service.sign("t-three", files(3)).status_code == 200
    assert error_of(service.status("t-unknown")) == (404, "NOT_FOUND")
    assert error_of(service.call("/v1/nothing", service.credentials)) == (404, "NOT_FOUND")
    assert service.phone("POST", "/config", {"faults": ["earthquake"]}).status_code == 400
    assert service.phone("POST", "/config", {"expiry_seconds": -1}).status_code == 400
    assert service.phone("POST", "/config", {"colour": "red"}).status_code == 400


def test_the_phone_and_the_config_need_the_admin_token(service, sandbox):
    service.sign("t-token", files(1))
    for method, path in (("POST", "/transactions/t-token/approve"), ("GET", "/transactions"),
                         ("POST", "/config"), ("GET", "/config")):
        answer = service.http.request(method, sandbox.url + "/sandbox/v1" + path, json={})
        assert error_of(answer) == (401, "SP_CREDENTIAL_INVALID"), path
    assert service.status("t-token").json()["message"] == "PENDING"


# --------------------------------------------------------------------------- faults

def test_fail_and_wrong_digest(service):
    _serial, cert = service.certificate()
    sent = files(2, "w")
    service.configure(faults=["fail"])
    assert error_of(service.sign("t-fail", sent)) == (500, "SERVER_INTERNAL_ERROR")
    assert service.phone("GET", "/transactions").json()["data"]["transactions"] == []
    service.configure(faults={"wrong_digest": "status"})
    service.sign("t-wrong", sent)
    service.phone("POST", "/transactions/t-wrong/approve")
    wrong = service.status("t-wrong").json()["data"]["signatures"]
    assert [s["doc_id"] for s in wrong] == [d for d, _ in sent]
    assert not any(verifies(cert, s["signature_value"], d)
                   for s, (_, d) in zip(wrong, sent, strict=True))
    service.configure(faults=[])
    right = service.status("t-wrong").json()["data"]["signatures"]
    assert all(verifies(cert, s["signature_value"], d)
               for s, (_, d) in zip(right, sent, strict=True))


def test_other_unit(service):
    service.configure(faults={"other_unit": "get_certificate"})
    _serial, cert = service.certificate()
    assert tax_code_of(cert.subject) == OTHER_UNIT != TAX
    service.configure(faults={})
    assert tax_code_of(service.certificate()[1].subject) == TAX


def test_hostile_answers(service, sandbox):
    service.configure(faults={"oversized": "get_certificate"})
    answer = service.certificates()
    assert answer.status_code == 200 and len(answer.content) > 16 * 1024 * 1024
    service.configure(faults={"malformed": "*"})
    answer = service.sign("t-malformed", files(1))
    with pytest.raises(ValueError):
        json.loads(answer.content)
    service.configure(faults={"redirect": "status"})
    answer = service.status("t-malformed")
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("https://remote-signing.invalid/sca/sp769/")
    assert not answer.headers["Location"].startswith(sandbox.url)
    service.configure(faults=[])
    assert service.status("t-malformed").json()["message"] == "PENDING"


# --------------------------------------------------------------------------- restarts

def test_a_restart_keeps_credentials_certificates_and_pending_transactions(
        make_sandbox, sandbox_pki, tmp_path):
    state = fresh_state(sandbox_pki, tmp_path / "gw")
    first = make_sandbox(state)
    service = Service(first)
    serial, cert = service.certificate()
    sent = files(3, "restart")
    service.sign("t-restart", sent)
    service.sign("t-decided", files(1, "decided"))
    service.phone("POST", "/transactions/t-decided/reject")
    assert running_url(state) == first.url
    credentials = service.credentials
    first.stop()
    assert running_url(state) is None
    assert json.loads((state / CREDENTIALS_FILE).read_text()) == credentials
    assert (state / CREDENTIALS_FILE).stat().st_mode & 0o077 == 0
    assert all(p.stat().st_mode & 0o077 == 0 for p in (state / "remote-signing").iterdir())

    again = make_sandbox(state)
    service = Service(again)
    assert service.credentials == credentials and running_url(state) == again.url
    assert service.certificate() == (serial, cert)
    assert service.status("t-restart").json()["message"] == "PENDING"
    assert service.status("t-decided").json()["message"] == "REJECTED"
    assert service.sign("t-restart", sent).status_code == 200  # sent again: the same one
    assert service.phone("POST", "/transactions/t-restart/approve").status_code == 200
    values = service.status("t-restart").json()["data"]["signatures"]
    assert all(verifies(cert, s["signature_value"], d)
               for s, (_, d) in zip(values, sent, strict=True))


def test_many_files_answer_soon_after_the_approval(service):
    _serial, cert = service.certificate()
    sent = files(500, "many")
    service.configure(auto_approve_after_seconds=0.5)
    service.sign("t-many", sent)
    deadline = time.monotonic() + 10
    while (answer := service.status("t-many").json())["message"] == "PENDING":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert answer["message"] == "SUCCESS" and len(answer["data"]["signatures"]) == 500
    assert verifies(cert, answer["data"]["signatures"][-1]["signature_value"], sent[-1][1])


# --------------------------------------------------------------------------- the commands

def test_approve_reject_and_pending_on_the_command_line(cli, make_sandbox, sandbox_pki,
                                                        tmp_path):
    state = fresh_state(sandbox_pki, tmp_path / "gw")
    service = Service(make_sandbox(state))
    service.sign("t-cli-1", files(2, "c1"))
    service.sign("t-cli-2", files(1, "c2"))

    shown = cli("sandbox", "pending", "--state-dir", state)
    assert shown.code == 0
    assert "t-cli-1" in shown.out and "t-cli-2" in shown.out and "2 tệp" in shown.out
    done = cli("sandbox", "approve", "t-cli-1", "--state-dir", state)
    assert (done.code, done.out.strip()) == (0, "Đã xác nhận ký giao dịch t-cli-1 (2 tệp).")
    assert service.status("t-cli-1").json()["message"] == "SUCCESS"
    done = cli("sandbox", "reject", "t-cli-2", "--state-dir", state, "--lang", "en")
    assert (done.code, done.out.strip()) == (0, "Transaction t-cli-2 rejected (1 files).")
    assert service.status("t-cli-2").json()["message"] == "REJECTED"

    again = cli("sandbox", "approve", "t-cli-1", "--state-dir", state)
    assert again.code == 1
    assert again.err.strip() == "Giao dịch t-cli-1 không còn chờ xác nhận: đã ký."
    unknown = cli("sandbox", "reject", "t-none", "--state-dir", state)
    assert unknown.code == 1 and "t-none" in unknown.err
    empty = cli("--json", "sandbox", "pending", "--state-dir", state)
    assert empty.code == 0 and json.loads(empty.out) == {"transactions": []}
    empty = cli("sandbox", "pending", "--state-dir", state)
    assert empty.out.strip() == "Không có giao dịch ký nào đang chờ xác nhận."

    nowhere = cli("sandbox", "pending", "--state-dir", tmp_path / "none")
    assert nowhere.code == 4 and "ibhxh sandbox --state-dir" in nowhere.err
    gone = fresh_state(sandbox_pki, tmp_path / "gone")
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        (gone / "url").write_text(f"https://127.0.0.1:{sock.getsockname()[1]}\n")
    (gone / "admin-token").write_text("x\n")
    dead = cli("sandbox", "approve", "t-cli-1", "--state-dir", gone)
    assert dead.code == 4 and dead.err.startswith("Không kết nối được hộp cát tại https://")


def test_the_start_up_text_gives_the_training_credentials(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_PROXY": "127.0.0.1,localhost",
           "no_proxy": "127.0.0.1,localhost"}
    state = tmp_path / "state"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ibhxh_client.gateway.sandbox", "--port", "0",
         "--state-dir", str(state)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=env)
    try:
        lines = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if "Ctrl+C" in line or not line:
                break
        text = "".join(lines)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    credentials = json.loads((state / CREDENTIALS_FILE).read_text())
    url = next(w for w in text.split() if w.startswith("https://127.0.0.1:")).rstrip(";")
    assert f"Ký số từ xa tập luyện: {url}/sca/sp769;" in text
    assert f"mã tích hợp {credentials['sp_id']}, mật khẩu tích hợp " \
           f"{credentials['sp_password']}" in text
    assert f"ibhxh sandbox approve MÃ_GIAO_DỊCH --state-dir {state}" in text
    assert proc.returncode == 0, proc.stderr.read()
    assert not (state / "url").exists()  # stopped: no address left behind


# --------------------------------------------------------------------------- providers

def test_the_sandbox_provider_entry_matches_the_service(service):
    entry = tomllib.loads(PROVIDERS.read_text("utf-8"))["provider"]["sandbox"]
    assert entry["api_shape"] == "sp-json" and entry["digest_encoding"] == "hex_lower"
    assert entry["supported"] is True and entry["training"] is True
    base = entry["base_url"].format(sandbox_url=service.sandbox.url)
    assert base == service.base
    paths = entry["paths"]
    answer = service.http.post(base + paths["get_certificate"], json={
        **service.credentials, "user_id": TAX, "serial_number": "", "transaction_id": "p"})
    assert answer.status_code == 200
    sent = files(1, "p")
    answer = service.http.post(base + paths["sign"], json={
        **service.credentials, "user_id": TAX, "transaction_id": "t-p",
        "time_stamp": time.strftime(entry["time_stamp_format"]),
        "sign_files": [{"doc_id": sent[0][0], "file_type": entry["file_type"],
                        "sign_type": entry["sign_type"],
                        "data_to_be_signed": sent[0][1].hex()}]})
    assert entry["states"][answer.json()["message"]] == "pending"
    body = {name: service.credentials[name] for name in entry["status_body"]}
    status_url = base + paths["status"].format(transaction_id="t-p")
    assert entry["states"][service.http.post(status_url, json=body).json()["message"]] == \
        "pending"
    for code, _name in ((401, "account_invalid"), (403, "certificate_invalid")):
        assert str(code) in entry["http_errors"]
    assert entry["expiry_seconds"] == 300


def test_the_commands_sentences_have_english_with_the_same_placeholders():
    from ibhxh_client.domain.messages import placeholders
    from ibhxh_client.gateway.sandbox.cli import TEXT

    for code, entry in TEXT.items():
        assert set(entry) == {"vi", "en"}, code
        assert placeholders(entry["vi"]) == placeholders(entry["en"]), code
