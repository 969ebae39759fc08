"""Benchmark of the image pipeline: images per second for camera-size photos.

Generates N (default 100) 4000×3000 JPEGs from seeded noise in a temporary
folder, then runs plugins/images' pipeline three times and PRINTS:
cold with one worker, cold with all cores (fresh caches), and warm (nothing
changed: everything from the cache). Then the peak memory of processing one
50-megapixel photo in a fresh process. Never asserts on time.

    .venv/bin/python bench/images.py [--count 100] [--keep]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from PIL import Image  # noqa: E402

from images import plan  # noqa: E402
from images.pipeline import Pipeline  # noqa: E402

SIZE = (4000, 3000)


def make_photo(path: Path, seed: int, size=SIZE) -> None:
    """A camera-like JPEG: smooth colour fields (upscaled coarse noise) plus
    fine grain, so it compresses like a photo (a few MB), not like noise."""
    rng = random.Random(seed)
    coarse = Image.frombytes("RGB", (40, 30), rng.randbytes(40 * 30 * 3)).resize(size, Image.Resampling.BICUBIC)
    grain = Image.frombytes("L", size, rng.randbytes(size[0] * size[1])).convert("RGB")
    Image.blend(coarse, grain, 0.08).save(path, "JPEG", quality=90)


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(label: str, sources: dict[str, str], settings: dict, cache: str, output: str) -> float:
    pipeline = Pipeline(settings, cache, output)
    start, cpu = time.perf_counter(), cpu_seconds()
    pipeline.run(sources)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    counts = pipeline.counts
    rate = len(sources) / seconds if seconds else float("inf")
    # CPU s/image shows the work itself; a load average above the number of
    # cores means other programs took part of the machine during the run.
    print(f"{label:<28} {seconds:8.2f} s  {rate:8.2f} images/s  {cpu / len(sources):6.3f} CPU s/image  "
          f"load {os.getloadavg()[0]:5.1f}  "
          f"({counts.processed} processed, {counts.cached} from cache, {counts.failed} failed)", flush=True)
    return seconds


PEAK_SCRIPT = """
import sys
sys.path.insert(0, {plugins!r})
from images import plan
from images.process import Job, process

def peak_kib():  # VmHWM: this process's peak resident memory (reset by exec)
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

before = peak_kib()
result = process(Job({source!r}, "b" * 64, {out!r}, "big", plan.check_settings({{}})))
assert not result.error, result
print(before, peak_kib())
"""


def peak_memory(folder: Path) -> None:
    size = (8660, 5773)  # 50 megapixels
    source = folder / "fifty-mp.jpg"
    make_photo(source, 50, size)
    script = PEAK_SCRIPT.format(plugins=str(ROOT / "plugins"), source=str(source), out=str(folder / "big-out"))
    before, after = map(int, subprocess.check_output([sys.executable, "-c", script], text=True).split())
    full_copy_mb = size[0] * size[1] * 3 / 2**20
    print(f"50 MP photo ({size[0]}×{size[1]}): peak RSS {after / 1024:.0f} MiB "
          f"(interpreter + imports {before / 1024:.0f} MiB; one full RGB copy would be {full_copy_mb:.0f} MiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-images-"))
    try:
        start = time.perf_counter()
        sources = {}
        for index in range(args.count):
            path = folder / "content" / f"photo-{index:03d}.jpg"
            path.parent.mkdir(exist_ok=True)
            make_photo(path, index)
            sources[f"images/photo-{index:03d}.jpg"] = str(path)
        megabytes = sum(os.path.getsize(p) for p in sources.values()) / 2**20
        print(f"{args.count} photos {SIZE[0]}×{SIZE[1]} JPEG, {megabytes:.0f} MB, made in "
              f"{time.perf_counter() - start:.1f} s; {os.cpu_count()} cores; load average "
              f"{os.getloadavg()[0]:.1f}", flush=True)
        one = run("cold, 1 worker", sources, plan.check_settings({"WORKERS": 1}),
                  str(folder / "cache-1"), str(folder / "out-1"))
        cores = os.cpu_count() or 1
        many = run(f"cold, all cores ({cores})", sources, plan.check_settings({"WORKERS": 0}),
                   str(folder / "cache-n"), str(folder / "out-n"))
        run("warm (nothing changed)", sources, plan.check_settings({"WORKERS": 0}),
            str(folder / "cache-n"), str(folder / "out-n"))
        print(f"speed-up all cores / 1 worker: {one / many:.2f}× (goal ≥ 1.9× on 2 cores)")
        peak_memory(folder)
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
