"""Helpers shared by the tests: paths, Markdown sources, tiny-site builds."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from pelican import Pelican
from pelican.log import LimitFilter
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent

def article(title="Bản tin thử nghiệm", body="Nội dung bản tin thử nghiệm của phường.", **fields) -> str:
    """Markdown source of an article; ``fields`` override or add header lines
    (a value of None removes the line)."""
    header = {
        "Title": title,
        "Date": "2022-06-10 15:30",
        "Category": "Tin tức - Sự kiện",
        "Summary": "Bản tin thử nghiệm.",
    }
    header.update(fields)
    lines = [f"{key}: {value}" for key, value in header.items() if value is not None]
    return "\n".join(lines) + "\n\n" + body + "\n"


@dataclasses.dataclass
class Build:
    output: Path
    content: Path
    errors: list  # content_errors.ContentError
    failed: bool  # a strict build raised StrictBuildFailed

    def html(self, relative: str) -> BeautifulSoup:
        return BeautifulSoup((self.output / relative).read_text(encoding="utf-8"), "lxml")

    def text(self, relative: str) -> str:
        return (self.output / relative).read_text(encoding="utf-8")


def write_files(base: Path, files: dict[str, str | bytes]) -> None:
    for relative, data in files.items():
        path = base / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


def file_tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative path -> bytes), to compare two builds."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def settings_for(content: Path, output: Path, **overrides):
    """Pelican settings from pelicanconf.py for a site under another folder."""
    override = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "CACHE_PATH": str(output.parent / "cache"),
        **overrides,
    }
    return read_settings(str(ROOT / "pelicanconf.py"), override=override)


def run_pelican(settings, cwd: Path | None = None) -> None:
    """Build in-process as ``pelican`` does in a process of its own: from
    ``cwd`` (error paths are shown relative to the working directory) and
    with Pelican's log deduplication forgotten. Its ``LimitFilter`` drops a
    message at WARNING or below already logged in the process, so a second
    build in one test process could lose a line a test reads (two builds
    whose timing lines happened to round alike)."""
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    before = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        Pelican(settings).run()
    finally:
        os.chdir(before)


def run_make(*args: str, cwd: Path = ROOT, env: dict | None = None, timeout: int = 600):
    """Run ``make`` in the project with the venv's Python first on PATH."""
    full_env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", **(env or {})}
    return subprocess.run(
        ["make", "--no-print-directory", *args], cwd=cwd, env=full_env,
        capture_output=True, text=True, timeout=timeout, check=False,
    )


# A build in a process of its own, as `make html` runs it (tools/run_pelican.py
# is Pelican's command line, leaving at once when done).
PELICAN = [sys.executable, str(ROOT / "tools" / "run_pelican.py")]


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def build_demo(output: Path, *settings: str) -> Path:
    """Build the demo content strictly into ``output``; ``settings`` are more
    ``-e`` overrides (``'SEARCH={"SHARD_PAGES": 4}'``), given after one ``-e``:
    Pelican keeps only the last ``-e`` of a command line."""
    result = subprocess.run(
        [*PELICAN, str(ROOT / "content"), "-o", str(output),
         "-s", str(ROOT / "pelicanconf.py"), "-e", "STRICT_BUILD=true", *settings, "--log-handler", "plain"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, f"demo site failed to build strictly:\n{result.stdout}\n{result.stderr}"
    return output
