"""Page input keys kept between a session's builds (``publish.kept_keys``) are, after any
sequence of changes, the keys made afresh; and only the pages an edit reaches are keyed again."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from pathlib import Path

import pytest
from benchmarks.generate import generate_corpus, write_archive

from natowatch.archive.config import Config
from natowatch.archive.loader import load_archive
from natowatch.core.model import Article
from natowatch.corpus.coverage import build_coverage
from natowatch.corpus.index import KeptEntities, build_entity_index
from natowatch.corpus.kept import KeptIndexes
from natowatch.publish import page_inputs, plan
from natowatch.publish.kept_keys import KeptPageKeys
from natowatch.publish.page_inputs import RecordDigests
from record_changes import (
    IN_PLACE,
    Change,
    add_copy,
    delete,
    more_mentions,
    outname_entity,
    repeat_quotes,
    republish,
    retitle,
)

CONFIG = Config(items_per_page=3)  # entities with several pages


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> list[Article]:
    folder: Path = tmp_path_factory.mktemp("archive")
    write_archive(generate_corpus(48, seed=11), folder)
    return load_archive(folder)


CHANGES: list[Change] = [
    *IN_PLACE,
    retitle,
    republish,
    outname_entity,
    repeat_quotes,
    repeat_quotes,
    delete,
    add_copy,
]


def page_keys(
    archive: list[Article],
    digests: RecordDigests,
    entities: KeptEntities | None = None,
    kept: KeptPageKeys | None = None,
    indexes: KeptIndexes | None = None,
) -> dict[str, str]:
    """Every article and entity page's input key, as ``render_into`` plans them; ``indexes``
    keeps the coverage between calls as ``serve`` does (unchanged parts the same objects)."""
    ordered = sorted(archive, key=lambda article: article.id)
    groups = plan.plan_site(
        ordered,
        build_coverage(ordered, None, indexes),
        CONFIG,
        build_entity_index(ordered, entities),
        digests=digests,
        kept_keys=kept,
    ).groups()
    return {path: key for group in groups for path, key in (group.inputs or {}).items()}


def with_a_long_story(records: list[Article]) -> list[Article]:
    """Nine reports of one story a day apart, quoting nobody: a thread longer than an article
    page's window and than its related list, so a page links thread members that nothing
    else it reads (related list, quote links) names."""
    story = records[0]
    reports = [
        dataclasses.replace(
            story, id=f"story-{day}", slug=f"story-{day}", published=f"2020-03-1{day}", quotes=()
        )
        for day in range(9)
    ]
    return [*records, *reports]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_keys_equal_fresh_ones_after_any_changes(records, seed):
    rng = random.Random(seed)
    archive = with_a_long_story(records)
    digests, entities, kept = RecordDigests(), KeptEntities(), KeptPageKeys()
    indexes = KeptIndexes()
    assert page_keys(archive, digests, entities, kept, indexes) == page_keys(
        archive, RecordDigests()
    )
    for _ in range(14):
        rng.choice(CHANGES)(archive, rng)
        if rng.random() < 0.3:  # two changes in one rebuild
            rng.choice(CHANGES)(archive, rng)
        expected = page_keys(archive, RecordDigests())
        assert page_keys(archive, digests, entities, kept, indexes) == expected


def test_an_edit_keys_again_only_the_pages_it_reaches(records, monkeypatch):
    archive = list(records)
    digests, entities, kept = RecordDigests(), KeptEntities(), KeptPageKeys()
    page_keys(archive, digests, entities, kept)
    made: list[str] = []
    real_article, real_entity = page_inputs.article_page_inputs, page_inputs.entity_page_keys

    def article_keyed(article, *rest):
        made.append(article.id)
        return real_article(article, *rest)

    def entity_keyed(entity, *rest):
        made.append(entity.id)
        return real_entity(entity, *rest)

    monkeypatch.setattr(plan, "article_page_inputs", article_keyed)
    monkeypatch.setattr(plan, "entity_page_keys", entity_keyed)
    page_keys(archive, digests, entities, kept)
    assert made == []  # nothing changed: every key kept
    edited = archive[7]
    archive[7] = dataclasses.replace(edited, body=(*edited.body, "Officials said little more."))
    page_keys(archive, digests, entities, kept)
    assert edited.id in made
    own = {entity.id for entity in edited.entities}
    assert own <= set(made)  # its entities' pages list its new record
    assert len(made) < (len(archive) + len(own)) / 2


def test_an_entity_keyed_again_hashes_only_the_pages_showing_a_changed_record(records):
    """Given its last keys, an entity of many pages whose records changed on one page only
    re-hashes that page; every key is the one made afresh."""
    archive = sorted(records, key=lambda article: article.id)
    index = build_entity_index(archive)
    entity = max(index.values(), key=lambda entity: len(entity.articles))
    pages = page_inputs.entity_page_keys(entity, RecordDigests(), index, 3, {})
    assert len(pages.keys) > 3
    edited = page_inputs.newest_appearances(entity.articles)[4].article  # on the second page
    place = archive.index(edited)
    archive[place] = dataclasses.replace(edited, body=(*edited.body, "Officials said little."))
    index = build_entity_index(archive)
    asked: list[str] = []

    class Counted(RecordDigests):
        def of(self, article: Article) -> str:
            asked.append(article.id)
            return super().of(article)

    again = page_inputs.entity_page_keys(index[entity.id], Counted(), index, 3, {}, pages)
    assert again.keys == page_inputs.entity_page_inputs(
        index[entity.id], RecordDigests(), index, 3, {}
    )
    assert again.keys != pages.keys
    assert edited.id in asked and len(asked) <= 3  # the records of its page only


def replace_record(archive: list[Article], article_id: str, **changes: object) -> None:
    index = next(i for i, article in enumerate(archive) if article.id == article_id)
    archive[index] = dataclasses.replace(archive[index], **changes)


def by_id(archive: list[Article], article_id: str) -> Article:
    return next(article for article in archive if article.id == article_id)


def test_a_place_page_sees_the_entity_it_refers_to_renamed(records):
    """A place standing for another entity shows that entity's name, which can change while
    the place's own records do not."""
    archive = list(records)
    holder = archive[0]
    counts: dict[str, list[str]] = {}
    for article in archive:
        for entity in article.entities:
            counts.setdefault(entity.id, []).append(article.id)
    place = next(e for e in holder.entities if counts[e.id] == [holder.id])
    referred = next(
        entity_id
        for entity_id, holders in sorted(counts.items())
        if holder.id not in holders and len(holders) > 1
    )
    replace_record(
        archive,
        holder.id,
        entities=tuple(
            dataclasses.replace(e, refers_to=referred) if e.id == place.id else e
            for e in holder.entities
        ),
    )
    digests, entities, kept = RecordDigests(), KeptEntities(), KeptPageKeys()
    before = page_keys(archive, digests, entities, kept)
    namer = by_id(archive, counts[referred][0])
    replace_record(
        archive,
        namer.id,
        entities=tuple(
            dataclasses.replace(
                e, name="Another Name Entirely", mentions=more_mentions(e.mentions, 50)
            )
            if e.id == referred
            else e
            for e in namer.entities
        ),
    )
    after = page_keys(archive, digests, entities, kept)
    assert after == page_keys(archive, RecordDigests())
    assert after[f"entities/{place.id}.html"] != before[f"entities/{place.id}.html"]


def test_a_thread_page_sees_a_member_it_is_not_related_to_change(records):
    """A page shows its thread's members on either side, related or not: one given another
    publisher (which no similarity reads) changes the page though no list it reads moved."""
    archive = with_a_long_story(records)
    digests, entities, kept = RecordDigests(), KeptEntities(), KeptPageKeys()
    before = page_keys(archive, digests, entities, kept)
    replace_record(archive, "story-8", publisher="Another Gazette")
    after = page_keys(archive, digests, entities, kept)
    assert after == page_keys(archive, RecordDigests())
    assert after["articles/story-4.html"] != before["articles/story-4.html"]


def test_a_speaker_page_sees_reports_of_its_quotes_come_and_change(records):
    """A speaker's page lists, under each quote, the other articles reporting it: a report
    added to another article, then that article retitled, change the page's quotes view."""
    archive = list(records)
    quoted = Counter(q.speaker_id for article in archive for q in article.quotes if q.speaker_id)
    source = next(a for a in archive if any(quoted[q.speaker_id] == 1 for q in a.quotes))
    quote = next(q for q in source.quotes if quoted[q.speaker_id] == 1)
    reporter = next(article for article in archive if article.id != source.id)
    page = f"entities/{quote.speaker_id}.html"
    digests, entities, kept = RecordDigests(), KeptEntities(), KeptPageKeys()
    before = page_keys(archive, digests, entities, kept)
    replace_record(archive, reporter.id, quotes=(*reporter.quotes, quote))
    after = page_keys(archive, digests, entities, kept)
    assert after == page_keys(archive, RecordDigests())
    assert after[page] != before[page]
    replace_record(archive, reporter.id, headline="A headline no other article has")
    retitled = page_keys(archive, digests, entities, kept)
    assert retitled == page_keys(archive, RecordDigests())
    assert retitled[page] != after[page]


def test_an_articles_reads_are_kept_only_while_every_source_is_the_same(records):
    """``KeyRound.article_reads`` gives the last build's reads only for the same record,
    related list, thread and quote links (by identity) and the same publisher link and place
    in the thread; any other source makes them again (here each one, alone, is changed)."""
    from natowatch.corpus.quote_links import QuoteRef
    from natowatch.corpus.threads import Thread
    from natowatch.publish.page_inputs import article_reads

    quoted = next(article for article in records if any(q.speaker_id for q in article.quotes))
    repeat = dataclasses.replace(quoted, id="repeat", slug="repeat")  # reports its quotes again
    archive = sorted([*with_a_long_story(records), repeat], key=lambda article: article.id)
    coverage = build_coverage(archive)
    index = build_entity_index(archive)
    kept = KeptPageKeys()
    href = "publishers/a.html"

    def reads(article, cov, link=href):
        keys = kept.round({a.id: a for a in archive}, index)
        made = keys.article_reads(article, cov, link)
        keys.finish()
        return made

    threaded = by_id(archive, "story-4")
    first = reads(threaded, coverage)
    assert reads(threaded, coverage) is first
    thread = coverage.thread_of[threaded.id]
    longer = Thread(thread.id, (*thread.articles, "another-report"))
    variants = {
        "thread": {"thread_of": {**coverage.thread_of, threaded.id: longer}},
        "place": {"thread_position": {**coverage.thread_position, threaded.id: 0}},
        "related": {
            "related": {**coverage.related, threaded.id: coverage.related[threaded.id][:1]}
        },
    }
    for name, fields in variants.items():
        changed = dataclasses.replace(coverage, **fields)
        reads(threaded, coverage)
        assert reads(threaded, changed) == article_reads(threaded, changed, href) != first, name
    reads(threaded, coverage)
    assert reads(threaded, coverage, "publishers/b.html").publisher_href == "publishers/b.html"
    quoting = by_id(archive, "repeat")
    assert any(QuoteRef("repeat", n) in coverage.quote_links for n in range(len(quoting.quotes)))
    with_links = reads(quoting, coverage)
    unlinked = dataclasses.replace(coverage, quote_links={})
    assert reads(quoting, unlinked) == article_reads(quoting, unlinked, href) != with_links
