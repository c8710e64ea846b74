"""Which quoted spans are quotes, and how they group into one quote across the attribution or
across paragraphs.

The conventions of news copy live here: a span resumed after its attribution ("“...,” X said,
“...”") keeps the speaker; a short span nobody said is a scare quote or a title; a quote nested
in another is part of it; a quote whose closing mark is missing runs on into the next paragraph;
and an unattributed quote opening a paragraph continues the previous paragraph's speaker.
"""

from __future__ import annotations

from dataclasses import dataclass

from natowatch.understand.quote_marks import Paragraph, Span
from natowatch.understand.speaker_phrases import Speaker

# A quoted phrase shorter than this needs a speaker to count (and single marks always do).
MIN_WORDS = 4
# Most characters between a speaker and a quote that resumes after the attribution
# ("“...,” X said in a statement on Tuesday. “...”").
_RESUME_GAP = 60


def resumed(par: Paragraph, span: Span, speaker: Speaker | None, following: Span) -> Speaker | None:
    """ "“We are ready,” X said, “and we will act.”": a quote resumed after its attribution."""
    if speaker is None or not span.close <= speaker.start < following.open:
        return None
    between = par.text[speaker.end : following.open].rstrip(" \u00a0")
    if len(between) <= _RESUME_GAP and between.endswith((",", ":", ".")):
        return speaker  # "X said. “More words.”" goes on with X too
    return None


def is_quote(span: Span, speaker: Speaker | None) -> bool:
    """Attributed quotes count (single marks only when long); an unattributed one must open the
    paragraph and be long, since it may continue the previous paragraph's quote."""
    if span.words == 0:
        return False
    if speaker is not None:
        return not span.single or span.words >= MIN_WORDS
    return span.opens and span.words >= MIN_WORDS


def outermost(
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


@dataclass
class Group:
    """A quote being assembled: one span, or several when a closing mark was left out."""

    spans: list[Span]
    speaker: Speaker | None
    speaker_id: str | None = None


def join_run_ons(found: list[tuple[Span, Speaker | None]]) -> list[Group]:
    """Merge a quote left open at a paragraph's end with the quote opening the next paragraph."""
    groups: list[Group] = []
    for span, speaker in found:
        if groups:
            last = groups[-1].spans[-1]
            if not last.closed and span.opens and span.paragraph == last.paragraph + 1:
                groups[-1].spans.append(span)
                groups[-1].speaker = groups[-1].speaker or speaker
                continue
        groups.append(Group([span], speaker))
    return groups


def continues(group: Group, previous: Group | None) -> bool:
    """An unattributed quote opening a paragraph goes on with the previous paragraph's speaker."""
    if group.speaker is not None or previous is None or not group.spans[0].opens:
        return False
    return previous.spans[-1].paragraph == group.spans[0].paragraph - 1 and (
        previous.speaker is not None
    )
