"""Log files: which to read, in which order, from where.

A file is known by its *content*, not its name: its fingerprint is a hash of
its first line (after decompression). ``access.log`` renamed to
``access.log.1`` and later gzipped to ``access.log.2.gz`` keeps its
fingerprint, so its stored offset still applies and nothing is counted
twice; a file replaced or truncated and rewritten starts with another line,
so it is a new file and is read from its start. Pure module.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

FIRST_LINE_MAX = 64 * 1024
CHUNK = 4 * 1024 * 1024


@dataclass
class LogFile:
    path: Path
    compressed: bool
    fingerprint: str
    first_line: bytes
    size: int  # on disk (compressed size for .gz)


def is_gzip(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def open_log(path: Path, compressed: bool):
    return gzip.open(path, "rb") if compressed else open(path, "rb")


def inspect(path: Path) -> LogFile | None:
    """A LogFile, or None when the file has no complete first line yet."""
    compressed = is_gzip(path)
    try:
        with open_log(path, compressed) as handle:
            head = handle.read(FIRST_LINE_MAX)
    except (OSError, EOFError, zlib.error):
        head = b""
        if not compressed:
            raise
    end = head.find(b"\n")
    if end < 0:
        if not compressed or not head:
            return None
        end = len(head)  # a finished .gz whose only line has no newline
    first = head[: end + 1]
    digest = hashlib.sha256(first).hexdigest()[:32]
    return LogFile(path, compressed, digest, first.rstrip(b"\r\n"), path.stat().st_size)


def series(patterns: list[str]) -> list[list[Path]]:
    """Each glob's files (one server's rotated series), regular files only."""
    found = []
    for pattern in patterns:
        names = sorted(glob.glob(os.path.expanduser(pattern))) if glob.has_magic(pattern) else [pattern]
        found.append([Path(n) for n in names if os.path.isfile(n)])
    return found


def read_chunks(handle, start: int, final: bool):
    """Yield (chunk, start_offset, end_offset) of whole lines from ``start``.

    A last line without newline is kept for the next run (the server may be
    writing it), unless ``final`` (a compressed file never grows).
    """
    if start:
        handle.seek(start)
    offset, rest = start, b""
    while True:
        block = handle.read(CHUNK)
        if not block:
            break
        block = rest + block
        cut = block.rfind(b"\n") + 1
        if cut == 0:
            rest = block
            if len(rest) > 16 * CHUNK:  # a single absurd line: give it up as one chunk
                yield rest + b"\n", offset, offset + len(rest)
                offset += len(rest)
                rest = b""
            continue
        rest = block[cut:]
        yield block[:cut], offset, offset + cut
        offset += cut
    if final and rest:
        yield rest + b"\n", offset, offset + len(rest)
