"""Pure parts of the search and discovery plugins: sitemap and robots text,
feed enclosures, Pagefind's command line and filter order, settings checks."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from discovery import discovery_settings
from discovery.feeds import enclosure_for, link_key
from discovery.sitemap import Entry, output_file, robots_txt, sitemap_xml, unique
from search import search_settings
from search.pagefind import command, scan, strip_for_index, sync, to_index
from search.reproducible import SIGNATURE, sort_filter
from search.shards import plan, shard_count, shard_of

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_sitemap_is_valid_xml_with_absolute_locations_and_lastmod():
    entries = [Entry("", datetime(2025, 5, 30, 10, tzinfo=VN)), Entry("ban-do/"), Entry("a&b/")]
    root = etree.fromstring(sitemap_xml("https://x.gov.vn", entries).encode())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert [u.findtext("s:loc", namespaces=ns) for u in root] == [
        "https://x.gov.vn/", "https://x.gov.vn/ban-do/", "https://x.gov.vn/a&b/"]
    assert [u.findtext("s:lastmod", namespaces=ns) for u in root] == ["2025-05-30T10:00:00+07:00", None, None]


def test_unique_keeps_the_newest_lastmod():
    old, new = datetime(2022, 1, 1, tzinfo=VN), datetime(2023, 1, 1, tzinfo=VN)
    assert unique([Entry("a/", old), Entry("a/"), Entry("a/", new), Entry("b/")]) == [Entry("a/", new), Entry("b/")]


def test_output_file_of_folders_and_files(tmp_path):
    assert output_file(str(tmp_path), "") == str(tmp_path / "index.html")
    assert output_file(str(tmp_path), "tin-tuc/") == str(tmp_path / "tin-tuc/index.html")
    assert output_file(str(tmp_path), "feeds/all.atom.xml") == str(tmp_path / "feeds/all.atom.xml")


def test_robots_names_the_sitemap_and_disallows():
    text = robots_txt("https://x.gov.vn", "sitemap.xml", ["ban-nhap/"])
    assert text.splitlines() == ["User-agent: *", "Disallow: /ban-nhap/", "", "Sitemap: https://x.gov.vn/sitemap.xml"]
    assert "Disallow:" in robots_txt("", "sitemap.xml", []).splitlines()


def test_enclosure_of_a_published_image(tmp_path):
    (tmp_path / "images/2022").mkdir(parents=True)
    (tmp_path / "images/2022/a b.jpg").write_bytes(b"x" * 123)
    site = "https://x.gov.vn"
    assert enclosure_for(tmp_path, site, f"{site}/images/2022/a%20b.jpg") == ("123", "image/jpeg")
    assert enclosure_for(tmp_path, site, f"{site}/images/2022/missing.jpg") is None
    assert enclosure_for(tmp_path, site, "https://other.example/images/2022/a%20b.jpg") is None
    assert link_key("https://x.gov.vn/2022/06/a/?ref=feed#top") == "https://x.gov.vn/2022/06/a/"


def test_pagefind_command_forces_the_language():
    argv = command(Path("/bin/pagefind"), Path("/staging"), "vi", Path("/site/pagefind"), [".share", ".rating"])
    assert argv == ["/bin/pagefind", "--site", "/staging", "--output-path", "/site/pagefind", "--force-language", "vi",
                    "--exclude-selectors", ".share", "--exclude-selectors", ".rating"]


def test_only_pages_with_a_body_to_index_are_given_to_pagefind(tmp_path):
    (tmp_path / "2022/06/bai").mkdir(parents=True)
    (tmp_path / "2022/06/bai/index.html").write_text('<main data-pagefind-body>Hội nghị</main>', encoding="utf-8")
    (tmp_path / "index.html").write_text("<ul><li>Danh sách bài</li></ul>", encoding="utf-8")
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind/x.html").write_text("<div data-pagefind-body></div>", encoding="utf-8")
    pages = scan(tmp_path, "pagefind")
    assert to_index(pages) == ["2022/06/bai/index.html"]
    # A page is read again only if its size or mtime changed.
    (tmp_path / "index.html").write_text("<div data-pagefind-body>Trang chủ</div>", encoding="utf-8")
    assert to_index(scan(tmp_path, "pagefind", pages)) == ["2022/06/bai/index.html", "index.html"]


def test_a_listing_of_the_site_gives_the_scan_a_walk_gives(tmp_path):
    from fastbuild.unchanged import output_files  # noqa: PLC0415

    for relative, text in {"index.html": "<ul>Danh sách</ul>", "2022/06/bai/index.html": "<main data-pagefind-body>Bài</main>",
                           "images/anh.webp": "RIFF", "pagefind/x.html": "<div data-pagefind-body></div>",
                           "pagefind-cu/y.html": "<main data-pagefind-body>Không phải gói tìm kiếm</main>"}.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    listed = {relative: (size, mtime) for relative, size, mtime in output_files(str(tmp_path))}
    walked = scan(tmp_path, "pagefind")
    assert scan(tmp_path, "pagefind", listed=listed) == walked
    assert sorted(walked) == ["2022/06/bai/index.html", "index.html", "pagefind-cu/y.html"]
    # The listing is what counts: a page it lists with another size is read again.
    listed["index.html"] = (1, 1)
    assert scan(tmp_path, "pagefind", walked, listed=listed)["index.html"] == (1, 1, False)


def test_many_pages_are_scanned_on_every_core_with_the_same_answer(tmp_path):
    for number in range(450):
        body = "data-pagefind-body" if number % 3 else "data-other"
        (tmp_path / f"{number:03d}").mkdir()
        (tmp_path / f"{number:03d}/index.html").write_text(f"<main {body}>Bản tin {number}</main>", encoding="utf-8")
    alone, forked = scan(tmp_path, "pagefind", workers=1), scan(tmp_path, "pagefind", workers=2)
    assert list(forked.items()) == list(alone.items()) and len(alone) == 450
    assert sum(marked for _, _, marked in alone.values()) == 300


PAGE = ("<!doctype html><html lang=\"vi\"><head><title>Hội nghị</title></head><body class=\"site\">"
        "<header><img src=\"/logo.png\" alt=\"\"><p>Phường Đức Thuận</p></header>{before}"
        "<article class=\"article\" data-pagefind-body><h1>Hội nghị sơ kết</h1>"
        "<article class=\"quote\"><p>Trích dẫn</p></article><p>Nội dung{inside}</p></article>"
        "<aside><img src=\"/thumb.jpg\" alt=\"Tin khác\">{after}</aside></body></html>")


def test_a_page_is_cut_down_to_its_head_and_indexed_element_only_when_nothing_else_counts():
    page = PAGE.format(before="", inside="", after="").encode()
    stripped = strip_for_index(page)
    assert stripped == (b'<!doctype html><html lang="vi"><head><title>H\xe1\xbb\x99i ngh\xe1\xbb\x8b</title></head><body>'
                        + page[page.index(b"<article"):page.rindex(b"</article>") + 10] + b"</body></html>")
    assert b"Tr\xc3\xadch d\xe1\xba\xabn" in stripped and b"thumb.jpg" not in stripped  # nested element kept whole
    # What Pagefind ignores entirely is cut out too, nested elements of its name included.
    ignored = PAGE.format(before="", after="",
                          inside='<div data-pagefind-ignore="all"><div>5 sao</div> lượt xem</div>, hết').encode()
    cut = strip_for_index(ignored)
    assert b"sao" not in cut and b"l\xc6\xb0\xe1\xbb\xa3t" not in cut and "Nội dung, hết</p>".encode() in cut
    # Indexed whole: anything outside Pagefind could read, a script inside, two bodies, no body.
    for before, inside, after in [("", "", '<p data-pagefind-filter="category">Tin tức</p>'),
                                  ("<h1>Tiêu đề khác</h1>", "", ""), ("", "<script>x()</script>", ""),
                                  ("<div data-pagefind-body>x</div>", "", "")]:
        assert strip_for_index(PAGE.format(before=before, inside=inside, after=after).encode()) is None
    # The <body> tag itself, not text that starts like it in the head.
    tricky = b'<html><head><meta name="x" content="<bodyguard>"></head><body class="a"><main data-pagefind-body>x</main>'
    assert strip_for_index(tricky) == tricky.replace(b' class="a"', b"") + b"</body></html>"
    assert strip_for_index(b"<html><body><p>Danh s\xc3\xa1ch</p></body></html>") is None
    assert strip_for_index(b"<html><body><main data-pagefind-body><p>kh\xc3\xb4ng \xc4\x91\xc3\xb3ng</body></html>") is None


def test_shards_depend_only_on_the_pages_and_an_edit_touches_one():
    assert [shard_count(n, 1000) for n in (0, 1, 1000, 1001, 2000, 2001, 5000, 20000)] == [1, 1, 1, 2, 2, 4, 8, 32]
    pages = [f"{2020 + i % 5}/{i % 12 + 1:02d}/bai-{i}/index.html" for i in range(5000)]
    shards = plan(pages, 1000)
    assert shards == plan(list(reversed(pages)), 1000)  # order does not matter
    assert sorted(page for shard in shards for page in shard) == sorted(pages) and len(shards) == 8
    assert all(400 < len(shard) <= 800 for shard in shards), [len(s) for s in shards]
    # Adding a page changes its own shard only.
    grown = plan([*pages, "2026/11/bai-moi/index.html"], 1000)
    changed = [i for i in range(8) if grown[i] != shards[i]]
    assert changed == [shard_of("2026/11/bai-moi/index.html", 8)]


def test_settings_are_checked():
    assert search_settings({})["PAGE_URL"] == "tim-kiem/"
    with pytest.raises(ValueError, match="search: unknown keys"):
        search_settings({"SEARCH": {"LANG": "vi"}})
    with pytest.raises(ValueError, match="must end with '/'"):
        search_settings({"SEARCH": {"PAGE_URL": "tim-kiem"}})
    with pytest.raises(ValueError, match="SHARD_PAGES"):
        search_settings({"SEARCH": {"SHARD_PAGES": 0}})
    assert discovery_settings({})["SITEMAP"] == "sitemap.xml"
    with pytest.raises(ValueError, match="discovery: unknown keys"):
        discovery_settings({"DISCOVERY": {"SITE_MAP": "x"}})
    with pytest.raises(ValueError, match="needs DISCOVERY\\['SITEMAP'\\]"):
        discovery_settings({"DISCOVERY": {"SITEMAP": ""}})


def test_filter_values_are_sorted_into_one_byte_order():
    def text(s: str) -> bytes:
        data = s.encode()
        return bytes([0x60 | len(data)]) + data

    def entry(value: str, pages: list[int]) -> bytes:
        return b"\x82" + text(value) + bytes([0x80 | len(pages)]) + bytes(pages)

    a, b, c = entry("Kinh tế", [1, 10]), entry("Chính quyền", [7]), entry("Thông báo", [11, 13])
    one = SIGNATURE + b"\x82" + text("category") + b"\x83" + a + b + c
    two = SIGNATURE + b"\x82" + text("category") + b"\x83" + c + a + b
    assert sort_filter(one) == sort_filter(two) == SIGNATURE + b"\x82" + text("category") + b"\x83" + b"".join(sorted([a, b, c]))
    with pytest.raises(ValueError, match="not a Pagefind filter"):
        sort_filter(b"something else")


def test_sync_writes_only_changed_files_and_removes_the_rest(tmp_path):
    fresh, bundle = tmp_path / "fresh", tmp_path / "bundle"
    (fresh / "fragment").mkdir(parents=True)
    (fresh / "fragment/a.pf").write_bytes(b"same")
    (fresh / "pagefind-entry.json").write_bytes(b"new")
    (bundle / "fragment").mkdir(parents=True)
    (bundle / "fragment/a.pf").write_bytes(b"same")
    (bundle / "fragment/old.pf").write_bytes(b"gone")
    (bundle / "pagefind-entry.json").write_bytes(b"old")
    kept = (bundle / "fragment/a.pf").stat().st_mtime_ns
    assert sync(fresh, bundle) == (1, 1)
    assert {p.relative_to(bundle).as_posix(): p.read_bytes() for p in bundle.rglob("*") if p.is_file()} == {
        "fragment/a.pf": b"same", "pagefind-entry.json": b"new"}
    assert (bundle / "fragment/a.pf").stat().st_mtime_ns == kept
    # The main bundle's sync leaves other shards' folders alone, even empty ones
    # (another thread may be about to write into them).
    (bundle / "s1/fragment").mkdir(parents=True)
    (bundle / "s2/index").mkdir(parents=True)
    (bundle / "s2/index/b.pf").write_bytes(b"shard")
    assert sync(fresh, bundle, lambda name: name in ("s1", "s2")) == (0, 0)
    assert (bundle / "s1/fragment").is_dir() and (bundle / "s2/index/b.pf").read_bytes() == b"shard"


def test_the_index_state_keeps_the_pages_it_is_given_writing_only_those_that_changed(tmp_path):
    from search.state import IndexState  # noqa: PLC0415

    path, site = str(tmp_path / "search.sqlite"), str(tmp_path / "output")
    first = {f"{n}/index.html": (100 + n, 10**18 + n, n % 2 == 0) for n in range(6)}
    state = IndexState(path, site)
    assert state.pages() == {}
    state.save(first, {0: ("inputs", "bundle")})
    state.db.close()
    state = IndexState(path, site)
    pages = state.pages()
    assert pages == first
    pages.pop("1/index.html")
    pages["2/index.html"] = (999, 5, False)
    pages["moi/index.html"] = (7, 8, True)
    state.save(pages, {0: ("inputs 2", "bundle 2")})
    changes = state.db.total_changes
    state.db.close()
    assert IndexState(path, site).pages() == pages
    assert changes == 6  # the site; the page gone; the two pages written; the shard's row deleted, written
    # Another output folder's state is not this one's: written whole.
    assert IndexState(path, str(tmp_path / "other")).pages() == {}


def test_staged_pages_are_kept_between_builds_and_follow_the_shard(tmp_path):
    from search.pagefind import _stage  # noqa: PLC0415
    from search.state import IndexState  # noqa: PLC0415

    site, root = tmp_path / "output", tmp_path / "search-staged"
    state = IndexState(str(tmp_path / "search.sqlite"), str(site))
    body = ('<html><head><title>{}</title></head><body><nav>Menu</nav><main data-pagefind-body><p>{}</p>'
            '<section data-pagefind-ignore="all">{} lượt xem</section></main><aside>{}</aside></body></html>')

    def render(name, text, views=0, counter="Thống kê: 1"):
        (site / name).mkdir(parents=True, exist_ok=True)
        (site / name / "index.html").write_text(body.format(name, text, views, counter), encoding="utf-8")

    for name in ("a", "b", "c"):
        render(name, f"Bản tin {name}")
    pages = scan(site, "pagefind")

    def stage(paths):
        digests = _stage(site, [paths], pages, root, state, 0)[0]
        assert set(digests) == set(paths)
        return digests, {p.relative_to(root / "site0").as_posix(): p.stat().st_mtime_ns
                         for p in (root / "site0").rglob("*.html")}

    first, _ = stage(["a/index.html", "b/index.html"])
    staged_a = (root / "site0/a/index.html").read_text(encoding="utf-8")
    assert "Menu" not in staged_a and "lượt xem" not in staged_a and "Bản tin a" in staged_a  # cut down
    render("b", "Bản tin b, đã sửa")
    pages = scan(site, "pagefind", pages)
    second, files = stage(["b/index.html", "c/index.html"])  # a left the shard, b was edited, c joined
    assert set(files) == {"b/index.html", "c/index.html"} and second["b/index.html"] != first["b/index.html"]
    assert "đã sửa" in (root / "site0/b/index.html").read_text(encoding="utf-8")
    # Rendered again for its sidebar or its view count only: the same staged
    # bytes, digest and file (its shard is not indexed again).
    time.sleep(0.01)
    render("b", "Bản tin b, đã sửa", views=7, counter="Thống kê: 2")
    pages = scan(site, "pagefind", pages)
    assert stage(["b/index.html", "c/index.html"]) == (second, files)
    # A page whose output is as it was is not read again.
    with open(root / "site0/c/index.html", "a", encoding="utf-8") as handle:
        handle.write("<!-- staged -->")
    assert stage(["b/index.html", "c/index.html"])[0] == second
    assert (root / "site0/c/index.html").read_text(encoding="utf-8").endswith("<!-- staged -->")
    state.staging(0)  # a build stopped while it changed the folder: everything again
    (root / "site0/stray.html").write_text("<main data-pagefind-body>Bản tin lạc</main>", encoding="utf-8")
    assert stage(["c/index.html"])[0] == {"c/index.html": second["c/index.html"]}
    assert not (root / "site0/c/index.html").read_text(encoding="utf-8").endswith("<!-- staged -->")
    assert not (root / "site0/stray.html").exists()
    # The records survive in SQLite: a new connection finds them.
    state.close()
    state = IndexState(str(tmp_path / "search.sqlite"), str(site))
    assert state.staged(0) == {"c/index.html": (*pages["c/index.html"][:2], second["c/index.html"])}
    state.close()
