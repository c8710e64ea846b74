"""Why each unit of a scraped text got its label, for ``natowatch inspect --explain``.

A user who finds a paragraph missing from an article, or a menu line in it, needs to see which
step decided: the rule passes (a phrase list, a shape, the layout) or the learned model, and
which measured features moved the model most.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from natowatch.extract.assemble import prepare
from natowatch.extract.labels import TEXT_LABELS, Label
from natowatch.extract.model import BodyModel, Forest, default_model
from natowatch.extract.rules import Rules

REASONS = 3
TEXT_WIDTH = 70


@dataclass(frozen=True)
class Reason:
    feature: str
    value: float
    effect: float  # change in log-odds of "article text"


@dataclass(frozen=True)
class UnitExplanation:
    line: int
    text: str
    label: Label  # final
    rule_label: Label  # pass one alone
    layout_label: Label  # pass two (the rules' last word)
    probability: float  # the model's, in context
    first_probability: float  # the model's, the unit alone
    in_context: tuple[Reason, ...]
    alone: tuple[Reason, ...]


def explain_text(
    text: str, rules: Rules | None = None, model: BodyModel | None = None
) -> list[UnitExplanation]:
    """Every unit of ``text`` with its labels, the model's scores and their main reasons."""
    model = model or default_model()
    units, rule_labels, layout_labels = prepare(text, rules)
    labels, judgement = model.classify(units, rule_labels, layout_labels, every_unit=True)
    return [
        UnitExplanation(
            line=unit.line,
            text=unit.text,
            label=labels[index],
            rule_label=rule_labels[index],
            layout_label=layout_labels[index],
            probability=judgement.probabilities[index],
            first_probability=judgement.first[index],
            in_context=_reasons(model.context, judgement.context_rows[index]),
            alone=_reasons(model.alone, judgement.alone_rows[index]),
        )
        for index, unit in enumerate(units)
    ]


def _reasons(forest: Forest, row: Sequence[float]) -> tuple[Reason, ...]:
    effects = forest.contributions(row)
    effects.pop("bias", None)
    ranked = sorted(effects.items(), key=lambda item: (-abs(item[1]), item[0]))[:REASONS]
    return tuple(Reason(name, row[forest.names.index(name)], effect) for name, effect in ranked)


def format_explanation(units: Sequence[UnitExplanation]) -> str:
    """One block per unit: line, final label, who decided, the text, then the reasons."""
    lines = []
    for unit in units:
        text = unit.text if len(unit.text) <= TEXT_WIDTH else unit.text[: TEXT_WIDTH - 1] + "…"
        lines.append(f"line {unit.line:>4}  {unit.label.value:<16} {_decider(unit)}")
        lines.append(f"           {text}")
        lines.append(
            f"           model: {unit.probability:.2f} in context "
            f"({_listed(unit.in_context)}); {unit.first_probability:.2f} alone "
            f"({_listed(unit.alone)})"
        )
    return "\n".join(lines) + "\n"


def _decider(unit: UnitExplanation) -> str:
    if unit.label is unit.layout_label:
        if unit.layout_label is unit.rule_label:
            return f"rules: {unit.rule_label.value}"
        return f"rules: {unit.rule_label.value}, then layout: {unit.layout_label.value}"
    if unit.layout_label in TEXT_LABELS:
        return f"model dropped the rules' {unit.layout_label.value}"
    return f"model undid the rules' {unit.layout_label.value} (the region held the page's text)"


def _listed(reasons: Sequence[Reason]) -> str:
    return ", ".join(f"{r.feature}={r.value:.2f} {r.effect:+.2f}" for r in reasons)
