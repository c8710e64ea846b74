"""The build: load every article, understand it, resolve aliases across articles, render
every page, then swap the site in.

Everything is computed in memory before anything is written (gather, then write), so every
page sees the same archive and a failure leaves the previous ``site/`` untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from natowatch.aliases import resolve_aliases
from natowatch.config import config_with_site_url, load_config
from natowatch.loader import load_archive
from natowatch.render import render_site
from natowatch.search import index_for_search
from natowatch.write import write_site


@dataclass(frozen=True)
class BuildReport:
    articles: int
    files: int
    out_dir: Path


def build(source: Path, out_dir: Path, site_url: str | None = None) -> BuildReport:
    """Build the site for the archive in ``source`` into ``out_dir``.

    ``site_url`` (the published address, e.g. from GitHub Pages) overrides ``natowatch.yml``.
    """
    config = load_config(source)
    if site_url is not None:
        config = config_with_site_url(config, site_url, source)
    articles = resolve_aliases(load_archive(source))
    files = render_site(articles, config)
    write_site(files, out_dir, before_swap=index_for_search)
    return BuildReport(articles=len(articles), files=len(files), out_dir=out_dir)
