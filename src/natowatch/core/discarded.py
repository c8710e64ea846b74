"""Objects a session's build is done with, freed while ``serve`` is idle rather than mid-build;
and work a session's build puts off until then (``do_later``).

A ``serve`` rebuild replaces what it kept from the last build (the kept data file pieces,
page keys, timeline years: dictionaries of tens of thousands of entries). Dropping the old
ones frees every entry there and then, ~0.02 s of each rebuild at 5,000 articles spent in
deallocation. The session's owner frees them once the rebuild has landed (``serve``'s idle
collection), and every build frees what is still waiting when it starts, so nothing piles up
where no one calls ``free_discarded``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

_discarded: list[object] = []
_later: list[Callable[[], None]] = []
_doing = threading.Lock()


def discard_later(thing: object) -> None:
    """Keep ``thing`` alive until ``free_discarded`` (it is no longer used)."""
    _discarded.append(thing)


def do_later(action: Callable[[], None]) -> None:
    """Run ``action`` at the next ``free_discarded``, after the actions put off before it: the
    record cache's writes of a ``serve`` rebuild (``RecordCache(later=True)``): the session
    reads its records from memory, and the next build finds them done as it starts."""
    _later.append(action)


def free_discarded() -> None:
    """Do the work put off, then free what was discarded (called when idle, at the start of
    every build, and when ``serve`` stops)."""
    with _doing:  # one thread at a time, so the actions run in order (serve's watcher and
        while _later:  # a build starting in its background thread may both call this)
            _later.pop(0)()
    _discarded.clear()
