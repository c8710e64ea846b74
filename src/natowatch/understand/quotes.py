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

from natowatch.core.model import Entity, EntityType, Quote, Zone
from natowatch.understand.attribution import attribution_after, attribution_before
from natowatch.understand.quote_cues import load_cues
from natowatch.understand.quote_marks import (
    EntityMention,
    Paragraph,
    Span,
    double_spans,
    single_spans,
)
from natowatch.understand.speaker_phrases import Speaker

# A quoted phrase shorter than this needs a speaker to count (and single marks always do).
MIN_WORDS = 4


# --- one paragraph -----------------------------------------------------------------------------


def _paragraph_quotes(par: Paragraph) -> list[tuple[Span, Speaker | None]]:
    """The paragraph's quotes, attributed locally, with scare quotes and nested quotes dropped."""
    doubles = double_spans(par)
    spans = sorted(doubles + single_spans(par, doubles), key=lambda span: span.open)
    opens = [span.open for span in spans]
    closes = sorted(span.close for span in spans if span.words >= MIN_WORDS)
    kept: list[tuple[Span, Speaker | None]] = []
    last: tuple[Span, Speaker | None] | None = None
    for span in spans:
        later = bisect_left(opens, span.close)
        bound = opens[later] if later < len(opens) else len(par.text)
        earlier = bisect_right(closes, span.open) - 1
        previous = closes[earlier] if earlier >= 0 else 0
        speaker = attribution_after(par, span, bound) or attribution_before(par, span, previous)
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
    par: Paragraph, span: Span, speaker: Speaker | None, following: Span
) -> Speaker | None:
    """ "“We are ready,” X said, “and we will act.”": a quote resumed after its attribution."""
    if speaker is None or not span.close <= speaker.start < following.open:
        return None
    between = par.text[speaker.end : following.open].rstrip(" \u00a0")
    if len(between) <= _RESUME_GAP and between.endswith((",", ":", ".")):
        return speaker  # "X said. “More words.”" goes on with X too
    return None


def _is_quote(span: Span, speaker: Speaker | None) -> bool:
    """Attributed quotes count (single marks only when long); an unattributed one must open the
    paragraph and be long, since it may continue the previous paragraph's quote."""
    if span.words == 0:
        return False
    if speaker is not None:
        return not span.single or span.words >= MIN_WORDS
    return span.opens and span.words >= MIN_WORDS


def _outermost(
    found: list[tuple[Span, Speaker | None]],
) -> list[tuple[Span, Speaker | None]]:
    """A quote nested in another quote is part of it, not a quote of its own."""
    kept: list[tuple[Span, Speaker | None]] = []
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
    speaker: Speaker | None
    speaker_id: str | None = None


def _join(found: list[tuple[Span, Speaker | None]]) -> list[_Group]:
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

    def resolve(self, speaker: Speaker) -> str | None:
        found = self._by_mention(speaker) or self._by_surname(speaker)
        found = found or self._by_pronoun(speaker)
        if found is not None and self.types.get(found) is EntityType.PERSON:
            seen = self._seen(self.paragraphs[speaker.paragraph], speaker.start, found)
            if self.last_person is None or seen.sentence >= self.last_person.sentence:
                self.last_person = seen  # the one quoted is the subject of their sentence
        return found

    def _by_mention(self, speaker: Speaker) -> str | None:
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

    def _by_surname(self, speaker: Speaker) -> str | None:
        words_ = speaker.text[: speaker.head_end - speaker.start].split()
        last = words_[-1] if words_ else ""
        if not last[:1].isupper():
            return None
        owners = self.surnames.get(last, [])
        return owners[-1].id if len(owners) == 1 else None

    def _by_pronoun(self, speaker: Speaker) -> str | None:
        cues = load_cues()
        if speaker.text in cues.thing_pronouns:
            return self._subject_of_previous_sentence(speaker)
        if speaker.text not in cues.person_pronouns:
            return None
        return self._latest_subject(speaker)

    def _latest_subject(self, speaker: Speaker) -> str | None:
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

    def _subject_of_previous_sentence(self, speaker: Speaker) -> str | None:
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
