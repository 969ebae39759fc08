"""Synthesise the demo songs: short original melodies, made from scratch.

Each melody is computed with the standard library (sine tones with a soft
envelope, 22 050 Hz mono), written to a temporary WAV file and encoded with
Debian's `oggenc` (vorbis-tools) or `lame`, with title, artist and composer
tags. The results are committed under content/media/ca-khuc/ (a few tens of
kilobytes each); run this again only to change them:

    apt-get install vorbis-tools lame
    .venv/bin/python tools/make-demo-songs.py
"""

from __future__ import annotations

import math
import shutil
import struct
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "content" / "media" / "ca-khuc"
RATE = 22050
ARTIST = "Giai điệu tổng hợp (bài hát minh họa)"
COMPOSER = "Ban biên tập cổng thông tin (minh họa)"

# Pentatonic scale degrees (semitones above the tonic) and note lengths in
# beats: every melody here was written for this project.
SONGS = [
    ("anh-den-pho-nui.ogg", "Ánh đèn phố núi", 220.0, 0.32,
     [(0, 1), (2, 1), (4, 1), (7, 2), (9, 1), (7, 1), (4, 2), (2, 1), (0, 3)]),
    ("binh-minh-tren-nui-hong.mp3", "Bình minh trên núi Hồng", 246.94, 0.30,
     [(7, 1), (9, 1), (12, 2), (9, 1), (7, 1), (4, 1), (7, 2), (4, 1), (2, 1), (0, 3)]),
    ("dem-trang-ben-song-la.ogg", "Đêm trăng bên sông La", 196.0, 0.36,
     [(4, 2), (2, 1), (0, 1), (2, 2), (4, 1), (7, 1), (4, 2), (0, 3)]),
    ("em-di-hoc-som.ogg", "Em đi học sớm", 261.63, 0.26,
     [(0, 1), (0, 1), (4, 1), (7, 1), (9, 2), (7, 1), (4, 1), (2, 1), (4, 1), (0, 3)]),
]


def melody(tonic: float, beat: float, notes) -> bytes:
    """16-bit mono PCM of the notes, each with a short attack and decay."""
    frames = bytearray()
    for semitones, beats in notes:
        frequency = tonic * 2 ** (semitones / 12)
        count = int(RATE * beat * beats)
        for i in range(count):
            t = i / RATE
            envelope = min(1.0, i / (0.02 * RATE)) * math.exp(-2.5 * t / (beat * beats))
            sample = math.sin(2 * math.pi * frequency * t) + 0.3 * math.sin(4 * math.pi * frequency * t)
            frames += struct.pack("<h", int(9000 * envelope * sample))
    frames += b"\0\0" * int(RATE * 0.3)  # a breath of silence at the end
    return bytes(frames)


def encode(wav: Path, target: Path, title: str) -> None:
    if target.suffix == ".mp3":
        command = ["lame", "--quiet", "-V", "7", "--tt", title, "--ta", ARTIST,
                   "--tv", f"TCOM={COMPOSER}", "--ty", "2026", str(wav), str(target)]
    else:
        command = ["oggenc", "--quiet", "-q", "0", "-t", title, "-a", ARTIST,
                   "-c", f"COMPOSER={COMPOSER}", "-d", "2026", "-o", str(target), str(wav)]
    subprocess.run(command, check=True)


def main() -> None:
    for tool in ("oggenc", "lame"):
        if not shutil.which(tool):
            sys.exit(f"make-demo-songs: `{tool}` is missing: apt-get install vorbis-tools lame")
    TARGET.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, title, tonic, beat, notes in SONGS:
            wav = Path(tmp) / "song.wav"
            with wave.open(str(wav), "wb") as handle:
                handle.setnchannels(1)
                handle.setsampwidth(2)
                handle.setframerate(RATE)
                handle.writeframes(melody(tonic, beat, notes))
            encode(wav, TARGET / name, title)
            print(f"{TARGET / name}: {(TARGET / name).stat().st_size} bytes")


if __name__ == "__main__":
    main()
