"""Statistics outputs: the SVG chart, the JSON data files pages enhance
from, and the statistics page's body (re-rendered alone by `make stats`).

Every string that comes from a log or the database is escaped here or by the
templates (``|e``); JSON is written with <, > and & as \\u escapes, so no
output file can carry markup from a log. Pure module, no Pelican import.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from markupsafe import Markup, escape

from vietnamese.formats import vi_date, vi_datetime, vi_number

BEGIN, END = "<!-- thong-ke:bat-dau -->", "<!-- thong-ke:ket-thuc -->"
DATA_FILE = "so-lieu.json"
ARTICLE_DIR = "bai-viet"


def article_file(slug: str) -> str:
    """The data file, under the statistics folder, that holds the numbers of
    article ``slug``: one of 256 groups named by a hash of the slug, so a
    large archive has a few hundred small files to write and deploy, not
    one per article. The page names its file (``data-stats-file``)."""
    return f"{ARTICLE_DIR}/{hashlib.blake2s(slug.encode(), digest_size=1).hexdigest()}.json"


def views_text(views: int) -> str:
    return f"{vi_number(views)} lượt xem"


def rating_text(rating: dict | None) -> str:
    if not rating:
        return "Chưa có lượt đánh giá"
    return f"{vi_number(rating['votes'])} lượt đánh giá, trung bình {vi_number(rating['average'], 1)}"


def online_text(stats: dict) -> str:
    return vi_datetime(stats["online_at"]) if stats.get("online_at") else ""


def _nice_ceiling(value: int) -> int:
    step = 1
    while step * 10 <= value:
        step *= 10
    for factor in (1, 2, 5, 10):
        if value <= factor * step:
            return factor * step
    return 10 * step


def chart_svg(daily: list[dict], title: str) -> Markup:
    """Bars of daily visits and a line of daily page views, as inline SVG."""
    width, height, left, right, top, bottom = 720, 260, 56, 12, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_ceiling(max([d["pageviews"] for d in daily] + [d["visits"] for d in daily] + [4]))
    step = plot_w / max(len(daily), 1)
    parts = [
        f'<svg class="stats-chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="bieu-do-tieu-de" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="12">',
        f'<title id="bieu-do-tieu-de">{escape(title)}</title>',
    ]
    for i in range(5):  # grid and the scale
        value = peak * i // 4
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d7de"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#333">{vi_number(value)}</text>')
    for i, day in enumerate(daily):
        h = plot_h * day["visits"] / peak
        x = left + i * step
        if h:
            parts.append(f'<rect class="visits" x="{x + step * 0.15:.1f}" y="{top + plot_h - h:.1f}" '
                         f'width="{step * 0.7:.1f}" height="{h:.1f}" fill="#1f5f99"/>')
        if i % 15 == 0 or i == len(daily) - 1:
            parts.append(f'<text x="{x + step / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" fill="#333">'
                         f'{vi_date(day["day"], "dd/MM")}</text>')
    points = " ".join(f'{left + i * step + step / 2:.1f},{top + plot_h - plot_h * d["pageviews"] / peak:.1f}'
                      for i, d in enumerate(daily))
    parts.append(f'<polyline class="pageviews" points="{points}" fill="none" stroke="#b3261e" stroke-width="2"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _json(data) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode()


def data_files(stats: dict, siteurl: str = "") -> dict[str, bytes]:
    """{relative path under the statistics folder: bytes} for the pages' script."""
    files = {DATA_FILE: _json({
        "total": vi_number(stats["total"]),
        "today": vi_number(stats["today"]),
        "online": vi_number(stats["online"]),
        "online_at": online_text(stats),
        "most_read": [{"url": f"{siteurl}{a['path']}", "title": a["title"]} for a in stats["most_read"]],
    })}
    groups: dict[str, dict] = {}
    for slug, views in stats["article_views"].items():
        groups.setdefault(article_file(slug), {})[slug] = {
            "views": views_text(views), "rating": rating_text(stats["ratings"].get(slug)),
        }
    files.update((name, _json(group)) for name, group in sorted(groups.items()))
    return files


def write_data_files(folder: Path, files: dict[str, bytes]) -> int:
    """Write the files that changed (atomically), remove articles' group
    files no longer produced; return how many were written. A folder that
    cannot be written raises RuntimeError saying which and what to do."""
    try:
        return _write_data_files(folder, files)
    except OSError as error:
        raise RuntimeError(f"stats: could not write the data files under {folder} ({error}); check that the "
                           "output folder is writable and the disk not full, then try again") from error


def _write_data_files(folder: Path, files: dict[str, bytes]) -> int:
    written = 0
    for relative, data in files.items():
        path = folder / relative
        try:
            if path.read_bytes() == data:
                continue
        except OSError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
        written += 1
    # An article deleted or renamed since the last build: its file goes too,
    # so an incremental build leaves what a cold build would.
    for stale in (folder / ARTICLE_DIR).glob("*.json"):
        if f"{ARTICLE_DIR}/{stale.name}" not in files:
            stale.unlink()
    return written


def splice(page: str, body: str) -> str:
    """Replace what lies between the BEGIN and END markers of the built page."""
    start, end = page.find(BEGIN), page.find(END)
    if start < 0 or end < start:
        raise ValueError("no statistics markers")
    return page[: start + len(BEGIN)] + body + page[end:]


def template_values(stats: dict, config: dict, siteurl: str) -> dict:
    """What the statistics templates get as ``stats`` besides the numbers."""
    return {
        **stats,
        "chart": chart_svg(stats["daily"], f"Lượt truy cập và lượt xem trang trong {stats['chart_days']} ngày qua"),
        "page_url": f"{siteurl}/{config['PAGE_PATH']}/",
        "data_url": f"{siteurl}/{config['PAGE_PATH']}/",
        "rating_path": f"{siteurl}{config['RATING_PATH']}",
        "online_text": online_text(stats),
        "visit_gap": config["VISIT_GAP_MINUTES"],
        "online_minutes": config["ONLINE_MINUTES"],
        "views_text": views_text,
        "rating_text": rating_text,
        "article_file": article_file,
    }
