"""What a 375 px phone at 2× density downloads (acceptance point 6, in Chromium)."""

from __future__ import annotations

from urllib.parse import urlsplit

from browsing import PHONE

CONFERENCE = "/2022/06/phuong-duc-thuan-so-ket-5-nam-thuc-hien-chi-thi-20/"


def test_phone_at_2x_downloads_under_200_kb_for_the_conference_photos(browser, site_url, demo_site):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="vi-VN")
    page = context.new_page()
    try:
        page.goto(site_url + CONFERENCE)
        figures = page.locator("article figure img")
        assert figures.count() == 2
        chosen = []
        for index in range(2):
            img = figures.nth(index)
            img.scroll_into_view_if_needed()
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
            chosen.append(img.evaluate("img => img.currentSrc"))
            box = img.bounding_box()
            assert box["width"] <= PHONE["width"]
        names = [urlsplit(url).path for url in chosen]
        assert all(name.endswith(".960.webp") for name in names), names
        total = sum((demo_site / name.lstrip("/")).stat().st_size for name in names)
        print(f"a 375 px 2× phone downloads {total} bytes for the two conference photos: {names}")
        assert total < 200_000
        first = figures.nth(0)
        assert first.get_attribute("loading") == "eager" and first.get_attribute("fetchpriority") == "high"
        assert figures.nth(1).get_attribute("loading") == "lazy"
    finally:
        context.close()
