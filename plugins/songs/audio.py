"""Reading an audio file's duration and tags with mutagen.

Pure logic, no Pelican import: :func:`probe` returns an :class:`AudioInfo`
or raises :class:`AudioProblem` with a Vietnamese message saying what is wrong
with the file (missing, not audio, unreadable, wrong kind for its name).
"""

from __future__ import annotations

import dataclasses
import os

import mutagen

# Extension -> (MIME type for <audio>/<source>, mutagen class names that fit it).
FORMATS = {
    ".mp3": ("audio/mpeg", {"MP3", "EasyMP3"}),
    ".m4a": ("audio/mp4", {"MP4", "EasyMP4"}),
    ".ogg": ("audio/ogg", {"OggVorbis", "OggOpus", "OggFLAC", "OggSpeex"}),
}
KIND_NAMES = {"MP3": "MP3", "EasyMP3": "MP3", "MP4": "M4A", "EasyMP4": "M4A"}


class AudioProblem(Exception):
    """The file cannot be used as a song's audio; ``str()`` says why."""


@dataclasses.dataclass(frozen=True)
class AudioInfo:
    duration: float  # seconds
    mime: str
    size: int  # bytes
    title: str = ""
    artist: str = ""
    composer: str = ""
    year: str = ""


def _first(tags, key: str) -> str:
    try:
        values = tags.get(key) if tags is not None else None
    except (KeyError, ValueError):
        return ""
    if not values:
        return ""
    return str(values[0]).strip()


def probe(path: str) -> AudioInfo:
    """Read ``path``'s duration and its title/artist/composer/year tags."""
    extension = os.path.splitext(path)[1].lower()
    if extension not in FORMATS:
        raise AudioProblem(f"tệp «{os.path.basename(path)}» không phải MP3, M4A hay OGG")
    if not os.path.isfile(path):
        raise AudioProblem(f"không tìm thấy tệp âm thanh «{path}»")
    mime, classes = FORMATS[extension]
    try:
        audio = mutagen.File(path, easy=True)
    except (mutagen.MutagenError, OSError, ValueError, EOFError) as error:
        raise AudioProblem(f"không đọc được tệp âm thanh «{os.path.basename(path)}» (tệp hỏng hoặc không phải âm thanh: {error})") from error
    if audio is None or audio.info is None:
        raise AudioProblem(f"tệp «{os.path.basename(path)}» không phải tệp âm thanh")
    kind = type(audio).__name__
    if kind not in classes:
        raise AudioProblem(
            f"tệp «{os.path.basename(path)}» có đuôi {extension} nhưng thực chất là {KIND_NAMES.get(kind, kind)}"
        )
    duration = float(getattr(audio.info, "length", 0) or 0)
    if duration <= 0:
        raise AudioProblem(f"tệp «{os.path.basename(path)}» không có độ dài (tệp hỏng hoặc rỗng)")
    tags = audio.tags
    year = _first(tags, "date")[:4]
    return AudioInfo(
        duration=duration, mime=mime, size=os.path.getsize(path),
        title=_first(tags, "title"), artist=_first(tags, "artist"),
        composer=_first(tags, "composer"), year=year if year.isdigit() else "",
    )


def format_duration(seconds: float) -> str:
    """"3:45" (minutes:seconds), "1:02:03" past an hour; rounded to the second."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def iso_duration(seconds: float) -> str:
    """ISO 8601 duration for <time datetime>: "PT3M45S"."""
    total = round(seconds)
    minutes, secs = divmod(total, 60)
    return f"PT{minutes}M{secs}S"
