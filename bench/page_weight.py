"""Print what a page weighs for the citizen: its HTML plus the CSS and JS it
loads from the site (photos excluded), uncompressed, against the 60 KB budget.

    .venv/bin/python bench/page_weight.py [OUTPUT_DIR] [PAGE ...]

OUTPUT_DIR defaults to output/; PAGE is a path under it (default: the demo
conference report). The figures are printed, never asserted on here;
tests/sites/test_theme_html.py checks the budget.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

BUDGET = 60 * 1024  # bytes: HTML + CSS + JS of an article page, uncompressed
CONFERENCE = "2022/06/phuong-duc-thuan-so-ket-5-nam-thuc-hien-chi-thi-20/index.html"


def page_weight(output: Path, page: str) -> dict[str, int]:
    """{relative file: bytes} for the page and the stylesheets and scripts it
    links from the site itself."""
    html = output / page
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "lxml")
    files = {page: html.stat().st_size}
    links = [tag["href"] for tag in soup.select('link[rel~="stylesheet"][href]')]
    links += [tag["src"] for tag in soup.select("script[src]")]
    for link in links:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc:  # absolute SITEURL in a publish build
            path = parts.path
        else:
            path = parts.path if parts.path.startswith("/") else "/" + str(Path(page).parent / parts.path)
        target = output / path.lstrip("/")
        files[path.lstrip("/")] = target.stat().st_size
    return files


def report(output: Path, page: str) -> int:
    files = page_weight(output, page)
    total = sum(files.values())
    print(f"{page}")
    for name, size in files.items():
        print(f"  {size / 1024:7.1f} KB  {name}")
    verdict = "within" if total <= BUDGET else "OVER"
    print(f"  {total / 1024:7.1f} KB  total (HTML + CSS + JS), {verdict} the {BUDGET // 1024} KB budget")
    return total


def main(argv: list[str]) -> int:
    output = Path(argv[0]) if argv else Path("output")
    pages = argv[1:] or [CONFERENCE]
    over = [page for page in pages if report(output, page) > BUDGET]
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
