"""`make fix`: normalise the editors' Markdown files to Unicode NFC in place.

Only files that change are rewritten (and listed); a file that is not UTF-8
is left alone and named, since guessing its encoding could lose text.
:func:`fix_text` is the pure part.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fix_text(raw: bytes) -> bytes | None:
    """The NFC form of UTF-8 ``raw`` (a BOM kept), or None when it is
    already NFC. Raises UnicodeDecodeError for a file not in UTF-8."""
    text = raw.decode("utf-8")
    fixed = unicodedata.normalize("NFC", text)
    return None if fixed == text else fixed.encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path, nargs="?", default=ROOT / "content")
    args = parser.parse_args(argv)
    status = changed = 0
    for path in sorted(args.content.rglob("*")):
        if path.suffix.lower() not in (".md", ".markdown", ".yml", ".yaml") or not path.is_file():
            continue
        try:
            fixed = fix_text(path.read_bytes())
        except UnicodeDecodeError:
            print(f"fix: {path}: không phải UTF-8, không sửa — mở tệp và lưu lại với mã hóa UTF-8", file=sys.stderr)
            status = 1
            continue
        if fixed is not None:
            path.write_bytes(fixed)
            changed += 1
            print(f"fix: đã chuẩn hóa NFC {path}")
    print(f"fix: {changed} tệp được sửa.")
    return status


if __name__ == "__main__":
    sys.exit(main())
