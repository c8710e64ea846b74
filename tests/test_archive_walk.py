"""Listing the archive: which files are articles, in which order, and which links leave it.

The listing runs on every build and every ``serve`` rebuild, so it works from folder listings
and strings; these tests hold it to what pathlib gives for the same trees (the reference
implementations below are the ones it replaced), on generated trees and on hand-made ones.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from natowatch.archive.sources import FORMATS, find_articles, is_article_file, links_outside


def _articles_by_pathlib(archive: Path) -> list[Path]:
    found: list[Path] = []
    for folder, subfolders, files in os.walk(archive, followlinks=False):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        found.extend(
            Path(folder) / name
            for name in files
            if not name.startswith(".") and Path(name).suffix.lower() in FORMATS
        )
    return sorted(found, key=lambda path: path.relative_to(archive).as_posix())


def _links_by_pathlib(archive: Path) -> list[Path]:
    root = archive.resolve()
    outside = []
    for folder, subfolders, files in os.walk(archive, followlinks=False):
        subfolders[:] = sorted(subfolders)
        for name in sorted([*subfolders, *files]):
            path = Path(folder) / name
            if path.is_symlink():
                try:
                    path.resolve().relative_to(root)
                except (ValueError, OSError, RuntimeError):
                    outside.append(path)
    return outside


_NAMES = st.sampled_from(
    ["a", "B", "a-b", "a.b", ".hidden", "z", "Ä", "a b", "10", "9", "_x", ".natowatch-cache"]
)
_SUFFIXES = st.sampled_from([".md", ".MD", ".txt", ".markdown", ".html", "", ".md.bak", "."])
_ENTRY = st.tuples(
    st.lists(_NAMES, max_size=2),  # folders leading to it
    _NAMES,
    _SUFFIXES,
    st.sampled_from(["file", "file", "file", "link-out", "link-in", "folder-link-out"]),
)


def _make_tree(root: Path, entries: list[tuple[list[str], str, str, str]]) -> Path:
    archive, outside = root / "archive", root / "outside"
    archive.mkdir()
    outside.mkdir()
    (outside / "far.md").write_text("far", encoding="utf-8")
    for folders, stem, suffix, kind in entries:
        folder = archive.joinpath(*folders)
        target = folder / (stem + suffix)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if target.exists() or target.is_symlink():
                continue
            if kind == "file":
                target.write_text("text", encoding="utf-8")
            elif kind == "link-out":
                target.symlink_to(outside / "far.md")
            elif kind == "link-in":
                target.symlink_to(archive)
            else:
                target.symlink_to(outside)
        except (FileExistsError, NotADirectoryError):
            continue  # a file already took a folder's name, or the other way round
    return archive


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_ENTRY, max_size=12))
def test_listing_is_what_pathlib_lists(tmp_path_factory, entries):
    archive = _make_tree(tmp_path_factory.mktemp("walk"), entries)
    assert find_articles(archive) == _articles_by_pathlib(archive)
    assert [error.path for error in links_outside(archive)] == [
        str(path) for path in _links_by_pathlib(archive)
    ]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_ENTRY, max_size=12))
def test_one_file_is_an_article_exactly_when_the_listing_has_it(tmp_path_factory, entries):
    """``is_article_file`` (the preview's question about one saved file) agrees with the
    listing for every path in the tree, links and folders included, and for paths that are
    not there or not below the archive."""
    root = tmp_path_factory.mktemp("one")
    archive = _make_tree(root, entries)
    listed = set(find_articles(archive))
    every = {Path(folder) / name for folder, subs, files in os.walk(root) for name in subs + files}
    every |= {path / "far.md" for path in every if path.is_symlink() and path.is_dir()}
    every |= {archive / "gone.md", archive / "a" / "gone.txt", root / "outside" / "far.md", archive}
    for path in every:
        assert is_article_file(path, archive) == (path in listed), path


def test_links_are_reported_folder_by_folder_in_name_order(tmp_path):
    entries = [
        (["b"], "inner", ".md", "link-out"),
        ([], "c", ".md", "link-out"),
        ([], "a", "", "folder-link-out"),
        (["b", "deeper"], "x", ".txt", "link-out"),
        (["b"], "fine", ".md", "link-in"),
        ([".hidden"], "secret", ".md", "link-out"),
    ]
    archive = _make_tree(tmp_path, entries)
    reported = [
        Path(error.path).relative_to(archive).as_posix() for error in links_outside(archive)
    ]
    assert reported == ["a", "c.md", ".hidden/secret.md", "b/inner.md", "b/deeper/x.txt"]


def test_articles_come_in_path_order_without_hidden_or_other_files(tmp_path):
    entries = [
        (["b"], "one", ".MD", "file"),
        ([], "b", ".md", "file"),
        ([], "a", ".txt", "file"),
        ([".hidden"], "x", ".md", "file"),
        ([], ".dot", ".md", "file"),
        ([], "page", ".html", "file"),
        (["a"], "z", ".markdown", "file"),
    ]
    archive = _make_tree(tmp_path, entries)
    listed = [path.relative_to(archive).as_posix() for path in find_articles(archive)]
    assert listed == ["a.txt", "a/z.markdown", "b.md", "b/one.MD"]
