"""search: full-text search of the built site with Pagefind.

- writes the search page (``SEARCH["PAGE_URL"]``, /tim-kiem/) from the
  theme's ``search.html``; the header's box (partials/search_box.html) is a
  plain GET form to it, so it leads somewhere useful without JavaScript;
- when the build is done, runs the Pagefind binary from the
  ``pagefind[extended]`` wheel over the output folder with ``lang`` vi.
  Only elements marked ``data-pagefind-body`` (the article and page bodies)
  are indexed. The bundle is then made reproducible (see reproducible.py).
  A large site is indexed in shards that the search page merges, and only
  the shards whose pages changed are indexed again (see shards.py).

Pagefind matches Vietnamese typed without tones or vowel marks by itself
("hoi nghi" finds "Hội nghị") but it does not fold "đ" to "d"; the search
page's script (theme/static/js/search.js) also searches each word that
starts with "d" as "đ", so "duc thuan" finds "Đức Thuận". See README.md.
"""

from __future__ import annotations

import atexit
import logging
import os
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from fastbuild import output_now, pages_rendered_early

from .pagefind import PagefindError, build_index, start_early

log = logging.getLogger(__name__)

DEFAULTS = {
    # Run Pagefind at the end of every build (turn off only for speed in tests
    # that never search).
    "INDEX": True,
    # Language of the index (ISO 639-1); the pages say lang="vi" too.
    "LANGUAGE": "vi",
    # Folder of the search bundle inside the output folder.
    "BUNDLE_DIR": "pagefind",
    # Address of the search page; the header's form submits to it.
    "PAGE_URL": "tim-kiem/",
    # CSS selectors Pagefind skips inside indexed bodies. The theme marks
    # what it leaves out itself: data-pagefind-ignore on its own lines, and
    # data-pagefind-ignore="all" on the share buttons and the views and
    # rating block (cut out of the copy Pagefind reads, see pagefind.py).
    "EXCLUDE_SELECTORS": [],
    # Pages per index shard (see shards.py): a site with more pages is indexed
    # as 2, 4, 8… bundles that the search page merges, and a build re-indexes
    # only the shards whose pages changed. Smaller: faster rebuilds and less
    # memory for Pagefind; larger: fewer files for a phone to fetch per search.
    "SHARD_PAGES": 1000,
}


def search_settings(settings) -> dict:
    merged = {**DEFAULTS, **settings.get("SEARCH", {})}
    unknown = set(merged) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"search: unknown keys in SEARCH: {sorted(unknown)}")
    if not isinstance(merged["INDEX"], bool):
        raise ValueError("search: SEARCH['INDEX'] must be True or False")
    for key in ("LANGUAGE", "BUNDLE_DIR", "PAGE_URL"):
        if not isinstance(merged[key], str) or not merged[key].strip("/ "):
            raise ValueError(f"search: SEARCH[{key!r}] must be a non-empty string")
    if not all(isinstance(s, str) and s.strip() for s in merged["EXCLUDE_SELECTORS"]):
        raise ValueError("search: SEARCH['EXCLUDE_SELECTORS'] must be a list of CSS selectors")
    if isinstance(merged["SHARD_PAGES"], bool) or not isinstance(merged["SHARD_PAGES"], int) \
            or merged["SHARD_PAGES"] < 1:
        raise ValueError("search: SEARCH['SHARD_PAGES'] must be a whole number of pages, at least 1 (e.g. 1000)")
    if not merged["PAGE_URL"].endswith("/"):
        raise ValueError("search: SEARCH['PAGE_URL'] must end with '/' (it is a folder: tim-kiem/)")
    return merged


class SearchPageGenerator(Generator):
    """Writes the search page from the theme's search.html."""

    def generate_output(self, writer):
        url = self.settings["SEARCH"]["PAGE_URL"]
        writer.write_file(
            url + "index.html", self.get_template("search"), self.context,
            relative_urls=self.settings["RELATIVE_URLS"], url=url, page_name=url.rstrip("/"),
        )


class _Build:
    """The current build's settings and the shards started ahead."""

    def __init__(self) -> None:
        self.settings: dict | None = None
        self.early: list = []

    def forget_early(self) -> None:
        for shard in self.early:
            shard.cancel()
        self.early = []


_build = _Build()
atexit.register(_build.forget_early)  # a build that stopped before the end


def _check_settings(pelican) -> None:
    # Templates read the merged dict as SEARCH (settings become the context).
    pelican.settings["SEARCH"] = search_settings(pelican.settings)
    _build.forget_early()
    _build.settings = pelican.settings


def _index_ahead(output_path: str, pages: list[str]) -> None:
    """fastbuild wrote an edit's own pages before signing the others: index
    their shards meanwhile (``build_index`` checks the result is current)."""
    settings = _build.settings
    if not settings or not settings["SEARCH"]["INDEX"] \
            or os.path.abspath(output_path) != os.path.abspath(settings["OUTPUT_PATH"]):
        return
    config = settings["SEARCH"]
    try:
        started = start_early(Path(output_path), config["LANGUAGE"], config["BUNDLE_DIR"],
                              config["EXCLUDE_SELECTORS"], config["SHARD_PAGES"],
                              os.path.join(settings["CACHE_PATH"], "search.sqlite"), pages)
    except Exception:
        log.debug("search: could not start Pagefind ahead", exc_info=True)
        return
    _build.early += started
    if started:
        log.debug("search: Pagefind started ahead on shard(s) %s", ", ".join(str(s.number) for s in started))


def _generators(pelican):
    return SearchPageGenerator


def _index(pelican) -> None:
    config = pelican.settings["SEARCH"]
    if not config["INDEX"]:
        return
    output = Path(pelican.settings["OUTPUT_PATH"])
    early, _build.early = _build.early, []
    try:
        report = build_index(output, config["LANGUAGE"], config["BUNDLE_DIR"], config["EXCLUDE_SELECTORS"],
                             per_shard=config["SHARD_PAGES"],
                             state_path=os.path.join(pelican.settings["CACHE_PATH"], "search.sqlite"),
                             early=early, listed=output_now(str(output)))
    except PagefindError as error:
        log.error("search: %s", error)
        raise SystemExit(f"search: the search index was not built: {error}") from error
    log.debug("search: %s", report.log)
    log.info("search: %d page(s) in %d shard(s) of %s/; Pagefind indexed %d shard(s) again "
             "(%d file(s) changed, %d removed)", report.pages, report.shards, config["BUNDLE_DIR"],
             report.reindexed, report.written, report.removed)
    if report.ahead:
        log.info("search: %d of those shard(s) indexed while the build went on", report.ahead)


def register():
    # initialized: settings are final; check them and expose the merged dict.
    signals.initialized.connect(_check_settings)
    # get_generators: the search page is one more generated page.
    signals.get_generators.connect(_generators)
    # finalized: every HTML file is written, so Pagefind sees the whole site.
    signals.finalized.connect(_index)
    # fastbuild's pages_rendered_early: an edit's own page is written; its
    # shard is indexed while the rest of the build goes on.
    pages_rendered_early.connect(_index_ahead)
