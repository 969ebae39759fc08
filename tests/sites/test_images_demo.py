"""Photos of the demo site as citizens get them (acceptance points 1 and 6)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from PIL import Image

from helpers import parse

CONFERENCE = "2022/06/phuong-duc-thuan-so-ket-5-nam-thuc-hien-chi-thi-20/index.html"
REM = 16  # px


def urls(element) -> list[str]:
    found = [element["src"]] if element.has_attr("src") else []
    if element.has_attr("srcset"):
        found += [part.strip().split()[0] for part in element["srcset"].split(",")]
    return found


def test_every_article_img_has_srcset_width_height_and_its_files_exist(demo_site):
    pages = sorted(demo_site.glob("20*/*/*/index.html"))
    assert pages
    checked = 0
    for page in pages:
        soup = parse(page)
        for img in soup.find_all("img"):
            if img["src"].endswith(".svg"):  # the ward's emblem: a vector logo, one size fits all
                continue
            if img["src"].startswith("/api/"):  # the comments captcha: drawn by the service at one size
                continue
            assert img.get("srcset"), (page, img)
            assert int(img["width"]) > 0 and int(img["height"]) > 0, (page, img)
            assert img.get("sizes"), (page, img)
            for url in urls(img) + [u for s in img.find_parent("picture").find_all("source") for u in urls(s)]:
                assert (demo_site / url.lstrip("/")).is_file(), (page, url)
            checked += 1
    assert checked >= 20


def test_originals_are_not_in_the_output(demo_site):
    for path in (demo_site / "images").rglob("*"):
        if path.is_file():
            assert re.fullmatch(r".+\.[0-9a-f]{8}\.(\d+|thumb-\d+|og|goc)\.(webp|jpg)", path.name), path


def test_og_image_is_1200_by_630_without_metadata(demo_site):
    soup = parse(demo_site / CONFERENCE)
    url = soup.find("meta", property="og:image")["content"]
    image = Image.open(demo_site / urlsplit(url).path.lstrip("/"))
    assert image.size == (1200, 630)
    assert len(image.getexif()) == 0


def css_length(value: str, viewport: int) -> float:
    """A `sizes` length: Nrem, Npx, Nvw or calc(100vw - Nrem)."""
    value = value.strip()
    calc = re.fullmatch(r"calc\((\d+)vw\s*-\s*([\d.]+)rem\)", value)
    if calc:
        return viewport * int(calc[1]) / 100 - float(calc[2]) * REM
    number, unit = re.fullmatch(r"([\d.]+)(rem|px|vw)", value).groups()
    return float(number) * {"rem": REM, "px": 1, "vw": viewport / 100}[unit]


def slot_width(sizes: str, viewport: int) -> float:
    for entry in (part.strip() for part in sizes.split(",")):
        condition = re.match(r"\(min-width:\s*([\d.]+)rem\)\s*(.+)", entry)
        if condition is None:
            return css_length(entry, viewport)
        if viewport >= float(condition[1]) * REM:
            return css_length(condition[2], viewport)
    raise AssertionError(f"no default in sizes={sizes!r}")


def picked(srcset: str, needed: float) -> str:
    """What a browser downloads: the smallest candidate at least as wide as
    needed, else the widest."""
    options = sorted((int(w[:-1]), url) for url, w in (part.split() for part in srcset.split(",")))
    return next((url for width, url in options if width >= needed), options[-1][1])


def test_conference_photos_weigh_under_200_kb_on_a_375px_2x_phone(demo_site):
    figures = parse(demo_site / CONFERENCE).select("article figure picture")
    assert len(figures) == 2
    total = {"image/webp": 0, "image/jpeg": 0}
    for picture in figures:
        img, source = picture.img, picture.find("source", type="image/webp")
        needed = slot_width(img["sizes"], 375) * 2
        assert needed == 2 * (375 - 2 * REM)
        total["image/webp"] += (demo_site / picked(source["srcset"], needed).lstrip("/")).stat().st_size
        total["image/jpeg"] += (demo_site / picked(img["srcset"], needed).lstrip("/")).stat().st_size
    print(f"conference photos at 375 px × 2: {total}")
    assert total["image/webp"] < 200_000  # what every current phone browser takes
    assert total["image/jpeg"] < 200_000  # even the fallback
