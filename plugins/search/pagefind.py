"""Run the Pagefind binary shipped by the ``pagefind[extended]`` wheel over
a built site. Pure module: no Pelican import.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

_INDEXED_PAGES = re.compile(r"Indexed (\d+) pages?")


class PagefindError(RuntimeError):
    """Pagefind is missing or failed; the message says what to do."""


@dataclass(frozen=True)
class IndexReport:
    pages: int  # pages Pagefind put in the index
    log: str  # Pagefind's own output, for the build log


def executable() -> Path:
    """Path of the Pagefind binary inside the installed wheel (never downloaded)."""
    try:
        from pagefind_bin_extended import get_executable  # noqa: PLC0415 (optional at import time)
    except ImportError as error:
        raise PagefindError(
            "the Pagefind binary is not installed: requirements.txt pins pagefind[extended] "
            "(pagefind-bin-extended); run `make html` to set up .venv"
        ) from error
    return get_executable()


BODY_MARKER = b"data-pagefind-body"


def command(binary: Path, site: Path, language: str, bundle: Path, exclude: Sequence[str] = ()) -> list[str]:
    """Pagefind's command line: index the pages under ``site`` into ``bundle``."""
    argv = [str(binary), "--site", str(site), "--output-path", str(bundle), "--force-language", language]
    for selector in exclude:
        argv += ["--exclude-selectors", selector]
    return argv


def indexed_pages(site: Path, bundle_dir: str) -> list[Path]:
    """The HTML files under ``site`` that have a ``data-pagefind-body``
    element: the only ones Pagefind indexes (it would parse every other page,
    the long lists included, only to skip it)."""
    bundle = site / bundle_dir
    found = []
    for page in sorted(site.rglob("*.html")):
        if bundle in page.parents:
            continue
        with open(page, "rb") as handle:
            if BODY_MARKER in handle.read():
                found.append(page)
    return found


def _stage(site: Path, pages: Sequence[Path], staging: Path) -> None:
    """Mirror ``pages`` under ``staging`` (hard links; copies across file systems)."""
    for page in pages:
        target = staging / page.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(page, target)
        except OSError:
            shutil.copyfile(page, target)


def build_index(site: Path, language: str, bundle_dir: str, exclude: Sequence[str] = (), timeout: int = 600) -> IndexReport:
    """Index the pages of ``site`` that have a body to index; the bundle goes
    to ``site/bundle_dir``, which is emptied first (Pagefind leaves the
    previous build's chunks there). Pagefind reads a staging folder that
    holds only those pages, next to ``site`` and removed afterwards."""
    bundle = site / bundle_dir
    if bundle.is_dir():
        shutil.rmtree(bundle)
    with tempfile.TemporaryDirectory(prefix=".pagefind-pages-", dir=site.parent) as staging:
        _stage(site, indexed_pages(site, bundle_dir), Path(staging))
        argv = command(executable(), Path(staging), language, bundle.resolve(), exclude)
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PagefindError(f"could not run {argv[0]}: {error}") from error
    log = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        raise PagefindError(f"pagefind exited with status {done.returncode}:\n{log}")
    match = _INDEXED_PAGES.search(log)
    return IndexReport(int(match.group(1)) if match else 0, log)
