"""The comments service for tests: the real application under uvicorn on a
free loopback port (a subprocess, as systemd runs it), usually behind the
real nginx of tests/servers.py.

Reading the captcha answer: a test cannot see the image, so it opens the
token in the visitor's cookie with the secret it gave the service
(``COMMENTS_SECRET_FILE``), using the service's own ``tokens.open_token``.
The service has no test-only hook or switch.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import NamedTuple

from helpers import ROOT
from services.comments import tokens
from services.comments.app import COOKIE
from services.comments.store import Store


class Service(NamedTuple):
    url: str  # http://127.0.0.1:PORT
    upstream: str  # 127.0.0.1:PORT, for start_nginx(comments_upstream=...)
    env: dict  # the COMMENTS_* settings it runs with
    stop: callable

    @property
    def secret(self) -> bytes:
        return Path(self.env["COMMENTS_SECRET_FILE"]).read_bytes().strip()

    def store(self) -> Store:
        return Store(Path(self.env["COMMENTS_DB"]))

    def answer(self, token: str) -> str:
        return tokens.open_token(self.secret, token, time.time()).answer


# Spoken digits are recorded once per test run (espeak-ng), not per service.
VOICES = Path(tempfile.mkdtemp(prefix="comments-voices-"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_service(state: Path, articles: Path, **settings) -> Service:
    """Run uvicorn with ``services.comments.app`` on 127.0.0.1; ``settings``
    are COMMENTS_* variables without the prefix (e.g. RATE_LIMIT=3)."""
    state.mkdir(parents=True, exist_ok=True)
    env = {
        "COMMENTS_DB": str(state / "comments.sqlite3"),
        "COMMENTS_SECRET_FILE": str(state / "secret"),
        "COMMENTS_ARTICLES": str(articles),
        "COMMENTS_VOICES": str(VOICES),
        **{f"COMMENTS_{key}": str(value) for key, value in settings.items()},
    }
    port = _free_port()
    log = (state / "service.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "services.comments.app:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
        cwd=ROOT, env={**{k: v for k, v in os.environ.items() if not k.startswith("COMMENTS_")}, **env},
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60  # the first start records the voices with espeak-ng
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("comments service exited:\n" + (state / "service.log").read_text())
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("comments service did not start:\n" + (state / "service.log").read_text())

    def stop() -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()

    return Service(f"http://127.0.0.1:{port}", f"127.0.0.1:{port}", env, stop)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """A reader without a browser: keeps cookies, never follows redirects."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None):
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def token(self) -> str:
        return next((c.value for c in self.jar if c.name == COOKIE), "")

    def new_captcha(self) -> bytes:
        status, _, body = self.request("/api/binh-luan/ma-xac-thuc.png")
        assert status == 200, status
        return body

    def post(self, fields: dict, as_json: bool = True):
        """POST the form; returns (status, headers, decoded JSON or HTML text)."""
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if as_json:
            headers["Accept"] = "application/json"
        status, response_headers, body = self.request(
            "/api/binh-luan/gui", urllib.parse.urlencode(fields).encode("utf-8"), headers
        )
        text = body.decode("utf-8")
        return status, response_headers, json.loads(text) if as_json and text.startswith("{") else text
