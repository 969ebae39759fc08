"""The theme in Chromium: every page type is accessible (axe-core, WCAG 2.2
AA), loads nothing from another host, fits from 320 px and is photographed
for people to look at (tests/screenshots/)."""

import datetime

import pytest

from browsing import DESKTOP, PHONE, axe_violations, describe_violations, foreign_requests, record_requests, screenshot

CONFERENCE = "/2022/06/phuong-duc-thuan-so-ket-5-nam-thuc-hien-chi-thi-20/"
PAGE_TYPES = {
    "home": "/",
    "article": CONFERENCE,  # the article with two captioned figures
    "category": "/chuyen-muc/xay-dung-dang/",
    "tag": "/the/chi-thi-20/",
    "page": "/gioi-thieu/",
    "archives": "/tin-tuc/",
    "month": "/tin-tuc/2022/06/",
    "404": "/khong-co-trang-nay/",
}
SIZES = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture(params=list(SIZES), scope="module")
def sized(request, browser):
    """A page at phone or desktop size; yields (size name, page)."""
    context = browser.new_context(viewport=SIZES[request.param], locale="vi-VN",
                                  is_mobile=request.param == "phone", has_touch=request.param == "phone")
    yield request.param, context.new_page()
    context.close()


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_page_type_is_accessible_same_origin_and_photographed(sized, kind, site_url):
    size, page = sized
    requests = record_requests(page)
    response = page.goto(site_url + PAGE_TYPES[kind], wait_until="load")
    assert response.status == (404 if kind == "404" else 200)
    assert page.locator("h1").count() == 1

    violations = axe_violations(page)
    assert violations == [], f"{kind} at {size}:\n{describe_violations(violations)}"

    screenshot(page, f"theme-{kind}-{size}")  # also loads every lazy image
    assert requests, "no request recorded"
    assert foreign_requests(requests, site_url) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]


@pytest.mark.parametrize("kind", ["home", "article", "category"])
def test_no_horizontal_scrolling_at_320_px(browser, kind, site_url):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="vi-VN")
    page = context.new_page()
    page.goto(site_url + PAGE_TYPES[kind])
    page.goto(site_url + PAGE_TYPES[kind] + "#menu")  # with the phone menu open, too
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_header_shows_todays_date_in_vietnamese_when_scripts_run(desktop, site_url):
    # Every day of one week, the browser's clock set to noon in Hà Nội (a
    # Sunday's "Chủ Nhật" once failed a check written for weekdays only).
    for day in range(23, 30):  # Monday 23 to Sunday 29 November 2026
        desktop.clock.set_fixed_time(datetime.datetime(2026, 11, day, 12, tzinfo=datetime.timezone(
            datetime.timedelta(hours=7))))
        desktop.goto(site_url + "/")
        today = desktop.locator("[data-today]")
        today.wait_for(state="visible")
        expected = desktop.evaluate("""() => new Intl.DateTimeFormat("vi-VN", {weekday: "long", day: "2-digit",
            month: "2-digit", year: "numeric", timeZone: "Asia/Ho_Chi_Minh"}).format(new Date())""")
        text = today.inner_text()
        assert text == expected[0].upper() + expected[1:], text
        assert text.startswith("Chủ " if day == 29 else "Thứ ") and text.endswith(f", {day}/11/2026"), text


def test_share_copy_and_print_buttons_appear_only_with_scripts(desktop, no_js, site_url):
    desktop.goto(site_url + CONFERENCE)
    assert desktop.get_by_role("button", name="In bài viết").is_visible()
    assert desktop.get_by_role("button", name="Sao chép liên kết").is_visible()
    # "Chia sẻ…" only where the browser has a share sheet (not desktop Linux).
    has_sheet = desktop.evaluate("() => Boolean(navigator.share)")
    assert desktop.get_by_role("button", name="Chia sẻ…").is_visible() == has_sheet
    no_js.goto(site_url + CONFERENCE)
    assert not no_js.locator(".share").is_visible()
    assert no_js.locator(".share a[href]").count() == 0


def test_share_button_hands_the_article_to_the_share_sheet(desktop, site_url):
    # Chromium here has no share sheet: a page script records what the
    # button asks of navigator.share, the call a phone's sheet receives.
    desktop.add_init_script("""navigator.share = (data) => { window.shared = data; return Promise.resolve(); };""")
    desktop.goto(site_url + CONFERENCE)
    desktop.get_by_role("button", name="Chia sẻ…").click()
    shared = desktop.evaluate("() => window.shared")
    assert shared["url"] == site_url + CONFERENCE
    assert shared["title"] == desktop.locator("article h1").inner_text()


def test_focus_is_visible_on_the_skip_link(desktop, site_url):
    desktop.goto(site_url + CONFERENCE)
    desktop.keyboard.press("Tab")
    skip = desktop.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0  # moved on screen when focused
    skip.press("Enter")
    assert desktop.evaluate("location.hash") == "#noi-dung"


def test_list_thumbnails_line_up_with_the_list_edge(phone, site_url):
    phone.goto(site_url + CONFERENCE)
    edges = phone.evaluate("""() => [...document.querySelectorAll('.article-list')].map(list => [
        list.getBoundingClientRect().left,
        [...list.querySelectorAll('.article-item img')].map(img => img.getBoundingClientRect().left)])""")
    assert any(images for _, images in edges)
    for left, images in edges:
        assert all(abs(x - left) < 1 for x in images), (left, images)
