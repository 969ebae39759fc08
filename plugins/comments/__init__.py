"""comments: readers' approved comments under each article, and what the
intake service (services/comments) needs from the build.

- Reads ``<PATH>/<COMMENTS["FOLDER"]>/<article slug>/*.md`` (written by
  ``make comments APPROVE=<id>``) and gives each article ``comments``, oldest
  first; the partial ``partials/comments.html`` shows them (escaped) with the
  form. Pelican itself never reads these files: they are outside
  ARTICLE_PATHS and PAGE_PATHS. A broken file or a folder naming no article
  is reported through ``content_errors.report``.
- Writes ``<OUTPUT>/<COMMENTS["DATA_FILE"]>``: the published articles' slugs
  and addresses, so the service accepts comments only for them and sends the
  visitor back to the right page.
- Writes the page nginx shows when the service is down
  (``COMMENTS["PAUSED_SAVE_AS"]``, template ``comments_paused.html``).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican import signals

from content_errors import report
from fastbuild.outputs import write_if_changed

from .approved import comment_files, parse_comment

log = logging.getLogger(__name__)

DEFAULTS = {
    # Folder of approved comments, under the content folder (PATH).
    "FOLDER": "comments",
    # Where nginx proxies the intake service; the form posts to <API_PATH>/gui.
    "API_PATH": "/api/binh-luan",
    # The article list for the service, under the output folder.
    "DATA_FILE": "api-data/binh-luan.json",
    # The "comments are paused" page nginx serves when the service is down.
    "PAUSED_SAVE_AS": "binh-luan/tam-dung/index.html",
    # Longest comment, in characters (keep equal to the service's COMMENTS_MAX_LENGTH).
    "MAX_LENGTH": 2000,
}


def comments_settings(settings) -> dict:
    merged = {**DEFAULTS, **settings.get("COMMENTS", {})}
    unknown = set(merged) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"comments: unknown keys in COMMENTS: {sorted(unknown)}")
    for key in ("FOLDER", "API_PATH", "DATA_FILE", "PAUSED_SAVE_AS"):
        if not isinstance(merged[key], str) or not merged[key]:
            raise ValueError(f"comments: COMMENTS[{key!r}] must be a non-empty string")
    if not merged["API_PATH"].startswith("/") or merged["API_PATH"].endswith("/"):
        raise ValueError("comments: COMMENTS['API_PATH'] must start with '/' and not end with '/'")
    if not isinstance(merged["MAX_LENGTH"], int) or merged["MAX_LENGTH"] < 1:
        raise ValueError("comments: COMMENTS['MAX_LENGTH'] must be a positive whole number")
    return merged


def _check_settings(pelican) -> None:
    # Templates read the merged dict as COMMENTS.
    pelican.settings["COMMENTS"] = comments_settings(pelican.settings)


def _read(path: Path, timezone: ZoneInfo):
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        report(path, 1, "mã hóa", "tệp bình luận không được lưu bằng mã hóa UTF-8", "lưu lại tệp với mã hóa UTF-8")
        return None
    comment, problems = parse_comment(text, path.name, timezone)
    for problem in problems:
        report(path, problem.line, problem.field, problem.message, problem.hint)
    return comment


def _attach(generator) -> None:
    settings = generator.settings
    folder = Path(settings["PATH"]) / settings["COMMENTS"]["FOLDER"]
    timezone = ZoneInfo(settings["TIMEZONE"])
    articles = [*generator.articles, *generator.drafts, *getattr(generator, "hidden_articles", [])]
    by_slug = {article.slug: article for article in articles}
    for article in articles:
        article.comments = []
    for slug, paths in comment_files(folder).items():
        article = by_slug.get(slug)
        if article is None:
            for path in paths[:1]:
                report(
                    path, 1, "thư mục", f"không có bài viết nào có đường dẫn «{slug}»",
                    "tên thư mục trong content/comments/ phải là đường dẫn (slug) của bài viết; đổi tên hoặc xóa thư mục",
                )
            continue
        article.comments = [c for c in (_read(path, timezone) for path in paths) if c is not None]
        article.comments.sort(key=lambda c: c.date)
    total = sum(len(a.comments) for a in articles)
    if total:
        log.info("comments: %d approved comment(s) attached", total)


def _write_outputs(generator, writer) -> None:
    settings = generator.settings
    options = settings["COMMENTS"]
    data = {
        "articles": {
            article.slug: {"url": "/" + article.url, "title": article.title}
            for article in sorted(generator.articles, key=lambda a: a.slug)
        }
    }
    target = Path(settings["OUTPUT_PATH"]) / options["DATA_FILE"]
    # Compact: json's C encoder does not indent (indented, 5,000 articles took 0.04 s of every build).
    text = (json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n").encode("utf-8")
    # Unchanged, it keeps its mtime (rsync sees nothing new); the running
    # service never reads half a file.
    write_if_changed(str(target), text, atomic=True)
    save_as = options["PAUSED_SAVE_AS"]
    writer.write_file(
        save_as, generator.get_template("comments_paused"), generator.context,
        url=os.path.dirname(save_as) + "/", template_name="comments_paused",
    )


def register():
    # initialized: settings are checked (and merged for templates) before any file is read.
    signals.initialized.connect(_check_settings)
    # article_generator_finalized: every article (and its slug) is known, no page is written yet.
    signals.article_generator_finalized.connect(_attach)
    # article_writer_finalized: the only point with both the article generator and the writer.
    signals.article_writer_finalized.connect(_write_outputs)
