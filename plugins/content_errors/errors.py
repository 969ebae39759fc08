"""Content errors: what an editor did wrong, where, and how to fix it.

Pure logic, no Pelican import. Readers and plugins report problems into a
``Collector``; the Pelican glue in ``__init__`` prints them and, in a strict
build, turns them into a non-zero exit.
"""

from __future__ import annotations

import dataclasses
import os


@dataclasses.dataclass(frozen=True, order=True)
class ContentError:
    """One problem in one source file.

    ``path`` is relative to the project (or absolute when outside it),
    ``line`` is 1-based or 0 when the whole file is concerned, ``field`` is
    the metadata key or element concerned ("Title", "Image", "ảnh"...),
    ``message`` says what is wrong and ``hint`` how to fix it.
    """

    path: str
    line: int
    field: str
    message: str
    hint: str = ""

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.field}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text


def display_path(path: str, base: str | None = None) -> str:
    """Return ``path`` relative to ``base`` (default: the working directory)
    when it lies below it, so messages stay short and clickable."""
    base = os.path.abspath(base or os.getcwd())
    absolute = os.path.abspath(path)
    if absolute == base or absolute.startswith(base + os.sep):
        return os.path.relpath(absolute, base)
    return absolute


class Collector:
    """Gathers the errors of one build, without duplicates, in report order."""

    def __init__(self) -> None:
        self._errors: dict[ContentError, None] = {}

    def add(self, error: ContentError) -> bool:
        """Record ``error``; return False when it was already recorded."""
        if error in self._errors:
            return False
        self._errors[error] = None
        return True

    def clear(self) -> None:
        self._errors.clear()

    def __len__(self) -> int:
        return len(self._errors)

    def __iter__(self):
        return iter(self._errors)

    def summary(self) -> str:
        """A block listing every error, sorted by file and line."""
        lines = [f"{len(self)} lỗi nội dung:"]
        lines += ["  " + error.format() for error in sorted(self._errors)]
        return "\n".join(lines)


def line_of(text: str, needle: str, default: int = 0) -> int:
    """1-based number of the first line of ``text`` containing ``needle``."""
    index = text.find(needle)
    if index < 0:
        return default
    return text.count("\n", 0, index) + 1
