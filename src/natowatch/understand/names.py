"""Find the name-like spans of one paragraph and guess what each is, before article-wide merging.

Rules, in the order a reader applies them: names the archive dictionary knows; runs of
capitalised words, cut at function words; a title before a name makes it a person ("Prime
Minister ..."); a last word such as Council or Forces makes an organisation; known places and
organisations; a spelled-out acronym "North Atlantic Treaty Organization (NATO)". What cannot be
decided within the paragraph (a lone surname, an acronym) is left to ``entities`` to resolve.
"""

from __future__ import annotations

import enum
import functools
import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from natowatch.core.model import EntityType
from natowatch.language import lexicon
from natowatch.language.gazetteer import gazetteer
from natowatch.language.nametable import Known, NameTable, word_key, word_keys
from natowatch.language.tokens import Token, is_gap, sentence_spans, tokenize

_ACRONYM_AFTER = re.compile(r"[\s\u00a0]*\(\s*([A-Z][A-Za-z&.\-]*[A-Z])(s?)\s*\)")
_PROSE_END = re.compile(r"[.!?…][\"”’')]*\s*$")
# What separates a clause that starts afresh: an opening quote, a colon, a dateline dash.
_CLAUSE_BREAK = re.compile(r"^[)\s\u00a0,;]*(?:[\"“‘]|:\s*[\"“‘]?|\s[-–—])[\s\u00a0]*$")
# A clause break holds one of these.
_CLAUSE_MARK = re.compile(r"[\"“‘:\-–—]")


class Kind(enum.IntEnum):
    """How a candidate was found; lower values are stronger evidence for its type."""

    KNOWN = 0  # dictionary or gazetteer
    DEFINED = 1  # spelled out with its acronym
    CUE = 2  # ends in an organisation/event/place word
    TITLED = 3  # follows a title: a person
    NAME = 4  # several capitalised words: a person unless known otherwise
    ACRONYM = 5  # an all-capital word
    WORD = 6  # one capitalised word


@dataclass(frozen=True)
class Candidate:
    """A span that may name an entity; ``name`` is the proposed canonical name."""

    start: int
    end: int
    text: str
    name: str
    type: EntityType | None
    kind: Kind
    known: Known | None = None
    acronym: str | None = None
    weak: bool = False  # sentence-initial or in a headline: keep only if the article confirms it
    hint: EntityType | None = None  # what the words around a lone word suggest


@functools.cache
def _edge_words() -> frozenset[str]:
    """Words trimmed off the ends of what is left of a segment: they begin or end no name."""
    words = lexicon.words()
    return words.openers | words.days | words.months | words.demonyms


def _has_digit(word: str) -> bool:
    """Letters-only words (nearly all) have no digit: decided without looking at each one."""
    return not word.isalpha() and any(char.isdigit() for char in word)


def _clean(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


class _Paragraph:
    """One text being read: its words, which of them open sentences, which are headline-like."""

    def __init__(self, text: str, dictionary: NameTable) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.keys = word_keys(self.tokens)
        self.dictionary = dictionary
        self.words = lexicon.words()
        self.titles = lexicon.titles()
        self.gazetteer = gazetteer()
        self.initial: set[int] = set()
        self.headline: set[int] = set()
        self._known_names: dict[int, Sequence[tuple[int, Known]]] = {}
        self.shouted = self._shouted()
        self._mark_sentences()

    def _shouted(self) -> set[int]:
        """Words in a run of three or more in capitals: shouting, not acronyms."""
        shouted: set[int] = set()
        run: list[int] = []
        for index, token in enumerate([*self.tokens, None]):
            if token is not None and token.all_caps:
                run.append(index)
                continue
            if len(run) >= 3:
                shouted.update(run)
            run = []
        return shouted

    def _mark_sentences(self) -> None:
        """The words opening a sentence or a clause, and the words of headline-like sentences.

        A sentence's words are those starting inside it: a stretch ``[first, last)`` of indexes.
        """
        starts = [token.start for token in self.tokens]
        breaks = self._clause_breaks(starts)
        long_words = [token.text[0].isalpha() and len(token.text) >= 4 for token in self.tokens]
        long_capitalised = [
            long and token.capitalised for long, token in zip(long_words, self.tokens, strict=True)
        ]
        last = 0
        for start, end in sentence_spans(self.text):
            first = bisect_left(starts, start, last)
            last = bisect_left(starts, end, first)
            if first == last:
                continue
            self.initial.add(first)
            self.initial.update(index for index in breaks if first < index < last)
            longs, capitals = sum(long_words[first:last]), sum(long_capitalised[first:last])
            if self._headline_like(longs, capitals, end):
                self.headline.update(range(first, last))

    def _clause_breaks(self, starts: list[int]) -> list[int]:
        """Words after a clause break (quote mark, colon, dash): only the gaps holding one of
        those characters are tried, not every gap between two words."""
        tokens, text = self.tokens, self.text
        found: list[int] = []
        for mark in _CLAUSE_MARK.finditer(text):
            before = bisect_right(starts, mark.start()) - 1
            if before < 0 or before + 1 >= len(tokens) or mark.start() < tokens[before].end:
                continue  # not in a gap between two words
            if found and found[-1] == before + 1:
                continue
            if _CLAUSE_BREAK.match(text[tokens[before].end : tokens[before + 1].start]):
                found.append(before + 1)
        return found

    def _headline_like(self, long_words: int, capitalised: int, end: int) -> bool:
        """Title Case Text ("Minister Tells Envoy ...") capitalises verbs and prepositions too:
        nearly all of a sentence's long words (counted) are capitalised."""
        if long_words < 4 or capitalised < 0.9 * long_words:
            return False
        # a name-heavy sentence of prose still ends like one; a headline does not
        return not _PROSE_END.search(self.text, 0, end)

    # --- finding -------------------------------------------------------------------------

    def candidates(self) -> list[Candidate]:
        found: list[Candidate] = []
        claimed = [False] * len(self.tokens)
        index = 0
        dictionary_words, gazetteer_words = self.dictionary.first_words, self.gazetteer.first_words
        # Only the words that begin some known name are looked up (about one in ten).
        starts = [
            start
            for start, key in enumerate(self.keys)
            if key in dictionary_words or key in gazetteer_words
        ]
        for start in starts:
            if start < index:
                continue  # part of the name found before
            index, key, match = start, self.keys[start], None
            if key in dictionary_words:
                match = self.dictionary.match(self.text, self.tokens, index)
            if match is None and key in gazetteer_words and self._needs_early_lookup(index):
                match = self._gazetteer_match(index)
            if match is None:
                continue
            length, known = match
            found.append(self._known(self.tokens[index : index + length], known))
            for position in range(index, index + length):
                claimed[position] = True
            index += length
        for run in self._runs(claimed):
            found.extend(self._parse_run(run))
        return sorted(found, key=lambda candidate: candidate.start)

    def _needs_early_lookup(self, index: int) -> bool:
        """Known names that runs of capitals cannot hold ("al-Qaeda", "9/11", "Sea of Azov")."""
        token = self.tokens[index]
        if not token.capitalised:
            return True
        match = self._gazetteer_match(index)
        if match is None or match[0] < 2:
            return False
        return any(not t.capitalised for t in self.tokens[index : index + match[0]])

    def _name_like(self, index: int, claimed: list[bool]) -> bool:
        return not claimed[index] and self.tokens[index].capitalised

    def _runs(self, claimed: list[bool]) -> list[list[int]]:
        """Maximal runs of adjacent capitalised words, joined by name connectors where allowed."""
        runs: list[list[int]] = []
        index = 0
        for first, token in enumerate(self.tokens):
            if first < index or claimed[first] or not token.capitalised:
                continue  # inside the previous run, or not name-like
            run = [first]
            while True:
                last = run[-1]
                if self.tokens[last].possessive:
                    break
                step = self._continuation(last, claimed)
                if not step:
                    break
                run.extend(step)
            runs.append(run)
            index = run[-1] + 1
        return runs

    def _continuation(self, last: int, claimed: list[bool]) -> list[int]:
        """The indexes extending a run after ``last``: a capitalised word, maybe via connectors."""
        tokens, words = self.tokens, self.words
        nxt = last + 1
        if nxt >= len(tokens):
            return []
        gap = self.text[tokens[last].end : tokens[nxt].start]
        if word_key(tokens[last].text) in self.titles.abbreviations and gap in (". ", ".\u00a0"):
            gap = " "
        if not is_gap(gap):
            return []
        if self._name_like(nxt, claimed):
            return [nxt]
        connectors: list[int] = []
        position = nxt
        while (
            position < len(tokens)
            and len(connectors) < 2
            and tokens[position].text in words.connectors
            and not claimed[position]
        ):
            connectors.append(position)
            position += 1
            if position >= len(tokens):
                return []
            if not is_gap(self.text[tokens[position - 1].end : tokens[position].start]):
                return []
        if not connectors or not self._name_like(position, claimed):
            return []
        joiners = [tokens[i].text for i in connectors]
        if all(word in words.particles for word in joiners):
            return [*connectors, position]
        head = tokens[last].text
        if joiners[0] in ("of", "for", "on") and (head in words.of_heads or head in words.cues):
            return [*connectors, position]
        return []

    # --- reading a run ---------------------------------------------------------------------

    def _parse_run(self, run: list[int]) -> list[Candidate]:
        """Cut the run at function words ("They") and words with digits, then read each part."""
        found: list[Candidate] = []
        segment: list[int] = []
        for index in run:
            text = self.tokens[index].text
            if index in self.shouted:
                text = text.capitalize()
            if text in self.words.function_words or _has_digit(text):
                found.extend(self._parse_segment(segment, last_in_run=False))
                segment = []
                if text not in self.words.function_words:
                    found.extend(self._parse_segment([index], last_in_run=False))
                continue
            segment.append(index)
        found.extend(self._parse_segment(segment, last_in_run=True))
        return found

    def _parse_segment(self, segment: list[int], last_in_run: bool) -> list[Candidate]:
        if not segment:
            return []
        if last_in_run:
            defined = self._acronym_definition(segment)
            if defined is not None:
                cut, candidate = defined
                return [*self._parse_segment(segment[:cut], last_in_run=False), candidate]
        segment = self._strip_openers(segment)
        if not segment:
            return []
        full = self._known_span(segment)
        if full is not None:
            return [full]
        if len(segment) >= 2 and self._cue(segment) is not None:
            return self._cue_name(segment)
        title = self._title_span(segment)
        if title is not None:
            start, end = title
            person = segment[end:]
            return [*self._parse_segment(segment[:start], False), *self._titled(person)]
        return self._known_and_rest(segment)

    def _strip_openers(self, segment: list[int]) -> list[int]:
        words = self.words
        while segment:
            token = self.tokens[segment[0]]
            if self._known_at(segment, 0) is not None:
                break
            text = token.text
            is_adverb = text.endswith("ly") and segment[0] in self.initial and len(segment) > 1
            month = text in words.months and not self._month_is_a_name(segment, 0)
            if text in words.openers or text in words.days or month or is_adverb:
                segment = segment[1:]
                continue
            break
        return segment

    def _month_is_a_name(self, segment: list[int], offset: int) -> bool:
        """ "Jan Kowalski", "Theresa May": a month word inside a person's name, not a date.

        It is a date when a number follows it ("May 2016", "Jan 5") or when it stands before a
        known name ("In May Israel opened..."); a lone month word is a date too.
        """
        if len(segment) < 2 or self.tokens[segment[offset]].text not in self.words.months:
            return False
        following = segment[offset] + 1
        if following < len(self.tokens) and self.tokens[following].text[:1].isdigit():
            return False
        if offset == 0:
            return self._known_at(segment, 1) is None
        return offset == len(segment) - 1 and self._known_at(segment, 0) is None

    def _known_at(self, segment: list[int], offset: int) -> tuple[int, Known] | None:
        if offset >= len(segment) or self.keys[segment[offset]] not in self.gazetteer.first_words:
            return None
        first, last = segment[0], segment[-1]
        if last - first == len(segment) - 1:
            # Segments list word indexes in increasing order, so this one is a stretch of the
            # paragraph (nearly always): looked up in place, without a list of its words.
            return self._gazetteer_match(first + offset, last + 1)
        tokens = [self.tokens[i] for i in segment]
        return self.gazetteer.match(self.text, tokens, offset)

    def _gazetteer_match(self, index: int, end: int | None = None) -> tuple[int, Known] | None:
        """The gazetteer's ``match`` in the paragraph's words: a run's segments look up the same
        words as the first pass, so each word's names are found once and kept."""
        found = self._known_names.get(index)
        if found is None:
            found = self._known_names[index] = self.gazetteer.matches(self.text, self.tokens, index)
        for length, known in reversed(found):
            if end is None or index + length <= end:
                return length, known
        return None

    def _known_span(self, segment: list[int]) -> Candidate | None:
        match = self._known_at(segment, 0)
        if match is None or match[0] != len(segment):
            return None
        return self._known([self.tokens[i] for i in segment], match[1])

    def _known(self, tokens: Sequence[Token], known: Known) -> Candidate:
        start, end = tokens[0].start, tokens[-1].end
        return Candidate(
            start, end, self.text[start:end], known.name, known.type, Kind.KNOWN, known
        )

    def _span(self, segment: Sequence[int]) -> tuple[int, int, str]:
        start, end = self.tokens[segment[0]].start, self.tokens[segment[-1]].end
        return start, end, self.text[start:end]

    def _cue(self, segment: list[int]) -> str | None:
        """The word that makes the segment a named thing: its last word ("Atlantic Council") or
        the head before "of" ("Board of Governors")."""
        texts = [self.tokens[i].text for i in segment]
        if texts[-1] in self.words.cues:
            return texts[-1]
        for head, word in itertools.pairwise(texts):
            if word in ("of", "for", "on"):
                return head if head in self.words.cues else None
        return None

    def _cue_name(self, segment: list[int]) -> list[Candidate]:
        words, tokens = self.words, self.tokens
        found: list[Candidate] = []
        if len(segment) >= 3 and tokens[segment[0]].all_caps and not tokens[segment[1]].all_caps:
            found.extend(self._known_and_rest(segment[:1]))
            segment = segment[1:]
        texts = [tokens[i].text for i in segment]
        if len(texts) == 2 and texts[0] in words.demonyms and texts[1] in words.generic_cues:
            return found
        if all(text in words.generic_words or text in words.generic_cues for text in texts):
            return found
        if all(text in words.demonyms or text in words.generic_words for text in texts[:-1]) and (
            texts[-1] in words.generic_cues
        ):
            return found
        start, end, text = self._span(segment)
        entity_type = words.cues[self._cue(segment) or texts[-1]]
        weak = segment[0] in self.headline
        found.append(Candidate(start, end, text, _clean(text), entity_type, Kind.CUE, weak=weak))
        return found

    def _title_span(self, segment: list[int]) -> tuple[int, int] | None:
        """Where a title (with its modifiers) sits in ``segment``; the name follows it, if any."""
        texts = [word_key(self.tokens[i].text) for i in segment]
        phrases, longest = self.titles.phrases, self.titles.longest
        for start in range(len(texts)):
            end = start
            while True:
                step = next(
                    (
                        size
                        for size in range(min(longest, len(texts) - end), 0, -1)
                        if tuple(texts[end : end + size]) in phrases
                    ),
                    0,
                )
                if not step:
                    break
                end += step
            if end > start:
                first = start
                while first > 0 and texts[first - 1] in self.titles.modifiers:
                    first -= 1
                return first, end
        return None

    def _titled(self, person: list[int]) -> list[Candidate]:
        person = [i for i in person if self.tokens[i].text not in self.words.demonyms] or person
        if not person:
            return []
        start, end, text = self._span(person)
        return [
            Candidate(
                start,
                end,
                text,
                _clean(text),
                EntityType.PERSON,
                Kind.TITLED,
                weak=person[0] in self.headline,
            )
        ]

    def _known_and_rest(self, segment: list[int]) -> list[Candidate]:
        """Known places and organisations inside the segment, and what is left between them."""
        found: list[Candidate] = []
        rest: list[int] = []
        offset = 0
        while offset < len(segment):
            match = self._known_at(segment, offset)
            if match is None:
                rest.append(segment[offset])
                offset += 1
                continue
            found.extend(self._leftover(rest))
            rest = []
            length, known = match
            found.append(
                self._known([self.tokens[i] for i in segment[offset : offset + length]], known)
            )
            offset += length
        found.extend(self._leftover(rest))
        return found

    def _leftover(self, segment: list[int]) -> list[Candidate]:
        """Capitalised words that no rule explained: a person's name, an acronym or a lone word."""
        skip = _edge_words()
        while segment and self.tokens[segment[0]].text in skip:
            if self._month_is_a_name(segment, 0):
                break
            segment = segment[1:]
        while segment and self.tokens[segment[-1]].text in skip:
            if self._month_is_a_name(segment, len(segment) - 1):
                break
            segment = segment[:-1]
        if not segment:
            return []
        found: list[Candidate] = []
        piece: list[int] = []
        for index in segment:
            if self.tokens[index].all_caps:
                found.extend(self._piece(piece))
                piece = []
                found.extend(self._piece([index]))
            else:
                piece.append(index)
        found.extend(self._piece(piece))
        return found

    def _piece(self, piece: list[int]) -> list[Candidate]:
        if not piece:
            return []
        words = self.words
        start, end, text = self._span(piece)
        weak = piece[0] in self.headline
        if len(piece) == 1:
            token = self.tokens[piece[0]]
            word = token.text
            if word in words.generic_words or word in words.function_words:
                return []
            if not any(char.isalpha() for char in word) or _has_digit(word):
                return []
            if token.all_caps:
                if piece[0] in self.shouted:
                    return []
                if word_key(word) in words.not_acronyms or len(word_key(word)) > 6:
                    return []
                return [Candidate(start, end, text, word_key(word), EntityType.ORG, Kind.ACRONYM)]
            weak = weak or piece[0] in self.initial
            return [
                Candidate(
                    start, end, text, text, None, Kind.WORD, weak=weak, hint=self._hint(piece[0])
                )
            ]
        if len(piece) > 4:
            return []
        if all(self.tokens[i].text in words.generic_words for i in piece):
            return []
        return [Candidate(start, end, text, _clean(text), EntityType.PERSON, Kind.NAME, weak=weak)]

    def _hint(self, index: int) -> EntityType | None:
        tokens, words = self.tokens, self.words
        if index + 1 < len(tokens) and tokens[index + 1].text in words.person_verbs:
            if is_gap(self.text[tokens[index].end : tokens[index + 1].start]):
                return EntityType.PERSON
        if index > 0 and tokens[index - 1].text in words.place_prepositions:
            return EntityType.GPE
        return None

    # --- acronyms ----------------------------------------------------------------------------

    def _acronym_definition(self, segment: list[int]) -> tuple[int, Candidate] | None:
        """ "North Atlantic Treaty Organization (NATO)": the words the acronym spells out."""
        after = _ACRONYM_AFTER.match(self.text, self.tokens[segment[-1]].end)
        if after is None:
            return None
        acronym = after.group(1)
        letters = "".join(char for char in acronym if char.isalpha()).upper()
        for cut in range(len(segment) - 1):
            part = segment[cut:]
            significant = [i for i in part if self.tokens[i].text not in self.words.connectors]
            initials = "".join(self.tokens[i].text[0] for i in significant).upper()
            if initials != letters or self.tokens[part[0]].text in self.words.openers:
                continue
            start, end, text = self._span(part)
            last = self.tokens[part[-1]].text
            known = self._known_at(part, 0)
            if known is not None and known[0] == len(part):
                entity_type, name = known[1].type, known[1].name
            else:
                entity_type, name = self.words.cues.get(last, EntityType.ORG), _clean(text)
            candidate = Candidate(
                start, end, text, name, entity_type, Kind.DEFINED, acronym=acronym
            )
            return cut, candidate
        return None


def find_candidates(text: str, dictionary: NameTable) -> list[Candidate]:
    """Name candidates in ``text``, in order, not overlapping."""
    return _Paragraph(text, dictionary).candidates()
