"""tools/run_pelican.py, Pelican's command line as `make html` runs it: the
same output, messages and exit status as ``python -m pelican``, and nothing
lost by leaving without the interpreter's shutdown (buffered output, exit
handlers, threads still working)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import PELICAN, ROOT, article, file_tree, write_files


def _run(command: list[str], base: Path, output: str, conf: Path = ROOT / "pelicanconf.py") -> subprocess.CompletedProcess:
    # stdout is a pipe and Python buffers it (PYTHONUNBUFFERED unset): a lost flush would show
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    return subprocess.run(
        [*command, str(base / "content"), "-o", str(base / output), "-s", str(conf),
         "-e", f'CACHE_PATH="{base / output}-cache"', "STRICT_BUILD=true", "--log-handler", "plain"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def test_run_pelican_builds_and_fails_as_python_m_pelican_does(tmp_path):
    write_files(tmp_path / "content", {
        "articles/giao-ban.md": article(title="Giao ban tháng 6 của phường Đức Thuận"),
        "articles/ra-quan.md": article(title="Ra quân làm sạch đường làng", Date="2022-06-12 07:00"),
    })
    ours = _run(PELICAN, tmp_path, "ours")
    theirs = _run([sys.executable, "-m", "pelican"], tmp_path, "theirs")
    assert (ours.returncode, theirs.returncode) == (0, 0), ours.stdout + ours.stderr
    assert "Done: Processed 2 articles" in ours.stdout
    assert file_tree(tmp_path / "ours") == file_tree(tmp_path / "theirs")

    # A content error stops the strict build with the status and the message
    # python -m pelican gives (it names the file).
    write_files(tmp_path / "content", {"articles/ngay-sai.md": article(title="Ngày ghi sai", Date="2022-13-45")})
    ours = _run(PELICAN, tmp_path, "ours-bad")
    theirs = _run([sys.executable, "-m", "pelican"], tmp_path, "theirs-bad")
    assert ours.returncode == theirs.returncode != 0
    assert "ngay-sai.md" in ours.stdout + ours.stderr
    assert "Done: Processed" not in ours.stdout


LATE_PLUGIN = '''
import atexit, sys, threading, time
from pathlib import Path
from pelican import signals

def _finalized(pelican):
    folder = Path(pelican.settings["OUTPUT_PATH"]).parent
    def late_write():
        time.sleep(0.5)
        (folder / "from-thread.txt").write_text("thread done", encoding="utf-8")
    threading.Thread(target=late_write).start()  # not a daemon: the interpreter would wait for it
    def at_exit():
        (folder / "from-atexit.txt").write_text("atexit ran", encoding="utf-8")
        sys.stdout.write("a line still in the buffer")  # after Pelican's last message; no newline, no flush
    atexit.register(at_exit)

def register():
    signals.finalized.connect(_finalized)
'''


def test_threads_exit_handlers_and_buffered_output_are_not_lost(tmp_path):
    write_files(tmp_path, {
        "content/articles/giao-ban.md": article(title="Giao ban tháng 6 của phường Đức Thuận"),
        "plugins/late_plugin/__init__.py": LATE_PLUGIN,
        "conf.py": f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *  # noqa\n"
                   f"PLUGIN_PATHS = [*PLUGIN_PATHS, {str(tmp_path / 'plugins')!r}]\nPLUGINS = [*PLUGINS, 'late_plugin']\n",
    })
    done = _run(PELICAN, tmp_path, "output", tmp_path / "conf.py")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "a line still in the buffer" in done.stdout
    assert (tmp_path / "from-thread.txt").read_text(encoding="utf-8") == "thread done"
    assert (tmp_path / "from-atexit.txt").read_text(encoding="utf-8") == "atexit ran"
