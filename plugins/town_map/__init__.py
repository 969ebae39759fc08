"""town_map: the "Bản đồ" page, a zoomable map of the ward from a data file.

Reads ``content/data/map.yml`` (the map image under content/, the title, an
introduction, and the points of interest: name, kind, address, position on
the image, optional link), checks it (errors through
``content_errors.report`` with file, line and field), cuts a tile pyramid
of the image with Pillow only when the image changed (cached by content
hash under ``CACHE_PATH/town_map/``; the build log says whether tiles were
cut or reused), copies Leaflet from ``node_modules/`` and writes ``/ban-do/``:
the whole map as a responsive image and the list of points (what a reader
without JavaScript gets), which ``theme/static/js/town-map.js`` turns into a
pan/zoom Leaflet map (``CRS.Simple``) with a marker and popup per point.
"""

from __future__ import annotations

import logging
import os
import shutil
import time

from pelican import signals
from pelican.generators import Generator
from pelican.log import console
from PIL import Image, UnidentifiedImageError

from content_errors import report

from .data import MapData, check_positions, load_map
from .tiles import EXTENSIONS, Params, ensure_pyramid, publish_pyramid

log = logging.getLogger(__name__)

PROJECT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

DEFAULTS = {
    # The data file under content/ (absent: no map page).
    "DATA": "data/map.yml",
    # Address of the map page.
    "URL": "ban-do/",
    # Kinds of points an editor may use, in the order of the list.
    "KINDS": ["Cơ quan", "Trường học", "Y tế", "Chợ"],
    # Tiles: size in pixels, format (jpeg, png, webp), quality, padding colour.
    "TILE_SIZE": 256,
    "TILE_FORMAT": "jpeg",
    "QUALITY": 82,
    "BACKGROUND": "#ffffff",
    # Widths of the whole-map images for readers without JavaScript.
    "PREVIEW_WIDTHS": [480, 960, 1600, 2400],
    # Leaflet's dist/ folder (installed by `npm ci`), copied to VENDOR_URL.
    "LEAFLET_DIR": os.path.join(PROJECT, "node_modules", "leaflet", "dist"),
    "VENDOR_URL": "vendor/leaflet/",
}


def map_settings(settings) -> dict:
    merged = {**DEFAULTS, **settings.get("TOWN_MAP", {})}
    unknown = set(merged) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"town_map: unknown keys in TOWN_MAP: {sorted(unknown)}")
    if merged["TILE_FORMAT"] not in EXTENSIONS:
        raise ValueError(f"town_map: TOWN_MAP['TILE_FORMAT'] must be one of {sorted(EXTENSIONS)}")
    if not (isinstance(merged["TILE_SIZE"], int) and 64 <= merged["TILE_SIZE"] <= 1024):
        raise ValueError("town_map: TOWN_MAP['TILE_SIZE'] must be an integer from 64 to 1024")
    if not (isinstance(merged["QUALITY"], int) and 1 <= merged["QUALITY"] <= 100):
        raise ValueError("town_map: TOWN_MAP['QUALITY'] must be an integer from 1 to 100")
    if not merged["KINDS"] or not all(isinstance(k, str) and k.strip() for k in merged["KINDS"]):
        raise ValueError("town_map: TOWN_MAP['KINDS'] must be a non-empty list of names")
    if not all(isinstance(w, int) and w > 0 for w in merged["PREVIEW_WIDTHS"]):
        raise ValueError("town_map: TOWN_MAP['PREVIEW_WIDTHS'] must be positive integers")
    for key in ("URL", "VENDOR_URL"):
        if not merged[key].endswith("/") or merged[key].startswith("/"):
            raise ValueError(f"town_map: TOWN_MAP[{key!r}] must be relative and end with '/'")
    return merged


LEAFLET_FILES = ["leaflet.js", "leaflet.css"]


class TownMapGenerator(Generator):
    """Reads the map data, prepares the tiles and writes /ban-do/."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.conf = map_settings(self.settings)
        self.map: MapData | None = None
        self.pyramid = None

    def _params(self) -> Params:
        return Params(
            tile_size=self.conf["TILE_SIZE"], fmt=self.conf["TILE_FORMAT"], quality=self.conf["QUALITY"],
            background=self.conf["BACKGROUND"], preview_widths=tuple(sorted(self.conf["PREVIEW_WIDTHS"])),
        )

    def _load(self, source: str) -> MapData | None:
        with open(source, encoding="utf-8-sig") as handle:
            data, problems = load_map(handle.read(), self.conf["KINDS"])
        for problem in problems:
            report(source, problem.line, problem.field, problem.message, problem.hint)
        if data is None:
            return None
        image = os.path.join(self.path, data.image)
        try:
            with Image.open(image) as opened:
                size = opened.size
        except (OSError, UnidentifiedImageError, Image.DecompressionBombError):
            report(source, data.image_line, "image", f"không mở được ảnh bản đồ «{data.image}» (không có tệp hoặc không phải ảnh)",
                   "đặt ảnh bản đồ (JPEG hoặc PNG) trong content/maps/ và ghi `image: maps/<tên tệp>`")
            return None
        problems = check_positions(data.points, *size)
        for problem in problems:
            report(source, problem.line, problem.field, problem.message, problem.hint)
        return None if problems else data

    def generate_context(self) -> None:
        source = os.path.join(self.path, self.conf["DATA"])
        if not os.path.isfile(source):
            log.info("town_map: no %s, no map page", self.conf["DATA"])
            return
        self.map = self._load(source)
        if self.map is None:
            return
        started = time.perf_counter()
        cache = os.path.join(self.settings["CACHE_PATH"], "town_map")
        self.pyramid, cut = ensure_pyramid(os.path.join(self.path, self.map.image), cache, self._params())
        took = time.perf_counter() - started
        # Printed like Pelican's own "Done:" line, so every build log shows it.
        if cut:
            console.print(f"town_map: map image changed: cut {self.pyramid.tiles} tiles "
                          f"({self.pyramid.max_zoom + 1} levels) in {took:.1f} s")
        else:
            console.print(f"town_map: map image unchanged ({self.pyramid.key[:12]}): "
                          f"reused {self.pyramid.tiles} cached tiles, cut 0")
        self.context["town_map"] = self.map

    def _copy_leaflet(self) -> bool:
        folder = self.conf["LEAFLET_DIR"]
        if not all(os.path.isfile(os.path.join(folder, name)) for name in LEAFLET_FILES):
            log.error("town_map: Leaflet is missing from %s: run `npm ci` (make does it); "
                      "the map page is built without its interactive map", folder)
            return False
        target = os.path.join(self.output_path, self.conf["VENDOR_URL"])
        os.makedirs(target, exist_ok=True)
        for name in LEAFLET_FILES:
            shutil.copy2(os.path.join(folder, name), os.path.join(target, name))
        if os.path.isdir(os.path.join(folder, "images")):
            shutil.copytree(os.path.join(folder, "images"), os.path.join(target, "images"), dirs_exist_ok=True)
        return True

    def generate_output(self, writer) -> None:
        if self.map is None or self.pyramid is None:
            return
        tiles_url = f"{self.conf['URL']}tiles/{self.pyramid.key[:16]}/"
        publish_pyramid(self.pyramid, os.path.join(self.output_path, tiles_url))
        theme = self.settings["THEME_STATIC_DIR"]
        scripts = [self.conf["VENDOR_URL"] + "leaflet.js", f"{theme}/js/town-map.js"] if self._copy_leaflet() else []
        kinds = [(kind, [p for p in self.map.points if p.kind == kind]) for kind in self.conf["KINDS"]]
        writer.write_file(
            self.conf["URL"] + "index.html", self.get_template("town_map"), self.context,
            town_map=self.map, pyramid=self.pyramid, tiles_url=tiles_url, points_by_kind=[k for k in kinds if k[1]],
            leaflet_css=self.conf["VENDOR_URL"] + "leaflet.css", page_scripts=scripts,
            relative_urls=self.settings["RELATIVE_URLS"], url=self.conf["URL"],
        )


def _check_settings(pelican) -> None:
    map_settings(pelican.settings)


def _generators(pelican):
    return TownMapGenerator


def register():
    # initialized: a bad TOWN_MAP setting stops the build before any work.
    signals.initialized.connect(_check_settings)
    # get_generators: the map page comes from a data file and an image, not
    # from Markdown, so it has a generator of its own.
    signals.get_generators.connect(_generators)
