"""The map's data file (``content/data/map.yml``) read with line numbers.

Pure logic, no Pelican import. :func:`load_map` returns a :class:`MapData`
and the problems found, each with the line and field, as editors' messages
in Vietnamese. Positions are checked against the image size by
:func:`check_positions` once the image has been opened.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

import yaml

from editorial.validate import Problem, suggest
from vietnamese.text import slugify

FORMAT_HINT = "xem mẫu ở đầu tệp content/data/map.yml"


@dataclasses.dataclass
class Point:
    name: str
    kind: str
    address: str
    x: int
    y: int
    link: str = ""
    line: int = 0
    position_line: int = 0

    @property
    def kind_slug(self) -> str:
        return slugify(self.kind)

    @property
    def anchor(self) -> str:
        return "diem-" + slugify(self.name)


@dataclasses.dataclass
class MapData:
    title: str
    image: str  # path under content/
    alt: str
    intro: str = ""
    illustrative: bool = False
    points: list[Point] = dataclasses.field(default_factory=list)
    image_line: int = 1


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers on which line each mapping key stands."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__lines__"] = {key.value: key.start_mark.line + 1 for key, _ in node.value}
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def _text(mapping: dict, key: str) -> str:
    value = mapping.get(key)
    return str(value).strip() if value is not None else ""


def _line(mapping: dict, key: str) -> int:
    return mapping.get("__lines__", {}).get(key, mapping.get("__line__", 1))


def _position(value) -> tuple[int, int] | None:
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        return None
    return round(value[0]), round(value[1])


def _link_ok(link: str) -> bool:
    parts = urlsplit(link)
    if parts.scheme:
        return parts.scheme in ("http", "https") and bool(parts.netloc)
    return not link.startswith("//")


def _point(item, kinds: list[str], problems: list[Problem]) -> Point | None:
    if not isinstance(item, dict):
        problems.append(Problem(1, "points", "mỗi địa điểm phải là một nhóm name, kind, address, position", FORMAT_HINT))
        return None
    before = len(problems)
    fields = {key: _text(item, key) for key in ("name", "kind", "address", "link")}
    for key, what in (("name", "tên địa điểm"), ("address", "địa chỉ")):
        if not fields[key]:
            problems.append(Problem(_line(item, key), key, f"thiếu {what}", f"thêm dòng `{key}: …` cho địa điểm này"))
    if fields["kind"] not in kinds:
        close = suggest(fields["kind"], kinds) if fields["kind"] else []
        problems.append(Problem(
            _line(item, "kind"), "kind", f"loại «{fields['kind']}» không có trong danh sách",
            (f"có phải ý bạn là «{close[0]}»? " if close else "") + "dùng một trong: " + ", ".join(kinds),
        ))
    position = _position(item.get("position"))
    if position is None:
        problems.append(Problem(
            _line(item, "position"), "position", "vị trí phải là hai số [ngang, dọc] (điểm ảnh tính từ góc trên bên trái)",
            "ví dụ `position: [3150, 1720]`",
        ))
    if fields["link"] and not _link_ok(fields["link"]):
        problems.append(Problem(_line(item, "link"), "link", f"liên kết «{fields['link']}» không hợp lệ",
                                "ghi đường dẫn trong cổng (vd. `lien-he/`) hoặc địa chỉ bắt đầu bằng https://"))
    if len(problems) > before or position is None:
        return None
    return Point(fields["name"], fields["kind"], fields["address"], position[0], position[1], fields["link"], _line(item, "name"),
                 _line(item, "position"))


def load_map(text: str, kinds: list[str]) -> tuple[MapData | None, list[Problem]]:
    """Parse the data file's text; None with the problems when unusable."""
    try:
        document = yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return None, [Problem(mark.line + 1 if mark else 1, "YAML", f"tệp không đúng cú pháp YAML ({getattr(error, 'problem', error)})",
                              "kiểm tra thụt lề (dùng dấu cách, không dùng tab) và dấu hai chấm sau mỗi tên trường")]
    if not isinstance(document, dict):
        return None, [Problem(1, "YAML", "tệp phải bắt đầu bằng các trường title, image, points", FORMAT_HINT)]
    problems: list[Problem] = []
    image = _text(document, "image")
    if not image:
        problems.append(Problem(_line(document, "image"), "image", "thiếu ảnh bản đồ", "thêm dòng `image: maps/<tên tệp ảnh>`"))
    points_value = document.get("points") or []
    if not isinstance(points_value, list):
        problems.append(Problem(_line(document, "points"), "points", "points phải là danh sách địa điểm", FORMAT_HINT))
        points_value = []
    points = [p for p in (_point(item, kinds, problems) for item in points_value) if p is not None]
    anchors: dict[str, Point] = {}
    for point in points:
        if point.anchor in anchors:
            problems.append(Problem(point.line, "name", f"trùng tên địa điểm với dòng {anchors[point.anchor].line}",
                                    "đặt tên khác cho một trong hai địa điểm"))
        anchors.setdefault(point.anchor, point)
    title = _text(document, "title") or "Bản đồ"
    data = MapData(
        title=title, image=image, alt=_text(document, "alt") or title, intro=_text(document, "intro"),
        illustrative=bool(document.get("illustrative", False)), points=points, image_line=_line(document, "image"),
    )
    return (None if problems else data), problems


def check_positions(points: list[Point], width: int, height: int) -> list[Problem]:
    """Problems for points lying outside a ``width``×``height`` image."""
    return [
        Problem(point.position_line, "position",
                f"vị trí [{point.x}, {point.y}] của «{point.name}» nằm ngoài ảnh bản đồ ({width}×{height})",
                f"ngang từ 0 đến {width - 1}, dọc từ 0 đến {height - 1}")
        for point in points
        if not (0 <= point.x < width and 0 <= point.y < height)
    ]
