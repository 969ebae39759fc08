"""HTTP side of the comments service (Starlette; uvicorn serves it).

Routes, all under ``/api/binh-luan`` (nginx proxies that prefix):

- ``GET  /health``: ``{"ok": true}`` while the store and the article list
  are usable; the article page's script hides the form when this fails.
- ``GET  /ma-xac-thuc.png``: a new captcha image; its signed token goes
  into an HttpOnly cookie limited to ``/api/binh-luan``.
- ``GET  /ma-xac-thuc.wav``: the same digits spoken (the accessible
  alternative), read from the cookie's token.
- ``POST /gui``: a comment. Without JavaScript the answer is a 303 back to
  the article (``?binh-luan=cho-duyet#binh-luan-cho-duyet``) or a small
  Vietnamese page saying what to fix; with ``Accept: application/json``
  (the page's script) it is ``{"ok", "message", "field"}``.

Run: ``uvicorn --factory services.comments.app:create_app --no-access-log``
(uvicorn's access log would write visitors' IP addresses).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import time
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from . import rules, tokens
from .config import Config, from_env
from .media import Media, random_digits
from .store import Store, VisitorHasher

log = logging.getLogger(__name__)

PREFIX = "/api/binh-luan"
COOKIE = "binh_luan_ma"
NO_STORE = {"Cache-Control": "no-store"}
MAX_FIELDS = 20


class Articles:
    """The articles that accept comments, from the JSON file the build
    writes (plugins/comments); reloaded when the file changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: float | None = None
        self._urls: dict[str, str] = {}

    def urls(self) -> dict[str, str]:
        try:
            stamp = self.path.stat().st_mtime
        except OSError:
            if self._stamp is not None or not self._urls:
                log.warning("comments: article list %s is missing", self.path)
            self._stamp, self._urls = None, {}
            return self._urls
        if stamp != self._stamp:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self._urls = {slug: entry["url"] for slug, entry in data["articles"].items()}
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
                log.error("comments: cannot read the article list %s (%s); keeping the previous one", self.path, error)
            self._stamp = stamp
        return self._urls


class _TooLarge(Exception):
    pass


async def _read_body(request: Request, limit: int) -> bytes:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise _TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _TooLarge
    return bytes(body)


def _parse_form(request: Request, body: bytes) -> dict[str, str] | None:
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return None
    try:
        pairs = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FIELDS, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        return None
    return {key: values[0] for key, values in pairs.items()}


def _message_page(title: str, message: str, back: str, status: int) -> HTMLResponse:
    page = f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{html.escape(title)}</title>
<link rel="stylesheet" href="/theme/css/site.css">
</head>
<body>
<main class="service-message">
<h1>{html.escape(title)}</h1>
<p>{html.escape(message)}</p>
<p>Bấm nút Quay lại của trình duyệt để sửa bình luận, hoặc <a href="{html.escape(back)}#binh-luan">mở lại bài viết</a>.</p>
</main>
</body>
</html>
"""
    return HTMLResponse(page, status_code=status, headers=NO_STORE)


class CommentsService:
    """The four endpoints, sharing the store, the captcha media and the article list."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.store = Store(config.db)
        self.media = Media(config.voices)
        self.articles = Articles(config.articles)
        self.visitor_key = VisitorHasher()

    # --- helpers -------------------------------------------------------
    @staticmethod
    def wants_json(request: Request) -> bool:
        return "application/json" in request.headers.get("accept", "")

    def refuse(self, request: Request, refusal: rules.Refusal, back: str) -> Response:
        if self.wants_json(request):
            body = {"ok": False, "message": refusal.message, "field": refusal.field}
            return JSONResponse(body, status_code=refusal.status, headers=NO_STORE)
        return _message_page("Chưa gửi được bình luận", refusal.message, back, refusal.status)

    def with_challenge(self, request: Request, response: Response, token: str) -> Response:
        response.set_cookie(
            COOKIE, token, max_age=self.config.token_ttl, path=PREFIX, httponly=True, samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response

    def new_challenge(self) -> tuple[str, str]:
        answer = random_digits(self.config.digits)
        return answer, tokens.issue(self.config.secret, answer, time.time(), self.config.token_ttl)

    def check_captcha(self, token: str, typed: str, now: int) -> rules.Refusal | None:
        if not token:
            return rules.NO_TOKEN
        try:
            challenge = tokens.open_token(self.config.secret, token, now)
        except tokens.TokenError as error:
            return rules.EXPIRED if error.reason == "expired" else rules.BAD_TOKEN
        if not self.store.spend_token(challenge.nonce, challenge.expires, now):
            return rules.REUSED
        return None if tokens.matches(challenge, typed) else rules.WRONG

    async def intake(self, request: Request, now: dt.datetime) -> tuple[rules.Submission | rules.Refusal, str]:
        """Every check in order; returns the submission or the refusal, and the article's address."""
        stamp = int(now.timestamp())
        visitor = self.visitor_key(request.client.host if request.client else "", now)
        if self.store.count_attempts(visitor, stamp, self.config.rate_window) >= self.config.rate_limit:
            return rules.RATE_LIMITED, "/"
        self.store.record_attempt(visitor, stamp)
        try:
            fields = _parse_form(request, await _read_body(request, self.config.max_body))
        except _TooLarge:
            return rules.TOO_LARGE, "/"
        if fields is None:
            return rules.NOT_A_FORM, "/"
        urls = self.articles.urls()
        back = urls.get(fields.get(rules.ARTICLE, ""), "/")
        result = rules.check_form(fields, set(urls), self.config.max_length)
        if isinstance(result, rules.Refusal):
            return result, back
        refusal = self.check_captcha(request.cookies.get(COOKIE, ""), result.answer, stamp)
        if refusal is None and self.store.is_duplicate(result.text):
            refusal = rules.DUPLICATE
        return refusal or result, back

    # --- endpoints -----------------------------------------------------
    def health(self, request: Request) -> Response:
        ok = self.store.healthy() and bool(self.articles.urls())
        return JSONResponse({"ok": ok}, status_code=200 if ok else 503, headers=NO_STORE)

    def captcha_image(self, request: Request) -> Response:
        answer, token = self.new_challenge()
        response = Response(self.media.png(answer), media_type="image/png", headers=NO_STORE)
        return self.with_challenge(request, response, token)

    def captcha_audio(self, request: Request) -> Response:
        """The cookie's digits spoken; a new challenge when there is no valid cookie."""
        try:
            challenge = tokens.open_token(self.config.secret, request.cookies.get(COOKIE, ""), time.time())
            answer, token = challenge.answer, None
        except tokens.TokenError:
            answer, token = self.new_challenge()
        response = Response(self.media.wav(answer), media_type="audio/wav", headers=NO_STORE)
        return self.with_challenge(request, response, token) if token else response

    async def submit(self, request: Request) -> Response:
        now = dt.datetime.now(dt.UTC)
        result, back = await self.intake(request, now)
        if isinstance(result, rules.Refusal):
            return self.refuse(request, result, back)
        comment_id = self.store.add(result.article, result.author, result.email, result.text, now)
        log.info("comments: comment %d received for %s, pending", comment_id, result.article)
        if self.wants_json(request):
            return JSONResponse({"ok": True, "message": rules.ACCEPTED, "field": ""}, status_code=202, headers=NO_STORE)
        return RedirectResponse(f"{back}?binh-luan=cho-duyet#binh-luan-cho-duyet", status_code=303, headers=NO_STORE)


def create_app(config: Config | None = None) -> Starlette:
    """The ASGI application (uvicorn's ``--factory`` calls this)."""
    service = CommentsService(config or from_env())

    @asynccontextmanager
    async def lifespan(app):
        yield
        service.store.close()

    routes = [
        Mount(PREFIX, routes=[
            Route("/health", service.health, methods=["GET", "HEAD"]),
            Route("/ma-xac-thuc.png", service.captcha_image, methods=["GET"]),
            Route("/ma-xac-thuc.wav", service.captcha_audio, methods=["GET"]),
            Route("/gui", service.submit, methods=["POST"]),
        ]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.service = service
    return app
