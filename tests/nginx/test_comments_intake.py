"""The comments service behind the real nginx (deploy/nginx.conf): what a
visitor's browser gets for each submission, and what the SQLite file keeps.

Acceptance 2 (every refusal: status, Vietnamese message, nothing stored)
and 4 (no IP address in the SQLite file). The captcha answer is read from
the visitor's cookie with the service's secret (see tests/comments_service.py).
"""

from __future__ import annotations

import re
import sqlite3
import time

import pytest

from comments_service import Visitor, start_service
from helpers import article
from servers import start_nginx
from services.comments import tokens
from services.comments.app import COOKIE

pytestmark = pytest.mark.nginx

SLUG = "phuong-to-chuc-ngay-hoi-dai-doan-ket"
PAGE = f"/2022/06/{SLUG}/"


@pytest.fixture
def built(build_tiny):
    return build_tiny({"articles/tin-tuc/2022/ngay-hoi.md": article("Phường tổ chức Ngày hội Đại đoàn kết")})


def _run(built, tmp_path, **settings):
    service = start_service(tmp_path / "state", built.output / "api-data" / "binh-luan.json", **settings)
    server = start_nginx(built.output, tmp_path, comments_upstream=service.upstream)
    return service, server


@pytest.fixture
def intake(built, tmp_path):
    service, server = _run(built, tmp_path, RATE_LIMIT=100)
    yield service, server
    server.stop()
    service.stop()


def form(visitor: Visitor, service, **fields) -> dict:
    """A complete, valid form for the visitor's current captcha."""
    values = {
        "bai_viet": SLUG, "ten": "Nguyễn Văn An", "email": "", "noi_dung": "Cảm ơn Ban biên tập đã đưa tin.",
        "ma_xac_thuc": service.answer(visitor.token()), "trang_web": "",
    }
    values.update(fields)
    return values


def test_a_valid_comment_without_javascript_is_stored_pending_and_goes_back_to_the_article(intake):
    service, server = intake
    visitor = Visitor(server.base_url)
    image = visitor.new_captcha()
    assert image.startswith(b"\x89PNG")
    cookie = next(c for c in visitor.jar if c.name == COOKIE)
    assert cookie.path == "/api/binh-luan" and cookie.has_nonstandard_attr("HttpOnly")
    status, headers, _ = visitor.post(form(visitor, service, email="an@example.com"), as_json=False)
    assert status == 303
    assert headers["Location"] == f"{PAGE}?binh-luan=cho-duyet#binh-luan-cho-duyet"
    store = service.store()
    [comment] = store.pending()
    assert (comment.article, comment.author, comment.email) == (SLUG, "Nguyễn Văn An", "an@example.com")
    assert comment.text == "Cảm ơn Ban biên tập đã đưa tin."
    store.close()


def test_with_javascript_the_answer_is_json(intake):
    service, server = intake
    visitor = Visitor(server.base_url)
    visitor.new_captcha()
    status, _, data = visitor.post(form(visitor, service))
    assert status == 202 and data["ok"] is True
    assert data["message"].startswith("Bình luận của bạn đang chờ duyệt")


def _expired_token(service) -> str:
    return tokens.issue(service.secret, "12345", time.time() - 3600, 600)


REFUSALS = {
    # case: (how to spoil the form, status, words of the message)
    "wrong captcha": (lambda v, s: form(v, s, ma_xac_thuc="00000" if s.answer(v.token()) != "00000" else "11111"),
                      422, "Mã xác thực không đúng."),
    "empty text": (lambda v, s: form(v, s, noi_dung="  \n "), 422, "Vui lòng nhập nội dung bình luận."),
    "text over 2,000 characters": (lambda v, s: form(v, s, noi_dung="ệ" * 2001), 422, "vượt quá giới hạn 2.000 ký tự"),
    "honeypot filled": (lambda v, s: form(v, s, trang_web="http://spam.example"), 400, "Không thể nhận bình luận này."),
    "body too large for the service": (lambda v, s: form(v, s, noi_dung="ệ" * 4000), 413, "quá lớn"),
    "unknown article": (lambda v, s: form(v, s, bai_viet="khong-co-bai-nay"), 404, "Không tìm thấy bài viết"),
    "no name": (lambda v, s: form(v, s, ten=" "), 422, "Vui lòng nhập họ và tên."),
    "bad e-mail": (lambda v, s: form(v, s, email="khong-phai-email"), 422, "Địa chỉ thư điện tử không đúng"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_each_refusal_has_its_status_and_vietnamese_message_and_stores_nothing(intake, case):
    service, server = intake
    spoil, status, words = REFUSALS[case]
    for as_json in (True, False):
        visitor = Visitor(server.base_url)
        visitor.new_captcha()
        got, headers, body = visitor.post(spoil(visitor, service), as_json=as_json)
        assert got == status, (case, body)
        message = body["message"] if as_json else body
        assert words in message, (case, message)
        if not as_json:
            assert headers["Content-Type"].startswith("text/html") and '<html lang="vi">' in body
    store = service.store()
    assert store.count() == 0
    store.close()


def test_expired_forged_missing_and_reused_tokens_are_refused_and_store_nothing(intake):
    service, server = intake
    visitor = Visitor(server.base_url)
    visitor.new_captcha()
    good = form(visitor, service)
    valid_token = visitor.token()

    expired = Visitor(server.base_url)
    expired.new_captcha()
    for cookie in expired.jar:
        cookie.value = _expired_token(service)
    assert expired.post({**good, "ma_xac_thuc": "12345"})[::2] == (400, {"ok": False, "message": "Mã xác thực đã hết hạn. Hãy tải lại trang và nhập mã mới.", "field": "ma_xac_thuc"})

    forged = Visitor(server.base_url)
    forged.new_captcha()
    for cookie in forged.jar:
        cookie.value = valid_token[:-2] + ("AA" if not valid_token.endswith("AA") else "BB")
    status, _, data = forged.post(good)
    assert status == 400 and data["message"].startswith("Mã xác thực không hợp lệ")

    status, _, data = Visitor(server.base_url).post(good)  # never loaded the image: no cookie
    assert status == 400 and data["message"].startswith("Chưa có mã xác thực")

    store = service.store()
    assert store.count() == 0
    assert visitor.post(good)[0] == 202  # the real visitor's token is still unspent
    status, _, data = visitor.post({**good, "noi_dung": "Một bình luận khác."})
    assert status == 400 and data["message"].startswith("Mã xác thực này đã được dùng")
    assert store.count() == 1
    store.close()


def test_a_wrong_answer_spends_the_token(intake):
    service, server = intake
    visitor = Visitor(server.base_url)
    visitor.new_captcha()
    right = service.answer(visitor.token())
    assert visitor.post(form(visitor, service, ma_xac_thuc="x"))[0] == 422
    assert visitor.post(form(visitor, service, ma_xac_thuc=right))[0] == 400  # no second guess on one image
    assert visitor.post(form(visitor, service, ma_xac_thuc=right))[2]["message"].startswith("Mã xác thực này đã được dùng")


def test_the_same_text_twice_is_refused(intake):
    service, server = intake
    visitor = Visitor(server.base_url)
    visitor.new_captcha()
    assert visitor.post(form(visitor, service))[0] == 202
    visitor.new_captcha()
    status, _, data = visitor.post(form(visitor, service, noi_dung="  cảm ơn BAN biên tập   đã đưa tin. "))
    assert (status, data["message"]) == (409, "Bình luận này đã được gửi trước đó.")
    store = service.store()
    assert store.count() == 1
    store.close()


def test_nginx_refuses_a_huge_body_itself_in_vietnamese(intake):
    service, server = intake
    visitor = Visitor(server.base_url)
    visitor.new_captcha()
    status, _, body = visitor.post(form(visitor, service, noi_dung="a" * 100_000), as_json=False)
    assert status == 413 and "quá lớn" in body
    store = service.store()
    assert store.count() == 0
    store.close()


def test_too_many_comments_from_one_visitor_get_429_and_store_nothing(built, tmp_path):
    service, server = _run(built, tmp_path, RATE_LIMIT=3)
    try:
        visitor = Visitor(server.base_url)
        for number in range(3):
            visitor.new_captcha()
            assert visitor.post(form(visitor, service, noi_dung=f"Ý kiến số {number}."))[0] == 202
        visitor.new_captcha()
        status, _, data = visitor.post(form(visitor, service, noi_dung="Ý kiến thứ tư."))
        assert status == 429 and "quá nhiều bình luận" in data["message"]
        status, _, page = visitor.post(form(visitor, service, noi_dung="Ý kiến thứ năm."), as_json=False)
        assert status == 429 and "quá nhiều bình luận" in page
        store = service.store()
        assert store.count() == 3
        store.close()
    finally:
        server.stop()
        service.stop()


IPV4 = re.compile(rb"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")


def test_the_sqlite_file_holds_no_ip_address(intake):
    service, server = intake
    visitor = Visitor(server.base_url)
    for text in ("Bình luận thứ nhất.", "Bình luận thứ hai."):
        visitor.new_captcha()
        assert visitor.post(form(visitor, service, noi_dung=text))[0] == 202
    visitor.new_captcha()
    assert visitor.post(form(visitor, service, ma_xac_thuc="0"))[0] == 422  # a refusal is counted too
    server.stop()
    service.stop()
    db = service.env["COMMENTS_DB"]
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        values = [
            str(value) for table in tables for row in connection.execute(f"SELECT * FROM {table}") for value in row
        ]
        visitors = [row[0] for row in connection.execute("SELECT visitor FROM attempts")]
    assert len(visitors) == 3 and len(set(visitors)) == 1  # one visitor, counted three times
    import hashlib  # noqa: PLC0415

    assert visitors[0] != hashlib.sha256(b"127.0.0.1").hexdigest()  # salted, not a bare hash
    for value in values:
        assert "127.0.0.1" not in value and not IPV4.search(value.encode()), value
    for path in [db, db + "-wal"]:
        try:
            raw = open(path, "rb").read()
        except FileNotFoundError:
            continue
        assert b"127.0.0.1" not in raw and not IPV4.search(raw), path
