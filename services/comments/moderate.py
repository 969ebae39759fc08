"""The editors' command behind ``make comments``.

    python -m services.comments.moderate [--content DIR] [--approve ID | --reject ID]

Without an option it lists the pending comments. ``--approve`` writes the
comment to ``<content>/comments/<article slug>/<timestamp>-<id>.md`` (author
name, date in Vietnam's time zone, text; never the e-mail address), so it is
versioned with the content and the next build shows it; ``--reject`` drops
its text and e-mail address. Messages are in Vietnamese: editors read them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from .config import DEFAULTS, ROOT, env_path
from .store import Comment, Store

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def comment_file(comment: Comment) -> tuple[str, str]:
    """The path under content/ and the text of an approved comment's file."""
    local = comment.created.astimezone(TIMEZONE)
    relative = f"comments/{comment.article}/{local:%Y%m%d-%H%M%S}-{comment.id}.md"
    text = (
        f"Author: {comment.author}\n"
        f"Date: {local:%Y-%m-%d %H:%M}\n"
        f"Article: {comment.article}\n"
        f"Id: {comment.id}\n"
        "\n"
        f"{comment.text}\n"
    )
    return relative, text


def list_pending(store: Store, out) -> None:
    pending = store.pending()
    if not pending:
        print("Không có bình luận nào đang chờ duyệt.", file=out)
        return
    print(f"Bình luận đang chờ duyệt: {len(pending)}", file=out)
    for comment in pending:
        local = comment.created.astimezone(TIMEZONE)
        email = f" <{comment.email}>" if comment.email else ""
        print(f"\n#{comment.id}  {local:%d/%m/%Y %H:%M}  bài: {comment.article}", file=out)
        print(f"  Người gửi: {comment.author}{email}", file=out)
        for line in comment.text.splitlines():
            print(f"  | {line}", file=out)
    print("\nDuyệt: make comments APPROVE=<số>   Từ chối: make comments REJECT=<số>", file=out)


def decide(store: Store, content: Path, comment_id: int, approve: bool, out) -> int:
    comment = store.get(comment_id)
    if comment is None:
        print(f"Không có bình luận số {comment_id}. Chạy `make comments` để xem danh sách.", file=out)
        return 1
    if comment.status != "pending":
        state = "đã được duyệt" if comment.status == "approved" else "đã bị từ chối"
        print(f"Bình luận số {comment_id} {state} trước đó; không làm gì thêm.", file=out)
        return 1
    now = dt.datetime.now(dt.UTC)
    if not approve:
        store.decide(comment_id, "rejected", now)
        print(f"Đã từ chối bình luận số {comment_id}.", file=out)
        return 0
    relative, text = comment_file(comment)
    target = content / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    store.decide(comment_id, "approved", now, relative)
    print(f"Đã duyệt bình luận số {comment_id}: {target}", file=out)
    print("Lần dựng trang tới (make html / make publish) sẽ hiển thị bình luận; nhớ commit tệp này.", file=out)
    return 0


def main(argv=None, out=sys.stdout) -> int:
    parser = argparse.ArgumentParser(prog="make comments", description="Duyệt bình luận của bạn đọc.")
    parser.add_argument("--content", default=str(ROOT / "content"), help="thư mục nội dung (INPUTDIR)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--approve", type=int, metavar="SỐ", help="duyệt bình luận số SỐ")
    group.add_argument("--reject", type=int, metavar="SỐ", help="từ chối bình luận số SỐ")
    args = parser.parse_args(argv)

    db = env_path(os.environ, "COMMENTS_DB")
    if not db.exists():
        print(f"Chưa có cơ sở dữ liệu bình luận ({db}; đặt COMMENTS_DB, mặc định {DEFAULTS['COMMENTS_DB'][0]}).", file=out)
        return 0 if args.approve is None and args.reject is None else 1
    store = Store(db)
    try:
        if args.approve is not None:
            return decide(store, Path(args.content), args.approve, True, out)
        if args.reject is not None:
            return decide(store, Path(args.content), args.reject, False, out)
        list_pending(store, out)
        return 0
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
