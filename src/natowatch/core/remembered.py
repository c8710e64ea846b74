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
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Generic, Self, TypeVar

from natowatch.core.discarded import discard_later

_Value = TypeVar("_Value")


def same_objects(first: Sequence[object], second: Sequence[object]) -> bool:
    """Whether the two hold the very same objects in the same order. Compared in C, not in a
    generator: a timeline year's value is made from thousands of entries."""
    return len(first) == len(second) and all(map(operator.is_, first, second))


def same_values(
    first: object, second: object, alike: Callable[[object, object], bool] | None = None
) -> bool:
    """Whether two page data (dicts, lists, tuples of plain values) render alike: the very
    same objects, or containers of the same kind with the same keys in order and the same
    values, and plain values of the same type that are equal (floats by their ``repr``: -0.0
    equals 0.0 but is written differently; ``True`` equals 1). Anything else (a Markup
    string, a record) only as the very same object. Kept views (a record's line in the lists)
    are the same objects, so comparing a page costs far less than pickling it; the walk is a
    loop, not a call per value (878 list pages, 76,000 values a rebuild at 5,000 articles).

    ``alike(one, other)``, when given, decides for two such objects that are not the same
    (``plan.timeline_group``: two timeline entries whose views are equal)."""
    pending = [(first, second)]
    while pending:
        one, other = pending.pop()
        if one is other:
            continue
        kind = type(one)
        if kind is not type(other):
            return False
        if kind in _PLAIN:
            if one != other:
                return False
        elif kind is dict:
            assert isinstance(one, dict) and isinstance(other, dict)
            if len(one) != len(other) or list(one) != list(other):
                return False
            pending.extend(zip(one.values(), other.values(), strict=True))
        elif kind is list or kind is tuple:
            assert isinstance(one, list | tuple) and isinstance(other, list | tuple)
            if len(one) != len(other):
                return False
            pending.extend(zip(one, other, strict=True))
        elif kind is float:
            if repr(one) != repr(other):
                return False
        elif alike is None or not alike(one, other):
            return False
    return True


_PLAIN = frozenset({str, int, bool, type(None)})


_Key = TypeVar("_Key", bound=Hashable)
_Entry = TypeVar("_Entry")


class LastAndNow(Generic[_Key, _Entry]):
    """Entries the last build kept (``_last``, read by this one) and those this build keeps
    (``_now``), which replace them at ``finish``: the shape of everything a session keeps by
    what it was made from."""

    def __init__(self) -> None:
        self._last: dict[_Key, _Entry] = {}
        self._now: dict[_Key, _Entry] = {}

    def finish(self) -> None:
        """This build's entries replace the last build's (freed when idle: ``discarded``)."""
        discard_later(self._last)
        self._last, self._now = self._now, {}

    def for_reading(self) -> Self:
        """Another of these reading this one's last entries (the same dictionary, which
        neither changes) and keeping its own: for a pass whose entries the next build must
        not see (``serve``'s preview)."""
        copy = type(self)()
        copy._last = self._last
        return copy


class Remembered(LastAndNow[Hashable, tuple[tuple[object, ...], _Value]]):
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


_Name = TypeVar("_Name", bound=Hashable)
_Source = TypeVar("_Source")


class RememberedBy(LastAndNow[_Name, tuple[_Source, _Value]]):
    """``Remembered`` for values each made from one object by ``make(name, source)``: for the
    thousands of pieces of one data file, where a tuple of sources and a ``make`` closure per
    piece cost more than the lookup (``coverage.coverage_json``)."""

    def made(
        self, name: _Name, source: _Source, make: Callable[[_Name, _Source], _Value]
    ) -> _Value:
        """The last build's value for ``name`` if made from this very object, else made."""
        known = self._last.get(name)
        value = known[1] if known is not None and known[0] is source else make(name, source)
        self._now[name] = (source, value)
        return value


def same_mark(last: object, now: object) -> bool:
    """A record's mark unchanged: the same record object (``serve``), or an equal digest
    (a command-line build taking up what the last one saved: ``corpus.saved_indexes``)."""
    return last is now or (type(now) is str and last == now)


def changed_names(
    last: Mapping[str, _Entry],
    now: Mapping[str, _Entry],
    same: Callable[[_Entry, _Entry], bool] = operator.eq,
) -> frozenset[str]:
    """The names in one mapping and not the other, or whose values are not ``same``: what
    changed since the last build (records by object or digest, entities by name)."""
    return frozenset(
        name
        for name in last.keys() | now.keys()
        if name not in last or name not in now or not same(last[name], now[name])
    )
