"""Captcha media: an image of distorted digits and the same digits spoken.

The image comes from the ``captcha`` package's ImageCaptcha (it ships its
own font). The audio comes from its AudioCaptcha, which mixes recorded
voices with noise. The package ships voices for 0-9 in English only, so the
service records Vietnamese digits ("không", "một", ... "chín") once with
espeak-ng (a Debian package) into ``COMMENTS_VOICES``, converted to the
8 kHz 8-bit mono WAV that AudioCaptcha expects. Without espeak-ng it falls
back to the package's English voices and logs a warning.
"""

from __future__ import annotations

import array
import logging
import secrets
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

from captcha.audio import AudioCaptcha
from captcha.image import ImageCaptcha

log = logging.getLogger(__name__)

DIGIT_WORDS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
VOICE_RATE = 8000  # what captcha.audio mixes at: 8 kHz, unsigned 8-bit, mono
IMAGE_SIZE = (200, 70)


def random_digits(count: int) -> str:
    return "".join(str(secrets.randbelow(10)) for _ in range(count))


def _to_voice_format(source: Path, target: Path) -> None:
    """Resample a 16-bit mono WAV to 8 kHz unsigned 8-bit (linear interpolation)."""
    with wave.open(str(source)) as reader:
        if reader.getsampwidth() != 2 or reader.getnchannels() != 1:
            raise ValueError(f"comments: unexpected WAV format from espeak-ng in {source}")
        rate = reader.getframerate()
        samples = array.array("h", reader.readframes(reader.getnframes()))
    count = max(1, len(samples) * VOICE_RATE // rate)
    out = bytearray(count)
    for index in range(count):
        position = index * rate / VOICE_RATE
        low = int(position)
        high = min(low + 1, len(samples) - 1)
        value = samples[low] + (samples[high] - samples[low]) * (position - low)
        out[index] = max(0, min(255, int(value / 256) + 128))
    with wave.open(str(target), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(1)
        writer.setframerate(VOICE_RATE)
        writer.writeframes(bytes(out))


def build_voices(folder: Path) -> bool:
    """Record the ten Vietnamese digits into ``folder/<digit>/vi.wav`` with
    espeak-ng. Returns False when espeak-ng is not installed."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        return False
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for digit, word in enumerate(DIGIT_WORDS):
            raw = Path(scratch) / f"{digit}.wav"
            subprocess.run([espeak, "-v", "vi", "-s", "130", "-w", str(raw), word], check=True, timeout=60)
            (folder / str(digit)).mkdir(exist_ok=True)
            _to_voice_format(raw, folder / str(digit) / "vi.wav")
    return True


def has_voices(folder: Path) -> bool:
    return all(any((folder / str(digit)).glob("*.wav")) for digit in range(10))


class Media:
    """Makes the image and the audio for a captcha answer."""

    def __init__(self, voices: Path) -> None:
        self.image = ImageCaptcha(width=IMAGE_SIZE[0], height=IMAGE_SIZE[1])
        if not has_voices(voices) and not build_voices(voices):
            log.warning("comments: espeak-ng is missing; the audio captcha speaks English digits")
            self.audio = AudioCaptcha()
            self.language = "en"
        else:
            self.audio = AudioCaptcha(voicedir=str(voices))
            self.language = "vi"

    def png(self, answer: str) -> bytes:
        return self.image.generate(answer, format="png").getvalue()

    def wav(self, answer: str) -> bytes:
        return bytes(self.audio.generate(answer))
