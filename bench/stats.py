"""Benchmark of the statistics plugin (issue 5, acceptance 6). Prints figures; asserts nothing.

    .venv/bin/python bench/stats.py [--lines 1000000] [--visitors 5000] [--days 30]

Makes a synthetic nginx "combined" log (about 5,000 visitors, 15% bot lines,
30 days; bench/synthlog.py) under bench/out/, then measures:
- a cold ingest (empty database): lines per second, wall and CPU time;
- an incremental run with 1,000 new lines (ingest, then the whole `make
  stats` work: summary, data files and the statistics page's body);
- GoAccess on the same file in the same run, when `goaccess` is installed
  (Debian package; not needed by the tests).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "plugins"), str(ROOT)]

from bench.synthlog import generate  # noqa: E402
from stats import render, report, store  # noqa: E402
from stats.config import merged  # noqa: E402
from stats.ingest import ingest  # noqa: E402

OUT = ROOT / "bench" / "out"


def make_log(lines: int, visitors: int, days: int, end: float) -> Path:
    path = OUT / f"access-{lines}-{visitors}-{days}.log"
    if not path.exists():
        started = time.perf_counter()
        data = generate(lines=lines, visitors=visitors, days=days, end=end)
        OUT.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        count = data.count(b"\n")
        print(f"generated {path.relative_to(ROOT)}: {count:,} lines, "
              f"{len(data) / 1e6:,.0f} MB in {time.perf_counter() - started:.1f} s")
    return path


def timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    value = function()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def compare_goaccess(log: Path, lines: int, ours: float, cpu_ours: float) -> None:
    goaccess = shutil.which("goaccess")
    if goaccess:
        with tempfile.TemporaryDirectory() as tmp:
            command = [goaccess, str(log), "--log-format=COMBINED", "--no-progress", "--no-global-config",
                       "-o", str(Path(tmp) / "report.json")]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            finished = subprocess.run(command, capture_output=True, text=True, check=False)
            seconds = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu_theirs = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            version = subprocess.run([goaccess, "--version"], capture_output=True, text=True, check=False)
            name = version.stdout.splitlines()[0].strip() if version.stdout else "goaccess"
            if finished.returncode == 0:
                theirs = lines / seconds
                print(f"{name}: {lines:,} lines in {seconds:.2f} s wall ({cpu_theirs:.2f} s CPU): "
                      f"{theirs:,.0f} lines/s ({lines / cpu_theirs:,.0f} per CPU second)")
                print(f"ours / goaccess: {ours / theirs:.1f}x by wall time, "
                      f"{(lines / cpu_ours) / (lines / cpu_theirs):.1f}x by CPU time")
            else:
                print(f"{name} failed: {finished.stderr.strip()[:300]}")
    else:
        print("goaccess is not installed (apt-get install goaccess) : no comparison")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--visitors", type=int, default=5_000)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    end = 1_795_000_000.0  # a fixed end keeps the cached log valid between runs
    log = make_log(args.lines, args.visitors, args.days, end)
    lines = log.read_bytes().count(b"\n")
    print(f"log: {lines:,} lines, {log.stat().st_size / 1e6:,.0f} MB; {os.cpu_count()} CPU(s), "
          f"load average {os.getloadavg()[0]:.1f}")

    with tempfile.TemporaryDirectory() as tmp:
        current = Path(tmp) / "access.log"
        shutil.copyfile(log, current)
        config = merged({"DATABASE": str(Path(tmp) / "stats.sqlite3"), "ACCESS_LOGS": [str(current)]},
                        siteurl="https://ducthuan.example.gov.vn", environ={})
        result, wall, cpu = timed(lambda: ingest(config, None, now=end))
        ours, cpu_ours = result.lines / wall, cpu
        print(f"cold ingest: {result.lines:,} lines in {wall:.2f} s wall ({cpu:.2f} s CPU): "
              f"{ours:,.0f} lines/s ({result.lines / cpu:,.0f} per CPU second)")

        more = generate(lines=1_000, visitors=200, days=1, end=end + 3600, seed=11)
        with open(current, "ab") as handle:
            handle.write(more)
        result, wall, cpu = timed(lambda: ingest(config, None, now=end + 3600))
        print(f"incremental ingest: {result.lines:,} new lines in {wall * 1000:.0f} ms wall ({cpu * 1000:.0f} ms CPU)")

        def outputs():
            db = store.connect(config["DATABASE"])
            try:
                numbers = report.summary(db, config, 2_713_911)
            finally:
                db.close()
            files = render.data_files(numbers)
            render.write_data_files(Path(tmp) / "out", files)
            return render.template_values(numbers, config, "")

        _, wall2, _ = timed(outputs)
        print(f"incremental run with outputs (summary, data files, chart): {(wall + wall2) * 1000:.0f} ms wall")

    compare_goaccess(log, lines, ours, cpu_ours)
    return 0


if __name__ == "__main__":
    sys.exit(main())
