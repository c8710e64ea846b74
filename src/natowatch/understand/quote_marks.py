"""Quoted spans found by their quote marks, in body paragraphs read for offset lookups.

The first step of finding quotes, before anyone is said to have said anything: pairs of double
marks (straight or curly, with the usual typos), pairs of single marks outside them (an
apostrophe is neither), and a span left open when its closing mark is missing. ``Paragraph`` is
the paragraph every later step reads: its words, sentences and entity mentions by offset.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from natowatch.core.model import Entity
from natowatch.language.tokens import Token, sentence_spans, tokenize

_DOUBLE_MARKS = '“”"'
_SINGLE_MARKS = "‘’'"
# Found by pattern: looking at every character of a paragraph in Python is slow.
_DOUBLE_MARK = re.compile(f"[{_DOUBLE_MARKS}]")
_SINGLE_MARK = re.compile(f"[{_SINGLE_MARKS}]")
_OPEN_AFTER = "([{—–-“\"‘'"


@dataclass(frozen=True)
class Span:
    """Quoted words between marks: ``open``/``close`` bound the marks, ``start``/``end`` the words.

    An unclosed span runs to the end of its paragraph (``closed`` false).
    """

    paragraph: int
    open: int
    start: int
    end: int
    close: int
    closed: bool
    single: bool
    opens: bool  # the span opens its paragraph
    words: int


@dataclass(frozen=True)
class EntityMention:
    """An entity named at ``[start, end)`` of the paragraph."""

    start: int
    end: int
    entity: Entity


class Paragraph:
    """One body paragraph with its words, sentences and entity mentions, for offset lookups."""

    def __init__(self, index: int, text: str, mentions: list[EntityMention]) -> None:
        self.index = index
        self.text = text
        self.tokens = tokenize(text)
        self.token_starts = [token.start for token in self.tokens]
        self.sentences = sentence_spans(text) or [(0, len(text))]
        self.sentence_starts = [start for start, _ in self.sentences]
        self.mentions = mentions
        self.mention_starts = [mention.start for mention in mentions]

    def tokens_in(self, begin: int, end: int) -> list[Token]:
        """Words starting in ``[begin, end)``."""
        low = bisect_left(self.token_starts, begin)
        high = bisect_left(self.token_starts, end)
        return self.tokens[low:high]

    def sentence_start(self, offset: int) -> int:
        index = bisect_right(self.sentence_starts, offset) - 1
        return self.sentence_starts[max(index, 0)]

    def mentions_in(self, begin: int, end: int) -> list[EntityMention]:
        low = bisect_left(self.mention_starts, begin)
        high = bisect_left(self.mention_starts, end)
        return self.mentions[low:high]


def _make_span(par: Paragraph, mark: int, close: int, closed: bool, single: bool) -> Span:
    """Trim spacing and a trailing comma (it belongs to the sentence, not the quote)."""
    text = par.text
    start, end = mark + 1, close - 1 if closed else len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    opens = not text[:mark].strip()
    count = len(par.tokens_in(start, end))
    return Span(par.index, mark, start, end, close, closed, single, opens, count)


def _can_open(text: str, index: int) -> bool:
    before = text[index - 1] if index else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return (before.isspace() or before in _OPEN_AFTER) and after.isalnum()


def _can_close(text: str, index: int) -> bool:
    before = text[index - 1] if index else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


def double_spans(par: Paragraph) -> list[Span]:
    """Pairs of double marks; a straight mark toggles, a stray closer may open (“” typos)."""
    spans: list[Span] = []
    opened: int | None = None
    for mark in _DOUBLE_MARK.finditer(par.text):
        index, char = mark.start(), mark.group()
        if opened is None:
            if char != "”" or _can_open(par.text, index):
                opened = index
        elif char == "“":
            opened = index
        else:
            spans.append(_make_span(par, opened, index + 1, True, False))
            opened = None
    if opened is not None:
        spans.append(_make_span(par, opened, len(par.text), False, False))
    return spans


def single_spans(par: Paragraph, doubles: list[Span]) -> list[Span]:
    """Pairs of single marks outside double quotes; an apostrophe is neither opener nor closer."""
    spans: list[Span] = []
    opened: int | None = None
    blocked = 0
    text = par.text
    for mark in _SINGLE_MARK.finditer(text):
        index, char = mark.start(), mark.group()
        while blocked < len(doubles) and doubles[blocked].close <= index:
            blocked += 1
        if blocked < len(doubles) and doubles[blocked].open <= index:
            continue
        if char != "’" and _can_open(text, index):
            opened = index
        elif opened is not None and char != "‘" and _can_close(text, index):
            spans.append(_make_span(par, opened, index + 1, True, True))
            opened = None
    if opened is not None and (text[opened] == "‘" or not text[:opened].strip()):
        spans.append(_make_span(par, opened, len(text), False, True))  # British run-on quote
    return spans
