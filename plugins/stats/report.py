"""The numbers the site shows, read from the statistics state.

``summary()`` returns plain numbers, dates and strings (formatting for
Vietnamese happens in render.py and the templates). Pure module.
"""

from __future__ import annotations

import datetime as dt
import time

from . import store

PHONE, DESKTOP = 1, 0


def summary(db, config: dict, base_counter: int = 0, now: float | None = None) -> dict:
    zone = config["ZONE"]
    newest = int(store.get_meta(db, "newest", 0) or 0)
    clock = newest or (time.time() if now is None else now)
    today = dt.datetime.fromtimestamp(clock, zone).date()
    chart_start = today - dt.timedelta(days=config["CHART_DAYS"] - 1)
    recent_start = today - dt.timedelta(days=config["MOST_READ_DAYS"] - 1)

    visits_total = db.execute("SELECT COALESCE(SUM(visits), 0) FROM daily").fetchone()[0]
    today_row = db.execute("SELECT visits, pageviews FROM daily WHERE day = ?", (today.isoformat(),)).fetchone()
    online = 0
    if newest:
        online = db.execute(
            "SELECT COUNT(*) FROM visitors WHERE robot = 0 AND last > 0 AND last >= ?",
            (newest - config["ONLINE_MINUTES"] * 60,)).fetchone()[0]

    by_day = {day: (v, p) for day, v, p in db.execute(
        "SELECT day, visits, pageviews FROM daily WHERE day >= ? AND day <= ?",
        (chart_start.isoformat(), today.isoformat()))}
    daily = []
    for offset in range(config["CHART_DAYS"]):
        day = chart_start + dt.timedelta(days=offset)
        visits, views = by_day.get(day.isoformat(), (0, 0))
        daily.append({"day": day, "visits": visits, "pageviews": views})

    articles = {slug: {"slug": slug, "path": path, "title": title, "date": date}
                for slug, path, title, date in db.execute("SELECT slug, path, title, date FROM articles")}
    by_path = {a["path"]: a for a in articles.values()}
    views_all = dict(db.execute("SELECT path, SUM(views) FROM page_daily GROUP BY path"))
    views_recent = dict(db.execute("SELECT path, SUM(views) FROM page_daily WHERE day >= ? GROUP BY path",
                                   (recent_start.isoformat(),)))
    article_views = {a["slug"]: views_all.get(a["path"], 0) for a in articles.values()}

    def ranked(views: dict, limit: int) -> list[dict]:
        rows = [(n, path) for path, n in views.items() if path in by_path and n > 0]
        rows.sort(key=lambda r: (-r[0], by_path[r[1]]["title"]))
        return [{**by_path[path], "views": n} for n, path in rows[:limit]]

    ratings: dict[str, list[int]] = {}
    for slug, votes, total in db.execute(
            "SELECT article, SUM(votes), SUM(total) FROM ("
            " SELECT article, votes, total FROM rating_totals"
            " UNION ALL SELECT article, COUNT(*), SUM(score) FROM votes GROUP BY article) GROUP BY article"):
        if slug in articles and votes:
            ratings[slug] = {"votes": votes, "average": total / votes}

    referrers = list(db.execute(
        "SELECT domain, SUM(views) AS n FROM referrer_daily WHERE day >= ? GROUP BY domain ORDER BY n DESC, domain "
        "LIMIT ?", (chart_start.isoformat(), config["TOP_REFERRERS"])))
    devices = dict(db.execute("SELECT device, SUM(visits) FROM device_daily WHERE day >= ? GROUP BY device",
                              (chart_start.isoformat(),)))
    phone, desktop = devices.get(PHONE, 0), devices.get(DESKTOP, 0)
    return {
        "base_counter": base_counter,
        "visits": visits_total,
        "total": base_counter + visits_total,
        "today": today_row[0] if today_row else 0,
        "today_pageviews": today_row[1] if today_row else 0,
        "online": online,
        "online_at": dt.datetime.fromtimestamp(newest, zone) if newest else None,
        "day": today,
        "daily": daily,
        "chart_start": chart_start,
        "most_read": ranked(views_recent, config["MOST_READ"]),
        "top_articles": ranked(views_all, config["TOP_ARTICLES"]),
        "article_views": article_views,
        "ratings": ratings,
        "referrers": referrers,
        "phone": phone,
        "desktop": desktop,
        "malformed": int(store.get_meta(db, "malformed", 0) or 0),
        "most_read_days": config["MOST_READ_DAYS"],
        "chart_days": config["CHART_DAYS"],
    }
