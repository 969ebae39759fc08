"""Editors' content checks beyond the header: what `make check` reports.

Each check takes source text or metadata and returns ``Problem``s (line,
field, what is wrong, the fix) in Vietnamese:

- :func:`check_nfc`: lines of the *raw* file not in Unicode NFC (``make fix``
  normalises them; the reader normalises anyway, so the site is always NFC);
- :func:`check_legacy`: words typed in TCVN3 (ABC) or VNI, or UTF-8 read as
  Windows-1252, with the likely intended line;
- :func:`check_raw_html`: raw HTML with script, iframe, style, embedded
  objects, inline event handlers, ``style=""`` or ``javascript:`` URLs;
- :func:`check_date`: a Date in the future on an article that is not a draft;
- :func:`check_summary`: a missing Summary, or one longer than the limit;
- :func:`similar_tags`: tags that differ from another only by case or accents;
- :func:`large_photos`: original photos over the size limit (a warning).

Pure logic, no Pelican import.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import unicodedata
from collections import Counter
from html.parser import HTMLParser

from vietnamese.legacy import ENCODINGS, convert_line, find_legacy
from vietnamese.text import fold

from .header import Field
from .validate import Problem, parse_date

MAX_NFC_LINES = 5  # NFC problems reported one by one, then summed up
FIX_HINT = "chạy `make fix` để chuẩn hóa tệp về dạng NFC (dấu gắn liền với chữ), rồi lưu lại"


def check_nfc(raw: str) -> list[Problem]:
    """Lines of the source as saved (before the reader normalises it) that
    are not in NFC, e.g. "ệ" stored as "e" + two combining marks."""
    bad = [number for number, line in enumerate(raw.splitlines(), start=1)
           if unicodedata.normalize("NFC", line) != line]
    problems = [
        Problem(number, "Unicode", "dòng có chữ tiếng Việt không ở dạng chuẩn NFC (dấu tách rời khỏi chữ, "
                "thường gặp khi chép từ máy Mac hoặc từ tệp PDF)", FIX_HINT)
        for number in bad[:MAX_NFC_LINES]
    ]
    if len(bad) > MAX_NFC_LINES:
        problems.append(Problem(bad[MAX_NFC_LINES], "Unicode",
                                f"còn {len(bad) - MAX_NFC_LINES} dòng khác không ở dạng chuẩn NFC", FIX_HINT))
    return problems


def _shorten(text: str, limit: int = 160) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_legacy(text: str) -> list[Problem]:
    """Lines with words typed in a legacy encoding or mis-decoded UTF-8."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        findings = find_legacy(line)
        if not findings:
            continue
        description = ENCODINGS[findings[0].encoding][0]
        words = ", ".join(f"«{f.word}»" for f in findings[:4]) + (", …" if len(findings) > 4 else "")
        source = {"cp1252": "mở tệp gốc bằng mã UTF-8 rồi chép lại",
                  "tcvn3": "gõ lại bằng Unicode hoặc chuyển mã bằng Unikey (TCVN3 → Unicode)",
                  "vni": "gõ lại bằng Unicode hoặc chuyển mã bằng Unikey (VNI Windows → Unicode)"}
        problems.append(Problem(
            number, "bảng mã", f"dòng có {description}: {words}",
            f"có thể ý bạn là «{_shorten(convert_line(line, findings))}»; {source[findings[0].encoding]}",
        ))
    return problems


# --- Raw HTML ------------------------------------------------------------------

FORBIDDEN_TAGS = {
    "script": "mã JavaScript (<script>)",
    "iframe": "khung nhúng trang khác (<iframe>)",
    "frame": "khung nhúng trang khác (<frame>)",
    "style": "khối định dạng (<style>)",
    "object": "đối tượng nhúng (<object>)",
    "embed": "đối tượng nhúng (<embed>)",
    "base": "thẻ <base>",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset"}
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
HTML_HINT = ("bài viết chỉ dùng Markdown và ảnh của trang; xóa đoạn mã này "
             "(trang được phục vụ với chính sách bảo mật chặn mã nhúng)")


def _dangerous_url(value: str) -> bool:
    squeezed = "".join(c for c in html.unescape(value) if c > " ").lower()
    return squeezed.startswith(_BAD_SCHEMES)


def _blank_code(text: str) -> str:
    """Replace fenced code blocks and `code spans` with spaces, keeping
    lines: HTML shown as code is harmless text."""
    lines = text.split("\n")
    fence = None
    for index, line in enumerate(lines):
        marker = re.match(r"^\s{0,3}(`{3,}|~{3,})", line)
        if fence is None and marker:
            fence = marker.group(1)[0] * 3
            lines[index] = ""
        elif fence is not None:
            if line.strip().startswith(fence):
                fence = None
            lines[index] = ""
    text = "\n".join(lines)
    return re.sub(r"(`+)(.+?)\1", lambda m: " " * len(m.group()), text, flags=re.S)


class _HTMLScanner(HTMLParser):
    def __init__(self, first_line: int) -> None:
        super().__init__(convert_charrefs=True)
        self.first_line = first_line
        self.problems: list[Problem] = []

    def _add(self, message: str) -> None:
        self.problems.append(Problem(self.getpos()[0] + self.first_line - 1, "HTML", message, HTML_HINT))

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self._add(f"không được chèn {FORBIDDEN_TAGS[tag]} vào bài viết")
        for name, value in attrs:
            if name.startswith("on"):
                self._add(f"không được dùng thuộc tính sự kiện «{name}» (chạy mã JavaScript) trong thẻ <{tag}>")
            elif name == "style":
                self._add(f"không được dùng thuộc tính style=\"…\" trong thẻ <{tag}>")
            elif name in URL_ATTRIBUTES and value and _dangerous_url(value):
                self._add(f"liên kết «{_shorten(value, 60)}» chạy mã JavaScript")

    handle_startendtag = handle_starttag


_MD_LINK = re.compile(r"\]\(\s*<?((?:[^()>\s]|\([^()\s]*\))+)|^\s{0,3}\[[^\]]+\]:\s*<?(\S+)", re.M)


def check_raw_html(text: str, first_line: int = 1) -> list[Problem]:
    """Raw HTML and links in a Markdown body that could run code.
    ``first_line`` is the line number of the body's first line."""
    body = _blank_code(text)
    scanner = _HTMLScanner(first_line)
    scanner.feed(body)
    scanner.close()
    problems = scanner.problems
    for match in _MD_LINK.finditer(body):
        url = match.group(1) or match.group(2)
        if _dangerous_url(url):
            line = body.count("\n", 0, match.start()) + first_line
            problems.append(Problem(line, "liên kết", f"liên kết «{_shorten(url, 60)}» chạy mã JavaScript",
                                    "chỉ liên kết tới địa chỉ http://, https:// hoặc trang trong cổng"))
    return sorted(problems, key=lambda p: p.line)


# --- Header fields ---------------------------------------------------------------

def check_date(fields: dict[str, Field], now: dt.datetime) -> list[Problem]:
    """A Date later than ``now`` (naive, the site's time zone) on an article
    that is not a draft: it would be listed with a date that has not come."""
    date, status = fields.get("date"), fields.get("status")
    if date is None or (status and status.value.strip().lower() == "draft"):
        return []
    when = parse_date(date.value)
    if when is None or when <= now:
        return []
    return [Problem(date.line, "Date", f"ngày đăng {date.value} ở tương lai",
                    "sửa lại ngày đăng (giờ Việt Nam), hoặc thêm dòng `Status: draft` nếu bài chưa đăng")]


def check_summary(fields: dict[str, Field], limit: int) -> list[Problem]:
    summary = fields.get("summary")
    if summary is None or not summary.value.strip():
        return [Problem(summary.line if summary else 1, "Summary", "thiếu phần tóm tắt",
                        "thêm dòng `Summary:` với một hai câu giới thiệu bài (hiện trong danh sách bài và khi chia sẻ)")]
    length = len(summary.value.strip())
    if length > limit:
        return [Problem(summary.line, "Summary", f"phần tóm tắt dài {length} ký tự, quá {limit} ký tự",
                        f"rút gọn còn một hai câu, không quá {limit} ký tự")]
    return []


@dataclasses.dataclass(frozen=True)
class TagUse:
    path: str
    line: int
    tag: str


def tag_uses(path: str, fields: dict[str, Field]) -> list[TagUse]:
    field = fields.get("tags")
    if field is None:
        return []
    return [TagUse(path, field.line, tag.strip()) for tag in field.value.split(",") if tag.strip()]


def similar_tags(uses: list[TagUse]) -> list[tuple[TagUse, Problem]]:
    """Uses of a tag spelled differently (case, accents) from another tag
    that folds to the same text. The most used spelling is the reference;
    every other spelling is reported where it is used."""
    groups: dict[str, Counter] = {}
    first: dict[str, TagUse] = {}
    folded = {tag: fold(tag) for tag in {use.tag for use in uses}}  # a site has far fewer tags than uses
    for use in uses:
        groups.setdefault(folded[use.tag], Counter())[use.tag] += 1
        first.setdefault(use.tag, use)
    found = []
    for spellings in groups.values():
        if len(spellings) < 2:
            continue
        reference = max(spellings, key=lambda tag: (spellings[tag], -uses.index(first[tag])))
        for use in uses:
            if use.tag in spellings and use.tag != reference:
                found.append((use, Problem(
                    use.line, "Tags",
                    f"thẻ «{use.tag}» chỉ khác thẻ «{reference}» (ở {first[reference].path}) về chữ hoa, chữ thường hoặc dấu; "
                    "hai thẻ sẽ trùng trang",
                    f"viết thẻ giống hệt nhau ở mọi bài: «{reference}»",
                )))
    return found


IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".heic")


def large_photos(files: list[tuple[str, int]], limit_mb: float) -> list[tuple[str, str, str]]:
    """(path, message, hint) for each original photo over ``limit_mb``
    megabytes, from (path, size in bytes) pairs."""
    limit = limit_mb * 1024 * 1024
    return [
        (path, f"ảnh gốc nặng {size / 1024 / 1024:.1f} MB, quá {limit_mb:g} MB",
         "thu nhỏ ảnh (cạnh dài khoảng 2500 điểm ảnh là đủ) trước khi đưa lên, để bản dựng nhanh và kho lưu trữ gọn")
        for path, size in sorted(files)
        if path.lower().endswith(IMAGE_EXTENSIONS) and size > limit
    ]
