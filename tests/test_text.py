"""Tests for ibhxh_client.domain.text: normalisation, search, collation, legacy fonts."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ibhxh_client.domain import text
from ibhxh_client.domain.text import (
    VIETNAMESE_LETTERS,
    clean_name,
    detect_legacy,
    detect_legacy_many,
    fix_legacy,
    fold,
    is_vietnamese_syllable,
    looks_vietnamese,
    name_sort_key,
    nfc,
    sort_key,
    tcvn3_to_unicode,
    unicode_to_tcvn3,
    unicode_to_vni,
    vnd,
    vni_to_unicode,
)

SETTINGS = settings(max_examples=200, deadline=None)

VOWEL_ROWS = [
    "aàảãáạ", "ăằẳẵắặ", "âầẩẫấậ", "eèẻẽéẹ", "êềểễếệ", "iìỉĩíị",
    "oòỏõóọ", "ôồổỗốộ", "ơờởỡớợ", "uùủũúụ", "ưừửữứự", "yỳỷỹýỵ",
]
ALL_LOWER = "".join(VOWEL_ROWS) + "đbcdghklmnpqrstvx"
ALL_LETTERS = ALL_LOWER + ALL_LOWER.upper()

# --- strategies -------------------------------------------------------------------------

# Any text over the Vietnamese letters, ASCII letters, digits, spaces and punctuation.
viet_text = st.text(alphabet=ALL_LETTERS + "fjwzFJWZ0123456789 .,-'()/", max_size=40)

ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n",
          "ng", "ngh", "nh", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"]
# Rhymes written without tone: (letters, index of the letter that takes the tone, stop).
RHYMES = [
    ("a", 0, False), ("e", 0, False), ("ê", 0, False), ("i", 0, False), ("o", 0, False),
    ("ô", 0, False), ("ơ", 0, False), ("u", 0, False), ("ư", 0, False), ("y", 0, False),
    ("ai", 0, False), ("ao", 0, False), ("ây", 0, False), ("oa", 1, False),
    ("oai", 1, False), ("uy", 1, False), ("ươi", 1, False), ("iêu", 1, False),
    ("an", 0, False), ("ăn", 0, False), ("âng", 0, False), ("em", 0, False),
    ("ênh", 0, False), ("inh", 0, False), ("ong", 0, False), ("ôn", 0, False),
    ("ơm", 0, False), ("ung", 0, False), ("ưng", 0, False), ("yên", 1, False),
    ("uyên", 2, False), ("ương", 1, False), ("iêng", 1, False), ("oang", 1, False),
    ("ac", 0, True), ("ăt", 0, True), ("âp", 0, True), ("êch", 0, True), ("êt", 0, True),
    ("ich", 0, True), ("oc", 0, True), ("ôt", 0, True), ("ơp", 0, True), ("uc", 0, True),
    ("ưc", 0, True), ("uyêt", 2, True), ("ươc", 1, True), ("iêt", 1, True),
]
MARKS = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")


@st.composite
def syllables(draw: st.DrawFn) -> str:
    onset = draw(st.sampled_from(ONSETS))
    rhyme, at, stop = draw(st.sampled_from(RHYMES))
    tone = draw(st.sampled_from((4, 5) if stop else range(6)))
    if onset == "gi" and rhyme[0] in "iy":
        onset = "g"  # gi + iêng is spelled giêng
    if onset == "qu" and rhyme[0] in "uư":
        onset = "c"
    word = rhyme[:at] + nfc(rhyme[at] + MARKS[tone]) + rhyme[at + 1:]
    return onset + word


@st.composite
def names(draw: st.DrawFn) -> str:
    words = draw(st.lists(syllables(), min_size=1, max_size=4))
    case = draw(st.sampled_from(["title", "upper", "lower"]))
    words = [w.capitalize() if case == "title" else getattr(w, case)() for w in words]
    return " ".join(words)


# --- normalisation ----------------------------------------------------------------------


def test_nfc_composes():
    assert nfc("Nguye\u0302\u0303n") == "Nguyễn"
    assert nfc("Nguyễn") == "Nguyễn"


def test_clean_name():
    assert clean_name("  Nguyễn \t Văn\u00a0  A  ") == "Nguyễn Văn A"
    assert clean_name("Nguye\u0302\u0303n") == "Nguyễn"
    assert clean_name("") == ""


@SETTINGS
@given(viet_text)
def test_clean_name_keeps_letters(s):
    cleaned = clean_name(s)
    assert cleaned == " ".join(s.split())
    assert clean_name(cleaned) == cleaned


def test_fold_examples():
    assert fold("Nguyễn Văn A") == "nguyen van a"
    assert fold("  ĐẶNG   thị\tNGỌC hà ") == "dang thi ngoc ha"
    assert fold("Nguye\u0302\u0303n") == "nguyen"
    assert fold("Trương Thị Ưng") == "truong thi ung"
    assert fold("José Müller") == "jose muller"


@SETTINGS
@given(st.text(max_size=30))
def test_fold_idempotent(s):
    assert fold(fold(s)) == fold(s)


@SETTINGS
@given(viet_text)
def test_fold_vietnamese_is_ascii(s):
    folded = fold(s)
    assert folded.isascii()
    assert folded == folded.lower()
    assert fold(s.upper()) == folded


def test_fold_covers_every_letter():
    assert len(VIETNAMESE_LETTERS) == 134
    for ch in VIETNAMESE_LETTERS:
        assert fold(ch).isascii() and len(fold(ch)) == 1, ch


# --- collation --------------------------------------------------------------------------


def test_vietnamese_order_example():
    words = ["Ánh", "Anh", "Ân", "Ăn", "Bình", "Đức", "Dũng"]
    assert sorted(words, key=sort_key) == ["Anh", "Ánh", "Ăn", "Ân", "Bình", "Dũng", "Đức"]


def test_alphabet_order():
    letters = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y".split()
    shuffled = sorted(letters, reverse=True)
    assert sorted(shuffled, key=sort_key) == letters
    assert sorted([x.upper() for x in shuffled], key=sort_key) == [x.upper() for x in letters]


def test_tone_order():
    tones = ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert sorted(reversed(tones), key=sort_key) == tones


def test_tones_are_secondary():
    # The base letters of the whole string decide first; tones only break ties.
    assert sorted(["Ánh A", "Anh B"], key=sort_key) == ["Ánh A", "Anh B"]
    assert sorted(["Ăn", "Ạnh"], key=sort_key) == ["Ạnh", "Ăn"]
    assert sorted(["Bà", "ba", "Ba"], key=sort_key) == ["Ba", "ba", "Bà"]


def test_sort_key_ignores_case_and_form_at_primary_level():
    assert sort_key("NGUYỄN")[:2] == sort_key("nguyễn")[:2]
    assert sort_key("Nguye\u0302\u0303n") == sort_key("Nguyễn")


plain_text = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123 ",
                     max_size=12)


@SETTINGS
@given(plain_text, plain_text)
def test_sort_key_primary_follows_fold_on_plain_letters(a, b):
    # Strings with no marks compare like their lower-case form (letters a–z keep order).
    fa, fb = " ".join(a.lower().split()), " ".join(b.lower().split())
    if fa != fb:
        assert (sort_key(a)[0] < sort_key(b)[0]) == (fa < fb)


def test_name_sort_key():
    people = ["Nguyễn Thị Bình", "Trần Văn An", "Lê Văn An", "Đỗ Ánh", "Phạm Anh"]
    assert sorted(people, key=name_sort_key) == [
        "Lê Văn An", "Trần Văn An", "Phạm Anh", "Đỗ Ánh", "Nguyễn Thị Bình",
    ]
    assert name_sort_key("Trần Văn An") < name_sort_key("Nguyễn Thị Bình")
    assert name_sort_key("") == name_sort_key("   ")


# --- syllables --------------------------------------------------------------------------


@pytest.mark.parametrize("word", [
    "Nguyễn", "Văn", "Ánh", "Đặng", "Thị", "Ngọc", "Hà", "quốc", "Quỳnh", "giữ", "gì",
    "Khuê", "Thuỷ", "Thủy", "Huyền", "Trường", "Phượng", "Oanh", "Yến", "khuya", "xoong",
    "Đắk", "Lắk", "Đăk", "Krông", "ư", "Ý",
])
def test_real_syllables(word):
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", [
    "NguyÔn", "V¨n", "Nguyeãn", "Vaên", "Hµ", "áa", "Nguyễnn", "tàc", "tac", "ăo", "fá",
    "Thịị", "",
])
def test_not_syllables(word):
    assert not is_vietnamese_syllable(word)


@SETTINGS
@given(syllables())
def test_generated_syllables_are_valid(word):
    assert is_vietnamese_syllable(word)
    assert is_vietnamese_syllable(word.upper())


# --- legacy encodings -------------------------------------------------------------------


def test_tcvn3_examples():
    assert tcvn3_to_unicode("NguyÔn V¨n A") == "Nguyễn Văn A"
    assert tcvn3_to_unicode("B¶o Th¾ng") == "Bảo Thắng"
    assert tcvn3_to_unicode("M\xadêng Kh\xad¬ng") == "Mường Khương"
    assert tcvn3_to_unicode("§Æng ThÞ Ngäc Hµ") == "Đặng Thị Ngọc Hà"
    assert tcvn3_to_unicode("Sè 5 ®\xadêng Lª Lîi") == "Số 5 đường Lê Lợi"


def test_tcvn3_case_restoration():
    # .VnTimeH (all capitals) text uses the small-letter codes for toned capitals.
    assert tcvn3_to_unicode("NGUYÔN V¡N ¸NH") == "NGUYỄN VĂN ÁNH"
    assert tcvn3_to_unicode("NGUYÔN V¨N ¸NH") == "NGUYỄN VĂN ÁNH"
    # In a Title Case name a word starting with a shared code gets its capital back.
    assert tcvn3_to_unicode("Lª ¸nh") == "Lê Ánh"
    # In running text it stays small.
    assert tcvn3_to_unicode("c«ng viÖc ¸nh s¸ng") == "công việc ánh sáng"
    assert tcvn3_to_unicode("¸nh") == "ánh"


def test_vni_examples():
    assert vni_to_unicode("Nguyeãn Vaên A") == "Nguyễn Văn A"
    assert vni_to_unicode("Tröôøng Ñaëng") == "Trường Đặng"
    assert vni_to_unicode("NGUYEÃN THÒ ÑAËNG") == "NGUYỄN THỊ ĐẶNG"
    assert vni_to_unicode("Quyønh Thuûy Khoûe") == "Quỳnh Thủy Khỏe"
    assert vni_to_unicode("Thuyû Khoeû") == "Thuỷ Khoẻ"
    assert vni_to_unicode("Xin chaøo caùc baïn") == "Xin chào các bạn"
    assert vni_to_unicode("Aùnh") == "Ánh"  # mark typed in the other case


def test_encoders_examples():
    assert unicode_to_tcvn3("Nguyễn Văn A") == "NguyÔn V¨n A"
    assert unicode_to_vni("Nguyễn Văn A") == "Nguyeãn Vaên A"
    assert unicode_to_vni("ĐẶNG") == "ÑAËNG"
    assert unicode_to_tcvn3("ĐẶNG Ăn") == "§ÆNG ¡n"
    # The encoders' output is what a cp1252 spreadsheet holds.
    assert unicode_to_tcvn3("".join(VIETNAMESE_LETTERS)).encode("cp1252")
    assert unicode_to_vni("".join(VIETNAMESE_LETTERS)).encode("cp1252")


def test_tables_cover_every_letter():
    for ch in VIETNAMESE_LETTERS:
        assert unicode_to_vni(ch) != ch or ch in "íìÍÌ", ch
        assert vni_to_unicode(unicode_to_vni(ch)) == ch
        enc = unicode_to_tcvn3(ch)
        assert len(enc) == 1 and 0xA1 <= ord(enc) <= 0xFE, ch
        assert tcvn3_to_unicode(enc) in (ch, ch.lower()), ch
    # TCVN3 has distinct codes for these capitals only.
    codes = {unicode_to_tcvn3(ch) for ch in VIETNAMESE_LETTERS}
    assert len(codes) == 67 + 7


def test_cp1252_and_latin1_readings_agree():
    # The tables use no byte in 0x80–0x9F, where the two readings differ.
    for ch in VIETNAMESE_LETTERS:
        for enc, decode in ((unicode_to_tcvn3(ch), tcvn3_to_unicode),
                            (unicode_to_vni(ch), vni_to_unicode)):
            raw = enc.encode("cp1252")
            assert decode(raw.decode("latin-1")) == decode(raw.decode("cp1252"))


@SETTINGS
@given(viet_text)
def test_vni_round_trip(s):
    assert vni_to_unicode(unicode_to_vni(s)) == s


@SETTINGS
@given(viet_text)
def test_tcvn3_round_trip_lower_case(s):
    s = s.lower()
    assert tcvn3_to_unicode(unicode_to_tcvn3(s)) == s


@SETTINGS
@given(viet_text)
def test_tcvn3_round_trip_up_to_case(s):
    assert tcvn3_to_unicode(unicode_to_tcvn3(s)).lower() == s.lower()


@SETTINGS
@given(names())
def test_tcvn3_round_trip_names(name):
    back = tcvn3_to_unicode(unicode_to_tcvn3(name))
    assert back.lower() == name.lower()
    words = name.split()
    if name == name.lower():
        assert back == name
    elif name == name.title() and any(w[0].isascii() or w[0] in "ĂÂÊÔƠƯĐ" for w in words):
        assert back == name  # Title Case with at least one unambiguous capital
    elif name == name.upper() and any(c.isascii() for w in words for c in w[1:]):
        assert back == name  # capitals, with a plain letter inside some word


@SETTINGS
@given(names())
def test_vni_round_trip_names(name):
    assert vni_to_unicode(unicode_to_vni(name)) == name


@SETTINGS
@given(names())
def test_unicode_names_are_not_legacy(name):
    assert looks_vietnamese(name)
    assert detect_legacy(name) is None
    assert fix_legacy(name) == name


def both_plausible(s: str) -> bool:
    return looks_vietnamese(tcvn3_to_unicode(s)) and looks_vietnamese(vni_to_unicode(s))


@SETTINGS
@given(names())
def test_detect_tcvn3(name):
    enc = unicode_to_tcvn3(name)
    kind = detect_legacy(enc)
    assert kind in ("tcvn3", None)
    if kind is None:
        # Only when the bytes happen to read as Vietnamese ("ý" is ý in both), or read as
        # Vietnamese in both encodings ("Ö" is ệ in TCVN3 and Ư in VNI).
        assert looks_vietnamese(enc) or both_plausible(enc)
    else:
        assert fix_legacy(enc).lower() == name.lower()


@SETTINGS
@given(names())
def test_detect_vni(name):
    enc = unicode_to_vni(name)
    kind = detect_legacy(enc)
    assert kind in ("vni", None)
    if kind is None:
        # e.g. "Thò" is VNI for Thị and also a word.
        assert looks_vietnamese(enc) or both_plausible(enc)
    else:
        assert fix_legacy(enc) == name


@pytest.mark.parametrize(("legacy", "kind", "unicode"), [
    ("NguyÔn V¨n A", "tcvn3", "Nguyễn Văn A"),
    ("Tr\xadêng Ngäc Lan", "tcvn3", "Trường Ngọc Lan"),
    ("C«ng ty TNHH Hoµ B×nh", "tcvn3", "Công ty TNHH Hoà Bình"),
    ("NGUYÔN THÞ H¦¥NG", "tcvn3", "NGUYỄN THỊ HƯƠNG"),
    ("Nguyeãn Vaên A", "vni", "Nguyễn Văn A"),
    ("Ñaëng Thò Ngoïc Haø", "vni", "Đặng Thị Ngọc Hà"),
    ("Coâng ty TNHH Hoøa Bình", "vni", "Công ty TNHH Hòa Bình"),
])
def test_detect_and_fix_examples(legacy, kind, unicode):
    assert detect_legacy(legacy) == kind
    assert fix_legacy(legacy) == unicode


@pytest.mark.parametrize("s", [
    "Nguyễn Văn Ánh", "Đặng Thị Ngọc Hà", "Nguyen Van A", "", "TZH490L", "Lê Thị Mỹ",
    "Müller José", "François", "Y Jút Buôn Krông", "H'Hen Niê", "Đăk Nông", "Công ty “Á”",
    "Nguye\u0302\u0303n Văn A",
])
def test_not_legacy(s):
    assert detect_legacy(s) is None
    assert fix_legacy(s) == nfc(s)


def test_detect_legacy_many():
    vni_column = ["Ksor Thò Hô", "Nguyeãn Vaên A", "Bình", "TZH490L"]
    assert detect_legacy("Ksor Thò Hô") is None  # alone it reads as Unicode
    assert detect_legacy_many(vni_column) == "vni"
    assert vni_to_unicode(vni_column[0]) == "Ksor Thị Hơ"
    assert detect_legacy_many(["NguyÔn V¨n A", "Lª Hå"]) == "tcvn3"
    assert detect_legacy_many(["NguyÔn V¨n A", "Nguyeãn Vaên A"]) is None
    assert detect_legacy_many(["Nguyễn Văn Ánh", "Hà"]) is None
    assert detect_legacy_many([]) is None


@SETTINGS
@given(st.lists(names(), max_size=5))
def test_detect_legacy_many_on_unicode_and_vni(column):
    assert detect_legacy_many(column) is None
    encoded = [unicode_to_vni(n) for n in column]
    if any(detect_legacy(e) == "vni" for e in encoded):
        assert detect_legacy_many(encoded) == "vni"
        assert [vni_to_unicode(e) for e in encoded] == column


@SETTINGS
@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=30))
def test_ascii_untouched(s):
    assert detect_legacy(s) is None
    assert fix_legacy(s) == s


@SETTINGS
@given(st.text(max_size=30))
def test_legacy_functions_never_fail(s):
    detect_legacy(s)
    fix_legacy(s)
    tcvn3_to_unicode(s)
    vni_to_unicode(s)
    assert unicodedata.is_normalized("NFC", fix_legacy(s))


# --- money ------------------------------------------------------------------------------


@pytest.mark.parametrize(("amount", "shown"), [
    (10620000, "10.620.000"), (0, "0"), (999, "999"), (1000, "1.000"),
    (-3398400, "-3.398.400"), (Decimal("5310000"), "5.310.000"),
])
def test_vnd(amount, shown):
    assert vnd(amount) == shown


def test_vnd_refuses_fractions():
    with pytest.raises(ValueError):
        vnd(Decimal("1.5"))
    with pytest.raises(TypeError):
        vnd(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        vnd(True)


@SETTINGS
@given(st.integers(min_value=-10**15, max_value=10**15))
def test_vnd_round_trip(n):
    shown = vnd(n)
    assert int(shown.replace(".", "")) == n
    assert all(len(group) == 3 for group in shown.lstrip("-").split(".")[1:])


def test_module_exports():
    for name in text.__all__:
        assert hasattr(text, name), name
