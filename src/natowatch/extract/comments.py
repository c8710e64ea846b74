"""Reader comments from the labelled comment region: numbering, authors, timestamps, addressees."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from natowatch.core.model import Comment
from natowatch.extract import patterns
from natowatch.extract.blocks import Unit
from natowatch.extract.labels import Label
from natowatch.extract.rules import Rules

HANDLE = re.compile(r"^@(?P<name>[\w.-]{2,30})\b")


@dataclass
class _Draft:
    number: int | None = None
    paragraphs: list[str] = field(default_factory=list)
    author: str | None = None
    timestamp: str | None = None
    addressee: str | None = None


def parse_comments(units: Sequence[Unit], labels: Sequence[Label], rules: Rules) -> list[Comment]:
    """Comments in thread order, numbered as printed or else from 1."""
    drafts: list[_Draft] = []
    pending = _Draft()
    max_words = rules.thresholds.name_max_words
    for unit, label in zip(units, labels, strict=True):
        if label is Label.COMMENT_META:
            _read_meta(unit.text, pending, max_words, rules)
        elif label is Label.COMMENT:
            numbered = unit.numbered
            if numbered or pending.author or pending.timestamp or not drafts:
                pending.number = int(numbered.group("number")) if numbered else None
                pending.paragraphs.append(numbered.group("text") if numbered else unit.text)
                drafts.append(pending)
                pending = _Draft()
            else:
                drafts[-1].paragraphs.append(unit.text)
    authors = {draft.author for draft in drafts if draft.author}
    comments = []
    for index, draft in enumerate(drafts, start=1):
        text = "\n\n".join(draft.paragraphs)
        comments.append(
            Comment(
                number=draft.number if draft.number is not None else index,
                text=text,
                author=draft.author,
                timestamp=draft.timestamp,
                addressee=draft.addressee or addressee(text, rules, authors),
            )
        )
    return comments


def _read_meta(text: str, draft: _Draft, max_words: int, rules: Rules) -> None:
    if patterns.is_timestamp(text):
        draft.timestamp = text
        return
    reply_to = patterns.REPLY_TO.match(text)
    if reply_to:
        draft.addressee = reply_to.group("name").strip()
        return
    if rules.comment_meta.matches(text):
        return  # a badge or an action ("Author", "Reply"), not the commenter's name
    combined = patterns.NAME_THEN_TIMESTAMP.match(text)
    if combined and patterns.is_commenter(combined.group("name"), max_words, rules.non_name_words):
        draft.author = combined.group("name").strip()
        draft.timestamp = combined.group("timestamp")
        return
    says = patterns.SAYS.match(text)
    draft.author = says.group("name").strip() if says else text.strip()


def addressee(
    text: str, rules: Rules, commenters: set[str] | frozenset[str] = frozenset()
) -> str | None:
    """The person a comment opens by answering: "@jdoe ...", "Jane Doe, ...", "Jane Doe They ...".

    A name counts when it is followed by punctuation or by a word that opens a new sentence
    (so "Jane Doe They pay..." answers Jane Doe, while "Donald Trump is..." is about him).
    """
    handle = HANDLE.match(text)
    if handle:
        return handle.group("name")
    for name in sorted(commenters, key=len, reverse=True):
        if text.startswith(name) and text[len(name) : len(name) + 1] in (",", ":", " ", ""):
            return name
    tokens = re.findall(r"[^\s]+", text)
    for size in (1, 2, 3):
        if len(tokens) <= size:
            break
        words = tokens[:size]
        last = words[-1]
        separator = last[-1] if last[-1] in ",:;" else ""
        words[-1] = last.rstrip(",:;")
        next_word = tokens[size].strip(",.")
        if not patterns.is_name(" ".join(words), 3, rules.non_name_words):
            return None
        if any(word in rules.sentence_openers or word.isupper() for word in words):
            return None
        if separator and (size > 1 or (next_word[:1].islower() and not words[0].endswith("ly"))):
            return " ".join(words)
        if separator:
            return None
        if size > 1 and next_word in rules.sentence_openers:
            return " ".join(words)
    return None
