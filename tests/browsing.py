"""Helpers for browser tests: Chromium's settings, a loopback HTTP server for
a built site, and screenshots for people to look at."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

from helpers import ROOT

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "tests" / "screenshots"  # ignored by git; for people to look at
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # the machine has no network: no phoning home
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output readable
        pass

    def send_error(self, code, message=None, explain=None):
        # Serve the site's own 404 page, as nginx does in production.
        page = Path(self.directory) / "404.html"
        if code == 404 and page.exists():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


def serve_directory(directory: Path):
    """Serve ``directory`` on 127.0.0.1 on a free port; return (server, base URL)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


_LOAD_ALL_IMAGES = """() => Promise.all([...document.images].map(img => {
    img.loading = "eager";
    return img.complete ? null : new Promise(done => { img.onload = img.onerror = done; });
}))"""


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under tests/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    try:  # lazy images below the fold would show as blanks: load them all first
        page.evaluate(_LOAD_ALL_IMAGES)
    except Exception:  # a page with JavaScript disabled keeps its lazy images
        pass
    page.screenshot(path=str(path), full_page=True)
    return path


# --- The theme's checks, reused by every workstream's browser tests ---------

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # installed by `make test` (npm ci)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page, tags: list[str] | None = None) -> list[dict]:
    """Run axe-core on the loaded page; return its violations for the WCAG
    2.2 AA tags (each a dict: id, impact, help, nodes[{target, html, ...}])."""
    if not AXE.exists():
        raise RuntimeError(f"{AXE} is missing: run `make test` (it runs `npm ci`)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated as a string, not a <script> tag: works under a strict CSP.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    options = {"runOnly": {"type": "tag", "values": tags or AXE_TAGS}, "resultTypes": ["violations"]}
    result = page.evaluate("options => axe.run(document, options)", options)
    return result["violations"]


def describe_violations(violations: list[dict]) -> str:
    """Readable summary of axe violations for an assertion message."""
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
                            for node in v["nodes"][:5])
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {targets}")
    return "\n".join(lines)


def record_requests(page) -> list[str]:
    """Start recording the URL of every request ``page`` makes; returns the
    list, which fills as the page loads (call it before ``page.goto``)."""
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def foreign_requests(urls: list[str], site_url: str) -> list[str]:
    """The URLs of ``urls`` that do not go to ``site_url``'s origin
    (``data:`` and ``blob:`` URLs stay in the page and are allowed)."""
    origin = site_url.rstrip("/") + "/"
    return [u for u in urls if not u.startswith(origin) and not u.startswith(("data:", "blob:"))]
