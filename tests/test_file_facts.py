"""What a command-line build made of each input file, taken again by the next build while the
file is unchanged (``core.file_facts``): unchanged files are not read at all, a changed one
always is (even at the same size and modification time), one written just now is read again,
and every rebuild still equals a cold build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from changes import ARCHIVE_CHANGES, cold, edit_article, mixed_archive, snapshot
from natowatch import uptodate
from natowatch.archive import loader
from natowatch.archive.cache import CACHE_DIR
from natowatch.build import build
from natowatch.core import known_files
from natowatch.core.file_facts import SAVED_FILE, load_file_facts


@pytest.fixture
def settled_at_once(monkeypatch):
    """Files count as left alone at once (they were written a moment ago by the test)."""
    monkeypatch.setattr(known_files, "SETTLED_NS", 0)


def _counting(made: list[str]):
    def make(path: Path):
        return lambda: made.append(path.name) or path.read_bytes()

    return make


def test_an_unchanged_file_is_not_read_again_and_a_changed_one_is(tmp_path, settled_at_once):
    article = tmp_path / "a.txt"
    article.write_bytes(b"first version")
    made: list[str] = []
    read = _counting(made)
    facts = load_file_facts(tmp_path)
    assert facts.made(article, "bytes", read(article)) == b"first version"
    facts.save()
    again = load_file_facts(tmp_path)
    assert again.made(article, "bytes", read(article)) == b"first version"
    assert again.made(article, "other name", read(article)) == b"first version"
    assert made == ["a.txt", "a.txt"]  # once, and once for the name not made before
    again.save()
    status = article.stat()
    article.write_bytes(b"other version")  # same size, and the same modification time back
    os.utime(article, ns=(status.st_atime_ns, status.st_mtime_ns))
    third = load_file_facts(tmp_path)
    assert third.made(article, "bytes", read(article)) == b"other version"
    assert made == ["a.txt", "a.txt", "a.txt"]


def test_a_file_written_just_now_is_read_again_by_the_next_build(tmp_path):
    article = tmp_path / "a.txt"
    article.write_bytes(b"just written")
    made: list[str] = []
    facts = load_file_facts(tmp_path)
    facts.made(article, "bytes", _counting(made)(article))
    facts.save()
    load_file_facts(tmp_path).made(article, "bytes", _counting(made)(article))
    assert made == ["a.txt", "a.txt"]


def test_a_missing_damaged_or_fresh_file_of_facts_reads_every_file(tmp_path, settled_at_once):
    article = tmp_path / "a.txt"
    article.write_bytes(b"text")
    facts = load_file_facts(tmp_path)
    facts.made(article, "bytes", article.read_bytes)
    facts.save()
    made: list[str] = []
    load_file_facts(tmp_path, read=False).made(article, "bytes", _counting(made)(article))
    (tmp_path / SAVED_FILE).write_bytes(b"not a pickle")
    load_file_facts(tmp_path).made(article, "bytes", _counting(made)(article))
    assert made == ["a.txt", "a.txt"]


def test_a_one_edit_rebuild_reads_only_the_edited_file(tmp_path, monkeypatch, settled_at_once):
    archive = mixed_archive(tmp_path / "archive")
    out = tmp_path / "site"
    build(archive, out)
    assert (archive / CACHE_DIR / SAVED_FILE).is_file()
    loaded: list[str] = []
    hashed: list[str] = []
    load_source = loader.load_source
    monkeypatch.setattr(
        loader,
        "load_source",
        lambda path, *rest: loaded.append(path.name) or load_source(path, *rest),
    )
    read_hash = uptodate._read_hash
    monkeypatch.setattr(
        uptodate, "_read_hash", lambda path: hashed.append(path.name) or read_hash(path)
    )
    edit_article(archive)
    build(archive, out)
    assert loaded == ["wire_reuters.txt"]
    # the edited article and the files that are not articles (the sidecar, the dictionary...)
    assert "wire_reuters.txt" in hashed
    assert not [
        name for name in hashed if name.endswith((".txt", ".md")) and name != "wire_reuters.txt"
    ]
    assert snapshot(out) == cold(archive, tmp_path, "facts")


@pytest.mark.parametrize("change", ARCHIVE_CHANGES, ids=[c.__name__ for c in ARCHIVE_CHANGES])
def test_a_rebuild_taking_the_last_builds_file_facts_equals_a_cold_build(
    tmp_path, change, settled_at_once
):
    archive = mixed_archive(tmp_path / "archive")
    out = tmp_path / "site"
    build(archive, out)
    change(archive)
    build(archive, out)
    assert snapshot(out) == cold(archive, tmp_path, change.__name__)
