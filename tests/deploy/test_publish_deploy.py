"""`make publish` end to end (acceptance 1-4): real builds of the demo
content, real rsync, real nginx with deploy/nginx.conf, real sshd."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import brotli
import pytest

from helpers import ROOT, article, run_make
from publishing import CONFERENCE, NEW_TEXT, change_content, fetch, page_text, publish, tree_state


def releases(target: Path) -> list[str]:
    return sorted(p.name for p in (target / "releases").iterdir())


def test_publish_twice_serve_with_nginx_and_roll_back(content, served):
    target, server = served
    first = publish(content, target, server.base_url)
    assert first.returncode == 0, first.stdout + first.stderr
    page = server.base_url + "/" + CONFERENCE
    assert "Chỉ thị 20" in page_text(page) and NEW_TEXT not in page_text(page)

    change_content(content)
    second = publish(content, target, server.base_url)
    assert second.returncode == 0, second.stdout + second.stderr
    assert NEW_TEXT in page_text(page)
    old, new = releases(target)
    assert os.readlink(target / "current") == f"releases/{new}"

    # unchanged files are hard links to the previous release; changed ones are not
    photo = next((target / "releases" / new / "images").rglob("*.jpg")).relative_to(target / "releases" / new)
    assert (target / "releases" / old / photo).stat().st_ino == (target / "releases" / new / photo).stat().st_ino
    html = Path(CONFERENCE) / "index.html"
    assert (target / "releases" / old / html).stat().st_ino != (target / "releases" / new / html).stat().st_ino

    # precompressed copies are served, with the security headers
    status, headers, body = fetch(page, {"Accept-Encoding": "br"})
    assert status == 200 and headers["Content-Encoding"] == "br"
    assert brotli.decompress(body) == (target / "current" / html).read_bytes()
    status, headers, _ = fetch(page, {"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] and headers["Permissions-Policy"]
    assert headers["Cache-Control"] == "no-cache"

    rolled = run_make("rollback", f"DEPLOY_TARGET={target}")
    assert rolled.returncode == 0, rolled.stderr
    assert os.readlink(target / "current") == f"releases/{old}"
    assert NEW_TEXT not in page_text(page) and "Chỉ thị 20" in page_text(page)


def test_fingerprinted_theme_files_are_cached_for_a_year(content, served):
    target, server = served
    assert publish(content, target, server.base_url).returncode == 0
    home = page_text(server.base_url + "/")
    stylesheet = home.split('rel="stylesheet" href="')[1].split('"')[0]
    assert "/theme/css/site.css?v=" in stylesheet
    status, headers, _ = fetch(stylesheet)
    assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable"
    status, headers, _ = fetch(stylesheet.split("?")[0])
    assert status == 200 and headers["Cache-Control"] == "public, max-age=86400"


def test_publish_over_ssh_to_localhost(content, served, sshd):
    target, server = served
    host, ssh = sshd
    remote = f"{host}:{target}"
    first = publish(content, remote, server.base_url, ssh=ssh)
    assert first.returncode == 0, first.stdout + first.stderr
    page = server.base_url + "/" + CONFERENCE
    assert NEW_TEXT not in page_text(page)
    change_content(content)
    second = publish(content, remote, server.base_url, ssh=ssh)
    assert second.returncode == 0, second.stdout + second.stderr
    assert NEW_TEXT in page_text(page)
    assert len(releases(target)) == 2
    rolled = run_make("rollback", f"DEPLOY_TARGET={remote}", f"DEPLOY_SSH={ssh}")
    assert rolled.returncode == 0, rolled.stderr
    assert NEW_TEXT not in page_text(page)


def fake_release(target: Path) -> None:
    release = target / "releases" / "20260101T000000Z"
    release.mkdir(parents=True)
    (release / "index.html").write_text("<p>Bản đang chạy</p>", encoding="utf-8")
    (target / "current").symlink_to("releases/20260101T000000Z")


@pytest.mark.parametrize(("name", "source", "says"), [
    # a content error stops the strict build
    ("loi-chuyen-muc.md", article(title="Bài có lỗi", Category="Tin tuc"), "loi-chuyen-muc.md:3: Category"),
    # the build passes but a check of the built site fails: a link to nowhere
    ("lien-ket-hong.md", article(title="Bài có liên kết hỏng", body="Xem [trang này](/khong-co-trang-nay/)."),
     "liên kết hỏng"),
])
def test_content_error_leaves_the_target_untouched(content, tmp_path, name, source, says):
    target = tmp_path / "srv"
    fake_release(target)
    (content / "articles" / name).write_text(source, encoding="utf-8")
    before = tree_state(target)
    time.sleep(0.01)
    result = publish(content, target, "https://ducthuan.example.gov.vn")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert says in output and "không tải gì lên" in output
    assert tree_state(target) == before


def test_interrupted_upload_leaves_the_live_site_whole(content, served):
    target, server = served
    assert publish(content, target, server.base_url).returncode == 0
    live = target / "current"
    release = os.readlink(live)
    pages = sorted(p.relative_to(live) for p in live.rglob("*.html"))
    expected = {page: (live / page).read_bytes() for page in pages}

    change_content(content)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", "SITEURL": server.base_url}
    process = subprocess.Popen(
        ["make", "--no-print-directory", "publish", f"DEPLOY_TARGET={target}", f"INPUTDIR={content}",
         "PUBLISHOPTS=--rsync-option=--bwlimit=20"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + 300
    partial = None
    while time.monotonic() < deadline and process.poll() is None:
        partial = next((p for p in (target / "releases").glob("*.partial") if any(p.rglob("*.html"))), None)
        if partial:
            break
        time.sleep(0.05)
    assert partial is not None, "the upload never started"
    time.sleep(0.5)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()

    assert os.readlink(live) == release
    assert partial.exists()  # the upload was cut off half-way
    for page, body in expected.items():
        url = server.base_url + "/" + str(page).removesuffix("index.html")
        status, _, served_body = fetch(url)
        assert status == 200 and served_body == body, url

    again = publish(content, target, server.base_url)  # the next publish cleans up and succeeds
    assert again.returncode == 0, again.stderr
    assert not list((target / "releases").glob("*.partial"))
    assert NEW_TEXT in page_text(server.base_url + "/" + CONFERENCE)
