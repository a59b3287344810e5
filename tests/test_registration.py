"""Registering the unit for electronic filing (04_DK-IVAN), changing (05_SD-IVAN) and
stopping (06_NG-IVAN) it, against the real sandbox gateway over HTTPS: the files as data
(forms, schemas, the paper form), signed and checked by xmlsec1, the account the gateway
answers with, the trial-password path for a unit without a certificate, the refusals,
and a dead network that loses nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from lxml import etree
from sqlalchemy import select

from ibhxh_client.catalog import load_catalog
from ibhxh_client.domain.formspec import STATUSES
from ibhxh_client.dossier.registration import REGISTRATION_FORMS, signature_place
from ibhxh_client.dossier.xsd import schema_for
from ibhxh_client.gateway import errors as E
from ibhxh_client.gateway import protocol as P
from ibhxh_client.gateway.client import GatewayClient
from ibhxh_client.services import employer as employer_svc
from ibhxh_client.services import registration, submission
from ibhxh_client.services.app import UserError
from ibhxh_client.services.demo import make_demo
from ibhxh_client.signing import Pkcs12Signer, make_demo_pkcs12, sign_xml, verify_xml
from ibhxh_client.storage.schema import registrations
from tests.test_gateway_support import (
    DEMO_NAME,
    DEMO_TAX,
    DEMO_UNIT,
    FAST_RETRY,
    FAST_TIMEOUTS,
    TRIAL_PASSWORD,
    demo_identity,
    fresh_state,
    make_sandbox,
    sandbox_pki,
)

__all__ = ["demo_identity", "make_sandbox", "sandbox_pki"]  # fixtures

OTHER_TAX = "0101243150"  # a valid tax code of another company


@pytest.fixture
def unit(app):
    """The demo company (two workers), no registration yet."""
    make_demo(app, 2)
    return app


@pytest.fixture(scope="module")
def other_identity(tmp_path_factory):
    """A certificate of another company (another tax code)."""
    path = tmp_path_factory.mktemp("other") / "other.p12"
    make_demo_pkcs12(path, b"khac", OTHER_TAX, "CÔNG TY KHÁC")
    return Pkcs12Signer.from_file(path, b"khac")


def fast(**kw):
    return {"timeouts": FAST_TIMEOUTS, "retry": FAST_RETRY, **kw}


def rows(app) -> list[dict]:
    with app.db.reading() as conn:
        return [dict(r) for r in conn.execute(select(registrations).order_by(
            registrations.c.id)).mappings()]


def set_phone(app, phone: str) -> None:
    values = employer_svc.as_dict(employer_svc.get(app))
    values["phone"] = phone
    employer_svc.set_values(app, values)


def xmlsec1(data: bytes, ca_pem: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``xmlsec1 --verify --trusted-pem CA``; never skipped (a missing xmlsec1 fails)."""
    exe = shutil.which("xmlsec1")
    if exe is None:
        pytest.fail("xmlsec1 is not installed; run .ci/setup")
    path = tmp_path / "dang-ky.xml"
    path.write_bytes(data)
    return subprocess.run([exe, "--verify", "--trusted-pem", str(ca_pem), str(path)],
                          capture_output=True, text=True, errors="replace", timeout=60)


# --------------------------------------------------------------------------- the forms

def test_registration_files_are_forms_of_their_own():
    catalog = load_catalog()
    assert set(catalog.registrations) == {"04_DK-IVAN", "05_SD-IVAN", "06_NG-IVAN"}
    assert not set(catalog.registrations) & set(catalog.forms)  # never in a dossier
    for kind, code in REGISTRATION_FORMS.items():
        spec = catalog.registrations[code]
        assert (spec.kind, spec.root, spec.signature) == ("registration", "Hoso", "CKy_Dvi")
        assert spec.file_name == f"{code}.xml"
        assert spec.provenance.file_status == "seen" and spec.provenance.layout_status == "check"
        # every element says how sure we are of it, and where it comes from
        for f in spec.header.fields:
            assert f.status in STATUSES and f.ref, (code, f.name)
        # the schema under forms/ is the one its definition makes
        assert catalog.xsd_path(code).read_bytes() == schema_for(spec, catalog.codelists)
        tags = [f.xml for f in spec.header.fields]
        assert tags[:5] == ["TenCoQuan", "MaCoQuan", "LoaiDoiTuong", "TenDoiTuong", "MaSoThue"]
        assert {"MaSoBHXH", "MaSoThue", "NgayLap"} <= set(tags), kind
    assert "NoiDungThayDoi" in [f.xml for f in catalog.registrations["05_SD-IVAN"].header.fields]
    stop = [f.xml for f in catalog.registrations["06_NG-IVAN"].header.fields]
    assert {"NgayNgung", "LyDoNgung"} <= set(stop)


def test_the_file_matches_its_schema_and_names_what_is_missing(unit, demo_identity):
    catalog = load_catalog()
    cert = demo_identity.signer().certificate
    for kind, code in REGISTRATION_FORMS.items():
        if kind == "change":
            continue  # needs a registration before it: below
        _data, content, problems = registration.prepare(
            unit, kind, certificate=cert, stop_date=dt.date(2026, 7, 1),
            stop_reason="Giải thể đơn vị")
        assert problems == [] and content is not None
        root = etree.fromstring(content)
        schema = etree.XMLSchema(etree.parse(str(catalog.xsd_path(code))))
        assert schema.validate(root), schema.error_log
        assert root.tag == "Hoso" and [c.tag for c in root] == ["NoiDung", "CKy_Dvi"]
        assert len(root[-1]) == 0  # the signature place, empty until signed
        assert root.findtext("NoiDung/MaSoBHXH") == DEMO_UNIT
        assert root.findtext("NoiDung/MaSoThue") == DEMO_TAX
    day = dt.date.today()
    root = etree.fromstring(registration.prepare(unit, "register", certificate=cert)[1])
    assert root.findtext("NoiDung/SoChungThu") == format(cert.serial_number, "X")
    assert root.findtext("NoiDung/NgayLap") == day.strftime("%d/%m/%Y")
    assert root.findtext("NoiDung/TenThuTuc").startswith("600: ")
    # A stop without its reason, a unit without a phone: said by field, nothing made.
    data, content, problems = registration.prepare(unit, "stop")
    assert data.header["ngay_ngung"] == day  # it stops from the day it is filed
    assert content is None
    assert [p.field for p in problems] == ["ly_do_ngung"]
    assert "Lý do ngừng" in problems[0].message("vi")
    set_phone(unit, "")
    _d, content, problems = registration.prepare(unit, "register")
    assert content is None and [p.field for p in problems] == ["dien_thoai"]


# --------------------------------------------------------------------------- the protocol

def test_protocol_messages_are_strict():
    ok = {"kind": "register", "file": "PEhvc28vPg==", "sha256": "a" * 64}
    assert P.RegistrationRequest.from_json(ok).kind == "register"
    for bad in ({**ok, "kind": "join"}, {**ok, "sha256": "A" * 64}, {"kind": "stop"}):
        with pytest.raises(P.ProtocolError):
            P.RegistrationRequest.from_json(bad)
    answer = {"reference": "DK-2026-000001", "kind": "register", "status": "registered",
              "unit_code": DEMO_UNIT, "login": DEMO_UNIT, "method": "certificate",
              "tax_code": DEMO_TAX, "received_at": "2026-01-15T08:00:00+07:00"}
    parsed = P.Registration.from_json(answer)
    assert parsed.trial_password is None and parsed.replayed is False
    for bad in ({**answer, "status": "pending"}, {**answer, "method": "sms"},
                {**answer, "trial_password": 5}):
        with pytest.raises(P.ProtocolError):
            P.Registration.from_json(bad)
    assert P.HTTP_STATUS[P.ErrorCode.ALREADY_REGISTERED] == 409
    assert P.HTTP_STATUS[P.ErrorCode.NOT_REGISTERED] == 409
    assert P.HTTP_STATUS[P.ErrorCode.REGISTRATION_STOPPED] == 403


# --------------------------------------------------------------------------- certificate

def test_register_with_the_demo_certificate_then_login(cli, make_sandbox, tmp_path):
    gateway = make_sandbox()
    assert cli("demo", "--workers", "2").code == 0
    r = cli("--json", "register", "--gateway", gateway.url, "--ca", gateway.ca_file,
            "--demo-cert")
    assert r.code == 0, r.err
    state = r.json
    assert (state["state"], state["kind"], state["method"]) == ("registered", "register",
                                                                "certificate")
    assert (state["unit_code"], state["login"]) == (DEMO_UNIT, DEMO_UNIT)
    assert state["reference"].startswith("DK-") and state["trial_password_issued"] is False
    assert gateway.store.count_registrations() == 1
    # what the officer reads, and what the data folder now knows
    r = cli("register", "--status")
    assert r.code == 0 and "Đã đăng ký giao dịch điện tử" in r.out and DEMO_UNIT in r.out
    assert "chữ ký số" in r.out
    # the account works: log in by certificate, as the gateway settings now say
    r = cli("--json", "login", "--gateway", gateway.url, "--unit", DEMO_UNIT,
            "--certificate", "--demo-cert")
    assert r.code == 0, r.err
    assert r.json["login"] == "certificate"


def test_the_signed_file_verifies_with_xmlsec1(unit, make_sandbox, demo_identity, tmp_path):
    gateway = make_sandbox()
    with demo_identity.signer() as signer:
        state = registration.register(unit, "register", gateway=gateway.url,
                                      ca_file=gateway.ca_file, signer=signer, **fast())
    assert state["state"] == "registered"
    (row,) = rows(unit)
    content = registration.signed_file(unit, row["id"])
    assert hashlib.sha256(content).hexdigest() == row["sha256"]
    ca = tmp_path / "unit-ca.pem"
    ca.write_bytes(demo_identity.ca_certificate.public_bytes(serialization.Encoding.PEM))
    done = xmlsec1(content, ca, tmp_path)
    assert done.returncode == 0, done.stderr
    spec = load_catalog().registrations["04_DK-IVAN"]
    verdict = verify_xml(content, container=signature_place(spec),
                         trusted_cas=[demo_identity.ca_certificate])
    assert verdict.valid and verdict.certificate.tax_code == DEMO_TAX
    # a byte changed after signing: both verifiers refuse it
    tampered = content.replace(DEMO_NAME.encode(), DEMO_NAME.upper().encode())
    assert tampered != content
    assert xmlsec1(tampered, ca, tmp_path).returncode != 0
    assert not verify_xml(tampered, container=signature_place(spec)).valid


def test_change_then_stop(unit, make_sandbox, demo_identity):
    gateway = make_sandbox()
    with demo_identity.signer() as signer:
        registration.register(unit, "register", gateway=gateway.url, ca_file=gateway.ca_file,
                              signer=signer, **fast())
        # nothing differs from the registration: nothing to change, nothing stored
        with pytest.raises(UserError) as nothing:
            registration.register(unit, "change", signer=signer, **fast())
        assert nothing.value.code == "registration_unchanged"
        assert "không có gì để thay đổi" in nothing.value.message("vi")
        assert len(rows(unit)) == 1
        set_phone(unit, "0281234567")
        state = registration.register(unit, "change", signer=signer, **fast())
        assert (state["state"], state["kind"]) == ("registered", "change")
        changed = registration.signed_file(unit, rows(unit)[-1]["id"])
        assert etree.fromstring(changed).findtext("NoiDung/NoiDungThayDoi") == \
            "Điện thoại; Điện thoại liên hệ"
        state = registration.register(unit, "stop", signer=signer, stop_reason="Giải thể",
                                      stop_date=dt.date(2026, 7, 1), **fast())
        assert (state["state"], state["kind"]) == ("stopped", "stop")
        assert state["state_name"] == "Đã ngừng giao dịch điện tử"
        assert [r["status"] for r in rows(unit)] == ["answered"] * 3
        # a unit that stopped cannot log in any more
        with pytest.raises(UserError) as stopped:
            submission.login(unit, gateway.url, DEMO_UNIT, signer=signer,
                             ca_file=gateway.ca_file)
    assert stopped.value.code == "registration_stopped" and stopped.value.exit_code == 2
    assert "đã ngừng giao dịch điện tử" in stopped.value.message("vi")


def test_a_certificate_of_another_tax_code_is_refused(unit, make_sandbox, other_identity,
                                                      demo_identity):
    gateway = make_sandbox()
    # the program refuses before sending anything
    with pytest.raises(UserError) as refused:
        registration.register(unit, "register", gateway=gateway.url, ca_file=gateway.ca_file,
                              signer=other_identity, **fast())
    assert refused.value.code == "registration_cert_other_unit"
    assert refused.value.exit_code == 3
    message = refused.value.message("vi")
    assert OTHER_TAX in message and DEMO_TAX in message
    assert rows(unit) == [] and registration.state(unit)["state"] == "unregistered"
    assert gateway.store.count_registrations() == 0
    # the gateway refuses it too: a file for the unit signed with another's certificate
    _data, content, _ = registration.prepare(unit, "register",
                                             certificate=other_identity.certificate)
    signed = sign_xml(content, other_identity, container="/Hoso/CKy_Dvi",
                      signing_time=dt.datetime.now(dt.UTC), signature_id="sig-04_DK-IVAN")
    request = P.RegistrationRequest(kind="register", file=P.b64encode(signed),
                                    sha256=hashlib.sha256(signed).hexdigest())
    with GatewayClient(gateway.url, ca_pem=gateway.ca_pem, **fast()) as client:
        with pytest.raises(E.GatewayError) as gw:
            client.register(request, "k" * 20)
    assert gw.value.code == P.ErrorCode.UNIT_MISMATCH and gw.value.status == 403
    assert OTHER_TAX in gw.value.server_message and DEMO_TAX in gw.value.server_message
    assert gateway.store.count_registrations() == 0
    # once registered, another company's file for the same unit changes nothing
    with demo_identity.signer() as signer:
        registration.register(unit, "register", gateway=gateway.url, ca_file=gateway.ca_file,
                              signer=signer, **fast())
    employer = employer_svc.get(unit)
    from dataclasses import replace

    from ibhxh_client.dossier.registration import (
        RegistrationFacts,
        registration_form,
        registration_xml,
    )
    catalog = load_catalog()
    day = dt.date.today()
    other = replace(employer, tax_code=OTHER_TAX, phone="0281111111")
    form = registration_form(catalog, other, RegistrationFacts(
        "change", day, day, procedures="600", changes="Điện thoại"), None)
    content, problems = registration_xml(catalog, form)
    assert problems == []
    signed = sign_xml(content, other_identity, container="/Hoso/CKy_Dvi",
                      signing_time=dt.datetime.now(dt.UTC), signature_id="sig-05_SD-IVAN")
    request = P.RegistrationRequest(kind="change", file=P.b64encode(signed),
                                    sha256=hashlib.sha256(signed).hexdigest())
    with GatewayClient(gateway.url, ca_pem=gateway.ca_pem, **fast()) as client:
        with pytest.raises(E.GatewayError) as gw:
            client.register(request, "m" * 20)
    assert gw.value.code == P.ErrorCode.UNIT_MISMATCH
    assert registration.state(unit)["state"] == "registered"
    assert gateway.store.count_registrations() == 1


def test_a_second_registration_is_refused(cli, make_sandbox):
    gateway = make_sandbox()
    assert cli("demo", "--workers", "2").code == 0
    args = ("register", "--gateway", gateway.url, "--ca", gateway.ca_file, "--demo-cert")
    assert cli(*args).code == 0
    first = cli("--json", "register", "--status").json
    r = cli(*args)
    assert r.code == 1
    assert "đã đăng ký giao dịch điện tử" in r.err and "05_SD-IVAN" in r.err
    assert "bị từ chối" in r.err and "ibhxh print" not in r.err  # no paper dossier here
    after = cli("--json", "register", "--status").json
    assert after["reference"] == first["reference"] and after["state"] == "registered"
    assert after["refused"]["last_error"] == "already_registered"
    assert after["pending"] is None
    r = cli("--json", "register", "--gateway", gateway.url, "--demo-cert")
    assert r.code == 1 and r.json["error"] == "registration_already_registered"
    assert gateway.store.count_registrations() == 1


def test_a_stop_for_an_unregistered_unit_is_refused(cli, make_sandbox):
    gateway = make_sandbox()
    assert cli("demo", "--workers", "2").code == 0
    r = cli("register", "--stop", "--reason", "Giải thể", "--gateway", gateway.url,
            "--ca", gateway.ca_file, "--demo-cert")
    assert r.code == 1
    assert "chưa đăng ký giao dịch điện tử" in r.err
    state = cli("--json", "register", "--status").json
    assert state["state"] == "unregistered"
    assert state["refused"]["form"] == "06_NG-IVAN"
    assert gateway.store.count_registrations() == 0
    # and a change likewise
    r = cli("register", "--change", "--gateway", gateway.url, "--demo-cert")
    assert r.code == 1 and "chưa đăng ký" in r.err


# --------------------------------------------------------------------------- trial

def test_the_trial_password_path_of_a_unit_without_a_certificate(cli, make_sandbox,
                                                                 memory_keyring, tmp_path,
                                                                 monkeypatch):
    gateway = make_sandbox(trial_password=TRIAL_PASSWORD)
    assert cli("demo", "--workers", "2").code == 0
    r = cli("--json", "register", "--trial", "--gateway", gateway.url, "--ca",
            gateway.ca_file)
    assert r.code == 0, r.err
    state = r.json
    assert (state["state"], state["method"]) == ("registered", "password")
    assert state["trial_password_issued"] is True
    # the password: in the OS keyring only, never on screen, in JSON or in the data folder
    key = ("ibhxh-client", submission.keyring_user(gateway.url, DEMO_UNIT))
    password = memory_keyring.items[key]
    assert len(password) >= 12 and password != TRIAL_PASSWORD
    assert password not in r.out
    data = b"".join(p.read_bytes() for p in (tmp_path / "data").rglob("*") if p.is_file())
    assert password.encode() not in data
    (row,) = [r for r in cli("--json", "register", "--status").json["registrations"]]
    assert row["signed"] is False
    # the unit sends with it: connect() reads it from the keyring and logs in
    from ibhxh_client.services.app import open_app

    app = open_app(tmp_path / "data")
    try:
        conf = submission.settings(app)
        assert (conf.url, conf.unit_code, conf.login) == (gateway.url, DEMO_UNIT, "password")
        with submission.connect(app) as client:
            session = client.login()
        assert (session.unit_code, session.method) == (DEMO_UNIT, "password")
        # the sandbox's shared trial password is no longer this unit's
        with GatewayClient(gateway.url, ca_pem=gateway.ca_pem) as client:
            with pytest.raises(E.GatewayError) as wrong:
                client.login_password(DEMO_UNIT, TRIAL_PASSWORD)
        assert wrong.value.code == P.ErrorCode.LOGIN_FAILED
        # ibhxh login --password-env works with the issued password
        monkeypatch.setenv("GW_PASS", password)
    finally:
        app.close()
    assert cli("login", "--gateway", gateway.url, "--unit", DEMO_UNIT,
               "--password-env", "GW_PASS").code == 0
    # a trial unit changes and stops its registration within its password session
    app = open_app(tmp_path / "data")
    try:
        set_phone(app, "0281234567")
    finally:
        app.close()
    r = cli("--json", "register", "--change", "--trial")
    assert r.code == 0, r.err
    assert (r.json["state"], r.json["kind"], r.json["method"]) == ("registered", "change",
                                                                   "password")
    r = cli("--json", "register", "--stop", "--trial", "--reason", "Chuyển đơn vị khác")
    assert r.code == 0, r.err
    assert r.json["state"] == "stopped"
    r = cli("login", "--gateway", gateway.url, "--unit", DEMO_UNIT, "--password-env",
            "GW_PASS")
    assert r.code == 2 and "đã ngừng giao dịch điện tử" in r.err


def test_no_trial_password_without_trial_accounts(cli, make_sandbox):
    gateway = make_sandbox(trial_password=None)
    assert cli("demo", "--workers", "2").code == 0
    r = cli("register", "--trial", "--gateway", gateway.url, "--ca", gateway.ca_file)
    assert r.code == 2
    assert "không có tài khoản dùng thử" in r.err
    assert cli("--json", "register", "--status").json["state"] == "unregistered"


# --------------------------------------------------------------------------- the network

def test_a_dead_network_loses_nothing(unit, make_sandbox, sandbox_pki, demo_identity,
                                      tmp_path):
    state_dir = fresh_state(sandbox_pki, tmp_path / "gw")
    gateway = make_sandbox(state=state_dir)
    url, port, ca = gateway.url, gateway.port, gateway.ca_file
    gateway.stop()
    with demo_identity.signer() as signer, pytest.raises(UserError) as down:
        registration.register(unit, "register", gateway=url, ca_file=ca, signer=signer,
                              **fast())
    assert down.value.code == "registration_network" and down.value.exit_code == 4
    message = down.value.message("vi")
    assert "Không kết nối được" in message and "ibhxh register --resend" in message
    state = registration.state(unit)
    assert state["state"] == "unregistered"
    pending = state["pending"]
    assert pending["status"] == "ready" and pending["last_error"] == "network"
    kept = registration.signed_file(unit, pending["id"])
    # another kind cannot overtake it
    with pytest.raises(UserError) as waiting:
        registration.register(unit, "stop", signer=None, stop_reason="x", **fast())
    assert waiting.value.code == "registration_pending"
    # the gateway is back: the same file is sent again, and recorded once
    gateway = make_sandbox(state=state_dir, port=port)
    state = registration.resend(unit, **fast())
    assert state["state"] == "registered" and state["pending"] is None
    assert registration.signed_file(unit, pending["id"]) == kept
    assert gateway.store.count_registrations() == 1
    assert [r["attempts"] for r in rows(unit)] == [2]


def test_an_answer_lost_on_the_way_is_answered_again_not_registered_twice(
        unit, make_sandbox, demo_identity):
    gateway = make_sandbox()
    gateway.faults.arm("drop_after_store", route="register")
    with demo_identity.signer() as signer:
        state = registration.register(unit, "register", gateway=gateway.url,
                                      ca_file=gateway.ca_file, signer=signer, **fast())
    assert state["state"] == "registered"
    assert gateway.store.count_registrations() == 1
    answer = json.loads(rows(unit)[0]["answer"])
    assert answer["replayed"] is True  # the first answer, given again
    assert gateway.faults.hits["drop_after_store"] == 1


def test_an_answer_for_another_unit_is_not_kept(unit, make_sandbox, demo_identity,
                                                monkeypatch):
    gateway = make_sandbox()
    real = GatewayClient.register

    def other_unit(self, request, key, *, auth=False):
        answer = real(self, request, key, auth=auth)
        return P.Registration.from_json({**answer.to_json(), "unit_code": "ABC1234"})

    monkeypatch.setattr(GatewayClient, "register", other_unit)
    with demo_identity.signer() as signer, pytest.raises(UserError) as bad:
        registration.register(unit, "register", gateway=gateway.url, ca_file=gateway.ca_file,
                              signer=signer, **fast())
    assert bad.value.code == "registration_bad_answer" and bad.value.exit_code == 4
    state = registration.state(unit)
    assert state["state"] == "unregistered" and state["pending"]["last_error"] == "bad_answer"
    assert submission.settings(unit) is None  # nothing of the answer was kept
    monkeypatch.setattr(GatewayClient, "register", real)
    assert registration.resend(unit, **fast())["state"] == "registered"


# --------------------------------------------------------------------------- paper

def test_the_paper_forms(cli, tmp_path):
    assert cli("demo", "--workers", "2").code == 0
    for n, (args, title) in enumerate((
            (("register",), "ĐĂNG KÝ SỬ DỤNG DỊCH VỤ I-VAN"),
            (("register", "--stop", "--reason", "Giải thể đơn vị", "--stop-date",
              "01/07/2026"), "ĐĂNG KÝ NGỪNG SỬ DỤNG DỊCH VỤ I-VAN"))):
        out = tmp_path / f"to-khai-{n}.pdf"
        r = cli(*args, "--print", out, "--demo-cert")
        assert r.code == 0, r.err
        text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert title in text and "Kính gửi: Bảo hiểm xã hội Việt Nam" in text
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert DEMO_UNIT in text and DEMO_TAX in text and "Trần Minh Quân" in text
    assert "Giải thể đơn vị" in text and "01/07/2026" in text
    assert cli("--json", "register", "--status").json["registrations"] == []  # nothing sent
    r = cli("register", "--print", tmp_path / "no-cert.pdf")
    assert r.code == 0
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "no-cert.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Số chứng thư số: ....." in text  # to be filled in by hand


def test_a_waiting_file_can_be_dropped(cli, make_sandbox, sandbox_pki, tmp_path):
    state_dir = fresh_state(sandbox_pki, tmp_path / "gw")
    gateway = make_sandbox(state=state_dir)
    url, port, ca = gateway.url, gateway.port, gateway.ca_file
    gateway.stop()
    assert cli("demo", "--workers", "2").code == 0
    r = cli("register", "--gateway", url, "--ca", ca, "--demo-cert")
    assert r.code == 4 and "được giữ lại" in r.err
    assert "Có thể in hồ sơ giấy" not in r.err  # the paper dossier is a dossier's fallback
    assert cli("--json", "register", "--status").json["pending"]["status"] == "ready"
    assert cli("register", "--discard").code == 0
    state = cli("--json", "register", "--status").json
    assert state["pending"] is None
    assert [r["status"] for r in state["registrations"]] == ["dropped"]
    r = cli("register", "--resend")
    assert r.code == 1 and "Không có tờ khai đăng ký nào đang chờ gửi" in r.err
    gateway = make_sandbox(state=state_dir, port=port)
    assert cli("register", "--gateway", url, "--demo-cert").code == 0
    assert gateway.store.count_registrations() == 1
