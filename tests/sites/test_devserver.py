"""The devserver's warm builder (tools/devserver.py): builds forked from a
process that imported ahead what a build imports give the output of a build
from scratch, report their status, and start over when Python code changes.
Standby builds (set up before the change they build) see every change made
while they waited, and give way to a fresh build when what they set up no
longer holds."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from helpers import ROOT, article, file_tree, parse, write_files

sys.path.insert(0, str(ROOT / "tools"))
from devserver import WarmBuilder, needs_new_builder
from run_pelican import build_status


def _argv(base: Path, output: str, *settings: str) -> list[str]:
    return ["pelican", str(base / "content"), "-o", str(base / output), "-s", str(ROOT / "pelicanconf.py"),
            "-e", f'CACHE_PATH="{base / output}-cache"', "STRICT_BUILD=true", *settings, "--log-handler", "plain",
            "-q"]


def _news(count: int) -> dict[str, str]:
    return {f"articles/bai-{n}.md": article(title=f"Bản tin số {n} của phường Đức Thuận",
                                            body=f"Ủy ban nhân dân phường họp giao ban tuần {n}.",
                                            Date=f"2022-06-{10 + n:02d} 08:00", Category="Tin tức - Sự kiện")
            for n in range(count)}


def _cold_build(base: Path, *settings: str) -> dict[str, bytes]:
    """The output of ``python -m pelican`` from scratch on the same content."""
    shutil.rmtree(base / "cold", ignore_errors=True)
    shutil.rmtree(base / "cold-cache", ignore_errors=True)
    cold = subprocess.run([sys.executable, "-m", *_argv(base, "cold", *settings)], cwd=base, check=False,
                          capture_output=True, text=True)
    assert cold.returncode == 0, cold.stderr
    return file_tree(base / "cold")


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

    assert build_status(crashes) == 1
    assert "ZeroDivisionError: chia cho không" in capsys.readouterr().err
    assert [build_status(stops(code)) for code in (None, 0, 2)] == [0, 0, 2]
    assert build_status(stops("lỗi cấu hình")) == 1
    assert build_status(lambda: None) == 0


def test_a_standby_build_sees_every_change_made_while_it_waited(tmp_path):
    write_files(tmp_path / "content", _news(4))
    log = tmp_path / "builds.log"
    argv = _argv(tmp_path, "output")
    builder = WarmBuilder(argv, cwd=str(tmp_path), log=str(log))
    try:
        assert builder.build() == 0
        assert not builder.last_from_standby  # the first build has nothing set up ahead
        builder.settle()  # the next build has looked the cache up and waits

        content = tmp_path / "content/articles"
        edited = content / "bai-1.md"
        edited.write_text(edited.read_text(encoding="utf-8").replace("giao ban tuần 1", "giao ban tuần một"),
                          encoding="utf-8")
        (content / "bai-2.md").unlink()
        write_files(tmp_path / "content", {"articles/bai-9.md": article(
            title="Phường Đức Thuận ra quân làm sạch môi trường", body="Hơn 300 đoàn viên tham gia.",
            Date="2022-07-01 07:00", Category="Tin tức - Sự kiện")})
        assert builder.build() == 0
        assert builder.last_from_standby
        output = tmp_path / "output"
        assert "giao ban tuần một" in parse(
            output / "2022/06/ban-tin-so-1-cua-phuong-duc-thuan/index.html").select_one("article").get_text()
        assert not (output / "2022/06/ban-tin-so-2-cua-phuong-duc-thuan").exists()
        assert (output / "2022/07/phuong-duc-thuan-ra-quan-lam-sach-moi-truong/index.html").is_file()
        assert file_tree(output) == _cold_build(tmp_path)
        # It recorded what it built from: `make html` right after has nothing
        # to do (Pelican says "Done: Processed …" after each build it runs).
        again = subprocess.run([sys.executable, "-m", *argv], cwd=tmp_path, check=False, capture_output=True,
                               text=True)
        assert again.returncode == 0
        assert "Done: Processed" in log.read_text(encoding="utf-8")
        assert "Done: Processed" not in again.stdout + again.stderr

        # An editor's swap file came and went: the standby build finds that
        # nothing changed, as a build started afresh would, and does nothing.
        builder.settle()
        before = {path: path.stat().st_mtime_ns for path in output.rglob("*") if path.is_file()}
        logged = len(log.read_text(encoding="utf-8"))
        swap = content / ".bai-1.md.swp"
        swap.write_bytes(b"tam")
        swap.unlink()
        assert builder.build() == 0
        assert builder.last_from_standby
        assert "Done: Processed" not in log.read_text(encoding="utf-8")[logged:]
        assert {path: path.stat().st_mtime_ns for path in output.rglob("*") if path.is_file()} == before
    finally:
        builder.stop()


def test_a_standby_build_gives_way_when_the_theme_or_the_cache_changed_while_it_waited(tmp_path):
    write_files(tmp_path / "content", _news(3))
    shutil.copytree(ROOT / "theme", tmp_path / "theme")
    theme = f'THEME="{tmp_path / "theme"}"'
    builder = WarmBuilder(_argv(tmp_path, "output", theme), cwd=str(tmp_path))
    try:
        assert builder.build() == 0
        builder.settle()
        footer = tmp_path / "theme/templates/partials/footer.html"
        footer.write_text(footer.read_text(encoding="utf-8") + "<p>Bản thử giao diện mới</p>\n", encoding="utf-8")
        assert builder.build() == 0
        assert not builder.last_from_standby  # its Jinja templates and cache keys were those of the old theme
        assert "Bản thử giao diện mới" in (tmp_path / "output/index.html").read_text(encoding="utf-8")
        assert file_tree(tmp_path / "output") == _cold_build(tmp_path, theme)

        # Another build (make html in a second terminal) wrote the cache meanwhile.
        builder.settle()
        edited = tmp_path / "content/articles/bai-0.md"
        edited.write_text(edited.read_text(encoding="utf-8").replace("tuần 0", "tuần đầu"), encoding="utf-8")
        other = subprocess.run([sys.executable, "-m", *_argv(tmp_path, "output", theme)], cwd=tmp_path,
                               check=False, capture_output=True, text=True)
        assert other.returncode == 0, other.stderr
        edited.write_text(edited.read_text(encoding="utf-8").replace("tuần đầu", "tuần thứ nhất"), encoding="utf-8")
        assert builder.build() == 0
        assert not builder.last_from_standby
        assert file_tree(tmp_path / "output") == _cold_build(tmp_path, theme)
    finally:
        builder.stop()


def test_a_standby_build_reports_the_time_it_built_not_the_time_it_waited(tmp_path):
    write_files(tmp_path / "content", _news(2))
    log = tmp_path / "builds.log"
    argv = [arg for arg in _argv(tmp_path, "output") if arg != "-q"]
    builder = WarmBuilder(argv, cwd=str(tmp_path), log=str(log))
    try:
        assert builder.build() == 0
        builder.settle()
        waited = 4.0
        time.sleep(waited)
        (tmp_path / "content/articles/bai-1.md").write_text(article(
            title="Bản tin số 1 của phường Đức Thuận", body="Phường họp giao ban tuần thứ hai.",
            Date="2022-06-11 08:00", Category="Tin tức - Sự kiện"), encoding="utf-8")
        assert builder.build() == 0
        assert builder.last_from_standby
    finally:
        builder.stop()
    took = [float(seconds) for seconds in re.findall(r"in ([0-9.]+)\s+seconds", log.read_text(encoding="utf-8"))]
    assert len(took) == 2 and took[-1] < waited


def test_ctrl_c_stops_the_devserver_its_warm_builder_and_the_standby_build_quietly(tmp_path):
    write_files(tmp_path / "content", _news(2))
    (tmp_path / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *  # noqa: F403\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\nTHEME = {str(ROOT / 'theme')!r}\n"
        f"CACHE_PATH = {str(tmp_path / 'cache')!r}\n", encoding="utf-8")
    log = tmp_path / "devserver.log"
    with open(log, "w", encoding="utf-8") as out:
        # A session of its own with Ctrl-C's default action, as in a terminal
        # (a test runner started in the background may have it ignored).
        server = subprocess.Popen(
            [sys.executable, "-c", _DEFAULT_CTRL_C, str(ROOT / "tools/devserver.py"), "--input",
             str(tmp_path / "content"), "--output", str(tmp_path / "output"), "--settings", str(tmp_path / "conf.py"),
             "--port", "0"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while "devserver: build ok" not in log.read_text(encoding="utf-8"):
            assert server.poll() is None and time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.2)
        time.sleep(2)  # the standby build sets up and waits
        group = [pid for pid in os.listdir("/proc") if pid.isdigit() and _session(pid) == server.pid]
        assert len(group) >= 3  # the devserver, its warm builder, the standby build
        os.killpg(server.pid, signal.SIGINT)  # what Ctrl-C does
        assert server.wait(timeout=30) == 0
        deadline = time.monotonic() + 15
        while any(_session(pid) == server.pid for pid in group) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in group if _session(pid) == server.pid]
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    said = log.read_text(encoding="utf-8")
    assert "devserver: stopped" in said
    assert "Traceback" not in said and "Keyboard" not in said


_DEFAULT_CTRL_C = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                   "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])")


def _session(pid) -> int | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[3]) if fields[0] != "Z" else None  # the session id; a zombie has ended
