"""A build hands the memory it freed back to the OS before the search indexers start, so the
build's peak (its main process and Pagefind together) is not its records' high-water mark."""

from __future__ import annotations

import platform
import sys

import pytest
from benchmarks.generate import generate_corpus, write_archive

import natowatch.build
from natowatch.build import BuildSession, build
from natowatch.core import ids, memory, snippets
from natowatch.publish import search
from paths import SEEDS


@pytest.mark.skipif(
    sys.platform != "linux" or platform.libc_ver()[0] != "glibc", reason="glibc's malloc_trim"
)
def test_freed_memory_can_be_returned_here():
    assert memory.return_freed_memory() is True


def order_of_calls(monkeypatch) -> list[str]:
    calls: list[str] = []
    start = search.start_search_index
    monkeypatch.setattr(memory, "return_freed_memory", lambda: calls.append("trim") or True)
    forget = memory.forget_archive_caches
    monkeypatch.setattr(memory, "forget_archive_caches", lambda: calls.append("forget") or forget())
    monkeypatch.setattr(
        search,
        "start_search_index",
        lambda *args, **kwargs: calls.append("search") or start(*args, **kwargs),
    )
    return calls


def test_a_build_returns_the_freed_memory_before_indexing_for_search(tmp_path, monkeypatch):
    calls = order_of_calls(monkeypatch)
    build(SEEDS, tmp_path / "site")
    # (the saved indexes trim the heap once more, earlier: ``SavedIndexes.save``)
    assert "search" not in calls[: calls.index("forget")]
    assert calls[calls.index("forget") :] == ["forget", "trim", "search"]


def test_a_rebuild_of_a_few_pages_indexes_for_search_beside_its_data_files(tmp_path, monkeypatch):
    """Few changed pages (one or two shards to index): the indexer starts as soon as the pages
    are written, with the records still in memory; many (a cold build, above): after."""
    archive = tmp_path / "archive"
    write_archive(generate_corpus(40, seed=3), archive)
    build(archive, tmp_path / "site")
    calls = order_of_calls(monkeypatch)
    edited = sorted(archive.glob("*.md"))[5]
    edited.write_text(edited.read_text() + "\nOne sentence more.\n")
    build(archive, tmp_path / "site")
    assert calls == ["search", "forget", "trim"]
    calls.clear()
    monkeypatch.setattr(natowatch.build, "EARLY_SEARCH_SHARE", 0.0)  # any change is "many"
    edited.write_text(edited.read_text() + "\nAnd another.\n")
    build(archive, tmp_path / "site")
    assert calls == ["forget", "trim", "search"]


def test_a_serve_session_keeps_its_records_and_does_not_trim(tmp_path, monkeypatch):
    calls = order_of_calls(monkeypatch)
    build(SEEDS, tmp_path / "site", session=BuildSession())
    assert calls == ["search"]


def test_forgetting_the_archive_caches_empties_them_and_keeps_their_answers():
    text = "NATO met in Brussels. Israel's office opened in 2016."
    spans = snippets.sentence_spans(text)
    slug = ids.slugify("Israel's office at NATO")
    assert snippets.sentence_spans.cache_info().currsize > 0
    assert ids.slugify.cache_info().currsize > 0
    memory.forget_archive_caches()
    assert snippets.sentence_spans.cache_info().currsize == 0
    assert ids.slugify.cache_info().currsize == 0
    assert snippets.sentence_spans(text) == spans
    assert ids.slugify("Israel's office at NATO") == slug


def test_same_objects_match_only_the_very_same_objects_in_order():
    """``SameObjects`` keys caches of values made from records: equal records that are not the
    same objects (a record edited back) never share a key; the items need no hash of their own."""
    first, second = [1], [1]  # equal, unhashable, not the same
    assert memory.SameObjects([first, second]) == memory.SameObjects([first, second])
    assert hash(memory.SameObjects([first, second])) == hash(memory.SameObjects([first, second]))
    assert memory.SameObjects([first, second]) != memory.SameObjects([second, first])
    assert memory.SameObjects([first]) != memory.SameObjects([[1]])
    assert memory.SameObjects([first]) != memory.SameObjects([first, first])


def test_a_remembered_order_is_a_new_list_each_time():
    from natowatch.archive.loader import load_archive
    from natowatch.publish.views import newest_first

    articles = load_archive(SEEDS)
    once, again = newest_first(articles), newest_first(articles)
    assert once == again and once is not again
    once.clear()  # a caller's change to its list is not remembered
    assert newest_first(articles) == again


def test_what_a_session_build_replaces_is_freed_when_idle_or_by_the_next_build(tmp_path):
    """A rebuild's replaced kept values are not freed mid-rebuild (``core.discarded``): the
    server frees them once idle, and any build frees what is still waiting as it starts."""
    import gc
    import weakref

    from natowatch.core import discarded
    from natowatch.core.remembered import Remembered

    class Value:
        pass

    kept: Remembered[Value] = Remembered()
    for _ in range(2):
        value = Value()
        replaced = weakref.ref(value)
        kept.put("a", (), value)
        kept.finish()
        del value
        kept.put("a", (), Value())
        kept.finish()  # the value is replaced, but alive until freed
        gc.collect()
        assert replaced() is not None
        if discarded._discarded and _ == 0:
            discarded.free_discarded()  # what serve does once idle
        else:
            build(SEEDS, tmp_path / "site", session=BuildSession())  # frees it as it starts
        gc.collect()
        assert replaced() is None
