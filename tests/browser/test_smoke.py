"""The demo site opens in Chromium and shows the conference report."""

from browsing import screenshot

CONFERENCE = "/2022/06/phuong-duc-thuan-so-ket-5-nam-thuc-hien-chi-thi-20/"


def test_article_renders_with_captions_in_chromium(phone, site_url):
    response = phone.goto(site_url + CONFERENCE)
    assert response.status == 200
    assert phone.locator("h1").first.inner_text() == "Phường Đức Thuận sơ kết 5 năm thực hiện Chỉ thị 20"
    captions = phone.locator("figure figcaption").all_inner_texts()
    assert len(captions) == 2 and "Phan Tất Cương" in captions[0]
    screenshot(phone, "smoke-article-phone")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
