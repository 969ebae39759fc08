#!/usr/bin/env python3
"""Town map benchmark: cutting the tile pyramid, and reusing it.

    .venv/bin/python bench/town_map.py [--image content/maps/x.png] [--size 8000x6000]

Cuts the pyramid of the demo map (or of a synthetic scan of ``--size``,
a noisy photo-like image, the worst case for JPEG) into a fresh cache, then
asks for it again unchanged; prints the tiles, levels, bytes, the time of the
cold cut, the time of the cached lookup (hashing the image) and the peak RSS.
The figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from PIL import Image  # noqa: E402

from town_map.tiles import Params, ensure_pyramid  # noqa: E402

DEMO = ROOT / "content" / "maps" / "ban-do-minh-hoa-duc-thuan.png"


def synthetic(path: Path, width: int, height: int) -> None:
    noise = Image.effect_noise((width, height), 40).convert("RGB")
    Image.blend(noise, Image.linear_gradient("L").resize((width, height)).convert("RGB"), 0.5).save(path, quality=90)


def size_of(folder: str) -> int:
    return sum(f.stat().st_size for f in Path(folder).rglob("*") if f.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--image", type=Path, default=DEMO)
    parser.add_argument("--size", help="WIDTHxHEIGHT of a synthetic scan instead of --image")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        image = args.image
        if args.size:
            width, height = (int(v) for v in args.size.lower().split("x"))
            image = Path(tmp) / "scan.jpg"
            synthetic(image, width, height)
        cache = os.path.join(tmp, "cache")
        started = time.perf_counter()
        pyramid, cut = ensure_pyramid(str(image), cache, Params())
        cold = time.perf_counter() - started
        started = time.perf_counter()
        _, cut_again = ensure_pyramid(str(image), cache, Params())
        warm = time.perf_counter() - started
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"| image | {image.name} {pyramid.width}×{pyramid.height}, {image.stat().st_size / 1e6:.2f} MB |")
        print(f"| pyramid | {pyramid.tiles} tiles, {pyramid.max_zoom + 1} levels, {size_of(pyramid.directory) / 1e6:.1f} MB |")
        print(f"| cold cut | {cold:.2f} s (cut: {cut}) |")
        print(f"| unchanged image | {warm * 1000:.0f} ms (cut: {cut_again}) |")
        print(f"| peak RSS | {rss:.0f} MB |")


if __name__ == "__main__":
    main()
