"""Fingerprints: what a cached result depends on besides its own file.

A cached read is only valid for the same settings, the same plugin and theme
code and the same library versions. :func:`build_fingerprint` hashes all of
them into one short string that is part of every cache key, so editing
``pelicanconf.py``, a plugin, a template or upgrading Markdown invalidates
the cache without anyone deleting it. Pure logic, no Pelican import.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import sys
import types

# Settings that say where things go, not what they contain.
IGNORED_SETTINGS = frozenset({"OUTPUT_PATH", "CACHE_PATH", "FASTBUILD", "DELETE_OUTPUT_DIRECTORY",
                              "OUTPUT_RETENTION", "LOAD_CONTENT_CACHE", "CACHE_CONTENT"})
LIBRARIES = ("pelican", "Markdown", "typogrify", "smartypants", "Jinja2", "Babel", "Unidecode")


def stable_repr(value) -> str:
    """A repr that is the same in every process for the same settings value:
    no memory addresses, sets sorted, functions by module and name."""
    if isinstance(value, dict):
        items = sorted((stable_repr(k), stable_repr(v)) for k, v in value.items())
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(stable_repr(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(stable_repr(v) for v in value)) + "}"
    return _scalar_repr(value)


def _scalar_repr(value) -> str:
    if isinstance(value, (str, int, float, bool, type(None))):
        return repr(value)
    if isinstance(value, types.ModuleType):
        return f"<module {value.__name__}>"
    if callable(value) and hasattr(value, "__qualname__"):
        return f"<callable {getattr(value, '__module__', '?')}.{value.__qualname__}>"
    text = repr(value)
    if " at 0x" in text:  # an object without a meaningful repr: its type and state
        state = getattr(value, "__dict__", None)
        return f"<{type(value).__module__}.{type(value).__qualname__} {stable_repr(state)}>"
    return text


def settings_digest(settings: dict) -> str:
    kept = {k: v for k, v in settings.items() if k not in IGNORED_SETTINGS and k.isupper()}
    return hashlib.sha256(stable_repr(kept).encode("utf-8", "surrogatepass")).hexdigest()


def tree_digest(folders) -> str:
    """Hash of the names and bytes of every file under ``folders``
    (compiled Python files skipped)."""
    digest = hashlib.sha256()
    for folder in folders:
        if not os.path.isdir(folder):
            digest.update(f"missing {folder}\n".encode())
            continue
        for dirpath, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
            for name in sorted(files):
                if name.endswith((".pyc", ".pyo")) or name.startswith("."):
                    continue
                path = os.path.join(dirpath, name)
                digest.update(os.path.relpath(path, folder).encode("utf-8", "surrogateescape") + b"\0")
                with open(path, "rb") as handle:
                    digest.update(hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()


def library_versions() -> str:
    versions = [sys.version]
    for name in LIBRARIES:
        try:
            versions.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} missing")
    return ";".join(versions)


def build_fingerprint(settings: dict, code_folders) -> str:
    """One hash of the settings, the code under ``code_folders`` (plugins,
    theme) and the libraries' versions."""
    digest = hashlib.sha256()
    for part in (settings_digest(settings), tree_digest(code_folders), library_versions()):
        digest.update(part.encode("utf-8") + b"\n")
    return digest.hexdigest()[:32]
