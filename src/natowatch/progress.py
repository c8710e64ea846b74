"""The progress bar of long interactive builds (tqdm), and nothing at all otherwise.

A bar only helps a person watching a terminal: in CI, in logs, or when output is piped it
would be noise, so it appears only when stderr is a terminal and CI is not set.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when a bar is drawn: tqdm takes ~0.08 s to import
    from tqdm import tqdm

# Below this many articles a build is over before a bar would say anything useful.
MIN_ARTICLES_FOR_BAR = 200


def wanted(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def article_bar(enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A ``progress(done, total)`` callback drawing a bar on stderr, or None when not wanted."""
    if not enabled:
        yield None
        return
    bars: list[tqdm[Any]] = []

    def update(done: int, total: int) -> None:
        if not bars:
            if total < MIN_ARTICLES_FOR_BAR:
                return
            from tqdm import tqdm

            bars.append(tqdm(total=total, unit="article", desc="Reading articles", leave=False))
        bars[0].n = done
        bars[0].refresh()

    try:
        yield update
    finally:
        for bar in bars:
            bar.close()
