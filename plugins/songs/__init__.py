"""songs: the "Ca khúc" section, one Markdown file per song.

A generator of its own reads ``content/<SONGS["PATH"]>/*.md`` (Title,
Composer, Lyricist, Performer, Year, Audio, Image; the body holds the
lyrics or an introduction), reads each audio file with mutagen (duration,
and title/artist/composer/year when the header leaves them out), and writes
- the list ``/ca-khuc/`` in Vietnamese alphabetical order (ICU collation),
  each song with its composer, performer, duration and a native player;
- one page per song with its lyrics, player and a download link.
A missing, unreadable or non-audio file, or a missing field, is reported
through ``content_errors.report`` naming the song file, line and field, and
the song is left out. Audio files outside ``STATIC_PATHS`` are copied.
"""

from __future__ import annotations

import html
import logging
import os
import shutil

from pelican import signals
from pelican.contents import Content
from pelican.generators import Generator

from content_errors import report
from editorial.header import parse_header
from vietnamese.text import nfc, slugify

from .audio import format_duration, iso_duration
from .metadata import check_song

log = logging.getLogger(__name__)

DEFAULTS = {
    # Folder under content/ holding one Markdown file per song.
    "PATH": "songs",
    # Address of the list of songs, and of each song's page.
    "LIST_URL": "ca-khuc/",
    "SONG_URL": "ca-khuc/{slug}/",
    # Heading and introduction of the list page.
    "TITLE": "Ca khúc",
    "INTRO": "Những bài hát về quê hương Hồng Lĩnh. Bấm vào tên bài để xem lời và tải về.",
    # ICU locale of the alphabetical order.
    "LOCALE": "vi",
}


def songs_settings(settings) -> dict:
    merged = {**DEFAULTS, **settings.get("SONGS", {})}
    unknown = set(merged) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"songs: unknown keys in SONGS: {sorted(unknown)}")
    for key in ("PATH", "LIST_URL", "SONG_URL", "TITLE", "LOCALE"):
        if not isinstance(merged[key], str) or not merged[key].strip():
            raise ValueError(f"songs: SONGS[{key!r}] must be a non-empty string")
    for key in ("LIST_URL", "SONG_URL"):
        if not merged[key].endswith("/") or merged[key].startswith("/"):
            raise ValueError(f"songs: SONGS[{key!r}] must be relative and end with '/'")
    if "{slug}" not in merged["SONG_URL"]:
        raise ValueError("songs: SONGS['SONG_URL'] must contain {slug}")
    return merged


class Song(Content):
    """One song; the header values checked by :func:`metadata.check_song`
    are set as attributes (composer, performer, duration_text...)."""

    mandatory_properties = ("title",)
    default_template = "song"

    @property
    def url(self) -> str:
        return songs_settings(self.settings)["SONG_URL"].format(slug=self.slug)

    @property
    def save_as(self) -> str:
        return self.url + "index.html"


class SongsGenerator(Generator):
    """Reads content/songs/*.md and writes /ca-khuc/ and one page per song."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.conf = songs_settings(self.settings)
        self.songs: list[Song] = []

    def _read(self, relative: str) -> Song | None:
        song = self.readers.read_file(base_path=self.path, path=relative, content_class=Song, context=self.context)
        if getattr(song, "status", "") == "skip":
            return None  # not UTF-8: the reader reported it
        source = os.path.join(self.path, relative)
        with open(source, encoding="utf-8-sig") as handle:
            fields = parse_header(nfc(handle.read()))
        meta, problems = check_song(fields, self.path)
        for problem in problems:
            report(source, problem.line, problem.field, problem.message, problem.hint)
        if meta is None:
            return None
        if "title" in meta.from_tags or not getattr(song, "title", ""):
            song.title = meta.title
        if "slug" not in song.metadata:
            song.slug = slugify(html.unescape(song.title))
        song.composer, song.performer, song.year = meta.composer, meta.performer, meta.year
        song.lyricist, song.image = meta.lyricist, meta.image
        song.audio, song.audio_mime, song.audio_size = meta.audio, meta.audio_info.mime, meta.audio_info.size
        song.duration = meta.audio_info.duration
        song.duration_text = format_duration(meta.audio_info.duration)
        song.duration_iso = iso_duration(meta.audio_info.duration)
        song.audio_format = os.path.splitext(meta.audio)[1].lstrip(".").upper()
        if meta.from_tags:
            log.info("songs: %s: %s taken from the audio tags", relative, ", ".join(meta.from_tags))
        return song

    def generate_context(self) -> None:
        songs = []
        for relative in sorted(self.get_files([self.conf["PATH"]], extensions=("md", "markdown"))):
            song = self._read(relative)
            if song is None:
                self._add_failed_source_path(relative)
                continue
            songs.append(song)
        by_slug: dict[str, Song] = {}
        for song in songs:
            if song.slug in by_slug:
                source = os.path.join(self.path, song.get_relative_source_path())
                report(
                    source, 1, "Title",
                    f"trùng đường dẫn «{song.url}» với {by_slug[song.slug].get_relative_source_path()}",
                    "đổi tên bài hoặc thêm dòng `Slug: <đường-dẫn-khác>`",
                )
                continue
            by_slug[song.slug] = song
            self.add_source_path(song)
        from .collation import sorted_vi  # noqa: PLC0415 - ICU is loaded only when a build runs

        self.songs = sorted_vi(by_slug.values(), key=lambda s: html.unescape(s.title), locale=self.conf["LOCALE"])
        self.context["songs"] = self.songs
        self.context["SONGS_LIST_URL"] = self.conf["LIST_URL"]
        log.info("songs: %d song(s) read from %s/", len(self.songs), self.conf["PATH"])

    def _copy_audio(self) -> None:
        static = [p.rstrip("/") + "/" for p in self.settings.get("STATIC_PATHS", [])]
        for song in self.songs:
            if any(song.audio.startswith(prefix) for prefix in static):
                continue  # Pelican's static generator copies it
            target = os.path.join(self.output_path, song.audio)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy2(os.path.join(self.path, song.audio), target)

    def generate_output(self, writer) -> None:
        for song in self.songs:
            writer.write_file(
                song.save_as, self.get_template(song.template), self.context,
                song=song, page_title=song.title, page_scripts=[],
                relative_urls=self.settings["RELATIVE_URLS"], url=song.url,
            )
        writer.write_file(
            self.conf["LIST_URL"] + "index.html", self.get_template("songs"), self.context,
            songs=self.songs, songs_conf=self.conf, page_scripts=[self.settings["THEME_STATIC_DIR"] + "/js/playlist.js"],
            relative_urls=self.settings["RELATIVE_URLS"], url=self.conf["LIST_URL"],
        )
        self._copy_audio()


def _check_settings(pelican) -> None:
    songs_settings(pelican.settings)


def _generators(pelican):
    return SongsGenerator


def register():
    # initialized: a bad SONGS setting stops the build before any file is read.
    signals.initialized.connect(_check_settings)
    # get_generators: songs are a content type of their own, with their own
    # generator (not articles or pages: they have no date or category).
    signals.get_generators.connect(_generators)
