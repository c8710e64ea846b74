"""Words and sentences of one paragraph, with character offsets into the text as written.

Both finders work on these so that every mention and every event points back at exact source
text. Possessive endings are cut off a word ("Israel's" -> "Israel") because a name never
includes them.
"""

from __future__ import annotations

import re

from natowatch.core.memory import archive_cache

_WORD = re.compile(
    r"(?:[A-Z]\.){2,}"  # U.S., U.K.
    r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?"  # 9/11, 4/5/2016
    r"|[^\W_]+(?:[-‐'’.][^\W_]+)*"  # words, with inner hyphens and apostrophes
)
_POSSESSIVE = re.compile(r"['’]s?$")
_INITIALS = re.compile(r"(?:[A-Z]\.)+[A-Z]?")
_DOTLESS = re.compile(r"[^.]+")
# A sentence ends at . ! or ? (with closing quotes) followed by space and a capital or quote.
_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:^|[\s(])(?:[A-Z]|Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Maj|Sgt|Capt|Prof|Rev|Sen|Rep|Gov|Jr|Sr|No"
    r"|vs|etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|[A-Z]\.(?:[A-Z]\.)*[A-Z])$"
)
_SPACE = "\u00a0\u2009\u202f "


# Paragraphs recently tokenized or split: the name finder, the event finder and the quote finder
# read the same paragraphs of one article, so each is split once. Enough for a long article;
# more would keep thousands of tokens alive for the garbage collector to scan again and again.
_RECENT = 256


class Token:
    """A word: ``text`` is ``source[start:end]`` (possessive ending already removed).

    Read-only by convention (tokens are shared between the finders); the case tests are worked
    out once here because the finders ask them of every word, many times.
    """

    __slots__ = ("all_caps", "capitalised", "end", "possessive", "start", "text")

    def __init__(self, text: str, start: int, end: int, possessive: bool = False) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.possessive = possessive
        self.capitalised = text[0].isupper()
        # Letters only, not all capitals (most words): decided without looking at each letter.
        self.all_caps = (text.isupper() or not text.isalpha()) and _all_caps(text)

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end}, possessive={self.possessive})"


def _all_caps(text: str) -> bool:
    """Two or more letters, all of them capitals ("NATO", "U.S"); "Nato" and "A" are not."""
    letters = [char for char in text if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters)


def tokenize(text: str) -> list[Token]:
    """The words of ``text`` in order."""
    return list(_tokenize(text))


@archive_cache(maxsize=_RECENT)
def _tokenize(text: str) -> tuple[Token, ...]:
    found: list[Token] = []
    end = 0
    for word in _WORD.findall(text):
        # A word starts with a letter or digit, and the pattern matches at the first one after
        # the previous word: so that is where the word is found (faster than match objects).
        start = text.find(word, end)
        end = start + len(word)
        if "." in word and word[-1] != "." and not _INITIALS.fullmatch(word):
            # "summit.Reuters" is two words glued by a missing space
            for part in _DOTLESS.finditer(word):
                found.append(_token(part.group(), start + part.start()))
        elif word[-1] in "'’s":
            found.append(_token(word, start))
        else:  # cannot end in a possessive
            found.append(Token(word, start, end))
    return tuple(found)


def _token(word: str, start: int) -> Token:
    possessive = _POSSESSIVE.search(word)
    if possessive and len(word) - len(possessive.group()) >= 2:
        word = word[: possessive.start()]
        return Token(word, start, start + len(word), possessive=True)
    return Token(word, start, start + len(word))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence, without surrounding whitespace."""
    return list(_sentence_spans(text))


@archive_cache(maxsize=_RECENT)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[max(0, match.start() - 12) : match.start() + 1]
        if match.group()[0] == "." and _ABBREVIATION.search(before.rstrip(".")):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    result = []
    for begin, end in spans:
        while begin < end and (text[begin].isspace() or text[begin] in _SPACE):
            begin += 1
        while end > begin and (text[end - 1].isspace() or text[end - 1] in _SPACE):
            end -= 1
        if begin < end:
            result.append((begin, end))
    return tuple(result)


def is_gap(text: str) -> bool:
    """True when ``text`` between two words is plain spacing on one line."""
    if text == " ":  # most gaps
        return True
    return 0 < len(text) <= 3 and all(char in _SPACE or char == "\t" for char in text)
