"""Read a folder of YAML data files into a dict; pure, no Pelican import."""

from __future__ import annotations

import os

import yaml

from content_errors.errors import ContentError
from vietnamese.text import nfc


def load_folder(folder: str, required: dict[str, list[str]]) -> tuple[dict, list[ContentError]]:
    """Return ({file stem: data}, errors) for every ``*.yml`` in ``folder``.

    Strings are NFC-normalised. A file that cannot be read is left out of
    the result; an entry missing a required field is left out of its list.
    """
    data: dict = {}
    errors: list[ContentError] = []
    if not os.path.isdir(folder):
        return data, errors
    for name in sorted(os.listdir(folder)):
        stem, ext = os.path.splitext(name)
        if ext not in {".yml", ".yaml"}:
            continue
        path = os.path.join(folder, name)
        value, error = _read(path)
        if error:
            errors.append(error)
            continue
        if stem in required:
            value, problems = _check_entries(path, value, required[stem])
            errors.extend(problems)
        data[stem] = value
    return data, errors


def _read(path: str):
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except UnicodeDecodeError:
        return None, ContentError(path, 0, "tệp", "tệp không được lưu ở dạng UTF-8", "lưu lại tệp với bảng mã UTF-8")
    try:
        return _nfc(yaml.safe_load(text)), None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        return None, ContentError(path, line, "YAML", f"tệp dữ liệu viết sai cú pháp: {exc.problem}",
                               "mỗi mục bắt đầu bằng «- name: …», các dòng sau thụt vào 2 dấu cách")


def _check_entries(path: str, value, fields: list[str]):
    if value is None:
        return [], []
    if not isinstance(value, list):
        return [], [ContentError(path, 1, "tệp", "tệp phải là một danh sách các mục", "mỗi mục bắt đầu bằng «- »")]
    kept, errors = [], []
    lines = _entry_lines(path)
    for index, entry in enumerate(value):
        line = lines[index] if index < len(lines) else 0
        missing = [f for f in fields if not isinstance(entry, dict) or not str(entry.get(f) or "").strip()]
        if missing:
            errors.append(ContentError(path, line, ", ".join(missing), f"mục thứ {index + 1} thiếu trường {', '.join(missing)}",
                                    f"mỗi mục cần đủ các trường: {', '.join(fields)}"))
            continue
        kept.append(entry)
    return kept, errors


def _entry_lines(path: str) -> list[int]:
    """Line numbers (1-based) where top-level list entries start."""
    with open(path, encoding="utf-8") as handle:
        return [number for number, line in enumerate(handle, 1) if line.startswith("- ")]


def _nfc(value):
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    return value
