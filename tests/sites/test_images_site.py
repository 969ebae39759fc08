"""The images plugin in tiny sites: <picture> markup, files in output/,
originals not published, the cache, bad photos as content errors."""

from __future__ import annotations

import logging
import re

import photos
import pytest
from PIL import Image

from helpers import ROOT, article

IMG_DIR = "images/2022/06"
PAGE = "2022/06/ban-tin-thu-nghiem/index.html"
FIGURES = (
    "Mở đầu bản tin.\n\n"
    f"![Đồng chí A báo cáo]({IMG_DIR}/bao-cao.jpg)\n*Đồng chí A báo cáo tại hội nghị*\n\n"
    "Đoạn giữa.\n\n"
    f'![Đại biểu phát biểu]({IMG_DIR}/phat-bieu.png "Đại biểu phát biểu ý kiến")\n'
)


def site(**photo_overrides) -> dict[str, str | bytes]:
    files = {
        "articles/tin-tuc/2022/ban-tin.md": article(body=FIGURES, Image=f"{IMG_DIR}/bia.heic"),
        f"{IMG_DIR}/bao-cao.jpg": photos.sideways_phone_jpeg(),
        f"{IMG_DIR}/phat-bieu.png": photos.transparent_png(),
        f"{IMG_DIR}/bia.heic": photos.heic(),
    }
    files.update(photo_overrides)
    return files


def counts(caplog) -> tuple[int, int]:
    lines = [r.getMessage() for r in caplog.records if r.name == "images" and "from cache" in r.getMessage()]
    assert lines, "the build log has no 'images: N processed, M from cache' line"
    found = re.search(r"images: (\d+) processed, (\d+) from cache", lines[-1])
    return int(found[1]), int(found[2])


def srcset_files(img_or_source) -> list[str]:
    return [part.strip().split()[0] for part in img_or_source["srcset"].split(",")]


@pytest.fixture
def cache_dir(tmp_path):
    return str(tmp_path / "image-cache")


def test_figures_become_pictures_with_every_file_in_output(build_tiny, cache_dir):
    build = build_tiny(site(), IMAGES={"CACHE_DIR": cache_dir})
    assert not build.errors, build.errors
    soup = build.html(PAGE)
    figures = soup.select("article figure")
    assert len(figures) == 2
    for index, figure in enumerate(figures):
        picture = figure.find("picture")
        assert picture is not None
        source, img = picture.find("source"), picture.find("img")
        assert source["type"] == "image/webp"
        assert img["alt"].strip()
        assert int(img["width"]) > 0 and int(img["height"]) > 0
        assert img["sizes"] and source["sizes"]
        for url in [img["src"], *srcset_files(img), *srcset_files(source)]:
            assert url.startswith("/images/2022/06/")
            assert (build.output / url.lstrip("/")).is_file(), url
        if index == 0:  # the first image of the page: at once, high priority
            assert img["loading"] == "eager" and img["fetchpriority"] == "high"
        else:
            assert img["loading"] == "lazy" and img["decoding"] == "async"
            assert not img.has_attr("fetchpriority")
    # The turned phone photo: portrait width/height attributes.
    first = figures[0].img
    assert int(first["height"]) > int(first["width"])
    assert figures[0].figcaption.get_text() == "Đồng chí A báo cáo tại hội nghị"


def test_originals_are_not_published_and_outputs_carry_no_metadata(build_tiny, cache_dir):
    build = build_tiny(site(), IMAGES={"CACHE_DIR": cache_dir})
    published = sorted(p for p in build.output.rglob("*") if p.suffix in (".jpg", ".png", ".heic", ".webp"))
    assert published
    for name in ("bao-cao.jpg", "phat-bieu.png", "bia.heic"):
        assert not (build.output / IMG_DIR / name).exists(), name
    for path in published:
        raw = path.read_bytes()
        image = Image.open(path)
        assert len(image.getexif()) == 0, path
        assert "xmp" not in image.info and "icc_profile" not in image.info, path
        assert photos.SERIAL.encode() not in raw and b"Exif" not in raw, path


def test_second_build_processes_nothing_and_a_changed_photo_only_itself(build_tiny, cache_dir, caplog):
    caplog.set_level(logging.INFO, logger="images")
    files = site()  # the same bytes each time (HEIC encoding is not reproducible)
    build_tiny(files, IMAGES={"CACHE_DIR": cache_dir})
    assert counts(caplog) == (3, 0)
    caplog.clear()
    again = build_tiny(files, IMAGES={"CACHE_DIR": cache_dir})
    assert counts(caplog) == (0, 3)
    assert not again.errors
    figures = again.html(PAGE).select("article figure img")
    assert all((again.output / img["src"].lstrip("/")).is_file() for img in figures)
    caplog.clear()
    build_tiny({**files, f"{IMG_DIR}/phat-bieu.png": photos.palette_png()}, IMAGES={"CACHE_DIR": cache_dir})
    assert counts(caplog) == (1, 2)


def test_a_changed_setting_reprocesses(build_tiny, cache_dir, caplog):
    caplog.set_level(logging.INFO, logger="images")
    files = site()
    build_tiny(files, IMAGES={"CACHE_DIR": cache_dir})
    caplog.clear()
    build = build_tiny(files, IMAGES={"CACHE_DIR": cache_dir, "WIDTHS": [300, 600]})
    assert counts(caplog) == (3, 0)
    img = build.html(PAGE).select_one("article figure img")
    assert [int(part.split()[1][:-1]) for part in img["srcset"].split(",")] == [300, 480]


@pytest.mark.parametrize(
    ("data", "words"),
    [(photos.truncated_jpeg(), "bị hỏng"), (photos.NOT_AN_IMAGE, "không phải là ảnh")],
)
def test_bad_photo_is_a_content_error_naming_article_and_photo(build_tiny, cache_dir, data, words):
    build = build_tiny(site(**{f"{IMG_DIR}/bao-cao.jpg": data}), IMAGES={"CACHE_DIR": cache_dir})
    errors = [e for e in build.errors if "bao-cao.jpg" in e.message]
    assert len(errors) == 1, build.errors
    error = errors[0]
    assert error.path.endswith("articles/tin-tuc/2022/ban-tin.md")
    assert words in error.message
    assert error.line == 9  # the line of the image in the Markdown file
    assert error.hint
    # the rest of the article still builds, the good photos too
    assert build.html(PAGE).select("article figure picture")


def test_bad_cover_is_reported_on_its_field(build_tiny, cache_dir):
    build = build_tiny(site(**{f"{IMG_DIR}/bia.heic": photos.NOT_AN_IMAGE}), IMAGES={"CACHE_DIR": cache_dir})
    errors = [e for e in build.errors if "bia.heic" in e.message]
    assert [(e.field, e.line) for e in errors] == [("Image", 5)]


def test_missing_photo_is_one_content_error(build_tiny, cache_dir):
    files = site()
    del files[f"{IMG_DIR}/phat-bieu.png"]
    build = build_tiny(files, IMAGES={"CACHE_DIR": cache_dir})
    errors = [e for e in build.errors if "phat-bieu.png" in e.message]
    assert len(errors) == 1
    assert errors[0].path.endswith("ban-tin.md")


def test_strict_build_fails_on_a_bad_photo(build_tiny, cache_dir):
    build = build_tiny(site(**{f"{IMG_DIR}/bao-cao.jpg": photos.NOT_AN_IMAGE}), strict=True,
                       IMAGES={"CACHE_DIR": cache_dir})
    assert build.failed


def test_original_download_link_when_allowed(build_tiny, cache_dir):
    build = build_tiny(site(), IMAGES={"CACHE_DIR": cache_dir, "ORIGINAL_DOWNLOAD": True})
    link = build.html(PAGE).select_one("article figure a.image-original")
    assert link.get_text() == "Tải ảnh gốc"
    path = build.output / link["href"].lstrip("/")
    image = Image.open(path)
    assert image.size == (480, 640)  # full size, upright
    assert len(image.getexif()) == 0
    assert not (build.output / IMG_DIR / "bao-cao.jpg").exists()


def test_images_in_static_paths_is_refused(build_tiny):
    with pytest.raises(ValueError, match="images: STATIC_PATHS"):
        build_tiny(site(), STATIC_PATHS=["images"])


def test_make_check_stops_on_a_truncated_photo(run_check):
    result = run_check({
        "articles/tin-tuc/2022/ban-tin.md": article(body=f"![Hội nghị]({IMG_DIR}/hong.jpg)\n*Hội nghị sơ kết*\n"),
        f"{IMG_DIR}/hong.jpg": photos.truncated_jpeg(),
    })
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    line = next(line for line in output.splitlines() if "hong.jpg" in line and "bị hỏng" in line)
    assert "articles/tin-tuc/2022/ban-tin.md:6: ảnh:" in line


def test_a_photo_only_a_template_shows_is_processed_too(build_tiny, cache_dir):
    """A song's Image is shown by song.html through the picture macro."""
    audio = (ROOT / "content" / "media" / "ca-khuc" / "anh-den-pho-nui.ogg").read_bytes()
    build = build_tiny({
        "media/a.ogg": audio,
        "images/ca-khuc/anh.jpg": photos.jpeg(),
        "songs/x.md": "Title: Ánh trăng\nComposer: Nhạc sĩ\nPerformer: Ca sĩ\nYear: 2001\n"
                      "Audio: media/a.ogg\nImage: images/ca-khuc/anh.jpg\n\nLời bài hát\n",
    }, strict=True, IMAGES={"CACHE_DIR": cache_dir})
    assert not build.failed, build.errors
    img = build.html("ca-khuc/anh-trang/index.html").select_one("article picture img")
    assert img["alt"] == "Ảnh minh họa bài hát «Ánh trăng»"
    assert img["srcset"] and img["loading"] == "eager"
    assert (build.output / img["src"].lstrip("/")).is_file()
    assert not (build.output / "images" / "ca-khuc" / "anh.jpg").exists()


def test_og_image_is_the_cover_else_the_first_figure(build_tiny, cache_dir):
    files = site()
    files["articles/tin-tuc/2022/khong-bia.md"] = article(title="Bản tin không ảnh bìa", body=FIGURES)
    build = build_tiny(files, IMAGES={"CACHE_DIR": cache_dir})
    for page, stem in [(PAGE, "bia."), ("2022/06/ban-tin-khong-anh-bia/index.html", "bao-cao.")]:
        url = build.html(page).find("meta", property="og:image")["content"]
        assert url.rsplit("/", 1)[-1].startswith(stem), url
        image = Image.open(build.output / url.lstrip("/"))
        assert (image.format, image.size) == ("JPEG", (1200, 630))
        assert len(image.getexif()) == 0
