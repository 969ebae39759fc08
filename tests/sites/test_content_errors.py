"""Each editor's mistake stops the strict build (`make check`) with a message
naming the file and the field."""

import os

import pytest
from photos import jpeg

from helpers import ROOT, article

PHOTO = b"\xff\xd8\xff\xe0 not really a jpeg, the foundation only checks existence"


@pytest.mark.parametrize(
    ("name", "source", "field"),
    [
        ("thieu-tieu-de.md", article(title=None), "Title"),
        ("thieu-ngay.md", article(Date=None), "Date"),
        ("sai-ngay.md", article(Date="10/06/2022"), "Date"),
        ("sai-chuyen-muc.md", article(Category="Tin tuc"), "Category"),
        ("thieu-anh.md", article(body="![Đồng chí A](images/khong-co.jpg)\n*Chú thích*"), "ảnh"),
        ("anh-khong-mo-ta.md", article(body="![](images/co.jpg)"), "ảnh"),
        ("thieu-anh-dai-dien.md", article(Image="images/khong-co.jpg"), "Image"),
        ("sai-ma-hoa.md", article(body="Ph\xad\xad\xadng").encode("utf-8").replace(b"\xc2\xad", b"\xe1"), "mã hóa"),
    ],
)
def test_strict_check_names_file_and_field(run_check, name, source, field):
    result = run_check({f"articles/{name}": source, "images/co.jpg": PHOTO})
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert name in output
    assert f": {field}: " in output


def test_unknown_category_suggests_the_closest(run_check):
    result = run_check({"articles/a.md": article(Category="Xay dung dang")})
    assert result.returncode != 0
    assert "«Xây dựng Đảng»" in result.stdout + result.stderr


def test_duplicate_slug_names_both_files(run_check):
    result = run_check({
        "articles/a.md": article(title="Hội nghị sơ kết"),
        "articles/b.md": article(title="Hội nghị sơ kết", Date="2023-01-05 08:00"),
    })
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "a.md:1: Title: trùng đường dẫn «hoi-nghi-so-ket»" in output
    assert "b.md:1: Title:" in output


def test_line_number_points_at_the_field(run_check):
    result = run_check({"articles/a.md": article(Category="Không có")})
    assert "a.md:3: Category:" in result.stdout + result.stderr


SKIPPED = {".venv", "node_modules", ".pytest_cache", ".ruff_cache", "__pycache__", "screenshots", ".git"}


def project_files() -> dict[str, tuple[int, int]]:
    """Every file of the project (caches and var/ included) with its size and mtime."""
    files = {}
    for folder, subfolders, names in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED]
        for name in names:
            stat = os.stat(os.path.join(folder, name))
            files[os.path.relpath(os.path.join(folder, name), ROOT)] = (stat.st_size, stat.st_mtime_ns)
    return files


def test_a_correct_site_passes_and_writes_nothing_in_the_project(run_check):
    photo = {"images/2022/06/a.jpg": jpeg()}
    source = article(body="![Đồng chí A phát biểu](images/2022/06/a.jpg)\n*Đồng chí A phát biểu*")
    before = project_files()
    result = run_check({"articles/a.md": source, "pages/gioi-thieu.md": "Title: Giới thiệu\n\nPhường.\n", **photo})
    assert result.returncode == 0, result.stdout + result.stderr
    after = project_files()
    changed = sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))
    assert changed == []


def test_non_strict_build_reports_but_builds_the_rest(build_tiny):
    build = build_tiny({
        "articles/tot.md": article(title="Bài đúng"),
        "articles/loi.md": article(title="Bài lỗi", Category="Sai"),
    })
    assert not build.failed
    assert (build.output / "2022/06/bai-dung/index.html").exists()
    assert not (build.output / "2022/06/bai-loi/index.html").exists()
    assert [e.field for e in build.errors] == ["Category"]


def test_strict_in_process_build_fails(build_tiny):
    build = build_tiny({"articles/loi.md": article(Date="hôm qua")}, strict=True)
    assert build.failed
