"""Speaker phrases resolved to the article's entities: the ``speaker_id`` of each quote.

A phrase resolves by the mention it overlaps ("Colonel Erik Lind of the army"), else by a
surname only one person or organisation of the article has, else, for a pronoun, by the latest
person named ("she") or the organisation that opened the sentence before ("it"). Role nouns
("the spokesman") stay unresolved: unknown stays ``None``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from natowatch.core.model import Entity, EntityType
from natowatch.understand.quote_cues import load_cues
from natowatch.understand.quote_groups import Group
from natowatch.understand.quote_marks import Paragraph
from natowatch.understand.speaker_phrases import Speaker


@dataclass(frozen=True)
class _Seen:
    """A person named (or quoted) at ``start`` of sentence ``sentence`` = (paragraph, index)."""

    sentence: tuple[int, int]
    start: int
    entity_id: str


class Resolver:
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

    def set_people(self, groups: list[Group]) -> None:
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
