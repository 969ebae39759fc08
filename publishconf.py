"""Production settings: pelicanconf.py plus an absolute SITEURL, feeds and a
strict build. `make publish` uses this file."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("SITEURL", "https://ducthuan.example.gov.vn")
RELATIVE_URLS = False

FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/{slug}.rss.xml"

DELETE_OUTPUT_DIRECTORY = True
STRICT_BUILD = True

# `make publish` (tools/publish.py; defaults documented in README.md).
PUBLISH = {
    "KEEP_RELEASES": 5,
}
