"""The per-article cache: a cached or incremental build gives exactly the bytes of a cold build
after every kind of change, and a damaged or shared cache never breaks a build."""

from __future__ import annotations

import json
import pickle
import sqlite3
import threading
from collections import Counter
from pathlib import Path

import pytest
from benchmarks.generate import generate_corpus, write_archive

from changes import (
    ARCHIVE_CHANGES,
    cold,
    edit_article,
    edit_template,
    mixed_archive,
    retitle_article,
    snapshot,
    use_template_copy,
)
from natowatch.archive.cache import CACHE_DIR, CACHE_FILE, RecordCache, entry_bytes
from natowatch.archive.loader import load_archive, read_archive
from natowatch.build import BuildSession, build
from natowatch.core.model import Article


@pytest.fixture
def archive(tmp_path) -> Path:
    return mixed_archive(tmp_path / "archive")


@pytest.mark.parametrize("change", ARCHIVE_CHANGES, ids=[c.__name__ for c in ARCHIVE_CHANGES])
def test_a_cached_build_after_a_change_equals_a_cold_build(archive, tmp_path, change):
    out = tmp_path / "site"
    build(archive, out)  # fills the cache
    assert (archive / CACHE_DIR / CACHE_FILE).is_file()
    change(archive)
    build(archive, out)
    assert snapshot(out) == cold(archive, tmp_path, change.__name__)


def test_a_rebuild_after_a_template_change_equals_a_cold_build(archive, tmp_path, monkeypatch):
    templates = use_template_copy(monkeypatch, tmp_path)
    out = tmp_path / "site"
    build(archive, out)
    edit_template(templates)
    build(archive, out)
    rebuilt = snapshot(out)
    assert b"<!-- edited template -->" in rebuilt["index.html"]
    assert rebuilt == cold(archive, tmp_path, "template")


def test_an_unchanged_rebuild_reads_everything_from_the_cache(archive):
    cache = RecordCache(archive)
    first = read_archive(archive, cache=cache)
    cache.close()
    hits = []
    cache = RecordCache(archive)
    original = cache.get_many
    cache.get_many = lambda keys: hits.append(found := original(keys)) or found  # type: ignore[method-assign]
    second = read_archive(archive, cache=cache)
    cache.close()
    assert len(hits[0]) == len(first.articles) == len(second.articles)
    assert second.articles == first.articles


def test_a_damaged_cache_file_is_ignored(archive, tmp_path):
    out = tmp_path / "site"
    build(archive, out)
    (archive / CACHE_DIR / CACHE_FILE).write_bytes(b"this is not a database")
    for suffix in ("-wal", "-shm"):
        (archive / CACHE_DIR / (CACHE_FILE + suffix)).unlink(missing_ok=True)
    edit_article(archive)  # so the build reads the cache rather than finding the site up to date
    build(archive, out)
    assert snapshot(out) == cold(archive, tmp_path, "damaged")


def test_fresh_ignores_what_is_cached(archive, tmp_path, monkeypatch):
    build(archive, tmp_path / "site")
    calls = []
    monkeypatch.setattr(RecordCache, "get_many", lambda self, keys: calls.append(1) or {})
    build(archive, tmp_path / "site", fresh=True)
    assert calls == [1]  # asked, but a fresh cache answers nothing


def test_two_builds_sharing_a_cache_at_once_both_succeed(archive, tmp_path):
    results: list[object] = []

    def run(name: str) -> None:
        try:
            build(archive, tmp_path / name, workers=1)
            results.append(name)
        except Exception as error:
            results.append(error)

    threads = [threading.Thread(target=run, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(map(str, results)) == ["one", "two"]
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_worker_processes_give_the_same_records_as_one_process(tmp_path, monkeypatch):
    folder = tmp_path / "many"
    folder.mkdir()
    for index in range(60):
        (folder / f"a{index:03d}.md").write_text(
            f"---\ntitle: Article {index}\ndate: 2020-01-{index % 28 + 1:02d}\n---\n\n"
            f"Minister Jane Roe met officials in Warsaw on Tuesday, report {index} says.\n",
            encoding="utf-8",
        )
    serial = read_archive(folder, workers=1)
    from natowatch.archive import loader

    monkeypatch.setattr(loader, "PUT_BATCH", 7)  # stored as they come, seven at a time
    batches: list[int] = []
    put_pickled = RecordCache.put_pickled
    monkeypatch.setattr(
        RecordCache,
        "put_pickled",
        lambda self, rows: batches.append(len(rows)) or put_pickled(self, rows),
    )
    parallel = read_archive(folder, workers=2, cache=RecordCache(folder, read=False))
    assert parallel.articles == serial.articles
    assert batches[:8] == [7] * 8 and sum(batches) == 60
    # The workers' pickles went into the cache as they were; they read back as the same records.
    again = read_archive(folder, workers=2, cache=RecordCache(folder))
    assert again.articles == serial.articles
    assert again.record_keys == parallel.record_keys


def test_entries_already_pickled_are_stored_as_they_are(tmp_path):
    """The workers' pickles are stored as given (``put_pickled``), and ``put_many`` does not
    pickle and store those entries again: shown by storing another entry's pickle under a
    key, which is what reads back."""
    first, second = read_archive(mixed_archive(tmp_path / "archive")).articles[:2]
    cache = RecordCache(tmp_path / "archive")
    entry_one = (first, [], Counter({"a": 1}))
    entry_two = (second, [], Counter({"b": 2}))
    cache.put_pickled({"one": entry_bytes(entry_two)})
    cache.put_many({"one": entry_one, "two": entry_two}, stored={"one"})
    stored = cache.get_many(["one", "two"])
    assert stored["one"][0] == second and stored["two"][0] == second
    # The counts read back still pickled, as they were stored (read when asked for).
    assert pickle.loads(stored["one"][2]) == Counter({"b": 2})  # type: ignore[arg-type]


def test_a_build_session_keeps_records_in_memory_and_builds_what_a_cold_build_does(
    archive, tmp_path, monkeypatch
):
    """``natowatch serve``'s rebuilds: unchanged records are the same objects, not read from
    the cache file again; only the edited article's record is looked up there."""
    out = tmp_path / "site"
    session = BuildSession()
    build(archive, out, session=session)
    first = {key: entry[0] for key, entry in session.records.items()}
    assert len(first) == len(list(archive.glob("*.txt"))) + len(list(archive.glob("*.md")))
    looked_up: list[list[str]] = []
    stored = RecordCache._stored
    monkeypatch.setattr(
        RecordCache, "_stored", lambda self, keys: looked_up.append(keys) or stored(self, keys)
    )
    edit_article(archive)
    build(archive, out, session=session)
    assert [len(keys) for keys in looked_up] == [1]  # the edited article only
    kept = [key for key in session.records if key in first]
    assert len(kept) == len(first) - 1
    assert all(session.records[key][0] is first[key] for key in kept)
    assert snapshot(out) == cold(archive, tmp_path, "session")


def test_a_rebuild_encodes_only_the_data_file_pieces_an_edit_changed(
    archive, tmp_path, monkeypatch
):
    """Records and entities of data/*.json come back from the cache unless what they are made
    from changed; the files are still exactly a cold build's."""
    from natowatch.publish import stored_json

    out = tmp_path / "site"
    build(archive, out)
    encoded: dict[str, list[str]] = {
        "article_piece": [],
        "timeline_piece": [],
        "summary_piece": [],
        "entity_json_of": [],
    }
    for name, seen in encoded.items():
        real = getattr(stored_json, name)
        monkeypatch.setattr(
            stored_json,
            name,
            lambda item, *rest, real=real, seen=seen: seen.append(item.id) or real(item, *rest),
        )
    edit_article(archive)
    build(archive, out)
    assert encoded["article_piece"] == ["wire_reuters"]
    assert encoded["timeline_piece"] == ["wire_reuters"]  # its publication and events only
    assert encoded["summary_piece"] == ["wire_reuters"]  # what the listings show of it
    edited = next(a for a in load_archive(archive) if a.id == "wire_reuters")
    assert encoded["entity_json_of"]
    assert set(encoded["entity_json_of"]) <= {entity.id for entity in edited.entities}
    every_entity = json.loads((out / "data" / "entities.json").read_bytes())
    assert len(encoded["entity_json_of"]) < len(every_entity) / 2
    assert snapshot(out) == cold(archive, tmp_path, "pieces")


def test_a_session_rebuild_takes_unchanged_pieces_from_memory_and_keeps_them_stored(
    archive, tmp_path, monkeypatch
):
    """In ``serve`` a piece made from the very same record or entity object as last build is
    not looked up in the cache; the cache still keeps it, so a later ``natowatch build``
    encodes nothing again."""
    from natowatch.publish import stored_json

    out = tmp_path / "site"
    session = BuildSession()
    build(archive, out, session=session)
    edit_article(archive)
    looked_up: list[str] = []
    real_lookup = RecordCache.encoded
    monkeypatch.setattr(
        RecordCache, "encoded", lambda self, key: looked_up.append(key) or real_lookup(self, key)
    )
    build(archive, out, session=session)
    edited = next(a for a in load_archive(archive) if a.id == "wire_reuters")
    # The edited record's piece, timeline lines and summary, and its entities' pieces, at most.
    assert 3 <= len(looked_up) <= 3 + len(edited.entities)
    assert snapshot(out) == cold(archive, tmp_path, "session-pieces")
    encoded: list[str] = []
    for name in (
        "article_piece",
        "entity_json_of",
        "timeline_piece",
        "timeline_entry_json",
        "summary_piece",
    ):
        real = getattr(stored_json, name)
        monkeypatch.setattr(
            stored_json, name, lambda item, real=real, name=name: encoded.append(name) or real(item)
        )
    build(archive, tmp_path / "another-site")  # a CLI build: no session
    assert encoded == []


def test_a_session_rebuild_encodes_only_the_edited_articles_part_of_each_entity(
    archive, tmp_path, monkeypatch
):
    """An entity the edited article names is encoded again, but of its appearances only the
    edited article's: the others are kept by their record objects (a CLI build, keeping
    nothing, encodes them all)."""
    from natowatch.publish import stored_json

    shared = archive / "wire_copy.txt"  # names every entity the edited article names
    shared.write_text((archive / "wire_reuters.txt").read_text(), encoding="utf-8")
    out = tmp_path / "site"
    session = BuildSession()
    build(archive, out, session=session)
    encoded: list[str] = []
    real = stored_json.appearance_json
    monkeypatch.setattr(
        stored_json,
        "appearance_json",
        lambda appearance: encoded.append(appearance.article.id) or real(appearance),
    )
    path = archive / "wire_reuters.txt"
    for before, after in [("32 member states", "32 allies"), ("32 allies", "32 members")]:
        path.write_text(path.read_text().replace(before, after), encoding="utf-8")
        build(archive, out, session=session)
        assert encoded and set(encoded) == {"wire_reuters"}
        encoded.clear()
    assert snapshot(out) == cold(archive, tmp_path, "appearances")
    encoded.clear()
    path.write_text(path.read_text().replace("32 members", "32 nations"), encoding="utf-8")
    build(archive, out)
    assert {"wire_reuters", "wire_copy"} <= set(encoded)


def test_a_session_keeps_the_last_build_that_landed(archive, tmp_path, monkeypatch):
    """A build that fails at the last step (indexing, the swap) leaves the site as it was,
    and the session's last build with it: previews render against what is served."""
    from natowatch.core.errors import BuildError
    from natowatch.publish import search

    out = tmp_path / "site"
    session = BuildSession()
    build(archive, out, session=session)
    landed = session.last
    assert landed is not None

    def failing(*args, **kwargs):
        raise BuildError("the indexer failed")

    monkeypatch.setattr(search, "start_search_index", failing)
    edit_article(archive)
    with pytest.raises(BuildError):
        build(archive, out, session=session)
    assert session.last is landed


def test_a_build_leaves_the_cycle_collector_as_it_found_it(archive, tmp_path, monkeypatch):
    """The build pauses the collector and freezes the records it reads; neither may outlive
    it, whether the build lands or fails (serve runs build after build in one process)."""
    import gc

    from natowatch.core.errors import BuildError
    from natowatch.publish import search

    out = tmp_path / "site"
    build(archive, out)
    assert gc.isenabled() and gc.get_freeze_count() == 0

    def failing(*args, **kwargs):
        assert not gc.isenabled() and gc.get_freeze_count() > 0  # paused during the build
        raise BuildError("the indexer failed")

    monkeypatch.setattr(search, "start_search_index", failing)
    edit_article(archive)
    with pytest.raises(BuildError):
        build(archive, out, session=BuildSession())
    assert gc.isenabled() and gc.get_freeze_count() == 0
    monkeypatch.undo()
    gc.disable()
    try:
        build(archive, tmp_path / "other", fresh=True)
        assert not gc.isenabled()  # a caller that had it off gets it back off
    finally:
        gc.enable()


@pytest.mark.parametrize("workers", [1, 2])
def test_word_counts_of_loaded_articles_share_their_key_strings(tmp_path, workers):
    """Read from extraction workers and from the cache, every article's counts use one string
    object per stem, as if made in one process (memory: each unpickled entry had its own)."""
    archive = tmp_path / "archive"
    write_archive(generate_corpus(60, seed=3), archive)  # enough for two extraction workers
    cache = RecordCache(archive)
    fresh = read_archive(archive, cache=cache, workers=workers)
    cache.close()
    cached = read_archive(archive, cache=RecordCache(archive), workers=workers)
    for loaded in (fresh, cached):
        first_seen: dict[str, str] = {}
        for counts in loaded.words.values():
            for key in counts:
                assert first_seen.setdefault(key, key) is key
        assert len(first_seen) < sum(len(counts) for counts in loaded.words.values())
    assert fresh.words == cached.words


def test_a_session_cache_deletes_only_the_rows_it_no_longer_keeps(tmp_path, monkeypatch):
    """With ``kept_rows`` (``serve``) the first prune sends every kept key to SQLite and the
    next ones only the keys dropped since; the rows left are the same either way."""
    kept_rows: dict[str, set[str]] = {}
    cache = RecordCache(tmp_path, kept_rows=kept_rows)
    cache.put_encoded({key: b"{}" for key in ("a", "b", "c")})
    cache.keep_encoded({"a", "b", "c"})
    assert kept_rows == {"encoded": {"a", "b", "c"}}
    cache.put_encoded({"d": b"{}"})
    sent: list[list[tuple[str]]] = []
    connection = cache._connect()

    class Counting:
        def __getattr__(self, name):
            return getattr(connection, name)

        def executemany(self, sql, rows):
            rows = list(rows)
            sent.append(rows)
            return connection.executemany(sql, rows)

        def __enter__(self):
            return connection.__enter__()

        def __exit__(self, *exc):
            return connection.__exit__(*exc)

    monkeypatch.setattr(cache, "_connect", lambda: Counting())
    cache.keep_encoded({"a", "d"})
    assert sent == [[("b",), ("c",)]]
    assert kept_rows == {"encoded": {"a", "d"}}
    rows = connection.execute("SELECT key FROM encoded ORDER BY key").fetchall()
    assert rows == [("a",), ("d",)]
    cache.close()


def test_the_record_a_preview_extracted_is_the_rebuilds_and_is_cached(tmp_path, monkeypatch):
    """``serve``'s preview reads the saved file (``read_one``) and hands its entry to the
    rebuild (``BuildSession.extracted``): the rebuild extracts nothing, stores the entry in the
    record cache like one it extracted, and builds what a cold build does."""
    from natowatch.archive import loader
    from natowatch.preview import preview_pages
    from search_archive import write_search_archive

    archive = write_search_archive(tmp_path / "archive")
    out, session = tmp_path / "site", BuildSession()
    build(archive, out, session=session)
    edited = archive / "10.md"
    edited.write_text(edited.read_text().replace("gadrimol", "gadrimox"), encoding="utf-8")
    assert session.last is not None
    assert preview_pages(session.last, [edited], session.extracted)
    assert len(session.extracted) == 1
    extracted: list[str] = []
    real = loader._extract_one

    def counting(source, *args):
        extracted.append(source.relpath)
        return real(source, *args)

    monkeypatch.setattr(loader, "_extract_one", counting)
    build(archive, out, session=session)
    assert extracted == []
    assert session.extracted == {}  # used once
    build(archive, tmp_path / "other-site")  # a new process's build: from the record cache
    assert extracted == []
    assert snapshot(out) == cold(archive, tmp_path, "handed")
    assert extracted  # the cold build extracts: the counter counts


def test_a_session_build_puts_its_cache_writes_off_until_idle(archive, tmp_path):
    """``serve``: the record cache's writes (each a transaction synced to disk) wait for the
    idle moment (``free_discarded``); then the rows are this session's records exactly,
    the edited one's new entry in and its old one out."""
    from natowatch.core.discarded import free_discarded

    def stored() -> set[str]:
        connection = sqlite3.connect(archive / CACHE_DIR / CACHE_FILE)
        try:
            return {key for (key,) in connection.execute("SELECT key FROM records")}
        finally:
            connection.close()

    out, session = tmp_path / "site", BuildSession()
    build(archive, out, session=session)
    free_discarded()
    assert stored() == set(session.records)
    edit_article(archive)
    build(archive, out, session=session)
    waiting = stored()
    assert set(session.records) - waiting  # the edited record's entry is not stored yet
    free_discarded()
    assert stored() == set(session.records) != waiting


def test_the_sidecars_facts_are_parsed_once_while_its_bytes_are_the_same(
    archive, tmp_path, monkeypatch
):
    """A command-line build saves what it parsed of ``sources.yml`` beside the record cache;
    the next takes it while the file's bytes are the same, parses a changed file again, and
    ``--fresh`` parses it whatever was saved. The facts are the parsed ones either way."""
    from natowatch.archive import sources

    parsed: list[Path] = []
    real = sources._parsed_yaml
    monkeypatch.setattr(
        sources, "_parsed_yaml", lambda path, text: parsed.append(path) or real(path, text)
    )
    sidecar = archive / sources.SIDECAR_NAME
    site = tmp_path / "site"
    build(archive, site, workers=1)
    assert parsed == [sidecar]
    parsed.clear()
    edit_article(archive)  # builds again, with the same sources.yml
    build(archive, site, workers=1)
    assert parsed == []
    # the saved facts are the parsed ones
    saved = read_archive(archive, cache=RecordCache(archive)).articles
    assert parsed == []
    assert saved == load_archive(archive)
    sidecar.write_text(sidecar.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    parsed.clear()
    build(archive, site, workers=1)
    assert parsed == [sidecar]
    parsed.clear()
    build(archive, site, workers=1, fresh=True)
    assert parsed == [sidecar]
    (archive / CACHE_DIR / sources.SAVED_SIDECAR).write_bytes(b"damaged")
    parsed.clear()
    retitle_article(archive)
    build(archive, site, workers=1)
    assert parsed == [sidecar]
    assert snapshot(site) == cold(archive, tmp_path, "after-sidecar")


def test_a_command_line_rebuild_reads_the_records_json_pieces_in_batches(tmp_path, monkeypatch):
    """The pieces of data/articles.json and data/timeline.json, and the listings' summaries,
    are announced in the order they are used and read a batch per query; only the entities'
    (whose keys are worked out one by one) are read alone. Where the previous site's data files are
    the ones the last build wrote, only the changed record's pieces are read, and the
    timeline lines of the records sharing a day with it (``previous_pieces``); a previous file edited by hand is not read from. Each site is a
    cold build's."""
    archive = tmp_path / "archive"
    write_archive(generate_corpus(30, seed=8), archive)
    site = tmp_path / "site"
    build(archive, site, workers=1)
    alone: list[str] = []
    batches: list[int] = []
    real_one, real_many = RecordCache.encoded, RecordCache.encoded_many
    monkeypatch.setattr(
        RecordCache, "encoded", lambda self, key: alone.append(key) or real_one(self, key)
    )
    monkeypatch.setattr(
        RecordCache,
        "encoded_many",
        lambda self, keys: batches.append(len(keys)) or real_many(self, keys),
    )
    edited = edit_article_in(archive)
    build(archive, site, workers=1)
    names = {entity.id for entity in edited_record(archive, edited).entities}
    assert all(key.startswith("entity:") for key in alone) and 0 < len(alone) <= len(names)
    # the listings' 30 summaries; the edited record's piece; the timeline lines of the
    # records with an entry on one of its days (its own among them)
    assert len(batches) == 3 and batches[:2] == [30, 1] and 1 <= batches[2] < 30
    assert snapshot(site) == cold(archive, tmp_path, "batches")

    for path in ("articles.json", "entities.json", "timeline.json"):
        data = bytearray((site / "data" / path).read_bytes())
        at = data.index(b'"slug":"') + 8
        data[at] = ord("x") if data[at] != ord("x") else ord("y")  # same size, not the same
        (site / "data" / path).write_bytes(bytes(data))
    alone.clear()
    batches.clear()
    edit_article_in(archive)
    build(archive, site, workers=1)
    assert alone and all(key.startswith("entity:") for key in alone)
    # one batch of each announced order: 30 records, 30 timelines, 30 summaries
    assert batches == [30, 30, 30]
    assert snapshot(site) == cold(archive, tmp_path, "batches-again")


def edited_record(archive: Path, name: str) -> Article:
    return next(a for a in load_archive(archive) if a.source_file == name)


def edit_article_in(archive: Path) -> str:
    """A sentence added to the first Markdown article's text; its name."""
    path = sorted(archive.glob("*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\nOfficials said more.\n", encoding="utf-8")
    return path.name


def test_word_counts_are_unpickled_once_and_only_when_read():
    """``WordCounts``: asking whether an article has counts reads nothing; reading them
    unpickles them once, with their keys shared with other articles' counts."""
    from natowatch.archive.word_counts import WordCounts

    counts = WordCounts()
    counts.add("a", pickle.dumps(Counter({"word:nato": 2, "word:summit": 1})))
    counts.add("b", Counter({"word:nato": 5}))
    assert "a" in counts and "c" not in counts and len(counts) == 2
    assert counts._counts["a"].__class__ is bytes  # not read yet
    first = counts["a"]
    assert first == Counter({"word:nato": 2, "word:summit": 1}) and counts["a"] is first
    assert dict(counts) == {"a": first, "b": Counter({"word:nato": 5})}
    (key,) = [key for key in first if key == "word:nato"]
    again = WordCounts()
    again.add("x", pickle.dumps(Counter({"word:nato": 1})))
    (other,) = again["x"]
    assert other is key  # one string object per stem
