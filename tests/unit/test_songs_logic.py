"""Songs: Vietnamese order, durations, header checks against real audio files."""

from pathlib import Path

import pytest

from editorial.header import parse_header
from helpers import ROOT
from songs.audio import AudioProblem, format_duration, iso_duration, probe
from songs.collation import sorted_vi
from songs.metadata import check_song, content_path

DEMO = ROOT / "content" / "media" / "ca-khuc"


def test_vietnamese_order_is_not_code_point_order():
    titles = ["Em", "Đêm", "Dòng", "Bình", "Âm", "Ăn", "Áo", "Anh"]
    assert sorted_vi(titles) == ["Anh", "Áo", "Ăn", "Âm", "Bình", "Dòng", "Đêm", "Em"]
    assert sorted(titles) != sorted_vi(titles)


@pytest.mark.parametrize(("seconds", "text", "iso"), [
    (225.4, "3:45", "PT3M45S"), (4.46, "0:04", "PT0M4S"), (59.6, "1:00", "PT1M0S"), (3723, "1:02:03", "PT62M3S"),
])
def test_durations_read_like_a_clock(seconds, text, iso):
    assert format_duration(seconds) == text
    assert iso_duration(seconds) == iso


def test_demo_files_have_duration_and_tags():
    info = probe(str(DEMO / "binh-minh-tren-nui-hong.mp3"))
    assert info.mime == "audio/mpeg" and 4 < info.duration < 5
    assert info.title == "Bình minh trên núi Hồng"
    ogg = probe(str(DEMO / "em-di-hoc-som.ogg"))
    assert ogg.mime == "audio/ogg" and ogg.artist.startswith("Giai điệu tổng hợp")


@pytest.mark.parametrize(("name", "data", "words"), [
    ("missing.ogg", None, "không tìm thấy"),
    ("text.mp3", b"this is not audio at all\n" * 50, "không đọc được"),
    ("random.ogg", bytes(range(256)) * 20, "không phải tệp âm thanh"),
    ("song.wav", b"RIFF", "không phải MP3, M4A hay OGG"),
])
def test_bad_audio_files_say_what_is_wrong(tmp_path, name, data, words):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(AudioProblem, match=words):
        probe(str(path))


def test_mp3_named_ogg_is_refused(tmp_path):
    (tmp_path / "x.ogg").write_bytes((DEMO / "binh-minh-tren-nui-hong.mp3").read_bytes())
    with pytest.raises(AudioProblem, match="thực chất là MP3"):
        probe(str(tmp_path / "x.ogg"))


def _content(tmp_path: Path) -> Path:
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "a.ogg").write_bytes((DEMO / "em-di-hoc-som.ogg").read_bytes())
    return tmp_path


def test_header_fills_title_and_performer_from_tags(tmp_path):
    fields = parse_header("Composer: Nhạc sĩ A\nAudio: media/a.ogg\n\nLời.\n")
    meta, problems = check_song(fields, str(_content(tmp_path)))
    assert problems == []
    assert meta.title == "Em đi học sớm"
    assert meta.performer.startswith("Giai điệu tổng hợp")
    assert meta.composer == "Nhạc sĩ A"  # the header wins over the tag
    assert set(meta.from_tags) == {"Title", "Performer", "Year"}


def test_header_problems_name_line_and_field(tmp_path):
    text = "Title: Bài thử\nComposer: A\nPerformer: B\nYear: 95\nAudio: media/khong-co.ogg\nImage: images/x.jpg\n\n"
    meta, problems = check_song(parse_header(text), str(_content(tmp_path)))
    assert meta is None
    found = {(p.line, p.field) for p in problems}
    assert found == {(4, "Year"), (5, "Audio"), (6, "Image")}


def test_audio_outside_content_is_refused():
    assert content_path("../secret.mp3", "/c") is None
    assert content_path("https://example.com/a.mp3", "/c") is None
    assert content_path("{static}/media/a.mp3", "/c") == "media/a.mp3"
