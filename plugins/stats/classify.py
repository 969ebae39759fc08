"""What a logged request is: bot or person, phone or desktop, page view,
rating, robots.txt fetch, referrer domain.

Each function here runs once per *distinct* string (the ingest caches the
answers), so clarity wins over speed. Pure module, no Pelican import.

Bots come from the crawler-user-agents list (a maintained, pinned PyPI
package: ``crawler-user-agents`` in requirements.txt), plus clients that
send no user agent at all.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

from crawleruseragents import CRAWLER_USER_AGENTS_DATA

from .logparse import unescape

DESKTOP, PHONE, BOT = 0, 1, 2

# The crawler patterns, compiled once in alternations of 25: Python's engine
# runs many small alternations faster than one of 1,500 branches.
_PATTERNS = [entry["pattern"] for entry in CRAWLER_USER_AGENTS_DATA]
_BOTS = [re.compile("|".join(f"(?:{p})" for p in _PATTERNS[i:i + 25])) for i in range(0, len(_PATTERNS), 25)]
# Phones and tablets (the site's "phone" side of the split).
_PHONE = re.compile(r"Mobi|Android|iPhone|iPad|iPod|Windows Phone|BlackBerry|Opera Mini|KaiOS|Tablet", re.I)


def agent_kind(user_agent: bytes) -> int:
    """BOT, PHONE or DESKTOP for a raw (escaped) user-agent field."""
    text = unescape(user_agent).strip()
    if not text or text == "-" or any(pattern.search(text) for pattern in _BOTS):
        return BOT
    return PHONE if _PHONE.search(text) else DESKTOP


def page_path(path: bytes, prefix: str = "") -> str | None:
    """The normalised page a request path names, or None if it is not an
    HTML page of the site (assets, feeds, data files, 404 page, odd paths).

    "/2026/11/bai/index.html?fbclid=x" -> "/2026/11/bai/"
    """
    if len(path) > 600 or not path.startswith(b"/"):
        return None
    text = unescape(path).split("#", 1)[0].split("?", 1)[0]
    text = unquote(text, errors="replace")
    while "//" in text:
        text = text.replace("//", "/")
    if text.endswith("/index.html"):
        text = text[: -len("index.html")]
    if not text.endswith(("/", ".html")) or text.endswith("/404.html"):
        return None
    if "/../" in text or "/./" in text or any(c in text for c in "<>\"'\\\x00\ufffd") or not text.isprintable():
        return None  # a real page's address has none of these
    if prefix:
        if not text.startswith(prefix + "/"):
            return None
        text = text[len(prefix):]
    return text


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def rating(path: bytes, rating_path: str, prefix: str = "") -> tuple[str, int] | None:
    """(slug, score) for "GET /_danh-gia?bai=<slug>&diem=<1..5>", else None."""
    text = unescape(path)
    base, _, query = text.partition("?")
    if base != prefix + rating_path or len(text) > 600:
        return None
    fields = parse_qs(query.split("#", 1)[0], max_num_fields=10)
    slug = (fields.get("bai") or [""])[-1]
    score = (fields.get("diem") or [""])[-1]
    if not _SLUG.fullmatch(slug) or len(slug) > 200 or score not in {"1", "2", "3", "4", "5"}:
        return None
    return slug, int(score)


def is_robots(path: bytes, prefix: str = "") -> bool:
    return path.split(b"?", 1)[0] == (prefix + "/robots.txt").encode()


_HOST = re.compile(r"(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}")


def referrer_domain(referrer: bytes, own_hosts: frozenset[str]) -> str | None:
    """The domain of an external referrer ("https://www.google.com/x" -> "google.com"),
    None for none, the site itself, IP addresses and anything that is not a host name."""
    if referrer in (b"", b"-") or len(referrer) > 2000:
        return None
    try:
        host = urlsplit(unescape(referrer)).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".")
    if host in own_hosts or not _HOST.fullmatch(host):
        return None
    return host.removeprefix("www.")
