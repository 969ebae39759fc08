"""Planning of derivatives and cache keys (pure logic)."""

from __future__ import annotations

import pytest

from images import plan


def test_widths_are_never_upscaled():
    assert plan.responsive_widths(4000, [480, 960, 1440]) == [480, 960, 1440]
    assert plan.responsive_widths(1200, [480, 960, 1440]) == [480, 960, 1200]
    assert plan.responsive_widths(300, [480, 960, 1440]) == [300]
    assert plan.responsive_widths(960, [480, 960, 1440]) == [480, 960]


def test_centre_crop_is_16_9_around_the_middle():
    assert plan.centre_crop(4000, 3000, 16, 9) == (0, 375, 4000, 2625)
    assert plan.centre_crop(1000, 200, 16, 9) == (322, 0, 678, 200)


def test_targets_of_a_camera_photo():
    settings = plan.check_settings({})
    targets = plan.targets(4000, 3000, settings)
    full = [(t.width, t.height) for t in targets if t.kind == "full"]
    thumbs = [(t.width, t.height) for t in targets if t.kind == "thumb"]
    og = [t for t in targets if t.kind == "og"]
    assert full == [(480, 360), (960, 720), (1440, 1080)]
    assert thumbs == [(320, 180), (640, 360)]
    assert [(t.width, t.height, t.formats) for t in og] == [(1200, 630, ("jpeg",))]
    assert plan.needed_scale(4000, 3000, targets) == pytest.approx(0.36)


def test_fingerprint_changes_with_settings_that_change_pixels():
    base = plan.fingerprint(plan.check_settings({}))
    assert plan.fingerprint(plan.check_settings({"WIDTHS": [400, 800]})) != base
    assert plan.fingerprint(plan.check_settings({"WEBP_QUALITY": 60})) != base
    # where files are cached or how many workers run changes no pixel
    assert plan.fingerprint(plan.check_settings({"WORKERS": 1, "CACHE_DIR": "/tmp/x"})) == base


@pytest.mark.parametrize(
    ("bad", "word"),
    [({"WIDTHS": []}, "WIDTHS"), ({"WIDTHS": [0]}, "WIDTHS"), ({"FORMATS": ["avif"]}, "FORMATS"),
     ({"FORMATS": ["jpeg", "webp"]}, "FORMATS"), ({"JPEG_QUALITY": 101}, "JPEG_QUALITY"),
     ({"BACKGROUND": "white"}, "BACKGROUND"), ({"SIZES": {"hero": "100vw"}}, "SIZES"),
     ({"WORKERS": -1}, "WORKERS"), ({"WIDHTS": [1]}, "WIDHTS"), ({"THUMB_RATIO": [16]}, "THUMB_RATIO")],
)
def test_bad_settings_name_the_key(bad, word):
    with pytest.raises(ValueError, match=word) as error:
        plan.check_settings(bad)
    assert str(error.value).startswith("images:")


def test_file_names_carry_the_key():
    target = plan.Target("full", 960, 640, None, ("webp", "jpeg"))
    assert plan.file_name("hoi-nghi", "3fa9c1d2" + "0" * 56, target, "webp") == "hoi-nghi.3fa9c1d2.960.webp"
