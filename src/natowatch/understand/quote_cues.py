"""The word lists the quote finder reads: ``data/quotes.yml`` (speech verbs, pronouns, words that
end a speaker phrase) plus the lexicon's closed word classes, loaded once.

Kept apart so that every step of finding quotes reads the same cues, and so the cues stay data:
editing ``quotes.yml`` changes them without touching code.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

from natowatch.core.yamlload import safe_load
from natowatch.language.lexicon import titles, words


@dataclass(frozen=True)
class Cues:
    """The word lists of ``quotes.yml`` plus the lexicon's closed classes that end a speaker."""

    verbs: frozenset[str]
    object_verbs: frozenset[str]
    adverbs: frozenset[str]
    person_pronouns: frozenset[str]
    thing_pronouns: frozenset[str]
    pronouns: frozenset[str]
    parentheticals: frozenset[str]
    determiners: frozenset[str]
    connectors: frozenset[str]
    after_speaker: frozenset[str]
    stops: frozenset[str]
    abbreviations: frozenset[str]


def _strings(items: Any) -> frozenset[str]:
    """Refuses YAML's surprises: an unquoted ``on`` or ``no`` in a list loads as a boolean."""
    if not all(isinstance(item, str) for item in items):
        raise ValueError(f"quotes.yml: quote the non-text words in {items!r}")
    return frozenset(items)


@functools.cache
def load_cues() -> Cues:
    """Loaded once: editing ``quotes.yml`` changes the cues without touching code."""
    text = resources.files("natowatch.understand").joinpath("data", "quotes.yml").read_text("utf-8")
    data = safe_load(text)
    pronouns = data["pronouns"]
    lexicon = words()
    closed = lexicon.function_words | lexicon.openers | lexicon.days  # not months: "Jan", "May"
    stops = closed | {word.lower() for word in lexicon.function_words}
    return Cues(
        verbs=_strings(data["verbs"]),
        object_verbs=_strings(data["object_verbs"]),
        adverbs=_strings(data["adverbs"]) | lexicon.days,
        person_pronouns=_strings(pronouns["person"]),
        thing_pronouns=_strings(pronouns["thing"]),
        pronouns=_strings(pronouns["person"] + pronouns["thing"] + pronouns["other"]),
        parentheticals=_strings(data["parentheticals"]),
        determiners=_strings(data["determiners"]),
        connectors=_strings(data["connectors"]),
        after_speaker=_strings(data["after_speaker"]),
        stops=frozenset(stops),
        abbreviations=_strings(data["abbreviations"]) | titles().abbreviations,
    )
