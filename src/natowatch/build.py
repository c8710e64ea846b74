"""The build: load every article, understand it, resolve aliases across articles, render
every page, then swap the site in.

Everything is computed in memory before anything is written (gather, then write), so every
page sees the same archive and a failure leaves the previous ``site/`` untouched. A build whose
inputs are all unchanged since the last build into the same folder does nothing (uptodate.py).
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from natowatch.archive.cache import CACHE_DIR
from natowatch.archive.config import Config, config_with_site_url, load_config
from natowatch.core.discarded import free_discarded
from natowatch.core.errors import InputError
from natowatch.core.file_facts import load_file_facts
from natowatch.core.known_files import KnownFiles
from natowatch.publish.write import remove_stale_temporaries
from natowatch.uptodate import PreviousBuild, input_stamp, previous_build, remember_build

if TYPE_CHECKING:  # imported for real only when a build runs (see below)
    from natowatch.archive.cache import Entry, RecordCache
    from natowatch.archive.loader import LoadedArchive
    from natowatch.core.model import Article
    from natowatch.corpus.saved_indexes import SavedIndexes
    from natowatch.kept import Kept
    from natowatch.preview import LastBuild
    from natowatch.publish.page_inputs import RecordDigests
    from natowatch.publish.search_guess import KeptDocuments, SearchGuess


# The largest share of pages changed for a command-line build to index for search while its
# data files are written (``SiteWriter``'s early hook), with the records still in memory.
EARLY_SEARCH_SHARE = 0.05
# At most this many records read anew for a session's build to guess their pages for the
# search indexer (``publish.search_guess``): an edit or two, not a rewrite of the archive.
GUESSED_RECORDS = 3


@dataclass(frozen=True)
class BuildReport:
    """What a build did: counts, and every file it skipped or read with a caveat."""

    articles: int
    files: int
    out_dir: Path
    skipped: tuple[InputError, ...] = ()
    warnings: tuple[InputError, ...] = ()
    timings: tuple[tuple[str, float], ...] = ()  # (stage, seconds), for --verbose
    reused: int = 0  # files carried over unchanged from the previous site
    up_to_date: bool = False  # nothing changed since the last build: nothing was done
    drafts: int = 0  # draft articles left out (build them with ``drafts``)


@dataclass
class BuildSession:
    """What a long-running caller (``natowatch serve``) keeps from one build to the next: the
    records by cache key, as objects, and their digests (``page_inputs``), so a rebuild after
    an edit reads and unpickles no record that did not change and hashes none again; and the
    cross-article indexes, page keys and data file pieces, brought up to date for what
    changed (``natowatch.kept``); the input files' bytes and hashes while they are
    unchanged (``core.known_files``); and which rows the record cache kept, so the next build
    deletes only those it no longer keeps."""

    records: dict[str, Entry] = field(default_factory=dict)
    digests: RecordDigests | None = None
    kept: Kept | None = None  # indexes, page keys and data pieces, brought up to date
    last: LastBuild | None = None  # what the last full build read and made (previews)
    files: KnownFiles = field(default_factory=KnownFiles)  # input files, while unchanged
    cache_rows: dict[str, set[str]] = field(default_factory=dict)  # what the record cache kept
    search_documents: KeptDocuments | None = None  # what the search guess gave Pagefind
    # The pages ``serve`` has just shown as previews of the saved articles (site path -> bytes,
    # rendered against the last build): the next build's search guess, not rendered again.
    previews: dict[str, bytes] | None = None
    # The records those previews extracted, by cache key: the next build's, not extracted again.
    extracted: dict[str, Entry] = field(default_factory=dict)

    def close(self) -> None:
        """Let go of what the session keeps for the search guess, and do the record cache's
        writes still put off (``serve`` stops)."""
        if self.search_documents is not None:
            self.search_documents.close()
        free_discarded()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for the build; the build collects once, where it frees
    the records.

    The records and the cross-article indexes live as long as the build and hold no cycles,
    yet every time the heap grew by a quarter the collector scanned all of them: 14 full
    collections, finding nothing, cost 3 s of a 17 s one-edit rebuild at 5,000 articles. The
    build freezes what is alive once the records are read (frozen objects are left out of
    collections and still freed by reference counting); the freeze ends with the build.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()


class Stopwatch:
    """Seconds spent per build stage, in order; console output only, never in the site."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, float]] = []
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages.append((stage, now - self._last))
        self._last = now


def build(
    source: Path,
    out_dir: Path,
    site_url: str | None = None,
    keep_going: bool = False,
    fresh: bool = False,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    drafts: bool = False,
    session: BuildSession | None = None,
    skip_if_up_to_date: bool = True,
) -> BuildReport:
    """Build the site for the archive in ``source`` into ``out_dir``.

    ``site_url`` (the published address, e.g. from GitHub Pages) overrides ``natowatch.yml``.
    Any unreadable input fails the build before anything is written (ArchiveErrors lists all of
    it), unless ``keep_going``: then the rest is built, with a build-report page listing what
    was skipped, and the report says so (the CLI still exits non-zero).

    Extracted records are cached per article under ``<source>/.natowatch-cache/``; ``fresh``
    ignores what is cached (a cold build, as on a fresh clone). ``workers`` processes extract
    the articles that are not cached and render the pages (default: one per core); pages whose
    inputs are unchanged since the last build into ``out_dir`` are carried over (not ``fresh``).
    ``progress(done, total)`` is called as articles are read (the CLI's progress bar).
    Draft articles (``draft: true`` or ``published: false`` in front matter) are left out
    unless ``drafts``.

    When every input is unchanged since the last build into ``out_dir`` (and that output is
    intact), nothing is rebuilt and the last build's report is returned; ``fresh`` always builds.
    ``session`` keeps records in memory between builds of one process (``BuildSession``);
    ``skip_if_up_to_date=False`` builds even then (to fill a session: the output is the same).
    """
    free_discarded()  # what the last build discarded, if no idle moment has freed it yet
    watch = Stopwatch()
    # A build killed mid-way leaves its temporary folder (or, between the two renames, the old
    # site under another name): tidy up first, so an up-to-date build leaves nothing behind.
    remove_stale_temporaries(out_dir)
    files = session.files if session is not None else None
    if files is not None:
        files.start()
    # Without a session, what the last build made of each unchanged file (its hash, its
    # record key) is taken again instead of reading the file (``core.file_facts``).
    facts = None if session is not None else load_file_facts(source / CACHE_DIR, not fresh)
    stamp = input_stamp(source, (site_url, keep_going, drafts), files, facts)
    last = None if fresh or not skip_if_up_to_date else previous_build(source, out_dir, stamp)
    watch.lap("check inputs against the last build")
    if last is not None:
        return _report(last, out_dir, watch, reused=last.files, up_to_date=True)
    # Imported here, not at the top: an up-to-date build returns above without paying for
    # Jinja2, the extraction rules and the search indexer (a third of a second of start-up).
    from natowatch.archive.cache import RecordCache
    from natowatch.archive.loader import ArchiveErrors, read_archive
    from natowatch.core.memory import forget_archive_caches, return_freed_memory
    from natowatch.preview import LastBuild
    from natowatch.publish.early_pieces import start_early_pieces
    from natowatch.publish.page_inputs import RecordDigests
    from natowatch.publish.previous_pieces import PreviousPieces
    from natowatch.publish.render import CrossArticle, render_into
    from natowatch.publish.saved_keys import load_page_keys
    from natowatch.publish.search import start_search_index
    from natowatch.publish.stored_json import StoredJson
    from natowatch.publish.write import SiteWriter, reusable_page_keys
    from natowatch.understand.aliases import resolve_aliases

    problems: list[InputError] = []
    try:
        config = load_config(source)
    except InputError as error:
        problems.append(error)
        config = Config()
    if site_url is not None:
        config = config_with_site_url(config, site_url, source)
    with collector_paused():
        cache = RecordCache(
            source,
            read=not fresh,
            memory=session.records if session else None,
            kept_rows=session.cache_rows if session else None,
            later=session is not None,  # writes done when the session is idle
        )
        processes = workers if workers is not None else (os.cpu_count() or 1)
        early = None
        previous = None
        try:
            loaded = read_archive(
                source,
                max_bytes=config.max_article_kb * 1000,
                cache=cache,
                workers=processes,
                progress=progress,
                drafts=drafts,
                files=files,
                extracted=session.extracted if session else None,
                facts=facts,
            )
            if facts is not None:
                facts.save()
            if session is not None:
                session.extracted.clear()  # used once
            if files is not None:
                files.finish()  # every input is read: the others are gone
            gc.freeze()  # the records (and a session's) are read: no collection scans them again
            watch.lap("read and understand articles")
            problems.extend(loaded.errors)
            if problems and not keep_going:
                raise ArchiveErrors(problems, loaded.warnings)
            digests = (
                RecordDigests() if session is None or session.digests is None else session.digests
            )
            digests.learn(loaded.articles, loaded.record_keys)
            if session is None and processes > 1:  # (serve makes few records at a time)
                early = start_early_pieces(cache, source, _extracted_by_id(loaded))
            kept = _kept(session)
            saved = None if kept else saved_indexes(cache, digests.of, fresh)
            articles = resolve_aliases(
                loaded.articles,
                kept.renames if kept else None,
                saved.renames if saved else None,
            )
            watch.lap("resolve aliases across articles")
            indexes = CrossArticle()
            # The search index is made while the data files are written (SiteWriter's early
            # hook): always in serve; in a CLI build only when few pages changed (one shard or
            # two to index), else after the records are freed (below), as indexing every shard
            # beside them made the memory peak of a cold build.
            early_share = None if session is not None else EARLY_SEARCH_SHARE
            streams = kept.streams if kept else None
            guess = _search_guess(session, loaded.articles, articles)
            search = (
                start_search_index if guess is None else partial(start_search_index, guess=guess)
            )
            with SiteWriter(out_dir, search, early_share, streams) as writer, _discarded(guess):
                if guess is not None and writer.previous is not None:
                    guess.start(writer.temp_dir, out_dir)
                # Without a session, the data files' pieces no change reached are read from
                # the previous site's copies (``previous_pieces``).
                if kept is None:
                    site = out_dir if writer.previous is not None else None
                    previous = PreviousPieces(cache.path.parent, site, writer.previous, not fresh)
                stored = StoredJson(cache, digests, kept.pieces if kept else None, early, previous)
                keys = render_into(
                    writer,
                    articles,
                    config,
                    problems=[*problems, *loaded.warnings] if problems else None,
                    previous_keys=None if fresh else reusable_page_keys(out_dir),
                    workers=processes,
                    words=loaded.words,
                    digests=digests,
                    stored=stored,
                    indexes=indexes,
                    kept=kept.indexes if kept else None,
                    kept_keys=kept.page_keys if kept else None,
                    saved=saved,
                    saved_keys=None if kept else load_page_keys(cache.path.parent, not fresh),
                )
                stored.finish()
                if previous is not None:
                    previous.finish(writer.temp_dir, writer.hashes)
                cache.close()
                landed = None
                if session is not None:  # kept only once the build has landed (below)
                    digests.keep_only(articles)
                    renames = kept.renames if kept else None
                    landed = (digests, LastBuild(source, config, loaded, indexes, drafts, renames))
                watch.lap("render and write pages and data")
                article_count, warnings = len(articles), tuple(loaded.warnings)
                left_out = len(loaded.drafts)
                # The records are done with: free them before the search indexers start, so their
                # memory and the indexers' do not add up (the build's peak on large archives).
                del articles, loaded, digests, stored, indexes
                if session is None:  # a session keeps the records: its owner collects (serve)
                    forget_archive_caches()
                    gc.collect()
                    return_freed_memory()
                written = writer.finish(  # indexes for search unless it started early
                    page_keys=keys,
                    remove_old_later=session is not None,  # serve: no rebuild waits for it
                )
            if session is not None and landed is not None:
                session.digests, session.last = landed
        finally:
            if early is not None:
                early.finish()
            if previous is not None:  # (closed already unless the build failed)
                previous.close()
            cache.close()
    watch.lap("index for search, swap in")
    done = PreviousBuild(
        articles=article_count,
        files=written.written + written.reused,
        skipped=tuple(problems),
        warnings=warnings,
        drafts=left_out,
    )
    remember_build(source, out_dir, stamp, done)
    return _report(done, out_dir, watch, reused=written.reused)


def _search_guess(
    session: BuildSession | None, read: Sequence[Article], published: Sequence[Article]
) -> SearchGuess | None:
    """Pagefind's head start in a session (``publish.search_guess``): the pages of the few
    records read anew, rendered against the last build; None when there are none."""
    if session is None or session.last is None:
        return None
    from natowatch.preview import changed_article_pages
    from natowatch.publish.search_guess import KeptDocuments, SearchGuess

    previews, session.previews = session.previews, None  # used once
    expected = previews or changed_article_pages(session.last, read, published, GUESSED_RECORDS)
    if not expected:
        return None
    if session.search_documents is None:
        session.search_documents = KeptDocuments()
    return SearchGuess(expected, session.search_documents)


@contextmanager
def _discarded(guess: SearchGuess | None) -> Iterator[None]:
    """The guess's runs not taken by the search index stopped when the build ends (before a
    failed build's folder is removed)."""
    try:
        yield
    finally:
        if guess is not None:
            guess.discard()


def _extracted_by_id(loaded: LoadedArchive) -> list[str]:
    """The keys of the records this build extracted, in the order of the records' ids (the
    order ``data/articles.json`` is written in)."""
    return [key for _, key in sorted(loaded.record_keys.items()) if key in loaded.extracted]


def saved_indexes(cache: RecordCache, mark: Callable[[Article], str], fresh: bool) -> SavedIndexes:
    """The indexes the last command-line build saved beside the record cache (none when
    ``fresh``: a cold build makes them afresh, and saves them)."""
    from natowatch.corpus.saved_indexes import load_indexes, new_indexes

    folder = cache.path.parent
    return new_indexes(folder, mark) if fresh else load_indexes(folder, mark)


def _kept(session: BuildSession | None) -> Kept | None:
    """What the session keeps between builds (made on its first build); None without one."""
    if session is None:
        return None
    if session.kept is None:
        from natowatch.kept import Kept

        session.kept = Kept()
    return session.kept


def _report(
    build: PreviousBuild, out_dir: Path, watch: Stopwatch, reused: int, up_to_date: bool = False
) -> BuildReport:
    return BuildReport(
        articles=build.articles,
        files=build.files,
        out_dir=out_dir,
        skipped=build.skipped,
        warnings=build.warnings,
        timings=tuple(watch.stages),
        reused=reused,
        up_to_date=up_to_date,
        drafts=build.drafts,
    )
