"""Render the site's pages: skip those whose inputs did not change, spread the rest over cores.

A page is a template applied to a context (plain data). Its *key* hashes both, with natowatch's
code and templates: when a page's key equals the one recorded for the same path by the previous
build, the previous output is exactly what rendering would give again, so the file is carried
over instead. The contexts are pickled only to be hashed (pickle is written in C and is much
cheaper than rendering); a context that cannot be pickled just has no key and is rendered.

The remaining pages are rendered in forked worker processes, which inherit the templates and the
contexts, so only page numbers go out and page bytes come back. The result is the same bytes as
rendering in order in one process.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import pickle
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment

# Forking workers costs ~50 ms; below this many pages per worker it does not pay.
MIN_PAGES_PER_WORKER = 150
CHUNK_PAGES = 64


@dataclass(frozen=True)
class PageJob:
    """One page to render: its site path, template name and complete context."""

    path: str
    template: str
    context: Mapping[str, Any]


def page_key(fingerprint: str, job: PageJob) -> str | None:
    """A hash of everything the page's bytes depend on; None when the context cannot be pickled."""
    try:
        data = pickle.dumps((job.template, job.context), protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return hashlib.sha256(fingerprint.encode() + b"\0" + data).hexdigest()


def render_jobs(environment: Environment, jobs: Sequence[PageJob], workers: int) -> list[bytes]:
    """The UTF-8 bytes of every job's page, in order."""
    if workers > 1 and len(jobs) >= MIN_PAGES_PER_WORKER * workers:
        return _render_in_pool(environment, jobs, workers)
    return [_render(environment, job) for job in jobs]


def _render(environment: Environment, job: PageJob) -> bytes:
    return environment.get_template(job.template).render(job.context).encode("utf-8")


_SHARED: dict[str, Any] = {}


def _render_in_pool(environment: Environment, jobs: Sequence[PageJob], workers: int) -> list[bytes]:
    for name in sorted({job.template for job in jobs}):
        environment.get_template(name)  # compiled once here, inherited by every worker
    _SHARED["environment"], _SHARED["jobs"] = environment, jobs
    try:
        chunks = [
            (start, min(start + CHUNK_PAGES, len(jobs)))
            for start in range(0, len(jobs), CHUNK_PAGES)
        ]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            results: list[bytes] = []
            for chunk in pool.map(_render_chunk, chunks):
                results.extend(chunk)
        return results
    finally:
        _SHARED.clear()


def _render_chunk(bounds: tuple[int, int]) -> list[bytes]:
    environment: Environment = _SHARED["environment"]
    jobs: Sequence[PageJob] = _SHARED["jobs"]
    return [_render(environment, jobs[index]) for index in range(*bounds)]
