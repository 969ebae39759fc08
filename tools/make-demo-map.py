"""Draw the demo town map: an original, illustrative map made with Pillow.

Nothing here is traced from a real map. It draws a hill, a canal, roads,
residential blocks (tổ dân phố) with houses, a footprint for each point of
content/data/map.yml, labels in Vietnamese, a compass and a notice that the
map is illustrative. The result (6000×4000, a 48-colour PNG of about 1 MB) is
committed as content/maps/ban-do-minh-hoa-duc-thuan.png; run this again only
to change it (needs the DejaVu fonts: apt-get install fonts-dejavu-core):

    .venv/bin/python tools/make-demo-map.py
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "content" / "data" / "map.yml"
TARGET = ROOT / "content" / "maps" / "ban-do-minh-hoa-duc-thuan.png"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
WIDTH, HEIGHT = 6000, 4000

LAND, HILL, HILL_LINE, WATER = "#f3efe2", "#b9d7a0", "#8fbf78", "#9ccbe8"
ROAD, ROAD_EDGE, MAJOR = "#ffffff", "#b8ad98", "#f7d27a"
BLOCKS = ["#ede4d0", "#e9dfd9", "#e2e8d6", "#efe2cf"]
HOUSE, INK = "#cdbfa6", "#3b3b3b"
KIND_COLOURS = {"Cơ quan": "#d9534f", "Trường học": "#3f7fbf", "Y tế": "#2e9b5f", "Chợ": "#c77c1e"}

MAJOR_ROADS = [((0, 1900), (6000, 1900))]
ROADS = [
    ((1500, 900), (1500, 4000)), ((3000, 700), (3000, 4000)), ((4600, 600), (4600, 4000)),
    ((1500, 1050), (6000, 1050)), ((0, 2900), (6000, 2900)), ((1500, 3500), (6000, 3500)),
]
CANAL = [(0, 3300), (800, 3200), (1500, 3250), (2300, 3150), (3100, 3250), (3900, 3150), (4700, 3230), (6000, 3120)]


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)


def road(draw, start, end, width, colour) -> None:
    draw.line([start, end], fill=ROAD_EDGE, width=width + 12)
    draw.line([start, end], fill=colour, width=width)


def label(draw, xy, text, size, bold=False, fill=INK, anchor="mm", halo=True) -> None:
    draw.text(xy, text, font=font(size, bold), fill=fill, anchor=anchor,
              stroke_width=6 if halo else 0, stroke_fill="#ffffff")


def houses(draw, box, rng) -> None:
    left, top, right, bottom = box
    y = top + 40
    while y < bottom - 90:
        x = left + 40
        while x < right - 90:
            w, h = rng.randint(50, 90), rng.randint(50, 80)
            if rng.random() < 0.8:
                draw.rectangle([x, y, x + w, y + h], fill=HOUSE)
            x += w + rng.randint(25, 45)
        y += 120


def main() -> None:
    rng = random.Random(6)
    image = Image.new("RGB", (WIDTH, HEIGHT), LAND)
    draw = ImageDraw.Draw(image)

    # The hill in the north-west, with contour lines.
    hill = [(0, 0), (2600, 0), (2300, 350), (1700, 600), (1100, 1000), (500, 1300), (0, 1450)]
    draw.polygon(hill, fill=HILL)
    for step in range(1, 6):
        scale = 1 - step * 0.15
        draw.line([(x * scale, y * scale) for x, y in hill[1:-1]], fill=HILL_LINE, width=8)
    label(draw, (120, 420), "NÚI HỒNG (minh họa)", 110, bold=True, fill="#3d6b2a", anchor="lm")

    # Residential blocks between the roads, with houses.
    columns = [(0, 1500), (1500, 3000), (3000, 4600), (4600, 6000)]
    rows = [(1050, 1900), (1900, 2900), (2900, 3500), (3500, 4000)]
    number = 1
    for r, (top, bottom) in enumerate(rows):
        for c, (left, right) in enumerate(columns):
            if r == 0 and c == 0:
                continue  # the hill's foot
            box = (left + 60, top + 60, right - 60, bottom - 60)
            draw.rectangle(box, fill=BLOCKS[(r + c) % len(BLOCKS)])
            houses(draw, box, rng)
            if r < 2:
                label(draw, ((left + right) / 2, top + 140), f"Tổ dân phố {number}", 64, bold=True, fill="#6b5a3a")
                number += 1

    # The canal, over the blocks it crosses.
    draw.line(CANAL, fill=WATER, width=150, joint="curve")
    label(draw, (5200, 3190), "Kênh Đức Thuận (minh họa)", 64, fill="#1f5f8b")

    for start, end in ROADS:
        road(draw, start, end, 44, ROAD)
    for start, end in MAJOR_ROADS:
        road(draw, start, end, 80, MAJOR)
    label(draw, (900, 1900), "ĐƯỜNG TRỤC CHÍNH", 54, bold=True)
    label(draw, (5300, 1050), "Đường Bắc Kênh", 48)
    label(draw, (750, 2900), "Đường Nam Phường", 48)
    for x, name in ((1500, "Đường Số 1"), (3000, "Đường Số 2"), (4600, "Đường Số 3")):
        image_label = Image.new("RGBA", (700, 120), (0, 0, 0, 0))
        ImageDraw.Draw(image_label).text((350, 60), name, font=font(48), fill=INK, anchor="mm",
                                          stroke_width=6, stroke_fill="#ffffff")
        rotated = image_label.rotate(90, expand=True)
        image.paste(rotated, (x - 60, 2350 - 350), rotated)

    # A footprint and a name for every point of the data file.
    points = yaml.safe_load(DATA.read_text(encoding="utf-8"))["points"]
    for point in points:
        x, y = point["position"]
        colour = KIND_COLOURS.get(point["kind"], "#777777")
        draw.rectangle([x - 90, y - 70, x + 90, y + 70], fill=colour, outline="#ffffff", width=8)
        label(draw, (x, y + 120), point["name"], 40, bold=True)

    # Compass and the notice that this is not an official map.
    cx, cy = 5600, 500
    draw.ellipse([cx - 200, cy - 200, cx + 200, cy + 200], outline=INK, width=8, fill="#ffffff")
    draw.polygon([(cx, cy - 170), (cx - 60, cy + 40), (cx, cy), (cx + 60, cy + 40)], fill=INK)
    label(draw, (cx, cy + 110), "B", 90, bold=True)
    box = (200, 3580, 2900, 3930)
    draw.rectangle(box, fill="#ffffff", outline=INK, width=6)
    label(draw, (250, 3680), "BẢN ĐỒ MINH HỌA PHƯỜNG ĐỨC THUẬN", 80, bold=True, anchor="lm", halo=False)
    label(draw, (250, 3800), "Không phải bản đồ chính thức: vẽ bằng máy để thử trang Bản đồ.", 52, anchor="lm", halo=False)
    label(draw, (250, 3880), "Tên đường, kênh, núi trên bản đồ này là tên giả định.", 44, anchor="lm", halo=False)
    for i in range(5):  # an illustrative scale bar
        draw.rectangle([3300 + i * 200, 3820, 3500 + i * 200, 3860], fill=INK if i % 2 == 0 else "#ffffff", outline=INK, width=4)
    label(draw, (3800, 3760), "thước tỉ lệ minh họa", 40)
    assert math.isfinite(WIDTH / HEIGHT)

    TARGET.parent.mkdir(parents=True, exist_ok=True)
    image.quantize(colors=48, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(TARGET, optimize=True)
    print(f"{TARGET}: {TARGET.stat().st_size} bytes")


if __name__ == "__main__":
    main()
