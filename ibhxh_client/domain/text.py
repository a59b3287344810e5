"""Vietnamese text: normalisation, search keys, collation, legacy 8-bit fonts, money.

Pure functions, no I/O. Names are stored in Unicode NFC; old spreadsheets hold text typed
with TCVN3 (ABC, ``.VnTime``) or VNI-Windows fonts, which must be recognised and converted
before anything is stored.

The code tables below are data: each row is one vowel with its five toned forms in the
order of the column header, so a wrong cell can be seen and corrected in one place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal

__all__ = [
    "ALPHABET",
    "TONE_MARKS",
    "VIETNAMESE_LETTERS",
    "clean_name",
    "counted",
    "detect_legacy",
    "detect_legacy_many",
    "fix_legacy",
    "fold",
    "is_vietnamese_syllable",
    "looks_vietnamese",
    "name_sort_key",
    "nfc",
    "sort_key",
    "tcvn3_to_unicode",
    "unicode_to_tcvn3",
    "unicode_to_vni",
    "vnd",
    "vni_to_unicode",
]

# ---------------------------------------------------------------------------------------
# Code tables
# ---------------------------------------------------------------------------------------

# Tones, in Vietnamese dictionary order; the columns of every table below.
#            none   huyền   hỏi     ngã     sắc     nặng
TONE_MARKS = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")

# The twelve vowels and their toned forms (Unicode, precomposed).
_UNICODE_VOWELS = """
a  à  ả  ã  á  ạ
ă  ằ  ẳ  ẵ  ắ  ặ
â  ầ  ẩ  ẫ  ấ  ậ
e  è  ẻ  ẽ  é  ẹ
ê  ề  ể  ễ  ế  ệ
i  ì  ỉ  ĩ  í  ị
o  ò  ỏ  õ  ó  ọ
ô  ồ  ổ  ỗ  ố  ộ
ơ  ờ  ở  ỡ  ớ  ợ
u  ù  ủ  ũ  ú  ụ
ư  ừ  ử  ữ  ứ  ự
y  ỳ  ỷ  ỹ  ý  ỵ
"""

# TCVN3 (TCVN 5712:1993 VN3, the "ABC" fonts .VnTime, .VnArial …): one byte per letter,
# in hexadecimal. The font has no code for upper-case toned letters (they were typed in
# the companion capital font .VnTimeH with the lower-case codes); only the seven letters
# below have distinct capital codes.
#     none  huyền  hỏi  ngã  sắc  nặng
_TCVN3_VOWELS = """
a   61   B5    B6   B7   B8   B9
ă   A8   BB    BC   BD   BE   C6
â   A9   C7    C8   C9   CA   CB
e   65   CC    CE   CF   D0   D1
ê   AA   D2    D3   D4   D5   D6
i   69   D7    D8   DC   DD   DE
o   6F   DF    E1   E2   E3   E4
ô   AB   E5    E6   E7   E8   E9
ơ   AC   EA    EB   EC   ED   EE
u   75   EF    F1   F2   F3   F4
ư   AD   F5    F6   F7   F8   F9
y   79   FA    FB   FC   FD   FE
"""
_TCVN3_OTHER = """
đ   AE
Ă   A1
Â   A2
Ê   A3
Ô   A4
Ơ   A5
Ư   A6
Đ   A7
"""

# VNI-Windows (VNI-Times …): a base letter followed by one byte for the vowel mark and
# tone together, written here as the Windows-1252 characters those bytes show as.
# ơ, ư, đ and the toned i and ỵ are single bytes. Capitals use the same bytes in upper
# case ("AÙ" = Á, "ÔØ" = Ờ, "Ñ" = Đ), so only the lower-case table is written out.
#     none  huyền  hỏi  ngã  sắc  nặng
_VNI_VOWELS = """
a   a     aø    aû    aõ    aù    aï
ă   aê    aè    aú    aü    aé    aë
â   aâ    aà    aå    aã    aá    aä
e   e     eø    eû    eõ    eù    eï
ê   eâ    eà    eå    eã    eá    eä
i   i     ì     æ     ó     í     ò
o   o     oø    oû    oõ    où    oï
ô   oâ    oà    oå    oã    oá    oä
ơ   ô     ôø    ôû    ôõ    ôù    ôï
u   u     uø    uû    uõ    uù    uï
ư   ö     öø    öû    öõ    öù    öï
y   y     yø    yû    yõ    yù    î
"""
_VNI_OTHER = """
đ   ñ
"""

# Vietnamese alphabetical order (f, j, w, z are not Vietnamese letters but occur in
# foreign names; they sit where the Latin alphabet puts them).
ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()


def _rows(table: str) -> list[list[str]]:
    return [line.split() for line in table.strip().splitlines()]


def _build_vowels() -> dict[str, tuple[str, int]]:
    """Map every lower-case vowel form to (base vowel, tone index)."""
    out: dict[str, tuple[str, int]] = {}
    for row in _rows(_UNICODE_VOWELS):
        base = row[0]
        for tone, letter in enumerate(row):
            if unicodedata.normalize("NFC", base + TONE_MARKS[tone]) != letter:
                raise AssertionError(f"vowel table: {letter!r} is not {base}+tone {tone}")
            out[letter] = (base, tone)
    return out


def _build_letters() -> dict[str, tuple[str, int]]:
    """Map every letter, both cases, to (lower-case base letter, tone 0..5)."""
    lower = _build_vowels()
    lower["đ"] = ("đ", 0)
    lower.update((c, (c, 0)) for c in "bcdfghjklmnpqrstvwxz")
    return {ch: info for low, info in lower.items() for ch in (low, low.upper())}


_LETTER_INFO = _build_letters()

#: The 134 precomposed Vietnamese letters that are not plain ASCII (67 lower, 67 upper).
VIETNAMESE_LETTERS: frozenset[str] = frozenset(ch for ch in _LETTER_INFO if not ch.isascii())


def _byte_chars(code: int) -> set[str]:
    """The characters a byte shows as when a spreadsheet reads it as cp1252 or latin-1."""
    raw = bytes([code])
    chars = {raw.decode("latin-1")}
    try:
        chars.add(raw.decode("cp1252"))
    except UnicodeDecodeError:
        pass
    return chars


def _build_tcvn3() -> tuple[dict[int, str], dict[int, str]]:
    decode: dict[int, str] = {}
    encode: dict[int, str] = {}
    pairs: list[tuple[str, int]] = []
    for row in _rows(_TCVN3_VOWELS):
        base_row = next(r for r in _rows(_UNICODE_VOWELS) if r[0] == row[0])
        pairs += [(uni, int(code, 16)) for uni, code in zip(base_row, row[1:], strict=True)]
    pairs += [(row[0], int(row[1], 16)) for row in _rows(_TCVN3_OTHER)]
    for uni, code in pairs:
        if code < 0x80:
            continue  # the plain vowels are ASCII
        for ch in _byte_chars(code):
            decode[ord(ch)] = uni
        shown = bytes([code]).decode("cp1252")
        encode[ord(uni)] = shown
        if uni.upper() != uni and not any(u == uni.upper() for u, _ in pairs):
            encode[ord(uni.upper())] = shown  # no capital code: use the lower-case one
    return decode, encode


_TCVN3_DECODE, _TCVN3_ENCODE = _build_tcvn3()
_TCVN3_DISTINCT_LOWER = frozenset(_TCVN3_ENCODE[ord(c)] for c in "ăâêôơưđ")
_TCVN3_DISTINCT_UPPER = frozenset(_TCVN3_ENCODE[ord(c)] for c in "ĂÂÊÔƠƯĐ")
#: Codes whose capital and small letters look the same in the font.
_TCVN3_SHARED = frozenset(chr(k) for k in _TCVN3_DECODE) - _TCVN3_DISTINCT_LOWER - (
    _TCVN3_DISTINCT_UPPER
)


def _build_vni() -> tuple[dict[str, str], dict[int, str]]:
    decode: dict[str, str] = {}
    encode: dict[int, str] = {}
    pairs: list[tuple[str, str]] = []
    for row in _rows(_VNI_VOWELS):
        base_row = next(r for r in _rows(_UNICODE_VOWELS) if r[0] == row[0])
        pairs += list(zip(base_row, row[1:], strict=True))
    pairs += [(row[0], row[1]) for row in _rows(_VNI_OTHER)]
    for uni, vni in pairs:
        for u, v in ((uni, vni), (uni.upper(), vni.upper())):
            if u != v:
                encode[ord(u)] = v
                decode[v] = u
    # Tolerate a mark typed in the other case than its base letter ("Aù" for Á).
    for v, u in list(decode.items()):
        if len(v) == 2:
            decode.setdefault(v[0] + v[1].swapcase(), u)
    return decode, encode


_VNI_DECODE, _VNI_ENCODE = _build_vni()
_VNI_RE = re.compile(
    "|".join(re.escape(k) for k in sorted(_VNI_DECODE, key=len, reverse=True))
)

# Every character a legacy table can produce; they belong inside words when splitting.
_LEGACY_CHARS = "".join(
    sorted({chr(k) for k in _TCVN3_DECODE} | {c for k in _VNI_DECODE for c in k})
)
_WORD_RE = re.compile(r"(?:[^\W\d_]|[" + re.escape(_LEGACY_CHARS) + r"])+")

# ---------------------------------------------------------------------------------------
# Normalisation and search
# ---------------------------------------------------------------------------------------


def nfc(s: str) -> str:
    """Compose to NFC, the one form names are stored in, so equal names compare equal."""
    return unicodedata.normalize("NFC", s)


def clean_name(s: str) -> str:
    """Tidy a typed or pasted name without touching its letters.

    Officers paste names from Word and Excel with stray spaces and decomposed accents;
    those must not make two records of the same person differ.
    """
    return " ".join(nfc(s).split())


_PLAIN = {"ă": "a", "â": "a", "ê": "e", "ô": "o", "ơ": "o", "ư": "u", "đ": "d"}
_FOLD = {ord(ch): _PLAIN.get(base, base) for ch, (base, _) in _LETTER_INFO.items()}
_FOLD.update({ord("Ð"): "d", ord("ð"): "d"})  # eth, a common stand-in for Đ


def fold(s: str) -> str:
    """Search key that ignores accents, case and spacing.

    Officers type "nguyen van a" on keyboards without a Vietnamese input method; it must
    still find "Nguyễn Văn A".
    """
    s = nfc(s).translate(_FOLD)
    if not s.isascii():
        s = unicodedata.normalize("NFD", s.lower())
        s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(s.split())


# ---------------------------------------------------------------------------------------
# Collation
# ---------------------------------------------------------------------------------------

_RANK_BASE = 0xE000  # private-use code points: above every digit, space and punctuation
_PRIMARY: dict[int, str] = {}
_SECONDARY: dict[int, str] = {}


def _build_collation() -> None:
    rank = {letter: chr(_RANK_BASE + i) for i, letter in enumerate(ALPHABET)}
    for ch, (base, tone) in _LETTER_INFO.items():
        _PRIMARY[ord(ch)] = rank[base]
        _SECONDARY[ord(ch)] = str(tone)
    # Other accented Latin letters (é in a French name, ü, ñ …) sort with their base.
    for cp in range(0xC0, 0x250):
        ch = chr(cp)
        if cp in _PRIMARY or not ch.isalpha():
            continue
        base = unicodedata.normalize("NFD", ch)[0].lower()
        if base in rank and base.isascii():
            _PRIMARY[cp] = rank[base]
            _SECONDARY[cp] = "6"


_build_collation()


def sort_key(s: str) -> tuple[str, str, str]:
    """Key for sorting in Vietnamese dictionary order.

    Python's default order puts "Đức" after "Zô" and "Ánh" after every plain letter. The
    key compares base letters first (a < ă < â < b … d < đ …, case ignored), then tones
    in the order none, huyền, hỏi, ngã, sắc, nặng, then case, like a collation's
    primary, secondary and tertiary levels.
    """
    s = " ".join(nfc(s).split())
    return (s.translate(_PRIMARY), s.translate(_SECONDARY), s)


def name_sort_key(full_name: str) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
    """Key for sorting people the Vietnamese way: by given name, then the rest.

    The given name is the last word ("Bình" in "Nguyễn Thị Bình"); lists of workers are
    ordered by it, and only ties fall back to the family and middle names.
    """
    words = nfc(full_name).split()
    if not words:
        return sort_key(""), sort_key("")
    return sort_key(words[-1]), sort_key(" ".join(words[:-1]))


# ---------------------------------------------------------------------------------------
# Syllables
# ---------------------------------------------------------------------------------------

# Spelling of a syllable, written without its tone (checked separately): an onset, then a
# rhyme. The onsets include a few clusters found in names from the Central Highlands
# (Krông, Blao), and k closes a few rhymes for the same reason (Đắk Lắk).
_ONSETS = frozenset("""
    b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x
    bl br dr kl kr pl pr
""".split()) | {""}

# Rhymes without a final consonant.
_OPEN_RHYMES = """
    a e ê i o ô ơ u ư y
    ai ao au ay âu ây eo êu ia iu oa oe oi ôi ơi ua uê ui uơ uy ưa ưi ưu
    iêu yêu oai oao oay oeo uây uôi uya uyu ươi ươu
"""

# Vowel nucleus, then the final consonants it takes.
_CLOSED_RHYMES = """
    a    c ch k m n ng nh p t
    ă    c k m n ng p t
    â    c k m n ng p t
    e    c k m n ng p t
    ê    ch m n nh p t
    i    ch m n nh p t
    o    c k m n ng p t
    oo   c ng
    ô    c k m n ng p t
    ơ    m n p t
    u    c k m n ng p t
    ư    c m n ng t
    y    ch nh t
    iê   c m n ng p t
    yê   m n ng t
    oa   c ch m n ng nh p t
    oă   c m n ng t
    oe   n t
    uâ   n ng t
    uê   ch n nh
    uô   c m n ng t
    uy   ch n nh p t
    uyê  n t
    ươ   c m n ng p t
"""


def _build_rhymes() -> frozenset[str]:
    rhymes = set(_OPEN_RHYMES.split())
    for line in _CLOSED_RHYMES.strip().splitlines():
        nucleus, *codas = line.split()
        rhymes.update(nucleus + coda for coda in codas)
    return frozenset(rhymes)


_RHYMES = _build_rhymes()
_STOPS = ("c", "ch", "p", "t")


def is_vietnamese_syllable(word: str) -> bool:
    """Whether ``word`` is spelled like one Vietnamese syllable (tone included).

    Used to tell real Vietnamese from legacy-font mojibake: "Nguyễn" passes, "NguyÔn"
    (TCVN3) and "Nguyeãn" (VNI) do not.
    """
    bases: list[str] = []
    tone = 0
    for ch in nfc(word):
        info = _LETTER_INFO.get(ch)
        if info is None:
            return False
        bases.append(info[0])
        if info[1]:
            if tone:
                return False
            tone = info[1]
    spelled = "".join(bases)
    for cut in range(min(3, len(spelled)) + 1):
        if spelled[:cut] in _ONSETS and spelled[cut:] in _RHYMES:
            # A syllable closed by p, t, c or ch takes only the sắc or nặng tone.
            if not spelled.endswith(_STOPS) or tone in (4, 5):
                return True
    return False


def looks_vietnamese(s: str) -> bool:
    """Whether every word of ``s`` that has a non-ASCII character is a Vietnamese syllable.

    True for ASCII and for well-formed Unicode Vietnamese; false for most legacy-font
    mojibake ("NguyÔn", "Nguyeãn"), which is how ``detect_legacy`` tells them apart.
    """
    return all(w.isascii() or is_vietnamese_syllable(w) for w in _WORD_RE.findall(s))


# ---------------------------------------------------------------------------------------
# Legacy encodings
# ---------------------------------------------------------------------------------------


def tcvn3_to_unicode(s: str) -> str:
    """Convert text typed with a TCVN3 (.VnTime) font to Unicode NFC.

    The font shares one code between a toned small letter and its capital, so case is
    restored from the surrounding letters: a text whose letters are all capitals (typed
    in .VnTimeH) becomes all capitals, and in a Title Case text a word that begins with a
    shared code gets a capital; otherwise the small letter is used.
    """
    s = nfc(s)
    out = s.translate(_TCVN3_DECODE)
    if not any(ord(ch) in _TCVN3_DECODE for ch in s):
        return out
    words = [(m.start(), m.group()) for m in _WORD_RE.finditer(s)]
    ascii_lower = upper_inside = upper_first = lower_first = False
    for _, word in words:
        for i, ch in enumerate(word):
            if (ch.isascii() and ch.islower()) or ch in _TCVN3_DISTINCT_LOWER:
                lower_first = lower_first or i == 0
                if ch.isascii():
                    ascii_lower = True
            elif (ch.isascii() and ch.isupper()) or ch in _TCVN3_DISTINCT_UPPER:
                if i == 0:
                    upper_first = True
                else:
                    upper_inside = True
    if upper_inside and not ascii_lower:
        return nfc(out.upper())
    if upper_first and not lower_first and not upper_inside:
        chars = list(out)
        for start, word in words:
            if word[0] in _TCVN3_SHARED:
                chars[start] = chars[start].upper()
        out = "".join(chars)
    return nfc(out)


def unicode_to_tcvn3(s: str) -> str:
    """Encode Unicode text the way a TCVN3 (.VnTime) spreadsheet holds it.

    Returns the Windows-1252 reading of the bytes (``.encode("cp1252")`` gives the bytes).
    Toned capitals have no code of their own and become the small letter's code.
    Characters outside the Vietnamese letters are left as they are.
    """
    return nfc(s).translate(_TCVN3_ENCODE)


def vni_to_unicode(s: str) -> str:
    """Convert text typed with a VNI-Windows font to Unicode NFC.

    Each base letter takes the longest mark sequence that follows it, so "oâ" is ô and
    "ôù" is ớ.
    """
    return nfc(_VNI_RE.sub(lambda m: _VNI_DECODE[m.group()], nfc(s)))


def unicode_to_vni(s: str) -> str:
    """Encode Unicode text the way a VNI-Windows spreadsheet holds it (cp1252 reading)."""
    return nfc(s).translate(_VNI_ENCODE)


# The legacy encodings by name, each with its conversion to Unicode.
LEGACY_TO_UNICODE: dict[str, Callable[[str], str]] = {"tcvn3": tcvn3_to_unicode,
                                                      "vni": vni_to_unicode}


def detect_legacy(s: str) -> str | None:
    """Name the legacy encoding ``s`` was typed in: "tcvn3", "vni", or None.

    Conservative on purpose, because converting real Unicode would destroy it: a text is
    called legacy only when it contains a word that cannot be Vietnamese as it stands and
    exactly one of the two conversions turns every such word into a Vietnamese syllable.
    ASCII and well-formed Unicode Vietnamese are never legacy.
    """
    if s.isascii():
        return None
    s = nfc(s)
    if looks_vietnamese(s):
        return None
    found = [name for name, convert in LEGACY_TO_UNICODE.items()
             if (out := convert(s)) != s and looks_vietnamese(out)]
    return found[0] if len(found) == 1 else None


def detect_legacy_many(texts: Iterable[str]) -> str | None:
    """Name the legacy encoding of a whole column or file of texts, or None.

    One cell can be ambiguous ("Thò Hô" is VNI for Thị Hơ but also reads as Unicode), a
    column rarely is: the answer is the encoding some cell is detected as, when no cell
    is detected as the other one and every cell converts to Vietnamese with it.
    """
    texts = [nfc(t) for t in texts if not t.isascii()]
    kinds = {detect_legacy(t) for t in texts} - {None}
    if len(kinds) != 1:
        return None
    kind = kinds.pop()
    convert = LEGACY_TO_UNICODE[kind]
    return kind if all(looks_vietnamese(convert(t)) for t in texts) else None


def fix_legacy(s: str) -> str:
    """Return ``s`` in Unicode NFC, converting it first if it is TCVN3 or VNI text."""
    kind = detect_legacy(s)
    return LEGACY_TO_UNICODE[kind](s) if kind else nfc(s)


# ---------------------------------------------------------------------------------------
# Money
# ---------------------------------------------------------------------------------------


def vnd(amount: int) -> str:
    """Format whole đồng the Vietnamese way, with dots between thousands (10.620.000).

    Money is kept in whole đồng; a fractional amount here is a bug upstream, so it is
    refused rather than rounded silently. An integral Decimal is accepted.
    """
    if isinstance(amount, bool):
        raise TypeError("amount must be an int, not bool")
    if isinstance(amount, Decimal):
        if amount != amount.to_integral_value():
            raise ValueError(f"amount is not whole đồng: {amount}")
        amount = int(amount)
    if not isinstance(amount, int):
        raise TypeError(f"amount must be an int, not {type(amount).__name__}")
    sign = "-" if amount < 0 else ""
    return sign + f"{abs(amount):,}".replace(",", ".")


# ---------------------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------------------


def counted(names: Iterable[str]) -> str:
    """Each name once, in the order first met, with its count when more than one:
    "D02-LT, TK1-TS × 3" (a dossier's forms, one TK1-TS per new worker)."""
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    return ", ".join(f"{name} × {n}" if n > 1 else name for name, n in counts.items())
