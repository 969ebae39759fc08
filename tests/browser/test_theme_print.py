"""An official prints an article: Chromium's PDF (print media) holds the
article alone, with its title, date, captions and address."""

import io
import re
import unicodedata

from pypdf import PdfReader

from browsing import screenshot

CONFERENCE = "/2022/06/phuong-duc-thuan-so-ket-5-nam-thuc-hien-chi-thi-20/"


def _squeeze(text: str) -> str:
    """NFC without any whitespace: pypdf splits words around glyphs with
    diacritics ("Ph ườ ng"), so texts are compared without spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def _pdf_text(pdf: bytes) -> str:
    return _squeeze("".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages))


def test_printed_article_is_the_article_alone(desktop, site_url, tmp_path):
    desktop.goto(site_url + CONFERENCE)
    title = _squeeze(desktop.locator("h1").inner_text())
    date = desktop.locator("article time").first.inner_text()
    captions = [_squeeze(c) for c in desktop.locator("figure figcaption").all_inner_texts()]
    menu = [_squeeze(t) for t in desktop.get_by_role("navigation", name="Menu chính").get_by_role("link").all_inner_texts()]
    sidebar_titles = [_squeeze(t) for t in desktop.locator(".sidebar h2").all_inner_texts()]
    assert len(captions) == 2 and menu and sidebar_titles

    desktop.emulate_media(media="print")
    pdf = desktop.pdf(format="A4", print_background=False)
    (tmp_path / "article.pdf").write_bytes(pdf)
    screenshot(desktop, "theme-article-print")  # the print layout, for a person to look at
    text = _pdf_text(pdf)

    assert title in text
    assert _squeeze(date) in text
    for caption in captions:
        assert caption in text
    assert _squeeze("Địa chỉ bài viết:") in text and CONFERENCE in text
    for entry in map(_squeeze, ["Văn hóa - Xã hội", "Quốc phòng - An ninh", "Giới thiệu", "Liên hệ", "Bản đồ", "Ca khúc"]):
        assert entry in menu and entry not in text, entry
    for heading in sidebar_titles:
        assert heading.upper() not in text.upper(), heading
    for furniture in map(_squeeze, ["Chia sẻ", "Facebook", "Zalo", "Bài liên quan", "Tin khác", "Bài trước",
                                    "Cơ quan chủ quản", "Liên kết website", "Trang chủ"]):
        assert furniture not in text, furniture
