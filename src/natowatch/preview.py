"""An edited article's page at once, before the full rebuild (``natowatch serve``).

A rebuild of a large archive takes seconds: the cross-article indexes (related coverage, story
threads, the entity index) and the data files are made again in full. The person who just saved
an article wants to see *that* article; so ``serve`` first reads the saved file alone, renders
its page against the last build's indexes and serves it from memory (the site on disk is never
touched), then runs the full rebuild, whose output replaces it. The preview shows the article as
it now reads; what it shows of the rest of the archive (related articles, its thread) is the
last build's until the rebuild lands, a few seconds later.

Only an edit to an article the last build had, keeping its page name and staying published, is
previewed; anything else (a new, removed or renamed file, the sidecar, the dictionary, a
template, input that does not read) waits for the rebuild, which reports it as usual.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from natowatch.archive.cache import Entry
from natowatch.archive.config import CONFIG_NAME, Config
from natowatch.archive.loader import LoadedArchive, read_article, read_one
from natowatch.archive.sources import DICTIONARY_NAME, SIDECAR_NAME, Source, is_article_file
from natowatch.core.errors import NatowatchError
from natowatch.core.model import Article
from natowatch.corpus.index import build_publisher_index
from natowatch.publish.browse_views import publisher_links
from natowatch.publish.environment import make_environment
from natowatch.publish.page_jobs import kept_environment
from natowatch.publish.plan import planned_article_page
from natowatch.publish.render import CrossArticle, PageContexts
from natowatch.publish.resources import static_dir, templates_dir
from natowatch.understand.aliases import KeptRenames, previewed_aliases, resolve_aliases


@dataclass
class LastBuild:
    """What the last full build read and made, kept by ``serve`` for previews."""

    source: Path
    config: Config
    loaded: LoadedArchive  # the records as read (before aliases), the facts and dictionary
    indexes: CrossArticle
    drafts: bool
    # The session's renamed records and rename parts (read, never changed, by a preview).
    renames: KeptRenames | None = None

    def environment(self) -> Environment:
        """The templates as the builds compile them (a new environment per build compiled
        the article template again for every preview: 15 ms of each serve rebuild)."""
        return kept_environment(make_environment, templates_dir())


# A short article in both formats, read by ``warm_up``: made up, in no outlet's words; a
# dateline, a byline, names and a quote are enough to load every word list the rules read.
_WARM_UP_TEXT = """Harbour reopens after repairs

By Ana Ruiz

LISBON, 12 March 2021 - The harbour master, Tomas Ferreira, said on Monday that the port
would reopen to shipping in April.

"The quays are ready again," Ferreira said.
"""


def warm_up(last: LastBuild) -> None:
    """Load what the first preview of a session would otherwise load while the person waits:
    the extraction's word lists and rules (the session's first build extracted in worker
    processes) and the compiled article template (rendered there too). ``serve`` calls it
    once, while idle: the first preview at 5,000 articles took 0.5 s, the next ones 0.09 s."""
    for name, kind in (("warm-up.txt", "text"), ("warm-up.md", "markdown")):
        source = Source(Path(name), name, kind, _WARM_UP_TEXT)
        read_article(source, dictionary=last.loaded.dictionary)
    records = last.loaded.articles
    if records:  # an article's page as a preview renders it: every template it reads compiled
        _pages_against(last, _published(last, records), [records[0].id])


def preview_pages(
    last: LastBuild, changed: Iterable[Path], extracted: dict[str, Entry] | None = None
) -> dict[str, bytes] | None:
    """Site path -> the page of each changed article, rendered against the last build; None
    when some change is not one a preview can show (see the module docstring). The records
    read again are put in ``extracted`` by cache key, for the rebuild that follows
    (``BuildSession.extracted``).

    Editors save by writing a temporary file and renaming it over the article, so files that
    came and went, and files no build reads (an editor's swap file), are not changes here.
    """
    source = Path(os.path.abspath(last.source))
    by_file = {article.source_file: article for article in last.loaded.articles}
    edited_files: set[Path] = set()
    for path in {Path(os.path.abspath(path)) for path in changed}:
        if is_article_file(path, source):
            edited_files.add(path)
        elif _read_by_builds(path, source) or _relative(path, source) in by_file:
            return None  # the facts, dictionary, configuration, templates; a removed article
    edited: dict[str, Article] = {}
    for path in sorted(edited_files):
        record = _read_again(last, path, source, extracted)
        before = by_file.get(_relative(path, source) or "")
        if record is None or before is None or (record.id, record.slug) != (before.id, before.slug):
            return None
        if record.extra.get("draft") is True and not last.drafts:
            return None
        edited[record.id] = record
    if not edited:
        return None
    loaded = [edited.get(article.id, article) for article in last.loaded.articles]
    return _pages_against(last, _published(last, loaded), sorted(edited))


def _published(last: LastBuild, records: Sequence[Article]) -> list[Article]:
    """The records with the alias pass applied, from what the session kept where it can."""
    if last.renames is not None:
        return previewed_aliases(records, last.renames)
    return resolve_aliases(records)


def changed_article_pages(
    last: LastBuild, read: Sequence[Article], published: Sequence[Article], most: int
) -> dict[str, bytes]:
    """The pages of the records a build read anew (``read``, before aliases; ``published``,
    after) rendered against the last build, as a preview is: the build's guess of what
    Pagefind will read of them (``publish.search_guess``). Empty unless the same records as
    the last build's were read, at most ``most`` of them changed, each keeping its page."""
    before = {article.id: article for article in last.loaded.articles}
    if len(before) != len(read):
        return {}
    changed = [article for article in read if before.get(article.id) is not article]
    if not changed or len(changed) > most:
        return {}
    for article in changed:
        old = before.get(article.id)
        if old is None or old.slug != article.slug:
            return {}
    ids = {article.id for article in published}
    if not all(article.id in ids for article in changed):
        return {}
    return _pages_against(last, published, sorted(article.id for article in changed))


def _pages_against(
    last: LastBuild, records: Sequence[Article], article_ids: Sequence[str]
) -> dict[str, bytes]:
    """Site path -> the page of each article of ``article_ids``, rendered with the last
    build's cross-article indexes around the given (published) records."""
    published = {article.id: article for article in records}
    hrefs = publisher_links(build_publisher_index(list(published.values())))
    contexts = PageContexts(list(published.values()), last.config)
    coverage, entity_index = last.indexes.coverage, last.indexes.entity_index
    assert coverage is not None and entity_index is not None
    pages = {}
    for article_id in article_ids:
        article = published[article_id]
        page = planned_article_page(article, coverage, published, entity_index, hrefs[article_id])
        job = next(contexts.jobs([page]))
        template = last.environment().get_template(job.template)
        pages[job.path] = template.render(job.context).encode("utf-8")
    return pages


def _relative(path: Path, source: Path) -> str | None:
    try:
        return path.relative_to(source).as_posix()
    except ValueError:
        return None


def _read_by_builds(path: Path, source: Path) -> bool:
    """Whether a build reads this file besides the articles (so the rebuild must show it)."""
    if path.parent == source and path.name in (SIDECAR_NAME, DICTIONARY_NAME, CONFIG_NAME):
        return True
    return any(path.is_relative_to(folder) for folder in (templates_dir(), static_dir()))


def _read_again(
    last: LastBuild, path: Path, source: Path, extracted: dict[str, Entry] | None
) -> Article | None:
    """The file's record as the loader makes it (its entry put in ``extracted``), or None when
    it does not read."""
    try:
        max_bytes = last.config.max_article_kb * 1000
        key, entry = read_one(path, source, last.loaded.sidecar, max_bytes, last.loaded.dictionary)
    except (OSError, NatowatchError):
        return None
    if extracted is not None:
        extracted[key] = entry
    return entry[0]
