"""`make newpost`: a new article in the right folder with its header filled in."""

import datetime as dt
import re
import zoneinfo

import pytest

from editorial.header import parse_header
from helpers import run_make
from tools.newpost import new_post

CATEGORIES = ["Tin tức - Sự kiện", "Xây dựng Đảng"]
NOW = dt.datetime(2026, 11, 27, 15, 45, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))


def test_new_post_path_and_header():
    path, text = new_post("Đảng ủy phường Đức Thuận họp", "Xây dựng Đảng", CATEGORIES, NOW)
    assert path == "articles/xay-dung-dang/2026/dang-uy-phuong-duc-thuan-hop.md"
    fields = parse_header(text)
    assert fields["title"].value == "Đảng ủy phường Đức Thuận họp"
    assert fields["date"].value == "2026-11-27 15:45"
    assert fields["category"].value == "Xây dựng Đảng"
    assert fields["status"].value == "draft"


def test_unknown_category_names_the_closest():
    with pytest.raises(ValueError, match="«Xây dựng Đảng»"):
        new_post("Tiêu đề", "Xay dung dang", CATEGORIES, NOW)


def test_make_newpost_writes_the_file_and_prints_its_path(tmp_path):
    result = run_make("newpost", "TITLE=Phường Đức Thuận ra quân", "CATEGORY=Tin tức - Sự kiện", f"INPUTDIR={tmp_path}")
    assert result.returncode == 0, result.stderr
    printed = result.stdout.strip()
    year = dt.datetime.now(zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")).year
    assert printed == f"{tmp_path}/articles/tin-tuc-su-kien/{year}/phuong-duc-thuan-ra-quan.md"
    fields = parse_header(open(printed, encoding="utf-8").read())
    assert re.fullmatch(rf"{year}-\d\d-\d\d \d\d:\d\d", fields["date"].value)
    again = run_make("newpost", "TITLE=Phường Đức Thuận ra quân", "CATEGORY=Tin tức - Sự kiện", f"INPUTDIR={tmp_path}")
    assert again.returncode != 0 and "đã có" in again.stderr
    wrong = run_make("newpost", "TITLE=Bài", "CATEGORY=Tin tuc", f"INPUTDIR={tmp_path}")
    assert wrong.returncode != 0 and "«Tin tức - Sự kiện»" in wrong.stderr
