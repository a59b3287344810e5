"""Checks for the identifiers on the declarations (DOMAIN.md section 4).

Every ``check_*`` function returns None for a valid value, or a short error code that the
caller turns into a sentence through ``MESSAGES`` (or ``describe``, which knows which
identifier was checked). Nothing is stripped or upper-cased here: the caller passes the
cleaned string, and a value with a space in it is an error ("digits").

Province code lists are data at the top of the module so they are easy to correct (a test
holds them to forms/codelists/provinces*.csv).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from .messages import word

__all__ = [
    "CCCD_CENTURY",
    "CCCD_PROVINCES",
    "KCB_PROVINCES",
    "KCB_PROVINCES_NEW",
    "KCB_PROVINCES_OLD",
    "MESSAGES",
    "SHAPES",
    "TAX_WEIGHTS",
    "ZEROS_LOST",
    "cccd_birth_digits",
    "cccd_for",
    "check_agency_code",
    "check_bhxh",
    "check_bhyt_card",
    "check_cccd",
    "check_cmnd",
    "check_email",
    "check_kcb",
    "check_phone",
    "check_tax_code",
    "check_unit_code",
    "describe",
    "make_tax_code",
    "one_of",
    "restore_zeros",
    "tax_check_digit",
]

# Digits 1–3 of a CCCD: the province where the citizen's birth was registered (the 63
# provinces before 1 Jul 2025).
CCCD_PROVINCES: frozenset[str] = frozenset("""
    001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033
    034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066
    067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096
""".split())

# Digit 4 of a CCCD: (first year of the century, gender). Even digits male, odd female.
# 8 and 9 are the 2300s, as the public validators read them (not the 1800s: nobody alive
# was born then), so a CCCD with 8 or 9 there agrees with no real birth date.
CCCD_CENTURY: dict[str, tuple[int, str]] = {
    "0": (1900, "M"), "1": (1900, "F"),
    "2": (2000, "M"), "3": (2000, "F"),
    "4": (2100, "M"), "5": (2100, "F"),
    "6": (2200, "M"), "7": (2200, "F"),
    "8": (2300, "M"), "9": (2300, "F"),
}

# First two digits of an initial clinic (KCB) code: the 34 provinces since 1 Jul 2025 and
# the 63 before (old cards are still in use).
KCB_PROVINCES_NEW: frozenset[str] = frozenset("""
    01 04 08 11 12 14 15 19 20 22 24 25 31 33 37 38 40 42 44 46 48 51 52 56 66 68 75 79
    80 82 86 91 92 96
""".split())
KCB_PROVINCES_OLD: frozenset[str] = frozenset("""
    01 02 04 06 08 10 11 12 14 15 17 19 20 22 24 25 26 27 30 31 33 34 35 36 37 38 40 42
    44 45 46 48 49 51 52 54 56 58 60 62 64 66 67 68 70 72 74 75 77 79 80 82 83 84 86 87
    89 91 92 93 94 95 96
""".split())
KCB_PROVINCES: frozenset[str] = KCB_PROVINCES_NEW | KCB_PROVINCES_OLD

# Tax code check digit weights over digits 1–9 [seen].
TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)

# An identifier typed into a spreadsheet as a number loses its leading zeros, and no
# more than its first digits can hold: (its length, how many zeros it can have lost).
# The province code it starts with decides that: 2 digits 01–96 (BHXH number [check],
# CMND, tax code, KCB code) can lose one zero; 3 digits 001–096 (CCCD; an agency code,
# 0 and the province's 2 digits) can lose two (001 Hà Nội …) and the province check then
# says whether they really were zeros; a phone number's 0 comes before a 2–9.
ZEROS_LOST: dict[str, tuple[int, int]] = {
    "bhxh": (10, 1),
    "cccd": (12, 2),
    "cmnd": (9, 1),
    "tax_code": (10, 1),
    "kcb": (5, 1),
    "phone": (10, 1),
    "agency_code": (5, 2),
}

# Generic sentences, one per code: what a caller that only knows the code shows.
MESSAGES: dict[str, dict[str, str]] = {
    "digits": {
        "vi": "Chỉ được gồm các chữ số, không có khoảng trắng hay ký tự khác.",
        "en": "Only digits are allowed, with no spaces or other characters.",
    },
    "length": {
        "vi": "Số ký tự không đúng với loại mã số này.",
        "en": "The number of characters is wrong for this kind of number.",
    },
    "format": {
        "vi": "Không đúng định dạng.",
        "en": "The format is not valid.",
    },
    "check_digit": {
        "vi": "Chữ số kiểm tra không khớp, có thể mã số bị gõ nhầm.",
        "en": "The check digit does not match; the number was probably mistyped.",
    },
    "province": {
        "vi": "Mã tỉnh, thành phố ở đầu mã số không hợp lệ.",
        "en": "The province code at the start of the number is not valid.",
    },
    "century": {
        "vi": "Chữ số thứ 4 của số CCCD (thế kỷ sinh) không khớp với năm sinh.",
        "en": "The 4th digit of the citizen ID (century of birth) does not match the "
              "year of birth.",
    },
    "birth_year": {
        "vi": "Chữ số thứ 5 và 6 của số CCCD không khớp với năm sinh.",
        "en": "The 5th and 6th digits of the citizen ID do not match the year of birth.",
    },
    "gender": {
        "vi": "Chữ số thứ 4 của số CCCD không khớp với giới tính.",
        "en": "The 4th digit of the citizen ID does not match the gender.",
    },
    "branch": {
        "vi": "Ba số cuối của mã số thuế chi nhánh phải từ 001 đến 999.",
        "en": "The last three digits of a branch tax code must be 001 to 999.",
    },
    "bhxh_mismatch": {
        "vi": "10 số cuối của mã thẻ BHYT không trùng với mã số BHXH.",
        "en": "The last 10 digits of the health insurance card are not the social "
              "insurance number.",
    },
}

# Sentences for one identifier and code, keyed "kind.code"; ``describe`` prefers them.
# The kinds are the names the form definitions use for identifier checks.
MESSAGES.update({
    "bhxh.digits": {
        "vi": "Mã số BHXH chỉ được gồm chữ số.",
        "en": "The social insurance number may contain digits only.",
    },
    "bhxh.length": {
        "vi": "Mã số BHXH phải gồm đúng 10 chữ số.",
        "en": "The social insurance number must have exactly 10 digits.",
    },
    "cccd.digits": {
        "vi": "Số CCCD chỉ được gồm chữ số.",
        "en": "The citizen ID number may contain digits only.",
    },
    "cccd.length": {
        "vi": "Số CCCD phải gồm đúng 12 chữ số.",
        "en": "The citizen ID number must have exactly 12 digits.",
    },
    "cccd.province": {
        "vi": "Ba số đầu của số CCCD không phải là mã tỉnh, thành phố hợp lệ.",
        "en": "The first three digits of the citizen ID are not a valid province code.",
    },
    "cccd.century": {
        "vi": "Chữ số thứ 4 của số CCCD (thế kỷ sinh: 0, 1 là 1900–1999; 2, 3 là "
              "2000–2099 …; 8, 9 là 2300–2399) không khớp với năm sinh.",
        "en": "The 4th digit of the citizen ID (century of birth: 0, 1 for 1900–1999; 2, 3 "
              "for 2000–2099 …; 8, 9 for 2300–2399) does not match the year of birth.",
    },
    "cmnd.digits": {
        "vi": "Số CMND chỉ được gồm chữ số.",
        "en": "The old ID card number may contain digits only.",
    },
    "cmnd.length": {
        "vi": "Số CMND phải gồm đúng 9 chữ số.",
        "en": "The old ID card number must have exactly 9 digits.",
    },
    "tax_code.digits": {
        "vi": "Mã số thuế chỉ được gồm chữ số (chi nhánh: 10 số, dấu gạch ngang, 3 số).",
        "en": "The tax code may contain digits only (branch: 10 digits, a dash, 3 digits).",
    },
    "tax_code.length": {
        "vi": "Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số "
              "đối với chi nhánh.",
        "en": "The tax code must have 10 digits, or 10 digits, a dash and 3 digits for a "
              "branch.",
    },
    "tax_code.format": {
        "vi": "Mã số thuế chi nhánh phải viết dạng 0123456789-001 (có dấu gạch ngang).",
        "en": "A branch tax code must be written like 0123456789-001 (with the dash).",
    },
    "tax_code.check_digit": {
        "vi": "Mã số thuế không hợp lệ: chữ số kiểm tra (số thứ 10) không khớp.",
        "en": "The tax code is not valid: the check digit (10th digit) does not match.",
    },
    "bhyt_card.length": {
        "vi": "Mã thẻ BHYT phải gồm 15 ký tự: 2 chữ cái in hoa và 13 chữ số.",
        "en": "The health insurance card number must have 15 characters: 2 capital "
              "letters and 13 digits.",
    },
    "bhyt_card.format": {
        "vi": "Mã thẻ BHYT phải bắt đầu bằng 2 chữ cái in hoa.",
        "en": "The health insurance card number must start with 2 capital letters.",
    },
    "bhyt_card.digits": {
        "vi": "13 ký tự cuối của mã thẻ BHYT phải là chữ số.",
        "en": "The last 13 characters of the health insurance card must be digits.",
    },
    "kcb.digits": {
        "vi": "Mã nơi đăng ký KCB ban đầu chỉ được gồm chữ số.",
        "en": "The initial clinic code may contain digits only.",
    },
    "kcb.length": {
        "vi": "Mã nơi đăng ký KCB ban đầu phải gồm đúng 5 chữ số.",
        "en": "The initial clinic code must have exactly 5 digits.",
    },
    "kcb.province": {
        "vi": "Hai số đầu của mã nơi KCB ban đầu không phải là mã tỉnh, thành phố.",
        "en": "The first two digits of the initial clinic code are not a province code.",
    },
    "unit_code.length": {
        "vi": "Mã đơn vị phải gồm từ 3 đến 10 ký tự.",
        "en": "The unit code must have 3 to 10 characters.",
    },
    "unit_code.format": {
        "vi": "Mã đơn vị chỉ gồm chữ cái in hoa không dấu và chữ số, ví dụ TZH490L.",
        "en": "The unit code has only capital letters A–Z and digits, e.g. TZH490L.",
    },
    "agency_code.digits": {
        "vi": "Mã cơ quan BHXH chỉ được gồm chữ số.",
        "en": "The social security agency code may contain digits only.",
    },
    "agency_code.length": {
        "vi": "Mã cơ quan BHXH phải gồm đúng 5 chữ số, ví dụ 07906.",
        "en": "The social security agency code must have exactly 5 digits, e.g. 07906.",
    },
    "agency_code.province": {
        "vi": "Ba số đầu của mã cơ quan BHXH phải là mã tỉnh, thành phố (ví dụ 079 của "
              "07906 là TP. Hồ Chí Minh).",
        "en": "The first three digits of the social security agency code must be a "
              "province code (e.g. 079 of 07906 is Ho Chi Minh City).",
    },
    "phone.digits": {
        "vi": "Số điện thoại chỉ được gồm chữ số (có thể bắt đầu bằng +84), không có "
              "khoảng trắng hay dấu chấm.",
        "en": "The phone number may contain digits only (it may start with +84), with no "
              "spaces or dots.",
    },
    "phone.length": {
        "vi": "Số điện thoại phải gồm 10 chữ số bắt đầu bằng 0, hoặc +84 và 9 chữ số.",
        "en": "The phone number must be 10 digits starting with 0, or +84 and 9 digits.",
    },
    "phone.format": {
        "vi": "Số điện thoại không hợp lệ: phải bắt đầu bằng 0 (hoặc +84) rồi đến một "
              "chữ số từ 2 đến 9.",
        "en": "The phone number is not valid: it must start with 0 (or +84) followed by a "
              "digit from 2 to 9.",
    },
    "email.format": {
        "vi": "Địa chỉ email không hợp lệ.",
        "en": "The email address is not valid.",
    },
})


def describe(code: str, kind: str | None = None, lang: str = "vi") -> str:
    """The sentence for an error code, specific to the identifier kind when known.

    The same code ("length") means 10 digits for a BHXH number and 12 for a CCCD, so a
    caller that knows which check it ran should pass ``kind`` ("bhxh", "cccd", …).
    """
    specific = f"{kind}.{code}"
    return word(MESSAGES, specific if kind and specific in MESSAGES else code, lang)


def _digits(s: object, length: int) -> str | None:
    """The common check for a fixed number of ASCII digits."""
    if not isinstance(s, str):
        return "format"
    if s and not (s.isascii() and s.isdigit()):
        return "digits"
    if len(s) != length:
        return "length"
    return None


def check_bhxh(s: str) -> str | None:
    """A person's social insurance number (mã số BHXH): exactly 10 digits."""
    return _digits(s, 10)


def check_cmnd(s: str) -> str | None:
    """An old identity card number (CMND): exactly 9 digits."""
    return _digits(s, 9)


def check_agency_code(s: str) -> str | None:
    """A social security agency code: 5 digits, the first three the province code of a
    CCCD (0 and the province's 2 digits), e.g. 07906 in TP. Hồ Chí Minh (079).

    No list of the agencies themselves is published as data, so the last two digits are
    not checked."""
    error = _digits(s, 5)
    if error:
        return error
    if s[:3] not in CCCD_PROVINCES:
        return "province"
    return None


def check_cccd(
    s: str, *, birth_year: int | None = None, gender: str | None = None
) -> str | None:
    """A citizen ID (CCCD / personal identification number): 12 digits.

    Digits 1–3 are the province of birth registration, digit 4 the century of birth and
    gender, digits 5–6 the last two digits of the birth year. With ``birth_year`` and
    ``gender`` ("M" or "F") the number must agree with them; a gender other than M/F is
    not compared (the gender field's own check reports it).
    """
    error = _digits(s, 12)
    if error:
        return error
    if s[:3] not in CCCD_PROVINCES:
        return "province"
    century, coded_gender = CCCD_CENTURY[s[3]]
    if birth_year is not None:
        if not century <= birth_year < century + 100:
            return "century"
        if s[4:6] != f"{birth_year % 100:02d}":
            return "birth_year"
    if gender in ("M", "F") and gender != coded_gender:
        return "gender"
    return None


def cccd_birth_digits(birth_year: int, gender: str) -> str | None:
    """Digits 4–6 of the CCCD of a person born in ``birth_year`` (1900–2399) with
    ``gender`` "M" or "F": the century-and-gender digit and the year's last two digits;
    None when no digit codes them."""
    for digit, (century, coded_gender) in CCCD_CENTURY.items():
        if coded_gender == gender and century <= birth_year < century + 100:
            return f"{digit}{birth_year % 100:02d}"
    return None


def cccd_birth(digits: str) -> tuple[str, int] | None:
    """The gender ("M" or "F") and birth year that digits 4–6 of a CCCD stand for
    ("090" → ("M", 1990)); None when they are not three digits."""
    if len(digits) != 3 or not (digits.isascii() and digits.isdigit()):
        return None
    century, gender = CCCD_CENTURY[digits[0]]
    return gender, century + int(digits[1:])


def cccd_for(province: str, gender: str, birth_year: int, serial: int) -> str:
    """Make a well-formed CCCD, for demo data and tests.

    ``province`` is a 3-digit code from ``CCCD_PROVINCES``, ``gender`` "M" or "F",
    ``birth_year`` 1900–2399, ``serial`` 0–999999 (the last six digits).
    """
    if province not in CCCD_PROVINCES:
        raise ValueError(f"not a CCCD province code: {province!r}")
    if gender not in ("M", "F"):
        raise ValueError(f"gender must be 'M' or 'F', not {gender!r}")
    if not 0 <= serial <= 999_999:
        raise ValueError(f"serial out of range: {serial}")
    digits = cccd_birth_digits(birth_year, gender)
    if digits is None:
        raise ValueError(f"birth year out of range: {birth_year}")
    return f"{province}{digits}{serial:06d}"


def one_of(codes: Iterable[str]) -> str:
    """A regular expression for exactly these codes (non-empty, of one length), written
    as a tree of their prefixes so that a match looks at each character once."""
    codes = set(codes)
    if all(len(c) == 1 for c in codes):
        return "[" + "".join(re.escape(c) for c in sorted(codes)) + "]"
    after: dict[str, set[str]] = {}
    for code in codes:
        after.setdefault(code[0], set()).add(code[1:])
    parts = [re.escape(first) + one_of(rest) for first, rest in sorted(after.items())]
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


# A regular expression per identifier whose every match its check accepts (a test holds
# them to it): what a column of 50,000 is checked against in one pass, leaving only the
# values that do not match to their check. (A CCCD's agreement with birth year and gender
# is a rule across fields, looked at apart.)
SHAPES: dict[str, str] = {
    "bhxh": "[0-9]{10}",
    "cmnd": "[0-9]{9}",
    "cccd": one_of(CCCD_PROVINCES) + "[0-9]{9}",
    "agency_code": one_of(CCCD_PROVINCES) + "[0-9]{2}",
    "phone": r"0[2-9][0-9]{8}|\+84[2-9][0-9]{8}",
}


def tax_check_digit(first9: str) -> int | None:
    """The 10th digit of a tax code from its first nine, or None when no digit fits.

    d10 = 10 − (Σ dᵢ·wᵢ mod 11); a remainder of 0 would need "10", so such first nine
    digits are never issued.
    """
    if not (len(first9) == 9 and first9.isascii() and first9.isdigit()):
        raise ValueError(f"need 9 digits, got {first9!r}")
    digit = 10 - sum(int(d) * w for d, w in zip(first9, TAX_WEIGHTS, strict=True)) % 11
    return None if digit == 10 else digit


def make_tax_code(first9: str) -> str:
    """Complete nine digits into a valid 10-digit tax code (for demo data and tests)."""
    digit = tax_check_digit(first9)
    if digit is None:
        raise ValueError(f"no valid tax code starts with {first9}")
    return f"{first9}{digit}"


_TAX_SHAPE = re.compile(r"[0-9-]*")


def check_tax_code(s: str) -> str | None:
    """An enterprise tax code (mã số thuế).

    10 digits whose last is the check digit, or for a branch the parent's 10 digits, a
    dash and a 3-digit suffix 001–999 (0123456789-001). 13 digits without the dash are
    refused ("format") so the stored form is always the one the tax authority prints.
    """
    if not isinstance(s, str):
        return "format"
    if not (s.isascii() and _TAX_SHAPE.fullmatch(s)):
        return "digits"
    main, dash, branch = s.partition("-")
    if not dash:
        if len(s) == 13:
            return "format"
        if len(s) != 10:
            return "length"
    elif len(main) != 10 or len(branch) != 3 or "-" in branch:
        return "format" if len(s) == 14 else "length"
    if main[9] != str(tax_check_digit(main[:9])):
        return "check_digit"
    if dash and branch == "000":
        return "branch"
    return None


def check_bhyt_card(s: str, *, bhxh: str | None = None) -> str | None:
    """A health insurance card number: 2 capital letters and 13 digits.

    The last 10 digits are the holder's BHXH number; when ``bhxh`` is given they must
    be equal to it.
    """
    if not isinstance(s, str):
        return "format"
    if len(s) != 15:
        return "length"
    if not ("A" <= s[0] <= "Z" and "A" <= s[1] <= "Z"):
        return "format"
    if not (s[2:].isascii() and s[2:].isdigit()):
        return "digits"
    if bhxh is not None and s[5:] != bhxh:
        return "bhxh_mismatch"
    return None


def check_kcb(s: str) -> str | None:
    """An initial clinic code (nơi KCB ban đầu): 5 digits, the first two a province."""
    error = _digits(s, 5)
    if error:
        return error
    if s[:2] not in KCB_PROVINCES:
        return "province"
    return None


_UNIT_CODE = re.compile(r"[A-Z0-9]+")


def check_unit_code(s: str) -> str | None:
    """An employer's code at the social security agency: 3–10 of A–Z and 0–9."""
    if not isinstance(s, str):
        return "format"
    if s and not _UNIT_CODE.fullmatch(s):
        return "format"
    if not 3 <= len(s) <= 10:
        return "length"
    return None


def check_phone(s: str) -> str | None:
    """A Vietnamese phone number: 0 and 9 digits, or +84 and 9 digits.

    The digit after the 0 (or +84) is 2–9: 02x are landlines, 03/05/07/08/09 mobiles;
    "00" starts an international call and the 11-digit 01x numbers were retired in 2018.
    """
    if not isinstance(s, str):
        return "format"
    local = s[3:] if s.startswith("+84") else s
    if local and not (local.isascii() and local.isdigit()):
        return "digits"
    if s.startswith("+84"):
        if len(local) != 9:
            return "length"
        first = local[0]
    else:
        if len(local) != 10:
            return "length"
        if local[0] != "0":
            return "format"
        first = local[1]
    if first in "01":
        return "format"
    return None


_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def check_email(s: str) -> str | None:
    """An email address: the plain ASCII shape of name@domain.tld, nothing exotic.

    Good enough to catch typing slips (spaces, a missing @ or domain); whether the
    mailbox exists is not something a form check can know.
    """
    if not isinstance(s, str) or len(s) > 254 or not _EMAIL.fullmatch(s):
        return "format"
    if len(s.partition("@")[0]) > 64:
        return "format"
    return None


# The checks of the identifiers a spreadsheet may have typed as numbers (``ZEROS_LOST``).
_NUMBER_CHECKS: dict[str, Callable[[str], str | None]] = {
    "bhxh": check_bhxh, "cccd": check_cccd, "cmnd": check_cmnd, "tax_code": check_tax_code,
    "kcb": check_kcb, "phone": check_phone, "agency_code": check_agency_code,
}


def restore_zeros(kind: str, digits: str) -> str | None:
    """The identifier of ``kind`` whose leading zeros a spreadsheet dropped to leave
    ``digits``, or None when none could have: the digits must be short by no more zeros
    than the identifier can start with (``ZEROS_LOST``), and pass its check once the
    zeros are back. 123456789 is the BHXH number 0123456789; 12345 is no BHXH number (it
    would start with 00000); 11 digits make a CCCD only when 0 and their first two are
    a province code, and 9 digits a tax code only when the check digit then holds. A
    number's digits never start with 0, so digits that do were not shortened that way."""
    length, most = ZEROS_LOST.get(kind, (0, 0))
    if not (length - most <= len(digits) < length and digits.isascii() and digits.isdigit()
            and digits[0] != "0"):
        return None
    padded = digits.zfill(length)
    return padded if _NUMBER_CHECKS[kind](padded) is None else None
