"""images: responsive, light and metadata-free photos from editors' files.

Every photo a page shows (figures in articles and pages, covers from the
``Image`` field, listing thumbnails, the Open Graph image) is made into
derivatives by :mod:`images.pipeline`: several widths in WebP and JPEG,
16:9 thumbnails, a 1200x630 JPEG for link previews; upright, sRGB, without
EXIF/GPS/XMP/IPTC/comments. Work is cached by content hash and settings
outside output/ and runs on every core. The editors' originals are not
published (``images`` is not in ``STATIC_PATHS``).

- the ``<img>`` tags the editorial plugin put in the content are replaced by
  ``<picture>`` (with ``srcset``, ``sizes``, ``width``, ``height``) before
  Pelican writes anything;
- templates get ``images_picture(src, alt, kind, eager)`` and
  ``images_og_url(src)``, called by ``theme/templates/partials/picture.html``,
  and each article and page gets ``preview_image``: its cover, else its
  first figure (for ``og:image``);
- a photo that is not an image, is truncated or too large is a content error
  naming the article and the photo (a missing one is reported by editorial).

Settings: ``IMAGES`` (see ``plan.DEFAULTS`` and README.md in this folder).
"""

from __future__ import annotations

import logging
import os

from markupsafe import Markup, escape
from pelican import signals

from content_errors import line_of, report
from editorial.figures import resolve_source

from . import markup, plan
from .pipeline import Pipeline

log = logging.getLogger(__name__)
# The "N processed, M from cache" line belongs in every build log: shown at
# INFO, and not dropped by Pelican's LimitFilter, which silences a message
# already logged once in the process (several builds run in one process).
log.setLevel(logging.INFO)
for _filter in list(log.filters):
    log.removeFilter(_filter)

DEFAULTS = plan.DEFAULTS

MESSAGES = {
    "unreadable": (
        "tệp «{src}» không phải là ảnh hoặc không đọc được",
        "lưu ảnh dưới dạng JPEG, PNG, WebP hoặc HEIC rồi đặt lại vào content/images/<năm>/<tháng>/",
    ),
    "truncated": (
        "ảnh «{src}» bị hỏng: tệp không đầy đủ (có thể tải lên bị gián đoạn)",
        "chép lại ảnh gốc từ điện thoại hoặc máy ảnh vào content/images/<năm>/<tháng>/",
    ),
    "too-large": (
        "ảnh «{src}» quá lớn để xử lý an toàn",
        "thu nhỏ ảnh (ví dụ còn 4000 × 3000 điểm ảnh) rồi lưu lại",
    ),
}


class _State:
    """The current build: settings, the pipeline and the site's URL."""

    pipeline: Pipeline | None = None
    settings: dict = plan.check_settings({})
    content_root: str = "content"
    siteurl: str = ""

    def __init__(self) -> None:
        # picture() markup already made this build: a thumbnail appears in many
        # lists (home, category, tags, related), with the same markup each time.
        self.pictures: dict[tuple, Markup] = {}
        # The same few photos are named from thousands of contents: where each
        # name leads (pure path arithmetic), and each photo's figure markup
        # but for its alt text, are worked out once a build.
        self.sources: dict[tuple[str, str | None], tuple[str, str] | None] = {}
        self.frames: dict[tuple[str, bool], tuple[str, str]] = {}


_state = _State()


def images_settings(settings) -> dict:
    merged = plan.check_settings(settings.get("IMAGES"))
    for path in settings.get("STATIC_PATHS", []):
        if path.strip("/").split("/")[0] in ("", ".", "images"):
            raise ValueError(
                "images: STATIC_PATHS must not contain 'images' (or the whole content folder): "
                "it would publish the editors' original photos with their GPS positions"
            )
    return merged


def _start(pelican) -> None:
    settings = images_settings(pelican.settings)
    cache_dir = settings["CACHE_DIR"] or os.path.join(pelican.settings["CACHE_PATH"], "images")
    _state.settings = settings
    _state.content_root = pelican.settings["PATH"]
    _state.siteurl = pelican.settings.get("SITEURL", "")
    _state.pipeline = Pipeline(settings, cache_dir, pelican.settings["OUTPUT_PATH"])
    _state.pictures, _state.sources, _state.frames = {}, {}, {}


# --- Which photos a content object shows ------------------------------------


def _relative(disk_path: str) -> str | None:
    """Content-relative POSIX path of a file under the content folder."""
    relative = os.path.relpath(os.path.abspath(disk_path), os.path.abspath(_state.content_root))
    if relative.startswith(".."):
        return None
    return relative.replace(os.sep, "/")


def _source(src: str, base_dir: str | None = None) -> tuple[str, str] | None:
    """(content-relative path, file on disk) of a photo named in content or
    a template; ``base_dir`` resolves ``{static}x.jpg`` relative to a file."""
    key = (src, base_dir)
    if key not in _state.sources:
        path, _ = resolve_source(src, _state.content_root, base_dir or _state.content_root)
        rel = _relative(path) if path is not None else None  # None: another host, editorial reported it
        _state.sources[key] = (rel, path) if rel else None
    return _state.sources[key]


def _contents(generators) -> list:
    found = []
    for generator in generators:
        for attribute in ("articles", "translations", "drafts", "drafts_translations", "hidden_articles",
                          "hidden_translations", "pages", "hidden_pages", "draft_pages"):
            found += getattr(generator, attribute, [])
    return list({id(c): c for c in found}.values())


def _url(rel: str, name: str) -> str:
    return f"{_state.siteurl}/{_state.pipeline.url_path(rel, name)}"


def _report(content, src: str, rel: str, field: str, error: str) -> None:
    if error == "missing" or error not in MESSAGES:
        return  # editorial already says the file does not exist
    message, hint = MESSAGES[error]
    try:
        with open(content.source_path, encoding="utf-8") as handle:
            line = line_of(handle.read(), rel, 1)
    except OSError:
        line = 1
    report(content.source_path, line, field, message.format(src=src), hint)


def _forget_rendered_content(content) -> None:
    """Pelican memoizes ``get_content``; drop what was cached before the rewrite."""
    for klass in type(content).__mro__:
        memo = vars(klass).get("get_content")
        if memo is not None and hasattr(memo, "cache"):
            for key in [k for k in memo.cache if k and k[0] is content]:
                del memo.cache[key]


def _rewrite(content, sources: dict[str, tuple[str, str]]) -> None:
    settings = _state.settings

    def replace(attrs, others, index):
        found = sources.get(attrs.get("src", ""))
        if found is None:
            return None
        rel, _ = found
        result = _state.pipeline.results.get(rel)
        if result is None or result.error:
            return f'<img src="{escape(_state.siteurl + "/" + rel)}" alt="{escape(attrs.get("alt", ""))}">'
        frame = _state.frames.get((rel, index == 0))
        if frame is None:
            frame = _state.frames[rel, index == 0] = markup.picture_frame(
                result, lambda name: _url(rel, name), "figure", index == 0,
                settings["SIZES"]["figure"], settings["FORMATS"])
        html = markup.framed(frame, attrs.get("alt", ""), others)
        original = markup.original_name(result)
        if original:
            html += f'<a class="image-original" href="{escape(_url(rel, original))}" download>Tải ảnh gốc</a>'
        return html

    content._content = markup.rewrite_images(content._content, replace)
    _forget_rendered_content(content)


def _process_all(generators) -> None:
    """Find every photo of every article and page, make the derivatives
    (cache first, then all cores) and rewrite the content's <img> tags."""
    if _state.pipeline is None:
        return
    wanted: dict[str, str] = {}
    per_content = []
    for content in _contents(generators):
        figures: dict[str, tuple[str, str]] = {}
        body = getattr(content, "_content", None) or ""

        def collect(attrs, _others, _index, content=content, figures=figures):
            src = attrs.get("src", "")
            found = _source(src, os.path.dirname(content.source_path)) if src else None
            if found and found[0].lower().endswith(plan.SOURCE_EXTENSIONS):
                figures[src] = found

        markup.rewrite_images(body, collect)
        cover_src = content.metadata.get("image")
        cover = _source(cover_src) if isinstance(cover_src, str) and cover_src else None
        for rel, path in [*figures.values(), *([cover] if cover else [])]:
            wanted[rel] = path
        per_content.append((content, figures, cover_src, cover))

    pipeline = _state.pipeline
    pipeline.run(wanted)
    _unpublish_originals(generators, set(wanted))
    counts = pipeline.counts
    log.info("images: %d processed, %d from cache%s", counts.processed, counts.cached,
             f", {counts.failed} with errors" if counts.failed else "")

    for content, figures, cover_src, cover in per_content:
        for src, (rel, _) in figures.items():
            error = pipeline.results[rel].error
            if error:
                _report(content, src, rel, "ảnh", error)
        if cover and pipeline.results[cover[0]].error:
            _report(content, cover_src, cover[0], "Image", pipeline.results[cover[0]].error)
        if figures:
            _rewrite(content, figures)
        # The photo for link previews (og:image): the cover, else the first
        # figure that could be processed; None for an article without photos.
        good = [rel for rel in ([cover[0]] if cover else []) + [rel for rel, _ in figures.values()]
                if not pipeline.results[rel].error]
        content.preview_image = good[0] if good else None
    markup.img_attributes.cache_clear()  # only shared by the two passes above


def _unpublish_originals(generators, photos: set[str]) -> None:
    """Pelican copies every file a ``{static}`` link names, even outside
    STATIC_PATHS; the photos shown as derivatives must not be copied."""
    for generator in generators:
        staticfiles = getattr(generator, "staticfiles", None)
        if staticfiles is None:
            continue
        kept = []
        for static in staticfiles:
            rel = _relative(static.source_path)
            if rel in photos:
                generator.context["static_content"].pop(static.get_relative_source_path(), None)
            else:
                kept.append(static)
        generator.staticfiles[:] = kept


# --- Template functions -------------------------------------------------------


def _result_for(src: str):
    if _state.pipeline is None or not src:
        return None, None
    found = _source(str(src))
    if found is None:
        return None, None
    rel, path = found
    result = _state.pipeline.results.get(rel)
    if result is None:  # a photo only a template shows: made now, one at a time
        result = _state.pipeline.run({rel: path})[rel]
        if result.error:
            log.error("images: %s: %s", rel, MESSAGES.get(result.error, ("không đọc được ảnh",))[0].format(src=src))
    return (None, None) if result.error else (rel, result)


def images_picture(src, alt="", kind="figure", eager=False) -> Markup:
    """``<picture>`` for a photo under content/ (``images/2022/06/x.jpg``)."""
    if kind not in plan.KINDS:
        raise ValueError(f"images: picture() kind must be one of {plan.KINDS}, not {kind!r}")
    key = (str(src), str(alt or ""), kind, bool(eager))
    made = _state.pictures.get(key)
    if made is None:
        rel, result = _result_for(src)
        if result is None:
            return Markup("")
        settings = _state.settings
        made = _state.pictures[key] = Markup(markup.picture(
            result, lambda name: _url(rel, name), str(alt or ""), kind, bool(eager),
            settings["SIZES"][kind], settings["FORMATS"], keep=[("class", f"pic pic-{kind}")],
        ))
    return made


def images_og_url(src) -> str:
    """URL of the 1200x630 Open Graph JPEG of a photo ("" if none)."""
    rel, result = _result_for(src)
    name = markup.og_name(result) if result else None
    return _url(rel, name) if name else ""


def _remove_unpublished(pelican) -> None:
    if _state.pipeline is None:
        return
    removed = _state.pipeline.remove_unpublished()
    if removed:
        log.info("images: removed %d derivative(s) no page shows any more", len(removed))


def _add_template_functions(generator) -> None:
    generator.env.globals.update(images_picture=images_picture, images_og_url=images_og_url)


def register():
    # initialized: settings are checked before any file is read.
    signals.initialized.connect(_start)
    # generator_init: each generator has its own Jinja environment; the
    # template functions must be in all of them (articles, pages, indexes).
    signals.generator_init.connect(_add_template_functions)
    # all_generators_finalized: every article and page is read, nothing is
    # written yet and Pelican has not yet resolved {static} links, so the
    # content's <img> tags can still be replaced; output/ was already cleaned.
    signals.all_generators_finalized.connect(_process_all)
    # finalized: every photo a page or template shows has been published;
    # derivatives no page uses any more are removed.
    signals.finalized.connect(_remove_unpublished)
