"""Direct quotes and who said them, found the way a reader of news copy finds them.

A quote is text between quote marks that a speech verb ties to a speaker, either before it
("X said, “...”", "According to X, “...”") or after it ("“...,” X said", "“...,” said X").
Two conventions of news copy are honoured: a paragraph that opens with a quote mark and names no
speaker continues the previous paragraph's quote, and a quote whose closing mark is missing runs
on into the next paragraph. Short quoted phrases nobody is said to have said (scare quotes,
titles) are not quotes. Speakers resolve to the article's entities by mention, surname or, for
pronouns, the latest person named; role nouns ("the spokesman") stay unresolved.

``find_quotes`` runs the steps, each in a module of its own: ``quote_marks`` finds the quoted spans
of each paragraph, ``attribution`` (with ``speaker_phrases``) the speaker a speech verb ties to
each, ``quote_groups`` keeps the spans that are quotes and groups them, and ``speaker_ids``
resolves the speakers to the article's entities; ``quote_cues`` holds the word lists they read.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from natowatch.core.model import Entity, Quote, Zone
from natowatch.understand.attribution import attribution_after, attribution_before
from natowatch.understand.quote_groups import (
    MIN_WORDS,
    Group,
    continues,
    is_quote,
    join_run_ons,
    outermost,
    resumed,
)
from natowatch.understand.quote_marks import (
    EntityMention,
    Paragraph,
    Span,
    double_spans,
    single_spans,
)
from natowatch.understand.speaker_ids import Resolver
from natowatch.understand.speaker_phrases import Speaker


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
            speaker = resumed(par, *last, span)
        if is_quote(span, speaker):
            kept.append((span, speaker))
        last = (span, speaker)
    return outermost(kept)


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


def _quote(body: Sequence[str], group: Group) -> Quote:
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
    groups = join_run_ons(found)
    resolver = Resolver(entities, paragraphs)
    resolver.set_people(groups)
    previous: Group | None = None
    quotes: list[Quote] = []
    for group in groups:
        if group.speaker is not None:
            group.speaker_id = resolver.resolve(group.speaker)
        elif continues(group, previous):
            assert previous is not None
            group.speaker, group.speaker_id = previous.speaker, previous.speaker_id
        if group.speaker is not None or not any(span.single for span in group.spans):
            quotes.append(_quote(body, group))
        previous = group
    return tuple(sorted(quotes, key=lambda quote: (quote.paragraph, quote.start)))
