"""Run the image work for a whole site: hash, look up the cache, process the
rest in parallel, copy the derivatives next to where the photo would be.

Pure logic, no Pelican import (the plugin and bench/images.py both use it).
"""

from __future__ import annotations

import dataclasses
import json
import os
import posixpath
import shutil
from concurrent.futures import ProcessPoolExecutor

from . import plan
from .cache import Cache
from .process import Job, Result, process


@dataclasses.dataclass
class Counts:
    processed: int = 0
    cached: int = 0
    failed: int = 0


class Pipeline:
    """``settings`` is a checked IMAGES dict; ``cache_dir`` holds the cache;
    ``settings["SEED_CACHE_DIR"]``, if set, is a cache only read from;
    derivatives are published under ``output_dir``."""

    def __init__(self, settings: dict, cache_dir: str, output_dir: str) -> None:
        self.settings = settings
        self.cache_dir = cache_dir
        self.seed_dir = settings.get("SEED_CACHE_DIR") or None
        self.source_dirs: dict[str, str] = {}  # cache key -> folder holding its files
        self.output_dir = output_dir
        self.fingerprint = plan.fingerprint(settings)
        self.results: dict[str, Result] = {}  # content-relative path -> result
        self.counts = Counts()
        self.published: set[str] = set()  # derivatives put in output/ (relative paths)

    def run(self, sources: dict[str, str]) -> dict[str, Result]:
        """Process ``{content-relative path: file on disk}``; return results
        for them (also kept in ``self.results``)."""
        todo = {rel: path for rel, path in sources.items() if rel not in self.results}
        if not todo:
            return {rel: self.results[rel] for rel in sources}
        cache = Cache(self.cache_dir)
        seed = Cache(self.seed_dir, readonly=True) if self.seed_dir else None
        try:
            jobs: list[tuple[str, Job]] = []
            for rel, path in sorted(todo.items()):
                if not os.path.isfile(path):
                    self.results[rel] = Result("", error="missing")
                    self.counts.failed += 1
                    continue
                key = plan.cache_key(cache.source_hash(path), self.fingerprint)
                cached = self._lookup(key, cache, seed)
                if cached is not None:
                    self.results[rel] = cached
                    self.counts.cached += 1
                    continue
                stem = os.path.splitext(posixpath.basename(rel))[0]
                jobs.append((rel, Job(path, key, cache.files_dir(key), stem, self.settings)))
            for (rel, _job), result in zip(jobs, self._map([job for _, job in jobs]), strict=True):
                self.results[rel] = result
                if result.error:
                    self.counts.failed += 1
                else:
                    self.counts.processed += 1
                cache.put(result)
        finally:
            cache.close()
            if seed is not None:
                seed.close()
        for rel in todo:
            result = self.results[rel]
            if not result.error:
                self._publish(rel, result)
        return {rel: self.results[rel] for rel in sources}

    def _lookup(self, key: str, cache: Cache, seed: Cache | None) -> Result | None:
        """The cached result for ``key``: from this build's cache, else the seed's."""
        found = cache.get(key)
        if found is None and seed is not None:
            found = seed.get(key)
            if found is not None:
                self.source_dirs[key] = seed.files_dir(key)
        return found

    def _map(self, jobs: list[Job]):
        workers = min(plan.worker_count(self.settings), len(jobs))
        if workers <= 1:
            return [process(job) for job in jobs]
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(process, jobs))

    def _publish(self, rel: str, result: Result) -> None:
        """Copy the derivatives from the cache into output/ (copies, not
        links: a later step that edits output/ must not change the cache)."""
        folder = os.path.join(self.output_dir, *posixpath.dirname(rel).split("/"))
        os.makedirs(folder, exist_ok=True)
        source_dir = self.source_dirs.get(result.key) or os.path.join(self.cache_dir, "files", result.key)
        for derivative in result.derivatives:
            source = os.path.join(source_dir, derivative.name)
            target = os.path.join(folder, derivative.name)
            self.published.add(os.path.relpath(target, self.output_dir).replace(os.sep, "/"))
            if os.path.exists(target) and os.path.getsize(target) == derivative.bytes:
                continue  # the name holds the cache key: same name and size, same file
            shutil.copyfile(source, target)

    def remove_unpublished(self) -> list[str]:
        """Delete the derivatives the previous build into this output folder
        published and this one did not (a replaced or removed photo's), as a
        cold build would not have them; remember this build's. Return what
        was removed."""
        record_path = os.path.join(self.cache_dir, "published.json")
        try:
            with open(record_path, encoding="utf-8") as handle:
                record = json.load(handle)
        except (OSError, ValueError):
            record = {}
        output = os.path.abspath(self.output_dir)
        removed = []
        for relative in sorted(set(record.get(output, [])) - self.published):
            path = os.path.abspath(os.path.join(output, relative))
            if path.startswith(output + os.sep) and os.path.isfile(path):
                os.remove(path)
                removed.append(relative)
        # Only output folders that still exist are remembered (make check's go away).
        record = {folder: files for folder, files in record.items() if os.path.isdir(folder) and folder != output}
        record[output] = sorted(self.published)
        os.makedirs(self.cache_dir, exist_ok=True)
        with open(record_path + ".tmp", "w", encoding="utf-8") as handle:
            json.dump(record, handle)
        os.replace(record_path + ".tmp", record_path)
        return removed

    def url_path(self, rel: str, name: str) -> str:
        """Path of a derivative under the site root (no leading slash)."""
        folder = posixpath.dirname(rel)
        return f"{folder}/{name}" if folder else name
