"""discovery: what lets search engines and feed readers find the news.

- ``sitemap.xml`` with ``lastmod`` for the home page, every category, the
  archive, every article, page and song (plus the menu's extra links such as
  /ban-do/), written once the whole site is, listing only addresses that
  exist in the output folder;
- ``robots.txt`` that points to the sitemap;
- each article's cover image (``Image``; with the images plugin, its Open
  Graph JPEG) as an enclosure of its entry in Pelican's Atom and RSS feeds
  (the feeds themselves are Pelican's, turned on in publishconf.py);
- JSON from templates' ``tojson`` keeps Vietnamese letters readable instead
  of ``\\uXXXX`` escapes (partials/jsonld.html writes the structured data).
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from feedgenerator import Enclosure
from pelican import signals

from fastbuild.outputs import write_if_changed

from .feeds import enclosure_for, link_key
from .sitemap import Entry, output_file, robots_txt, sitemap_xml, unique

log = logging.getLogger(__name__)

DEFAULTS = {
    # Output path of the sitemap; "" writes none.
    "SITEMAP": "sitemap.xml",
    # Output path of robots.txt; "" writes none.
    "ROBOTS": "robots.txt",
    # Folders crawlers are asked to skip (drafts, the search index).
    "ROBOTS_DISALLOW": ["ban-nhap/", "pagefind/"],
    # Put each article's cover image into its feed entries as an enclosure.
    "FEED_IMAGES": True,
}

_entries: list[Entry] = []  # collected after the generators ran, written at the end


def discovery_settings(settings) -> dict:
    merged = {**DEFAULTS, **settings.get("DISCOVERY", {})}
    unknown = set(merged) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"discovery: unknown keys in DISCOVERY: {sorted(unknown)}")
    for key in ("SITEMAP", "ROBOTS"):
        if not isinstance(merged[key], str):
            raise ValueError(f"discovery: DISCOVERY[{key!r}] must be a path or ''")
    if merged["ROBOTS"] and not merged["SITEMAP"]:
        raise ValueError("discovery: DISCOVERY['ROBOTS'] needs DISCOVERY['SITEMAP'] to point to")
    if not all(isinstance(path, str) for path in merged["ROBOTS_DISALLOW"]):
        raise ValueError("discovery: DISCOVERY['ROBOTS_DISALLOW'] must be a list of paths")
    if not isinstance(merged["FEED_IMAGES"], bool):
        raise ValueError("discovery: DISCOVERY['FEED_IMAGES'] must be True or False")
    return merged


def _start(pelican) -> None:
    pelican.settings["DISCOVERY"] = discovery_settings(pelican.settings)
    _entries.clear()


def _readable_json(generator) -> None:
    policy = generator.env.policies.get("json.dumps_kwargs") or {}
    generator.env.policies["json.dumps_kwargs"] = {**policy, "ensure_ascii": False}


def _lastmod(content, timezone) -> datetime:
    """modified, else date; a page without either: its file's last change."""
    for attribute in ("modified", "date"):
        value = getattr(content, attribute, None)
        if isinstance(value, datetime):
            return value
    return datetime.fromtimestamp(os.path.getmtime(content.source_path), tz=timezone)


def _collect(generators) -> None:
    if not generators:
        return
    articles, contents, categories = [], [], []
    for generator in generators:
        articles += getattr(generator, "articles", [])
        categories += getattr(generator, "categories", [])
        for attribute in ("pages", "songs"):  # songs: plugins/songs
            contents += getattr(generator, attribute, [])
    settings = generators[0].settings
    timezone = ZoneInfo(settings["TIMEZONE"])
    newest = max((_lastmod(a, timezone) for a in articles), default=None)
    entries = [Entry("", newest)]
    if settings.get("ARCHIVES_SAVE_AS"):
        entries.append(Entry(settings["ARCHIVES_URL"], newest))
    for category, category_articles in categories:
        entries.append(Entry(category.url, max(_lastmod(a, timezone) for a in category_articles)))
    entries += [Entry(content.url, _lastmod(content, timezone)) for content in [*articles, *contents]]
    for _, url in settings.get("MENU_LINKS", []):
        if "://" not in url:  # a section such as ca-khuc/: as new as its newest item
            path = url.lstrip("/")
            inside = [e.lastmod for e in entries if e.path.startswith(path) and e.path != path and e.lastmod]
            entries.append(Entry(path, max(inside, default=None)))
    _entries[:] = unique(entries)


def _published_image(context, image: str) -> str:
    """Address of the photo the site publishes for a cover ``image``: with the
    images plugin its Open Graph JPEG (originals are not published), else the
    file itself."""
    if "images" in context.get("PLUGINS", []):
        from images import images_og_url  # noqa: PLC0415 (only when that plugin runs)

        return images_og_url(image)
    return urljoin(context["SITEURL"] + "/", image)


def _feed_images(context, feed) -> None:
    if not context["DISCOVERY"]["FEED_IMAGES"]:
        return
    site = context["SITEURL"] + "/"
    by_link = {link_key(urljoin(site, a.url)): a for a in context.get("articles", [])}
    for item in feed.items:
        article = by_link.get(link_key(item["link"]))
        image = getattr(article, "image", None) if article else None
        url = _published_image(context, image) if image else ""
        found = enclosure_for(Path(context["OUTPUT_PATH"]), context["SITEURL"], url) if url else None
        if found:
            item["enclosures"] = [Enclosure(url, *found)]


def _write(pelican) -> None:
    config = pelican.settings["DISCOVERY"]
    if not config["SITEMAP"]:
        return
    output = Path(pelican.settings["OUTPUT_PATH"])
    site_url = pelican.settings["SITEURL"].rstrip("/")
    present = []
    for entry in _entries:
        if os.path.isfile(output_file(str(output), entry.path)):
            present.append(entry)
        else:
            log.warning("discovery: /%s is not in the output; left out of the sitemap", entry.path)
    # Written only when it changed: an unchanged file keeps its mtime, so
    # rsync (make publish) and browsers see nothing new.
    written = write_if_changed(str(output / config["SITEMAP"]), sitemap_xml(site_url, present).encode("utf-8"))
    log.info("discovery: %s %s with %d addresses", "wrote" if written else "kept", config["SITEMAP"], len(present))
    if config["ROBOTS"]:
        text = robots_txt(site_url, config["SITEMAP"], config["ROBOTS_DISALLOW"])
        write_if_changed(str(output / config["ROBOTS"]), text.encode("utf-8"))


def register():
    # initialized: settings are final; check them and reset the previous build.
    signals.initialized.connect(_start)
    # generator_init: each generator's Jinja environment exists here.
    signals.generator_init.connect(_readable_json)
    # all_generators_finalized: every article, page and category is known.
    signals.all_generators_finalized.connect(_collect)
    # feed_generated: the feed's items exist but are not written yet.
    signals.feed_generated.connect(_feed_images)
    # finalized: every file is written, so the sitemap lists only real files.
    signals.finalized.connect(_write)
