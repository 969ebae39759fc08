"""Helpers for the statistics tests: log lines, ingest runs, totals."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

from bench.synthlog import line
from stats import report, store
from stats.config import merged
from stats.ingest import ingest

DESKTOP_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
PHONE_UA = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
BOT_UA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def hit(ip, ts, path, agent=DESKTOP_UA, status=200, referrer="-", method="GET") -> bytes:
    return line(ip, ts, method, path, status, 1000, referrer, agent).rstrip("\n").encode()


def within_one_day(start: float, span: float, zone: str = "Asia/Ho_Chi_Minh") -> float:
    """``start``, moved back if need be so that ``start`` to ``start + span``
    lies within one day of the ward's clock: a new day has a new salt (a new
    visitor, by design) and a new "today", so a test's traffic must not
    straddle midnight whatever the hour it runs."""
    tz = ZoneInfo(zone)
    midnight = datetime.combine(datetime.fromtimestamp(start + span, tz).date(), datetime.min.time(), tz).timestamp()
    return midnight - span - 60 if start < midnight else start


def config(database, logs, **overrides) -> dict:
    return merged({"DATABASE": str(database), "ACCESS_LOGS": [str(p) for p in logs], **overrides},
                  siteurl="https://ducthuan.example.gov.vn", environ={})


def run(database, logs, known=None, **overrides):
    return ingest(config(database, logs, **overrides), known, now=time.time())


def totals(database, **overrides) -> dict:
    """Everything the site would show, from a database."""
    db = store.connect(database)
    try:
        numbers = report.summary(db, config(database, [], **overrides), 1000)
        tables = {name: sorted(db.execute(f"SELECT * FROM {name}"))
                  for name in ("daily", "page_daily", "referrer_daily", "device_daily")}
        votes = sorted(db.execute("SELECT article, score FROM votes"))
    finally:
        db.close()
    return {"summary": numbers, "tables": tables, "votes": votes}
