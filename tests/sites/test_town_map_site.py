"""The map page built from tiny sites and from the demo content: tiles cut
once, the image and list without JavaScript, and editors' errors."""

import io
import re

import yaml
from PIL import Image

from helpers import ROOT, parse

MAP_YML = """title: Bản đồ thử
image: maps/thu.png
illustrative: true
points:
  - name: Ủy ban nhân dân phường
    kind: Cơ quan
    address: Tổ dân phố 3
    position: [100, 50]
  - name: Trạm Y tế phường
    kind: Y tế
    address: Tổ dân phố 4
    position: [700, 400]
"""


def png(size=(900, 500), colour="#88aa66") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def test_second_build_with_the_same_image_cuts_no_tiles(build_tiny, tmp_path, capsys):
    files = {"data/map.yml": MAP_YML, "maps/thu.png": png()}
    cache = str(tmp_path / "shared-cache")
    first = build_tiny(files, strict=True, CACHE_PATH=cache)
    log = capsys.readouterr().out
    assert not first.failed, first.errors
    assert re.search(r"town_map: map image changed: cut 11 tiles", log), log

    second = build_tiny(files, strict=True, CACHE_PATH=cache)
    log = capsys.readouterr().out
    assert not second.failed, second.errors
    assert "reused 11 cached tiles, cut 0" in log, log
    assert "cut 11 tiles" not in log
    tiles = sorted(p.relative_to(second.output) for p in (second.output / "ban-do" / "tiles").rglob("*.jpg"))
    assert len([t for t in tiles if not t.name.startswith("ban-do-")]) == 11

    files["maps/thu.png"] = png(colour="#aa6688")  # a new scan: cut again
    third = build_tiny(files, strict=True, CACHE_PATH=cache)
    assert "cut 11 tiles" in capsys.readouterr().out
    assert not third.failed


def test_page_has_responsive_image_list_and_viewer(build_tiny):
    build = build_tiny({"data/map.yml": MAP_YML, "maps/thu.png": png()}, strict=True)
    assert not build.failed, build.errors
    page = build.html("ban-do/index.html")
    assert "Bản đồ minh họa" in page.select_one(".map-notice").get_text()
    box = page.select_one("[data-town-map]")
    assert (box["data-width"], box["data-height"], box["data-max-zoom"]) == ("900", "500", "2")
    image = box.select_one("img")
    candidates = [entry.split() for entry in image["srcset"].split(", ")]
    assert [width for _, width in candidates] == ["480w"]  # wider previews than the image are not made
    for url, _ in candidates:
        assert (build.output / url.lstrip("/")).is_file()
    assert image["alt"] == "Bản đồ thử"
    names = [li.select_one(".map-point-name").get_text() for li in page.select(".map-point")]
    assert names == ["Ủy ban nhân dân phường", "Trạm Y tế phường"]
    assert [h.get_text() for h in page.select("h3.map-kind")] == ["Cơ quan", "Y tế"]
    scripts = [s["src"] for s in page.select("script[src]")]
    assert "/vendor/leaflet/leaflet.js" in scripts and "/theme/js/town-map.js" in scripts
    assert (build.output / "vendor" / "leaflet" / "leaflet.js").is_file()
    assert all(s.has_attr("defer") for s in page.select("script[src]"))
    template = box["data-tiles"]
    assert (build.output / template.lstrip("/").format(z=2, x=3, y=1)).is_file()


def test_map_errors_name_file_line_and_field(run_check):
    bad = MAP_YML.replace("kind: Y tế", "kind: Bệnh viện").replace("[100, 50]", "[1000, 50]")
    result = run_check({"data/map.yml": bad, "maps/thu.png": png()})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "data/map.yml:10: kind: loại «Bệnh viện» không có trong danh sách" in output
    # the position is checked once the file is otherwise right
    result = run_check({"data/map.yml": MAP_YML.replace("[100, 50]", "[1000, 50]"), "maps/thu.png": png()})
    assert "data/map.yml:8: position:" in result.stdout + result.stderr and result.returncode != 0


def test_missing_map_image_is_an_error(build_tiny):
    build = build_tiny({"data/map.yml": MAP_YML}, strict=True)
    assert build.failed
    assert [(e.line, e.field) for e in build.errors] == [(2, "image")]
    assert not (build.output / "ban-do" / "index.html").exists()


def test_demo_map_lists_every_point_and_says_it_is_illustrative(demo_site):
    data = yaml.safe_load((ROOT / "content" / "data" / "map.yml").read_text(encoding="utf-8"))
    kinds = {point["kind"] for point in data["points"]}
    assert {"Cơ quan", "Trường học", "Y tế", "Chợ"} <= kinds
    page = parse(demo_site / "ban-do" / "index.html")
    assert [li.select_one(".map-point-name").get_text() for li in page.select(".map-point")] == [
        p["name"] for kind in ("Cơ quan", "Trường học", "Y tế", "Chợ") for p in data["points"] if p["kind"] == kind
    ]
    assert "minh họa" in page.select_one(".map-notice").get_text()
    assert (ROOT / "content" / data["image"]).stat().st_size < 2_000_000
