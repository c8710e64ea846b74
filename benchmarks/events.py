"""Event precision and recall over hand-labelled sentences and over the seeds' gold.

    .venv/bin/python -m benchmarks.events            # both tables
    .venv/bin/python -m benchmarks.events --errors   # and every miss and false alarm

The labels follow the gold's conventions: an event is an explicitly dated statement, so the
finder runs without a publication date and only events with a date count (relative expressions
such as "on Thursday" or "last year" then stay undated and are left out, as the gold leaves them
out; "May 4" without a year is ``--05-04`` in both). A found event matches a labelled one when
the dates are equal and the expressions overlap; each labelled event is matched at most once.
Events labelled optional count neither as hits nor as false alarms.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from natowatch.archive.loader import load_archive
from natowatch.core.model import Event
from natowatch.understand.events import find_events

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = ROOT / "tests" / "fixtures" / "events.yml"
HELD_OUT = ROOT / "tests" / "fixtures" / "events_held_out.yml"
GOLD = ROOT / "tests" / "fixtures" / "gold" / "seeds.yml"
SEEDS = ROOT / "seeds"


@dataclass
class Score:
    hits: int = 0
    false_alarms: int = 0
    misses: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.hits + self.false_alarms
        return self.hits / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.hits + self.misses
        return self.hits / wanted if wanted else 1.0


def _overlap(when: str, expression: str) -> bool:
    return when in expression or expression in when


def score(
    found: Sequence[Event], labels: Iterable[dict[str, Any]], where: str, into: Score
) -> None:
    """Add one text's events, found and labelled, to ``into``."""
    open_labels = list(labels)
    for event in found:
        if event.date is None:
            continue
        label = next(
            (
                item
                for item in open_labels
                if str(item["date"]) == event.date and _overlap(str(item["when"]), event.expression)
            ),
            None,
        )
        if label is None:
            into.false_alarms += 1
            into.errors.append(f"false alarm {event.expression!r} -> {event.date} in {where}")
            continue
        open_labels.remove(label)
        if not label.get("optional"):
            into.hits += 1
    for label in open_labels:
        if not label.get("optional"):
            into.misses += 1
            into.errors.append(f"missed {label['when']!r} = {label['date']} in {where}")


def score_sentences(path: Path = SENTENCES) -> Score:
    result = Score()
    for item in yaml.safe_load(path.read_text(encoding="utf-8"))["sentences"]:
        text = item["text"]
        score(find_events([text], None), item["events"], repr(text), result)
    return result


def score_seeds(gold: Path = GOLD, seeds: Path = SEEDS) -> Score:
    result = Score()
    records = {record.source_file: record for record in load_archive(seeds)}
    for entry in yaml.safe_load(gold.read_text(encoding="utf-8"))["articles"]:
        labels = [{"date": e["normalized"], **e} for e in entry["events"]]
        record = records[entry["file"]]
        score(find_events(record.body, None), labels, entry["file"], result)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list misses and false alarms")
    args = parser.parse_args(argv)
    print(f"{'set':<22} {'hits':>5} {'false':>6} {'missed':>7} {'precision':>10} {'recall':>7}")
    sets = (
        ("labelled sentences", score_sentences()),
        ("held-out sentences", score_sentences(HELD_OUT)),
        ("seeds' gold", score_seeds()),
    )
    for name, result in sets:
        print(
            f"{name:<22} {result.hits:>5} {result.false_alarms:>6} {result.misses:>7} "
            f"{result.precision:>10.3f} {result.recall:>7.3f}"
        )
        if args.errors:
            for line in result.errors:
                print(f"    {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
