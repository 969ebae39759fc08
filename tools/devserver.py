"""Development server: rebuild on every change under content/, theme/ and
plugins/, and serve the output folder on localhost.

Each build runs in a process forked from a *warm builder*: a process that
has imported Pelican, the plugins and every module the first build
imported, and that never builds itself. A build therefore starts from the
same clean state as ``python -m pelican`` (nothing of the previous build
is left in memory) without paying for the imports again (about half a
second of an edit build at 5,000 articles). The warm builder holds the code
it imported, so a change to any Python file (a plugin, the settings file)
starts a new one before the build.

As soon as a build ends, the next one is forked as a *standby build*: it
sets up (settings, plugins, generators), looks its files up in fastbuild's
cache and makes the contents kept whole, then waits until a change asks
for it (``fastbuild.stand_by``; about another half second at 5,000
articles). Once wanted it looks again at what changed under content/; if
the theme, the plugins' files or fastbuild's cache changed meanwhile it
ends with :data:`STALE` and a build is forked afresh.
"""

from __future__ import annotations

import argparse
import atexit
import functools
import gc
import http.server
import importlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from run_pelican import build_status, leave

# A standby build's exit status when what it set up no longer holds: the
# warm builder then forks the build afresh. (A build ends 0 or 1.)
STALE = 75


def pelican_argv(input_dir: str, output_dir: str, settings: str, *extra: str) -> list[str]:
    return ["pelican", input_dir, "-o", output_dir, "-s", settings, *extra]


class WarmBuilder:
    """Runs builds in processes forked from a warm builder (see the module
    docstring); ``argv`` is Pelican's command line."""

    def __init__(self, argv: list[str], cwd: str | None = None, log: str | None = None) -> None:
        self.argv, self.cwd, self.log = argv, cwd, log  # log: a file for the builds' output (else the terminal)
        self._process: subprocess.Popen | None = None
        self._status = None
        self._settling = False  # a "ready" line is still to come from the warm builder
        self.last_rss = 0
        self.last_from_standby = False  # the last build was a standby build (see the module docstring)

    def start(self) -> None:
        """Start a new warm builder (stopping the old one)."""
        self.stop()
        read_end, write_end = os.pipe()
        output = open(self.log, "a", encoding="utf-8") if self.log else None  # the child keeps its own copy
        self._process = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--warm-builder",
                                          str(write_end), "--", *self.argv],
                                         stdin=subprocess.PIPE, pass_fds=(write_end,), cwd=self.cwd,
                                         stdout=output, stderr=subprocess.STDOUT if output else None)
        os.close(write_end)
        if output is not None:
            output.close()
        self._status = os.fdopen(read_end, encoding="ascii")

    def build(self) -> int:
        """Run one build; return its exit status (its peak RSS in KiB is
        then in ``last_rss``)."""
        for _attempt in range(2):  # a warm builder that died is started again once
            if self._process is None or self._process.poll() is not None:
                self.start()
            try:
                self.settle()
                self._process.stdin.write(b"build\n")
                self._process.stdin.flush()
                line = self._status.readline().split()
            except (BrokenPipeError, OSError):
                line = []
            if len(line) == 3:
                self.last_rss, self.last_from_standby = int(line[1]), line[2] == "standby"
                self._settling = True
                return int(line[0])
            self.stop()
        return 1

    def settle(self) -> None:
        """Wait until the next build's standby has done its set-up (a
        benchmark must not time other work beside it)."""
        if self._settling and self._status is not None:
            self._settling = False
            self._status.readline()

    def stop(self) -> None:
        if self._process is not None:
            try:
                self._process.stdin.close()
            except OSError:
                pass
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if self._status is not None:
            self._status.close()
            self._status = None
        self._settling = False


def needs_new_builder(changes: Iterable[str]) -> bool:
    """True when a changed file is Python code the warm builder may hold."""
    return any(path.endswith(".py") for path in changes)


def _import_ahead(modules: list[str], path: list[str]) -> None:
    """Import what a build imported (in its order), as far as it imports."""
    sys.path[:] = [entry for entry in path if entry] + [entry for entry in sys.path if entry not in path]
    for name in modules:
        # A ``__main__`` module is never imported ahead: running is what it does.
        # (The settings file may be: Pelican executes it afresh for every build.)
        if name in sys.modules or name.split(".")[-1] == "__main__":
            continue
        try:
            importlib.import_module(name)
        except Exception:  # a module that imports only inside a build: it will then
            continue


def serve_builds(status_fd: int, argv: list[str]) -> None:
    """The warm builder: for each line on stdin, run one build and write its
    exit status, peak RSS (KiB) and "standby" or "fresh" to ``status_fd``;
    then import every module the build imported that is not here yet (a
    build that found nothing changed imports less than one that renders),
    fork the next build as a standby build and write "ready" once it waits
    (or ended: a build without fastbuild cannot stand by)."""
    import pelican  # noqa: PLC0415 - imported here, not in the devserver itself

    # Ctrl-C in the terminal reaches every process of the devserver: the warm
    # builder (and a standby build while it waits) leaves when the devserver
    # closes its stdin; a build under way is interrupted (see _fork).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    status = os.fdopen(status_fd, "w", encoding="ascii")
    standby: _ForkedBuild | None = None
    try:
        for _line in sys.stdin:
            taken, standby = standby, None
            done = taken.run() if taken is not None else None
            how = "standby"
            if done is None or done[0] == STALE:
                done, how = _fork(_go_at_once, argv, pelican.main).run(), "fresh"
            code, rss, imported = done
            status.write(f"{code} {rss} {how}\n")
            status.flush()
            if imported:
                found = json.loads(imported)
                _import_ahead(found["modules"], found["path"])
            standby = _fork(_stand_by, argv, pelican.main)
            if not standby.wait_ready():
                standby = None
            status.write("ready\n")
            status.flush()
    finally:
        if standby is not None:
            standby.discard()


class _ForkedBuild:
    """A build forked by :func:`_fork`, seen from the warm builder."""

    def __init__(self, pid: int, ready: int, go: int, report: int) -> None:
        self.pid, self._ready, self._go, self._report = pid, ready, go, report

    def wait_ready(self) -> bool:
        """Wait until the build waits to be wanted; False when it ended
        instead (it is then reaped)."""
        waiting = os.read(self._ready, 1) == b"r"
        if not waiting:
            self.discard()
        return waiting

    def run(self) -> tuple[int, int, bytes]:
        """Let the build go; return its exit status, peak RSS (KiB) and the
        modules it imported (JSON)."""
        try:
            os.write(self._go, b"g")
        except OSError:  # it ended meanwhile: its status says how
            pass
        os.close(self._go)
        os.close(self._ready)
        with os.fdopen(self._report, "rb") as report:
            imported = report.read()  # before waiting: a full pipe would block the child
        _, wait_status, usage = os.wait4(self.pid, 0)
        return os.waitstatus_to_exitcode(wait_status), usage.ru_maxrss, imported

    def discard(self) -> None:
        """Let the build know it is not wanted (it leaves) and reap it."""
        for fd in (self._go, self._report, self._ready):
            try:
                os.close(fd)
            except OSError:
                pass
        os.waitpid(self.pid, 0)


def _fork(prepare, argv: list[str], build) -> _ForkedBuild:
    """Fork a build: the child calls ``prepare(ready_fd, go_fd)``, then
    runs ``build`` with ``argv``, and reports the modules it imported."""
    ready_read, ready_write = os.pipe()
    go_read, go_write = os.pipe()
    report_read, report_write = os.pipe()
    gc.freeze()  # the children's collector leaves the builder's objects (and memory pages) alone
    pid = os.fork()
    if pid == 0:  # the build
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for fd in (ready_read, go_write, report_read):
            os.close(fd)
        atexit.register(_report_modules, report_write)
        prepare(ready_write, go_read)
        sys.argv = argv
        # Leave here whatever happened: never go on as a second warm builder
        # reading the same stdin.
        leave(build_status(build))
    for fd in (ready_write, go_read, report_write):
        os.close(fd)
    return _ForkedBuild(pid, ready_read, go_write, report_read)


class _Waiter:
    """A standby build's side of the pipes (see ``fastbuild.stand_by``)."""

    def __init__(self, ready: int, go: int) -> None:
        self._ready, self._go = ready, go

    def wait(self) -> None:
        os.write(self._ready, b"r")
        os.close(self._ready)
        since = time.monotonic()
        interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)  # see serve_builds
        wanted = os.read(self._go, 1)
        signal.signal(signal.SIGINT, interrupt)
        os.close(self._go)
        if not wanted:  # the warm builder discarded this build (or ended)
            os._exit(0)
        _clock_from_now(time.monotonic() - since)

    def stale(self) -> None:
        os._exit(STALE)  # nothing was built; the output above is given again by the fresh build


def _go_at_once(ready: int, go: int) -> None:
    os.close(ready)
    os.close(go)


def _stand_by(ready: int, go: int) -> None:
    try:
        import fastbuild  # noqa: PLC0415 - the site's plugin, imported ahead by the warm builder
    except ImportError:
        os._exit(0)  # no fastbuild, no standby: builds are forked afresh
    fastbuild.stand_by(_Waiter(ready, go))


def _clock_from_now(waited: float) -> None:
    """Pelican's "Done: ... in N seconds" counts from before the wait:
    take the wait off the clock its ``run`` reads (this process only)."""
    import pelican  # noqa: PLC0415

    class _Clock:
        @staticmethod
        def time() -> float:
            return time.time() - waited

    pelican.time = _Clock()


def _report_modules(fd: int) -> None:
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump({"modules": list(sys.modules), "path": list(sys.path)}, out)


def serve(output: str, port: int) -> None:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=output)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--warm-builder"]:
        serve_builds(int(argv[1]), argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", default="content")
    parser.add_argument("--output", default="output")
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    from watchfiles import watch  # noqa: PLC0415

    builder = WarmBuilder(pelican_argv(args.input, args.output, args.settings))
    atexit.register(builder.stop)

    def build() -> None:
        status = builder.build()
        print(f"devserver: build {'ok' if status == 0 else 'FAILED'}; http://localhost:{args.port}/", flush=True)

    try:
        build()
        serve(args.output, args.port)
        for changes in watch(args.input, "theme", "plugins", args.settings):
            if needs_new_builder(str(Path(path)) for _, path in changes):
                print("devserver: Python code changed; starting a new warm builder", flush=True)
                builder.start()
            build()
    except KeyboardInterrupt:  # Ctrl-C: the usual way to stop it
        print("devserver: stopped", flush=True)


if __name__ == "__main__":
    main()
