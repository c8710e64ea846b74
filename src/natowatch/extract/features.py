"""Measured features of each unit of scraped text, for the learned body/boilerplate decision.

Two sets, after jusText's two passes: what a unit shows on its own (length, stopword density,
punctuation, capitals, digits, separators, repetition on the page, position, and the labels the
phrase lists and shapes of the rule passes give it), then what its neighbourhood shows (how
body-like the units around it were judged in the first pass, and whether it lies in the page's
densest run of body-like text). Plain Python, no dependencies: they run on every article.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from natowatch.extract.blocks import TERMINAL_PUNCTUATION, Unit
from natowatch.extract.labels import TEXT_LABELS, Label
from natowatch.extract.patterns import WIRE_END_MARKER
from natowatch.language.stems import stopwords

WORD = re.compile(r"\w+")
SEPARATORS = tuple("|»›•·/>")
QUOTES = tuple('"“”‘’«»')
SENTENCE_MARKS = tuple(".!?。！？")
DIGIT = re.compile(r"\d")
# A unit of fewer words than this is a short line (menus are made of them).
SHORT_WORDS = 5
LINK_WORDS = frozenset(
    (
        "http https www com html login sign subscribe share click newsletter cookies cookie menu"
    ).split()
)

SENTENCE_ENDS = (*TERMINAL_PUNCTUATION, "。", "！", "？")
FULL_STOPS = (".", ".”", '."', ".’", "。")
# Hiragana, katakana and the CJK ideographs: scripts written without spaces between words.
WIDE_FIRST, WIDE_LAST = "\u3040", "\u9fff"

# The labels a rule pass can give; each becomes one 0/1 feature per pass.
LABELS = tuple(Label)
LABEL_ONE_HOT = {label: [float(label is other) for other in LABELS] for label in LABELS}

ALONE_NAMES: tuple[str, ...] = (
    "bias",
    "log_words",
    "log_chars",
    "mean_word_length",
    "stopword_share",
    "ends_sentence",
    "ends_full_stop",
    "sentence_marks_per_word",
    "commas_per_word",
    "capitalised_share",
    "upper_share",
    "digit_share",
    "separator_share",
    "has_quote",
    "link_word_share",
    "one_word",
    "short_under_5",
    "long_over_25",
    "repeated_on_page",
    "relative_position",
    "log_block_size",
    "first_in_block",
    "page_log_units",
    "page_short_share",
    "page_text_share",
    *(f"rule:{label.value}" for label in LABELS),
    *(f"layout:{label.value}" for label in LABELS),
)

LOG_WORDS = ALONE_NAMES.index("log_words")
STOPWORD_SHARE = ALONE_NAMES.index("stopword_share")
ENDS_SENTENCE = ALONE_NAMES.index("ends_sentence")
PAGE = ALONE_NAMES.index("page_log_units")
RULE_BODY = ALONE_NAMES.index("rule:body")
LAYOUT_BODY = ALONE_NAMES.index("layout:body")

CONTEXT_NAMES: tuple[str, ...] = (
    "bias",
    "alone_logit",
    "previous",
    "next",
    "previous_2",
    "next_2",
    "window_3",
    "window_10",
    "in_main_run",
    "log_distance_to_main_run",
    "body_mass_before",
    "body_mass_after",
    "log_words",
    "stopword_share",
    "ends_sentence",
    "rule_body",
    "layout_body",
    "page_log_units",
    "page_short_share",
    "page_text_share",
)


@dataclass(frozen=True)
class Measures:
    """What pass one's features read of the units themselves, measured once per text: a page
    whose regions are judged again only changes its layout labels."""

    rows: list[list[float]]  # each unit's own features, up to the page's
    log_units: float
    short_share: float


def alone_features(
    units: Sequence[Unit],
    rule_labels: Sequence[Label],
    layout_labels: Sequence[Label],
    measures: Measures | None = None,
) -> list[list[float]]:
    """Pass one's features: each unit on its own (its repetition on the page aside)."""
    measures = measures or measure_units(units)
    text = sum(1 for label in layout_labels if label in TEXT_LABELS)
    page = [measures.log_units, measures.short_share, text / max(len(units), 1)]
    return [
        own + page + LABEL_ONE_HOT[rule] + LABEL_ONE_HOT[layout]
        for own, rule, layout in zip(measures.rows, rule_labels, layout_labels, strict=True)
    ]


def measure_units(units: Sequence[Unit]) -> Measures:
    """Each unit's own features (length, stopwords, punctuation, capitals, digits, separators,
    repetition on the page, position)."""
    stop = stopwords()
    repeats = Counter(unit.text.casefold() for unit in units)
    count = max(len(units) - 1, 1)
    short = 0
    rows = []
    for index, unit in enumerate(units):
        text = without_end_marker(unit.text)
        words = WORD.findall(text)
        total = word_count(words, text)
        if text is not unit.text:  # the page's share of short lines counts the whole line
            short += word_count(WORD.findall(unit.text), unit.text) < SHORT_WORDS
        else:
            short += total < SHORT_WORDS
        n_words = max(total, 1)
        chars = max(len(text), 1)
        stopped = capitalised = shouted = linked = letters = 0
        for word in words:
            letters += len(word)
            lowered = word.casefold()
            if lowered in stop:
                stopped += 1
            elif lowered in LINK_WORDS:
                linked += 1
            if word[0].isupper():
                capitalised += 1
                if len(word) > 1 and word.isupper():
                    shouted += 1
        row = [
            1.0,
            math.log1p(total),
            math.log1p(len(text)),
            letters / n_words,
            stopped / n_words,
            float(text.endswith(SENTENCE_ENDS)),
            float(text.endswith(FULL_STOPS)),
            sum(text.count(mark) for mark in SENTENCE_MARKS) / n_words,
            text.count(",") / n_words,
            capitalised / n_words,
            shouted / n_words,
            len(DIGIT.findall(text)) / chars,
            sum(text.count(mark) for mark in SEPARATORS) / n_words,
            float(any(mark in text for mark in QUOTES)),
            linked / n_words,
            float(total <= 1),
            float(total < SHORT_WORDS),
            float(total > 25),
            float(repeats[unit.text.casefold()] > 1),
            index / count,
            math.log(unit.block_size),
            float(unit.position == 0),
        ]
        rows.append(row)
    n = max(len(units), 1)
    return Measures(rows, math.log1p(len(units)), short / n)


def word_count(words: Sequence[str], text: str) -> int:
    """Words in a unit, for scripts written without spaces too: a run of Chinese or Japanese
    characters counts as one word per two characters (about a word's length there)."""
    if not text or max(text) < WIDE_FIRST:
        return len(words)
    total = 0
    for word in words:
        wide = sum(1 for char in word if WIDE_FIRST <= char <= WIDE_LAST)
        total += (wide + 1) // 2 + (1 if wide < len(word) else 0) if wide else 1
    return total


def without_end_marker(text: str) -> str:
    """A paragraph without the wire credit glued to its end: assembly cuts it off the body."""
    if not _may_end_with_marker(text):
        return text
    match = WIRE_END_MARKER.search(text)
    return text[: match.start()] if match and match.start() > 0 else text


def _may_end_with_marker(text: str) -> bool:
    """Whether ``text`` can end in a wire end marker: "(Reporting by ...)", "(AP)", "-- AP",
    "###", "Ends." The search itself starts at every position, so most lines skip it."""
    tail = text.rstrip()[-30:]
    return tail.endswith((")", "###")) or "--" in tail or tail.rstrip(".").lower().endswith("ends")


def context_features(
    units: Sequence[Unit],
    alone: Sequence[Sequence[float]],
    probabilities: Sequence[float],
    logits: Sequence[float],
) -> list[list[float]]:
    """Pass two's features: the unit's first-pass judgement beside its neighbours'."""
    n = len(units)
    weights = [unit_weight(unit) for unit in units]
    mass = [p * w for p, w in zip(probabilities, weights, strict=True)]
    total = sum(mass) or 1.0
    before = 0.0
    start, end = main_run(probabilities, weights)
    rows = []
    for index in range(n):
        distance = 0 if start <= index <= end else min(abs(index - start), abs(index - end))
        row = [
            1.0,
            logits[index],
            _at(probabilities, index - 1),
            _at(probabilities, index + 1),
            _at(probabilities, index - 2),
            _at(probabilities, index + 2),
            _window(probabilities, index, 3),
            _window(probabilities, index, 10),
            float(distance == 0),
            math.log1p(distance),
            before / total,
            (total - before - mass[index]) / total,
            alone[index][LOG_WORDS],
            alone[index][STOPWORD_SHARE],
            alone[index][ENDS_SENTENCE],
            alone[index][RULE_BODY],
            alone[index][LAYOUT_BODY],
            *alone[index][PAGE : PAGE + 3],
        ]
        before += mass[index]
        rows.append(row)
    return rows


def unit_weight(unit: Unit) -> float:
    """How much a unit counts towards a run of text: longer units count more, not linearly."""
    return math.log1p(len(unit.text))


def main_run(probabilities: Sequence[float], weights: Sequence[float]) -> tuple[int, int]:
    """The run of units with the greatest body evidence (Kadane over p - 1/2, by length)."""
    best, best_span = 0.0, (0, -1)
    running, start = 0.0, 0
    for index, (p, weight) in enumerate(zip(probabilities, weights, strict=True)):
        if running <= 0:
            running, start = 0.0, index
        running += (p - 0.5) * weight
        if running > best:
            best, best_span = running, (start, index)
    return best_span


def _at(values: Sequence[float], index: int) -> float:
    return values[index] if 0 <= index < len(values) else 0.0


def _window(values: Sequence[float], index: int, radius: int) -> float:
    low, high = max(0, index - radius), min(len(values), index + radius + 1)
    return sum(values[low:high]) / (high - low)
