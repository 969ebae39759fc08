"""sitemap.xml and robots.txt as text. Pure module: no Pelican import."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass(frozen=True)
class Entry:
    path: str  # relative to the site's root: "", "2022/06/slug/", "gioi-thieu/"
    lastmod: datetime | None = None


def output_file(output: str, path: str) -> str:
    """The file under the folder ``output`` that serves ``path`` (a folder
    address is its index.html). Strings, not Paths: the sitemap looks up
    every article's (pathlib took three times as long, 0.05 s at 5,000)."""
    target = os.path.join(output, path)
    return os.path.join(target, "index.html") if path == "" or path.endswith("/") else target


def unique(entries: Iterable[Entry]) -> list[Entry]:
    """Entries with each path once, keeping the newest lastmod."""
    best: dict[str, Entry] = {}
    for entry in entries:
        seen = best.get(entry.path)
        if seen is None or (entry.lastmod and (seen.lastmod is None or entry.lastmod > seen.lastmod)):
            best[entry.path] = entry
    return list(best.values())


def sitemap_xml(site_url: str, entries: Iterable[Entry]) -> str:
    """The sitemap document; ``site_url`` has no trailing slash."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{NAMESPACE}">']
    for entry in entries:
        lines.append(f"  <url><loc>{escape(site_url + '/' + entry.path)}</loc>")
        if entry.lastmod is not None:
            lines.append(f"    <lastmod>{entry.lastmod.isoformat(timespec='seconds')}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(site_url: str, sitemap_path: str, disallow: Iterable[str]) -> str:
    """robots.txt: everything may be crawled except ``disallow``; names the sitemap."""
    lines = ["User-agent: *"]
    lines += [f"Disallow: /{path.lstrip('/')}" for path in disallow] or ["Disallow:"]
    lines += ["", f"Sitemap: {site_url}/{sitemap_path}"]
    return "\n".join(lines) + "\n"
