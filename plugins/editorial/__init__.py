"""editorial: reads editors' Markdown strictly, and says what to fix.

Replaces Pelican's Markdown reader with one that
- decodes UTF-8 strictly (a file saved in another encoding is an error naming
  the line of the first bad byte) and normalises all text to NFC, so a file
  pasted in decomposed form builds to exactly the same HTML;
- checks the header: Title, Date (strict ``2022-06-10 15:30``), Category
  from the fixed list ``EDITORIAL["CATEGORIES"]`` (closest names suggested),
  Status; an article that fails is reported and skipped;
- turns captioned images into ``<figure>``/``<figcaption>``
  (see :mod:`editorial.figures`) and reports images with neither alt text nor
  caption, remote images and missing image files, and a missing cover Image;
- after all generators ran, reports duplicate slugs and output paths.

The checks across files (duplicates, dates, tags, photo sizes) run in a
forked process while the build goes on (``fastbuild.parallel.Background``)
and are reported once the pages generator has written its output, before
the build's summary.

The content checks of :mod:`editorial.checks` run on every file read: text
not in NFC as saved, legacy encodings (TCVN3, VNI, mis-decoded UTF-8), raw
HTML that could run code, a Date in the future, a missing or too long
Summary; after all files are read, tags that differ only by case or accents;
and original photos over ``PHOTO_WARNING_MB`` are logged as warnings.

Every problem goes through ``content_errors.report``.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import os
import zoneinfo

from markdown import Markdown
from pelican import signals
from pelican.readers import MarkdownReader

from content_errors import ContentError, line_of, remember, report
from fastbuild.parallel import Background
from vietnamese.text import nfc, slugify

from . import checks
from .figures import FigureExtension, resolve_source
from .header import body_start, parse_header
from .plaintext import plain_paragraph, safe_extensions
from .validate import check_fields, duplicates

log = logging.getLogger(__name__)

DEFAULTS = {
    # The site's categories, in menu order. An article must use one of them.
    "CATEGORIES": [],
    # An article's Summary longer than this (characters) is an error.
    "SUMMARY_MAX_LENGTH": 300,
    # Original photos heavier than this (megabytes) are logged as warnings.
    "PHOTO_WARNING_MB": 15,
}

SKIP = {"status": "skip"}  # Pelican drops content with this status silently


def editorial_settings(settings) -> dict:
    merged = {**DEFAULTS, **settings.get("EDITORIAL", {})}
    unknown = set(merged) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"editorial: unknown keys in EDITORIAL: {sorted(unknown)}")
    categories = merged["CATEGORIES"]
    if not categories or not all(isinstance(c, str) and c.strip() for c in categories):
        raise ValueError("editorial: EDITORIAL['CATEGORIES'] must be a non-empty list of names")
    slugs = [slugify(c) for c in categories]
    if len(set(slugs)) != len(slugs):
        raise ValueError("editorial: two categories in EDITORIAL['CATEGORIES'] have the same slug")
    for key in ("SUMMARY_MAX_LENGTH", "PHOTO_WARNING_MB"):
        if not isinstance(merged[key], int | float) or merged[key] <= 0:
            raise ValueError(f"editorial: EDITORIAL[{key!r}] must be a positive number")
    return merged




def _under(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip("/") + "/") or root == "" for root in roots)


class EditorialMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader with strict decoding, NFC and checks."""

    def _kind(self, source_path: str) -> str:
        relative = os.path.relpath(source_path, self.settings["PATH"]).replace(os.sep, "/")
        if _under(relative, self.settings["PAGE_PATHS"]):
            return "page"
        if _under(relative, self.settings["ARTICLE_PATHS"]) and not _under(
            relative, self.settings.get("ARTICLE_EXCLUDES", [])
        ):
            return "article"
        return "other"  # songs, comments...: checked by the plugin that owns them

    def _markdown(self, source_dir: str, on_problem) -> Markdown:
        """This reader's Markdown, reset for the next file. Made once: making
        one (extensions, patterns) costs about as much as converting a news
        report. Pelican's _parse_metadata deregisters the "meta" preprocessor
        (so a Summary is not read as a header); it is registered again here."""
        if getattr(self, "_shared", None) is None:
            config = copy.copy(self.settings["MARKDOWN"])
            figures = FigureExtension(content_root=self.settings["PATH"])
            config["extensions"] = [*config.get("extensions", []), figures]
            md = Markdown(**config)
            self._plain_fields = safe_extensions(self.settings["MARKDOWN"].get("extensions", []))
            meta = md.preprocessors["meta"] if "meta" in md.preprocessors else None
            priority = next((item.priority for item in md.preprocessors._priority if item.name == "meta"), 27)
            self._shared = (md, figures, meta, priority)
        md, figures, meta, priority = self._shared
        md.reset()
        if meta is not None and "meta" not in md.preprocessors:
            md.preprocessors.register(meta, "meta", priority)
        figures.setConfig("source_dir", source_dir)
        figures.setConfig("on_problem", on_problem)
        return md

    def _parse_metadata(self, meta):
        """Pelican's, except that a formatted field (the Summary) that is one
        line of plain text gets Markdown's certain answer without running
        Markdown (see :mod:`editorial.plaintext`)."""
        plain = {}
        if getattr(self, "_plain_fields", False):
            formatted = self.settings["FORMATTED_FIELDS"]
            for name, value in meta.items():
                if name.lower() in formatted and len(value) == 1 and (html := plain_paragraph(value[0])):
                    plain[name] = html
        output = super()._parse_metadata({name: value for name, value in meta.items() if name not in plain})
        if not plain:
            return output
        for name, html in plain.items():
            output[name.lower()] = self.process_metadata(name.lower(), html)
        return {name.lower(): output[name.lower()] for name in meta}  # in the header's order, as Pelican's

    def read(self, source_path):
        self._source_path = source_path
        with open(source_path, "rb") as handle:
            raw = handle.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            report(
                source_path, raw.count(b"\n", 0, error.start) + 1, "mã hóa",
                "tệp không được lưu bằng mã hóa UTF-8 (có thể là TCVN3, VNI hoặc Windows-1258)",
                "mở tệp bằng trình soạn thảo và lưu lại với mã hóa UTF-8",
            )
            return "", dict(SKIP)
        source_problems = checks.check_nfc(text)
        text = nfc(text)

        kind = self._kind(source_path)
        fields = parse_header(text)
        remember(_note_header, source_path, {name: fields[name] for name in _SITE_CHECK_FIELDS if name in fields})
        source_problems += checks.check_legacy(text)
        start = body_start(text) if fields else 1
        source_problems += checks.check_raw_html("\n".join(text.splitlines()[start - 1:]), start)
        for problem in source_problems:
            report(source_path, problem.line, problem.field, problem.message, problem.hint)
        if kind != "other":
            if getattr(self, "_editorial", None) is None:  # checked once per reader, not per file
                self._editorial = editorial_settings(self.settings)
            settings = self._editorial
            if kind == "article":
                # Only checks that depend on this file alone run here: a read
                # result may be cached with its errors (plugins/fastbuild).
                for problem in checks.check_summary(fields, settings["SUMMARY_MAX_LENGTH"]):
                    report(source_path, problem.line, problem.field, problem.message, problem.hint)
            categories = settings["CATEGORIES"]
            problems = check_fields(fields, kind, categories)
            for problem in problems:
                report(source_path, problem.line, problem.field, problem.message, problem.hint)
            if problems:
                return "", dict(SKIP)

        def on_problem(src, field, message, hint):
            report(source_path, line_of(text, src, 1), field, message, hint)

        self._md = self._markdown(os.path.dirname(source_path), on_problem)
        content = self._md.convert(text)
        metadata = self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}

        cover = fields.get("image")
        if cover and cover.value:
            path, _ = resolve_source(cover.value, self.settings["PATH"], os.path.dirname(source_path))
            if path is None or not os.path.isfile(path):
                report(
                    source_path, cover.line, "Image", f"không tìm thấy ảnh đại diện «{cover.value}»",
                    "đặt ảnh trong content/images/<năm>/<tháng>/ và ghi `Image: images/<năm>/<tháng>/<tên tệp>`",
                )
        return content, metadata


def _use_reader(readers) -> None:
    for extension in EditorialMarkdownReader.file_extensions:
        readers.reader_classes[extension] = EditorialMarkdownReader


def _check_settings(pelican) -> None:
    editorial_settings(pelican.settings)
    _headers.clear()
    _running.clear()  # a build that stopped before its checks were reported


# The header fields the site checks need, noted by the reader for each file
# (a declared side effect, so cached reads note them too) instead of
# reading and parsing every source again on each build.
_SITE_CHECK_FIELDS = ("date", "status", "tags")
_headers: dict[str, dict] = {}


def _note_header(source_path: str, fields: dict) -> None:
    _headers[source_path] = fields


def _header_of(source_path: str) -> dict:
    fields = _headers.get(source_path)
    if fields is None:  # not read by this reader
        with open(source_path, encoding="utf-8", errors="replace") as handle:
            fields = parse_header(nfc(handle.read()))
    return fields


def _site_problems(generators) -> list[tuple[str, tuple]]:
    """Checks that depend on the clock or on other files, run on every build
    (never cached): a Date in the future, tags spelled differently, photos.
    Each problem is ``("error", report()'s arguments)`` or ``("warning",
    ContentError's arguments)``, for :func:`_report_checks`."""
    settings = generators[0].settings
    now = dt.datetime.now(zoneinfo.ZoneInfo(settings["TIMEZONE"])).replace(tzinfo=None)
    found: list[tuple[str, tuple]] = []
    uses: list[checks.TagUse] = []
    for generator in generators:
        for article in [*getattr(generator, "articles", []), *getattr(generator, "hidden_articles", [])]:
            fields = _header_of(article.source_path)
            for problem in checks.check_date(fields, now):
                found.append(("error", (article.source_path, problem.line, problem.field, problem.message,
                                        problem.hint)))
            uses += checks.tag_uses(article.source_path, fields)
    for use, problem in checks.similar_tags(sorted(uses, key=lambda u: u.path)):
        found.append(("error", (use.path, problem.line, problem.field, problem.message, problem.hint)))
    root = settings["PATH"]
    files = []  # originals anywhere under content/ (content/images is not a static path)
    for folder, _, names in os.walk(root):
        files += [(os.path.join(folder, name), os.path.getsize(os.path.join(folder, name))) for name in names]
    for path, message, hint in checks.large_photos(files, editorial_settings(settings)["PHOTO_WARNING_MB"]):
        found.append(("warning", (os.path.relpath(path), 0, "ảnh gốc", message, hint)))
    return found


def _duplicate_problems(generators) -> list[tuple[str, tuple]]:
    """Two contents with one slug or one output path, as :func:`_site_problems`."""
    contents = []
    for generator in generators:
        for attribute in ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages"):
            contents += getattr(generator, attribute, [])
    by_slug = duplicates([(c.slug, c.source_path) for c in contents if c.__class__.__name__ == "Article"])
    saved = [(c.save_as, c.source_path) for c in contents]  # save_as is computed on every use
    by_path = duplicates([(save_as, path) for save_as, path in saved if save_as])
    found = []
    for key, paths in [*by_slug.items(), *by_path.items()]:
        for path in paths:
            others = ", ".join(os.path.relpath(p) for p in paths if p != path)
            with open(path, encoding="utf-8", errors="replace") as handle:
                fields = parse_header(nfc(handle.read()))
            field = fields.get("slug") or fields.get("title")
            found.append(("error", (
                path, field.line if field else 1, field.name if field else "Title",
                f"trùng đường dẫn «{key}» với {others}",
                "đổi tiêu đề hoặc thêm dòng `Slug: <đường-dẫn-khác>` cho một trong các bài",
            )))
    return found


# The checks of a build run in a forked process (fastbuild.parallel.Background)
# from the moment every content is known until the pages generator has been
# written: ~0.3 s at 5,000 articles that no longer hold up the first page an
# edit build renders (and the search index it starts).
_running: list[Background] = []


def _start_checks(generators) -> None:
    _running[:] = [Background(lambda: _duplicate_problems(generators) + _site_problems(generators))]


def _report_checks(_generator, writer=None) -> None:
    while _running:
        for kind, args in _running.pop().result():
            if kind == "error":
                report(*args)
            else:
                log.warning("editorial: cảnh báo: %s", ContentError(*args).format())


def register():
    # initialized: the EDITORIAL settings are checked before any file is read
    # (and the headers noted by an earlier build in this process forgotten).
    signals.initialized.connect(_check_settings)
    # readers_init: the only point where a reader class can be swapped in.
    signals.readers_init.connect(_use_reader)
    # all_generators_finalized: every article and page is known (slugs,
    # output paths, every file's tags), so the checks across files start.
    signals.all_generators_finalized.connect(_start_checks)
    # page_writer_finalized: their problems are reported before content_errors
    # sums up the build at `finalized` (its receiver runs before any of ours).
    signals.page_writer_finalized.connect(_report_checks)
