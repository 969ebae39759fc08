from content_errors.errors import Collector, ContentError, line_of


def test_errors_format_as_file_line_field_message_hint():
    error = ContentError("content/a.md", 3, "Category", "không có", "sửa lại")
    assert error.format() == "content/a.md:3: Category: không có — sửa lại"
    assert ContentError("content/a.md", 0, "mã hóa", "sai").format() == "content/a.md: mã hóa: sai"


def test_collector_drops_duplicates_and_sorts_the_summary():
    collector = Collector()
    assert collector.add(ContentError("b.md", 2, "Title", "x"))
    assert collector.add(ContentError("a.md", 9, "Date", "y"))
    assert not collector.add(ContentError("b.md", 2, "Title", "x"))
    assert len(collector) == 2
    assert collector.summary().splitlines()[1].strip().startswith("a.md:9")


def test_line_of():
    assert line_of("a\nb\nc", "c") == 3
    assert line_of("a", "z", default=1) == 1
