"""Pick the articles shown around an article; pure, no Pelican import.

``articles`` is the site's published list, newest first (Pelican's order).
Articles are compared by identity, so any objects with ``tags``,
``category`` and ``date`` attributes work.
"""

from __future__ import annotations


def related(article, articles, limit: int) -> list:
    """Articles sharing tags with ``article``: most shared tags first, then newest."""
    tags = set(getattr(article, "tags", None) or [])
    if not tags or limit <= 0:
        return []
    scored = []
    for position, other in enumerate(articles):
        if other is article:
            continue
        shared = len(tags & set(getattr(other, "tags", None) or []))
        if shared:
            scored.append((-shared, position, other))
    scored.sort(key=lambda item: item[:2])
    return [other for _, _, other in scored[:limit]]


def same_category(article, articles, limit: int, exclude=()) -> list:
    """"Tin khác": the newest other articles of the category, skipping ``exclude``."""
    skip = {id(a) for a in exclude} | {id(article)}
    found = [a for a in articles if a.category == article.category and id(a) not in skip]
    return found[:limit]


def previous_and_next(articles) -> dict:
    """{id(article): (older, newer)} along the site's date order."""
    result = {}
    for index, article in enumerate(articles):
        older = articles[index + 1] if index + 1 < len(articles) else None
        newer = articles[index - 1] if index > 0 else None
        result[id(article)] = (older, newer)
    return result
