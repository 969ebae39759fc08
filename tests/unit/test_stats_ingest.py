"""Ingest: the definitions (page view, bot, visitor, visit, online, today,
rating), rotation (acceptance 2), kill -9 (acceptance 3), hostile lines
(acceptance 4) and privacy (acceptance 5)."""

from __future__ import annotations

import gzip
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from statslogs import BOT_UA, PHONE_UA, hit, run, totals, within_one_day

from bench.synthlog import generate
from helpers import ROOT

NOW = time.time() - 3600  # recent traffic: salts of the day are still alive
ARTICLE = "/2026/11/bai-viet-so-1/"


def write(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    return path


def test_definitions_of_page_views_visits_bots_online_and_ratings(tmp_path):
    t = NOW
    lines = [
        hit("203.0.113.1", t, "/"),                                     # visit 1 (desktop)
        hit("203.0.113.1", t + 5, "/theme/css/site.css"),               # asset
        hit("203.0.113.1", t + 60, ARTICLE + "index.html?fbclid=1", referrer="https://www.facebook.com/x"),
        hit("203.0.113.1", t + 70, "/khong-co/", status=404),           # error
        hit("203.0.113.1", t + 80, "/_danh-gia?bai=bai-viet-so-1&diem=2", status=204),
        hit("203.0.113.1", t + 90, "/_danh-gia?bai=bai-viet-so-1&diem=4", status=204),  # the latest vote counts
        hit("203.0.113.1", t + 2000, ARTICLE, status=304),              # 33 min later: visit 2
        hit("203.0.113.2", t + 100, ARTICLE, agent=PHONE_UA),           # visit 3 (phone)
        hit("203.0.113.2", t + 110, "/_danh-gia?bai=bai-viet-so-1&diem=5", agent=PHONE_UA, status=204),
        hit("203.0.113.2", t + 120, "/_danh-gia?bai=khong-co-bai&diem=5", agent=PHONE_UA, status=204),
        hit("203.0.113.3", t + 130, ARTICLE, agent=BOT_UA),             # listed bot
        hit("203.0.113.3", t + 140, "/_danh-gia?bai=bai-viet-so-1&diem=1", agent=BOT_UA, status=204),
        hit("203.0.113.4", t + 150, "/robots.txt"),                     # a browser-looking robot
        hit("203.0.113.4", t + 160, ARTICLE),
        hit("203.0.113.5", t + 170, "/", method="POST"),
        hit("203.0.113.6", t + 1900, "/tin-tuc/", agent=PHONE_UA),      # visit 4, online at the end
    ]
    log = write(tmp_path / "access.log", lines)
    result = run(tmp_path / "s.sqlite3", [log], known={"bai-viet-so-1"})
    assert result.lines == len(lines) and result.malformed == 0
    numbers = totals(tmp_path / "s.sqlite3")["summary"]
    assert numbers["visits"] == 4 and numbers["total"] == 1004
    assert sum(d["pageviews"] for d in numbers["daily"]) == 5
    assert numbers["online"] == 2  # 203.0.113.1 and .6 viewed a page in the 5 minutes before t + 2000
    assert numbers["online_at"].timestamp() == int(t + 2000)
    assert (numbers["phone"], numbers["desktop"]) == (2, 2)
    assert numbers["referrers"] == [("facebook.com", 1)]
    assert numbers["ratings"] == {}  # no article list in this database: unknown articles are not shown
    db = sqlite3.connect(tmp_path / "s.sqlite3")
    assert sorted(db.execute("SELECT article, score FROM votes")) == [("bai-viet-so-1", 4), ("bai-viet-so-1", 5)]
    assert sorted(db.execute("SELECT path, SUM(views) FROM page_daily GROUP BY path")) == [
        ("/", 1), (ARTICLE, 3), ("/tin-tuc/", 1)]


def test_a_second_run_reads_only_new_lines(tmp_path):
    log = write(tmp_path / "access.log", [hit("203.0.113.1", NOW, "/")])
    assert run(tmp_path / "s.sqlite3", [log]).lines == 1
    assert run(tmp_path / "s.sqlite3", [log]).lines == 0
    with open(log, "ab") as handle:
        handle.write(hit("203.0.113.1", NOW + 3600, "/") + b"\n" + hit("203.0.113.9", NOW + 3601, "/")[:50])
    assert run(tmp_path / "s.sqlite3", [log]).lines == 1  # the unfinished last line waits
    assert totals(tmp_path / "s.sqlite3")["summary"]["visits"] == 2


def traffic(lines=6000) -> list[bytes]:
    data = generate(lines=lines, visitors=120, days=1, end=time.time() - 60, seed=3)
    return data.splitlines()


def test_rotation_gives_the_same_totals_as_one_file(tmp_path):
    lines = traffic()
    one = write(tmp_path / "one.log", lines)
    run(tmp_path / "one.sqlite3", [one])
    expected = totals(tmp_path / "one.sqlite3")

    logs = tmp_path / "logs"
    logs.mkdir()
    current, first, second = logs / "access.log", logs / "access.log.1", logs / "access.log.2.gz"
    a, b, c, d = lines[:1500], lines[1500:2500], lines[2500:4200], lines[4200:]
    database, pattern = tmp_path / "rot.sqlite3", str(logs / "access.log*")
    write(current, a)
    run(database, [pattern])
    os.rename(current, first)                  # logrotate renames; nginx still writes to the old file
    with open(first, "ab") as handle:
        handle.write(b"".join(x + b"\n" for x in b))
    write(current, c)
    run(database, [pattern])
    with open(first, "rb") as src, gzip.open(second, "wb") as dst:  # the next rotation compresses it
        dst.write(src.read())
    first.unlink()
    os.rename(current, first)
    write(current, d)
    assert run(database, [pattern]).lines == len(d)
    assert run(database, [pattern]).lines == 0
    assert totals(database) == expected


def test_a_truncated_or_replaced_file_is_read_from_its_start(tmp_path):
    log = write(tmp_path / "access.log", [hit("203.0.113.1", NOW, "/"), hit("203.0.113.2", NOW + 1, "/")])
    run(tmp_path / "s.sqlite3", [log])
    write(log, [hit("203.0.113.3", NOW + 4000, "/")])  # copytruncate, then a new line
    assert run(tmp_path / "s.sqlite3", [log]).lines == 1
    assert totals(tmp_path / "s.sqlite3")["summary"]["visits"] == 3


def test_two_servers_are_merged_by_time(tmp_path):
    # one visitor alternates between two servers every 20 minutes: one visit in all
    t = within_one_day(NOW - 7200, 4800)
    a = write(tmp_path / "a.log", [hit("203.0.113.1", t + i * 1200, "/") for i in (0, 2, 4)])
    b = write(tmp_path / "b.log", [hit("203.0.113.1", t + i * 1200, "/") for i in (1, 3)])
    run(tmp_path / "s.sqlite3", [a, b])
    numbers = totals(tmp_path / "s.sqlite3")["summary"]
    assert numbers["visits"] == 1 and sum(d["pageviews"] for d in numbers["daily"]) == 5


INGEST = """
import sys, time
from stats.config import merged
from stats.ingest import ingest
config = merged({"DATABASE": sys.argv[1], "ACCESS_LOGS": [sys.argv[2]], "BATCH_LINES": 500},
                siteurl="https://ducthuan.example.gov.vn", environ={})
ingest(config, None, now=time.time())
"""


def test_kill_9_midway_then_rerun_gives_the_uninterrupted_totals(tmp_path):
    lines = traffic(40_000)
    log = write(tmp_path / "access.log", lines)
    run(tmp_path / "whole.sqlite3", [log], BATCH_LINES=500)
    expected = totals(tmp_path / "whole.sqlite3")

    database = tmp_path / "killed.sqlite3"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "plugins"), str(ROOT)])}
    kills = 0
    for wanted in (2_000, 15_000):  # kill twice, at different depths
        process = subprocess.Popen([sys.executable, "-c", INGEST, str(database), str(log)], env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with sqlite3.connect(database, timeout=1) as db:
                    row = db.execute("SELECT lines FROM files").fetchone()
            except sqlite3.Error:
                row = None
            if row and row[0] >= wanted:
                process.send_signal(signal.SIGKILL)
                kills += 1
                break
            time.sleep(0.005)
        process.wait()
    assert kills == 2, "the ingest finished before it could be killed; use a longer log"
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT lines FROM files").fetchone()[0] < len(lines)
    run(database, [log], BATCH_LINES=500)
    assert totals(database) == expected


HOSTILE_UA = 'Mozilla/5.0 <b id="hostile">x</b> \\x22quoted\\x22 \\"apache\\"'


def hostile_lines(t: float) -> list[bytes]:
    big = "/" + "a" * 100_000 + "/"
    return [
        # quotes inside fields as nginx writes them (\x22) and as Apache does (\")
        hit("203.0.113.1", t, "/<script>alert(\\x22hostile\\x22)</script>/", referrer="https://<b id=\\x22hostile\\x22>.com/"),
        hit("203.0.113.1", t + 1, ARTICLE, agent=HOSTILE_UA, referrer='javascript:alert(\\"hostile\\")'),
        hit("203.0.113.1", t + 2, big, agent="A" * 100_000),
        hit("203.0.113.2", t + 3, ARTICLE).replace(b"Firefox", b"Fire\xff\xfe\xc3fox"),  # invalid UTF-8
        hit("203.0.113.2", t + 4, ARTICLE).replace(b"Linux", b"Li\x00nux"),             # NUL byte
        hit("203.0.113.3", t + 5, ARTICLE)[:70],                                          # truncated
        hit("203.0.113.3", t - 7200, ARTICLE),                                            # out of order
        hit("203.0.113.4", t + 6, "/_danh-gia?bai=<b>&diem=5", status=204),
        hit("203.0.113.4", t + 7, ARTICLE).replace(b"Nov", b"Nox").replace(b"Dec", b"Dex"),  # impossible month
        b"\x00\x00\x00\xff\xfe",
        b'"' * 5000,
        hit("203.0.113.5", t + 8, "/2026/11/<b>/", referrer='https://x.com/"><b id="hostile">'),  # raw quotes: malformed
        re.sub(rb"(:\d\d:\d\d):\d\d ", rb"\1:99 ", hit("203.0.113.6", t + 9, ARTICLE), count=1),  # second 99
    ]


def test_hostile_lines_are_counted_or_skipped_never_fatal(tmp_path, caplog):
    log = write(tmp_path / "access.log", hostile_lines(NOW))
    with caplog.at_level("WARNING"):
        result = run(tmp_path / "s.sqlite3", [log])
    assert result.lines == 13
    assert result.malformed == 6
    assert "access.log: skipped 6 malformed line(s) (line 6, 9, 10, 11, 12, 13)" in caplog.text
    numbers = totals(tmp_path / "s.sqlite3")["summary"]
    assert numbers["referrers"] == []
    assert numbers["malformed"] == 6
    # .1 with the hostile agent, .2 with each of its two broken agents, .3 two hours earlier
    assert numbers["visits"] == 4


def test_the_database_holds_no_ip_address_or_user_agent(tmp_path):
    ips = ["203.0.113.77", "198.51.100.23", "2001:db8::1234"]
    agents = ["PrivacyProbe/1.0 (X11; Linux x86_64) Firefox/128.0", PHONE_UA + " PrivacyPhone/2.0", BOT_UA]
    lines = []
    for i, ip in enumerate(ips):
        for j, agent in enumerate(agents):
            lines.append(hit(ip, NOW + 10 * (3 * i + j), ARTICLE, agent=agent, referrer="https://www.google.com/"))
            lines.append(hit(ip, NOW + 10 * (3 * i + j) + 1, "/_danh-gia?bai=bai-viet-so-1&diem=3", agent=agent,
                             status=204))
    lines.append(hit("192.0.2.55", NOW + 200, "/robots.txt", agent="RobotsReader/1.0 (compatible)"))
    log = write(tmp_path / "access.log", lines)
    run(tmp_path / "s.sqlite3", [log], known={"bai-viet-so-1"})
    assert totals(tmp_path / "s.sqlite3")["summary"]["visits"] == 6
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("s.sqlite3*") if p.is_file())
    import ipaddress  # noqa: PLC0415

    for ip in [*ips, "192.0.2.55"]:
        assert ip.encode() not in stored
        assert ipaddress.ip_address(ip).packed not in stored
    for agent in [*agents, "RobotsReader/1.0 (compatible)"]:
        assert agent.encode() not in stored
        for word in ("PrivacyProbe", "PrivacyPhone", "Googlebot", "RobotsReader", "Pixel 8"):
            assert word.encode() not in stored


def test_salts_and_visitor_hashes_older_than_48_hours_are_deleted(tmp_path):
    old, recent = within_one_day(time.time() - 4 * 86400, 10), within_one_day(NOW, 10)
    lines = [hit("203.0.113.1", old, ARTICLE),
             hit("203.0.113.1", old + 10, "/_danh-gia?bai=bai-viet-so-1&diem=4", status=204),
             hit("203.0.113.2", recent, ARTICLE),
             hit("203.0.113.2", recent + 10, "/_danh-gia?bai=bai-viet-so-1&diem=2", status=204)]
    log = write(tmp_path / "access.log", lines)
    run(tmp_path / "s.sqlite3", [log], known={"bai-viet-so-1"})
    db = sqlite3.connect(tmp_path / "s.sqlite3")
    days = {row[0] for row in db.execute("SELECT day FROM salts")}
    assert len(days) == 1 and days == {row[0] for row in db.execute("SELECT DISTINCT day FROM visitors")}
    assert db.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 1  # today's vote, still per visitor
    assert db.execute("SELECT votes, total FROM rating_totals").fetchall() == [(1, 4)]  # the old one, folded
    db.execute("INSERT INTO articles VALUES ('bai-viet-so-1', ?, 'Bài', '2026-11-01')", (ARTICLE,))
    db.commit()
    numbers = totals(tmp_path / "s.sqlite3")["summary"]
    assert numbers["ratings"] == {"bai-viet-so-1": {"votes": 2, "average": 3.0}}
    assert numbers["visits"] == 2
