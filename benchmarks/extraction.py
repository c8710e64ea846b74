"""Body extraction measured on real news pages: the article-extraction benchmark's own scorer.

The dev set (``../shared/extraction-dev``: ``pages/*.txt`` full-page text, ``ground-truth.json``
true bodies, ``evaluate.py`` the benchmark's MIT scorer) is built as one archive by natowatch's
loader, each record's body paragraphs are joined with blank lines and scored with the scorer's
4-gram shingle precision/recall/F1 (mean over pages). Baselines printed beside it: every line kept,
and lines of 10+ words kept (the "long lines are body" rule).

    python -m benchmarks.extraction                       # table
    python -m benchmarks.extraction --dev PATH --worst 10 # and the ten worst pages
    python -m benchmarks.extraction --json out.json       # per-page figures
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

DEFAULT_DEV = Path(__file__).resolve().parents[2] / "shared" / "extraction-dev"


def load_scorer(dev: Path) -> ModuleType:
    """The benchmark's own ``evaluate.py``, imported from the dev folder (not copied)."""
    spec = importlib.util.spec_from_file_location("extraction_scorer", dev / "evaluate.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"{dev / 'evaluate.py'}: cannot import the scorer")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_pages(dev: Path) -> dict[str, str]:
    return {
        path.stem: path.read_text(encoding="utf-8")
        for path in sorted((dev / "pages").glob("*.txt"))
    }


def natowatch_bodies(pages: dict[str, str]) -> dict[str, str]:
    """Each page's body as natowatch's loader extracts it, the pages built as one archive."""
    from natowatch.archive.loader import read_archive

    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder)
        for key, text in pages.items():
            (archive / f"{key}.txt").write_text(text, encoding="utf-8")
        loaded = read_archive(archive)
    if loaded.errors:
        raise SystemExit("\n".join(str(error) for error in loaded.errors))
    bodies = {}
    for article in loaded.articles:
        key = Path(article.source_file).stem
        paragraphs = list(article.body)
        if article.dateline is not None and paragraphs:
            paragraphs[0] = f"{article.dateline.text} {paragraphs[0]}"
        bodies[key] = "\n\n".join(paragraphs)
    return bodies


def every_line(pages: dict[str, str]) -> dict[str, str]:
    return {key: text for key, text in pages.items()}


def long_lines(pages: dict[str, str]) -> dict[str, str]:
    return {
        key: "\n".join(line for line in text.splitlines() if len(line.split()) >= 10)
        for key, text in pages.items()
    }


def score(scorer: ModuleType, truth: dict[str, Any], bodies: dict[str, str]) -> dict[str, Any]:
    per_page = {}
    for key, entry in truth.items():
        per_page[key] = scorer.string_shingle_matching(
            true=entry.get("articleBody", ""), pred=bodies.get(key, "")
        )
    metrics: dict[str, Any] = scorer.metrics_from_tp_fp_fns(list(per_page.values()))
    metrics["pages"] = {
        key: {"precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn)}
        for key, (tp, fp, fn) in per_page.items()
    }
    return metrics


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 1.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="the extraction-dev folder")
    parser.add_argument("--worst", type=int, default=0, help="list the N pages of lowest F1")
    parser.add_argument("--json", type=Path, help="write per-page figures here")
    args = parser.parse_args(argv)
    if not (args.dev / "ground-truth.json").is_file():
        print(f"{args.dev}: no ground-truth.json (pass --dev)", file=sys.stderr)
        return 2
    scorer = load_scorer(args.dev)
    truth = json.loads((args.dev / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {key: text for key, text in read_pages(args.dev).items() if key in truth}
    started = time.process_time()
    ours = natowatch_bodies(pages)
    cpu = time.process_time() - started
    methods: dict[str, Callable[[dict[str, str]], dict[str, str]]] = {
        "keep every line": every_line,
        "lines of 10+ words": long_lines,
    }
    results = {"natowatch": score(scorer, truth, ours)}
    results.update({name: score(scorer, truth, make(pages)) for name, make in methods.items()})
    print(f"{len(pages)} pages from {args.dev}")
    print(f"{'':<22}{'F1':>7}{'precision':>11}{'recall':>9}")
    for name, metrics in results.items():
        print(
            f"{name:<22}{metrics['f1']:>7.3f}{metrics['precision']:>11.3f}{metrics['recall']:>9.3f}"
        )
    print(f"natowatch load (extraction and understanding): {cpu:.2f} s CPU")
    if args.worst:
        pages_f1 = {
            key: _f1(figures["precision"], figures["recall"])
            for key, figures in results["natowatch"]["pages"].items()
        }
        for key in sorted(pages_f1, key=pages_f1.__getitem__)[: args.worst]:
            figures = results["natowatch"]["pages"][key]
            print(
                f"  {key}  F1 {pages_f1[key]:.3f}  P {figures['precision']:.3f}"
                f"  R {figures['recall']:.3f}"
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, sort_keys=True), encoding="utf-8")
    return 0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


if __name__ == "__main__":
    raise SystemExit(main())
