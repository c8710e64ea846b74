"""Attribution: the speech verb that ties a quoted span to a speaker, before or after the quote.

"X said, “...”", "According to X, “...”" (before the opening mark) and "“...,” X said", "“...,”
said X" (after the closing mark). This module finds the verb and bounds the words that name the
speaker; ``speaker_phrases`` reads the phrase itself.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import pairwise

from natowatch.language.tokens import Token
from natowatch.understand.quote_cues import load_cues
from natowatch.understand.quote_marks import Paragraph, Span
from natowatch.understand.speaker_phrases import (
    MAX_SPEAKER,
    Speaker,
    allowed_in_speaker,
    clause_subject,
    speaker_phrase,
    verb_subject,
)

# Most words allowed between a speech verb and the quote it introduces ("told reporters on ...").
MAX_COMPLEMENT = 12
# Words looked at before a quote for its attribution (keeps long sentences linear).
_LEAD_WORDS = 60
# Characters that may sit between a closing mark and the attribution after it.
_TAIL_GAP = " ,—–-\u00a0"
# Characters a quote may end with when the sentence goes on to name its speaker.
_JOINING_END = (",", "?", "!", "—", "–", "-", "…", ":")
_BREAKS = ",;:.()—–"


def _is_verb(tokens: list[Token], index: int) -> bool:
    word = tokens[index].text
    if word in ("according", "According"):
        return index + 1 < len(tokens) and tokens[index + 1].text == "to"
    return word in load_cues().verbs


def _speaker_after_verb(par: Paragraph, tokens: list[Token], verb: int) -> Speaker | None:
    """ "said Smith on Tuesday" -> "Smith"; "according to a spokesman" -> "a spokesman"."""
    cues = load_cues()
    first = verb + 2 if tokens[verb].text.lower() == "according" else verb + 1
    if tokens[verb].text in cues.object_verbs or first >= len(tokens):
        return None
    if tokens[first].text in cues.pronouns:
        return speaker_phrase(par, tokens[first : first + 1])
    if _breaks(par, tokens[first - 1], tokens[first], _BREAKS):
        return None
    taken: list[Token] = [tokens[first]]
    for token in tokens[first + 1 :]:
        stop = token.text in cues.after_speaker or not allowed_in_speaker(token)
        if stop or len(taken) >= MAX_SPEAKER or _breaks(par, taken[-1], token, _BREAKS):
            break
        taken.append(token)
    opener = taken[0]
    return (
        speaker_phrase(par, taken)
        if allowed_in_speaker(opener) and opener.text not in cues.after_speaker
        else None
    )


def _breaks(par: Paragraph, left: Token, right: Token, marks: str) -> bool:
    """Whether punctuation between two words ends a phrase; "Gen. Ortiz" is one phrase."""
    gap = par.text[left.end : right.start]
    if "." in gap and not _abbreviated(left):
        return True
    return any(char in marks and char != "." for char in gap)


def _speaker_before_verb(par: Paragraph, tokens: list[Token]) -> Speaker | None:
    """ "“...,” the minister said": the words between the closing mark and the verb."""
    cues = load_cues()
    while tokens and tokens[-1].text in cues.adverbs:
        tokens = tokens[:-1]
    for index in range(1, len(tokens)):
        if "," in par.text[tokens[index - 1].end : tokens[index].start]:
            tokens = tokens[:index]  # "Smith, the foreign minister, said"
            break
    if len(tokens) == 1 and tokens[0].text in cues.pronouns:
        return speaker_phrase(par, tokens)
    if not tokens or len(tokens) > MAX_SPEAKER or not all(allowed_in_speaker(t) for t in tokens):
        return None
    return speaker_phrase(par, tokens)


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


def attribution_after(par: Paragraph, span: Span, bound: int) -> Speaker | None:
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


def attribution_before(par: Paragraph, span: Span, bound: int) -> Speaker | None:
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
        return clause_subject(par, sentence, tokens[verb].start)
    end = tokens[index + 1].start if index + 1 < verb else tokens[verb].start
    return verb_subject(par, max(sentence, bound), end)


def _last_verb(tokens: list[Token]) -> int | None:
    """The speech verb nearest the quote, if few enough words stand between them."""
    for index in range(len(tokens) - 1, max(len(tokens) - MAX_COMPLEMENT - 2, -1), -1):
        if _is_verb(tokens, index):
            return index
    return None
