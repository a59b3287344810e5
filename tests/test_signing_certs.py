"""Certificate description and the checks before signing; the PKCS#12 file signer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa

from ibhxh_client.signing import errors as E
from ibhxh_client.signing.certs import (
    CertWarning,
    build_chain,
    check_for_signing,
    describe,
    normalize_fingerprint,
    verify_trust,
)
from ibhxh_client.signing.demo import SIGNING_USAGE, DemoCA
from ibhxh_client.signing.pkcs12 import Pkcs12Signer, make_demo_pkcs12
from ibhxh_client.signing.signer import verify_signature
from tests import pkcs11_fixtures as fx

unit_ca = fx.unit_ca  # the fixture, for pytest

NOW = dt.datetime(2026, 1, 15, 8, 30, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def _rsa(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return _rsa()


def _cert(ca: DemoCA, key, *, start=NOW - 100 * DAY, end=NOW + 300 * DAY,
          usage=SIGNING_USAGE, tax="0312345678") -> x509.Certificate:
    return ca.issue(key.public_key(), company_name="Công ty TNHH ABC", tax_code=tax,
                    not_before=start, not_after=end, key_usage=usage)


def test_describe_reads_the_vietnamese_subject(unit_ca: DemoCA, key) -> None:
    cert = _cert(unit_ca, key)
    info = describe(cert, key_id=b"\x0a\x0b")
    assert info.tax_code == "0312345678"
    assert info.common_name == "CÔNG TY TNHH ABC"
    assert "UID=MST:0312345678" in info.subject
    assert info.issuer_common_name == "IBHXH UNIT TEST CA"
    assert info.serial == format(cert.serial_number, "X")
    assert len(info.fingerprint) == 64 and info.fingerprint == info.fingerprint.upper()
    assert info.key_type == "RSA-2048" and not info.is_ca
    assert info.key_id == "0A0B"
    assert info.not_after == NOW + 300 * DAY
    assert info.days_to_expiry(NOW) == 300
    assert info.valid_at(NOW) and not info.valid_at(NOW + 301 * DAY)
    assert describe(unit_ca.certificate).is_ca


def test_branch_tax_code_and_personal_id(unit_ca: DemoCA, key) -> None:
    branch = unit_ca.issue(key.public_key(), company_name="Chi nhánh",
                           tax_code="0312345678-001")
    assert describe(branch).tax_code == "0312345678-001"
    person = unit_ca.issue(key.public_key(), company_name="Nguyễn Văn A",
                           personal_id="079090001234")
    info = describe(person)
    assert info.tax_code is None and info.personal_id == "079090001234"


def test_fingerprint_as_typed() -> None:
    assert normalize_fingerprint("ab:cd ef-01") == "ABCDEF01"


def test_valid_certificate_passes(unit_ca: DemoCA, key) -> None:
    cert = _cert(unit_ca, key)
    assert check_for_signing(cert, NOW, chain=[unit_ca.certificate]) == []


def test_expired_and_not_yet_valid(unit_ca: DemoCA, key) -> None:
    with pytest.raises(E.CertificateError) as err:
        check_for_signing(_cert(unit_ca, key, end=NOW - DAY), NOW)
    assert err.value.code == E.CERT_EXPIRED
    assert "14/01/2026" in err.value.message("vi")
    with pytest.raises(E.CertificateError) as err:
        check_for_signing(_cert(unit_ca, key, start=NOW + DAY), NOW)
    assert err.value.code == E.CERT_NOT_YET_VALID


def test_warning_within_thirty_days(unit_ca: DemoCA, key) -> None:
    warnings = check_for_signing(_cert(unit_ca, key, end=NOW + 12 * DAY), NOW,
                                 chain=[unit_ca.certificate])
    assert [w.code for w in warnings] == ["cert_expiring"]
    assert "12" in warnings[0].message("vi") and "27/01/2026" in warnings[0].message("en")
    assert check_for_signing(_cert(unit_ca, key, end=NOW + 31 * DAY), NOW,
                             chain=[unit_ca.certificate]) == []


def test_key_usage_required(unit_ca: DemoCA, key) -> None:
    encrypt_only = x509.KeyUsage(
        digital_signature=False, content_commitment=False, key_encipherment=True,
        data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
        encipher_only=False, decipher_only=False)
    for usage in (encrypt_only, None):
        with pytest.raises(E.CertificateError) as err:
            check_for_signing(_cert(unit_ca, key, usage=usage), NOW)
        assert err.value.code == E.CERT_KEY_USAGE
    non_repudiation_only = x509.KeyUsage(
        digital_signature=False, content_commitment=True, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
        encipher_only=False, decipher_only=False)
    assert check_for_signing(_cert(unit_ca, key, usage=non_repudiation_only), NOW,
                             chain=[unit_ca.certificate]) == []


def test_weak_and_unsupported_keys(unit_ca: DemoCA) -> None:
    with pytest.raises(E.CertificateError) as err:
        check_for_signing(_cert(unit_ca, _rsa(1024)), NOW)
    assert err.value.code == E.CERT_WEAK_KEY and "RSA-1024" in err.value.message("en")
    with pytest.raises(E.CertificateError) as err:
        check_for_signing(_cert(unit_ca, dsa.generate_private_key(2048)), NOW)
    assert err.value.code == E.CERT_WEAK_KEY
    ec_cert = _cert(unit_ca, ec.generate_private_key(ec.SECP256R1()))
    assert check_for_signing(ec_cert, NOW, chain=[unit_ca.certificate]) == []


def test_chain_unverified_is_information(unit_ca: DemoCA, key) -> None:
    (warning,) = check_for_signing(_cert(unit_ca, key), NOW)
    assert isinstance(warning, CertWarning)
    assert warning.code == "chain_unverified" and warning.level == "info"
    assert "IBHXH UNIT TEST CA" in warning.message("vi")


def test_chain_with_an_impostor_issuer(unit_ca: DemoCA, key) -> None:
    impostor = DemoCA.create("IBHXH UNIT TEST CA", not_before=NOW - 365 * DAY)
    with pytest.raises(E.CertificateError) as err:
        check_for_signing(_cert(unit_ca, key), NOW, chain=[impostor.certificate])
    assert err.value.code == E.CERT_CHAIN
    assert "IBHXH UNIT TEST CA" in err.value.message("vi")
    assert "chữ ký của nơi cấp" in err.value.message("vi")
    assert "signature of issuer" in err.value.message("en")


def test_chain_through_an_intermediate(unit_ca: DemoCA, key) -> None:
    sub = DemoCA.create("IBHXH SUB CA", parent=unit_ca, not_before=NOW - 365 * DAY)
    cert = _cert(sub, key)
    path = build_chain(cert, [unit_ca.certificate, sub.certificate], at=NOW)
    assert path == [cert, sub.certificate, unit_ca.certificate]
    assert verify_trust(cert, [unit_ca.certificate], intermediates=[sub.certificate],
                        at=NOW)[-1] == unit_ca.certificate
    with pytest.raises(E.CertificateError) as err:
        verify_trust(cert, [DemoCA.create("OTHER CA").certificate],
                     intermediates=[sub.certificate], at=NOW)
    assert err.value.code == E.CERT_CHAIN
    # An expired issuer breaks the chain.
    old_sub = DemoCA.create("IBHXH OLD SUB", parent=unit_ca, not_before=NOW - 50 * DAY, days=10)
    with pytest.raises(E.CertificateError) as err:
        check_for_signing(_cert(old_sub, key), NOW, chain=[old_sub.certificate])
    assert err.value.code == E.CERT_CHAIN


def test_issuer_that_is_not_a_ca(unit_ca: DemoCA, key) -> None:
    # An end-entity certificate used as if it were an issuer.
    other_key = _rsa()
    fake_issuer = unit_ca.issue(other_key.public_key(), company_name="Not A CA")
    fake = DemoCA(key=other_key, certificate=fake_issuer)
    leaf = _cert(fake, key)
    with pytest.raises(E.CertificateError) as err:
        check_for_signing(leaf, NOW, chain=[fake_issuer])
    assert err.value.code == E.CERT_CHAIN


# --------------------------------------------------------------------------- PKCS#12

def test_demo_pkcs12_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "demo" / "abc.p12"
    made = make_demo_pkcs12(path, b"mat-khau", "0312345678", "Công ty TNHH ABC")
    assert made.path == path and path.is_file()
    signer = Pkcs12Signer.from_file(path, b"mat-khau")
    with signer:
        assert signer.certificate == made.certificate
        assert signer.chain == (made.ca_certificate,)
        assert signer.info.tax_code == "0312345678"
        assert signer.info.common_name == "CÔNG TY TNHH ABC"
        assert signer.algorithm == "rsa-sha256"
        assert signer.warnings == ()  # the CA is in the file, so the chain is checked
        assert verify_signature(signer.certificate, signer.sign(b"abc"), b"abc")
    with pytest.raises(RuntimeError):
        signer.sign(b"closed")


def test_pkcs12_wrong_password_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "abc.p12"
    make_demo_pkcs12(path, b"dung", "0312345678", "ABC")
    with pytest.raises(E.SigningError) as err:
        Pkcs12Signer.from_file(path, b"sai")
    assert err.value.code == E.PKCS12_INVALID and str(path) in err.value.message("vi")
    with pytest.raises(E.SigningError) as err:
        Pkcs12Signer.from_file(tmp_path / "none.p12", b"x")
    assert err.value.code == E.PKCS12_NOT_FOUND


def test_pkcs12_checks_the_certificate(tmp_path: Path) -> None:
    path = tmp_path / "abc.p12"
    make_demo_pkcs12(path, b"pw", "0312345678", "ABC", days=20)
    signer = Pkcs12Signer.from_file(path, b"pw")
    assert [w.code for w in signer.warnings] == ["cert_expiring"]
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=40)
    with pytest.raises(E.CertificateError) as err:
        Pkcs12Signer.from_file(path, b"pw", now=later)
    assert err.value.code == E.CERT_EXPIRED


def test_ec_file_signer(unit_ca: DemoCA) -> None:
    k = ec.generate_private_key(ec.SECP256R1())
    cert = unit_ca.issue(k.public_key(), company_name="EC", tax_code="0312345678")
    signer = Pkcs12Signer(k, cert)
    assert signer.algorithm == "ecdsa-sha256"
    assert verify_signature(cert, signer.sign(b"x"), b"x")
