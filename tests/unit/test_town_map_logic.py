"""Town map: the data file with line numbers, and the tile pyramid."""

import os

from PIL import Image

from town_map.data import check_positions, load_map
from town_map.tiles import Params, ensure_pyramid, max_zoom_for, publish_pyramid

KINDS = ["Cơ quan", "Trường học", "Y tế", "Chợ"]
GOOD = """title: Bản đồ thử
image: maps/a.png
points:
  - name: Ủy ban nhân dân phường
    kind: Cơ quan
    address: Tổ dân phố 3
    position: [100, 50]
    link: lien-he/
  - name: Chợ phường
    kind: Chợ
    address: Tổ dân phố 5
    position: [599, 299]
"""


def test_good_data_file_is_read():
    data, problems = load_map(GOOD, KINDS)
    assert problems == []
    assert [p.name for p in data.points] == ["Ủy ban nhân dân phường", "Chợ phường"]
    first = data.points[0]
    assert (first.x, first.y, first.link, first.kind_slug, first.anchor) == (100, 50, "lien-he/", "co-quan", "diem-uy-ban-nhan-dan-phuong")
    assert check_positions(data.points, 600, 300) == []
    outside = check_positions(data.points, 500, 300)
    assert [(p.line, p.field) for p in outside] == [(12, "position")]


def test_bad_points_name_their_line_and_field():
    text = GOOD.replace("kind: Chợ", "kind: Cho").replace("[100, 50]", "[100]").replace("    address: Tổ dân phố 3\n", "")
    data, problems = load_map(text, KINDS)
    assert data is None
    found = {(p.line, p.field) for p in problems}
    assert found == {(4, "address"), (6, "position"), (9, "kind")}
    kind = next(p for p in problems if p.field == "kind")
    assert "Chợ" in kind.hint


def test_yaml_syntax_error_names_the_line():
    data, problems = load_map("title: x\npoints:\n  - name: a\n   kind: b\n", KINDS)
    assert data is None and problems[0].field == "YAML" and problems[0].line == 4


def test_pyramid_levels_tiles_and_padding(tmp_path):
    source = tmp_path / "map.png"
    Image.new("RGB", (600, 300), "#336699").save(source)
    assert max_zoom_for(600, 300, 256) == 2
    params = Params(preview_widths=(200, 480, 9999))
    pyramid, cut = ensure_pyramid(str(source), str(tmp_path / "cache"), params)
    assert cut and pyramid.max_zoom == 2
    assert pyramid.levels() == [(0, 1, 1), (1, 2, 1), (2, 3, 2)]
    assert pyramid.tiles == 1 + 2 + 6
    corner = Image.open(os.path.join(pyramid.directory, "2", "2", "1.jpg"))
    assert corner.size == (256, 256)  # padded: the image ends at x=88, y=44 of this tile
    assert corner.getpixel((10, 10))[2] > 120 and corner.getpixel((200, 200)) == (255, 255, 255)
    assert [p[:2] for p in pyramid.previews] == [(200, 100), (480, 240)]

    again, cut = ensure_pyramid(str(source), str(tmp_path / "cache"), params)
    assert not cut and again.key == pyramid.key and again.tiles == pyramid.tiles

    Image.new("RGB", (600, 300), "#993366").save(source)  # the image changes: cut again, old tiles go
    changed, cut = ensure_pyramid(str(source), str(tmp_path / "cache"), params)
    assert cut and changed.key != pyramid.key
    assert sorted(os.listdir(tmp_path / "cache")) == [changed.key]

    target = tmp_path / "out" / changed.key[:16]
    publish_pyramid(changed, str(target))
    assert (target / "0" / "0" / "0.jpg").is_file() and (target / "ban-do-480.jpg").is_file()
