"""A tile pyramid for a large map image, cut with Pillow and cached.

Pure logic, no Pelican import. Level ``max_zoom`` is the image at full size;
each level below halves it, down to level 0 that fits in one tile. Tiles are
``<z>/<x>/<y>.<ext>``, every one ``tile_size`` square (edge tiles are padded
with the background colour, as Leaflet draws every tile at full size).
Small whole-map previews are made in the same pass for the page without
JavaScript.

The pyramid is cached under ``<cache>/<key>/`` where the key is a hash of
the image's bytes and the cutting parameters: while the image is unchanged
a build reuses the tiles and cuts none.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import shutil
import tempfile

from PIL import Image

FORMAT_VERSION = 1  # bump when the cutting changes, to invalidate caches
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}
Image.MAX_IMAGE_PIXELS = 200_000_000  # a 14 000 × 14 000 scan is still a map, not a bomb


@dataclasses.dataclass(frozen=True)
class Params:
    tile_size: int = 256
    fmt: str = "jpeg"  # jpeg, png or webp
    quality: int = 82
    background: str = "#ffffff"
    preview_widths: tuple[int, ...] = (480, 960, 1600, 2400)


@dataclasses.dataclass
class Pyramid:
    key: str
    width: int
    height: int
    tile_size: int
    max_zoom: int
    ext: str
    tiles: int
    previews: list[tuple[int, int, str]]  # (width, height, file name)
    directory: str = ""

    def levels(self) -> list[tuple[int, int, int]]:
        """(zoom, columns, rows) of each level."""
        result = []
        for zoom in range(self.max_zoom + 1):
            scale = 2 ** (self.max_zoom - zoom)
            width, height = math.ceil(self.width / scale), math.ceil(self.height / scale)
            result.append((zoom, math.ceil(width / self.tile_size), math.ceil(height / self.tile_size)))
        return result


def max_zoom_for(width: int, height: int, tile_size: int) -> int:
    """The deepest level: the one where the image is at full size."""
    return max(0, math.ceil(math.log2(max(width, height) / tile_size)))


def image_key(path: str, params: Params) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    digest.update(json.dumps([FORMAT_VERSION, dataclasses.asdict(params)], sort_keys=True).encode())
    return digest.hexdigest()


def _save(image: Image.Image, path: str, params: Params) -> None:
    if params.fmt == "png":
        image.save(path, optimize=True)
    else:
        image.save(path, quality=params.quality, optimize=params.fmt == "jpeg")


def _cut_level(image: Image.Image, zoom: int, directory: str, params: Params) -> int:
    size, ext, count = params.tile_size, EXTENSIONS[params.fmt], 0
    for x in range(math.ceil(image.width / size)):
        column = os.path.join(directory, str(zoom), str(x))
        os.makedirs(column)
        for y in range(math.ceil(image.height / size)):
            piece = image.crop((x * size, y * size, min((x + 1) * size, image.width), min((y + 1) * size, image.height)))
            if piece.size != (size, size):
                padded = Image.new("RGB", (size, size), params.background)
                padded.paste(piece, (0, 0))
                piece = padded
            _save(piece, os.path.join(column, f"{y}.{ext}"), params)
            count += 1
    return count


def cut_pyramid(source: str, directory: str, key: str, params: Params) -> Pyramid:
    """Cut every level and the previews of ``source`` into ``directory``."""
    with Image.open(source) as opened:
        image = opened.convert("RGB")
    width, height = image.size
    max_zoom = max_zoom_for(width, height, params.tile_size)
    ext = EXTENSIONS[params.fmt]
    previews = []
    for preview_width in params.preview_widths:
        if preview_width >= width:
            continue
        preview_height = round(height * preview_width / width)
        name = f"ban-do-{preview_width}.{ext}"
        _save(image.resize((preview_width, preview_height), Image.Resampling.LANCZOS), os.path.join(directory, name), params)
        previews.append((preview_width, preview_height, name))
    tiles = 0
    level = image
    for zoom in range(max_zoom, -1, -1):
        if zoom != max_zoom:
            level = level.reduce(2)  # halves, rounding odd sizes up
        tiles += _cut_level(level, zoom, directory, params)
    return Pyramid(key, width, height, params.tile_size, max_zoom, ext, tiles, previews)


def ensure_pyramid(source: str, cache: str, params: Params) -> tuple[Pyramid, bool]:
    """The pyramid of ``source`` from ``cache``, cut first if the image (or
    the parameters) changed. Returns (pyramid, True when tiles were cut)."""
    if params.fmt not in EXTENSIONS:
        raise ValueError(f"unknown tile format {params.fmt!r}")
    key = image_key(source, params)
    directory = os.path.join(cache, key)
    manifest = os.path.join(directory, "manifest.json")
    if os.path.isfile(manifest):
        with open(manifest, encoding="utf-8") as handle:
            pyramid = Pyramid(**json.load(handle))
        pyramid.previews = [tuple(p) for p in pyramid.previews]
        pyramid.directory = directory
        return pyramid, False
    os.makedirs(cache, exist_ok=True)
    work = tempfile.mkdtemp(prefix=f"{key[:12]}.", dir=cache)
    try:
        pyramid = cut_pyramid(source, work, key, params)
        with open(os.path.join(work, "manifest.json"), "w", encoding="utf-8") as handle:
            json.dump(dataclasses.asdict(pyramid), handle)
        if os.path.isdir(directory):  # another build finished first
            shutil.rmtree(work)
        else:
            os.replace(work, directory)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    pyramid.directory = directory
    _remove_others(cache, key)
    return pyramid, True


def _remove_others(parent: str, keep: str) -> None:
    """Remove the pyramids of earlier versions of the image."""
    for name in os.listdir(parent):
        if name != keep and len(name) in (16, 64) and all(c in "0123456789abcdef" for c in name):
            shutil.rmtree(os.path.join(parent, name), ignore_errors=True)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def publish_pyramid(pyramid: Pyramid, target: str) -> None:
    """Put the cached tiles and previews under ``target`` (hard links when
    possible); a target that already holds this pyramid is left alone."""
    if os.path.isfile(os.path.join(target, "manifest.json")):
        return
    if os.path.isdir(target):
        shutil.rmtree(target)
    if os.path.isdir(os.path.dirname(target)):
        _remove_others(os.path.dirname(target), os.path.basename(target))
    shutil.copytree(pyramid.directory, target, copy_function=_link_or_copy)
