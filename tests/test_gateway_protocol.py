"""The parts of the gateway that need no server: the protocol's messages, the retry
policy, the receipt and result documents (signed, verified, refused), the messages."""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import random
import time

import pytest
from cryptography import x509

from ibhxh_client.domain.messages import placeholders
from ibhxh_client.gateway import errors as E
from ibhxh_client.gateway import protocol as P
from ibhxh_client.gateway.client import RetryPolicy, load_ca_pem, normalise_url, parse_retry_after
from ibhxh_client.gateway.documents import sign_document
from ibhxh_client.gateway.messages import MESSAGES
from ibhxh_client.gateway.receipt import (
    SIGNATURE_ID,
    FormEntry,
    ReceiptData,
    build_receipt,
    verify_receipt,
)
from ibhxh_client.gateway.result import Reason, ResultData, build_result, verify_result
from ibhxh_client.gateway.sandbox.faults import HOSTILE, Fault, Faults, tamper
from ibhxh_client.gateway.sandbox.pki import load_or_create
from ibhxh_client.services.submission import SubmissionError
from ibhxh_client.signing.demo import DemoCA
from tests.test_gateway_support import fresh_state, sandbox_pki

__all__ = ["sandbox_pki"]  # fixture

KEY = "a" * 40
SHA = "b" * 64


# --------------------------------------------------------------------------- messages

def test_messages_are_strict_about_types_and_fields():
    ok = P.Receipt.from_json({"dossier_number": "00042/2026/07906", "status": "received",
                              "received_at": "x", "receipt": "", "extra": [1, 2]})
    assert ok.dossier_number == "00042/2026/07906" and ok.replayed is False
    bad = [
        {"dossier_number": "42/2026/07906", "status": "received", "received_at": "",
         "receipt": ""},
        {"dossier_number": "00042/2026/07906", "status": "lost", "received_at": "",
         "receipt": ""},
        {"dossier_number": "00042/2026/07906", "status": "received", "received_at": 5,
         "receipt": ""},
        {"dossier_number": "00042/2026/07906", "status": "received", "receipt": ""},
        {"dossier_number": "00042/2026/07906", "status": "received", "received_at": "",
         "receipt": "", "replayed": 1},
        ["not", "an", "object"],
    ]
    for data in bad:
        with pytest.raises(P.ProtocolError):
            P.Receipt.from_json(data)
    error = P.Error.from_json({"code": "rate_limited", "message": "m", "retry_after": 3,
                               "details": [{"where": "a", "message": "b"}]})
    assert error.details[0] == P.Detail("a", "b")
    with pytest.raises(P.ProtocolError):
        P.Error.from_json({"code": "x", "message": "m", "retry_after": True})
    with pytest.raises(P.ProtocolError):
        P.Submission.from_json({"envelope": "", "sha256": "ABC"})


def test_paths_and_login_message():
    assert P.dossier_path("00042/2026/07906") == "/api/v1/dossiers/00042-2026-07906"
    assert P.result_path("00042/2026/07906").endswith("/00042-2026-07906/result")
    assert P.number_from_path("00042-2026-07906") == "00042/2026/07906"
    assert P.number_from_path("..-..") is None
    with pytest.raises(P.ProtocolError):
        P.dossier_path("../etc")
    assert P.login_message("TZH490L", "bm9uY2U=") == b"IBHXH-LOGIN-V1\nTZH490L\nbm9uY2U="
    with pytest.raises(P.ProtocolError):
        P.b64decode("not base64!")
    assert set(P.HTTP_STATUS) == set(P.ErrorCode)


def test_only_https_gateway_addresses():
    assert normalise_url("https://gw.example.vn:8443/") == "https://gw.example.vn:8443"
    for url in ("http://gw.example.vn", "ftp://x", "https://", "https://u:p@gw", "gw"):
        with pytest.raises(ValueError):
            normalise_url(url)


# --------------------------------------------------------------------------- retries

def test_backoff_is_exponential_with_jitter_and_bounded():
    policy = RetryPolicy(attempts=5, base=0.5, cap=4.0, max_retry_after=30)
    rng = random.Random(1)
    for attempt, ceiling in ((1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0)):
        waits = [policy.delay(attempt, rng=rng) for _ in range(200)]
        assert all(0 <= w <= ceiling for w in waits)
        assert max(waits) > ceiling * 0.8  # spread over the whole range
    assert policy.delay(5) is None  # no attempt after the last
    assert policy.delay(1, retry_after=7) >= 7  # Retry-After is a floor
    assert policy.delay(1, retry_after=31) is None  # too long: wait in the outbox instead


def test_retry_after_in_seconds_or_as_a_date():
    assert parse_retry_after("3") == 3.0
    later = email.utils.formatdate(time.time() + 120, usegmt=True)
    assert 100 < parse_retry_after(later) <= 120
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


# --------------------------------------------------------------------------- documents

@pytest.fixture
def pki(sandbox_pki, tmp_path):
    return load_or_create(fresh_state(sandbox_pki, tmp_path / "pki"))[0]


def _receipt(pki) -> bytes:
    data = ReceiptData(number="00042/2026/07906", received_at="2026-07-15T09:30:00+07:00",
                       agency="07906", unit_code="TZH490L", tax_code="0312345673",
                       unit_name="Công ty TNHH Sao Mai", procedure="600",
                       procedure_name="Báo tăng", period="07/2026",
                       forms=(FormEntry("D02-TS", "D02-TS.xml", 1313),), reference=KEY,
                       envelope_sha256=SHA, chain_checked=False)
    return sign_document(build_receipt(data), pki.receipt_signer, SIGNATURE_ID)


def _verify(pki, receipt: bytes, **kw):
    args = {"trusted_cas": [pki.ca.certificate], "reference": KEY, "envelope_sha256": SHA,
            "unit_code": "TZH490L", "number": "00042/2026/07906"}
    return verify_receipt(receipt, **{**args, **kw})


def test_receipt_is_signed_and_verified(pki):
    verified = _verify(pki, _receipt(pki))
    assert verified.data.forms[0].code == "D02-TS" and not verified.data.chain_checked
    assert verified.signer and "sandbox" in verified.signer.name.lower()


@pytest.mark.parametrize(("kw", "field"), [({"reference": "c" * 40}, "MaThamChieu"),
                                           ({"envelope_sha256": "d" * 64}, "MaBamHoSo"),
                                           ({"unit_code": "OTHER01"}, "MaDonVi"),
                                           ({"number": "00043/2026/07906"}, "SoHoSo")])
def test_a_receipt_for_another_dossier_is_refused(pki, kw, field):
    with pytest.raises(E.GatewayError) as err:
        _verify(pki, _receipt(pki), **kw)
    assert err.value.code == "receipt_mismatch" and err.value.params["field"] == field


def test_receipt_from_another_ca_or_altered_is_refused(pki):
    receipt = _receipt(pki)
    with pytest.raises(E.GatewayError) as err:
        _verify(pki, receipt, trusted_cas=[DemoCA.create("ANOTHER CA").certificate])
    assert err.value.code == "receipt_signature"
    with pytest.raises(E.GatewayError) as err:
        _verify(pki, receipt, trusted_cas=[])  # no CA configured: nobody vouches for it
    assert err.value.code == "receipt_signature"
    altered = base64.b64decode(tamper(base64.b64encode(receipt).decode()))
    with pytest.raises(E.GatewayError) as err:
        _verify(pki, altered)
    assert err.value.code == "receipt_signature"
    assert "thay đổi" in err.value.message("vi") or "changed" in err.value.message("en")


@pytest.mark.parametrize("variant", sorted(HOSTILE))
def test_hostile_xml_is_refused_before_anything_reads_it(pki, variant):
    with pytest.raises(E.GatewayError) as err:
        _verify(pki, HOSTILE[variant])
    assert err.value.code == "hostile_xml" and err.value.kind == E.ANSWER_KIND


def test_result_notice_with_reasons(pki):
    reasons = (Reason("increase_twice", "D02-TS", 3, "PhuongAn", "đã báo tăng", "increased"),)
    xml = build_result(ResultData("00042/2026/07906", "TZH490L", P.DossierStatus.REJECTED,
                                  "2026-07-15T10:00:00+07:00", reasons))
    signed = sign_document(xml, pki.receipt_signer, "sig-ThongBaoKetQua")
    result = verify_result(signed, trusted_cas=[pki.ca.certificate],
                           number="00042/2026/07906", unit_code="TZH490L")
    assert result.status == "rejected" and result.reasons == reasons
    assert result.reasons[0].message("vi") == "D02-TS dòng 3, PhuongAn: đã báo tăng"
    assert result.reasons[0].message("en") == "D02-TS row 3, PhuongAn: increased"
    with pytest.raises(E.GatewayError) as err:
        verify_result(signed, trusted_cas=[pki.ca.certificate], number="00001/2026/07906",
                      unit_code="TZH490L")
    assert err.value.code == "result_mismatch"


def test_sandbox_certificates_are_kept(sandbox_pki, tmp_path):
    state = fresh_state(sandbox_pki, tmp_path / "s")
    first, created = load_or_create(state)
    assert not created
    again, _ = load_or_create(state, host="gw.training.local")  # a new host name
    assert again.ca.certificate == first.ca.certificate
    server = load_ca_pem(again.server_cert.read_text())[0]  # re-issued by the same CA
    san = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "gw.training.local" in san.get_values_for_type(x509.DNSName)
    server.verify_directly_issued_by(first.ca.certificate)
    assert again.ca.certificate.not_valid_after_utc > dt.datetime.now(dt.UTC)


# --------------------------------------------------------------------------- texts

def test_every_message_has_english_with_the_same_placeholders():
    for code, entry in MESSAGES.items():
        assert set(entry) == {"vi", "en"}, code
        assert placeholders(entry["vi"]) == placeholders(entry["en"]), code
    for code in P.ErrorCode:
        assert code in MESSAGES, code


def test_user_error_offers_the_paper_dossier():
    exc = E.GatewayError(E.NETWORK, E.NETWORK_KIND, url="https://gw", detail="refused")
    err = SubmissionError("network", exit_code=4, cause=exc, dossier=7, queued=True,
                          offer_paper=True)
    assert err.message("en") == ("Cannot reach the gateway https://gw: refused. Dossier 7 "
                                 "stays queued; 'ibhxh sync' will send it again. If it must "
                                 "be filed now, print the paper dossier.")
    assert err.message("vi").startswith("Không kết nối được cổng tiếp nhận https://gw")


def test_faults_are_checked_and_used_up():
    with pytest.raises(ValueError):
        Fault.from_json({"kind": "earthquake"})
    with pytest.raises(ValueError):
        Fault.from_json({"kind": "slow", "colour": "red"})
    faults = Faults()
    faults.arm("http_error", route="submit", times=2)
    assert faults.take("http_error", "state") is None
    assert faults.take("http_error", "submit") and faults.take("http_error", "submit")
    assert faults.take("http_error", "submit") is None
    assert faults.arm("wrong_host").route == "*"


def test_a_late_office_clock_does_not_refuse_a_fresh_receipt():
    from ibhxh_client.services.submission import _verify_time

    now = dt.datetime.now(dt.UTC)
    ahead = (now + dt.timedelta(minutes=20)).isoformat()
    assert _verify_time(ahead) > now + dt.timedelta(minutes=20)
    far = (now + dt.timedelta(days=3)).isoformat()  # not believable: our own clock
    assert abs((_verify_time(far) - now).total_seconds()) < 5
    assert abs((_verify_time("yesterday") - now).total_seconds()) < 5
