"""SQLite state of the comments service.

Tables: ``comments`` (pending, approved or rejected comments; never an IP
address), ``used_tokens`` (nonces of captcha tokens already spent, kept
until they expire) and ``attempts`` (one row per submission: a salted hash
of the visitor and the time, kept for one rate-limit window).
Pure logic over sqlite3, no web framework.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import secrets
import sqlite3
import threading
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article TEXT NOT NULL,          -- the article's slug
    author TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '', -- for the editors only, never published
    text TEXT NOT NULL,
    text_key TEXT NOT NULL,         -- sha256 of the normalised text, to refuse duplicates
    created TEXT NOT NULL,          -- UTC, ISO 8601
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    decided TEXT,
    file TEXT                       -- content/comments/... once approved
);
CREATE INDEX IF NOT EXISTS comments_status ON comments (status);
CREATE INDEX IF NOT EXISTS comments_text_key ON comments (text_key);
CREATE TABLE IF NOT EXISTS used_tokens (nonce TEXT PRIMARY KEY, expires INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS attempts (visitor TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS attempts_visitor ON attempts (visitor, at);
"""


@dataclasses.dataclass(frozen=True)
class Comment:
    id: int
    article: str
    author: str
    email: str
    text: str
    created: dt.datetime  # aware, UTC
    status: str


def text_key(text: str) -> str:
    """Duplicates are the same words whatever the case and spacing."""
    return hashlib.sha256(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()


class VisitorHasher:
    """A visitor's key for rate limits: sha256 of a random salt and the IP.

    The salt lives in memory only and changes every UTC day, so the keys in
    the database cannot be turned back into addresses, and a visitor cannot
    be followed from one day to the next (the same idea as the statistics
    plugin's daily salted hash)."""

    def __init__(self) -> None:
        self._day = ""
        self._salt = b""

    def __call__(self, address: str, now: dt.datetime) -> str:
        day = now.strftime("%Y-%m-%d")
        if day != self._day:
            self._day, self._salt = day, secrets.token_bytes(32)
        return hashlib.sha256(self._salt + address.encode("utf-8")).hexdigest()


class Store:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA secure_delete=ON")  # deleted rows leave no readable trace
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def healthy(self) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1").fetchone() == (1,)

    # --- abuse limits -------------------------------------------------
    def count_attempts(self, visitor: str, now: int, window: int) -> int:
        with self._lock:
            self._db.execute("DELETE FROM attempts WHERE at <= ?", (now - window,))
            row = self._db.execute(
                "SELECT COUNT(*) FROM attempts WHERE visitor = ? AND at > ?", (visitor, now - window)
            ).fetchone()
        return row[0]

    def record_attempt(self, visitor: str, now: int) -> None:
        with self._lock:
            self._db.execute("INSERT INTO attempts (visitor, at) VALUES (?, ?)", (visitor, now))

    def spend_token(self, nonce: str, expires: int, now: int) -> bool:
        """Record a token as used; False when it had been used already."""
        with self._lock:
            self._db.execute("DELETE FROM used_tokens WHERE expires < ?", (now,))
            try:
                self._db.execute("INSERT INTO used_tokens (nonce, expires) VALUES (?, ?)", (nonce, expires))
            except sqlite3.IntegrityError:
                return False
        return True

    def is_duplicate(self, text: str) -> bool:
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM comments WHERE text_key = ? LIMIT 1", (text_key(text),)
            ).fetchone()
        return row is not None

    # --- comments -----------------------------------------------------
    def add(self, article: str, author: str, email: str, text: str, now: dt.datetime) -> int:
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO comments (article, author, email, text, text_key, created) VALUES (?, ?, ?, ?, ?, ?)",
                (article, author, email, text, text_key(text), now.astimezone(dt.UTC).isoformat(timespec="seconds")),
            )
        return int(cursor.lastrowid)

    def _rows(self, where: str, args: tuple) -> list[Comment]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT id, article, author, email, text, created, status FROM comments WHERE {where} ORDER BY id", args
            ).fetchall()
        return [Comment(r[0], r[1], r[2], r[3], r[4], dt.datetime.fromisoformat(r[5]), r[6]) for r in rows]

    def pending(self) -> list[Comment]:
        return self._rows("status = 'pending'", ())

    def get(self, comment_id: int) -> Comment | None:
        found = self._rows("id = ?", (comment_id,))
        return found[0] if found else None

    def decide(self, comment_id: int, status: str, now: dt.datetime, file: str | None = None) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE comments SET status = ?, decided = ?, file = ? WHERE id = ?",
                (status, now.astimezone(dt.UTC).isoformat(timespec="seconds"), file, comment_id),
            )
            if status == "rejected":  # keep only what refuses a resubmission of the same text
                self._db.execute("UPDATE comments SET email = '', text = '' WHERE id = ?", (comment_id,))

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM comments").fetchone()[0]
