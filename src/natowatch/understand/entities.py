"""The people, organisations, places and events one article names, each with all its mentions.

Paragraph-level candidates (``names``) are merged article-wide the way a reader does it: an
acronym spelled out once stands for the full name afterwards, a surname stands for the person
named in full elsewhere, and a capitalised word that opens a sentence counts only when the
article confirms it is a name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from natowatch.core.ids import entity_id
from natowatch.core.memory import archive_cache
from natowatch.core.model import Entity, EntityType, Mention, Zone
from natowatch.language.gazetteer import not_names
from natowatch.understand.dictionary import Dictionary
from natowatch.understand.names import Candidate, Kind, find_candidates

# Zones in the order their mentions are listed; mentions refer to a zone by its place here (an
# int hashes and sorts fast, an enum member does not).
_ZONES = (Zone.BODY, Zone.CAPTION, Zone.COMMENT)
# The same names recur across articles; their ids are worked out once.
_entity_id = archive_cache(maxsize=4096)(entity_id)


@dataclass
class _Found:
    """An entity being assembled: the strongest evidence so far decides its type."""

    name: str
    type: EntityType
    kind: Kind
    # (zone's place in _ZONES, paragraph, start, end, text): made Mentions, sorted, at the end
    mentions: list[tuple[int, int, int, int, str]] = field(default_factory=list)
    description: str | None = None
    wikidata: str | None = None
    refers_to: str | None = None


class _Seen(NamedTuple):
    """A candidate and where it was found (a tuple: there are tens of thousands per archive)."""

    zone: int  # place in _ZONES
    paragraph: int
    candidate: Candidate


class _Article:
    """All entities of one article, keyed by canonical name (case-folded)."""

    def __init__(self) -> None:
        self.found: dict[str, _Found] = {}
        self.acronyms: dict[str, str] = {}
        self.surnames: dict[str, set[str]] = {}
        self.names: dict[str, str] = {}

    def add(self, seen: _Seen, name: str, entity_type: EntityType, kind: Kind) -> str:
        key = name.casefold()
        entity = self.found.get(key)
        if entity is None:
            entity = self.found[key] = _Found(name, entity_type, kind)
        elif kind < entity.kind:
            entity.type, entity.kind = entity_type, kind
        known = seen.candidate.known
        if known is not None:
            entity.description = entity.description or known.description
            entity.wikidata = entity.wikidata or known.wikidata
            entity.refers_to = entity.refers_to or known.refers_to
        c = seen.candidate
        entity.mentions.append((seen.zone, seen.paragraph, c.start, c.end, c.text))
        self.names.setdefault(seen.candidate.text.casefold(), key)
        if seen.candidate.acronym:
            self.acronyms[seen.candidate.acronym] = key
        if entity.type is EntityType.PERSON and " " in name:
            self.surnames.setdefault(name.split()[-1], set()).add(key)
            self.surnames.setdefault(" ".join(name.split()[-2:]), set()).add(key)
        return key

    def resolve(self, candidate: Candidate) -> str | None:
        """The entity a short form (acronym, surname, earlier spelling) stands for, if any."""
        text = candidate.text
        if text in self.acronyms:
            return self.acronyms[text]
        if text.isalpha() and text[:1].isupper() and text[1:].islower() and len(text) >= 3:
            upper = text.upper()
            if upper in self.acronyms and text not in not_names():
                return self.acronyms[upper]
        owners = self.surnames.get(candidate.name, set())
        if len(owners) == 1 and candidate.type in (None, EntityType.PERSON):
            return next(iter(owners))
        key = candidate.name.casefold()
        if key in self.found:
            return key
        return self.names.get(text.casefold())

    def entities(self) -> tuple[Entity, ...]:
        merged: dict[str, Entity] = {}
        # One string per distinct mention text: a record pickles (and unpickles) each object
        # once, and an entity is mostly named the same way again and again.
        texts: dict[str, str] = {}
        for entity in self.found.values():
            mentions = tuple(
                Mention(texts.setdefault(text, text), paragraph, start, end, _ZONES[zone])
                for zone, paragraph, start, end, text in sorted(set(entity.mentions))
            )
            record = Entity(
                id=_entity_id(entity.name),
                name=entity.name,
                type=entity.type,
                mentions=mentions,
                description=entity.description,
                wikidata=entity.wikidata,
                refers_to=entity.refers_to,
            )
            merged.setdefault(record.id, record)
        return tuple(merged[key] for key in sorted(merged))


def find_entities(
    body: Sequence[str],
    captions: Sequence[str],
    comments: Sequence[str],
    dictionary: Dictionary,
) -> tuple[Entity, ...]:
    """Named entities of an article, sorted by id, each with its mentions in every zone.

    ``body`` holds the paragraphs, ``captions`` the image captions (index = image index) and
    ``comments`` the reader comments (index = comment index); mention offsets point into them.
    """
    seen: list[_Seen] = []
    for zone, texts in enumerate((body, captions, comments)):
        for paragraph, text in enumerate(texts):
            seen.extend(_Seen(zone, paragraph, c) for c in find_candidates(text, dictionary.table))
    article = _Article()
    later: list[_Seen] = []
    for item in seen:
        candidate = item.candidate
        if candidate.kind <= Kind.NAME and not candidate.weak and candidate.type is not None:
            if candidate.kind is Kind.NAME or candidate.kind is Kind.TITLED:
                key = article.resolve(candidate)
                if key is not None and article.found[key].type is EntityType.PERSON:
                    article.add(item, article.found[key].name, EntityType.PERSON, Kind.NAME)
                    continue
                if candidate.kind is Kind.TITLED and " " not in candidate.name:
                    later.append(item)
                    continue
            article.add(item, candidate.name, candidate.type, candidate.kind)
        else:
            later.append(item)
    for item in later:
        _add_short_form(article, item)
    return article.entities()


def _add_short_form(article: _Article, item: _Seen) -> None:
    """A lone word, acronym or sentence-opening name: linked to what the article already named."""
    candidate = item.candidate
    key = article.resolve(candidate)
    if key is not None:
        entity = article.found[key]
        article.add(item, entity.name, entity.type, Kind.WORD)
        return
    if candidate.weak:
        return
    if candidate.kind is Kind.WORD:
        entity_type = candidate.hint or EntityType.OTHER
        article.add(item, candidate.name, entity_type, Kind.WORD)
    elif candidate.type is not None:
        article.add(item, candidate.name, candidate.type, candidate.kind)
