"""Markdown's answer for a one-line plain-text field, without Markdown.

Pelican converts every formatted metadata field (the Summary) with the full
Markdown pipeline: about half a millisecond for one sentence, once per
article and build. For a single line of letters, digits, spaces and plain
punctuation, with the Markdown extensions Python-Markdown ships that the
portal uses, the answer can only be ``<p>line</p>``: no block can start with
a letter, and no inline pattern (emphasis, code, links, HTML, entities,
escapes, footnotes, abbreviations, attribute lists) has a character to match.
Pure module.
"""

from __future__ import annotations

import re

# A letter first (no list, heading, quote, code or definition can start),
# then letters, digits, single spaces and punctuation Markdown never acts on.
_PLAIN = re.compile(r"[^\W\d_](?: ?(?:[^\W_]|[,.;:?!()%/–—…+\-'\"“”‘’]))*")

# Extensions (as named in MARKDOWN) that leave such a line alone.
SAFE_EXTENSIONS = frozenset({
    "markdown.extensions.extra", "markdown.extensions.meta", "markdown.extensions.toc",
    "markdown.extensions.abbr", "markdown.extensions.attr_list", "markdown.extensions.def_list",
    "markdown.extensions.fenced_code", "markdown.extensions.footnotes", "markdown.extensions.md_in_html",
    "markdown.extensions.tables", "markdown.extensions.sane_lists", "markdown.extensions.codehilite",
})


def safe_extensions(names) -> bool:
    """Whether every configured extension is one that leaves plain lines alone."""
    return all(isinstance(name, str) and name in SAFE_EXTENSIONS for name in names)


def plain_paragraph(text: str) -> str | None:
    """``<p>text</p>`` when that is certainly Markdown's HTML for ``text``;
    None when Markdown must decide."""
    return f"<p>{text}</p>" if _PLAIN.fullmatch(text) else None
