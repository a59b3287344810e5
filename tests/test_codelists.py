"""Sanity checks for the code lists shipped in forms/codelists/."""

import csv
import re
import unicodedata
from pathlib import Path

import pytest

CODELISTS = Path(__file__).resolve().parent.parent / "forms" / "codelists"

EXPECTED_FILES = [
    "plan_codes.csv",
    "ethnicities.csv",
    "nationalities.csv",
    "provinces.csv",
    "provinces_old.csv",
    "wage_regions.csv",
    "genders.csv",
    "unit_types.csv",
    "payment_modes.csv",
    "receive_methods.csv",
    "document_types.csv",
]

STATUSES = {"law", "seen", "check"}

# DOMAIN.md section 4: the 34 provinces from 1 Jul 2025.
NEW_PROVINCES = {
    "01": "Hà Nội", "04": "Cao Bằng", "08": "Tuyên Quang", "11": "Điện Biên",
    "12": "Lai Châu", "14": "Sơn La", "15": "Lào Cai", "19": "Thái Nguyên",
    "20": "Lạng Sơn", "22": "Quảng Ninh", "24": "Bắc Ninh", "25": "Phú Thọ",
    "31": "Hải Phòng", "33": "Hưng Yên", "37": "Ninh Bình", "38": "Thanh Hóa",
    "40": "Nghệ An", "42": "Hà Tĩnh", "44": "Quảng Trị", "46": "Huế",
    "48": "Đà Nẵng", "51": "Quảng Ngãi", "52": "Gia Lai", "56": "Khánh Hòa",
    "66": "Đắk Lắk", "68": "Lâm Đồng", "75": "Đồng Nai", "79": "TP. Hồ Chí Minh",
    "80": "Tây Ninh", "82": "Đồng Tháp", "86": "Vĩnh Long", "91": "An Giang",
    "92": "Cần Thơ", "96": "Cà Mau",
}

OLD_PROVINCE_CODES = set(
    "01 02 04 06 08 10 11 12 14 15 17 19 20 22 24 25 26 27 30 31 33 34 35 36 37 38 "
    "40 42 44 45 46 48 49 51 52 54 56 58 60 62 64 66 67 68 70 72 74 75 77 79 80 82 "
    "83 84 86 87 89 91 92 93 94 95 96".split()
)


def load(name):
    path = CODELISTS / name
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames
        rows = list(reader)
    return header, rows


def by_code(name):
    return {r["code"]: r for r in load(name)[1]}


@pytest.mark.parametrize("name", EXPECTED_FILES)
def test_file_parses_with_required_columns(name):
    raw = (CODELISTS / name).read_bytes()
    raw.decode("utf-8")  # strict UTF-8
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    header, rows = load(name)
    assert header[:3] == ["code", "vi", "en"]
    assert len(set(header)) == len(header)
    assert rows, "file has data rows"
    for r in rows:
        assert None not in r, f"row has more fields than the header: {r}"
        assert all(v is not None for v in r.values()), f"row too short: {r}"
        assert r["code"] and r["code"] == r["code"].strip()
        assert r["vi"].strip() and r["en"].strip()
        if "status" in r:
            assert r["status"] in STATUSES, r


@pytest.mark.parametrize("name", EXPECTED_FILES)
def test_no_duplicate_codes(name):
    codes = [r["code"] for r in load(name)[1]]
    dups = sorted({c for c in codes if codes.count(c) > 1})
    assert not dups


@pytest.mark.parametrize("name", EXPECTED_FILES)
def test_text_is_nfc(name):
    text = (CODELISTS / name).read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)


def test_all_files_present():
    present = {p.name for p in CODELISTS.glob("*.csv")}
    assert set(EXPECTED_FILES) <= present


def test_plan_codes():
    rows = by_code("plan_codes.csv")
    assert set(rows) == {"TM", "ON", "TD", "TC", "GH", "GD", "GC", "KL", "TS", "OF", "DC", "TT"}
    for code, r in rows.items():
        assert r["kind"] in {"increase", "decrease", "adjust"}
        assert r["late_needs_d01"] in {"0", "1"}
        assert (r["late_needs_d01"] == "1") == (r["kind"] == "decrease"), code
    assert {c for c, r in rows.items() if r["kind"] == "increase"} == {"TM", "ON", "TD", "TC"}
    assert {c for c, r in rows.items() if r["kind"] == "adjust"} == {"DC", "TT"}


def test_ethnicities():
    rows = by_code("ethnicities.csv")
    expected = {f"{i:02d}" for i in range(1, 55)} | {"55", "99"}
    assert set(rows) == expected
    assert rows["01"]["vi"] == "Kinh"
    assert rows["02"]["vi"] == "Tày"
    assert rows["04"]["vi"] == "Hoa"
    assert rows["05"]["vi"] == "Khơ-me"
    assert rows["06"]["vi"] == "Mường"
    assert rows["08"]["vi"] == "Hmông"
    assert rows["11"]["vi"] == "Ngái"
    assert rows["54"]["vi"] == "Rơ-măm"
    assert rows["99"]["vi"] == "Người nước ngoài"


def test_nationalities():
    rows = by_code("nationalities.csv")
    assert len(rows) >= 240
    for code in rows:
        assert re.fullmatch(r"[A-Z]{2}", code), code
    assert rows["VN"]["vi"] == "Việt Nam"
    assert rows["CN"]["vi"] == "Trung Quốc"
    assert rows["KR"]["vi"] == "Hàn Quốc"
    assert rows["JP"]["vi"] == "Nhật Bản"
    assert rows["US"]["vi"] == "Hoa Kỳ"
    if "alpha3" in next(iter(rows.values())):
        for code, r in rows.items():
            assert re.fullmatch(r"[A-Z]{3}", r["alpha3"]), code


def test_provinces_match_domain():
    _header, rows = load("provinces.csv")
    assert len(rows) == 34
    assert {r["code"]: r["vi"] for r in rows} == NEW_PROVINCES


def test_provinces_old():
    header, rows = load("provinces_old.csv")
    assert "merged_into" in header
    assert len(rows) == 63
    assert {r["code"] for r in rows} == OLD_PROVINCE_CODES
    new_codes = set(by_code("provinces.csv"))
    for r in rows:
        assert r["merged_into"] in new_codes, r
    # every new province is made of at least one old one
    assert {r["merged_into"] for r in rows} == new_codes
    old = {r["code"]: r for r in rows}
    # spot checks from Resolution 202/2025/QH15 as given in the brief
    assert old["02"]["merged_into"] == "08"
    assert old["10"]["merged_into"] == "15"
    assert old["15"]["merged_into"] == "15"
    assert old["74"]["merged_into"] == "79"
    assert old["77"]["merged_into"] == "79"
    # a province that was not merged maps onto itself
    for code in ("01", "04", "11", "12", "14", "20", "22", "38", "40", "42", "46"):
        assert old[code]["merged_into"] == code


def test_small_lists():
    assert list(by_code("wage_regions.csv")) == ["I", "II", "III", "IV"]
    genders = by_code("genders.csv")
    assert genders["M"]["vi"] == "Nam" and genders["F"]["vi"] == "Nữ"
    assert set(by_code("payment_modes.csv")) == {"01", "03", "06"}
    assert set(by_code("receive_methods.csv")) == {"1", "2", "3"}
    for code in by_code("unit_types.csv"):
        assert 2 <= len(code) <= 4 and code.isupper(), code
    assert {"QD", "HD", "GCN", "TB", "GK", "CCCD", "KHAC"} <= set(by_code("document_types.csv"))


def test_identifier_province_codes_are_the_province_lists():
    # The identifier checks keep their province codes as data in domain/ids.py (the
    # domain reads no files): they must be the code lists' provinces, old and new.
    from ibhxh_client.domain import ids

    old, new = set(by_code("provinces_old.csv")), set(by_code("provinces.csv"))
    assert ids.KCB_PROVINCES_OLD == old and ids.KCB_PROVINCES_NEW == new
    assert ids.CCCD_PROVINCES == {f"0{code}" for code in old | new}
    # A CCCD, a KCB code and an agency code start with a province of the lists, and
    # with no other code.
    for n in range(100):
        code = f"{n:02d}"
        known = code in old | new
        assert (ids.check_cccd(f"0{code}185012345") is None) == known, code
        assert (ids.check_kcb(f"{code}001") is None) == known, code
        assert (ids.check_agency_code(f"0{code}06") is None) == known, code
    assert ids.check_agency_code("10001") == "province"  # not 0 and a province
