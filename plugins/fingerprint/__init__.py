"""fingerprint: content-hashed URLs for the theme's CSS and JavaScript.

Adds the Jinja filter ``asset``: ``{{ 'css/site.css'|asset }}`` gives
``<SITEURL>/theme/css/site.css?v=<hash>``, where the hash is taken from the
file's bytes in the theme's ``static/`` folder (or ``THEME_STATIC_PATHS``).
A changed file gets a new URL, so nginx can let browsers keep these files
for a year (``Cache-Control: immutable`` for ``?v=`` URLs, see
deploy/nginx.conf) and a new release is still seen at once.

Settings (``FINGERPRINT``): ``LENGTH`` (hex digits of the hash, default 10).
A missing file is logged as an error, so a strict build fails.
"""

from __future__ import annotations

import logging
import os

from pelican import signals

from .hashing import asset_url, find_static

log = logging.getLogger(__name__)

DEFAULTS = {
    # Hex digits of the SHA-256 content hash put in ?v=.
    "LENGTH": 10,
}


def fingerprint_settings(settings) -> dict:
    merged = {**DEFAULTS, **settings.get("FINGERPRINT", {})}
    unknown = set(merged) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"fingerprint: unknown keys in FINGERPRINT: {sorted(unknown)}")
    if not isinstance(merged["LENGTH"], int) or not 6 <= merged["LENGTH"] <= 64:
        raise ValueError("fingerprint: FINGERPRINT['LENGTH'] must be an integer between 6 and 64")
    return merged


def _static_folders(settings) -> list[str]:
    theme = settings["THEME"]
    folders = [os.path.join(theme, "static")]
    for entry in settings.get("THEME_STATIC_PATHS", []):
        folders.append(entry if os.path.isabs(entry) else os.path.join(theme, entry))
    return list(dict.fromkeys(folders))


def _add_filter(generator) -> None:
    settings = generator.settings
    length = fingerprint_settings(settings)["LENGTH"]
    folders = _static_folders(settings)
    cache: dict[str, str] = {}

    def asset(relative: str) -> str:
        if relative not in cache:
            path = find_static(folders, relative)
            if path is None:  # reported once per generator, not once per page
                log.error("fingerprint: theme file %r not found in %s", relative, ", ".join(folders))
                cache[relative] = f"{settings['SITEURL']}/{settings['THEME_STATIC_DIR']}/{relative}"
            else:
                cache[relative] = asset_url(settings["SITEURL"], settings["THEME_STATIC_DIR"], relative, path, length)
        return cache[relative]

    generator.env.filters["asset"] = asset


def _check_settings(pelican) -> None:
    fingerprint_settings(pelican.settings)


def register():
    # initialized: settings are checked before anything is read.
    signals.initialized.connect(_check_settings)
    # generator_init: each generator's Jinja environment exists; filters go in here.
    signals.generator_init.connect(_add_filter)
