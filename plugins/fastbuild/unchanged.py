"""Skipping a build in which nothing changed.

A rebuild whose inputs are exactly those of the last successful build, into
an ``output/`` exactly as that build left it, would write the same bytes
again: it is skipped. Inputs are the build fingerprint (settings, plugin and
theme code, library versions), the name, size and modification time of every
file under the content folder and of the extra input files (access logs,
vendored scripts: ``FASTBUILD["INPUTS"]``), and today's date (a build on a
new day runs, for anything that depends on the clock). ``output/`` is checked
file by file against the list the last build left, so a page deleted or
edited by hand, or rewritten by another command (``make stats``), makes the
next build run.

The record is one JSON file next to the content cache, written only after a
build that finished without content errors (so a build with errors runs, and
reports them, every time). Pure logic, no Pelican import.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
import os


def walk_files(root: str, skip=()):
    """Yield (path relative to ``root`` with ``/``, ``os.DirEntry``) for
    every file under ``root``: a folder's files in name order, then its
    subfolders in name order, depth first (``skip``:
    absolute paths of files and folders inside it that are left out).
    Walked with ``os.scandir``, whose entries carry what ``stat`` needs
    without joining or relativising paths again."""
    skip = {os.path.abspath(path) for path in skip}
    pending = [(os.path.abspath(root), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        subfolders = []
        for entry in entries:
            if entry.path in skip:
                continue
            if entry.is_dir(follow_symlinks=False):
                subfolders.append((entry.path, prefix + entry.name + "/"))
            else:
                yield prefix + entry.name, entry
        pending.extend(reversed(subfolders))


def tree_state(root: str, skip=()) -> str:
    """Hash of the relative path, size and mtime of every file under ``root``
    (``skip``: absolute paths of files and folders inside it that are left
    out)."""
    if not os.path.isdir(root):
        return "missing"
    digest = hashlib.sha256()
    for relative, entry in walk_files(root, skip):
        try:
            info = entry.stat()
        except OSError:
            continue
        name = relative.encode("utf-8", "surrogateescape")
        digest.update(name + f"\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def files_state(patterns) -> str:
    """Hash of the size and mtime of the files the glob ``patterns`` match now."""
    digest = hashlib.sha256()
    for pattern in patterns:
        digest.update(f"pattern {pattern}\n".encode("utf-8", "surrogateescape"))
        for path in sorted(glob.glob(os.path.expanduser(pattern), recursive=True)):
            try:
                info = os.stat(path)
            except OSError:
                continue
            digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def inputs_state(fingerprint: str, content_root: str, output_root: str, patterns, today: dt.date | None = None) -> str:
    """Everything a build reads, as one hash."""
    parts = [
        fingerprint,
        os.path.abspath(output_root),
        # An output folder inside the content folder is not an input.
        tree_state(content_root, skip=[output_root]),
        files_state(patterns),
        (today or dt.date.today()).isoformat(),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def load(record_path: str) -> dict:
    try:
        with open(record_path, encoding="utf-8") as handle:
            record = json.load(handle)
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def output_files(output_root: str) -> list[list]:
    """[relative path, size, mtime_ns] of every file under ``output_root``."""
    found = []
    for relative, entry in walk_files(output_root):
        try:
            info = entry.stat()
        except OSError:
            continue
        found.append([relative, info.st_size, info.st_mtime_ns])
    return found


def save(record_path: str, inputs: str, outputs: list[list]) -> None:
    os.makedirs(os.path.dirname(record_path), exist_ok=True)
    temporary = record_path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        # dumps, not dump: only the one-shot encoder is the C one (0.15 s at 5,000 articles)
        handle.write(json.dumps({"inputs": inputs, "outputs": outputs}))
    os.replace(temporary, record_path)


def forget(record_path: str) -> None:
    """Drop the record: the next build runs whatever happens."""
    try:
        os.remove(record_path)
    except FileNotFoundError:
        pass


def is_unchanged(record: dict, inputs: str, output_root: str) -> bool:
    """Whether a build with ``inputs`` into ``output_root`` would change
    nothing: same inputs, and every file the last build left in ``output_root``
    still there with its size and mtime. The recorded files are looked up one
    by one rather than the folder walked (a folder per article makes walking
    slow); a file added by hand is not noticed, and a build would not remove
    it either."""
    if not record or record.get("inputs") != inputs or not isinstance(record.get("outputs"), list):
        return False
    root = os.path.abspath(output_root)
    for relative, size, mtime in record["outputs"]:
        try:
            info = os.stat(os.path.join(root, relative))
        except OSError:
            return False
        if info.st_size != size or info.st_mtime_ns != mtime:
            return False
    return True
