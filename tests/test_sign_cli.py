"""`ibhxh tokens`, `sign`, `export --signed` and `verify` end to end: a SoftHSM2 token
whose certificate carries the demo company's tax code, xmlsec1 as the independent verifier,
and every failure leaving the dossier where it was."""

from __future__ import annotations

import base64
import datetime as dt
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from ibhxh_client.domain.messages import say
from ibhxh_client.services.demo import demo_employer
from ibhxh_client.signing import PinStatus, pin_message, pin_state, strip_dossier_signatures
from ibhxh_client.signing.demo import DemoCA
from tests.pkcs11_fixtures import USER_PIN, FakeLib, SoftHsm, fake_token, install_fake_module

LABEL = "SAOMAI"
WRONG_BEFORE = pin_message(PinStatus.COUNT_LOW, "vi")  # "… đã nhập sai PIN ít nhất một lần …"
FINAL_TRY = pin_message(PinStatus.FINAL_TRY, "vi")  # "… lần thử cuối cùng …"


@pytest.fixture(scope="module")
def token(tmp_path_factory):
    """A SoftHSM2 token holding a key made on it and the demo company's certificate."""
    root = tmp_path_factory.mktemp("saomai-token")
    hsm = SoftHsm(root)
    hsm.init_token(LABEL)
    e = demo_employer()
    ca = DemoCA.create("IBHXH CLI TEST CA")
    public = hsm.generate_key(LABEL, b"\x01")
    cert = ca.issue(public, company_name=e.name, tax_code=e.tax_code)
    hsm.store_certificate(LABEL, cert, b"\x01")
    expired_public = hsm.generate_key(LABEL, b"\x02")
    old = ca.issue(expired_public, company_name=e.name, tax_code=e.tax_code,
                   not_before=dt.datetime.now(dt.UTC) - dt.timedelta(days=500),
                   not_after=dt.datetime.now(dt.UTC) - dt.timedelta(days=5))
    hsm.store_certificate(LABEL, old, b"\x02")
    hsm.lib()  # loaded once with this token folder; the program reuses the loaded module
    ca_pem = root / "ca.pem"
    from cryptography.hazmat.primitives import serialization

    ca_pem.write_bytes(ca.certificate.public_bytes(serialization.Encoding.PEM))
    from ibhxh_client.signing.certs import fingerprint

    return {"module": hsm.module_path, "ca": ca_pem, "fp": fingerprint(cert),
            "old_fp": fingerprint(old)}


@pytest.fixture
def signed_setup(cli, token, monkeypatch, tmp_path):
    assert cli("demo", "--workers", "12").code == 0
    monkeypatch.setenv("TOKEN_PIN", USER_PIN)
    return token


def state(cli, decl_id=1):
    return cli("--json", "status", decl_id).json["state"]


def xmlsec_verify(path, ca_pem) -> subprocess.CompletedProcess:
    return subprocess.run(["xmlsec1", "--verify", "--trusted-pem", str(ca_pem), str(path)],
                          capture_output=True, text=True)


def test_tokens_lists_the_certificate_and_its_expiry(cli, token):
    r = cli("--json", "tokens", "--module", token["module"])
    assert r.code == 0, r.err
    (module,) = [m for m in r.json if m["module"] == token["module"]]
    (tok,) = module["tokens"]
    assert tok["label"] == LABEL and tok["pin"] == "OK"
    fps = {c["fingerprint"]: c for c in tok["certificates"]}
    assert fps[token["fp"]]["tax_code"] == demo_employer().tax_code
    assert fps[token["fp"]]["days_to_expiry"] > 300 and fps[token["old_fp"]]["days_to_expiry"] < 0
    assert "còn" in cli("tokens", "--module", token["module"]).out


def test_sign_with_the_token_then_verify_with_xmlsec1(cli, signed_setup, tmp_path):
    token = signed_setup
    unsigned = tmp_path / "unsigned.xml"
    assert cli("export", 1, "--out", unsigned).code == 0
    r = cli("sign", 1, "--module", token["module"], "--token-label", LABEL, "--cert",
            token["fp"], "--pin-env", "TOKEN_PIN")
    assert r.code == 0, r.err
    assert state(cli) == "signed"
    history = cli("--json", "status", 1).json["history"]
    assert history[-1]["to"] == "signed" and token["fp"][:16] in history[-1]["detail"]
    signed = tmp_path / "signed.xml"
    assert cli("export", 1, "--signed", "--out", signed).code == 0
    # Signing changed nothing but the signatures.
    assert strip_dossier_signatures(signed.read_bytes()) == \
        strip_dossier_signatures(unsigned.read_bytes())
    # Ours and xmlsec1 agree: the envelope and each form inside it.
    assert cli("verify", signed, "--trusted-ca", token["ca"]).code == 0
    assert xmlsec_verify(signed, token["ca"]).returncode == 0
    root = etree.fromstring(signed.read_bytes())
    forms = [base64.b64decode(n.text) for n in root.iter("NoiDungFile")]
    assert len(forms) == 2  # D02-TS and one TK1-TS (worker 10 has no BHXH number)
    for i, form in enumerate(forms):
        path = tmp_path / f"form{i}.xml"
        path.write_bytes(form)
        assert xmlsec_verify(path, token["ca"]).returncode == 0
    # One byte changed in the envelope: both refuse.
    tampered = tmp_path / "tampered.xml"
    tampered.write_bytes(signed.read_bytes().replace(b"Sao Mai", b"Sao Mal", 1))
    r = cli("verify", tampered, "--trusted-ca", token["ca"])
    assert r.code == 1 and "không hợp lệ" in r.err
    assert xmlsec_verify(tampered, token["ca"]).returncode != 0
    # One byte changed inside a signed form: both refuse the form on its own.
    form = forms[0].replace(b"<STT>1</STT>", b"<STT>7</STT>")
    path = tmp_path / "form_tampered.xml"
    path.write_bytes(form)
    assert xmlsec_verify(path, token["ca"]).returncode != 0
    assert cli("verify", path, "--trusted-ca", token["ca"]).code == 1


def unsigned(cli, decl_id=1) -> bool:
    """Nothing signed is stored for the dossier (an export of it fails; one that works
    writes to a folder of its own, never the working directory)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return cli("export", decl_id, "--signed", "--out", Path(folder) / "x.xml").code == 1


def test_wrong_pin_leaves_the_dossier_as_it_was(cli, signed_setup, monkeypatch):
    token = signed_setup
    monkeypatch.setenv("BAD_PIN", "0000")
    r = cli("sign", 1, "--module", token["module"], "--token-label", LABEL, "--cert",
            token["fp"], "--pin-env", "BAD_PIN")
    assert r.code == 3 and "Mã PIN không đúng." in r.err
    assert WRONG_BEFORE in r.err  # what the token now reports, and no count of tries
    assert state(cli) == "draft" and unsigned(cli)
    # `tokens` names the state with the same sentence (SoftHSM2 set COUNT_LOW).
    assert f"PIN: {WRONG_BEFORE}" in cli("tokens", "--module", token["module"]).out
    (tok,) = next(m for m in cli("--json", "tokens", "--module", token["module"]).json
                  if m["module"] == token["module"])["tokens"]
    assert tok["pin"] == "COUNT_LOW" and tok["pin_text"] == WRONG_BEFORE
    # The right PIN signs with no extra flag; what the token reported is said first.
    r = cli("sign", 1, "--module", token["module"], "--token-label", LABEL, "--cert",
            token["fp"], "--pin-env", "TOKEN_PIN")
    assert r.code == 0, r.err
    assert WRONG_BEFORE in r.err and FINAL_TRY not in r.err
    assert state(cli) == "signed" and not unsigned(cli)
    # The good login cleared the flag.
    r = cli("tokens", "--module", token["module"])
    assert f"PIN: {pin_state(PinStatus.OK, 'vi')}" in r.out and WRONG_BEFORE not in r.out


@pytest.fixture
def fake_module(cli, monkeypatch, tmp_path):
    """The demo data, and a fake token (for the flags SoftHSM2 never sets) holding the demo
    company's certificate, loaded by the program from a module path."""
    assert cli("demo", "--workers", "12").code == 0

    def make(tries_left: int):
        ca = DemoCA.create("IBHXH FAKE CA")
        fake, _, _ = fake_token(ca, "FAKE-CA", "FAKE0001", tries_left=tries_left,
                                tax_code=demo_employer().tax_code)
        monkeypatch.setenv("FAKE_PIN", fake.pin)
        return install_fake_module(monkeypatch, tmp_path, FakeLib(fake)), fake

    return make


def test_final_try_refuses_without_confirmation(cli, fake_module):
    module, fake = fake_module(tries_left=1)
    assert f"PIN: {FINAL_TRY}" in cli("tokens", "--module", module).out
    r = cli("sign", 1, "--module", module, "--pin-env", "FAKE_PIN")
    assert r.code == 3
    assert say("pin_low_needs_confirm", "vi") in r.err
    assert "lần thử cuối cùng" in r.err and "--confirm-low-pin" in r.err
    r = cli("--json", "sign", 1, "--module", module, "--pin-env", "FAKE_PIN")
    assert r.code == 3 and r.json["error"] == "pin_low_needs_confirm"
    assert r.json["offer_paper"] is False  # fixed now, not by paper
    assert fake.login_attempts == 0 and fake.tries_left == 1  # the PIN was never sent
    assert state(cli) == "draft" and unsigned(cli)
    # Confirmed: the PIN is sent and the dossier signed.
    r = cli("sign", 1, "--module", module, "--pin-env", "FAKE_PIN", "--confirm-low-pin")
    assert r.code == 0, r.err
    assert FINAL_TRY in r.err
    assert fake.login_attempts == 1 and state(cli) == "signed" and not unsigned(cli)


def test_final_try_at_the_prompt_asks_first_count_low_does_not(cli, fake_module,
                                                               monkeypatch):
    import getpass

    module, fake = fake_module(tries_left=1)
    questions: list[str] = []

    def answer(reply: str):
        def ask(prompt: str = "") -> str:
            questions.append(prompt)
            return reply
        return ask

    def no_pin(prompt: str = "") -> str:
        raise AssertionError("the PIN must not be asked for")

    monkeypatch.setattr("builtins.input", answer("n"))
    monkeypatch.setattr(getpass, "getpass", no_pin)
    r = cli("sign", 1, "--module", module)
    assert r.code == 3 and "Đã hủy nhập mã PIN" in r.err and FINAL_TRY in r.err
    assert len(questions) == 1 and fake.login_attempts == 0 and state(cli) == "draft"
    # One typo earlier (COUNT_LOW): said, no question, the PIN is asked and signs.
    fake.tries_left = 2
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": fake.pin)
    r = cli("sign", 1, "--module", module)
    assert r.code == 0, r.err
    assert WRONG_BEFORE in r.err and len(questions) == 1
    assert fake.login_attempts == 1 and state(cli) == "signed"


def test_locked_pin_refuses_even_when_confirmed(cli, fake_module):
    module, fake = fake_module(tries_left=0)
    assert f"PIN: {pin_message(PinStatus.LOCKED, 'vi')}" in cli("tokens", "--module",
                                                                module).out
    r = cli("sign", 1, "--module", module, "--pin-env", "FAKE_PIN", "--confirm-low-pin")
    assert r.code == 3 and pin_message(PinStatus.LOCKED, "vi") in r.err
    assert fake.login_attempts == 0
    assert state(cli) == "draft" and unsigned(cli)


def test_expired_certificate_is_refused_before_the_pin(cli, signed_setup, monkeypatch):
    token = signed_setup
    monkeypatch.setenv("NO_PIN_NEEDED", "this must never be read")
    r = cli("sign", 1, "--module", token["module"], "--cert", token["old_fp"], "--pin-env",
            "NO_PIN_NEEDED")
    assert r.code == 3 and "hết hạn" in r.err
    assert state(cli) == "draft"


def test_wrong_module_path_is_a_clear_error(cli, signed_setup, tmp_path):
    missing = tmp_path / "khong-co" / "viettel-ca.dll"
    r = cli("sign", 1, "--module", missing, "--pin-env", "TOKEN_PIN")
    assert r.code == 3 and str(missing) in r.err
    assert state(cli) == "draft"


def test_pkcs12_file_and_demo_certificate(cli, signed_setup, tmp_path, monkeypatch):
    r = cli("--json", "demo")  # already there: refused, nothing changed
    assert r.code == 1
    monkeypatch.setenv("P12_PASS", "wrong password")
    from ibhxh_client.services.signing import DEMO_P12

    p12 = tmp_path / "data" / DEMO_P12
    assert p12.exists()
    r = cli("sign", 1, "--pkcs12", p12, "--password-env", "P12_PASS")
    assert r.code == 3 and state(cli) == "draft"
    r = cli("sign", 1, "--demo-cert")
    assert r.code == 0, r.err
    assert state(cli) == "signed"
    assert cli("verify", tmp_path / "nope.xml").code == 1
