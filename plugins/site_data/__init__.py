"""site_data: puts the editors' data files ``content/data/*.yml`` into the
template context as ``DATA.<file name>`` (``DATA.links`` for links.yml).

A file that is not valid YAML, or an entry that lacks a field the theme
needs (``SITE_DATA["REQUIRED_FIELDS"]``), is reported to the editor through
``content_errors.report`` with its line; the rest of the site still builds.
"""

from __future__ import annotations

import logging
import os

from pelican import signals

from content_errors import report

from .load import load_folder

log = logging.getLogger(__name__)

DEFAULTS = {
    # Folder under the content PATH holding the *.yml files.
    "PATH": "data",
    # Fields every entry of a list file must have, by file name.
    "REQUIRED_FIELDS": {"links": ["name", "url", "group"]},
}


def site_data_settings(settings) -> dict:
    merged = {**DEFAULTS, **settings.get("SITE_DATA", {})}
    unknown = set(merged) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"site_data: unknown keys in SITE_DATA: {sorted(unknown)}")
    if not isinstance(merged["PATH"], str) or not merged["PATH"]:
        raise ValueError("site_data: SITE_DATA['PATH'] must be a folder name under the content PATH")
    required = merged["REQUIRED_FIELDS"]
    if not isinstance(required, dict) or not all(isinstance(v, list) for v in required.values()):
        raise ValueError("site_data: SITE_DATA['REQUIRED_FIELDS'] must map a file name to a list of fields")
    return merged


def _check_settings(pelican) -> None:
    site_data_settings(pelican.settings)


def _load(generators) -> None:
    if not generators:
        return
    context = generators[0].context  # one dict shared by every generator
    settings = site_data_settings(context)
    folder = os.path.join(context["PATH"], settings["PATH"])
    data, errors = load_folder(folder, settings["REQUIRED_FIELDS"])
    for error in errors:
        report(error.path, error.line, error.field, error.message, error.hint)
    context["DATA"] = data
    log.debug("site_data: loaded %s from %s", sorted(data), folder)


def register():
    # initialized: settings are final; a bad SITE_DATA stops the build at once.
    signals.initialized.connect(_check_settings)
    # all_generators_finalized: every generator has filled the shared context
    # and none has written a page yet, so DATA is there for every template.
    signals.all_generators_finalized.connect(_load)
