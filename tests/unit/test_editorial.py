"""Header parsing, metadata checks and the caption extension."""

import markdown
from bs4 import BeautifulSoup

from editorial.figures import FigureExtension, resolve_source
from editorial.header import parse_header
from editorial.validate import check_fields, parse_date, suggest

CATEGORIES = ["Tin tức - Sự kiện", "Xây dựng Đảng", "Kinh tế", "Thông báo"]


def test_header_fields_keep_their_line_numbers():
    fields = parse_header("Title: Hội nghị\nDate: 2022-06-10\nTags: a,\n    b\n\nBody: not a field\n")
    assert fields["title"].value == "Hội nghị" and fields["title"].line == 1
    assert fields["date"].line == 2
    assert fields["tags"].value == "a, b"
    assert "body" not in fields


def test_strict_dates():
    assert parse_date("2022-06-10 15:30").hour == 15
    assert parse_date("2022-06-10").day == 10
    assert parse_date("10/06/2022") is None
    assert parse_date("2022-13-01") is None


def test_article_needs_title_date_and_a_known_category():
    fields = parse_header("Date: mai\nCategory: Tin tuc su kien\n\nx")
    problems = {p.field: p for p in check_fields(fields, "article", CATEGORIES)}
    assert problems["Title"].line == 1
    assert problems["Date"].line == 1 and "mai" in problems["Date"].message
    assert problems["Category"].line == 2
    assert "«Tin tức - Sự kiện»" in problems["Category"].hint


def test_page_needs_only_a_title():
    assert check_fields(parse_header("Title: Giới thiệu\n\nx"), "page", CATEGORIES) == []


def test_category_suggestions_ignore_accents():
    assert suggest("xay dung dang", CATEGORIES)[0] == "Xây dựng Đảng"


def render(text, tmp_path, files=("images/a.jpg",)):
    for name in files:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    problems = []
    extension = FigureExtension(
        content_root=str(tmp_path), source_dir=str(tmp_path),
        on_problem=lambda src, field, message, hint: problems.append((src, field, message)),
    )
    html = markdown.markdown(text, extensions=[extension], output_format="html5")
    return BeautifulSoup(html, "html.parser"), problems


def test_italic_line_under_an_image_becomes_a_figcaption(tmp_path):
    soup, problems = render("![Đồng chí A](images/a.jpg)\n*Đồng chí A - Phó Bí thư phát biểu*\n", tmp_path)
    figure = soup.find("figure")
    assert figure.img["alt"] == "Đồng chí A"
    assert figure.img["src"] == "{static}/images/a.jpg"
    assert figure.figcaption.get_text() == "Đồng chí A - Phó Bí thư phát biểu"
    assert soup.find("p") is None and soup.find("em") is None
    assert problems == []


def test_image_title_becomes_a_figcaption(tmp_path):
    soup, _ = render('![Ảnh](images/a.jpg "Chủ tịch UBND phường phát biểu")\n', tmp_path)
    assert soup.figure.figcaption.get_text() == "Chủ tịch UBND phường phát biểu"
    assert not soup.figure.img.has_attr("title")


def test_caption_alone_is_enough_without_alt(tmp_path):
    soup, problems = render("![](images/a.jpg)\n*Chú thích đầy đủ*\n", tmp_path)
    assert soup.figure.figcaption and problems == []


def test_image_inside_text_is_not_a_figure(tmp_path):
    soup, _ = render("Xem ảnh ![a](images/a.jpg) ở đây.\n", tmp_path)
    assert soup.find("figure") is None


def test_image_with_neither_alt_nor_caption_is_a_problem(tmp_path):
    _, problems = render("![](images/a.jpg)\n", tmp_path)
    assert [p[1] for p in problems] == ["ảnh"] and "không có mô tả" in problems[0][2]


def test_missing_and_remote_images_are_problems(tmp_path):
    _, problems = render("![a](images/missing.jpg)\n\n![b](https://example.com/x.jpg)\n", tmp_path)
    assert "không tìm thấy" in problems[0][2] and "images/missing.jpg" in problems[0][0]
    assert "trang web khác" in problems[1][2]


def test_resolve_source_forms(tmp_path):
    root, here = str(tmp_path), str(tmp_path / "articles")
    assert resolve_source("images/a.jpg", root, here) == (f"{root}/images/a.jpg", "{static}/images/a.jpg")
    assert resolve_source("{static}/images/a.jpg", root, here)[0] == f"{root}/images/a.jpg"
    assert resolve_source("{static}a.jpg", root, here)[0] == f"{here}/a.jpg"
    assert resolve_source("https://x.vn/a.jpg", root, here)[0] is None


def test_plain_one_line_fields_get_markdowns_own_html():
    """The Summary fast path answers exactly as the portal's Markdown, for
    every Summary of the demo and the bench corpus and for lines built to
    trip it; it steps aside for anything Markdown could act on."""
    import copy  # noqa: PLC0415
    import random  # noqa: PLC0415
    import runpy  # noqa: PLC0415
    import sys  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    from editorial.plaintext import plain_paragraph, safe_extensions  # noqa: PLC0415

    root = Path(__file__).resolve().parents[2]
    config = copy.deepcopy(runpy.run_path(str(root / "pelicanconf.py"))["MARKDOWN"])
    names = [*config.get("extensions", []), *config["extension_configs"], "markdown.extensions.meta"]
    assert safe_extensions(names) and not safe_extensions([*names, "markdown.extensions.smarty"])
    md = markdown.Markdown(extensions=[*names, FigureExtension(content_root=str(root / "content"))],
                           extension_configs=config["extension_configs"], output_format="html5")
    md.preprocessors.deregister("meta")  # as Pelican does for formatted fields

    sys.path.insert(0, str(root / "bench"))
    from corpus import article_source  # noqa: PLC0415

    lines = [line[len("Summary:"):].strip() for path in sorted((root / "content").rglob("*.md"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("Summary:")]
    for index in range(300):
        _, text = article_source(index, CATEGORIES, ["images/a.jpg"])
        lines += [line[len("Summary:"):].strip() for line in text.splitlines() if line.startswith("Summary:")]
    assert len(lines) > 300
    pieces = ["Phường", "Đức", "Thuận", "5", "2021-2026", "10/6", "95%", "(HĐND)", "—", "…", ",", ".", ":", ";",
              "?", "!", "+", "-", "'", '"', "“x”", "‘y’", "*", "_", "`", "[", "]", "<b>", "&", "&amp;", "#", ">",
              "\\", "{", "}", "|", "~", "=", "^", "1.", "- ", "  ", "\t", "http://x.vn", "<http://x.vn>"]
    rng = random.Random(4)
    lines += [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    fast = 0
    for line in lines:
        md.reset()
        expected = md.convert(line)
        answer = plain_paragraph(line)
        if answer is not None:
            fast += 1
            assert answer == expected, line
    assert fast > 300  # the demo's and the corpus's summaries take the fast path
    for line in ("1. Một", "- Một", "# Một", "Một  ", "Một *hai*", "Một_hai", "Một & hai", "Một <b>", "Một\nHai"):
        assert plain_paragraph(line) is None
