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
import shutil
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from natowatch.publish import search
from natowatch.publish.write import manifest_list, read_manifest


class SearchGuess:
    """Pagefind runs on the shards that ``expected`` pages (site path -> bytes, rendered ahead
    of the build) would re-index, into the new site's bundle folders."""

    def __init__(self, expected: Mapping[str, bytes], kept: KeptDocuments | None = None) -> None:
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
        # Inside the new site, filled page by page in order, as the build's own scratch is:
        # Pagefind's index depends on the order it finds the files in.
        self._scratch = Path(tempfile.mkdtemp(prefix=".pagefind-guess-", dir=site))
        digests = read_manifest(previous) or {}
        for shard in sorted(dirty):
            folder = self._scratch / str(shard + 1)
            kept = self._kept.documents(count, shard, digests) if self._kept is not None else {}
            filled = _fill(folder, shards[shard], kept, previous, self._documents, digests)
            if self._kept is not None:
                self._kept.keep(count, shard, filled)
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
                    given = _read(previous / page)
                if _read(site / page) != given:
                    return False
            elif page in self._documents:  # guessed to change, and did not
                if self._documents[page] != _read(previous / page):
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


def _read(page: Path) -> bytes | None:
    """What Pagefind reads of a page: its document (``search.search_document``), or the
    whole page where it is put whole."""
    document = search.search_document(page)
    if document is not None:
        return document
    try:
        return page.read_bytes()
    except OSError:
        return None


class KeptDocuments:
    """What Pagefind was given of the guessed shards' pages, kept by a session (``serve``)
    from one build to the next: a page whose bytes in the previous site are those its
    document was cut from is not read and cut down again (the edited article's shard is the
    same one save after save; filling it was 0.04 s of each rebuild). In memory (~4 MB for a
    shard of 500 article pages), not in a folder kept aside: the scratch folder is made anew
    inside the new site each time, in page order, as the build's own is (a folder kept in the
    system's temporary folder gave another file order, and Pagefind another index)."""

    def __init__(self) -> None:
        # (shard count, shard) -> page -> (its digest in the site its document was cut from,
        # the document; None for a page put whole)
        self._pages: dict[tuple[int, int], dict[str, tuple[str, bytes | None]]] = {}

    def documents(
        self, count: int, shard: int, digests: Mapping[str, str]
    ) -> dict[str, bytes | None]:
        """The kept documents still true of the site whose page digests are ``digests``."""
        known = self._pages.get((count, shard), {})
        return {page: doc for page, (digest, doc) in known.items() if digests.get(page) == digest}

    def keep(
        self, count: int, shard: int, filled: Mapping[str, tuple[str | None, bytes | None]]
    ) -> None:
        """What a fill gave Pagefind (pages with no digest, the guessed ones, left out)."""
        self._pages[(count, shard)] = {
            page: (digest, doc) for page, (digest, doc) in filled.items() if digest is not None
        }

    def close(self) -> None:
        self._pages = {}


def _fill(
    folder: Path,
    pages: Sequence[str],
    kept: Mapping[str, bytes | None],
    previous: Path,
    documents: Mapping[str, bytes],
    digests: Mapping[str, str],
) -> dict[str, tuple[str | None, bytes | None]]:
    """Put in the new ``folder`` what Pagefind reads of each page, in order: ``documents``
    for the guessed ones, the ``kept`` document of a page the previous site still has as it
    was, else the previous site's page cut down (or whole, ``search.put_document``).
    Returns each page's digest in ``previous`` (None for a guessed page) and document."""
    folder.mkdir(parents=True, exist_ok=True)
    filled: dict[str, tuple[str | None, bytes | None]] = {}
    for page in pages:
        document: bytes | None
        if page in documents:
            digest, document = None, documents[page]
        else:
            digest = digests.get(page)
            document = kept[page] if page in kept else search.search_document(previous / page)
        search.put_document(document, previous / page, folder / page)
        filled[page] = (digest, document)
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
