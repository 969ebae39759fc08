"""The editors' content checks of plugins/editorial/checks.py, rule by rule."""

import datetime as dt
import unicodedata

from editorial.checks import (
    TagUse,
    check_date,
    check_legacy,
    check_nfc,
    check_raw_html,
    check_summary,
    large_photos,
    similar_tags,
)
from editorial.header import parse_header

NOW = dt.datetime(2026, 11, 27, 15, 0)


def test_nfc_points_at_each_decomposed_line():
    raw = "Title: Hội nghị\n\n" + unicodedata.normalize("NFD", "Đảng ủy phường") + "\nđúng\n"
    problems = check_nfc(raw)
    assert [p.line for p in problems] == [3]
    assert "NFC" in problems[0].message and "make fix" in problems[0].hint
    assert check_nfc(unicodedata.normalize("NFC", raw)) == []


def test_nfc_reports_many_lines_briefly():
    raw = "\n".join([unicodedata.normalize("NFD", "Việt")] * 12)
    problems = check_nfc(raw)
    assert len(problems) == 6 and "còn 7 dòng" in problems[-1].message


def test_legacy_line_shows_the_intended_text():
    problems = check_legacy("Title: Hội nghị\n\nph­êng §øc ThuËn tæ chøc héi nghÞ\n")
    assert [p.line for p in problems] == [3]
    assert "TCVN3" in problems[0].message and "«§øc»" in problems[0].message
    assert "phường Đức Thuận tổ chức hội nghị" in problems[0].hint
    vni = check_legacy("Ñöùc Thuaän toå chöùc")
    assert "VNI" in vni[0].message and "Đức Thuận tổ chức" in vni[0].hint
    mojibake = check_legacy("Viá»‡t Nam")
    assert "Windows-1252" in mojibake[0].message and "Việt Nam" in mojibake[0].hint


def test_raw_html_that_runs_code_is_reported_on_its_line():
    body = "\n".join([
        "Đoạn văn.",
        "<script>alert(1)</script>",
        '<iframe src="https://example.com"></iframe>',
        "<style>p{color:red}</style>",
        '<p onclick="x()">bấm</p>',
        '<a href=" JaVaScRiPt:alert(1)">x</a>',
        '<span style="color:red">đỏ</span>',
        "[bấm vào đây](javascript:alert(1))",
        '<img src="x.jpg" alt="x" onerror="x()">',
    ])
    problems = check_raw_html(body, first_line=10)
    assert [p.line for p in problems] == [11, 12, 13, 14, 15, 16, 17, 18]
    text = " ".join(p.message for p in problems)
    for word in ("<script>", "<iframe>", "<style>", "onclick", "style=", "javascript", "onerror"):
        assert word.lower() in text.lower()


def test_harmless_html_and_code_are_not_reported():
    body = "\n".join([
        "Dùng `<script>` trong mã là chữ, không chạy.",
        "```html",
        "<script>alert(1)</script>",
        "```",
        '<abbr title="Ủy ban nhân dân">UBND</abbr> và [trang](https://example.gov.vn/) 2 < 3',
    ])
    assert check_raw_html(body) == []


def test_future_date_unless_draft():
    future = parse_header("Title: A\nDate: 2026-11-28 08:00\n\nx")
    assert check_date(future, NOW)[0].line == 2
    assert check_date(parse_header("Title: A\nDate: 2026-11-28 08:00\nStatus: draft\n\nx"), NOW) == []
    assert check_date(parse_header("Title: A\nDate: 2026-11-27 14:59\n\nx"), NOW) == []


def test_summary_missing_or_too_long():
    assert "thiếu" in check_summary(parse_header("Title: A\n\nx"), 300)[0].message
    too_long = check_summary(parse_header("Title: A\nSummary: " + "ư" * 301 + "\n\nx"), 300)
    assert too_long[0].line == 2 and "301 ký tự" in too_long[0].message
    assert check_summary(parse_header("Title: A\nSummary: " + "ư" * 300 + "\n\nx"), 300) == []


def test_tags_differing_only_by_case_or_accents():
    uses = [TagUse("a.md", 4, "Đảng ủy"), TagUse("b.md", 4, "Đảng ủy"), TagUse("c.md", 5, "đảng uỷ"),
            TagUse("d.md", 4, "Dang uy"), TagUse("e.md", 4, "bầu cử")]
    found = similar_tags(uses)
    assert sorted(use.path for use, _ in found) == ["c.md", "d.md"]
    assert all("«Đảng ủy»" in problem.hint for _, problem in found)
    assert similar_tags([TagUse("a.md", 4, "Đảng ủy"), TagUse("b.md", 4, "Đảng ủy")]) == []


def test_large_original_photos_are_warned_about():
    mb = 1024 * 1024
    found = large_photos([("a.jpg", 16 * mb), ("b.jpg", 14 * mb), ("c.pdf", 40 * mb)], 15)
    assert [path for path, _, _ in found] == ["a.jpg"]
    assert "16.0 MB" in found[0][1]
