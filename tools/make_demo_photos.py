#!/usr/bin/env python3
"""Generate the demo illustrations used by the sample articles.

The script scans ``content/articles/**/*.md`` for every ``images/...jpg``
reference (both the ``Image:`` metadata field and Markdown image syntax) and
renders an original, stylised illustration for each one under
``content/images/``.  Nothing is downloaded: every picture is drawn from
simple shapes, gradients and seeded noise, so the output is deterministic and
free of third-party rights.

A scene style (conference hall, rice field, street, market, school) is picked
from keywords in the file name, falling back to a seeded choice.

Requirements: Python 3 standard library + Pillow.

Usage::

    python tools/make_demo_photos.py            # (re)generate all images
    python tools/make_demo_photos.py --list     # only print what would be made
    python tools/make_demo_photos.py --missing  # only create files that do not exist
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import re
import sys
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = ROOT / "content"
ARTICLES_DIR = CONTENT_DIR / "articles"

WIDTH, HEIGHT = 1600, 1067  # 3:2
SUPERSAMPLE = 2  # draw at 2x and downscale for smooth edges
JPEG_QUALITY = 85
MAX_BYTES = 400 * 1024
GRAIN_FINE = 3  # +/- amplitude of per-pixel grain
GRAIN_COARSE = 10  # amplitude of the soft, low-frequency mottling

IMAGE_REF_RE = re.compile(r"images/[A-Za-z0-9_./-]+?\.jpg")

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
]
WATERMARK_TEXT = "Ảnh minh họa"

# Keyword -> scene (and optional variant). Checked in order against the
# hyphen-separated tokens of the file name, so "hoi-nghi" only matches whole
# tokens and the first rule wins.
SCENE_RULES: list[tuple[str, str, str]] = [
    ("bao-cao", "hall", "speaker"),
    ("phat-bieu", "hall", "speaker"),
    ("dai-bieu", "hall", "table"),
    ("thao-luan", "hall", "table"),
    ("hoi-nghi", "hall", "wide"),
    ("ky-hop", "hall", "wide"),
    ("huy-hieu", "hall", "wide"),
    ("so-ket", "hall", "wide"),
    ("dai-hoi", "hall", "wide"),
    ("qr", "market", "qr"),
    ("tieu-thuong", "market", "plain"),
    ("cho", "market", "plain"),
    ("khai-giang", "school", "plain"),
    ("hoc-sinh", "school", "plain"),
    ("truong", "school", "plain"),
    ("tre-em", "school", "balloons"),
    ("thieu-nhi", "school", "balloons"),
    ("phong-chay", "street", "fire"),
    ("chua-chay", "street", "fire"),
    ("dan-phong", "street", "fire"),
    ("tan-binh", "street", "army"),
    ("nhap-ngu", "street", "army"),
    ("ngay-hoi", "street", "festival"),
    ("dai-doan-ket", "street", "festival"),
    ("ra-quan", "street", "youth"),
    ("thanh-nien", "street", "youth"),
    ("trao-qua", "street", "gift"),
    ("may-gat", "field", "harvester"),
    ("rau", "field", "greenhouse"),
    ("nha-luoi", "field", "greenhouse"),
    ("lua", "field", "rice"),
    ("ruong", "field", "rice"),
    ("nong-dan", "field", "rice"),
]
FALLBACK_SCENES = [
    ("hall", "wide"),
    ("field", "rice"),
    ("street", "plain"),
    ("market", "plain"),
    ("school", "plain"),
]


# ---------------------------------------------------------------------------
# Discovery
# ---------------------------------------------------------------------------


def find_image_refs(articles_dir: Path = ARTICLES_DIR) -> list[str]:
    """Return sorted unique ``images/...jpg`` paths referenced by articles."""
    refs: set[str] = set()
    for md in sorted(articles_dir.rglob("*.md")):
        text = md.read_text(encoding="utf-8")
        refs.update(IMAGE_REF_RE.findall(text))
    return sorted(refs)


def seed_for(ref: str) -> int:
    return int(hashlib.sha256(ref.encode("utf-8")).hexdigest()[:16], 16)


def pick_scene(ref: str, rng: random.Random) -> tuple[str, str]:
    stem = Path(ref).stem.lower()
    padded = f"-{stem}-"
    for keyword, scene, variant in SCENE_RULES:
        if f"-{keyword}-" in padded:
            return scene, variant
    return rng.choice(FALLBACK_SCENES)


# ---------------------------------------------------------------------------
# Drawing helpers
# ---------------------------------------------------------------------------


def mix(c1, c2, t: float):
    return tuple(round(a + (b - a) * t) for a, b in zip(c1, c2, strict=False))


def jitter(color, rng: random.Random, amount: int = 12):
    return tuple(max(0, min(255, c + rng.randint(-amount, amount))) for c in color)


class Pen:
    """Thin wrapper around ImageDraw that works in 1600x1067 coordinates
    while drawing on a supersampled canvas."""

    def __init__(self, img: Image.Image, scale: int):
        self.img = img
        self.k = scale
        self.draw = ImageDraw.Draw(img, "RGBA")

    # coordinate helpers -------------------------------------------------
    def _pts(self, pts):
        k = self.k
        return [(x * k, y * k) for x, y in pts]

    def _box(self, box):
        k = self.k
        x0, y0, x1, y1 = box
        return (x0 * k, y0 * k, max(x0, x1) * k, max(y0, y1) * k)

    # primitives ---------------------------------------------------------
    def rect(self, box, fill, outline=None, width=1):
        self.draw.rectangle(self._box(box), fill=fill, outline=outline, width=width * self.k)

    def rrect(self, box, radius, fill, outline=None, width=1):
        self.draw.rounded_rectangle(
            self._box(box), radius=radius * self.k, fill=fill, outline=outline, width=width * self.k
        )

    def ellipse(self, box, fill, outline=None, width=1):
        self.draw.ellipse(self._box(box), fill=fill, outline=outline, width=width * self.k)

    def circle(self, cx, cy, r, fill):
        self.ellipse((cx - r, cy - r, cx + r, cy + r), fill)

    def poly(self, pts, fill, outline=None):
        self.draw.polygon(self._pts(pts), fill=fill, outline=outline)

    def line(self, pts, fill, width=1):
        self.draw.line(self._pts(pts), fill=fill, width=max(1, int(width * self.k)), joint="curve")

    def arc(self, box, start, end, fill, width=1):
        self.draw.arc(self._box(box), start, end, fill=fill, width=max(1, int(width * self.k)))

    # composite helpers --------------------------------------------------
    def gradient(self, box, top, bottom, mask_poly=None):
        """Fill box with a vertical gradient (optionally clipped to a polygon)."""
        x0, y0, x1, y1 = (int(v) for v in self._box(box))
        w, h = max(1, x1 - x0), max(1, y1 - y0)
        column = Image.new("RGB", (1, h))
        px = column.load()
        for y in range(h):
            px[0, y] = mix(top, bottom, y / max(1, h - 1))
        grad = column.resize((w, h), Image.Resampling.NEAREST)
        mask = None
        if mask_poly is not None:
            mask = Image.new("L", (w, h), 0)
            ImageDraw.Draw(mask).polygon([(x - x0, y - y0) for x, y in self._pts(mask_poly)], fill=255)
        self.img.paste(grad, (x0, y0), mask)

    def soft(self, color, shapes, blur, opacity=1.0):
        """Draw blurred shapes in one colour (glows, clouds, smoke, shadows).

        ``shapes`` is a list of ("ellipse"|"poly"|"rect", coords) tuples.
        """
        # The mask is drawn at half the logical resolution (it is blurred
        # anyway), which keeps large blurs fast.
        q = 0.5 if blur else float(self.k)
        size = (int(WIDTH * q), int(HEIGHT * q))
        mask = Image.new("L", size, 0)
        md = ImageDraw.Draw(mask)
        value = int(255 * opacity)
        for kind, coords in shapes:
            if kind == "poly":
                md.polygon([(x * q, y * q) for x, y in coords], fill=value)
            else:
                x0, y0, x1, y1 = coords
                box = (x0 * q, y0 * q, max(x0, x1) * q, max(y0, y1) * q)
                if kind == "ellipse":
                    md.ellipse(box, fill=value)
                else:
                    md.rectangle(box, fill=value)
        if blur:
            mask = mask.filter(ImageFilter.GaussianBlur(blur * q))
        if mask.size != self.img.size:
            mask = mask.resize(self.img.size, Image.Resampling.BILINEAR)
        self.img.paste(Image.new("RGB", self.img.size, color), (0, 0), mask)

    def blur_region(self, box, radius):
        """Defocus part of the picture (shallow depth of field)."""
        b = tuple(int(v) for v in self._box(box))
        region = self.img.crop(b).filter(ImageFilter.GaussianBlur(radius * self.k))
        self.img.paste(region, b[:2])

    def star(self, cx, cy, r, fill, rotation=-90.0):
        pts = []
        for i in range(10):
            rad = r if i % 2 == 0 else r * 0.382
            ang = math.radians(rotation + i * 36)
            pts.append((cx + rad * math.cos(ang), cy + rad * math.sin(ang)))
        self.poly(pts, fill)

    def text_bars(self, x0, y0, width, height, rng, fill, gap=None, justify="center"):
        """Simulate a line of printed text with short bars of varying width."""
        gap = gap or height * 0.45
        words = []
        total = 0.0
        while total < width:
            wlen = rng.uniform(height * 1.2, height * 4.5)
            if total + wlen > width:
                break
            words.append(wlen)
            total += wlen + gap
        used = sum(words) + gap * (len(words) - 1) if words else 0
        x = x0 + (width - used) / 2 if justify == "center" else x0
        for wlen in words:
            self.rrect((x, y0, x + wlen, y0 + height), height * 0.25, fill)
            x += wlen + gap


def sky(pen: Pen, rng: random.Random, horizon: float, warm: bool = False):
    top = jitter((118, 170, 222), rng, 10)
    bottom = (236, 222, 200) if warm else jitter((214, 230, 240), rng, 6)
    pen.gradient((0, 0, WIDTH, horizon + 40), top, bottom)
    # sun glow
    sx = rng.uniform(200, 1400)
    pen.soft((255, 246, 220), [("ellipse", (sx - 220, -120, sx + 220, 260))], 80, 0.55)
    # clouds
    shapes = []
    for _ in range(rng.randint(3, 6)):
        cx, cy = rng.uniform(-100, 1700), rng.uniform(40, horizon * 0.6)
        for _ in range(rng.randint(4, 8)):
            w = rng.uniform(60, 170)
            ox, oy = rng.uniform(-140, 140), rng.uniform(-25, 25)
            shapes.append(("ellipse", (cx + ox - w, cy + oy - w * 0.45, cx + ox + w, cy + oy + w * 0.45)))
    pen.soft((250, 252, 255), shapes, 18, 0.85)


def mountains(pen: Pen, rng: random.Random, horizon: float):
    """Layered ridges, a nod to the Hồng Lĩnh range behind the town."""
    layers = [((150, 170, 190), 170), ((118, 146, 150), 110), ((86, 122, 98), 60)]
    for idx, (color, height) in enumerate(layers):
        pts = [(0, horizon)]
        y = horizon - height * rng.uniform(0.4, 0.9)
        x = 0.0
        while x <= WIDTH:
            pts.append((x, y))
            x += rng.uniform(40, 90)
            y += rng.uniform(-28, 28)
            y = min(horizon - 15, max(horizon - height * 1.3, y))
        pts += [(WIDTH, horizon), (WIDTH, horizon + 5), (0, horizon + 5)]
        pen.poly(pts, jitter(color, rng, 6))
        # atmospheric haze between layers
        if idx < len(layers) - 1:
            pen.soft((225, 232, 238), [("rect", (0, horizon - 60, WIDTH, horizon + 5))], 30, 0.25)


def tree(pen: Pen, rng: random.Random, x: float, base: float, size: float):
    trunk = (92, 70, 52)
    pen.rect((x - size * 0.05, base - size * 0.9, x + size * 0.05, base), trunk)
    greens = [(58, 112, 52), (74, 130, 60), (46, 96, 46), (88, 142, 70)]
    for _ in range(9):
        r = size * rng.uniform(0.22, 0.38)
        cx = x + rng.uniform(-size * 0.35, size * 0.35)
        cy = base - size * rng.uniform(0.85, 1.35)
        pen.circle(cx, cy, r, jitter(rng.choice(greens), rng, 8))


def person(
    pen: Pen,
    rng: random.Random,
    x: float,
    feet: float,
    h: float,
    shirt,
    pants=(40, 44, 60),
    hat: str | None = None,
    long_hair: bool = False,
    bend: float = 0.0,
    arm_up: bool = False,
    scarf: bool = False,
):
    """Very simple standing figure seen from the front; ``h`` = height in px."""
    skin = jitter((214, 172, 138), rng, 10)
    hair = (28, 24, 24)
    head_r = h * 0.075
    hip = feet - h * 0.47
    shoulder = feet - h * 0.80
    lean = bend * h * 0.25
    # legs
    pen.rrect((x - h * 0.09, hip, x - h * 0.01, feet), h * 0.03, pants)
    pen.rrect((x + h * 0.01, hip, x + h * 0.09, feet), h * 0.03, pants)
    # torso (slanted when bending)
    pen.poly(
        [
            (x - h * 0.12 + lean, shoulder),
            (x + h * 0.12 + lean, shoulder),
            (x + h * 0.1, hip + h * 0.03),
            (x - h * 0.1, hip + h * 0.03),
        ],
        shirt,
    )
    pen.circle(x - h * 0.11 + lean, shoulder + h * 0.02, h * 0.035, shirt)
    pen.circle(x + h * 0.11 + lean, shoulder + h * 0.02, h * 0.035, shirt)
    # arms
    if arm_up:
        pen.line([(x + h * 0.12 + lean, shoulder + h * 0.03), (x + h * 0.2 + lean, shoulder - h * 0.15)], shirt, h * 0.05)
    else:
        pen.line([(x + h * 0.12 + lean, shoulder + h * 0.03), (x + h * 0.15, hip)], shirt, h * 0.05)
    pen.line([(x - h * 0.12 + lean, shoulder + h * 0.03), (x - h * 0.15, hip)], shirt, h * 0.05)
    # head
    hx, hy = x + lean * 1.2, shoulder - head_r * 1.05
    if long_hair:
        pen.rrect((hx - head_r * 1.08, hy - head_r * 1.05, hx + head_r * 1.08, hy + head_r * 0.75), head_r * 0.7, hair)
    pen.circle(hx, hy - head_r * 0.1, head_r * 1.02, hair)
    pen.circle(hx, hy + head_r * 0.12, head_r * 0.88, skin)
    if scarf:
        pen.poly([(x - h * 0.05 + lean, shoulder), (x + h * 0.05 + lean, shoulder), (x + lean, shoulder + h * 0.09)], (206, 30, 36))
    if hat == "non":  # conical hat (nón lá)
        pen.poly([(hx - head_r * 2.4, hy - head_r * 0.1), (hx + head_r * 2.4, hy - head_r * 0.1), (hx, hy - head_r * 2.1)], (226, 208, 160))
        pen.line([(hx - head_r * 2.4, hy - head_r * 0.1), (hx + head_r * 2.4, hy - head_r * 0.1)], (190, 170, 120), head_r * 0.15)
    elif hat == "cap":
        pen.ellipse((hx - head_r * 1.15, hy - head_r * 1.3, hx + head_r * 1.15, hy - head_r * 0.1), (70, 92, 52))
        pen.rect((hx - head_r * 1.3, hy - head_r * 0.35, hx + head_r * 1.3, hy - head_r * 0.1), (58, 78, 42))
    elif hat == "helmet":
        pen.ellipse((hx - head_r * 1.2, hy - head_r * 1.35, hx + head_r * 1.2, hy - head_r * 0.05), (214, 180, 40))


def bust(pen: Pen, rng: random.Random, x: float, y: float, s: float, shirt, from_back: bool = True):
    """Head and shoulders (audience members, delegates)."""
    hair = jitter((30, 26, 26), rng, 6)
    skin = jitter((210, 168, 134), rng, 10)
    pen.rrect((x - s * 0.55, y, x + s * 0.55, y + s * 0.9), s * 0.28, shirt)
    if from_back:
        pen.circle(x, y - s * 0.22, s * 0.3, hair)
    else:
        pen.circle(x, y - s * 0.25, s * 0.31, hair)
        pen.circle(x, y - s * 0.19, s * 0.27, skin)


SHIRTS = [(238, 238, 232), (214, 226, 240), (246, 244, 236), (60, 78, 112), (122, 140, 92), (200, 210, 222)]


# ---------------------------------------------------------------------------
# Scenes
# ---------------------------------------------------------------------------


def backdrop(pen: Pen, rng: random.Random, box, star_r: float):
    x0, y0, x1, y1 = box
    pen.gradient(box, (196, 26, 30), (150, 14, 20))
    pen.rect(box, None, outline=(236, 196, 82), width=4)
    # soft folds of the velvet backdrop
    for i in range(int((x1 - x0) / 70)):
        fx = x0 + 35 + i * 70
        pen.soft((120, 8, 12), [("rect", (fx, y0, fx + 14, y1))], 12, 0.25)
    sx = x0 + (x1 - x0) * 0.17
    sy = y0 + (y1 - y0) * 0.45
    pen.soft((255, 210, 90), [("ellipse", (sx - star_r * 1.6, sy - star_r * 1.6, sx + star_r * 1.6, sy + star_r * 1.6))], star_r * 0.5, 0.35)
    pen.star(sx, sy, star_r, (255, 214, 60))
    # headline and body "text" in yellow / white
    tx0 = x0 + (x1 - x0) * 0.34
    tw = (x1 - x0) * 0.6
    th = (y1 - y0)
    pen.text_bars(tx0, y0 + th * 0.22, tw, th * 0.07, rng, (255, 226, 110))
    pen.text_bars(tx0, y0 + th * 0.40, tw, th * 0.1, rng, (255, 236, 140))
    pen.text_bars(tx0 + tw * 0.1, y0 + th * 0.58, tw * 0.8, th * 0.1, rng, (255, 236, 140))
    pen.text_bars(tx0 + tw * 0.2, y0 + th * 0.80, tw * 0.6, th * 0.05, rng, (250, 246, 236))


def flowers(pen: Pen, rng: random.Random, x0: float, x1: float, y: float, size: float):
    x = x0
    while x < x1:
        pen.circle(x, y, size, jitter((52, 110, 50), rng, 10))
        for _ in range(5):
            c = rng.choice([(230, 60, 70), (250, 200, 60), (250, 150, 170), (255, 255, 240)])
            pen.circle(x + rng.uniform(-size * 0.7, size * 0.7), y + rng.uniform(-size * 0.7, size * 0.3), size * 0.28, c)
        x += size * 1.5


def lectern(pen: Pen, x: float, top: float, bottom: float, w: float):
    pen.poly([(x - w * 0.55, top), (x + w * 0.55, top), (x + w * 0.45, bottom), (x - w * 0.45, bottom)], (122, 52, 36))
    pen.rect((x - w * 0.6, top - w * 0.06, x + w * 0.6, top + w * 0.02), (96, 40, 28))
    pen.circle(x, top + (bottom - top) * 0.35, w * 0.16, (236, 196, 82))
    pen.circle(x, top + (bottom - top) * 0.35, w * 0.11, (196, 26, 30))
    pen.star(x, top + (bottom - top) * 0.35, w * 0.08, (255, 214, 60))


def scene_hall(pen: Pen, rng: random.Random, variant: str):
    pen.gradient((0, 0, WIDTH, HEIGHT), jitter((232, 222, 204), rng, 6), (196, 180, 160))
    # ceiling lights
    for i in range(7):
        lx = 120 + i * 230 + rng.uniform(-20, 20)
        pen.soft((255, 250, 232), [("ellipse", (lx - 60, -30, lx + 60, 50))], 30, 0.8)

    if variant == "speaker":
        backdrop(pen, rng, (-40, 30, WIDTH + 40, 780), 150)
        pen.soft((255, 240, 210), [("ellipse", (700, 200, 1500, 900))], 120, 0.25)
        sx = rng.uniform(900, 1080)
        female = rng.random() < 0.5
        shirt = (240, 240, 236) if not female else (72, 96, 150)
        # speaker (large, from the waist up)
        pen.rrect((sx - 170, 520, sx + 170, 900), 90, shirt)
        skin = (214, 172, 138)
        if female:
            pen.rrect((sx - 90, 345, sx + 90, 585), 70, (28, 24, 24))
        pen.rect((sx - 25, 520, sx + 25, 560), skin)
        pen.ellipse((sx - 80, 350, sx + 80, 480), (28, 24, 24))
        pen.ellipse((sx - 72, 385, sx + 72, 545), skin)
        if not female:
            pen.poly([(sx - 14, 560), (sx + 14, 560), (sx + 22, 720), (sx, 750), (sx - 22, 720)], (150, 26, 32))
        # microphone
        pen.line([(sx - 260, 760), (sx - 90, 560)], (40, 40, 44), 6)
        pen.ellipse((sx - 108, 530, sx - 72, 580), (30, 30, 34))
        lectern(pen, sx - 120, 740, HEIGHT + 10, 520)
        flowers(pen, rng, sx - 340, sx + 120, 760, 34)
        # second delegate table on the left, out of focus
        pen.rect((0, 760, sx - 420, HEIGHT), (232, 236, 242))
        pen.rect((0, 760, sx - 420, 800), (28, 70, 150))
        for i in range(3):
            bust(pen, rng, 120 + i * 190, 640, 110, rng.choice(SHIRTS), from_back=False)
        pen.blur_region((0, 500, sx - 420, HEIGHT), 5)
        return

    if variant == "table":
        backdrop(pen, rng, (160, 40, 1440, 400), 70)
        pen.rect((0, 400, WIDTH, HEIGHT), (200, 176, 146))
        pen.gradient((0, 400, WIDTH, HEIGHT), (186, 160, 130), (150, 120, 92))
        # three rows of delegate tables facing the camera at an angle
        rows = [(520, 0.55), (700, 0.8), (930, 1.15)]
        for ry, sc in rows:
            seat_w = 150 * sc
            n = int(WIDTH / seat_w) + 2
            offset = rng.uniform(-seat_w, 0)
            for i in range(n):
                cx = offset + i * seat_w
                if rng.random() < 0.85:
                    bust(pen, rng, cx, ry - 95 * sc, 95 * sc, rng.choice(SHIRTS), from_back=False)
            pen.rect((0, ry, WIDTH, ry + 70 * sc), (236, 238, 244))
            pen.rect((0, ry, WIDTH, ry + 16 * sc), (34, 78, 156))
            for i in range(n):
                cx = offset + i * seat_w
                pen.rect((cx - 30 * sc, ry - 26 * sc, cx + 30 * sc, ry + 2 * sc), (250, 250, 246))
                pen.rect((cx + 40 * sc, ry - 48 * sc, cx + 52 * sc, ry), (170, 205, 230))
        return

    # wide view: stage, presidium, rows of audience seen from behind
    backdrop(pen, rng, (230, 70, 1370, 470), 85)
    pen.gradient((150, 470, 1450, 560), (150, 98, 60), (118, 74, 44))
    pen.rect((150, 556, 1450, 572), (90, 56, 34))
    # presidium table
    pen.rect((330, 450, 980, 530), (236, 238, 244))
    pen.rect((330, 450, 980, 466), (196, 26, 30))
    for i in range(5):
        bust(pen, rng, 390 + i * 130, 392, 60, rng.choice(SHIRTS), from_back=False)
    pen.rect((330, 450, 980, 470), (196, 26, 30))
    lectern(pen, 1180, 400, 556, 110)
    bust(pen, rng, 1180, 352, 56, (240, 240, 236), from_back=False)
    flowers(pen, rng, 170, 1440, 560, 22)
    # audience
    pen.gradient((0, 572, WIDTH, HEIGHT), (150, 120, 96), (110, 84, 64))
    y = 610.0
    sc = 0.55
    while y < HEIGHT + 60:
        seat_w = 92 * sc
        n = int(WIDTH / seat_w) + 2
        offset = rng.uniform(-seat_w, 0)
        for i in range(n):
            cx = offset + i * seat_w
            if (i % 9) == 4:  # aisle
                continue
            pen.rrect((cx - seat_w * 0.44, y, cx + seat_w * 0.44, y + 70 * sc), 12 * sc, jitter((38, 62, 126), rng, 6))
            if rng.random() < 0.82:
                bust(pen, rng, cx, y - 40 * sc, 58 * sc, rng.choice(SHIRTS), from_back=True)
        y += 70 * sc
        sc *= 1.22


def scene_field(pen: Pen, rng: random.Random, variant: str):
    horizon = rng.uniform(390, 450)
    sky(pen, rng, horizon)
    mountains(pen, rng, horizon)
    vx = rng.uniform(600, 1000)
    if variant == "greenhouse":
        pen.gradient((0, horizon, WIDTH, HEIGHT), (118, 150, 84), (88, 118, 60))
        # vegetable beds converging to the vanishing point
        for i in range(-12, 13):
            bx = vx + i * 150
            pen.poly([(vx + i * 14, horizon + 10), (vx + i * 14 + 6, horizon + 10), (bx + 60, HEIGHT), (bx - 30, HEIGHT)], (122, 94, 66))
        for row in range(60):
            t = (row / 60) ** 1.7
            yy = horizon + 20 + t * (HEIGHT - horizon)
            r = 4 + t * 34
            for i in range(-12, 13):
                bx = vx + i * 14 + (i * 150 - i * 14) * t
                pen.circle(bx + 15 * t, yy, r, jitter((70, 150, 62), rng, 14))
        # net house frame (translucent white film + arches)
        pen.soft((236, 240, 240), [("poly", [(-50, 240), (WIDTH + 50, 240), (WIDTH + 50, HEIGHT), (-50, HEIGHT)])], 0, 0.16)
        for i in range(9):
            ax = -100 + i * 230
            pen.arc((ax, 140, ax + 460, 700), 180, 360, (220, 224, 222), 5)
            pen.line([(ax, 420), (ax, HEIGHT)], (200, 204, 204), 6)
        pen.line([(0, 250), (WIDTH, 250)], (210, 214, 214), 4)
        # drip pipes
        for i in range(-6, 7):
            pen.line([(vx + i * 20, horizon + 15), (vx + i * 260, HEIGHT)], (40, 40, 44), 2)
        person(pen, rng, rng.uniform(250, 450), 900, 330, (80, 120, 170), (50, 50, 60), hat="non", bend=0.4)
        return

    pen.gradient((0, horizon, WIDTH, HEIGHT), (214, 182, 74), (186, 142, 40))
    # furrows and texture of ripe rice
    for i in range(-30, 31):
        pen.line([(vx + i * 12, horizon), (vx + i * 120, HEIGHT + 20)], (170, 130, 36, 110), 3)
    for _ in range(2600):
        t = rng.random() ** 1.6
        yy = horizon + 8 + t * (HEIGHT - horizon)
        xx = rng.uniform(-20, WIDTH + 20)
        ln = 4 + t * 26
        c = rng.choice([(238, 204, 96), (196, 150, 46), (222, 180, 70), (170, 128, 40)])
        pen.line([(xx, yy), (xx + rng.uniform(-4, 4) * (1 + t), yy - ln)], (*c, 200), 1 + t * 2.5)
    if variant == "harvester":
        hx, hy, _s = rng.uniform(650, 950), 760, 1.0
        pen.soft((90, 70, 40), [("ellipse", (hx - 330, hy + 90, hx + 330, hy + 150))], 20, 0.5)
        pen.rrect((hx - 300, hy + 40, hx + 300, hy + 130), 40, (46, 46, 50))
        for i in range(7):
            pen.circle(hx - 250 + i * 83, hy + 85, 30, (80, 80, 86))
        pen.rrect((hx - 240, hy - 130, hx + 220, hy + 50), 24, (214, 74, 40))
        pen.rect((hx - 240, hy - 20, hx + 220, hy), (240, 236, 226))
        pen.rrect((hx - 10, hy - 290, hx + 200, hy - 120), 18, (220, 84, 48))
        pen.rect((hx + 10, hy - 270, hx + 180, hy - 170), (150, 196, 222))
        pen.soft((255, 255, 255), [("poly", [(hx + 20, hy - 265), (hx + 90, hy - 265), (hx + 40, hy - 175), (hx + 15, hy - 175)])], 4, 0.35)
        pen.rect((hx - 420, hy - 40, hx - 240, hy + 90), (230, 196, 60))
        for i in range(6):
            pen.line([(hx - 420 + i * 36, hy - 40), (hx - 420 + i * 36, hy + 90)], (120, 100, 30), 5)
        pen.line([(hx - 200, hy - 130), (hx - 380, hy - 260)], (190, 190, 196), 22)
        for _ in range(3):
            person(pen, rng, rng.uniform(100, 420) if rng.random() < 0.5 else rng.uniform(1250, 1500), rng.uniform(820, 980), 260, rng.choice(SHIRTS), hat="non")
        return
    # farmers harvesting
    spots = sorted((rng.uniform(480, 1000), rng.uniform(80, 1520)) for _ in range(rng.randint(4, 6)))
    for feet, x in spots:
        h = 90 + (feet - 480) * 0.55
        person(pen, rng, x, feet, h, rng.choice([(110, 140, 180), (190, 80, 70), (230, 226, 210), (90, 110, 80)]), (50, 50, 58), hat="non", bend=rng.uniform(0.3, 0.7))
        pen.soft((120, 90, 30), [("ellipse", (x - h * 0.3, feet - h * 0.04, x + h * 0.3, feet + h * 0.06))], h * 0.05, 0.4)


def house_row(pen: Pen, rng: random.Random, ground: float, x_start: float = -40):
    palette = [(244, 226, 160), (236, 236, 226), (242, 204, 186), (196, 218, 232), (250, 240, 214), (214, 232, 200)]
    x = x_start
    houses = []
    while x < WIDTH + 40:
        w = rng.uniform(150, 260)
        h = rng.uniform(300, 520)
        top = ground - h
        wall = jitter(rng.choice(palette), rng, 8)
        pen.rect((x, top, x + w, ground), wall)
        pen.rect((x + w - 8, top, x + w, ground), mix(wall, (0, 0, 0), 0.18))
        if rng.random() < 0.45:
            pen.poly([(x - 10, top + 4), (x + w + 10, top + 4), (x + w / 2, top - w * 0.28)], jitter((168, 72, 52), rng, 10))
        else:
            pen.rect((x - 4, top - 14, x + w + 4, top + 4), mix(wall, (0, 0, 0), 0.25))
        floors = max(2, int(h / 150))
        fh = (h - 20) / floors
        for f in range(1, floors):
            fy = ground - f * fh
            pen.rect((x + w * 0.18, fy - fh * 0.62, x + w * 0.82, fy - fh * 0.18), jitter((96, 128, 150), rng, 10))
            pen.rect((x + w * 0.18, fy - fh * 0.62, x + w * 0.82, fy - fh * 0.52), (250, 250, 248, 140))
            pen.rect((x + 6, fy - 8, x + w - 6, fy), mix(wall, (0, 0, 0), 0.2))
            for bx in range(int(x + 12), int(x + w - 10), 14):
                pen.line([(bx, fy - 42), (bx, fy - 8)], (70, 70, 74), 2)
            pen.line([(x + 8, fy - 42), (x + w - 8, fy - 42)], (70, 70, 74), 3)
        # ground floor: shop front or doors + sign board
        pen.rect((x + 12, ground - fh * 0.82, x + w - 12, ground), jitter((120, 120, 126), rng, 12))
        for sy in range(int(ground - fh * 0.82), int(ground), 9):
            pen.line([(x + 12, sy), (x + w - 12, sy)], (150, 150, 156), 2)
        sign = rng.choice([(190, 30, 36), (30, 80, 160), (240, 196, 40), (40, 130, 80)])
        pen.rect((x + 6, ground - fh * 0.98, x + w - 6, ground - fh * 0.82), sign)
        pen.text_bars(x + 16, ground - fh * 0.93, w - 32, fh * 0.06, rng, (250, 248, 240))
        houses.append((x, w, top))
        x += w
    return houses


def street_base(pen: Pen, rng: random.Random):
    ground = rng.uniform(640, 700)
    sky(pen, rng, ground - 300, warm=rng.random() < 0.4)
    pen.soft((150, 170, 160), [("rect", (0, ground - 460, WIDTH, ground))], 40, 0.35)
    houses = house_row(pen, rng, ground)
    pen.rect((0, ground, WIDTH, ground + 40), (176, 170, 160))
    pen.rect((0, ground + 36, WIDTH, ground + 44), (120, 116, 110))
    pen.gradient((0, ground + 44, WIDTH, HEIGHT), (104, 106, 110), (70, 72, 76))
    for i in range(8):
        lx = i * 240 + rng.uniform(0, 60)
        pen.rect((lx, (ground + HEIGHT) / 2 + 30, lx + 120, (ground + HEIGHT) / 2 + 40), (236, 236, 230))
    for _ in range(rng.randint(2, 4)):
        tree(pen, rng, rng.uniform(60, 1540), ground + 30, rng.uniform(200, 280))
    # light poles
    for i in range(3):
        px = 250 + i * 560 + rng.uniform(-40, 40)
        pen.line([(px, ground + 30), (px, ground - 380)], (90, 92, 96), 8)
        pen.line([(px, ground - 380), (px + 70, ground - 395)], (90, 92, 96), 6)
    return ground, houses


def crowd(pen, rng, ground, count, shirts, pants=(40, 44, 60), hat=None, x_range=(80, 1520), scarf=False):
    spots = sorted((rng.uniform(ground + 60, HEIGHT + 120), rng.uniform(*x_range)) for _ in range(count))
    for feet, x in spots:
        h = 170 + (feet - ground) * 0.95
        pen.soft((30, 30, 34), [("ellipse", (x - h * 0.18, feet - h * 0.02, x + h * 0.22, feet + h * 0.04))], h * 0.03, 0.35)
        person(pen, rng, x, feet, h, jitter(rng.choice(shirts), rng, 8), pants, hat=hat, long_hair=rng.random() < 0.3, scarf=scarf, arm_up=rng.random() < 0.15)


def flag(pen: Pen, x: float, top: float, size: float, wave: float = 0.0):
    pen.line([(x, top), (x, top + size * 2.6)], (200, 200, 204), max(2, size * 0.05))
    w, h = size * 1.2, size * 0.8
    pen.poly([(x, top), (x + w, top + wave), (x + w, top + h + wave), (x, top + h)], (214, 24, 32))
    pen.star(x + w / 2, top + h / 2 + wave / 2, h * 0.3, (255, 214, 60))


def banner(pen: Pen, rng: random.Random, y: float, color=(196, 26, 30)):
    pen.line([(0, y - 30), (WIDTH, y - 40)], (60, 60, 60), 3)
    pen.rect((140, y, 1460, y + 90), color)
    pen.text_bars(200, y + 22, 1200, 44, rng, (255, 230, 120))


def scene_street(pen: Pen, rng: random.Random, variant: str):
    ground, houses = street_base(pen, rng)
    if variant == "fire":
        x, w, top = houses[rng.randint(1, max(1, len(houses) - 3))]
        pen.soft((255, 140, 40), [("rect", (x + 20, ground - 200, x + w - 20, ground - 20))], 30, 0.8)
        pen.soft((90, 90, 94), [("ellipse", (x - 80 + i * 40, top - 260 - i * 60, x + w + 60 + i * 30, top + 80 - i * 40)) for i in range(5)], 40, 0.7)
        # fire truck
        tx = x + w + 120
        pen.rrect((tx, ground + 20, tx + 560, ground + 230), 20, (200, 24, 28))
        pen.rrect((tx + 400, ground - 40, tx + 560, ground + 120), 18, (206, 30, 32))
        pen.rect((tx + 420, ground - 20, tx + 540, ground + 50), (150, 190, 214))
        pen.rect((tx, ground + 120, tx + 560, ground + 140), (240, 240, 236))
        pen.rect((tx + 20, ground - 10, tx + 380, ground + 20), (190, 190, 196))
        for i in range(10):
            pen.line([(tx + 30 + i * 35, ground - 10), (tx + 30 + i * 35, ground + 20)], (120, 120, 126), 4)
        for wx in (tx + 90, tx + 470):
            pen.circle(wx, ground + 235, 50, (30, 30, 34))
            pen.circle(wx, ground + 235, 22, (150, 150, 156))
        # water jets
        for j in range(2):
            sx = tx - 60 - j * 220
            pen.arc((x + w * 0.3 - 20 * j, ground - 300, sx + 200, ground + 400), 200, 300, (200, 228, 250), 14)
            pen.soft((230, 240, 250), [("ellipse", (x + w * 0.2, ground - 260, x + w * 0.8, ground - 120))], 20, 0.5)
        crowd(pen, rng, ground, 5, [(70, 60, 40), (88, 78, 54)], (70, 60, 40), hat="helmet", x_range=(x - 200, x + w + 400))
        return
    if variant == "army":
        banner(pen, rng, 130)
        for i in range(6):
            flag(pen, 80 + i * 290, ground - 260, 70, wave=rng.uniform(-10, 10))
        crowd(pen, rng, ground, 7, [(84, 104, 56), (92, 112, 60)], (84, 104, 56), hat="cap")
        crowd(pen, rng, ground, 5, SHIRTS)
        pen.rrect((700, 900, 820, 990), 8, (200, 30, 36))
        pen.line([(700, 940), (820, 940)], (250, 210, 70), 8)
        return
    if variant == "festival":
        colors = [(214, 36, 40), (250, 200, 40), (40, 120, 200), (60, 160, 80), (240, 240, 236)]
        for k in range(3):
            y0 = 120 + k * 90
            pen.line([(0, y0), (WIDTH / 2, y0 + 70), (WIDTH, y0)], (80, 80, 80), 2)
            for i in range(32):
                t = i / 31
                px = t * WIDTH
                py = y0 + 70 * (1 - abs(2 * t - 1))
                pen.poly([(px - 16, py), (px + 16, py), (px, py + 40)], colors[(i + k) % len(colors)])
        banner(pen, rng, 420)
        pen.rect((300, ground + 120, 1300, ground + 170), (196, 26, 30))
        crowd(pen, rng, ground, 14, [*SHIRTS, (200, 60, 70), (80, 140, 190)])
        return
    if variant == "youth":
        banner(pen, rng, 120, color=(30, 96, 180))
        for i in range(5):
            flag(pen, 140 + i * 330, ground - 200, 60)
        crowd(pen, rng, ground, 14, [(40, 110, 200), (52, 120, 210)], (36, 40, 56))
        for _ in range(4):
            bx = rng.uniform(200, 1400)
            pen.rect((bx, HEIGHT - 120, bx + 70, HEIGHT - 30), (40, 140, 80))
        return
    if variant == "gift":
        crowd(pen, rng, ground, 6, SHIRTS)
        for i in range(3):
            gx = 420 + i * 380 + rng.uniform(-40, 40)
            pen.rrect((gx, 830, gx + 110, 920), 6, (206, 30, 36))
            pen.line([(gx + 55, 830), (gx + 55, 920)], (250, 210, 70), 8)
            pen.line([(gx, 875), (gx + 110, 875)], (250, 210, 70), 8)
        return
    crowd(pen, rng, ground, 6, SHIRTS)


def qr_code(pen: Pen, rng: random.Random, x: float, y: float, size: float):
    n = 25
    cell = size / n
    pen.rect((x - cell * 2, y - cell * 2, x + size + cell * 2, y + size + cell * 5), (252, 252, 250))
    for r in range(n):
        for c in range(n):
            local = None
            if r < 8 and c < 8:
                local = (r, c)
            elif r < 8 and c >= n - 8:
                local = (r, c - (n - 7))
            elif r >= n - 8 and c < 8:
                local = (r - (n - 7), c)
            if local is not None:
                lr, lc = local
                inside = 0 <= lr < 7 and 0 <= lc < 7
                on = inside and max(abs(lr - 3), abs(lc - 3)) != 2
            else:
                on = rng.random() < 0.5
            if on:
                pen.rect((x + c * cell, y + r * cell, x + (c + 1) * cell, y + (r + 1) * cell), (20, 20, 24))
    pen.rect((x, y + size + cell * 1.2, x + size, y + size + cell * 3.8), (200, 30, 36))


def scene_market(pen: Pen, rng: random.Random, variant: str):
    pen.gradient((0, 0, WIDTH, HEIGHT), (120, 110, 100), (84, 76, 70))
    # market hall roof and skylight
    pen.poly([(-50, 0), (WIDTH + 50, 0), (WIDTH + 50, 120), (WIDTH / 2, 260), (-50, 120)], (70, 76, 84))
    pen.soft((255, 246, 220), [("rect", (200, 0, 1400, 120))], 60, 0.55)
    for i in range(12):
        pen.line([(i * 140, 0), (WIDTH / 2, 260)], (96, 100, 108), 4)
    pen.gradient((0, 560, WIDTH, HEIGHT), (150, 140, 126), (112, 104, 94))
    awnings = [((210, 40, 40), (246, 240, 230)), ((40, 110, 190), (246, 240, 230)), ((60, 150, 80), (250, 226, 120)), ((240, 160, 40), (250, 246, 236))]
    stalls = []
    x = -60.0
    while x < WIDTH:
        w = rng.uniform(260, 360)
        c1, c2 = rng.choice(awnings)
        top, bottom = 260 + rng.uniform(-20, 20), 380
        stripes = 8
        for s in range(stripes):
            sx0 = x + w * s / stripes
            sx1 = x + w * (s + 1) / stripes
            pen.poly([(sx0 + 10, top), (sx1 + 10, top), (sx1, bottom), (sx0, bottom)], c1 if s % 2 == 0 else c2)
        for s in range(stripes):
            cx = x + w * (s + 0.5) / stripes
            pen.ellipse((cx - w / stripes / 2, bottom - 12, cx + w / stripes / 2, bottom + 14), c1 if s % 2 == 0 else c2)
        pen.rect((x + 8, bottom, x + 18, 700), (80, 80, 84))
        pen.rect((x + w - 18, bottom, x + w - 8, 700), (80, 80, 84))
        # vendor behind table
        person(pen, rng, x + w * rng.uniform(0.35, 0.65), 700, 300, rng.choice([(190, 80, 90), (90, 120, 170), (230, 220, 200)]), hat="non" if rng.random() < 0.5 else None, long_hair=rng.random() < 0.6)
        # table with produce baskets
        pen.rect((x + 4, 590, x + w - 4, 720), (150, 110, 70))
        pen.rect((x + 4, 590, x + w - 4, 606), (176, 132, 86))
        bx = x + 30
        while bx < x + w - 50:
            br = rng.uniform(34, 48)
            pen.ellipse((bx - 6, 560, bx + br * 2 + 6, 610), (120, 84, 50))
            fruit = rng.choice([(240, 150, 40), (210, 40, 40), (90, 160, 60), (250, 210, 60), (120, 60, 120)])
            for _ in range(14):
                fx = bx + rng.uniform(6, br * 2 - 6)
                fy = rng.uniform(548, 580)
                pen.circle(fx, fy, rng.uniform(9, 14), jitter(fruit, rng, 18))
            bx += br * 2 + 18
        stalls.append((x, w))
        x += w + rng.uniform(10, 30)
    if variant == "qr":
        sx, sw = stalls[len(stalls) // 2]
        qr_code(pen, rng, sx + sw * 0.3, 450, 120)
    # shoppers in the foreground
    spots = sorted((rng.uniform(800, HEIGHT + 200), rng.uniform(60, 1540)) for _ in range(6))
    for feet, x in spots:
        h = 300 + (feet - 800) * 1.1
        person(pen, rng, x, feet, h, jitter(rng.choice([*SHIRTS, (200, 70, 80), (230, 190, 80)]), rng, 10), long_hair=rng.random() < 0.5)
    pen.soft((255, 236, 200), [("ellipse", (300, 200, 1300, 800))], 120, 0.18)


def scene_school(pen: Pen, rng: random.Random, variant: str):
    ground = 620.0
    sky(pen, rng, 300)
    # three-storey school building
    left, right = 80.0, 1520.0
    top = 180.0
    pen.rect((left - 20, top - 30, right + 20, top + 10), (176, 70, 50))
    pen.rect((left, top, right, ground), (238, 204, 104))
    floors = 3
    fh = (ground - top) / floors
    for f in range(floors):
        fy0 = top + f * fh
        for i in range(14):
            wx = left + 30 + i * ((right - left - 60) / 14)
            pen.rect((wx + 10, fy0 + 28, wx + 70, fy0 + fh - 40), (96, 140, 170))
            pen.rect((wx + 10, fy0 + 28, wx + 70, fy0 + 44), (250, 250, 246, 150))
        pen.rect((left, fy0 + fh - 30, right, fy0 + fh - 22), (250, 246, 236))
        pen.line([(left, fy0 + fh - 52), (right, fy0 + fh - 52)], (250, 246, 236), 4)
        for bx in range(int(left), int(right), 18):
            pen.line([(bx, fy0 + fh - 52), (bx, fy0 + fh - 26)], (250, 246, 236), 3)
    for i in range(9):
        cx = left + i * (right - left) / 8
        pen.rect((cx - 8, top, cx + 8, ground), (248, 236, 200))
    banner(pen, rng, top + 16)
    pen.gradient((0, ground, WIDTH, HEIGHT), (206, 200, 188), (170, 162, 150))
    # flag pole
    fx = rng.uniform(200, 320)
    pen.line([(fx, ground + 90), (fx, 60)], (210, 210, 214), 8)
    pen.poly([(fx, 64), (fx + 200, 74), (fx + 200, 204), (fx, 194)], (214, 24, 32))
    pen.star(fx + 100, 134, 40, (255, 214, 60))
    for _ in range(3):
        tree(pen, rng, rng.choice([rng.uniform(20, 160), rng.uniform(1420, 1580)]), ground + 60, rng.uniform(240, 300))
    if variant == "balloons":
        for _ in range(26):
            bx, by = rng.uniform(80, 1520), rng.uniform(60, 520)
            c = rng.choice([(230, 50, 60), (250, 200, 50), (60, 140, 220), (90, 190, 100), (240, 120, 180)])
            pen.line([(bx, by + 40), (bx + rng.uniform(-30, 30), by + 200)], (240, 240, 240), 2)
            pen.ellipse((bx - 30, by - 40, bx + 30, by + 40), c)
            pen.ellipse((bx - 16, by - 28, bx - 4, by - 8), (255, 255, 255, 120))
        shirts = [(240, 80, 90), (250, 200, 60), (80, 150, 220), (120, 200, 120), (245, 245, 240)]
    else:
        shirts = [(248, 248, 244)]
    # rows of pupils
    rows = 5
    for r in range(rows):
        feet = ground + 110 + r * 95 + r * r * 12
        h = 130 + r * 55
        n = int(1500 / (h * 0.42))
        for i in range(n):
            x = 40 + i * h * 0.42 + rng.uniform(-6, 6) + (r % 2) * h * 0.2
            person(pen, rng, x, feet, h, jitter(rng.choice(shirts), rng, 4), (30, 44, 90), long_hair=rng.random() < 0.4, scarf=variant != "balloons")


SCENES = {
    "hall": scene_hall,
    "field": scene_field,
    "street": scene_street,
    "market": scene_market,
    "school": scene_school,
}


# ---------------------------------------------------------------------------
# Post-processing (photo-like finish)
# ---------------------------------------------------------------------------


def add_grain(img: Image.Image, rng: random.Random, fine: int, coarse: int) -> Image.Image:
    """Add seeded luminance noise: a soft low-frequency layer plus fine grain."""
    w, h = img.size
    out = img
    if coarse:
        small = Image.frombytes("L", (w // 8, h // 8), rng.randbytes((w // 8) * (h // 8)))
        small = small.resize((w, h), Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(6))
        lut = [max(0, min(255, 128 + (v - 128) * coarse // 64)) for v in range(256)]
        layer = small.point(lut)
        out = ImageChops.add(out, Image.merge("RGB", (layer,) * 3), 1.0, -128)
    if fine:
        noise = Image.frombytes("L", (w, h), rng.randbytes(w * h))
        lut = [128 + (v - 128) * fine // 128 for v in range(256)]
        layer = noise.point(lut)
        out = ImageChops.add(out, Image.merge("RGB", (layer,) * 3), 1.0, -128)
    return out


def vignette(img: Image.Image, strength: float = 0.22) -> Image.Image:
    grad = Image.radial_gradient("L").resize(img.size, Image.Resampling.BILINEAR)
    lut = [int(255 * (1 - strength * (v / 255) ** 2)) for v in range(256)]
    mask = grad.point(lut)
    return ImageChops.multiply(img, Image.merge("RGB", (mask,) * 3))


def load_font(size: int):
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            try:
                return ImageFont.truetype(candidate, size)
            except OSError:
                continue
    return None


def watermark(img: Image.Image, font) -> Image.Image:
    if font is None:
        return img
    base = img.convert("RGBA")
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    x0, y0, x1, y1 = d.textbbox((0, 0), WATERMARK_TEXT, font=font)
    pad = 10
    tw, th = x1 - x0, y1 - y0
    bx1, by1 = base.width - 24, base.height - 24
    bx0, by0 = bx1 - tw - 2 * pad, by1 - th - 2 * pad
    d.rounded_rectangle((bx0, by0, bx1, by1), radius=8, fill=(0, 0, 0, 110))
    d.text((bx0 + pad - x0, by0 + pad - y0), WATERMARK_TEXT, font=font, fill=(255, 255, 255, 230))
    return Image.alpha_composite(base, layer).convert("RGB")


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def render(ref: str, font) -> tuple[Image.Image, str]:
    rng = random.Random(seed_for(ref))
    scene, variant = pick_scene(ref, rng)
    canvas = Image.new("RGB", (WIDTH * SUPERSAMPLE, HEIGHT * SUPERSAMPLE), (200, 200, 200))
    pen = Pen(canvas, SUPERSAMPLE)
    SCENES[scene](pen, rng, variant)
    img = canvas.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    img = img.filter(ImageFilter.GaussianBlur(0.6))  # slight lens softness
    img = vignette(img)
    img = add_grain(img, rng, fine=GRAIN_FINE, coarse=GRAIN_COARSE)
    img = watermark(img, font)
    return img, f"{scene}/{variant}"


def save_jpeg(img: Image.Image, dest: Path) -> int:
    dest.parent.mkdir(parents=True, exist_ok=True)
    img.save(dest, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return dest.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="print the referenced images and exit")
    parser.add_argument("--missing", action="store_true", help="only create images that do not exist yet")
    args = parser.parse_args(argv)

    refs = find_image_refs()
    if not refs:
        print("No image references found under", ARTICLES_DIR)
        return 0
    if args.list:
        for ref in refs:
            print(ref, pick_scene(ref, random.Random(seed_for(ref))))
        return 0

    font = load_font(22)
    if font is None:
        print("note: no font with Vietnamese glyphs found; skipping watermark text")
    total = 0
    oversize = []
    for ref in refs:
        dest = CONTENT_DIR / ref
        if args.missing and dest.exists():
            continue
        img, style = render(ref, font)
        size = save_jpeg(img, dest)
        total += size
        if size > MAX_BYTES:
            oversize.append(ref)
        print(f"{size / 1024:7.1f} KB  {style:18s} {ref}")
    print(f"{len(refs)} images, {total / 1024 / 1024:.2f} MB written")
    if oversize:
        print("warning: larger than 400 KB:", ", ".join(oversize), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
