"""The word lists the entity and event finders read, loaded once from ``natowatch/data/*.yml``.

Keeping them as data means a wrong title, cue word or city is fixed by editing a YAML file, and
the Python code holds rules only, never the names of particular people or places.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

from natowatch.core.model import EntityType
from natowatch.core.yamlload import safe_load


@dataclass(frozen=True)
class Words:
    """Closed word classes used to decide which capitalised words can be names."""

    function_words: frozenset[str]
    openers: frozenset[str]
    generic_words: frozenset[str]
    generic_cues: frozenset[str]
    days: frozenset[str]
    months: frozenset[str]
    demonyms: frozenset[str]
    cues: dict[str, EntityType]
    of_heads: frozenset[str]
    connectors: frozenset[str]
    particles: frozenset[str]
    not_acronyms: frozenset[str]
    person_verbs: frozenset[str]
    place_prepositions: frozenset[str]


@dataclass(frozen=True)
class Titles:
    """Title phrases (as word tuples, periods dropped) and the modifiers that may precede them."""

    phrases: frozenset[tuple[str, ...]]
    longest: int
    modifiers: frozenset[str]
    abbreviations: frozenset[str]


@dataclass(frozen=True)
class KnownName:
    """A name the finder knows without a dictionary: a country, city, region or organisation."""

    name: str
    type: EntityType
    aliases: tuple[str, ...]


def _load(name: str) -> Any:
    text = resources.files("natowatch.language").joinpath("data", name).read_text(encoding="utf-8")
    return safe_load(text)


def _words(items: list[Any]) -> frozenset[str]:
    return frozenset(str(item) for item in items)


@functools.cache
def words() -> Words:
    """Word classes from ``words.yml``."""
    data = _load("words.yml")
    cues: dict[str, EntityType] = {}
    for type_name, cue_words in data["cues"].items():
        for word in cue_words:
            cues.setdefault(str(word), EntityType(type_name))
    return Words(
        function_words=_words(data["function_words"]),
        openers=_words(data["openers"]),
        generic_words=_words(data["generic_words"]),
        generic_cues=_words(data["generic_cues"]),
        days=_words(data["days"]),
        months=_words(data["months"]),
        demonyms=_words(data["demonyms"]),
        cues=cues,
        of_heads=_words(data["of_heads"]),
        connectors=_words(data["connectors"]),
        particles=_words(data["particles"]),
        not_acronyms=_words(data["not_acronyms"]),
        person_verbs=_words(data["person_verbs"]),
        place_prepositions=_words(data["place_prepositions"]),
    )


def _title_key(phrase: str) -> tuple[str, ...]:
    return tuple(part.rstrip(".") for part in phrase.split())


@functools.cache
def titles() -> Titles:
    """Titles from ``titles.yml``; abbreviations are the ones written with a period (``Gen.``)."""
    data = _load("titles.yml")
    phrases = frozenset(_title_key(str(item)) for item in data["titles"])
    abbreviations = frozenset(
        part.rstrip(".") for item in data["titles"] for part in str(item).split() if "." in part
    )
    return Titles(
        phrases=phrases,
        longest=max(len(phrase) for phrase in phrases),
        modifiers=_words(data["modifiers"]),
        abbreviations=abbreviations,
    )


def _known(entry: Any, default_type: EntityType) -> KnownName:
    if isinstance(entry, str):
        return KnownName(entry, default_type, ())
    return KnownName(
        str(entry["name"]),
        EntityType(entry.get("type", default_type)),
        tuple(str(alias) for alias in entry.get("aliases", ())),
    )


@functools.cache
def places() -> tuple[KnownName, ...]:
    """Countries (pycountry plus ``places.yml`` names), cities (GPE) and regions (LOC)."""
    import pycountry

    data = _load("places.yml")
    overrides: dict[str, Any] = data["countries"]
    found: list[KnownName] = []
    for country in pycountry.countries:
        override = overrides.get(country.alpha_2, {})
        names = [
            getattr(country, "common_name", None),
            country.name,
            getattr(country, "official_name", None),
        ]
        plain = [name for name in names if name and "," not in name and "(" not in name]
        canonical = override.get("name") or (plain[0] if plain else country.name)
        aliases = [*plain, *override.get("aliases", ())]
        aliases = [alias.removeprefix("the ") for alias in aliases]
        found.append(KnownName(canonical, EntityType.GPE, tuple(dict.fromkeys(aliases))))
    found.extend(_known(entry, EntityType.GPE) for entry in data["extra_countries"])
    found.extend(_known(entry, EntityType.GPE) for entry in data["cities"])
    found.extend(_known(entry, EntityType.LOC) for entry in data["regions"])
    return tuple(found)


@functools.cache
def organisations() -> tuple[KnownName, ...]:
    """Well-known organisations and named events from ``organisations.yml``."""
    data = _load("organisations.yml")
    return tuple(
        _known(entry, EntityType.ORG) for entry in [*data["organisations"], *data["events"]]
    )


@functools.cache
def named_dates() -> dict[str, str]:
    """Dates written as a name ("9/11") and the ISO day each stands for."""
    data = _load("organisations.yml")
    return {str(key): str(value) for key, value in data["named_dates"].items()}
