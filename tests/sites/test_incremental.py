"""Incremental builds (fastbuild) give exactly the output of a cold build.

Each scenario builds a small site, then for every edit rebuilds the same
output folder with the same cache, builds a cold copy of the same content
into fresh folders, and compares both trees byte for byte.
"""

from __future__ import annotations

import gc
import io
import json
import logging
import random
import re
import shutil
from pathlib import Path

import pytest
from pelican import signals
from PIL import Image

import content_errors
from fastbuild import unchanged
from fastbuild.unchanged import output_files
from helpers import article, file_tree, parse, run_pelican, settings_for, write_files
from search.shards import shard_of
from vietnamese.text import slugify


def _photo(colour=(90, 140, 60)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return buffer.getvalue()


BODY = 'Ủy ban nhân dân phường triển khai "tháng hành động" vì môi trường -- mọi tổ dân phố tham gia.'
FIGURE = "![Đồng chí Lê Thị Thu Hiền phát biểu](images/2022/06/phat-bieu.jpg)\n*Đồng chí Lê Thị Thu Hiền phát biểu chỉ đạo*"


def _site() -> dict[str, str | bytes]:
    # A document outside STATIC_PATHS: published only because an article links it.
    # One attached to the article whose body the scenarios edit: Pelican
    # publishes it beside that article's page ({attach}), which it learns
    # only when the page is rendered.
    files: dict[str, str | bytes] = {"images/2022/06/phat-bieu.jpg": _photo(),
                                     "van-ban/ke-hoach-so-12.pdf": b"%PDF-1.4 ke hoach\n",
                                     "van-ban/bien-ban-hop.pdf": b"%PDF-1.4 bien ban\n"}
    links = {4: "[Tải kế hoạch số 12]({static}/van-ban/ke-hoach-so-12.pdf)",
             3: "[Tải biên bản cuộc họp]({attach}/van-ban/bien-ban-hop.pdf)"}
    for index in range(7):
        category = ["Tin tức - Sự kiện", "Kinh tế", "Thông báo"][index % 3]
        attachment = f"\n\n{links[index]}" if index in links else ""
        files[f"articles/bai/{index}.md"] = article(
            title=f"Bản tin số {index + 1} của phường Đức Thuận",
            body=f"{BODY}\n\n{FIGURE}\n\nĐoạn thứ hai của bản tin {index + 1}.{attachment}",
            Date=f"2022-06-{10 + index:02d} 15:30",
            Category=category,
            Tags="môi trường, tổ dân phố" if index % 2 else "hội nghị",
            # A cover: its thumbnail is in every list the article is in.
            Image="images/2022/06/phat-bieu.jpg" if index == 0 else None,
        )
    return files


class Site:
    """One content folder, built incrementally into one output folder."""

    def __init__(self, base: Path, **settings) -> None:
        self.base = base
        self.content = base / "content"
        self.settings = settings
        self.colds = 0
        write_files(self.content, _site())

    def build(self, output: Path, cache: Path) -> list:
        settings = settings_for(self.content, output, CACHE_PATH=str(cache), **self.settings)
        run_pelican(settings, self.base)
        return content_errors.errors()

    def incremental(self) -> list:
        return self.build(self.base / "output", self.base / "cache")

    def cold(self) -> Path:
        self.colds += 1
        output = self.base / f"cold{self.colds}" / "output"
        self.build(output, output.parent / "cache")
        return output

    def assert_same_as_cold(self) -> None:
        if not self.incremental():  # a build with content errors leaves no record
            self.assert_record_lists_the_output()
        incremental, cold = file_tree(self.base / "output"), file_tree(self.cold())
        assert sorted(incremental) == sorted(cold), "the incremental build has other files than a cold one"
        different = [name for name in cold if incremental[name] != cold[name]]
        assert not different, f"files differ from a cold build: {different[:10]}"


    def assert_record_lists_the_output(self) -> None:
        """The no-change record, brought up to date from the listing made as
        the build began, lists output/ exactly as a walk of it does now."""
        record = json.loads((self.base / "cache" / "fastbuild" / "last-build.json").read_text(encoding="utf-8"))
        walked = sorted(map(tuple, output_files(str(self.base / "output"))))
        assert sorted(map(tuple, record["outputs"])) == walked


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


EDITS = {
    "edit a body": lambda s: _edit(s.content / "articles/bai/3.md", "Đoạn thứ hai", "Đoạn thứ hai, đã sửa,"),
    "edit a title": lambda s: _edit(s.content / "articles/bai/2.md", "Bản tin số 3", "Bản tin số ba"),
    # The document it attaches ({attach}) moves to the article's new folder.
    "retitle the article with an attachment": lambda s: _edit(s.content / "articles/bai/3.md", "Bản tin số 4",
                                                              "Bản tin số bốn"),
    "add an article": lambda s: write_files(s.content, {"articles/bai/moi.md": article(
        title="Bài mới về an ninh trật tự", Date="2022-07-01 08:00", Category="Quốc phòng - An ninh",
        Tags="an ninh", body="Công an phường tuần tra ban đêm.")}),
    "delete an article": lambda s: (s.content / "articles/bai/5.md").unlink(),
    "delete a linked document": lambda s: (
        _edit(s.content / "articles/bai/4.md", "[Tải kế hoạch số 12]({static}/van-ban/ke-hoach-so-12.pdf)", ""),
        (s.content / "van-ban/ke-hoach-so-12.pdf").unlink()),
    "change a category": lambda s: _edit(s.content / "articles/bai/0.md", "Category: Tin tức - Sự kiện",
                                         "Category: Chính quyền"),
    # Same name, other bytes: the derivatives (named after the bytes) change
    # in the article and in every list showing its thumbnail.
    "replace a photo": lambda s: write_files(s.content, {"images/2022/06/phat-bieu.jpg": _photo((200, 40, 40))}),
    "change a setting": lambda s: s.settings.update(TYPOGRIFY=False),
    # Jinja folds a filter with constant arguments when it compiles a
    # template ({{ 'css/site.css'|asset }}): compiled templates kept from
    # the previous build would keep its SITEURL.
    "change the site URL": lambda s: s.settings.update(SITEURL="https://phuongducthuan.example.gov.vn"),
    # Pelican copies the theme's files on every build: the ones it no longer
    # copies must go as well.
    "copy fewer of the theme's files": lambda s: s.settings.update(THEME_STATIC_PATHS=["static/css"]),
}


@pytest.mark.parametrize("workers", [1, 2], ids=["in-process", "forked"])
def test_every_edit_gives_the_output_of_a_cold_build(tmp_path, workers):
    # Two pages a search shard: the index is split into shards, and a
    # rebuild indexes again only the shards whose pages changed.
    site = Site(tmp_path, FASTBUILD={"MIN_PARALLEL": 1, "WORKERS": workers}, SEARCH={"SHARD_PAGES": 2})
    site.assert_same_as_cold()  # first build: cold cache on both sides
    templates = tmp_path / "cache/fastbuild/templates"  # compiled templates, one folder per fingerprint
    kept = {folder.name for folder in templates.iterdir()}
    for name, edit in EDITS.items():
        edit(site)
        try:
            site.assert_same_as_cold()
        except AssertionError as error:
            raise AssertionError(f"after «{name}»: {error}") from None
        now = {folder.name for folder in templates.iterdir()}
        assert len(now) == 1 and any((templates / folder).iterdir() for folder in now), name
        if name in ("change a setting", "change the site URL", "copy fewer of the theme's files"):  # another fingerprint; the old folder is gone
            assert now != kept, name
        else:
            assert now == kept, name
        kept = now


def _header(path: Path, field: str, value: str | None) -> None:
    """Set (or, with None, remove) one header line of a Markdown source."""
    head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    lines = [line for line in head.split("\n") if not line.startswith(f"{field}:")]
    lines += [] if value is None else [f"{field}: {value}"]
    path.write_text("\n".join(lines) + "\n\n" + body, encoding="utf-8")


TAG_POOL = ["hội nghị", "môi trường", "tổ dân phố", "an ninh", "giáo dục", "y tế", "chuyển đổi số"]
CATEGORY_POOL = ["Tin tức - Sự kiện", "Kinh tế", "Thông báo", "Chính quyền", "Quốc phòng - An ninh"]


class _Draw:
    """What one random edit works on: an article source, the step number
    (for unique text and names), a day, and the random generator to draw more."""

    def __init__(self, rng: random.Random, site: Site, step: int) -> None:
        self.rng, self.site, self.step = rng, site, step
        self.sources = sorted((site.content / "articles").rglob("*.md"))
        self.path = rng.choice(self.sources)
        self.text = self.path.read_text(encoding="utf-8")
        self.day = f"2022-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    def comment(self) -> None:
        slug = slugify(re.search(r"^Title: (.*)$", self.text, re.MULTILINE).group(1))
        n = self.step
        write_files(self.site.content, {f"comments/{slug}/{self.day.replace('-', '')}-080000-{n}.md":
                                        f"Author: Người dân số {n}\nDate: {self.day} 08:00\nArticle: {slug}\n"
                                        f"Id: {n}\n\nÝ kiến số {n}.\n"})

    def add(self) -> None:
        n = self.step
        self.path = self.site.content / f"articles/moi/{n}.md"
        write_files(self.site.content, {f"articles/moi/{n}.md": article(
            title=f"Bài mới số {n} về đời sống khu dân cư", Date=f"{self.day} 08:00",
            Category=self.rng.choice(CATEGORY_POOL), Tags=", ".join(self.rng.sample(TAG_POOL, 2)),
            body=f"Nội dung bài mới số {n}.\n\n{FIGURE if self.rng.random() < 0.5 else ''}")})

    def rename(self) -> None:
        target = self.site.content / f"articles/doi-ten/{self.step}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        self.path.rename(target)


RANDOM_EDITS = {
    "body": lambda d: d.path.write_text(d.text + f"\nCâu bổ sung số {d.step} về hội nghị.\n", encoding="utf-8"),
    "title": lambda d: _header(d.path, "Title", f"Tiêu đề mới số {d.step} của phường Đức Thuận"),
    "tags": lambda d: _header(d.path, "Tags", ", ".join(d.rng.sample(TAG_POOL, d.rng.randint(1, 3)))),
    "date": lambda d: _header(d.path, "Date", f"{d.day} {d.rng.randint(6, 20):02d}:00"),
    "category": lambda d: _header(d.path, "Category", d.rng.choice(CATEGORY_POOL)),
    "summary": lambda d: _header(d.path, "Summary", f"Tóm tắt mới số {d.step}."),
    "draft": lambda d: _header(d.path, "Status", None if "Status: draft" in d.text else "draft"),
    "figure": lambda d: d.path.write_text(d.text.replace(FIGURE, "") if FIGURE in d.text else f"{d.text}\n{FIGURE}\n",
                                          encoding="utf-8"),
    "cover": lambda d: _header(d.path, "Image", None if "\nImage:" in d.text else "images/2022/06/phat-bieu.jpg"),
    "comment": _Draw.comment,
    "touch": lambda d: d.path.write_bytes(d.path.read_bytes()),  # same bytes, new mtime
    "photo": lambda d: write_files(d.site.content, {"images/2022/06/phat-bieu.jpg": _photo((d.rng.randint(0, 255), 40, 40))}),
    "add": _Draw.add,
    "delete": lambda d: d.path.unlink() if len(d.sources) > 3 else None,
    "rename": _Draw.rename,
}


@pytest.mark.parametrize("seed", [1, 4])
def test_random_edit_sequences_give_the_output_of_a_cold_build(tmp_path, seed, monkeypatch):
    # Edits drawn at random (a fixed seed: the same sequence every run), each
    # followed by an incremental build compared with a cold one. Sequences
    # like these found the documents an article links or attaches left
    # published after the article was deleted or retitled.
    # Builds here follow each other within the 2 s in which a folder the
    # last build changed is read again whatever its mtime says: without that
    # margin the record's update relies on folder mtimes and on the files
    # the build says it wrote, as it does between an editor's builds.
    monkeypatch.setattr(unchanged, "RACY_NS", 0)
    rng = random.Random(seed)
    site = Site(tmp_path, FASTBUILD={"MIN_PARALLEL": 1, "WORKERS": 1}, SEARCH={"SHARD_PAGES": 3})
    site.assert_same_as_cold()
    done = []
    for step in range(16):
        draw = _Draw(rng, site, step)
        kind = rng.choice(sorted(RANDOM_EDITS))
        RANDOM_EDITS[kind](draw)
        done.append(f"{kind} {draw.path.relative_to(site.content)}")
        try:
            site.assert_same_as_cold()
        except AssertionError as error:
            raise AssertionError(f"after {done}: {error}") from None


@pytest.mark.parametrize("workers", [1, 2], ids=["in-process", "forked"])
def test_the_output_is_the_same_as_without_fastbuild(tmp_path, workers):
    # Forked: pages are read and rendered by two child processes.
    site = Site(tmp_path, FASTBUILD={"MIN_PARALLEL": 1, "WORKERS": workers})
    site.incremental()
    site.settings["FASTBUILD"] = {"ENABLED": False}
    plain = site.cold()
    fast = file_tree(tmp_path / "output")
    assert fast == file_tree(plain)
    # Pelican renders a content before it copies the static files; fastbuild
    # renders pages last, so it must resolve {attach} links before the copy.
    attached = "2022/06/ban-tin-so-4-cua-phuong-duc-thuan/bien-ban-hop.pdf"
    assert attached in fast and "van-ban/bien-ban-hop.pdf" not in fast
    page = parse(tmp_path / "output" / "2022/06/ban-tin-so-4-cua-phuong-duc-thuan/index.html")
    assert page.select_one(f'article a[href="/{attached}"]') is not None


def test_a_deleted_article_disappears_and_unchanged_pages_are_not_rewritten(tmp_path):
    site = Site(tmp_path)
    site.incremental()
    output = tmp_path / "output"
    deleted = output / "2022/06/ban-tin-so-6-cua-phuong-duc-thuan/index.html"
    assert deleted.exists()
    (site.content / "articles/bai/5.md").unlink()
    site.incremental()
    assert not deleted.exists(), "the deleted article's page is still published"

    # A body edit changes that article's page only (every page lists the
    # latest titles, so a deletion above rewrote them all); no other file
    # is written again (the theme's files, the sitemap, the data files), so
    # rsync sees one new page, plus the search index of its shard.
    watched = [p for p in output.rglob("*") if p.is_file() and "pagefind" not in p.relative_to(output).parts]
    before = {p: p.stat().st_mtime_ns for p in watched}
    _edit(site.content / "articles/bai/3.md", "Đoạn thứ hai", "Đoạn thứ hai, đã sửa,")
    site.incremental()
    edited = output / "2022/06/ban-tin-so-4-cua-phuong-duc-thuan/index.html"
    assert "đã sửa" in parse(edited).select_one("article").get_text()
    rewritten = [str(p.relative_to(output)) for p, mtime in before.items() if p.stat().st_mtime_ns != mtime]
    assert rewritten == [str(edited.relative_to(output))]


@pytest.mark.parametrize("workers", [1, 2], ids=["in-process", "forked"])
def test_rebuilds_report_the_same_errors_and_notice_a_photo_added(tmp_path, workers):
    site = Site(tmp_path, FASTBUILD={"MIN_PARALLEL": 1, "WORKERS": workers})
    write_files(site.content, {
        "articles/bai/loi.md": article(
            title="Bài có ảnh thiếu", body="![Hội nghị](images/2022/06/chua-co.jpg)\n*Toàn cảnh hội nghị*"),
        # "Hội Nghị" differs from the other articles' "hội nghị" by case only:
        # reported after all files are read, from tags each read recorded.
        "articles/bai/the.md": article(title="Bài có từ khóa viết hoa", Tags="Hội Nghị"),
    })
    first = [(e.field, e.message) for e in site.incremental()]
    assert any("chua-co.jpg" in message for _, message in first)
    assert any("Hội Nghị" in message for _, message in first)

    again = [(e.field, e.message) for e in site.incremental()]
    assert again == first, "a rebuild from the cache lost content errors"

    write_files(site.content, {"images/2022/06/chua-co.jpg": _photo()})
    assert not [e for e in site.incremental() if "chua-co.jpg" in e.message]


def _fastbuild_messages(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "fastbuild"]


def _rendered(caplog) -> list[str]:
    """The files the last build rendered (its "fastbuild: rendering" line)."""
    lines = [m for m in _fastbuild_messages(caplog) if m.startswith("fastbuild: rendering ")]
    return sorted(lines[-1].removeprefix("fastbuild: rendering ").split(", ")) if lines else []


def test_a_body_edit_renders_that_article_only_and_a_title_edit_renders_the_lists(tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger="fastbuild")
    site = Site(tmp_path, FASTBUILD={"SKIP_UNCHANGED": False})
    site.incremental()
    caplog.clear()
    site.incremental()  # nothing changed: nothing rendered
    assert any(", 0 rendered by" in m for m in _fastbuild_messages(caplog)), _fastbuild_messages(caplog)

    _edit(site.content / "articles/bai/3.md", "Đoạn thứ hai", "Đoạn thứ hai, đã sửa,")
    caplog.clear()
    site.incremental()
    assert _rendered(caplog) == ["2022/06/ban-tin-so-4-cua-phuong-duc-thuan/index.html"]

    # Every page lists the newest titles: a title edit renders them again.
    _edit(site.content / "articles/bai/6.md", "Bản tin số 7", "Bản tin số bảy")
    caplog.clear()
    site.incremental()
    rendered = [m for m in _fastbuild_messages(caplog) if "page call(s)" in m][-1]
    calls, count = re.match(r"fastbuild: (\d+) page call\(s\), (\d+) rendered", rendered).groups()
    assert int(count) == int(calls) > 10


def _search_messages(caplog, level=logging.INFO) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "search" and r.levelno >= level]


def test_a_body_edit_indexes_its_search_shard_only(tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger="search")
    site = Site(tmp_path, SEARCH={"SHARD_PAGES": 2}, FASTBUILD={"SKIP_UNCHANGED": False})
    site.incremental()
    # 4 shards by hash; one is empty here and left out.
    assert "7 page(s) in 3 shard(s) of pagefind/; Pagefind indexed 3 shard(s) again" in _search_messages(caplog)[-1]
    listing = (tmp_path / "output/pagefind/shards.json").read_text()
    assert listing == '{"shards": ["s1/", "s2/"]}'
    caplog.clear()
    site.incremental()
    assert "Pagefind indexed 0 shard(s) again (0 file(s) changed, 0 removed)" in _search_messages(caplog)[-1]

    _edit(site.content / "articles/bai/3.md", "Đoạn thứ hai", "Đoạn thứ hai, đã sửa,")
    caplog.clear()
    site.incremental()
    # Started as soon as the edited page was written, and used: the other
    # pages stayed as they were.
    assert "Pagefind indexed 1 shard(s) again" in _search_messages(caplog)[-2]
    assert _search_messages(caplog)[-1] == "search: 1 of those shard(s) indexed while the build went on"

    # A title edit rewrites every page (the sidebar lists the newest
    # titles), but only the edited page's indexed part changes. Its address
    # follows the title: it leaves its shard for the one of its new path,
    # which was indexed ahead (the old page did not count there).
    _edit(site.content / "articles/bai/3.md", "Bản tin số 4", "Bản tin số bốn")
    caplog.clear()
    site.incremental()
    output = tmp_path / "output"
    old, new = (f"2022/06/ban-tin-so-{n}-cua-phuong-duc-thuan/index.html" for n in ("4", "bon"))
    assert (output / new).exists() and not (output / old).exists()
    assert shard_of(old, 4) != shard_of(new, 4)
    assert "Pagefind indexed 2 shard(s) again" in _search_messages(caplog)[-2]
    assert _search_messages(caplog)[-1] == "search: 1 of those shard(s) indexed while the build went on"

    # An edit and, in the same build, the deletion of another article of the
    # edited page's shard: the early run still counted the deleted page, so
    # it is dropped and the shard indexed again.
    same_shard = [path for path in output.glob("2022/06/*/index.html")
                  if path.relative_to(output).as_posix() != new
                  and shard_of(path.relative_to(output).as_posix(), 4) == shard_of(new, 4)]
    number = int(re.search(r"<h1>Bản tin số (\d+)", same_shard[0].read_text(encoding="utf-8")).group(1))
    (site.content / f"articles/bai/{number - 1}.md").unlink()
    _edit(site.content / "articles/bai/3.md", "Đoạn thứ hai", "Đoạn thứ hai, sửa lần nữa,")
    caplog.clear()
    site.incremental()
    assert not same_shard[0].exists()
    assert any(m.startswith("search: Pagefind started ahead on shard(s)")
               for m in _search_messages(caplog, logging.DEBUG))
    assert "Pagefind indexed 1 shard(s) again" in _search_messages(caplog)[-1]
    assert not any("while the build went on" in m for m in _search_messages(caplog))

    # A shard's bundle touched by hand is indexed again.
    fragment = next((tmp_path / "output/pagefind/s2/fragment").iterdir())
    fragment.unlink()
    caplog.clear()
    site.incremental()
    assert "Pagefind indexed 1 shard(s) again" in _search_messages(caplog)[-1]
    assert fragment.exists()


def test_a_build_with_nothing_changed_is_skipped_and_a_hand_edit_undone(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="fastbuild")
    site = Site(tmp_path)
    site.incremental()
    output = tmp_path / "output"
    before = file_tree(output)
    caplog.clear()
    site.incremental()
    assert any("nothing changed since the last build" in m for m in _fastbuild_messages(caplog))
    assert file_tree(output) == before

    # A page deleted or edited in output/ by hand: the build runs and restores it.
    page = output / "2022/06/ban-tin-so-4-cua-phuong-duc-thuan/index.html"
    page.unlink()
    (output / "index.html").write_text("sửa tay", encoding="utf-8")
    caplog.clear()
    site.incremental()
    assert not any("nothing changed" in m for m in _fastbuild_messages(caplog))
    assert file_tree(output) == before

    # A build with content errors runs (and reports them) every time.
    write_files(site.content, {"articles/bai/loi.md": article(title="Bài có ảnh thiếu",
                                                               body="![Ảnh](images/2022/06/khong-co.jpg)\n*Chú thích*")})
    assert site.incremental()
    caplog.clear()
    assert site.incremental(), "a skipped build must not hide content errors"
    assert not any("nothing changed" in m for m in _fastbuild_messages(caplog))


@pytest.mark.parametrize("workers", [1, 2], ids=["in-process", "forked"])
def test_a_read_that_crashes_skips_that_file_only(tmp_path, workers, monkeypatch, caplog):
    """A reader bug on one file (here: a forced exception) is reported for
    that file, as Pelican reports its own read errors; the files read after
    it by the same readers are built, and the failed read is not cached."""
    import fastbuild  # noqa: PLC0415

    real = fastbuild._read_fresh

    def crash_on_four(reader, path):
        if path.endswith("bai/4.md"):
            raise ValueError("trình đọc gặp lỗi giả lập")
        return real(reader, path)

    monkeypatch.setattr(fastbuild, "_read_fresh", crash_on_four)
    # DEBUG: Pelican then logs the exception with its message.
    site = Site(tmp_path, FASTBUILD={"MIN_PARALLEL": 1, "WORKERS": workers}, DEBUG=True)
    with caplog.at_level(logging.ERROR):
        site.incremental()
    failed = [r for r in caplog.records if r.getMessage() == "Could not process articles/bai/4.md"]
    assert len(failed) == 1 and "trình đọc gặp lỗi giả lập" in str(failed[0].exc_info[1])
    output = tmp_path / "output"
    built = {p.parent.name for p in output.glob("2022/*/*/index.html")}
    assert len(built) == 6  # the other six articles, including those read after the failure
    monkeypatch.setattr(fastbuild, "_read_fresh", real)
    caplog.clear()
    site.incremental()  # the failure was not cached: the file is read again and built
    assert len({p.parent.name for p in output.glob("2022/*/*/index.html")}) == 7


def test_a_template_edit_shows_in_every_page_of_the_next_build(tmp_path):
    """The theme is part of the build's fingerprint: an edited partial
    shows in every page, as in a cold build."""
    theme = tmp_path / "theme"
    shutil.copytree(Path(__file__).parents[2] / "theme", theme)
    site = Site(tmp_path, THEME=str(theme))
    site.incremental()
    footer = theme / "templates" / "partials" / "footer.html"
    _edit(footer, '<p class="footer-title">', '<p class="footer-note">Trang thử nghiệm</p>\n      <p class="footer-title">')
    site.assert_same_as_cold()
    for page in ("index.html", "2022/06/ban-tin-so-2-cua-phuong-duc-thuan/index.html"):
        notes = parse(tmp_path / "output" / page).select(".footer-note")
        assert [note.get_text() for note in notes] == ["Trang thử nghiệm"], page


def _kept(caplog) -> int:
    line = [m for m in _fastbuild_messages(caplog) if "kept whole" in m][-1]
    return int(re.search(r"\((\d+) content\(s\) kept whole\)", line).group(1))


def test_contents_are_kept_whole_between_builds_but_not_one_dated_in_the_future(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="fastbuild")
    site = Site(tmp_path, FASTBUILD={"SKIP_UNCHANGED": False})
    # Whether a future-dated article is a draft depends on the clock: it is made anew every build.
    write_files(site.content, {"articles/bai/sap-toi.md": article(
        title="Lịch tiếp công dân năm sau", Date="2099-01-05 08:00", body="Lịch tiếp công dân của phường.")})
    site.incremental()
    assert _kept(caplog) == 0
    caplog.clear()
    site.incremental()
    assert _kept(caplog) == 7

    _edit(site.content / "articles/bai/3.md", "Đoạn thứ hai", "Đoạn thứ hai, đã sửa,")
    caplog.clear()
    site.incremental()
    assert _kept(caplog) == 6  # the edited one is made from its new read
    site.assert_same_as_cold()


def test_the_build_process_does_not_collect_while_it_builds_and_does_after(tmp_path):
    # Full collections would walk every article of a large site for nothing
    # (fastbuild.parallel.collector); a process running several builds (the
    # tests, an editor's script) gets its collector back after each.
    seen = []

    def note(*_args, **_kwargs):
        seen.append(gc.isenabled())

    signals.all_generators_finalized.connect(note)
    try:
        site = Site(tmp_path)
        site.incremental()
        _edit(site.content / "articles/bai/1.md", "Đoạn thứ hai", "Đoạn kế tiếp")
        site.incremental()
    finally:
        signals.all_generators_finalized.disconnect(note)
    assert seen == [False, False]
    assert gc.isenabled()


def test_the_files_written_in_place_are_forgotten_when_the_next_build_starts(tmp_path):
    # Without the no-change record nothing reads them, yet a process that
    # builds again and again (pelican -r) must not keep every path it wrote.
    from fastbuild import outputs  # noqa: PLC0415

    first = Site(tmp_path / "a", FASTBUILD={"SKIP_UNCHANGED": False})
    first.incremental()
    assert any(path.startswith(str(tmp_path / "a" / "output")) for path in outputs.written_here)
    Site(tmp_path / "b", FASTBUILD={"SKIP_UNCHANGED": False}).incremental()
    assert outputs.written_here
    assert not any(path.startswith(str(tmp_path / "a")) for path in outputs.written_here)
