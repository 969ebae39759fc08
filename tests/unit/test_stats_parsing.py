"""The combined-format parser and the per-string verdicts (pure logic)."""

from __future__ import annotations

import datetime as dt

from stats import classify
from stats.logparse import COMBINED, COMBINED_FAST, minute_epoch, parse_line

NGINX = (b'203.0.113.9 - - [27/Nov/2026:14:05:03 +0700] "GET /2026/11/bai/?x=1 HTTP/1.1" 200 512 '
         b'"https://www.google.com/search?q=%C4%91" "Mozilla/5.0 \\x22quoted\\x22 \\xC3\\xA1"')
APACHE = (b'198.51.100.4 - frank [27/Nov/2026:07:05:03 +0000] "GET /a.html HTTP/1.0" 304 - '
          b'"-" "Mozilla/5.0 \\"quoted\\" back\\\\slash"')


def test_nginx_line_with_escapes():
    hit = parse_line(NGINX)
    assert hit.ip == "203.0.113.9" and hit.method == "GET" and hit.status == 200
    assert hit.path == "/2026/11/bai/?x=1"
    assert hit.user_agent == 'Mozilla/5.0 "quoted" á'
    assert hit.time == dt.datetime(2026, 11, 27, 14, 5, 3, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def test_apache_line_with_backslash_quotes_and_user():
    hit = parse_line(APACHE)
    assert hit.status == 304 and hit.path == "/a.html"
    assert hit.user_agent == 'Mozilla/5.0 "quoted" back\\slash'
    assert hit.time.astimezone(dt.UTC).hour == 7


def test_garbage_request_still_parses_without_method_or_path():
    line = b'1.2.3.4 - - [27/Nov/2026:14:05:03 +0700] "\\x16\\x03\\x01\\x00" 400 157 "-" "-"'
    hit = parse_line(line)
    assert hit.status == 400 and hit.method == "" and hit.path == ""


def test_malformed_lines_are_rejected():
    for bad in (b"", b"garbage", NGINX[:60], NGINX.replace(b"Nov", b"Nox"),
                b'1.2.3.4 - - [27/Nov/2026:14:05:03 +0700] "GET / HTTP/1.1" 200 5 "-"'):
        assert parse_line(bad) is None
    assert minute_epoch(b"27/Nox/2026:14:05", b"+0700") is None
    assert minute_epoch(b"32/Nov/2026:14:05", b"+0700") is None


def test_fast_pattern_agrees_with_strict_one_line_at_a_time():
    chunk = NGINX + b"\n" + NGINX.replace(b"GET /2026", b"HEAD /2026") + b"\n"
    assert COMBINED_FAST.findall(chunk) == COMBINED.findall(chunk)
    # a truncated line makes the fast pattern run across the newline: fewer matches than lines
    broken = NGINX[:80] + b"\n" + NGINX + b"\n"
    assert len(COMBINED_FAST.findall(broken)) < 2


def test_bots_phones_and_desktops():
    assert classify.agent_kind(b"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)") == classify.BOT
    assert classify.agent_kind(b"curl/8.5.0") == classify.BOT
    assert classify.agent_kind(b"-") == classify.BOT
    assert classify.agent_kind(b"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148") == classify.PHONE
    assert classify.agent_kind(b"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36") == classify.DESKTOP


def test_page_paths_ratings_and_referrers():
    assert classify.page_path(b"/2026/11/bai/index.html?fbclid=1") == "/2026/11/bai/"
    assert classify.page_path(b"//2026//11/bai/") == "/2026/11/bai/"
    for asset in (b"/theme/css/site.css", b"/thong-ke/so-lieu.json", b"/404.html", b"/<script>/", b"x/"):
        assert classify.page_path(asset) is None
    assert classify.rating(b"/_danh-gia?bai=bai-viet&diem=5", "/_danh-gia") == ("bai-viet", 5)
    for bad in (b"/_danh-gia?bai=bai-viet&diem=6", b"/_danh-gia?bai=<b>&diem=3", b"/_danh-gia?diem=3"):
        assert classify.rating(bad, "/_danh-gia") is None
    own = frozenset({"ducthuan.example.gov.vn"})
    assert classify.referrer_domain(b"https://www.google.com.vn/url?q=x", own) == "google.com.vn"
    for none in (b"-", b"https://ducthuan.example.gov.vn/a/", b"http://127.0.0.1:8000/", b"https://<b>.com/"):
        assert classify.referrer_domain(none, own) is None


def test_settings_are_checked_with_the_plugin_name():
    import pytest  # noqa: PLC0415

    from stats.config import merged  # noqa: PLC0415

    for bad in ({"NOPE": 1}, {"VISIT_GAP_MINUTES": 0}, {"LOG_FORMAT": "(a)(b)"}, {"RATING_PATH": "x"},
                {"ACCESS_LOGS": [""]}, {"PAGE_PATH": "../x"}):
        with pytest.raises(ValueError, match=r"^stats: "):
            merged(bad, environ={})
    config = merged({"ACCESS_LOGS": ["/a.log"]}, siteurl="https://example.vn/portal", environ={"ACCESS_LOGS": "/b.log* '/c d.log'"})
    assert config["ACCESS_LOGS"] == ["/b.log*", "/c d.log"]
    assert config["SITE_HOSTS"] == ["example.vn"] and config["URL_PREFIX"] == "/portal"
