"""Comments end to end in Chromium: the built site behind the real nginx
(deploy/nginx.conf, tests/servers.py) and the real service under uvicorn
(tests/comments_service.py), moderated with `make comments` and rebuilt
with `make html`.

Acceptance 1 (typed → pending → approved → shown), 3 (markup shown as
text, in the browser), 5 (service stopped: comments still shown, form area
says comments are paused) and 6 (audio alternative; axe-core on the form).
The captcha answer is read from the visitor's cookie with the secret the
test gave the service (no test hook in the service).
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from browsing import axe_violations, describe_violations, foreign_requests, record_requests, screenshot
from comments_service import start_service
from helpers import article, run_make, write_files
from servers import start_nginx
from services.comments.app import COOKIE
from services.comments.rules import ACCEPTED

SLUG = "phuong-to-chuc-ngay-hoi-dai-doan-ket"
PAGE = f"/2022/06/{SLUG}/"
HOSTILE = "Xem <script>alert('xss')</script> và <img src=x onerror=\"alert(1)\"> hoặc <a href=\"javascript:alert(2)\">bấm</a> javascript:alert(3)"
EARLIER = f"Author: Hoàng Thị Mai\nDate: 2022-06-10 20:30\nArticle: {SLUG}\nId: 1\n\nCảm ơn phường đã tổ chức.\n"


class Portal:
    def __init__(self, tmp_path):
        self.tmp = tmp_path
        self.content, self.output = tmp_path / "content", tmp_path / "output"
        write_files(self.content, {
            "articles/tin-tuc/2022/ngay-hoi.md": article("Phường tổ chức Ngày hội Đại đoàn kết"),
            f"comments/{SLUG}/20220610-203000-1.md": EARLIER,
        })
        self.build()
        self.service = start_service(tmp_path / "state", self.output / "api-data" / "binh-luan.json")
        self.nginx = start_nginx(self.output, tmp_path, comments_upstream=self.service.upstream)
        self.url = self.nginx.base_url

    def build(self):
        result = run_make("html", f"INPUTDIR={self.content}", f"OUTPUTDIR={self.output}")
        assert result.returncode == 0, result.stdout + result.stderr

    def make_comments(self, *args):
        return run_make("comments", f"INPUTDIR={self.content}", *args, env={"COMMENTS_DB": self.service.env["COMMENTS_DB"]})

    def answer(self, page) -> str:
        """Wait until the captcha image has set its cookie, then read the answer."""
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            token = next((c["value"] for c in page.context.cookies(self.url + "/api/binh-luan/") if c["name"] == COOKIE), "")
            if token:
                return self.service.answer(token)
            page.wait_for_timeout(100)
        raise AssertionError("the captcha image never set its cookie")

    def close(self):
        self.nginx.stop()
        self.service.stop()


@pytest.fixture
def portal(tmp_path):
    portal = Portal(tmp_path)
    yield portal
    portal.close()


def fill(page, name: str, text: str) -> None:
    page.locator("#bl-ten").fill(name)
    page.locator("#bl-noi-dung").fill(text)
    page.locator(".captcha-image").scroll_into_view_if_needed()


def test_a_comment_typed_in_chromium_is_moderated_and_shown_as_text_after_a_rebuild(portal, phone):
    dialogs = []
    phone.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    assert phone.goto(portal.url + PAGE).status == 200
    expect(phone.locator("#binh-luan h2")).to_have_text("Bình luận (1)")
    fill(phone, "Nguyễn Văn An", HOSTILE)
    phone.locator("#bl-email").fill("an@example.com")
    phone.locator("#bl-ma").fill(portal.answer(phone))
    phone.locator(".comment-form button[type=submit]").click()
    expect(phone.locator(".comment-result")).to_have_text(ACCEPTED)
    expect(phone.locator("#bl-noi-dung")).to_have_value("")  # the form was reset
    screenshot(phone, "comments-sent-phone")

    store = portal.service.store()
    [pending] = store.pending()
    assert (pending.author, pending.text) == ("Nguyễn Văn An", HOSTILE)
    listing = portal.make_comments()
    assert listing.returncode == 0 and f"#{pending.id}" in listing.stdout and "Nguyễn Văn An" in listing.stdout
    approved = portal.make_comments(f"APPROVE={pending.id}")
    assert approved.returncode == 0, approved.stdout + approved.stderr
    assert store.pending() == []
    store.close()
    [written] = [p for p in (portal.content / "comments" / SLUG).glob("*.md") if p.name != "20220610-203000-1.md"]
    assert written.name.endswith(f"-{pending.id}.md")
    assert "an@example.com" not in written.read_text(encoding="utf-8")

    phone.reload()
    expect(phone.locator("#binh-luan h2")).to_have_text("Bình luận (1)")  # not shown before the rebuild
    portal.build()
    phone.goto(portal.url + PAGE)
    expect(phone.locator("#binh-luan h2")).to_have_text("Bình luận (2)")
    newest = phone.locator(".comment-list > li").nth(1)
    expect(newest.locator(".comment-author")).to_have_text("Nguyễn Văn An")
    expect(newest.locator(".comment-text")).to_have_text(HOSTILE)
    assert newest.locator(".comment-text script, .comment-text img, .comment-text a").count() == 0
    assert "an@example.com" not in phone.content()
    phone.wait_for_timeout(300)
    assert dialogs == []
    screenshot(phone, "comments-approved-phone")


def test_without_javascript_the_form_posts_and_returns_to_the_article_with_the_pending_message(portal, no_js):
    no_js.goto(portal.url + PAGE)
    expect(no_js.locator("#binh-luan-cho-duyet")).to_be_hidden()
    fill(no_js, "Lê Thị Hoa", "Mong phường tổ chức thêm nhiều hoạt động như vậy.")
    no_js.locator("#bl-ma").fill(portal.answer(no_js))
    no_js.locator(".comment-form button[type=submit]").click()
    no_js.wait_for_url(f"**{PAGE}?binh-luan=cho-duyet#binh-luan-cho-duyet")
    expect(no_js.locator("#binh-luan-cho-duyet")).to_be_visible()
    expect(no_js.locator("#binh-luan-cho-duyet")).to_contain_text("Bình luận của bạn đang chờ duyệt")
    store = portal.service.store()
    assert [c.author for c in store.pending()] == ["Lê Thị Hoa"]
    store.close()


def test_a_wrong_captcha_in_chromium_is_refused_in_place_and_a_new_image_is_shown(portal, phone):
    phone.goto(portal.url + PAGE)
    fill(phone, "Nguyễn Văn An", "Một ý kiến.")
    right = portal.answer(phone)
    phone.locator("#bl-ma").fill("0" if right != "0" * len(right) else "1")
    phone.locator(".comment-form button[type=submit]").click()
    expect(phone.locator(".comment-result")).to_have_text("Mã xác thực không đúng.")
    expect(phone.locator("#bl-ma")).to_be_focused()
    expect(phone.locator(".captcha-image")).to_have_attribute("src", re.compile(r"\?t=\d+$"))
    store = portal.service.store()
    assert store.count() == 0
    store.close()


def test_with_the_service_stopped_pages_show_their_comments_and_say_comments_are_paused(portal, phone, no_js):
    portal.service.stop()
    assert phone.goto(portal.url + PAGE).status == 200
    expect(phone.locator(".comment-list > li .comment-author")).to_have_text(["Hoàng Thị Mai"])
    phone.locator("#binh-luan h2").scroll_into_view_if_needed()  # the script asks the service from there on
    expect(phone.locator(".comment-paused")).to_be_visible()
    expect(phone.locator(".comment-paused")).to_contain_text("Bình luận tạm dừng")
    expect(phone.locator(".comment-form")).to_be_hidden()
    screenshot(phone, "comments-paused-phone")

    # Without JavaScript the form stays; posting it lands on nginx's paused page.
    assert no_js.goto(portal.url + PAGE).status == 200
    expect(no_js.locator(".comment-list > li")).to_have_count(1)
    fill(no_js, "Lê Thị Hoa", "Một ý kiến.")
    no_js.locator("#bl-ma").fill("12345")
    with no_js.expect_navigation() as navigation:
        no_js.locator(".comment-form button[type=submit]").click()
    assert navigation.value.status == 503
    expect(no_js.locator("h1")).to_have_text("Bình luận tạm dừng")


def test_the_captcha_has_a_spoken_alternative_and_the_form_passes_axe(portal, desktop):
    requests = record_requests(desktop)
    desktop.goto(portal.url + PAGE)
    desktop.locator(".captcha-image").scroll_into_view_if_needed()
    answer = portal.answer(desktop)
    sound = desktop.locator("audio.captcha-sound")
    expect(sound).to_have_attribute("controls", "")
    duration = sound.evaluate(
        "audio => new Promise((done, fail) => { audio.onloadedmetadata = () => done(audio.duration);"
        " audio.onerror = () => fail(new Error('audio did not load')); audio.load(); })"
    )
    assert duration > 5  # five digits spoken between pauses
    spoken = desktop.request.get(portal.url + "/api/binh-luan/ma-xac-thuc.wav")
    assert spoken.status == 200 and spoken.headers["content-type"] == "audio/wav"
    assert spoken.body()[:4] == b"RIFF"
    assert portal.answer(desktop) == answer  # the audio speaks the image's digits: same token
    violations = axe_violations(desktop)
    assert violations == [], describe_violations(violations)
    assert foreign_requests(requests, portal.url) == []
