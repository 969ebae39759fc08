"""Browser fixtures: Debian's Chromium driven by Playwright, against the demo
site served on loopback by a plain HTTP server in a thread.

Playwright never downloads a browser here: it launches /usr/bin/chromium
(installed by tools/install-debian-packages.sh) through ``executable_path``.
Tests in this folder are marked ``browser``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from browsing import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, serve_directory


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def site_url(demo_site):
    """Base URL of the demo site served over HTTP (no trailing slash)."""
    server, url = serve_directory(demo_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` as root, or `apt-get install chromium`")
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 (only browser tests need it)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A page in a phone-sized context (375×812, touch)."""
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, locale="vi-VN")
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    yield context.new_page()
    context.close()


@pytest.fixture
def no_js(browser):
    """A phone-sized page with JavaScript disabled."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="vi-VN")
    yield context.new_page()
    context.close()
