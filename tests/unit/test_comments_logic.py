"""Pure parts of the comments feature: captcha tokens, form rules, the
moderation file format read back by the plugin, spoken digits."""

from __future__ import annotations

import datetime as dt
import io
import os
import wave
from zoneinfo import ZoneInfo

import pytest

from comments.approved import parse_comment
from services.comments import rules, tokens
from services.comments.app import Articles
from services.comments.media import Media, build_voices, has_voices
from services.comments.moderate import comment_file
from services.comments.store import Comment, Store, VisitorHasher

SECRET = b"0123456789abcdef0123456789abcdef"
NOW = 1_800_000_000


def test_a_token_carries_its_answer_hidden_and_expires():
    token = tokens.issue(SECRET, "40719", NOW, 600)
    assert "40719" not in token
    challenge = tokens.open_token(SECRET, token, NOW + 599)
    assert challenge.answer == "40719" and tokens.matches(challenge, " 407 19 ")
    assert not tokens.matches(challenge, "40718")
    with pytest.raises(tokens.TokenError) as expired:
        tokens.open_token(SECRET, token, NOW + 600)
    assert expired.value.reason == "expired"


@pytest.mark.parametrize("spoil", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # MAC changed
    lambda t: ("B" if t[0] != "B" else "C") + t[1:],  # payload changed
    lambda t: t.replace(".", ""),
    lambda t: "",
])
def test_a_changed_token_is_invalid(spoil):
    token = tokens.issue(SECRET, "40719", NOW, 600)
    with pytest.raises(tokens.TokenError) as error:
        tokens.open_token(SECRET, spoil(token), NOW)
    assert error.value.reason == "invalid"
    with pytest.raises(tokens.TokenError):
        tokens.open_token(b"another secret of thirty-two bytes!", token, NOW)


def test_tokens_are_single_use_in_the_store(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    challenge = tokens.open_token(SECRET, tokens.issue(SECRET, "1234", NOW, 600), NOW)
    assert store.spend_token(challenge.nonce, challenge.expires, NOW)
    assert not store.spend_token(challenge.nonce, challenge.expires, NOW + 1)


def test_visitor_keys_are_salted_and_change_every_day():
    key = VisitorHasher()
    day = dt.datetime(2026, 11, 27, 8, tzinfo=dt.UTC)
    assert key("203.0.113.9", day) == key("203.0.113.9", day + dt.timedelta(hours=10))
    assert key("203.0.113.9", day) != key("203.0.113.10", day)
    assert key("203.0.113.9", day) != key("203.0.113.9", day + dt.timedelta(days=1))
    assert key("203.0.113.9", day) != VisitorHasher()("203.0.113.9", day)  # a new process, a new salt


FORM = {"bai_viet": "bai", "ten": " Nguyễn  Văn\tAn ", "email": "", "noi_dung": "Dòng 1\r\n\r\n\r\n\r\nDòng 2 ", "ma_xac_thuc": "12 345"}


def test_a_good_form_is_cleaned():
    result = rules.check_form(FORM, {"bai"}, 2000)
    assert result == rules.Submission("bai", "Nguyễn Văn An", "", "Dòng 1\n\nDòng 2", "12345")


def test_decomposed_text_is_stored_as_nfc():
    result = rules.check_form({**FORM, "noi_dung": "Thua\u0309n"}, {"bai"}, 2000)
    assert result.text == "Thuản"


@pytest.mark.parametrize(("change", "status", "field"), [
    ({"trang_web": "x"}, 400, "trang_web"),
    ({"bai_viet": "khac"}, 404, "bai_viet"),
    ({"ten": ""}, 422, "ten"),
    ({"ten": "A" * 81}, 422, "ten"),
    ({"email": "a@b"}, 422, "email"),
    ({"noi_dung": " \n "}, 422, "noi_dung"),
    ({"noi_dung": "x" * 2001}, 422, "noi_dung"),
    ({"ma_xac_thuc": ""}, 422, "ma_xac_thuc"),
])
def test_each_bad_form_gets_its_refusal(change, status, field):
    result = rules.check_form({**FORM, **change}, {"bai"}, 2000)
    assert isinstance(result, rules.Refusal) and (result.status, result.field) == (status, field)
    assert result.message.endswith(".")


def test_exactly_2000_characters_is_accepted():
    assert isinstance(rules.check_form({**FORM, "noi_dung": "ệ" * 2000}, {"bai"}, 2000), rules.Submission)


def test_an_approved_file_reads_back_as_the_same_comment():
    created = dt.datetime(2026, 11, 27, 1, 5, 30, tzinfo=dt.UTC)
    text = "Dòng một <b>\nDòng hai\n\nĐoạn hai: Date: 2020-01-01"
    relative, body = comment_file(Comment(7, "bai-viet", "Lê Thị Hoa", "hoa@example.com", text, created, "pending"))
    assert relative == "comments/bai-viet/20261127-080530-7.md"
    assert "hoa@example.com" not in body
    comment, problems = parse_comment(body, "20261127-080530-7.md", ZoneInfo("Asia/Ho_Chi_Minh"))
    assert problems == []
    assert (comment.id, comment.author, comment.text) == ("20261127-080530-7", "Lê Thị Hoa", text)
    assert comment.date == dt.datetime(2026, 11, 27, 8, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert comment.paragraphs == [["Dòng một <b>", "Dòng hai"], ["Đoạn hai: Date: 2020-01-01"]]


def test_vietnamese_digits_are_recorded_for_the_audio_captcha(tmp_path):
    assert build_voices(tmp_path / "voices") and has_voices(tmp_path / "voices")
    with wave.open(str(tmp_path / "voices" / "7" / "vi.wav")) as voice:
        assert (voice.getframerate(), voice.getsampwidth(), voice.getnchannels()) == (8000, 1, 1)
        assert voice.getnframes() > 2000  # "bảy" lasts a fraction of a second
    media = Media(tmp_path / "voices")
    assert media.language == "vi"
    sound = media.wav("40719")
    assert sound[:4] == b"RIFF" and sound[8:12] == b"WAVE" and len(sound) > 5 * 8000
    assert media.png("40719")[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_article_list_is_reloaded_when_the_build_rewrites_it(tmp_path):
    path = tmp_path / "binh-luan.json"
    articles = Articles(path)
    assert articles.urls() == {}  # no build yet: the health check fails, pages show "paused"
    path.write_text('{"articles": {"a": {"url": "/2022/06/a/", "title": "A"}}}', encoding="utf-8")
    assert articles.urls() == {"a": "/2022/06/a/"}
    path.write_text('{"articles": {"b": {"url": "/2022/07/b/", "title": "B"}}}', encoding="utf-8")
    os.utime(path, (1, 1))  # a new modification time, whatever the clock's resolution
    assert articles.urls() == {"b": "/2022/07/b/"}
    path.write_text("{ broken", encoding="utf-8")
    os.utime(path, (2, 2))
    assert articles.urls() == {"b": "/2022/07/b/"}  # a broken file keeps the last good list


def test_moderation_lists_approves_and_rejects(tmp_path, monkeypatch):
    from services.comments import moderate  # noqa: PLC0415 (next to the test that needs it)

    db = tmp_path / "comments.sqlite3"
    monkeypatch.setenv("COMMENTS_DB", str(db))
    store = Store(db)
    now = dt.datetime(2026, 11, 27, 8, 0, tzinfo=dt.UTC)
    first = store.add("bai-a", "Nguyễn Văn An", "an@example.com", "Ý kiến thứ nhất.", now)
    second = store.add("bai-a", "Trần Bình", "", "Quảng cáo.", now)
    store.close()
    content = tmp_path / "content"

    def run(*args):
        out = io.StringIO()
        return moderate.main(["--content", str(content), *args], out=out), out.getvalue()

    code, listing = run()
    assert code == 0 and "Bình luận đang chờ duyệt: 2" in listing and "an@example.com" in listing
    assert run("--approve", str(first))[0] == 0
    [written] = (content / "comments" / "bai-a").glob("*.md")
    assert written.name == f"20261127-150000-{first}.md"
    assert "an@example.com" not in written.read_text(encoding="utf-8")
    assert run("--reject", str(second))[0] == 0
    assert run("--approve", str(second)) == (1, f"Bình luận số {second} đã bị từ chối trước đó; không làm gì thêm.\n")
    assert run("--reject", "99")[0] == 1
    assert run()[1] == "Không có bình luận nào đang chờ duyệt.\n"
    store = Store(db)
    rejected = store.get(second)
    assert (rejected.status, rejected.text, rejected.email) == ("rejected", "", "")
    store.close()
