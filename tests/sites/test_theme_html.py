"""The theme's HTML as built from the demo content and from tiny sites:
what every page carries, what an article page links to, valid HTML (Nu
checker), the weight budget, and builds that do not depend on the day."""

from __future__ import annotations

import json
import shutil
import subprocess

import yaml

from bench.page_weight import BUDGET, page_weight, report
from helpers import ROOT, article, parse

CONFERENCE = "2022/06/phuong-duc-thuan-so-ket-5-nam-thuc-hien-chi-thi-20/index.html"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CATEGORIES = ["Tin tức - Sự kiện", "Xây dựng Đảng", "Chính quyền", "Kinh tế", "Văn hóa - Xã hội",
              "Quốc phòng - An ninh", "Thông báo"]
MENU = ["Trang chủ", *CATEGORIES, "Bản đồ", "Ca khúc", "Giới thiệu", "Liên hệ"]


def _page_types(site):
    """One or more built files of every page type."""
    files = ["index.html", CONFERENCE, "404.html", "gioi-thieu/index.html", "lien-he/index.html",
             "tin-tuc/index.html", "tin-tuc/2022/06/index.html", "the/index.html", "the/chi-thi-20/index.html"]
    files += [str(p.relative_to(site)) for p in sorted(site.glob("chuyen-muc/*/index.html"))]
    files += [str(p.relative_to(site)) for p in sorted(site.glob("20*/*/*/index.html"))]
    files += [str(p.relative_to(site)) for p in sorted(site.glob("ca-khuc/**/index.html"))[:2]]
    files += [str(p.relative_to(site)) for p in sorted(site.glob("ban-do/index.html"))]
    return sorted({f for f in files if (site / f).exists()})


def test_nu_html_checker_finds_no_error_on_any_page_type(demo_site):
    java = shutil.which("java")
    assert java, "java is missing: run `make test` as root (tools/debian-packages.txt: default-jre-headless)"
    assert VNU.exists(), f"{VNU} is missing: run `make test` (npm ci)"
    files = _page_types(demo_site)
    assert len(files) >= 20
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *[str(demo_site / f) for f in files]],
        capture_output=True, text=True, timeout=600, check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [f"{m.get('url', '').rsplit('/output/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m["type"] == "error" or m.get("subType") == "fatal"]
    assert errors == [], "\n".join(errors)


def test_article_page_weight_budget(demo_site, capsys):
    total = report(demo_site, CONFERENCE)  # prints the figures (visible with pytest -s)
    with capsys.disabled():
        print(f"\narticle page weight: {total / 1024:.1f} KB of {BUDGET // 1024} KB (HTML + CSS + JS)")
    files = page_weight(demo_site, CONFERENCE)
    assert any(name.endswith(".css") for name in files) and any(name.endswith(".js") for name in files)
    assert total <= BUDGET


def test_no_inline_script_style_or_handler_anywhere(demo_site):
    for path in demo_site.rglob("*.html"):
        soup = parse(path)
        where = path.relative_to(demo_site)
        assert not [s for s in soup.find_all("script") if not s.get("src") and s.get("type") != "application/ld+json"], where
        assert not soup.find_all("style"), where
        assert not soup.select("[style]"), where
        for tag in soup.find_all(True):
            handlers = [name for name in tag.attrs if name.startswith("on")]
            assert not handlers, f"{where}: {tag.name} {handlers}"
        for tag in soup.find_all("script", src=True):
            assert tag.has_attr("defer") or tag.get("type") == "module", f"{where}: {tag}"


def test_every_page_has_the_header_menu_sidebar_and_footer(demo_site):
    links = yaml.safe_load((ROOT / "content" / "data" / "links.yml").read_text(encoding="utf-8"))
    for name in _page_types(demo_site):
        soup = parse(demo_site / name)
        skip = soup.select_one("a.skip-link")
        assert skip and skip["href"] == "#noi-dung" and soup.select_one("main#noi-dung"), name
        header = soup.select_one("header.site-header")
        assert header.select_one("img.brand-emblem")["src"].endswith("emblem.svg"), name
        assert "Ủy ban nhân dân phường Đức Thuận" in header.get_text()
        assert "Cổng thông tin điện tử phường Đức Thuận" in header.get_text()
        assert header.select_one("[data-today][hidden]") is not None  # filled by site.js
        nav = soup.select_one("nav#menu")
        assert [a.get_text(strip=True) for a in nav.select("ul a")] == MENU, name
        assert soup.select_one('a.menu-open[href="#menu"]') and nav.select_one('a.menu-close[href="#"]')
        sidebar = soup.select_one("aside.sidebar")
        assert sidebar.select_one("#tin-doc-nhieu") is not None, name
        assert [a["href"] for a in sidebar.select(".widget-links a")] == [link["url"] for link in links], name
        footer = soup.select_one("footer.site-footer").get_text(" ", strip=True)
        for text in ["Cơ quan chủ quản", "Phường Đức Thuận, thị xã Hồng Lĩnh, tỉnh Hà Tĩnh", "0239 3836 000",
                     "ducthuan@example.gov.vn", "Chịu trách nhiệm nội dung", "giấy phép", "Sơ đồ trang", "RSS"]:
            assert text in footer, (name, text)
        assert soup.find("html")["lang"] == "vi"
        assert len(soup.find_all("h1")) == 1, name


def test_current_menu_entry_is_marked(demo_site):
    category = parse(demo_site / "chuyen-muc/kinh-te/index.html")
    assert [a.get_text() for a in category.select('#menu a[aria-current="page"]')] == ["Kinh tế"]
    home = parse(demo_site / "index.html")
    assert [a.get_text() for a in home.select('#menu a[aria-current="page"]')] == ["Trang chủ"]


def test_home_has_lead_story_latest_and_a_block_per_category(demo_site):
    soup = parse(demo_site / "index.html")
    lead = soup.select_one(".lead-story")
    newest = soup.select(".home-latest .article-item-title a")
    assert lead.select_one("img.pic-cover") and lead.select_one(".summary").get_text(strip=True)
    lead_href = lead.select_one(".lead-story-title a")["href"]
    assert lead_href not in [a["href"] for a in newest] and len(newest) == 6
    blocks = soup.select(".category-block")
    assert [b.select_one("h2").get_text(strip=True) for b in blocks] == CATEGORIES
    for block in blocks:
        assert 1 <= len(block.select(".article-item")) <= 3
        category_url = block.select_one("h2 a")["href"]
        assert (demo_site / category_url.strip("/") / "index.html").exists()


def test_article_page_has_everything_around_the_story(demo_site):
    soup = parse(demo_site / CONFERENCE)
    crumbs = [a.get_text() for a in soup.select("nav.breadcrumb a")]
    assert crumbs == ["Trang chủ", "Xây dựng Đảng"]
    article_el = soup.select_one("article.article")
    assert article_el.select_one(".article-category").get_text(strip=True) == "Xây dựng Đảng"
    assert article_el.h1.get_text() == "Phường Đức Thuận sơ kết 5 năm thực hiện Chỉ thị 20"
    assert article_el.select_one("time")["datetime"].startswith("2022-06-10T15:30")
    assert article_el.select_one(".meta-author").get_text() == "Ban biên tập"
    assert article_el.select_one(".lead").get_text(strip=True).startswith("Chiều 10/6/2022")
    tags = [a.get_text() for a in article_el.select(".tags a")]
    assert tags == ["Chỉ thị 20", "chi đoàn", "chi hội", "tổ dân phố", "Đảng ủy"]

    url = "/2022/06/phuong-duc-thuan-so-ket-5-nam-thuc-hien-chi-thi-20/"
    # Sharing names no other host: the system share sheet, copy and print
    # are buttons, and the block stays hidden until site.js finds one usable.
    share = article_el.select_one(".share")
    assert share.has_attr("hidden")
    assert share.select_one("button.js-share")["data-url"].endswith(url)
    assert share.select_one("button.js-share")["data-title"] == article_el.h1.get_text()
    assert share.select_one("button.js-copy") and share.select_one("button.js-print")
    assert not share.select("a[href]")
    assert article_el.select_one(".print-url").get_text().endswith(url)

    related = [a["href"] for a in soup.select("#bai-lien-quan ~ ul a")]
    assert related and url not in related
    for href in related:  # every related article shares a tag
        other = parse(demo_site / href.strip("/") / "index.html")
        assert set(tags) & {a.get_text() for a in other.select("article .tags a")}, href
    others = [a["href"] for a in soup.select("#tin-khac ~ ul a")]
    for href in others:
        other = parse(demo_site / href.strip("/") / "index.html")
        assert other.select_one(".article-category").get_text(strip=True) == "Xây dựng Đảng"
    assert url not in others and not set(others) & set(related)
    prev_next = soup.select_one("nav.prev-next")
    older, newer = prev_next.select_one("a.prev")["href"], prev_next.select_one("a.next")["href"]
    assert older.startswith("/2022/0") and older < url < newer  # neighbours by date


def test_link_previews_and_canonical(demo_site):
    soup = parse(demo_site / CONFERENCE)
    meta = {m.get("property") or m.get("name"): m["content"] for m in soup.find_all("meta", content=True)}
    url = "/2022/06/phuong-duc-thuan-so-ket-5-nam-thuc-hien-chi-thi-20/"
    assert soup.select_one('link[rel="canonical"]')["href"] == url
    assert meta["og:type"] == "article" and meta["og:url"] == url
    assert meta["og:title"] == "Phường Đức Thuận sơ kết 5 năm thực hiện Chỉ thị 20"
    assert meta["og:description"] == meta["description"] and meta["description"].startswith("Chiều 10/6/2022")
    image = meta["og:image"]  # the cover, or the images plugin's preview derivative of it
    assert image.startswith("/images/2022/06/hoi-nghi-so-ket-chi-thi-20") and image.endswith(".jpg")
    assert (demo_site / image.lstrip("/")).exists()
    assert soup.title.get_text() == "Phường Đức Thuận sơ kết 5 năm thực hiện Chỉ thị 20 — Cổng thông tin điện tử phường Đức Thuận"


def test_archive_lists_every_article_by_month(demo_site):
    soup = parse(demo_site / "tin-tuc/index.html")
    months = soup.select(".archive-month a")
    assert months[0].get_text().startswith("Tháng ")
    for a in months:
        assert (demo_site / a["href"].strip("/") / "index.html").exists(), a["href"]
    listed = {a["href"] for a in soup.select(".title-list a")}
    built = {"/" + str(p.parent.relative_to(demo_site)) + "/" for p in demo_site.glob("20*/*/*/index.html")}
    assert listed == built
    month = parse(demo_site / "tin-tuc/2022/06/index.html")
    assert month.h1.get_text() == "Tin bài tháng 6/2022"


def test_404_page_offers_search_and_latest_news(demo_site):
    soup = parse(demo_site / "404.html")
    assert soup.h1.get_text() == "Không tìm thấy trang"
    form = soup.select_one("main form[role=search]")
    assert form["action"] == "/tim-kiem/" and form.select_one("label[for=tim-kiem-404]")
    assert len(soup.select("main .article-item")) == 5
    assert not soup.select('link[rel="canonical"]')  # served at any address


# --- tiny sites ---------------------------------------------------------------


def _many(n: int) -> dict[str, str]:
    return {f"articles/kinh-te/bai-{i}.md": article(f"Bài kinh tế số {i}", Category="Kinh tế",
                                                    Date=f"2024-03-{i + 1:02d} 08:00", Tags="lúa")
            for i in range(n)}


def test_category_and_tag_archives_have_numbered_pages(build_tiny):
    build = build_tiny(_many(5), DEFAULT_PAGINATION=2)
    first = build.html("chuyen-muc/kinh-te/index.html")
    pages = first.select("nav.pagination li")
    assert [li.get_text(" ", strip=True) for li in pages] == ["Trang 1", "Trang 2", "Trang 3", "Trang sau ›"]
    assert first.select_one('nav.pagination [aria-current="page"]').get_text(strip=True) == "Trang1"
    assert first.select_one('nav.pagination a[rel="next"]')["href"] == "/chuyen-muc/kinh-te/trang-2/"
    third = build.html("chuyen-muc/kinh-te/trang-3/index.html")
    assert len(third.select(".article-item")) == 1 and third.select_one('a[rel="prev"]')
    assert "trang 3" in third.title.get_text()
    assert build.html("the/lua/trang-2/index.html").select("nav.pagination li")


def test_a_broken_links_file_is_an_editors_error(build_tiny):
    build = build_tiny({**_many(1), "data/links.yml": "- name: Báo Hà Tĩnh\n  group: Tỉnh\n"}, strict=True)
    assert build.failed
    [error] = [e for e in build.errors if e.path.endswith("links.yml")]
    assert error.line == 1 and error.field == "url"


def test_two_builds_of_the_same_content_are_identical(build_tiny):
    files = {**_many(3), "data/links.yml": "- name: Báo Hà Tĩnh\n  url: https://baohatinh.vn\n  group: Tỉnh\n"}
    first, second = build_tiny(files), build_tiny(files)
    names = sorted(str(p.relative_to(first.output)) for p in first.output.rglob("*.html"))
    assert names == sorted(str(p.relative_to(second.output)) for p in second.output.rglob("*.html"))
    for name in names:
        assert (first.output / name).read_bytes() == (second.output / name).read_bytes(), name
