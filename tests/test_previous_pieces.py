"""Data file pieces taken from the previous site's copy (``publish.previous_pieces``): after any
mix of changes the site is a cold build's, and pieces are taken only from the file the last
build wrote."""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from benchmarks.generate import generate_corpus, write_archive

from changes import cold, snapshot
from natowatch.build import build
from natowatch.publish.previous_pieces import PreviousPieces

DATA_FILES = ("data/articles.json", "data/entities.json", "data/timeline.json")


def taken_pieces(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the data file of each piece taken from the previous site from now on."""
    taken: list[str] = []
    real = PreviousPieces.take

    def take(self: PreviousPieces, path: str, *rest: Any) -> Any:
        found = real(self, path, *rest)
        if found is not None:
            taken.append(path)
        return found

    monkeypatch.setattr(PreviousPieces, "take", take)
    return taken


def articles_in(archive: Path) -> list[Path]:
    return sorted(path for path in archive.iterdir() if path.suffix in (".md", ".txt"))


def add_dated_sentence(archive: Path, rng: random.Random) -> None:
    """A sentence with a new name and a date: new entity, new timeline entries."""
    path = rng.choice(articles_in(archive))
    day = rng.randint(1, 28)
    sentence = f"\n\nMinister Ilse Varga{rng.randint(1, 3)} met envoys in Riga on {day} May 2019.\n"
    path.write_text(path.read_text(encoding="utf-8") + sentence, encoding="utf-8")


def delete_one(archive: Path, rng: random.Random) -> None:
    rng.choice(articles_in(archive)).unlink()


def add_from_elsewhere(archive: Path, rng: random.Random) -> None:
    """An article of another generated archive (other names, other days)."""
    other = archive.parent / f"other-{rng.randint(0, 10**6)}"
    write_archive(generate_corpus(6, seed=rng.randint(100, 200)), other)
    source = rng.choice([path for path in articles_in(other) if path.suffix == ".md"])
    shutil.copy(source, archive / f"added-{rng.randint(0, 10**6)}.md")
    shutil.rmtree(other)


def move_date(archive: Path, rng: random.Random) -> None:
    """A Markdown article republished on another day: its publication entry moves run."""
    path = rng.choice([path for path in articles_in(archive) if path.suffix == ".md"])
    text = path.read_text(encoding="utf-8")
    moved = re.sub(
        r"^date: .*$", f"date: 2015-03-{rng.randint(1, 28):02d}", text, count=1, flags=re.M
    )
    path.write_text(moved, encoding="utf-8")


def drop_names(archive: Path, rng: random.Random) -> None:
    """A paragraph removed: the article leaves some entities and dates."""
    path = rng.choice(articles_in(archive))
    text = path.read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    if len(paragraphs) > 4:
        del paragraphs[rng.randrange(2, len(paragraphs) - 1)]
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")


CHANGES: list[Callable[[Path, random.Random], None]] = [
    add_dated_sentence,
    delete_one,
    add_from_elsewhere,
    move_date,
    drop_names,
]


def test_after_any_changes_the_site_is_a_cold_builds_and_unchanged_pieces_are_taken(
    tmp_path, monkeypatch
):
    rng = random.Random(11)
    archive = tmp_path / "archive"
    write_archive(generate_corpus(16, seed=11), archive)
    site = tmp_path / "site"
    build(archive, site, workers=1)
    taken = taken_pieces(monkeypatch)
    for round_number in range(5):
        for _ in range(rng.randint(1, 2)):
            rng.choice(CHANGES)(archive, rng)
        taken.clear()
        build(archive, site, workers=1)
        assert set(taken) == set(DATA_FILES)  # every file has pieces no change reached
        assert snapshot(site) == cold(archive, tmp_path, f"round-{round_number}")


def test_pieces_are_not_taken_from_a_site_the_last_build_did_not_write(tmp_path, monkeypatch):
    """Built to another folder in between: the layout saved describes that folder's files, so
    the first site's (the same bytes, other files) are not read; the build after is."""
    archive = tmp_path / "archive"
    write_archive(generate_corpus(12, seed=12), archive)
    first, other = tmp_path / "site", tmp_path / "other"
    build(archive, first, workers=1)
    build(archive, other, workers=1)
    taken = taken_pieces(monkeypatch)
    rng = random.Random(12)
    add_dated_sentence(archive, rng)
    build(archive, first, workers=1)
    assert taken == []
    assert snapshot(first) == cold(archive, tmp_path, "first")
    add_dated_sentence(archive, rng)
    build(archive, first, workers=1)
    assert set(taken) == set(DATA_FILES)
    assert snapshot(first) == cold(archive, tmp_path, "again")


def test_nothing_is_taken_before_the_records_digests_are_told(tmp_path):
    """The saved layout's pieces are taken once ``start`` has said which records changed (by
    digest against the layout), and never from a file the manifest does not vouch for."""
    from natowatch.archive.cache import CACHE_DIR
    from natowatch.core.fingerprints import code_fingerprint
    from natowatch.core.saved import load_pickled
    from natowatch.publish.previous_pieces import SAVED_FILE, Layout
    from natowatch.publish.write import read_manifest

    archive = tmp_path / "archive"
    write_archive(generate_corpus(6, seed=13), archive)
    site = tmp_path / "site"
    build(archive, site, workers=1)
    folder = archive / CACHE_DIR
    manifest = read_manifest(site)
    layout = load_pickled(folder / SAVED_FILE, code_fingerprint())
    assert isinstance(layout, Layout)
    pieces = PreviousPieces(folder, site, manifest, read=True)
    record = sorted(layout.records)[0]
    path = "data/articles.json"
    assert pieces.take(path, record, [record], 1) is None  # not started
    pieces.start(layout.records)
    data, _ = pieces.take(path, record, [record], 1) or (b"", None)
    assert data.startswith(b'{"author_bio":') and data.endswith(b"}") and record.encode() in data
    assert pieces.take(path, record, [record], 2) is None  # made from as many records
    pieces.start({**layout.records, record: "another digest"})
    assert pieces.take(path, record, [record], 1) is None  # a changed record
    pieces.close()
    other = PreviousPieces(folder, site, {**manifest, path: "another digest"}, read=True)
    other.start(layout.records)
    assert other.take(path, record, [record], 1) is None  # not the file the layout describes
    other.close()
