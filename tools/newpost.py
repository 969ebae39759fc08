"""Create a new article for an editor: `make newpost TITLE="..." CATEGORY="..."`.

Writes ``content/articles/<category slug>/<year>/<title slug>.md`` with the
header filled in (Date is now in the site's time zone, Asia/Ho_Chi_Minh),
prints its path, and refuses an unknown category (naming the closest ones)
or a file that already exists. :func:`new_post` is the pure part.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from editorial.validate import suggest  # noqa: E402
from vietnamese.text import nfc, slugify  # noqa: E402


def new_post(title: str, category: str, categories: list[str], now: dt.datetime) -> tuple[str, str]:
    """(path under content/, Markdown text) of a new article.
    Raises ValueError with an editor's message for a bad title or category."""
    title, category = nfc(title.strip()), nfc(category.strip())
    if not title or not slugify(title):
        raise ValueError('newpost: thiếu tiêu đề — ghi TITLE="Tiêu đề bài viết"')
    if category not in categories:
        close = suggest(category, categories)
        hint = f" Có phải ý bạn là {' hoặc '.join(f'«{c}»' for c in close)}?" if close else ""
        valid = ", ".join(f"«{c}»" for c in categories)
        raise ValueError(f"newpost: chuyên mục «{category}» không có trong danh sách của trang.{hint} Các chuyên mục: {valid}")
    path = f"articles/{slugify(category)}/{now:%Y}/{slugify(title)}.md"
    text = (
        f"Title: {title}\n"
        f"Date: {now:%Y-%m-%d %H:%M}\n"
        f"Category: {category}\n"
        "Tags: \n"
        "Authors: Ban biên tập\n"
        "Summary: \n"
        "Status: draft\n"
        "\n"
        "Viết nội dung bài ở đây. Khi bài đã xong, điền Summary (một hai câu) và xóa dòng `Status: draft`.\n"
    )
    return path, text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--title", default="")
    parser.add_argument("--category", default="")
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--conf", type=Path, default=ROOT / "pelicanconf.py")
    args = parser.parse_args(argv)
    from pelican.settings import read_settings  # noqa: PLC0415

    settings = read_settings(str(args.conf))
    now = dt.datetime.now(zoneinfo.ZoneInfo(settings["TIMEZONE"]))
    try:
        relative, text = new_post(args.title, args.category, settings["EDITORIAL"]["CATEGORIES"], now)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    path = args.content / relative
    if path.exists():
        print(f"newpost: tệp {path} đã có; đổi tiêu đề hoặc sửa tệp đó", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
