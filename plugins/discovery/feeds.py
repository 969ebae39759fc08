"""Cover images as feed enclosures. Pure module: no Pelican import."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit


def enclosure_for(output: Path, site_url: str, url: str) -> tuple[str, str] | None:
    """(length, MIME type) of the published file behind ``url`` (an address
    under ``site_url``), or None when it is not in ``output``."""
    prefix = site_url.rstrip("/") + "/"
    if not url.startswith(prefix):
        return None
    path = output / unquote(urlsplit(url[len(prefix):]).path)
    if not path.is_file():
        return None
    mime, _ = mimetypes.guess_type(path.name)
    return str(path.stat().st_size), mime or "application/octet-stream"


def link_key(link: str) -> str:
    """A feed item's link without query or fragment (FEED_APPEND_REF adds ?ref=feed)."""
    parts = urlsplit(link)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
