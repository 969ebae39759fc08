"""Make Pagefind's bundle byte-for-byte reproducible. Pure module.

Pagefind 1.5 writes each filter's values in hash-map order, which changes
from run to run; the filter file's name is a hash of its bytes, the language
meta file names that file, and pagefind-entry.json names the meta file. Two
builds of the same site therefore differ in those three files only. This
module sorts the values of every filter file, renames it after its new
bytes, and rewrites the meta file and the entry file to match.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

SIGNATURE = b"pagefind_dcd"  # prefix of every decompressed Pagefind file


def _head(data: bytes, i: int) -> tuple[int, int, int]:
    """(major type, argument, index after the head) of the CBOR item at ``i``."""
    major, info = data[i] >> 5, data[i] & 0x1F
    i += 1
    if info < 24:
        return major, info, i
    size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
    if size is None:
        raise ValueError("search: unexpected indefinite-length item in a Pagefind file")
    return major, int.from_bytes(data[i:i + size], "big"), i + size


def _end(data: bytes, i: int) -> int:
    """Index just after the CBOR item that starts at ``i``."""
    major, argument, i = _head(data, i)
    if major in (2, 3):  # byte and text strings
        return i + argument
    if major in (4, 5):  # arrays, maps
        for _ in range(argument * (2 if major == 5 else 1)):
            i = _end(data, i)
        return i
    if major == 6:  # tag
        return _end(data, i)
    return i  # integers, simple values


def sort_filter(raw: bytes) -> bytes:
    """A decompressed filter file ([name, [[value, pages]...]]) with its
    values sorted, so equal filters give equal bytes."""
    if not raw.startswith(SIGNATURE):
        raise ValueError("search: not a Pagefind filter file")
    body, start = raw, len(SIGNATURE)
    major, count, i = _head(body, start)
    if major != 4:
        raise ValueError("search: unexpected Pagefind filter layout")
    out = bytearray(body[:i])
    for _ in range(count):
        end = _end(body, i)
        kind, items, j = _head(body, i)
        if kind == 4:  # the list of values: sort its entries
            entries = []
            for _ in range(items):
                stop = _end(body, j)
                entries.append(body[j:stop])
                j = stop
            out += body[i:_head(body, i)[2]] + b"".join(sorted(entries))
        else:
            out += body[i:end]
        i = end
    return bytes(out)


def _short_hash(data: bytes, like: str) -> str:
    """``like`` ("vi_4febcc2") with its hex part replaced by ``data``'s hash."""
    language, _, old = like.rpartition("_")
    return f"{language}_{hashlib.sha256(data).hexdigest()[:len(old)]}"


def _write(path: Path, raw: bytes) -> None:
    path.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))


def canonicalize(bundle: Path) -> int:
    """Rewrite the filter, meta and entry files of ``bundle`` reproducibly;
    returns the number of filter files rewritten."""
    entry_path = bundle / "pagefind-entry.json"
    entry_text = entry_path.read_text(encoding="utf-8")
    entry = json.loads(entry_text)
    rewritten = 0
    for language in entry["languages"].values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = gzip.decompress(meta_path.read_bytes())
        for filter_path in sorted((bundle / "filter").glob("*.pf_filter")):
            old = filter_path.stem
            if old.encode() not in meta:
                continue  # another language's filter
            raw = sort_filter(gzip.decompress(filter_path.read_bytes()))
            new = _short_hash(raw, old)
            filter_path.unlink()
            _write(bundle / "filter" / f"{new}.pf_filter", raw)
            if meta.count(old.encode()) != 1:
                raise ValueError(f"search: {old} is named {meta.count(old.encode())} times in {meta_path.name}")
            meta = meta.replace(old.encode(), new.encode())
            rewritten += 1
        new_meta = _short_hash(meta, language["hash"])
        meta_path.unlink()
        _write(bundle / f"pagefind.{new_meta}.pf_meta", meta)
        entry_text = entry_text.replace(f'"{language["hash"]}"', f'"{new_meta}"')
    entry_path.write_text(entry_text, encoding="utf-8")
    return rewritten
