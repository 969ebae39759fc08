"""The metadata header of a Markdown file, with line numbers.

Python-Markdown's ``meta`` extension reads the header for Pelican but forgets
where each field stood; editors need ``file:line`` in error messages, so the
header is also parsed here. Same syntax: ``Key: value`` lines from the top of
the file up to the first blank line, continuation lines indented.
Pure logic, no Pelican import.
"""

from __future__ import annotations

import dataclasses
import re

_KEY = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
_CONTINUATION = re.compile(r"^[ ]{4,}(?P<value>.*)$")


@dataclasses.dataclass
class Field:
    name: str  # as written ("Title")
    value: str
    line: int  # 1-based


def parse_header(text: str) -> dict[str, Field]:
    """Map each lower-cased key to its Field. Later duplicates are ignored,
    as Pelican keeps the first definition of single-valued fields."""
    fields: dict[str, Field] = {}
    last: Field | None = None
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        if not line.strip():
            break
        match = _KEY.match(line)
        if match:
            last = Field(match["key"], match["value"].strip(), number)
            fields.setdefault(match["key"].lower(), last)
            continue
        match = _CONTINUATION.match(line)
        if match and last is not None:
            last.value = f"{last.value} {match['value'].strip()}".strip()
            continue
        break  # not a header line: the header (if any) has ended
    return fields


def body_start(text: str) -> int:
    """1-based line number where the body starts (after the header)."""
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            return number + 1
    return len(lines) + 1
