"""Run one command and measure it: wall time, max RSS, and the peak memory of its process tree.

Max RSS comes from ``os.wait4`` on the child: the largest single process in its tree (the
kernel folds in every descendant it waited for, such as natowatch's Pagefind indexer). A build
that spreads over a process pool holds several processes at once, so the tree is also sampled
from ``/proc`` (every ``SAMPLE_SECONDS``) and two peaks are kept: the largest sum of their RSS,
and the largest sum of their PSS (proportional set size, ``/proc/PID/smaps_rollup``). Forked
workers share most of their parent's pages copy-on-write; RSS counts a shared page once per
process, PSS splits it among them, so the PSS sum is the memory the tree really occupies (for a
single process such as Hugo the two nearly agree). The memory goal is judged on PSS.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.05
# PSS is costly to read (the kernel walks the page tables: ~10 ms for a 2 GB process), so it is
# sampled every this many RSS samples, to keep the sampler from taking CPU from the build.
PSS_EVERY = 10
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


class CommandFailed(RuntimeError):
    """A measured command exited non-zero or ran out of time."""


@dataclass(frozen=True)
class Measurement:
    seconds: float
    max_rss_mib: float  # the largest single process (ru_maxrss)
    tree_peak_mib: float  # the largest sampled sum of RSS over the process tree
    tree_pss_mib: float = 0.0  # the largest sampled sum of PSS over the process tree


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
        except OSError:
            continue
        found.extend(int(child) for child in text.split())
    return found


def _rss_kib(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/statm").read_text().split()
    except OSError:
        return 0
    return int(fields[1]) * PAGE_KIB


def _pss_kib(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def _tree(root: int) -> list[int]:
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(_children(pid))
    return found


def tree_rss_kib(root: int) -> int:
    """The summed resident memory of ``root`` and all its descendants, now."""
    return sum(_rss_kib(pid) for pid in _tree(root))


def tree_pss_kib(root: int) -> int:
    """The summed proportional memory of ``root`` and its descendants (shared pages split)."""
    return sum(_pss_kib(pid) for pid in _tree(root))


class _Sampler(threading.Thread):
    """Samples the tree's memory until stopped; kills the child (by pid) past the deadline."""

    def __init__(self, process: subprocess.Popen[bytes], timeout: float) -> None:
        super().__init__(daemon=True)
        self.process = process
        self.deadline = time.monotonic() + timeout
        self.peak_kib = 0
        self.pss_peak_kib = 0
        self.timed_out = False
        self.stop = threading.Event()

    def run(self) -> None:
        samples = 0
        while not self.stop.wait(SAMPLE_SECONDS):
            self.peak_kib = max(self.peak_kib, tree_rss_kib(self.process.pid))
            if samples % PSS_EVERY == 0:
                self.pss_peak_kib = max(self.pss_peak_kib, tree_pss_kib(self.process.pid))
            samples += 1
            if time.monotonic() > self.deadline:
                self.timed_out = True
                self.process.kill()
                return


def measure(
    command: list[str], cwd: Path, timeout: float, env: dict[str, str] | None = None
) -> Measurement:
    """Run ``command`` in ``cwd``; raise CommandFailed (with its output) unless it exits 0."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        sampler = _Sampler(process, timeout)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        sampler.stop.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0 or sampler.timed_out:
            output.seek(0)
            tail = output.read().decode("utf-8", "replace")[-3000:]
            reason = f"timed out after {timeout:.0f} s" if sampler.timed_out else "failed"
            raise CommandFailed(f"{' '.join(command)} {reason} ({process.returncode}):\n{tail}")
    return Measurement(
        seconds=seconds,
        max_rss_mib=usage.ru_maxrss / 1024,
        tree_peak_mib=max(sampler.peak_kib, usage.ru_maxrss) / 1024,
        tree_pss_mib=(sampler.pss_peak_kib or usage.ru_maxrss) / 1024,  # too quick to sample
    )
