"""Synthetic nginx "combined" access logs for benchmarks and tests.

``generate(lines, visitors, days, bot_share, end, seed)`` returns the log as
bytes, sorted by time: people (a fixed IP and browser each) read 1-6 pages
per visit with the theme's assets and the statistics data file, sometimes
rate an article; bots (listed crawlers, curl, empty agents) take
``bot_share`` of the lines. Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random

HUMAN_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{v}.0) Gecko/20100101 Firefox/{v}.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.{v} Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-A{v}5F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_{v} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 12; Redmi Note {v}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36 Zalo",
]
BOT_AGENTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "curl/8.5.0",
    "python-requests/2.31.0",
    "-",
]
ASSETS = ["/theme/css/site.css", "/theme/js/stats.js", "/theme/img/emblem.svg", "/thong-ke/so-lieu.json"]
REFERRERS = ["https://www.google.com/", "https://www.facebook.com/", "https://zalo.me/", "https://coccoc.com/search",
             "https://hatinh.gov.vn/tin-tuc"]
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ZONE = dt.timezone(dt.timedelta(hours=7))


def article_paths(count: int = 300) -> list[str]:
    return [f"/2026/{1 + i % 11:02d}/bai-viet-so-{i}/" for i in range(count)]


def stamp(ts: float) -> str:
    t = dt.datetime.fromtimestamp(ts, ZONE)
    return f"{t.day:02d}/{MONTHS[t.month - 1]}/{t.year}:{t.hour:02d}:{t.minute:02d}:{t.second:02d} +0700"


def line(ip, ts, method, path, status, size, referrer, agent) -> str:
    return f'{ip} - - [{stamp(ts)}] "{method} {path} HTTP/1.1" {status} {size} "{referrer}" "{agent}"\n'


def generate(lines: int = 1_000_000, visitors: int = 5_000, days: int = 30, bot_share: float = 0.15,
             end: float = 1_795_000_000.0, seed: int = 7, site: str = "https://ducthuan.example.gov.vn",
             articles: list[str] | None = None) -> bytes:
    rng = random.Random(seed)
    paths = articles or article_paths()
    pages = ["/", "/tin-tuc/", "/chuyen-muc/kinh-te/", "/gioi-thieu/", *paths]
    weights = [30, 5, 4, 2] + [1 / (1 + i * 0.05) for i in range(len(paths))]
    people = [(f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
               rng.choice(HUMAN_AGENTS).format(v=rng.randint(100, 130))) for _ in range(visitors)]
    bots = [(f"66.249.{rng.randint(0, 255)}.{rng.randint(1, 254)}", rng.choice(BOT_AGENTS)) for _ in range(40)]
    start = end - days * 86400
    events: list[tuple[float, str]] = []
    target_bots = int(lines * bot_share)
    while len(events) < lines - target_bots:
        ip, agent = rng.choice(people)
        ts = rng.uniform(start, end)
        referrer = rng.choice(REFERRERS) if rng.random() < 0.3 else "-"
        for _ in range(rng.randint(1, 6)):
            page = rng.choices(pages, weights)[0]
            status = 304 if rng.random() < 0.1 else 200
            events.append((ts, line(ip, ts, "GET", page, status, 18000, referrer, agent)))
            for asset in ASSETS if rng.random() < 0.4 else ASSETS[3:]:
                events.append((ts + 0.2, line(ip, ts + 0.2, "GET", asset, 200, 4000, site + page, agent)))
            if page in paths and rng.random() < 0.03:
                slug = page.rstrip("/").rsplit("/", 1)[1]
                events.append((ts + 30, line(ip, ts + 30, "GET", f"/_danh-gia?bai={slug}&diem={rng.randint(1, 5)}",
                                             204, 0, site + page, agent)))
            referrer = site + page
            ts += rng.uniform(10, 400)
    for _ in range(target_bots):
        ip, agent = rng.choice(bots)
        ts = rng.uniform(start, end)
        path = "/robots.txt" if rng.random() < 0.02 else rng.choice(pages)
        events.append((ts, line(ip, ts, "GET", path, 200, 18000, "-", agent)))
    events = [e for e in events if e[0] <= end][:lines]
    events.sort(key=lambda e: e[0])
    return "".join(text for _, text in events).encode()
