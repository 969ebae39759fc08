"""Cover images as feed enclosures. Pure module: no Pelican import."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def enclosure_for(content_root: Path, image: str) -> tuple[str, str, str] | None:
    """(path, length, MIME type) of a cover ``image`` (path under content/),
    or None when the file is missing (the editorial plugin reports that)."""
    source = content_root / image
    if not source.is_file():
        return None
    mime, _ = mimetypes.guess_type(source.name)
    return image, str(source.stat().st_size), mime or "application/octet-stream"


def link_key(link: str) -> str:
    """A feed item's link without query or fragment (FEED_APPEND_REF adds ?ref=feed)."""
    parts = urlsplit(link)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
