"""The statistics state in SQLite.

Everything one ingest batch changes (file offsets, daily counts, visitor
state, salts, votes) is written in ONE transaction, so a run killed at any
moment (kill -9) leaves either the whole batch or none of it, and the next
run resumes exactly where the last commit left off.

Privacy: visitors are stored only as salted hashes whose salts are per day
and deleted after SALT_HOURS; no IP address and no user agent is ever
written here. Pure module, no Pelican import.
"""

from __future__ import annotations

import contextlib
import fcntl
import sqlite3
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files (
    fingerprint TEXT PRIMARY KEY, name TEXT NOT NULL, offset INTEGER NOT NULL,
    lines INTEGER NOT NULL, complete INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS salts (day TEXT PRIMARY KEY, salt BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS visitors (
    id BLOB PRIMARY KEY, day TEXT NOT NULL, last INTEGER NOT NULL, robot INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS daily (
    day TEXT PRIMARY KEY, visits INTEGER NOT NULL DEFAULT 0, pageviews INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS page_daily (
    day TEXT NOT NULL, path TEXT NOT NULL, views INTEGER NOT NULL, PRIMARY KEY (day, path)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS referrer_daily (
    day TEXT NOT NULL, domain TEXT NOT NULL, views INTEGER NOT NULL, PRIMARY KEY (day, domain)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS device_daily (
    day TEXT NOT NULL, device INTEGER NOT NULL, visits INTEGER NOT NULL, PRIMARY KEY (day, device)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS votes (
    article TEXT NOT NULL, voter BLOB NOT NULL, day TEXT NOT NULL, score INTEGER NOT NULL,
    ts INTEGER NOT NULL, PRIMARY KEY (article, voter)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rating_totals (
    article TEXT PRIMARY KEY, votes INTEGER NOT NULL, total INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS articles (
    slug TEXT PRIMARY KEY, path TEXT NOT NULL, title TEXT NOT NULL, date TEXT NOT NULL) WITHOUT ROWID;
"""


def connect(path: str | Path) -> sqlite3.Connection:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None, timeout=60)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(SCHEMA)
    return db


@contextlib.contextmanager
def exclusive(path: str | Path):
    """Hold a lock file beside the database for a whole ingest, so two runs
    (a cron `make stats` and a `make html`) never read the same lines."""
    lock = Path(str(path) + ".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def transaction(db: sqlite3.Connection):
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def get_meta(db, key, default=None):
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return default if row is None else row[0]


def set_meta(db, key, value) -> None:
    db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
               (key, value))


def add_counts(db, daily: dict, pages: dict, referrers: dict, devices: dict) -> None:
    """Add a batch's counts to the daily tables."""
    db.executemany(
        "INSERT INTO daily (day, visits, pageviews) VALUES (?, ?, ?) ON CONFLICT(day) DO UPDATE SET "
        "visits = visits + excluded.visits, pageviews = pageviews + excluded.pageviews",
        [(day, v[0], v[1]) for day, v in daily.items()])
    db.executemany(
        "INSERT INTO page_daily (day, path, views) VALUES (?, ?, ?) "
        "ON CONFLICT(day, path) DO UPDATE SET views = views + excluded.views",
        [(day, path, n) for (day, path), n in pages.items()])
    db.executemany(
        "INSERT INTO referrer_daily (day, domain, views) VALUES (?, ?, ?) "
        "ON CONFLICT(day, domain) DO UPDATE SET views = views + excluded.views",
        [(day, domain, n) for (day, domain), n in referrers.items()])
    db.executemany(
        "INSERT INTO device_daily (day, device, visits) VALUES (?, ?, ?) "
        "ON CONFLICT(day, device) DO UPDATE SET visits = visits + excluded.visits",
        [(day, device, n) for (day, device), n in devices.items()])


def save_votes(db, votes: dict) -> None:
    """votes: (article, voter) -> (day, score, ts); the latest vote counts."""
    db.executemany(
        "INSERT INTO votes (article, voter, day, score, ts) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(article, voter) DO UPDATE SET day = excluded.day, score = excluded.score, ts = excluded.ts "
        "WHERE excluded.ts >= votes.ts",
        [(article, voter, day, score, ts) for (article, voter), (day, score, ts) in votes.items()])


def expire(db, days: list[str]) -> None:
    """Forget the salts and visitor hashes of ``days``; fold their votes into totals."""
    for day in days:
        db.execute(
            "INSERT INTO rating_totals (article, votes, total) "
            "SELECT article, COUNT(*), SUM(score) FROM votes WHERE day = ? GROUP BY article "
            "ON CONFLICT(article) DO UPDATE SET votes = votes + excluded.votes, total = total + excluded.total",
            (day,))
        db.execute("DELETE FROM votes WHERE day = ?", (day,))
        db.execute("DELETE FROM visitors WHERE day = ?", (day,))
        db.execute("DELETE FROM salts WHERE day = ?", (day,))


def save_articles(db, articles: list[tuple[str, str, str, str]]) -> None:
    """The site's articles as (slug, path, title, ISO date), from the last build."""
    with transaction(db):
        db.execute("DELETE FROM articles")
        db.executemany("INSERT OR REPLACE INTO articles (slug, path, title, date) VALUES (?, ?, ?, ?)", articles)
