"""The theme's checks on the songs and map pages: axe-core finds no WCAG 2.2
AA violation, and nothing is requested from another host (with and
without JavaScript, after the interactive parts have been used)."""

import pytest

from browsing import axe_violations, describe_violations, foreign_requests, record_requests

SONG = "/ca-khuc/anh-den-pho-nui/"


def use_songs(page):
    page.get_by_role("button", name="Phát danh sách").click()
    page.wait_for_function("document.querySelector('.song-list audio').currentTime > 0.2")


def use_map(page):
    page.wait_for_selector(".town-map-canvas .leaflet-tile-loaded")
    marker = page.locator(".town-map-canvas .leaflet-marker-icon").first
    marker.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup-content")


@pytest.mark.parametrize(("path", "use"), [("/ca-khuc/", use_songs), (SONG, None), ("/ban-do/", use_map)])
def test_pages_pass_axe_and_stay_on_the_site(phone, site_url, path, use):
    requests = record_requests(phone)
    phone.goto(site_url + path)
    if use:
        use(phone)
    violations = axe_violations(phone)
    assert violations == [], describe_violations(violations)
    assert foreign_requests(requests, site_url) == []


@pytest.mark.parametrize("path", ["/ca-khuc/", SONG, "/ban-do/"])
def test_pages_pass_axe_without_javascript(browser, site_url, path):
    # axe needs scripts to run in the page; the page's own scripts stay off
    # because it is served with JavaScript disabled only for them: emulate
    # by blocking the site's .js files instead.
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="vi-VN")
    page = context.new_page()
    page.route("**/*.js", lambda route: route.abort())
    requests = record_requests(page)
    page.goto(site_url + path)
    violations = axe_violations(page)
    context.close()
    assert violations == [], describe_violations(violations)
    assert foreign_requests(requests, site_url) == []
