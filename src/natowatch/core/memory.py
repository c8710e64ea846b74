"""Give the memory a build has freed back to the operating system before the search indexers.

Python frees a build's records before Pagefind starts (the build's memory peak is the main
process and Pagefind together), but the C heap keeps the freed pages: at 2,000 articles the main
process still held 262 MB after freeing them, and 215 MB once glibc's ``malloc_trim`` had
returned the free pages. Elsewhere (macOS, musl, Windows) there is no such call: nothing is done.

The bounded caches of values made from the archive's text (sentence offsets of paragraphs, slugs,
links, dates) hold strings of the records after the records are freed, and pin the memory around
them: at 2,000 articles clearing them took the main process from 222 to 150 MB before Pagefind.
``archive_cache`` marks such a cache so that ``forget_archive_caches`` can empty them all.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar, cast

from natowatch.core.remembered import same_objects

_Function = TypeVar("_Function", bound=Callable[..., Any])
_Item = TypeVar("_Item")
_ARCHIVE_CACHES: list[Any] = []


def archive_cache(maxsize: int) -> Callable[[_Function], _Function]:
    """``functools.lru_cache(maxsize)``, emptied by ``forget_archive_caches``: for caches whose
    keys or values come from the articles (not from the rules or word lists)."""

    def decorate(function: _Function) -> _Function:
        cached = functools.lru_cache(maxsize=maxsize)(function)
        _ARCHIVE_CACHES.append(cached)
        return cast(_Function, cached)

    return decorate


class SameObjects(Generic[_Item]):
    """A sequence of objects as a cache key that matches only the very same objects, in the
    same order (records are immutable, so a value made from them still holds): hashed and
    compared by identity, not by the records' fields. The key holds the objects, so their
    identities stay theirs while it is cached."""

    __slots__ = ("_hash", "items")

    def __init__(self, items: Iterable[_Item]) -> None:
        self.items = tuple(items)
        self._hash = hash(tuple(map(id, self.items)))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SameObjects) and same_objects(self.items, other.items)


def forget_archive_caches() -> None:
    """Empty every ``archive_cache``: the build is done with the records they were made from."""
    for cached in _ARCHIVE_CACHES:
        cached.cache_clear()


def return_freed_memory() -> bool:
    """Hand the C heap's free pages back to the OS; False where the C library cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return False
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    trim(0)
    return True
