"""Signed, expiring captcha tokens that carry their own answer.

A token is ``<payload>.<mac>`` in URL-safe base64. The payload is a random
nonce, the expiry time and the answer encrypted with a keystream derived
from the secret and the nonce (HMAC-SHA256 as a pseudo-random function), so
the visitor cannot read the answer from the cookie but the service can play
it back as audio without keeping a table of open challenges. The MAC
(HMAC-SHA256 over the payload) makes any change to the token detectable.
Single use is enforced by the store, which records each nonce it has seen.
Pure logic, no web framework.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import secrets

NONCE_BYTES = 16
MAC_BYTES = 16
MAX_ANSWER = 32


class TokenError(ValueError):
    """The token is unusable; ``reason`` is "invalid" or "expired"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclasses.dataclass(frozen=True)
class Challenge:
    nonce: str  # hex; the key of the single-use record
    expires: int  # Unix time
    answer: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64(data) != text:  # only the canonical spelling: no two strings for one token
        raise ValueError("not canonical base64")
    return data


def _keystream(secret: bytes, nonce: bytes, length: int) -> bytes:
    return hmac.new(secret, b"captcha-answer|" + nonce, hashlib.sha256).digest()[:length]


def _mac(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, b"captcha-token|" + payload, hashlib.sha256).digest()[:MAC_BYTES]


def issue(secret: bytes, answer: str, now: float, ttl: int) -> str:
    """A new token for ``answer`` that expires ``ttl`` seconds after ``now``."""
    raw = answer.encode("ascii")
    if not 0 < len(raw) <= MAX_ANSWER:
        raise ValueError("tokens: the answer must be 1 to 32 ASCII characters")
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = bytes(a ^ b for a, b in zip(raw, _keystream(secret, nonce, len(raw)), strict=True))
    payload = nonce + int(now + ttl).to_bytes(8, "big") + sealed
    return f"{_b64(payload)}.{_b64(_mac(secret, payload))}"


def open_token(secret: bytes, token: str, now: float) -> Challenge:
    """Check the MAC and the expiry; return the challenge or raise TokenError."""
    try:
        payload_text, mac_text = token.split(".")
        payload, mac = _unb64(payload_text), _unb64(mac_text)
    except (ValueError, TypeError):
        raise TokenError("invalid") from None
    if len(payload) <= NONCE_BYTES + 8 or not hmac.compare_digest(mac, _mac(secret, payload)):
        raise TokenError("invalid")
    nonce, expires, sealed = payload[:NONCE_BYTES], payload[NONCE_BYTES:NONCE_BYTES + 8], payload[NONCE_BYTES + 8:]
    expires_at = int.from_bytes(expires, "big")
    if now >= expires_at:
        raise TokenError("expired")
    answer = bytes(a ^ b for a, b in zip(sealed, _keystream(secret, nonce, len(sealed)), strict=True))
    return Challenge(nonce.hex(), expires_at, answer.decode("ascii"))


def matches(challenge: Challenge, typed: str) -> bool:
    """Whether the visitor typed the answer (spaces ignored), in constant time."""
    cleaned = "".join(typed.split())
    return hmac.compare_digest(cleaned.encode("utf-8"), challenge.answer.encode("ascii"))
