"""content_errors: one place where every plugin reports an editor's mistake.

Readers and plugins call :func:`report` with the file, line, field, what is
wrong and how to fix it. Each error is logged at once (so ``make html`` shows
it and goes on building the rest); at the end of the build a summary lists
them all. With the ``STRICT_BUILD`` setting (``make check``, ``make
publish``) a build that met any content error, or any other error logged by
Pelican or a plugin, exits non-zero.
"""

from __future__ import annotations

import contextlib
import logging

from pelican import signals

from .errors import Collector, ContentError, display_path, line_of

log = logging.getLogger(__name__)

__all__ = ["ContentError", "StrictBuildFailed", "capture", "failures", "line_of", "remember", "report"]

_collector = Collector()
_captures: list[list[tuple]] = []  # open capture() blocks, innermost last


class _ErrorCounter(logging.Handler):
    """Counts ERROR records logged anywhere during a build (Pelican's own
    "Could not process", template errors...), so strict mode catches them."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


_counter = _ErrorCounter()

# `pelican --log-handler plain` (the Makefile's default) leaves the root
# logger without handlers, so Python prints records through
# logging.lastResort -- which stops as soon as any handler is added, such as
# the counter above. This one then prints warnings and errors as plain text.
_plain = logging.StreamHandler()
_plain.setLevel(logging.WARNING)
_plain.setFormatter(logging.Formatter("%(message)s"))


class StrictBuildFailed(SystemExit):
    """Raised at the end of a strict build with errors. A SystemExit, so the
    ``pelican`` command exits with status 1 without printing a traceback."""

    def __init__(self, message: str) -> None:
        super().__init__(1)
        self.message = message

    def __str__(self) -> str:
        return self.message


def report(path, line, field, message, hint="", base=None) -> None:
    """Record and log one content error (see :class:`ContentError`)."""
    if _captures:
        _captures[-1].append((report, (str(path), line, field, message, hint, base)))
        return
    error = ContentError(display_path(str(path), base), int(line or 0), field, message, hint)
    if _collector.add(error):
        # Logged below ERROR would hide it; logged at ERROR the counter sees
        # it too, which is harmless: strict mode fails either way.
        log.error("content_errors: %s", error.format())


def remember(function, *args) -> None:
    """Call ``function(*args)``: a reader's side effect that a cached read
    must repeat (e.g. collecting tags for a check done after all files are
    read). Inside :func:`capture` the call is recorded instead. ``function``
    must be a module-level function so the record can be pickled."""
    if _captures:
        _captures[-1].append((function, args))
        return
    function(*args)


@contextlib.contextmanager
def capture():
    """Record the ``report()`` and ``remember()`` calls of the block as
    ``(function, args)`` pairs instead of making them, so a cache can store
    what a read reported and did, and replay it later with
    ``function(*args)`` (used by the fastbuild plugin)."""
    box: list[tuple] = []
    _captures.append(box)
    try:
        yield box
    finally:
        _captures.pop()


def errors() -> list[ContentError]:
    """The errors of the current build (for tests and other plugins)."""
    return list(_collector)


def failures() -> int:
    """Content errors plus other errors logged during the current build."""
    return max(_counter.count, len(_collector))


def _start(pelican) -> None:
    _collector.clear()
    _counter.count = 0
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(_plain)
    if _counter not in root.handlers:
        root.addHandler(_counter)
    if not isinstance(pelican.settings.get("STRICT_BUILD", False), bool):
        raise ValueError("content_errors: STRICT_BUILD must be True or False")


def _finish(pelican) -> None:
    logging.getLogger().removeHandler(_counter)
    if len(_collector):
        log.error("content_errors: %s", _collector.summary())
    if not pelican.settings.get("STRICT_BUILD"):
        if len(_collector):
            log.warning("content_errors: the site was built anyway; fix these before `make publish`.")
        return
    count = failures()
    if count:
        raise StrictBuildFailed(
            f"content_errors: strict build failed with {count} error(s); see above."
        )


def register():
    # initialized: reset the state of the previous build (tests run several
    # builds in one process) before any reader runs.
    signals.initialized.connect(_start)
    # finalized: every generator and writer has run, so every error is known.
    signals.finalized.connect(_finish)
