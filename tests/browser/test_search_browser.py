"""Search on the built demo site, in Chromium, under a strict CSP: accent-less
queries find accented text, only article and page bodies are indexed,
nothing is requested from another host, and `make serve` serves it all."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import expect

from browsing import axe_violations, describe_violations, foreign_requests, screenshot, serve_directory
from helpers import ROOT, build_demo, parse

CONFERENCE = "/2022/06/phuong-duc-thuan-so-ket-5-nam-thuc-hien-chi-thi-20/"
# The production policy (deploy/nginx.conf): no inline script or style; Pagefind
# compiles its WebAssembly, which needs 'wasm-unsafe-eval'.
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'"
)
DONE = re.compile(r"^(Tìm thấy|Không tìm thấy|Không tải)")


def enforce_csp(page) -> list[str]:
    """Serve every response with the CSP header; return the list of requested URLs."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    def with_header(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": CSP})

    page.route("**/*", with_header)
    return requested


def search(page, base: str, query: str, category: str = "") -> tuple[str, list[str]]:
    """Open the search page for ``query``; return the status and every result's path."""
    address = f"{base}/tim-kiem/?q={quote(query)}"
    if category:
        address += f"&chuyen-muc={quote(category)}"
    page.goto(address)
    status = page.locator("#trang-thai-tim-kiem")
    expect(status).to_have_text(DONE, timeout=15000)
    more = page.locator("#xem-them")
    while more.is_visible():
        count = page.locator(".search-result").count()
        more.click()
        expect(page.locator(".search-result")).not_to_have_count(count)
    links = page.locator(".search-result h2 a").evaluate_all("links => links.map(a => a.pathname)")
    return status.inner_text(), links


@pytest.fixture
def csp_page(desktop):
    requested = enforce_csp(desktop)
    desktop.requested = requested
    yield desktop
    desktop.unroute_all(behavior="ignoreErrors")


def assert_found_in_first_three(page, base, query):
    status, links = search(page, base, query)
    assert status.startswith("Tìm thấy"), status
    assert CONFERENCE in links[:3], links[:5]
    first = page.locator(".search-result").first
    assert first.locator("mark").count() > 0  # the excerpt highlights the match
    assert re.search(r"\d{2}/\d{2}/\d{4}", first.locator(".meta").inner_text())  # date
    assert not foreign_requests(page.requested, base)


@pytest.mark.parametrize("query", ["hoi nghi so ket", "chi thi 20"])
def test_query_finds_the_conference_report_in_the_first_three(csp_page, site_url, query):
    assert_found_in_first_three(csp_page, site_url, query)


# "Đức Thuận" is in the title, lead and body of every demo article, so
# Pagefind scores them all alike (a word in every page carries no weight);
# search.js then ranks by how often a page has the whole name, and the
# conference report of the ward's Party committee names the ward most often.
@pytest.mark.parametrize("query", ["duc thuan", "Đức Thuận"])
def test_ward_name_finds_the_conference_report_in_the_first_three(csp_page, site_url, query):
    assert_found_in_first_three(csp_page, site_url, query)


def test_ward_name_without_accents_finds_what_the_accented_name_finds(csp_page, site_url, demo_site):
    expected = {
        "/" + path.parent.relative_to(demo_site).as_posix() + "/"
        for path in demo_site.glob("20*/*/*/index.html")
        if "Đức Thuận" in parse(path).select_one("article[data-pagefind-body] h1").get_text()
    }
    _, accented = search(csp_page, site_url, "Đức Thuận")
    _, plain = search(csp_page, site_url, "duc thuan")
    assert CONFERENCE in plain and expected <= set(plain)
    assert set(accented) <= set(plain)


def test_dang_uy_finds_every_article_that_says_dang_uy(csp_page, site_url, demo_site):
    expected = {
        "/" + path.parent.relative_to(demo_site).as_posix() + "/"
        for path in demo_site.glob("20*/*/*/index.html")
        if "Đảng ủy" in parse(path).select_one("article[data-pagefind-body]").get_text(" ")
    }
    assert len(expected) >= 2
    _, links = search(csp_page, site_url, "dang uy")
    assert expected <= set(links)
    marks = csp_page.locator(".search-result mark").all_inner_texts()
    assert "Đảng" in marks and "ủy" in marks  # the accented words are highlighted
    screenshot(csp_page, "search-dang-uy-desktop")


def test_accented_query_ranks_exact_accents_first(csp_page, site_url):
    """"Đảng ủy" typed with accents: pages saying exactly that come before
    pages that only have "đang" (currently) and "ủy" apart."""
    _, links = search(csp_page, site_url, "Đảng ủy")
    excerpts = csp_page.locator(".search-result .search-excerpt").all_inner_texts()
    assert links and "Đảng ủy" in excerpts[0]


def test_category_filter_keeps_only_that_category(csp_page, site_url):
    status, links = search(csp_page, site_url, "duc thuan", category="Xây dựng Đảng")
    assert "Xây dựng Đảng" in status and CONFERENCE in links
    categories = {text.split(" · ")[-1] for text in csp_page.locator(".search-result .meta").all_inner_texts()}
    assert categories == {"Xây dựng Đảng"}


def toneless(text: str) -> str:
    """Lower case without tones or vowel marks ("đ" stays), as Pagefind compares."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)


def footer_and_menu_only_words(demo_site: Path) -> list[str]:
    """Words of the footer and menu that start no word of any article or page
    body, tones aside (Pagefind matches the last word typed as a prefix)."""
    home = parse(demo_site / "index.html")
    chrome = " ".join(home.select_one(sel).get_text(" ") for sel in ("footer", "nav"))
    body_words = set()
    for path in demo_site.rglob("index.html"):
        body = parse(path).select_one("[data-pagefind-body]")
        if body:
            body_words |= set(re.findall(r"\w+", toneless(body.get_text(" "))))
    candidates = {w for w in re.findall(r"[^\W\d_]{4,}", chrome)}
    return sorted(w for w in candidates if not any(b.startswith(toneless(w)) for b in body_words))


def test_words_only_in_footer_or_menu_find_nothing(csp_page, site_url, demo_site):
    words = footer_and_menu_only_words(demo_site)
    assert words, "the footer and menu should have words of their own"
    for word in words[:3]:
        status, links = search(csp_page, site_url, word)
        assert links == [] and status.startswith("Không tìm thấy"), (word, links)


def test_query_variants_try_d_as_dd_and_keep_accented_words(desktop, site_url):
    desktop.goto(site_url + "/tim-kiem/")
    variants = desktop.evaluate(
        "async (q) => (await import(document.querySelector('script[src*=\"/js/search.js\"]').src)).variants(q)",
        "dang Uy Đức",
    )
    assert variants == ["dang Uy Đức", "đang Uy Đức"]


def test_header_box_without_javascript_leads_to_archive_and_categories(no_js, site_url, demo_site):
    no_js.goto(site_url + CONFERENCE)
    no_js.get_by_label("Từ khóa tìm kiếm").fill("duc thuan")
    no_js.get_by_label("Từ khóa tìm kiếm").press("Enter")
    no_js.wait_for_url(re.compile(r"/tim-kiem/\?q=duc\+thuan$"))
    assert no_js.locator(".search-nojs").is_visible()
    archive = no_js.get_by_role("link", name="tất cả tin bài theo thời gian")
    assert archive.get_attribute("href").endswith("/tin-tuc/")
    categories = no_js.locator(".search-categories a").all_inner_texts()
    assert "Xây dựng Đảng" in categories and len(categories) >= 5
    screenshot(no_js, "search-no-js-phone")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def make_serve(demo_site):
    """`make serve` (Pelican's own server) on a free port, serving the demo build."""
    port = free_port()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    process = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"OUTPUTDIR={demo_site}", f"PORT={port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert process.poll() is None, "make serve stopped"
            time.sleep(0.2)
        else:
            pytest.fail("make serve did not listen within 60 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def test_search_works_from_make_serve(desktop, make_serve):
    # No CSP rewriting here: Pelican's server answers one connection at a
    # time, and Playwright's fetch for the rewrite holds one open.
    requested: list[str] = []
    desktop.on("request", lambda request: requested.append(request.url))
    status, links = search(desktop, make_serve, "hoi nghi so ket")
    assert status.startswith("Tìm thấy") and CONFERENCE in links[:3]
    assert {urlsplit(url).netloc for url in requested} == {urlsplit(make_serve).netloc}
    assert any("/pagefind/" in url for url in requested)


def test_search_page_with_results_passes_axe_on_a_phone(phone, site_url):
    enforce_csp(phone)
    search(phone, site_url, "dang uy")
    violations = axe_violations(phone)
    assert not violations, describe_violations(violations)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "search-dang-uy-phone")
    phone.unroute_all(behavior="ignoreErrors")


# A site indexed in several Pagefind shards searches like one indexed whole:
# the demo content is built again with SEARCH["SHARD_PAGES"] = 4 (its pages
# fall into 8 shards), and the same queries give the same pages, each once.


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("sharded") / "output"
    return build_demo(output, 'SEARCH={"SHARD_PAGES": 4}', f'CACHE_PATH="{output.parent / "cache"}"')


@pytest.fixture(scope="module")
def sharded_url(sharded_site):
    server, url = serve_directory(sharded_site)
    yield url
    server.shutdown()


def test_the_sharded_site_has_several_shards(sharded_site, demo_site):
    listing = json.loads((sharded_site / "pagefind/shards.json").read_text())
    assert len(listing["shards"]) >= 3
    for folder in listing["shards"]:
        shard = sharded_site / "pagefind" / folder
        assert (shard / "pagefind-entry.json").is_file()
        assert not list(shard.glob("*.js")), "a merged shard needs no scripts of its own"
    # Every indexed page is in exactly one shard.
    counts = [json.loads((sharded_site / "pagefind" / folder / "pagefind-entry.json").read_text())
              ["languages"]["vi"]["page_count"] for folder in ["", *listing["shards"]]]
    whole = json.loads((demo_site / "pagefind/pagefind-entry.json").read_text())["languages"]["vi"]["page_count"]
    assert sum(counts) == whole
    assert json.loads((demo_site / "pagefind/shards.json").read_text()) == {"shards": []}


@pytest.mark.parametrize("query", ["hoi nghi so ket", "đảng ủy", "Đức Thuận", "môi trường"])
def test_sharded_search_finds_what_the_whole_index_finds(desktop, site_url, sharded_url, query):
    requested = enforce_csp(desktop)
    whole_status, whole = search(desktop, site_url, query)
    del requested[:]
    status, sharded = search(desktop, sharded_url, query)
    assert len(sharded) == len(set(sharded)), f"a page is listed twice: {sharded}"
    assert sorted(sharded) == sorted(whole), (status, whole_status)
    assert status.startswith("Tìm thấy"), status
    if query == "hoi nghi so ket":
        assert CONFERENCE in sharded[:3], sharded[:5]
    # The shards' indexes were fetched, and nothing from another host.
    assert any("/pagefind/s1/" in url for url in requested)
    assert not foreign_requests(requested, sharded_url)
    desktop.unroute_all(behavior="ignoreErrors")
