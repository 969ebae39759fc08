"""The songs list plays as a playlist in Chromium; every song page plays."""

import time
from urllib.parse import urlsplit

from browsing import screenshot

STATE = "Array.from(document.querySelectorAll('.song-list audio')).map(a => ({t: a.currentTime, paused: a.paused, ended: a.ended}))"


def wait_for(page, condition, seconds=15.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = page.evaluate(STATE)
        if condition(state):
            return state
        time.sleep(0.2)
    raise AssertionError(f"still waiting after {seconds}s: {page.evaluate(STATE)}")


def test_play_advances_and_the_next_song_starts_when_one_ends(phone, site_url):
    phone.goto(site_url + "/ca-khuc/")
    play = phone.get_by_role("button", name="Phát danh sách")
    play.focus()
    phone.keyboard.press("Enter")  # keyboard-operable
    state = wait_for(phone, lambda s: s[0]["t"] > 0.5 and not s[0]["paused"])
    assert all(song["paused"] for song in state[1:])
    assert "Đang phát" in phone.locator("[data-playlist-status]").inner_text()
    state = wait_for(phone, lambda s: s[0]["ended"] and s[1]["t"] > 0.2 and not s[1]["paused"])
    screenshot(phone, "songs-playlist-phone")
    # "next" moves on to the third song, from the keyboard too
    phone.get_by_role("button", name="Bài tiếp theo").focus()
    phone.keyboard.press("Space")
    state = wait_for(phone, lambda s: s[2]["t"] > 0.2 and not s[2]["paused"])
    assert state[1]["paused"]
    phone.get_by_role("button", name="Tạm dừng").click()
    wait_for(phone, lambda s: all(song["paused"] for song in s))


def test_each_song_page_plays_its_audio_from_the_site(desktop, site_url, demo_site):
    desktop.goto(site_url + "/ca-khuc/")
    links = desktop.locator(".song-list .song-title a").evaluate_all("links => links.map(a => a.href)")
    assert len(links) >= 3
    for link in links:
        desktop.goto(link)
        desktop.evaluate("document.querySelector('audio').play()")
        desktop.wait_for_function("document.querySelector('audio').currentTime > 0.3", timeout=10000)
        source = desktop.evaluate("document.querySelector('audio').currentSrc")
        assert source.startswith(site_url)
        assert (demo_site / urlsplit(source).path.lstrip("/")).is_file()
        download = desktop.locator("a[download]").get_attribute("href")
        assert (demo_site / download.lstrip("/")).is_file()


def test_songs_work_without_javascript(no_js, site_url):
    no_js.goto(site_url + "/ca-khuc/")
    assert no_js.locator("[data-playlist-controls]").is_hidden()  # no buttons that cannot work
    assert no_js.locator(".song-list audio[controls]").count() >= 3
    assert no_js.locator(".song-list .song-title a").count() >= 3
