"""Pick the articles shown around an article; pure, no Pelican import.

``articles`` is the site's published list, newest first (Pelican's order).
Articles are compared by identity, so any objects with ``tags``,
``category`` and ``date`` attributes work.

Cost: the whole site is linked once per build, so nothing here may compare
every article with every other one (at 5,000 articles that took minutes).
Tags are indexed as bit masks over the articles' positions: the articles
sharing exactly k of an article's tags are one bitwise expression, and the
newest of them are its lowest set bits.
"""

from __future__ import annotations


def _tag_key(tag) -> str:
    # Pelican's Tag objects compare by slug; plain strings (tests) by value.
    return getattr(tag, "slug", tag)


class TagIndex:
    """Which articles carry each tag, as a bit mask (bit i = ``articles[i]``)."""

    def __init__(self, articles) -> None:
        self.articles = list(articles)
        self.tags: list[frozenset] = []
        self.masks: dict[str, int] = {}
        for position, article in enumerate(self.articles):
            keys = frozenset(_tag_key(tag) for tag in (getattr(article, "tags", None) or []))
            self.tags.append(keys)
            for key in keys:
                self.masks[key] = self.masks.get(key, 0) | (1 << position)

    def related(self, position: int, limit: int) -> list:
        """Articles sharing tags with ``articles[position]``: most shared tags
        first, then newest; never the article itself."""
        tags = self.tags[position]
        if not tags or limit <= 0:
            return []
        # A bit-sliced counter: bit i of slices[j] is bit j of the number of
        # this article's tags that article i carries.
        slices: list[int] = []
        for key in tags:
            carry = self.masks[key]
            for j, counter in enumerate(slices):
                slices[j], carry = counter ^ carry, counter & carry
                if not carry:
                    break
            if carry:
                slices.append(carry)
        everyone = (1 << len(self.articles)) - 1
        found = []
        for shared in range(len(tags), 0, -1):
            exactly = everyone & ~(1 << position)
            for j, counter in enumerate(slices):
                exactly &= counter if shared >> j & 1 else ~counter
            while exactly and len(found) < limit:
                lowest = exactly & -exactly
                found.append(self.articles[lowest.bit_length() - 1])
                exactly ^= lowest
            if len(found) == limit:
                break
        return found


def related(article, articles, limit: int) -> list:
    """Articles sharing tags with ``article``: most shared tags first, then newest."""
    index = TagIndex(articles)
    position = next(i for i, other in enumerate(index.articles) if other is article)
    return index.related(position, limit)


def same_category(article, articles, limit: int, exclude=()) -> list:
    """"Tin khác": the newest other articles of the category, skipping
    ``exclude``. ``articles`` may already be only that category's list."""
    skip = {id(a) for a in exclude} | {id(article)}
    found = []
    for other in articles:
        if len(found) == limit:
            break
        if id(other) not in skip and other.category == article.category:
            found.append(other)
    return found


def by_category(articles) -> dict:
    """{category: its articles, newest first} (keys as the articles carry them)."""
    groups: dict = {}
    for article in articles:
        groups.setdefault(article.category, []).append(article)
    return groups


def previous_and_next(articles) -> dict:
    """{id(article): (older, newer)} along the site's date order."""
    result = {}
    for index, article in enumerate(articles):
        older = articles[index + 1] if index + 1 < len(articles) else None
        newer = articles[index - 1] if index > 0 else None
        result[id(article)] = (older, newer)
    return result


def shape(articles) -> list:
    """What the links of ``articles`` depend on, position by position: the
    keys of each article's tags and of its category. Two lists of the same
    shape are linked the same way (by position)."""
    return [[sorted({_tag_key(tag) for tag in (getattr(article, "tags", None) or [])}), _tag_key(article.category)]
            for article in articles]


def link_positions(articles, related_limit: int, news_limit: int) -> list[tuple[list[int], list[int]]]:
    """For each article, by position: its related articles' positions and
    its "Tin khác" positions (see :meth:`TagIndex.related` and
    :func:`same_category`)."""
    position_of = {id(article): position for position, article in enumerate(articles)}
    tags = TagIndex(articles)
    categories = by_category(articles)
    links = []
    for position, article in enumerate(articles):
        found = tags.related(position, related_limit)
        news = same_category(article, categories[article.category], news_limit, exclude=found)
        links.append(([position_of[id(a)] for a in found], [position_of[id(a)] for a in news]))
    return links

