"""The learned body/boilerplate decision: two boosted-tree models read from ``model.json``.

The trees are trained by ``scripts/train_classifier.py`` (scikit-learn, a dev-only dependency) on
real pages and the hand-labelled fixtures, and shipped as data, so an install stays light and
the decision is plain arithmetic: deterministic and cheap. Pass one scores each unit alone; pass
two scores it again beside its neighbours' first-pass scores. Each model's trees are turned into
one Python expression when first loaded (a loop over tree nodes would cost several times more
per unit).
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from natowatch.extract.blocks import Unit
from natowatch.extract.features import (
    ALONE_NAMES,
    CONTEXT_NAMES,
    alone_features,
    context_features,
    unit_weight,
)
from natowatch.extract.labels import Label

MODEL_FILE = Path(__file__).with_name("model.json")

TEXT_LABELS = (Label.BODY, Label.SECTION_HEADING)
# Regions the rule passes close the article with; when one holds the page's main run of text, the
# rules misread the page (a byline and date taken for a commenter's signature, say).
REGION_LABELS = (Label.COMMENT, Label.COMMENT_META, Label.FOOTER)
SUBHEADING_MAX_WORDS = 12
# Text weight (about three paragraphs) a region must hold before it can be a misreading.
MIN_MISREAD_WEIGHT = 15.0

# A tree node as stored: [feature index, threshold, left child, right child, leaf value].
Node = list[Any]


@dataclass(frozen=True)
class Forest:
    """Boosted regression trees over one feature set: a raw score (log-odds) per row."""

    names: tuple[str, ...]
    score: Callable[[Sequence[float]], float]


@dataclass(frozen=True)
class BodyModel:
    alone: Forest
    context: Forest
    # Rule-pass text the model gives less than this is dropped.
    keep_below: float

    def judge(
        self, units: Sequence[Unit], rule_labels: Sequence[Label], layout_labels: Sequence[Label]
    ) -> Judgement:
        """Each unit's probability of being article text, with the features behind it."""
        alone_rows = alone_features(units, rule_labels, layout_labels)
        alone_logits = [self.alone.score(row) for row in alone_rows]
        first = [sigmoid(value) for value in alone_logits]
        context_rows = context_features(units, alone_rows, first, alone_logits)
        final = [sigmoid(self.context.score(row)) for row in context_rows]
        return Judgement(alone_rows, first, context_rows, final)


@dataclass(frozen=True)
class Judgement:
    alone_rows: list[list[float]]
    first: list[float]
    context_rows: list[list[float]]
    probabilities: list[float]


def decide(
    units: Sequence[Unit],
    labels: Sequence[Label],
    probabilities: Sequence[float],
    keep_below: float,
) -> list[Label]:
    """The rule passes' labels, revised where the model disagrees enough.

    Text the rules kept is dropped when the model gives it less than ``keep_below``; in a
    comment or footer region that holds the page's text, units are judged at one half.
    """
    misread = _misread_regions(units, labels, probabilities)
    revised = list(labels)
    for index, (label, p) in enumerate(zip(labels, probabilities, strict=True)):
        if label in TEXT_LABELS:
            if p < keep_below:
                revised[index] = Label.OTHER
        elif label in misread and p >= 0.5:
            revised[index] = text_label(units[index])
    return revised


def _misread_regions(
    units: Sequence[Unit], labels: Sequence[Label], probabilities: Sequence[float]
) -> set[Label]:
    """Region labels whose units hold more than twice the text the article before them holds.

    A real comment thread or footer follows the article; when the model finds the page's text
    inside the region and little before it, the region began too early.
    """
    weights = [unit_weight(unit) for unit in units]
    misread = set()
    for region in REGION_LABELS:
        start = next((i for i, label in enumerate(labels) if label is region), None)
        if start is None:
            continue
        before = sum(
            w
            for label, p, w in zip(labels[:start], probabilities, weights, strict=False)
            if label in TEXT_LABELS and p >= 0.5
        )
        inside = sum(
            w
            for label, p, w in zip(labels, probabilities, weights, strict=True)
            if label is region and p >= 0.5
        )
        if inside > 2 * before + MIN_MISREAD_WEIGHT:
            misread.add(region)
    return misread


def text_label(unit: Unit) -> Label:
    """Body for a paragraph, subheading for a short line that ends no sentence."""
    if unit.words <= SUBHEADING_MAX_WORDS and not unit.ends_sentence:
        return Label.SECTION_HEADING
    return Label.BODY


def sigmoid(value: float) -> float:
    if value < -60:
        return 0.0
    return 1.0 / (1.0 + math.exp(-value))


def read_model(path: Path) -> BodyModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    return BodyModel(
        alone=_forest(data["alone"], ALONE_NAMES, path),
        context=_forest(data["context"], CONTEXT_NAMES, path),
        keep_below=float(data["keep_below"]),
    )


def _forest(data: dict[str, Any], names: tuple[str, ...], path: Path) -> Forest:
    if tuple(data["features"]) != names:
        raise ValueError(f"{path}: the model was trained on other features; retrain it")
    terms = [repr(float(data["init"]))]
    terms.extend(_expression(tree, 0) for tree in data["trees"])
    source = "lambda x: " + " + ".join(terms)
    # The source holds only numbers passed through int()/float() and fixed syntax: whatever the
    # file says, nothing but arithmetic and comparisons can run.
    return Forest(names, eval(source, {"__builtins__": {}}))


def _expression(tree: list[Node], index: int) -> str:
    feature, threshold, left, right, value = tree[index]
    if left < 0:
        return repr(float(value))
    return (
        f"({_expression(tree, left)} if x[{int(feature)}] <= {float(threshold)!r} "
        f"else {_expression(tree, right)})"
    )


@functools.cache
def default_model() -> BodyModel:
    return read_model(MODEL_FILE)
