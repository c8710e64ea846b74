"""Full-text search: index the finished site with Pagefind before it is swapped into place.

Pagefind comes from PyPI with its binary inside the wheel (``pagefind[bin]``), so indexing needs
no download at build time. Only pages with an element marked ``data-pagefind-body`` (the article
pages) are indexed; a site with no such page has all its pages indexed, as Pagefind itself does.

Pagefind has no incremental mode, so the index is split into shards that are built separately
and merged by the search page (Pagefind's ``mergeIndex``):

* A page's shard is a function of its path alone (a SHA-256 of the path, modulo the shard
  count), never of build order, so a cold build and an incremental one give the same bytes.
* The shard count is ``pages // PAGES_PER_SHARD`` (at least 1, at most ``MAX_SHARDS``): each
  shard holds 500 to 1,000 article pages until the cap. Pagefind spends about 1.7 ms of one core
  per page, so a one-article edit re-indexes one shard (1.0 s for the whole index stage at 1,000
  benchmark articles, 1.5 s at 5,000) instead of everything (7 s and 15 s on the same loaded
  two-core machine), and a cold build indexes one shard per core. Shards cost the reader: at
  5,000 articles (10 shards) a first search fetched 41 to 51 files, 550 to 790 KiB, against 15
  files and 375 KiB from one bundle, and 1.3 s instead of 0.7 to 1.0 s to the first result on
  localhost; each shard also repeats about 600 KB of Pagefind scripts on disk. Hence shards of
  at least 500 pages and the cap. Results are the same, but their order can differ a little
  from one bundle's: each shard ranks with its own word statistics. Sites under 1,000 articles
  (the seeds) keep a single bundle, as before sharding. If the hash leaves a shard empty
  (possible only with a few pages per shard), the count is lowered until none is: the result
  still depends only on the paths.
* Shard 1 is written to ``pagefind/`` (its Pagefind UI scripts are the ones search.html loads),
  shard k to ``pagefind-k/``, and the list to ``pagefind-shards.json``, which static/search.js
  fetches (the Content-Security-Policy forbids inline script). Every name starts with
  ``pagefind``, so write.py treats them as derived files.
* A shard is indexed by running Pagefind on a scratch folder holding just its pages at their
  site paths, so result URLs stay relative to the site root. Shards run concurrently, up to one
  Pagefind process per CPU. Each page there is cut down to what Pagefind reads of it
  (``search_document``: the ``<html>`` tag, the head and the marked elements), which gives the
  same bundle bytes as the whole page (tests/test_search.py) and spares Pagefind parsing the
  rest (navigation, story thread, related coverage): 0.33 -> 0.22 s of CPU for 250 benchmark
  article pages. A page with anything else Pagefind could read outside them (a
  ``data-pagefind-`` attribute, an ``h1`` or ``img``) is hard-linked whole instead.
* A shard none of whose pages was added, deleted or changed since the previous build (and with
  the same shard count) is hard-linked from the previous site instead. A page counts as changed
  only if what Pagefind reads of it changed (``search_input``: the marked element, not the
  story thread and related coverage around it). That matters: adding one article changes the
  bytes of every article page (the footer's article count), but the marked element of none of
  the others.
  When the re-indexed shards come out of a different Pagefind version than the reused ones,
  every shard is re-indexed, so bundles of two versions are never merged.

No ``data-pagefind-filter``: Pagefind writes its filter index in hash-map order, which changes
from run to run, and natowatch builds must be byte-identical. Without filters its output is
deterministic (checked by the build-twice test and tests/test_search.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

from natowatch.core.errors import BuildError
from natowatch.publish.write import (
    close_folders,
    files_below,
    link_at,
    link_file,
    link_or_copy,
    manifest_list,
    open_folders,
)

BUNDLE_DIR = "pagefind"
SHARD_LIST = "pagefind-shards.json"
INDEXED_LIST = "search-indexed"  # the manifest's list of the indexed pages
PAGES_PER_SHARD = 500
MAX_SHARDS = 16
_ENTRY = "pagefind-entry.json"
_MARK = b"data-pagefind-body"
# A start tag carrying the attribute ("<" never appears unescaped in text or attribute values).
_MARKED_TAG = re.compile(rb"<[a-zA-Z][^<>]*\sdata-pagefind-body[\s=/>]")
_TAG_NAME = re.compile(rb"<([a-zA-Z][a-zA-Z0-9-]*)")
_HTML_TAG = re.compile(rb"<html[\s>][^>]*>?")  # the start tag (its lang), as Pagefind reads it
# What Pagefind could read outside the marked elements and the head (found in lower case).
_READ_OUTSIDE = (b"data-pagefind-", b"<h1", b"<img")


class Guess(Protocol):
    """Pagefind runs started ahead on guessed pages (``publish.search_guess.SearchGuess``)."""

    def take(
        self,
        shards: Sequence[Sequence[str]],
        fresh: Mapping[int, Sequence[str]],
        site: Path,
        previous: Path | None,
        changed: frozenset[str],
    ) -> tuple[set[int], Callable[[], None]]:
        """The shards whose run proved right, and the call that waits for them."""
        ...


def index_for_search(
    site: Path,
    previous: Path | None = None,
    changed: frozenset[str] = frozenset(),
    *,
    written: frozenset[str] | None = None,
) -> dict[str, list[str]]:
    """Write the search index as shard bundles (``pagefind/``, ``pagefind-2/``…) into ``site``.

    ``previous`` is the last build's site and ``changed`` the paths that differ from it (added
    and deleted included): shards none of whose indexed content changed are hard-linked from
    ``previous``. Returns the indexed pages, for the site's manifest (``write.BeforeSwap``): the
    next build reads only the changed pages to know which are indexed. ``written``: see
    ``start_search_index``, of which this is the start and the wait in one call.
    """
    return start_search_index(site, previous, changed, written=written)()


def start_search_index(
    site: Path,
    previous: Path | None = None,
    changed: frozenset[str] = frozenset(),
    *,
    written: frozenset[str] | None = None,
    guess: Guess | None = None,
    carry_folder: Callable[[str], None] | None = None,
) -> Callable[[], dict[str, list[str]]]:
    """Start indexing (``index_for_search``): decide the shards, put the pages of the first
    ones to index in their scratch folders, start Pagefind on them and link the reused
    shards; return the call that waits for every shard and finishes (``write.BeforeSwap``).

    The file work is done by the caller's thread, not a thread of its own: beside a busy build
    (``serve``) a thread's few thousand file operations waited for the interpreter lock for
    0.5 s of each rebuild at 5,000 articles, against 0.06 s of work.

    ``written`` (``SiteWriter.indexed_pages_done``) says only these pages are in ``site`` yet,
    the article pages among them: the pages indexed are looked for among them, and those the
    previous build indexed but ``written`` lacks were deleted. Only article pages are marked
    for Pagefind (tests/test_search.py checks the templates), so the pages still to come are
    never indexed.

    ``guess`` (``publish.search_guess``) has Pagefind running already on some shards, from
    pages rendered ahead: its runs that prove right are kept, the others stopped.
    ``carry_folder`` links a reused shard's bundle from ``previous`` by the time the wait is
    called (``write.BeforeSwap``); without it they are linked here.
    """
    site = Path(os.path.abspath(site))
    known = manifest_list(previous, INDEXED_LIST) if previous is not None else None
    if written is not None and known is not None:
        changed = changed | frozenset(page for page in known if page not in written)
    elif written is not None:  # which pages were deleted is not known: reuse no shard
        previous = None
    candidates = None if written is None else sorted(written)
    last = None if known is None else (frozenset(known), changed)
    pages = indexed_pages(site, last, candidates)
    if pages:
        shards = assign_shards(pages)
        reuse = _reusable_shards(shards, site, previous, changed)
    elif written is not None:  # the pages still to come are not all unmarked after all
        raise BuildError("internal error: search indexing started before its pages were written")
    else:  # no marked page (an empty archive): Pagefind indexes every page, in one shard
        shards = [_all_pages(site)]
        reuse = _reusable_if_no_page_changed(previous, changed)
    fresh = {shard: members for shard, members in enumerate(shards) if shard not in reuse}
    guessed: set[int] = set()
    waits = []
    if guess is not None:
        guessed, wait_guessed = guess.take(shards, fresh, site, previous, changed)
        waits.append(wait_guessed)
    waits.append(_start_shards(site, {s: m for s, m in fresh.items() if s not in guessed}))

    def indexing() -> None:
        _wait_all(waits)

    try:
        for shard in sorted(reuse):  # none without a previous site
            assert previous is not None
            if carry_folder is not None:
                carry_folder(bundle_name(shard))
            else:
                _link_tree(previous / bundle_name(shard), site / bundle_name(shard))
    except BaseException:
        with contextlib.suppress(Exception):
            indexing()  # Pagefind done with the folder before the caller removes it
        raise

    def finish() -> dict[str, list[str]]:
        indexing()
        if fresh and reuse and _versions(site, fresh) != _versions(site, reuse):
            for shard in reuse:  # never merge bundles of two Pagefind versions
                shutil.rmtree(site / bundle_name(shard))
            _start_shards(site, {shard: shards[shard] for shard in reuse})()
        names = [bundle_name(shard) + "/" for shard in range(len(shards))]
        (site / SHARD_LIST).write_text(json.dumps({"bundles": names}) + "\n", encoding="utf-8")
        return {INDEXED_LIST: pages}

    return finish


def _wait_all(waits: Sequence[Callable[[], None]]) -> None:
    """Call every wait, even when one raises; the first error is raised."""
    error: BaseException | None = None
    for wait in waits:
        try:
            wait()
        except BaseException as failed:  # raised below, once all have ended
            error = error or failed
    if error is not None:
        raise error


# --- which pages go into which shard -----------------------------------------------------------


def indexed_pages(
    site: Path,
    last: tuple[frozenset[str], frozenset[str]] | None = None,
    candidates: Sequence[str] | None = None,
) -> list[str]:
    """Site paths of the pages with a ``data-pagefind-body`` element, sorted.

    ``last`` gives the pages the previous build indexed and the paths changed since: a page
    not changed is the previous build's bytes, indexed or not as it was, and is not read.
    ``candidates`` (sorted) are the pages to look among, if not every page of ``site``.
    """
    root = str(site)
    pages = _all_pages(site) if candidates is None else candidates
    if last is None:
        return [page for page in pages if is_indexed(os.path.join(root, page))]
    indexed, changed = last
    return [
        page
        for page in pages
        if (is_indexed(os.path.join(root, page)) if page in changed else page in indexed)
    ]


def _all_pages(site: Path) -> list[str]:
    """Site paths of every page, sorted (the bundles and scratch folders left out)."""
    return sorted(
        path
        for path in files_below(str(site))
        if path.endswith(".html") and not path.startswith((BUNDLE_DIR, "."))
    )


def is_indexed(page: str | Path) -> bool:
    """Whether the page has an element marked ``data-pagefind-body`` (False when missing)."""
    try:
        with open(page, "rb") as handle:
            return _marked_tags(handle.read(), first_only=True) != []
    except OSError:
        return False


def _marked_tags(data: bytes, first_only: bool = False) -> list[int]:
    """Offsets of the start tags that carry ``data-pagefind-body``.

    A substring search first: a regular expression over every tag of every page is 15 times
    slower, and the attribute name rarely appears anywhere but in its tag. (Where it appears in
    an attribute value after a space, the page is taken as indexed: that costs a hard link, and
    Pagefind still skips it.)
    """
    tags: list[int] = []
    found = data.find(_MARK)
    while found != -1 and not (first_only and tags):
        tag = data.rfind(b"<", 0, found)
        if tag != -1 and tag not in tags and _MARKED_TAG.match(data, tag):
            tags.append(tag)
        found = data.find(_MARK, found + 1)
    return tags


def shard_count(pages: int, per_shard: int | None = None) -> int:
    """How many shards ``pages`` indexed pages are split into (see the module docstring)."""
    size = PAGES_PER_SHARD if per_shard is None else per_shard
    return max(1, min(MAX_SHARDS, pages // max(1, size)))


def shard_of(path: str, count: int) -> int:
    """The shard (0-based) of a page: a hash of its site path, not Python's per-run hash()."""
    digest = hashlib.sha256(path.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count


def assign_shards(pages: Sequence[str], per_shard: int | None = None) -> list[list[str]]:
    """The pages of each shard, sorted; no shard is empty unless there is a single one."""
    count = shard_count(len(pages), per_shard)
    while True:
        shards: list[list[str]] = [[] for _ in range(count)]
        for page in sorted(pages):
            shards[shard_of(page, count)].append(page)
        if count == 1 or all(shards):
            return shards
        count -= 1


def bundle_name(shard: int) -> str:
    """Top-level folder of a shard's bundle: ``pagefind`` for the first, then ``pagefind-2``…"""
    return BUNDLE_DIR if shard == 0 else f"{BUNDLE_DIR}-{shard + 1}"


# --- what can be reused from the previous site -------------------------------------------------


def search_input(page: Path) -> bytes | None:
    """The parts of a page Pagefind's index is made from, or None if it is not indexed.

    Those are the ``<html>`` start tag (the language), each marked element with everything in
    it (natowatch's article template keeps the title, ``data-pagefind-meta``, inside), and every
    other tag carrying a ``data-pagefind-`` attribute. An article page's story thread, related
    coverage and counts lie outside its marked element: they change with other articles, which
    must not re-index the shard.
    """
    try:
        data = page.read_bytes()
    except OSError:
        return None
    return input_of(data)


def input_of(data: bytes) -> bytes | None:
    """``search_input`` of a page's bytes."""
    tags = _marked_tags(data)
    if not tags:
        return None
    spans = [(tag, _element_end(data, tag)) for tag in tags]
    html = _HTML_TAG.search(data)
    parts = [html.group() if html else b""]
    parts += [data[start:end] for start, end in spans]
    found = data.find(b"data-pagefind-")
    while found != -1:
        if not any(start <= found < end for start, end in spans):
            tag = max(data.rfind(b"<", 0, found), 0)
            parts.append(data[tag : data.find(b">", found) + 1 or len(data)])
        found = data.find(b"data-pagefind-", found + 1)
    return b"\0".join(parts)


def _element_end(data: bytes, start: int) -> int:
    """Where the element whose start tag is at ``start`` ends (after its end tag).

    Counts the element's own name in start and end tags, which is exact because "<" only ever
    starts a tag in the pages; with no end tag the element runs to the end of the page.
    """
    name = _TAG_NAME.match(data, start)
    if name is None:
        return len(data)
    depth = 0
    tags = re.compile(rb"<(/?)" + re.escape(name.group(1)) + rb"[\s/>]", re.IGNORECASE)
    for tag in tags.finditer(data, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            close = data.find(b">", tag.end() - 1)
            return len(data) if close == -1 else close + 1
    return len(data)


def _reusable_shards(
    shards: Sequence[Sequence[str]], site: Path, previous: Path | None, changed: frozenset[str]
) -> set[int]:
    """Shards whose bundle in ``previous`` is still exact: same shard count, and no page of
    theirs added, deleted or changed in what Pagefind reads of it (``search_input``)."""
    if previous is None or _previous_count(previous) != len(shards):
        return set()
    dirty = {
        shard_of(page, len(shards))
        for page in changed
        if page.endswith(".html") and search_input(site / page) != search_input(previous / page)
    }
    return {shard for shard in range(len(shards)) if shard not in dirty} & _bundles(previous)


def _reusable_if_no_page_changed(previous: Path | None, changed: frozenset[str]) -> set[int]:
    """The single shard of a site without marked pages is reused when no page changed."""
    if previous is None or _previous_count(previous) != 1:
        return set()
    if any(page.endswith(".html") for page in changed):
        return set()
    return {0} & _bundles(previous)


def _bundles(previous: Path) -> set[int]:
    """The shards of which ``previous`` holds a complete bundle."""
    count = _previous_count(previous) or 0
    return {
        shard
        for shard in range(count)
        if (previous / bundle_name(shard) / _ENTRY).is_file()
        and (previous / bundle_name(shard) / "pagefind-ui.js").is_file()
    }


def _previous_count(previous: Path) -> int | None:
    """How many shards the previous site had (None if it has no readable shard list)."""
    try:
        bundles = json.loads((previous / SHARD_LIST).read_text(encoding="utf-8"))["bundles"]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return len(bundles) if isinstance(bundles, list) else None


def _versions(site: Path, shards: Iterable[int]) -> set[str]:
    """The Pagefind versions that wrote these shards' bundles."""
    versions = set()
    for shard in shards:
        try:
            entry = json.loads((site / bundle_name(shard) / _ENTRY).read_text(encoding="utf-8"))
            versions.add(str(entry["version"]))
        except (OSError, ValueError, TypeError, KeyError):
            versions.add("unknown")
    return versions


def _link_tree(source: Path, target: Path) -> None:
    """Carry a previous bundle over, file by file (hard links where possible): one listing per
    folder and no stat per file, as the ~500 files of each of 9 reused shards are carried on
    every rebuild."""
    for folder, _, names in os.walk(source):
        into = os.path.normpath(os.path.join(target, os.path.relpath(folder, source)))
        os.makedirs(into, exist_ok=True)
        linking = open_folders(folder, into)
        try:
            for name in names:
                if not link_at(name, linking):
                    link_file(os.path.join(folder, name), os.path.join(into, name))
        finally:
            close_folders(linking)


# --- running Pagefind --------------------------------------------------------------------------


def _start_shards(site: Path, shards: Mapping[int, Sequence[str]]) -> Callable[[], None]:
    """Index each shard from a scratch folder of its pages, concurrently (one Pagefind process
    per core); return the call that waits for them all and removes the scratch folder.

    The first shards' pages are put in place here, by the caller; the later ones' by the job
    that indexes them, so that their Pagefind runs while a shard before them is indexed."""
    if not shards:
        return lambda: None
    scratch = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site))

    def put(shard: int, pages: Sequence[str]) -> Path:
        folder = scratch / str(shard + 1)
        folder.mkdir()
        for page in pages:
            _put_for_indexing(site / page, folder / page)
        return folder

    jobs = sorted(shards.items())
    slots = min(len(jobs), os.cpu_count() or 1)
    try:
        ready = {shard: put(shard, pages) for shard, pages in jobs[:slots]}
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise

    def index(shard: int, pages: Sequence[str]) -> None:
        folder = ready[shard] if shard in ready else put(shard, pages)
        _run_pagefind(folder, site / bundle_name(shard))

    pool = ThreadPoolExecutor(max_workers=slots, thread_name_prefix="natowatch-pagefind")
    running = [pool.submit(index, shard, pages) for shard, pages in jobs]
    pool.shutdown(wait=False)  # its threads end with their jobs

    def wait() -> None:
        try:
            for job in running:
                job.result()
        finally:
            for job in running:  # every job over before their folder goes
                job.exception()
            shutil.rmtree(scratch, ignore_errors=True)

    return wait


def _pagefind_program() -> list[str]:
    """The Pagefind binary, found as ``python -m pagefind`` finds it but run directly: the
    Python start-up in between cost 50 ms of each run, and ``serve`` re-indexes a shard on
    every save."""
    executable = _pagefind_executable()
    return [sys.executable, "-m", "pagefind"] if executable is None else [str(executable)]


def _pagefind_executable() -> Path | None:
    """``pagefind.service.get_executable()``, looked up in the same order (PAGEFIND_BINARY_PATH,
    the extended binary's wheel, the binary's wheel, then PATH) without importing that module:
    it imports asyncio, 0.1 s of a command-line build (tests/test_search.py compares them)."""
    given = os.getenv("PAGEFIND_BINARY_PATH")
    if given is not None:
        return Path(given)
    for wheel in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            found: Path = importlib.import_module(wheel).get_executable()
        except ImportError:
            continue
        return found
    external = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return None if external is None else Path(external)


def _put_for_indexing(page: Path, target: Path) -> None:
    """The page in a shard's scratch folder: cut down to what Pagefind reads, or linked."""
    put_document(search_document(page), page, target)


def put_document(document: bytes | None, page: Path, target: Path) -> None:
    """``document`` (what Pagefind reads of ``page``, ``search_document``) at ``target`` in a
    scratch folder; ``page`` linked there whole when it has none."""
    if document is None:
        link_or_copy(page, target)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(document)


def search_document(page: Path) -> bytes | None:
    """The page reduced to what Pagefind reads of a page with marked elements: the ``<html>``
    start tag (the language), the head and each outermost marked element, in a document of
    their own. None when the page is not marked, or when something Pagefind could read lies
    outside those parts (a ``data-pagefind-`` attribute, an ``h1`` or ``img``: its default
    title and image): then the whole page is indexed."""
    try:
        data = page.read_bytes()
    except OSError:
        return None
    return document_of(data)


def document_of(data: bytes) -> bytes | None:
    """``search_document`` of a page's bytes."""
    tags = _marked_tags(data)
    html = _HTML_TAG.search(data)
    head_start = data.find(b"<head>")
    head_close = data.find(b"</head>", max(head_start, 0))
    if not tags or html is None or head_start == -1 or head_close == -1:
        return None
    head_end = head_close + len(b"</head>")
    spans: list[tuple[int, int]] = []
    for tag in tags:  # in document order: an element inside the last one kept is part of it
        if not spans or tag >= spans[-1][1]:
            spans.append((tag, _element_end(data, tag)))
    kept = [(html.start(), html.end()), (head_start, head_end), *spans]
    outside, start = [], 0
    for begin, end in sorted(kept):
        outside.append(data[start:begin])
        start = max(start, end)
    outside.append(data[start:])
    for part in outside:
        lower = part.lower()
        if any(needle in lower for needle in _READ_OUTSIDE):
            return None
    elements = b"\n".join(data[begin:end] for begin, end in spans)
    return b"<!DOCTYPE html>\n%s\n%s\n<body>\n%s\n</body>\n</html>\n" % (
        html.group(),
        data[head_start:head_end],
        elements,
    )


def _run_pagefind(pages: Path, bundle: Path, running: list[object] | None = None) -> None:
    """One Pagefind run: index the pages under ``pages``, write the bundle to ``bundle``;
    the process is added to ``running``, if given, for another thread to stop.

    It runs in ``pages`` without Pagefind's PAGEFIND_* settings: Pagefind reads a pagefind.yml
    (or .toml, .json) in its working directory and options from the environment, and the index
    must not depend on where natowatch is started or on what the shell exports.
    """
    command = [*_pagefind_program(), "--site", str(pages), "--output-path", str(bundle)]
    command.append("--silent")
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("PAGEFIND_") or name == "PAGEFIND_BINARY_PATH"
    }
    # One thread: a second one (Pagefind's default on two cores) took the core the build runs
    # on while it indexed beside it (serve, one shard), and a cold build runs a Pagefind per core.
    env["RAYON_NUM_THREADS"] = "1"
    try:
        process = subprocess.Popen(
            command,
            cwd=pages,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    except OSError as error:
        raise BuildError(f"cannot run the Pagefind search indexer: {error}") from None
    if running is not None:
        running.append(process)
    stdout, stderr = process.communicate()
    if process.returncode != 0 or not (bundle / "pagefind-ui.js").is_file():
        detail = (stderr or stdout).strip().splitlines()
        reason = detail[-1] if detail else f"exit status {process.returncode}"
        raise BuildError(
            f"the Pagefind search indexer failed: {reason} "
            "(is natowatch installed with its dependencies? pip install -e .)"
        )
