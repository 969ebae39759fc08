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

The shared objects are attributes of the content itself, so they are
swapped for their names in a copy of its attributes; the token types go
through the pickler's ``dispatch_table``, which the C pickler consults
only for those types (a ``persistent_id`` hook would be called from C for
each of the ~130 objects of an article, which cost more than the rest of
the pickling). A shared object found anywhere deeper is an error, not a
silent copy: the content is then not kept.

Pure logic, no Pelican import.
"""

from __future__ import annotations

import copyreg
import io
import pickle
from collections.abc import Callable, Hashable


class _Shared:
    """Stands for a shared object in the pickled attributes."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


# Named in the pickles; the unpickler swaps them for today's values (find_class).
def _shared_value(name):  # pragma: no cover - never called: see _Unpickler.find_class
    raise RuntimeError("fastbuild: a kept content was loaded without its shared objects")


def _token_value(token):  # pragma: no cover - never called: see _Unpickler.find_class
    raise RuntimeError("fastbuild: a kept content was loaded without its tokens")


_OURS = {f.__name__ for f in (_shared_value, _token_value)}


class Keeper:
    """Pickles contents that share ``shared``; objects of the exact types of
    ``tokens`` travel as the token that type's function gives."""

    def __init__(self, shared: dict[str, object], tokens: dict[type, Callable[[object], Hashable]]) -> None:
        self._names = {id(value): name for name, value in shared.items()}
        self._table = dict(copyreg.dispatch_table)
        self._table[_Shared] = lambda marker: (_shared_value, (marker.name,))
        for kind, token_of in tokens.items():
            self._table[kind] = lambda value, token_of=token_of: (_token_value, (token_of(value),))
        # A key of each shared dict (the longest): found in a pickle, it says
        # the dict itself was pickled by value.
        self._probes = [max(map(str, value), key=len).encode()
                        for value in shared.values() if isinstance(value, dict) and value]

    def dump(self, content) -> bytes:
        """``content`` pickled, its attributes that are shared values by their
        name. ValueError when a shared value is held deeper."""
        names = self._names
        state = {key: _Shared(names[id(value)]) if id(value) in names else value
                 for key, value in vars(content).items()}
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = self._table
        pickler.dump((type(content), state))
        data = buffer.getvalue()
        for probe in self._probes:
            if probe in data:
                raise ValueError(f"fastbuild: {type(content).__name__} holds a shared object below its attributes")
        return data


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, shared: dict[str, object], from_token: Callable[[Hashable], object],
                 found: dict | None) -> None:
        super().__init__(file)
        self._found = {} if found is None else found
        made: dict = {}

        def token_value(token):
            found = made.get(token)
            if found is None:
                found = made[token] = from_token(token)
            return found

        self._ours = {"_shared_value": shared.__getitem__, "_token_value": token_value}

    def find_class(self, module, name):
        if module == __name__ and name in _OURS:
            return self._ours[name]
        key = (module, name)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = super().find_class(module, name)
        return found


def load(data: bytes, shared: dict[str, object], from_token: Callable[[Hashable], object],
         found: dict | None = None):
    """What :func:`dump` pickled, with today's ``shared`` values. ``found``:
    the classes and functions already looked up by name, shared by the loads
    of one build (some 30,000 look-ups at 5,000 articles took 0.03-0.04 s)."""
    cls, state = _Unpickler(io.BytesIO(data), shared, from_token, found).load()
    content = cls.__new__(cls)
    content.__dict__.update(state)
    return content
