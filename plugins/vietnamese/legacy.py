"""Vietnamese typed in legacy encodings, and UTF-8 read as Windows-1252.

Before Unicode, Vietnamese was typed with 8-bit font encodings. Text copied
from an old document and pasted into a UTF-8 file keeps those bytes as
Latin-1 letters and shows as garbage:

- TCVN3 (ABC, fonts ``.VnTime``): "Đức Thuận" → "§øc ThuËn";
- VNI (fonts ``VNI-Times``): a base letter followed by a mark letter,
  "Đức Thuận" → "Ñöùc Thuaän";
- UTF-8 bytes decoded as Windows-1252: "Việt" → "Viá»‡t".

This module converts each back (:func:`tcvn3_to_unicode`,
:func:`vni_to_unicode`, :func:`undo_cp1252`) and finds such words in a line
(:func:`find_legacy`). A word is reported only when it is *not* a valid
Vietnamese syllable as written and its conversion *is* one
(:func:`is_syllable`), so correct Vietnamese is never reported.
Pure logic, no Pelican import.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata

# --- Vietnamese syllables ----------------------------------------------------

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng

ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
          "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")

# Rhymes without tone: vowel nucleus (with its medial o/u) -> allowed endings.
_RHYMES = {
    "a": "|c|ch|i|m|n|ng|nh|o|p|t|u|y",
    "ă": "c|m|n|ng|p|t",
    "â": "c|m|n|ng|p|t|u|y",
    "e": "|c|ch|m|n|ng|nh|o|p|t",
    "ê": "|ch|m|n|nh|p|t|u",
    "i": "|a|ch|m|n|nh|p|t|u",
    "iê": "c|m|n|ng|p|t|u",
    "y": "|a",
    "yê": "m|n|ng|t|u",
    "o": "|c|i|m|n|ng|p|t",
    "oo": "c|ng",
    "ô": "|c|i|m|n|ng|p|t",
    "ơ": "|i|m|n|p|t",
    "u": "|a|c|i|m|n|ng|p|t|y",
    "uô": "c|i|m|n|ng|t",
    "ư": "|a|c|i|m|n|ng|t|u",
    "ươ": "c|i|m|n|ng|p|t|u",
    # medial o
    "oa": "|c|ch|i|m|n|ng|nh|o|p|t|y",
    "oă": "c|m|n|ng|t",
    "oe": "|c|m|n|o|t",
    # medial u (after consonants other than q)
    "uâ": "n|ng|t|y",
    "uê": "|ch|n|nh",
    "uơ": "|n",
    "uy": "|a|ch|n|nh|t|u",
    "uyê": "n|t",
}
RHYMES = frozenset(nucleus + ending for nucleus, endings in _RHYMES.items() for ending in endings.split("|"))
_SYLLABLE_LETTERS = frozenset("abcdeghiklmnopqrstuvxyăâđêôơư")


def strip_tone(word: str) -> tuple[str, int]:
    """Return (lower-case word without its tone mark, number of tone marks)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for char in decomposed if char in TONE_MARKS)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS)), tones


def is_syllable(word: str) -> bool:
    """True when ``word`` is one well-formed Vietnamese syllable (any case,
    any tone placement: "Hòa" and "Hoà" both pass)."""
    bare, tones = strip_tone(word)
    if not bare or tones > 1 or not set(bare) <= _SYLLABLE_LETTERS:
        return False
    for onset in ONSETS:
        if not bare.startswith(onset):
            continue
        rest = bare[len(onset):]
        if rest in RHYMES:
            return True
        if onset == "gi" and (rest == "" or "i" + rest in RHYMES):  # gì, gìn
            return True
    return False


def is_vietnamese_words(text: str) -> bool:
    """True when ``text`` is one or more syllables joined by hyphens, one of
    them at least with a letter outside ASCII."""
    parts = text.split("-")
    return all(is_syllable(part) for part in parts) and any(not part.isascii() for part in parts)


# --- Converters --------------------------------------------------------------

_TCVN3 = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
TCVN3_TABLE = str.maketrans({chr(code): letter for code, letter in _TCVN3.items()})


def tcvn3_to_unicode(text: str) -> str:
    """Convert text typed with a TCVN3 (ABC) font and read as Latin-1.

    TCVN3 has no upper-case toned letters: titles were typed in lower case
    with an upper-case font (``.VnTimeH``), so a word whose other letters
    (two at least, or one in an upper-case line) are all upper case is
    upper-cased ("§¶NG" → "ĐẢNG")."""
    def upper(chars: list[str]) -> bool:
        return bool(chars) and all(c.isupper() for c in chars)

    line_letters = [c for c in text if c.isascii() and c.isalpha()]
    upper_line = len(line_letters) >= 3 and upper(line_letters)
    out = []
    for word in re.split(r"(\s+)", text):
        converted = word.translate(TCVN3_TABLE)
        letters = [c for c in word if c.isascii() and c.isalpha()]
        if converted != word and upper(letters) and (len(letters) >= 2 or upper_line):
            converted = converted.upper()
        out.append(converted)
    return "".join(out)


# VNI-Windows: marks typed as separate Latin-1 letters after the vowel.
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_VNI_TONES = {"ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
_VNI_CIRC = {"â": "", "á": _ACUTE, "à": _GRAVE, "å": _HOOK, "ã": _TILDE, "ä": _DOT}
_VNI_BREVE = {"ê": "", "é": _ACUTE, "è": _GRAVE, "ú": _HOOK, "ü": _TILDE, "ë": _DOT}
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}
_VNI_BASES = {"a", "e", "o", "u", "y", "i", "ô", "ö"}


def _vni_pair(base: str, mark: str) -> str | None:
    """The letter for VNI ``base`` + ``mark`` (case as typed), or None."""
    lower_base, lower_mark = base.lower(), mark.lower()
    if lower_base not in _VNI_BASES or base.isupper() != mark.isupper():
        return None
    letter = _VNI_SINGLE.get(lower_base, lower_base)
    if lower_mark in _VNI_TONES and lower_base != "i":
        combined = letter + _VNI_TONES[lower_mark]
    elif lower_mark in _VNI_CIRC and lower_base in "aeo":
        combined = letter + _CIRC + _VNI_CIRC[lower_mark]
    elif lower_mark in _VNI_BREVE and lower_base == "a":
        combined = letter + _BREVE + _VNI_BREVE[lower_mark]
    else:
        return None
    combined = unicodedata.normalize("NFC", combined)
    return combined.upper() if base.isupper() else combined


def vni_to_unicode(text: str) -> str:
    """Convert text typed with a VNI font and read as Latin-1."""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if index + 1 < len(text):
            pair = _vni_pair(char, text[index + 1])
            if pair is not None:
                out.append(pair)
                index += 2
                continue
        single = _VNI_SINGLE.get(char.lower())
        out.append((single.upper() if char.isupper() else single) if single else char)
        index += 1
    return "".join(out)


def _cp1252_map() -> dict[str, int]:
    mapping = {}
    for byte in range(0x80, 0x100):
        try:
            char = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            char = chr(byte)  # undefined in cp1252: Latin-1 readers keep the C1 control
        mapping[char] = byte
        mapping[chr(byte)] = byte  # the same bytes read as Latin-1
    return mapping


_CP1252 = _cp1252_map()
_LEAD2 = "".join(re.escape(c) for c, b in _CP1252.items() if 0xC2 <= b <= 0xDF)
_LEAD3 = "".join(re.escape(c) for c, b in _CP1252.items() if 0xE0 <= b <= 0xEF)
_CONT = "".join(re.escape(c) for c, b in _CP1252.items() if 0x80 <= b <= 0xBF)
_MOJIBAKE = re.compile(f"(?:[{_LEAD2}][{_CONT}]|[{_LEAD3}][{_CONT}]{{2}})+")


def undo_cp1252(text: str) -> str:
    """Undo UTF-8 text that was decoded as Windows-1252 (or Latin-1):
    "Viá»‡t" → "Việt". Parts that do not decode are left as they are."""

    def repair(match: re.Match) -> str:
        raw = bytes(_CP1252[c] for c in match.group())
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return match.group()

    return _MOJIBAKE.sub(repair, text)


# --- Finding legacy words in a line --------------------------------------------

ENCODINGS = {
    "cp1252": ("chữ UTF-8 bị đọc nhầm theo bảng mã Windows-1252", undo_cp1252),
    "tcvn3": ("chữ gõ bằng bảng mã TCVN3 (ABC, phông .VnTime)", tcvn3_to_unicode),
    "vni": ("chữ gõ bằng bảng mã VNI (phông VNI-Times)", vni_to_unicode),
}
_EDGE_PUNCTUATION = "\"'()[]{}.,;:!?…–—“”‘’«»*_`"
_LATIN1_OR_CP1252 = frozenset(_CP1252) | frozenset(chr(c) for c in range(0x80))


@dataclasses.dataclass(frozen=True)
class Finding:
    encoding: str  # a key of ENCODINGS
    word: str  # as written
    intended: str  # the likely intended word


def _core(word: str) -> str:
    return word.strip(_EDGE_PUNCTUATION)


@functools.lru_cache(maxsize=1 << 16)  # words repeat: a build checks each distinct one once
def _candidate(word: str) -> bool:
    core = _core(word)
    return (
        not word.isascii()
        and set(word) <= _LATIN1_OR_CP1252
        and not any(c.isdigit() for c in word)
        and any(c.isascii() and c.isalpha() for c in core)  # "©", "«", "·" alone are symbols
        and not is_vietnamese_words(core)  # correct Vietnamese as written: never reported
    )


@functools.lru_cache(maxsize=1 << 16)
def _converts(word: str, encoding: str) -> str | None:
    converted = ENCODINGS[encoding][1](word)
    return converted if converted != word and is_vietnamese_words(_core(converted)) else None


def find_legacy(line: str) -> list[Finding]:
    """The words of ``line`` that look typed in a legacy encoding.

    The encoding is chosen for the whole line (the one that explains most
    words). A line with a single such word is reported only when the
    intended word has a letter outside Latin-1 ("Việt", not "àm" from
    "µm"), so symbols in correct text are left alone."""
    words = [word for word in line.split() if _candidate(word)]
    best: list[Finding] = []
    for encoding in ENCODINGS:
        found = [Finding(encoding, word, converted) for word in words
                 if (converted := _converts(word, encoding)) is not None]
        if len(found) > len(best):
            best = found
    if len(best) == 1 and all(ord(c) < 0x100 for c in best[0].intended):
        return []
    return best


def convert_line(line: str, findings: list[Finding]) -> str:
    """``line`` with every word the findings' encoding explains converted:
    the likely intended text."""
    if not findings:
        return line
    encoding = findings[0].encoding

    def convert(match: re.Match) -> str:
        word = match.group()
        if word.isascii() or not set(word) <= _LATIN1_OR_CP1252:
            return word
        return _converts(word, encoding) or word

    return re.sub(r"\S+", convert, line)
