"""Checks of an article's or page's metadata, as editors' messages.

Each check returns ``Problem``s: the line, the field, what is wrong and the
fix, in Vietnamese. Pure logic, no Pelican import.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib

from vietnamese.text import fold  # plugins/ is on sys.path (pelicanconf.py)

from .header import Field


@dataclasses.dataclass(frozen=True)
class Problem:
    line: int
    field: str
    message: str
    hint: str = ""


DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")
DATE_HINT = "viết ngày theo dạng 2022-06-10 15:30 (năm-tháng-ngày giờ:phút, giờ Việt Nam)"
STATUSES = ("published", "draft", "hidden")


def parse_date(value: str) -> dt.datetime | None:
    """Parse a Date field strictly; None when it does not fit a format."""
    value = value.strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


def suggest(value: str, choices: list[str], n: int = 3) -> list[str]:
    """The valid names closest to ``value``, compared without accents."""
    folded = {fold(choice): choice for choice in choices}
    close = difflib.get_close_matches(fold(value), list(folded), n=n, cutoff=0.4)
    return [folded[name] for name in close]


def check_fields(fields: dict[str, Field], kind: str, categories: list[str]) -> list[Problem]:
    """Check the header of an ``article`` or a ``page``."""
    problems: list[Problem] = []
    title = fields.get("title")
    if title is None or not title.value:
        problems.append(
            Problem(title.line if title else 1, "Title", "thiếu tiêu đề", "thêm dòng `Title: <tiêu đề bài viết>` ở đầu tệp")
        )
    status = fields.get("status")
    if status and status.value.lower() not in STATUSES:
        problems.append(
            Problem(status.line, "Status", f"trạng thái «{status.value}» không hợp lệ", "dùng `Status: published` hoặc `Status: draft`")
        )
    date = fields.get("date")
    if kind == "article":
        if date is None or not date.value:
            problems.append(Problem(date.line if date else 1, "Date", "thiếu ngày đăng", f"thêm dòng `Date:`; {DATE_HINT}"))
        elif parse_date(date.value) is None:
            problems.append(Problem(date.line, "Date", f"không đọc được ngày «{date.value}»", DATE_HINT))
        problems += _check_category(fields.get("category"), categories)
    elif date is not None and date.value and parse_date(date.value) is None:
        problems.append(Problem(date.line, "Date", f"không đọc được ngày «{date.value}»", DATE_HINT))
    return problems


def _check_category(field: Field | None, categories: list[str]) -> list[Problem]:
    valid = ", ".join(f"«{name}»" for name in categories)
    if field is None or not field.value:
        return [Problem(field.line if field else 1, "Category", "thiếu chuyên mục", f"thêm dòng `Category:` với một trong: {valid}")]
    if field.value in categories:
        return []
    close = suggest(field.value, categories)
    hint = f"có phải ý bạn là {' hoặc '.join(f'«{name}»' for name in close)}? " if close else ""
    hint += f"Các chuyên mục hợp lệ: {valid}"
    return [Problem(field.line, "Category", f"chuyên mục «{field.value}» không có trong danh sách của trang", hint)]




def duplicates(items: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Given (key, path) pairs, map each key used by several paths to them."""
    seen: dict[str, list[str]] = {}
    for key, path in items:
        seen.setdefault(key, []).append(path)
    return {key: paths for key, paths in seen.items() if len(paths) > 1}
