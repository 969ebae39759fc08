"""Songs built from tiny sites and from the demo content: order, pages,
players, and the errors an editor gets for a bad audio file."""

from helpers import ROOT, parse

DEMO_AUDIO = (ROOT / "content" / "media" / "ca-khuc" / "anh-den-pho-nui.ogg").read_bytes()
DEMO_MP3 = (ROOT / "content" / "media" / "ca-khuc" / "binh-minh-tren-nui-hong.mp3").read_bytes()


def song(title, audio="media/a.ogg", **fields) -> str:
    header = {"Title": title, "Composer": "Nhạc sĩ", "Performer": "Ca sĩ", "Year": "2001", "Audio": audio, **fields}
    lines = [f"{key}: {value}" for key, value in header.items() if value is not None]
    return "\n".join(lines) + "\n\nDòng một\nDòng hai\n"


ORDERED = ["Anh ơi", "Ánh trăng", "Ăn cơm mới", "Âm vang", "Bến nước", "Dòng sông", "Đêm hội", "Em về"]


def test_list_is_in_vietnamese_alphabetical_order(build_tiny):
    files = {"media/a.ogg": DEMO_AUDIO}
    for number, title in enumerate(reversed(ORDERED)):  # written in the wrong order on purpose
        files[f"songs/bai-{number}.md"] = song(title)
    build = build_tiny(files, strict=True)
    assert not build.failed, build.errors
    titles = [a.get_text() for a in build.html("ca-khuc/index.html").select(".song-list .song-title a")]
    assert titles == ORDERED


def test_each_song_has_facts_player_page_and_download(build_tiny):
    build = build_tiny({
        "media/a.ogg": DEMO_AUDIO, "media/b.mp3": DEMO_MP3,
        "songs/x.md": song("Ánh trăng", Lyricist="Người viết lời"),
        "songs/y.md": song("Bến nước", audio="media/b.mp3"),
    }, strict=True)
    assert not build.failed, build.errors
    items = build.html("ca-khuc/index.html").select(".song-item")
    assert len(items) == 2
    first = items[0]
    facts = {dt.get_text(): dt.find_next_sibling("dd").get_text() for dt in first.select("dt")}
    assert facts == {"Nhạc sĩ": "Nhạc sĩ", "Lời": "Người viết lời", "Trình bày": "Ca sĩ", "Năm": "2001", "Thời lượng": "0:04"}
    audio = first.select_one("audio")
    assert audio.has_attr("controls") and audio["preload"] == "none"
    assert audio.source["src"] == "/media/a.ogg" and audio.source["type"] == "audio/ogg"
    assert items[1].select_one("audio source")["type"] == "audio/mpeg"
    page = build.html("ca-khuc/anh-trang/index.html")
    assert page.h1.get_text() == "Ánh trăng"
    assert page.select_one("a[download]")["href"] == "/media/a.ogg"
    assert "Dòng một\nDòng hai" in page.select_one(".song-lyrics").get_text()
    assert (build.output / "media" / "a.ogg").read_bytes() == DEMO_AUDIO
    assert not list(build.output.glob("20*/**/index.html"))  # songs are not articles


def test_audio_outside_static_paths_is_copied(build_tiny):
    build = build_tiny({"nhac/a.ogg": DEMO_AUDIO, "songs/x.md": song("Bài", audio="nhac/a.ogg")}, strict=True)
    assert not build.failed, build.errors
    assert (build.output / "nhac" / "a.ogg").read_bytes() == DEMO_AUDIO


def test_title_and_performer_come_from_tags_when_left_out(build_tiny):
    build = build_tiny({
        "media/a.ogg": DEMO_AUDIO,
        "songs/x.md": "Composer: Nhạc sĩ\nYear: 2020\nAudio: media/a.ogg\n\nGiới thiệu.\n",
    }, strict=True)
    assert not build.failed, build.errors
    page = build.html("ca-khuc/anh-den-pho-nui/index.html")
    assert page.h1.get_text() == "Ánh đèn phố núi"
    assert "Giai điệu tổng hợp" in page.select_one(".song-meta").get_text()


def test_missing_and_corrupt_audio_fail_make_check_naming_the_file(run_check):
    result = run_check({
        "media/hong.ogg": b"OggS" + bytes(200),
        "songs/bai-hong.md": song("Bài hỏng", audio="media/hong.ogg"),
        "songs/bai-thieu.md": song("Bài thiếu", audio="media/khong-co.mp3"),
    })
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "songs/bai-hong.md:5: Audio:" in output
    assert "songs/bai-thieu.md:5: Audio:" in output
    assert "không tìm thấy tệp âm thanh" in output


def test_demo_songs_are_marked_as_demo(demo_site):
    items = parse(demo_site / "ca-khuc" / "index.html").select(".song-item")
    assert len(items) >= 3
    for item in items:
        url = item.select_one(".song-title a")["href"].strip("/")
        page = parse(demo_site / url / "index.html")
        assert "minh họa" in page.select_one(".song-lyrics").get_text()
        assert (demo_site / page.select_one("audio source")["src"].lstrip("/")).is_file()
