"""The remote signing client (signing.remote): providers.toml read and checked, and the
``sp-json`` calls over real HTTPS against a small local service (tests/remote_fakes.py),
including the hostile answers it must refuse."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from ibhxh_client.signing import errors as E
from ibhxh_client.signing.certs import describe
from ibhxh_client.signing.demo import DemoCA
from ibhxh_client.signing.dossier import verify_dossier
from ibhxh_client.signing.remote import (
    PROVIDERS_FILE,
    Provider,
    RemoteAccount,
    RemoteClient,
    Started,
    get_provider,
    load_providers,
    same_serial,
)
from ibhxh_client.signing.remote_steps import RemoteStep, advance, begin
from tests import pkcs11_fixtures as fx
from tests.pkcs11_fixtures import TAX_ABC, TAX_DEF
from tests.remote_fakes import LocalService, SpJsonServer
from tests.test_gateway_support import make_sandbox, sandbox, sandbox_pki
from tests.test_signing_xml import make_envelope, make_form, xmlsec1_ok

unit_ca = fx.unit_ca  # the fixture, for pytest
__all__ = ["make_sandbox", "sandbox", "sandbox_pki"]  # fixtures

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


# --------------------------------------------------------------------------- providers

def test_the_shipped_providers_load() -> None:
    providers = load_providers()
    smartca, ca2 = providers["vnpt-smartca"], providers["nacencomm-ca2"]
    assert smartca.supported and ca2.supported and providers["sandbox"].supported
    mysign = providers["viettel-mysign"]
    assert mysign.supported and mysign.api_shape == "vtss" and mysign.assigns_ids
    assert mysign.profile_id == "adss:ras:profile:001" and mysign.states["4000"] == "pending"
    assert not smartca.assigns_ids
    assert not providers["misa-esign"].supported
    assert smartca.encode_digest(bytes(range(32))) == bytes(range(32)).hex()
    assert ca2.encode_digest(bytes(32)) == "A" * 43 + "="
    assert ca2.status_call == "body" and ca2.pending_signal == "empty_signature_value"
    assert smartca.states["SIG_WAIT_FOR_USER_CONFIRM"] == "pending"
    assert smartca.http_errors[401] == "account_invalid"


@pytest.mark.parametrize(("old", "new", "setting"), [
    ('digest_encoding = "hex_lower"', 'digest_encoding = "hex_upper"', "digest_encoding"),
    ('sign = "/v1/signatures/sign"', 'sign_x = "/v1/signatures/sign"', "paths.sign"),
    ('base_url = "https://gwsca.vnpt.vn/sca/sp769"',
     'base_url = "http://gwsca.vnpt.vn/sca/sp769"', "base_url"),
    ("poll_interval_seconds = 3", 'poll_interval_seconds = "3"', "poll_interval_seconds"),
    ('SUCCESS = "signed"', 'SUCCESS = "done"', "states.SUCCESS"),
])
def test_a_wrong_provider_value_names_the_provider_and_the_key(
        tmp_path: Path, old: str, new: str, setting: str) -> None:
    text = PROVIDERS_FILE.read_text("utf-8")
    assert old in text
    path = tmp_path / "providers.toml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(E.ProviderError) as err:
        load_providers(path)
    assert err.value.code == E.PROVIDER_INVALID
    assert err.value.params["provider"] == "vnpt-smartca"
    assert err.value.params["setting"] == setting
    assert f"vnpt-smartca, mục {setting}:" in err.value.message("vi")
    assert f"vnpt-smartca, key {setting}:" in err.value.message("en")


def test_an_unknown_provider_is_named_with_the_known_ones() -> None:
    with pytest.raises(E.ProviderError) as err:
        get_provider("khong-co")
    assert err.value.code == E.PROVIDER_UNKNOWN
    assert "vnpt-smartca" in err.value.message("vi")


def test_serials_compare_as_the_provider_says() -> None:
    providers = load_providers()
    assert same_serial(providers["nacencomm-ca2"], "54:01:0a:FF", "54010AFF")
    assert not same_serial(providers["vnpt-smartca"], "54:01:0a:FF", "54010AFF")
    assert same_serial(providers["vnpt-smartca"], " 54010aff", "54010AFF")
    assert not same_serial(providers["vnpt-smartca"], "", "")


# --------------------------------------------------------------------------- the service

@pytest.fixture(scope="module")
def service(unit_ca: DemoCA) -> LocalService:
    return LocalService.issued_by(unit_ca, tax_code=TAX_ABC,
                                  not_before=NOW - dt.timedelta(days=100),
                                  not_after=NOW + dt.timedelta(days=300))


@pytest.fixture(scope="module")
def server(service: LocalService, unit_ca: DemoCA,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpJsonServer]:
    other = LocalService.issued_by(unit_ca, tax_code=TAX_DEF, company="Công ty DEF")
    srv = SpJsonServer(service, unit_ca, tmp_path_factory.mktemp("sp-json"),
                       extra_certificates=[other.certificate]).start()
    yield srv
    srv.stop()


@pytest.fixture
def fresh(server: SpJsonServer) -> Iterator[SpJsonServer]:
    server.fault = None
    server.digest_encoding = "hex_lower"
    server.requests_seen.clear()
    yield server
    server.fault = None


def smartca(**changes: object) -> Provider:
    return dataclasses.replace(load_providers()["vnpt-smartca"], **changes)


def account(server: SpJsonServer, **changes: str | None) -> RemoteAccount:
    fields: dict[str, str | None] = {
        "provider": "vnpt-smartca", "base_url": server.base_url, "user_id": server.user_id,
        "serial": f"{server.service.certificate.serial_number:x}", "sp_id": server.sp_id,
        "sp_password": server.sp_password, "ca_file": server.ca_file}
    fields.update(changes)
    return RemoteAccount(**fields)  # type: ignore[arg-type]


def client(server: SpJsonServer, provider: Provider | None = None,
           **changes: str | None) -> RemoteClient:
    return RemoteClient(provider or smartca(), account(server, **changes))


def envelope() -> bytes:
    return make_envelope(("D02-TS", make_form(3)), ("TK1-TS", make_form(2, root="TK1-TS")))


def approve_and_collect(server: SpJsonServer, rc: RemoteClient, tid: str) -> dict[str, bytes]:
    assert rc.status(tid).state == "pending"
    server.approve(tid)
    status = rc.status(tid)
    assert status.state == "signed"
    return status.values


def test_a_dossier_signed_over_https_in_two_confirmations(
        fresh: SpJsonServer, unit_ca: DemoCA, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    rc = client(fresh)
    remote = rc.certificate()
    assert remote.certificate == fresh.service.certificate
    assert remote.chain == [unit_ca.certificate]
    step: RemoteStep | bytes = begin(envelope(), remote.certificate, remote.chain,
                                     signing_time=NOW)
    n = 0
    while isinstance(step, RemoteStep):
        n += 1
        tid = f"tx-{n}"
        assert rc.start(tid, "Hồ sơ 600", step.digests) == Started(300)
        step = advance(step.state, approve_and_collect(fresh, rc, tid))
    assert n == 2
    assert verify_dossier(step, trusted_cas=[unit_ca.certificate]).valid
    sent = [body for path, body in fresh.requests_seen if path.endswith("/signatures/sign")]
    digests = [f["data_to_be_signed"] for f in sent[0]["sign_files"]]
    assert [f["doc_id"] for f in sent[0]["sign_files"]] == ["D02-TS-595.xml",
                                                              "TK1-TS-595.xml"]
    assert all(re.fullmatch(r"[0-9a-f]{64}", d) for d in digests)
    assert re.fullmatch(r"\d{14}Z", sent[0]["time_stamp"])
    assert sent[1]["sign_files"][0]["doc_id"] == "BHXHDienTu.xml"
    logged = caplog.text
    assert fresh.sp_password not in logged and digests[0] not in logged
    assert "/v1/signatures/sign" in logged


def test_base64_digests_for_a_provider_that_wants_them(fresh: SpJsonServer) -> None:
    fresh.digest_encoding = "base64"
    rc = client(fresh, smartca(digest_encoding="base64"))
    step = begin(envelope(), rc.certificate().certificate, signing_time=NOW)
    rc.start("tx-b64", "Hồ sơ", step.digests)
    sent = fresh.requests_seen[-1][1]["sign_files"][0]["data_to_be_signed"]
    assert len(sent) == 44 and sent.endswith("=")
    assert isinstance(advance(step.state, approve_and_collect(fresh, rc, "tx-b64")),
                      RemoteStep)


def test_another_units_certificate_is_left_to_the_callers_check(fresh: SpJsonServer) -> None:
    rc = client(fresh)
    found = rc.certificates()
    assert len(found) == 2
    assert {describe(c.certificate).tax_code for c in found} == {TAX_ABC, TAX_DEF}
    other = next(c for c in found if describe(c.certificate).tax_code == TAX_DEF)
    chosen = client(fresh, serial=other.serial).certificate()
    assert describe(chosen.certificate).tax_code == TAX_DEF  # the caller compares


def test_a_serial_the_service_does_not_hold(fresh: SpJsonServer) -> None:
    with pytest.raises(E.RemoteSigningError) as err:
        client(fresh, serial="abc123").certificate()
    assert err.value.code == E.REMOTE_UNKNOWN_ACCOUNT
    assert "abc123" in err.value.message("vi")


@pytest.mark.parametrize(("change", "code"), [
    ({"sp_password": "sai"}, E.REMOTE_CREDENTIALS),
    ({"user_id": "0109999999"}, E.REMOTE_CREDENTIALS),
])
def test_refused_credentials(fresh: SpJsonServer, change: dict[str, str], code: str) -> None:
    with pytest.raises(E.RemoteSigningError) as err:
        client(fresh, **change).certificates()
    assert err.value.code == code
    assert "sai" not in err.value.message("en")


@pytest.mark.parametrize(("fault", "code"), [
    ("certificate_invalid", E.REMOTE_CERTIFICATE),
    ("fail", E.REMOTE_FAILED),
    ("malformed", E.REMOTE_BAD_ANSWER),
    ("shape", E.REMOTE_BAD_ANSWER),
    ("oversized", E.REMOTE_TOO_LARGE),
    ("oversized_stream", E.REMOTE_TOO_LARGE),
    ("redirect", E.REMOTE_REDIRECT),
])
def test_hostile_or_failing_answers_are_refused(fresh: SpJsonServer, fault: str,
                                                code: str) -> None:
    fresh.fault = fault
    rc = client(fresh, smartca(max_answer_bytes=1024 * 1024))
    with pytest.raises(E.RemoteSigningError) as err:
        rc.certificates()
    assert err.value.code == code
    if fault == "redirect":
        text = err.value.message("vi")
        assert "127.0.0.1" in text and "evil.example" in text


def test_a_signature_for_a_different_hash_is_refused(fresh: SpJsonServer) -> None:
    rc = client(fresh)
    step = begin(envelope(), rc.certificate().certificate, signing_time=NOW)
    rc.start("tx-wrong", "Hồ sơ", step.digests)
    fresh.fault = "wrong_digest"
    with pytest.raises(E.RemoteSigningError) as err:
        advance(step.state, approve_and_collect(fresh, rc, "tx-wrong"))
    assert err.value.code == E.BAD_SIGNATURE_VALUE


@pytest.mark.parametrize("fault", ["drop_doc", "extra_doc", "duplicate_doc"])
def test_wrong_doc_ids_are_refused(fresh: SpJsonServer, fault: str) -> None:
    rc = client(fresh)
    step = begin(envelope(), rc.certificate().certificate, signing_time=NOW)
    tid = f"tx-{fault}"
    rc.start(tid, "Hồ sơ", step.digests)
    fresh.fault = fault
    with pytest.raises(E.RemoteSigningError) as err:
        advance(step.state, approve_and_collect(fresh, rc, tid))
    assert err.value.code == E.REMOTE_DOC_IDS


def test_the_ca2_shape(fresh: SpJsonServer) -> None:
    """Status ids and credentials in the body, base64 digests, pending as empty values,
    "-2" as a failure, serials compared on their hex digits."""
    fresh.digest_encoding = "base64"
    ca2 = load_providers()["nacencomm-ca2"]
    serial = ":".join(re.findall("..?", f"{fresh.service.certificate.serial_number:X}"))
    rc = client(fresh, ca2, base_url=fresh.ca2_base_url, serial=serial)
    step = begin(envelope(), rc.certificate().certificate, signing_time=NOW)
    rc.start("tx-ca2", "Hồ sơ", step.digests)
    sent = fresh.requests_seen[-1][1]
    assert re.fullmatch(r"\d{14}", sent["time_stamp"])
    assert rc.status("tx-ca2").state == "pending"
    assert fresh.requests_seen[-1] == ("/api/data/status", {
        "sp_id": fresh.sp_id, "sp_password": fresh.sp_password, "user_id": fresh.user_id,
        "transaction_id": "tx-ca2"})
    fresh.approve("tx-ca2")
    assert isinstance(advance(step.state, rc.status("tx-ca2").values), RemoteStep)
    fresh.fault = "minus2"
    with pytest.raises(E.RemoteSigningError) as err:
        rc.status("tx-ca2")
    assert err.value.code == E.REMOTE_FAILED


@pytest.mark.parametrize("decision", ["reject", "expire"])
def test_rejected_and_expired(fresh: SpJsonServer, decision: str) -> None:
    rc = client(fresh)
    rc.start(f"tx-{decision}", "Hồ sơ", [("D02-TS-595.xml", bytes(32))])
    getattr(fresh, decision)(f"tx-{decision}")
    status = rc.status(f"tx-{decision}")
    assert status.state == {"reject": "rejected", "expire": "expired"}[decision]
    assert status.values == {}


def test_a_transaction_id_is_never_reused_for_other_files(fresh: SpJsonServer) -> None:
    rc = client(fresh)
    files = [("D02-TS-595.xml", bytes(32))]
    rc.start("tx-once", "Hồ sơ", files)
    assert rc.start("tx-once", "Hồ sơ", files) == Started(300)  # the same: same answer
    with pytest.raises(E.RemoteSigningError) as err:
        rc.start("tx-once", "Hồ sơ", [("D02-TS-595.xml", bytes(range(32)))])
    assert err.value.code == E.REMOTE_TRANSACTION_USED
    assert "tx-once" in err.value.message("vi")


def test_tls_is_verified_against_the_accounts_ca_only(fresh: SpJsonServer) -> None:
    with pytest.raises(E.RemoteSigningError) as err:
        client(fresh, ca_file=None).certificates()
    assert err.value.code == E.REMOTE_TLS
    with pytest.raises(E.RemoteSigningError) as err:
        client(fresh, base_url=fresh.base_url.replace("https://", "http://"))
    assert err.value.code == E.REMOTE_TLS
    broken = Path(fresh.ca_file).with_name("broken.pem")
    broken.write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    for ca_file in (str(broken), str(broken.with_name("missing.pem"))):
        with pytest.raises(E.RemoteSigningError) as err:
            client(fresh, ca_file=ca_file)
        assert err.value.code == E.REMOTE_TLS


def test_an_unreachable_service(fresh: SpJsonServer) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(E.RemoteSigningError) as err:
        client(fresh, base_url=f"https://127.0.0.1:{port}/sca/sp769").certificates()
    assert err.value.code == E.REMOTE_UNREACHABLE
    assert f"127.0.0.1:{port}" in err.value.message("vi")


def test_a_provider_not_built_is_refused() -> None:
    misa = load_providers()["misa-esign"]
    with pytest.raises(E.RemoteSigningError) as err:
        RemoteClient(misa, RemoteAccount("misa-esign", "https://x.example", "u", "s",
                                         "id", "pw"))
    assert err.value.code == E.REMOTE_UNSUPPORTED


# --------------------------------------------------------------------------- the sandbox

SANDBOX_TAX = "0312345673"  # the demo company, a training unit of the sandbox


def sandbox_client(sandbox) -> RemoteClient:
    provider = load_providers()["sandbox"]
    base = provider.base_url.replace("{sandbox_url}", sandbox.url.rstrip("/"))
    first = RemoteClient(provider, RemoteAccount(
        "sandbox", base, SANDBOX_TAX, "", sandbox.remote.sp_id, sandbox.remote.sp_password,
        str(sandbox.ca_file)))
    serial = first.certificates()[0].serial
    return RemoteClient(provider, dataclasses.replace(first.account, serial=serial))


def test_the_training_service_signs_a_dossier_over_real_https(sandbox, tmp_path: Path
                                                             ) -> None:
    rc = sandbox_client(sandbox)
    remote = rc.certificate()
    assert describe(remote.certificate).tax_code == SANDBOX_TAX
    step: RemoteStep | bytes = begin(envelope(), remote.certificate, remote.chain,
                                     signing_time=NOW)
    tids = []
    while isinstance(step, RemoteStep):
        tid = f"r1-{len(tids) + 1}"
        tids.append(tid)
        rc.start(tid, "Hồ sơ 600 (tập luyện)", step.digests)
        assert rc.status(tid).state == "pending"
        sandbox.remote.decide(tid, True)
        status = rc.status(tid)
        assert status.state == "signed"
        step = advance(step.state, status.values)
    assert len(tids) == 2
    ca = sandbox.pki.ca.certificate
    verdict = verify_dossier(step, trusted_cas=[ca])
    assert verdict.valid, verdict.messages("en")
    pem = tmp_path / "ca.pem"
    pem.write_bytes(sandbox.ca_file.read_bytes())
    assert xmlsec1_ok(step, pem, tmp_path)


@pytest.mark.parametrize(("fault", "call", "code"), [
    ("oversized", "get_certificate", E.REMOTE_TOO_LARGE),
    ("malformed", "get_certificate", E.REMOTE_BAD_ANSWER),
    ("redirect", "get_certificate", E.REMOTE_REDIRECT),
    ("fail", "get_certificate", E.REMOTE_FAILED),
])
def test_the_training_services_faults_are_refused(sandbox, fault: str, call: str,
                                                  code: str) -> None:
    rc = sandbox_client(sandbox)
    sandbox.remote.config.faults = {fault: call}
    try:
        with pytest.raises(E.RemoteSigningError) as err:
            rc.certificates()
    finally:
        sandbox.remote.config.faults = {}
    assert err.value.code == code


def test_the_training_services_wrong_digest_and_other_unit(sandbox) -> None:
    rc = sandbox_client(sandbox)
    sandbox.remote.config.faults = {"other_unit": "get_certificate"}
    try:
        other = rc.certificates()[0]
    finally:
        sandbox.remote.config.faults = {}
    assert describe(other.certificate).tax_code != SANDBOX_TAX  # the caller refuses it
    step = begin(envelope(), rc.certificate().certificate, signing_time=NOW)
    rc.start("r1-wrong", "Hồ sơ", step.digests)
    sandbox.remote.decide("r1-wrong", True)
    sandbox.remote.config.faults = {"wrong_digest": "status"}
    try:
        values = rc.status("r1-wrong").values
    finally:
        sandbox.remote.config.faults = {}
    with pytest.raises(E.RemoteSigningError) as err:
        advance(step.state, values)
    assert err.value.code == E.BAD_SIGNATURE_VALUE


def test_more_files_than_the_provider_takes_are_not_sent(fresh: SpJsonServer) -> None:
    rc = client(fresh, smartca(max_files_per_request=1))
    with pytest.raises(E.RemoteSigningError) as err:
        rc.start("tx-many", "Hồ sơ", [("a.xml", bytes(32)), ("b.xml", bytes(32))])
    assert "tối đa 1 tệp" in err.value.message("vi")
    assert fresh.requests_seen == []


# --------------------------------------------------------------------------- the wording

PROVIDER_KEYS = ("remote_credentials", "remote_unknown_account", "remote_unknown_serial",
                 "remote_certificate", "remote_quota", "remote_unsupported",
                 "remote_too_many")


def test_a_refusal_names_the_service_once_by_its_display_name(sandbox) -> None:
    """The display name already says "Dịch vụ ký từ xa …": the sentence must not say it
    again, nor show the provider's key ("sandbox", an English word) to the officer."""
    rc = sandbox_client(sandbox)
    wrong = RemoteClient(rc.provider, dataclasses.replace(rc.account, sp_password="sai"))
    with pytest.raises(E.RemoteSigningError) as err:
        wrong.certificates()
    vi, en = err.value.message("vi"), err.value.message("en")
    assert vi.startswith("Dịch vụ ký từ xa tập luyện (hộp cát) từ chối"), vi
    assert en.startswith("Training remote-signing service (sandbox) refused"), en
    assert "Dịch vụ ký từ xa Dịch vụ" not in vi and "sandbox" not in vi


@pytest.mark.parametrize("key", PROVIDER_KEYS)
def test_no_remote_message_says_the_service_twice(key: str) -> None:
    from ibhxh_client.signing.messages import say

    params = {"user_id": "U", "serial": "S", "found": "-", "limit": 1, "count": 2}
    for found in load_providers().values():
        for lang, phrase in (("vi", "dịch vụ ký từ xa"), ("en", "remote-signing service")):
            text = say(key, lang, provider=found.named, **params)
            assert found.name(lang) in text, text
            assert text.casefold().count(phrase) <= 1, text
            assert text.casefold().count("remote signing") <= 1, text


def test_the_cli_signed_line_says_remote_once() -> None:
    from ibhxh_client.cli import t

    for found in load_providers().values():
        for lang, word in (("vi", "từ xa"), ("en", "remote")):
            text = t("remote_signed", lang, id=1, provider=found.name(lang), subject="X")
            assert text.casefold().count(word) <= 1, text


@pytest.mark.parametrize("code, vi, en", [
    ("remote_rejected", "người ký đã từ chối", "rejected it on the phone"),
    ("remote_expired", "hết hạn", "expired"),
    ("remote_dossier_changed", "hồ sơ đã được sửa", "dossier was changed"),
    ("remote_bad_answer", "dịch vụ ký từ xa báo lỗi", "signing service failed"),
    (None, "dịch vụ ký từ xa báo lỗi", "signing service failed"),
])
def test_a_request_ended_elsewhere_says_why_in_words(code, vi, en) -> None:
    """Another window or computer followed the request to its end: the officer reads why
    in words, never the code kept in the database."""
    from ibhxh_client.services.remote_signing import _ended_elsewhere

    err = _ended_elsewhere(7, {"last_error": code, "transaction_id": "T"})
    assert err.code == "remote_ended_elsewhere"
    assert vi in err.message("vi") and "hồ sơ 7" in err.message("vi")
    assert en in err.message("en") and "dossier 7" in err.message("en")
    for lang in ("vi", "en"):
        assert "remote_" not in err.message(lang) and "(" not in err.message(lang)
