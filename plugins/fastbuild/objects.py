"""Contents kept whole between builds.

An Article or Page as Pelican made it from its file (after the reader,
the path metadata, ``Content.__init__`` and ``is_valid``, before any plugin
added to it) is pickled, so that the next build can take it as it is
instead of making it again from the read result (about a millisecond of
Pelican's work per article). The objects every content shares (the
settings, the generator's context) are left out and given back on
loading; objects that hold the settings themselves (Category, Tag, Author)
are stored as tokens made and read by the caller. Within one content, equal
tokens give back one object, as Pelican shares one Category between the
attribute and the metadata.

Pure logic, no Pelican import.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable, Hashable


class _Pickler(pickle.Pickler):
    def __init__(self, file, shared: dict[str, object], token_of: Callable[[object], Hashable | None]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._shared = {id(value): name for name, value in shared.items()}
        self._token_of = token_of

    def persistent_id(self, obj):
        name = self._shared.get(id(obj))
        if name is not None:
            return name
        return self._token_of(obj)


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, shared: dict[str, object], from_token: Callable[[Hashable], object]) -> None:
        super().__init__(file)
        self._shared = shared
        self._from_token = from_token
        self._made: dict = {}

    def persistent_load(self, pid):
        if isinstance(pid, str):
            return self._shared[pid]
        found = self._made.get(pid)
        if found is None:
            found = self._made[pid] = self._from_token(pid)
        return found


def dump(content, shared: dict[str, object], token_of: Callable[[object], Hashable | None]) -> bytes:
    """``content`` pickled; the values of ``shared`` by their name, other
    objects for which ``token_of`` answers a token (a string is not one:
    strings name shared values) by that token."""
    buffer = io.BytesIO()
    _Pickler(buffer, shared, token_of).dump(content)
    return buffer.getvalue()


def load(data: bytes, shared: dict[str, object], from_token: Callable[[Hashable], object]):
    """What :func:`dump` pickled, with today's ``shared`` values."""
    return _Unpickler(io.BytesIO(data), shared, from_token).load()
