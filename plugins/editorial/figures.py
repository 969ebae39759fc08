"""Markdown extension: officials' photos with captions become <figure>s.

Editors write an image alone in its paragraph with an italic caption on the
next line::

    ![Đồng chí A báo cáo](images/2022/06/a.jpg)
    *Đồng chí A - Phó Bí thư thường trực Đảng ủy phường báo cáo ...*

or the image's title: ``![alt](src "caption")``. Both become::

    <figure><img alt="..." src="..."><figcaption>...</figcaption></figure>

Every image is checked: one with neither alt text nor caption, one loaded
from another host, or one whose file is missing is reported through the
``on_problem(src, field, message, hint)`` callback. Image sources relative to
the content folder (``images/...``) are rewritten to Pelican's
``{static}/images/...`` form. Pure logic, no Pelican import.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as etree
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

Problem = Callable[[str, str, str, str], None]

STATIC_PREFIXES = ("{static}", "{attach}", "|static|", "|attach|")


def resolve_source(src: str, content_root: str, source_dir: str) -> tuple[str | None, str]:
    """Return (file on disk or None for a remote URL, src to emit).

    ``images/a.jpg`` and ``/images/a.jpg`` are relative to the content root;
    ``{static}/images/a.jpg`` too; ``{static}a.jpg`` is relative to the file.
    """
    parts = urlsplit(src)
    if parts.scheme or src.startswith("//"):
        return None, src
    for prefix in STATIC_PREFIXES:
        if src.startswith(prefix):
            rest = unquote(src[len(prefix):])
            if rest.startswith("/"):
                return os.path.join(content_root, rest.lstrip("/")), src
            return os.path.join(source_dir, rest), src
    path = unquote(parts.path).lstrip("/")
    return os.path.join(content_root, path), "{static}/" + src.lstrip("/")


def _only_whitespace(text: str | None) -> bool:
    return not text or not text.strip()


class FigureProcessor(Treeprocessor):
    def __init__(self, md, extension: FigureExtension):
        super().__init__(md)
        self.ext = extension

    def run(self, root: etree.Element) -> None:
        captioned: set[int] = set()  # id() of images that have a caption
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "p":
                    self._maybe_figure(parent, index, child, captioned)
        for img in root.iter("img"):
            self._check_image(img, id(img) in captioned)

    def _maybe_figure(self, parent, index, p, captioned: set[int]) -> None:
        children = list(p)
        if not _only_whitespace(p.text) or not children or children[0].tag != "img":
            return
        img = children[0]
        figure = etree.Element("figure")
        if len(children) == 1 and _only_whitespace(img.tail):
            title = (img.attrib.pop("title", "") or "").strip()
            if title:
                etree.SubElement(figure, "figcaption").text = title
        elif (
            len(children) == 2
            and children[1].tag == "em"
            and _only_whitespace(img.tail)
            and _only_whitespace(children[1].tail)
        ):
            img.attrib.pop("title", None)
            em = children[1]
            figcaption = etree.SubElement(figure, "figcaption")
            figcaption.text = em.text
            figcaption.extend(list(em))
        else:
            return
        if "".join(figure.itertext()).strip():
            captioned.add(id(img))
        img.tail = None
        figure.insert(0, img)
        figure.tail = p.tail
        parent.remove(p)
        parent.insert(index, figure)

    def _check_image(self, img, has_caption: bool) -> None:
        src = img.get("src", "")
        alt = (img.get("alt") or "").strip()
        report = self.ext.getConfig("on_problem")
        if not alt and not has_caption:
            report(src, "ảnh", f"ảnh «{src}» không có mô tả (alt) và không có chú thích",
                   "viết mô tả trong ngoặc vuông: ![Đồng chí A phát biểu](...) và thêm chú thích in nghiêng ở dòng ngay dưới ảnh")
        path, new_src = resolve_source(src, self.ext.getConfig("content_root"), self.ext.getConfig("source_dir"))
        if path is None:
            report(src, "ảnh", f"ảnh «{src}» lấy từ trang web khác",
                   "tải ảnh về, đặt vào thư mục content/images/<năm>/<tháng>/ và dùng đường dẫn images/...")
            return
        if not os.path.isfile(path):
            report(src, "ảnh", f"không tìm thấy tệp ảnh «{src}»",
                   "kiểm tra tên tệp (phân biệt chữ hoa, chữ thường) và đặt ảnh trong content/images/<năm>/<tháng>/")
        img.set("src", new_src)


class FigureExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "content_root": ["content", "the content folder"],
            "source_dir": ["content", "the folder of the file being converted"],
            "on_problem": [lambda src, field, message, hint: None, "called for each problem"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        processor = FigureProcessor(md, self)
        # After "inline" (20), which turns ![..](..) into <img>, and before
        # "prettify" (10).
        md.treeprocessors.register(processor, "ward_figures", 15)
