"""The coverage's indexes a command-line build saves for the next (``corpus.saved_indexes``):
taken up by another process and brought up to date for the records whose digest moved, they
give bit for bit the similarities and coverage computed afresh, and a build using them makes
what a cold build makes."""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
import random
from collections.abc import Callable
from operator import attrgetter
from pathlib import Path
from typing import Any

import pytest
from benchmarks.generate import generate_corpus, write_archive

from changes import cold, snapshot
from natowatch.archive.cache import CACHE_DIR
from natowatch.archive.loader import load_archive
from natowatch.archive.word_counts import WordCounts
from natowatch.build import build
from natowatch.core.model import Article, Entity, EntityType
from natowatch.corpus import kept_similarities, similar
from natowatch.corpus.coverage import build_coverage, coverage_json
from natowatch.corpus.kept import KeptIndexes
from natowatch.corpus.kept_similarities import KeptSimilarities
from natowatch.corpus.quote_links import KeptQuoteLinks, link_quotes
from natowatch.corpus.saved_indexes import SAVED_FILE, load_indexes, new_indexes, save_indexes
from natowatch.understand import aliases
from natowatch.understand.aliases import PartsByMark, resolve_aliases
from record_changes import IN_PLACE, add_copy, delete, repeat_quotes, republish, retitle
from test_kept_indexes import assert_same, changed_archives, mention_more, words_of


def digest(article: Article) -> str:
    return hashlib.sha256(repr(article).encode()).hexdigest()


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> list[Article]:
    folder: Path = tmp_path_factory.mktemp("archive")
    write_archive(generate_corpus(48, seed=21), folder)
    return load_archive(folder)


def taken_up(kept: KeptSimilarities) -> KeptSimilarities:
    """``kept`` as another process takes it up: pickled, unpickled, marked by digest."""
    again: KeptSimilarities = pickle.loads(pickle.dumps(kept))
    again.mark = digest
    return again


def read_again(archive: list[Article]) -> list[Article]:
    """The records as another process reads them: equal, not the same objects."""
    return [pickle.loads(pickle.dumps(article)) for article in archive]


@pytest.mark.parametrize("max_postings", [similar.MAX_POSTINGS, 6])
@pytest.mark.parametrize("seed", [1, 2])
def test_similarities_taken_up_by_another_process_equal_fresh_ones_after_any_changes(
    records, monkeypatch, seed, max_postings
):
    """Each update by a new object unpickled from the last one, with records equal to the
    last ones but not the same objects, marked by digest."""
    monkeypatch.setattr(similar, "MAX_POSTINGS", max_postings)
    monkeypatch.setattr(kept_similarities, "AFRESH_SHARE", 1.0)
    rng = random.Random(seed)
    archive = list(records)
    kept = KeptSimilarities(digest)
    assert_same(kept.update(archive, words_of(archive)), similar.similarities(archive))
    afresh: list[str] = []
    monkeypatch.setattr(
        kept_similarities,
        "signatures_of_counts",
        counted(kept_similarities.signatures_of_counts, afresh),
    )
    for _ in range(10):
        kept = taken_up(kept)
        archive = read_again(archive)
        rng.choice([*IN_PLACE, *IN_PLACE, delete, add_copy])(archive, rng)
        ordered = sorted(archive, key=lambda article: article.id)
        assert_same(kept.update(ordered, words_of(ordered)), similar.similarities(ordered))
    # deletions and additions start afresh, edits do not
    assert len(afresh) < 10


@pytest.mark.parametrize("seed", [3, 4])
def test_coverage_from_saved_indexes_equals_fresh_coverage_after_any_changes(
    records, monkeypatch, tmp_path, seed
):
    """(Few pairs per article, so that an edit moves the related lists of some articles
    only: the others are taken from the saved file.)"""
    monkeypatch.setattr(similar, "MAX_POSTINGS", 6)
    monkeypatch.setattr(kept_similarities, "AFRESH_SHARE", 1.0)
    rng = random.Random(seed)
    archive = list(records)
    saved = new_indexes(tmp_path, digest)
    kept_some = 0
    for _ in range(8):
        kept = saved.kept
        assert kept is not None
        ordered = sorted(archive, key=lambda article: article.id)
        coverage = build_coverage(ordered, words_of(ordered), kept)
        fresh = build_coverage(ordered, words_of(ordered))
        assert coverage == fresh
        assert coverage_json(coverage, kept) == coverage_json(fresh)
        moved = kept.similarities.moved()
        kept_some += moved is not None and 0 < len(moved) < len(ordered)
        saved.save()
        saved = load_indexes(tmp_path, digest)
        archive = read_again(archive)
        rng.choice([*IN_PLACE, mention_more, mention_more])(archive, rng)
    assert kept_some >= 2


def test_no_saved_file_or_a_damaged_one_starts_afresh(records, tmp_path):
    saved = load_indexes(tmp_path, digest)  # nothing saved yet
    assert build_coverage(records, kept=saved.kept) == build_coverage(records)
    saved.save()
    path = tmp_path / SAVED_FILE
    path.write_bytes(path.read_bytes()[:1000])  # cut short
    again = load_indexes(tmp_path, digest).kept
    assert again is not None and again.related is None
    assert build_coverage(records, kept=again) == build_coverage(records)


def test_indexes_saved_by_other_code_are_not_taken_up(records, tmp_path, monkeypatch):
    saved = new_indexes(tmp_path, digest)
    build_coverage(records, kept=saved.kept)
    saved.save()
    assert load_indexes(tmp_path, digest).kept.related is not None
    monkeypatch.setattr("natowatch.corpus.saved_indexes.code_fingerprint", lambda: "another")
    assert load_indexes(tmp_path, digest).kept.related is None


def test_similarities_marked_by_object_cannot_be_saved(records, tmp_path):
    kept = KeptIndexes()
    build_coverage(records, kept=kept)
    with pytest.raises(ValueError, match="cannot be saved"):
        save_indexes(tmp_path, kept, PartsByMark(digest))


def test_the_alias_passs_parts_are_made_again_only_for_records_whose_digest_moved(
    records, tmp_path, monkeypatch
):
    """And the renames are those found afresh: the parts of the others are the saved ones."""
    records = list(records)
    for index, (entity_id, name) in enumerate(
        [("ada-vexmoor", "Ada Vexmoor"), ("vexmoor", "Vexmoor")]
    ):
        records[index] = dataclasses.replace(
            records[index],
            entities=(*records[index].entities, Entity(entity_id, name, EntityType.PERSON)),
        )
    saved = new_indexes(tmp_path, digest)
    renamed = resolve_aliases(records, marked=saved.renames)
    assert renamed == resolve_aliases(records)
    assert "vexmoor" not in {entity.id for article in renamed for entity in article.entities}
    saved.save()
    made: list[str] = []
    monkeypatch.setattr(aliases, "_parts_of", counted(aliases._parts_of, made))
    archive = read_again(records)
    archive[3] = dataclasses.replace(archive[3], entities=archive[3].entities[1:])
    again = load_indexes(tmp_path, digest)
    assert resolve_aliases(archive, marked=again.renames) == resolve_aliases(archive)
    assert len(made) == 1 + len(archive)  # the edited record's, then all (afresh, to compare)


def counted(function: Callable[..., Any], calls: list[str]) -> Callable[..., Any]:
    """``function``, noting each call in ``calls``."""

    def call(*args: Any, **kwargs: Any) -> Any:
        calls.append(function.__name__)
        return function(*args, **kwargs)

    return call


def noting(method: Callable[..., Any], noted: list[Any]) -> Callable[..., Any]:
    """``method``, noting its argument (an id, or a list of ids) at each call in ``noted``."""

    def call(self: Any, argument: Any) -> Any:
        noted.extend(argument if isinstance(argument, list) else [argument])
        return method(self, argument)

    return call


def made_in_plan(
    monkeypatch: pytest.MonkeyPatch, name: str, of: Callable[[Any], str] = attrgetter("id")
) -> list[str]:
    """What ``publish.plan``'s ``name`` is called for from now on: ``of`` its first argument
    (by default its id: a record's, an entity's)."""
    from natowatch.publish import plan

    made: list[str] = []
    real = getattr(plan, name)
    monkeypatch.setattr(
        plan, name, lambda first, *rest: made.append(of(first)) or real(first, *rest)
    )
    return made


def edit(archive: Path, name: str) -> None:
    path = archive / name
    text = path.read_text(encoding="utf-8")
    first = text.index("\n\n", text.index("\n---\n") + 5 if text.startswith("---") else 0)
    path.write_text(
        text[:first] + " Officials said the benchmark plan would be reviewed." + text[first:],
        encoding="utf-8",
    )


def test_a_command_line_rebuild_updates_the_saved_indexes_and_equals_a_cold_build(
    tmp_path, monkeypatch
):
    """Builds without a session, as ``natowatch build`` run again after an edit: the second
    signs no article afresh (neither here nor in ``similar``), reads the word counts of the
    articles it signs again and of no other (``archive.word_counts``), and makes a cold
    build's site."""
    monkeypatch.setattr(kept_similarities, "AFRESH_SHARE", 1.0)
    archive = tmp_path / "archive"
    write_archive(generate_corpus(30, seed=5), archive)
    site = tmp_path / "site"
    build(archive, site, workers=1)
    assert (archive / CACHE_DIR / SAVED_FILE).is_file()
    for round_number, name in enumerate(sorted(path.name for path in archive.glob("*.md"))[:2]):
        edit(archive, name)
        afresh: list[str] = []
        read: list[str] = []
        signed: list[str] = []
        with monkeypatch.context() as patched:
            for module in (kept_similarities, similar):
                patched.setattr(
                    module, "signatures_of_counts", counted(module.signatures_of_counts, afresh)
                )
            patched.setattr(WordCounts, "__getitem__", noting(WordCounts.__getitem__, read))
            patched.setattr(
                KeptSimilarities, "_sign_again", noting(KeptSimilarities._sign_again, signed)
            )
            build(archive, site, workers=1)
        assert afresh == []
        assert 0 < len(signed) < 30 and set(read) == set(signed)
        assert snapshot(site) == cold(archive, tmp_path, f"round-{round_number}")


@pytest.mark.parametrize("seed", [5, 6])
def test_quote_links_taken_up_by_another_process_equal_fresh_ones_after_any_changes(records, seed):
    """Each link by a new object unpickled from the last one (its quotes copies), records
    marked by digest; with quotes moved between records and speakers changed."""
    rng = random.Random(seed)
    archive = list(records)
    kept = KeptQuoteLinks(digest)
    assert kept.link(archive) == link_quotes(archive)
    changes = [*IN_PLACE, repeat_quotes, repeat_quotes, repeat_quotes, delete]
    for round_number in range(10):
        for _ in range(2 if round_number % 3 == 0 else 1):  # or saved again before it links
            kept = pickle.loads(pickle.dumps(kept))
            kept.mark = digest
        archive = read_again(archive)
        rng.choice(changes)(archive, rng)
        ordered = sorted(archive, key=lambda article: article.id)
        assert kept.link(ordered) == link_quotes(ordered)


def test_quote_links_marked_by_object_cannot_be_saved(records):
    kept = KeptQuoteLinks()
    kept.link(records)
    with pytest.raises(ValueError, match="cannot be saved"):
        pickle.dumps(kept)


def test_a_command_line_rebuild_takes_the_entity_page_keys_whose_inputs_did_not_move(
    tmp_path, monkeypatch
):
    """Only the entities the edited article names get their page keys made again; the site
    is a cold build's. A damaged file only costs the time."""
    from natowatch.publish import saved_keys

    archive = tmp_path / "archive"
    write_archive(generate_corpus(30, seed=6), archive)
    site = tmp_path / "site"
    build(archive, site, workers=1)
    made = made_in_plan(monkeypatch, "entity_page_keys")
    marked = made_in_plan(monkeypatch, "entity_inputs_mark")
    name = sorted(path.name for path in archive.glob("*.md"))[0]
    edit(archive, name)
    build(archive, site, workers=1)
    edited = next(a for a in load_archive(archive) if a.source_file.endswith(name))
    named = {entity.id for entity in edited.entities}
    named.update(quote.speaker_id for quote in edited.quotes if quote.speaker_id)
    assert made and set(made) <= {entity.id for entity in edited.entities}
    # marks made again only for the entities the edited record names (no other changed)
    assert set(made) <= set(marked) <= named
    assert snapshot(site) == cold(archive, tmp_path, "entity-keys")
    (archive / CACHE_DIR / saved_keys.SAVED_FILE).write_bytes(b"damaged")
    made.clear()
    edit(archive, name)
    build(archive, site, workers=1)
    assert len(made) > 100
    assert snapshot(site) == cold(archive, tmp_path, "entity-keys-again")


def test_a_command_line_rebuild_takes_the_article_page_keys_whose_reads_did_not_move(
    tmp_path, monkeypatch
):
    """Only the edited article's page key and those of the pages reading it (its related
    articles, its thread) are made again; the site is a cold build's. A damaged file only
    costs the time."""
    from natowatch.publish import saved_keys

    archive = tmp_path / "archive"
    write_archive(generate_corpus(30, seed=6), archive)
    site = tmp_path / "site"
    build(archive, site, workers=1)
    made = made_in_plan(monkeypatch, "article_page_inputs")
    name = sorted(path.name for path in archive.glob("*.md"))[0]
    edit(archive, name)
    build(archive, site, workers=1)
    edited = next(a for a in load_archive(archive) if a.source_file.endswith(name))
    assert edited.id in made and len(made) < 15
    assert snapshot(site) == cold(archive, tmp_path, "article-keys")
    (archive / CACHE_DIR / saved_keys.SAVED_FILE).write_bytes(b"damaged")
    made.clear()
    edit(archive, name)
    build(archive, site, workers=1)
    assert len(made) == 30
    assert snapshot(site) == cold(archive, tmp_path, "article-keys-again")


def test_a_command_line_rebuild_keys_the_timeline_pages_of_the_years_an_edit_reaches(
    tmp_path, monkeypatch
):
    """A year's page keys are taken while it has as many entries, none of a changed record;
    the site is a cold build's. A damaged file only costs the time."""
    from natowatch.publish import saved_keys

    archive = tmp_path / "archive"
    write_archive(generate_corpus(30, seed=6), archive)
    site = tmp_path / "site"
    build(archive, site, workers=1)
    keyed = made_in_plan(monkeypatch, "timeline_page_inputs", str)  # by template
    name = sorted(path.name for path in archive.glob("*.md"))[0]
    edit(archive, name)
    build(archive, site, workers=1)
    edited = next(a for a in load_archive(archive) if a.source_file.endswith(name))
    years = {date[:4] for date in [edited.published, *(e.date for e in edited.events)] if date}
    assert 0 < keyed.count("timeline_year.html") <= len(years)
    assert snapshot(site) == cold(archive, tmp_path, "timeline-keys")
    all_years = len(list((site / "timeline").glob("*.html")))
    (archive / CACHE_DIR / saved_keys.SAVED_FILE).write_bytes(b"damaged")
    keyed.clear()
    edit(archive, name)
    build(archive, site, workers=1)
    assert keyed.count("timeline_year.html") >= all_years - 1 > len(years)
    assert snapshot(site) == cold(archive, tmp_path, "timeline-keys-again")


def test_a_saved_article_key_is_taken_only_while_nothing_it_reads_changed(tmp_path):
    """The record's digest, the reads, and the records and entities the reads name (their
    digests, merged names and types; gone or new) against the build that saved the key."""
    from natowatch.corpus.quote_links import QuoteMatch, QuoteRef
    from natowatch.corpus.similar import Related
    from natowatch.publish.page_inputs import ArticleReads
    from natowatch.publish.saved_keys import load_page_keys

    reads = ArticleReads("publishers/p.html", ((), (), ()), frozenset({"b"}), frozenset({"x"}))
    digests = {"a": "digest a", "b": "digest b", "c": "digest c"}
    names = {"x": ("Ann Lee", "PERSON"), "y": ("Oslo", "GPE")}
    first = load_page_keys(tmp_path)
    first.start_articles(digests, names)
    assert first.article_key("a", "digest a", reads, lambda: "saved") == "saved"
    for other in ("b", "c"):  # (every record of a build has its page's key made)
        first.article_key(other, digests[other], reads, lambda: "other")
    first.save()

    def key(digests=digests, names=names, digest="digest a", reads=reads) -> str:
        saved = load_page_keys(tmp_path)
        saved.start_articles(digests, names)
        return saved.article_key("a", digest, reads, lambda: "made")

    assert key() == "saved"
    assert key(digests={**digests, "c": "edited", "d": "new"}) == "saved"  # not read
    assert key(names={"x": names["x"], "z": ("Riga", "GPE")}) == "saved"  # not read
    assert key(digest="edited") == "made"
    assert key(reads=ArticleReads("publishers/q.html", *list(vars(reads).values())[1:])) == "made"
    for coverage in [
        (((QuoteMatch(QuoteRef("b", 0), 1.0),),), (), ()),
        ((), (Related("b", 0.5, ("x",)),), ()),
        ((), (), ("thread-b", 2, 0, ("a", "b"))),
    ]:
        moved = ArticleReads(reads.publisher_href, coverage, reads.articles, reads.entities)
        assert key(reads=moved) == "made"
    assert key(digests={**digests, "b": "edited"}) == "made"
    assert key(digests={"a": "digest a", "c": "digest c"}) == "made"  # b deleted
    assert key(names={**names, "x": ("Anne Lee", "PERSON")}) == "made"
    assert key(names={**names, "x": ("Ann Lee", "ORG")}) == "made"
    assert key(names={"y": names["y"]}) == "made"  # x gone from the index
    assert load_page_keys(tmp_path, read=False).last_articles == {}
    unstarted = load_page_keys(tmp_path)  # not told what changed: nothing is taken
    assert unstarted.article_key("a", "digest a", reads, lambda: "made") == "made"


@pytest.mark.parametrize("seed", [7, 8])
def test_equal_entity_marks_mean_equal_entity_page_keys_after_any_changes(records, seed):
    """What lets a command-line build take an entity's page keys by its mark without viewing
    its speaker's quotes (``entity_inputs_mark``): after any change, an entity whose mark is
    the same has the same page keys, its quotes view included."""
    from natowatch.corpus.index import build_entity_index
    from natowatch.publish.coverage_views import entity_coverage_view
    from natowatch.publish.page_inputs import (
        RecordDigests,
        entity_inputs_mark,
        entity_page_keys,
    )

    per_page = 3  # entities with several pages

    def marks_and_keys(archive: list[Article]) -> dict[str, tuple[str, object]]:
        digests, coverage = RecordDigests(), build_coverage(archive)
        index, by_id = build_entity_index(archive), {a.id: a for a in archive}
        found: dict[str, tuple[str, object]] = {}
        for entity in index.values():
            quotes = entity_coverage_view(entity, coverage, by_id, index)
            keys = entity_page_keys(entity, digests, index, per_page, quotes).keys
            found[entity.id] = (entity_inputs_mark(entity, digests, index, per_page), keys)
        return found

    # (Quotes repeated most: an article then reports a speaker it may not name.)
    changes = [*IN_PLACE, *[repeat_quotes] * 4, retitle, republish, mention_more, delete, add_copy]
    before: dict[str, tuple[str, object]] | None = None
    kept = moved = 0
    for archive in changed_archives(records, seed, changes, rounds=12):
        now = marks_and_keys(archive)
        for entity_id, (mark, keys) in now.items():
            if before is not None and entity_id in before:
                if before[entity_id][0] == mark:
                    kept += 1
                    assert before[entity_id][1] == keys, entity_id
                else:
                    moved += 1
        before = now
    assert kept and moved
