"""Slugs, NFC and Babel formatting for Vietnamese."""

import datetime as dt
import unicodedata
import zoneinfo

import pytest

from vietnamese.formats import vi_date, vi_datetime, vi_number
from vietnamese.text import fold, nfc, slugify


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Phường Đức Thuận sơ kết 5 năm thực hiện Chỉ thị 20", "phuong-duc-thuan-so-ket-5-nam-thuc-hien-chi-thi-20"),
        ("Đảng ủy", "dang-uy"),
        ("HĐND & UBND: kỳ họp thứ 5!", "hdnd-ubnd-ky-hop-thu-5"),
        ("  Nâng cao — chất lượng  ", "nang-cao-chat-luong"),
    ],
)
def test_slugify_transliterates_and_keeps_d(title, slug):
    assert slugify(title) == slug


def test_slugify_gives_the_same_slug_for_nfd_text():
    title = "Đức Thuận tổng kết công tác bầu cử"
    assert slugify(unicodedata.normalize("NFD", title)) == slugify(title) == "duc-thuan-tong-ket-cong-tac-bau-cu"


def test_nfc_composes_decomposed_text():
    decomposed = unicodedata.normalize("NFD", "Nghệ Tĩnh")
    assert decomposed != "Nghệ Tĩnh"
    assert nfc(decomposed) == "Nghệ Tĩnh"


def test_fold_ignores_accents_case_and_spaces():
    assert fold("Tin  tức - Sự kiện") == fold("tin tuc - su kien") == "tin tuc - su kien"


def test_dates_in_vietnamese_without_system_locale():
    date = dt.datetime(2022, 6, 10, 15, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    assert vi_date(date) == "Thứ Sáu, 10/06/2022"
    assert vi_date(date, "short") == "10/06/2022"
    assert vi_date(date, "month") == "Tháng 6/2022"
    assert vi_datetime(date) == "15:30 10/06/2022"
    assert vi_date(dt.date(2026, 11, 27)) == "Thứ Sáu, 27/11/2026"


def test_numbers_in_vietnamese():
    assert vi_number(2713911) == "2.713.911"
    assert vi_number(4.6) == "4,6"
    assert vi_number(4.56, decimals=1) == "4,6"
    assert vi_number(4, decimals=1) == "4,0"
