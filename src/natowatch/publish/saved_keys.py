"""The entity pages' keys of the last command-line build, saved beside the record cache.

Without a session, every entity page's key was made again on every build (sorting each
entity's articles newest first, its timeline's view, a hash per page): the largest part of a
one-edit build's planning at 5,000 articles, though an edit moves the pages of a dozen
entities. The keys are saved by a mark of everything they read (``entity_inputs_mark``: the
digests of the records naming the entity, the entity it refers to, the page size, the quotes
view), and the next build takes an entity's keys while its mark is the same. A file made by
other code, or unreadable, is ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from natowatch.core.fingerprints import code_fingerprint
from natowatch.core.saved import load_pickled, save_pickled

SAVED_FILE = "entity-keys.pickle"

# Entity id -> (the mark of its inputs, its pages' keys by path)
_Saved = dict[str, tuple[str, dict[str, str]]]


class SavedEntityKeys:
    """The last build's entity page keys (``last``) and this build's (``now``, saved by
    ``save``)."""

    def __init__(self, folder: Path, last: _Saved | None = None) -> None:
        self.folder = folder
        self.last: _Saved = last or {}
        self.now: _Saved = {}

    def keys(self, entity_id: str, mark: str, make: Callable[[], dict[str, str]]) -> dict[str, str]:
        """The entity's page keys: the last build's under the same mark, else ``make()``."""
        known = self.last.get(entity_id)
        keys = known[1] if known is not None and known[0] == mark else make()
        self.now[entity_id] = (mark, keys)
        return keys

    def save(self) -> None:
        save_pickled(self.folder / SAVED_FILE, code_fingerprint(), self.now)


def load_entity_keys(folder: Path, read: bool = True) -> SavedEntityKeys:
    """The keys saved in ``folder`` by the last build of this code (none unless ``read``)."""
    saved = load_pickled(folder / SAVED_FILE, code_fingerprint()) if read else None
    return SavedEntityKeys(folder, saved if isinstance(saved, dict) else None)
