"""Render the site's pages: skip those whose inputs did not change, spread the rest over cores.

A page is a template applied to a context (plain data). Its *key* hashes both, with natowatch's
code and templates: when a page's key equals the one recorded for the same path by the previous
build, the previous output is exactly what rendering would give again, so the file is carried
over instead. The context is pickled to be hashed (pickle is written in C and is much cheaper
than rendering), and the same pickle is what a worker process receives to render the page; a
context that cannot be pickled has no key and is rendered in the main process.

Pages come and go in batches, so neither all contexts nor all rendered pages need to be in
memory at once, and the output is the same bytes as rendering in order in one process.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import pickle
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import Environment

from natowatch.core.fingerprints import folder_fingerprint
from natowatch.core.memory import archive_cache

# Starting a worker costs ~0.3 s (a fresh interpreter importing natowatch); below this many
# pages per worker it does not pay.
MIN_PAGES_PER_WORKER = 150
# A batch this small renders faster here than sent to running workers; an edit's few changed
# pages (fewer than MIN_PAGES_PER_WORKER) render here rather than start them.
MIN_PAGES_PER_BATCH = 16
# Pages per task sent to a worker, and pages in flight per batch.
CHUNK_PAGES = 32
BATCH_PAGES = 512

Job = TypeVar("Job")


@dataclass(frozen=True)
class PageJob:
    """One page to render: its site path, template name and complete context."""

    path: str
    template: str
    context: Mapping[str, Any]


@dataclass(frozen=True)
class KeyedJob:
    """A page with its key and its pickled context (both None when it cannot be pickled).

    A page keyed by its inputs is pickled only if it goes to a worker (``pickled`` None and
    ``later`` True): an edit's few stale pages render in this process."""

    job: PageJob
    key: str | None
    pickled: bytes | None
    later: bool = False

    def for_worker(self) -> bytes | None:
        """The pickled context to send to a worker; None: render it here."""
        return _pickled_context(self.job) if self.later else self.pickled


def keyed(fingerprint: str, job: PageJob) -> KeyedJob:
    """The page with a hash of everything its bytes depend on."""
    data = _pickled_context(job)
    if data is None:
        return KeyedJob(job, None, None)
    digest = hashlib.sha256(f"{fingerprint}\0{job.template}\0".encode() + data)
    return KeyedJob(job, digest.hexdigest(), data)


def pickled(job: PageJob, key: str) -> KeyedJob:
    """The page with a key known beforehand (an input key): not hashed, and pickled only
    when it is sent to a worker (``KeyedJob.for_worker``)."""
    return KeyedJob(job, key, None, later=True)


def _pickled_context(job: PageJob) -> bytes | None:
    """The context as a worker receives it; None when it cannot be pickled (rendered here)."""
    try:
        return pickle.dumps(job.context, protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None


@archive_cache(maxsize=1 << 15)
def input_key(site: str, inputs: str, path: str) -> str:
    """A page's key from its group's inputs (``page_inputs``) rather than its context.
    Remembered: a ``serve`` rebuild asks again for 12,000 pages' keys from the same inputs."""
    return hashlib.sha256(f"inputs\0{site}\0{inputs}\0{path}".encode()).hexdigest()


def workers_for(pages: int, workers: int) -> int:
    """How many processes ``pages`` pages are worth: one unless each worker gets enough."""
    return workers if pages >= MIN_PAGES_PER_WORKER * workers else 1


class PageRenderer:
    """Renders batches of pages, over ``workers`` processes when there are several.

    The workers are fresh processes (started through a fork server), not forks of this one:
    a fork shares the parent's memory as it is, and every later change the parent makes to its
    objects (reference counts included) un-shares those pages, so workers forked from a
    full-grown build end up holding a copy of it (measured: 1.0 GiB for the process tree of a
    5,000-article build whose main process peaked at 0.7 GiB). They need only the templates,
    made with ``make_environment(templates)`` in each; a page's context comes to them pickled.
    Use as a context manager; the pool starts with the first batch that is worth it.
    """

    def __init__(
        self,
        make_environment: Callable[[Path], Environment],
        templates: Path,
        workers: int = 1,
    ) -> None:
        self.environment = kept_environment(make_environment, templates)
        self._start = (make_environment, templates)
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> PageRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def _workers(self) -> ProcessPoolExecutor:
        if self.pool is None:
            self.pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("forkserver"),
                initializer=_start_worker,
                initargs=self._start,
            )
        return self.pool

    def _here(self, item: KeyedJob) -> bytes:
        """Render one page in this process."""
        return _render(self.environment, item.job.template, item.job.context)

    def start(self, jobs: Sequence[KeyedJob]) -> Rendering:
        """Start rendering ``jobs``; the returned ``Rendering`` gives their bytes, in order.

        Pages sent to the workers render while this process prepares the next batch.
        """
        starting = self.pool is None and len(jobs) < MIN_PAGES_PER_WORKER  # not worth a start
        if self.workers < 2 or len(jobs) < MIN_PAGES_PER_BATCH or starting:
            return Rendering(jobs, self._here, [], [])
        payloads = {index: item.for_worker() for index, item in enumerate(jobs)}
        remote = [index for index, payload in payloads.items() if payload is not None]
        pool = self._workers()
        chunks = [  # submitted now, collected later
            pool.submit(
                _render_chunk,
                [(jobs[index].job.template, payloads[index]) for index in part],
            )
            for part in (
                remote[start : start + CHUNK_PAGES] for start in range(0, len(remote), CHUNK_PAGES)
            )
        ]
        return Rendering(jobs, self._here, remote, chunks)


# The environment of the last PageRenderer, by what made it and the templates' fingerprint:
# ``serve`` renders an edit's pages with the templates compiled by the build before (compiling
# them again was 0.10 s of each rebuild).
_environments: dict[tuple[object, Path, str], Environment] = {}


def kept_environment(
    make_environment: Callable[[Path], Environment], templates: Path
) -> Environment:
    """The environment made by ``make_environment(templates)``, kept while the templates are
    the same: the page renderer and ``serve``'s previews compile them once, not per build."""
    key = (make_environment, templates, folder_fingerprint(templates))
    if key not in _environments:
        _environments.clear()
        _environments[key] = make_environment(templates)
    return _environments[key]


class Rendering:
    """A batch of pages being rendered: by the workers (``remote``, in ``chunks``) and, for the
    rest, here when the pages are asked for."""

    def __init__(
        self,
        jobs: Sequence[KeyedJob],
        here: Callable[[KeyedJob], bytes],
        remote: list[int],
        chunks: list[Future[list[bytes]]],
    ) -> None:
        self._jobs, self._here, self._remote, self._chunks = jobs, here, remote, chunks
        self._done = 0  # the chunks before this one are known to be done

    def ready(self) -> bool:
        """Whether the workers are done with the batch (asking for the pages will not wait).

        Asked between every two steps of the data files, so it resumes at the first chunk not
        yet seen done (chunks finish about in order) instead of asking every chunk again:
        4.7 -> 0.3 us a call, asked ~17,500 times in a cold build at 2,000 articles."""
        while self._done < len(self._chunks) and self._chunks[self._done].done():
            self._done += 1
        return self._done == len(self._chunks)

    def pages(self) -> list[bytes]:
        """The batch's pages, in order (waiting for the workers' part)."""
        results: dict[int, bytes] = {}
        done = (page for chunk in self._chunks for page in chunk.result())
        for index, page in zip(self._remote, done, strict=True):
            results[index] = page
        return [
            results[index] if index in results else self._here(item)
            for index, item in enumerate(self._jobs)
        ]


def batches(jobs: Iterator[Job], size: int | None = None) -> Iterator[list[Job]]:
    """The jobs in lists of ``size`` (default ``BATCH_PAGES``), made as they are consumed."""
    size = size or BATCH_PAGES
    batch: list[Job] = []
    for job in jobs:
        batch.append(job)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _render(environment: Environment, template: str, context: Mapping[str, Any]) -> bytes:
    return environment.get_template(template).render(context).encode("utf-8")


_WORKER: dict[str, Any] = {}


def _start_worker(make_environment: Callable[[Path], Environment], templates: Path) -> None:
    _WORKER["environment"] = make_environment(templates)


def _render_chunk(chunk: Sequence[tuple[str, bytes | None]]) -> list[bytes]:
    environment: Environment = _WORKER["environment"]
    return [_render(environment, template, pickle.loads(data or b"")) for template, data in chunk]
