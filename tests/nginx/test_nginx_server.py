"""deploy/nginx.conf served by a real nginx (tests/servers.py): pages, the
404 page, caching headers, the rating path's 204, and the combined log line
the statistics plugin parses."""

from __future__ import annotations

import pytest

from servers import fetch, start_nginx
from stats.logparse import parse_line

pytestmark = pytest.mark.nginx


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "output"
    (root / "2026" / "11" / "bai-mau").mkdir(parents=True)
    (root / "2026" / "11" / "bai-mau" / "index.html").write_text("<p>Bài mẫu</p>", encoding="utf-8")
    (root / "404.html").write_text("<p>Không tìm thấy trang</p>", encoding="utf-8")
    (root / "theme" / "css").mkdir(parents=True)
    (root / "theme" / "css" / "site.css").write_text("body{}", encoding="utf-8")
    for folder in ("pagefind", "pagefind/s3"):  # the main search bundle and a shard
        (root / folder / "fragment").mkdir(parents=True)
        (root / folder / "fragment" / "vi_1a2b3c.pf_fragment").write_bytes(b"\x1f\x8b")
        (root / folder / "pagefind-entry.json").write_text("{}", encoding="utf-8")
    server = start_nginx(root, tmp_path)
    yield server
    server.stop()


def test_serves_pages_assets_and_the_404_page_with_caching_headers(site):
    status, headers, body = fetch(site.base_url + "/2026/11/bai-mau/")
    assert status == 200 and "Bài mẫu" in body.decode()
    assert headers["Cache-Control"] == "no-cache"
    assert headers["Content-Type"].startswith("text/html")
    status, headers, _ = fetch(site.base_url + "/theme/css/site.css")
    assert status == 200 and headers["Cache-Control"] == "public, max-age=86400"
    status, _, body = fetch(site.base_url + "/khong-co/")
    assert status == 404 and "Không tìm thấy trang" in body.decode()
    # Search index files are named after their bytes: a year; the entry files name them: revalidated.
    for bundle in ("/pagefind/", "/pagefind/s3/"):
        _, headers, _ = fetch(site.base_url + bundle + "fragment/vi_1a2b3c.pf_fragment")
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable", bundle
        _, headers, _ = fetch(site.base_url + bundle + "pagefind-entry.json")
        assert headers["Cache-Control"] == "no-cache", bundle


def test_rating_path_answers_204_and_is_logged_in_combined_format(site):
    ua = 'Mozilla/5.0 (X11; Linux x86_64) "quoted"'
    status, headers, body = fetch(site.base_url + "/_danh-gia?bai=bai-mau&diem=4",
                                  {"User-Agent": ua, "Referer": site.base_url + "/2026/11/bai-mau/"})
    assert status == 204 and body == b""
    assert headers["Cache-Control"] == "no-store"
    site.stop()
    lines = site.access_log.read_bytes().splitlines()
    assert len(lines) == 1
    hit = parse_line(lines[0])
    assert hit is not None
    assert (hit.method, hit.path, hit.status) == ("GET", "/_danh-gia?bai=bai-mau&diem=4", 204)
    assert hit.referrer == site.base_url + "/2026/11/bai-mau/"
    assert hit.user_agent == ua  # nginx writes the quotes as \x22; the parser restores them
