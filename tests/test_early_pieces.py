"""The records' data-file pieces made by a helper process while the cross-article indexes are
made (``publish.early_pieces``): the pieces it stores are those the data files are written
from, the main process uses them instead of encoding the records again, and the site is the
same whether the helper made all of them, some or none."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from benchmarks.generate import generate_corpus, write_archive

from natowatch.archive.cache import CACHE_DIR, CACHE_FILE, RecordCache
from natowatch.archive.loader import read_archive
from natowatch.build import build
from natowatch.publish import early_pieces
from natowatch.publish.early_pieces import EarlyPieces, make_pieces
from natowatch.publish.record_pieces import (
    article_piece,
    piece_keys,
    summary_key,
    summary_piece,
    timeline_key,
    timeline_piece,
)
from test_write import read_tree

ARTICLES = 24


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("early") / "archive"
    write_archive(generate_corpus(ARTICLES, seed=11), folder)
    return folder


@pytest.fixture(scope="module")
def site_without_helper(archive, tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("plain") / "site"
    patch = pytest.MonkeyPatch()
    patch.setattr(early_pieces, "MIN_RECORDS", 10**9)
    try:
        build(archive, out, fresh=True, workers=2)
    finally:
        patch.undo()
    return read_tree(out)


def _encoded_keys(archive: Path) -> set[str]:
    with sqlite3.connect(archive / CACHE_DIR / CACHE_FILE) as connection:
        return {key for (key,) in connection.execute("SELECT key FROM encoded")}


def _count_main_encodings(monkeypatch) -> list[str]:
    """Records whose pieces the main process encodes itself (the helper is another process,
    its own modules unpatched)."""
    from natowatch.publish import stored_json

    made: list[str] = []
    makers = (article_piece, timeline_piece, summary_piece)
    for name, make in ((make.__name__, make) for make in makers):

        def counted(article, make=make, name=name):
            made.append(f"{name} {article.id}")
            return make(article)

        monkeypatch.setattr(stored_json, name, counted)
    return made


def test_the_helper_stores_each_records_pieces_as_the_data_files_make_them(tmp_path):
    archive = tmp_path / "archive"
    write_archive(generate_corpus(6, seed=5), archive)
    cache = RecordCache(archive)
    loaded = read_archive(archive, cache=cache)
    cache.close()
    keys = sorted(loaded.record_keys.values())
    assert _encoded_keys(archive) == set()  # reading stores records only
    make_pieces(archive, [*keys, "no such record"])
    stored = RecordCache(archive)
    by_key = {loaded.record_keys[article.id]: article for article in loaded.articles}
    for key, article in by_key.items():
        assert stored.encoded(key) == article_piece(article)
        assert stored.encoded(timeline_key(key)) == timeline_piece(article)
        assert stored.encoded(summary_key(key)) == summary_piece(article)
    stored.close()
    assert _encoded_keys(archive) == {made for key in keys for made in piece_keys(key)}


def test_a_cold_build_uses_the_helpers_pieces_and_writes_the_same_site(
    archive, site_without_helper, tmp_path, monkeypatch
):
    monkeypatch.setattr(early_pieces, "MIN_RECORDS", 1)
    finish = EarlyPieces.finish

    def finish_when_done(self):  # as on a large archive: the helper is done in time
        if self._process is not None:
            self._process.join()
        finish(self)

    monkeypatch.setattr(EarlyPieces, "finish", finish_when_done)
    made_here = _count_main_encodings(monkeypatch)
    out = tmp_path / "site"
    build(archive, out, fresh=True, workers=2)  # --fresh: the cache is not read, but these are
    assert made_here == []
    assert read_tree(out) == site_without_helper


def test_a_helper_stopped_before_it_made_anything_leaves_the_work_to_the_build(
    archive, site_without_helper, tmp_path, monkeypatch
):
    monkeypatch.setattr(early_pieces, "MIN_RECORDS", 1)
    start = early_pieces.start_early_pieces

    def stopped_at_once(*args):
        early = start(*args)
        early._stop.set()
        return early

    monkeypatch.setattr(early_pieces, "start_early_pieces", stopped_at_once)
    made_here = _count_main_encodings(monkeypatch)
    out = tmp_path / "site"
    build(archive, out, fresh=True, workers=2)
    assert len(made_here) == 3 * ARTICLES
    assert read_tree(out) == site_without_helper


def test_a_rebuild_of_a_few_records_starts_no_helper(tmp_path, monkeypatch):
    archive = tmp_path / "archive"
    write_archive(generate_corpus(12, seed=4), archive)
    monkeypatch.setattr(early_pieces, "MIN_RECORDS", 10)
    start = early_pieces.start_early_pieces
    started: list[bool] = []

    def noted(*args):
        early = start(*args)
        started.append(early is not None)
        return early

    monkeypatch.setattr(early_pieces, "start_early_pieces", noted)
    build(archive, tmp_path / "site", workers=2)
    edited = sorted(archive.glob("*.md"))[3]
    edited.write_text(edited.read_text() + "\nOne sentence more.\n")
    build(archive, tmp_path / "site", workers=2)
    assert started == [True, False]
