"""Viettel MySign (the ``vtss`` shape): the client against a MySign-shaped HTTPS server on
loopback (tests/remote_fakes.py ``VtssServer``), then `ibhxh sign --remote viettel-mysign`
end to end, its dossier checked by our verifier and by xmlsec1.

What MySign does differently (docs/remote-signing.md §5): a login gives a Bearer token;
the request names a credential; documents and hashes are parallel arrays with base64
names; the service names the transaction; the values come back in the order sent."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from ibhxh_client.services.demo import demo_employer
from ibhxh_client.signing import errors as E
from ibhxh_client.signing.demo import DemoCA
from ibhxh_client.signing.dossier import verify_dossier
from ibhxh_client.signing.remote import (
    RemoteAccount,
    load_providers,
    open_client,
)
from ibhxh_client.signing.remote_steps import RemoteStep, advance, begin
from ibhxh_client.signing.remote_vtss import VtssClient, b64_name
from tests import pkcs11_fixtures as fx
from tests.pg import raw_connect
from tests.pkcs11_fixtures import TAX_ABC, TAX_DEF
from tests.remote_fakes import LocalService, VtssServer
from tests.test_signing_xml import make_envelope, make_form, xmlsec1_ok

unit_ca = fx.unit_ca  # the fixture, for pytest
PROVIDER = "viettel-mysign"
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


@pytest.fixture(scope="module")
def server(unit_ca: DemoCA, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[VtssServer]:
    service = LocalService.issued_by(unit_ca, tax_code=TAX_ABC,
                                     not_before=NOW - dt.timedelta(days=100),
                                     not_after=NOW + dt.timedelta(days=300))
    other = LocalService.issued_by(unit_ca, tax_code=TAX_DEF, company="Công ty DEF")
    srv = VtssServer(service, unit_ca, tmp_path_factory.mktemp("vtss"),
                     extra_certificates=[other.certificate]).start()
    yield srv
    srv.stop()


@pytest.fixture
def fresh(server: VtssServer) -> Iterator[VtssServer]:
    server.fault, server.decide_on_poll, server.wrap = None, None, False
    server.requests_seen.clear()
    server.logins = 0
    yield server
    server.fault = None


def account(server: VtssServer, **changes: str) -> RemoteAccount:
    fields = {"provider": PROVIDER, "base_url": server.base_url, "user_id": server.user_id,
              "serial": f"{server.service.certificate.serial_number:x}",
              "sp_id": server.client_id, "sp_password": server.client_secret,
              "ca_file": server.ca_file}
    fields.update(changes)
    return RemoteAccount(**fields)


def client(server: VtssServer, cap: int | None = None, **changes: str) -> VtssClient:
    provider = load_providers()[PROVIDER]
    if cap is not None:
        provider = dataclasses.replace(provider, max_answer_bytes=cap)
    found = open_client(provider, account(server, **changes))
    assert isinstance(found, VtssClient)
    return found


def envelope() -> bytes:
    return make_envelope(("D02-TS", make_form(3)), ("TK1-TS", make_form(2, root="TK1-TS")))


def sent(server: VtssServer, call: str) -> list[dict]:
    return [body for path, body in server.requests_seen if path.endswith(call)]


# --------------------------------------------------------------------------- the client

def test_a_dossier_signed_in_two_confirmations(fresh: VtssServer, unit_ca: DemoCA,
                                               tmp_path: Path,
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    fresh.wrap = True  # MySign's values come with CRLF inside
    rc = client(fresh)
    remote = rc.certificate()
    assert remote.certificate == fresh.service.certificate
    assert remote.chain == [unit_ca.certificate]
    assert remote.credential_id == fresh.credential_of(fresh.service.certificate)
    step: RemoteStep | bytes = begin(envelope(), remote.certificate, remote.chain,
                                     signing_time=NOW)
    ids = []
    while isinstance(step, RemoteStep):
        started = rc.start("ours-not-sent", "Hồ sơ 600, thủ tục 600: ký 2 tờ khai",
                           step.digests)
        assert started.expires_in is None and started.reference in fresh.transactions
        ids.append(started.reference)
        doc_ids = [d for d, _ in step.digests]
        assert rc.status(started.reference, doc_ids).state == "pending"
        fresh.decide(started.reference, "1")
        status = rc.status(started.reference, doc_ids)
        assert status.state == "signed" and list(status.values) == doc_ids
        step = advance(step.state, status.values)
    assert len(ids) == 2 and ids[0] != ids[1]
    assert verify_dossier(step, trusted_cas=[unit_ca.certificate]).valid
    pem = tmp_path / "ca.pem"
    pem.write_bytes(unit_ca.certificate.public_bytes(serialization.Encoding.PEM))
    assert xmlsec1_ok(step, pem, tmp_path)
    # The request as MySign wants it: one login, the credential, parallel arrays in the
    # order of the files, base64 names, the algorithms' OIDs; our id never sent.
    assert fresh.logins == 1
    first = sent(fresh, "/signHash")[0]
    assert first["credentialID"] == remote.credential_id and first["async"] == 2
    assert first["numSignatures"] == 2 == len(first["hash"]) == len(first["documents"])
    assert [base64.b64decode(d["document_name"]).decode() for d in first["documents"]] == \
        ["D02-TS-595.xml", "TK1-TS-595.xml"]
    assert [d["document_id"] for d in first["documents"]] == ["D02-TS-595.xml",
                                                             "TK1-TS-595.xml"]
    assert "ours-not-sent" not in str(fresh.requests_seen)
    assert base64.b64decode(first["description"]).decode() == \
        "Hồ sơ 600, thủ tục 600: ký 2 tờ khai"
    logged = caplog.text
    assert fresh.client_secret not in logged and first["hash"][0] not in logged
    assert "Bearer" not in logged and "/vtss/service/signHash" in logged


def test_names_are_cut_to_the_limit_on_a_character() -> None:
    long = "Hồ sơ 123456, thủ tục 600: ký 5000 tờ khai của Công ty Cổ phần Đầu tư Xây dựng"
    encoded = b64_name(long, 99)
    assert len(encoded) <= 99
    text = base64.b64decode(encoded).decode("utf-8")  # never cut inside a character
    assert long.startswith(text) and len(text) > 40
    assert b64_name("BHXHDienTu.xml", 99) == base64.b64encode(b"BHXHDienTu.xml").decode()


def test_a_token_refused_is_renewed_once(fresh: VtssServer) -> None:
    rc = client(fresh)
    rc.certificate()
    fresh.forget_tokens()  # it expired on the service's side
    assert rc.certificates()
    assert fresh.logins == 2


@pytest.mark.parametrize("change, code", [
    ({"sp_password": "sai"}, E.REMOTE_CREDENTIALS),
    ({"sp_id": "khac"}, E.REMOTE_CREDENTIALS),
    ({"user_id": "MST_9999999999"}, E.REMOTE_UNKNOWN_ACCOUNT),
    ({"serial": "abc123"}, E.REMOTE_UNKNOWN_ACCOUNT),
])
def test_a_wrong_account_is_named(fresh: VtssServer, change: dict[str, str],
                                  code: str) -> None:
    with pytest.raises(E.RemoteSigningError) as err:
        client(fresh, **change).certificate()
    assert err.value.code == code
    assert "Viettel MySign" in err.value.message("vi")
    assert fresh.client_secret not in err.value.message("vi")


@pytest.mark.parametrize("status, outcome", [
    ("4002", "rejected"), ("4001", "expired"), ("4000", "pending"), ("6000", "pending"),
    ("13004", E.REMOTE_CERTIFICATE), ("4005", E.REMOTE_QUOTA), ("4004", E.REMOTE_FAILED),
    ("50000", E.REMOTE_FAILED), ("777", E.REMOTE_BAD_ANSWER),
])
def test_every_status_code_has_its_meaning(fresh: VtssServer, status: str,
                                           outcome: str) -> None:
    rc = client(fresh)
    started = rc.start("x", "Hồ sơ", [("A.xml", bytes(32))])
    fresh.fault = f"status:{status}"
    if outcome in ("rejected", "expired", "pending"):
        assert rc.status(started.reference, ["A.xml"]).state == outcome
    else:
        with pytest.raises(E.RemoteSigningError) as err:
            rc.status(started.reference, ["A.xml"])
        assert err.value.code == outcome


@pytest.mark.parametrize("fault, code", [
    ("redirect", E.REMOTE_REDIRECT),
    ("oversized", E.REMOTE_TOO_LARGE),
    ("oversized_stream", E.REMOTE_TOO_LARGE),
    ("malformed", E.REMOTE_BAD_ANSWER),
    ("fail", E.REMOTE_FAILED),
    ("no_token", E.REMOTE_BAD_ANSWER),
])
def test_hostile_or_failing_answers_are_refused(fresh: VtssServer, fault: str,
                                                code: str) -> None:
    fresh.fault = fault
    with pytest.raises(E.RemoteSigningError) as err:
        client(fresh, cap=1024 * 1024).certificates()  # the fake sends 2 MiB
    assert err.value.code == code


def test_a_value_missing_or_for_another_hash_is_refused(fresh: VtssServer) -> None:
    rc = client(fresh)
    remote = rc.certificate()
    step = begin(envelope(), remote.certificate, remote.chain, signing_time=NOW)
    doc_ids = [d for d, _ in step.digests]
    started = rc.start("x", "Hồ sơ", step.digests)
    fresh.decide(started.reference, "1")
    fresh.fault = "drop_sig"
    with pytest.raises(E.RemoteSigningError) as err:
        rc.status(started.reference, doc_ids)
    assert err.value.code == E.REMOTE_DOC_IDS and doc_ids[-1] in err.value.message("vi")
    fresh.fault = "wrong_digest"
    values = rc.status(started.reference, doc_ids).values
    with pytest.raises(E.SigningError) as err:
        advance(step.state, values)
    assert err.value.code == E.BAD_SIGNATURE_VALUE


def test_another_units_certificate_is_left_to_the_callers_check(fresh: VtssServer) -> None:
    rc = client(fresh)
    found = {c.credential_id for c in rc.certificates()}
    assert len(found) == 2  # both listed; the service layer refuses another unit's


def test_the_answer_lost_leaves_nothing_to_ask(fresh: VtssServer) -> None:
    """The request reached the service but its answer did not come back: the client says
    so as a network failure; the service's id for it is unknown to the program."""
    fresh.fault = "lose_answer"
    with pytest.raises(E.RemoteSigningError) as err:
        client(fresh).start("x", "Hồ sơ", [("A.xml", bytes(32))])
    assert err.value.code == E.REMOTE_UNREACHABLE
    assert len(fresh.transactions) >= 1


# --------------------------------------------------------------------------- end to end

@pytest.fixture
def unit_server(unit_ca: DemoCA, tmp_path: Path) -> Iterator[VtssServer]:
    """A MySign for the demo unit: its certificate carries the demo's tax code."""
    service = LocalService.issued_by(unit_ca, tax_code=demo_employer().tax_code,
                                     company=demo_employer().name)
    srv = VtssServer(service, unit_ca, tmp_path / "vtss",
                     user_id=f"MST_{demo_employer().tax_code}")
    srv.folder.mkdir()
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def mysign(cli, unit_server: VtssServer, monkeypatch) -> VtssServer:
    """The demo unit with a dossier, its MySign account set and its certificate chosen."""
    assert cli("demo", "--workers", "6").code == 0
    monkeypatch.setenv("SP_PASSWORD", unit_server.client_secret)
    r = cli("remote", "set", PROVIDER, "--user-id", unit_server.user_id,
            "--sp-id", unit_server.client_id, "--password-env", "SP_PASSWORD",
            "--url", unit_server.base_url, "--ca", unit_server.ca_file)
    assert r.code == 0, r.err
    r = cli("--json", "tokens", "--remote", PROVIDER)
    assert r.code == 0, r.err
    (cert,) = r.json
    assert cert["tax_code"] == demo_employer().tax_code
    assert cli("remote", "set", PROVIDER, "--serial", cert["serial"]).code == 0
    return unit_server


def requests_of(data_dir: Path) -> list[tuple]:
    with raw_connect(data_dir) as conn:
        return conn.execute("SELECT phase, status, last_error, transaction_id FROM "
                            "remote_signatures ORDER BY id").fetchall()


def test_sign_with_mysign_end_to_end(cli, mysign: VtssServer, data_dir: Path,
                                     unit_ca: DemoCA, tmp_path: Path) -> None:
    mysign.decide_on_poll = "approve"
    r = cli("sign", 1, "--remote", PROVIDER, "--wait", "60")
    assert r.code == 0, r.err
    assert "Viettel MySign" in r.out
    assert cli("--json", "status", 1).json["state"] == "signed"
    rows = requests_of(data_dir)
    assert [(p, s) for p, s, _, _ in rows] == [("forms", "done"), ("envelope", "done")]
    # the rows keep the service's own ids: the ones a restart asks about
    assert [t for *_, t in rows] == list(mysign.transactions)
    signed = tmp_path / "signed.xml"
    assert cli("export", 1, "--signed", "--out", signed).code == 0
    assert verify_dossier(signed.read_bytes(), trusted_cas=[unit_ca.certificate]).valid
    pem = tmp_path / "ca.pem"
    pem.write_bytes(unit_ca.certificate.public_bytes(serialization.Encoding.PEM))
    assert xmlsec1_ok(signed.read_bytes(), pem, tmp_path)


def test_a_rejection_leaves_the_dossier_unchanged(cli, mysign: VtssServer,
                                                  tmp_path: Path) -> None:
    before = tmp_path / "before.xml"
    assert cli("export", 1, "--out", before).code == 0
    mysign.decide_on_poll = "reject"
    r = cli("sign", 1, "--remote", PROVIDER, "--wait", "60")
    assert r.code == 3 and "từ chối" in r.err
    after = tmp_path / "after.xml"
    assert cli("export", 1, "--out", after).code == 0
    assert after.read_bytes() == before.read_bytes()
    assert cli("export", 1, "--signed", "--out", tmp_path / "s.xml").code == 1


def test_a_request_whose_answer_was_lost_is_given_up_and_asked_again(
        cli, mysign: VtssServer, data_dir: Path, tmp_path: Path) -> None:
    """MySign names the request itself, so one whose answer was lost cannot be asked
    about: the next `sign` gives it up (in doubt), says so, and sends a new one; an
    approval of the lost one, afterwards, is never used."""
    mysign.fault = "lose_answer"
    r = cli("sign", 1, "--remote", PROVIDER, "--wait", "30")
    assert r.code == 4, r.err
    (lost,) = mysign.transactions
    assert [(p, s) for p, s, _, _ in requests_of(data_dir)] == [("forms", "pending")]
    mysign.fault, mysign.decide_on_poll = None, "approve"
    mysign.decide(lost, "1")  # the director approves the lost one: not used
    r = cli("sign", 1, "--remote", PROVIDER, "--wait", "60")
    assert r.code == 0, r.err
    assert "xác nhận yêu cầu mới nhất" in r.out + r.err
    rows = requests_of(data_dir)
    assert [(p, s, e) for p, s, e, _ in rows] == [
        ("forms", "failed", "remote_in_doubt"), ("forms", "done", None),
        ("envelope", "done", None)]
    assert lost not in [t for *_, t in rows[1:]]
    assert cli("--json", "status", 1).json["state"] == "signed"
    # the same forms were asked again (the prepared step, not a new preparation)
    asked = [tx.body["hash"] for tx in mysign.transactions.values()]
    assert asked[0] == asked[1] and len(asked) == 3


def test_a_certificate_of_another_unit_is_refused(cli, unit_ca: DemoCA, tmp_path: Path,
                                                  monkeypatch) -> None:
    service = LocalService.issued_by(unit_ca, tax_code=TAX_DEF, company="Công ty DEF")
    srv = VtssServer(service, unit_ca, tmp_path, user_id="MST_X").start()
    try:
        assert cli("demo", "--workers", "3").code == 0
        monkeypatch.setenv("SP_PASSWORD", srv.client_secret)
        assert cli("remote", "set", PROVIDER, "--user-id", srv.user_id, "--sp-id",
                   srv.client_id, "--password-env", "SP_PASSWORD", "--url", srv.base_url,
                   "--ca", srv.ca_file, "--serial",
                   f"{service.certificate.serial_number:x}").code == 0
        r = cli("sign", 1, "--remote", PROVIDER, "--wait", "10")
        assert r.code == 3 and TAX_DEF in r.err
        assert srv.transactions == {}  # nothing was asked of the phone
    finally:
        srv.stop()


def test_the_shipped_entry_is_the_one_documented() -> None:
    found = load_providers()[PROVIDER]
    assert dataclasses.asdict(found)["paths"] == {
        "login": "/vtss/service/ras/v1/login", "certificates": "/vtss/service/certificates/info",
        "sign": "/vtss/service/signHash", "status": "/vtss/service/requests/status"}
    assert found.base_url == "https://remotesigning.viettel.vn" and found.supported
