"""What to make from one photo: settings, derivative sizes, crops, cache keys.

Pure logic, no Pelican and no Pillow import: the numbers here decide which
files exist, so they are unit-tested alone.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os

# Bump when the processing itself changes (colour handling, encoder options
# not in the settings...): every cached derivative is then made again.
PIPELINE_VERSION = 1

DEFAULTS = {
    # Widths (CSS pixels x density) of the responsive derivatives of figures
    # and covers. A photo is never enlarged: widths above its own are dropped
    # and its own width is offered instead.
    "WIDTHS": [480, 960, 1440],
    # Widths of the listing thumbnails, cropped around the centre to THUMB_RATIO.
    "THUMB_WIDTHS": [320, 640],
    "THUMB_RATIO": [16, 9],
    # The Open Graph image (link previews): exactly this size, JPEG.
    "OG_SIZE": [1200, 630],
    # Formats, best first: browsers take the first they support; the last is
    # the fallback in <img>. Only "webp" and "jpeg" are known.
    "FORMATS": ["webp", "jpeg"],
    "JPEG_QUALITY": 80,
    "WEBP_QUALITY": 75,
    # JPEG has no transparency: transparent pixels become this colour.
    "BACKGROUND": "#ffffff",
    # The `sizes` attribute per kind of image, to match the theme's layout
    # (main column 50rem at most; 1rem page padding; sidebar from 60rem).
    "SIZES": {
        "figure": "(min-width: 72rem) 50rem, (min-width: 60rem) calc(100vw - 22rem), calc(100vw - 2rem)",
        "cover": "(min-width: 72rem) 50rem, (min-width: 60rem) calc(100vw - 22rem), calc(100vw - 2rem)",
        "thumb": "7rem",
    },
    # Worker processes; 0 means one per core.
    "WORKERS": 0,
    # Where derivatives and the manifest are kept between builds (outside
    # output/); "" means <CACHE_PATH>/images.
    "CACHE_DIR": "",
    # A cache that is read but never written ("" = none): `make check` reads
    # the project's cache/images/ and writes new work to its temporary folder,
    # so an editor's check changes nothing outside that folder.
    "SEED_CACHE_DIR": "",
    # Publish a full-size copy (metadata removed) and link it under figures
    # as "Tải ảnh gốc". The editor's original file itself is never published.
    "ORIGINAL_DOWNLOAD": False,
}

KINDS = ("figure", "cover", "thumb")
FORMAT_EXTENSIONS = {"webp": "webp", "jpeg": "jpg"}
MIME = {"webp": "image/webp", "jpeg": "image/jpeg"}
SOURCE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".tif", ".tiff", ".gif", ".bmp")


def _positive_ints(value, name: str, count: int | None = None) -> list[int]:
    if not isinstance(value, list | tuple) or not value or not all(
        isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value
    ):
        raise ValueError(f"images: IMAGES['{name}'] must be a non-empty list of positive integers")
    if count is not None and len(value) != count:
        raise ValueError(f"images: IMAGES['{name}'] must have {count} numbers")
    return list(value)


def check_settings(user: dict | None) -> dict:
    """Merge the IMAGES setting with DEFAULTS and check it; ValueError names
    the key that is wrong."""
    user = dict(user or {})
    unknown = set(user) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"images: unknown keys in IMAGES: {sorted(unknown)}")
    merged = {**DEFAULTS, **user}
    merged["SIZES"] = {**DEFAULTS["SIZES"], **user.get("SIZES", {})}
    merged["WIDTHS"] = sorted(set(_positive_ints(merged["WIDTHS"], "WIDTHS")))
    merged["THUMB_WIDTHS"] = sorted(set(_positive_ints(merged["THUMB_WIDTHS"], "THUMB_WIDTHS")))
    merged["THUMB_RATIO"] = _positive_ints(merged["THUMB_RATIO"], "THUMB_RATIO", 2)
    merged["OG_SIZE"] = _positive_ints(merged["OG_SIZE"], "OG_SIZE", 2)
    formats = merged["FORMATS"]
    if not isinstance(formats, list | tuple) or not formats or any(f not in FORMAT_EXTENSIONS for f in formats):
        raise ValueError(f"images: IMAGES['FORMATS'] must list some of {sorted(FORMAT_EXTENSIONS)}")
    if formats[-1] != "jpeg":
        raise ValueError("images: IMAGES['FORMATS'] must end with 'jpeg', the format every browser shows")
    merged["FORMATS"] = list(dict.fromkeys(formats))
    for key in ("JPEG_QUALITY", "WEBP_QUALITY"):
        value = merged[key]
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 100:
            raise ValueError(f"images: IMAGES['{key}'] must be an integer from 1 to 100")
    background = merged["BACKGROUND"]
    if not (isinstance(background, str) and len(background) == 7 and background.startswith("#")):
        raise ValueError("images: IMAGES['BACKGROUND'] must be a colour written #rrggbb")
    try:
        int(background[1:], 16)
    except ValueError:
        raise ValueError("images: IMAGES['BACKGROUND'] must be a colour written #rrggbb") from None
    if set(merged["SIZES"]) - set(KINDS) or not all(isinstance(v, str) and v for v in merged["SIZES"].values()):
        raise ValueError(f"images: IMAGES['SIZES'] maps {list(KINDS)} to `sizes` attribute values")
    workers = merged["WORKERS"]
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 0:
        raise ValueError("images: IMAGES['WORKERS'] must be 0 (one per core) or a positive integer")
    for key in ("CACHE_DIR", "SEED_CACHE_DIR"):
        if not isinstance(merged[key], str):
            raise ValueError(f"images: IMAGES['{key}'] must be a folder path or ''")
    if not isinstance(merged["ORIGINAL_DOWNLOAD"], bool):
        raise ValueError("images: IMAGES['ORIGINAL_DOWNLOAD'] must be True or False")
    return merged


def worker_count(settings: dict) -> int:
    return settings["WORKERS"] or os.cpu_count() or 1


def fingerprint(settings: dict) -> str:
    """Hash of everything in the settings that changes the derivatives' bytes."""
    relevant = {
        key: settings[key]
        for key in ("WIDTHS", "THUMB_WIDTHS", "THUMB_RATIO", "OG_SIZE", "FORMATS",
                    "JPEG_QUALITY", "WEBP_QUALITY", "BACKGROUND", "ORIGINAL_DOWNLOAD")
    }
    relevant["version"] = PIPELINE_VERSION
    return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:16]


def cache_key(source_sha256: str, settings_fingerprint: str) -> str:
    return hashlib.sha256(f"{source_sha256}:{settings_fingerprint}".encode()).hexdigest()


# --- Geometry -----------------------------------------------------------------


def responsive_widths(source_width: int, wanted: list[int]) -> list[int]:
    """The widths to make for a photo ``source_width`` pixels wide: the wanted
    ones it can fill, plus its own width when it is narrower than the largest
    wanted (so the sharpest version is offered), never larger than itself."""
    widths = [w for w in wanted if w < source_width]
    if source_width <= max(wanted) and source_width not in widths:
        widths.append(source_width)
    return sorted(widths)


def scaled_height(width: int, height: int, new_width: int) -> int:
    return max(1, round(height * new_width / width))


def centre_crop(width: int, height: int, ratio_w: int, ratio_h: int) -> tuple[int, int, int, int]:
    """The largest box of ratio ``ratio_w:ratio_h`` centred in the image,
    as (left, top, right, bottom)."""
    if width * ratio_h > height * ratio_w:  # too wide: cut the sides
        crop_w, crop_h = max(1, round(height * ratio_w / ratio_h)), height
    else:  # too tall: cut top and bottom
        crop_w, crop_h = width, max(1, round(width * ratio_h / ratio_w))
    left = (width - crop_w) // 2
    top = (height - crop_h) // 2
    return left, top, left + crop_w, top + crop_h


@dataclasses.dataclass(frozen=True)
class Target:
    """One image to encode (in every format of FORMATS, or only JPEG)."""

    kind: str  # "full" (figures and covers), "thumb", "og", "original"
    width: int
    height: int
    crop: tuple[int, int, int, int] | None  # box in the upright image, or None for all of it
    formats: tuple[str, ...]


def targets(width: int, height: int, settings: dict) -> list[Target]:
    """Every derivative of an upright photo of ``width`` x ``height``."""
    formats = tuple(settings["FORMATS"])
    result = [
        Target("full", w, scaled_height(width, height, w), None, formats)
        for w in responsive_widths(width, settings["WIDTHS"])
    ]
    ratio_w, ratio_h = settings["THUMB_RATIO"]
    box = centre_crop(width, height, ratio_w, ratio_h)
    box_w = box[2] - box[0]
    for w in responsive_widths(box_w, settings["THUMB_WIDTHS"]):
        result.append(Target("thumb", w, max(1, round(w * ratio_h / ratio_w)), box, formats))
    og_w, og_h = settings["OG_SIZE"]
    result.append(Target("og", og_w, og_h, centre_crop(width, height, og_w, og_h), ("jpeg",)))
    if settings["ORIGINAL_DOWNLOAD"]:
        result.append(Target("original", width, height, None, ("jpeg",)))
    return result


def needed_scale(width: int, height: int, planned: list[Target]) -> float:
    """The largest scale (<= 1) any target needs from the upright image, so
    decoding can start from a reduced copy (JPEG draft) that is still large
    enough. An enlarged target (a small OG source) needs scale 1."""
    scale = 0.0
    for target in planned:
        box_w = (target.crop[2] - target.crop[0]) if target.crop else width
        scale = max(scale, target.width / box_w)
    return min(1.0, scale)


def reduced_size(width: int, height: int, scale: float) -> tuple[int, int]:
    return max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale))


def file_name(stem: str, key: str, target: Target, fmt: str) -> str:
    """``hoi-nghi.3fa9c1d2.960.webp``: the short key changes with the photo
    and the settings, so the files can be cached by browsers forever."""
    label = {"full": str(target.width), "thumb": f"thumb-{target.width}", "og": "og", "original": "goc"}[target.kind]
    return f"{stem}.{key[:8]}.{label}.{FORMAT_EXTENSIONS[fmt]}"
