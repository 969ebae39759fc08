"""Content hashes for asset URLs. Pure logic, no Pelican import."""

from __future__ import annotations

import hashlib
import os


def content_hash(path: str, length: int) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:length]


def find_static(folders: list[str], relative: str) -> str | None:
    """The first ``folder/relative`` that is a file (later theme static
    paths are copied over earlier ones by Pelican, so search in reverse)."""
    for folder in reversed(folders):
        path = os.path.join(folder, relative)
        if os.path.isfile(path):
            return path
    return None


def asset_url(siteurl: str, static_dir: str, relative: str, path: str, length: int) -> str:
    return f"{siteurl}/{static_dir}/{relative.lstrip('/')}?v={content_hash(path, length)}"
