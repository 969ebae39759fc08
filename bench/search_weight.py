#!/usr/bin/env python3
"""What a phone downloads for its first search: the site's sharded search
index against the same pages indexed as one bundle.

    python bench/search_weight.py [SITE] [--query Q ...]   (``make bench-search``)

SITE is a built output folder (default: the portal's output of
``make bench N=5000``). A copy of it with one unsharded bundle is made by hard
links in a temporary folder. Each query is typed into the search page of
both, in Debian's Chromium with a phone's viewport, from a fresh context (an
empty cache); the requests to ``pagefind/`` are counted by kind, with their
bytes, and the time until the results are announced. Prints a Markdown
table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT / "plugins"), str(ROOT / "tests")]

from browsing import CHROMIUM, CHROMIUM_ARGS, PHONE, serve_directory  # noqa: E402
from search import DEFAULTS  # noqa: E402
from search.pagefind import build_index  # noqa: E402

DONE = re.compile(r"^(Tìm thấy|Không tìm thấy|Không tải)")
KINDS = ("index", "fragment", "filter", "pf_meta", "other")


def whole_copy(site: Path, work: Path) -> Path:
    """``site`` with its search index rebuilt as one bundle (pages hard-linked)."""
    copy = work / "whole"
    shutil.copytree(site, copy, copy_function=os.link, ignore=shutil.ignore_patterns("pagefind"))
    build_index(copy, DEFAULTS["LANGUAGE"], DEFAULTS["BUNDLE_DIR"], DEFAULTS["EXCLUDE_SELECTORS"], per_shard=10**9)
    return copy


def first_search(browser, url: str, query: str) -> tuple[str, dict[str, tuple[int, int]], float]:
    """(status text, {kind: (requests, bytes)}, seconds to the announced result)."""
    from playwright.sync_api import expect  # noqa: PLC0415

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN")
    page = context.new_page()
    fetched: list[tuple[str, int]] = []
    page.on("requestfinished", lambda r: fetched.append((r.url, (r.sizes() or {}).get("responseBodySize", 0))))
    started = time.perf_counter()
    page.goto(f"{url}/tim-kiem/?q={quote(query)}")
    status = page.locator("#trang-thai-tim-kiem")
    expect(status).to_have_text(DONE, timeout=120_000)
    seconds = time.perf_counter() - started
    page.wait_for_load_state("networkidle")
    counts: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for address, size in fetched:
        if "/pagefind/" in address:
            kind = next((k for k in KINDS if k in address), "other")
            counts[kind][0] += 1
            counts[kind][1] += size
    text = status.inner_text()
    context.close()
    return text, {kind: tuple(value) for kind, value in counts.items()}, seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default=str(HERE / "out/n5000/portal/output"))
    parser.add_argument("--query", action="append", help="a query (repeatable; default: three)")
    args = parser.parse_args(argv)
    site = Path(args.site)
    if not (site / "pagefind/shards.json").is_file():
        raise SystemExit(f"bench: {site} has no search index (pagefind/shards.json): build it first, "
                         "e.g. `make bench N=5000 REPEAT=1`")
    queries = args.query or ["hội nghị", "duc thuan", "chuyển đổi số"]
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with tempfile.TemporaryDirectory(dir=site.parent) as work, sync_playwright() as playwright:
        shards = 1 + len(json.loads((site / "pagefind/shards.json").read_text())["shards"])
        print(f"bench: indexing a copy of {site} as one bundle (not timed)", flush=True)
        sites = {f"{shards} shard(s)": site, "one bundle": whole_copy(site, Path(work))}
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        print()
        print("| query | index | results | requests to pagefind/ | KB | of which index chunks | time |")
        print("|---|---|---|---|---|---|---|")
        for query in queries:
            for label, folder in sites.items():
                server, url = serve_directory(folder)
                try:
                    text, counts, seconds = first_search(browser, url, query)
                finally:
                    server.shutdown()
                found = re.search(r"[\d.]+ kết quả|Không tìm thấy", text)
                requests = sum(n for n, _ in counts.values())
                size = sum(b for _, b in counts.values())
                chunks = counts.get("index", (0, 0))
                print(f"| {query} | {label} | {found.group(0) if found else text[:30]} | {requests} "
                      f"| {size / 1024:.0f} | {chunks[0]} files, {chunks[1] / 1024:.0f} KB | {seconds:.2f} s |", flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
