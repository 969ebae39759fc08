"""vietnamese: Vietnamese-correct text for templates.

Adds Jinja filters that format with Babel in ``vi`` (``vi_date``,
``vi_datetime``, ``vi_time``, ``vi_number``) and ``slugify``, and checks
at start-up that the typogrify settings suit Vietnamese: smart quotes and
dashes only, no ``span.caps`` (its ASCII-only rule wraps "UBND" but not
"HĐND"), and no ``widont``/``amp`` markup that would put ``&nbsp;`` or spans
into titles, meta tags, captions and anchors.
"""

from __future__ import annotations

import logging

from pelican import signals

from .formats import vi_date, vi_datetime, vi_number, vi_time
from .text import fold, nfc, slugify

log = logging.getLogger(__name__)

__all__ = ["fold", "nfc", "slugify", "vi_date", "vi_datetime", "vi_number", "vi_time"]

FILTERS = {
    "vi_date": vi_date,
    "vi_datetime": vi_datetime,
    "vi_time": vi_time,
    "vi_number": vi_number,
    "slugify_vi": slugify,
}

# typogrify filters that add markup or non-breaking spaces (see docstring).
REQUIRED_OMITTED = {"caps", "widont", "amp", "initial_quotes"}


def _check_settings(pelican) -> None:
    settings = pelican.settings
    if settings.get("TYPOGRIFY"):
        missing = REQUIRED_OMITTED - set(settings.get("TYPOGRIFY_OMIT_FILTERS", []))
        if missing:
            raise ValueError(
                "vietnamese: TYPOGRIFY_OMIT_FILTERS must include "
                f"{sorted(missing)} for Vietnamese text (see plugins/vietnamese/README.md)"
            )
    if settings.get("DEFAULT_LANG") != "vi":
        log.warning("vietnamese: DEFAULT_LANG is %r, expected 'vi'", settings.get("DEFAULT_LANG"))


def _add_filters(generator) -> None:
    generator.env.filters.update(FILTERS)


def register():
    # initialized: settings are final, no file has been read yet.
    signals.initialized.connect(_check_settings)
    # generator_init: each generator has built its Jinja environment here.
    signals.generator_init.connect(_add_filters)
