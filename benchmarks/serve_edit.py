"""How long ``natowatch serve`` takes to rebuild after one saved edit.

``python -m benchmarks.serve_edit --articles 5000 [--edits 3] [--workdir DIR]`` generates the
benchmark archive (or reuses one already in ``--workdir``), builds it once as ``serve`` does
(one process, a ``BuildSession`` kept between builds), then makes ``--edits`` one-sentence edits
to the middle article (the same edit as ``benchmarks.run``) and times each rebuild, stage by
stage, and before each the preview ``serve`` shows first (``natowatch.preview``: the edited
article's page rendered against the last build). The last rebuild's output is compared file by
file with a cold build of the edited archive. It runs in this process, as ``serve`` does: no
interpreter start-up is counted, and neither is the watcher's wait for quiet (50 ms). As in
``serve``, the cycle collector is off and runs between rebuilds, untimed (``IdleCollector``,
which first frees what the rebuild discarded: ``core.discarded``),
and the replaced site is deleted in a thread after each rebuild; the next edit waits for it
(``wait_for_removals``, untimed), as a person's next save comes seconds later. As ``serve``
does once idle, what the first preview needs is loaded before the first edit (``warm_up``,
untimed).
"""

from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.generate import DEFAULT_SEED, generate_corpus, write_archive
from benchmarks.run import compare, edit_one_article, hash_tree
from natowatch.build import BuildSession, build
from natowatch.core.discarded import free_discarded
from natowatch.preview import preview_pages, warm_up
from natowatch.publish.write import wait_for_removals
from natowatch.serve import IdleCollector


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--workdir", type=Path, help="default: a new folder under /dev/shm")
    options = parser.parse_args(argv)
    workdir = options.workdir or Path(tempfile.mkdtemp(prefix="nw-serve-", dir="/dev/shm"))
    archive, site, check = workdir / "archive", workdir / "site", workdir / "site-cold-check"
    if not archive.is_dir():
        write_archive(generate_corpus(options.articles, seed=options.seed), archive)
    names = sorted(path.name for path in archive.iterdir() if path.suffix in (".md", ".txt"))
    session = BuildSession()
    collector = IdleCollector()
    collector.take_over()
    started = time.perf_counter()
    build(archive, site, session=session, skip_if_up_to_date=False)  # as serve fills it
    print(
        f"{len(names)} articles; first build in the session: {time.perf_counter() - started:.2f} s"
    )
    if session.last is not None:
        warm_up(session.last)  # what serve's watcher does once idle (untimed)
    seconds: list[float] = []
    previews: list[float] = []
    for round_number in range(1, options.edits + 1):
        wait_for_removals()
        free_discarded()  # what serve's watcher does once idle after a rebuild
        gc.collect()
        edited = edit_one_article(archive, names, 1000 + round_number)
        started = time.perf_counter()
        shown = (
            preview_pages(session.last, [edited], session.extracted)
            if session.last is not None
            else None
        )
        session.previews = shown  # as serve hands them to the rebuild (its search guess)
        previews.append(time.perf_counter() - started)
        if not shown:
            print(f"edit {round_number}: no preview")
        started = time.perf_counter()
        report = build(archive, site, session=session)
        seconds.append(time.perf_counter() - started)
        stages = ", ".join(f"{stage} {spent:.2f}" for stage, spent in report.timings)
        print(
            f"edit {round_number}: preview {previews[-1]:.2f} s, "
            f"rebuild {seconds[-1]:.2f} s ({stages})"
        )
    collector.give_back()
    print(f"median preview of the edited page in serve: {statistics.median(previews):.2f} s")
    print(f"median one-edit rebuild in serve: {statistics.median(seconds):.2f} s")
    build(archive, check, fresh=True)
    differences = compare(hash_tree(check), hash_tree(site))
    print("rebuild output equals a cold build's:", "yes" if not differences else differences[:5])
    if options.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
