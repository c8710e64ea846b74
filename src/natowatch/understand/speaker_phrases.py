"""The speaker as written: the noun phrase a speech verb points at, read out of a sentence.

Attribution (``attribution``) finds the speech verb and where its subject must be; this module
reads the phrase there: "the foreign minister", "Colonel Erik Lind of the army", a pronoun, the
subject of a clause past a parenthetical ("X, while welcoming Y, said"). A ``Speaker`` is only
text and offsets; ``speaker_ids`` ties it to an entity.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from natowatch.core.model import EntityType
from natowatch.language.tokens import Token
from natowatch.understand.quote_cues import load_cues
from natowatch.understand.quote_marks import EntityMention, Paragraph

# Longest speaker phrase, in words ("a spokesman for the foreign ministry of Israel").
MAX_SPEAKER = 8


@dataclass(frozen=True)
class Speaker:
    """The speaker as written; ``head_end`` ends its head noun ("a spokesman" of "... for X")."""

    text: str
    paragraph: int
    start: int
    end: int
    head_end: int


def speaker_phrase(par: Paragraph, tokens: list[Token]) -> Speaker | None:
    """The phrase spanned by ``tokens``; its head stops at "for"/"of" after a lower-case word."""
    cues = load_cues()
    while tokens and tokens[0].text in cues.connectors:
        tokens = tokens[1:]
    if not tokens or all(t.text in cues.determiners or t.text in cues.connectors for t in tokens):
        return None
    head = tokens[-1]
    for before, token in pairwise(tokens):
        if token.text in cues.connectors and not before.capitalised:
            head = before
            break
    start, end = tokens[0].start, tokens[-1].end
    if tokens[-1].possessive:
        return None
    return Speaker(par.text[start:end], par.index, start, end, head.end)


def allowed_in_speaker(token: Token) -> bool:
    """A word that can be part of a speaker phrase."""
    cues = load_cues()
    word = token.text
    if word in cues.determiners or word in cues.connectors:
        return True
    return word not in cues.stops and word not in cues.verbs and word not in cues.pronouns


def _scan_back(par: Paragraph, begin: int, end: int) -> Speaker | None:
    """The noun phrase that ends a clause ("On Tuesday the minister" -> "the minister")."""
    cues = load_cues()
    tokens = par.tokens_in(begin, end)
    if not tokens:
        return None
    if tokens[-1].text in cues.pronouns:
        return speaker_phrase(par, tokens[-1:])
    taken: list[Token] = []
    index = len(tokens) - 1
    while index >= 0 and len(taken) < MAX_SPEAKER:
        token = tokens[index]
        if token.text in cues.determiners:
            taken.append(token)
            if index == 0 or tokens[index - 1].text not in cues.connectors:
                break
        elif not allowed_in_speaker(token):
            break
        else:
            taken.append(token)
        index -= 1
    taken.reverse()
    if not taken:
        return None
    first = taken[0]
    if not (first is tokens[0] or first.capitalised or first.text in cues.determiners):
        return None  # a lower-case fragment of a longer clause, not a subject
    return speaker_phrase(par, taken)


def _chunks(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    """Comma-separated pieces of ``text[begin:end]`` as offsets."""
    pieces: list[tuple[int, int]] = []
    start = begin
    for index in range(begin, end):
        if text[index] == ",":
            pieces.append((start, index))
            start = index + 1
    pieces.append((start, end))
    return pieces


def _is_parenthetical(par: Paragraph, piece: tuple[int, int]) -> bool:
    tokens = par.tokens_in(*piece)
    if not tokens:
        return True
    first = tokens[0].text
    return (
        first in load_cues().parentheticals
        or first[0].isdigit()
        or (first.islower() and first.endswith("ing"))
    )


def verb_subject(par: Paragraph, begin: int, end: int) -> Speaker | None:
    """The speaker before a verb, past a parenthetical ("X, while welcoming Y, said")."""
    pieces = _chunks(par.text, begin, end)
    index = len(pieces) - 1
    if not par.text[slice(*pieces[index])].strip() and index >= 1:
        index -= 2 if index >= 2 else 1  # "X, the foreign minister, said": skip the apposition
    while index > 0 and _is_parenthetical(par, pieces[index]):
        index -= 1
    return _scan_back(par, *pieces[index])


def clause_subject(par: Paragraph, begin: int, end: int) -> Speaker | None:
    """ "X welcomed the move, saying ..." / "X warned ... and added": the sentence's subject."""
    cues = load_cues()
    tokens = par.tokens_in(begin, end)[:MAX_SPEAKER]
    if not tokens:
        return None
    if tokens[0].text in cues.pronouns:
        return speaker_phrase(par, tokens[:1])
    mentions = par.mentions_in(begin, end)
    if mentions and mentions[0].start == tokens[0].start:
        return _mention_speaker(par, mentions[0])
    taken: list[Token] = []
    for token in tokens:
        if not allowed_in_speaker(token) or (token.text.islower() and token.text.endswith("ed")):
            break
        if not token.capitalised and tokens[0].text not in cues.determiners:
            break
        taken.append(token)
    if taken:
        return speaker_phrase(par, taken)
    people = [m for m in mentions if m.entity.type is EntityType.PERSON]
    return _mention_speaker(par, people[0]) if people else None


def _mention_speaker(par: Paragraph, mention: EntityMention) -> Speaker:
    text = par.text[mention.start : mention.end]
    return Speaker(text, par.index, mention.start, mention.end, mention.end)
