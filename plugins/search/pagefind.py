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

from fastbuild.outputs import write_if_changed

from .reproducible import canonicalize

_INDEXED_PAGES = re.compile(r"Indexed (\d+) pages?")


class PagefindError(RuntimeError):
    """Pagefind is missing or failed; the message says what to do."""


@dataclass(frozen=True)
class IndexReport:
    pages: int  # pages Pagefind put in the index
    log: str  # Pagefind's own output, for the build log
    written: int = 0  # bundle files that changed
    removed: int = 0  # bundle files no longer part of it


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
    the long lists included, only to skip it). A site where no page has one
    (no article or page yet) gives every page, as Pagefind itself would."""
    bundle = site / bundle_dir
    pages = [page for page in sorted(site.rglob("*.html")) if bundle not in page.parents]
    found = []
    for page in pages:
        with open(page, "rb") as handle:
            if BODY_MARKER in handle.read():
                found.append(page)
    return found or pages


def _stage(site: Path, pages: Sequence[Path], staging: Path) -> None:
    """Mirror ``pages`` under ``staging`` (hard links, or copies across file systems)."""
    link = True
    for page in pages:
        target = staging / page.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        if link:
            try:
                os.link(page, target)
                continue
            except OSError:
                link = False
        shutil.copyfile(page, target)


def scratch_folder(site: Path) -> Path:
    """Where Pagefind's input and output are staged: memory (/dev/shm) when
    there is one, since Pagefind writes one file per page and this folder is
    thrown away after each build; else next to the output folder."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return shm
    return site.resolve().parent


def sync(source: Path, target: Path) -> tuple[int, int]:
    """Make ``target`` hold exactly the files of ``source``, writing only the
    files whose bytes differ (most of a Pagefind bundle is named after its
    content, so an edit changes a few files); return (written, removed)."""
    written = removed = 0
    wanted = set()
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(source)
        wanted.add(relative)
        written += write_if_changed(str(target / relative), path.read_bytes())
    if target.is_dir():
        for path in sorted(target.rglob("*"), reverse=True):
            if path.is_file() and path.relative_to(target) not in wanted:
                path.unlink()
                removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return written, removed


def build_index(site: Path, language: str, bundle_dir: str, exclude: Sequence[str] = (), timeout: int = 600) -> IndexReport:
    """Index the pages of ``site`` that have a body to index into
    ``site/bundle_dir``. Pagefind reads a staged copy of just those pages and
    writes a fresh bundle beside it (see :func:`scratch_folder`); the bundle
    is made reproducible, then synced into place file by file."""
    bundle = site / bundle_dir
    with tempfile.TemporaryDirectory(prefix="pagefind-", dir=scratch_folder(site)) as work:
        staging, fresh = Path(work) / "site", Path(work) / "bundle"
        _stage(site, indexed_pages(site, bundle_dir), staging)
        argv = command(executable(), staging, language, fresh, exclude)
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PagefindError(f"could not run {argv[0]}: {error}") from error
        if done.returncode == 0:
            canonicalize(fresh)  # the same site gives the same bytes
            written, removed = sync(fresh, bundle)
    log = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        raise PagefindError(f"pagefind exited with status {done.returncode}:\n{log}")
    match = _INDEXED_PAGES.search(log)
    return IndexReport(int(match.group(1)) if match else 0, log, written, removed)
