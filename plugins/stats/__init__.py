"""stats: the portal's visitor statistics, counted from the web server's
access logs when the site is built.

At build time (a generator that runs after articles and pages are read):
stores the list of articles in the statistics database, reads the access-log
lines not counted yet (STATS["ACCESS_LOGS"] or the ACCESS_LOGS environment
variable), and puts the numbers into the template context as ``stats`` (and
``most_read``, the article objects of "Tin đọc nhiều"). It writes the
statistics page (``thong-ke/``) and the small JSON files pages enhance from.
``make stats`` (``python -m stats.cli``) does the same reading and rewrites
only those outputs, without a Pelican build. Definitions: README.md here.
"""

from __future__ import annotations

import logging
from pathlib import Path

from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from . import render, report, store
from .config import DEFAULTS, merged

log = logging.getLogger(__name__)

__all__ = ["DEFAULTS", "StatsGenerator"]


def _config(settings) -> dict:
    return merged(settings.get("STATS"), settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh", settings.get("SITEURL", ""))


def article_rows(articles, siteurl: str) -> list[tuple[str, str, str, str]]:
    """(slug, path as logged, plain-text title, ISO date) of each article."""
    from urllib.parse import urlsplit  # noqa: PLC0415

    prefix = urlsplit(siteurl or "").path.rstrip("/")
    return [(a.slug, f"{prefix}/{a.url}", Markup(a.title).striptags(), a.date.isoformat()) for a in articles]


def run(config: dict, articles: list[tuple[str, str, str, str]] | None, base_counter: int) -> dict:
    """Store the article list (when given), ingest, and return the summary."""
    db = store.connect(config["DATABASE"])
    try:
        if articles is not None:
            store.save_articles(db, articles)
        known = {row[0] for row in db.execute("SELECT slug FROM articles")}
    finally:
        db.close()
    if not config["ACCESS_LOGS"]:
        log.info("stats: no access logs configured (STATS['ACCESS_LOGS'] or ACCESS_LOGS=...); showing stored numbers")
    else:
        from .ingest import ingest  # noqa: PLC0415 - only when counting: a skipped build never loads the bot lists

        result = ingest(config, known)
        log.info("stats: read %d new line(s) from %d file(s) in %.2f s (%d malformed)",
                 result.lines, result.files, result.seconds, result.malformed)
    db = store.connect(config["DATABASE"])
    try:
        return report.summary(db, config, base_counter)
    finally:
        db.close()


class StatsGenerator(Generator):
    """Counts at generate_context (articles are known, no page is written
    yet), writes the statistics page and data files at generate_output."""

    def generate_context(self) -> None:
        self.stats_config = _config(self.settings)
        articles = self.context.get("articles", [])
        ward = self.settings.get("WARD") or {}
        numbers = run(self.stats_config, article_rows(articles, self.settings.get("SITEURL", "")),
                      int(ward.get("base_counter", 0)))
        self.numbers = numbers
        self.context["stats"] = render.template_values(numbers, self.stats_config, self.settings.get("SITEURL", ""))
        by_slug = {a.slug: a for a in articles}
        most_read = [by_slug[a["slug"]] for a in numbers["most_read"] if a["slug"] in by_slug]
        if most_read:
            self.context["most_read"] = most_read

    def generate_output(self, writer) -> None:
        folder = self.stats_config["PAGE_PATH"]
        writer.write_file(f"{folder}/index.html", self.get_template("stats"), self.context,
                          relative_urls=self.settings.get("RELATIVE_URLS"), url=f"{folder}/")
        files = render.data_files(self.numbers, self.settings.get("SITEURL", ""))
        render.write_data_files(Path(self.output_path) / folder, files)


def _check_settings(pelican) -> None:
    _config(pelican.settings)  # raises ValueError naming the plugin and the key


def _generators(pelican):
    return StatsGenerator


def register():
    # initialized: settings are final; a bad STATS stops the build before any work.
    signals.initialized.connect(_check_settings)
    # get_generators: our generator runs after articles and pages are read
    # (so slugs and URLs are known) and before any page is written (so every
    # page's sidebar and article footer get the numbers).
    signals.get_generators.connect(_generators)
