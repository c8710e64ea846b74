"""The build: load every article, understand it, resolve aliases across articles, render
every page, then swap the site in.

Everything is computed in memory before anything is written (gather, then write), so every
page sees the same archive and a failure leaves the previous ``site/`` untouched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from natowatch.aliases import resolve_aliases
from natowatch.cache import RecordCache
from natowatch.config import Config, config_with_site_url, load_config
from natowatch.errors import InputError
from natowatch.loader import ArchiveErrors, read_archive
from natowatch.render import render_site
from natowatch.search import index_for_search
from natowatch.write import write_site


@dataclass(frozen=True)
class BuildReport:
    """What a build did: counts, and every file it skipped or read with a caveat."""

    articles: int
    files: int
    out_dir: Path
    skipped: tuple[InputError, ...] = ()
    warnings: tuple[InputError, ...] = ()


def build(
    source: Path,
    out_dir: Path,
    site_url: str | None = None,
    keep_going: bool = False,
    fresh: bool = False,
    workers: int | None = None,
) -> BuildReport:
    """Build the site for the archive in ``source`` into ``out_dir``.

    ``site_url`` (the published address, e.g. from GitHub Pages) overrides ``natowatch.yml``.
    Any unreadable input fails the build before anything is written (ArchiveErrors lists all of
    it), unless ``keep_going``: then the rest is built, with a build-report page listing what
    was skipped, and the report says so (the CLI still exits non-zero).

    Extracted records are cached per article under ``<source>/.natowatch-cache/``; ``fresh``
    ignores what is cached (a cold build, as on a fresh clone). ``workers`` processes extract
    the articles that are not cached (default: one per core).
    """
    problems: list[InputError] = []
    try:
        config = load_config(source)
    except InputError as error:
        problems.append(error)
        config = Config()
    if site_url is not None:
        config = config_with_site_url(config, site_url, source)
    cache = RecordCache(source, read=not fresh)
    try:
        loaded = read_archive(
            source,
            max_bytes=config.max_article_kb * 1000,
            cache=cache,
            workers=workers if workers is not None else (os.cpu_count() or 1),
        )
    finally:
        cache.close()
    problems.extend(loaded.errors)
    if problems and not keep_going:
        raise ArchiveErrors(problems, loaded.warnings)
    articles = resolve_aliases(loaded.articles)
    files = render_site(
        articles, config, problems=[*problems, *loaded.warnings] if problems else None
    )
    write_site(files, out_dir, before_swap=index_for_search)
    return BuildReport(
        articles=len(articles),
        files=len(files),
        out_dir=out_dir,
        skipped=tuple(problems),
        warnings=tuple(loaded.warnings),
    )
