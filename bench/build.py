#!/usr/bin/env python3
"""Build benchmark: the portal against plain Pelican on the same corpus.

    python bench/build.py -n 5000 --repeat 3      (``make bench N=5000``)

Generates a deterministic corpus of ``n`` Vietnamese ward news articles
(:mod:`corpus`) under ``bench/out/``, then, in one invocation and
alternating between the two, builds it with

- plain Pelican: default theme (notmyidea), no plugins, photos as static
  files, Pelican's own content cache on for the rebuilds;
- the portal: ``pelicanconf.py`` with all its plugins; image derivatives are
  made once before timing and kept, everything else is deleted before each
  cold build;

three ways each: a cold full build (no output, no content cache), a rebuild
with nothing changed, and a rebuild after one article's body was edited;
and, for the portal, a body edit built the way ``make devserver`` builds it
(forked from a warm builder that imported ahead, as a standby build that
set up and looked the cache up after the devserver's previous build, see
tools/devserver.py; that previous build, with nothing changed, is not timed).
Then the builds a ward runs every day: a rebuild after one new article (the
newest, so it enters every page's latest news), on both; and, for the
portal, a rebuild that counts a day's access log (3,000 synthetic lines,
:mod:`synthlog`), which changes the visitor counter on every page. The
portal's statistics database lives in its cache folder, so a cold build
starts without counts and the repository's ``var/`` is left alone.
Every other build runs in its own ``pelican`` subprocess; its wall time and peak
RSS (``wait4``: the largest single process among the build and the
processes it waited for, e.g. Pagefind or the parallel readers) are
recorded. Prints a Markdown table: medians, min–max, ms per article,
peak RSS and the portal/plain ratio. The figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import functools
import glob
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "plugins"))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import synthlog  # noqa: E402
from corpus import article_source, make_corpus, photo_pool  # noqa: E402
from devserver import WarmBuilder  # noqa: E402

OUT = os.path.join(HERE, "out")
KINDS = ("cold", "nochange", "edit", "warm", "new", "logs")
LABELS = {"cold": "cold full build", "nochange": "no-change rebuild", "edit": "one article body edited",
          "warm": "one article body edited, warm builder (make devserver)",
          "new": "one new article", "logs": "a day's access log counted (3,000 lines)"}
LOG_LINES = 3000
# Caches the portal may keep across "cold" builds: image derivatives only.
WARM_CACHES = {"images"}

# Runs one build and writes "seconds maxrss-KiB exit-status" to argv[1]. A
# tiny process of its own: a child's peak RSS counts the memory of the process
# it was forked from (Linux records it at exec), so the build must not be
# forked from this script, which holds the corpus generator and Pillow.
LAUNCHER = """
import os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{time.perf_counter() - started} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""

# Runs Pelican in this process and, at exit, writes this process's own peak
# RSS (not its children's: Pagefind, the forked readers and renderers) to
# argv[1]. argv[2] is what runs it: "pelican" (python -m pelican) for plain
# Pelican, tools/run_pelican.py for the portal, as `make html` does.
SELF_RSS = """
import atexit, resource, runpy, sys
out, runner = sys.argv[1:3]
atexit.register(lambda: open(out, "w").write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)))
sys.argv = sys.argv[3:]
if runner == "pelican":
    runpy.run_module("pelican", run_name="__main__", alter_sys=True)
else:
    runpy.run_path(runner, run_name="__main__")
"""

PLAIN_CONF = """\
PATH = {content!r}
SITENAME = "Cổng thông tin phường (Pelican thuần)"
SITEURL = ""
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
ARTICLE_PATHS = ["articles"]
STATIC_PATHS = ["images"]
PLUGINS = []
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = {cache!r}
"""


def categories() -> list[str]:
    import runpy  # noqa: PLC0415

    return runpy.run_path(os.path.join(ROOT, "pelicanconf.py"))["EDITORIAL"]["CATEGORIES"]


class Site:
    """One of the two builders: its settings, output and cache folders."""

    def __init__(self, name: str, base: str, content: str) -> None:
        self.name = name
        self.output = os.path.join(base, name, "output")
        self.cache = os.path.join(base, name, "cache")
        self.content = content
        os.makedirs(os.path.join(base, name), exist_ok=True)
        if name == "plain":
            self.conf = os.path.join(base, name, "plainconf.py")
            with open(self.conf, "w", encoding="utf-8") as handle:
                handle.write(PLAIN_CONF.format(content=content, cache=self.cache))
            self.extra = []
        else:
            self.conf = os.path.join(ROOT, "pelicanconf.py")
            self.extra = ["-e", f'CACHE_PATH="{self.cache}"']

    def clean(self) -> None:
        """Forget everything a cold build must not find (keeps WARM_CACHES)."""
        shutil.rmtree(self.output, ignore_errors=True)
        if os.path.isdir(self.cache):
            for entry in os.listdir(self.cache):
                if self.name == "portal" and entry in WARM_CACHES:
                    continue
                path = os.path.join(self.cache, entry)
                if os.path.isdir(path):
                    shutil.rmtree(path)
                else:
                    os.remove(path)

    def argv(self) -> list[str]:
        return ["pelican", self.content, "-o", self.output, "-s", self.conf, "--log-handler", "plain", "-q",
                *self.extra]

    def build(self, access_log: str | None = None) -> tuple[float, int, int]:
        """Run one build (counting ``access_log``, for the portal); return
        (wall seconds, peak RSS in KiB of the largest process, peak RSS in
        KiB of the Pelican process itself)."""
        folder = os.path.dirname(self.output)
        measure = os.path.join(folder, "measure.txt")
        own = os.path.join(folder, "pelican-rss.txt")
        runner = "pelican" if self.name == "plain" else os.path.join(ROOT, "tools", "run_pelican.py")
        command = [sys.executable, "-c", SELF_RSS, own, runner, *self.argv()]
        # Python may cache the plugins' bytecode (in their __pycache__, ignored
        # by git and by fastbuild's fingerprint), as it does for `make html`.
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        if access_log:
            env["ACCESS_LOGS"] = access_log
        with open(os.path.join(folder, "build.log"), "w") as log:
            subprocess.run([sys.executable, "-S", "-c", LAUNCHER, measure, *command], cwd=ROOT, env=env,
                           stdout=log, stderr=subprocess.STDOUT, check=False)
        with open(measure) as handle:
            elapsed, rss, status = handle.read().split()
        if status != "0":
            with open(log.name, encoding="utf-8", errors="replace") as handle:
                tail = handle.read()[-3000:]
            raise SystemExit(f"bench: {self.name} build failed ({status}):\n{tail}")
        with open(own) as handle:
            own_rss = int(handle.read())
        return float(elapsed), int(rss), own_rss


def warm_build(builder: WarmBuilder) -> tuple[float, int, int]:
    """One build by the devserver's warm builder: (wall seconds, then twice
    the peak RSS in KiB of the build process and what it waited for). Then
    waits until the next build's standby has set up, so that nothing timed
    later runs beside it."""
    started = time.perf_counter()
    if builder.build() != 0:
        raise SystemExit("bench: the warm builder's build failed")
    elapsed = time.perf_counter() - started
    builder.settle()
    return elapsed, builder.last_rss, builder.last_rss


def edit_with_standby(builder: WarmBuilder, edit, measure) -> None:
    """As in the editor's loop: the devserver's last build (here: after the
    builds before changed the cache, nothing changed; not timed) leaves a
    standby build set up; then ``edit`` and ``measure`` the warm build."""
    warm_build(builder)
    edit()
    measure()
    if not builder.last_from_standby:
        print("  (that warm build was forked afresh, not from a standby build)", flush=True)


def edit_article(path: str, index: int, cats: list[str], photos: list[str], round_: int) -> None:
    """Rewrite article ``index`` with one more paragraph (different each round)."""
    extra = f"Cập nhật lần {round_ + 1}: ban biên tập bổ sung thông tin về kết quả hội nghị."
    _, text = article_source(index, cats, photos, edit=extra)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def new_article(content: str, n: int, cats: list[str], photos: list[str], round_: int) -> str:
    """Write an article newer than all of the corpus; return its path."""
    relative, text = article_source(n + round_, cats, photos)
    newest = f"Date: 2026-06-02 {8 + round_ % 12:02d}:00"
    text = "\n".join(newest if line.startswith("Date: ") else line for line in text.split("\n"))
    path = os.path.join(content, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def day_of_logs(output: str, path: str, round_: int) -> str:
    """A day's synthetic access log over the articles built into ``output``."""
    articles = sorted("/" + os.path.relpath(os.path.dirname(page), output).replace(os.sep, "/") + "/"
                      for page in glob.glob(os.path.join(output, "20*", "*", "*", "index.html")))
    data = synthlog.generate(lines=LOG_LINES, visitors=300, days=1, end=time.time() - 3600, seed=round_,
                             articles=articles[:500] or None)
    with open(path, "wb") as handle:
        handle.write(data)
    return path


def fmt_row(label, times, rss, own, n, ratio):
    med = statistics.median(times)
    return (f"| {label} | {med:.2f} s | {min(times):.2f}–{max(times):.2f} s | {1000 * med / n:.2f} ms "
            f"| {max(rss) / 1024:.0f} MB | {max(own) / 1024:.0f} MB | {ratio} |")


def print_table(results: dict, sites: list[Site], n: int, repeat: int) -> None:
    print()
    print(f"N = {n} articles, {repeat} run(s) each, {os.cpu_count()} CPU(s)")
    print()
    print("Peak RSS: the largest single process of the build (Pelican, or one of the portal's")
    print("Pagefind processes, one per search shard); Pelican itself: the pelican process alone")
    print("(for the warm builder, both are those of the forked build process and what it waited for).")
    print()
    print("| build | median | min–max | per article | peak RSS | Pelican itself | portal/plain |")
    print("|---|---|---|---|---|---|---|")
    for kind in KINDS:
        for site in sites:
            times, rss, own = results[site.name, kind]
            if not times:
                continue
            ratio = ""
            compared = ("plain", "edit" if kind == "warm" else kind)  # the warm edit against plain's edit
            if site.name == "portal" and results.get(compared, ([],))[0]:  # plain has no day of logs
                plain_times, plain_rss, plain_own = results[compared]
                ratio = (f"{statistics.median(times) / statistics.median(plain_times):.2f}× time, "
                         f"{max(rss) / max(plain_rss):.2f}× RSS ({max(own) / max(plain_own):.2f}× Pelican itself)")
            print(fmt_row(f"{site.name}: {LABELS[kind]}", times, rss, own, n, ratio))


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="number of articles (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measure (default 3)")
    parser.add_argument("--only", choices=("plain", "portal"), help="build only one of the two")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)

    cats = categories()
    base = os.path.join(OUT, f"n{args.n}")
    content = os.path.join(base, "content")
    print(f"bench: writing {args.n} articles into {content}", flush=True)
    paths = make_corpus(content, args.n, cats, os.path.join(OUT, "pool"))
    photos = photo_pool(os.path.join(OUT, "pool"))
    target = args.n // 2

    # The portal's statistics: in its cache (see the module docstring), for
    # its builds and for the warm builder, which inherits this environment.
    os.environ["STATS_DATABASE"] = os.path.join(base, "portal", "cache", "stats.sqlite3")
    sites = [Site(name, base, content) for name in ("plain", "portal") if args.only in (None, name)]
    for site in sites:
        shutil.rmtree(site.cache, ignore_errors=True)
    warm = None
    if any(site.name == "portal" for site in sites):
        portal = next(site for site in sites if site.name == "portal")
        print("bench: warming the portal's image derivatives (not timed)", flush=True)
        portal.clean()
        portal.build()
        warm = WarmBuilder(portal.argv(), cwd=ROOT, log=os.path.join(base, "portal", "warm-builds.log"))
        # Warmed by one edit build (not timed): it then holds what an edit imports.
        edit_article(paths[target], target, cats, photos, -1)
        warm_build(warm)

    results = {(site.name, kind): ([], [], []) for site in sites for kind in KINDS}

    def measure(site, kind, access_log=None):
        seconds, rss, own = warm_build(warm) if kind == "warm" else site.build(access_log)
        for column, value in zip(results[site.name, kind], (seconds, rss, own), strict=True):
            column.append(value)
        print(f"  {site.name:6} {kind:8} {seconds:7.2f} s  {rss / 1024:6.0f} MB (Pelican itself {own / 1024:.0f} MB)",
              flush=True)

    for round_ in range(args.repeat):
        order = sites if round_ % 2 == 0 else sites[::-1]
        print(f"bench: round {round_ + 1}/{args.repeat}", flush=True)
        for site in order:
            site.clean()
        for site in order:
            measure(site, "cold")
        for site in order:
            measure(site, "nochange")
        edit_article(paths[target], target, cats, photos, round_)
        for site in order:
            measure(site, "edit")
        if warm is not None:
            edit_with_standby(warm, functools.partial(edit_article, paths[target], target, cats, photos,
                                                      args.repeat + round_), functools.partial(measure, portal, "warm"))
        if warm is not None:  # first: the output is then as the edit left it
            log = day_of_logs(portal.output, os.path.join(base, "portal", "access.log"), round_)
            measure(portal, "logs", access_log=log)
        added = new_article(content, args.n, cats, photos, round_)
        try:
            for site in order:
                measure(site, "new")
        finally:
            os.remove(added)  # the next round starts cold
    if warm is not None:
        warm.stop()

    print_table(results, sites, args.n, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
