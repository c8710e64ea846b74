"""Input files kept by a session (``core.known_files``): read again whenever the file system
says they may have changed, and a session's build after any change is a cold build's."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from changes import ARCHIVE_CHANGES, cold, mixed_archive, snapshot
from natowatch.build import BuildSession, build
from natowatch.core import known_files
from natowatch.core.known_files import KnownFiles


@pytest.fixture
def disk_reads(monkeypatch) -> list[str]:
    """The names of the files read from disk."""
    reads: list[str] = []
    real = Path.read_bytes

    def counting(path: Path) -> bytes:
        reads.append(path.name)
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", counting)
    return reads


@pytest.fixture
def settle_at_once(monkeypatch) -> None:
    """Files count as settled as soon as they are read (the status-change time cannot be set
    back to make one look old); a test waits a coarse clock's tick between writes instead."""
    monkeypatch.setattr(known_files, "SETTLED_NS", 0)


def tick() -> None:
    time.sleep(0.05)  # past a coarse file-system clock's tick: a later write shows


def test_a_settled_unchanged_file_is_read_once(tmp_path, disk_reads, settle_at_once):
    path = tmp_path / "a.txt"
    path.write_text("one")
    files = KnownFiles()
    made: list[bytes] = []
    for _ in range(3):
        assert files.read_bytes(path) == b"one"
        assert files.made(path, "upper", lambda data: made.append(data) or data.upper()) == b"ONE"
    assert disk_reads == ["a.txt"] and made == [b"one"]


def test_a_rewrite_of_the_same_size_with_the_old_modification_time_is_read_again(
    tmp_path, disk_reads, settle_at_once
):
    path = tmp_path / "a.txt"
    path.write_text("one")
    files = KnownFiles()
    assert files.made(path, "upper", bytes.upper) == b"ONE"
    tick()
    before = path.stat()
    path.write_text("two")  # same size; the modification time put back as it was
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    files.start()  # the next build
    assert files.read_bytes(path) == b"two"
    assert files.made(path, "upper", bytes.upper) == b"TWO"
    assert disk_reads == ["a.txt", "a.txt"]


def test_a_build_asks_the_file_system_about_a_file_once(tmp_path, settle_at_once):
    """The up-to-date check and the loader read each article in one build: the second read
    is not a second ``stat``, and sees the bytes the first saw; the next build looks again."""
    path = tmp_path / "a.txt"
    path.write_text("one")
    files = KnownFiles()
    files.start()
    assert files.read_bytes(path) == b"one"
    tick()
    path.write_text("two")
    assert files.read_bytes(path) == b"one"  # the same build
    files.start()
    assert files.read_bytes(path) == b"two"


def test_a_file_saved_just_now_is_read_every_time_until_it_settles(tmp_path, disk_reads):
    assert known_files.SETTLED_NS >= 10**9
    path = tmp_path / "a.txt"
    path.write_text("one")
    files = KnownFiles()
    for _ in range(3):
        assert files.read_bytes(path) == b"one"
    assert disk_reads == ["a.txt"] * 3


def test_files_not_read_since_the_last_finish_are_forgotten(tmp_path, disk_reads, settle_at_once):
    kept, gone = tmp_path / "kept.txt", tmp_path / "gone.txt"
    for path in (kept, gone):
        path.write_text("x")
    files = KnownFiles()
    files.read_bytes(kept), files.read_bytes(gone)
    files.finish()
    files.read_bytes(kept)
    files.finish()  # gone.txt was not read in this round
    files.read_bytes(kept), files.read_bytes(gone)
    assert disk_reads == ["kept.txt", "gone.txt", "gone.txt"]


def test_a_missing_file_raises_as_reading_it_would(tmp_path):
    with pytest.raises(FileNotFoundError):
        KnownFiles().read_bytes(tmp_path / "nothing.txt")


def rebuilt_in_session(tmp_path: Path, change: Callable[[Path], None]) -> Path:
    """The mixed archive built in a session, changed a tick later, and built again; the site."""
    archive = mixed_archive(tmp_path / "archive")
    out = tmp_path / "site"
    session = BuildSession()
    build(archive, out, session=session)
    tick()
    change(archive)
    build(archive, out, session=session)
    return out


@pytest.mark.parametrize("change", ARCHIVE_CHANGES, ids=[c.__name__ for c in ARCHIVE_CHANGES])
def test_a_session_build_after_a_change_equals_a_cold_build(tmp_path, settle_at_once, change):
    """Files kept as soon as they are read (no wait to settle): each change is still seen."""
    out = rebuilt_in_session(tmp_path, change)
    assert snapshot(out) == cold(tmp_path / "archive", tmp_path, change.__name__)


def test_a_session_reads_only_the_changed_files_again(tmp_path, disk_reads, settle_at_once):
    def edit(archive: Path) -> None:
        path = archive / "wire_reuters.txt"
        path.write_text(path.read_text().replace("32 member states", "32 allies"), "utf-8")
        disk_reads.clear()

    rebuilt_in_session(tmp_path, edit)
    inputs = {path.name for path in (tmp_path / "archive").iterdir() if path.is_file()}
    assert set(disk_reads) & inputs == {"wire_reuters.txt"}


def test_a_session_loads_and_keys_only_the_changed_files_again(
    tmp_path, settle_at_once, monkeypatch
):
    """Each file's ``Source`` and record key are kept with its bytes; a change to the sidecar
    alone re-keys the file it names without reading it again (equal output: test above)."""
    from natowatch.archive import loader

    loaded: list[str] = []
    real = loader.load_source
    monkeypatch.setattr(
        loader, "load_source", lambda path, *rest: loaded.append(path.name) or real(path, *rest)
    )

    def edit(archive: Path) -> None:
        path = archive / "wire_reuters.txt"
        path.write_text(path.read_text().replace("32 member states", "32 allies"), "utf-8")
        loaded.clear()

    rebuilt_in_session(tmp_path, edit)
    assert loaded == ["wire_reuters.txt"]


@pytest.fixture
def listings(monkeypatch) -> list[Path]:
    """The folders the archive was listed in (``sources.find_articles``), by any build."""
    from natowatch.archive import sources

    listed: list[Path] = []
    real = sources.find_articles

    def counting(folder: Path) -> list[Path]:
        listed.append(folder)
        return real(folder)

    for module in ("natowatch.uptodate", "natowatch.archive.loader"):
        monkeypatch.setattr(f"{module}.find_articles", counting)
    return listed


def test_a_build_lists_the_archive_once(tmp_path, listings):
    """The up-to-date check and the loader share one listing of the archive per build; a
    file added before the next build is found by it."""
    from natowatch.archive.sources import find_articles as real

    archive = mixed_archive(tmp_path / "archive")
    session = BuildSession()
    build(archive, tmp_path / "site", session=session)
    assert len(listings) == 1
    (archive / "new.md").write_text("---\ntitle: New\n---\n\nA new article about NATO.\n")
    report = build(archive, tmp_path / "site", session=session)
    assert len(listings) == 2 and report.articles == len(real(archive))


def test_a_session_keeps_the_listing_while_no_folder_changes(tmp_path, settle_at_once, listings):
    """Edits inside files leave the archive's folders as they were: the listing is kept from
    build to build. A file added in a subfolder, or a new subfolder, is listed again."""
    from natowatch.archive.sources import find_articles as real

    archive = mixed_archive(tmp_path / "archive")
    (archive / "more").mkdir()
    (archive / "more" / "first.md").write_text("---\ntitle: First\n---\n\nNATO met.\n")
    session, out = BuildSession(), tmp_path / "site"
    build(archive, out, session=session)  # makes the record cache's folder: listed again
    tick()
    build(archive, out, session=session, skip_if_up_to_date=False)
    listings.clear()
    tick()
    path = archive / "wire_reuters.txt"
    path.write_text(path.read_text().replace("32 member states", "32 allies"), "utf-8")
    build(archive, out, session=session)
    assert listings == []  # the edit changed no folder
    tick()
    (archive / "more" / "second.md").write_text("---\ntitle: Second\n---\n\nNATO met again.\n")
    report = build(archive, out, session=session)
    assert len(listings) == 1 and report.articles == len(real(archive))
    tick()
    (archive / "more" / "deeper").mkdir()
    (archive / "more" / "deeper" / "third.md").write_text("---\ntitle: Third\n---\n\nAgain.\n")
    report = build(archive, out, session=session)
    assert len(listings) == 2 and report.articles == len(real(archive))
    assert snapshot(out) == cold(archive, tmp_path, "listing")


def test_a_listing_made_just_after_a_folder_changed_is_not_kept(tmp_path, monkeypatch):
    """A folder changed within ``SETTLED_NS`` may change again unseen within its clock's
    tick: its listing serves one build only."""
    files = KnownFiles()
    folder = tmp_path / "archive"
    folder.mkdir()
    made: list[int] = []
    files.start()
    files.listed(folder, lambda where: made.append(1) or sorted(os.listdir(where)))
    files.start()
    files.listed(folder, lambda where: made.append(1) or sorted(os.listdir(where)))
    assert len(made) == 2
