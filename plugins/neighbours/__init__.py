"""neighbours: the links around an article, computed once per build.

Sets on every published article:
- ``related``: articles sharing its tags (most shared first),
- ``category_news``: "Tin khác", the newest other articles of its category
  (not already in ``related``),
- ``older`` / ``newer``: the previous and next article by date.
It also puts ``latest_articles`` (the site's newest, whatever page is being
written: a category page's ``articles`` are that category's) into the
context. The theme's templates only display them. The links (by position
in the date order) are kept in ``CACHE_PATH/neighbours.sqlite`` and taken
again while no article's tags, category or place in the order changed
(see store.py).
"""

from __future__ import annotations

import logging
import os
import sqlite3

from pelican import signals

from . import store
from .select import link_positions, previous_and_next, shape

log = logging.getLogger(__name__)

DEFAULTS = {
    "RELATED": 5,  # how many related articles (by shared tags)
    "CATEGORY_NEWS": 5,  # how many "Tin khác" of the same category
    "LATEST": 5,  # how many site-wide newest articles in ``latest_articles``
}


def neighbours_settings(settings) -> dict:
    merged = {**DEFAULTS, **settings.get("NEIGHBOURS", {})}
    unknown = set(merged) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"neighbours: unknown keys in NEIGHBOURS: {sorted(unknown)}")
    for key in DEFAULTS:
        if not isinstance(merged[key], int) or merged[key] < 0:
            raise ValueError(f"neighbours: NEIGHBOURS[{key!r}] must be a whole number ≥ 0")
    return merged


def _check_settings(pelican) -> None:
    neighbours_settings(pelican.settings)


def _link(generator) -> None:
    settings = neighbours_settings(generator.settings)
    articles = generator.articles
    links, kept = _links(generator.settings, settings, articles)
    around = previous_and_next(articles)
    for article, (related, news) in zip(articles, links, strict=True):
        article.related = [articles[position] for position in related]
        article.category_news = [articles[position] for position in news]
        article.older, article.newer = around[id(article)]
    generator.context["latest_articles"] = articles[: settings["LATEST"]]
    log.debug("neighbours: linked %d articles%s", len(articles), " (as the last build did)" if kept else "")


def _links(pelican_settings, settings: dict, articles) -> tuple[list, bool]:
    """Each article's related and "Tin khác" positions, and whether they
    were the last build's (see store.py)."""
    wanted = store.key({"RELATED": settings["RELATED"], "CATEGORY_NEWS": settings["CATEGORY_NEWS"]},
                       shape(articles))
    path = os.path.join(pelican_settings.get("CACHE_PATH") or "cache", "neighbours.sqlite")
    links = store.load(path, wanted)  # the key holds the shape: one entry per article
    if links is not None:
        return links, True
    links = link_positions(articles, settings["RELATED"], settings["CATEGORY_NEWS"])
    try:
        store.save(path, wanted, links)
    except (OSError, sqlite3.Error):
        log.debug("neighbours: could not keep the links in %s", path, exc_info=True)
    return links, False


def register():
    # initialized: a bad NEIGHBOURS setting stops the build before any reading.
    signals.initialized.connect(_check_settings)
    # article_generator_finalized: the published list is complete and sorted,
    # and no article page has been written yet.
    signals.article_generator_finalized.connect(_link)
