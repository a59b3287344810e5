"""A dossier signed in two confirmations through begin / advance, with the service played
by a local key: the same bytes as a token's signature, accepted by verify_dossier and by
xmlsec1; wrong values, missing or extra doc_ids and damaged states refused."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from lxml import etree

from ibhxh_client.signing import errors as E
from ibhxh_client.signing.demo import DemoCA
from ibhxh_client.signing.dossier import sign_dossier, verify_dossier
from ibhxh_client.signing.pkcs12 import Pkcs12Signer
from ibhxh_client.signing.remote_steps import (
    ENVELOPE,
    ENVELOPE_DOC_ID,
    FORMS,
    RemoteStep,
    advance,
    begin,
)
from ibhxh_client.signing.xmldsig import parse_xml, sign_tree
from tests import pkcs11_fixtures as fx
from tests.pkcs11_fixtures import TAX_ABC, TAX_DEF
from tests.remote_fakes import LocalService
from tests.test_signing_xml import forms_of, make_envelope, make_form, xmlsec1_ok

unit_ca = fx.unit_ca  # the fixture, for pytest

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
SIGNED_AT = NOW - dt.timedelta(minutes=5)


@pytest.fixture(scope="module")
def service(unit_ca: DemoCA) -> LocalService:
    return LocalService.issued_by(unit_ca, tax_code=TAX_ABC,
                                  not_before=NOW - dt.timedelta(days=100),
                                  not_after=NOW + dt.timedelta(days=300))


@pytest.fixture(scope="module")
def ca_pem(unit_ca: DemoCA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from cryptography.hazmat.primitives.serialization import Encoding

    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    path.write_bytes(unit_ca.certificate.public_bytes(Encoding.PEM))
    return path


def dossier(attachment: bool = False) -> bytes:
    return make_envelope(("D02-TS", make_form(4)), ("TK1-TS", make_form(2, root="TK1-TS")),
                         attachment=b"%PDF-1.4 phu luc" if attachment else None)


def remote_sign(envelope: bytes, service: LocalService) -> bytes:
    """begin → the service signs the forms → advance → it signs the envelope → advance,
    with the state passed on as bytes only (as after a restart)."""
    step = begin(envelope, service.certificate, service.chain, signing_time=SIGNED_AT)
    while isinstance(step, RemoteStep):
        state = bytes(step.state)  # all that survives a restart
        step = advance(state, service.sign_all(step.digests))
    return step


def test_two_steps_give_the_tokens_bytes_and_both_verifiers_accept(
        service: LocalService, unit_ca: DemoCA, ca_pem: Path, tmp_path: Path) -> None:
    envelope = dossier(attachment=True)
    first = begin(envelope, service.certificate, service.chain, signing_time=SIGNED_AT)
    assert first.phase == FORMS
    assert [d for d, _ in first.digests] == ["D02-TS-595.xml", "TK1-TS-595.xml"]
    assert all(len(digest) == 32 for _, digest in first.digests)
    second = advance(first.state, service.sign_all(first.digests))
    assert isinstance(second, RemoteStep) and second.phase == ENVELOPE
    assert [d for d, _ in second.digests] == [ENVELOPE_DOC_ID]
    signed = advance(second.state, service.sign_all(second.digests))
    assert isinstance(signed, bytes)

    token = Pkcs12Signer(service.key, service.certificate, tuple(service.chain))
    assert signed == sign_dossier(envelope, token, signing_time=SIGNED_AT)
    verdict = verify_dossier(signed, trusted_cas=[unit_ca.certificate])
    assert verdict.valid, verdict.messages("en")
    assert verdict.same_signer and verdict.tax_code_matches
    assert xmlsec1_ok(signed, ca_pem, tmp_path, "envelope.xml")
    for code, form in forms_of(signed).items():
        assert xmlsec1_ok(form, ca_pem, tmp_path, f"{code}.xml"), code


def test_the_state_is_plain_json_bytes(service: LocalService) -> None:
    step = begin(dossier(), service.certificate, signing_time=SIGNED_AT)
    body = json.loads(step.state)
    assert body["phase"] == FORMS and len(body["forms"]) == 2
    assert base64.b64decode(body["envelope"]) == dossier()


def test_a_value_for_another_digest_is_refused(service: LocalService) -> None:
    step = begin(dossier(), service.certificate, signing_time=SIGNED_AT)
    values = service.sign_all(step.digests)
    values["TK1-TS-595.xml"] = service.sign_digest(bytes(32))
    with pytest.raises(E.RemoteSigningError) as err:
        advance(step.state, values)
    assert err.value.code == E.BAD_SIGNATURE_VALUE
    assert err.value.detail == "TK1-TS-595.xml"
    assert "không khớp" in err.value.message("vi")


def test_a_value_of_another_key_is_refused_for_the_envelope_too(
        service: LocalService, unit_ca: DemoCA) -> None:
    other = LocalService.issued_by(unit_ca, tax_code=TAX_DEF)
    step = begin(dossier(), service.certificate, signing_time=SIGNED_AT)
    step = advance(step.state, service.sign_all(step.digests))
    assert isinstance(step, RemoteStep)
    with pytest.raises(E.RemoteSigningError) as err:
        advance(step.state, other.sign_all(step.digests))
    assert err.value.code == E.BAD_SIGNATURE_VALUE


@pytest.mark.parametrize("change", ["missing", "extra"])
def test_a_doc_id_missing_or_extra_is_refused(service: LocalService, change: str) -> None:
    step = begin(dossier(), service.certificate, signing_time=SIGNED_AT)
    values = service.sign_all(step.digests)
    if change == "missing":
        del values["D02-TS-595.xml"]
    else:
        values["KHAC.xml"] = values["D02-TS-595.xml"]
    with pytest.raises(E.RemoteSigningError) as err:
        advance(step.state, values)
    assert err.value.code == E.REMOTE_DOC_IDS
    text = err.value.message("en")
    assert ("missing: D02-TS-595.xml; extra: -" if change == "missing"
            else "missing: -; extra: KHAC.xml") in text


@pytest.mark.parametrize("state", [b"not json", b"{}", json.dumps(
    {"format": "ibhxh-remote-steps", "version": 1, "phase": "forms"}).encode()])
def test_a_damaged_state_is_refused(state: bytes) -> None:
    with pytest.raises(E.RemoteSigningError) as err:
        advance(state, {})
    assert err.value.code == E.REMOTE_STATE


def test_a_state_whose_prepared_form_was_changed_is_refused(service: LocalService) -> None:
    step = begin(dossier(), service.certificate, signing_time=SIGNED_AT)
    for old, new in ((b"<MucLuong>5310000</MucLuong>", b"<MucLuong>9310000</MucLuong>"),
                     (b"<SigningTime>20", b"<SigningTime>19")):
        body = json.loads(step.state)
        xml = base64.b64decode(body["forms"][0]["xml"])
        assert xml.count(old) == 1
        body["forms"][0]["xml"] = base64.b64encode(xml.replace(old, new)).decode()
        with pytest.raises(E.XmlSigningError) as err:
            advance(json.dumps(body).encode(), service.sign_all(step.digests))
        assert err.value.code == E.BAD_XML


def test_duplicate_file_names_are_refused(service: LocalService) -> None:
    envelope = make_envelope(("D02-TS", make_form(1)), ("D02-TS", make_form(2)))
    with pytest.raises(E.XmlSigningError) as err:
        begin(envelope, service.certificate, signing_time=SIGNED_AT)
    assert err.value.code == E.BAD_ENVELOPE


def test_a_dossier_of_attachments_only_goes_straight_to_the_envelope(
        service: LocalService, unit_ca: DemoCA) -> None:
    envelope = make_envelope(attachment=b"%PDF-1.4 phu luc")
    step = begin(envelope, service.certificate, signing_time=SIGNED_AT)
    assert step.phase == ENVELOPE
    signed = remote_sign(envelope, service)
    assert verify_dossier(signed, trusted_cas=[unit_ca.certificate]).envelope.valid


class _WrongSigner(Pkcs12Signer):
    """A signer whose value is for other bytes (a token answering the wrong request)."""

    def sign(self, data: bytes) -> bytes:
        return super().sign(data + b"x")


def test_a_synchronous_signers_value_is_checked_too(service: LocalService) -> None:
    tree = parse_xml(make_form(2))
    before = etree.tostring(tree)
    signer = _WrongSigner(service.key, service.certificate)
    with pytest.raises(E.RemoteSigningError) as err:
        sign_tree(tree, signer, container="Cky", signing_time=SIGNED_AT,
                  signature_id="sig-D02-TS")
    assert err.value.code == E.BAD_SIGNATURE_VALUE
    assert etree.tostring(tree) == before  # nothing left half-signed


def test_finishing_on_the_bytes_gives_the_parsed_paths_bytes(service: LocalService) -> None:
    """A form is finished on its prepared bytes (no second parse) when they are the ones
    prepared: the same bytes as the parsed path; a wrong value is refused the same way;
    bytes changed since go the parsed way, which refuses them."""
    from ibhxh_client.signing.xmldsig import finish_xml as finish
    from ibhxh_client.signing.xmldsig import prepare_xml

    prepared = prepare_xml(make_form(3), service.certificate, container="Cky",
                           signing_time=SIGNED_AT, signature_id="sig-D02-TS")
    assert prepared.sha256 is not None and prepared.signature_at is not None
    value = service.sign_digest(prepared.digest)
    quick = finish(prepared, value, service.certificate)
    assert quick == finish(prepared, value)  # without the certificate: parsed
    with pytest.raises(E.SigningError) as err:
        finish(prepared, service.sign_digest(bytes(32)), service.certificate)
    assert err.value.code == E.BAD_SIGNATURE_VALUE
    changed = prepared.xml.replace(b"NGUY", b"NGUX", 1)
    assert changed != prepared.xml
    damaged = dataclasses.replace(prepared, xml=changed)
    with pytest.raises(E.SigningError) as err:
        finish(damaged, value, service.certificate)
    assert err.value.code == E.BAD_XML


def test_a_verification_trusts_only_the_cas_it_is_given(service: LocalService,
                                                         unit_ca: DemoCA) -> None:
    """The certificate checks are remembered per certificate, CAs and time: a verdict
    with one CA never answers for another."""
    signed = remote_sign(dossier(), service)
    other = DemoCA.create("ANOTHER CA", not_before=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
                          days=7305)
    for _ in range(2):
        assert verify_dossier(signed, trusted_cas=[unit_ca.certificate]).valid
        verdict = verify_dossier(signed, trusted_cas=[other.certificate])
        assert not verdict.valid and verdict.envelope.code == "untrusted"
