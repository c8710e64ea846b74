"""Changes to records in memory (an edit, a deletion, a new article), for tests that bring
kept cross-article indexes or page keys up to date after each one."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable

from natowatch.core.model import Article, Mention

Change = Callable[[list[Article], random.Random], None]  # changes the archive in place

SENTENCES = [
    "Officials said the alliance would review the benchmark plan in the spring.",
    "The minister told reporters the summit had been a turning point for the region.",
    "Diplomats described the talks as frank, and the delegation left without a statement.",
]


def more_mentions(mentions: tuple[Mention, ...], times: int) -> tuple[Mention, ...]:
    """The mentions ``times`` over, each copy at other offsets: an entity's mentions are
    distinct (``Entity``), so a copy at the same place would be the same mention."""
    return tuple(
        dataclasses.replace(mention, start=mention.start + 1000 * n, end=mention.end + 1000 * n)
        for n in range(times)
        for mention in mentions
    )


def add_sentence(archive: list[Article], rng: random.Random) -> None:
    index = rng.randrange(len(archive))
    article = archive[index]
    archive[index] = dataclasses.replace(article, body=(*article.body, rng.choice(SENTENCES)))


def drop_paragraph(archive: list[Article], rng: random.Random) -> None:
    index = rng.randrange(len(archive))
    article = archive[index]
    archive[index] = dataclasses.replace(article, body=article.body[1:] or ("Withdrawn.",))


def take_anothers_text(archive: list[Article], rng: random.Random) -> None:
    """Another article's entities and text under this one's id: counts change wholesale."""
    index, other = rng.sample(range(len(archive)), 2)
    archive[index] = dataclasses.replace(archive[other], id=archive[index].id)


def drop_entities(archive: list[Article], rng: random.Random) -> None:
    index = rng.randrange(len(archive))
    archive[index] = dataclasses.replace(archive[index], entities=archive[index].entities[1:])


def delete(archive: list[Article], rng: random.Random) -> None:
    archive.pop(rng.randrange(len(archive)))


def add_copy(archive: list[Article], rng: random.Random) -> None:
    article = rng.choice(archive)
    archive.append(dataclasses.replace(article, id=f"{article.id}-copy-{rng.randrange(10**6)}"))


IN_PLACE = [add_sentence, drop_paragraph, take_anothers_text, drop_entities]


def retitle(archive: list[Article], rng: random.Random) -> None:
    """What every link to the article shows (related lists, threads, quote links)."""
    index = rng.randrange(len(archive))
    archive[index] = dataclasses.replace(
        archive[index], headline=f"Retitled report {rng.randrange(10**6)}"
    )


def republish(archive: list[Article], rng: random.Random) -> None:
    """Another publisher and date: what links to the article show, though no index moves."""
    index = rng.randrange(len(archive))
    archive[index] = dataclasses.replace(
        archive[index],
        publisher=f"Gazette {rng.randrange(10**6)}",
        published=f"{rng.randint(2001, 2024)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
    )


def outname_entity(archive: list[Article], rng: random.Random) -> None:
    """One article names a shared entity otherwise, many times over: the entity's merged name
    changes, which every page showing the entity reads, articles unchanged included."""
    counts: dict[str, int] = {}
    for article in archive:
        for entity in article.entities:
            counts[entity.id] = counts.get(entity.id, 0) + 1
    shared = sorted(entity_id for entity_id, count in counts.items() if count > 1)
    target = rng.choice(shared)
    index = rng.choice(
        [i for i, item in enumerate(archive) if any(e.id == target for e in item.entities)]
    )
    article = archive[index]
    entities = tuple(
        dataclasses.replace(
            entity,
            name=f"Renamed {rng.randrange(10**6)}",
            mentions=more_mentions(entity.mentions, 50),
        )
        if entity.id == target
        else entity
        for entity in article.entities
    )
    archive[index] = dataclasses.replace(article, entities=entities)


def repeat_quotes(archive: list[Article], rng: random.Random) -> None:
    """One article reports another's quotes too (the two are linked as reports of the same
    statement when the speaker is the same), as said by the same speaker or by nobody named."""
    index, other = rng.sample(range(len(archive)), 2)
    quotes = archive[other].quotes
    if rng.random() < 0.5:
        quotes = tuple(dataclasses.replace(q, speaker=None, speaker_id=None) for q in quotes)
    archive[index] = dataclasses.replace(archive[index], quotes=archive[index].quotes + quotes)


def redate_events(archive: list[Article], rng: random.Random) -> None:
    """An article's events moved in time, made undatable, or repeated word for word with
    another qualifier (entries of one record that tie on everything the timeline sorts by)."""
    index = rng.randrange(len(archive))
    article = archive[index]
    events = list(article.events)
    for position, event in enumerate(events):
        roll = rng.random()
        if roll < 0.3:
            events[position] = dataclasses.replace(event, date=f"{rng.randint(1990, 2024)}")
        elif roll < 0.4:
            events[position] = dataclasses.replace(event, date=None)
    if events and rng.random() < 0.5:
        repeated = rng.choice(events)
        events.insert(0, dataclasses.replace(repeated, qualifier=rng.choice(["early", "late"])))
    archive[index] = dataclasses.replace(article, events=tuple(events))
