"""Each content rule of `make check` on a file that breaks it: the editor sees
`file:line: field: message — fix` in Vietnamese, and the check fails."""

import os
import unicodedata

import pytest

from helpers import article, run_make, write_files

BROKEN = {
    "articles/nfd.md": unicodedata.normalize("NFD", article(title="Bản tin dán từ máy Mac")),
    "articles/tcvn3.md": article(title="Bản tin TCVN3", body="Ph­êng §øc ThuËn tæ chøc héi nghÞ s¬ kÕt."),
    "articles/vni.md": article(title="Bản tin VNI", body="Phöôøng Ñöùc Thuaän toå chöùc hoäi nghò."),
    "articles/cp1252.md": article(title="Bản tin mã sai", body="Phường Ä‘Ã£ tá»• chá»©c há»™i nghá»‹."),
    "articles/script.md": article(title="Bản tin có mã", body="Nội dung.\n\n<script>alert('x')</script>"),
    "articles/js-link.md": article(title="Bản tin có liên kết", body="Xem [tại đây](javascript:alert(1))."),
    "articles/tuong-lai.md": article(title="Bản tin tương lai", Date="2099-01-01 08:00"),
    "articles/thieu-tom-tat.md": article(title="Bản tin thiếu tóm tắt", Summary=None),
    "articles/tom-tat-dai.md": article(title="Bản tin tóm tắt dài", Summary="Tóm tắt rất dài. " * 20),
    "articles/the-a.md": article(title="Bản tin thẻ một", Tags="Đảng ủy, bầu cử"),
    "articles/the-b.md": article(title="Bản tin thẻ hai", Tags="Đảng ủy"),
    "articles/the-c.md": article(title="Bản tin thẻ ba", Tags="đảng uỷ"),
    "articles/nhap.md": article(title="Bản nháp tương lai", Date="2099-01-01 08:00", Status="draft"),
}

EXPECTED = [  # (file, line, field, words of the message and of the fix)
    ("nfd.md", 1, "Unicode", ["NFC", "make fix"]),
    ("tcvn3.md", 6, "bảng mã", ["TCVN3", "«§øc»", "Phường Đức Thuận tổ chức hội nghị sơ kết."]),
    ("vni.md", 6, "bảng mã", ["VNI", "Phường Đức Thuận tổ chức hội nghị."]),
    ("cp1252.md", 6, "bảng mã", ["Windows-1252", "Phường đã tổ chức hội nghị."]),
    ("script.md", 8, "HTML", ["<script>", "xóa đoạn mã"]),
    ("js-link.md", 6, "liên kết", ["javascript:alert(1)"]),
    ("tuong-lai.md", 2, "Date", ["tương lai", "Status: draft"]),
    ("thieu-tom-tat.md", 1, "Summary", ["thiếu phần tóm tắt"]),
    ("tom-tat-dai.md", 4, "Summary", ["339 ký tự", "300"]),
    ("the-c.md", 5, "Tags", ["«đảng uỷ»", "«Đảng ủy»"]),
]


@pytest.fixture(scope="module")
def broken_check(tmp_path_factory):
    content = tmp_path_factory.mktemp("broken") / "content"
    write_files(content, BROKEN)
    result = run_make("check", f"INPUTDIR={content}")
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize(("name", "line", "field", "words"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_rule_reports_file_line_and_fix(broken_check, name, line, field, words):
    status, output = broken_check
    assert status != 0
    lines = [text for text in output.splitlines() if f"{name}:{line}: {field}: " in text]
    assert lines, f"no «{name}:{line}: {field}:» in:\n{output}"
    for word in words:
        assert any(word in text for text in lines), f"{word!r} missing from {lines}"


def test_correct_files_in_the_same_build_are_not_reported(broken_check):
    _, output = broken_check
    assert "the-a.md:" not in output and "the-b.md:" not in output
    assert "nhap.md:" not in output  # a draft may be dated in the future


def test_big_original_photo_is_a_warning_not_an_error(tmp_path):
    content = tmp_path / "content"
    write_files(content, {"articles/a.md": article()})
    photo = content / "media" / "anh-goc.tif"
    photo.parent.mkdir(parents=True)
    with open(photo, "wb") as handle:
        handle.truncate(16 * 1024 * 1024)  # sparse: 16 MB without writing them
    small = content / "media" / "anh-nho.tif"
    small.write_bytes(b"\0" * 1024)
    result = run_make("check", f"INPUTDIR={content}")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "anh-goc.tif: ảnh gốc: ảnh gốc nặng 16.0 MB, quá 15 MB" in output
    assert "cảnh báo" in output.split("anh-goc.tif")[0].splitlines()[-1]
    assert "anh-nho.tif" not in output


def test_make_fix_normalises_files_in_place(tmp_path):
    content = tmp_path / "content"
    nfd = unicodedata.normalize("NFD", article(title="Đảng ủy phường"))
    write_files(content, {"articles/a.md": nfd, "articles/b.md": article(title="Đúng rồi")})
    before = os.stat(content / "articles/b.md").st_mtime_ns
    result = run_make("fix", f"INPUTDIR={content}")
    assert result.returncode == 0, result.stderr
    assert "a.md" in result.stdout and "b.md" not in result.stdout
    assert (content / "articles/a.md").read_text(encoding="utf-8") == unicodedata.normalize("NFC", nfd)
    assert os.stat(content / "articles/b.md").st_mtime_ns == before
    assert run_make("check", f"INPUTDIR={content}").returncode == 0
