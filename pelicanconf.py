"""Settings of the ward portal (development build).

Everything that names the ward is in WARD below: to run the portal for
another ward or commune, edit that block (and EDITORIAL's categories).
Every setting is documented in README.md ("Settings").
"""

import os
import shlex
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(ROOT, "plugins"))  # plugins import each other's pure modules

from vietnamese.text import slugify  # noqa: E402

# --- Site identity: the one place that names the ward -----------------------
WARD = {
    "name": "Phường Đức Thuận",
    "short_name": "Đức Thuận",
    "town": "thị xã Hồng Lĩnh",
    "province": "tỉnh Hà Tĩnh",
    "portal_title": "Cổng thông tin điện tử phường Đức Thuận",
    "parent_agency": "Ủy ban nhân dân phường Đức Thuận",
    "address": "Phường Đức Thuận, thị xã Hồng Lĩnh, tỉnh Hà Tĩnh",
    "phone": "0239 3836 000",
    "email": "ducthuan@example.gov.vn",
    "responsible": "Chủ tịch UBND phường Đức Thuận",
    "licence": "Trang thông tin điện tử tổng hợp; giấy phép số …/GP-STTTT (điền số giấy phép khi được cấp)",
    # Visits counted by the old CMS before the migration; the statistics
    # plugin adds the visits it counts to this number.
    "base_counter": 2713911,
}

SITENAME = WARD["portal_title"]
SITESUBTITLE = f"{WARD['town'].capitalize()}, {WARD['province']}"
AUTHOR = WARD["parent_agency"]
SITEURL = ""
RELATIVE_URLS = False

PATH = "content"
THEME = "theme"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
DEFAULT_DATE = None  # an article without Date is an error, not "now"
DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/trang-{number}/", "{base_name}/trang-{number}/index.html"),
)

# --- Content model ----------------------------------------------------------
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
# content/images is not static: the images plugin publishes derivatives, never
# the originals (they carry GPS positions and serial numbers).
STATIC_PATHS = ["media"]
STATIC_EXCLUDES = []
IGNORE_FILES = [".*", "__pycache__", "*.tmp", "*~"]
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = ""
SLUGIFY_SOURCE = "title"

EDITORIAL = {
    "CATEGORIES": [
        "Tin tức - Sự kiện",
        "Xây dựng Đảng",
        "Chính quyền",
        "Kinh tế",
        "Văn hóa - Xã hội",
        "Quốc phòng - An ninh",
        "Thông báo",
    ],
}
STRICT_BUILD = False  # `make check` and `make publish` set it to True

# --- URLs: ASCII, Vietnamese transliterated ("Đức" -> "duc") -----------------
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
DRAFT_URL = "ban-nhap/{slug}/"
DRAFT_SAVE_AS = DRAFT_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
CATEGORY_URL = "chuyen-muc/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
CATEGORIES_SAVE_AS = ""
TAG_URL = "the/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
TAGS_URL = "the/"
TAGS_SAVE_AS = TAGS_URL + "index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_URL = "tin-tuc/"
ARCHIVES_SAVE_AS = ARCHIVES_URL + "index.html"
MONTH_ARCHIVE_URL = "tin-tuc/{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_URL + "index.html"
YEAR_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
# The home page shows a lead story, the latest news and a block per category
# (not paginated); categories and tags are paginated (numbered pages).
PAGINATED_TEMPLATES = {"category": None, "tag": None}
DIRECT_TEMPLATES = ["index", "tags", "archives", "404"]  # 404.html: served by nginx for unknown paths
SLUG_REGEX_SUBSTITUTIONS = [
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
]

# --- Markdown and typography ------------------------------------------------
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        # Heading ids keep "đ" as "d": Markdown's own slugify drops it.
        "markdown.extensions.toc": {"slugify": slugify, "permalink": False},
    },
    "output_format": "html5",
}
# Pelican's Jinja options, plus auto_reload off: a build never edits its
# templates, and the check that it did costs a stat per {% include %} (every
# list item includes a partial: 1.5 s of a 1,000-article build).
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "extensions": [], "auto_reload": False}
TYPOGRIFY = True
# Smart quotes and dashes only: "caps" wraps "UBND" but not "HĐND", and
# "widont"/"amp"/"initial_quotes" put &nbsp; or spans into titles, meta tags,
# captions and anchors (checked by the vietnamese plugin).
TYPOGRIFY_OMIT_FILTERS = ["caps", "widont", "amp", "initial_quotes"]
TYPOGRIFY_IGNORE_TAGS = ["pre", "code", "kbd", "script", "style"]

# --- Plugins ----------------------------------------------------------------
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["content_errors", "vietnamese", "editorial", "songs", "site_data", "neighbours"]
PLUGINS += ["images"]
PLUGINS += ["stats"]
PLUGINS += ["comments"]
PLUGINS += ["fingerprint"]
# fastbuild early: its `finalized` sweep of stale pages runs before Pagefind's.
PLUGINS.insert(1, "fastbuild")
# discovery before search: the sitemap is written while Pagefind indexes an
# edit's shard (search's `finalized` waits for it), not after.
PLUGINS += ["discovery", "search"]

# --- Feeds: off while developing, on in publishconf.py ----------------------
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = False

# --- Songs (plugins/songs/README.md): content/songs/*.md -> /ca-khuc/ ---------
SONGS = {
    "PATH": "songs",
    "LIST_URL": "ca-khuc/",
    "SONG_URL": "ca-khuc/{slug}/",
}

# --- Theme: menu entries after Trang chủ and the categories ------------------
MENU_LINKS = [
    ("Bản đồ", "ban-do/"),
    ("Ca khúc", "ca-khuc/"),
    ("Giới thiệu", "gioi-thieu/"),
    ("Liên hệ", "lien-he/"),
]

# --- Photos: derivatives, cache, privacy (plugins/images/README.md) ----------
# The defaults: widths 480/960/1440, WebP + JPEG, 16:9 thumbnails. `make check`
# builds in a temporary folder but shares the photo cache through
# $IMAGES_CACHE_DIR ("" = <CACHE_PATH>/images).
IMAGES = {
    "CACHE_DIR": os.environ.get("IMAGES_CACHE_DIR", ""),
    "SEED_CACHE_DIR": os.environ.get("IMAGES_SEED_CACHE_DIR", ""),  # make check: read-only
}

# --- Statistics (plugins/stats/README.md): counts from the access logs -------
# The logs can also be given on the command line: make html ACCESS_LOGS="..."
STATS = {
    "ACCESS_LOGS": [],  # e.g. ["/var/log/nginx/portal.access.log*"]
    # $STATS_DATABASE replaces it (`make check` counts into its temporary folder).
    "DATABASE": os.environ.get("STATS_DATABASE", "var/stats.sqlite3"),
}
# --- Build speed: content cache, parallel reads, changed-only writes ---------
FASTBUILD = {
    # Files outside content/ that pages are made from: a change to one of them
    # makes the next build run (one that changes nothing at all is skipped).
    # Not the statistics database: every build touches it, and it only gains
    # counts from the logs listed here (`make stats` rewrites output/ itself).
    "INPUTS": [
        *STATS["ACCESS_LOGS"],
        *shlex.split(os.environ.get("ACCESS_LOGS", "")),
        os.path.join(ROOT, "node_modules", "leaflet", "dist", "**"),
    ],
}
STATIC_CHECK_IF_MODIFIED = True  # copy a static file only when its source is newer

# --- Town map (plugins/town_map/README.md): content/data/map.yml -> /ban-do/ --
PLUGINS += ["town_map"]
TOWN_MAP = {
    "DATA": "data/map.yml",
    "URL": "ban-do/",
    "KINDS": ["Cơ quan", "Trường học", "Y tế", "Chợ"],
}
