"""Pagefind started on a guess, before the build has rendered the pages it indexes (``serve``).

After a one-article edit ``serve`` re-indexes one search shard: ~500 pages, 0.5-0.7 s of
Pagefind. Started once the article pages are written (``SiteWriter.indexed_pages_done``) it
began ~0.45 s into a rebuild at 5,000 articles, after the cross-article indexes and the
planning, and ended about when the rest of the build did. But what Pagefind reads of an edited
article's page (its marked element and head, ``search.search_document``) rarely depends on
the other articles: the page rendered against the *last* build's indexes (as ``serve``'s
preview does) almost always gives the same document. So the build renders the edited articles'
pages that way as soon as it has read them, and Pagefind indexes the shards they change from
the previous site's pages and those guesses, beside the rest of the build.

A guess is only ever a head start: when the real pages are written, ``take`` keeps a shard's
run only if the shard's pages are the same list and every page Pagefind read is what the real
page gives it (every changed page of the shard is read back and compared); any other run is
stopped and its bundle removed (``discard``), and the shard is indexed as without a guess. So
the index is the bytes a build without a guess makes (tests/test_search_guess.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from natowatch.publish import search
from natowatch.publish.write import files_below, manifest_list, read_manifest


class SearchGuess:
    """Pagefind runs on the shards that ``expected`` pages (site path -> bytes, rendered ahead
    of the build) would re-index, into the new site's bundle folders."""

    def __init__(self, expected: Mapping[str, bytes], kept: KeptScratch | None = None) -> None:
        self.expected = dict(expected)
        self._kept = kept
        self.shards: list[list[str]] | None = None  # the page list of each shard, as guessed
        self._documents: dict[str, bytes] = {}  # what Pagefind was given of each expected page
        self._runs: dict[int, _Run] = {}
        self._site: Path | None = None
        self._scratch: Path | None = None

    def start(self, site: Path, previous: Path) -> bool:
        """Start Pagefind on the guessed shards; False (nothing started) when the guess cannot
        be made: no previous index, an expected page that is new or cannot be cut down to
        what Pagefind reads, or no shard to re-index."""
        known = manifest_list(previous, search.INDEXED_LIST)
        count = search._previous_count(previous)
        if known is None or count is None or not self.expected:
            return False
        shards = search.assign_shards(known)
        if len(shards) != count or not set(self.expected) <= set(known):
            return False
        dirty: set[int] = set()
        for path, data in self.expected.items():
            document = search.document_of(data)
            if document is None:
                return False
            self._documents[path] = document
            if search.input_of(data) != search.search_input(previous / path):
                dirty.add(search.shard_of(path, count))
        if not dirty:
            return False
        self.shards, self._site = shards, site
        if self._kept is None:
            self._scratch = Path(tempfile.mkdtemp(prefix=".pagefind-guess-", dir=site))
        for shard in sorted(dirty):
            if self._kept is not None:
                folder = self._kept.filled(shard, shards[shard], previous, self._documents)
            else:
                assert self._scratch is not None
                folder = self._scratch / str(shard + 1)
                _fill(folder, shards[shard], {}, previous, self._documents)
            self._runs[shard] = _Run(folder, site / search.bundle_name(shard))
        return True

    def take(
        self,
        shards: Sequence[Sequence[str]],
        fresh: Mapping[int, Sequence[str]],
        site: Path,
        previous: Path | None,
        changed: frozenset[str],
    ) -> tuple[set[int], Callable[[], None]]:
        """The shards whose run proved right, among those to index (``fresh``) now that the
        pages are written in ``site``, and the call that waits for those runs (their error
        raised) and removes the scratch folder. The other runs are stopped and their bundles
        removed first, so the caller can index or link those shards itself."""
        taken: dict[int, _Run] = {}
        if previous is not None and self.shards == [list(pages) for pages in shards]:
            for shard, run in self._runs.items():
                if shard in fresh and self._right(shards[shard], site, previous, changed):
                    taken[shard] = run
        for shard in taken:
            del self._runs[shard]
        self._stop_runs()
        scratch, self._scratch = self._scratch, None

        def wait() -> None:
            try:
                for run in taken.values():
                    run.wait()
            finally:
                for run in taken.values():
                    run.stop()
                if scratch is not None:
                    shutil.rmtree(scratch, ignore_errors=True)

        return set(taken), wait

    def _right(
        self, pages: Sequence[str], site: Path, previous: Path, changed: frozenset[str]
    ) -> bool:
        """Whether Pagefind was given what the written pages give it, page by page."""
        for page in pages:
            if page in changed:
                given = self._documents.get(page)
                if given is None:
                    given = search.search_document(previous / page)
                if search.search_document(site / page) != given:
                    return False
            elif page in self._documents:  # guessed to change, and did not
                if self._documents[page] != search.search_document(previous / page):
                    return False
        return True

    def discard(self) -> None:
        """Stop every run not taken and remove its bundle and the scratch folder (a build
        that fails, or never asks, calls this before its folder is removed)."""
        self._stop_runs()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def _stop_runs(self) -> None:
        runs, self._runs = self._runs, {}
        for shard, run in runs.items():
            run.stop()
            assert self._site is not None
            shutil.rmtree(self._site / search.bundle_name(shard), ignore_errors=True)


class KeptScratch:
    """The guessed shards' scratch folders, kept by a session (``serve``) from one build to
    the next in the system's temporary folder: a page whose bytes in the previous site are
    those its document was cut from is not read and written again (the edited article's
    shard is the same one save after save; filling it was 0.04 s of each rebuild). Removed by
    ``close``, or when the object is collected."""

    def __init__(self) -> None:
        self._root: Path | None = None
        # (shard count, shard) -> each page's digest in the site its document came from (None:
        # a guessed page's, not taken again).
        self._pages: dict[tuple[int, int], dict[str, str | None]] = {}
        self._remove: weakref.finalize[..., object] | None = None

    def filled(
        self,
        shard: int,
        pages: Sequence[str],
        previous: Path,
        documents: Mapping[str, bytes],
    ) -> Path:
        """The shard's folder holding what Pagefind reads of ``pages``: ``documents`` for the
        guessed ones, the rest as ``previous`` has them."""
        if self._root is None:
            self._root = Path(tempfile.mkdtemp(prefix="natowatch-search-"))
            self._remove = weakref.finalize(self, shutil.rmtree, self._root, True)
        count = search._previous_count(previous) or 0
        folder = self._root / f"{count}-{shard + 1}"
        known = self._pages.pop((count, shard), {}) if folder.is_dir() else {}
        digests = read_manifest(previous) or {}
        kept = {
            page: digest
            for page, digest in known.items()
            if digest is not None and digests.get(page) == digest
        }
        self._pages[(count, shard)] = _fill(folder, pages, kept, previous, documents, digests)
        return folder

    def close(self) -> None:
        if self._remove is not None:
            self._remove()
        self._root, self._pages = None, {}


def _fill(
    folder: Path,
    pages: Sequence[str],
    kept: Mapping[str, str],
    previous: Path,
    documents: Mapping[str, bytes],
    digests: Mapping[str, str] | None = None,
) -> dict[str, str | None]:
    """Put in ``folder`` what Pagefind reads of each page (``documents``, else the previous
    site's page cut down), but for the pages of ``kept`` already there; remove any other file.
    Returns each page's digest in ``previous`` (None for a document given)."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = set(pages)
    for stale in files_below(str(folder)):
        if stale not in wanted or stale not in kept or stale in documents:
            os.unlink(folder / stale)  # never written into: it may be a link to a site page
    filled: dict[str, str | None] = {}
    for page in pages:
        if page in documents:
            target = folder / page
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(documents[page])
            filled[page] = None
        else:
            if page not in kept:
                search._put_for_indexing(previous / page, folder / page)
            filled[page] = (digests or {}).get(page)
    return filled


class _Run:
    """One Pagefind run in a thread of its own, which can be stopped."""

    def __init__(self, pages: Path, bundle: Path) -> None:
        self._process: list[object] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(pages, bundle), name="natowatch-pagefind-guess", daemon=True
        )
        self._thread.start()

    def _run(self, pages: Path, bundle: Path) -> None:
        try:
            search._run_pagefind(pages, bundle, self._process)
        except BaseException as error:  # raised again by wait()
            self._error = error

    def wait(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error

    def stop(self) -> None:
        """End the run now (it may have ended already) and wait for its thread."""
        for process in self._process:
            with contextlib.suppress(OSError):
                process.kill()  # type: ignore[attr-defined]
        self._thread.join()
