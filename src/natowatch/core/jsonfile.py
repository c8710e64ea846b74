"""The one JSON style of the data files (data/*.json): sorted keys, UTF-8, compact.

Compact because these files are for programs, and because Python encodes compact JSON in C:
indented output goes through the pure-Python encoder, which was the largest single cost of
rendering a large archive. ``python -m json.tool`` pretty-prints any of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any


def json_bytes(data: Any) -> bytes:
    """``data`` as the bytes of a data file, stable byte for byte for the same data."""
    return (json_text(data) + "\n").encode("utf-8")


def json_text(data: Any) -> str:
    """``data`` in the data files' style, without the final newline."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def json_array_parts(items: Iterable[bytes]) -> Iterator[bytes]:
    """The bytes of ``json_bytes([...])`` from items already encoded one by one (``json_text``
    of each, as UTF-8), so a large array is written without holding it whole. Each item is a
    part of its own, the very object given (``publish.streams`` compares them by identity)."""
    yield b"["
    for index, item in enumerate(items):
        if index:
            yield b","
        yield item
    yield b"]\n"
