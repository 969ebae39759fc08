"""A song's header checked and completed from its audio file's tags.

Pure logic, no Pelican import. :func:`check_song` takes the parsed header
(``editorial.header.parse_header``) and the content root, reads the audio
file, fills Title, Performer, Composer and Year from the tags where the
header leaves them out, and returns the values with the problems found, as
editors' messages in Vietnamese.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os

from editorial.header import Field
from editorial.validate import Problem

from .audio import AudioInfo, AudioProblem, probe

AUDIO_HINT = "đặt tệp MP3, M4A hoặc OGG trong content/media/ca-khuc/ và ghi `Audio: media/ca-khuc/<tên tệp>.mp3`"

# Header field -> (tag of AudioInfo that can stand in for it, what to write).
TAGGED = {
    "Title": ("title", "`Title: <tên bài hát>`"),
    "Composer": ("composer", "`Composer: <tên nhạc sĩ>`"),
    "Performer": ("artist", "`Performer: <ca sĩ hoặc nhóm trình bày>`"),
    "Year": ("year", "`Year: <năm sáng tác, ví dụ 1995>`"),
}


@dataclasses.dataclass
class SongMeta:
    title: str
    composer: str
    performer: str
    year: str
    audio: str  # path under content/, with "/" separators
    audio_info: AudioInfo
    lyricist: str = ""
    image: str = ""
    from_tags: tuple[str, ...] = ()  # header fields filled from the audio tags


def content_path(value: str, content_root: str) -> str | None:
    """Relative path under ``content_root`` named by a header value
    (``media/a.mp3``, ``/media/a.mp3``, ``{static}/media/a.mp3``), or None
    when it points outside the content folder or to another website."""
    value = value.strip().removeprefix("{static}").removeprefix("{attach}").lstrip("/")
    if not value or "://" in value or value.startswith("//"):
        return None
    relative = os.path.normpath(value).replace(os.sep, "/")
    if relative.startswith("../") or relative == ".." or os.path.isabs(relative):
        return None
    return relative


def _value(fields: dict[str, Field], name: str) -> str:
    field = fields.get(name.lower())
    return field.value.strip() if field else ""


def _line(fields: dict[str, Field], name: str) -> int:
    field = fields.get(name.lower())
    return field.line if field else 1


def _read_audio(fields: dict[str, Field], content_root: str) -> tuple[str | None, AudioInfo | None, list[Problem]]:
    """The Audio field's path under content/ and what mutagen read from it."""
    value = _value(fields, "Audio")
    line = _line(fields, "Audio")
    if not value:
        return None, None, [Problem(line, "Audio", "thiếu tệp âm thanh của bài hát", AUDIO_HINT)]
    relative = content_path(value, content_root)
    if relative is None:
        return None, None, [Problem(line, "Audio", f"«{value}» không phải một tệp trong thư mục content/", AUDIO_HINT)]
    try:
        return relative, probe(os.path.join(content_root, relative)), []
    except AudioProblem as error:
        return relative, None, [Problem(line, "Audio", str(error), AUDIO_HINT)]


def check_song(fields: dict[str, Field], content_root: str) -> tuple[SongMeta | None, list[Problem]]:
    """Check one song's header; return its values (None on any problem)."""
    relative, info, problems = _read_audio(fields, content_root)
    audio_value = _value(fields, "Audio")
    values: dict[str, str] = {}
    from_tags = []
    for name, (tag, how) in TAGGED.items():
        value = _value(fields, name)
        if not value and info is not None and getattr(info, tag):
            value = getattr(info, tag)
            from_tags.append(name)
        values[name] = value
        if not value and (info is not None or not audio_value):
            problems.append(Problem(
                _line(fields, name), name, f"thiếu trường {name} (tệp âm thanh cũng không ghi)",
                f"thêm dòng {how} vào đầu tệp",
            ))

    year = values["Year"]
    if year and not (year.isdigit() and len(year) == 4 and 1900 <= int(year) <= dt.date.today().year + 1):
        problems.append(Problem(
            _line(fields, "Year"), "Year", f"năm «{year}» không hợp lệ", "ghi năm bằng bốn chữ số, ví dụ `Year: 1995`",
        ))

    image = _value(fields, "Image")
    if image:
        image_path = content_path(image, content_root)
        if image_path is None or not os.path.isfile(os.path.join(content_root, image_path)):
            problems.append(Problem(
                _line(fields, "Image"), "Image", f"không tìm thấy ảnh «{image}»",
                "đặt ảnh trong content/images/ và ghi `Image: images/<tên tệp>.jpg`, hoặc bỏ dòng Image",
            ))
        else:
            image = image_path

    if problems or info is None or relative is None:
        return None, problems
    return SongMeta(
        title=values["Title"], composer=values["Composer"], performer=values["Performer"], year=values["Year"],
        audio=relative, audio_info=info, lyricist=_value(fields, "Lyricist"), image=image,
        from_tags=tuple(from_tags),
    ), []
