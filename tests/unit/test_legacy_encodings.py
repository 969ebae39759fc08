"""Vietnamese typed in TCVN3 or VNI, or UTF-8 read as Windows-1252: converted
back and found; correct Vietnamese is never reported."""

from pathlib import Path

import pytest
from babel import Locale

from helpers import ROOT
from vietnamese.legacy import (
    convert_line,
    find_legacy,
    is_syllable,
    tcvn3_to_unicode,
    undo_cp1252,
    vni_to_unicode,
)

SENTENCE = "Cộng hòa xã hội chủ nghĩa Việt Nam, phường Đức Thuận, thị xã Hồng Lĩnh, tỉnh Hà Tĩnh"
TCVN3 = "Céng hßa x· héi chñ nghÜa ViÖt Nam, ph­êng §øc ThuËn, thÞ x· Hång LÜnh, tØnh Hµ TÜnh"
VNI = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam, phöôøng Ñöùc Thuaän, thò xaõ Hoàng Lónh, tænh Haø Tónh"
CP1252 = SENTENCE.encode("utf-8").decode("cp1252", errors="replace")


def test_converters_give_back_the_sentence():
    assert tcvn3_to_unicode(TCVN3) == SENTENCE
    assert vni_to_unicode(VNI) == SENTENCE
    mojibake = "Viá»‡t Nam Ä‘Æ°á»£c cÃ´ng nháº­n"
    assert undo_cp1252(mojibake) == "Việt Nam được công nhận"


def test_cp1252_bytes_undefined_in_windows_1252_are_read_as_latin1_controls():
    # "ờ" is E1 BB 9D; 0x9D has no Windows-1252 letter, Latin-1 readers keep U+009D.
    assert undo_cp1252("ngÆ°á»\x9di") == "người"


def test_tcvn3_upper_case_titles_typed_with_an_upper_case_font():
    assert tcvn3_to_unicode("§¶NG Bé PH¦êNG") == "ĐẢNG BỘ PHƯỜNG"


@pytest.mark.parametrize(("line", "encoding"), [(TCVN3, "tcvn3"), (VNI, "vni"), ("Viá»‡t Nam Ä‘Æ°á»£c", "cp1252")])
def test_lines_in_legacy_encodings_are_found_with_the_intended_text(line, encoding):
    findings = find_legacy(line)
    assert findings and {f.encoding for f in findings} == {encoding}
    assert len(findings) >= 2
    intended = convert_line(line, findings)
    assert "Việt Nam" in intended
    if encoding != "cp1252":
        assert intended == SENTENCE


def test_a_single_legacy_word_is_found_when_it_cannot_be_latin1():
    assert [f.intended for f in find_legacy("Báo cáo của ViÖt")] == ["Việt"]
    assert find_legacy("kích thước 5 µm") == []  # "àm" would be Latin-1 only: a symbol, left alone


CORRECT = [
    SENTENCE,
    "Đảng ủy, HĐND, UBND, MTTQ phường; «Đức Thuận» — “quê hương” © 2024 · 3×4 ½",
    "Hoà, Hòa, Thuỷ, Thủy, khuya, quý, gì, gìn, giữa, người, khuỷu, nguyễn, xoong, oái oăm",
    "NGÃ” ĐÃ” CÔ KHÔNG ÔNG Á Ý Ô À",
    "café, José, Pokémon, Zürich, Curaçao, Réunion, ôtô, Mác-Lênin, Xô-viết",
    "Chiều 10/6, Đảng ủy phường tổ chức hội nghị sơ kết 5 năm thực hiện Chỉ thị 20-CT/TW.",
]


@pytest.mark.parametrize("line", CORRECT)
def test_correct_vietnamese_and_foreign_names_are_never_reported(line):
    assert find_legacy(line) == []


def test_babel_vietnamese_names_are_never_reported():
    vi = Locale("vi")
    names = [*vi.languages.values(), *vi.territories.values(), *vi.currencies.values(), *vi.scripts.values()]
    assert len(names) > 1000
    assert [name for name in names if find_legacy(name)] == []


def test_demo_content_is_never_reported():
    lines = 0
    for path in sorted((ROOT / "content").rglob("*")):
        if path.suffix in (".md", ".yml", ".yaml"):
            for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
                lines += 1
                assert find_legacy(line) == [], f"{path}:{number}"
    assert lines > 200


@pytest.mark.parametrize("word", ["người", "khuya", "quốc", "giường", "nghĩa", "Hoà", "THUẬN", "oanh", "uyển", "khuỷu"])
def test_syllables(word):
    assert is_syllable(word)


@pytest.mark.parametrize("word", ["ViÖt", "Vieät", "cafe", "Zurich", "hòá", "thuận-"])
def test_not_syllables(word):
    assert not is_syllable(word)
