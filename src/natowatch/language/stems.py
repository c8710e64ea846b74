"""Content words reduced to crude stems, so that two texts can be compared word by word.

Two outlets (or two translations) rarely print a statement with the same word forms: "cooperate"
and "cooperating", "countries" and "country". Cutting common English suffixes and dropping
function words makes the overlap of the remaining stems a usable measure of "same content",
without a language model. The stemmer is deliberately small and predictable, not linguistic.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from importlib import resources

from natowatch.core.yamlload import safe_load

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s?$")
_VOWELS = frozenset("aeiouy")
# Suffixes cut in this order (first match wins), each only if a stem of 3+ letters remains.
_SUFFIXES = ("ations", "ation", "ments", "ment", "ness", "ings", "ing", "ies", "ied", "ed", "es")
_MIN_STEM = 3
MIN_WORD = 3  # shorter words ("us", "eu") are too ambiguous to match on


@functools.cache
def stopwords() -> frozenset[str]:
    """Lower-case words that carry no topic, from ``data/stopwords.yml``."""
    text = (
        resources.files("natowatch.language").joinpath("data", "stopwords.yml").read_text("utf-8")
    )
    data = safe_load(text)
    return frozenset(str(word).lower() for word in data["stopwords"])


@functools.cache
def stem(word: str) -> str:
    """A crude stem of one lower-case word: "determined" and "determine" -> "determin"."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                base += "y"
            elif suffix in ("ation", "ations") and not base.endswith(("iz", "is")):
                base += "at"  # "cooperation" meets "cooperate"; "organization" meets "organize"
            elif suffix in ("ing", "ed") and not _VOWELS & set(base):
                continue  # "sing", "bed": the "suffix" is part of the word
            word = _undouble(base) if suffix in ("ing", "ings", "ed") else base
            break
    else:
        if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
            word = word[:-1]
    if word.endswith("e") and len(word) > _MIN_STEM:
        word = word[:-1]
    return word


def _undouble(base: str) -> str:
    """Undo a doubled final consonant left by a cut suffix: "stopp" -> "stop" ("call" stays)."""
    if len(base) >= 2 and base[-1] == base[-2] and base[-1] not in "lsz" + "aeiou":
        return base[:-1]
    return base


class _Uncombined(dict[int, int | None]):
    """``str.translate`` table dropping combining marks, filled in as characters are met (a
    Python test of every character of every text is what made folding slow)."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_UNCOMBINED = _Uncombined()


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower())
    if folded.isascii():  # no combining marks to drop
        return folded
    return folded.translate(_UNCOMBINED)


@functools.cache
def _word_stem(word: str) -> str | None:
    """The stem a folded word contributes, or None for a stopword or a short word."""
    word = _POSSESSIVE.sub("", word)
    if len(word) < MIN_WORD or word in stopwords():
        return None
    return stem(word.replace("’", "'"))


def content_stems(text: str) -> list[str]:
    """The stems of ``text``'s content words, in order (stopwords and short words dropped)."""
    stems = map(_word_stem, _WORD.findall(_fold(text)))
    return [found for found in stems if found is not None]


def stem_counts(text: str) -> Counter[str]:
    """How often each content stem occurs in ``text``."""
    return Counter(content_stems(text))
