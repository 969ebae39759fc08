"""Pillow processing of one photo: upright, sRGB, no metadata, every input
kind editors bring (acceptance points 2 and 3 at the unit level)."""

from __future__ import annotations

import io

import photos
import pytest
from PIL import Image

from images import plan
from images.process import Job, load_master, process

SETTINGS = plan.check_settings({})


def run(tmp_path, data: bytes, name="photo.jpg", **settings):
    source = tmp_path / name
    source.write_bytes(data)
    job = Job(str(source), "k" * 64, str(tmp_path / "out"), source.stem, plan.check_settings(settings))
    return process(job), tmp_path / "out"


def opened(folder, derivative) -> Image.Image:
    image = Image.open(folder / derivative.name)
    image.load()
    return image


def test_sideways_phone_photo_comes_out_upright_without_any_metadata(tmp_path):
    result, out = run(tmp_path, photos.sideways_phone_jpeg((640, 480)))
    assert not result.error
    assert (result.width, result.height) == (480, 640)  # portrait once turned
    kinds = {(d.kind, d.format) for d in result.derivatives}
    assert kinds >= {("full", "webp"), ("full", "jpeg"), ("thumb", "webp"), ("thumb", "jpeg"), ("og", "jpeg")}
    for derivative in result.derivatives:
        raw = (out / derivative.name).read_bytes()
        image = opened(out, derivative)
        assert image.size == (derivative.width, derivative.height)
        assert len(image.getexif()) == 0, derivative.name
        for key in ("exif", "xmp", "icc_profile", "comment", "XML:com.adobe.xmp"):
            assert key not in image.info, (derivative.name, key)
        for secret in (b"Exif", photos.SERIAL.encode(), b"ns.adobe.com", photos.COMMENT, b"Hong Linh"):
            assert secret not in raw, (derivative.name, secret)
        if derivative.kind == "full":
            # Stored top red / bottom blue, turned 90° clockwise: red on the right.
            rgb = image.convert("RGB")
            w, h = rgb.size
            right, left = rgb.getpixel((w * 3 // 4, h // 2)), rgb.getpixel((w // 4, h // 2))
            assert right[0] > 150 and right[2] < 100, (derivative.name, right)
            assert left[2] > 150 and left[0] < 100, (derivative.name, left)
            assert h > w


@pytest.mark.parametrize(
    ("maker", "name"),
    [(photos.heic, "iphone.heic"), (photos.cmyk_jpeg, "print-shop.jpg"), (photos.transparent_png, "logo.png"),
     (photos.palette_png, "chart.png"), (photos.grey16_png, "scan.png")],
)
def test_every_kind_of_input_builds_valid_derivatives(tmp_path, maker, name):
    result, out = run(tmp_path, maker(), name)
    assert not result.error, result.detail
    assert result.derivatives
    for derivative in result.derivatives:
        image = opened(out, derivative)
        assert image.format == {"webp": "WEBP", "jpeg": "JPEG"}[derivative.format]
        assert image.mode in ("RGB", "RGBA", "L")
        assert "icc_profile" not in image.info


def test_cmyk_becomes_rgb_with_the_same_colour(tmp_path):
    result, out = run(tmp_path, photos.cmyk_jpeg(), "print-shop.jpg")
    jpeg = next(d for d in result.derivatives if d.format == "jpeg" and d.kind == "full")
    red, green, blue = opened(out, jpeg).convert("RGB").getpixel((10, 10))
    assert red > 180 and green < 90 and blue < 90


def test_transparency_kept_in_webp_and_flattened_on_white_in_jpeg(tmp_path):
    result, out = run(tmp_path, photos.transparent_png((400, 300)), "logo.png")
    webp = next(d for d in result.derivatives if d.format == "webp" and d.kind == "full")
    jpeg = next(d for d in result.derivatives if d.format == "jpeg" and d.kind == "full")
    webp_image, jpeg_image = opened(out, webp), opened(out, jpeg)
    assert webp_image.mode == "RGBA"
    assert webp_image.getpixel((webp.width - 5, 5))[3] == 0
    assert jpeg_image.getpixel((jpeg.width - 5, 5)) == pytest.approx((255, 255, 255), abs=3)
    assert jpeg_image.getpixel((5, 5))[1] > 120


def test_sixteen_bit_grey_is_scaled_not_clipped(tmp_path):
    result, out = run(tmp_path, photos.grey16_png(), "scan.png")
    jpeg = next(d for d in result.derivatives if d.format == "jpeg" and d.kind == "full")
    value = opened(out, jpeg).convert("L").getpixel((5, 5))
    assert 180 < value < 210  # 50000 / 65535 of white, not 255


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [(photos.truncated_jpeg(), "cut.jpg", "truncated"), (photos.NOT_AN_IMAGE, "text.jpg", "unreadable")],
)
def test_bad_files_are_reported_not_raised(tmp_path, data, name, reason):
    result, _ = run(tmp_path, data, name)
    assert result.error == reason
    assert not result.derivatives


def test_missing_file(tmp_path):
    job = Job(str(tmp_path / "nope.jpg"), "k" * 64, str(tmp_path / "out"), "nope", SETTINGS)
    assert process(job).error == "missing"


def test_decompression_bomb_guard_stays_on(tmp_path, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 640 * 480 // 4)
    result, _ = run(tmp_path, photos.jpeg((640, 480)))
    assert result.error == "too-large"


def test_big_jpeg_is_decoded_reduced(tmp_path):
    """draft(): a 4000-pixel-wide photo is decoded at most at half size when
    the largest derivative is 1440 wide, and the master is 1440 wide."""
    source = tmp_path / "big.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 3000), (90, 120, 160)).save(buffer, "JPEG", quality=80)
    source.write_bytes(buffer.getvalue())
    opened_sizes = []
    original_load = Image.Image.load

    def spy(self):
        value = original_load(self)
        if getattr(self, "filename", "") == str(source):
            opened_sizes.append(self.size)
        return value

    Image.Image.load = spy
    try:
        master, width, height, _ = load_master(str(source), SETTINGS)
    finally:
        Image.Image.load = original_load
    assert (width, height) == (4000, 3000)
    assert master.size == (1440, 1080)
    assert opened_sizes and max(opened_sizes)[0] <= 2000
