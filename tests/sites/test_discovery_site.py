"""Feeds, sitemap, robots.txt, structured data and the search index of the
demo site built with publishconf.py (absolute URLs), as `make publish` would."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from lxml import etree

from helpers import PELICAN, ROOT, article, parse
from vietnamese.text import slugify

SITEURL = "https://ducthuan.example.gov.vn"
CONFERENCE = "2022/06/phuong-duc-thuan-so-ket-5-nam-thuc-hien-chi-thi-20/"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> Path:
    """The demo content built with publishconf.py (feeds on, strict, absolute URLs)."""
    output = tmp_path_factory.mktemp("published") / "output"
    result = subprocess.run(
        [*PELICAN, str(ROOT / "content"), "-o", str(output),
         "-s", str(ROOT / "publishconf.py"), "--log-handler", "plain"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "SITEURL": SITEURL},
    )
    assert result.returncode == 0, f"publish build failed:\n{result.stdout}\n{result.stderr}"
    return output


def local_file(output: Path, url: str) -> Path:
    """The file in output/ that serves an absolute URL of the site."""
    assert url.startswith(SITEURL + "/"), url
    path = urlsplit(url).path.lstrip("/")
    target = output / path
    return target / "index.html" if path == "" or path.endswith("/") else target


def articles_in(output: Path) -> set[str]:
    return {p.parent.relative_to(output).as_posix() + "/" for p in output.glob("20*/*/*/index.html")}


def test_feeds_parse_and_their_links_and_images_resolve(published_site):
    feeds = sorted((published_site / "feeds").glob("*.xml"))
    categories = [p.name for p in (published_site / "chuyen-muc").iterdir()]
    names = {p.name for p in feeds}
    assert {"all.atom.xml", "all.rss.xml"} <= names
    for slug in categories:
        assert {f"{slug}.atom.xml", f"{slug}.rss.xml"} <= names
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path.name, feed.get("bozo_exception"))
        assert feed.version == ("atom10" if path.name.endswith(".atom.xml") else "rss20")
        assert feed.entries, path.name
        for entry in feed.entries:
            assert local_file(published_site, entry.link).is_file(), entry.link
            assert entry.summary.strip(), entry.link
            for enclosure in entry.get("enclosures", []):
                assert local_file(published_site, enclosure.href).is_file(), enclosure.href
                assert enclosure.type == "image/jpeg"
    head = parse(published_site / "index.html").select('link[rel="alternate"]')
    assert {link["href"] for link in head} == {f"{SITEURL}/feeds/all.atom.xml", f"{SITEURL}/feeds/all.rss.xml"}
    everything = feedparser.parse((published_site / "feeds/all.atom.xml").read_bytes())
    assert {urlsplit(e.link).path.lstrip("/") for e in everything.entries} == articles_in(published_site)
    conference = next(e for e in everything.entries if e.link == f"{SITEURL}/{CONFERENCE}")
    assert "Đảng ủy phường Đức Thuận" in conference.summary
    image = local_file(published_site, conference.enclosures[0].href)
    assert image.is_file() and "hoi-nghi-so-ket-chi-thi-20" in image.name
    assert int(conference.enclosures[0].length) == image.stat().st_size
    # the same photo as the page's link preview
    og = parse(published_site / CONFERENCE / "index.html").select_one('meta[property="og:image"]')["content"]
    assert conference.enclosures[0].href == og


def test_sitemap_lists_existing_files_with_every_article_and_page(published_site):
    tree = etree.parse(str(published_site / "sitemap.xml"))
    urls = {u.findtext("s:loc", namespaces=SITEMAP_NS): u.findtext("s:lastmod", namespaces=SITEMAP_NS)
            for u in tree.findall("s:url", SITEMAP_NS)}
    for url in urls:
        assert local_file(published_site, url).is_file(), url
    pages = {f"{slug}/" for slug in pelican_page_slugs()} | {"ca-khuc/"}
    pages |= {p.parent.relative_to(published_site).as_posix() + "/" for p in published_site.glob("ca-khuc/*/index.html")}
    assert {"gioi-thieu/", "lien-he/"} <= pages
    for path in articles_in(published_site) | pages:
        assert urls.get(f"{SITEURL}/{path}"), f"{path} missing from the sitemap or has no lastmod"
    assert urls[f"{SITEURL}/{CONFERENCE}"] == "2022-06-10T15:30:00+07:00"
    assert f"{SITEURL}/tim-kiem/" not in urls


def pelican_page_slugs() -> list[str]:
    """Slugs of the pages in content/pages/ (the Slug field, else the title's slug)."""
    slugs = []
    for path in (ROOT / "content/pages").glob("*.md"):
        fields = dict(line.split(":", 1) for line in path.read_text(encoding="utf-8").split("\n\n")[0].splitlines())
        slugs.append(fields["Slug"].strip() if "Slug" in fields else slugify(fields["Title"]))
    return slugs


def test_robots_txt_points_to_the_sitemap(published_site):
    lines = (published_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {SITEURL}/sitemap.xml" in lines


def jsonld(soup) -> dict:
    blocks = [json.loads(s.string) for s in soup.select('script[type="application/ld+json"]')]
    return {block["@type"]: block for block in blocks}


def test_conference_report_has_news_article_and_breadcrumbs(published_site):
    soup = parse(published_site / CONFERENCE / "index.html")
    data = jsonld(soup)
    news = data["NewsArticle"]
    assert news["@context"] == "https://schema.org"
    assert news["headline"] == "Phường Đức Thuận sơ kết 5 năm thực hiện Chỉ thị 20"
    assert news["datePublished"] == "2022-06-10T15:30:00+07:00"
    assert news["dateModified"] >= news["datePublished"]
    assert [a["name"] for a in news["author"]] == ["Ban biên tập"]
    assert news["publisher"]["name"] == "Ủy ban nhân dân phường Đức Thuận"
    assert news["publisher"]["@type"] == "GovernmentOrganization"
    assert news["image"][0].startswith(f"{SITEURL}/images/2022/06/")
    assert local_file(published_site, news["image"][0]).is_file()
    assert news["mainEntityOfPage"]["@id"] == f"{SITEURL}/{CONFERENCE}"
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Trang chủ", "Xây dựng Đảng", news["headline"]]
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    for crumb in crumbs:
        assert local_file(published_site, crumb["item"]).is_file()


def test_jsonld_escapes_text_that_could_close_the_script(build_tiny):
    # A title is HTML in Pelican: "&lt;/script&gt;" shows as "</script>" and
    # the headline, which is plain text, must carry it without closing the block.
    site = build_tiny({"articles/tin/2022/a.md": article(title="Lịch &lt;/script&gt; họp tổ", Summary="Tóm tắt & ghi chú")})
    page = next(site.output.glob("2022/06/*/index.html")).relative_to(site.output).as_posix()
    blocks = site.html(page).select('script[type="application/ld+json"]')
    assert len(blocks) == 2
    for block in blocks:
        assert "<" not in block.string and "&" not in block.string
    news = jsonld(site.html(page))["NewsArticle"]
    assert news["headline"] == "Lịch </script> họp tổ"
    assert news["description"] == "Tóm tắt & ghi chú"


def test_search_page_without_javascript_offers_archive_and_categories(published_site):
    soup = parse(published_site / "tim-kiem/index.html")
    form = soup.select_one("form#tim-kiem")
    assert form["action"] == f"{SITEURL}/tim-kiem/" and form["method"] == "get"
    links = {a["href"] for a in soup.select(".search-browse a")}
    assert f"{SITEURL}/tin-tuc/" in links
    for category in (published_site / "chuyen-muc").iterdir():
        assert f"{SITEURL}/chuyen-muc/{category.name}/" in links
    box = parse(published_site / "index.html").select_one("header form[role=search]")
    assert box["action"] == f"{SITEURL}/tim-kiem/" and box.select_one("input")["name"] == "q"
    assert not soup.select("script:not([src])") or all(s.get("type") == "application/ld+json" for s in soup.select("script:not([src])"))
    assert not soup.select("[style]")


def test_search_index_holds_only_article_and_page_bodies(published_site):
    entry = json.loads((published_site / "pagefind/pagefind-entry.json").read_text())
    indexed = sum(language["page_count"] for language in entry["languages"].values())
    pages = [p for p in published_site.rglob("index.html") if parse(p).select_one("[data-pagefind-body]")]
    assert indexed == len(pages) == len(articles_in(published_site)) + 2
    assert list(entry["languages"]) == ["vi"]


def test_search_index_leaves_out_the_share_and_rating_blocks(published_site):
    """Every article has the same share buttons, view count and rating
    form (marked data-pagefind-ignore="all" in their partials): their words
    are in no indexed text, so "chia sẻ" or "đánh giá" find only the
    articles that say so."""
    import gzip  # noqa: PLC0415

    conference = parse(published_site / "2022/06/phuong-duc-thuan-so-ket-5-nam-thuc-hien-chi-thi-20/index.html")
    assert conference.select_one("article .share") and conference.select_one("article .article-stats")
    texts = [json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd"):])["content"]
             for fragment in published_site.glob("pagefind/**/fragment/*")]
    assert len(texts) == len(articles_in(published_site)) + 2
    for words in ("Sao chép liên kết", "In bài viết", "lượt xem", "Gửi đánh giá", "Chưa có lượt đánh giá"):
        assert not any(words in text for text in texts), words


def test_pages_cut_down_for_pagefind_index_as_the_whole_pages(published_site, tmp_path):
    """Pagefind reads each article and page cut down to its head and its
    data-pagefind-body element (search.pagefind.strip_for_index): every
    page's text, title, date, category and filters are those Pagefind finds
    in the whole page. The image may differ: on a whole page without a
    photo of its own Pagefind takes a sidebar thumbnail (search.js does not
    show images)."""
    import gzip  # noqa: PLC0415

    from search.pagefind import executable, strip_for_index  # noqa: PLC0415

    pages = [p for p in published_site.rglob("index.html")
             if "pagefind" not in p.parts and b"data-pagefind-body" in p.read_bytes()]
    assert len(pages) > 10
    fragments = {}
    for kind in ("whole", "cut"):
        site = tmp_path / kind
        for page in pages:
            target = site / page.relative_to(published_site)
            target.parent.mkdir(parents=True, exist_ok=True)
            data = page.read_bytes()
            cut = strip_for_index(data)
            assert cut is not None, f"{page} is indexed whole"
            target.write_bytes(data if kind == "whole" else cut)
        subprocess.run([str(executable()), "--site", str(site), "--output-path", str(tmp_path / f"{kind}-bundle"),
                        "--force-language", "vi"], check=True, capture_output=True)
        found = {}
        for fragment in (tmp_path / f"{kind}-bundle" / "fragment").iterdir():
            data = json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd"):])
            for key in ("image", "image_alt"):
                data["meta"].pop(key, None)
            found[data["url"]] = data
        fragments[kind] = found
    assert len(fragments["cut"]) == len(pages)
    assert fragments["cut"] == fragments["whole"]
