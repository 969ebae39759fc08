"""The map page in Chromium: pinch and wheel zoom load deeper tiles from the
site, every marker opens its popup, the list names every point, and the
page works without JavaScript."""

import re
import time
from urllib.parse import urlsplit

import yaml

from browsing import screenshot
from helpers import ROOT

TILE = re.compile(r"/ban-do/tiles/\w+/(\d+)/\d+/\d+\.jpg$")
POINTS = yaml.safe_load((ROOT / "content" / "data" / "map.yml").read_text(encoding="utf-8"))["points"]


def tile_levels(urls) -> set[int]:
    return {int(m.group(1)) for m in map(TILE.search, urls) if m}


def open_map(page, site_url) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto(site_url + "/ban-do/")
    page.wait_for_selector(".town-map-canvas .leaflet-tile-loaded")
    page.evaluate("document.querySelector('.town-map-canvas').scrollIntoView({block: 'center'})")
    return urls


def wait_for_deeper_tiles(page, urls, than: int) -> set[int]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if max(tile_levels(urls)) > than and page.evaluate(
            "document.querySelectorAll('.leaflet-tile:not(.leaflet-tile-loaded)').length === 0"
        ):
            break
        page.wait_for_timeout(200)  # lets Playwright deliver the request events
    return tile_levels(urls)


def assert_tiles_exist(urls, demo_site, site_url):
    tiles = [u for u in urls if TILE.search(u)]
    assert tiles
    for url in tiles:
        assert url.startswith(site_url)
        assert (demo_site / urlsplit(url).path.lstrip("/")).is_file(), url


def test_pinch_on_a_phone_loads_deeper_tiles_that_exist(phone, site_url, demo_site):
    assert phone.viewport_size == {"width": 375, "height": 812}
    urls = open_map(phone, site_url)
    before = max(tile_levels(urls))
    cdp = phone.context.new_cdp_session(phone)
    # A synthesized gesture is now and then dropped by Chromium on a busy
    # machine (nothing moves at all): it is sent again, at most twice more.
    for _ in range(3):
        box = phone.locator(".town-map-canvas").bounding_box()
        cdp.send("Input.synthesizePinchGesture", {
            "x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2,
            "scaleFactor": 4, "gestureSourceType": "touch",
        })
        levels = wait_for_deeper_tiles(phone, urls, before)
        if max(levels) > before:
            break
    assert max(levels) >= before + 2, levels
    assert_tiles_exist(urls, demo_site, site_url)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "map-pinched-phone")


def test_zoom_button_and_mouse_wheel_on_a_desktop(desktop, site_url, demo_site):
    urls = open_map(desktop, site_url)
    before = max(tile_levels(urls))
    desktop.get_by_role("button", name="Phóng to").click()
    after_button = max(wait_for_deeper_tiles(desktop, urls, before))
    assert after_button > before
    box = desktop.locator(".town-map-canvas").bounding_box()
    desktop.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    desktop.mouse.wheel(0, -400)
    assert max(wait_for_deeper_tiles(desktop, urls, after_button)) > after_button
    assert_tiles_exist(urls, demo_site, site_url)


def test_every_marker_opens_its_popup(phone, site_url):
    open_map(phone, site_url)
    markers = phone.locator(".town-map-canvas .leaflet-marker-icon")
    assert markers.count() == len(POINTS)
    popup = phone.locator(".leaflet-popup-content")
    for point in POINTS:  # from the keyboard: every marker is a focusable button
        marker = phone.get_by_role("button", name=f"{point['name']} ({point['kind']})")
        marker.focus()
        phone.keyboard.press("Enter")
        popup.wait_for()
        text = popup.inner_text()
        assert point["name"] in text and point["address"] in text
        phone.keyboard.press("Escape")
        popup.wait_for(state="detached")
    # and by touch, once the map is zoomed on a point
    first = POINTS[0]
    phone.locator(".map-point", has_text=first["name"]).get_by_role("button", name="Xem trên bản đồ").click()
    popup.wait_for()
    assert first["name"] in popup.inner_text()
    phone.locator(".leaflet-popup-close-button").focus()
    phone.keyboard.press("Enter")
    popup.wait_for(state="detached")
    phone.get_by_role("button", name=f"{first['name']} ({first['kind']})").tap()
    popup.wait_for()
    assert first["name"] in popup.inner_text()
    assert phone.locator(".leaflet-popup-close-button").get_attribute("aria-label") == "Đóng"
    screenshot(phone, "map-popup-phone")


def test_the_list_names_every_point(phone, site_url):
    open_map(phone, site_url)
    names = phone.locator(".map-point .map-point-name").all_inner_texts()
    assert sorted(names) == sorted(point["name"] for point in POINTS)


def test_map_without_javascript_is_the_whole_image_and_the_list(no_js, site_url, demo_site):
    urls = []
    no_js.on("request", lambda request: urls.append(request.url))
    no_js.goto(site_url + "/ban-do/")
    image = no_js.locator(".town-map img")
    image.scroll_into_view_if_needed()
    no_js.wait_for_function("document.querySelector('.town-map img').complete")
    assert image.is_visible()
    assert no_js.evaluate("document.querySelector('.town-map img').naturalWidth") > 0
    assert image.bounding_box()["width"] <= 375
    assert no_js.locator(".town-map-canvas").count() == 0
    assert no_js.locator(".map-point").count() == len(POINTS)
    assert not tile_levels(urls)  # no tiles without the viewer
    large = no_js.locator(".map-large a").get_attribute("href")
    assert (demo_site / large.lstrip("/")).is_file()
    screenshot(no_js, "map-no-js-phone")
