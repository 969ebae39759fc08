"""Acceptance 7: two builds of the demo site, exactly as `make publish` makes
them (strict build, checks, .gz and .br copies), are byte-identical."""

from __future__ import annotations

from pathlib import Path

from helpers import ROOT
from tools.publish import build_checked

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
        output = build_checked(ROOT / "content", ROOT / "publishconf.py", work)
        assert output is not None, "the demo site failed to build or check"
        builds.append(snapshot(output))
    first, second = builds
    assert len(first) > 100 and any(name.endswith(".br") for name in first)
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []
