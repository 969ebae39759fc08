"""Test photos made with Pillow: what editors' phones, cameras and print shops
produce, small so the tests stay fast. Each function returns the file's bytes
(cached: the same bytes all session, HEIC encoding is slow and not reproducible)."""

from __future__ import annotations

import functools
import io

from PIL import Image, ImageCms

SERIAL = "SN-4711-CAMERA-SERIAL"
MAKER = "Hãng máy ảnh thử"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="Hong Linh"/>'
    b"</rdf:RDF></x:xmpmeta>"
)
COMMENT = b"owner: private comment"


def two_tone(size=(640, 480), top=(220, 30, 30), bottom=(30, 30, 220), mode="RGB") -> Image.Image:
    """Top half one colour, bottom half another: orientation shows at once."""
    image = Image.new(mode, size, bottom)
    image.paste(Image.new(mode, (size[0], size[1] // 2), top), (0, 0))
    return image


@functools.cache
def sideways_phone_jpeg(size=(640, 480)) -> bytes:
    """A phone photo stored sideways with EXIF orientation 6 (turn 90°
    clockwise to view), GPS position, maker, body serial number, XMP with a
    city, a JPEG comment and an ICC profile."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    exif[0x010F] = MAKER  # Make
    exif[0x0110] = "Điện thoại thử"  # Model
    exif.get_ifd(0x8769)[0xA431] = SERIAL  # BodySerialNumber (Exif IFD)
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (18.0, 32.0, 10.0)
    gps[3] = "E"
    gps[4] = (105.0, 42.0, 5.0)
    buffer = io.BytesIO()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    two_tone(size).save(buffer, "JPEG", quality=90, exif=exif, xmp=XMP, comment=COMMENT, icc_profile=icc)
    return buffer.getvalue()


@functools.cache
def cmyk_jpeg(size=(400, 300)) -> bytes:
    buffer = io.BytesIO()
    Image.new("CMYK", size, (0, 230, 230, 0)).save(buffer, "JPEG", quality=90)  # red in print colours
    return buffer.getvalue()


@functools.cache
def transparent_png(size=(400, 300)) -> bytes:
    """Left half opaque green, right half fully transparent."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    image.paste(Image.new("RGBA", (size[0] // 2, size[1]), (20, 160, 40, 255)), (0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@functools.cache
def palette_png(size=(300, 200)) -> bytes:
    buffer = io.BytesIO()
    two_tone(size).convert("P", palette=Image.Palette.ADAPTIVE, colors=8).save(buffer, "PNG")
    return buffer.getvalue()


@functools.cache
def grey16_png(size=(300, 200)) -> bytes:
    """16-bit greyscale: a value of 50000 of 65535 must stay light grey."""
    buffer = io.BytesIO()
    Image.new("I;16", size, 50000).save(buffer, "PNG")
    return buffer.getvalue()


@functools.cache
def heic(size=(400, 300)) -> bytes:
    import pillow_heif  # noqa: PLC0415 (only the HEIC tests need the encoder)

    buffer = io.BytesIO()
    pillow_heif.from_pillow(two_tone(size)).save(buffer, quality=80)
    return buffer.getvalue()


@functools.cache
def jpeg(size=(640, 480), colour=(200, 120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


@functools.cache
def truncated_jpeg(size=(640, 480)) -> bytes:
    """A photo whose upload stopped half way (noise, so the cut is in the pixels)."""
    buffer = io.BytesIO()
    Image.merge("RGB", [Image.effect_noise(size, 60)] * 3).save(buffer, "JPEG", quality=90)
    data = buffer.getvalue()
    return data[: len(data) // 2]


NOT_AN_IMAGE = "Đây là một tệp văn bản, không phải ảnh.\n".encode()
