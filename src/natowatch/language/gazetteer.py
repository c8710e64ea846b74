"""The built-in table of names every archive shares: countries, cities, regions, organisations.

An archive dictionary refines it; this table lets articles from any outlet be read without one.
"""

from __future__ import annotations

import functools

from natowatch.language import lexicon
from natowatch.language.nametable import Known, NameTable


@functools.cache
def not_names() -> frozenset[str]:
    """Capitalised words that must never be read as an acronym's spelling ("Who" is not WHO)."""
    words = lexicon.words()
    return words.function_words | words.openers | words.generic_words | words.days | words.months


@functools.cache
def gazetteer() -> NameTable:
    """Every built-in name and alias, mapped to its canonical name and type."""
    entries: list[tuple[str, Known]] = []
    for item in (*lexicon.organisations(), *lexicon.places()):
        known = Known(item.name, item.type)
        entries.append((item.name, known))
        entries.extend((alias, known) for alias in item.aliases)
    return NameTable(entries, not_names())


@functools.cache
def _place_names() -> frozenset[str]:
    return frozenset(
        name.casefold() for item in lexicon.places() for name in (item.name, *item.aliases)
    )


def is_place(text: str) -> bool:
    """True for a country, city or region the built-in table knows ("New Delhi")."""
    return text.strip().casefold() in _place_names()
