"""The devserver's warm builder (tools/devserver.py): builds forked from a
process that imported ahead what a build imports give the output of a build
from scratch, report their status, and start over when Python code changes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import ROOT, article, file_tree, parse, write_files

sys.path.insert(0, str(ROOT / "tools"))
from devserver import WarmBuilder, _build_status, needs_new_builder


def _argv(base: Path, output: str) -> list[str]:
    return ["pelican", str(base / "content"), "-o", str(base / output), "-s", str(ROOT / "pelicanconf.py"),
            "-e", f'CACHE_PATH="{base / output}-cache"', "STRICT_BUILD=true", "--log-handler", "plain", "-q"]


def _maps(pid: int) -> str:
    return Path(f"/proc/{pid}/maps").read_text()


def test_warm_builds_match_a_build_from_scratch_and_report_failures(tmp_path):
    write_files(tmp_path / "content", {
        f"articles/bai-{n}.md": article(title=f"Bản tin số {n} của phường Đức Thuận",
                                        body=f"Ủy ban nhân dân phường họp giao ban tuần {n}.",
                                        Date=f"2022-06-{10 + n:02d} 08:00", Category="Tin tức - Sự kiện")
        for n in range(3)})
    builder = WarmBuilder(_argv(tmp_path, "output"), cwd=str(tmp_path))
    try:
        assert builder.build() == 0
        assert builder.last_rss > 0

        source = tmp_path / "content/articles/bai-1.md"
        source.write_text(source.read_text(encoding="utf-8").replace("giao ban tuần 1", "giao ban tuần một"),
                          encoding="utf-8")
        assert builder.build() == 0
        # After the first build (its status sent first) the warm builder
        # imported what that build imported, so this one did not: SQLite's C
        # extension (fastbuild's cache; Pelican alone does not import it) is
        # mapped into it.
        assert "_sqlite3" in _maps(builder._process.pid)
        page = tmp_path / "output/2022/06/ban-tin-so-1-cua-phuong-duc-thuan/index.html"
        assert "giao ban tuần một" in parse(page).select_one("article").get_text()
        cold = subprocess.run([sys.executable, "-m", *_argv(tmp_path, "cold")], cwd=tmp_path, check=False,
                              capture_output=True, text=True)
        assert cold.returncode == 0, cold.stderr
        assert file_tree(tmp_path / "output") == file_tree(tmp_path / "cold")

        # A content error fails the strict build, and the next build, fixed, passes.
        (tmp_path / "content/articles/hong.md").write_text("Title: Bài lỗi\nDate: ngày mai\n\nNội dung.\n",
                                                           encoding="utf-8")
        assert builder.build() != 0
        (tmp_path / "content/articles/hong.md").unlink()
        assert builder.build() == 0

        # A new warm builder (Python code changed) builds as well.
        before = builder._process.pid
        builder.start()
        assert builder._process.pid != before
        assert builder.build() == 0
    finally:
        builder.stop()


def test_only_python_changes_need_a_new_warm_builder():
    assert needs_new_builder(["/site/plugins/images/markup.py"])
    assert needs_new_builder(["/site/content/articles/a.md", "/site/pelicanconf.py"])
    assert not needs_new_builder(["/site/content/articles/a.md", "/site/theme/templates/base.html"])


def test_a_build_that_raises_ends_with_status_1_instead_of_going_on(capsys):
    # A forked build whose exception escaped would carry on as a second warm
    # builder on the same stdin; it is reported and ends as a failed build.
    def crashes():
        raise ZeroDivisionError("chia cho không")

    def stops(code):
        def build():
            raise SystemExit(code)
        return build

    assert _build_status(crashes) == 1
    assert "ZeroDivisionError: chia cho không" in capsys.readouterr().err
    assert [_build_status(stops(code)) for code in (None, 0, 2)] == [0, 0, 2]
    assert _build_status(stops("lỗi cấu hình")) == 1
    assert _build_status(lambda: None) == 0
