"""Pillow work on one photo: decode small, turn upright, make it sRGB, encode
every derivative without any metadata.

Pure logic, no Pelican import; :func:`process` runs in worker processes.

Memory: a JPEG is decoded with ``draft()`` at the smallest DCT scale (1/2,
1/4, 1/8) still larger than the biggest derivative needs, so a 50-megapixel
photo is never held at full size; one "master" copy at the needed size is
made (``resize`` with ``reducing_gap`` reduces first) and the decoded image is
dropped before the derivatives are cut from the master. Orientation and colour
conversion are applied to the master, not to the big image.

Privacy: the master's ``info`` (EXIF with GPS and serial numbers, XMP, IPTC,
comments, ICC profile) is emptied, and the encoders get no metadata, so the
outputs carry none. Colours are converted to sRGB first, so dropping the
profile changes nothing a browser shows (untagged web images are sRGB).
"""

from __future__ import annotations

import dataclasses
import io
import os
import tempfile
import warnings

from PIL import Image, ImageCms, UnidentifiedImageError

from .plan import Target, file_name, needed_scale, reduced_size, targets

try:  # HEIC/HEIF from iPhones; pillow-heif is in requirements.txt
    import pillow_heif

    pillow_heif.register_heif_opener()
except ImportError:  # pragma: no cover - reported as an unreadable file
    pillow_heif = None

ORIENTATION = 0x0112
# EXIF orientation -> the transpose that makes the pixels upright (the same
# table as ImageOps.exif_transpose, applied here to the small master).
TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
SRGB = ImageCms.createProfile("sRGB")
WEBP_METHOD = 4  # libwebp's default effort; 6 is ~2x slower for ~3% smaller files


class BadImage(Exception):
    """The file is missing, not an image, truncated, or too large."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = reason  # "missing", "unreadable", "truncated", "too-large"
        self.detail = detail


@dataclasses.dataclass
class Derivative:
    kind: str
    width: int
    height: int
    format: str
    name: str
    bytes: int


@dataclasses.dataclass
class Result:
    """What one photo became. ``error`` is a BadImage reason, or "" when fine."""

    key: str
    width: int = 0  # upright size of the photo
    height: int = 0
    derivatives: list[Derivative] = dataclasses.field(default_factory=list)
    error: str = ""
    detail: str = ""

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Result:
        derivatives = [Derivative(**d) for d in data.get("derivatives", [])]
        return cls(**{**data, "derivatives": derivatives})


@dataclasses.dataclass(frozen=True)
class Job:
    source: str  # file on disk
    key: str  # cache key: content hash + settings
    out_dir: str  # where the derivatives are written (the cache)
    stem: str  # file name without extension, for the derivatives' names
    settings: dict


def _open(path: str) -> Image.Image:
    if not os.path.isfile(path):
        raise BadImage("missing")
    try:
        with warnings.catch_warnings():
            # Between MAX_IMAGE_PIXELS and twice that Pillow only warns; a
            # photo that big is refused like the bombs above it.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise BadImage("too-large", str(error)) from None
    except UnidentifiedImageError as error:
        raise BadImage("unreadable", str(error)) from None
    except (OSError, ValueError, SyntaxError) as error:
        raise BadImage("unreadable", str(error)) from None


def _upright_size(image: Image.Image, orientation: int) -> tuple[int, int]:
    width, height = image.size
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


# Modes converted before resizing: palette, bilevel and 16-bit images are
# brought to 8 bits (they are small: screenshots, charts, scans).
_CONVERT = {"1": "L", "RGBa": "RGBA", "La": "LA", "PA": "RGBA"}


def _to_resizable(image: Image.Image) -> Image.Image:
    """Return the image in a mode Pillow resizes well: RGB(A), L(A) or CMYK."""
    mode = image.mode
    if mode in ("RGB", "RGBA", "L", "LA", "CMYK"):
        return image
    if mode == "P":
        return image.convert("RGBA" if "transparency" in image.info else "RGB")
    if mode.startswith("I;16") or mode in ("I", "F"):
        # 16-bit grey: scale 0..65535 to 0..255 (a plain convert would clip).
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return image.convert(_CONVERT.get(mode, "RGB"))  # YCbCr, LAB, HSV... -> RGB


def _is_srgb(profile: ImageCms.ImageCmsProfile) -> bool:
    description = ImageCms.getProfileDescription(profile) or ""
    return "srgb" in description.lower().replace(" ", "")


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Convert the colours to sRGB with the embedded profile, if any."""
    alpha = image.mode in ("RGBA", "LA")
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if image.mode == "CMYK" or not _is_srgb(profile):
                if image.mode == "LA":
                    image = image.convert("RGBA")
                elif image.mode == "L":
                    image = image.convert("RGB")
                out_mode = "RGBA" if alpha else "RGB"
                return ImageCms.profileToProfile(image, profile, SRGB, outputMode=out_mode)
        except (OSError, ImageCms.PyCMSError):
            pass  # a broken profile: fall back to the plain conversion below
    if image.mode == "CMYK":
        return image.convert("RGB")
    return image


def _flatten(image: Image.Image, background: str) -> Image.Image:
    """JPEG has no alpha: put the image on the background colour."""
    if image.mode not in ("RGBA", "LA"):
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    rgba = image.convert("RGBA")
    base = Image.new("RGBA", rgba.size, background)
    base.alpha_composite(rgba)
    return base.convert("RGB")


def _encode(image: Image.Image, fmt: str, settings: dict) -> bytes:
    buffer = io.BytesIO()
    image.info = {}  # nothing of the source travels into the file
    if fmt == "webp":
        image.save(buffer, "WEBP", quality=settings["WEBP_QUALITY"], method=WEBP_METHOD)
    else:
        _flatten(image, settings["BACKGROUND"]).save(
            buffer, "JPEG", quality=settings["JPEG_QUALITY"], optimize=True, progressive=True
        )
    return buffer.getvalue()


def _write(out_dir: str, name: str, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=".tmp-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, os.path.join(out_dir, name))


def _cut(master: Image.Image, target: Target) -> Image.Image:
    region = master.crop(target.crop) if target.crop else master
    if region.size == (target.width, target.height):
        return region
    return region.resize((target.width, target.height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def load_master(path: str, settings: dict) -> tuple[Image.Image, int, int, list[Target]]:
    """Decode ``path`` no larger than needed; return the upright sRGB master,
    the photo's upright size and the planned targets (crops on the master)."""
    image = _open(path)
    try:
        orientation = image.getexif().get(ORIENTATION, 1)
    except Exception:  # a malformed EXIF block: treat the photo as upright
        orientation = 1
    icc = image.info.get("icc_profile")
    turned = orientation in (5, 6, 7, 8)
    width, height = _upright_size(image, orientation)
    planned = targets(width, height, settings)
    master_w, master_h = reduced_size(width, height, needed_scale(width, height, planned))
    raw_size = (master_h, master_w) if turned else (master_w, master_h)
    try:
        if image.format == "JPEG" and raw_size[0] < image.size[0]:
            image.draft(image.mode, raw_size)  # DCT scaling: decodes at 1/2, 1/4 or 1/8
        image.load()
    except OSError as error:
        reason = "truncated" if "truncated" in str(error) else "unreadable"
        raise BadImage(reason, str(error)) from None
    except (ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise BadImage("unreadable", str(error)) from None
    image = _to_resizable(image)
    if raw_size[0] < image.size[0]:
        image = image.resize(raw_size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    image = _to_srgb(image, icc)
    if orientation in TRANSPOSE:
        image = image.transpose(TRANSPOSE[orientation])
    image.info = {}
    if image.size != (width, height):  # crops were planned on the photo's size
        factor = image.size[0] / width
        planned = [_scale_crop(t, factor, image.size) for t in planned]
    return image, width, height, planned


def _scale_crop(target: Target, factor: float, size: tuple[int, int]) -> Target:
    if target.crop is None:
        return target
    left, top, right, bottom = (round(c * factor) for c in target.crop)
    return dataclasses.replace(target, crop=(left, top, min(right, size[0]), min(bottom, size[1])))


def process(job: Job) -> Result:
    """Make every derivative of one photo into ``job.out_dir``."""
    try:
        master, width, height, planned = load_master(job.source, job.settings)
    except BadImage as error:
        return Result(job.key, error=error.reason, detail=error.detail)
    os.makedirs(job.out_dir, exist_ok=True)
    result = Result(job.key, width, height)
    for target in planned:
        picture = _cut(master, target)
        for fmt in target.formats:
            data = _encode(picture, fmt, job.settings)
            name = file_name(job.stem, job.key, target, fmt)
            _write(job.out_dir, name, data)
            result.derivatives.append(Derivative(target.kind, target.width, target.height, fmt, name, len(data)))
    return result

