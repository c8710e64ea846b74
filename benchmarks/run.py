"""natowatch against Hugo on the same synthetic archive, run alternately; medians and ratios.

``python -m benchmarks.run --articles 5000 [--repeat 3] [--workdir /dev/shm/...] [--json]``

Each repeat runs, in this order: a natowatch cold build (empty output, every ``.natowatch-cache``
removed, ``--fresh`` when the CLI has it), a Hugo cold build, Pagefind on Hugo's output (the
same-work reference for natowatch's search index), a natowatch rebuild with nothing changed, and
a natowatch rebuild after editing one article, and one after adding an article. After the last
repeat a cold build of the archive into a second folder must give the same bytes as the last
rebuild.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import hashlib
import importlib.util
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.generate import (
    DAYS_SPAN,
    DEFAULT_SEED,
    FIRST_DAY,
    RAW_SHARE,
    generate_corpus,
    prepare_folder,
    render_markdown,
    write_archive,
)
from benchmarks.hugo import ensure_hugo, hugo_command, write_hugo_site
from benchmarks.measure import CommandFailed, Measurement, measure

CACHE_NAME = ".natowatch-cache"
REPO_ROOT = Path(__file__).resolve().parents[1]
EDIT_MIN_LINE = 100  # a line at least this long is a body paragraph in either format
ADDED_SEED = 10_000  # the seed of the article added in round n: ADDED_SEED + n
ADDED_STEMS = 90_000  # its file: 9000n_added.md, after a corpus of fewer articles

# Issue 6's goals, as a ratio of natowatch's figure to Hugo's cold build.
GOALS = {"cold": 1.5, "edit": 0.2, "memory": 0.5}


@dataclass
class Samples:
    """Every measurement of one kind of run, in repeat order."""

    runs: list[Measurement] = field(default_factory=list)

    def median(self, attribute: str) -> float:
        return float(statistics.median(getattr(run, attribute) for run in self.runs))


@dataclass
class Results:
    articles: int
    raw_articles: int
    repeats: int
    workdir: str
    natowatch_fresh_flag: bool
    natowatch_ref: str
    samples: dict[str, Samples] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)
    differences: dict[str, list[str]] = field(default_factory=dict)  # by kind of rebuild

    def add(self, kind: str, measurement: Measurement) -> None:
        self.samples.setdefault(kind, Samples()).runs.append(measurement)


class Layout:
    """The folders of one benchmark run, all below ``workdir``."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.archive = workdir / "archive"
        self.site = workdir / "site"
        self.check = workdir / "site-cold-check"
        self.hugo = workdir / "hugo"
        self.public = workdir / "hugo" / "public"


def natowatch_command(snapshot: bool = False) -> list[str]:
    """The installed ``natowatch`` next to this interpreter, else ``python -m natowatch``
    (always for a snapshot, which ``PYTHONPATH`` puts first)."""
    script = Path(sys.executable).parent / "natowatch"
    if script.is_file() and not snapshot:
        return [str(script)]
    return [sys.executable, "-m", "natowatch"]


def snapshot(ref: str, folder: Path) -> dict[str, str]:
    """Export natowatch at git ``ref`` into ``folder``; the environment that runs that copy.

    The working tree may be mid-edit while the benchmark runs; a committed snapshot is not.
    """
    archive = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "archive", "--format=tar", ref],
        capture_output=True,
        check=True,
    ).stdout
    folder.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return {**os.environ, "PYTHONPATH": str(folder / "src")}


def has_fresh_flag(natowatch: list[str], env: dict[str, str] | None) -> bool:
    helptext = subprocess.run(
        [*natowatch, "build", "--help"], capture_output=True, text=True, check=False, env=env
    ).stdout
    return "--fresh" in helptext


def remove_caches(layout: Layout) -> None:
    """Remove every natowatch cache the build may have left, wherever it keeps it."""
    for folder in (layout.archive, layout.workdir, layout.site, layout.check):
        shutil.rmtree(folder / CACHE_NAME, ignore_errors=True)


def pagefind_command(site: Path) -> list[str] | None:
    if importlib.util.find_spec("pagefind") is None:
        return None
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"]


def edit_one_article(archive: Path, articles: Sequence[str], round_number: int) -> Path:
    """Append a sentence to the first body paragraph of the middle article (deterministic)."""
    path = archive / articles[len(articles) // 2]
    lines = path.read_text(encoding="utf-8").split("\n")
    # The body starts after the first blank line: past the front matter, or past the photo
    # credit and caption of a raw article.
    body = lines.index("") + 1
    target = next(i for i in range(body, len(lines)) if len(lines[i]) >= EDIT_MIN_LINE)
    lines[target] += f" The benchmark edited this paragraph in round {round_number}."
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def add_one_article(archive: Path, round_number: int) -> Path:
    """Write a new Markdown article, dated the day after the corpus's last (a news archive
    grows at its new end, where an addition moves every newest-first listing), drawn with
    another seed; its file sorts after the corpus's."""
    [article] = generate_corpus(1, ADDED_SEED + round_number)
    newest = FIRST_DAY + datetime.timedelta(days=DAYS_SPAN)
    stem = f"{ADDED_STEMS + round_number:05d}_added"
    article = dataclasses.replace(article, stem=stem, raw=False, published=newest)
    path = archive / article.file_name
    path.write_text(render_markdown(article), encoding="utf-8", newline="\n")
    return path


def remove_added_articles(archive: Path) -> None:
    """The articles ``add_one_article`` wrote (each repeat starts from the generated corpus)."""
    for path in archive.glob("*_added.md"):
        path.unlink()


def hash_tree(root: Path) -> dict[str, str]:
    """{relative path: sha256} of every file below ``root``."""
    hashes = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            hashes[path.relative_to(root).as_posix()] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
    return hashes


def compare(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    """The paths that differ (missing, extra or changed), sorted."""
    return sorted(
        path for path in expected.keys() | actual.keys() if expected.get(path) != actual.get(path)
    )


def count_files(root: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(root))


def prepare(layout: Layout, articles: int, seed: int, raw_share: float) -> tuple[list[str], int]:
    """Generate the archive and the Hugo site; return the article file names and raw count."""
    prepare_folder(layout.workdir)
    corpus = generate_corpus(articles, seed, raw_share)
    write_archive(corpus, layout.archive)
    write_hugo_site(corpus, layout.hugo)
    return [article.file_name for article in corpus], sum(a.raw for a in corpus)


class Bench:
    """The runs of one benchmark: the commands, the folders, and what was measured."""

    def __init__(
        self,
        options: argparse.Namespace,
        layout: Layout,
        results: Results,
        env: dict[str, str] | None,
    ) -> None:
        self.natowatch = natowatch_command(env is not None)
        self.env = env
        self.hugo = ensure_hugo()
        self.timeout: float = options.timeout
        self.pagefind = not options.no_pagefind
        self.layout = layout
        self.results = results

    def natowatch_build(self, out: Path, fresh: bool = False) -> Measurement:
        command = [*self.natowatch, "build", str(self.layout.archive), "--out", str(out)]
        if fresh and self.results.natowatch_fresh_flag:
            command.append("--fresh")
        return measure(command, self.layout.workdir, self.timeout, self.env)

    def cold_natowatch(self, out: Path) -> Measurement:
        remove_caches(self.layout)
        shutil.rmtree(out, ignore_errors=True)
        return self.natowatch_build(out, fresh=True)

    def cold_hugo(self) -> Measurement:
        public = self.layout.public
        shutil.rmtree(public, ignore_errors=True)
        shutil.rmtree(self.layout.hugo / "resources", ignore_errors=True)
        return measure(
            hugo_command(self.hugo, self.layout.hugo, public), public.parent, self.timeout
        )

    def repeat(self, number: int, names: list[str]) -> None:
        """One round, alternating the tools: natowatch, Hugo (+ Pagefind), natowatch twice."""
        layout, results = self.layout, self.results
        remove_added_articles(layout.archive)
        results.add("natowatch cold", self.cold_natowatch(layout.site))
        cold_hashes = hash_tree(layout.site)
        results.files["natowatch"] = len(cold_hashes)
        results.add("Hugo cold", self.cold_hugo())
        results.files["Hugo"] = count_files(layout.public)
        pagefind = pagefind_command(layout.public)
        if pagefind and self.pagefind:
            results.add("Pagefind on Hugo", measure(pagefind, layout.workdir, self.timeout))
        results.add("no-change rebuild", self.natowatch_build(layout.site))
        results.differences["no-change rebuild"] = compare(cold_hashes, hash_tree(layout.site))
        edit_one_article(layout.archive, names, number)
        results.add("one-edit rebuild", self.natowatch_build(layout.site))
        add_one_article(layout.archive, number)
        results.add("one-addition rebuild", self.natowatch_build(layout.site))

    def verify_edit(self) -> None:
        """A cold build of the edited archive must equal the last rebuild (an edit, then an
        addition), file for file."""
        edited = hash_tree(self.layout.site)
        self.cold_natowatch(self.layout.check)
        differences = compare(hash_tree(self.layout.check), edited)
        self.results.differences["one-edit and one-addition rebuilds"] = differences


def medians(results: Results) -> dict[str, dict[str, float]]:
    """Median time and memory of each kind of run, with Hugo + Pagefind summed per repeat."""
    table = {
        kind: {
            "seconds": samples.median("seconds"),
            "max_rss_mib": samples.median("max_rss_mib"),
            "tree_peak_mib": samples.median("tree_peak_mib"),
            "tree_pss_mib": samples.median("tree_pss_mib"),
        }
        for kind, samples in results.samples.items()
    }
    if "Pagefind on Hugo" in results.samples:
        pairs = zip(
            results.samples["Hugo cold"].runs,
            results.samples["Pagefind on Hugo"].runs,
            strict=True,
        )
        table["Hugo + Pagefind"] = {
            "seconds": statistics.median(hugo.seconds + pf.seconds for hugo, pf in pairs),
            "max_rss_mib": max(
                table["Hugo cold"]["max_rss_mib"], table["Pagefind on Hugo"]["max_rss_mib"]
            ),
            "tree_peak_mib": max(
                table["Hugo cold"]["tree_peak_mib"], table["Pagefind on Hugo"]["tree_peak_mib"]
            ),
            "tree_pss_mib": max(
                table["Hugo cold"]["tree_pss_mib"], table["Pagefind on Hugo"]["tree_pss_mib"]
            ),
        }
    return table


def ratios(table: dict[str, dict[str, float]]) -> dict[str, float]:
    """natowatch's figures over Hugo's cold build (and over Hugo + Pagefind when measured)."""
    hugo = table["Hugo cold"]
    found = {
        "cold": table["natowatch cold"]["seconds"] / hugo["seconds"],
        "no-change": table["no-change rebuild"]["seconds"] / hugo["seconds"],
        "edit": table["one-edit rebuild"]["seconds"] / hugo["seconds"],
        "addition": table["one-addition rebuild"]["seconds"] / hugo["seconds"],
        "memory": table["natowatch cold"]["tree_pss_mib"] / hugo["tree_pss_mib"],
        "memory (RSS sums)": table["natowatch cold"]["tree_peak_mib"] / hugo["tree_peak_mib"],
    }
    if "Hugo + Pagefind" in table:
        found["cold vs Hugo + Pagefind"] = (
            table["natowatch cold"]["seconds"] / table["Hugo + Pagefind"]["seconds"]
        )
    return found


ROWS = (
    ("natowatch cold", "cold", "≤1.5x"),
    ("no-change rebuild", "no-change", "<edit"),
    ("one-edit rebuild", "edit", "≤0.2x"),
    ("one-addition rebuild", "addition", ""),
    ("Hugo cold", None, ""),
    ("Pagefind on Hugo", None, ""),
    ("Hugo + Pagefind", None, ""),
)


def report(results: Results) -> str:
    table = medians(results)
    found = ratios(table)
    lines = [
        f"N = {results.articles} articles ({results.raw_articles} raw text), "
        f"{results.repeats} repeat(s), medians; natowatch {results.natowatch_ref}; "
        f"workdir {results.workdir}",
        f"{'run':<20}{'time':>10}{'vs Hugo':>9}{'goal':>7}{'max RSS':>11}{'tree RSS':>11}"
        f"{'tree PSS':>11}",
    ]
    for kind, ratio_key, goal in ROWS:
        if kind not in table:
            continue
        row = table[kind]
        ratio = f"{found[ratio_key]:.2f}x" if ratio_key else ""
        lines.append(
            f"{kind:<20}{row['seconds']:>8.2f} s{ratio:>9}{goal:>7}"
            f"{row['max_rss_mib']:>7.0f} MiB{row['tree_peak_mib']:>7.0f} MiB"
            f"{row['tree_pss_mib']:>7.0f} MiB"
        )
    lines.append(
        f"peak memory natowatch / Hugo: {found['memory']:.2f}x by tree PSS, "
        f"{found['memory (RSS sums)']:.2f}x by tree RSS (goal ≤0.5x at 20,000 articles)"
    )
    if "cold vs Hugo + Pagefind" in found:
        lines.append(f"natowatch cold / (Hugo + Pagefind): {found['cold vs Hugo + Pagefind']:.2f}x")
    files = results.files
    lines.append(f"files written: natowatch {files.get('natowatch')}, Hugo {files.get('Hugo')}")
    for kind, differences in results.differences.items():
        verdict = f"NO, {len(differences)} files differ: {', '.join(differences[:10])}"
        lines.append(f"{kind} output equals a cold build's: {verdict if differences else 'yes'}")
    return "\n".join(lines)


def as_json(results: Results) -> str:
    table = medians(results)
    data = asdict(results)
    data["medians"] = table
    data["ratios"] = ratios(table)
    data["goals"] = GOALS
    return json.dumps(data, indent=2, sort_keys=True)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--workdir", type=Path, default=None, help="default /dev/shm/natowatch-bench-N"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--raw-share", type=float, default=RAW_SHARE)
    parser.add_argument(
        "--timeout", type=float, default=1800, help="seconds per build (default 1800)"
    )
    parser.add_argument("--no-pagefind", action="store_true", help="skip Pagefind on Hugo's output")
    parser.add_argument(
        "--ref", help="benchmark natowatch as committed at this git ref (default: working tree)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the workdir afterwards")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    return parser.parse_args(argv)


def default_workdir(articles: int) -> Path:
    shm = Path("/dev/shm")
    return (shm if shm.is_dir() else Path("/tmp")) / f"natowatch-bench-{articles}"


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    layout = Layout(options.workdir or default_workdir(options.articles))
    progress(f"generating {options.articles} articles in {layout.workdir}")
    names, raw = prepare(layout, options.articles, options.seed, options.raw_share)
    env = snapshot(options.ref, layout.workdir / "natowatch") if options.ref else None
    results = Results(
        articles=options.articles,
        raw_articles=raw,
        repeats=options.repeat,
        workdir=str(layout.workdir),
        natowatch_fresh_flag=has_fresh_flag(natowatch_command(env is not None), env),
        natowatch_ref=options.ref or "working tree",
    )
    bench = Bench(options, layout, results, env)
    try:
        for number in range(1, options.repeat + 1):
            progress(f"repeat {number}/{options.repeat}")
            bench.repeat(number, names)
        progress("checking the last rebuild against a cold build")
        bench.verify_edit()
    except CommandFailed as error:
        print(f"benchmark stopped: {error}", file=sys.stderr)
        return 1
    finally:
        if not options.keep:
            shutil.rmtree(layout.workdir, ignore_errors=True)
    print(as_json(results) if options.json else report(results))
    return 1 if any(results.differences.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
