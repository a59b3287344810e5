"""The sandbox gateway through the protocol itself (gateway.client, and raw HTTPS where
the client would refuse to send something): logins, idempotency, the envelope checks,
state that survives a restart, the admin endpoint, and ``python -m`` printing its CA."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives.serialization import Encoding

from ibhxh_client.gateway import errors as E
from ibhxh_client.gateway import protocol as P
from ibhxh_client.gateway.client import GatewayClient, RetryPolicy
from ibhxh_client.signing import Pkcs12Signer, make_demo_pkcs12
from ibhxh_client.signing.demo import DemoCA
from tests.test_gateway_support import (
    DEMO_TAX,
    DEMO_UNIT,
    TRIAL_PASSWORD,
    demo_identity,
    fresh_state,
    make_sandbox,
    sandbox,
    sandbox_pki,
    sign_and_store,
)

__all__ = ["demo_identity", "make_sandbox", "sandbox", "sandbox_pki"]  # fixtures

NO_RETRY = RetryPolicy(attempts=1)


def _client(gw, **kw) -> GatewayClient:
    kw.setdefault("retry", NO_RETRY)
    return GatewayClient(gw.url, ca_pem=gw.ca_pem, **kw)


@pytest.fixture
def signed(demo_app, demo_identity) -> bytes:
    with demo_identity.signer() as signer:
        return sign_and_store(demo_app, demo_app.demo_id, signer)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_info_login_and_submission_over_https(sandbox, signed):
    with _client(sandbox) as client:
        info = client.info()
        assert info.protocol == "ibhxh-gateway" and info.sandbox and "1" in info.versions
        session = client.login_password(DEMO_UNIT, TRIAL_PASSWORD)
        assert session.method == "password" and session.unit_code == DEMO_UNIT
        key = "k" * 32
        first = client.submit(signed, key, _sha(signed))
        again = client.submit(signed, key, _sha(signed))
        state = client.state(first.dossier_number)
    assert not first.replayed and again.replayed
    assert again.dossier_number == first.dossier_number and again.receipt == first.receipt
    assert state.status == "received" and not state.result_available
    assert sandbox.store.count() == 1


def test_same_key_with_another_envelope_is_a_conflict(sandbox, signed):
    with _client(sandbox) as client:
        client.login_password(DEMO_UNIT, TRIAL_PASSWORD)
        client.submit(signed, "k" * 32, _sha(signed))
        other = signed.replace(b"<NguoiKy>", b"<NguoiKy> ")
        with pytest.raises(E.GatewayError) as err:
            client.submit(other, "k" * 32, _sha(other))
    assert err.value.code == "idempotency_conflict" and err.value.status == 409
    assert err.value.kind == E.REFUSED_KIND


def test_unit_must_match_the_session_and_the_certificate(sandbox, signed):
    with _client(sandbox) as client:
        client.login_password("ABC1234", TRIAL_PASSWORD)
        with pytest.raises(E.GatewayError) as err:
            client.submit(signed, "u" * 32, _sha(signed))
    assert err.value.code == "unit_mismatch"


def test_certificate_login(sandbox, demo_identity, tmp_path):
    with _client(sandbox) as client, demo_identity.signer() as signer:
        session = client.login_certificate(DEMO_UNIT, signer)
        assert session.method == "certificate" and session.tax_code == DEMO_TAX
        # The unit is now known with this tax code: another company's certificate is refused.
        made = make_demo_pkcs12(tmp_path / "x.p12", b"pw", "0102345677", "Công ty X")
        with Pkcs12Signer.from_file(made.path, b"pw") as stranger:
            with pytest.raises(E.GatewayError) as err:
                client.login_certificate(DEMO_UNIT, stranger)
            assert err.value.code == "unit_mismatch"
        # A challenge is good once; a signature over something else is refused.
        challenge = P.Challenge.from_json(client._call(
            "POST", P.CHALLENGE, body={"unit_code": DEMO_UNIT}, auth=False))
        login = P.CertificateLogin(
            challenge.challenge_id, DEMO_UNIT,
            P.b64encode(signer.certificate.public_bytes(Encoding.DER)),
            P.b64encode(signer.sign(b"something else"))).to_json()
        with pytest.raises(E.GatewayError) as err:
            client._call("POST", P.LOGIN_CERTIFICATE, body=login, auth=False)
        assert err.value.code == "login_failed"
        with pytest.raises(E.GatewayError) as err:
            client._call("POST", P.LOGIN_CERTIFICATE, body=login, auth=False)
        assert err.value.code == "challenge_expired"


def test_trusted_ca_is_enforced(make_sandbox, signed, demo_identity):
    other_ca = DemoCA.create("SOME OTHER CA")
    gw = make_sandbox(trusted_cas=[other_ca.certificate])
    with _client(gw) as client:
        with demo_identity.signer() as signer, pytest.raises(E.GatewayError) as err:
            client.login_certificate(DEMO_UNIT, signer)
        assert err.value.code == "certificate_refused"
        client.login_password(DEMO_UNIT, TRIAL_PASSWORD)
        with pytest.raises(E.GatewayError) as err:
            client.submit(signed, "t" * 32, _sha(signed))
    assert err.value.code == "envelope_invalid" and err.value.status == 422
    assert any("CKy_Dvi" in d.where for d in err.value.details)
    assert gw.store.count() == 0


def test_trial_password_only_when_configured(make_sandbox):
    gw = make_sandbox(trial_password=None)
    with _client(gw) as client, pytest.raises(E.GatewayError) as err:
        client.login_password(DEMO_UNIT, "anything")
    assert err.value.code == "trial_disabled"


def test_bad_requests_get_protocol_errors(sandbox):
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE would replace the sandbox's CA
    session.verify = str(sandbox.ca_file)
    url = sandbox.url
    answer = session.post(url + P.LOGIN_PASSWORD, data=b"{not json",
                          headers={"Content-Type": "application/json"})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "bad_request"
    answer = session.get(url + P.INFO, headers={P.VERSION_HEADER: "9"})
    assert answer.json()["error"]["code"] == "unsupported_version"
    answer = session.get(url + "/api/v1/nothing")
    assert answer.status_code == 404
    token = session.post(url + P.LOGIN_PASSWORD, json={"unit_code": DEMO_UNIT,
                                                       "password": TRIAL_PASSWORD}).json()
    auth = {"Authorization": f"Bearer {token['token']}"}
    answer = session.post(url + P.DOSSIERS, json={"envelope": "", "sha256": "0" * 64},
                          headers=auth)
    assert answer.status_code == 428
    answer = session.get(url + P.DOSSIERS + "/00001-2026-07906")
    assert answer.status_code == 401
    answer = session.get(url + P.DOSSIERS + "/00001-2026-07906", headers=auth)
    assert answer.status_code == 404


def test_state_survives_a_restart(make_sandbox, sandbox_pki, tmp_path, signed):
    state = fresh_state(sandbox_pki, tmp_path / "gw")
    gw = make_sandbox(state, process_after=60)
    with _client(gw) as client:
        client.login_password(DEMO_UNIT, TRIAL_PASSWORD)
        first = client.submit(signed, "r" * 32, _sha(signed))
    ca_before = gw.ca_pem
    gw.stop()
    again = make_sandbox(state, process_after=60)
    assert again.ca_pem == ca_before and not again.created
    with _client(again) as client:
        client.login_password(DEMO_UNIT, TRIAL_PASSWORD)  # sessions do not survive
        assert client.state(first.dossier_number).status == "received"
        replay = client.submit(signed, "r" * 32, _sha(signed))
        assert replay.replayed and replay.dossier_number == first.dossier_number
        other = signed.replace(b"<NguoiKy>", b"<NguoiKy> ")
        with pytest.raises(E.GatewayError):  # the unit's signature no longer matches
            client.submit(other, "s" * 32, _sha(other))


def test_admin_endpoint_needs_the_token(sandbox):
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE would replace the sandbox's CA
    session.verify = str(sandbox.ca_file)
    url = sandbox.url + "/_sandbox/faults"
    assert session.post(url, json={"kind": "http_error"}).status_code == 401
    token = (sandbox.state_dir / "admin-token").read_text().strip()
    armed = session.post(url, json={"kind": "http_error", "route": "info", "status": 500},
                         headers={"X-Sandbox-Admin": token})
    assert armed.status_code == 201
    assert session.get(sandbox.url + P.INFO).status_code == 500
    assert session.get(sandbox.url + P.INFO).status_code == 200  # once only
    bad = session.post(url, json={"kind": "flood"}, headers={"X-Sandbox-Admin": token})
    assert bad.status_code == 400
    stats = session.get(sandbox.url + "/_sandbox/stats", headers={"X-Sandbox-Admin": token})
    assert stats.json()["faults_fired"] == {"http_error": 1}


def test_answers_are_read_up_to_a_cap(sandbox):
    with _client(sandbox) as client, pytest.raises(E.GatewayError) as err:
        client._call("GET", P.INFO, auth=False, limit=50)
    assert err.value.code == "answer_too_large" and err.value.kind == E.ANSWER_KIND


def test_python_m_starts_https_and_prints_the_ca_file(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
           "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ibhxh_client.gateway.sandbox", "--port", "0",
         "--state-dir", str(tmp_path / "state"), "--trial-password", "pw12345678",
         "--process-after", "0.1", "--lang", "en"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        lines = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if "Ctrl+C" in line or not line:
                break
        text = "".join(lines)
        assert "Made a new CA" in text
        url = next(w for w in text.split() if w.startswith("https://127.0.0.1:"))
        ca = tmp_path / "state" / "ca.pem"
        assert f"CA file (for --ca): {ca}" in text
        with GatewayClient(url, ca_pem=ca.read_text(), retry=NO_RETRY) as client:
            assert client.info().sandbox
            assert client.login_password("TZH490L", "pw12345678").token
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert proc.returncode == 0, proc.stderr.read()
    state = tmp_path / "state"
    assert {"ca.pem", "server.pem", "receipt.pem", "sandbox.sqlite3"} <= {
        p.name for p in state.iterdir()}
    assert (state / "ca-key.pem").stat().st_mode & 0o077 == 0  # private keys: owner only
