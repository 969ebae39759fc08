"""Dates, times and numbers in Vietnamese, formatted with Babel (locale ``vi``).

Never with the system locale: a build machine without ``vi_VN`` locales must
give the same text. Pure functions, no Pelican import.
"""

from __future__ import annotations

import datetime as dt
import functools

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal

LOCALE = "vi"

# Named patterns (CLDR syntax). "full" is what an article page shows.
DATE_PATTERNS = {
    "full": "EEEE, dd/MM/yyyy",  # Thứ Sáu, 10/06/2022
    "short": "dd/MM/yyyy",  # 10/06/2022
    "month": "'Tháng' M/yyyy",  # Tháng 6/2022
    "iso": "yyyy-MM-dd",
}


# Formatted dates, by (ISO text with its offset, time zone, pattern): an
# article's date is shown in every list it is in, and Babel is slow. Not keyed
# by the datetime itself: equal instants in two zones compare equal.
_formatted: dict[tuple[str, str, str], str] = {}


def vi_date(value: dt.date | dt.datetime, pattern: str = "full") -> str:
    """Format a date: ``vi_date(d)`` -> "Thứ Sáu, 10/06/2022".

    ``pattern`` is a name from DATE_PATTERNS or a CLDR pattern.
    """
    key = (value.isoformat(), str(getattr(value, "tzinfo", "")), pattern)
    found = _formatted.get(key)
    if found is None:
        cldr = DATE_PATTERNS.get(pattern, pattern)
        if isinstance(value, dt.datetime):
            found = format_datetime(value, cldr, tzinfo=value.tzinfo, locale=LOCALE)
        else:
            found = format_date(value, cldr, locale=LOCALE)
        if len(_formatted) < 200_000:  # bounded, whatever the site's size
            _formatted[key] = found
    return found


def vi_time(value: dt.datetime) -> str:
    """"14:05" for a time of day."""
    return format_time(value, "HH:mm", tzinfo=value.tzinfo, locale=LOCALE)


def vi_datetime(value: dt.datetime) -> str:
    """"14:05 27/11/2026", as the old portal showed times."""
    return f"{vi_time(value)} {vi_date(value, 'short')}"


@functools.lru_cache(maxsize=1 << 16, typed=True)  # counts recur in every list a page shows
def vi_number(value: float | int, decimals: int | None = None) -> str:
    """Thousands with dots, decimals with a comma: 2.713.911; 4,6."""
    if decimals is not None:
        value = round(value, decimals)
        fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, format=fmt, locale=LOCALE)
    return format_decimal(value, locale=LOCALE)
