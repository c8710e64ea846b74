"""A build with nothing changed does nothing; any change to any input builds again, and the
result is then exactly a cold build's."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from changes import (
    ARCHIVE_CHANGES,
    cold,
    edit_article,
    edit_template,
    mixed_archive,
    snapshot,
    use_template_copy,
)
from natowatch import uptodate
from natowatch.archive.cache import CACHE_DIR
from natowatch.archive.loader import ArchiveErrors
from natowatch.build import build
from natowatch.cli import main
from natowatch.core import fingerprints


@pytest.fixture
def archive(tmp_path) -> Path:
    return mixed_archive(tmp_path / "archive")


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*")}


def test_a_second_build_with_nothing_changed_touches_nothing(archive, tmp_path):
    out = tmp_path / "site"
    first = build(archive, out)
    before = inodes(out)
    second = build(archive, out)
    assert second.up_to_date and not first.up_to_date
    assert inodes(out) == before  # not even swapped: the very same files
    assert (second.articles, second.files, second.warnings, second.skipped) == (
        first.articles,
        first.files,
        first.warnings,
        first.skipped,
    )
    assert [stage for stage, _ in second.timings] == ["check inputs against the last build"]


@pytest.mark.parametrize("change", ARCHIVE_CHANGES, ids=[c.__name__ for c in ARCHIVE_CHANGES])
def test_any_change_to_the_archive_builds_again(archive, tmp_path, change):
    out = tmp_path / "site"
    build(archive, out)
    change(archive)
    report = build(archive, out)
    assert not report.up_to_date
    assert snapshot(out) == cold(archive, tmp_path, change.__name__)
    assert build(archive, out).up_to_date


def test_a_template_change_builds_again(archive, tmp_path, monkeypatch):
    templates = use_template_copy(monkeypatch, tmp_path)
    out = tmp_path / "site"
    build(archive, out)
    edit_template(templates)
    assert not build(archive, out).up_to_date
    assert b"<!-- edited template -->" in (out / "index.html").read_bytes()


def test_a_change_to_natowatch_itself_builds_again(archive, tmp_path, monkeypatch):
    out = tmp_path / "site"
    build(archive, out)
    monkeypatch.setattr(uptodate, "code_fingerprint", lambda: "an upgraded natowatch")
    assert not build(archive, out).up_to_date


def test_different_options_or_output_folders_build_again(archive, tmp_path):
    out = tmp_path / "site"
    build(archive, out)
    assert not build(archive, out, site_url="https://example.org/archive/").up_to_date
    assert not build(archive, out).up_to_date  # back without the address: built again
    assert not build(archive, tmp_path / "other-site").up_to_date
    assert build(archive, out).up_to_date and build(archive, tmp_path / "other-site").up_to_date


def test_fresh_always_builds(archive, tmp_path):
    out = tmp_path / "site"
    build(archive, out)
    report = build(archive, out, fresh=True)
    assert not report.up_to_date and "render and write pages and data" in dict(report.timings)


@pytest.mark.parametrize("damage", ["delete a page", "rewrite the manifest", "delete the site"])
def test_a_damaged_output_folder_is_built_again(archive, tmp_path, damage):
    out = tmp_path / "site"
    build(archive, out)
    expected = snapshot(out)
    if damage == "delete a page":
        (out / "timeline.html").unlink()
    elif damage == "rewrite the manifest":
        marker = out / ".natowatch-site"
        marker.write_text(marker.read_text().replace('"files"', '"files" ', 1))
    else:
        shutil.rmtree(out)
    assert not build(archive, out).up_to_date
    assert snapshot(out) == expected


def test_an_edit_that_restores_the_old_bytes_is_still_up_to_date(archive, tmp_path):
    out = tmp_path / "site"
    build(archive, out)
    path = archive / "guardian.txt"
    text = path.read_bytes()
    path.write_bytes(text + b"\n")
    path.write_bytes(text)
    os.utime(path, (1, 1))  # content, not timestamps, decides
    assert build(archive, out).up_to_date


def test_an_up_to_date_build_with_skipped_files_still_reports_them(archive, tmp_path, capsys):
    (archive / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    out = tmp_path / "site"
    command = ["build", str(archive), "--out", str(out), "--keep-going"]
    assert main(command) == 1
    first = capsys.readouterr()
    assert main(command) == 1
    second = capsys.readouterr()
    assert "is up to date" in second.out and "skipped 1" in second.out
    assert second.err == first.err and "broken.md:2" in second.err


def test_a_failed_build_is_not_remembered(archive, tmp_path):
    (archive / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    out = tmp_path / "site"
    with pytest.raises(ArchiveErrors, match=r"broken\.md"):
        build(archive, out)
    (archive / "broken.md").unlink()
    assert not build(archive, out).up_to_date


def test_a_read_only_cache_folder_only_costs_speed(archive, tmp_path):
    (archive / CACHE_DIR).mkdir()
    (archive / CACHE_DIR / uptodate.RECORD_FILE).mkdir()  # cannot be written as a file
    out = tmp_path / "site"
    build(archive, out)
    assert not build(archive, out).up_to_date
    edit_article(archive)
    assert not build(archive, out).up_to_date


def test_an_upgraded_library_builds_again(archive, tmp_path, monkeypatch):
    out = tmp_path / "site"
    build(archive, out)
    real = fingerprints._version
    monkeypatch.setattr(
        fingerprints, "_version", lambda name: "99.0" if name == "pagefind-bin" else real(name)
    )
    fingerprints.code_fingerprint.cache_clear()
    try:
        assert not build(archive, out).up_to_date
    finally:
        monkeypatch.undo()
        fingerprints.code_fingerprint.cache_clear()
