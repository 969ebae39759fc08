"""Acceptance 1: the built site served by a real nginx (deploy/nginx.conf),
Chromium readers with different user agents, a bot, two ratings (one with
JavaScript, one without); the site is rebuilt with the access log nginx
wrote, and the pages show exactly the expected counts."""

from __future__ import annotations

import datetime as dt
import urllib.request
import zoneinfo

import pytest
from statslogs import BOT_UA, DESKTOP_UA, PHONE_UA

from browsing import DESKTOP, PHONE, axe_violations, describe_violations, foreign_requests, record_requests, screenshot
from helpers import article
from servers import start_nginx
from stats.logparse import parse_line
from vietnamese.formats import vi_datetime

pytestmark = pytest.mark.nginx

FIRST = "/2022/06/hop-mat-dau-nam/"
SECOND = "/2022/06/ra-quan-ve-sinh/"
FILES = {
    "articles/tin-tuc/2022/hop-mat-dau-nam.md": article("Họp mặt đầu năm"),
    "articles/tin-tuc/2022/ra-quan-ve-sinh.md": article("Ra quân vệ sinh", Date="2022-06-11 08:00"),
}


def newest_request(access_log) -> str:
    times = [parse_line(line).time for line in access_log.read_bytes().splitlines()]
    return vi_datetime(max(times).astimezone(zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")))


def test_readers_bots_and_ratings_end_up_exactly_on_the_pages(browser, build_tiny, tmp_path):  # noqa: PLR0915
    stats = {"DATABASE": str(tmp_path / "stats.sqlite3"), "ACCESS_LOGS": []}
    site = build_tiny(FILES, strict=True, STATS=stats)
    base, access_log, stop = start_nginx(site.output, tmp_path / "first")
    try:
        # Reader A: desktop, JavaScript on; three pages, rates the first article 4.
        a = browser.new_context(viewport=DESKTOP, user_agent=DESKTOP_UA, locale="vi-VN")
        page = a.new_page()
        for path in ("/", FIRST, SECOND, FIRST):
            assert page.goto(base + path).status in (200, 304)
        page.check("#diem-4")
        page.click("form.rating button[type=submit]")
        page.get_by_text("Cảm ơn bạn đã đánh giá").wait_for()
        assert page.url == base + FIRST
        a.close()
        # Reader B: phone, no JavaScript; rates 5 with the plain form (204: stays on the page).
        b = browser.new_context(viewport=PHONE, user_agent=PHONE_UA, java_script_enabled=False, locale="vi-VN")
        page = b.new_page()
        assert page.goto(base + FIRST).status == 200
        page.check("#diem-5")
        with page.expect_response(lambda r: "/_danh-gia?" in r.url) as answer:
            page.click("form.rating button[type=submit]")
        assert answer.value.status == 204
        assert page.url == base + FIRST and page.locator("h1").inner_text() == "Họp mặt đầu năm"
        b.close()
        # A listed crawler, and a browser-looking client that reads robots.txt first.
        c = browser.new_context(user_agent=BOT_UA)
        page = c.new_page()
        for path in ("/", FIRST, SECOND):
            page.goto(base + path)
        c.close()
        for path, agent in (("/_danh-gia?bai=hop-mat-dau-nam&diem=1", BOT_UA),
                            ("/robots.txt", DESKTOP_UA + " Robot"), (SECOND, DESKTOP_UA + " Robot")):
            request = urllib.request.Request(base + path, headers={"User-Agent": agent})
            try:
                urllib.request.urlopen(request, timeout=10).close()
            except OSError:
                pass  # the tiny site has no robots.txt: a 404, still a robots.txt fetch
    finally:
        stop()

    expected_time = newest_request(access_log)
    rebuilt = build_tiny(FILES, strict=True, STATS={**stats, "ACCESS_LOGS": [str(access_log)]})
    first = rebuilt.html(FIRST.strip("/") + "/index.html")
    assert first.select_one("[data-stats-field=views]").get_text() == "3 lượt xem"  # A twice, B once
    assert first.select_one("[data-stats-field=rating]").get_text() == "2 lượt đánh giá, trung bình 4,5"
    second = rebuilt.html(SECOND.strip("/") + "/index.html")
    assert second.select_one("[data-stats-field=views]").get_text() == "1 lượt xem"
    assert second.select_one("[data-stats-field=rating]").get_text() == "Chưa có lượt đánh giá"
    stats_page = rebuilt.html("thong-ke/index.html")
    assert [td.get_text() for td in stats_page.select("table.stats-daily tbody tr")[0].select("td")] == ["2", "5"]
    assert [td.get_text() for td in stats_page.select("table.stats-devices tbody td")] == ["1", "50,0%", "1", "50,0%"]
    assert stats_page.select("table.stats-referrers") == []  # loopback referrers are the site itself

    base, _log, stop = start_nginx(rebuilt.output, tmp_path / "second")
    try:
        reader = browser.new_context(viewport=DESKTOP, user_agent=DESKTOP_UA, locale="vi-VN")
        page = reader.new_page()
        requested = record_requests(page)
        page.goto(base + FIRST)
        counter = page.locator("[data-stats-counter]")
        counter.wait_for(state="visible")
        assert counter.locator("[data-stats-field=total]").inner_text() == "2.713.913"
        assert counter.locator("[data-stats-field=today]").inner_text() == "2"
        assert counter.locator("[data-stats-field=online]").inner_text() == "2"
        assert counter.locator("[data-stats-field=online_at]").inner_text() == expected_time
        assert page.locator("[data-stats-most-read] a").first.inner_text() == "Họp mặt đầu năm"
        assert page.locator(".article-stats [data-stats-field=views]").inner_text() == "3 lượt xem"
        screenshot(page, "stats-article-desktop")
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)
        page.goto(base + "/thong-ke/")
        assert page.locator("h1").inner_text() == "Thống kê truy cập"
        screenshot(page, "stats-page-desktop")
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)
        assert foreign_requests(requested, base) == []
        reader.close()
        quiet = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="vi-VN")
        page = quiet.new_page()
        page.goto(base + FIRST)
        assert not page.locator("[data-stats-counter]").is_visible()
        assert page.locator(".counter-link a").get_attribute("href") == "/thong-ke/"
        quiet.close()
    finally:
        stop()
    assert dt.date.today()  # the test reads "today" from the log, not from the clock


def test_an_article_shows_the_numbers_make_stats_wrote_after_the_build(browser, build_tiny, tmp_path):
    """Between builds, `make stats` rewrites only the data files: the article
    page's script reads its numbers from the group file the page names."""
    import json  # noqa: PLC0415

    stats = {"DATABASE": str(tmp_path / "stats.sqlite3"), "ACCESS_LOGS": []}
    site = build_tiny(FILES, strict=True, STATS=stats)
    section = site.html(FIRST.strip("/") + "/index.html").select_one("[data-stats-article]")
    assert section.select_one("[data-stats-field=views]").get_text() == "0 lượt xem"
    group_path = site.output / "thong-ke" / section["data-stats-file"]
    group = json.loads(group_path.read_text(encoding="utf-8"))
    group["hop-mat-dau-nam"] = {"views": "7 lượt xem", "rating": "1 lượt đánh giá, trung bình 5,0"}
    group_path.write_text(json.dumps(group, ensure_ascii=False), encoding="utf-8")
    base, _log, stop = start_nginx(site.output, tmp_path / "served")
    try:
        page = browser.new_context(viewport=PHONE, user_agent=PHONE_UA, locale="vi-VN").new_page()
        page.goto(base + FIRST)
        views = page.locator(".article-stats [data-stats-field=views]")
        views.filter(has_text="7 lượt xem").wait_for()
        assert page.locator(".article-stats [data-stats-field=rating]").inner_text() == \
            "1 lượt đánh giá, trung bình 5,0"
        page.goto(base + SECOND)  # another article keeps its own numbers
        page.wait_for_load_state("networkidle")
        assert page.locator(".article-stats [data-stats-field=views]").inner_text() == "0 lượt xem"
    finally:
        stop()
