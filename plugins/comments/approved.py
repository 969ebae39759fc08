"""Approved comments as files: ``<content>/comments/<article slug>/<file>.md``.

Each file is what ``make comments APPROVE=<id>`` writes: a header
(``Author``, ``Date`` in Vietnam's time, ``Article``, ``Id``), a blank line,
then the reader's text exactly as typed. The text is never Markdown: the
theme prints it escaped, paragraph by paragraph, with no links made.
Pure logic, no Pelican import.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

from editorial.header import body_start, parse_header
from editorial.validate import Problem, parse_date


@dataclasses.dataclass(frozen=True)
class Comment:
    id: str  # the file name without .md, e.g. 20261127-153012-12
    author: str
    date: dt.datetime  # aware, in the site's time zone
    text: str

    @property
    def paragraphs(self) -> list[list[str]]:
        """Paragraphs (split on blank lines), each a list of lines."""
        blocks = [block.strip("\n") for block in self.text.split("\n\n")]
        return [block.split("\n") for block in blocks if block.strip()]


def parse_comment(text: str, name: str, timezone: ZoneInfo) -> tuple[Comment | None, list[Problem]]:
    """Read one comment file's text (already decoded); ``name`` is its file name."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n")
    fields = parse_header(text)
    problems = []
    author = fields.get("author")
    if author is None or not author.value:
        problems.append(Problem(author.line if author else 1, "Author", "thiếu tên người bình luận", "thêm dòng `Author: <họ và tên>` ở đầu tệp"))
    date = fields.get("date")
    when = parse_date(date.value) if date and date.value else None
    if when is None:
        problems.append(Problem(date.line if date else 1, "Date", "thiếu hoặc sai ngày bình luận", "viết `Date: 2026-11-27 15:30` (giờ Việt Nam)"))
    lines = text.split("\n")
    body = "\n".join(lines[body_start(text) - 1:]).strip() if fields else text.strip()
    if not body:
        problems.append(Problem(len(lines), "nội dung", "bình luận không có nội dung", "xóa tệp này hoặc thêm nội dung sau dòng trống"))
    if problems:
        return None, problems
    # The file's name (timestamp and the service's number) is unique in its
    # folder even if the service's database was ever started afresh.
    return Comment(Path(name).stem, author.value, when.replace(tzinfo=timezone), body), []


def comment_files(folder: Path) -> dict[str, list[Path]]:
    """Files per article slug (the sub-folder's name), in name order (= date order)."""
    if not folder.is_dir():
        return {}
    return {
        sub.name: sorted(p for p in sub.iterdir() if p.suffix == ".md" and not p.name.startswith("."))
        for sub in sorted(folder.iterdir())
        if sub.is_dir() and not sub.name.startswith(".")
    }
