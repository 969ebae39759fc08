"""Render signatures: which pages an edit touches.

A page is rendered from a template, the site-wide context and the values the
generator passes for that page (the article, the category and its list...).
Its *signature* hashes all of them, so a page whose signature is the one the
previous build recorded would come out byte for byte the same: it is not
rendered again. The code (templates, plugins, settings, libraries) is covered
by the build fingerprint given to :class:`Signer`.

Content objects (articles, pages, static files) enter a signature two ways:

- as the page's own object (``article=...`` or ``page=...``): everything,
  its HTML included, plus the *cards* of the contents it points to (related
  articles, older/newer...);
- anywhere else (in a list, in the context, as a neighbour): as a *card*:
  every attribute but the HTML body, with its summary and URL, and the
  contents it points to by path only. The theme shows a body only on the
  page's own object (``article.content`` in article.html), which is what
  makes this sound; a theme that shows the body of listed articles needs
  :meth:`Signer.page` to use their full signatures.

So a body edit changes one article's page (and the lists, when its summary
is taken from the body); a title edit changes the cards, hence the context,
hence every page (each shows the latest titles). Pure logic, no Pelican
import: contents are recognised by their attributes.
"""

from __future__ import annotations

import datetime as dt
import hashlib

# Attributes never hashed: the settings and the shared context (covered by
# the fingerprint and by the context's own signature), and the HTML body
# (only in a content's full signature).
_NOT_IN_CARD = frozenset({"settings", "_context", "_content"})
# Context entries that are not inputs of a page: set by the writer per page,
# or (staticfiles) a list in file-system order no template shows; the
# static files' URLs are in ``static_content``.
_NOT_IN_CONTEXT = frozenset({"output_file", "localsiteurl", "staticfiles"})
# Collections longer than this are hashed once per build (by identity: the
# context and the pages share the same lists, which do not change while
# pages are rendered).
_MEMO_LENGTH = 8
# Values encoded by repr, and collections; the exact types are looked up
# first (most values), subclasses (Markup...) found by isinstance.
_SCALAR_BASES = (str, int, float, bool, bytes, type(None))
_COLLECTION_BASES = (dict, list, tuple, set, frozenset)
_SCALARS = frozenset(_SCALAR_BASES)
_COLLECTIONS = frozenset(_COLLECTION_BASES)


def is_content(value) -> bool:
    """An Article, Page or Static (or anything shaped like one)."""
    return hasattr(value, "source_path") and hasattr(value, "_content")


def _is_wrapper(value) -> bool:
    """A Category, Tag or Author."""
    return hasattr(value, "slug") and hasattr(value, "name") and hasattr(value, "settings") and not is_content(value)


class Signer:
    """Signatures of pages for one build; contents' cards are computed once."""

    def __init__(self, base: str) -> None:
        self.base = base  # the build fingerprint
        self._cards: dict[int, tuple[str, list]] = {}  # id -> (digest, contents it points to)
        self._contexts: dict[int, str] = {}
        self._collections: dict[tuple[int, bool], tuple[str, list]] = {}
        self._alive: list = []  # keeps hashed objects alive, so ids stay theirs
        self._encoders: dict[type, object] = {_Same: _encode_other}  # a metadata marker, ~6 a card

    # --- contents --------------------------------------------------------------

    def card(self, content) -> str:
        return self._card(content)[0]

    def _card(self, content) -> tuple[str, list]:
        """The card's digest, and the contents it names by path, in order."""
        key = id(content)
        found = self._cards.get(key)
        if found is None:
            parts: list[str] = [type(content).__name__]
            refs: list = []
            append, encoders = parts.append, self._encoders
            for name, value in _own_values(content):  # _encode inlined: ~30 values a card, 5,000 cards
                append(name)
                kind = type(value)
                if kind is str:
                    append(repr(value))
                    continue
                encoder = encoders.get(kind) or self._encoder_for(kind, value)
                encoder(self, value, parts, refs)
            for name in ("url", "save_as", "summary"):
                parts.append(name)
                self._encode(_attribute(content, name), parts, refs)
            found = (_digest(parts), refs)
            self._cards[key] = found
            self._alive.append(content)
        return found

    def cards(self, piece: list, contents: list) -> list[tuple[str, list[int] | None]]:
        """The cards of ``piece``, each with the contents it points to as
        indexes in ``contents`` (None when one is not there): computed in
        another process and handed to :meth:`remember`."""
        where = {id(content): index for index, content in enumerate(contents)}
        found = []
        for content in piece:
            digest, refs = self._card(content)
            indexes = [where.get(id(ref)) for ref in refs]
            found.append((digest, None if None in indexes else indexes))
        return found

    def remember(self, piece: list, contents: list, cards: list[tuple[str, list[int] | None]]) -> None:
        """Take the cards another process computed with :meth:`cards` (a
        card whose references could not be named is computed here when asked)."""
        for content, (digest, indexes) in zip(piece, cards, strict=True):
            if indexes is not None and id(content) not in self._cards:
                self._cards[id(content)] = (digest, [contents[index] for index in indexes])
                self._alive.append(content)

    def full(self, content) -> str:
        """The card, the HTML body and the cards of the contents it points to
        (the card names them by path; their cards say what they are now)."""
        digest, refs = self._card(content)
        parts = [digest, str(getattr(content, "_content", ""))]
        parts += [self.card(ref) for ref in refs]
        return _digest(parts)

    # --- pages -----------------------------------------------------------------

    def context(self, context: dict) -> str:
        key = id(context)
        found = self._contexts.get(key)
        if found is None:
            parts = [self.base]
            for name in sorted(context):
                if not name.isupper() and name not in _NOT_IN_CONTEXT:
                    parts.append(name)
                    self._encode(context[name], parts)
            found = _digest(parts)
            self._contexts[key] = found
            self._alive.append(context)
        return found

    def page(self, name: str, template_name: str, context: dict, args: tuple, kwargs: dict) -> str:
        """Signature of one ``write_file(name, template, context, *args, **kwargs)``."""
        parts = [self.context(context), template_name, str(name)]
        self._encode(list(args), parts)
        for key in sorted(kwargs):
            parts.append(key)
            value = kwargs[key]
            if is_content(value):
                parts.append(self.full(value))
            else:
                self._encode(value, parts)
        return _digest(parts)

    # --- values ----------------------------------------------------------------

    def _encode(self, value, parts: list[str], refs: list | None = None) -> None:
        """Append a stable text form of ``value`` to ``parts``. Contents
        become their card; with ``refs`` (a card being made), their source
        path, and they are appended to ``refs``."""
        kind = type(value)
        encoder = self._encoders.get(kind)
        if encoder is None:
            encoder = self._encoder_for(kind, value)
        encoder(self, value, parts, refs)

    def _encoder_for(self, kind: type, value):
        """How values of ``kind`` are encoded, decided from the first value
        and remembered per type (a card encodes some ninety values, most of
        them of a handful of types); callables and plugins' objects are
        decided per value."""
        if kind in _SCALARS or isinstance(value, _SCALAR_BASES):
            encoder = _encode_scalar
        elif kind in _COLLECTIONS or isinstance(value, _COLLECTION_BASES):
            encoder = Signer._encode_any_collection
        elif is_content(value):
            encoder = _encode_content
        elif _is_wrapper(value):
            encoder = _encode_wrapper
        elif isinstance(value, dt.datetime | dt.date | dt.time):
            encoder = _encode_moment
        else:
            return _encode_other  # callables, plugins' objects: decided per value
        self._encoders[kind] = encoder
        return encoder

    def _encode_any_collection(self, value, parts: list[str], refs: list | None) -> None:
        if len(value) > _MEMO_LENGTH:  # long lists recur: the site's articles in each context
            digest, inner_refs = self._collection_digest(value, refs is not None)
            parts.append(digest)
            if refs is not None:
                refs += inner_refs
        else:
            self._encode_collection(value, parts, refs)

    def _collection_digest(self, value, with_refs: bool) -> tuple[str, list]:
        key = (id(value), with_refs)
        found = self._collections.get(key)
        if found is None:
            parts: list[str] = []
            refs: list | None = [] if with_refs else None
            self._encode_collection(value, parts, refs)
            found = (_digest(parts), refs or [])
            self._collections[key] = found
            self._alive.append(value)
        return found

    def _encode_collection(self, value, parts: list[str], refs: list | None) -> None:
        parts.append(f"{type(value).__name__} {len(value)}")
        if isinstance(value, dict):
            for key in sorted(value, key=repr):
                parts.append(repr(key))
                self._encode(value[key], parts, refs)
        elif isinstance(value, set | frozenset):  # no order of its own: sorted, refs too
            encoded = []
            for item in value:
                inner: list[str] = []
                inner_refs: list | None = [] if refs is not None else None
                self._encode(item, inner, inner_refs)
                encoded.append(("\0".join(inner), inner_refs or []))
            encoded.sort(key=lambda pair: pair[0])
            for text, inner_refs in encoded:
                parts.append(text)
                if refs is not None:
                    refs += inner_refs
        else:
            for item in value:
                self._encode(item, parts, refs)


def _encode_scalar(_signer, value, parts: list[str], _refs) -> None:
    parts.append(repr(value))


def _encode_content(signer: Signer, value, parts: list[str], refs: list | None) -> None:
    if refs is None:
        parts.append(signer.card(value))
    else:
        parts.append(f"ref {value.source_path}")
        refs.append(value)


def _encode_wrapper(_signer, value, parts: list[str], _refs) -> None:
    parts.append(f"{type(value).__name__} {value.name} {value.slug}")


def _encode_moment(_signer, value, parts: list[str], _refs) -> None:
    parts.append(f"{type(value).__name__} {value.isoformat()} {getattr(value, 'tzinfo', None)}")


def _encode_other(signer: Signer, value, parts: list[str], refs: list | None) -> None:
    kind = type(value)
    if callable(value):
        parts.append(f"callable {getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}")
    elif hasattr(value, "__dict__"):  # plugins' objects: songs, map data...
        parts.append(kind.__qualname__)
        signer._encode({k: v for k, v in vars(value).items() if k not in _NOT_IN_CARD}, parts, refs)
    else:
        parts.append(f"{kind.__qualname__} {value!r}")


class _Same:
    """A metadata value that is the very object of the attribute of the same
    name (Pelican sets one attribute per metadata key): encoded once, as that
    attribute."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<same as the attribute>"


_SAME = _Same()


def _own_values(content):
    """(name, value) of a content's attributes in name order, except those
    never hashed; in ``metadata``, a value that is the attribute of the same
    name is replaced by a marker."""
    attributes = vars(content)
    for name in sorted(attributes):
        if name in _NOT_IN_CARD:
            continue
        value = attributes[name]
        if name == "metadata" and type(value) is dict:
            value = {key: _SAME if attributes.get(key, _SAME) is item else item for key, item in value.items()}
        yield name, value


def _attribute(content, name: str):
    try:
        return getattr(content, name, None)
    except Exception:  # a property that cannot be computed for this content
        return None


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
