"""Where a build leaves the machine idle, and when its memory peaks: CPU use and tree PSS over time.

``python -m benchmarks.timeline --articles 2000 [--interval 1] [--keep-cache]`` generates the
benchmark archive, runs ``natowatch build --fresh -v`` on it as a subprocess and prints, every
``--interval`` seconds, how busy the whole machine was (from ``/proc/stat``: 100% is every core)
and the proportional memory of the build's process tree, then the build's own stage times.
``--archive DIR`` uses an archive already on disk; ``--keep-cache`` leaves out ``--fresh``
(a rebuild, after an earlier run filled the cache). On two cores a stretch at ~50% is work one
process does while the other core waits: what the cold build's overlaps were found from.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.generate import DEFAULT_SEED, RAW_SHARE, generate_corpus, write_archive
from benchmarks.measure import tree_pss_kib


def cpu_ticks() -> tuple[int, int]:
    """(all ticks, idle ticks) of the whole machine since boot, from /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields), fields[3] + fields[4]  # idle and iowait


def busy_percent(before: tuple[int, int], after: tuple[int, int]) -> float:
    """How busy the machine was between two ``cpu_ticks`` readings, in percent of all cores."""
    total, idle = after[0] - before[0], after[1] - before[1]
    return 100.0 * (total - idle) / total if total > 0 else 0.0


def sample(command: Sequence[str], interval: float) -> tuple[list[tuple[float, float, int]], str]:
    """Run ``command``; its (seconds, busy %, tree PSS MiB) every ``interval``, and its output."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        samples: list[tuple[float, float, int]] = []
        last = cpu_ticks()
        while process.poll() is None:
            time.sleep(interval)
            now = cpu_ticks()
            memory = tree_pss_kib(process.pid) // 1024
            samples.append((time.perf_counter() - started, busy_percent(last, now), memory))
            last = now
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise SystemExit(f"the build failed ({process.returncode}):\n{text}")
    return samples, text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--archive", type=Path, help="an archive on disk instead of generating")
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--keep-cache", action="store_true", help="build without --fresh")
    args = parser.parse_args(argv)
    memory_disk = "/dev/shm" if Path("/dev/shm").is_dir() else None  # tmpfs where there is one
    with tempfile.TemporaryDirectory(prefix="natowatch-timeline-", dir=memory_disk) as work:
        archive = args.archive
        if archive is None:
            archive = Path(work) / "archive"
            write_archive(generate_corpus(args.articles, DEFAULT_SEED, RAW_SHARE), archive)
        command = [sys.executable, "-m", "natowatch", "build", str(archive)]
        command += ["--out", str(Path(work) / "site"), "-v"]
        command += [] if args.keep_cache else ["--fresh"]
        samples, output = sample(command, args.interval)
    print("  time   busy   tree PSS")
    for seconds, busy, memory in samples:
        print(f"{seconds:6.1f}s {busy:5.0f}% {memory:7d} MiB")
    peak = max((memory for _, _, memory in samples), default=0)
    print(f"peak tree PSS {peak} MiB (sampled every {args.interval:g} s)")
    print(output.rstrip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
