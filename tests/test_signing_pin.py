"""The PIN story, with fake tokens for the flags SoftHSM2 cannot produce (locked, final try)
and for a token pulled out mid-operation."""

from __future__ import annotations

import pytest
from pkcs11 import exceptions as X

from ibhxh_client.domain.messages import placeholders
from ibhxh_client.signing import errors as E
from ibhxh_client.signing.demo import DemoCA
from ibhxh_client.signing.messages import LANGS, MESSAGES
from ibhxh_client.signing.pin import (
    CKF_PROTECTED_AUTHENTICATION_PATH,
    CKF_USER_PIN_COUNT_LOW,
    CKF_USER_PIN_FINAL_TRY,
    CKF_USER_PIN_LOCKED,
    PinStatus,
    pin_message,
    pin_state,
    pin_status_from_flags,
)
from ibhxh_client.signing.signer import verify_signature
from ibhxh_client.signing.token import list_tokens, open_signer, preflight
from tests import pkcs11_fixtures as fx
from tests.pkcs11_fixtures import (
    FakeLib,
    FakeToken,
    fake_token,
)

unit_ca = fx.unit_ca  # the fixture, for pytest

PIN = "2468"
PATH = "C:\\Windows\\System32\\viettel-ca_v6.dll"


# --------------------------------------------------------------------------- wording

def test_every_status_has_a_sentence_in_both_languages() -> None:
    seen = {}
    for status in PinStatus:
        for lang in LANGS:
            text = pin_message(status, lang)
            assert text and text[0].isupper() and text.endswith(".")
            seen[(status, lang)] = text
    assert pin_message(PinStatus.LOCKED) == seen[(PinStatus.LOCKED, "vi")]  # vi by default
    assert len({seen[(s, "vi")] for s in PinStatus}) == len(PinStatus)
    assert "khóa" in pin_message(PinStatus.LOCKED, "vi")
    assert "final try" in pin_message(PinStatus.FINAL_TRY, "en")


def test_translations_use_the_same_placeholders() -> None:
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGS), key
        assert placeholders(texts["vi"]) == placeholders(texts["en"]), key


def test_flags_to_status() -> None:
    assert pin_status_from_flags(0) is PinStatus.OK
    assert pin_status_from_flags(CKF_USER_PIN_COUNT_LOW) is PinStatus.COUNT_LOW
    assert pin_status_from_flags(CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY) is \
        PinStatus.FINAL_TRY
    assert pin_status_from_flags(CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED) is \
        PinStatus.LOCKED
    assert PinStatus.COUNT_LOW.needs_warning and PinStatus.FINAL_TRY.needs_warning
    assert not PinStatus.OK.needs_warning and not PinStatus.LOCKED.needs_warning
    # Only the final try is worth a confirmation; a wrong PIN earlier is not.
    assert [s for s in PinStatus if s.needs_confirmation] == [PinStatus.FINAL_TRY]


def test_the_count_flags_are_worded_as_pkcs11_defines_them() -> None:
    """COUNT_LOW: a wrong PIN since the last good login, not "few tries left"; FINAL_TRY:
    the next wrong PIN locks. PKCS#11 gives no count, so no sentence names one."""
    low_vi, low_en = (pin_message(PinStatus.COUNT_LOW, lang) for lang in ("vi", "en"))
    assert "đã nhập sai PIN ít nhất một lần" in low_vi
    assert "at least once since the last successful login" in low_en
    assert "khóa" not in low_vi and "lock" not in low_en  # nothing about locking
    assert "ít" not in low_vi.replace("ít nhất", "") and "few" not in low_en
    final_vi, final_en = (pin_message(PinStatus.FINAL_TRY, lang) for lang in ("vi", "en"))
    assert "lần thử cuối cùng" in final_vi and "khóa" in final_vi
    assert "final try" in final_en and "lock" in final_en
    for text in (low_vi, low_en, final_vi, final_en):
        assert not any(ch.isdigit() for ch in text)
    # A token list says the same sentences; OK says the token reports no wrong PIN.
    assert pin_state(PinStatus.COUNT_LOW, "vi") == low_vi
    assert pin_state(PinStatus.FINAL_TRY, "en") == final_en
    assert pin_state(PinStatus.LOCKED) == pin_message(PinStatus.LOCKED)
    assert pin_state(PinStatus.OK, "vi") == "Token không báo lần nhập sai mã PIN nào."
    assert pin_state(PinStatus.OK, "en") == "The token reports no wrong PIN entry."


# --------------------------------------------------------------------------- before the PIN

def test_locked_pin_is_reported_without_sending_it(unit_ca: DemoCA) -> None:
    token, _, _ = fake_token(unit_ca, tries_left=0)
    lib = FakeLib(token)
    (info,) = list_tokens(PATH, loader=lib.loader)
    assert info.pin_status is PinStatus.LOCKED
    with pytest.raises(E.PinError) as err:
        preflight(PATH, loader=lib.loader)
    assert err.value.code == E.PIN_LOCKED and err.value.pin_status is PinStatus.LOCKED
    asked = []
    with pytest.raises(E.PinError) as err:
        open_signer(PATH, pin=lambda pf: asked.append(1) or PIN, loader=lib.loader)
    assert err.value.code == E.PIN_LOCKED
    assert asked == [] and token.login_attempts == 0
    assert pin_message(PinStatus.LOCKED, "vi") in err.value.message("vi")


def test_count_low_is_said_but_the_right_pin_goes_through_unconfirmed(unit_ca: DemoCA) -> None:
    """One typo earlier (COUNT_LOW): the PIN is sent without any acknowledgement."""
    token, _, _ = fake_token(unit_ca, tries_left=2)
    lib = FakeLib(token)
    pf = preflight(PATH, loader=lib.loader)
    assert pf.pin_status is PinStatus.COUNT_LOW
    with open_signer(PATH, pin=PIN, loader=lib.loader) as signer:
        assert verify_signature(signer.certificate, signer.sign(b"d"), b"d")
    assert token.login_attempts == 1
    assert preflight(PATH, loader=lib.loader).pin_status is PinStatus.OK  # counter reset
    # The callable form gets the status with the question, to say it.
    token.tries_left = 2
    statuses = []
    with open_signer(PATH, pin=lambda p: statuses.append(p.pin_status) or PIN,
                     loader=lib.loader) as signer:
        assert signer.sign(b"d")
    assert statuses == [PinStatus.COUNT_LOW] and token.login_attempts == 2


def test_final_try_is_not_sent_without_confirmation(unit_ca: DemoCA) -> None:
    token, _, _ = fake_token(unit_ca, tries_left=1)
    lib = FakeLib(token)
    pf = preflight(PATH, loader=lib.loader)
    assert pf.pin_status is PinStatus.FINAL_TRY
    # A PIN string without acknowledging the final try is not sent.
    for acknowledged in (PinStatus.OK, PinStatus.COUNT_LOW):
        with pytest.raises(E.PinError) as err:
            open_signer(PATH, pin=PIN, acknowledged=acknowledged, loader=lib.loader)
        assert err.value.code == E.PIN_NOT_CONFIRMED
        assert err.value.pin_status is PinStatus.FINAL_TRY
    assert err.value.message("vi") == (pin_message(PinStatus.FINAL_TRY, "vi") + " "
                                       "Mã PIN chưa được gửi; hãy xác nhận chắc chắn mã PIN "
                                       "đúng rồi thử lại.")
    assert token.login_attempts == 0 and token.tries_left == 1
    # The callable form gets the status with the question (the caller confirms there).
    statuses = []
    with open_signer(PATH, pin=lambda p: statuses.append(p.pin_status) or PIN,
                     loader=lib.loader) as signer:
        assert verify_signature(signer.certificate, signer.sign(b"d"), b"d")
    assert statuses == [PinStatus.FINAL_TRY]
    assert token.login_attempts == 1


def test_acknowledged_warning_lets_the_pin_through(unit_ca: DemoCA) -> None:
    token, _, _ = fake_token(unit_ca, tries_left=1)
    lib = FakeLib(token)
    pf = preflight(PATH, loader=lib.loader)
    with open_signer(PATH, pin=PIN, acknowledged=pf.pin_status, loader=lib.loader) as signer:
        assert signer.sign(b"x")
    assert token.tries_left == token.max_tries  # a good PIN resets the counter


# --------------------------------------------------------------------------- after a wrong PIN

def test_wrong_pins_walk_down_to_locked(unit_ca: DemoCA) -> None:
    token, _, _ = fake_token(unit_ca, max_tries=3)
    lib = FakeLib(token)
    with pytest.raises(E.PinError) as err:
        open_signer(PATH, pin="1111", loader=lib.loader)
    assert err.value.code == E.PIN_INCORRECT and err.value.tries_left is PinStatus.COUNT_LOW
    assert err.value.message("vi").startswith(
        pin_message(PinStatus.INCORRECT, "vi") + " " + pin_message(PinStatus.COUNT_LOW, "vi"))
    with pytest.raises(E.PinError) as err:  # COUNT_LOW: sent without acknowledgement
        open_signer(PATH, pin="1111", loader=lib.loader)
    assert err.value.code == E.PIN_INCORRECT and err.value.tries_left is PinStatus.FINAL_TRY
    assert pin_message(PinStatus.FINAL_TRY, "en") in err.value.message("en")
    with pytest.raises(E.PinError) as err:
        open_signer(PATH, pin="1111", acknowledged=PinStatus.FINAL_TRY, loader=lib.loader)
    assert err.value.code == E.PIN_LOCKED
    text = err.value.message("vi")
    assert pin_message(PinStatus.INCORRECT, "vi") in text
    assert pin_message(PinStatus.LOCKED, "vi") in text
    assert token.login_attempts == 3
    with pytest.raises(E.PinError) as err:
        open_signer(PATH, pin=PIN, acknowledged=PinStatus.FINAL_TRY, loader=lib.loader)
    assert err.value.code == E.PIN_LOCKED and token.login_attempts == 3


def test_first_wrong_pin_on_a_token_without_count_flags(unit_ca: DemoCA) -> None:
    token, _, _ = fake_token(unit_ca, max_tries=10)
    token.max_tries = 10

    class Quiet(FakeToken):
        pass

    token.__class__ = Quiet
    Quiet.flags = property(lambda self: FakeToken.flags.fget(self) & ~CKF_USER_PIN_COUNT_LOW)
    lib = FakeLib(token)
    with pytest.raises(E.PinError) as err:
        open_signer(PATH, pin="0000", loader=lib.loader)
    assert err.value.code == E.PIN_INCORRECT and err.value.tries_left is None
    assert err.value.message("en").startswith("The PIN is wrong. (PinIncorrect")


def test_pin_length_and_expired_pin(unit_ca: DemoCA) -> None:
    token, _, _ = fake_token(unit_ca)
    lib = FakeLib(token)
    token.open_error = X.PinLenRange()
    with pytest.raises(E.PinError) as err:
        open_signer(PATH, pin="1", loader=lib.loader)
    assert err.value.code == E.PIN_INCORRECT and "PinLenRange" in err.value.message("en")
    assert "độ dài" in err.value.message("vi")
    token.open_error = X.PinExpired()
    with pytest.raises(E.PinError) as err:
        open_signer(PATH, pin=PIN, loader=lib.loader)
    assert err.value.code == E.PIN_EXPIRED


def test_pin_pad_reader(unit_ca: DemoCA) -> None:
    token, _, _ = fake_token(unit_ca, extra_flags=CKF_PROTECTED_AUTHENTICATION_PATH)
    lib = FakeLib(token)
    (info,) = list_tokens(PATH, loader=lib.loader)
    assert info.protected_auth_path
    with open_signer(PATH, pin=None, loader=lib.loader) as signer:
        assert signer.sign(b"x")
    assert token.login_attempts == 1
    plain, _, _ = fake_token(unit_ca)
    with pytest.raises(E.PinError) as err:
        open_signer(PATH, pin=None, loader=FakeLib(plain).loader)
    assert err.value.code == E.PIN_CANCELLED


# --------------------------------------------------------------------------- the device

def test_token_pulled_out_mid_signing(unit_ca: DemoCA) -> None:
    token, _, key = fake_token(unit_ca)
    lib = FakeLib(token)
    signer = open_signer(PATH, pin=PIN, loader=lib.loader)
    assert signer.sign(b"first")
    key.fail = X.DeviceRemoved()
    token.removed = True
    with pytest.raises(E.TokenError) as err:
        signer.sign(b"second")
    assert err.value.code == E.TOKEN_REMOVED
    assert err.value.pin_status is PinStatus.DEVICE_ERROR
    assert "DeviceRemoved" in err.value.message("en") and PATH in err.value.message("en")
    assert "rút ra" in err.value.message("vi")
    signer.close()  # does not raise although the token is gone
    signer.close()


def test_token_pulled_out_before_login(unit_ca: DemoCA) -> None:
    token, _, _ = fake_token(unit_ca)
    lib = FakeLib(token)
    token.open_error = X.TokenNotPresent()
    with pytest.raises(E.TokenError) as err:
        open_signer(PATH, pin=PIN, loader=lib.loader)
    assert err.value.code == E.TOKEN_REMOVED


def test_device_error_names_the_original_error(unit_ca: DemoCA) -> None:
    token, _, key = fake_token(unit_ca)
    lib = FakeLib(token)
    with open_signer(PATH, pin=PIN, loader=lib.loader) as signer:
        key.fail = X.GeneralError()
        with pytest.raises(E.TokenError) as err:
            signer.sign(b"x")
    assert err.value.code == E.DEVICE_ERROR
    assert "GeneralError" in err.value.message("vi") and PATH in err.value.message("vi")


def test_rsa_token_without_sha256_mechanism_falls_back_to_raw_pkcs1(unit_ca: DemoCA) -> None:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
    from pkcs11 import Mechanism

    token, _, key = fake_token(unit_ca)

    def token_sign(data: bytes, *, mechanism, pin=None):
        if mechanism == Mechanism.SHA256_RSA_PKCS:
            raise X.MechanismInvalid()
        assert mechanism == Mechanism.RSA_PKCS and len(data) == 19 + 32
        return key.key.sign(data[19:], padding.PKCS1v15(), Prehashed(hashes.SHA256()))

    key.sign = token_sign
    with open_signer(PATH, pin=PIN, loader=FakeLib(token).loader) as signer:
        sig = signer.sign(b"du lieu")
        assert verify_signature(signer.certificate, sig, b"du lieu")
        assert verify_signature(signer.certificate, signer.sign(b"lan 2"), b"lan 2")


def test_always_authenticate_passes_the_pin_per_signature_and_drops_it(
        unit_ca: DemoCA) -> None:
    token = FakeToken("AUTH", "FAKEAUTH")
    from cryptography.hazmat.primitives.asymmetric import rsa

    k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = unit_ca.issue(k.public_key(), company_name="ABC", tax_code="0312345678")
    key = token.add(cert, k, b"\x07", always_authenticate=True)
    signer = open_signer(PATH, pin=PIN, loader=FakeLib(token).loader)
    signer.sign(b"1")
    signer.sign(b"2")
    assert [with_pin for _, with_pin in key.calls] == [True, True]
    signer.close()
    assert signer._pin is None


def test_pin_never_appears_in_errors_or_the_signer(unit_ca: DemoCA) -> None:
    secret = "97315"
    token, _, _ = fake_token(unit_ca, pin=secret)
    lib = FakeLib(token)
    with pytest.raises(E.PinError) as err:
        open_signer(PATH, pin="86420", loader=lib.loader)
    for text in (str(err.value), repr(err.value), err.value.message("vi"),
                 repr(err.value.params), str(err.value.detail)):
        assert "86420" not in text
    signer = open_signer(PATH, pin=secret, acknowledged=PinStatus.FINAL_TRY,
                         loader=lib.loader)
    assert secret not in repr(vars(signer))
    signer.close()


def test_several_fake_tokens_and_choice_by_serial(unit_ca: DemoCA) -> None:
    a, cert_a, _ = fake_token(unit_ca, "A", "SERIAL-A")
    b, _, _ = fake_token(unit_ca, "B", "SERIAL-B")
    lib = FakeLib(a, b)
    with pytest.raises(E.TokenError) as err:
        preflight(PATH, loader=lib.loader)
    assert err.value.code == E.SEVERAL_TOKENS
    assert "SERIAL-A" in err.value.message("vi") and "SERIAL-B" in err.value.message("vi")
    pf = preflight(PATH, token_serial="SERIAL-A", loader=lib.loader)
    assert pf.certificate.certificate == cert_a
    b.removed = True
    assert preflight(PATH, loader=lib.loader).token.serial == "SERIAL-A"


def test_already_logged_in_by_another_signer(unit_ca: DemoCA) -> None:
    token, _, _ = fake_token(unit_ca)
    token.open_error = X.UserAlreadyLoggedIn()
    token.app_logged_in = True
    with open_signer(PATH, pin=PIN, loader=FakeLib(token).loader) as signer:
        assert signer.sign(b"x")


def test_no_message_uses_a_reserved_parameter_name() -> None:
    reserved = {"key", "detail", "pin_status", "tries_left", "code"}
    for key, texts in MESSAGES.items():
        assert not placeholders(texts["vi"]) & reserved, key
