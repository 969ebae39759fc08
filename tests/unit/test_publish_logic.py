"""The decisions of tools/publish.py: release names, pruning, rollback,
targets, the checks of a built site, reproducible precompression."""

import datetime as dt
import gzip

import brotli
import pytest

from tools.publish import (
    Target,
    check_active_content,
    check_links,
    compress_file,
    internal_path,
    publish_settings,
    release_name,
    releases_to_prune,
    rollback_release,
)

SITE = "https://ducthuan.example.gov.vn"
NOW = dt.datetime(2026, 11, 27, 8, 30, 5, tzinfo=dt.UTC)


def test_release_names_sort_after_existing_ones():
    assert release_name(NOW, []) == "20261127T083005Z"
    assert release_name(NOW, ["20261127T083005Z"]) == "20261127T083005Z-2"
    assert release_name(NOW, ["20261127T083005Z", "20261127T083005Z-2"]) == "20261127T083005Z-3"
    # the clock went back: still after the newest
    assert release_name(NOW, ["20261201T000000Z", "x.partial"]) == "20261201T000000Z-2"
    assert release_name(dt.datetime(2026, 11, 27, 15, 30, 5, tzinfo=dt.timezone(dt.timedelta(hours=7))), []) == "20261127T083005Z"


def test_pruning_keeps_the_newest_and_the_current_release():
    names = [f"2026110{d}T000000Z" for d in range(1, 8)] + ["not-a-release"]
    assert releases_to_prune(names, 5, "20261107T000000Z") == ["20261101T000000Z", "20261102T000000Z"]
    assert releases_to_prune(names, 5, "20261101T000000Z") == ["20261102T000000Z"]
    assert releases_to_prune(names[:3], 5, None) == []
    assert releases_to_prune(["20261101T000000Z-2", "20261101T000000Z-10", "20261101T000000Z"], 2, None) == ["20261101T000000Z"]


def test_rollback_goes_to_the_release_before_current():
    names = ["20261101T000000Z", "20261102T000000Z", "20261103T000000Z"]
    assert rollback_release(names, "20261103T000000Z") == "20261102T000000Z"
    assert rollback_release(names, "20261102T000000Z") == "20261101T000000Z"
    assert rollback_release(names, "20261101T000000Z") is None
    assert rollback_release([], None) is None


@pytest.mark.parametrize(("text", "host", "path"), [
    ("deploy@web1:/srv/portal", "deploy@web1", "/srv/portal"),
    ("web1:portal", "web1", "portal"),
    ("/srv/portal", None, "/srv/portal"),
    ("./a:b/c", None, None),
])
def test_targets(text, host, path):
    target = Target.parse(text)
    assert target.host == host
    if path:
        assert target.path == path


def test_empty_target_and_bad_settings_are_refused():
    with pytest.raises(ValueError, match="DEPLOY_TARGET"):
        Target.parse("")
    with pytest.raises(ValueError, match="KEEP_RELEASES"):
        publish_settings({"PUBLISH": {"KEEP_RELEASES": 1}})
    with pytest.raises(ValueError, match="unknown"):
        publish_settings({"PUBLISH": {"KEEP": 5}})


def test_internal_paths():
    assert internal_path(f"{SITE}/2022/06/a/", "/", SITE) == "/2022/06/a/"
    assert internal_path("../b/anh%20x.jpg?v=1#top", "/2022/06/a/", SITE) == "/2022/06/b/anh x.jpg"
    assert internal_path("https://other.example.com/x", "/", SITE) is None
    assert internal_path("mailto:a@b.vn", "/", SITE) is None
    assert internal_path("#noi-dung", "/", SITE) is None


@pytest.fixture
def built(tmp_path):
    out = tmp_path / "output"
    (out / "a").mkdir(parents=True)
    (out / "theme" / "css").mkdir(parents=True)
    (out / "theme" / "js").mkdir(parents=True)
    (out / "theme" / "css" / "site.css").write_text("body{background:url(../img/x.svg)}")
    (out / "theme" / "js" / "menu.js").write_text("")
    (out / "a" / "index.html").write_text("<p>a</p>")
    return out


def write_page(out, body):
    (out / "index.html").write_text(f"<!doctype html><html><head></head><body>{body}</body></html>", encoding="utf-8")


def test_broken_links_images_and_css_urls_are_found(built):
    write_page(built, f'<a href="{SITE}/a/">a</a><a href="/khong-co/">x</a><img src="/images/x.jpg" alt="x">'
                      '<link rel="stylesheet" href="/theme/css/site.css?v=12ab"><a href="https://example.com/">ngoài</a>'
                      '<form action="/_danh-gia"></form><img srcset="/a/ 1x, /khong/anh.jpg 2x" alt="">')
    problems = check_links(built, SITE, ["/_danh-gia"])
    assert any("/khong-co/" in p for p in problems)
    assert any("/images/x.jpg" in p for p in problems)
    assert any("/khong/anh.jpg" in p for p in problems)
    assert any("site.css" in p and "x.svg" in p for p in problems)  # url() in CSS
    assert len(problems) == 4
    (built / "theme" / "img").mkdir()
    (built / "theme" / "img" / "x.svg").write_text("<svg/>")
    (built / "images").mkdir()
    (built / "images" / "x.jpg").write_bytes(b"jpg")
    write_page(built, f'<a href="{SITE}/a/">a</a><img src="/images/x.jpg" alt="x"><link rel="stylesheet" href="/theme/css/site.css">')
    assert check_links(built, SITE, []) == []


def test_scripts_frames_handlers_and_javascript_urls_the_theme_did_not_put_there(built):
    write_page(built, '<script src="/theme/js/menu.js" defer></script>'
                      '<script type="application/ld+json">{"@type": "NewsArticle"}</script>')
    assert check_active_content(built, SITE, ["/theme/"]) == []
    write_page(built, '<script>alert(1)</script><script src="https://cdn.example.com/x.js"></script>'
                      '<script src="/media/x.js"></script><iframe src="/a/"></iframe>'
                      '<p onclick="x()">x</p><a href=" javascript:alert(1)">x</a><span style="color:red">x</span>')
    problems = check_active_content(built, SITE, ["/theme/"])
    assert len(problems) == 7, problems
    for word in ("viết thẳng", "cdn.example.com", "/media/x.js", "<iframe>", "onclick", "javascript:", "style="):
        assert any(word in p for p in problems), word


def test_precompressed_copies_are_reproducible_and_decompress(tmp_path):
    page = tmp_path / "index.html"
    page.write_text("<p>Phường Đức Thuận</p>" * 50, encoding="utf-8")
    compress_file(page)
    first = (page.with_name("index.html.gz").read_bytes(), page.with_name("index.html.br").read_bytes())
    compress_file(page)
    assert (page.with_name("index.html.gz").read_bytes(), page.with_name("index.html.br").read_bytes()) == first
    assert gzip.decompress(first[0]) == page.read_bytes() == brotli.decompress(first[1])
