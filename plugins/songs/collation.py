"""Vietnamese alphabetical order with ICU's collation rules.

Code-point order puts "Ánh" after "Em" and "Đ" after every Latin letter;
Vietnamese dictionaries sort A Ă Â B C D Đ E Ê … with tone marks as a
secondary difference. ICU's ``vi`` collator implements exactly that.
Pure logic, no Pelican import.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TypeVar

import icu

T = TypeVar("T")


@functools.cache
def _collator(locale: str) -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale(locale))


def sort_key(text: str, locale: str = "vi") -> bytes:
    """ICU sort key of ``text`` (bytes comparing in the locale's order)."""
    return _collator(locale).getSortKey(text)


def sorted_vi(items: Iterable[T], key: Callable[[T], str] = str, locale: str = "vi") -> list[T]:
    """``items`` in the locale's alphabetical order of ``key(item)``."""
    return sorted(items, key=lambda item: sort_key(key(item), locale))
