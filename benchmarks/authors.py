"""Authors and the first body paragraph, measured over the hand-written raw fixtures.

Every ``tests/fixtures/raw/<name>.txt`` with a ``<name>.expected.yml`` is loaded as an untouched
file (everything comes from the text) and compared with its expected record:

* author precision: of the authors found, the share that the expected record names;
* author recall: of the expected authors, the share found;
* first body paragraph: the share of articles whose first body paragraph is the expected one
  (``body[0]`` when the fixture lists the body, else it starts with ``first_body``).

Run ``python -m benchmarks.authors`` (add ``-v`` to list each article's misses).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from natowatch.archive.loader import load_file

RAW = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "raw"


@dataclass(frozen=True)
class Score:
    name: str
    found: tuple[str, ...]
    expected: tuple[str, ...] | None  # None: the fixture does not say
    first_body_ok: bool | None

    @property
    def hits(self) -> int:
        return len(set(self.found) & set(self.expected or ()))


def score(expected_path: Path) -> Score:
    source = expected_path.with_name(expected_path.name.replace(".expected.yml", ".txt"))
    expected = yaml.safe_load(expected_path.read_text(encoding="utf-8"))
    record = load_file(source)
    authors = expected.get("authors")
    first_body_ok: bool | None = None
    if "body" in expected:
        first_body_ok = bool(record.body) and record.body[0] == expected["body"][0]
    elif "first_body" in expected:
        first_body_ok = bool(record.body) and record.body[0].startswith(expected["first_body"])
    return Score(
        name=source.stem,
        found=tuple(record.authors),
        expected=None if authors is None else tuple(authors),
        first_body_ok=first_body_ok,
    )


def main(argv: list[str]) -> int:
    scores = [score(path) for path in sorted(RAW.glob("*.expected.yml"))]
    judged = [s for s in scores if s.expected is not None]
    found = sum(len(s.found) for s in judged)
    expected = sum(len(s.expected or ()) for s in judged)
    hits = sum(s.hits for s in judged)
    firsts = [s.first_body_ok for s in scores if s.first_body_ok is not None]
    precision = hits / found if found else 1.0
    recall = hits / expected if expected else 1.0
    print(f"articles: {len(scores)} ({len(judged)} with expected authors)")
    print(f"author precision: {precision:.2f} ({hits}/{found})")
    print(f"author recall:    {recall:.2f} ({hits}/{expected})")
    print(f"first body paragraph: {sum(firsts) / len(firsts):.2f} ({sum(firsts)}/{len(firsts)})")
    if "-v" in argv:
        for s in scores:
            if set(s.found) != set(s.expected or ()) or s.first_body_ok is False:
                print(
                    f"  {s.name}: found {list(s.found)} expected {list(s.expected or ())}"
                    f" first body {'ok' if s.first_body_ok else 'wrong'}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
