"""Acceptance 7: two builds of the demo site, as `make publish` makes them
(strict build with publishconf.py, .gz and .br copies), each with a fresh
cache (so photos are processed twice), are byte-identical."""

from __future__ import annotations

from pathlib import Path

from helpers import ROOT
from tools.publish import DEFAULTS, build, compress_tree

# Outputs allowed to differ between builds (none today; the statistics
# outputs would go here if they were built from a changing access log).
EXCEPTIONS: tuple[str, ...] = ()


def snapshot(output: Path) -> dict[str, bytes]:
    return {str(p.relative_to(output)): p.read_bytes() for p in sorted(output.rglob("*"))
            if p.is_file() and not str(p.relative_to(output)).startswith(EXCEPTIONS or ("\0",))}


def test_two_demo_builds_are_byte_identical(tmp_path):
    builds = []
    for name in ("first", "second"):
        work = tmp_path / name
        work.mkdir()
        output = work / "output"
        assert build(ROOT / "content", output, ROOT / "publishconf.py", cache=work / "cache")
        compress_tree(output, DEFAULTS["COMPRESS_EXTENSIONS"])
        builds.append(snapshot(output))
    first, second = builds
    assert len(first) > 100 and any(name.endswith(".br") for name in first)
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []
