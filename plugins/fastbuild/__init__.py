"""fastbuild: a full build that uses every core, and rebuilds that do only
what changed, with the same output as a cold build.

- **Content cache** (``CACHE_PATH/fastbuild/cache.sqlite``): each source
  file's read result (HTML after Markdown *and* typogrify, metadata, the
  content errors reported while reading and the side effects the reader
  declared with ``content_errors.remember``) is stored under a key made of
  the file's bytes, its path and a fingerprint of the settings, the plugins'
  and theme's files and the libraries' versions, so any change to those
  invalidates it (Pelican's own cache looks at path and mtime only). A cached
  read replays its errors through ``content_errors.report``, so ``make html``
  and ``make check`` report what a fresh read would; a cached read whose
  local photos appeared or disappeared is read again. (Checks that depend on
  the clock or on other files run after reading, never cached.)
- **Parallel reading**: the files not in the cache are read by forked
  processes, one per core, in the order Pelican asks for them; Pelican
  builds each article from its result while they read the next ones.
- **Typogrify once**: the read result is typogrified before it is cached, so
  a cached read skips it (Pelican would typogrify every build).
- **Parallel rendering**: the pages the generators ask the writer for are
  queued, and rendered once every generator is done, by forked processes
  (one per core) that share the finished context without pickling it; their
  warnings, errors and content errors are logged again by the parent.
- **Writing only what changed**: an output file whose bytes are the same is
  not rewritten (its mtime stays, rsync and browsers see nothing new).
- **Stale files**: a page or static file the previous build produced and
  this one did not (a deleted or renamed article, a document only it
  linked or attached) is removed from ``output/``.
- **Nothing changed, nothing done**: a build whose inputs (fingerprint,
  content files, ``INPUTS``, the date) and ``output/`` are exactly as the last
  successful build left them is skipped (:mod:`.unchanged`).

Settings: ``FASTBUILD`` (see DEFAULTS and README.md in this folder).
"""

from __future__ import annotations

import atexit
import datetime
import functools
import gc
import itertools
import logging
import operator
import os
import re
import shutil
import time
from collections import OrderedDict

import pelican.contents
import pelican.generators
import pelican.urlwrappers
import pelican.utils
from blinker import signal
from jinja2 import FileSystemBytecodeCache
from jinja2.compiler import CodeGenerator
from markupsafe import Markup
from pelican import signals
from pelican.contents import Article, Content, Page
from pelican.generators import ArticlesGenerator, Generator, StaticGenerator
from pelican.readers import _DISCARD, find_empty_alt
from pelican.urlwrappers import Author, Category, Tag, URLWrapper
from pelican.utils import file_suffix
from pelican.writers import Writer

import content_errors
from editorial.figures import resolve_source

from . import objects, outputs, unchanged
from .fingerprint import build_fingerprint, tree_digest
from .outputs import ChangedOnlyFile, holds, remove_stale
from .parallel import Background, ForkedMap, collector, map_forked, workers_for
from .signature import Signer
from .store import Store, read_key

log = logging.getLogger(__name__)

DEFAULTS = {
    # False: the plugin does nothing (Pelican reads and writes as usual).
    "ENABLED": True,
    # Processes that read uncached files; 0 = one per core.
    "WORKERS": 0,
    # Fewer uncached files than this are read in-process (a fork costs more).
    "MIN_PARALLEL": 24,
    # Remove the pages and static files the previous build produced and this one did not.
    "DELETE_STALE": True,
    # Where the cache lives; "" = CACHE_PATH/fastbuild.
    "CACHE_DIR": "",
    # Skip a build when nothing it reads changed and output/ is as the last
    # successful build left it.
    "SKIP_UNCHANGED": True,
    # Files outside the content folder that pages are made from (globs: access
    # logs, vendored scripts): a change to one of them makes the build run.
    "INPUTS": [],
}

# Local files a read result depends on: links Pelican resolves later.
_LINK = re.compile(r"""(?:src|href)=["'](?:\{(?:static|attach)\}|\|(?:static|attach)\|)([^"'#?]+)""")
_WRAPPERS = {cls.__name__: cls for cls in (Author, Category, Tag)}


def fastbuild_settings(settings) -> dict:
    merged = {**DEFAULTS, **settings.get("FASTBUILD", {})}
    unknown = set(merged) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"fastbuild: unknown keys in FASTBUILD: {sorted(unknown)}")
    for key in ("ENABLED", "DELETE_STALE", "SKIP_UNCHANGED"):
        if not isinstance(merged[key], bool):
            raise ValueError(f"fastbuild: FASTBUILD['{key}'] must be True or False")
    for key in ("WORKERS", "MIN_PARALLEL"):
        if not isinstance(merged[key], int) or isinstance(merged[key], bool) or merged[key] < 0:
            raise ValueError(f"fastbuild: FASTBUILD['{key}'] must be a whole number ≥ 0")
    if not isinstance(merged["CACHE_DIR"], str):
        raise ValueError("fastbuild: FASTBUILD['CACHE_DIR'] must be a folder path (a string)")
    inputs = merged["INPUTS"]
    if not isinstance(inputs, list | tuple) or not all(isinstance(p, str) and p for p in inputs):
        raise ValueError("fastbuild: FASTBUILD['INPUTS'] must be a list of file names or globs")
    return merged


class _State:
    """The current build."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        for reads in getattr(self, "reads", ()):  # a build that stopped half-way
            reads.close()
        outputs.written_here.clear()  # the last build's, in this process
        self.reads: list[_Reads] = []  # files being read, results not collected yet
        self.settings: dict = {}
        self.store: Store | None = None
        self.fingerprint = ""
        self.content_root = ""
        self.output_root = ""
        self.typogrify = None  # function, when TYPOGRIFY is on
        self.templates: FileSystemBytecodeCache | None = None  # see keep_compiled_templates
        self.prefetched: dict[str, dict] = {}
        self.generators: list = []
        self.written: set[str] = set()
        # Files (relative) written or copied by this build, or that it found
        # holding what it would write: stat-ed again for the no-change record.
        self.touched: set[str] = set()
        self.listing: Background | dict | None = None  # output/ as the build began (see output_now)
        self.counts = {"cached": 0, "kept": 0, "read": 0, "unchanged": 0, "changed": 0, "skipped": 0}
        self.queue: list | None = None  # write_file calls waiting to be rendered
        self.sources: set[str] = set()  # files read by Pelican's readers (absolute)
        self.slugs: dict[tuple, str] = {}  # slugify's arguments -> its answer, from the read results
        self.relative_paths: dict[tuple, str | None] = {}  # (source path, PATH) -> relative source path
        self.dates: dict[tuple, str] = {}  # (datetime, zone, format) -> Pelican's strftime answer
        self.keep_objects = False  # contents are kept whole between builds (see objects.py)
        self.globals_found: dict = {}  # classes and functions named in kept contents, looked up once a build
        self.url_formats: dict[int, tuple] = {}  # id -> (content, its url_format), see _shared_url_format
        self.keys: dict[str, str] = {}  # source file -> its cache key
        self.objects: dict[str, dict] = {}  # source file -> its kept content, found for this build
        self.entries: dict[str, dict] = {}  # source file -> the read result it was made from
        # source file -> (key, read result) read this build, cached at the end
        # unless its content is kept whole (which holds all the result has).
        self.unsaved: dict[str, tuple[str, dict]] = {}
        # id -> (content, its static links), for Pelican's one call right after
        # the content is made or handed back (see _memo_static_links); holding
        # the content keeps its id from being reused meanwhile.
        self.static_links: dict[int, tuple[object, set[str]]] = {}
        self.fresh: set[str] = set()  # source files read (not from the cache) in this build
        # Pages of fresh contents rendered as they were queued (see
        # _render_if_edited): queue position -> (went without errors, files
        # written); None when this build renders nothing early.
        self.early: dict[int, tuple[bool, set[str]]] | None = None
        self.early_sources: set[str] = set()  # the fresh contents those pages are of
        self.early_announced = False
        self.walks: dict[tuple, set[str]] = {}  # see _memo_get_files
        self.files: dict[str, bool] = {}  # see _is_file
        self.standby = None  # until it is wanted, in a standby build (see stand_by)
        self.found_ahead: dict[str, object] = {}  # cache key -> entry, looked up by a standby build
        self.made_ahead: dict[str, object] = {}  # kept content's key -> the content, made by a standby build
        self.code: list[str] = []  # the plugin and theme folders in the fingerprint
        self.code_digest = ""  # their files' digest, taken before the fingerprint (standby builds)
        self.inputs = ""  # what the build reads, as the no-change record has it (see unchanged.py)
        self.unchanged_now = None  # when SKIP_UNCHANGED: whether nothing changed (then the store is closed)


_state = _State()


# --- Metadata to and from a picklable form ----------------------------------
# Category, Tag and Author objects carry the whole settings dict: stored as
# tokens and rebuilt with the current settings.


def _encode(value):
    if value is _DISCARD:
        return ("\0discard",)
    if isinstance(value, URLWrapper):
        # The slug made from the name is stored too: Pelican slugifies each
        # Category/Tag/Author object anew (30,000 of them at 5,000 articles),
        # and the settings it depends on are part of the cache key.
        return ("\0wrapper", type(value).__name__, value.name,
                None if value._slug_from_name else value._slug, value.slug)
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, tuple):
        return ("\0tuple", [_encode(v) for v in value])
    return value


# How a kept content stores them (see objects.py).
_TOKENS = dict.fromkeys(_WRAPPERS.values(), _encode)


def _decode(value, settings):
    if isinstance(value, tuple):
        if value[0] == "\0discard":
            return _DISCARD
        if value[0] == "\0wrapper":
            wrapper = _WRAPPERS[value[1]](value[2], settings)
            if value[3] is not None:
                wrapper.slug = value[3]
            else:
                wrapper._slug = value[4]  # still "from the name": renaming resets it
            return wrapper
        if value[0] == "\0tuple":
            return tuple(_decode(v, settings) for v in value[1])
    if isinstance(value, dict):
        return {k: _decode(v, settings) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v, settings) for v in value]
    return value


# --- Typogrify, exactly as Pelican's Readers.read_file does it --------------


def _typogrifier(settings):
    if not settings.get("TYPOGRIFY"):
        return None
    import smartypants  # noqa: PLC0415 - optional, as in Pelican
    from typogrify.filters import typogrify  # noqa: PLC0415

    dashes = settings["TYPOGRIFY_DASHES"]
    attr = {"oldschool": smartypants.Attr.set2, "oldschool_inverted": smartypants.Attr.set3}
    default = attr.get(dashes, smartypants.Attr.set1) | smartypants.Attr.w
    ignore = settings["TYPOGRIFY_IGNORE_TAGS"]
    omit = dict.fromkeys(settings["TYPOGRIFY_OMIT_FILTERS"], False)

    for name, needles in _SMARTYPANTS_NEEDLES.items():
        function = getattr(smartypants, name)
        if getattr(function, "__wrapped__", None) is None:
            setattr(smartypants, name, _fast_path(function, needles))

    def apply(text):
        smartypants.Attr.default = default
        return typogrify(text, ignore, **omit)

    return apply


# smartypants runs each of these over every text run of every page (some
# thirty regular expressions in all, two thirds of typogrify's time); each
# expression needs one of the function's needles to match, so a run without
# any of them comes out as it went in.
_SMARTYPANTS_NEEDLES = {
    "convert_quotes": ("'", '"'),
    "convert_backticks": ("``", "''"),
    "convert_single_backticks": ("`", "'"),
    "convert_dashes": ("--",),
    "convert_dashes_oldschool": ("--",),
    "convert_dashes_oldschool_inverted": ("--",),
    "convert_ellipses": ("...", ". . ."),
    "process_escapes": ("\\",),
}


def _fast_path(function, needles: tuple[str, ...]):
    """``function(text)``, skipped for a text with none of ``needles``."""

    @functools.wraps(function)
    def fast(text):
        if not any(needle in text for needle in needles):
            return text
        return function(text)

    return fast


# --- Reading -------------------------------------------------------------------


def _dependencies(content: str, metadata: dict, source_path: str) -> list[tuple[str, bool]]:
    """Local files the result links to, with whether each exists now."""
    found = set()
    folder = os.path.dirname(source_path)
    for target in _LINK.findall(content or ""):
        found.add(resolve_source("{static}" + target, _state.content_root, folder)[0])
    image = metadata.get("image")
    if isinstance(image, str) and image:
        found.add(resolve_source(image, _state.content_root, _state.content_root)[0])
    return sorted((path, os.path.isfile(path)) for path in found if path)


def _still_valid(entry: dict) -> bool:
    return all(_is_file(path) == exists for path, exists in entry["deps"])


def _is_file(path: str) -> bool:
    """``os.path.isfile``, asked once per build (5,000 articles name a few
    dozen photos between them; the build does not write the content folder)."""
    found = _state.files.get(path)
    if found is None:
        found = _state.files[path] = os.path.isfile(path)
    return found


def _read_fresh(reader, path: str) -> dict:
    """Read one file with the real reader; capture its errors and effects."""
    with content_errors.capture() as effects:
        content, metadata = reader._fastbuild_read(path)
        if _state.typogrify is not None:
            if content:
                content = _state.typogrify(content)
            for field in ("title", "summary"):
                if isinstance(metadata.get(field), str):
                    metadata[field] = _state.typogrify(metadata[field])
    return {"content": content, "meta": _encode(metadata), "effects": effects,
            "deps": _dependencies(content, metadata, path), "slug": _title_slug(metadata, reader.settings)}



def _key(path: str) -> str:
    return read_key(_state.fingerprint, path, _state.store.file_digest(path))


def _cached_read(reader, path: str):
    """What the reader's ``read`` becomes: prefetched, cached or fresh."""
    for reads in _state.reads:
        if path in reads.pending:
            reads.take(until=path)
    entry = _state.prefetched.pop(path, None)
    if entry is not None and "failure" in entry:
        raise RuntimeError(entry["failure"])  # Pelican reports it and skips the file, as for its own reads
    if entry is None:
        key = _key(path)
        entry = _state.store.get_many([key]).get(key)
        if entry is None or not _still_valid(entry):
            entry = _read_fresh(reader, path)
            _save_read(path, key, entry)
            _state.counts["read"] += 1
        else:
            _state.counts["cached"] += 1
    _replay(entry)
    if _state.keep_objects:
        _state.entries[path] = entry
    return entry["content"], _decode(entry["meta"], reader.settings)


def _save_read(path: str, key: str, entry: dict) -> None:
    _state.fresh.add(path)
    if _state.keep_objects:
        _state.unsaved[path] = (key, entry)  # see _keep_objects
    else:
        _state.store.put(key, entry)


def _replay(entry: dict) -> None:
    """What a read did besides its result: its content errors and side
    effects, and the slug it made."""
    for function, args in entry["effects"]:
        function(*args)
    if entry.get("slug"):
        key, slug = entry["slug"]
        _state.slugs[tuple(key)] = slug


# --- Contents kept whole ---------------------------------------------------------
# Making an Article from a cached read result still costs Pelican about a
# millisecond (metadata from the path and defaults, Content.__init__, URL
# checks). A content Pelican made and found valid is kept whole (objects.py)
# under its file's cache key, with what its read did; the next build hands
# it to the generator through the generator's own cache hook, so Pelican
# does not make it again. Off when a plugin listens to the signals sent
# while a content is made (they would not be sent), or when dates come from
# file times (not in the key). A content dated in the future is not kept:
# whether it is a draft depends on the clock.

_OBJECT = "content "
_MAKING_SIGNALS = ("article_generator_preread", "article_generator_context", "page_generator_preread",
                   "page_generator_context", "content_object_init")


def _objects_allowed(settings) -> bool:
    if settings.get("DEFAULT_DATE") == "fs":
        return False
    return not any(getattr(signals, name).receivers for name in _MAKING_SIGNALS)


def _shared(generator) -> dict:
    """What every content of the generator points to. Contents get the
    readers' settings (a copy, see :func:`_wrap_readers`); the generator's
    own are in the Category/Tag/Author objects."""
    return {"settings": generator.readers.settings, "generator settings": generator.settings,
            "context": generator.context}


def _keep_objects(generator) -> None:
    """Wrap the generator's cache hooks (Pelican asks ``get_cached_data``
    for each file before reading it, and offers ``cache_data`` each valid
    content it made)."""
    get_cached_data, cache_data = generator.get_cached_data, generator.cache_data
    keeper = objects.Keeper(_shared(generator), _TOKENS)

    def get_kept(relative, default=None):
        path = os.path.abspath(os.path.join(generator.path, relative))
        entry = _state.objects.pop(path, None)
        if entry is not None:
            content = _state.made_ahead.pop(_OBJECT + _state.keys[path], None)
            if content is None:
                content = _load_kept(generator, path, entry)
            if content is not None:
                _replay(entry)
                # What Pelican's Content.__init__ computed, asked again next.
                _state.relative_paths.setdefault((content.source_path, content.settings["PATH"]),
                                                 content.relative_source_path)
                _state.static_links[id(content)] = (content, set(entry["links"]))
                if may_have_empty_alt(content._content):
                    find_empty_alt(content._content, path)  # Pelican's warning, as a read gives it
                _state.counts["kept"] += 1
                return content
        return get_cached_data(relative, default)

    def keep(relative, content):
        path = os.path.abspath(os.path.join(generator.path, relative))
        entry, key = _state.entries.pop(path, None), _state.keys.get(path)
        if entry is not None and key and type(content) in (Article, Page) and not _in_the_future(content):
            try:
                blob = keeper.dump(content)
            except Exception:  # something unpicklable: the content is made again next time
                blob = None
            if blob is not None:
                links = content.get_static_links()  # Pelican asks next: see _memo_static_links
                _state.static_links[id(content)] = (content, links)
                _state.store.put(_OBJECT + key, {"object": blob, "effects": entry["effects"],
                                                 "deps": entry["deps"], "slug": entry.get("slug"),
                                                 "links": sorted(links)})
                _state.unsaved.pop(path, None)  # the object holds all the read result has
        return cache_data(relative, content)

    generator.get_cached_data = get_kept
    generator.cache_data = keep


def _load_kept(generator, path: str, entry: dict):
    try:
        return objects.load(entry["object"], _shared(generator), lambda token: _decode(token, generator.settings),
                            _state.globals_found)
    except Exception:  # an outdated or damaged record: make it again
        log.debug("fastbuild: could not load the kept content of %s", path, exc_info=True)
        return None


def may_have_empty_alt(html) -> bool:
    """Whether Pelican's ``find_empty_alt`` could find anything in ``html``:
    its pattern needs ``alt=""`` or ``alt=''`` verbatim. Checked first for
    every kept content: the pattern over 5,000 articles took 0.08-0.15 s
    of each build, the check takes a fifth of that."""
    return bool(html) and ('alt=""' in html or "alt=''" in html)


def _in_the_future(content) -> bool:
    date = getattr(content, "date", None)
    if not isinstance(date, datetime.datetime):
        return False
    now = datetime.datetime.now(date.tzinfo) if date.tzinfo else datetime.datetime.now()
    return date > now


def _wrap_readers(readers) -> None:
    if not _state.store:
        return
    # The wrapped readers typogrify themselves (before caching), so this
    # Readers instance must not do it again: it gets its own settings copy.
    readers.settings = {**readers.settings, "TYPOGRIFY": False}
    for reader in readers.readers.values():
        if hasattr(reader, "_fastbuild_read"):
            continue
        reader._fastbuild_read = reader.read
        reader.read = lambda path, reader=reader: _cached_read(reader, path)


def _prefetch(generator, paths_setting: str, excludes_setting: str) -> None:
    """Look up every file of the generator; start reading the misses on all
    cores. Pelican asks for the files in the same order, so it builds each
    article from its read result while the readers go on with the next ones,
    instead of idling a core once they are done. A standby build (see
    :func:`stand_by`) looks its files up and makes the kept contents ahead,
    waits, then looks them up again: only what changed meanwhile is new."""
    if not _state.store:
        return
    _wrap_readers(generator.readers)
    if _state.keep_objects:
        _keep_objects(generator)
    if _state.standby is not None:
        _look_up(generator, paths_setting, excludes_setting)
        _make_kept_ahead(generator)
        _wait_until_wanted()
    misses = _look_up(generator, paths_setting, excludes_setting)
    _state.found_ahead.clear()  # each entry is now in objects or prefetched, or not wanted
    if not misses:
        return
    workers = workers_for(_state.settings["WORKERS"], len(misses), _state.settings["MIN_PARALLEL"])
    if workers > 1:
        _take_all_reads()  # one set of forked readers at a time
    _state.reads.append(_Reads(misses, [_state.keys[path] for path, _ in misses], workers))
    log.debug("fastbuild: %s: %d file(s) to read by %d process(es)", paths_setting, len(misses), workers)


def _look_up(generator, paths_setting: str, excludes_setting: str) -> list:
    """Find the generator's files in the cache (kept contents first, else
    read results); return the (path, reader) of those to read."""
    readers = generator.readers.readers
    files = []
    for relative in generator.get_files(generator.settings[paths_setting],
                                        exclude=generator.settings[excludes_setting]):
        reader = readers.get(file_suffix(relative))
        if reader is not None and hasattr(reader, "_fastbuild_read"):
            files.append((os.path.abspath(os.path.join(generator.path, relative)), reader))
    _state.sources.update(path for path, _ in files)
    keys = {path: _key(path) for path, _ in files}
    _state.keys.update(keys)
    if _state.keep_objects:
        kept = _get_many(_OBJECT + key for key in keys.values())
        for path in list(keys):
            entry = kept.get(_OBJECT + keys[path])
            if entry is not None and _still_valid(entry):
                _state.objects[path] = entry
                _state.counts["cached"] += 1
                del keys[path]
        files = [(path, reader) for path, reader in files if path in keys]
    found = _get_many(keys.values())
    misses = []
    for path, reader in files:
        entry = found.get(keys[path])
        if entry is not None and _still_valid(entry):
            _state.prefetched[path] = entry
            _state.counts["cached"] += 1
        else:
            misses.append((path, reader))
    return misses


def _get_many(keys) -> dict:
    """``Store.get_many``, for the keys a standby build did not find ahead."""
    keys = list(keys)
    found = {key: _state.found_ahead[key] for key in keys if key in _state.found_ahead}
    found.update(_state.store.get_many(key for key in keys if key not in found))
    if _state.standby is not None:
        _state.found_ahead.update(found)
    return found


# --- Standby builds (tools/devserver.py) --------------------------------------
# The devserver forks the next build as soon as one ends. That build sets
# up (settings, plugins, the generators' Jinja environments), looks its
# files up in the cache and makes the kept contents, then waits: about
# 0.5 s of an edit build at 5,000 articles is done before the editor saves.
# Once wanted, it checks that the plugin and theme files (in the
# fingerprint) and the cache are as it found them, else it leaves to be
# started afresh; then it forgets what it looked up and looks everything
# up again (the file digests are kept per size, times and inode, so only
# changed files are read), taking the entries and contents it found ahead
# for the keys that are still the same.


def stand_by(standby) -> None:
    """Make this process's next build a standby build. ``standby.wait()``
    returns when the build is wanted (after its set-up and the cache
    lookups); ``standby.stale()`` never returns: the build must be started
    afresh (what it set up no longer holds)."""
    _standby_next[:] = [standby]


_standby_next: list = []


class _NothingChanged(Exception):
    """A standby build found, once wanted, that nothing changed."""


def _make_kept_ahead(generator) -> None:
    """Make the contents found kept whole (see :func:`_keep_objects`)."""
    for path, entry in _state.objects.items():
        made = _load_kept(generator, path, entry)
        if made is not None:
            _state.made_ahead[_OBJECT + _state.keys[path]] = made


def _wait_until_wanted() -> None:
    """Wait until the build is wanted, then check what it set up still holds.
    The settings do: they come from the settings file and the environment,
    and the devserver starts anew when a Python file changes."""
    standby, _state.standby = _state.standby, None
    standby.wait()
    if tree_digest(_state.code) != _state.code_digest or _state.store.changed_since_opened():
        standby.stale()
    for lookup in (_state.walks, _state.files, _state.sources, _state.keys, _state.objects, _state.prefetched):
        lookup.clear()
    _state.counts["cached"] = 0
    if _state.unchanged_now is not None and _state.unchanged_now():
        raise _NothingChanged


def _read_or_failure(reader, path: str) -> dict:
    """``_read_fresh``, with an unexpected error returned as text instead of
    raised: the other files' reads go on, and Pelican gets the error when it
    asks for this file (it then reports it and skips the file, as when it
    reads files itself)."""
    try:
        return _read_fresh(reader, path)
    except Exception as error:  # any reader bug: raised again for this file only
        return {"failure": f"{type(error).__name__}: {error}"}


class _Reads:
    """One generator's files missing from the cache, being read (by forked
    readers, or here when asked for); their results are collected in order."""

    def __init__(self, misses: list, keys: list[str], workers: int) -> None:
        self.since = time.perf_counter()
        self.workers = workers
        self.pending = OrderedDict((path, key) for (path, _), key in zip(misses, keys, strict=True))
        self.results = ForkedMap(lambda item: _read_or_failure(item[1], item[0]), misses, workers)
        self.stream = iter(self.results)

    def take(self, until: str | None = None) -> None:
        """Collect the results up to ``until``'s (all when None) into
        ``prefetched`` and the cache."""
        while self.pending:
            path, key = self.pending.popitem(last=False)
            entry = next(self.stream)
            _state.prefetched[path] = entry
            if "failure" not in entry:
                _save_read(path, key, entry)
                _state.counts["read"] += 1
            if path == until:
                break
        if not self.pending and self.results is not None:  # all taken: the readers go at once
            self.close()
            log.debug("fastbuild: read by %d process(es), the last file after %.2f s", self.workers,
                      time.perf_counter() - self.since)

    def close(self) -> None:
        if self.results is not None:
            self.results.close()
            self.results = self.stream = None


def _take_all_reads(*_) -> None:
    """Collect every read still under way (before forking other workers, and
    once all generators have their contents)."""
    while _state.reads:
        _state.reads.pop(0).take()


def _prefetch_articles(generator) -> None:
    _prefetch(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES")


def _prefetch_pages(generator) -> None:
    _prefetch(generator, "PAGE_PATHS", "PAGE_EXCLUDES")


# --- Content set-up without repeated work -------------------------------------
# Pelican's Content.__init__ slugifies the title (unidecode, ~0.2 ms a file)
# and relativises the source path about five times per article (at set-up,
# in the generator's source list, in every url/save_as). The slug is
# computed where the file is read (in a forked reader on a cold build) and
# kept in the read result; Pelican's slugify finds it in a memo keyed on all
# of its arguments, so a title or setting that differs simply misses. The
# memo also keeps what slugify answers during the build: a tag or category
# name is slugified once, not once per article that carries it. The
# relative source paths are memoized for the build.


def _slug_key(value, regex_subs, preserve_case, use_unicode) -> tuple:
    return (value, repr(regex_subs), bool(preserve_case), bool(use_unicode))


def _title_slug(metadata: dict, settings) -> tuple[list, str] | None:
    """(slugify's arguments, its answer) for the slug Pelican will make from
    this file's title, or None when it will not make one."""
    title = metadata.get("title")
    if "slug" in metadata or settings.get("SLUGIFY_SOURCE", "title") != "title" or not isinstance(title, str):
        return None
    args = (settings.get("SLUG_REGEX_SUBSTITUTIONS", []), settings.get("SLUGIFY_PRESERVE_CASE", False),
            settings.get("SLUGIFY_USE_UNICODE", False))
    slug = pelican.contents.slugify(title, regex_subs=args[0], preserve_case=args[1], use_unicode=args[2])
    return list(_slug_key(str(title), *args)), slug


def _memo_slugify(slugify):
    @functools.wraps(slugify)
    def memo(value, regex_subs=(), preserve_case=False, use_unicode=False):
        if not _state.store:
            return slugify(value, regex_subs=regex_subs, preserve_case=preserve_case, use_unicode=use_unicode)
        key = _slug_key(value, regex_subs, preserve_case, use_unicode)
        found = _state.slugs.get(key)
        if found is None:
            found = slugify(value, regex_subs=regex_subs, preserve_case=preserve_case, use_unicode=use_unicode)
            _state.slugs[key] = found
        return found

    return memo


def _memo_relative_path(get_relative_source_path):
    @functools.wraps(get_relative_source_path)
    def memo(self, source_path=None):
        if not _state.store:
            return get_relative_source_path(self, source_path)
        key = (source_path or self.source_path, self.settings["PATH"])
        if key not in _state.relative_paths:
            _state.relative_paths[key] = get_relative_source_path(self, source_path)
        return _state.relative_paths[key]

    return memo


def _memo_static_links(get_static_links):
    """Pelican adds each content's static links (a regular expression over
    its HTML) to the context right after making it or getting it from its
    cache; a kept content has them in its cache entry. Answered once per
    content, so a later call (after a plugin changed the HTML) computes."""
    @functools.wraps(get_static_links)
    def memo(self):
        found = _state.static_links.pop(id(self), None)
        return found[1] if found is not None else get_static_links(self)

    return memo


# Directives whose text depends on the C locale: never memoized.
_LOCALE_DIRECTIVES = re.compile(r"%-?[aAbBcpxX]")


def _memo_strftime(strftime):
    """Pelican's ``strftime`` formats each date of each article several
    times a build (``locale_date``, and ``{date:%Y}`` in every URL and
    save_as setting), splitting the format with regular expressions each
    time. Memoized on (date, zone, format), for formats the locale cannot
    change."""
    @functools.wraps(strftime)
    def memo(date, date_format):
        if not _state.store:
            return strftime(date, date_format)
        # The zone too: aware datetimes at the same instant compare equal.
        key = (date, getattr(date, "tzinfo", None), date_format)
        found = _state.dates.get(key)
        if found is None:
            found = _numeric_strftime(date, date_format) or strftime(date, date_format)
            if not _LOCALE_DIRECTIVES.search(date_format):
                _state.dates[key] = found
        return found

    return memo


# The directives that are zero-padded numbers in every locale, and the
# attribute each prints (%Y only for four-digit years: C pads no others).
_NUMERIC_DIRECTIVES = {"Y": "year", "m": "month", "d": "day", "H": "hour", "M": "minute", "S": "second"}
_NUMERIC_FORMATS: dict[str, list[tuple[str, str]] | None] = {}


def _numeric_pieces(date_format: str) -> list[tuple[str, str]] | None:
    """``date_format`` as (literal text, attribute) pieces when its only
    directives are plain numeric ones (``%Y/%m``, an URL's ``{date:%Y}``),
    else None (Pelican's own function then formats it)."""
    pieces, text, position = [], "", 0
    while (percent := date_format.find("%", position)) >= 0:
        name = _NUMERIC_DIRECTIVES.get(date_format[percent + 1:percent + 2])
        if name is None:  # %%, a "-" flag, a locale-dependent or other directive
            return None
        pieces.append((text + date_format[position:percent], name))
        text, position = "", percent + 2
    pieces.append((date_format[position:], ""))
    return pieces


def _numeric_strftime(date, date_format: str) -> str | None:
    """What Pelican's ``strftime`` answers for a format of plain numeric
    directives (each is ``date.strftime`` of that one directive: a
    zero-padded number), without its two regular expressions and one
    ``strftime`` call per directive; None for any other format or date."""
    if date_format not in _NUMERIC_FORMATS:
        _NUMERIC_FORMATS[date_format] = _numeric_pieces(date_format)
    pieces = _NUMERIC_FORMATS[date_format]
    if pieces is None or not 1000 <= getattr(date, "year", 0) <= 9999:
        return None
    out = []
    for text, name in pieces:
        out.append(text)
        if name:
            value = getattr(date, name, None)
            if type(value) is not int:  # a date has no hour: Pelican's answer
                return None
            out.append(str(value) if name == "year" else f"{value:02d}")
    return "".join(out)


def _install_memos() -> None:
    """Wrap Pelican's slugify (as contents.py and urlwrappers.py call it),
    ``strftime`` (as ``SafeDatetime`` calls it), ``copy_file``,
    ``Content.get_relative_source_path`` and ``Content.get_static_links``
    once per process; the wrappers
    call the original when fastbuild is off for the build."""
    if not hasattr(pelican.utils.strftime, "__wrapped__"):
        pelican.utils.strftime = _memo_strftime(pelican.utils.strftime)
    for module in (pelican.contents, pelican.urlwrappers):
        if not hasattr(module.slugify, "__wrapped__"):
            module.slugify = _memo_slugify(module.slugify)
    if not hasattr(Content.get_static_links, "__wrapped__"):
        Content.get_static_links = _memo_static_links(Content.get_static_links)
    if not hasattr(Content.get_relative_source_path, "__wrapped__"):
        Content.get_relative_source_path = _memo_relative_path(Content.get_relative_source_path)
    if not hasattr(pelican.generators.process_translations, "__wrapped__"):
        pelican.generators.process_translations = _translations_by_group(pelican.generators.process_translations)
    if not hasattr(Generator.get_files, "__wrapped__"):
        Generator.get_files = _memo_get_files(Generator.get_files)
    if not hasattr(ArticlesGenerator._build_period_archives, "__wrapped__"):
        ArticlesGenerator._build_period_archives = _linear_period_archives(ArticlesGenerator._build_period_archives)
    if not hasattr(pelican.utils.copy_file, "__wrapped__"):
        pelican.utils.copy_file = _changed_only_copy(pelican.utils.copy_file)


def _changed_only_copy(copy_file):
    """Pelican's ``copy_file`` (it copies the theme's static files on every
    build, with a new mtime each time), skipped when the destination
    already holds the source's bytes: rsync and browsers see nothing new.
    Either way the file is one this build produced (see :func:`_finish`)."""

    @functools.wraps(copy_file)
    def copy_unless_same(source, destination):
        if _state.store:
            _note_output(destination)
            try:
                with open(source, "rb") as handle:
                    data = handle.read()
            except OSError:  # Pelican's copy reports the problem
                return copy_file(source, destination)
            if holds(destination, data):
                return None
        return copy_file(source, destination)

    return copy_unless_same


# --- One walk of each content folder -----------------------------------------
# Pelican lists the article files three times per build (the prefetch here,
# generate_context, and the check for files of disabled readers, which asks
# for other extensions), each time walking the folder and matching every
# name against IGNORE_FILES (0.1-0.2 s at 5,000 articles). The walk is made
# once per build with every extension allowed; an extension filter, the
# last step of Pelican's ``_include_path``, is applied to it.


def _memo_get_files(get_files):
    @functools.wraps(get_files)
    def memo(self, paths, exclude=None, extensions=None):
        if not _state.store:
            return get_files(self, paths, exclude, extensions)
        key = (self.path, (paths,) if isinstance(paths, str) else tuple(paths), tuple(exclude or ()),
               tuple(self.settings["IGNORE_FILES"]))
        every = _state.walks.get(key)
        if every is None:
            every = _state.walks[key] = get_files(self, paths, exclude, extensions=False)
        if extensions is False:
            return set(every)
        if extensions is None:
            extensions = tuple(self.readers.extensions)
        return {path for path in every if os.path.splitext(os.path.basename(path))[1][1:] in extensions}

    return memo


# --- Two loops of Pelican's that grow with the square of the site -------------
# Both test list membership for every article against a list that grows
# with the site (0.5-1 s each at 5,000 articles, four times that at 10,000).
# Contents compare by identity, so the wrappers give the same answers.


def _translations_by_group(process_translations):
    """``process_translations`` (which ends with ``x not in index`` for
    every content, ``index`` being every original) called on each group of
    contents sharing the translation id, in the order Pelican sorts them:
    groups are independent, so the concatenated answers are Pelican's."""

    @functools.wraps(process_translations)
    def by_group(content_list, translation_id=None):
        if not _state.store or not translation_id:
            return process_translations(content_list, translation_id)
        names = {translation_id} if isinstance(translation_id, str) else translation_id
        try:
            key = operator.attrgetter(*names)
            content_list.sort(key=key)  # as Pelican does, in place
        except (TypeError, AttributeError):
            return process_translations(content_list, translation_id)  # it raises its own error
        index, translations = [], []
        for _, group in itertools.groupby(content_list, key):
            originals, others = process_translations(list(group), translation_id)
            index += originals
            translations += others
        return index, translations

    return by_group


def _linear_period_archives(build_period_archives):
    """``_build_period_archives`` lists each period's articles with
    ``a in dates`` over all articles (every period scans the whole site);
    asked with no articles, then each period takes its own dates' articles
    that are in ``articles``, in the order of ``articles``, each once."""

    @functools.wraps(build_period_archives)
    def linear(self, sorted_articles, articles, settings):
        if not _state.store:
            return build_period_archives(self, sorted_articles, articles, settings)
        archives = build_period_archives(self, sorted_articles, [], settings)
        position = {id(content): index for index, content in enumerate(articles)}
        for periods in archives.values():
            for archive in periods:
                found = {position[id(c)]: c for c in archive["dates"] if id(c) in position}
                archive["articles"] = [found[index] for index in sorted(found)]
        return archives

    return linear


# --- Template filters ------------------------------------------------------------
# The theme strips the tags of each listed title (``|striptags`` in alt
# texts and meta tags): the newest titles in every page's sidebar, the
# related articles... the same few strings thousands of times. Jinja's
# filter, memoized on the text (the answer depends on nothing else).


@functools.lru_cache(maxsize=65536)
def _striptags_of(text: str) -> str:
    return Markup(text).striptags()


def _striptags(value) -> str:
    """Jinja's ``striptags``, memoized."""
    if hasattr(value, "__html__"):
        value = value.__html__()
    return _striptags_of(str(value))


def _fast_filters(generator) -> None:
    """Swap in the memoized filters, and keep compiled templates between
    builds (see :func:`keep_compiled_templates`)."""
    if _state.store:
        generator.env.filters["striptags"] = _striptags
        if _state.templates is not None:
            keep_compiled_templates(generator.env, _state.templates)


class _RenderTimeCodeGenerator(CodeGenerator):
    """Jinja's compiler, without evaluating any expression of the output at
    compile time: a filter with constant arguments runs when the page is
    rendered (see :func:`keep_compiled_templates`)."""

    def _make_finalize(self):
        made = super()._make_finalize()
        return self._FinalizeInfo(None, made.src)  # no "const": nothing is folded into the code


def keep_compiled_templates(env, cache) -> None:
    """Keep ``env``'s compiled templates in ``cache`` (a Jinja bytecode
    cache): Jinja compiled the theme's ~30 templates again in every build,
    0.15-0.2 s of an edit build at 5,000 articles. Jinja checks each
    compiled template against its source, and the cache folder is per
    fingerprint (settings such as SITEURL and JINJA_ENVIRONMENT, theme,
    plugins, Jinja's version). Jinja also evaluates at compile time what it
    can: a filter with constant arguments (``{{ 'css/site.css'|asset }}``)
    would be run once and its result kept in the compiled code for later
    builds, though it may read files no fingerprint covers; so nothing is
    evaluated at compile time here (the optimizer is off, and so is the
    folding of constant output): every filter runs when the page is
    rendered, with the result it always had."""
    env.optimized = False
    env.code_generator_class = _RenderTimeCodeGenerator
    env.bytecode_cache = cache


# --- URLs computed once -------------------------------------------------------
# Pelican recomputes an article's url/save_as from the settings on every use,
# and each article is shown in many lists (home, category, tags, related,
# most read...). Once the metadata that URLs are made of (slug, date,
# category, lang) is final, each Article/Page gets a subclass that remembers
# them: when its generator is finalized (before the statistics, sitemap and
# editorial checks ask for every URL; no plugin here changes those fields
# later), and again at get_writer for anything made since.

# Every list of contents a generator keeps, in the order Pelican renders
# them (the articles generator: translations, articles, hidden ones,
# drafts; the pages generator likewise).
_CONTENT_LISTS = ("translations", "articles", "pages", "hidden_translations", "hidden_articles", "hidden_pages",
                  "drafts_translations", "drafts", "draft_translations", "draft_pages")
_memo_classes: dict[type, type] = {}


def _shared_url_format(url_format):
    """Pelican's ``url_format`` (a copy of the metadata and six values, which
    ``url`` and ``save_as`` are formatted from) made once a build for both:
    0.04-0.08 s at 5,000 articles. Kept aside, not on the content, whose
    attributes its signature hashes."""

    def shared(self):
        found = _state.url_formats.get(id(self))
        if found is None:
            found = _state.url_formats[id(self)] = (self, url_format(self))  # the content too: its id stays its own
        return found[1]

    return property(shared)


def _memo_class(cls: type) -> type:
    if cls not in _memo_classes:
        namespace = {
            "url": functools.cached_property(cls.url.fget),
            "save_as": functools.cached_property(cls.save_as.fget),
            "url_format": _shared_url_format(cls.url_format.fget),
            "__module__": cls.__module__,
            "__qualname__": cls.__qualname__,
        }
        _memo_classes[cls] = type(cls.__name__, (cls,), namespace)
    return _memo_classes[cls]


class ArticleList(list):
    """A list of articles whose ``in`` looks up a set of identities. Pelican
    writes each tag, category and author page with ``[a for a in dates if a
    in articles]``: every article of the site against the list, a quadratic
    cost (5,000 articles, 26 tags: 1.3 s). Contents compare by identity, so
    the answer is the same."""

    __slots__ = ("_ids", "_length")

    def __contains__(self, item) -> bool:
        if getattr(self, "_length", -1) != len(self):
            self._ids = {id(article) for article in self}
            self._length = len(self)
        return id(item) in self._ids


def _fast_membership() -> None:
    for generator in _state.generators:
        tags = getattr(generator, "tags", None)
        if isinstance(tags, dict):
            for tag in tags:
                tags[tag] = ArticleList(tags[tag])
        for attribute in ("categories", "authors"):
            groups = getattr(generator, attribute, None)
            if isinstance(groups, list) and all(isinstance(g, tuple) and len(g) == 2 for g in groups):
                groups[:] = [(wrapper, ArticleList(articles)) for wrapper, articles in groups]


def _remember_generators(generators) -> None:
    _state.generators = list(generators)


def _memoize_urls_of(generator) -> None:
    if not _state.store:  # fastbuild is off
        return
    for attribute in _CONTENT_LISTS:
        for content in getattr(generator, attribute, None) or []:
            if type(content) in (Article, Page):
                content.__class__ = _memo_class(type(content))


def _memoize_urls() -> None:
    for generator in _state.generators:
        _memoize_urls_of(generator)


# --- Writing -------------------------------------------------------------------


class FastWriter(Writer):
    """Pelican's writer, but a file is only rewritten when its bytes change;
    records what it produced for the stale-file sweep. While pages are
    queued (see :func:`_render_queued`), ``write_file`` only queues."""

    def write_file(self, name, template, context, *args, **kwargs):
        if _state.queue is not None:
            if name:  # Pelican writes nothing for an empty name (a page turned off)
                _state.queue.append((name, template, context, args, kwargs))
                _render_if_edited(self, len(_state.queue) - 1)
            return None
        return super().write_file(name, template, context, *args, **kwargs)

    def _open_w(self, filename, encoding, override=False):
        # Same bookkeeping as Writer._open_w (one write per file unless
        # overridden), then a file that reaches the disk only if changed.
        if filename in self._overridden_files:
            if override:
                return super()._open_w(filename, encoding, override)  # raises
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files and not override:
            return super()._open_w(filename, encoding, override)  # raises
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return ChangedOnlyFile(filename, encoding, on_close=_count_write)


class _Records(logging.Handler):
    """Keeps the warnings and errors logged in a rendering child, for the
    parent to log (its handlers print them and count errors for strict mode)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _render_one(writer, job):
    """Render one queued page (in a forked child, or here); return what the
    parent must know: reported errors, log records, files written, counts."""
    name, template, context, args, kwargs = job
    saved = _state.written, _state.counts
    _state.written, _state.counts = set(), dict.fromkeys(_state.counts, 0)
    root = logging.getLogger()
    records, handlers = _Records(), root.handlers[:]
    root.handlers = [records]
    try:
        with content_errors.capture() as effects:
            Writer.write_file(writer, name, template, context, *args, **kwargs)
    finally:
        root.handlers = handlers
        written, counts = _state.written, _state.counts
        _state.written, _state.counts = saved
    return effects, records.records, written, counts


def _merge(result) -> bool:
    """Replay a rendered page's errors and logs here and count its files;
    return whether it went without errors (only then is it recorded)."""
    effects, records, written, counts = result
    for function, args in effects:
        function(*args)
    for logger_name, level, message in records:
        logging.getLogger(logger_name).log(level, "%s", message)
    _state.written |= written
    _state.touched |= written
    for key, value in counts.items():
        _state.counts[key] += value
    return not any(function is content_errors.report for function, _ in effects) and not any(
        level >= logging.ERROR for _, level, _ in records)


def _file_states(relatives) -> list:
    states = []
    for relative in sorted(relatives):
        info = os.stat(os.path.join(_state.output_root, relative))
        states.append([relative, info.st_size, info.st_mtime_ns])
    return states


def _files_as_recorded(states) -> bool:
    for relative, size, mtime in states:
        try:
            info = os.stat(os.path.join(_state.output_root, relative))
        except OSError:
            return False
        if info.st_size != size or info.st_mtime_ns != mtime:
            return False
    return True


def _render_queued(writer) -> None:
    """Render the queued pages whose signature changed, on every core
    (pages written with ``override_output`` last, here, so they win as in
    Pelican); the others are left as the previous build wrote them."""
    jobs, _state.queue = _state.queue or [], None
    started = time.perf_counter()
    # Every other file of the content folder (photos, songs, data, comments)
    # is an input of every page: templates reach them through plugins (a
    # photo's derivatives are named after its bytes), so any change to one
    # renders the whole site again. Articles and pages count through their
    # own signatures.
    previous = _state.store.renders()
    early = _announce_early()  # if a content read again had no page, not announced yet
    others = unchanged.tree_state(_state.content_root, skip=[_state.output_root, *_state.sources])
    signer = Signer(f"{_state.fingerprint} {others}")
    renders: dict[str, tuple[str, list]] = {}
    # A build with no previous renders (a cold one) renders every page: its
    # signatures are computed here while the renderers work.
    sign_later = not previous
    todo, last = [], []
    # When pages rendered early are being worked on meanwhile (an edit's
    # search shard indexed), forked signers would take the cores that work
    # needs, and the build waits for it anyway: signing here alone ends sooner.
    if not sign_later and not (early and pages_rendered_early.receivers):
        _cards_on_every_core(signer)
    for number, job in enumerate(jobs):
        name, template, context, args, kwargs = job
        if kwargs.get("override_output"):
            last.append(job)
            continue
        key = f"{getattr(template, 'name', template)}\0{name}"
        if sign_later:
            todo.append([key, None, job])
            continue
        signature = signer.page(name, key, context, args, kwargs)
        if number in early:  # rendered already: only its record is left to make
            clean, files = early[number]
            if clean:
                renders[key] = (signature, _file_states(files))
            continue
        before = previous.get(key)
        if before and before[0] == signature and _files_as_recorded(before[1]):
            renders[key] = before
            _state.written.update(relative for relative, _, _ in before[1])
            _state.counts["skipped"] += len(before[1])
        else:
            todo.append([key, signature, job])
    signed = time.perf_counter() - started

    def sign_todo() -> None:
        nonlocal signed
        since = time.perf_counter()
        for item in todo:
            name, _, context, args, kwargs = item[2]
            item[1] = signer.page(name, item[0], context, args, kwargs)
        signed += time.perf_counter() - since

    names = [jobs[number][0] for number in early] + [key.split("\0")[-1] for key, _, _ in todo]
    if names and len(names) <= 20:
        log.debug("fastbuild: rendering %s", ", ".join(names))
    workers = workers_for(_state.settings["WORKERS"], len(todo), _state.settings["MIN_PARALLEL"])
    results = map_forked(lambda item: _render_one(writer, item[2]), todo, workers, chunksize=4,
                         meanwhile=sign_todo if sign_later else None)
    for (key, signature, _), result in zip(todo, results, strict=True):
        if _merge(result):
            renders[key] = (signature, _file_states(result[2]))
    for job in last:
        _merge(_render_one(writer, job))
    _state.store.save_renders(renders)
    log.debug("fastbuild: %d page call(s), %d rendered by %d process(es) in %.2f s (signatures %.2f s)",
              len(jobs), len(early) + len(todo) + len(last), workers, time.perf_counter() - started, signed)


# Sent with the output folder and the pages (relative paths) just written for
# the contents read again in this build, before the other pages are signed
# and rendered: the search plugin starts indexing their shards meanwhile.
pages_rendered_early = signal("fastbuild_pages_rendered_early")
# At most this many such contents, and pages (an edit, not a new site or a
# changed setting).
EARLY_PAGES = 8


def _start_early_renders() -> None:
    """Once every generator is done: render early in this build if it is
    an edit (a previous build recorded its renders, and at most
    ``EARLY_PAGES`` contents were read again)."""
    fresh = len(_state.fresh)
    _state.early = {} if 0 < fresh <= EARLY_PAGES and _state.store.has_renders() else None


def _render_if_edited(writer, number: int) -> None:
    """Render the queued page ``number`` at once if it is a page of a
    content read again in this build (an edited article's own page, which
    changed for sure), and announce those pages as soon as every such
    content has one: signing every other page takes a second at 5,000
    articles, and the search index of the edited page's shard is made
    meanwhile. Rendering it now instead of after the last generator's
    output starts that index about a quarter of a second sooner; what the
    page shows is complete since every generator's context is."""
    if _state.early is None or len(_state.early) >= EARLY_PAGES:
        return
    _, _, _, _, kwargs = _state.queue[number]
    content = kwargs.get("article") or kwargs.get("page")
    source = getattr(content, "source_path", None)
    if kwargs.get("override_output") or source not in _state.fresh:
        return
    result = _render_one(writer, _state.queue[number])
    _state.early[number] = (_merge(result), result[2])
    _state.early_sources.add(source)
    if _state.early_sources == _state.fresh:
        _announce_early()


def _announce_early() -> dict[int, tuple[bool, set[str]]]:
    """Send ``pages_rendered_early`` for the pages rendered early (once);
    return them (see ``_State.early``)."""
    if _state.early and not _state.early_announced:
        _state.early_announced = True
        written = set().union(*(files for _, files in _state.early.values()))
        log.debug("fastbuild: %d page(s) of edited contents rendered first", len(_state.early))
        pages_rendered_early.send(_state.output_root, pages=sorted(written))
    return _state.early or {}


def _cards_on_every_core(signer: Signer) -> None:
    """Compute the contents' cards (most of the signing: every page's
    context lists the site's articles) on every core: slices for forked
    children, one for this process meanwhile."""
    contents = list({id(c): c for g in _state.generators for a in _CONTENT_LISTS
                     for c in getattr(g, a, None) or []}.values())
    workers = workers_for(_state.settings["WORKERS"], len(contents), _state.settings["MIN_PARALLEL"])
    if workers <= 1:
        return
    pieces = [contents[start::workers + 1] for start in range(workers + 1)]
    cards = map_forked(lambda piece: signer.cards(piece, contents), pieces[1:], workers, chunksize=1,
                       meanwhile=lambda: signer.cards(pieces[0], contents))
    for piece, found in zip(pieces[1:], cards, strict=True):
        signer.remember(piece, contents, found)


def _queue_pages() -> None:
    """From now on the writer queues pages; they are rendered after the last
    generator's ``generate_output``."""
    generators = [g for g in _state.generators if hasattr(g, "generate_output")]
    if not generators:
        return
    last = generators[-1]
    generate_output = last.generate_output

    def generate_then_render(writer):
        generate_output(writer)
        _render_queued(writer)

    last.generate_output = generate_then_render
    _state.queue = []


def _count_write(handle: ChangedOnlyFile) -> None:
    _state.counts["changed" if handle.written else "unchanged"] += 1
    _note_output(handle.path)


def _note_output(path: str) -> None:
    """Record a file of the output folder this build produced (``path`` as
    the writer and ``copy_file`` name it): the stale-file sweep keeps it, and
    removes what the previous build produced and this one did not."""
    relative = os.path.relpath(os.path.abspath(path), _state.output_root)
    if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
        relative = relative.replace(os.sep, "/")
        _state.written.add(relative)
        _state.touched.add(relative)


def _note_static_outputs() -> None:
    """The static files Pelican copied or left in place as up to date (it
    skips those whose copy is newer): files of the content folder, at their
    ``save_as``, which an ``{attach}`` link moves beside the content that
    links it, so a renamed article leaves its attachment's old copy behind
    unless it is swept. The theme's files are noted as they are copied (see
    :func:`_changed_only_copy`)."""
    for generator in _state.generators:
        if isinstance(generator, StaticGenerator):
            for static in generator.context.get("staticfiles", []):
                _note_output(os.path.join(_state.output_root, static.save_as))


# --- Pelican glue --------------------------------------------------------------


def _start(pelican) -> None:
    _state.reset()
    settings = fastbuild_settings(pelican.settings)
    _state.settings = settings
    _state.standby = _standby_next.pop() if _standby_next else None
    if not settings["ENABLED"]:
        if _state.standby is not None:
            _state.standby.stale()  # nothing here to do ahead, nor to check once wanted
        return
    cache_dir = settings["CACHE_DIR"] or os.path.join(pelican.settings["CACHE_PATH"], "fastbuild")
    _state.code = [*(os.path.abspath(p) for p in pelican.settings.get("PLUGIN_PATHS", [])),
                   os.path.abspath(pelican.settings["THEME"])]
    if _state.standby is not None:  # before the fingerprint: a change in between is then seen
        _state.code_digest = tree_digest(_state.code)
    _state.fingerprint = build_fingerprint(pelican.settings, _state.code)
    _state.store = Store(os.path.join(cache_dir, "cache.sqlite"))
    _state.content_root = os.path.abspath(pelican.settings["PATH"])
    _state.output_root = os.path.abspath(pelican.settings["OUTPUT_PATH"])
    _state.typogrify = _typogrifier(pelican.settings)
    _state.templates = _template_cache(os.path.join(cache_dir, "templates"), _state.fingerprint)
    _state.keep_objects = _objects_allowed(pelican.settings)
    _install_memos()
    _skip_the_last_collection()
    if settings["SKIP_UNCHANGED"]:
        _skip_when_unchanged(pelican, os.path.join(cache_dir, "last-build.json"))


def _template_cache(root: str, fingerprint: str) -> FileSystemBytecodeCache | None:
    """Jinja's bytecode cache in ``root/<fingerprint>`` (see
    :func:`keep_compiled_templates`); the folders of other fingerprints are
    removed. None when this Jinja's compiler cannot be kept from evaluating
    constant output at compile time (templates are then compiled in every
    build)."""
    if not callable(getattr(CodeGenerator, "_make_finalize", None)) \
            or not hasattr(CodeGenerator, "_FinalizeInfo"):
        return None
    if os.path.isdir(root):
        for name in os.listdir(root):
            if name != fingerprint:
                shutil.rmtree(os.path.join(root, name), ignore_errors=True)
    folder = os.path.join(root, fingerprint)
    os.makedirs(folder, exist_ok=True)
    return FileSystemBytecodeCache(folder)


def _skip_the_last_collection() -> None:
    """At exit, Python's last garbage collection walks every object the
    build made (~0.8 s after 5,000 articles), just before the process lets
    go of its memory anyway. ``gc.freeze()`` from an ``atexit`` handler
    (atexit runs before that collection) spares the walk. Nothing relies on
    it: files and databases are closed explicitly, and logging flushes in
    its own ``atexit`` handler. Registered once per process."""
    if not getattr(_skip_the_last_collection, "registered", False):
        atexit.register(gc.freeze)
        _skip_the_last_collection.registered = True


def _skip_when_unchanged(pelican, record_path: str) -> None:
    """Wrap this Pelican instance's ``run``: skip it when nothing changed,
    and after a build without errors record what it read and wrote. A
    standby build asks once it is wanted (see :func:`_wait_until_wanted`)."""
    run = pelican.run
    content, output = pelican.settings["PATH"], pelican.settings["OUTPUT_PATH"]
    patterns = _state.settings["INPUTS"]
    fingerprint = _state.fingerprint

    def unchanged_now() -> bool:
        _state.inputs = unchanged.inputs_state(fingerprint, content, output, patterns)
        if unchanged.is_unchanged(unchanged.load(record_path), _state.inputs, output):
            if _state.store:
                _state.store.close()
                _state.store = None
            log.info("fastbuild: nothing changed since the last build; %s is up to date", output)
            return True
        unchanged.forget(record_path)  # a build stopped half-way leaves no record
        # The record's list of output/ is taken now, on a core that idles
        # while the build sets up, and brought up to date at the end.
        _state.listing = Background(lambda: unchanged.output_listing(output))
        return False

    def run_unless_unchanged():
        if _state.standby is None and unchanged_now():
            return
        try:
            with collector(False):  # full collections would walk every article for nothing (see collector)
                run()
        except _NothingChanged:
            return
        finally:
            listing, _state.listing = _listed(), None
        if not content_errors.failures():
            unchanged.save(record_path, _state.inputs, _output_record(output, listing))

    _state.unchanged_now = unchanged_now
    pelican.run = run_unless_unchanged


def _listed() -> dict | None:
    """The listing of output/ made as the build began (waited for once), or None."""
    if isinstance(_state.listing, Background):
        try:
            _state.listing = _state.listing.result()
        except Exception:  # the record is then made by walking output/
            log.debug("fastbuild: output/ could not be listed ahead", exc_info=True)
            _state.listing = None
    return _state.listing


def _output_record(output: str, listing: dict | None) -> list[list]:
    """Every file of output/ with its size and mtime, for the no-change
    record: the listing brought up to date with what this build wrote (its
    pages and copies, and whatever plugins wrote with ``write_if_changed``),
    or, without a listing, a walk of the whole folder (0.12-0.2 s at 5,000
    articles)."""
    if listing is None:
        return unchanged.output_files(output)
    root = os.path.abspath(output) + os.sep
    touched = _state.touched | {path[len(root):].replace(os.sep, "/")
                                for path in outputs.written_here if path.startswith(root)}
    return unchanged.output_files_since(listing, output, touched)


def output_now(output_path: str) -> dict[str, tuple[int, int]] | None:
    """Every file of ``output_path`` (relative path -> size, mtime in ns) as
    it is now, for a plugin that looks at output/ once the pages are written
    (the search index): the listing this build made as it began, brought up
    to date, instead of a walk of the folder. None when this build made no
    listing of that folder (fastbuild off, or nothing to list: a walk is then
    the way). A file a plugin rewrites in place other than with Pelican's
    writer or ``fastbuild.outputs.write_if_changed`` is seen as it was
    listed; the next build's listing sees it as it is."""
    listing = _listed()
    if listing is None or "" not in listing["folders"] or os.path.abspath(output_path) != _state.output_root:
        return None
    return {relative: (size, mtime) for relative, size, mtime in _output_record(output_path, listing)}


def _attach_before_static() -> None:
    """Pelican moves a file linked with ``{attach}`` beside the content
    that links it when it renders that content's HTML, which it does before
    the static generator (always the last) copies its files. Pages are
    rendered here after every generator's output, so the HTML of each
    content with such a link is made now, in Pelican's order (the first
    content to attach a file keeps it)."""
    for generator in _state.generators:
        for attribute in _CONTENT_LISTS:
            for content in getattr(generator, attribute, None) or []:
                raw = getattr(content, "_content", None)
                if isinstance(raw, str) and "attach" in raw:
                    content.get_content(content.get_siteurl())  # Pelican's link replacement: attach_to


def _writer(pelican):
    if not _state.store:
        return None
    _memoize_urls()
    _fast_membership()
    _attach_before_static()
    _queue_pages()
    _start_early_renders()
    return FastWriter


def _finish(pelican) -> None:
    store = _state.store
    if not store:
        return
    _note_static_outputs()
    outputs = set(_state.written)
    if _state.settings["DELETE_STALE"]:
        removed = remove_stale(_state.output_root, store.previous_outputs(), outputs)
        if removed:
            log.info("fastbuild: removed %d page(s) no longer produced", len(removed))
    for key, entry in _state.unsaved.values():  # read results of contents not kept whole
        store.put(key, entry)
    store.commit(outputs)
    store.close()
    counts = _state.counts
    log.info("fastbuild: %d read(s) from cache (%d content(s) kept whole), %d read; %d file(s) written, "
             "%d rendered unchanged, %d not rendered (same signature)", counts["cached"], counts["kept"],
             counts["read"], counts["changed"], counts["unchanged"], counts["skipped"])
    _state.store = None


def register():
    # initialized: settings are final; open the cache before any reader exists.
    signals.initialized.connect(_start)
    # article/page_generator_init: the generator's readers exist and it knows
    # its files but has not read them: wrap the readers, look every file up
    # and start reading the misses on every core (the results are taken as
    # generate_context asks for each file).
    signals.article_generator_init.connect(_prefetch_articles)
    # generator_init: each generator's Jinja environment exists; swap in
    # the memoized filters.
    signals.generator_init.connect(_fast_filters)
    signals.page_generator_init.connect(_prefetch_pages)
    # all_generators_finalized: keep the generators, whose contents get
    # remembered URLs once metadata is final (at get_writer).
    signals.all_generators_finalized.connect(_remember_generators)
    # all_generators_finalized, too: a file no generator asked for is read
    # all the same and cached, and the forked readers are stopped.
    signals.all_generators_finalized.connect(_take_all_reads)
    # article/page_generator_finalized: the generator's contents have their
    # final slug, date and category (registered before the plugins that
    # list URLs at this point): remember their URLs from now on.
    signals.article_generator_finalized.connect(_memoize_urls_of)
    signals.page_generator_finalized.connect(_memoize_urls_of)
    # get_writer: called after every generator and plugin set the metadata
    # and before any page is written: remember URLs, and give Pelican the
    # writer that skips unchanged files.
    signals.get_writer.connect(_writer)
    # finalized: every page is written; sweep stale ones before later
    # finalizers (Pagefind) look at output/, then save the cache.
    signals.finalized.connect(_finish)
