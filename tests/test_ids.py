"""Tests for ibhxh_client.domain.ids: identifier checks and their messages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ibhxh_client.domain import ids
from ibhxh_client.domain.ids import (
    CCCD_PROVINCES,
    KCB_PROVINCES_NEW,
    KCB_PROVINCES_OLD,
    MESSAGES,
    TAX_WEIGHTS,
    cccd_birth,
    cccd_birth_digits,
    cccd_for,
    check_agency_code,
    check_bhxh,
    check_bhyt_card,
    check_cccd,
    check_cmnd,
    check_email,
    check_kcb,
    check_phone,
    check_tax_code,
    check_unit_code,
    describe,
    make_tax_code,
    tax_check_digit,
)

SETTINGS = settings(max_examples=200, deadline=None)

ALL_CHECKS = {
    "bhxh": check_bhxh, "cccd": check_cccd, "cmnd": check_cmnd, "tax_code": check_tax_code,
    "bhyt_card": check_bhyt_card, "kcb": check_kcb, "unit_code": check_unit_code,
    "agency_code": check_agency_code, "phone": check_phone, "email": check_email,
}

digits9 = st.text(alphabet="0123456789", min_size=9, max_size=9)
valid_first9 = digits9.filter(lambda d: tax_check_digit(d) is not None)


def other_digits(d: str) -> list[str]:
    return [c for c in "0123456789" if c != d]


# --- fixed-length numbers ---------------------------------------------------------------


@pytest.mark.parametrize(("check", "good", "length"), [
    (check_bhxh, "0123456789", 10),
    (check_cmnd, "012345678", 9),
    (check_agency_code, "07906", 5),
])
def test_fixed_digits(check, good, length):
    assert check(good) is None
    assert check(good[:-1]) == "length"
    assert check(good + "1") == "length"
    assert check("") == "length"
    assert check(good[:-1] + "a") == "digits"
    assert check(" " + good[1:]) == "digits"
    assert check(good + " ") == "digits"  # nothing is stripped
    assert check(good[:2] + " " + good[3:]) == "digits"
    assert check("\uff10" * length) == "digits"  # full-width digits are not ASCII
    assert check("\u0661" * length) == "digits"  # nor are Arabic-Indic ones


def test_agency_code_starts_with_a_province_code():
    # 07906: 079 TP. Hồ Chí Minh; 08907: 089 An Giang; 00101: 001 Hà Nội.
    for good in ("07906", "08907", "00101", "09600"):
        assert check_agency_code(good) is None, good
    for bad in ("99999", "10001", "00301", "09706", "00000", "79060"):
        assert check_agency_code(bad) == "province", bad
    assert describe("province", "agency_code").startswith("Ba số đầu của mã cơ quan BHXH")


# --- CCCD -------------------------------------------------------------------------------


def test_cccd_examples():
    # 079 Hồ Chí Minh, 2 = male born in the 2000s, 01 = 2001.
    assert check_cccd("079201001234") is None
    assert check_cccd("079201001234", birth_year=2001, gender="M") is None
    assert check_cccd("079201001234", birth_year=2001, gender="F") == "gender"
    assert check_cccd("079201001234", birth_year=1901, gender="M") == "century"
    assert check_cccd("079201001234", birth_year=2002, gender="M") == "birth_year"
    # 001 Hà Nội, 1 = female born in the 1900s, 85 = 1985.
    assert check_cccd("001185012345", birth_year=1985, gender="F") is None
    assert check_cccd("003185012345") == "province"
    assert check_cccd("097185012345") == "province"
    assert check_cccd("00118501234") == "length"
    assert check_cccd("00118501234X") == "digits"
    # A gender the caller could not read is not compared.
    assert check_cccd("001185012345", gender="Nữ") is None


def test_cccd_centuries():
    for digit, (year, gender) in {"0": (1950, "M"), "1": (1950, "F"), "2": (2010, "M"),
                                  "3": (2010, "F"), "4": (2150, "M"), "5": (2150, "F"),
                                  "6": (2250, "M"), "7": (2250, "F"), "8": (2350, "M"),
                                  "9": (2350, "F")}.items():
        number = f"001{digit}{year % 100:02d}000001"
        assert check_cccd(number, birth_year=year, gender=gender) is None
        assert cccd_for("001", gender, year, 1) == number
        assert cccd_birth(number[3:6]) == (gender, year)


@pytest.mark.parametrize("digit", ["8", "9"])
def test_cccd_century_digit_8_or_9_is_the_2300s(digit):
    # As the public validators read it: 8/9 are born 2300–2399, so such a number agrees
    # with no real birth date (it used to be read as the 1800s).
    number = f"079{digit}85000001"
    gender = "M" if digit == "8" else "F"
    assert check_cccd(number) is None  # well formed on its own
    assert cccd_birth(number[3:6]) == (gender, 2385)
    for year in (1885, 1985, 2085):
        assert check_cccd(number, birth_year=year, gender=gender) == "century"
    assert describe("century", "cccd").startswith("Chữ số thứ 4 của số CCCD")
    assert "2300–2399" in describe("century", "cccd")
    assert cccd_birth_digits(1885, gender) is None  # no digit codes the 1800s any more
    with pytest.raises(ValueError):
        cccd_for("079", gender, 1885, 1)


cccds = st.builds(
    lambda p, g, y, s: (cccd_for(p, g, y, s), g, y),
    st.sampled_from(sorted(CCCD_PROVINCES)),
    st.sampled_from(["M", "F"]),
    st.integers(min_value=1900, max_value=2399),
    st.integers(min_value=0, max_value=999_999),
)


@SETTINGS
@given(cccds)
def test_generated_cccd_valid(made):
    number, gender, year = made
    assert len(number) == 12 and number.isdigit()
    assert check_cccd(number) is None
    assert check_cccd(number, birth_year=year, gender=gender) is None
    # What digits 4–6 say is what the number was made from (the importer's column check
    # compares them with the row's gender and birth year).
    assert cccd_birth(number[3:6]) == (gender, year)


def test_cccd_birth_of_what_is_not_three_digits():
    assert cccd_birth("") is None and cccd_birth("09") is None and cccd_birth("0a0") is None


@SETTINGS
@given(cccds, st.integers(min_value=0, max_value=11))
def test_cccd_single_digit_change(made, pos):
    number, gender, year = made
    for d in other_digits(number[pos]):
        changed = number[:pos] + d + number[pos + 1:]
        result = check_cccd(changed, birth_year=year, gender=gender)
        if pos < 3:  # province: caught unless the new code is also a province
            assert (result is None) == (changed[:3] in CCCD_PROVINCES)
            if result is not None:
                assert result == "province"
        elif pos == 3:  # century and gender: always caught
            assert result in ("century", "gender")
        elif pos < 6:  # year: always caught
            assert result == "birth_year"
        else:  # serial: not checkable
            assert result is None


def test_cccd_for_refuses_bad_input():
    with pytest.raises(ValueError):
        cccd_for("003", "M", 1990, 1)
    with pytest.raises(ValueError):
        cccd_for("001", "X", 1990, 1)
    with pytest.raises(ValueError):
        cccd_for("001", "M", 1899, 1)
    with pytest.raises(ValueError):
        cccd_for("001", "M", 2400, 1)
    with pytest.raises(ValueError):
        cccd_for("001", "M", 1990, 1_000_000)


def test_cccd_province_list():
    assert len(CCCD_PROVINCES) == 63
    assert all(len(p) == 3 and p.isdigit() for p in CCCD_PROVINCES)


# --- tax code ---------------------------------------------------------------------------


def test_tax_check_digit_by_hand():
    # 0·31 + 3·29 + 1·23 + 2·19 + 3·17 + 4·13 + 5·7 + 6·5 + 7·3 = 337; 337 mod 11 = 7.
    assert tax_check_digit("031234567") == 3
    assert check_tax_code("0312345673") is None
    assert check_tax_code("0312345678") == "check_digit"  # the DOMAIN.md sample is not valid
    # 010000000: 1·29 = 29; 29 mod 11 = 7, so 3.
    assert tax_check_digit("010000000") == 3
    # All zeros: remainder 0 would need a check digit of 10.
    assert tax_check_digit("000000000") is None
    with pytest.raises(ValueError):
        make_tax_code("000000000")
    with pytest.raises(ValueError):
        tax_check_digit("12345678")


def test_tax_code_shapes():
    assert check_tax_code("0312345673-001") is None
    assert check_tax_code("0312345673-999") is None
    assert check_tax_code("0312345673-000") == "branch"
    assert check_tax_code("0312345678-001") == "check_digit"
    assert check_tax_code("0312345673001") == "format"  # the dash is required
    assert check_tax_code("031234567-3001") == "format"
    assert check_tax_code("0312345673-01") == "length"
    assert check_tax_code("031234567") == "length"
    assert check_tax_code("") == "length"
    assert check_tax_code("0312345673 ") == "digits"
    assert check_tax_code("031234567A") == "digits"
    assert check_tax_code("0312345673–001") == "digits"  # an en dash is not a dash


@SETTINGS
@given(valid_first9)
def test_make_tax_code_valid(first9):
    code = make_tax_code(first9)
    assert len(code) == 10 and code.startswith(first9)
    assert check_tax_code(code) is None
    assert check_tax_code(code + "-001") is None
    for d in other_digits(code[-1]):
        assert check_tax_code(code[:-1] + d) == "check_digit"


@SETTINGS
@given(valid_first9, st.integers(min_value=0, max_value=9))
def test_tax_code_single_digit_change_caught(first9, pos):
    # Every weight is non-zero mod 11, so changing any one digit changes the check digit.
    code = make_tax_code(first9)
    for d in other_digits(code[pos]):
        assert check_tax_code(code[:pos] + d + code[pos + 1:]) == "check_digit"


@SETTINGS
@given(digits9)
def test_tax_check_digit_formula(first9):
    remainder = sum(int(d) * w for d, w in zip(first9, TAX_WEIGHTS, strict=True)) % 11
    digit = tax_check_digit(first9)
    assert digit == (None if remainder == 0 else 10 - remainder)


# --- BHYT card, KCB ---------------------------------------------------------------------


def test_bhyt_card():
    card = "DN4790123456789"
    assert check_bhyt_card(card) is None
    assert check_bhyt_card(card, bhxh="0123456789") is None
    assert check_bhyt_card(card, bhxh="0123456788") == "bhxh_mismatch"
    assert check_bhyt_card("dn4790123456789") == "format"
    assert check_bhyt_card("D14790123456789") == "format"
    assert check_bhyt_card("ĐN4790123456789") == "format"
    assert check_bhyt_card("DN479012345678") == "length"
    assert check_bhyt_card("DN47901234567X9") == "digits"
    assert check_bhyt_card("DN479 123456789") == "digits"


@SETTINGS
@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2),
       st.text(alphabet="0123456789", min_size=3, max_size=3),
       st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_bhyt_card_ends_in_bhxh(letters, middle, bhxh):
    card = letters + middle + bhxh
    assert check_bhyt_card(card, bhxh=bhxh) is None
    assert check_bhxh(card[-10:]) is None


def test_kcb():
    assert check_kcb("79024") is None
    assert check_kcb("01001") is None
    assert check_kcb("02001") is None  # Hà Giang, one of the 63 old provinces
    assert check_kcb("03001") == "province"
    assert check_kcb("99001") == "province"
    assert check_kcb("7902") == "length"
    assert check_kcb("7902A") == "digits"


def test_kcb_province_lists():
    assert len(KCB_PROVINCES_NEW) == 34
    assert len(KCB_PROVINCES_OLD) == 63
    assert {p[1:] for p in CCCD_PROVINCES} == KCB_PROVINCES_OLD


# --- unit code, phone, email ------------------------------------------------------------


@pytest.mark.parametrize(("value", "code"), [
    ("TZH490L", None), ("ABC", None), ("0123456789", None), ("YN0001A", None),
    ("AB", "length"), ("ABCDEFGHIJK", "length"), ("", "length"),
    ("tzh490l", "format"), ("TZH 490", "format"), ("TZH-490", "format"), ("ĐH490", "format"),
])
def test_unit_code(value, code):
    assert check_unit_code(value) == code


@pytest.mark.parametrize(("value", "code"), [
    ("0912345678", None), ("0281234567", None), ("0387654321", None),
    ("+84912345678", None), ("+84281234567", None),
    ("091 234 5678", "digits"), ("091.234.5678", "digits"), ("+84 912345678", "digits"),
    ("0912345678 ", "digits"), ("", "length"),
    ("912345678", "length"), ("09123456789", "length"), ("+8491234567", "length"),
    ("+840912345678", "length"),
    ("1912345678", "format"), ("0012345678", "format"), ("0112345678", "format"),
    ("+84112345678", "format"),
])
def test_phone(value, code):
    assert check_phone(value) == code


@pytest.mark.parametrize(("value", "ok"), [
    ("a@b.vn", True), ("ke.toan@congty.com.vn", True), ("hr+bhxh@cong-ty.vn", True),
    ("a b@c.vn", False), ("a@b", False), ("@b.vn", False), ("a@", False), ("a@@b.vn", False),
    ("a..b@c.vn", False), (".a@c.vn", False), ("a@-b.vn", False), ("a@b..vn", False),
    ("a@b.vn ", False), ("nguyễn@b.vn", False), ("", False), ("x" * 65 + "@b.vn", False),
])
def test_email(value, ok):
    assert (check_email(value) is None) == ok
    if not ok:
        assert check_email(value) == "format"


# --- messages ---------------------------------------------------------------------------


@SETTINGS
@given(st.text(max_size=20))
def test_checks_never_fail_and_codes_have_messages(value):
    for check in ALL_CHECKS.values():
        code = check(value)
        assert code is None or code in MESSAGES


def test_checks_refuse_non_strings():
    for check in ALL_CHECKS.values():
        assert check(None) == "format"  # type: ignore[arg-type]
        assert check(12345) == "format"  # type: ignore[arg-type]


def test_messages_complete():
    for key, entry in MESSAGES.items():
        assert set(entry) == {"vi", "en"}, key
        assert entry["vi"].endswith(".") and entry["en"].endswith("."), key
        assert not entry["vi"].isascii(), key  # written with Vietnamese diacritics
        if "." in key:
            kind, code = key.split(".", 1)
            assert kind in ALL_CHECKS, key
            assert code in MESSAGES, key  # a generic message exists as a fall-back


def test_describe():
    assert describe("length", "bhxh") == "Mã số BHXH phải gồm đúng 10 chữ số."
    assert describe("length", "cccd", "en") == "The citizen ID number must have exactly 12 digits."
    assert describe("gender", "cccd") == MESSAGES["gender"]["vi"]
    assert describe("length") == MESSAGES["length"]["vi"]
    assert describe("length", "bhxh", "fr") == describe("length", "bhxh")
    assert describe("no_such_code") == "no_such_code"


def test_module_exports():
    for name in ids.__all__:
        assert hasattr(ids, name), name


def test_one_of_matches_exactly_its_codes():
    import re

    from ibhxh_client.domain.ids import one_of

    pattern = re.compile(one_of(CCCD_PROVINCES))
    assert {f"{n:03d}" for n in range(1000) if pattern.fullmatch(f"{n:03d}")} == \
        set(CCCD_PROVINCES)
    assert re.fullmatch(one_of(["7"]), "7") and not re.fullmatch(one_of(["ab", "ac"]), "ad")


# --- leading zeros a spreadsheet dropped ------------------------------------------------


@pytest.mark.parametrize(("kind", "digits", "restored"), [
    ("bhxh", "123456789", "0123456789"),
    ("bhxh", "7912345678", None),  # not short: nothing to restore
    ("bhxh", "12345678", None),  # would start 00: no BHXH number does
    ("bhxh", "12345", None),  # not "0000012345"
    ("bhxh", "012345678", None),  # a number's digits never start with 0
    ("cccd", "79201001234", "079201001234"),
    ("cccd", "1185012345", "001185012345"),  # Hà Nội 001: both zeros were dropped
    ("cccd", "97185012345", None),  # 097 is no province
    ("cccd", "3185012345", None),  # nor is 003
    ("cccd", "190000042", None),  # 000…: three zeros, never a CCCD
    ("cmnd", "12345678", "012345678"),
    ("cmnd", "1234567", None),
    ("tax_code", "312345673", "0312345673"),
    ("tax_code", "312345678", None),  # the check digit does not hold with the zero back
    ("tax_code", "10000003", None),  # 0010000003: two zeros, none issued
    ("kcb", "1001", "01001"),
    ("kcb", "3001", None),  # 03 is no province
    ("kcb", "999", None),
    ("phone", "912345678", "0912345678"),
    ("phone", "12345678", None),
    ("agency_code", "7906", "07906"),
    ("agency_code", "101", "00101"),  # Hà Nội 001
    ("agency_code", "9906", None),  # 099 is no province
    ("agency_code", "99", None),
    ("email", "1", None),  # not an identifier that is ever a number
])
def test_restore_zeros(kind, digits, restored):
    assert ids.restore_zeros(kind, digits) == restored


def valid_identifiers(kind):
    """Valid values of ``kind`` that start with a zero."""
    if kind == "cccd":
        return cccds.map(lambda made: made[0]).filter(lambda v: v[0] == "0")
    if kind == "tax_code":
        return valid_first9.filter(lambda d: d[0] == "0" and d[1] != "0").map(make_tax_code)
    if kind == "agency_code":
        return st.builds(lambda p, n: f"{p}{n:02d}", st.sampled_from(sorted(CCCD_PROVINCES)),
                         st.integers(0, 99))
    if kind == "kcb":
        return st.builds(lambda p, n: f"{p}{n:03d}",
                         st.sampled_from(sorted(p for p in KCB_PROVINCES_OLD if p[0] == "0")),
                         st.integers(0, 999))
    if kind == "phone":
        return st.builds(lambda d, n: f"0{d}{n:08d}", st.sampled_from("23456789"),
                         st.integers(0, 99_999_999))
    length = ids.ZEROS_LOST[kind][0]
    return st.builds(lambda first, rest: "0" + first + rest, st.sampled_from("123456789"),
                     st.text(alphabet="0123456789", min_size=length - 2, max_size=length - 2))


@SETTINGS
@given(st.data())
def test_a_number_that_lost_its_zeros_gets_them_back(data):
    kind = data.draw(st.sampled_from(sorted(ids.ZEROS_LOST)))
    value = data.draw(valid_identifiers(kind))
    assert ALL_CHECKS[kind](value) is None
    assert ids.restore_zeros(kind, str(int(value))) == value


@SETTINGS
@given(st.data())
def test_zeros_are_never_invented(data):
    # Digits a few short of the identifier's length: what comes back is those digits
    # after no more zeros than the identifier can start with, and passes its check.
    kind = data.draw(st.sampled_from(sorted(ids.ZEROS_LOST)))
    length, most = ids.ZEROS_LOST[kind]
    size = data.draw(st.integers(1, length))
    digits = str(data.draw(st.integers(10 ** (size - 1), 10**size - 1)))
    restored = ids.restore_zeros(kind, digits)
    if length - len(digits) > most or len(digits) == length:
        assert restored is None
    if restored is not None:
        assert len(restored) == length and restored.lstrip("0") == digits
        assert ALL_CHECKS[kind](restored) is None
