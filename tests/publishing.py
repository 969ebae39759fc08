"""Helpers for `make publish` tests: the demo content and its change, running
`make publish`, fetching from nginx, and a snapshot of a folder tree."""

from __future__ import annotations

import os
from pathlib import Path

from helpers import run_make
from servers import fetch

CONFERENCE = "2022/06/phuong-duc-thuan-so-ket-5-nam-thuc-hien-chi-thi-20/"
CONFERENCE_SOURCE = "articles/xay-dung-dang/2022/phuong-duc-thuan-so-ket-5-nam-thuc-hien-chi-thi-20.md"
NEW_TEXT = "Đoạn văn bổ sung của lần phát hành thứ hai."


def change_content(content: Path) -> None:
    source = content / CONFERENCE_SOURCE
    source.write_text(source.read_text(encoding="utf-8") + f"\n{NEW_TEXT}\n", encoding="utf-8")


def publish(content: Path, target: str | Path, siteurl: str, *extra: str, ssh: str | None = None):
    args = ["publish", f"DEPLOY_TARGET={target}", f"INPUTDIR={content}", *extra]
    if ssh:
        args.append(f"DEPLOY_SSH={ssh}")
    return run_make(*args, env={"SITEURL": siteurl})


def page_text(url: str) -> str:
    status, _, body = fetch(url)
    assert status == 200, url
    return body.decode("utf-8")


def tree_state(folder: Path) -> dict[str, tuple]:
    """Every entry below ``folder``: mode, size, mtime, inode, symlink target."""
    state = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        link = os.readlink(path) if path.is_symlink() else None
        state[str(path.relative_to(folder))] = (info.st_mode, info.st_size, info.st_mtime_ns, info.st_ino, link)
    state["."] = (folder.lstat().st_mtime_ns,)
    return state
