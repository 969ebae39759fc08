"""The statistics plugin in a built site: numbers on the pages, the
statistics page, the data files, `make stats` rewriting only those, and
hostile logs never reaching an output file as markup (acceptance 4)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from statslogs import BOT_UA, PHONE_UA, hit, within_one_day

from helpers import ROOT, article, parse, run_make, run_pelican, settings_for, write_files
from stats.render import article_file

# Ten minutes ago, the few minutes of traffic within one day of the ward's clock.
NOW = within_one_day(time.time() - 600, 300)
FIRST = "/2022/06/hop-mat-dau-nam/"
SECOND = "/2022/06/ra-quan-ve-sinh/"
FILES = {
    "articles/tin-tuc/2022/hop-mat-dau-nam.md": article("Họp mặt đầu năm"),
    "articles/tin-tuc/2022/ra-quan-ve-sinh.md": article("Ra quân vệ sinh", Date="2022-06-11 08:00"),
}


def write_log(path: Path, lines: list[bytes]) -> Path:
    with open(path, "ab") as handle:
        handle.write(b"".join(x + b"\n" for x in lines))
    return path


def traffic(t: float) -> list[bytes]:
    return [
        hit("203.0.113.1", t, "/"),
        hit("203.0.113.1", t + 30, FIRST, referrer="https://www.facebook.com/"),
        hit("203.0.113.1", t + 60, SECOND),
        hit("203.0.113.1", t + 70, "/_danh-gia?bai=hop-mat-dau-nam&diem=4", status=204),
        hit("203.0.113.2", t + 80, FIRST, agent=PHONE_UA),
        hit("203.0.113.2", t + 90, "/_danh-gia?bai=hop-mat-dau-nam&diem=5", agent=PHONE_UA, status=204),
        hit("66.249.66.1", t + 100, FIRST, agent=BOT_UA),
    ]


def stats_settings(tmp_path: Path, log: Path) -> dict:
    return {"STATS": {"DATABASE": str(tmp_path / "stats.sqlite3"), "ACCESS_LOGS": [str(log)]}}


def test_pages_show_the_counts_from_the_log(build_tiny, tmp_path):
    log = write_log(tmp_path / "access.log", traffic(NOW))
    site = build_tiny(FILES, strict=True, **stats_settings(tmp_path, log))
    assert not site.failed
    first = site.html(FIRST.strip("/") + "/index.html")
    assert first.select_one("[data-stats-field=views]").get_text() == "2 lượt xem"
    assert first.select_one("[data-stats-field=rating]").get_text() == "2 lượt đánh giá, trung bình 4,5"
    form = first.select_one("form.rating")
    assert form["action"] == "/_danh-gia" and form["method"] == "get"
    assert form.select_one("input[name=bai]")["value"] == "hop-mat-dau-nam"
    assert [i["value"] for i in form.select("input[name=diem]")] == ["1", "2", "3", "4", "5"]
    second = site.html(SECOND.strip("/") + "/index.html")
    assert second.select_one("[data-stats-field=views]").get_text() == "1 lượt xem"
    assert second.select_one("[data-stats-field=rating]").get_text() == "Chưa có lượt đánh giá"
    counter = first.select_one("[data-stats-counter]")
    assert counter.select_one("[data-stats-field=total]").get_text() == "2.713.913"
    assert counter.select_one("[data-stats-field=today]").get_text() == "2"
    assert counter.has_attr("hidden")  # without JavaScript: the link below
    assert first.select_one(".counter-link a")["href"] == "/thong-ke/"
    assert [a["href"] for a in first.select("[data-stats-most-read] a")] == [FIRST, SECOND]
    script = first.select_one("script[src='/theme/js/stats.js']")
    assert script.has_attr("defer") and script["data-base"] == "/thong-ke/"

    page = site.html("thong-ke/index.html")
    assert page.select_one("h1").get_text() == "Thống kê truy cập"
    assert page.select_one("svg.stats-chart[role=img] title").get_text().startswith("Lượt truy cập và lượt xem trang")
    rows = page.select("table.stats-daily tbody tr")
    assert len(rows) == 90
    assert [td.get_text() for td in rows[0].select("td")] == ["2", "4"]
    top = page.select("ol.stats-top li")
    assert top[0].a["href"] == FIRST and "2 lượt xem" in top[0].get_text()
    assert [c.get_text() for c in page.select("table.stats-referrers tbody tr > *")] == ["facebook.com", "1"]
    devices = [c.get_text() for c in page.select("table.stats-devices tbody td")]
    assert devices == ["1", "50,0%", "1", "50,0%"]

    data = json.loads(site.text("thong-ke/so-lieu.json"))
    assert (data["total"], data["today"], data["online"]) == ("2.713.913", "2", "2")
    # Each article page names the group file that holds its numbers.
    section = first.select_one("[data-stats-article]")
    assert section["data-stats-article"] == "hop-mat-dau-nam"
    group = json.loads(site.text(f"thong-ke/{section['data-stats-file']}"))
    assert group["hop-mat-dau-nam"] == {"views": "2 lượt xem", "rating": "2 lượt đánh giá, trung bình 4,5"}
    other = site.html(SECOND.strip("/") + "/index.html").select_one("[data-stats-article]")
    assert json.loads(site.text(f"thong-ke/{other['data-stats-file']}"))["ra-quan-ve-sinh"]["views"] == "1 lượt xem"


def settings_file(tmp_path: Path, log: Path) -> Path:
    path = tmp_path / "stats_settings.py"
    path.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *  # noqa\n"
        f"THEME = {str(ROOT / 'theme')!r}\n"
        f"STATS = {{'DATABASE': {str(tmp_path / 'stats.sqlite3')!r}, 'ACCESS_LOGS': [{str(log)!r}]}}\n",
        encoding="utf-8")
    return path


def test_make_stats_rewrites_only_the_statistics_outputs(build_tiny, tmp_path):
    log = write_log(tmp_path / "access.log", traffic(NOW))
    site = build_tiny(FILES, **stats_settings(tmp_path, log))
    before = {p: p.stat().st_mtime_ns for p in site.output.rglob("*") if p.is_file()}
    time.sleep(0.05)
    write_log(log, [hit("203.0.113.9", NOW + 200, SECOND, agent=PHONE_UA),
                    hit("203.0.113.9", NOW + 210, "/_danh-gia?bai=ra-quan-ve-sinh&diem=3", agent=PHONE_UA, status=204)])
    result = run_make("stats", f"CONFFILE={settings_file(tmp_path, log)}", f"OUTPUTDIR={site.output}")
    assert result.returncode == 0, result.stdout + result.stderr
    changed = sorted(str(p.relative_to(site.output)) for p, m in before.items() if p.stat().st_mtime_ns != m)
    second_file = f"thong-ke/{article_file('ra-quan-ve-sinh')}"
    assert second_file != f"thong-ke/{article_file('hop-mat-dau-nam')}"  # else both would change
    assert changed == sorted([second_file, "thong-ke/index.html", "thong-ke/so-lieu.json"])
    assert json.loads(site.text("thong-ke/so-lieu.json"))["total"] == "2.713.914"
    assert json.loads(site.text(second_file))["ra-quan-ve-sinh"] == {
        "views": "2 lượt xem", "rating": "1 lượt đánh giá, trung bình 3,0"}
    page = parse(site.output / "thong-ke" / "index.html")
    assert [td.get_text() for td in page.select("table.stats-daily tbody tr")[0].select("td")] == ["3", "5"]
    assert page.select_one(".site-footer") is not None  # the layout around the body is kept


def test_make_stats_without_a_built_site_says_what_to_do(tmp_path):
    log = write_log(tmp_path / "access.log", traffic(NOW))
    result = run_make("stats", f"CONFFILE={settings_file(tmp_path, log)}", f"OUTPUTDIR={tmp_path / 'none'}")
    assert result.returncode != 0
    assert "make html" in result.stdout + result.stderr


HOSTILE = [
    hit("203.0.113.1", NOW, "/<script>alert(\\x22hostile\\x22)</script>/", referrer="https://<b id=\\x22hostile\\x22>.com/"),
    hit("203.0.113.1", NOW + 1, FIRST, agent='Mozilla/5.0 <b id="hostile"> \\x22 \\"', referrer="https://x.com/<b>\\x22"),
    hit("203.0.113.1", NOW + 2, "/" + "<b>" * 30_000 + "/", agent="<b>" * 30_000),
    hit("203.0.113.2", NOW + 3, FIRST, referrer="https://evil.example/\xff").replace(b"Firefox", b"Fire\xff\x00fox"),
    hit("203.0.113.3", NOW + 4, FIRST)[:60],
    hit("203.0.113.3", NOW - 50_000, SECOND),
    hit("203.0.113.4", NOW + 5, "/_danh-gia?bai=<b>hostile</b>&diem=5", status=204),
    hit("203.0.113.4", NOW + 6, '/2022/06/hop-mat-dau-nam/"><b id="hostile">/', status=200),
]


def test_hostile_logs_never_put_markup_into_an_output_file(build_tiny, tmp_path):
    log = write_log(tmp_path / "access.log", HOSTILE)
    site = build_tiny(FILES, strict=True, **stats_settings(tmp_path, log))
    assert not site.failed
    write_log(log, HOSTILE)  # and again through `make stats`
    result = run_make("stats", f"CONFFILE={settings_file(tmp_path, log)}", f"OUTPUTDIR={site.output}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "malformed" in result.stdout + result.stderr
    for path in site.output.rglob("*"):
        if path.suffix not in {".html", ".json", ".js", ".xml", ".svg"}:
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ('<b id="hostile"', "<b>", "<script>alert", "hostile"):
            assert needle not in text, f"{needle!r} in {path}"
        if path.suffix == ".json":
            assert "<" not in text and ">" not in text
    assert json.loads(site.text(f"thong-ke/{article_file('hop-mat-dau-nam')}"))["hop-mat-dau-nam"]["views"] == "4 lượt xem"


def test_data_files_that_cannot_be_written_fail_the_build(tmp_path):
    """A data folder that cannot be written stops the build, saying where."""
    content, output = tmp_path / "content", tmp_path / "output"
    write_files(content, FILES)
    (output / "thong-ke").mkdir(parents=True)
    (output / "thong-ke" / "bai-viet").write_text("a file where the data folder belongs")
    settings = settings_for(content, output, STATS={"DATABASE": str(tmp_path / "stats.sqlite3")})
    with pytest.raises(RuntimeError, match=r"stats: could not write the data files under .*thong-ke \(.*bai-viet"):
        run_pelican(settings)


def test_make_stats_says_which_data_folder_it_cannot_write(build_tiny, tmp_path):
    log = write_log(tmp_path / "access.log", traffic(NOW))
    site = build_tiny(FILES, **stats_settings(tmp_path, log))
    groups = site.output / "thong-ke" / "bai-viet"
    for path in groups.iterdir():
        path.unlink()
    groups.rmdir()
    groups.write_text("a file where the data folder belongs")
    result = run_make("stats", f"CONFFILE={settings_file(tmp_path, log)}", f"OUTPUTDIR={site.output}")
    assert result.returncode != 0
    assert "stats: could not write the data files under" in result.stdout + result.stderr
    assert "writable" in result.stdout + result.stderr
