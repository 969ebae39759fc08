"""The service's settings, read from environment variables.

Every setting has a default suited to a checkout (state under ``var/``);
the systemd unit in deploy/ sets the production paths. Bad values raise
ValueError naming the variable, so the service refuses to start.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

# variable -> (default, meaning); README.md documents the same table.
DEFAULTS = {
    "COMMENTS_DB": ("var/comments/comments.sqlite3", "SQLite file of pending comments, used tokens and rate counts"),
    "COMMENTS_SECRET_FILE": ("var/comments/secret", "file holding the HMAC secret; created (mode 600) when missing"),
    "COMMENTS_ARTICLES": ("output/api-data/binh-luan.json", "the articles that accept comments, written by the build"),
    "COMMENTS_VOICES": ("var/comments/voices", "folder of spoken digits for the audio captcha; built with espeak-ng when empty"),
    "COMMENTS_TOKEN_TTL": ("600", "seconds a captcha stays valid"),
    "COMMENTS_RATE_LIMIT": ("5", "submissions one visitor may make per window"),
    "COMMENTS_RATE_WINDOW": ("3600", "the rate-limit window, in seconds"),
    "COMMENTS_MAX_BODY": ("32768", "largest request body accepted, in bytes"),
    "COMMENTS_MAX_LENGTH": ("2000", "longest comment text, in characters"),
    "COMMENTS_DIGITS": ("5", "digits in a captcha"),
}


@dataclasses.dataclass(frozen=True)
class Config:
    db: Path
    secret: bytes
    articles: Path
    voices: Path
    token_ttl: int
    rate_limit: int
    rate_window: int
    max_body: int
    max_length: int
    digits: int


def env_path(env, name: str) -> Path:
    path = Path(env.get(name) or DEFAULTS[name][0])
    return path if path.is_absolute() else ROOT / path


def _int(env, name: str, low: int, high: int) -> int:
    text = env.get(name) or DEFAULTS[name][0]
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"comments: {name}={text!r} is not a whole number") from None
    if not low <= value <= high:
        raise ValueError(f"comments: {name}={value} must be between {low} and {high}")
    return value


def load_secret(path: Path) -> bytes:
    """Read the secret, creating a random one (readable by the owner only) on first start."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
    secret = path.read_bytes().strip()
    if len(secret) < 32:
        raise ValueError(f"comments: the secret in {path} is shorter than 32 characters")
    return secret


def from_env(env=None) -> Config:
    env = os.environ if env is None else env
    unknown = sorted(k for k in env if k.startswith("COMMENTS_") and k not in DEFAULTS)
    if unknown:
        raise ValueError(f"comments: unknown settings {unknown}; known: {sorted(DEFAULTS)}")
    return Config(
        db=env_path(env, "COMMENTS_DB"),
        secret=load_secret(env_path(env, "COMMENTS_SECRET_FILE")),
        articles=env_path(env, "COMMENTS_ARTICLES"),
        voices=env_path(env, "COMMENTS_VOICES"),
        token_ttl=_int(env, "COMMENTS_TOKEN_TTL", 30, 86400),
        rate_limit=_int(env, "COMMENTS_RATE_LIMIT", 1, 10000),
        rate_window=_int(env, "COMMENTS_RATE_WINDOW", 60, 7 * 86400),
        max_body=_int(env, "COMMENTS_MAX_BODY", 4096, 1 << 20),
        max_length=_int(env, "COMMENTS_MAX_LENGTH", 10, 20000),
        digits=_int(env, "COMMENTS_DIGITS", 4, 8),
    )
