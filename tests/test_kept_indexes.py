"""The cross-article indexes kept between a session's builds (``corpus.kept``) are, after any
sequence of changes, bit for bit those computed afresh."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from benchmarks.generate import generate_corpus, write_archive

from natowatch.archive.loader import load_archive
from natowatch.core.model import Article
from natowatch.corpus import index as index_module
from natowatch.corpus import kept_similarities, kept_timeline, quote_links, similar
from natowatch.corpus.coverage import build_coverage
from natowatch.corpus.index import KeptEntities, build_entity_index, build_timeline
from natowatch.corpus.kept import KeptIndexes
from natowatch.corpus.kept_similarities import KeptSimilarities
from natowatch.corpus.kept_timeline import KeptTimeline
from natowatch.corpus.quote_links import KeptQuoteLinks, link_quotes
from natowatch.understand.words import word_keys
from record_changes import (
    IN_PLACE,
    SENTENCES,
    Change,
    add_copy,
    delete,
    more_mentions,
    redate_events,
    repeat_quotes,
    republish,
)


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> list[Article]:
    folder: Path = tmp_path_factory.mktemp("archive")
    write_archive(generate_corpus(48, seed=7), folder)
    return load_archive(folder)


def assert_same(found: similar.Similarities, expected: similar.Similarities) -> None:
    assert found.signatures == expected.signatures
    assert found.scores == expected.scores  # exact floats: the pages show them
    assert found.pairs_examined == expected.pairs_examined
    assert found.skipped_keys == expected.skipped_keys


def words_of(archive: list[Article]) -> dict[str, Counter[str]]:
    """What the loader hands over with the records: each one's content-word counts."""
    return {article.id: word_keys(article) for article in archive}


@pytest.mark.parametrize("max_postings", [similar.MAX_POSTINGS, 6])
@pytest.mark.parametrize(("seed", "with_words"), [(1, True), (2, True), (3, False)])
def test_kept_similarities_equal_fresh_ones_after_any_changes(
    records, monkeypatch, seed, with_words, max_postings
):
    """Updated in place (the share that forces a fresh start set high, so the in-place path
    runs every time) and, with a small posting limit, keys crossing it both ways; with the
    loader's word counts given and without."""
    monkeypatch.setattr(similar, "MAX_POSTINGS", max_postings)
    monkeypatch.setattr(kept_similarities, "AFRESH_SHARE", 1.0)
    rng = random.Random(seed)
    archive = list(records)
    kept = KeptSimilarities()
    words = words_of if with_words else lambda archive: None
    assert_same(kept.update(archive, words(archive)), similar.similarities(archive))
    for _ in range(12):
        rng.choice([*IN_PLACE, *IN_PLACE, delete, add_copy])(archive, rng)
        if rng.random() < 0.3:  # two changes in one rebuild
            rng.choice(IN_PLACE)(archive, rng)
        ordered = sorted(archive, key=lambda article: article.id)
        assert_same(kept.update(ordered, words(ordered)), similar.similarities(ordered))


def mention_more(archive: list[Article], rng: random.Random) -> None:
    """One article names one of its entities many times more: that entity's weight in it
    moves and no document frequency does, so only its pairs move."""
    index = rng.randrange(len(archive))
    article = archive[index]
    if not article.entities:
        return
    chosen = rng.choice(article.entities).id
    archive[index] = dataclasses.replace(
        article,
        entities=tuple(
            dataclasses.replace(e, mentions=more_mentions(e.mentions, rng.randint(2, 9)))
            if e.id == chosen
            else e
            for e in article.entities
        ),
    )


def as_read(found: similar.Similarities) -> similar.Similarities:
    """An update's result copied: its mappings are views the next update changes."""
    return dataclasses.replace(found, scores=dict(found.scores), signatures=dict(found.signatures))


def pairs_seen_from(found: similar.Similarities, article_id: str) -> object:
    """Everything an article's related list is made from: its scored pairs, its signature
    and its partners' signatures."""
    pairs = sorted(
        (pair, score, found.signatures[pair[0]], found.signatures[pair[1]])
        for pair, score in found.scores.items()
        if article_id in pair
    )
    return found.signatures[article_id], pairs


@pytest.mark.parametrize("max_postings", [similar.MAX_POSTINGS, 6])
@pytest.mark.parametrize("seed", [11, 12])
def test_kept_similarities_say_whose_pairs_moved(records, monkeypatch, seed, max_postings):
    """``moved`` names every article whose pairs differ from the update before (the related
    lists of the others are kept as they were); None when the update started afresh."""
    monkeypatch.setattr(similar, "MAX_POSTINGS", max_postings)
    monkeypatch.setattr(kept_similarities, "AFRESH_SHARE", 1.0)
    kept = KeptSimilarities()
    before = as_read(kept.update(records, words_of(records)))
    assert kept.moved() is None  # the first update starts afresh
    in_place = partly = 0
    changes = [*IN_PLACE, mention_more, mention_more, mention_more, delete]
    for archive in changed_archives(records, seed, changes, rounds=14):
        ordered = sorted(archive, key=lambda article: article.id)
        found = kept.update(ordered, words_of(ordered))
        moved = kept.moved()
        if moved is not None:
            in_place += 1
            partly += 0 < len(moved) < len(ordered)
            for article in ordered:
                if article.id not in moved:
                    assert pairs_seen_from(found, article.id) == pairs_seen_from(
                        before, article.id
                    ), article.id
        before = as_read(found)
    assert in_place >= 8  # deletions start afresh; edits update in place
    if max_postings < 10:  # few pairs per article: some changes move a few, not none or all
        assert partly >= 2


@pytest.mark.parametrize("seed", [13, 14])
def test_coverage_updated_in_place_keeps_the_unmoved_related_lists_and_equals_fresh_coverage(
    records, monkeypatch, seed
):
    """(Few pairs per article, so that an edit moves the pairs of some articles only.)"""
    monkeypatch.setattr(similar, "MAX_POSTINGS", 6)
    monkeypatch.setattr(kept_similarities, "AFRESH_SHARE", 1.0)
    kept = KeptIndexes()
    last = None
    kept_some = 0
    changes = [*IN_PLACE, mention_more, mention_more, mention_more]
    for archive in changed_archives(records, seed, changes, rounds=10):
        coverage = build_coverage(archive, kept=kept)
        assert coverage == build_coverage(archive)
        moved = kept.similarities.moved()
        if last is not None and moved is not None:
            kept_lists = [i for i in coverage.related if i not in moved]
            assert all(coverage.related[i] is last.related[i] for i in kept_lists)
            kept_some += 0 < len(kept_lists) < len(coverage.related)
        last = coverage
    assert kept_some >= 2


def test_an_edit_signs_again_only_the_articles_whose_keys_moved(records, monkeypatch):
    kept = KeptSimilarities()
    archive = list(records)
    kept.update(archive)
    signed: list[str] = []
    real = kept_similarities.signature_of

    def counting(counts, idf, kind, tf):
        signed.append("x")
        return real(counts, idf, kind, tf)

    monkeypatch.setattr(kept_similarities, "signature_of", counting)
    archive[5] = dataclasses.replace(archive[5], body=(*archive[5].body, SENTENCES[1]))
    kept.update(archive)
    assert 1 <= len(signed) < len(archive) / 2
    signed.clear()
    kept.update(archive)  # nothing changed
    assert signed == []


def changed_archives(
    records: list[Article], seed: int, changes: list[Change], rounds: int = 10
) -> Iterator[list[Article]]:
    """The archive as it is, then after each of ``rounds`` random ``changes`` (one list,
    changed in place: use each state before asking for the next)."""
    rng = random.Random(seed)
    archive = list(records)
    yield archive
    for _ in range(rounds):
        rng.choice(changes)(archive, rng)
        yield archive


@pytest.mark.parametrize("seed", [4, 5])
def test_kept_entities_equal_fresh_ones_after_any_changes(records, seed):
    kept = KeptEntities()
    for archive in changed_archives(records, seed, [*IN_PLACE, delete, add_copy]):
        assert build_entity_index(archive, kept) == build_entity_index(archive)


def test_kept_entities_are_reused_only_when_made_from_the_same_records(records):
    archive = list(records)
    kept = KeptEntities()
    before = build_entity_index(archive, kept)
    edited = archive[3]
    archive[3] = dataclasses.replace(edited, body=(*edited.body, SENTENCES[0]))
    after = build_entity_index(archive, kept)
    own = {entity.id for entity in edited.entities}
    assert own and all(after[i] is not before[i] for i in own)  # made again from the edit
    others = [i for i in after if i not in own]
    assert others and all(after[i] is before[i] for i in others)


def test_kept_entities_merge_again_only_the_entities_of_the_changed_records(records, monkeypatch):
    archive = list(records)
    kept = KeptEntities()
    build_entity_index(archive, kept)
    merged: list[str] = []
    real = index_module._merge_entity
    monkeypatch.setattr(
        index_module, "_merge_entity", lambda i, *rest: merged.append(i) or real(i, *rest)
    )
    edited = archive[5]
    archive[5] = dataclasses.replace(edited, body=(*edited.body, SENTENCES[1]))
    updated = build_entity_index(archive, kept)
    touched = index_module._entity_ids(edited) & updated.keys()
    assert sorted(merged) == sorted(touched) and 0 < len(touched) < len(updated) / 2
    assert updated == build_entity_index(archive)


def test_kept_entities_of_records_sharing_an_id_equal_fresh_ones(records):
    twin = dataclasses.replace(records[1], id=records[0].id)
    kept = KeptEntities()
    build_entity_index(records, kept)
    archive = [twin, *records]
    assert build_entity_index(archive, kept) == build_entity_index(archive)
    assert build_entity_index(list(records), kept) == build_entity_index(list(records))


@pytest.mark.parametrize("seed", [6, 7])
def test_kept_quote_links_equal_fresh_ones_after_any_changes(records, seed):
    kept = KeptQuoteLinks()
    linked = 0
    changes = [*IN_PLACE, repeat_quotes, repeat_quotes, delete, add_copy]
    for archive in changed_archives(records, seed, changes, rounds=12):
        expected = link_quotes(archive)
        assert link_quotes(archive, kept) == expected
        linked = max(linked, len(expected.links))
    assert linked  # some changes linked quotes (else the test shows little)


def test_kept_quote_links_are_found_again_only_for_the_speakers_of_an_edit(records, monkeypatch):
    archive = list(records)
    rng = random.Random(8)
    for _ in range(4):
        repeat_quotes(archive, rng)
    kept = KeptQuoteLinks()
    link_quotes(archive, kept)
    speakers: list[str | None] = []
    real = quote_links._speaker_links
    monkeypatch.setattr(
        quote_links,
        "_speaker_links",
        lambda quotes: speakers.append(quotes[0][1].speaker_id) or real(quotes),
    )
    link_quotes(archive, kept)
    assert speakers == []
    edited = next(index for index, article in enumerate(archive) if article.quotes)
    # Extracted again after an edit elsewhere in the article: equal quotes, new objects.
    archive[edited] = dataclasses.replace(
        archive[edited], quotes=tuple(dataclasses.replace(q) for q in archive[edited].quotes)
    )
    link_quotes(archive, kept)
    assert speakers == []
    # One quote's words changed: its speaker's links are found again, no one else's.
    first = archive[edited].quotes[0]
    archive[edited] = dataclasses.replace(
        archive[edited],
        quotes=(
            dataclasses.replace(first, text=first.text + " and more"),
            *archive[edited].quotes[1:],
        ),
    )
    link_quotes(archive, kept)
    assert speakers == [first.speaker_id]


@pytest.mark.parametrize("seed", [9, 10])
def test_coverage_made_with_kept_indexes_equals_fresh_coverage_after_any_changes(records, seed):
    """Related lists (with the entities each pair shares), threads and quote links."""
    kept = KeptIndexes()
    for archive in changed_archives(records, seed, [*IN_PLACE, repeat_quotes, delete, add_copy]):
        before = build_coverage(archive, kept=kept)
        assert before == build_coverage(archive)
    coverage = build_coverage(archive, kept=kept)  # nothing changed: every pair's reused
    assert all(
        now.shared_entities is then.shared_entities
        for article_id, items in coverage.related.items()
        for now, then in zip(items, before.related[article_id], strict=True)
    )
    # One side of a related pair names the lightest entity the two share far more often:
    # its weight moves, no document frequency does, so only that side is signed again.
    first, related = next(
        (i, item)
        for i, items in sorted(coverage.related.items())
        for item in items
        if len(item.shared_entities) > 1
    )
    index = next(i for i, article in enumerate(archive) if article.id == related.article_id)
    lightest = related.shared_entities[-1]
    archive[index] = dataclasses.replace(
        archive[index],
        entities=tuple(
            dataclasses.replace(e, mentions=more_mentions(e.mentions, 50))
            if e.id == lightest
            else e
            for e in archive[index].entities
        ),
    )
    after = build_coverage(archive, kept=kept)
    assert after == build_coverage(archive)
    now = next(item for item in after.related[first] if item.article_id == related.article_id)
    assert now.score != related.score


@pytest.mark.parametrize("seed", [8, 9, 10])
def test_kept_timeline_equals_a_fresh_one_after_any_changes(records, monkeypatch, seed):
    """Changed records' entries put back in place (the share that forces a fresh sort set
    high), entries that tie included; the order records are given in does not matter."""
    monkeypatch.setattr(kept_timeline, "AFRESH_SHARE", 1.0)
    kept = KeptTimeline()
    changes = [*IN_PLACE, redate_events, redate_events, republish, delete, add_copy]
    shuffle = random.Random(seed)
    for archive in changed_archives(records, seed, changes, rounds=14):
        given = shuffle.sample(archive, len(archive))
        assert kept.timeline(given) == build_timeline(archive)


def test_kept_timeline_puts_back_only_the_changed_records_entries(records, monkeypatch):
    kept = KeptTimeline()
    archive = list(records)
    before = kept.timeline(archive)
    assert kept.timeline(list(archive)) is before  # nothing changed: the same timeline
    made: list[str] = []
    real = kept_timeline.article_entries

    def counting(article: Article):
        made.append(article.id)
        return real(article)

    monkeypatch.setattr(kept_timeline, "article_entries", counting)
    redate_events(archive, random.Random(3))
    changed = [new for new, old in zip(archive, records, strict=True) if new is not old]
    after = kept.timeline(archive)
    # Each changed record twice (its old entries found to be taken out, its new ones put in),
    # no other record.
    assert sorted(made) == sorted(2 * [article.id for article in changed])
    assert after == build_timeline(archive)
    kept_entries = {id(entry) for entry in (*before.dated, *before.undated)}
    for entry in (*after.dated, *after.undated):  # the other records' entries kept as they were
        assert (id(entry) in kept_entries) == (entry.article is not changed[0])


def test_kept_threads_follow_a_quote_matched_without_any_score_moving(records):
    """Two articles close enough to be one story only if they report the same statement:
    one reports the other's quote (its words and entities unchanged, so no score moves), and
    the kept threads join them as fresh ones do."""
    from natowatch.corpus.threads import QUOTED_THREAD_SIMILARITY, THREAD_SIMILARITY

    archive = sorted(records, key=lambda article: article.id)
    kept = KeptIndexes()
    before = build_coverage(archive, kept=kept)
    scores = similar.similarities(archive).scores
    quoting = {a.id: a for a in archive if any(q.speaker_id for q in a.quotes)}
    first, second = next(
        pair
        for pair, score in sorted(scores.items())
        if QUOTED_THREAD_SIMILARITY <= score < THREAD_SIMILARITY
        and pair[0] in quoting
        and before.thread_of.get(pair[0]) is None
        and before.thread_of.get(pair[1]) is None
    )
    quote = next(q for q in quoting[first].quotes if q.speaker_id)
    at = next(i for i, article in enumerate(archive) if article.id == second)
    archive[at] = dataclasses.replace(archive[at], quotes=(*archive[at].quotes, quote))
    after = build_coverage(archive, kept=kept)
    assert after == build_coverage(archive)
    assert after.thread_of[first] is after.thread_of[second]
