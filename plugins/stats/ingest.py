"""Read new access-log lines into the statistics state, exactly once.

The definitions (see README.md of this plugin):

- page view: GET or HEAD of an HTML page of the site (path ending in "/" or
  ".html"), status 200 or 304, by a client that is not a bot;
- bot: a user agent on the crawler-user-agents list or empty, decided once
  per distinct user agent; a client (IP + user agent, that day) that fetches
  /robots.txt is a bot from that request on;
- visitor: hash of (IP, user agent) keyed with a random salt of the day;
- visit: a visitor's page views with gaps under VISIT_GAP_MINUTES;
- rating: GET RATING_PATH?bai=<slug>&diem=<1..5>, one per visitor and
  article, the latest counts.

Speed: one compiled pattern runs over multi-megabyte chunks (``findall``);
every verdict (time of a minute, bot or not, page or not, referrer domain,
visitor hash) is cached per distinct string, and counts go to SQLite in
batches. Pure module, no Pelican import.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import logging
import os
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import classify, sources, store
from .logparse import minute_epoch

log = logging.getLogger(__name__)

_MISSING = object()
_SECONDS = {b"%02d" % n: n for n in range(61)}  # the second field (60: a leap second)
_ROBOTS = "robots.txt"
_OK = frozenset((b"200", b"304"))
_GET_HEAD = frozenset((b"GET", b"HEAD"))
_CACHE_LIMIT = 200_000  # distinct strings kept per cache; hostile logs cannot grow memory without bound
_REPORT_LINES = 10  # malformed line numbers named per file


def _valid_time(found) -> bool:
    return found.group(3) in _SECONDS and minute_epoch(found.group(2), found.group(4)) is not None


@dataclass
class FileState:
    log: sources.LogFile
    offset: int
    lines: int
    complete: bool = False
    malformed: int = 0
    malformed_lines: list = field(default_factory=list)


@dataclass
class Result:
    lines: int = 0
    malformed: int = 0
    files: int = 0
    seconds: float = 0.0


class Ingest:
    """One run over the configured sources; ``run()`` returns a Result."""

    def __init__(self, db, config: dict, known_articles: set[str] | None = None, now: float | None = None):
        self.db = db
        self.config = config
        self.pattern = config["PATTERN"]
        self.fast = config.get("FAST_PATTERN")
        self.zone = config["ZONE"]
        self.prefix = config["URL_PREFIX"]
        self.own_hosts = frozenset(config["SITE_HOSTS"])
        self.known = known_articles or None
        self.now = time.time() if now is None else now
        self.gap = config["VISIT_GAP_MINUTES"] * 60
        self.batch_lines = config["BATCH_LINES"]
        # caches: distinct string -> verdict
        self.times: dict = {}
        self.days: dict = {}
        self.agents: dict = {}
        self.targets: dict = {}
        self.referrers: dict = {}
        self.visitor_ids: dict = {}
        # state loaded from the database
        self.salts = dict(db.execute("SELECT day, salt FROM salts"))
        self.new_salts: dict = {}
        self.last_seen: dict = {}
        self.visitor_day: dict = {}
        self.robots: set = set()
        for vid, day, last, robot in db.execute("SELECT id, day, last, robot FROM visitors"):
            self.visitor_day[vid] = day
            if last:
                self.last_seen[vid] = last
            if robot:
                self.robots.add(vid)
        self.newest = int(store.get_meta(db, "newest", 0) or 0)
        self.malformed_total = int(store.get_meta(db, "malformed", 0) or 0)
        self._reset_batch()

    # --- batches -----------------------------------------------------------
    def _reset_batch(self) -> None:
        self.daily: dict = defaultdict(lambda: [0, 0])  # day -> [visits, page views]
        self.pages: dict = defaultdict(int)  # (day, path) -> page views
        self.refs: dict = defaultdict(int)  # (day, domain) -> page views
        self.devices: dict = defaultdict(int)  # (day, PHONE or DESKTOP) -> visits
        self.votes: dict = {}
        self.dirty: set = set()
        self.pending_files: dict = {}
        self.batch_count = 0

    def _commit(self) -> None:
        with store.transaction(self.db) as db:
            store.add_counts(db, self.daily, self.pages, self.refs, self.devices)
            store.save_votes(db, self.votes)
            db.executemany("INSERT OR REPLACE INTO salts (day, salt) VALUES (?, ?)", self.new_salts.items())
            db.executemany(
                "INSERT OR REPLACE INTO visitors (id, day, last, robot) VALUES (?, ?, ?, ?)",
                [(vid, self.visitor_day[vid], self.last_seen.get(vid, 0), int(vid in self.robots))
                 for vid in self.dirty])
            db.executemany(
                "INSERT OR REPLACE INTO files (fingerprint, name, offset, lines, complete) VALUES (?, ?, ?, ?, ?)",
                [(s.log.fingerprint, str(s.log.path), s.offset, s.lines, int(s.complete))
                 for s in self.pending_files.values()])
            store.set_meta(db, "newest", self.newest)
            store.set_meta(db, "malformed", self.malformed_total)
        self.new_salts = {}
        self._reset_batch()

    # --- verdicts for distinct strings ---------------------------------------
    def _time(self, minute: bytes, offset: bytes):
        """(epoch of the minute, local day, offset) or None for a time that cannot be."""
        epoch = minute_epoch(minute, offset)
        if epoch is None:
            return None
        hour = epoch // 3600
        day = self.days.get(hour)
        if day is None:  # local day of an hour: zoneinfo once per distinct hour
            day = self.days[hour] = dt.datetime.fromtimestamp(epoch, self.zone).date().isoformat()
        verdict = (epoch, day, offset)
        if len(self.times) > _CACHE_LIMIT:
            self.times.clear()
        self.times[minute] = verdict
        return verdict

    def _agent(self, agent: bytes) -> int:
        kind = classify.agent_kind(agent)
        if len(self.agents) > _CACHE_LIMIT:
            self.agents.clear()
        self.agents[agent] = kind
        return kind

    def _target(self, path: bytes):
        if classify.is_robots(path, self.prefix):
            target = _ROBOTS
        else:
            target = classify.page_path(path, self.prefix) or classify.rating(
                path, self.config["RATING_PATH"], self.prefix)
            if isinstance(target, tuple) and self.known is not None and target[0] not in self.known:
                target = None  # a vote for an article the site does not have
        if len(self.targets) > _CACHE_LIMIT:
            self.targets.clear()
        self.targets[path] = target
        return target

    def _referrer(self, referrer: bytes):
        domain = classify.referrer_domain(referrer, self.own_hosts)
        if len(self.referrers) > _CACHE_LIMIT:
            self.referrers.clear()
        self.referrers[referrer] = domain
        return domain

    def _visitor(self, ip: bytes, agent: bytes, day: str) -> bytes:
        salt = self.salts.get(day)
        if salt is None:
            salt = self.salts[day] = self.new_salts[day] = os.urandom(16)
        vid = hashlib.blake2b(ip + b"\n" + agent, key=salt, digest_size=12, person=day.encode()[:16]).digest()
        self.visitor_day[vid] = day
        if len(self.visitor_ids) > _CACHE_LIMIT:
            self.visitor_ids.clear()
        self.visitor_ids[ip, agent, day] = vid
        return vid

    # --- the hot loop ----------------------------------------------------------
    def _consume(self, rows) -> int:  # noqa: PLR0912, PLR0915 (one loop on purpose: per-line calls cost)
        """Count parsed rows (tuples of bytes in logparse.GROUPS order).
        Returns how many had an impossible time (counted as malformed)."""
        times, agents, targets, referrers, ids = self.times, self.agents, self.targets, self.referrers, self.visitor_ids
        last_seen, robots, dirty = self.last_seen, self.robots, self.dirty
        daily, pages, refs, devices, votes = self.daily, self.pages, self.refs, self.devices, self.votes
        gap, newest, bad, bot = self.gap, self.newest, 0, classify.BOT
        secs = _SECONDS
        for ip, minute, second, offset, method, path, status, referrer, agent in rows:
            try:
                when = times[minute]
            except KeyError:
                when = None
            if when is None or when[2] != offset:
                when = self._time(minute, offset)
                if when is None:
                    bad += 1
                    continue
            try:
                ts = when[0] + secs[second]
            except KeyError:  # second 61 to 99
                bad += 1
                continue
            if ts > newest:  # noqa: PLR1730 (max() is a call per line)
                newest = ts
            try:  # most lines are assets: the path decides first
                target = targets[path]
            except KeyError:
                target = self._target(path)
            if target is None:
                continue
            try:
                kind = agents[agent]
            except KeyError:
                kind = self._agent(agent)
            if kind == bot:
                continue
            day = when[1]
            try:
                vid = ids[ip, agent, day]
            except KeyError:
                vid = self._visitor(ip, agent, day)
            if vid in robots:
                continue
            if target.__class__ is str:
                if target is _ROBOTS:
                    robots.add(vid)
                    dirty.add(vid)
                    continue
                if status not in _OK or method not in _GET_HEAD:
                    continue
                counts = daily[day]
                last = last_seen.get(vid)
                if last is None or ts - last >= gap or last - ts >= gap:
                    counts[0] += 1
                    devices[day, kind] += 1
                    if last is None or ts > last:
                        last_seen[vid] = ts
                elif ts > last:
                    last_seen[vid] = ts
                dirty.add(vid)
                counts[1] += 1
                pages[day, target] += 1
                if referrer != b"-":
                    try:
                        domain = referrers[referrer]
                    except KeyError:
                        domain = self._referrer(referrer)
                    if domain is not None:
                        refs[day, domain] += 1
            elif method == b"GET" and status[:1] == b"2":  # a vote (nginx answers 204)
                key = (target[0], vid)
                previous = votes.get(key)
                if previous is None or previous[2] <= ts:
                    votes[key] = (day, target[1], ts)
        self.newest = newest
        return bad

    # --- chunks and files ------------------------------------------------------
    def _scan(self, chunk: bytes, state: FileState, first_line: int) -> list:
        """Line by line (slow path, only for chunks with malformed lines):
        the rows, with malformed lines counted and located."""
        rows, match = [], self.pattern.match
        for number, line in enumerate(chunk.split(b"\n")[:-1], start=first_line):
            found = match(line)
            if found is None or not _valid_time(found):
                self._malformed(state, number)
            else:
                rows.append(found.groups(b""))
        return rows

    def _malformed(self, state: FileState, number: int) -> None:
        state.malformed += 1
        self.malformed_total += 1
        if len(state.malformed_lines) < _REPORT_LINES:
            state.malformed_lines.append(number)

    def _chunk_rows(self, chunk: bytes, lines: int, state: FileState) -> list:
        fast = self.fast is not None and b'\\"' not in chunk
        rows = (self.fast if fast else self.pattern).findall(chunk)
        if len(rows) != lines:
            rows = self._scan(chunk, state, state.lines + 1)
        elif rows and len(rows[0]) != 9:
            raise ValueError("stats: LOG_FORMAT must have exactly 9 groups")
        return rows

    def _after_chunk(self, state: FileState, lines: int, end: int) -> None:
        state.lines += lines
        state.offset = end
        self.pending_files[state.log.fingerprint] = state
        self.batch_count += lines
        if self.batch_count >= self.batch_lines:
            self._commit()

    def _read_file(self, state: FileState, result: Result) -> None:
        start_lines = state.lines
        with sources.open_log(state.log.path, state.log.compressed) as handle:
            for chunk, _start, end in sources.read_chunks(handle, state.offset, final=state.log.compressed):
                lines = chunk.count(b"\n")
                rows = self._chunk_rows(chunk, lines, state)
                if self._consume(rows):  # a time that cannot be (32/Foo/2026): locate it for the report
                    self._locate_bad_times(chunk, state)
                self._after_chunk(state, lines, end)
        if state.log.compressed:
            state.complete = True
            self.pending_files[state.log.fingerprint] = state
        result.lines += state.lines - start_lines
        self._report(state)

    def _locate_bad_times(self, chunk: bytes, state: FileState) -> None:
        for number, line in enumerate(chunk.split(b"\n")[:-1], start=state.lines + 1):
            found = self.pattern.match(line)
            if found is not None and not _valid_time(found):
                self._malformed(state, number)

    def _report(self, state: FileState) -> None:
        if state.malformed:
            where = ", ".join(str(n) for n in state.malformed_lines)
            more = "…" if state.malformed > len(state.malformed_lines) else ""
            log.warning("stats: %s: skipped %d malformed line(s) (line %s%s)",
                        state.log.path, state.malformed, where, more)

    def _read_merged(self, series: list[list[FileState]], result: Result) -> None:
        """Several servers: merge their lines by time (line by line)."""

        def stream(states: list[FileState], order: int):
            last = 0
            for state in states:
                with sources.open_log(state.log.path, state.log.compressed) as handle:
                    number = state.lines
                    for chunk, start, end in sources.read_chunks(handle, state.offset, final=state.log.compressed):
                        position = start
                        for line in chunk.split(b"\n")[:-1]:
                            number += 1
                            position = min(position + len(line) + 1, end)
                            found = self.pattern.match(line)
                            row = found.groups(b"") if found and _valid_time(found) else None
                            when = self.times.get((row[1], row[3])) if row else None
                            if row and when is None:
                                when = self._time(row[1], row[3])
                            if when:
                                last = when[0] + int(row[2])
                            else:
                                row = None  # malformed: counted in its place in the stream
                            yield last, order, number, row, state, position
                    if state.log.compressed:
                        yield last, order, number, None, state, -1  # a finished file

        merged = heapq.merge(*(stream(states, i) for i, states in enumerate(series)),
                             key=lambda item: (item[0], item[1]))
        group: list = []
        touched: dict = {}
        for _ts, _order, number, row, state, position in merged:
            touched[state.log.fingerprint] = state
            if position < 0:
                state.complete = True
                continue
            if row is None:
                self._malformed(state, number)
            else:
                group.append(row)
            state.lines, state.offset = number, position
            result.lines += 1
            if len(group) >= 10_000:
                self._flush_group(group, touched)
                group, touched = [], {}
        self._flush_group(group, touched)
        for states in series:
            for state in states:
                self._report(state)

    def _flush_group(self, group: list, touched: dict) -> None:
        self._consume(group)
        self.pending_files.update(touched)
        self.batch_count += len(group)
        if self.batch_count >= self.batch_lines:
            self._commit()

    # --- a run -----------------------------------------------------------------
    def _plan(self) -> list[list[FileState]]:
        known = {row[0]: row[1:] for row in self.db.execute("SELECT fingerprint, offset, lines, complete FROM files")}
        seen: set = set()
        plan = []
        for paths in sources.series(self.config["ACCESS_LOGS"]):
            states = []
            for path in paths:
                try:
                    info = sources.inspect(path)
                except OSError as error:
                    log.warning("stats: cannot read %s: %s", path, error)
                    continue
                if info is None or info.fingerprint in seen:
                    continue  # empty so far, or the same file under two names (access.log.1 and its .gz)
                seen.add(info.fingerprint)
                offset, lines, complete = known.get(info.fingerprint, (0, 0, 0))
                if complete:
                    continue
                if not info.compressed:
                    if info.size < offset:  # truncated: a new file with the same first line
                        offset, lines = 0, 0
                    elif info.size == offset:
                        continue
                states.append(FileState(info, offset, lines))
            states.sort(key=lambda s: (self._first_time(s.log.first_line), s.log.path.stat().st_mtime))
            if states:
                plan.append(states)
        return plan

    def _first_time(self, line: bytes) -> int:
        found = self.pattern.match(line)
        epoch = found and minute_epoch(found.group(2), found.group(4))
        return epoch or 0

    def run(self) -> Result:
        started = time.perf_counter()
        result = Result()
        plan = self._plan()
        result.files = sum(len(states) for states in plan)
        if len(plan) == 1:
            for state in plan[0]:
                self._read_file(state, result)
        elif plan:
            self._read_merged(plan, result)
        result.malformed = sum(s.malformed for states in plan for s in states)
        self._commit()
        self._expire()
        result.seconds = time.perf_counter() - started
        return result

    def _expire(self) -> None:
        """Delete the salts (and visitor hashes) of days older than SALT_HOURS."""
        clock = max(self.now, self.newest)
        keep = self.config["SALT_HOURS"] * 3600
        old = []
        for (day,) in self.db.execute("SELECT day FROM salts"):
            start = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), self.zone).timestamp()
            if start + keep <= clock:
                old.append(day)
        if old:
            with store.transaction(self.db) as db:
                store.expire(db, old)


def ingest(config: dict, known_articles: set[str] | None = None, now: float | None = None) -> Result:
    """Open the database, read what is new, close. Holds a lock for the run."""
    with store.exclusive(config["DATABASE"]):
        db = store.connect(config["DATABASE"])
        try:
            return Ingest(db, config, known_articles, now).run()
        finally:
            db.close()


def database_path(config: dict) -> Path:
    return Path(config["DATABASE"])
