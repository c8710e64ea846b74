"""After an edit to the archive's dictionary (``entities.yml``), the records it cannot reach are
taken from the cache instead of being extracted again.

The record cache's keys hash the dictionary (``cache.archive_context``), so one new entry made
every record a miss: at 5,000 articles adding a person took 70 s, a cold build, for 130 changed
files. Yet a record reads the dictionary in one place only: ``names.find_candidates`` looks the
dictionary's table up at a word whose key (``nametable.word_key``: the word, trailing dots
stripped) begins some name or alias of it (``NameTable.first_words``), and nowhere else. So the
record made under the last build's dictionary is the record under the new one when no
paragraph, caption or reader comment it was read from contains the first word of an entry that
differs between the two (added, removed or changed; their first words as the table makes them,
capitalised and upper-case variants included). Words are found in the text as substrings, a
superset of the tokens. A dictionary whose unchanged entries are in another order, where two
entries sharing a key could swap which wins, reuses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from natowatch.core.model import Article
from natowatch.core.saved import load_pickled, save_pickled
from natowatch.understand.dictionary import Dictionary, DictionaryEntry

SAVED_FILE = "dictionary.pickle"


@dataclass(frozen=True)
class DictionaryChange:
    """The last build's cache context, and the words of the dictionary entries changed since."""

    old_context: str
    triggers: frozenset[str]

    def reaches(self, article: Article) -> bool:
        """Whether the change can reach the record: some text it found names in holds a
        trigger word (the texts ``understand.article.understand`` gives ``find_entities``)."""
        texts = [
            *article.body,
            *(image.caption or "" for image in article.images),
            *(comment.text for comment in article.comments),
        ]
        return any(word in text for text in texts for word in self.triggers)


def dictionary_change(
    folder: Path, base: str, context: str, dictionary: Dictionary
) -> DictionaryChange | None:
    """What changed since the dictionary saved in ``folder`` under the same ``base`` (code and
    format: all but the dictionary in the context); None when nothing was saved, the context
    is the same, or the entries left unchanged are in another order."""
    saved = load_pickled(folder / SAVED_FILE, base)
    if not (isinstance(saved, tuple) and len(saved) == 2 and isinstance(saved[1], Dictionary)):
        return None
    old_context, old = saved
    if old_context == context or not isinstance(old_context, str):
        return None
    changed = set(old.entries) ^ set(dictionary.entries)
    kept_before = [entry for entry in old.entries if entry not in changed]
    kept_now = [entry for entry in dictionary.entries if entry not in changed]
    if not changed or kept_before != kept_now:
        return None  # entries in another order: which of two alike keys wins may have moved
    triggers = Dictionary(_in_order(changed, old.entries, dictionary.entries)).table.first_words
    return DictionaryChange(old_context, frozenset(triggers))


def save_dictionary(folder: Path, base: str, context: str, dictionary: Dictionary) -> None:
    """Remember this build's context and dictionary for the next build's ``dictionary_change``."""
    save_pickled(folder / SAVED_FILE, base, (context, dictionary))


def _in_order(
    changed: set[DictionaryEntry], *orders: Sequence[DictionaryEntry]
) -> tuple[DictionaryEntry, ...]:
    """The changed entries in a stable order (a table is made from them: determinism)."""
    seen: dict[DictionaryEntry, None] = {}
    for entries in orders:
        seen.update((entry, None) for entry in entries if entry in changed)
    return tuple(seen)
