"""The STATS settings: defaults, checks, and where the log sources come from.

Pure module (no Pelican import): the Pelican glue and the ``make stats``
command line both build their configuration here, so they agree.
"""

from __future__ import annotations

import os
import re
import shlex
import zoneinfo
from urllib.parse import urlsplit

from .logparse import FAST_FORMATS, FORMATS

DEFAULTS = {
    # Access logs to read: shell globs, one per server ("/var/log/nginx/access.log*").
    # Each glob is one server's rotated series; several are merged by time.
    # The ACCESS_LOGS environment variable (make html/stats ACCESS_LOGS=...) replaces it.
    "ACCESS_LOGS": [],
    # "combined" (nginx and Apache) or a bytes regular expression with the
    # nine groups of logparse.GROUPS, in that order.
    "LOG_FORMAT": "combined",
    # The state (offsets, counts, today's salts); keep it outside output/.
    "DATABASE": "var/stats.sqlite3",
    # Path of the rating form's GET request (nginx answers 204); see deploy/nginx.conf.
    "RATING_PATH": "/_danh-gia",
    # Folder of the statistics page and its data files in the output.
    "PAGE_PATH": "thong-ke",
    "VISIT_GAP_MINUTES": 30,
    "ONLINE_MINUTES": 5,
    "SALT_HOURS": 48,
    "MOST_READ": 5,
    "MOST_READ_DAYS": 30,
    "CHART_DAYS": 90,
    "TOP_ARTICLES": 20,
    "TOP_REFERRERS": 10,
    # Lines per transaction: offsets and counts are committed together.
    "BATCH_LINES": 100_000,
    # Host names of the site itself (their referrers are not "referring domains");
    # the host of SITEURL is added.
    "SITE_HOSTS": [],
}

_POSITIVE = ("VISIT_GAP_MINUTES", "ONLINE_MINUTES", "SALT_HOURS", "MOST_READ", "MOST_READ_DAYS",
             "CHART_DAYS", "TOP_ARTICLES", "TOP_REFERRERS", "BATCH_LINES")


def merged(user: dict | None, timezone: str = "Asia/Ho_Chi_Minh", siteurl: str = "",
           environ: dict | None = None) -> dict:
    """DEFAULTS updated with ``user`` (the STATS setting), checked.

    Raises ValueError naming the plugin and the key on a bad value.
    """
    environ = os.environ if environ is None else environ
    user = dict(user or {})
    unknown = sorted(set(user) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"stats: unknown STATS keys {unknown}; known: {sorted(DEFAULTS)}")
    config = {**DEFAULTS, **user}
    if environ.get("ACCESS_LOGS", "").strip():
        config["ACCESS_LOGS"] = shlex.split(environ["ACCESS_LOGS"])
    if isinstance(config["ACCESS_LOGS"], str):
        config["ACCESS_LOGS"] = [config["ACCESS_LOGS"]]
    if not all(isinstance(p, str) and p for p in config["ACCESS_LOGS"]):
        raise ValueError("stats: STATS['ACCESS_LOGS'] must be a list of file names or globs")
    for key in _POSITIVE:
        if not isinstance(config[key], int) or isinstance(config[key], bool) or config[key] < 1:
            raise ValueError(f"stats: STATS[{key!r}] must be a positive whole number, not {config[key]!r}")
    config["PATTERN"], config["FAST_PATTERN"] = _pattern(config["LOG_FORMAT"])
    _check_paths(config)
    try:
        config["ZONE"] = zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"stats: unknown TIMEZONE {timezone!r}") from None
    split = urlsplit(siteurl or "")
    hosts = {h.lower() for h in config["SITE_HOSTS"]}
    if split.hostname:
        hosts.add(split.hostname.lower())
    config["SITE_HOSTS"] = sorted(hosts)
    config["URL_PREFIX"] = split.path.rstrip("/")  # a site served under /portal/ logs /portal/...
    return config


def _pattern(fmt) -> tuple[re.Pattern, re.Pattern | None]:
    """(strict pattern, fast pattern or None) for STATS["LOG_FORMAT"]."""
    if isinstance(fmt, str) and fmt in FORMATS:
        return FORMATS[fmt], FAST_FORMATS.get(fmt)
    try:
        pattern = re.compile(fmt.encode() if isinstance(fmt, str) else fmt, re.MULTILINE)
    except (re.error, TypeError, AttributeError) as error:
        raise ValueError(f"stats: STATS['LOG_FORMAT'] is neither {sorted(FORMATS)} nor a valid pattern: {error}") from None
    if pattern.groups != 9:
        raise ValueError("stats: a custom STATS['LOG_FORMAT'] needs exactly 9 groups: "
                         "ip, minute, second, offset, method, path, status, referrer, user_agent")
    return pattern, None


def _check_paths(config: dict) -> None:
    rating = config["RATING_PATH"]
    if not isinstance(rating, str) or not re.fullmatch(r"/[A-Za-z0-9._~/-]+", rating):
        raise ValueError(f"stats: STATS['RATING_PATH'] must be a path like '/_danh-gia', not {rating!r}")
    page = config["PAGE_PATH"]
    if not isinstance(page, str) or not re.fullmatch(r"[a-z0-9-]+(/[a-z0-9-]+)*", page):
        raise ValueError(f"stats: STATS['PAGE_PATH'] must be a folder like 'thong-ke', not {page!r}")
    if not isinstance(config["DATABASE"], str | os.PathLike) or not str(config["DATABASE"]):
        raise ValueError("stats: STATS['DATABASE'] must be a file path")
