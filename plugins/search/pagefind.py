"""Run the Pagefind binary shipped by the ``pagefind[extended]`` wheel over
a built site. Pure module: no Pelican import.
"""

from __future__ import annotations

import re
import shutil
import subprocess
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


def command(binary: Path, site: Path, language: str, bundle_dir: str, exclude: Sequence[str] = ()) -> list[str]:
    """Pagefind's command line for ``site`` (the Pelican output folder)."""
    argv = [str(binary), "--site", str(site), "--output-subdir", bundle_dir, "--force-language", language]
    for selector in exclude:
        argv += ["--exclude-selectors", selector]
    return argv


def build_index(site: Path, language: str, bundle_dir: str, exclude: Sequence[str] = (), timeout: int = 600) -> IndexReport:
    """Index ``site`` in place; the bundle goes to ``site/bundle_dir``, which
    is emptied first (Pagefind leaves the previous build's chunks there)."""
    argv = command(executable(), site, language, bundle_dir, exclude)
    bundle = site / bundle_dir
    if bundle.is_dir():
        shutil.rmtree(bundle)
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PagefindError(f"could not run {argv[0]}: {error}") from error
    log = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        raise PagefindError(f"pagefind exited with status {done.returncode}:\n{log}")
    match = _INDEXED_PAGES.search(log)
    return IndexReport(int(match.group(1)) if match else 0, log)
