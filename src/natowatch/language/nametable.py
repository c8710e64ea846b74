"""Look-up of known names by their words, so a text is matched in one pass, longest name first.

Keys are word tuples produced by the same tokenizer the finders use, which makes "U.S." or
"Jean-Claude" match however the surrounding punctuation falls. An acronym alias also matches its
capitalised spelling ("Nato" for NATO), as British outlets write it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from natowatch.core.model import EntityType
from natowatch.language.tokens import Token, is_gap, tokenize


@dataclass(frozen=True)
class Known:
    """What a matched name stands for: canonical name and type (plus dictionary extras)."""

    name: str
    type: EntityType
    description: str | None = None
    wikidata: str | None = None
    refers_to: str | None = None
    source: str = "gazetteer"


def word_key(word: str) -> str:
    """A word as names are looked up: "U.S." and "U.S" are the same word."""
    return word.rstrip(".")


def word_keys(tokens: Iterable[Token]) -> list[str]:
    """``word_key`` of each token, in order."""
    return [token.text.rstrip(".") for token in tokens]


class NameTable:
    """Names (word tuples) mapped to what they stand for."""

    def __init__(
        self, entries: Iterable[tuple[str, Known]], not_names: frozenset[str] = frozenset()
    ) -> None:
        self._names: dict[tuple[str, ...], Known] = {}
        variants: dict[tuple[str, ...], Known] = {}
        for surface, known in entries:
            key = tuple(word_key(token.text) for token in tokenize(surface))
            if not key:
                continue
            self._names.setdefault(key, known)
            word = key[0]
            if len(key) == 1 and word.isupper() and word.isalpha() and len(word) >= 3:
                if word.capitalize() not in not_names:
                    variants.setdefault((word.capitalize(),), known)
        for key, known in variants.items():
            self._names.setdefault(key, known)
        self._upper = {
            tuple(word.upper() for word in key): known
            for key, known in self._names.items()
            if known.type in (EntityType.GPE, EntityType.LOC)
        }
        self.longest = max((len(key) for key in self._names), default=0)
        # Every beginning of a known name: a lookup stops as soon as the words so far begin
        # none, instead of trying every length up to the longest name at every word.
        self._prefixes = {
            key[:length]
            for key in (*self._names, *self._upper)
            for length in range(1, len(key) + 1)
        }
        # The first words of known names: most words of a text begin none, and skip the lookup.
        self.first_words = frozenset(key[0] for key in self._prefixes)

    def __len__(self) -> int:
        return len(self._names)

    def match(
        self, text: str, tokens: Sequence[Token], index: int, end: int | None = None
    ) -> tuple[int, Known] | None:
        """The longest known name starting at ``tokens[index]``: its length in words and entry.

        Words must be adjacent (no punctuation between them); a possessive ends a name. Only
        words before ``tokens[end]`` count, when ``end`` is given.
        """
        found = self.matches(text, tokens, index, end)
        return found[-1] if found else None

    def matches(
        self, text: str, tokens: Sequence[Token], index: int, end: int | None = None
    ) -> Sequence[tuple[int, Known]]:
        """Every known name starting at ``tokens[index]``, shortest first (as ``match``)."""
        stop = len(tokens) if end is None else min(end, len(tokens))
        if index >= stop or word_key(tokens[index].text) not in self.first_words:
            return ()
        found: list[tuple[int, Known]] = []
        words: list[str] = []
        previous: Token | None = None
        for position in range(index, min(stop, index + self.longest)):
            token = tokens[position]
            if previous is not None and not is_gap(text[previous.end : token.start]):
                break
            words.append(word_key(token.text))
            key = tuple(words)
            if key not in self._prefixes:
                break
            known = self._names.get(key)
            if known is None and all(word.all_caps for word in tokens[index : position + 1]):
                known = self._upper.get(key) if len(key[0]) >= 4 or len(key) > 1 else None
            if known is not None:
                found.append((len(key), known))
            if token.possessive:
                break
            previous = token
        return found
