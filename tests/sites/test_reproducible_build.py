"""Acceptance 7: two builds of the demo site, as `make publish` makes them
(strict build with publishconf.py, .gz and .br copies), each with a fresh
cache (so photos and map tiles are processed twice), are byte-identical.

One tolerated difference: Pagefind (the search index) writes its filter
index in the order of a Rust HashMap, random per run (the search plugin now
sorts it), so ``pagefind/filter/*.pf_filter`` and the two files naming it by
hash (``pagefind-entry.json``, ``pagefind.*.pf_meta``) may differ. For those
the test checks the same files exist and each filter holds the same bytes,
in any order. Every other file, the search index and its fragments
included, must be identical."""

from __future__ import annotations

import fnmatch
import gzip

from helpers import ROOT, file_tree
from tools.publish import DEFAULTS, build, compress_tree

PAGEFIND_ORDER = ("pagefind/filter/*", "pagefind/pagefind-entry.json*", "pagefind/pagefind.*.pf_meta*")


def split(files: dict[str, bytes]) -> tuple[dict[str, bytes], dict[str, list[bytes]]]:
    exact, reordered = {}, {pattern: [] for pattern in PAGEFIND_ORDER}
    for name, data in files.items():
        pattern = next((p for p in PAGEFIND_ORDER if fnmatch.fnmatch(name, p)), None)
        if pattern is None:
            exact[name] = data
        else:
            reordered[pattern].append(data)
    return exact, reordered


def test_two_demo_builds_are_byte_identical(tmp_path):
    builds = []
    for name in ("first", "second"):
        work = tmp_path / name
        work.mkdir()
        output = work / "output"
        assert build(ROOT / "content", output, ROOT / "publishconf.py", cache=work / "cache")
        compress_tree(output, DEFAULTS["COMPRESS_EXTENSIONS"])
        builds.append(split(file_tree(output)))
    (first, first_pagefind), (second, second_pagefind) = builds
    assert len(first) > 100 and any(name.endswith(".br") for name in first)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    for pattern in PAGEFIND_ORDER:
        assert len(first_pagefind[pattern]) == len(second_pagefind[pattern]), pattern
    filters = [sorted(gzip.decompress(data)) for data in first_pagefind["pagefind/filter/*"] if data[:2] == b"\x1f\x8b"]
    others = [sorted(gzip.decompress(data)) for data in second_pagefind["pagefind/filter/*"] if data[:2] == b"\x1f\x8b"]
    assert sorted(filters) == sorted(others)
