"""fastbuild's pure modules: fingerprints, the SQLite store, output writing,
forked map."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import types

import pytest
from jinja2 import DictLoader, Environment, FileSystemBytecodeCache

import fastbuild.store
from fastbuild import keep_compiled_templates
from fastbuild.fingerprint import build_fingerprint, stable_repr
from fastbuild.outputs import ChangedOnlyFile, remove_stale, write_if_changed
from fastbuild.parallel import ForkedMap, map_forked
from fastbuild.store import BATCH, KEEP_BUILDS, RACY_NS, Store, read_key
from vietnamese.text import slugify


class Opaque:
    def __init__(self, value):
        self.value = value


def test_stable_repr_has_no_addresses_and_orders_sets():
    first = stable_repr({"B": {3, 1, 2}, "A": [slugify, Opaque(1)]})
    assert first == stable_repr({"A": [slugify, Opaque(1)], "B": {2, 3, 1}})
    assert " at 0x" not in first
    assert "vietnamese.text.slugify" in first
    assert stable_repr(Opaque(1)) != stable_repr(Opaque(2))


def test_fingerprint_changes_with_a_setting_a_plugin_file_or_a_template(tmp_path):
    plugins, theme = tmp_path / "plugins", tmp_path / "theme"
    (plugins / "p").mkdir(parents=True)
    (theme / "templates").mkdir(parents=True)
    (plugins / "p" / "__init__.py").write_text("X = 1\n")
    (theme / "templates" / "base.html").write_text("<html>")
    settings = {"TYPOGRIFY": True, "OUTPUT_PATH": "/a", "CACHE_PATH": "/c"}
    base = build_fingerprint(settings, [plugins, theme])

    assert build_fingerprint({**settings, "OUTPUT_PATH": "/b", "CACHE_PATH": "/tmp/x"}, [plugins, theme]) == base
    assert build_fingerprint({**settings, "TYPOGRIFY": False}, [plugins, theme]) != base
    (plugins / "p" / "__pycache__").mkdir()
    (plugins / "p" / "__pycache__" / "x.pyc").write_bytes(b"compiled")
    assert build_fingerprint(settings, [plugins, theme]) == base
    (plugins / "p" / "__init__.py").write_text("X = 2\n")
    changed_plugin = build_fingerprint(settings, [plugins, theme])
    assert changed_plugin != base
    (theme / "templates" / "base.html").write_text("<html lang=vi>")
    assert build_fingerprint(settings, [plugins, theme]) not in (base, changed_plugin)


def test_read_key_depends_on_bytes_path_and_fingerprint():
    key = read_key("f1", "/c/a.md", b"Title: A")
    assert key == read_key("f1", "/c/a.md", b"Title: A")
    assert len({key, read_key("f2", "/c/a.md", b"Title: A"), read_key("f1", "/c/b.md", b"Title: A"),
                read_key("f1", "/c/a.md", b"Title: B")}) == 4


def test_store_keeps_values_and_prunes_rows_unused_for_some_builds(tmp_path):
    path = str(tmp_path / "cache" / "cache.sqlite")
    store = Store(path)
    store.put("used", {"content": "<p>a</p>", "errors": [("a.md", 3, "Title", "thiếu", "")]})
    store.put("dropped", {"content": "<p>b</p>"})
    store.commit({"index.html", "a/index.html"})
    store.close()

    for _ in range(KEEP_BUILDS + 1):
        store = Store(path)
        assert store.get_many(["used"])["used"]["errors"][0][2] == "Title"
        assert store.previous_outputs() == {"index.html", "a/index.html"}
        store.commit(None)
        store.close()
    store = Store(path)
    assert store.get_many(["dropped", "missing"]) == {}
    store.close()


def test_a_build_that_stops_before_its_commit_leaves_the_cache_as_it_was(tmp_path):
    path = str(tmp_path / "cache.sqlite")
    store = Store(path)
    store.put("kept", {"content": "<p>a</p>"})
    store.commit(set())
    store.close()
    store = Store(path)
    for n in range(BATCH * 2 + 3):  # more than a batch: some rows reach SQLite before the commit
        store.put(f"new-{n}", {"content": f"<p>{n}</p>"})
    store.close()  # the build failed: no commit
    store = Store(path)
    assert store.get_many(["kept", "new-0", f"new-{BATCH * 2}"]) == {"kept": {"content": "<p>a</p>"}}
    store.close()


def test_a_commit_writes_only_the_outputs_and_renders_that_changed(tmp_path):
    path = str(tmp_path / "cache.sqlite")
    store = Store(path)
    store.renders()
    store.previous_outputs()
    store.save_renders({"a": ("sig-a", [["a.html", 1, 2]]), "b": ("sig-b", [["b.html", 3, 4]])})
    store.commit({"a.html", "b.html", "c.html"})
    store.close()

    store = Store(path)
    renders = store.renders()
    store.previous_outputs()
    renders["b"] = ("sig-b2", [["b.html", 5, 6]])
    del renders["a"]
    renders["d"] = ("sig-d", [["d.html", 7, 8]])
    store.save_renders(renders)
    before = store.db.total_changes
    store.commit({"b.html", "c.html", "d.html"})
    # a gone (render and output), b changed, d new (render and output), and the build number
    assert store.db.total_changes - before == 6
    store.close()

    store = Store(path)
    assert store.renders() == {"b": ("sig-b2", [["b.html", 5, 6]]), "d": ("sig-d", [["d.html", 7, 8]])}
    assert store.previous_outputs() == {"b.html", "c.html", "d.html"}
    store.close()


def test_a_source_is_read_for_its_digest_again_only_when_its_size_times_or_inode_changed(tmp_path, monkeypatch):
    opened = []

    def counting_open(path, *args, **kwargs):
        opened.append(os.path.basename(path))
        return open(path, *args, **kwargs)

    monkeypatch.setattr(fastbuild.store, "open", counting_open, raising=False)
    later = types.SimpleNamespace(time_ns=lambda: os.stat(tmp_path).st_mtime_ns + 5 * RACY_NS)
    monkeypatch.setattr(fastbuild.store, "time", later)  # the files were written well before the build
    path = str(tmp_path / "cache.sqlite")
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_bytes(b"Title: A")
    b.write_bytes(b"Title: B")

    def build(*sources):
        store = Store(path)
        digests = [store.file_digest(str(source)) for source in sources]
        store.commit(None)
        store.close()
        return digests

    # Asked twice in one build (a standby build looks up ahead and again): read once.
    assert build(a, b, a, b) == [hashlib.sha256(b"Title: A").digest(), hashlib.sha256(b"Title: B").digest()] * 2
    assert opened == ["a.md", "b.md"]
    assert build(a, b) == [hashlib.sha256(b"Title: A").digest(), hashlib.sha256(b"Title: B").digest()]
    assert opened == ["a.md", "b.md"]  # neither file was read again

    # Same size, modification time put back: the change time still moves.
    times = a.stat()
    a.write_bytes(b"Title: C")
    os.utime(a, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert build(a, b)[0] == hashlib.sha256(b"Title: C").digest()
    assert opened[2:] == ["a.md"]

    # A file no build asks for any more is forgotten; a file written just
    # before the build is hashed every time (its times may not move yet).
    build(a)
    monkeypatch.setattr(fastbuild.store, "time", types.SimpleNamespace(time_ns=lambda: b.stat().st_ctime_ns))
    assert build(a, b)[1] == hashlib.sha256(b"Title: B").digest()
    assert build(a, b)[1] == hashlib.sha256(b"Title: B").digest()
    assert opened[3:] == ["b.md", "b.md"]


def test_an_unchanged_file_is_not_rewritten(tmp_path):
    path = tmp_path / "out" / "a" / "index.html"
    assert write_if_changed(str(path), "Trang chủ".encode())
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert not write_if_changed(str(path), "Trang chủ".encode())
    assert path.stat().st_mtime_ns == 1_000_000_000

    handle = ChangedOnlyFile(str(path), "utf-8")
    handle.write("Trang chủ mới")
    handle.close()
    assert handle.written and path.read_text(encoding="utf-8") == "Trang chủ mới"

    # Atomic: a reader holding the old file keeps reading the old bytes (a
    # new file is renamed into place); nothing is left beside it.
    data = tmp_path / "out" / "api" / "binh-luan.json"
    assert write_if_changed(str(data), b'{"a": 1}\n', atomic=True)
    with open(data, "rb") as reader:
        assert write_if_changed(str(data), b'{"a": 2}\n', atomic=True)
        assert reader.read() == b'{"a": 1}\n'
    assert data.read_bytes() == b'{"a": 2}\n' and sorted(os.listdir(data.parent)) == ["binh-luan.json"]
    os.utime(data, ns=(1_000_000_000, 1_000_000_000))
    assert not write_if_changed(str(data), b'{"a": 2}\n', atomic=True)
    assert data.stat().st_mtime_ns == 1_000_000_000


def test_remove_stale_deletes_only_files_no_longer_produced(tmp_path):
    for name in ("2022/06/cu/index.html", "2022/06/moi/index.html", "index.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    outside = tmp_path.parent / "outside.html"
    outside.write_text("x")
    removed = remove_stale(str(tmp_path), {"2022/06/cu/index.html", "index.html", "../outside.html"},
                           {"index.html", "2022/06/moi/index.html"})
    assert removed == ["2022/06/cu/index.html"]
    assert not (tmp_path / "2022/06/cu").exists()
    assert (tmp_path / "2022/06/moi/index.html").exists() and outside.exists()


def test_map_forked_keeps_order_and_runs_in_other_processes():
    parent = os.getpid()
    results = map_forked(lambda n: (n * n, os.getpid()), list(range(40)), workers=2, chunksize=3)
    assert [square for square, _ in results] == [n * n for n in range(40)]
    assert all(pid != parent for _, pid in results)


def test_the_parent_works_meanwhile_while_the_children_compute(tmp_path):
    """``meanwhile`` runs here while the forked children are already at work:
    each child notes when it started, the parent when it was called."""
    import time  # noqa: PLC0415

    def work(n):
        (tmp_path / f"started-{n}").write_text(str(time.monotonic()))
        time.sleep(0.3)
        return n

    called = []
    results = map_forked(work, list(range(4)), workers=2, chunksize=1,
                         meanwhile=lambda: (time.sleep(0.2), called.append(time.monotonic())))
    assert results == [0, 1, 2, 3]
    first_start = min(float(p.read_text()) for p in tmp_path.glob("started-*"))
    assert first_start < called[0]  # the children did not wait for the parent


def test_a_forked_map_gives_results_in_order_as_they_are_asked_for():
    parent = os.getpid()
    results = ForkedMap(lambda n: (n, os.getpid()), list(range(30)), workers=2, chunksize=2)
    stream = iter(results)
    assert next(stream)[0] == 0
    rest = list(stream)  # the iteration's end stops the children
    assert [n for n, _ in rest] == list(range(1, 30)) and all(pid != parent for _, pid in rest)
    assert results._pool is None
    in_process = ForkedMap(lambda n: (n, os.getpid()), [1, 2], workers=1)
    assert list(in_process) == [(1, parent), (2, parent)]


def test_the_smartypants_fast_paths_give_smartypants_own_answers():
    import smartypants  # noqa: PLC0415
    from typogrify.filters import typogrify  # noqa: PLC0415

    import fastbuild  # noqa: PLC0415

    originals = {name: getattr(getattr(smartypants, name), "__wrapped__", getattr(smartypants, name))
                 for name in fastbuild._SMARTYPANTS_NEEDLES}
    fast = {name: fastbuild._fast_path(function, fastbuild._SMARTYPANTS_NEEDLES[name])
            for name, function in originals.items()}
    runs = ['"Tháng hành động" vì môi trường', "Đồng chí nói: 'Cần làm ngay'", "Năm '80s -- và...", "'",
            '"', "Không có dấu nháy nào — chỉ gạch ngang - và 3.5", "", "&nbsp;'a'", '<p>"x"</p>', "`a'",
            "``Trích'' dẫn", "Chờ. . . rồi... xong", "Gạch---dài và -- ngắn", r"Thoát \" \' \. \- \` \\ hết",
            "Số 3.5 - 4", "Dấu ` đơn"]
    for name, function in originals.items():
        for run in runs:
            assert fast[name](run) == function(run), (name, run)
    # Whole pages: the demo content's articles through Markdown, then typogrify
    # with and without, in each dash style.
    from pathlib import Path  # noqa: PLC0415

    import markdown  # noqa: PLC0415

    content = Path(__file__).resolve().parents[2] / "content"
    pages = [markdown.markdown(p.read_text(encoding="utf-8")) for p in sorted(content.rglob("*.md"))]
    assert len(pages) > 10
    saved = {name: getattr(smartypants, name) for name in originals}
    default = smartypants.Attr.default
    try:
        for attr in (smartypants.Attr.set1, smartypants.Attr.set2, smartypants.Attr.set3):
            smartypants.Attr.default = attr | smartypants.Attr.w
            for name, function in originals.items():
                setattr(smartypants, name, function)
            slow = [typogrify(page) for page in pages]
            for name, function in fast.items():
                setattr(smartypants, name, function)
            assert [typogrify(page) for page in pages] == slow
    finally:
        smartypants.Attr.default = default
        for name, function in saved.items():
            setattr(smartypants, name, function)


def test_walk_files_lists_each_folders_files_then_its_subfolders_in_name_order(tmp_path):
    from fastbuild.unchanged import output_files, tree_state, walk_files  # noqa: PLC0415

    for relative in ("b.html", "a/z.txt", "a/b/c.html", "skip/x.html", "a/drop.txt", "é/ả.html"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(relative, encoding="utf-8")
    skip = [tmp_path / "skip", tmp_path / "a" / "drop.txt"]
    assert [name for name, _ in walk_files(str(tmp_path), skip)] == ["b.html", "a/z.txt", "a/b/c.html", "é/ả.html"]
    listed = {name: (size, mtime) for name, size, mtime in output_files(str(tmp_path))}
    assert set(listed) == {"a/b/c.html", "a/z.txt", "a/drop.txt", "b.html", "skip/x.html", "é/ả.html"}
    assert listed["a/z.txt"] == (7, os.stat(tmp_path / "a" / "z.txt").st_mtime_ns)
    before = tree_state(str(tmp_path), skip)
    (tmp_path / "skip" / "x.html").write_text("changed, but skipped", encoding="utf-8")
    assert tree_state(str(tmp_path), skip) == before
    (tmp_path / "a" / "z.txt").write_text("changed", encoding="utf-8")
    assert tree_state(str(tmp_path), skip) != before


def test_a_listing_made_as_the_build_began_is_brought_up_to_date_as_a_walk_would_find_the_folder(tmp_path):
    from fastbuild.unchanged import output_files, output_files_since, output_listing  # noqa: PLC0415

    def write(relative, text):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")

    for relative in ("index.html", "2022/06/bai-a/index.html", "2022/06/bai-b/index.html", "tin-tuc/index.html",
                     "pagefind/pagefind-entry.json", "pagefind/fragment/a.pf", "bo/di/index.html", "doi/index.html"):
        write(relative, relative)
    an_hour_ago = time.time_ns() - 3600 * 10**9
    for folder in [tmp_path, *(p for p in tmp_path.rglob("*") if p.is_dir())]:
        os.utime(folder, ns=(an_hour_ago, an_hour_ago))  # changed long before the listing: mtimes are trusted
    listing = output_listing(str(tmp_path))

    write("2022/06/bai-a/index.html", "an edited page, rewritten in place")  # the build says so
    write("pagefind/pagefind-entry.json", "in place, said")  # said too
    write("tin-tuc/index.html", "in place, not said")
    write("pagefind/fragment/b.pf", "a new file")
    write("2022/07/bai-c/index.html", "a new page in new folders")
    shutil.rmtree(tmp_path / "bo")
    (tmp_path / "doi" / "index.html").unlink()
    (tmp_path / "doi").rmdir()
    write("doi", "a file where a folder was")
    touched = {"2022/06/bai-a/index.html", "pagefind/pagefind-entry.json", "2022/07/bai-c/index.html"}

    record = {name: (size, mtime) for name, size, mtime in output_files_since(listing, str(tmp_path), touched)}
    walked = {name: (size, mtime) for name, size, mtime in output_files(str(tmp_path))}
    # A file rewritten in place that no one named keeps its listed state:
    # the record then differs from output/, and the next build runs.
    stale = "tin-tuc/index.html"
    listed = {name: (size, mtime) for name, size, mtime in output_files_since(output_listing(str(tmp_path)),
                                                                              str(tmp_path), ())}
    assert listed == walked
    assert record.pop(stale) != walked.pop(stale)
    assert record == walked
    # No output folder when the build began: the whole folder is walked.
    missing = output_listing(str(tmp_path / "not-yet"))
    assert output_files_since(missing, str(tmp_path), ()) == output_files(str(tmp_path))


def test_a_folder_changed_just_before_the_listing_is_read_again_whatever_its_mtime(tmp_path, monkeypatch):
    from fastbuild import unchanged  # noqa: PLC0415

    def same_tick(listing, name):
        # A file added in the same tick of the file system's clock as the
        # folder's listed mtime: the folder's mtime does not move.
        (tmp_path / "a" / name).write_text(name, encoding="utf-8")
        mtime = listing["folders"]["a/"]
        os.utime(tmp_path / "a", ns=(mtime, mtime))
        return {name for name, _, _ in unchanged.output_files_since(listing, str(tmp_path), ())}

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.html").write_text("x", encoding="utf-8")
    # The folder changed less than 2 s before the listing began: read again.
    assert same_tick(unchanged.output_listing(str(tmp_path)), "y.html") == {"a/x.html", "a/y.html"}
    # Without that margin the new file would go unseen.
    monkeypatch.setattr(unchanged, "RACY_NS", 0)
    assert same_tick(unchanged.output_listing(str(tmp_path)), "z.html") == {"a/x.html", "a/y.html"}


def test_the_slug_kept_with_a_read_is_pelicans_and_used_only_for_the_same_arguments():
    from pelican.settings import DEFAULT_CONFIG  # noqa: PLC0415
    from pelican.utils import slugify as pelican_slugify  # noqa: PLC0415

    import fastbuild  # noqa: PLC0415

    settings = {**DEFAULT_CONFIG, "SLUG_REGEX_SUBSTITUTIONS": [(r"[^\w\s-]", ""), (r"(?u)\A\s*", ""),
                                                                (r"(?u)\s*\Z", ""), (r"[-\s]+", "-")]}
    title = "Hội nghị sơ kết &#8220;Ngày Chủ nhật xanh&#8221; — quý III"
    key, slug = fastbuild._title_slug({"title": title}, settings)
    assert slug == pelican_slugify(title, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"])
    assert fastbuild._title_slug({"title": title, "slug": "dat-tay"}, settings) is None
    assert fastbuild._title_slug({"title": title}, {**settings, "SLUGIFY_SOURCE": "basename"}) is None

    memo = fastbuild._memo_slugify(pelican_slugify)
    saved_store, saved_slugs = fastbuild._state.store, fastbuild._state.slugs
    try:
        fastbuild._state.store = object()  # "fastbuild is on for this build"
        fastbuild._state.slugs = {tuple(key): "tu-bo-nho"}
        assert memo(title, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"]) == "tu-bo-nho"
        # Other arguments: the memo misses and slugify answers.
        assert memo(title, regex_subs=[], preserve_case=True) == pelican_slugify(title, regex_subs=[],
                                                                                 preserve_case=True)
        fastbuild._state.store = None  # fastbuild off: never the memo
        assert memo(title, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"]) == slug
    finally:
        fastbuild._state.store, fastbuild._state.slugs = saved_store, saved_slugs


def test_the_strftime_memo_answers_as_pelican_for_each_zone_and_format():
    import datetime  # noqa: PLC0415

    from pelican.utils import SafeDatetime  # noqa: PLC0415

    import fastbuild  # noqa: PLC0415

    original = getattr(fastbuild.pelican.utils.strftime, "__wrapped__", fastbuild.pelican.utils.strftime)
    memo = fastbuild._memo_strftime(original)
    hanoi = datetime.timezone(datetime.timedelta(hours=7))
    here = SafeDatetime(2024, 3, 5, 8, 4, tzinfo=hanoi)
    same_instant = here.astimezone(datetime.UTC)  # equal to ``here``, other local fields
    formats = ["%Y/%m/%d", "%-d/%-m/%Y %H:%M", "ngày %d tháng %m", "%e %Q %%", "%b %Y"]
    saved_store, saved_dates = fastbuild._state.store, fastbuild._state.dates
    try:
        fastbuild._state.store, fastbuild._state.dates = object(), {}  # "fastbuild is on"
        for _ in range(2):  # the second round answers from the memo
            for date in (here, same_instant):
                for fmt in formats:
                    assert memo(date, fmt) == original(date, fmt), (date, fmt)
        assert memo(same_instant, "%H") == "01" and memo(here, "%H") == "08"
        # A name the C locale spells is never kept: a locale change shows.
        assert not any(key[2] == "%b %Y" for key in fastbuild._state.dates)
    finally:
        fastbuild._state.store, fastbuild._state.dates = saved_store, saved_dates


def test_numeric_formats_are_made_without_pelican_strftime_and_give_its_answer():
    import datetime  # noqa: PLC0415
    import random  # noqa: PLC0415

    from pelican.utils import SafeDatetime  # noqa: PLC0415

    import fastbuild  # noqa: PLC0415

    original = getattr(fastbuild.pelican.utils.strftime, "__wrapped__", fastbuild.pelican.utils.strftime)
    numeric = ["%Y", "%m", "%d", "%Y/%m/%d", "%d-%m-%Y %H:%M:%S", "năm %Y tháng %m", "%Y%m%d%H%M%S", ""]
    others = ["%%", "%-d", "%b", "%Y %%", "%j", "%y", "% ", "%", "%e"]
    rng = random.Random(9)
    fast = 0
    for _ in range(500):
        year = rng.choice([5, 999, 1000, 2024, 9999, rng.randint(1, 9999)])
        moment = SafeDatetime(year, rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59),
                              rng.randint(0, 59))
        for date in (moment, moment.date(), datetime.datetime(year, moment.month, moment.day, moment.hour)):
            for fmt in numeric + others:
                answer = fastbuild._numeric_strftime(date, fmt)
                if answer is not None:
                    fast += 1
                    assert answer == original(date, fmt), (date, fmt)
                else:  # Pelican's own function: any other directive, a flag, a year C would not pad
                    assert fmt in others or not 1000 <= year <= 9999 or type(date) is datetime.date
    assert fast > 1500


class _Content:
    """Shaped like a Pelican content: what the signer recognises."""

    def __init__(self, path: str, title: str, body: str) -> None:
        self.source_path = path
        self._content = body
        self.title = title
        self.related: list = []


def test_cards_computed_in_another_process_give_the_same_signatures():
    from fastbuild.signature import Signer  # noqa: PLC0415

    contents = [_Content(f"bai/{n}.md", f"Bản tin số {n}", f"<p>Nội dung {n}</p>") for n in range(12)]
    outside = _Content("trang/gioi-thieu.md", "Giới thiệu", "<p>Phường Đức Thuận</p>")
    for n, content in enumerate(contents):
        content.related = [contents[(n + 1) % 12], contents[(n + 5) % 12]]
    contents[3].related.append(outside)  # not in the list handed over: computed where it is asked for
    context = {"articles": contents, "SITENAME": "x"}

    def signatures(signer):
        return [signer.page(f"{c.source_path}.html", "article", context, (), {"article": c}) for c in contents]

    here = signatures(Signer("build"))
    shared = Signer("build")
    pieces = [contents[0::2], contents[1::2]]
    cards = map_forked(lambda piece: shared.cards(piece, contents), pieces, 2, chunksize=1)
    assert cards[1][1][1] is None  # contents[3] points outside the list
    for piece, found in zip(pieces, cards, strict=True):
        shared.remember(piece, contents, found)
    assert signatures(shared) == here
    contents[7].title = "Bản tin số bảy"  # a title edit shows in every page (the context lists it)
    changed = signatures(Signer("build"))
    assert all(a != b for a, b in zip(changed, here, strict=True))


@pytest.mark.parametrize("html", [
    '<p><img src="a.jpg" alt=""></p>', "<img alt='' src='b.jpg'>", '<img class="x" src="c.jpg" title="t" alt="">',
    '<img src="d.jpg" alt="Ảnh"><img src="e.jpg" alt="">', '<img src="f.jpg" alt="Hội nghị">', "<p>Không có ảnh</p>",
    '<img src="g.jpg">', '<img src="h.jpg" ALT="">', '<img src="i.jpg" alt = "">', "", '<a title="">x</a>',
])
def test_the_empty_alt_check_is_skipped_only_where_pelican_would_warn_of_nothing(html, caplog):
    from pelican.readers import find_empty_alt  # noqa: PLC0415

    from fastbuild import may_have_empty_alt  # noqa: PLC0415

    with caplog.at_level("WARNING", logger="pelican.readers"):
        find_empty_alt(html, "bai.md")
    warned = any("Empty alt" in record.getMessage() for record in caplog.records)
    assert may_have_empty_alt(html) or not warned


class _Wrapper:
    """Stands for a Category: holds the settings, so it travels as a token."""

    def __init__(self, name: str, settings: dict) -> None:
        self.name, self.settings = name, settings


def test_a_kept_content_comes_back_with_todays_shared_objects_and_its_own_sharing():
    from fastbuild import objects  # noqa: PLC0415

    settings, context = {"SITENAME": "Phường Đức Thuận"}, {"articles": []}
    category = _Wrapper("Kinh tế", settings)
    content = _Content("bai/1.md", "Bản tin số 1", "<p>Nội dung</p>")
    content.settings, content._context = settings, context
    content.category = category
    content.metadata = {"category": category, "title": content.title}
    tokens = {_Wrapper: lambda value: ("wrapper", value.name)}

    data = objects.Keeper({"settings": settings, "context": context}, tokens).dump(content)
    assert b"SITENAME" not in data and "Kinh tế".encode() in data  # shared objects are names, wrappers tokens
    today, made = {"SITENAME": "Phường mới"}, []

    def from_token(token):
        made.append(token)
        return _Wrapper(token[1], today)

    found: dict = {}  # the names looked up, shared by the loads of a build
    back = objects.load(data, {"settings": today, "context": context}, from_token, found)
    assert back.settings is today and back._context is context
    assert back.category is back.metadata["category"] and back.category.settings is today
    assert made == [("wrapper", "Kinh tế")]
    assert (back.title, back._content, back.source_path) == (content.title, content._content, content.source_path)
    assert (_Content.__module__, "_Content") in found
    # Another load with the names found: its own wrappers and shared objects, never the last load's.
    other_settings = {"SITENAME": "Phường khác"}
    again = objects.load(data, {"settings": other_settings, "context": {}}, from_token, found)
    assert again.settings is other_settings and again.category is not back.category
    assert again.category is again.metadata["category"] and made == [("wrapper", "Kinh tế")] * 2
    content.extra = {"settings": settings}  # held below an attribute: it would travel as a copy
    with pytest.raises(ValueError, match="shared object"):
        objects.Keeper({"settings": settings, "context": context}, tokens).dump(content)


class _Dated:
    """Enough of an Article for Pelican's translation and archive loops."""

    def __init__(self, n: int, slug: str, lang: str, date, translation: str | None = None) -> None:
        self.source_path = f"bai/{n}.md"
        self.slug, self.lang, self.in_default_lang, self.date = slug, lang, lang == "vi", date
        self.metadata = {"translation": translation} if translation else {}
        self.translations: list = []


def _corpus():
    import datetime as dt  # noqa: PLC0415

    start = dt.datetime(2024, 11, 20, 8, 0)
    contents = []
    for n in range(60):
        slug = f"bai-{n % 23}"  # some slugs shared: translations, or duplicates Pelican warns about
        lang = ("vi", "en", "vi", "fr")[n % 4]
        contents.append(_Dated(n, slug, lang, start + dt.timedelta(days=3 * n),
                               "true" if n % 7 == 0 else None))
    return contents


def test_pelicans_two_square_loops_give_the_same_answers_made_linear(monkeypatch):
    import pelican.generators  # noqa: PLC0415
    import pelican.utils  # noqa: PLC0415

    import fastbuild  # noqa: PLC0415

    fastbuild._install_memos()
    monkeypatch.setattr(fastbuild._state, "store", object())  # fastbuild on for this build
    ids = lambda items: [c.source_path for c in items]  # noqa: E731

    theirs, ours = _corpus(), _corpus()
    index, translations = pelican.utils.process_translations(theirs, "slug")
    fast_index, fast_translations = pelican.generators.process_translations(ours, "slug")
    assert (ids(fast_index), ids(fast_translations)) == (ids(index), ids(translations))
    assert [ids(c.translations) for c in ours] == [ids(c.translations) for c in theirs]
    assert ids(ours) == ids(theirs)  # sorted in place, as Pelican does

    settings = {"YEAR_ARCHIVE_SAVE_AS": "{date:%Y}/index.html", "YEAR_ARCHIVE_URL": "{date:%Y}/",
                "MONTH_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/index.html", "MONTH_ARCHIVE_URL": "{date:%Y}/{date:%m}/",
                "DAY_ARCHIVE_SAVE_AS": "", "DAY_ARCHIVE_URL": ""}
    articles = _corpus()
    by_date = sorted(articles, key=lambda c: c.date, reverse=True)
    build = pelican.generators.ArticlesGenerator._build_period_archives
    slow = build.__wrapped__(None, by_date, articles, settings)
    fast = build(None, by_date, articles, settings)
    assert sorted(fast) == sorted(slow) == ["month", "year"]
    for granularity in slow:
        assert [(a["save_as"], a["period"], ids(a["dates"]), ids(a["articles"])) for a in fast[granularity]] == \
            [(a["save_as"], a["period"], ids(a["dates"]), ids(a["articles"])) for a in slow[granularity]]
    assert any(len(a["articles"]) > 1 for a in slow["month"])


def test_contents_are_not_kept_when_a_plugin_listens_while_they_are_made_or_dates_come_from_files():
    from pelican import signals  # noqa: PLC0415

    import fastbuild  # noqa: PLC0415

    assert fastbuild._objects_allowed({"DEFAULT_DATE": None})
    assert not fastbuild._objects_allowed({"DEFAULT_DATE": "fs"})

    def listener(content):  # a plugin that adds to every content as it is made
        content.note = "x"

    signals.content_object_init.connect(listener)
    try:
        assert not fastbuild._objects_allowed({"DEFAULT_DATE": None})
    finally:
        signals.content_object_init.disconnect(listener)
    assert fastbuild._objects_allowed({"DEFAULT_DATE": None})


def test_files_are_listed_from_one_walk_as_pelican_lists_them(tmp_path, monkeypatch):
    from pelican.generators import Generator  # noqa: PLC0415
    from pelican.settings import read_settings  # noqa: PLC0415

    import fastbuild  # noqa: PLC0415

    for relative in ("articles/a.md", "articles/b.rst", "articles/c.html", "articles/.#d.md", "articles/e.txt",
                     "articles/cu/f.md", "articles/nhap/g.md", "articles/.git/h.md", "trang/i.md", "anh/j.jpg"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x", encoding="utf-8")
    settings = read_settings(override={"PATH": str(tmp_path), "IGNORE_FILES": [".#*", ".git"], "CACHE_CONTENT": False})
    generator = Generator({}, settings, str(tmp_path), settings["THEME"], str(tmp_path / "out"))
    fastbuild._install_memos()
    monkeypatch.setattr(fastbuild._state, "store", object())  # fastbuild on for this build
    monkeypatch.setattr(fastbuild._state, "walks", {})
    pelicans = Generator.get_files.__wrapped__
    calls = [(["articles"], ["nhap"], None), (["articles"], ["nhap"], False), (["articles"], ["nhap"], ("txt", "rst")),
             (["articles", "trang"], None, None), ("anh", [], False), (["articles"], ["nhap"], None), ("khong-co", [], None)]
    for paths, exclude, extensions in calls:
        assert generator.get_files(paths, exclude, extensions) == pelicans(generator, paths, exclude, extensions)
    assert len(fastbuild._state.walks) == 4  # one walk per folder list and exclusions


def test_background_work_runs_in_another_process_and_hands_back_value_or_error():
    import time  # noqa: PLC0415

    from fastbuild.parallel import Background  # noqa: PLC0415

    parent = os.getpid()
    started = time.monotonic()
    slow = Background(lambda: (time.sleep(0.3), os.getpid(), ["ảnh", 1])[1:])
    assert time.monotonic() - started < 0.2  # the caller goes on meanwhile
    inner = Background(os.getpid)  # another fork while the first one runs
    child, value = slow.result()
    assert child != parent and value == ["ảnh", 1]
    assert inner.result() not in (parent, child)
    assert slow.result() == (child, value)  # asked again: the same answer, no second wait

    def fails():
        raise ValueError("hỏng")

    with pytest.raises(ValueError, match="hỏng"):
        Background(fails).result()
    with pytest.raises(RuntimeError, match="could not be sent"):
        Background(lambda: (lambda: None)).result()  # a lambda does not pickle


def test_the_collector_is_off_in_the_build_process_and_on_where_pages_are_made():
    import gc  # noqa: PLC0415
    import weakref  # noqa: PLC0415

    from fastbuild.parallel import Background, collector  # noqa: PLC0415

    assert gc.isenabled()
    with collector(False):
        assert not gc.isenabled()
        # Forked readers and renderers collect their own garbage.
        assert map_forked(lambda _: gc.isenabled(), list(range(6)), workers=2, chunksize=1) == [True] * 6
        assert Background(gc.isenabled).result() is True
        # In this process (one core, few items): on while each item runs,
        # off again between, and each item's cycles are gone once it is done.
        class Node:
            pass

        left = []

        def item(_):
            first, second = Node(), Node()
            first.other, second.other = second, first  # garbage only a collection frees
            left.append(weakref.ref(first))
            return gc.isenabled()

        seen = []
        for on in ForkedMap(item, [1, 2, 3], workers=1):
            seen.append((on, gc.isenabled(), left[-1]() is None))
        assert seen == [(True, False, True)] * 3
        assert not gc.isenabled()
    assert gc.isenabled()  # as it was
    gc.disable()
    try:
        with collector(True):
            assert gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_compiled_templates_are_kept_between_builds_and_no_filter_runs_at_compile_time(tmp_path):
    # A filter given constant arguments whose answer comes from outside the
    # fingerprint (here a dict; in a site, a data file): Jinja would run it
    # once at compile time and keep its answer in the compiled code.
    counter = {"tong": "2.713.911"}
    compiled = []

    def build() -> str:
        env = Environment(loader=DictLoader({"thong-ke.html": "<p>Thống kê: {{ 'tong'|so_lieu }} · {{ online }}</p>"}))
        env.filters["so_lieu"] = counter.get
        keep_compiled_templates(env, FileSystemBytecodeCache(str(tmp_path)))
        compile_source = env.compile
        env.compile = lambda *args, **kwargs: compiled.append(args[1]) or compile_source(*args, **kwargs)
        return env.get_template("thong-ke.html").render(online=20)

    assert build() == "<p>Thống kê: 2.713.911 · 20</p>"
    assert compiled == ["thong-ke.html"] and len(os.listdir(tmp_path)) == 1
    counter["tong"] = "2.714.002"
    assert build() == "<p>Thống kê: 2.714.002 · 20</p>"  # the next build: its own answer
    assert compiled == ["thong-ke.html"]  # from the kept code, not compiled again


def test_a_store_knows_when_another_build_wrote_its_cache_or_the_file_was_replaced(tmp_path):
    path = str(tmp_path / "cache.sqlite")
    Store(path).commit(set())
    waiting = Store(path)  # a standby build's store
    assert not waiting.changed_since_opened()
    other = Store(path)
    other.commit({"index.html"})  # a build in another terminal
    other.close()
    assert waiting.changed_since_opened()
    waiting.close()

    waiting = Store(path)
    for name in os.listdir(tmp_path):  # the cache folder was emptied, and a build made a new cache
        os.remove(tmp_path / name)
    Store(path).commit(set())
    assert waiting.changed_since_opened()
    waiting.close()
