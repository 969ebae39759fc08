"""Shared fixtures: build tiny sites and the demo site.

- ``build_tiny(files, strict=False, **settings)`` builds a throw-away site
  in-process with ``Pelican(read_settings(..., override=...)).run()`` and
  returns a ``helpers.Build``.
- ``run_check(files)`` runs the editors' command, ``make check``, on a content
  folder made of ``files`` and returns the finished process.
- ``demo_site`` is the demo content built once per session in strict mode.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import content_errors
from helpers import Build, build_demo, run_make, run_pelican, settings_for, write_files


@pytest.fixture
def build_tiny(tmp_path):
    """Return a function that builds a tiny site from {path: text or bytes}."""
    counter = 0

    def build(files: dict[str, str | bytes], strict: bool = False, **overrides) -> Build:
        nonlocal counter
        counter += 1
        base = tmp_path / f"site{counter}"
        content, output = base / "content", base / "output"
        content.mkdir(parents=True)
        write_files(content, files)
        settings = settings_for(content, output, STRICT_BUILD=strict, **overrides)
        failed = False
        try:
            run_pelican(settings, base)
        except content_errors.StrictBuildFailed:
            failed = True
        return Build(output, content, content_errors.errors(), failed)

    return build


@pytest.fixture
def run_check(tmp_path):
    """Run ``make check INPUTDIR=<folder>`` on a content folder made of files."""

    def check(files: dict[str, str | bytes]):
        content = tmp_path / "content"
        write_files(content, files)
        return run_make("check", f"INPUTDIR={content}")

    return check


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The demo content built once per session, strictly, like `make check`."""
    return build_demo(tmp_path_factory.mktemp("demo") / "output")


