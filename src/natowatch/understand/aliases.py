"""Cross-article alias resolution: a short form in one article joins the full name of another.

Each article is understood on its own, so an article that only ever writes "Rutte" or "IAEA"
files them under entities of their own, apart from "Mark Rutte" and "International Atomic Energy
Agency" elsewhere in the archive. Here the whole archive is consulted, but only when the answer
is unambiguous: exactly one full name in the archive fits the short form. One pass builds the
lookup tables and one pass renames, so the cost is linear in the archive.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from natowatch.core.model import ZONE_ORDER, Article, Entity, EntityType, Event, Mention, Quote
from natowatch.core.remembered import Remembered

_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,7}")  # "IDF", "UNHCR", "G7", "AT&T" (dots removed)
_CONNECTORS = frozenset({"of", "for", "the", "and", "on", "in", "de", "du", "des", "la", "le"})


class KeptRenames:
    """The records the last build of this process renamed (``natowatch serve``), each with the
    record it was made from and the rename tables.

    Renaming makes new record objects; made afresh on every build, they would count as
    changed records to everything that keeps work by record identity (entities, page keys,
    data file pieces), so every article with a short form would be redone after any edit.
    """

    def __init__(self) -> None:
        self.tables: tuple[dict[str, str], dict[str, str]] | None = None
        self.records: Remembered[Article] = Remembered()
        # What each record adds to the lookup tables (``find_renames``), by record object.
        self.parts: Remembered[RenameParts] = Remembered()

    def for_reading(self) -> KeptRenames:
        """A copy reading what this one kept and keeping its own (``previewed_aliases``)."""
        copy = KeptRenames()
        copy.tables = self.tables
        copy.records, copy.parts = self.records.for_reading(), self.parts.for_reading()
        return copy


class PartsByMark:
    """What each record adds to ``find_renames``, by the record's mark (its digest): saved by
    a command-line build for the next (``corpus.saved_indexes``), as ``KeptRenames.parts`` is
    kept by ``serve`` by record object. ``now`` holds this build's records' parts."""

    def __init__(
        self, mark: Callable[[Article], str], last: Mapping[str, RenameParts] | None = None
    ) -> None:
        self.mark = mark
        self.last = last or {}
        self.now: dict[str, RenameParts] = {}

    def of(self, article: Article) -> RenameParts:
        mark = self.mark(article)
        parts = self.last.get(mark)
        if parts is None:
            parts = _parts_of(article)
        self.now[mark] = parts
        return parts


def resolve_aliases(
    articles: Sequence[Article],
    kept: KeptRenames | None = None,
    marked: PartsByMark | None = None,
) -> list[Article]:
    """The articles with short-form entities renamed to the one full-name entity they stand for.

    A PERSON written with one word takes the id and name of the only multi-word PERSON in the
    archive whose name ends with that word; a bare acronym ORG takes the only ORG elsewhere
    whose mentions include that acronym or whose initials spell it. Entities carrying a
    Wikidata id are left alone (they were identified by the dictionary). Quote speakers and
    event entity lists follow the renames; entities that end up sharing an id are merged.
    ``kept`` holds the last build's renamed records: one renamed from the same record object
    with the same tables is reused. Without it, ``marked`` holds the parts of the last
    command-line build's records.
    """
    renames = find_renames(articles, kept.parts if kept is not None else None, marked)
    if not renames:
        if kept is not None:
            kept.tables = None
            kept.records.finish()  # none kept
        return list(articles)
    names = _canonical_names(articles, set(renames.values()))
    if kept is None:
        return [_rename_article(article, renames, names) for article in articles]
    same_tables = kept.tables == (renames, names)
    renamed = []
    for article in articles:
        known = kept.records.get(article.id, (article,)) if same_tables else None
        result = known if known is not None else _rename_article(article, renames, names)
        if result is not article:
            kept.records.put(article.id, (article,), result)
        renamed.append(result)
    kept.tables = (renames, names)
    kept.records.finish()
    return renamed


def previewed_aliases(articles: Sequence[Article], kept: KeptRenames) -> list[Article]:
    """``resolve_aliases(articles, kept)`` without changing ``kept``: for a preview
    (``natowatch.preview``), which renders an edited article before the rebuild and must leave
    what the last build kept to that rebuild. Each record's parts and renamed form are the kept
    ones where it is the same object (all but the edited records), so this costs the edited
    records' parts instead of every record's (0.45 s of each preview at 5,000 articles)."""
    return resolve_aliases(articles, kept.for_reading())


@dataclasses.dataclass(frozen=True)
class RenameParts:
    """What one record adds to ``find_renames``: (surname, person id) and (acronym, org id)
    for its full names, and (entity id, is a person, short form) for its short forms."""

    surnames: tuple[tuple[str, str], ...]
    acronyms: tuple[tuple[str, str], ...]
    short_forms: tuple[tuple[str, bool, str], ...]


def find_renames(
    articles: Iterable[Article],
    kept: Remembered[RenameParts] | None = None,
    marked: PartsByMark | None = None,
) -> dict[str, str]:
    """Short-form entity id -> full-name entity id, for every unambiguous short form.

    ``kept`` holds each record's parts from the last build (``serve``): reused for the same
    record object, as the mention texts and initials of 5,000 records cost 0.1 s a rebuild.
    ``marked`` (a command-line build) holds them by the records' digests."""
    if marked is not None and kept is None:
        parts = [marked.of(article) for article in articles]
    else:
        parts = [_rename_parts(article, kept) for article in articles]
    if kept is not None:
        kept.finish()
    surnames: dict[str, set[str]] = defaultdict(set)
    acronyms: dict[str, set[str]] = defaultdict(set)
    for part in parts:
        for surname, person in part.surnames:
            surnames[surname].add(person)
        for acronym, org in part.acronyms:
            acronyms[acronym].add(org)
    renames: dict[str, str] = {}
    for part in parts:
        for entity_id, is_person, form in part.short_forms:
            if entity_id in renames:
                continue
            owners = (surnames if is_person else acronyms).get(form, set())
            if len(owners) == 1 and entity_id not in owners:
                renames[entity_id] = next(iter(owners))
    return renames


def _rename_parts(article: Article, kept: Remembered[RenameParts] | None) -> RenameParts:
    if kept is None:
        return _parts_of(article)
    return kept.made(article.id, (article,), functools.partial(_parts_of, article))


def _parts_of(article: Article) -> RenameParts:
    surnames: list[tuple[str, str]] = []
    acronyms: list[tuple[str, str]] = []
    short_forms: list[tuple[str, bool, str]] = []
    for entity in article.entities:
        if entity.type is EntityType.PERSON and _is_full_name(entity.name):
            surnames.extend(
                (full.split()[-1].casefold(), entity.id) for full in _person_forms(entity)
            )
        elif entity.type is EntityType.ORG and _is_full_name(entity.name):
            acronyms.extend((acronym, entity.id) for acronym in _acronyms_of(entity))
        if entity.wikidata:
            continue
        if entity.type is EntityType.PERSON and _is_single_word(entity.name):
            short_forms.append((entity.id, True, entity.name.casefold()))
        elif entity.type is EntityType.ORG and (acronym := _bare_acronym(entity.name)):
            short_forms.append((entity.id, False, acronym))
    return RenameParts(tuple(surnames), tuple(acronyms), tuple(short_forms))


def _is_single_word(name: str) -> bool:
    return len(name.split()) == 1


def _is_full_name(name: str) -> bool:
    return len(name.split()) > 1


def _person_forms(entity: Entity) -> set[str]:
    """The multi-word spellings of a person: the name and any multi-word mention."""
    forms = {entity.name} | {mention.text for mention in entity.mentions}
    return {" ".join(form.split()) for form in forms if _is_full_name(form)}


def _bare_acronym(text: str) -> str | None:
    """The acronym ``text`` is ("I.D.F." -> "IDF"), or None if it is not one."""
    compact = text.replace(".", "").strip()
    return compact if _ACRONYM.fullmatch(compact) else None


def _acronyms_of(entity: Entity) -> set[str]:
    """Acronyms a full-name ORG is known by: acronym mentions and its initials."""
    found = {
        acronym
        for mention in entity.mentions
        if (acronym := _bare_acronym(mention.text)) is not None and acronym != entity.name
    }
    words = [word for word in re.split(r"[\s\-–]+", entity.name) if word]
    initials = "".join(word[0] for word in words if word.casefold() not in _CONNECTORS)
    if len(initials) >= 2 and initials.isalpha():
        found.add(initials.upper())
    return found


def _canonical_names(articles: Iterable[Article], ids: set[str]) -> dict[str, str]:
    """The name each rename target goes by: its most-mentioned spelling, then the longest."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        for entity in article.entities:
            if entity.id in ids:
                counts[entity.id][entity.name] += max(len(entity.mentions), 1)
    return {
        entity_id: min(names, key=lambda name: (-names[name], -len(name), name))
        for entity_id, names in counts.items()
    }


def _rename_article(
    article: Article, renames: Mapping[str, str], names: Mapping[str, str]
) -> Article:
    touched = {entity.id for entity in article.entities} & renames.keys()
    touched |= {
        entity_id for event in article.events for entity_id in event.entities
    } & renames.keys()
    touched |= {quote.speaker_id for quote in article.quotes if quote.speaker_id} & renames.keys()
    if not touched:
        return article
    return dataclasses.replace(
        article,
        entities=_renamed_entities(article.entities, renames, names),
        events=tuple(_renamed_event(event, renames) for event in article.events),
        quotes=tuple(_renamed_quote(quote, renames) for quote in article.quotes),
    )


def _renamed_entities(
    entities: Iterable[Entity], renames: Mapping[str, str], names: Mapping[str, str]
) -> tuple[Entity, ...]:
    """Entities under their new ids, same-id entities merged, sorted by id as the loader does."""
    grouped: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities:
        grouped[renames.get(entity.id, entity.id)].append(entity)
    merged: list[Entity] = []
    for entity_id in sorted(grouped):
        group = grouped[entity_id]
        if len(group) == 1 and group[0].id == entity_id:
            merged.append(group[0])
            continue
        # The full-name entity (if the article has it) leads; the short form adds its mentions.
        group.sort(key=lambda entity: (entity.id != entity_id, entity.id))
        lead = group[0]
        merged.append(
            dataclasses.replace(
                lead,
                id=entity_id,
                name=lead.name if lead.id == entity_id else names.get(entity_id, lead.name),
                mentions=_merged_mentions(mention for e in group for mention in e.mentions),
                description=_first(e.description for e in group),
                wikidata=_first(e.wikidata for e in group),
                refers_to=_first(e.refers_to for e in group),
            )
        )
    return tuple(merged)


def _merged_mentions(mentions: Iterable[Mention]) -> tuple[Mention, ...]:
    return tuple(
        sorted(
            set(mentions),
            key=lambda m: (ZONE_ORDER.get(m.zone, len(ZONE_ORDER)), m.paragraph, m.start, m.end),
        )
    )


def _first(values: Iterable[str | None]) -> str | None:
    return next((value for value in values if value), None)


def _renamed_event(event: Event, renames: Mapping[str, str]) -> Event:
    if not renames.keys() & set(event.entities):
        return event
    entities = tuple(
        dict.fromkeys(renames.get(entity_id, entity_id) for entity_id in event.entities)
    )
    return dataclasses.replace(event, entities=tuple(sorted(entities)))


def _renamed_quote(quote: Quote, renames: Mapping[str, str]) -> Quote:
    if quote.speaker_id is None or quote.speaker_id not in renames:
        return quote
    return dataclasses.replace(quote, speaker_id=renames[quote.speaker_id])
