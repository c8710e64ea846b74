"""The similarities of the last command-line build, saved beside the record cache.

Without a session (``natowatch build`` run again after an edit) every similarity was computed
afresh from all the records: the largest part of the coverage, itself the largest part of a
one-edit build's planning. The state ``KeptSimilarities`` updates in place is saved instead,
with each record's digest as its mark, and the next build updates it for the records whose
digest moved. A state made by other code, or unreadable, is ignored: the build starts afresh.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from natowatch.core.fingerprints import code_fingerprint
from natowatch.core.model import Article
from natowatch.corpus.kept_similarities import KeptSimilarities

SAVED_FILE = "similarities.pickle"


@dataclass
class SavedSimilarities:
    """The similarities one build updates (``kept``) and where they are saved for the next:
    saved as soon as the coverage is made, and let go of then (``save``)."""

    folder: Path
    kept: KeptSimilarities | None

    def save(self) -> None:
        if self.kept is not None:
            save_similarities(self.folder, self.kept)
            self.kept = None


def load_similarities(folder: Path, mark: Callable[[Article], str]) -> KeptSimilarities:
    """The similarities saved in ``folder`` by the last build, records marked by ``mark``;
    empty (the first update starts afresh) when none were saved by this code."""
    kept = KeptSimilarities(mark)
    try:
        with open(folder / SAVED_FILE, "rb") as file:
            saved = pickle.load(file)
        if saved["code"] == code_fingerprint():
            kept.restore(saved["state"])
    except Exception:  # missing, truncated or foreign (any unpickling error): start afresh
        return KeptSimilarities(mark)
    return kept


def save_similarities(folder: Path, kept: KeptSimilarities) -> None:
    """Save ``kept`` for the next build (replacing the last one whole); nothing when the
    folder cannot be written (a read-only archive builds without it)."""
    temporary: Path | None = None
    try:
        folder.mkdir(exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".similarities-", delete=False) as file:
            temporary = Path(file.name)
            pickle.dump(
                {"code": code_fingerprint(), "state": kept.state()},
                file,
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        os.replace(temporary, folder / SAVED_FILE)
    except OSError:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
