"""Direct quotes and who said them, found the way a reader of news copy finds them.

A quote is text between quote marks that a speech verb ties to a speaker, either before it
("X said, “...”", "According to X, “...”") or after it ("“...,” X said", "“...,” said X").
Two conventions of news copy are honoured: a paragraph that opens with a quote mark and names no
speaker continues the previous paragraph's quote, and a quote whose closing mark is missing runs
on into the next paragraph. Short quoted phrases nobody is said to have said (scare quotes,
titles) are not quotes. Speakers resolve to the article's entities by mention, surname or, for
pronouns, the latest person named; role nouns ("the spokesman") stay unresolved.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from natowatch.core.model import Entity, EntityType, Quote, Zone
from natowatch.language.tokens import Token
from natowatch.understand.quote_cues import load_cues
from natowatch.understand.quote_marks import (
    EntityMention,
    Paragraph,
    Span,
    double_spans,
    single_spans,
)

# A quoted phrase shorter than this needs a speaker to count (and single marks always do).
MIN_WORDS = 4
# Longest speaker phrase, in words ("a spokesman for the foreign ministry of Israel").
MAX_SPEAKER = 8
# Most words allowed between a speech verb and the quote it introduces ("told reporters on ...").
MAX_COMPLEMENT = 12
# Words looked at before a quote for its attribution (keeps long sentences linear).
_LEAD_WORDS = 60
# Characters that may sit between a closing mark and the attribution after it.
_TAIL_GAP = " ,—–-\u00a0"
# Characters a quote may end with when the sentence goes on to name its speaker.
_JOINING_END = (",", "?", "!", "—", "–", "-", "…", ":")
_BREAKS = ",;:.()—–"


@dataclass(frozen=True)
class _Speaker:
    """The speaker as written; ``head_end`` ends its head noun ("a spokesman" of "... for X")."""

    text: str
    paragraph: int
    start: int
    end: int
    head_end: int


# --- speakers ----------------------------------------------------------------------------------


def _is_verb(tokens: list[Token], index: int) -> bool:
    word = tokens[index].text
    if word in ("according", "According"):
        return index + 1 < len(tokens) and tokens[index + 1].text == "to"
    return word in load_cues().verbs


def _speaker(par: Paragraph, tokens: list[Token]) -> _Speaker | None:
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
    return _Speaker(par.text[start:end], par.index, start, end, head.end)


def _allowed(token: Token) -> bool:
    """A word that can be part of a speaker phrase."""
    cues = load_cues()
    word = token.text
    if word in cues.determiners or word in cues.connectors:
        return True
    return word not in cues.stops and word not in cues.verbs and word not in cues.pronouns


def _speaker_after_verb(par: Paragraph, tokens: list[Token], verb: int) -> _Speaker | None:
    """ "said Smith on Tuesday" -> "Smith"; "according to a spokesman" -> "a spokesman"."""
    cues = load_cues()
    first = verb + 2 if tokens[verb].text.lower() == "according" else verb + 1
    if tokens[verb].text in cues.object_verbs or first >= len(tokens):
        return None
    if tokens[first].text in cues.pronouns:
        return _speaker(par, tokens[first : first + 1])
    if _breaks(par, tokens[first - 1], tokens[first], _BREAKS):
        return None
    taken: list[Token] = [tokens[first]]
    for token in tokens[first + 1 :]:
        stop = token.text in cues.after_speaker or not _allowed(token)
        if stop or len(taken) >= MAX_SPEAKER or _breaks(par, taken[-1], token, _BREAKS):
            break
        taken.append(token)
    opener = taken[0]
    return (
        _speaker(par, taken) if _allowed(opener) and opener.text not in cues.after_speaker else None
    )


def _breaks(par: Paragraph, left: Token, right: Token, marks: str) -> bool:
    """Whether punctuation between two words ends a phrase; "Gen. Ortiz" is one phrase."""
    gap = par.text[left.end : right.start]
    if "." in gap and not _abbreviated(left):
        return True
    return any(char in marks and char != "." for char in gap)


def _speaker_before_verb(par: Paragraph, tokens: list[Token]) -> _Speaker | None:
    """ "“...,” the minister said": the words between the closing mark and the verb."""
    cues = load_cues()
    while tokens and tokens[-1].text in cues.adverbs:
        tokens = tokens[:-1]
    for index in range(1, len(tokens)):
        if "," in par.text[tokens[index - 1].end : tokens[index].start]:
            tokens = tokens[:index]  # "Smith, the foreign minister, said"
            break
    if len(tokens) == 1 and tokens[0].text in cues.pronouns:
        return _speaker(par, tokens)
    if not tokens or len(tokens) > MAX_SPEAKER or not all(_allowed(t) for t in tokens):
        return None
    return _speaker(par, tokens)


def _scan_back(par: Paragraph, begin: int, end: int) -> _Speaker | None:
    """The noun phrase that ends a clause ("On Tuesday the minister" -> "the minister")."""
    cues = load_cues()
    tokens = par.tokens_in(begin, end)
    if not tokens:
        return None
    if tokens[-1].text in cues.pronouns:
        return _speaker(par, tokens[-1:])
    taken: list[Token] = []
    index = len(tokens) - 1
    while index >= 0 and len(taken) < MAX_SPEAKER:
        token = tokens[index]
        if token.text in cues.determiners:
            taken.append(token)
            if index == 0 or tokens[index - 1].text not in cues.connectors:
                break
        elif not _allowed(token):
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
    return _speaker(par, taken)


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


def _subject(par: Paragraph, begin: int, end: int) -> _Speaker | None:
    """The speaker before a verb, past a parenthetical ("X, while welcoming Y, said")."""
    pieces = _chunks(par.text, begin, end)
    index = len(pieces) - 1
    if not par.text[slice(*pieces[index])].strip() and index >= 1:
        index -= 2 if index >= 2 else 1  # "X, the foreign minister, said": skip the apposition
    while index > 0 and _is_parenthetical(par, pieces[index]):
        index -= 1
    return _scan_back(par, *pieces[index])


def _clause_subject(par: Paragraph, begin: int, end: int) -> _Speaker | None:
    """ "X welcomed the move, saying ..." / "X warned ... and added": the sentence's subject."""
    cues = load_cues()
    tokens = par.tokens_in(begin, end)[:MAX_SPEAKER]
    if not tokens:
        return None
    if tokens[0].text in cues.pronouns:
        return _speaker(par, tokens[:1])
    mentions = par.mentions_in(begin, end)
    if mentions and mentions[0].start == tokens[0].start:
        return _mention_speaker(par, mentions[0])
    taken: list[Token] = []
    for token in tokens:
        if not _allowed(token) or (token.text.islower() and token.text.endswith("ed")):
            break
        if not token.capitalised and tokens[0].text not in cues.determiners:
            break
        taken.append(token)
    if taken:
        return _speaker(par, taken)
    people = [m for m in mentions if m.entity.type is EntityType.PERSON]
    return _mention_speaker(par, people[0]) if people else None


def _mention_speaker(par: Paragraph, mention: EntityMention) -> _Speaker:
    text = par.text[mention.start : mention.end]
    return _Speaker(text, par.index, mention.start, mention.end, mention.end)


def _clause_tokens(par: Paragraph, begin: int, bound: int, limit: int) -> list[Token]:
    """Up to ``limit`` words from ``begin`` to the end of the sentence ("Brig. Gen." goes on)."""
    low = bisect_left(par.token_starts, begin)
    high = min(bisect_left(par.token_starts, bound), low + limit)
    tokens = par.tokens[low:high]
    for index in range(1, len(tokens)):
        if _breaks(par, tokens[index - 1], tokens[index], "!?;"):
            return tokens[:index]
    return tokens


def _abbreviated(token: Token) -> bool:
    """A title or initial written with a period ("Gen.", "Mr.", "J.")."""
    word = token.text
    return (len(word) == 1 and word.isupper()) or word in load_cues().abbreviations


def _after(par: Paragraph, span: Span, bound: int) -> _Speaker | None:
    """Attribution after the closing mark, when the sentence runs on past the quote."""
    if not span.closed:
        return None
    quoted = par.text[span.open + 1 : span.close - 1].rstrip()
    rest = par.text[span.close : bound]
    if not (quoted.endswith(_JOINING_END) or rest.lstrip().startswith((",", "—", "–"))):
        return None
    tokens = _clause_tokens(par, span.close, bound, 2 * MAX_SPEAKER + 2)
    if not tokens or any(c not in _TAIL_GAP for c in par.text[span.close : tokens[0].start]):
        return None
    for index in range(min(len(tokens), MAX_SPEAKER + 1)):
        if _is_verb(tokens, index):
            if index == 0:
                return _speaker_after_verb(par, tokens, 0)
            return _speaker_before_verb(par, tokens[:index])
    return None


def _before(par: Paragraph, span: Span, bound: int) -> _Speaker | None:
    """Attribution before the opening mark: the last speech verb of the sentence and its subject."""
    cues = load_cues()
    high = bisect_left(par.token_starts, span.open)
    window = max(high - _LEAD_WORDS, 0)
    sentence = max(par.sentence_start(span.open), par.tokens[window].start if high else 0)
    tokens = par.tokens_in(max(sentence, bound), span.open)
    verb = _last_verb(tokens)
    if verb is None:
        return None
    if tokens[verb].text.lower() == "according":
        return _speaker_after_verb(par, tokens, verb)
    if any(_breaks(par, left, right, ",;") for left, right in pairwise(tokens[verb:])):
        return None
    index = verb - 1
    while index >= 0 and tokens[index].text in cues.adverbs:
        index -= 1
    if tokens[verb].text.endswith("ing") or (index >= 0 and tokens[index].text == "and"):
        return _clause_subject(par, sentence, tokens[verb].start)
    end = tokens[index + 1].start if index + 1 < verb else tokens[verb].start
    return _subject(par, max(sentence, bound), end)


def _last_verb(tokens: list[Token]) -> int | None:
    """The speech verb nearest the quote, if few enough words stand between them."""
    for index in range(len(tokens) - 1, max(len(tokens) - MAX_COMPLEMENT - 2, -1), -1):
        if _is_verb(tokens, index):
            return index
    return None


# --- one paragraph -----------------------------------------------------------------------------


def _paragraph_quotes(par: Paragraph) -> list[tuple[Span, _Speaker | None]]:
    """The paragraph's quotes, attributed locally, with scare quotes and nested quotes dropped."""
    doubles = double_spans(par)
    spans = sorted(doubles + single_spans(par, doubles), key=lambda span: span.open)
    opens = [span.open for span in spans]
    closes = sorted(span.close for span in spans if span.words >= MIN_WORDS)
    kept: list[tuple[Span, _Speaker | None]] = []
    last: tuple[Span, _Speaker | None] | None = None
    for span in spans:
        later = bisect_left(opens, span.close)
        bound = opens[later] if later < len(opens) else len(par.text)
        earlier = bisect_right(closes, span.open) - 1
        previous = closes[earlier] if earlier >= 0 else 0
        speaker = _after(par, span, bound) or _before(par, span, previous)
        if speaker is None and last is not None:
            speaker = _resumed(par, *last, span)
        if _is_quote(span, speaker):
            kept.append((span, speaker))
        last = (span, speaker)
    return _outermost(kept)


# Most characters between a speaker and a quote that resumes after the attribution
# ("“...,” X said in a statement on Tuesday. “...”").
_RESUME_GAP = 60


def _resumed(
    par: Paragraph, span: Span, speaker: _Speaker | None, following: Span
) -> _Speaker | None:
    """ "“We are ready,” X said, “and we will act.”": a quote resumed after its attribution."""
    if speaker is None or not span.close <= speaker.start < following.open:
        return None
    between = par.text[speaker.end : following.open].rstrip(" \u00a0")
    if len(between) <= _RESUME_GAP and between.endswith((",", ":", ".")):
        return speaker  # "X said. “More words.”" goes on with X too
    return None


def _is_quote(span: Span, speaker: _Speaker | None) -> bool:
    """Attributed quotes count (single marks only when long); an unattributed one must open the
    paragraph and be long, since it may continue the previous paragraph's quote."""
    if span.words == 0:
        return False
    if speaker is not None:
        return not span.single or span.words >= MIN_WORDS
    return span.opens and span.words >= MIN_WORDS


def _outermost(
    found: list[tuple[Span, _Speaker | None]],
) -> list[tuple[Span, _Speaker | None]]:
    """A quote nested in another quote is part of it, not a quote of its own."""
    kept: list[tuple[Span, _Speaker | None]] = []
    reach = -1
    for span, speaker in found:
        if span.close <= reach:
            continue
        kept.append((span, speaker))
        reach = span.close
    return kept


# --- the article -------------------------------------------------------------------------------


@dataclass
class _Group:
    """A quote being assembled: one span, or several when a closing mark was left out."""

    spans: list[Span]
    speaker: _Speaker | None
    speaker_id: str | None = None


def _join(found: list[tuple[Span, _Speaker | None]]) -> list[_Group]:
    """Merge a quote left open at a paragraph's end with the quote opening the next paragraph."""
    groups: list[_Group] = []
    for span, speaker in found:
        if groups:
            last = groups[-1].spans[-1]
            if not last.closed and span.opens and span.paragraph == last.paragraph + 1:
                groups[-1].spans.append(span)
                groups[-1].speaker = groups[-1].speaker or speaker
                continue
        groups.append(_Group([span], speaker))
    return groups


def _continues(group: _Group, previous: _Group | None) -> bool:
    """An unattributed quote opening a paragraph goes on with the previous paragraph's speaker."""
    if group.speaker is not None or previous is None or not group.spans[0].opens:
        return False
    return previous.spans[-1].paragraph == group.spans[0].paragraph - 1 and (
        previous.speaker is not None
    )


@dataclass(frozen=True)
class _Seen:
    """A person named (or quoted) at ``start`` of sentence ``sentence`` = (paragraph, index)."""

    sentence: tuple[int, int]
    start: int
    entity_id: str


class _Resolver:
    """Speaker phrase -> entity id: overlapping mention, then surname, then pronoun."""

    def __init__(self, entities: Sequence[Entity], paragraphs: list[Paragraph]) -> None:
        self.paragraphs = paragraphs
        self.types = {entity.id: entity.type for entity in entities}
        self.surnames: dict[str, list[Entity]] = {}
        for entity in entities:
            if entity.type in (EntityType.PERSON, EntityType.ORG):
                self.surnames.setdefault(entity.name.split()[-1], []).append(entity)
        self.people: list[_Seen] = []
        self.next_person = 0
        self.last_person: _Seen | None = None

    def set_people(self, groups: list[_Group]) -> None:
        """People named outside the quotes, in reading order, for pronoun resolution."""
        inside: dict[int, list[tuple[int, int]]] = {}
        for group in groups:
            for span in group.spans:
                inside.setdefault(span.paragraph, []).append((span.start, span.end))
        for par in self.paragraphs:
            spans = sorted(inside.get(par.index, []))
            starts = [start for start, _ in spans]
            for mention in par.mentions:
                index = bisect_right(starts, mention.start) - 1
                quoted = index >= 0 and mention.start < spans[index][1]
                if mention.entity.type is EntityType.PERSON and not quoted:
                    self.people.append(self._seen(par, mention.start, mention.entity.id))

    def _seen(self, par: Paragraph, offset: int, entity_id: str) -> _Seen:
        sentence = bisect_right(par.sentence_starts, offset) - 1
        return _Seen((par.index, sentence), offset, entity_id)

    def resolve(self, speaker: _Speaker) -> str | None:
        found = self._by_mention(speaker) or self._by_surname(speaker)
        found = found or self._by_pronoun(speaker)
        if found is not None and self.types.get(found) is EntityType.PERSON:
            seen = self._seen(self.paragraphs[speaker.paragraph], speaker.start, found)
            if self.last_person is None or seen.sentence >= self.last_person.sentence:
                self.last_person = seen  # the one quoted is the subject of their sentence
        return found

    def _by_mention(self, speaker: _Speaker) -> str | None:
        """A person named in the head ("Colonel Erik Lind of the army"), not as an owner
        ("Lind's aide"); else a name that is the whole head ("the Kremlin", not "a NATO aide")."""
        par = self.paragraphs[speaker.paragraph]
        mentions = par.mentions_in(speaker.start, speaker.head_end)
        for mention in mentions:
            owner = par.text[mention.end : mention.end + 1] in ("'", "’")
            if mention.entity.type is EntityType.PERSON and not owner:
                return mention.entity.id
        for mention in mentions:
            if mention.end == speaker.head_end:
                return mention.entity.id
        return None

    def _by_surname(self, speaker: _Speaker) -> str | None:
        words_ = speaker.text[: speaker.head_end - speaker.start].split()
        last = words_[-1] if words_ else ""
        if not last[:1].isupper():
            return None
        owners = self.surnames.get(last, [])
        return owners[-1].id if len(owners) == 1 else None

    def _by_pronoun(self, speaker: _Speaker) -> str | None:
        cues = load_cues()
        if speaker.text in cues.thing_pronouns:
            return self._subject_of_previous_sentence(speaker)
        if speaker.text not in cues.person_pronouns:
            return None
        return self._latest_subject(speaker)

    def _latest_subject(self, speaker: _Speaker) -> str | None:
        """The first person named in the latest sentence naming one: "Anna met Otto. She said"
        means Anna, since a subject is likelier to be picked up by a pronoun than an object."""
        position = (speaker.paragraph, speaker.start)
        while self.next_person < len(self.people):
            person = self.people[self.next_person]
            if (person.sentence[0], person.start) >= position:
                break
            if self.last_person is None or person.sentence > self.last_person.sentence:
                self.last_person = person
            self.next_person += 1
        return self.last_person.entity_id if self.last_person else None

    def _subject_of_previous_sentence(self, speaker: _Speaker) -> str | None:
        """ "It" names the organisation or place that opened the sentence before."""
        par = self.paragraphs[speaker.paragraph]
        index = bisect_right(par.sentence_starts, speaker.start) - 1
        if index <= 0:
            if speaker.paragraph == 0:
                return None
            par = self.paragraphs[speaker.paragraph - 1]
            index = len(par.sentences)
        begin, _ = par.sentences[index - 1]
        for mention in par.mentions_in(begin, begin + 5):
            lead = par.text[begin : mention.start]
            if lead.strip() in ("", "The") and mention.entity.type in (
                EntityType.ORG,
                EntityType.GPE,
            ):
                return mention.entity.id
        return None


def _paragraphs(body: Sequence[str], entities: Sequence[Entity]) -> list[Paragraph]:
    mentions: dict[int, list[EntityMention]] = {}
    for entity in entities:
        for mention in entity.mentions:
            if mention.zone is Zone.BODY:
                mentions.setdefault(mention.paragraph, []).append(
                    EntityMention(mention.start, mention.end, entity)
                )
    return [
        Paragraph(index, text, sorted(mentions.get(index, []), key=lambda m: (m.start, m.end)))
        for index, text in enumerate(body)
    ]


def _quote(body: Sequence[str], group: _Group) -> Quote:
    first = group.spans[0]
    text = "\n\n".join(body[span.paragraph][span.start : span.end] for span in group.spans)
    speaker = group.speaker.text if group.speaker else None
    return Quote(
        text=text,
        speaker=speaker,
        speaker_id=group.speaker_id,
        paragraph=first.paragraph,
        start=first.start,
        end=first.end,
        paragraphs=tuple(span.paragraph for span in group.spans),
        zone=Zone.BODY,
    )


def find_quotes(body: Sequence[str], entities: Sequence[Entity]) -> tuple[Quote, ...]:
    """Direct quotes of the body paragraphs with their speakers, sorted by (paragraph, start).

    ``entities`` are the article's entities (body mentions are used to resolve speakers).
    """
    paragraphs = _paragraphs(body, entities)
    found = [item for par in paragraphs for item in _paragraph_quotes(par)]
    groups = _join(found)
    resolver = _Resolver(entities, paragraphs)
    resolver.set_people(groups)
    previous: _Group | None = None
    quotes: list[Quote] = []
    for group in groups:
        if group.speaker is not None:
            group.speaker_id = resolver.resolve(group.speaker)
        elif _continues(group, previous):
            assert previous is not None
            group.speaker, group.speaker_id = previous.speaker, previous.speaker_id
        if group.speaker is not None or not any(span.single for span in group.spans):
            quotes.append(_quote(body, group))
        previous = group
    return tuple(sorted(quotes, key=lambda quote: (quote.paragraph, quote.start)))
