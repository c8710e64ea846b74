"""Values one build saves for the next beside the record cache, by a key of what they were
made from: a file replaced whole (a concurrent reader sees the old or the new one), read back
only under the same key. Saving is best effort (a read-only archive builds without it), and a
missing, damaged or foreign file reads as nothing saved."""

from __future__ import annotations

import os
import pickle
import secrets
from pathlib import Path


def save_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` whole, or leave it as it was if it cannot be written."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
    try:
        path.parent.mkdir(exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)


def save_pickled(path: Path, key: str, value: object) -> None:
    """Save ``value`` (pickled) under ``key``."""
    save_atomically(path, pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL))


def load_pickled(path: Path, key: str) -> object | None:
    """What ``save_pickled`` saved at ``path`` under ``key``; None if nothing was."""
    try:
        with open(path, "rb") as file:
            saved: object = pickle.load(file)
    except Exception:  # missing, truncated or foreign (any unpickling error)
        return None
    if not isinstance(saved, tuple) or len(saved) != 2 or saved[0] != key:
        return None
    value: object = saved[1]
    return value
