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

from natowatch.extract.blocks import TERMINAL_PUNCTUATION, Unit
from natowatch.extract.labels import Label
from natowatch.language.stems import stopwords

WORD = re.compile(r"\w+")
SEPARATORS = frozenset("|»›•·/>")
QUOTES = frozenset('"“”‘’«»')
LINK_WORDS = frozenset(
    (
        "http https www com html login sign subscribe share click newsletter cookies cookie menu"
    ).split()
)

# The labels a rule pass can give; each becomes one 0/1 feature per pass.
LABELS = tuple(Label)

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


def alone_features(
    units: Sequence[Unit], rule_labels: Sequence[Label], layout_labels: Sequence[Label]
) -> list[list[float]]:
    """Pass one's features: each unit on its own (its repetition on the page aside)."""
    stop = stopwords()
    repeats = Counter(unit.text.casefold() for unit in units)
    count = max(len(units) - 1, 1)
    page = page_features(units, layout_labels)
    rows = []
    for index, unit in enumerate(units):
        text = unit.text
        words = WORD.findall(text)
        n_words = max(len(words), 1)
        lowered = [word.casefold() for word in words]
        chars = max(len(text), 1)
        row = [
            1.0,
            math.log1p(len(words)),
            math.log1p(len(text)),
            sum(len(word) for word in words) / n_words,
            sum(1 for word in lowered if word in stop) / n_words,
            float(text.endswith(tuple(TERMINAL_PUNCTUATION))),
            float(text.endswith((".", ".”", '."', ".’"))),
            sum(text.count(mark) for mark in ".!?") / n_words,
            text.count(",") / n_words,
            sum(1 for word in words if word[:1].isupper()) / n_words,
            sum(1 for word in words if word.isupper() and len(word) > 1) / n_words,
            sum(1 for char in text if char.isdigit()) / chars,
            sum(1 for char in text if char in SEPARATORS) / n_words,
            float(any(char in QUOTES for char in text)),
            sum(1 for word in lowered if word in LINK_WORDS) / n_words,
            float(len(words) <= 1),
            float(len(words) < 5),
            float(len(words) > 25),
            float(repeats[text.casefold()] > 1),
            index / count,
            math.log(unit.block_size),
            float(unit.position == 0),
            *page,
        ]
        rule, layout = rule_labels[index], layout_labels[index]
        row.extend(float(rule is label) for label in LABELS)
        row.extend(float(layout is label) for label in LABELS)
        rows.append(row)
    return rows


def page_features(units: Sequence[Unit], layout_labels: Sequence[Label]) -> list[float]:
    """How much of a page is furniture: a full web page is mostly short lines, a clean article
    mostly text, and the rule passes are trusted differently in each."""
    n = max(len(units), 1)
    short = sum(1 for unit in units if len(WORD.findall(unit.text)) < 5)
    text = sum(1 for label in layout_labels if label in (Label.BODY, Label.SECTION_HEADING))
    return [math.log1p(len(units)), short / n, text / n]


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
