"""Vietnamese text helpers: NFC normalisation and ASCII slugs.

Pure functions, no Pelican import.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, the form the whole site stores.

    Text pasted on macOS is often decomposed (NFD): "ệ" as "e" + two
    combining marks. Both forms look alike but compare, slug and search
    differently, so every input is normalised once, on reading.
    """
    return unicodedata.normalize("NFC", text)


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(value: str, separator: str = "-") -> str:
    """ASCII slug with Vietnamese transliterated: "Đức Thuận" -> "duc-thuan".

    unidecode maps "đ"/"Đ" to "d"/"D" (Markdown's and Pelican's
    NFKD-based slugifiers drop them, turning "Đảng" into "ang").
    The signature matches Python-Markdown's toc ``slugify(value, separator)``.
    """
    ascii_text = unidecode(nfc(value)).lower()
    return _NON_ALNUM.sub(separator, ascii_text).strip(separator)


def fold(value: str) -> str:
    """Lower-case ASCII form for comparing names typed with or without
    accents: "Tin tuc" and "Tin tức" fold to the same string."""
    return " ".join(unidecode(nfc(value)).lower().split())
