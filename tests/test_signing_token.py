"""Tokens through SoftHSM2's real PKCS#11 module: discovery, listing, choosing, signing."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from ibhxh_client.signing import errors as E
from ibhxh_client.signing.pin import PinStatus, pin_message
from ibhxh_client.signing.signer import verify_signature
from ibhxh_client.signing.token import (
    ENV_VAR,
    expand_path,
    find_modules,
    known_modules,
    list_tokens,
    load_module,
    open_signer,
    preflight,
)
from tests import pkcs11_fixtures as fx
from tests.pkcs11_fixtures import (
    MODULE,
    TAX_ABC,
    TAX_DEF,
    TAX_XYZ,
    USER_PIN,
    World,
)

empty_softhsm = fx.empty_softhsm  # the fixture, for pytest
softhsm_world = fx.softhsm_world  # the fixture, for pytest

NOW = dt.datetime.now(dt.UTC)


# --------------------------------------------------------------------------- discovery

def test_find_modules_setting_then_env_then_known(tmp_path: Path) -> None:
    known = tmp_path / "known.toml"
    present = tmp_path / "Windows" / "System32" / "viettel-ca_v6.dll"
    present.parent.mkdir(parents=True)
    present.write_bytes(b"dll")
    known.write_text(
        "[[module]]\nvendor='Viettel-CA'\nplatform='windows'\n"
        "path='%SystemRoot%\\System32\\viettel-ca_v6.dll'\nstatus='check'\n"
        "[[module]]\nvendor='VNPT-CA'\nplatform='windows'\n"
        "path='%SystemRoot%\\System32\\vnpt-ca_csp11.dll'\nstatus='check'\n"
        "[[module]]\nvendor='SoftHSM'\nplatform='linux'\npath='/x/libsofthsm2.so'\n",
        encoding="utf-8")
    env = {"SYSTEMROOT": str(tmp_path / "Windows"), ENV_VAR: "C:\\env\\a.dll"}
    exists = lambda p: Path(p.replace("\\", "/")).is_file()  # noqa: E731
    found = find_modules("D:\\tokens\\mine.dll", env=env, platform="win32", known_file=known,
                         exists=exists)
    assert found[0] == "D:\\tokens\\mine.dll"  # the setting first, even if missing
    assert found[1] == "C:\\env\\a.dll"  # then the environment variable
    assert found[2].endswith("viettel-ca_v6.dll")  # then known locations that exist
    assert len(found) == 3  # VNPT's DLL is absent, the Linux row is another platform


def test_find_modules_on_linux_finds_softhsm_once() -> None:
    found = find_modules(None, env={}, platform="linux")
    real = [os.path.realpath(p) for p in found]
    assert os.path.realpath(MODULE) in real
    assert len(real) == len(set(real))  # the symlink and its target count once


def test_expand_path_windows_and_posix_variables() -> None:
    env = {"ProgramFiles": "C:\\Program Files", "HOME": "/home/u"}
    assert expand_path("%PROGRAMFILES%\\OpenSC\\x.dll", env) == "C:\\Program Files\\OpenSC\\x.dll"
    assert expand_path("%Unknown%\\x.dll", env) == "%Unknown%\\x.dll"
    assert expand_path("~/lib.so", env) == "/home/u/lib.so"
    assert expand_path("$HOME/lib.so", env) == "/home/u/lib.so"


def test_shipped_known_module_file_has_vietnamese_ca_rows() -> None:
    rows = known_modules()
    vendors = {r.vendor for r in rows}
    for vendor in ("Viettel-CA", "VNPT-CA", "BKAV-CA", "FPT-CA", "NewCA", "MISA-CA", "SafeCA"):
        assert vendor in vendors
    assert all(r.platform in ("windows", "linux", "macos") for r in rows)
    assert all(r.status in ("check", "confirmed") for r in rows)
    assert any("eTPKCS11.dll" in r.path for r in rows)


def test_wrong_module_path_is_a_clear_error(tmp_path: Path) -> None:
    missing = str(tmp_path / "nowhere" / "viettel-ca_v6.dll")
    with pytest.raises(E.ModuleError) as info:
        load_module(missing)
    assert info.value.code == E.MODULE_NOT_FOUND
    assert missing in info.value.message("vi") and missing in info.value.message("en")
    with pytest.raises(E.ModuleError) as info:
        open_signer(missing, pin=USER_PIN)
    assert info.value.code == E.MODULE_NOT_FOUND


def test_a_file_that_is_not_a_pkcs11_module(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.so"
    bogus.write_bytes(b"not a library")
    with pytest.raises(E.ModuleError) as info:
        load_module(str(bogus))
    assert info.value.code == E.MODULE_LOAD_FAILED
    text = info.value.message("en")
    assert str(bogus) in text and "PKCS11Error" in text


# --------------------------------------------------------------------------- listing

def test_list_tokens_reads_identity_flags_and_certificates(softhsm_world: World) -> None:
    tokens = {t.label: t for t in list_tokens(softhsm_world.module)}
    assert set(tokens) == {"ABC", "XYZ", "TWO", "OLD", "RENEW", "AUTH", "PINTEST"}
    abc = tokens["ABC"]
    assert abc.serial == softhsm_world.serial("ABC")
    assert abc.manufacturer == "SoftHSM project"
    assert abc.pin_status is PinStatus.OK and abc.login_required
    (cert,) = abc.certificates
    assert cert.tax_code == TAX_ABC
    assert cert.common_name == "CÔNG TY TNHH ABC"
    assert cert.key_id == "01"
    assert len(cert.fingerprint) == 64 and cert.fingerprint == cert.fingerprint.upper()
    assert [c.is_ca for c in abc.ca_certificates] == [True]
    assert {c.tax_code for c in tokens["TWO"].certificates} == {TAX_ABC, TAX_DEF}


def test_no_token(empty_softhsm) -> None:
    assert list_tokens(empty_softhsm.module_path) == []
    with pytest.raises(E.TokenError) as info:
        preflight(empty_softhsm.module_path)
    assert info.value.code == E.NO_TOKEN
    assert "token" in info.value.message("vi")


def test_private_keys_never_leave_the_token(softhsm_world: World) -> None:
    from pkcs11 import Attribute, ObjectClass

    with softhsm_world.hsm.token("ABC").open(user_pin=USER_PIN) as session:
        keys = list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}))
        assert keys
        for key in keys:
            assert key[Attribute.SENSITIVE] is True
            assert key[Attribute.EXTRACTABLE] is False


# --------------------------------------------------------------------------- choosing

def test_two_tokens_need_a_serial(softhsm_world: World) -> None:
    with pytest.raises(E.TokenError) as info:
        preflight(softhsm_world.module, tax_code=TAX_ABC, now=NOW)
    assert info.value.code == E.SEVERAL_TOKENS
    assert softhsm_world.serial("ABC") in info.value.message("en")


def test_tax_code_picks_the_only_token_that_carries_it(softhsm_world: World) -> None:
    pf = preflight(softhsm_world.module, tax_code=TAX_XYZ, now=NOW)
    assert pf.token.label == "XYZ"
    assert pf.certificate.tax_code == TAX_XYZ
    assert pf.pin_status is PinStatus.OK
    # No issuer certificate on that token: said, as information.
    assert [w.code for w in pf.warnings] == ["chain_unverified"]


def test_chain_checked_with_the_ca_on_the_token(softhsm_world: World) -> None:
    pf = preflight(softhsm_world.module, token_serial=softhsm_world.serial("ABC"), now=NOW)
    assert pf.warnings == ()
    assert pf.chain == (softhsm_world.ca.certificate,)


def test_unknown_serial_and_unknown_tax_code(softhsm_world: World) -> None:
    with pytest.raises(E.TokenError) as info:
        preflight(softhsm_world.module, token_serial="0000000000000000")
    assert info.value.code == E.NO_TOKEN
    assert "0000000000000000" in info.value.message("vi")
    with pytest.raises(E.TokenError) as info:
        preflight(softhsm_world.module, tax_code="0100000000")
    assert info.value.code == E.NO_CERTIFICATE
    assert "0100000000" in info.value.message("vi")


def test_label_alone_is_not_identity_but_can_filter(softhsm_world: World) -> None:
    pf = preflight(softhsm_world.module, token_label="XYZ", now=NOW)
    assert pf.token.serial == softhsm_world.serial("XYZ")


def test_one_token_two_certificates(softhsm_world: World) -> None:
    serial = softhsm_world.serial("TWO")
    with pytest.raises(E.TokenError) as info:
        preflight(softhsm_world.module, token_serial=serial, now=NOW)
    assert info.value.code == E.SEVERAL_CERTIFICATES
    text = info.value.message("vi")
    from ibhxh_client.signing.certs import fingerprint

    fps = [fingerprint(c) for c in softhsm_world.certs["TWO"].values()]
    assert all(fp in text for fp in fps)
    # By tax code …
    pf = preflight(softhsm_world.module, token_serial=serial, tax_code=TAX_DEF, now=NOW)
    assert pf.certificate.fingerprint == fps[1]
    # … or by fingerprint, as users type it (lower case, colons, a 16+ digit prefix).
    typed = ":".join(fps[0][i:i + 2] for i in range(0, 20, 2)).lower()
    pf = preflight(softhsm_world.module, token_serial=serial, cert_fingerprint=typed, now=NOW)
    assert pf.certificate.fingerprint == fps[0]
    with pytest.raises(E.TokenError) as info:
        preflight(softhsm_world.module, token_serial=serial, cert_fingerprint="AB" * 32)
    assert info.value.code == E.NO_CERTIFICATE


def test_renewed_certificate_preferred_over_the_expired_one(softhsm_world: World) -> None:
    pf = preflight(softhsm_world.module, token_serial=softhsm_world.serial("RENEW"),
                   tax_code=TAX_ABC, now=NOW)
    assert pf.certificate.key_id == "02"


def test_expired_certificate_refused_before_the_pin_is_asked(softhsm_world: World) -> None:
    asked = []
    with pytest.raises(E.CertificateError) as info:
        open_signer(softhsm_world.module, pin=lambda pf: asked.append(pf) or USER_PIN,
                    token_serial=softhsm_world.serial("OLD"))
    assert info.value.code == E.CERT_EXPIRED
    assert asked == []
    assert "hết hạn" in info.value.message("vi")


# --------------------------------------------------------------------------- signing

def test_sign_with_rsa_key_on_token(softhsm_world: World) -> None:
    serial = softhsm_world.serial("ABC")
    with open_signer(softhsm_world.module, pin=USER_PIN, token_serial=serial,
                     tax_code=TAX_ABC) as signer:
        assert signer.algorithm == "rsa-sha256"
        assert signer.info.tax_code == TAX_ABC
        assert signer._pin is None  # dropped after login
        sig = signer.sign(b"noi dung ho so")
        assert isinstance(signer.certificate.public_key(), rsa.RSAPublicKey)
        assert verify_signature(signer.certificate, sig, b"noi dung ho so")
        assert not verify_signature(signer.certificate, sig, b"noi dung khac")
    with pytest.raises(RuntimeError):
        signer.sign(b"after close")


def test_sign_with_ec_key_on_token(softhsm_world: World) -> None:
    with open_signer(softhsm_world.module, pin=USER_PIN,
                     token_serial=softhsm_world.serial("TWO"), tax_code=TAX_DEF) as signer:
        assert signer.algorithm == "ecdsa-sha256"
        assert isinstance(signer.certificate.public_key(), ec.EllipticCurvePublicKey)
        sig = signer.sign(b"du lieu")
        assert sig[0] == 0x30  # DER SEQUENCE
        assert verify_signature(signer.certificate, sig, b"du lieu")


def test_always_authenticate_key_gets_the_pin_at_every_use(softhsm_world: World) -> None:
    signer = open_signer(softhsm_world.module, pin=USER_PIN,
                         token_serial=softhsm_world.serial("AUTH"))
    try:
        assert signer.always_authenticate
        for data in (b"mot", b"hai", b"ba"):
            assert verify_signature(signer.certificate, signer.sign(data), data)
    finally:
        signer.close()
    assert signer._pin is None


def test_callable_pin_sees_the_preflight(softhsm_world: World) -> None:
    seen = []

    def ask(pf):
        seen.append((pf.token.label, pf.pin_status))
        return USER_PIN

    with open_signer(softhsm_world.module, pin=ask,
                     token_serial=softhsm_world.serial("XYZ")) as signer:
        assert signer.sign(b"x")
    assert seen == [("XYZ", PinStatus.OK)]


def test_cancelled_pin(softhsm_world: World) -> None:
    with pytest.raises(E.PinError) as info:
        open_signer(softhsm_world.module, pin=lambda pf: None,
                    token_serial=softhsm_world.serial("XYZ"))
    assert info.value.code == E.PIN_CANCELLED


def test_wrong_pin_then_count_low_then_the_right_pin_signs_unconfirmed(
        softhsm_world: World) -> None:
    serial = softhsm_world.serial("PINTEST")
    with pytest.raises(E.PinError) as info:
        open_signer(softhsm_world.module, pin="9999", token_serial=serial)
    err = info.value
    assert err.code == E.PIN_INCORRECT
    assert err.pin_status is PinStatus.INCORRECT
    # SoftHSM2 raises CKF_USER_PIN_COUNT_LOW after a wrong PIN; the error says so, and
    # only that: a wrong PIN was entered, not that few tries are left.
    assert err.tries_left is PinStatus.COUNT_LOW
    assert err.message("vi").startswith("Mã PIN không đúng. " +
                                        pin_message(PinStatus.COUNT_LOW, "vi"))
    assert "đã nhập sai PIN ít nhất một lần" in err.message("vi")
    assert "9999" not in err.message("vi") and "9999" not in repr(err.params)
    # Listing and preflight read the same state from the flags.
    (listed,) = [t for t in list_tokens(softhsm_world.module) if t.serial == serial]
    assert listed.pin_status is PinStatus.COUNT_LOW
    assert preflight(softhsm_world.module, token_serial=serial).pin_status is \
        PinStatus.COUNT_LOW
    # The right PIN signs with no acknowledgement, and the good login clears the flag.
    with open_signer(softhsm_world.module, pin=USER_PIN, token_serial=serial) as signer:
        assert verify_signature(signer.certificate, signer.sign(b"ok"), b"ok")
    assert preflight(softhsm_world.module, token_serial=serial).pin_status is PinStatus.OK


def test_two_signers_on_one_token_at_once(softhsm_world: World) -> None:
    serial = softhsm_world.serial("XYZ")
    first = open_signer(softhsm_world.module, pin=USER_PIN, token_serial=serial)
    second = open_signer(softhsm_world.module, pin=USER_PIN, token_serial=serial)
    try:
        assert verify_signature(first.certificate, first.sign(b"1"), b"1")
        assert verify_signature(second.certificate, second.sign(b"2"), b"2")
    finally:
        second.close()
        first.close()
