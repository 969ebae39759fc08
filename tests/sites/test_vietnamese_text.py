"""NFC, typography and captions in built pages."""

import unicodedata

from helpers import article

BODY = """Hội nghị "sơ kết" Chỉ thị 20 -- Đảng ủy, HĐND và UBND phường cùng dự.

## Đánh giá kết quả

![Đồng chí Phan Tất Cương báo cáo](images/2022/06/bao-cao.jpg)
*Đồng chí Phan Tất Cương - Phó Bí thư thường trực Đảng ủy phường báo cáo*
"""


def test_nfd_article_builds_to_the_same_html_as_nfc(build_tiny):
    nfc_source = article(title="Đức Thuận tổng kết", body=BODY, Tags="Đảng ủy, bầu cử")
    nfd_source = unicodedata.normalize("NFD", nfc_source)
    assert nfd_source != nfc_source
    photo = {"images/2022/06/bao-cao.jpg": b"jpeg"}
    first = build_tiny({"articles/a.md": nfc_source, **photo})
    second = build_tiny({"articles/a.md": nfd_source, **photo})
    page = "2022/06/duc-thuan-tong-ket/index.html"
    assert first.text(page) == second.text(page)
    assert first.text("index.html") == second.text("index.html")
    assert (second.output / "the/dang-uy/index.html").exists()


def test_typography_for_vietnamese(build_tiny):
    build = build_tiny({"articles/a.md": article(title='Tổng kết "năm" HĐND', body=BODY),
                        "images/2022/06/bao-cao.jpg": b"jpeg"})
    soup = build.html("2022/06/tong-ket-nam-hdnd/index.html")
    body = str(soup.select_one(".article-body"))
    assert "\u201csơ kết\u201d" in body  # curly quotes
    assert "\u2013" in body or "\u2014" in body  # a dash
    assert 'class="caps"' not in body
    assert soup.title.string.count("\xa0") == 0
    assert "\xa0" not in soup.select_one("figcaption").get_text()
    for meta in soup.find_all("meta"):
        assert "\xa0" not in (meta.get("content") or "") and "<" not in (meta.get("content") or "")
    assert soup.select_one("h2")["id"] == "danh-gia-ket-qua"
