"""The one JSON style of the data files (data/*.json): sorted keys, UTF-8, compact.

Compact because these files are for programs, and because Python encodes compact JSON in C:
indented output goes through the pure-Python encoder, which was the largest single cost of
rendering a large archive. ``python -m json.tool`` pretty-prints any of them.
"""

from __future__ import annotations

import json
from typing import Any


def json_bytes(data: Any) -> bytes:
    """``data`` as the bytes of a data file, stable byte for byte for the same data."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text + "\n").encode("utf-8")
