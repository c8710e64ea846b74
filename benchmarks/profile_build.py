"""Where a cold natowatch build spends its time: cProfile over one build, in one process.

``python -m benchmarks.profile_build --articles 200 [--top 15] [--stats FILE] [--rebuild]``
generates the benchmark archive, builds it cold (``fresh=True``, one worker, so extraction runs in
this process where cProfile sees it) and prints the top functions by cumulative and by own time.
``--rebuild`` builds once unprofiled and profiles the no-change rebuild that follows. Times are
wall-clock (CPU-time profiling costs ~4x more overhead here), so profile on a quiet machine; the
Pagefind indexer runs as a child process and shows only as ``subprocess`` waiting.
"""

from __future__ import annotations

import argparse
import cProfile
import inspect
import io
import pstats
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.generate import DEFAULT_SEED, RAW_SHARE, generate_corpus, write_archive
from natowatch.build import build


def build_options(fresh: bool) -> dict[str, Any]:
    """A single-process build (cold or not), with whichever options ``build`` has today."""
    wanted = {"fresh": fresh, "workers": 1}
    accepted = inspect.signature(build).parameters
    return {name: value for name, value in wanted.items() if name in accepted}


def profile_build(archive: Path, out: Path, rebuild: bool) -> pstats.Stats:
    """Profile a cold build; with ``rebuild``, build first and profile a no-change rebuild."""
    if rebuild:
        build(archive, out, **build_options(fresh=True))
    profiler = cProfile.Profile()
    profiler.runcall(build, archive, out, **build_options(fresh=not rebuild))
    return pstats.Stats(profiler)


def top(stats: pstats.Stats, order: str, count: int) -> str:
    stream = io.StringIO()
    stats.stream = stream  # type: ignore[attr-defined]
    stats.sort_stats(order).print_stats(count)
    return stream.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--raw-share", type=float, default=RAW_SHARE)
    parser.add_argument("--top", type=int, default=15, help="functions to list (default 15)")
    parser.add_argument(
        "--rebuild", action="store_true", help="profile a no-change rebuild instead of a cold one"
    )
    parser.add_argument("--stats", type=Path, help="also save the raw profile here (pstats)")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="natowatch-profile-", dir=_temp_root()))
    try:
        write_archive(generate_corpus(args.articles, args.seed, args.raw_share), workdir / "a")
        stats = profile_build(workdir / "a", workdir / "site", args.rebuild)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.stats:
        stats.dump_stats(args.stats)
    print(top(stats, "cumulative", args.top))
    print(top(stats, "tottime", args.top))
    return 0


def _temp_root() -> str | None:
    return "/dev/shm" if Path("/dev/shm").is_dir() else None


if __name__ == "__main__":
    raise SystemExit(main())
