"""Approved comments in built pages (plugins/comments and partials/comments.html):
count, names, Vietnamese dates, text printed as text (acceptance 3), the form,
the files the service and nginx need, and editors' mistakes reported."""

from __future__ import annotations

import json

from helpers import article

SLUG = "phuong-to-chuc-ngay-hoi-dai-doan-ket"
PAGE = f"2022/06/{SLUG}/index.html"
HOSTILE = (
    "Xem <script>alert('xss')</script> nhé\n"
    '<img src=x onerror="alert(1)">\n\n'
    "[bấm vào đây](javascript:alert(2)) và <a href=\"javascript:alert(3)\">đây</a> https://example.com"
)


def comment(author, date, text, number=1):
    return f"Author: {author}\nDate: {date}\nArticle: {SLUG}\nId: {number}\n\n{text}\n"


def site(**extra):
    return {
        "articles/tin-tuc/2022/ngay-hoi.md": article("Phường tổ chức Ngày hội Đại đoàn kết"),
        f"comments/{SLUG}/20220611-080000-2.md": comment("Trần Thị Bình", "2022-06-11 08:00", HOSTILE, 2),
        f"comments/{SLUG}/20220610-203000-1.md": comment("Nguyễn Văn An", "2022-06-10 20:30", "Tin rất hay.", 1),
        **extra,
    }


def test_approved_comments_show_with_count_names_and_vietnamese_dates(build_tiny):
    build = build_tiny(site(), strict=True)
    assert not build.failed, build.errors
    section = build.html(PAGE).select_one("section#binh-luan")
    assert section.h2.get_text(" ", strip=True) == "Bình luận (2)"
    items = section.select("ol.comment-list > li")
    assert [li.select_one(".comment-author").get_text() for li in items] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert [li.time.get_text() for li in items] == ["20:30 10/06/2022", "08:00 11/06/2022"]
    assert items[0].time["datetime"] == "2022-06-10T20:30:00+07:00"


def test_markup_and_links_in_a_comment_are_shown_as_text(build_tiny):
    build = build_tiny(site(), strict=True)
    hostile = build.html(PAGE).select("ol.comment-list > li")[1].select_one(".comment-text")
    assert hostile.find_all(["script", "img", "a"]) == []
    for element in hostile.find_all(True):
        assert not any(name.startswith("on") or name == "href" for name in element.attrs), element
    text = hostile.get_text()
    assert "<script>alert('xss')</script>" in text
    assert '<img src=x onerror="alert(1)">' in text
    assert "[bấm vào đây](javascript:alert(2))" in text and "https://example.com" in text
    assert hostile.p.get_text().startswith("Xem <script>")  # two paragraphs, <br> kept
    assert len(hostile.find_all("p")) == 2 and len(hostile.find_all("br")) == 1


def test_the_form_posts_to_the_service_and_has_an_audio_captcha(build_tiny):
    build = build_tiny(site(), strict=True)
    form = build.html(PAGE).select_one("section#binh-luan form.comment-form")
    assert (form["method"], form["action"]) == ("post", "/api/binh-luan/gui")
    assert form.select_one("input[name=bai_viet]")["value"] == SLUG
    assert form.select_one("img.captcha-image")["src"] == "/api/binh-luan/ma-xac-thuc.png"
    assert form.select_one("audio")["src"] == "/api/binh-luan/ma-xac-thuc.wav"
    for name in ("ten", "email", "noi_dung", "ma_xac_thuc", "trang_web"):
        field = form.select_one(f"[name={name}]")
        assert form.select_one(f"label[for={field['id']}]"), name
    assert form.select_one("textarea")["maxlength"] == "2000"
    assert not build.html(PAGE).select("[style]") and not build.html(PAGE).select("script:not([src]):not([type=\"application/ld+json\"])")


def test_the_build_writes_the_article_list_and_the_paused_page(build_tiny):
    build = build_tiny(site(), strict=True)
    data = json.loads(build.text("api-data/binh-luan.json"))
    assert data["articles"][SLUG]["url"] == f"/2022/06/{SLUG}/"
    paused = build.html("binh-luan/tam-dung/index.html")
    assert paused.h1.get_text() == "Bình luận tạm dừng"


def test_an_article_without_comments_says_so(build_tiny):
    build = build_tiny({"articles/tin-tuc/2022/ngay-hoi.md": article("Phường tổ chức Ngày hội Đại đoàn kết")})
    section = build.html(PAGE).select_one("section#binh-luan")
    assert section.h2.get_text(" ", strip=True) == "Bình luận (0)"
    assert section.select_one(".comment-none").get_text() == "Chưa có bình luận nào."


def test_broken_comment_files_are_reported_with_file_line_and_field(build_tiny):
    build = build_tiny(site(**{
        f"comments/{SLUG}/20220612-090000-3.md": f"Author: Lê Văn Cường\nDate: hôm qua\nArticle: {SLUG}\n\nNội dung.\n",
        "comments/bai-khong-ton-tai/20220612-090000-4.md": comment("Phạm Dũng", "2022-06-12 09:00", "Nội dung."),
    }), strict=True)
    assert build.failed
    found = {(e.path.split("comments/")[-1], e.line, e.field) for e in build.errors}
    assert (f"{SLUG}/20220612-090000-3.md", 2, "Date") in found
    assert ("bai-khong-ton-tai/20220612-090000-4.md", 1, "thư mục") in found
