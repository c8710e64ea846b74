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
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment

# Forking workers costs ~50 ms; below this many pages per worker it does not pay.
MIN_PAGES_PER_WORKER = 150
# Pages per task sent to a worker, and pages in flight per batch.
CHUNK_PAGES = 32
BATCH_PAGES = 512


@dataclass(frozen=True)
class PageJob:
    """One page to render: its site path, template name and complete context."""

    path: str
    template: str
    context: Mapping[str, Any]


@dataclass(frozen=True)
class KeyedJob:
    """A page with its key and its pickled context (both None when it cannot be pickled)."""

    job: PageJob
    key: str | None
    pickled: bytes | None


def keyed(fingerprint: str, job: PageJob) -> KeyedJob:
    """The page with a hash of everything its bytes depend on."""
    try:
        pickled = pickle.dumps(job.context, protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError):
        return KeyedJob(job, None, None)
    digest = hashlib.sha256(f"{fingerprint}\0{job.template}\0".encode() + pickled)
    return KeyedJob(job, digest.hexdigest(), pickled)


def page_key(fingerprint: str, job: PageJob) -> str | None:
    return keyed(fingerprint, job).key


class PageRenderer:
    """Renders batches of pages, in worker processes when ``workers`` > 1 and there are enough
    pages (``total``) to pay for starting them; use as a context manager."""

    def __init__(self, environment: Environment, workers: int, total: int) -> None:
        self.environment = environment
        self.pool: ProcessPoolExecutor | None = None
        if workers > 1 and total >= MIN_PAGES_PER_WORKER * workers:
            _WORKER["environment"] = environment  # inherited by the forked workers
            context = multiprocessing.get_context("fork")
            self.pool = ProcessPoolExecutor(workers, mp_context=context)

    def __enter__(self) -> PageRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            _WORKER.clear()

    def render(self, jobs: Sequence[KeyedJob]) -> list[bytes]:
        """The UTF-8 bytes of each job's page, in order."""
        if self.pool is None:
            return [_render(self.environment, item.job.template, item.job.context) for item in jobs]
        results: list[bytes | None] = [None] * len(jobs)
        remote = [index for index, item in enumerate(jobs) if item.pickled is not None]
        tasks = [
            [
                (jobs[index].job.template, jobs[index].pickled)
                for index in remote[start : start + CHUNK_PAGES]
            ]
            for start in range(0, len(remote), CHUNK_PAGES)
        ]
        done = (page for chunk in self.pool.map(_render_chunk, tasks) for page in chunk)
        for index, page in zip(remote, done, strict=True):
            results[index] = page
        for index, item in enumerate(jobs):
            if results[index] is None:
                results[index] = _render(self.environment, item.job.template, item.job.context)
        return [page for page in results if page is not None]


def batches(jobs: Iterator[PageJob], size: int | None = None) -> Iterator[list[PageJob]]:
    """The jobs in lists of ``size`` (default ``BATCH_PAGES``), made as they are consumed."""
    size = size or BATCH_PAGES
    batch: list[PageJob] = []
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


def _render_chunk(chunk: Sequence[tuple[str, bytes | None]]) -> list[bytes]:
    environment: Environment = _WORKER["environment"]
    return [_render(environment, template, pickle.loads(data or b"")) for template, data in chunk]
