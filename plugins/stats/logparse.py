"""Access-log lines: one compiled pattern for the "combined" format.

nginx's predefined ``combined`` format and Apache's ``combined`` are the same
line::

    1.2.3.4 - - [27/Nov/2026:14:05:03 +0700] "GET /a/ HTTP/1.1" 200 512 "https://ref/" "Mozilla/5.0 …"

nginx writes ``"`` and bytes outside printable ASCII as ``\\x22``; Apache
writes ``\\"`` and ``\\\\``. Every field is hostile input: the pattern never
crosses a newline, works on bytes (invalid UTF-8 and NUL bytes are just
bytes), and a request that is not ``METHOD path [protocol]`` (TLS garbage,
scanners) still parses, with an empty method and path.

The fast path (``FORMATS[name].findall`` over a chunk of whole lines) gives
tuples of bytes in GROUPS order; :func:`parse_line` is the convenient, slow
form for tests and tools. No Pelican import.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple


def _combined(quoted: bytes, rest: bytes, other: bytes) -> re.Pattern:
    return re.compile(
        rb"^([^ " + other + rb"]+) [^ " + other + rb"]+ [^\[" + other + rb"]*\["  # address, identd, user
        rb"(\d\d/[A-Za-z]{3}/\d{4}:\d\d:\d\d):(\d\d) ([+-]\d{4})\] "  # minute, second, offset
        rb'"(?:([A-Z]{1,16}) ([^" ' + other + rb']*)(?: ' + rest + rb')?|' + quoted + rb')" '  # request
        rb"(\d{3}) (?:\d+|-) "  # status, bytes sent
        rb'"(' + quoted + rb')" "(' + quoted + rb')"',  # referrer, user agent; a longer format may add fields
        re.MULTILINE,
    )


# The strict pattern: quoted fields are an unrolled loop over anything but
# quote, backslash and newline, plus backslash escapes (Apache's \" and \\,
# nginx's \xHH); nothing crosses a newline.
COMBINED = _combined(rb'[^"\\\n]*(?:\\.[^"\\\n]*)*', rb'[^"\n]*', rb"\n")

# The same pattern with plain [^"]* fields: about twice as fast. On a line
# without a backslash-quote it finds exactly what COMBINED finds, except that
# its classes may run across a newline; so the ingest uses it only on chunks
# without any backslash-quote, and keeps its rows only when every line of the
# chunk matched on its own (as many matches as lines); otherwise COMBINED
# decides, line by line.
COMBINED_FAST = _combined(rb'[^"]*', rb'[^"]*', b"")

# Named formats for STATS["LOG_FORMAT"]; a custom format is a regular
# expression (bytes) with the same nine groups in the same order.
FORMATS = {"combined": COMBINED}
FAST_FORMATS = {"combined": COMBINED_FAST}
GROUPS = ("ip", "minute", "second", "offset", "method", "path", "status", "referrer", "user_agent")

MONTHS = {m.encode(): i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}

_ESCAPE = re.compile(rb'\\(x[0-9A-Fa-f]{2}|["\\])')


def unescape(field: bytes) -> str:
    """A logged field as text: escapes undone, invalid UTF-8 replaced."""
    if b"\\" in field:
        field = _ESCAPE.sub(lambda m: bytes([int(m.group(1)[1:], 16)]) if len(m.group(1)) == 3 else m.group(1), field)
    return field.decode("utf-8", "replace")


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def minute_epoch(minute: bytes, offset: bytes) -> int | None:
    """Unix time of b"27/Nov/2026:14:05" at offset b"+0700", or None if impossible."""
    if len(minute) != 17 or len(offset) != 5 or offset[0] not in b"+-" or not offset[1:].isdigit():
        return None
    if minute[2:3] != b"/" or minute[6:7] != b"/" or minute[11:12] != b":" or minute[14:15] != b":":
        return None
    try:
        month = MONTHS[minute[3:6]]
        hour, mins = int(minute[12:14]), int(minute[15:17])
        days = dt.date(int(minute[7:11]), month, int(minute[0:2])).toordinal() - _EPOCH_ORDINAL
    except (KeyError, ValueError):
        return None
    if hour > 23 or mins > 59:
        return None
    shift = int(offset[1:3]) * 3600 + int(offset[3:5]) * 60
    return days * 86400 + hour * 3600 + mins * 60 - (shift if offset[:1] == b"+" else -shift)


class Hit(NamedTuple):
    ip: str
    time: dt.datetime  # aware, in the log's offset
    method: str
    path: str
    status: int
    referrer: str
    user_agent: str


def parse_line(line: bytes, pattern: re.Pattern = COMBINED) -> Hit | None:
    """One log line (bytes, with or without newline) as a Hit; None if malformed."""
    match = pattern.match(line.rstrip(b"\r\n"))
    if not match:
        return None
    ip, minute, second, offset, method, path, status, referrer, agent = match.groups(b"")
    epoch = minute_epoch(minute, offset)
    if epoch is None:
        return None
    sign = -1 if offset[:1] == b"-" else 1
    zone = dt.timezone(sign * dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5])))
    when = dt.datetime.fromtimestamp(epoch + int(second), zone)
    return Hit(ip.decode("ascii", "replace"), when, method.decode("ascii"), unescape(path), int(status),
               unescape(referrer), unescape(agent))
