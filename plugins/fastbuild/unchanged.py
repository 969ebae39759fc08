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
import time


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


# A folder changed less than this before a listing began may change again
# within the same tick of the file system's clock, its mtime then not
# moving: it is read again at the end of the build (see output_files_since).
RACY_NS = 2_000_000_000


def output_listing(output_root: str) -> dict:
    """What :func:`output_files` gives, by folder, with each folder's mtime
    (taken before the folder is read): the start of the record, listed in a
    forked process while the build begins, and brought up to date at its
    end by :func:`output_files_since`."""
    started = time.time_ns()
    folders: dict[str, int] = {}
    files: dict[str, list[tuple[str, int, int]]] = {}
    _list_into(os.path.abspath(output_root), "", folders, files)
    return {"started": started, "folders": folders, "files": files}


def _list_into(path: str, prefix: str, folders: dict, files: dict) -> None:
    """:func:`_read_folder` for ``path`` and every folder under it."""
    pending = [(path, prefix)]
    while pending:
        pending += _read_folder(*pending.pop(), folders, files)


def _read_folder(path: str, prefix: str, folders: dict, files: dict) -> list[tuple[str, str]]:
    """``folders[prefix]`` (the folder's mtime, taken before it is read) and
    ``files[prefix]`` (its files' names, sizes and mtimes), ``prefix`` being
    its relative path with a trailing ``/`` ("" for the root); return its
    subfolders as (path, prefix). A folder that cannot be read (gone, or no
    longer a folder) is dropped."""
    try:
        mtime = os.stat(path).st_mtime_ns
        entries = list(os.scandir(path))
    except OSError:
        folders.pop(prefix, None)
        files.pop(prefix, None)
        return []
    folders[prefix] = mtime
    here = files[prefix] = []
    subfolders = []
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            subfolders.append((entry.path, prefix + entry.name + "/"))
            continue
        try:
            info = entry.stat()
        except OSError:
            continue
        here.append((entry.name, info.st_size, info.st_mtime_ns))
    return subfolders


def output_files_since(listing: dict, output_root: str, touched) -> list[list]:
    """:func:`output_files` as it would be now, from a :func:`output_listing`
    taken earlier in this build: a folder is read again only when its mtime
    moved (a file or folder was added, removed or renamed in it) or it
    changed shortly before the listing began, and only the ``touched`` files
    (relative paths: written or copied in place meanwhile) are looked at
    again. Stat-ing every folder costs a fifth of walking them all. A file
    rewritten in place by a writer that does not say so keeps its listed
    size and mtime in the record, so the next build runs instead of being
    skipped: never the other way round."""
    root = os.path.abspath(output_root)
    folders, files = listing["folders"], listing["files"]
    if "" not in folders:  # no output folder when the build began
        return output_files(output_root)
    racy = listing["started"] - RACY_NS
    reread = []
    base = os.path.join(root, "")  # joined by hand below: 7,000 folders at 5,000 articles
    for prefix, mtime in list(folders.items()):
        try:
            now = os.stat(base + prefix).st_mtime_ns
        except OSError:
            now = None
        if now is None:
            del folders[prefix], files[prefix]
        elif now != mtime or mtime >= racy:
            reread.append(prefix)
    for prefix in reread:
        _reread(root, prefix, folders, files)
    fresh = set(reread)
    by_folder: dict[str, set[str]] = {}
    for relative in touched:
        folder, _, name = relative.rpartition("/")
        prefix = folder + "/" if folder else ""
        if prefix in folders and prefix not in fresh:
            by_folder.setdefault(prefix, set()).add(name)
    for prefix, names in by_folder.items():
        kept = [item for item in files[prefix] if item[0] not in names]
        for name in names:
            try:
                info = os.stat(os.path.join(root, prefix, name))
            except OSError:
                continue
            kept.append((name, info.st_size, info.st_mtime_ns))
        files[prefix] = kept
    return [[prefix + name, size, mtime] for prefix, listed in files.items() for name, size, mtime in listed]


def _reread(root: str, prefix: str, folders: dict, files: dict) -> None:
    """Read one folder again, and whole any folder in it not listed yet (a
    folder already listed is checked on its own)."""
    for path, inner in _read_folder(os.path.join(root, prefix), prefix, folders, files):
        if inner not in folders:
            _list_into(path, inner, folders, files)


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
