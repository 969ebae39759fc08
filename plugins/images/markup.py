"""HTML for processed photos: ``<picture>`` with ``srcset``/``sizes``, and the
rewriting of the ``<img>`` tags in an article's content.

Pure logic, no Pelican import.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from html.parser import HTMLParser

from .plan import MIME
from .process import Derivative, Result

# The width of the JPEG in <img src>, for browsers without srcset support.
FALLBACK_WIDTH = 960
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
# Attributes the <picture> markup decides; others (class, title...) are kept.
_OWN = {"src", "srcset", "sizes", "width", "height", "loading", "decoding", "fetchpriority", "alt"}


def _attrs(pairs: list[tuple[str, str]]) -> str:
    return "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in pairs)


def candidates(result: Result, kind: str, fmt: str) -> list[Derivative]:
    wanted = "thumb" if kind == "thumb" else "full"
    return sorted(
        (d for d in result.derivatives if d.kind == wanted and d.format == fmt), key=lambda d: d.width
    )


def fallback(options: list[Derivative]) -> Derivative:
    fitting = [d for d in options if d.width <= FALLBACK_WIDTH]
    return fitting[-1] if fitting else options[0]


def picture_frame(result: Result, url: Callable[[str], str], kind: str, eager: bool, sizes: str,
                  formats: list[str]) -> tuple[str, str]:
    """The parts of :func:`picture`'s markup that do not depend on the alt
    text or the kept attributes: (everything before ``alt``, the loading
    attributes after it). The same photo is shown on thousands of pages:
    callers may keep a frame for the whole build."""
    parts = ["<picture>"]
    for fmt in formats[:-1]:
        options = candidates(result, kind, fmt)
        if options:
            srcset = ", ".join(f"{url(d.name)} {d.width}w" for d in options)
            parts.append(f"<source{_attrs([('type', MIME[fmt]), ('srcset', srcset), ('sizes', sizes)])}>")
    options = candidates(result, kind, formats[-1])
    default = fallback(options)
    parts.append("<img" + _attrs([
        ("src", url(default.name)),
        ("srcset", ", ".join(f"{url(d.name)} {d.width}w" for d in options)),
        ("sizes", sizes),
        ("width", str(default.width)),
        ("height", str(default.height)),
    ]))
    loading = [("loading", "eager"), ("fetchpriority", "high")] if eager else [("loading", "lazy"), ("decoding", "async")]
    return "".join(parts), _attrs(loading)


def framed(frame: tuple[str, str], alt: str, keep: list[tuple[str, str]] | None = None) -> str:
    """:func:`picture`'s markup from a :func:`picture_frame`."""
    head, loading = frame
    return f"{head}{_attrs([('alt', alt)])}{loading}{_attrs(keep or [])}></picture>"


def picture(
    result: Result,
    url: Callable[[str], str],
    alt: str,
    kind: str,
    eager: bool,
    sizes: str,
    formats: list[str],
    keep: list[tuple[str, str]] | None = None,
) -> str:
    """``<picture>`` for one photo. ``url(name)`` gives a derivative's URL;
    the last of ``formats`` goes into ``<img>``, the others into ``<source>``s.
    ``eager`` marks the page's first image (loaded at once, high priority);
    every other one is lazy and decoded off the main thread."""
    return framed(picture_frame(result, url, kind, eager, sizes, formats), alt, keep)


def og_name(result: Result) -> str | None:
    return next((d.name for d in result.derivatives if d.kind == "og"), None)


def original_name(result: Result) -> str | None:
    return next((d.name for d in result.derivatives if d.kind == "original"), None)


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.attrs = [(name, value or "") for name, value in attrs]

    handle_startendtag = handle_starttag


@functools.lru_cache(maxsize=65536)  # all the tags of a large site: both passes hit
def img_attributes(tag: str) -> tuple[tuple[str, str], ...]:
    """The attributes of one ``<img ...>`` tag, entities decoded (memoized:
    each tag is read when the photos are collected and again when rewritten)."""
    parser = _Attributes()
    parser.feed(tag)
    parser.close()
    return tuple(parser.attrs)


def rewrite_images(content: str, replace: Callable[[dict[str, str], list[tuple[str, str]], int], str | None]) -> str:
    """Call ``replace(attrs, other_attrs, index)`` for each ``<img>`` in
    ``content`` (index counts from 0); a returned string takes the tag's
    place, None keeps the tag. ``other_attrs`` are those not decided here."""
    index = 0

    def substitute(match: re.Match) -> str:
        nonlocal index
        pairs = img_attributes(match.group(0))
        attrs = dict(pairs)
        others = [(name, value) for name, value in pairs if name not in _OWN]
        new = replace(attrs, others, index)
        index += 1
        return match.group(0) if new is None else new

    return _IMG.sub(substitute, content)
