"""Run the Pagefind binary shipped by the ``pagefind[extended]`` wheel over
a built site, one process per shard that changed (see shards.py). Pure
module: no Pelican import.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from fastbuild.outputs import write_if_changed
from fastbuild.parallel import map_forked, workers_for
from fastbuild.unchanged import tree_state, walk_files

from . import shards
from .reproducible import canonicalize
from .state import IndexState


class PagefindError(RuntimeError):
    """Pagefind is missing or failed; the message says what to do."""


@dataclass(frozen=True)
class IndexReport:
    pages: int  # pages Pagefind put in the index
    log: str  # Pagefind's own output, for the build log
    written: int = 0  # bundle files that changed
    removed: int = 0  # bundle files no longer part of it
    shards: int = 1  # bundles the index is split into
    reindexed: int = 1  # shards Pagefind indexed again in this build
    ahead: int = 0  # of which started ahead of the end of the build (see start_early)


def executable() -> Path:
    """Path of the Pagefind binary inside the installed wheel (never downloaded)."""
    try:
        from pagefind_bin_extended import get_executable  # noqa: PLC0415 (optional at import time)
    except ImportError as error:
        raise PagefindError(
            "the Pagefind binary is not installed: requirements.txt pins pagefind[extended] "
            "(pagefind-bin-extended); run `make html` to set up .venv"
        ) from error
    return get_executable()


BODY_MARKER = b"data-pagefind-body"
SHARD_LIST = "shards.json"  # in the bundle: the shard folders the search page merges


def command(binary: Path, site: Path, language: str, bundle: Path, exclude: Sequence[str] = ()) -> list[str]:
    """Pagefind's command line: index the pages under ``site`` into ``bundle``."""
    argv = [str(binary), "--site", str(site), "--output-path", str(bundle), "--force-language", language]
    for selector in exclude:
        argv += ["--exclude-selectors", selector]
    return argv


def scan(site: Path, bundle_dir: str, known: dict[str, tuple[int, int, bool]] | None = None,
         workers: int = 0, listed: dict[str, tuple[int, int]] | None = None) -> dict[str, tuple[int, int, bool]]:
    """Every HTML page under ``site`` outside the bundle: its path relative to
    ``site`` -> (size, mtime in ns, has a ``data-pagefind-body``). A page whose
    size and mtime are those in ``known`` is not read again; the others are
    read on every core when there are many (a new article or a day's visitor
    count rewrites every page: 7,100 files at 5,000 articles). ``listed``:
    every file under ``site`` with its size and mtime, as fastbuild keeps
    them up to date in a build (``fastbuild.output_now``), instead of a walk
    of ``site`` (0.1-0.15 s at 5,000 articles)."""
    known = known or {}
    found: dict[str, tuple[int, int, bool] | None] = {}
    unknown = []
    for relative, size, mtime in _html_files(site, bundle_dir, listed):
        before = known.get(relative)
        if before and before[:2] == (size, mtime):
            found[relative] = before
            continue
        found[relative] = None  # keeps the order the pages were found in
        unknown.append((relative, size, mtime))
    states = map_forked(lambda item: _page_state(site / item[0], item[1], item[2]), unknown,
                        workers_for(workers, len(unknown), minimum_items=400), chunksize=64)
    for (relative, _, _), state in zip(unknown, states, strict=True):
        found[relative] = state
    return found


def _html_files(site: Path, bundle_dir: str, listed: dict[str, tuple[int, int]] | None):
    """(relative path, size, mtime in ns) of the HTML files under ``site``
    outside the bundle, from ``listed`` or a walk (the order is not used:
    :func:`to_index` sorts)."""
    if listed is not None:
        inside = bundle_dir.strip("/") + "/"
        for relative, (size, mtime) in listed.items():
            if relative.endswith(".html") and not relative.startswith(inside):
                yield relative, size, mtime
        return
    for relative, entry in walk_files(str(site), skip=[str(site / bundle_dir)]):
        if relative.endswith(".html") and entry.is_file():
            status = entry.stat()
            yield relative, status.st_size, status.st_mtime_ns


def _page_state(path, size: int, mtime: int) -> tuple[int, int, bool]:
    """(size, mtime in ns, has a ``data-pagefind-body``) of the page at ``path``."""
    with open(path, "rb") as handle:
        return size, mtime, BODY_MARKER in handle.read()


def to_index(pages: dict[str, tuple[int, int, bool]]) -> list[str]:
    """The pages Pagefind should read: those with a ``data-pagefind-body``
    (the only ones it indexes; it would parse every other page, the long
    lists included, only to skip it), or every page of a site where none has
    one (no article or page yet), as Pagefind itself would."""
    marked = [path for path, (_, _, has_body) in pages.items() if has_body]
    return sorted(marked or pages)


_BODY_TAG = re.compile(rb"<body[\s>]")
_TAG_NAME = re.compile(rb"<([a-z][\w-]*)")
_H1 = re.compile(rb"<h1[\s>/]")
_IGNORE_ALL = b'data-pagefind-ignore="all"'


def _element_end(lower: bytes, start: int) -> int:
    """Where the element whose start tag begins at ``start`` ends (just past
    its end tag), counting nested elements of the same name; -1 when that
    cannot be told (no end tag: a void element, or broken HTML)."""
    name = _TAG_NAME.match(lower, start)
    if name is None:
        return -1
    depth = 0
    for tag in re.finditer(rb"</?" + re.escape(name.group(1)) + rb"[\s>/]", lower[start:]):
        depth += -1 if tag.group().startswith(b"</") else 1
        if depth == 0:
            return lower.find(b">", start + tag.end() - 1) + 1
    return -1


def _ignored_parts(lower: bytes, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the elements between ``start`` and ``end`` marked
    ``data-pagefind-ignore="all"`` (their text, filters and metadata are
    nothing to Pagefind), outermost only."""
    spans, at = [], start
    while (marker := lower.find(_IGNORE_ALL, at, end)) >= 0:
        element = lower.rfind(b"<", start, marker)
        closed = _element_end(lower, element) if element >= 0 and lower.find(b">", element, marker) < 0 else -1
        if 0 < closed <= end:
            spans.append((element, closed))
            at = closed
        else:
            at = marker + len(_IGNORE_ALL)
    return spans


def strip_for_index(page: bytes) -> bytes | None:
    """The page cut down to its ``<head>`` and its ``data-pagefind-body``
    element, which is all Pagefind indexes on such a page; it then works a
    third less (it parses every page whole), and a page rendered again for
    its sidebar (the visitor counter, the latest news) gives the same bytes.
    The elements inside marked ``data-pagefind-ignore="all"`` are cut out
    too (the view count and rating). None when the page does not plainly
    have one such element, or has something outside it that Pagefind could
    read (a ``data-pagefind-*`` attribute, an ``<h1>`` it could take as the
    title): that page is indexed whole. The one change: Pagefind no longer
    takes a photo from outside the article (a sidebar thumbnail) as the
    page's image. Searched with ``bytes.find`` in a lower-case copy (HTML
    names ignore case), about 0.1 ms a page."""
    lower = page.lower()
    marker = lower.find(b"data-pagefind-body")
    if marker < 1 or not lower[marker - 1:marker].isspace() or lower.find(b"data-pagefind-body", marker + 1) >= 0:
        return None
    body_tag = _BODY_TAG.search(lower)
    start = lower.rfind(b"<", 0, marker)
    if body_tag is None or start < body_tag.start() or lower.find(b">", start) < marker:
        return None
    end = _element_end(lower, start)
    if end <= 0 or lower.find(b"<script", start, end) >= 0:
        return None
    for low, high in ((body_tag.start(), start), (end, len(lower))):
        if lower.find(b"data-pagefind-", low, high) >= 0 or _H1.search(lower, low, high):
            return None
    kept, at = [page[:body_tag.start()], b"<body>"], start
    for cut_from, cut_to in _ignored_parts(lower, start, end):
        kept.append(page[at:cut_from])
        at = cut_to
    return b"".join([*kept, page[at:end], b"</body></html>"])


def _stage_page(site: Path, page: str, staging: Path) -> str:
    """Mirror ``page`` (relative to ``site``) under ``staging`` as Pagefind
    will read it (cut down by :func:`strip_for_index`, else whole), writing
    only when the staged bytes differ; return their digest."""
    data = (site / page).read_bytes()
    staged = strip_for_index(data) or data
    write_if_changed(str(staging / page), staged)
    return hashlib.blake2b(staged, digest_size=16).hexdigest()


def _stage(site: Path, plan: list[list[str]], pages: dict[str, tuple[int, int, bool]], root: Path,
           state: IndexState, workers: int, only: Sequence[int] | None = None) -> dict[int, dict[str, str]]:
    """Stage the pages of the shards of ``plan`` (shard n's under
    ``root/site<n>``; all shards, or those numbered in ``only``) and return,
    per shard number, each page's staged digest: what a shard is indexed
    from (see :func:`_shards`). ``state`` records each staged page's size
    and mtime in the output and its digest: a page as it was is not read
    again, a page whose staged bytes are those already there keeps its file
    and digest (a page rendered again only for its sidebar, such as the
    visitor counter, does not make its shard indexed again), and a page no
    longer of the shard is removed. Pages are cut down on every core
    (Python work) before any Pagefind starts. A shard's record is dropped
    while its folder changes, so an interrupted staging starts that shard
    again whole."""
    items, records = [], {}
    for number, paths in enumerate(plan):
        if only is not None and number not in only:
            continue
        folder, known = root / f"site{number}", state.staged(number)
        if known is None or not folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            known = {}
        kept = {page: entry for page, entry in known.items() if page in pages and entry[:2] == pages[page][:2]}
        todo = [page for page in paths if page not in kept]
        gone = set(known) - set(paths)
        changed = bool(todo or gone) or not known
        if changed:
            state.staging(number)
            for page in gone:
                (folder / page).unlink(missing_ok=True)
            folder.mkdir(parents=True, exist_ok=True)
            items += [(number, folder, page) for page in todo]
        records[number] = (changed, {page: kept[page] for page in paths if page in kept})
    digests = map_forked(lambda item: _stage_page(site, item[2], item[1]), items,
                         workers_for(workers, len(items), minimum_items=400), chunksize=64)
    for (number, _, page), digest in zip(items, digests, strict=True):
        records[number][1][page] = (*pages[page][:2], digest)
    for number, (changed, staged) in records.items():
        if changed:
            state.staged_whole(number, staged)
    return {number: {page: staged[page][2] for page in plan[number]} for number, (_, staged) in records.items()}


def staging_folder(state_path: str | None) -> Path | None:
    """Where staged pages are kept between builds: beside the index state
    (``search.sqlite`` -> ``search-staged/``); None without a state."""
    return Path(state_path).with_name(Path(state_path).stem + "-staged") if state_path else None


def scratch_folder(site: Path) -> Path:
    """Where Pagefind's input and output are staged: memory (/dev/shm) when
    there is one, since Pagefind writes one file per page and this folder is
    thrown away after each build; else next to the output folder."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return shm
    return site.resolve().parent


def _others(folder: Path, top_level_kept: Callable[[str], bool] | None) -> list[str]:
    """The top-level entries of ``folder`` that ``top_level_kept`` claims
    (other shards' folders), as the absolute paths ``walk_files`` skips."""
    if not top_level_kept or not folder.is_dir():
        return []
    return [str(entry) for entry in folder.iterdir() if top_level_kept(entry.name)]


def _own_files(folder: Path, top_level_kept: Callable[[str], bool] | None = None) -> list[str]:
    """The files under ``folder`` (relative paths), except those under the
    top-level entries ``top_level_kept`` claims."""
    if not folder.is_dir():
        return []
    return [relative for relative, _ in walk_files(str(folder), skip=_others(folder, top_level_kept))]


def sync(source: Path, target: Path, top_level_kept: Callable[[str], bool] | None = None) -> tuple[int, int]:
    """Make ``target`` hold exactly the files of ``source``, writing only the
    files whose bytes differ (most of a Pagefind bundle is named after its
    content, so an edit changes a few files); return (written, removed).
    Top-level entries of ``target`` for which ``top_level_kept`` is true
    (other shards' folders) are left alone."""
    wanted = _own_files(source)
    written = sum(write_if_changed(str(target / relative), (source / relative).read_bytes()) for relative in wanted)
    stale = set(_own_files(target, top_level_kept)) - set(wanted)
    for relative in stale:
        (target / relative).unlink()
    # Emptied folders go too, but never inside another shard's folder, which
    # may be being written by another thread at this moment.
    own = [entry for entry in (target.iterdir() if target.is_dir() else ())
           if entry.is_dir() and not (top_level_kept and top_level_kept(entry.name))]
    for folder in sorted((p for entry in own for p in [entry, *entry.rglob("*")] if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return written, len(stale)


def tree_digest(folder: Path, top_level_kept: Callable[[str], bool] | None = None) -> str:
    """The names, sizes and mtimes of a shard's files as one hash (the top-level
    entries ``top_level_kept`` claims are other shards'): it changes when
    anything touched the bundle since it was written."""
    return tree_state(str(folder), skip=_others(folder, top_level_kept))


# What a merged shard needs (pagefind.js loads the rest from the main bundle).
SHARD_FILES = ("pagefind-entry.json", ".pf_meta", "index", "fragment", "filter")


def _strip_to_index(bundle: Path) -> None:
    """Drop Pagefind's scripts, styles and WebAssembly from a secondary shard."""
    for entry in bundle.iterdir():
        if not any(entry.name == keep or entry.name.endswith(keep) for keep in SHARD_FILES):
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def _code_version() -> str:
    """The Pagefind binary's version and this plugin's code: an index made by
    other code is made again."""
    digest = hashlib.sha256()
    try:
        from importlib.metadata import version  # noqa: PLC0415

        digest.update(version("pagefind-bin-extended").encode())
    except Exception:  # not installed: executable() says what to do
        pass
    here = Path(__file__).parent
    for name in ("pagefind.py", "reproducible.py", "shards.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


@dataclass
class _Shard:
    number: int
    pages: list[str]
    inputs: str  # digest of what it is made from
    target: Path  # its folder in the output
    kept: Callable[[str], bool] | None  # top-level entries of target that belong to other shards
    direct: bool = False  # Pagefind writes straight into target (see build_index)
    early: EarlyShard | None = None  # Pagefind already running on these inputs (see start_early)
    log: str = ""
    written: int = 0
    removed: int = 0


def _index_shard(shard: _Shard, site: Path, language: str, exclude: Sequence[str], staging_root: Path,
                 work: Path, timeout: int) -> None:
    if shard.early is not None:  # started by start_early on these very pages
        fresh = shard.early.fresh
        returncode, shard.log = shard.early.wait(timeout)
    else:
        staging = staging_root / f"site{shard.number}"  # see _stage
        fresh = shard.target if shard.direct else work / f"bundle{shard.number}"
        argv = command(executable(), staging, language, fresh, exclude)
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PagefindError(f"could not run {argv[0]}: {error}") from error
        returncode, shard.log = done.returncode, (done.stdout + done.stderr).strip()
    if returncode != 0:
        raise PagefindError(f"pagefind exited with status {returncode} (shard {shard.number}):\n{shard.log}")
    canonicalize(fresh)  # the same pages give the same bytes
    if shard.number:
        _strip_to_index(fresh)
    if shard.direct:
        shard.written, shard.removed = len(_own_files(fresh)), 0
    else:
        shard.written, shard.removed = sync(fresh, shard.target, shard.kept)
        shutil.rmtree(fresh, ignore_errors=True)


def _shards(plan: list[list[str]], staged: dict[int, dict[str, str]], bundle: Path, language: str,
            exclude: Sequence[str]) -> list[_Shard]:
    """The shards of ``plan`` that were staged, each with the digest of its
    inputs: the code and settings, the shard count, and its pages' paths and
    staged bytes (see :func:`_stage`)."""
    config = hashlib.sha256(repr((_code_version(), language, list(exclude), len(plan))).encode()).hexdigest()
    made = []
    for number, paths in enumerate(plan):
        if number not in staged:
            continue
        digest = hashlib.sha256(f"{config}\0{number}\n".encode())
        for path in paths:
            digest.update(f"{path}\0{staged[number][path]}\n".encode())
        kept = (lambda name: shards.is_shard_folder(name) or name == SHARD_LIST) if number == 0 else None
        made.append(_Shard(number, paths, digest.hexdigest(), bundle / shards.folder(number), kept))
    return made


class EarlyShard:
    """Pagefind running on one shard ahead of the end of the build (see
    :func:`start_early`), writing its bundle into a scratch folder of its own."""

    def __init__(self, shard: _Shard, staging: Path, language: str, exclude: Sequence[str], work: Path) -> None:
        self.number, self.inputs, self.work, self.fresh = shard.number, shard.inputs, work, work / "bundle"
        self.argv = command(executable(), staging, language, self.fresh, exclude)
        self._output = open(work / "pagefind.log", "w+", encoding="utf-8")
        try:
            self._process = subprocess.Popen(self.argv, stdout=self._output, stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL)
        except OSError:
            self._output.close()
            raise

    def wait(self, timeout: int) -> tuple[int, str]:
        """Pagefind's exit status and output, once it is done."""
        try:
            status = self._process.wait(timeout)
        except subprocess.TimeoutExpired as error:
            self.cancel()
            raise PagefindError(f"could not run {self.argv[0]}: {error}") from error
        self._output.seek(0)
        return status, self._output.read().strip()

    def cancel(self) -> None:
        """Stop Pagefind if it still runs, and remove the scratch folder."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._output.close()
        shutil.rmtree(self.work, ignore_errors=True)


def start_early(site: Path, language: str, bundle_dir: str, exclude: Sequence[str], per_shard: int,
                state_path: str, changed: Sequence[str]) -> list[EarlyShard]:
    """Start Pagefind now on the shards of the ``changed`` pages (relative
    to ``site``, just written), taking the other pages to be as the last
    indexing recorded them, and return the running shards for
    :func:`build_index`. An edit's own page is written before the rest of
    the build decides which other pages change (render signatures), so its
    shard's Pagefind (1.5 s at 600 pages) runs meanwhile; :func:`build_index`
    uses a shard's bundle only if the shard's inputs are still those
    (a title edit rewrites every page: the early bundle is dropped). Nothing
    is started on a first build, or for a shard folder not made yet."""
    state = IndexState(state_path, str(site))
    try:
        pages, before = state.pages(), state.shards()
        changed = [page for page in changed if page.endswith(".html")]
        if not pages or not changed:
            return []
        for page in changed:
            try:
                info = (site / page).stat()
                pages[page] = _page_state(site / page, info.st_size, info.st_mtime_ns)
            except OSError:
                continue
        plan = shards.plan(to_index(pages), per_shard)
        wanted = set(changed)
        staging_root = staging_folder(state_path)
        touched = [number for number, paths in enumerate(plan) if not wanted.isdisjoint(paths)]
        staged = _stage(site, plan, pages, staging_root, state, 1, only=touched)
    finally:
        state.close()
    started = []
    for shard in _shards(plan, staged, site / bundle_dir, language, exclude):
        if not shard.target.is_dir() or before.get(shard.number, ("",))[0] == shard.inputs:
            continue  # not made yet (a cold build), or what it indexes is as it was
        work = Path(tempfile.mkdtemp(prefix="pagefind-early-", dir=scratch_folder(site)))
        try:
            started.append(EarlyShard(shard, staging_root / f"site{shard.number}", language, exclude, work))
        except BaseException:  # no Pagefind (the end of the build says so) or no process: no scratch folder left
            shutil.rmtree(work, ignore_errors=True)
            for ahead in started:
                ahead.cancel()
            raise
    return started


def _changed_shards(planned: list[_Shard], before: dict[int, tuple[str, str]],
                    early: dict[int, EarlyShard]) -> tuple[list[_Shard], dict[int, tuple[str, str]]]:
    """The shards to index again (those whose inputs or bundle files are not
    as ``before`` recorded them), each given the shard of ``early`` started
    on the same inputs; and the records of the others. The early shards left
    in ``early`` (their pages changed again since) are stopped."""
    todo, recorded = [], {}
    for shard in planned:
        number, kept = shard.number, shard.kept
        if before.get(number) == (shard.inputs, tree_digest(shard.target, kept)):
            recorded[number] = before[number]
            continue
        # A shard folder that does not exist yet (a cold build) is written
        # by Pagefind itself: there is nothing in it to keep, and copying
        # the bundle over from the scratch folder would cost as much again.
        # It is made now, before any shard is synced: the main shard's sync
        # leaves alone the shard folders it sees, and one made while it
        # walks the bundle would have its files taken for stale ones.
        shard.direct = number > 0 and not shard.target.exists()
        if shard.direct:
            shard.target.mkdir(parents=True)
        ahead = early.get(number)
        if ahead is not None and ahead.inputs == shard.inputs and not shard.direct:
            shard.early = early.pop(number)  # started on these very pages: its bundle is this one's
        todo.append(shard)
    for ahead in early.values():  # started on pages staged differently since: its bundle is not this one
        ahead.cancel()
    early.clear()
    return todo, recorded


def build_index(site: Path, language: str, bundle_dir: str, exclude: Sequence[str] = (),
                per_shard: int = 1000, state_path: str | None = None, workers: int | None = None,
                timeout: int = 600, early: Sequence[EarlyShard] = (),
                listed: dict[str, tuple[int, int]] | None = None) -> IndexReport:
    """Index the pages of ``site`` that have a body to index into
    ``site/bundle_dir``, split into shards (see shards.py); ``shards.json``
    in the bundle lists the folders the search page merges. Only shards
    whose pages as staged (or bundle files) changed since the last build
    recorded in ``state_path`` are indexed again. Pagefind reads a staged copy of a
    shard's pages (kept beside the state, see :func:`_stage`) and writes a
    fresh bundle in a scratch folder (see :func:`scratch_folder`); the
    bundle is made reproducible, then synced into place file by file.
    ``early``: shards :func:`start_early` started; each is used if its
    inputs are those of its shard now, else stopped. ``listed``: see
    :func:`scan`."""
    bundle = site / bundle_dir
    state = IndexState(state_path, str(site))
    early = {shard.number: shard for shard in early}
    todo: list[_Shard] = []
    try:
        pages = scan(site, bundle_dir, state.pages(), workers or 0, listed)
        before = state.shards()
        plan = shards.plan(to_index(pages), per_shard)
        with tempfile.TemporaryDirectory(prefix="pagefind-", dir=scratch_folder(site)) as work:
            staging_root = staging_folder(state_path) or Path(work)
            staged = _stage(site, plan, pages, staging_root, state, workers or 0)
            state.forget_staged_from(len(plan))
            for stale in staging_root.glob("site*"):  # shards the plan no longer has, older records
                number = stale.name[4:]
                if stale.suffix == ".json" or (number.isdigit() and int(number) >= len(plan)):
                    shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
            todo, recorded = _changed_shards(_shards(plan, staged, bundle, language, exclude), before, early)
            with ThreadPoolExecutor(max_workers=max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))) as pool:
                for future in [pool.submit(_index_shard, shard, site, language, exclude, staging_root, Path(work),
                                           timeout) for shard in todo]:
                    future.result()
        removed = sum(shard.removed for shard in todo)
        for entry in sorted(bundle.iterdir()) if bundle.is_dir() else ():
            if entry.is_dir() and shards.is_shard_folder(entry.name) and int(entry.name[1:]) >= len(plan):
                removed += len(_own_files(entry))
                shutil.rmtree(entry)
        listing = json.dumps({"shards": [shards.folder(n) for n in range(1, len(plan))]}).encode()
        written = sum(shard.written for shard in todo) + write_if_changed(str(bundle / SHARD_LIST), listing)
        for shard in todo:
            recorded[shard.number] = (shard.inputs, tree_digest(shard.target, shard.kept))
        state.save(pages, recorded)
    finally:
        state.close()
        for ahead in [*early.values(), *(shard.early for shard in todo if shard.early)]:
            ahead.cancel()  # after an error; for those used, only their scratch folder
    log = "\n".join(f"[shard {shard.number}] {shard.log}" for shard in todo)
    return IndexReport(sum(len(paths) for paths in plan), log, written, removed, len(plan), len(todo),
                       sum(1 for shard in todo if shard.early))
