"""Values one build made, each from some objects, kept for the next build of the same process
(``natowatch serve``, which keeps unchanged records as the same objects).

Records, merged entities and their parts are immutable, so a value made from the very same
objects is the same value: the similarities' shared entities, merged entities, a speaker's quote
links, data file pieces and renamed records are all kept this way. Each build ``put``s every
value it uses and ``finish`` makes those the ones kept, so nothing outlives the last build that
used it.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

from natowatch.core.discarded import discard_later

_Value = TypeVar("_Value")


def same_objects(first: Sequence[object], second: Sequence[object]) -> bool:
    """Whether the two hold the very same objects in the same order. Compared in C, not in a
    generator: a timeline year's value is made from thousands of entries."""
    return len(first) == len(second) and all(map(operator.is_, first, second))


def same_values(first: object, second: object) -> bool:
    """Whether two page data (dicts, lists, tuples of plain values) render alike: the very
    same objects, or containers of the same kind with the same keys in order and the same
    values, and plain values of the same type that are equal (floats by their ``repr``: -0.0
    equals 0.0 but is written differently; ``True`` equals 1). Kept views (a record's line in
    the lists) are the same objects, so comparing a page costs far less than pickling it."""
    if first is second:
        return True
    kind = type(first)
    if kind is not type(second):
        return False
    if kind is dict:
        assert isinstance(first, dict) and isinstance(second, dict)
        return list(first) == list(second) and all(
            same_values(value, second[key]) for key, value in first.items()
        )
    if kind is list or kind is tuple:
        assert isinstance(first, list | tuple) and isinstance(second, list | tuple)
        return len(first) == len(second) and all(map(same_values, first, second))
    if kind is float:
        return repr(first) == repr(second)
    if kind in (str, int, bool, type(None)):
        return first == second
    return False  # anything else (a Markup string, a date): not known to be the same


class Remembered(Generic[_Value]):
    def __init__(self) -> None:
        self._last: dict[Hashable, tuple[tuple[object, ...], _Value]] = {}
        self._now: dict[Hashable, tuple[tuple[object, ...], _Value]] = {}

    def get(self, name: Hashable, sources: tuple[object, ...]) -> _Value | None:
        """The last build's value for ``name`` if it was made from these very objects."""
        known = self._last.get(name)
        if known is None or not same_objects(known[0], sources):
            return None
        return known[1]

    def last(self, name: Hashable) -> _Value | None:
        """The last build's value for ``name``, whatever it was made from (to make a new one
        from, where its parts made from the same objects are still true)."""
        known = self._last.get(name)
        return None if known is None else known[1]

    def put(self, name: Hashable, sources: tuple[object, ...], value: _Value) -> _Value:
        """Keep ``value`` (made from ``sources``) for the next build; returns it."""
        self._now[name] = (sources, value)
        return value

    def made(
        self, name: Hashable, sources: tuple[object, ...], make: Callable[[], _Value]
    ) -> _Value:
        """The last build's value for ``name`` if it was made from these very objects, else
        ``make()``; kept for the next build either way (``get``, then ``put``)."""
        known = self.get(name, sources)
        return self.put(name, sources, make() if known is None else known)

    def finish(self) -> None:
        """This build's values replace the last build's (freed when idle: ``discarded``)."""
        discard_later(self._last)
        self._last, self._now = self._now, {}
