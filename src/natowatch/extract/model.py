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
import hashlib
import json
import marshal
import math
import sys
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import CodeType
from typing import Any

from natowatch.core.saved import save_atomically
from natowatch.extract.blocks import Unit
from natowatch.extract.features import (
    ALONE_NAMES,
    CONTEXT_NAMES,
    Measures,
    alone_features,
    context_features,
    measure_units,
    unit_weight,
)
from natowatch.extract.labels import TEXT_LABELS, Label

MODEL_FILE = Path(__file__).with_name("model.json")

# Regions the rule passes close the article with; when one holds more of the page's text than
# the article before it, the rules misread the page (a byline and date taken for a commenter's
# signature, say).
REGION_LABELS = (Label.COMMENT, Label.COMMENT_META, Label.FOOTER)
# The labels whose units a decision reads the model's score of.
DECIDED = frozenset((*TEXT_LABELS, *REGION_LABELS))
# Text weight (about three paragraphs) a region must hold beyond the article before it.
MIN_MISREAD_WEIGHT = 15.0
# Paragraphs of a comment thread in a row with no signature or number between them: a reader's
# comment runs to two or three at most; more may be the article itself.
MIN_UNMARKED_RUN = 4

# A tree node: feature index, threshold, left child, right child (-1 at a leaf), the node's value.
Node = tuple[int, float, int, int, float]


@dataclass(frozen=True)
class Forest:
    """Boosted regression trees over one feature set: a raw score (log-odds) per row."""

    names: tuple[str, ...]
    score: Callable[[Sequence[float]], float]
    init: float
    trees: tuple[tuple[Node, ...], ...]

    def contributions(self, row: Sequence[float]) -> dict[str, float]:
        """How much each feature moved this row's score, summed over the trees (each split on
        the row's path adds the change in node value to the feature it tests); the ``bias``
        entry is the score before any split."""
        totals: dict[str, float] = {"bias": self.init}
        for tree in self.trees:
            index = 0
            totals["bias"] += tree[0][4]
            while tree[index][2] >= 0:
                feature, threshold, left, right, value = tree[index]
                index = left if row[feature] <= threshold else right
                name = self.names[feature]
                totals[name] = totals.get(name, 0.0) + tree[index][4] - value
        return totals


@dataclass(frozen=True)
class BodyModel:
    alone: Forest
    context: Forest
    # Rule-pass text the model gives less than this is dropped.
    keep_below: float

    def judge(
        self,
        units: Sequence[Unit],
        rule_labels: Sequence[Label],
        layout_labels: Sequence[Label],
        every_unit: bool = False,
        measures: Measures | None = None,
    ) -> Judgement:
        """Each unit's probability of being article text, with the features behind it.

        Pass two scores only the units a decision reads (text, and the regions that may be
        misread; a third of a full page), unless ``every_unit``: the rest keep pass one's score.
        """
        alone_rows = alone_features(units, rule_labels, layout_labels, measures)
        alone_logits = [self.alone.score(row) for row in alone_rows]
        first = [sigmoid(value) for value in alone_logits]
        context_rows = context_features(units, alone_rows, first, alone_logits)
        score = self.context.score
        final = [
            sigmoid(score(row)) if every_unit or label in DECIDED else p
            for row, label, p in zip(context_rows, layout_labels, first, strict=True)
        ]
        return Judgement(alone_rows, first, context_rows, final)

    def classify(
        self,
        units: Sequence[Unit],
        rule_labels: Sequence[Label],
        layout_labels: Sequence[Label],
        keep_below: float | None = None,
        every_unit: bool = False,
    ) -> tuple[list[Label], Judgement]:
        """The rule passes' labels revised by the model, and the judgement behind them.

        A comment or footer region that holds the page's text is undone and its units judged
        again as pass one saw them; then text the model rejects is dropped.
        """
        measures = measure_units(units)
        judgement = self.judge(units, rule_labels, layout_labels, every_unit, measures=measures)
        probabilities = judgement.probabilities
        misread = misread_regions(units, layout_labels, probabilities, REGION_LABELS, 2.0)
        # A thread with one signature over many paragraphs may be the article itself: judge its
        # units as pass one saw them (the region's own labels would sway the model).
        suspects = suspect_regions(rule_labels, layout_labels) - misread
        if suspects:
            unsettled_labels = unsettle(rule_labels, layout_labels, suspects)
            undone = self.judge(
                units, rule_labels, unsettled_labels, every_unit=True, measures=measures
            )
            misread |= misread_regions(units, layout_labels, undone.probabilities, suspects, 1.0)
        if misread:
            layout_labels = unsettle(rule_labels, layout_labels, misread)
            judgement = self.judge(units, rule_labels, layout_labels, every_unit, measures=measures)
        threshold = self.keep_below if keep_below is None else keep_below
        return drop_rejected(layout_labels, judgement.probabilities, threshold), judgement


@dataclass(frozen=True)
class Judgement:
    alone_rows: list[list[float]]
    first: list[float]
    context_rows: list[list[float]]
    probabilities: list[float]


def drop_rejected(
    labels: Sequence[Label], probabilities: Sequence[float], keep_below: float
) -> list[Label]:
    """Text the rules kept, dropped where the model gives it less than ``keep_below``."""
    return [
        Label.OTHER if label in TEXT_LABELS and p < keep_below else label
        for label, p in zip(labels, probabilities, strict=True)
    ]


def suspect_regions(
    rule_labels: Sequence[Label], layout_labels: Sequence[Label]
) -> frozenset[Label]:
    """A comment thread that may be a misreading: one with a run of paragraphs no signature
    (name, time) or number marks as separate comments. A real thread marks each comment."""
    run = longest = 0
    for rule, label in zip(rule_labels, layout_labels, strict=True):
        if label is Label.COMMENT and rule is not Label.NUMBERED:
            run += 1
            longest = max(longest, run)
        else:
            run = 0
    return frozenset({Label.COMMENT}) if longest >= MIN_UNMARKED_RUN else frozenset()


def unsettle(
    rule_labels: Sequence[Label], layout_labels: Sequence[Label], regions: Collection[Label]
) -> list[Label]:
    """The labels with ``regions`` undone: each of their units as pass one saw it."""
    return [
        unsettled(rule) if label in regions else label
        for rule, label in zip(rule_labels, layout_labels, strict=True)
    ]


def misread_regions(
    units: Sequence[Unit],
    labels: Sequence[Label],
    probabilities: Sequence[float],
    candidates: Collection[Label],
    factor: float,
) -> frozenset[Label]:
    """The candidate regions holding more than ``factor`` times the text of the article before
    them (and about three paragraphs more), as the model judges their units.

    A real comment thread or footer follows the article; when the model finds the page's text
    inside the region and little before it, the region began too early (a byline and a date
    above the article read as a commenter's signature, say).
    """
    weights = [unit_weight(unit) for unit in units]
    misread = set()
    for region in candidates:
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
        if inside > factor * before + MIN_MISREAD_WEIGHT:
            misread.add(region)
    return frozenset(misread)


def unsettled(rule_label: Label) -> Label:
    """What a unit of a misread region is taken for when judged again: text when pass one
    alone took it for a paragraph (or a numbered item), furniture otherwise."""
    return Label.BODY if rule_label in (Label.BODY, Label.NUMBERED) else Label.OTHER


def sigmoid(value: float) -> float:
    if value < -60:
        return 0.0
    return 1.0 / (1.0 + math.exp(-value))


def read_model(path: Path) -> BodyModel:
    return model_from_data(json.loads(path.read_text(encoding="utf-8")), path)


def model_from_data(data: dict[str, Any], path: Path = MODEL_FILE) -> BodyModel:
    return BodyModel(
        alone=_forest(data["alone"], ALONE_NAMES, path),
        context=_forest(data["context"], CONTEXT_NAMES, path),
        keep_below=float(data["keep_below"]),
    )


def _forest(data: dict[str, Any], names: tuple[str, ...], path: Path) -> Forest:
    if tuple(data["features"]) != names:
        raise ValueError(f"{path}: the model was trained on other features; retrain it")
    init = float(data["init"])
    trees = tuple(
        tuple((int(f), float(t), int(left), int(right), float(v)) for f, t, left, right, v in tree)
        for tree in data["trees"]
    )
    terms = [repr(init)]
    terms.extend(_expression(tree, 0) for tree in trees)
    source = "lambda x: " + " + ".join(terms)
    # The source holds only numbers passed through int()/float() and fixed syntax: whatever the
    # file says, nothing but arithmetic and comparisons can run.
    return Forest(names, eval(_compiled(source), {"__builtins__": {}}), init, trees)


def _compiled(source: str) -> CodeType:
    """``source`` compiled, kept marshalled in this package's ``__pycache__`` by the source's
    digest and the interpreter's tag, as Python keeps the bytecode of the package's modules
    (and trusted as those are). Compiling the two forests' expressions (~250 KB of source) was
    0.2 s of every process that extracts an article: each extraction worker of a cold build,
    and the main process of a build after an edit. Where the folder cannot be written, the
    source is compiled every time."""
    digest = hashlib.sha256(source.encode()).hexdigest()[:32]
    tag = sys.implementation.cache_tag or "python"
    path = MODEL_FILE.parent / "__pycache__" / f"forest-{digest}.{tag}.marshal"
    try:
        code = marshal.loads(path.read_bytes())
        if isinstance(code, CodeType):
            return code
    except (OSError, EOFError, ValueError, TypeError):
        pass
    code = compile(source, str(MODEL_FILE), "eval")
    save_atomically(path, marshal.dumps(code))
    return code


def _expression(tree: Sequence[Node], index: int) -> str:
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
