"""neighbours: the links around an article, computed once per build.

Sets on every published article:
- ``related``: articles sharing its tags (most shared first),
- ``category_news``: "Tin khác", the newest other articles of its category
  (not already in ``related``),
- ``older`` / ``newer``: the previous and next article by date.
It also puts ``latest_articles`` (the site's newest, whatever page is being
written: a category page's ``articles`` are that category's) into the
context. The theme's templates only display them.
"""

from __future__ import annotations

import logging

from pelican import signals

from .select import TagIndex, by_category, previous_and_next, same_category

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
    around = previous_and_next(articles)
    tags = TagIndex(articles)
    categories = by_category(articles)
    for position, article in enumerate(articles):
        article.related = tags.related(position, settings["RELATED"])
        article.category_news = same_category(article, categories[article.category], settings["CATEGORY_NEWS"],
                                              exclude=article.related)
        article.older, article.newer = around[id(article)]
    generator.context["latest_articles"] = articles[: settings["LATEST"]]
    log.debug("neighbours: linked %d articles", len(articles))


def register():
    # initialized: a bad NEIGHBOURS setting stops the build before any reading.
    signals.initialized.connect(_check_settings)
    # article_generator_finalized: the published list is complete and sorted,
    # and no article page has been written yet.
    signals.article_generator_finalized.connect(_link)
