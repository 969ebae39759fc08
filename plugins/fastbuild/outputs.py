"""Writing only what changed, and removing what is no longer produced.

Pure logic, no Pelican import.
"""

from __future__ import annotations

import io
import os


def holds(path: str, data: bytes) -> bool:
    """Whether the file at ``path`` holds exactly ``data``."""
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


# Files write_if_changed wrote in this process (absolute paths): fastbuild
# forgets them when each build starts and, at its end, stats them again for
# the no-change record instead of walking output/ (see unchanged.output_files_since).
written_here: set[str] = set()


def write_if_changed(path: str, data: bytes, *, atomic: bool = False) -> bool:
    """Write ``data`` to ``path`` unless the file already holds exactly these
    bytes; return True when the file was written. An unchanged file keeps
    its mtime, so rsync and browsers' caches see nothing new. ``atomic``:
    written beside it and renamed into place, so a running service reading
    the file never sees half of it."""
    if holds(path, data):
        return False
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    target = path + ".tmp" if atomic else path
    with open(target, "wb") as handle:
        handle.write(data)
    if atomic:
        os.replace(target, path)
    written_here.add(os.path.abspath(path))
    return True


class ChangedOnlyFile(io.StringIO):
    """A text file opened for writing that reaches the disk on close, and
    only when its content differs from the file already there."""

    def __init__(self, path: str, encoding: str, on_close=None) -> None:
        super().__init__()
        self.path = path
        self.encoding_name = encoding
        self.on_close = on_close
        self.written = None

    def close(self) -> None:
        if not self.closed:
            self.written = write_if_changed(self.path, self.getvalue().encode(self.encoding_name))
            if self.on_close:
                self.on_close(self)
        super().close()


def remove_stale(output_root: str, previous: set[str], current: set[str]) -> list[str]:
    """Delete the files of ``previous`` (paths relative to ``output_root``)
    that this build did not produce, and the folders that become empty.
    Return what was removed."""
    removed = []
    root = os.path.abspath(output_root)
    for relative in sorted(previous - current):
        path = os.path.abspath(os.path.join(root, relative))
        if not path.startswith(root + os.sep) or not os.path.isfile(path):
            continue
        os.remove(path)
        removed.append(relative)
        folder = os.path.dirname(path)
        while folder != root and not os.listdir(folder):
            os.rmdir(folder)
            folder = os.path.dirname(folder)
    return removed
