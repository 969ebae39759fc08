"""What the service accepts, and the Vietnamese message for each refusal.

``check_form`` turns the posted fields into a clean ``Submission`` or a
``Refusal`` (HTTP status, field, message). The captcha, rate limit and
duplicates are checked by the app with the store; their messages live here
too, so every word a visitor reads is in one place. Pure logic.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from babel.numbers import format_decimal

MAX_NAME = 80
MAX_EMAIL = 254
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# Form field names (the partial theme/templates/partials/comments.html uses them).
ARTICLE, NAME, EMAIL, TEXT, ANSWER, TRAP = "bai_viet", "ten", "email", "noi_dung", "ma_xac_thuc", "trang_web"

ACCEPTED = "Bình luận của bạn đang chờ duyệt. Ban biên tập sẽ đăng sau khi xem xét."


@dataclasses.dataclass(frozen=True)
class Refusal:
    status: int
    field: str
    message: str


@dataclasses.dataclass(frozen=True)
class Submission:
    article: str
    author: str
    email: str
    text: str
    answer: str


TOO_LARGE = Refusal(413, "", "Nội dung gửi lên quá lớn. Hãy rút gọn bình luận rồi gửi lại.")
NOT_A_FORM = Refusal(415, "", "Yêu cầu không đúng định dạng của biểu mẫu bình luận.")
RATE_LIMITED = Refusal(429, "", "Bạn đã gửi quá nhiều bình luận trong thời gian ngắn. Vui lòng thử lại sau một giờ.")
TRAPPED = Refusal(400, TRAP, "Không thể nhận bình luận này. Nếu bạn là người đọc, hãy tải lại trang và gửi lại.")
NO_TOKEN = Refusal(400, ANSWER, "Chưa có mã xác thực (trình duyệt cần cho phép cookie của trang). Hãy tải lại trang và nhập mã mới.")
BAD_TOKEN = Refusal(400, ANSWER, "Mã xác thực không hợp lệ. Hãy tải lại trang và nhập mã mới.")
EXPIRED = Refusal(400, ANSWER, "Mã xác thực đã hết hạn. Hãy tải lại trang và nhập mã mới.")
REUSED = Refusal(400, ANSWER, "Mã xác thực này đã được dùng. Hãy tải lại trang và nhập mã mới.")
WRONG = Refusal(422, ANSWER, "Mã xác thực không đúng.")
DUPLICATE = Refusal(409, TEXT, "Bình luận này đã được gửi trước đó.")


def _clean_line(value: str) -> str:
    return " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFC", value)).split())


def clean_text(value: str) -> str:
    """NFC, Unix line ends, no control characters, at most one blank line in a row."""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def check_form(fields: dict[str, str], articles: set[str], max_length: int) -> Submission | Refusal:
    """The first refusal that applies, in the order a visitor would fix them, or the submission."""
    article = fields.get(ARTICLE, "").strip()
    author = _clean_line(fields.get(NAME, ""))
    email = fields.get(EMAIL, "").strip()
    text = clean_text(fields.get(TEXT, ""))
    answer = "".join(fields.get(ANSWER, "").split())
    size, limit = (format_decimal(n, locale="vi") for n in (len(text), max_length))
    checks = [
        (bool(fields.get(TRAP, "").strip()), TRAPPED),
        (article not in articles, Refusal(404, ARTICLE, "Không tìm thấy bài viết để gửi bình luận. Hãy mở lại bài viết và gửi lại.")),
        (not author, Refusal(422, NAME, "Vui lòng nhập họ và tên.")),
        (len(author) > MAX_NAME, Refusal(422, NAME, f"Họ và tên dài quá {MAX_NAME} ký tự.")),
        (bool(email) and (len(email) > MAX_EMAIL or not _EMAIL.match(email)),
         Refusal(422, EMAIL, "Địa chỉ thư điện tử không đúng (ví dụ: ten@example.com). Có thể để trống ô này.")),
        (not text, Refusal(422, TEXT, "Vui lòng nhập nội dung bình luận.")),
        (len(text) > max_length,
         Refusal(422, TEXT, f"Bình luận dài {size} ký tự, vượt quá giới hạn {limit} ký tự. Hãy rút gọn rồi gửi lại.")),
        (not answer, Refusal(422, ANSWER, "Vui lòng nhập mã xác thực.")),
    ]
    for failed, refusal in checks:
        if failed:
            return refusal
    return Submission(article, author, email, text, answer)
