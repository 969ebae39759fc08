"""The demo site, built once strictly: what a citizen sees."""

import unicodedata

from helpers import parse

CONFERENCE = "2022/06/phuong-duc-thuan-so-ket-5-nam-thuc-hien-chi-thi-20/index.html"


def test_conference_report_has_its_date_and_two_captioned_officials(demo_site):
    assert "duc-thuan" in CONFERENCE
    soup = parse(demo_site / CONFERENCE)
    assert soup.select_one("article time").get_text() == "Thứ Sáu, 10/06/2022"
    figures = soup.select("article figure")
    assert len(figures) == 2
    captions = [figure.figcaption.get_text() for figure in figures]
    assert "Phan Tất Cương" in captions[0]
    assert "Lê Thị Thu Hiền" in captions[1]
    for figure in figures:
        assert figure.img["alt"].strip()


def test_demo_has_enough_articles_categories_and_years(demo_site):
    articles = [p for p in demo_site.glob("20*/*/*/index.html")]
    assert len(articles) >= 12
    years = {p.relative_to(demo_site).parts[0] for p in articles}
    assert len(years) >= 2
    categories = {parse(p).select_one(".article-category").get_text(strip=True) for p in articles}
    assert len(categories) >= 4


def test_pages_exist(demo_site):
    assert parse(demo_site / "gioi-thieu/index.html").h1.get_text() == "Giới thiệu"
    assert parse(demo_site / "lien-he/index.html").h1.get_text() == "Liên hệ"


def test_every_page_is_vietnamese_and_nfc(demo_site):
    for path in demo_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), path
        assert parse(path).html["lang"] == "vi", path


def test_urls_are_ascii(demo_site):
    for path in demo_site.rglob("*"):
        assert str(path.relative_to(demo_site)).isascii(), path
