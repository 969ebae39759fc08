"""With JavaScript off, the phone menu opens and every menu entry and every
page's content can be reached."""

import re

from browsing import screenshot

CATEGORIES = ["Tin tức - Sự kiện", "Xây dựng Đảng", "Chính quyền", "Kinh tế", "Văn hóa - Xã hội",
              "Quốc phòng - An ninh", "Thông báo"]
MENU = ["Trang chủ", *CATEGORIES, "Bản đồ", "Ca khúc", "Giới thiệu", "Liên hệ"]


def test_phone_menu_opens_and_a_link_is_followed_without_javascript(no_js, site_url):
    no_js.goto(site_url + "/")
    nav = no_js.get_by_role("navigation", name="Menu chính")
    assert not nav.is_visible()  # folded on a phone
    no_js.get_by_role("link", name=re.compile("^Menu")).click()
    assert nav.is_visible()
    links = nav.get_by_role("link")
    names = [name.strip() for name in links.all_inner_texts()]
    assert names[: len(MENU)] == MENU
    for index in range(len(MENU)):
        assert links.nth(index).is_visible()
    screenshot(no_js, "theme-menu-open-nojs-phone")

    nav.get_by_role("link", name="Kinh tế").click()
    no_js.wait_for_url(re.compile(r"/chuyen-muc/kinh-te/$"))
    assert no_js.locator("h1").inner_text() == "Kinh tế"
    assert no_js.locator(".article-item").count() >= 1

    # and it closes again
    no_js.get_by_role("link", name=re.compile("^Menu")).click()
    no_js.get_by_role("link", name="Đóng menu").click()
    assert not no_js.get_by_role("navigation", name="Menu chính").is_visible()


def test_every_page_type_shows_its_content_without_javascript(no_js, site_url):
    pages = {
        "/": "Tin nổi bật",
        "/2022/06/phuong-duc-thuan-so-ket-5-nam-thuc-hien-chi-thi-20/": "Nhiệm vụ trong thời gian tới",
        "/chuyen-muc/thong-bao/": "Thông báo",
        "/the/chi-thi-20/": "Chỉ thị 20",
        "/tin-tuc/": "Năm 2022",
        "/lien-he/": "Liên hệ",
    }
    for path, text in pages.items():
        no_js.goto(site_url + path)
        assert no_js.get_by_role("main").get_by_text(text, exact=False).first.is_visible(), path
        assert no_js.get_by_role("complementary").get_by_text("Liên kết website").is_visible(), path
    # the figures' photos are there without scripts (lazy loading is native)
    no_js.goto(site_url + "/2022/06/phuong-duc-thuan-so-ket-5-nam-thuc-hien-chi-thi-20/")
    assert no_js.locator("figure img").count() == 2
