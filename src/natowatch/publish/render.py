"""Finished articles to the bytes of every file in the site, handed to a sink as they are made.

Pages are planned by path first (``plan``); each renders its template (``environment``) at most
once, and not at all when its inputs are those of the previous build's page (``page_jobs``).
The sink is the site writer (``write.SiteWriter``) or memory (``render_site``).
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from natowatch.archive.config import Config
from natowatch.core.errors import InputError
from natowatch.core.model import Article
from natowatch.corpus.coverage import Coverage, build_coverage, coverage_json
from natowatch.corpus.index import IndexedEntity, build_entity_index, build_timeline
from natowatch.corpus.kept import KeptIndexes
from natowatch.corpus.saved_indexes import SavedIndexes
from natowatch.publish import feeds, meta, urls
from natowatch.publish.datafiles import data_file_parts
from natowatch.publish.environment import make_environment, templates_fingerprint
from natowatch.publish.kept_keys import KeptContextKeys, KeptPageKeys
from natowatch.publish.page_inputs import RecordDigests
from natowatch.publish.page_jobs import (
    KeyedJob,
    PageJob,
    PageRenderer,
    Rendering,
    batches,
    input_key,
    keyed,
    pickled,
    workers_for,
)
from natowatch.publish.plan import (
    REDIRECT_TEMPLATE,
    PageGroup,
    PlannedPage,
    build_report_page,
    check_unique_paths,
    expand,
    not_found_page,
    plan_site,
    ready,
    redirect_pages,
)
from natowatch.publish.resources import templates_dir
from natowatch.publish.saved_keys import SavedPageKeys
from natowatch.publish.site_files import articles_json_parts, site_files, static_files
from natowatch.publish.stored_json import StoredJson


@dataclass(frozen=True)
class RenderedSite:
    """The site's files: bytes for everything rendered, and the pages carried over unchanged.

    ``carried`` lists the paths whose previous output stands (their key matched); ``page_keys``
    holds every page's key for the next build to compare against.
    """

    files: dict[str, bytes]
    carried: frozenset[str]
    page_keys: dict[str, str]


def render_site(
    articles: Sequence[Article],
    config: Config | None = None,
    problems: Sequence[InputError] | None = None,
) -> dict[str, bytes]:
    """{site-relative path: file bytes} for every page, static file, feed and data file.

    ``problems`` (from ``build --keep-going``) adds build-report.html listing what was skipped.
    """
    return render_changes(articles, config, problems).files


@dataclass
class CrossArticle:
    """The cross-article indexes a build made, kept for a caller that shows pages between
    builds (``natowatch serve``'s preview of an edit, ``natowatch.preview``)."""

    coverage: Coverage | None = None
    entity_index: Mapping[str, IndexedEntity] | None = None


class FileSink(Protocol):
    """Where rendered files go: the site writer, or memory (``render_site``, tests)."""

    def add(self, path: str, data: bytes) -> None: ...

    def adding(self, path: str, parts: Iterable[bytes]) -> Iterator[None]: ...

    def carry(self, path: str) -> None: ...

    def indexed_pages_done(self) -> None:
        """Every page indexed for search is in the sink (other pages may still be coming)."""

    def pages_done(self) -> None:
        """Every page is in the sink (the data files may still be coming)."""


@dataclass
class MemorySink:
    """Rendered files kept in memory."""

    files: dict[str, bytes] = field(default_factory=dict)
    carried: set[str] = field(default_factory=set)

    def add(self, path: str, data: bytes) -> None:
        self.files[path] = data

    def adding(self, path: str, parts: Iterable[bytes]) -> Iterator[None]:
        chunks = []
        for part in parts:
            chunks.append(part)
            yield
        self.files[path] = b"".join(chunks)

    def carry(self, path: str) -> None:
        self.carried.add(path)

    def indexed_pages_done(self) -> None:
        pass

    def pages_done(self) -> None:
        pass


def render_changes(
    articles: Sequence[Article],
    config: Config | None = None,
    problems: Sequence[InputError] | None = None,
    previous_keys: Mapping[str, str] | None = None,
    workers: int = 1,
    words: Mapping[str, Counter[str]] | None = None,
) -> RenderedSite:
    """``render_into`` memory: the files rendered, the pages carried over, every page's key."""
    sink = MemorySink()
    keys = render_into(sink, articles, config, problems, previous_keys, workers, words)
    return RenderedSite(
        files={path: sink.files[path] for path in sorted(sink.files)},
        carried=frozenset(sink.carried),
        page_keys=keys,
    )


def render_into(
    sink: FileSink,
    articles: Sequence[Article],
    config: Config | None = None,
    problems: Sequence[InputError] | None = None,
    previous_keys: Mapping[str, str] | None = None,
    workers: int = 1,
    words: Mapping[str, Counter[str]] | None = None,
    digests: RecordDigests | None = None,
    stored: StoredJson | None = None,
    indexes: CrossArticle | None = None,
    kept: KeptIndexes | None = None,
    kept_keys: KeptPageKeys | None = None,
    saved: SavedIndexes | None = None,
    saved_keys: SavedPageKeys | None = None,
) -> dict[str, str]:
    """Render the whole site into ``sink``, page batch by page batch; returns the page keys.

    Pages whose key is in ``previous_keys`` (path -> key of the previous build's page, for
    files still on disk) are carried over instead of rendered; the others are rendered over
    ``workers`` processes (see ``PageRenderer``). ``words`` holds the articles' content-word
    counts where the loader has them (see ``understand.words.word_keys``). ``problems`` adds
    build-report.html. ``digests`` knows the records' digests (``page_inputs``) where a caller
    has them; ``stored`` gives the data files' pieces kept by earlier builds (default: all
    encoded afresh); ``indexes`` receives the cross-article indexes (``serve``'s previews);
    ``kept`` holds what the last build of this process made of the cross-article indexes,
    to bring up to date rather than make afresh, and ``kept_keys`` its page input keys.
    Without ``kept``, ``saved`` holds the coverage's indexes of the last build, brought up to
    date and saved again (``saved_indexes``), and ``saved_keys`` its entity and article page keys.
    """
    config = config or Config()
    # Computed once: the pages and the data files show the same coverage, index and timeline.
    # The coverage in this process, not a forked child: a child reading the records copies every
    # memory page it touches, which made the build's memory peak (CONTRIBUTING.md).
    coverage_kept = kept if kept is not None else saved.kept if saved is not None else None
    coverage = build_coverage(articles, words, coverage_kept)
    coverage_file = coverage_json(coverage, coverage_kept)
    if saved is not None:
        # Saved and let go of (and the C heap trimmed: ``SavedIndexes.save``) before the
        # entity index, the timeline and the pages are made: held on, the kept indexes' ~80
        # MiB at 5,000 articles raised the build's memory peak.
        del coverage_kept
        saved.save()
    timeline = kept.timeline.timeline(articles) if kept else build_timeline(articles)
    entity_index = build_entity_index(articles, kept.entities if kept else None, timeline)
    if indexes is not None:
        indexes.coverage, indexes.entity_index = coverage, entity_index
    redirects = ready(redirect_pages(articles))
    plan = plan_site(
        articles,
        coverage,
        config,
        entity_index,
        timeline,
        digests,
        kept_keys,
        saved_keys,
        stored.summaries if stored is not None else None,
    )
    statics = static_files()
    fixed_claims = [
        *[(path, f"static file {path!r}") for path in statics],
        (urls.ARTICLES_JSON, "the article data file"),
        (urls.COVERAGE_JSON, "the coverage data file"),
    ]
    # The article pages' paths are checked before they are written, everything once planned.
    check_unique_paths([claim for group in plan.indexed for claim in group.claims] + fixed_claims)
    encoders = (stored.entity, stored.timeline_run) if stored else (None, None)
    if stored is not None and kept is None:  # (serve has its pieces in memory)
        stored.expect_data_files(articles, (*timeline.dated, *timeline.undated))
    data_files = {
        urls.ARTICLES_JSON: articles_json_parts(articles, stored.article if stored else None),
        urls.COVERAGE_JSON: iter([coverage_file]),
        **data_file_parts(articles, entity_index, timeline, *encoders),
    }
    if stored is not None:
        data_files = stored.laid_out(data_files)
    # Written a part at a time while the worker processes render pages, and the rest after.
    meanwhile = (step for path, parts in data_files.items() for step in sink.adding(path, parts))
    # As many processes as the pages are worth, counted before the rest is planned: an article
    # page each and an entity's first page each, most of a site's pages.
    pages = len(plan.indexed) + len(entity_index)
    renderer = PageRenderer(make_environment, templates_dir(), workers_for(pages, workers))
    contexts = PageContexts(articles, config)
    with renderer:
        # The pages indexed for search first, so the indexer starts on them while the others
        # are planned and rendered (``SiteWriter.indexed_pages_done``).
        kept_contexts = kept_keys.contexts if kept_keys is not None else None
        keys = _render_pages(
            sink, plan.indexed, contexts, previous_keys, renderer, meanwhile, kept_contexts
        )
        if plan.indexed:
            sink.indexed_pages_done()
        # The entity pages' groups are made as they render (``LaterGroups``); every path is
        # known and checked first.
        rest = plan.rest()
        last = [ready([not_found_page()]), redirects]
        if problems:
            last.append(ready([build_report_page(problems)]))
        claims = [
            *(claim for group in plan.indexed for claim in group.claims),
            *rest.claims,
            *(claim for group in last for claim in group.claims),
        ]
        moved = set(redirects.paths)  # not pages of their own: left out of the sitemap
        extras = site_files(articles, config, [path for path, _ in claims if path not in moved])
        check_unique_paths(
            claims + fixed_claims + [(path, f"the generated file {path!r}") for path in extras]
        )
        others = itertools.chain(rest.groups, last)
        keys.update(
            _render_pages(sink, others, contexts, previous_keys, renderer, meanwhile, kept_contexts)
        )
        if saved_keys is not None:  # every article's and entity's keys are made
            saved_keys.save()
        if kept_contexts is not None:
            kept_contexts.finish()
    for path, data in [*statics.items(), *extras.items()]:
        sink.add(path, data)
    sink.pages_done()
    for _ in meanwhile:
        pass
    return dict(sorted(keys.items()))


def _render_pages(
    sink: FileSink,
    groups: Iterable[PageGroup],
    contexts: PageContexts,
    previous_keys: Mapping[str, str] | None,
    renderer: PageRenderer,
    meanwhile: Iterator[None],
    kept: KeptContextKeys | None = None,
) -> dict[str, str]:
    """Carry over or render every page, a batch at a time; returns the pages' keys.

    While the workers render a batch this process prepares the next one, and when it would
    wait for them it takes steps of ``meanwhile`` instead (the data files): on two cores,
    writing them after the pages left one core idle for seconds of a large build.
    """
    keys: dict[str, str] = {}
    waiting: tuple[list[KeyedJob], Rendering] | None = None
    for batch in batches(_keyed_jobs(sink, groups, contexts, previous_keys or {}, keys, kept)):
        rendering = renderer.start(batch)
        if waiting is not None:
            _write_when_done(sink, *waiting, meanwhile)  # rendered while this one was prepared
        waiting = batch, rendering
    if waiting is not None:
        _write_when_done(sink, *waiting, meanwhile)
    return keys


def _keyed_jobs(
    sink: FileSink,
    groups: Iterable[PageGroup],
    contexts: PageContexts,
    previous_keys: Mapping[str, str],
    keys: dict[str, str],
    kept: KeptContextKeys | None = None,
) -> Iterator[KeyedJob]:
    """The pages to render, with their keys; pages whose key is the previous build's are
    carried over into ``sink`` instead, and every key is recorded in ``keys``.

    A group with an input key (``page_inputs``) is decided before its data is made; the other
    pages are keyed by their full context, or with ``kept`` (``serve``) by the key of the
    last build's page made from the same data (``KeptContextKeys``).
    """
    fingerprint = templates_fingerprint()
    site = contexts.site_key(fingerprint)
    for group in groups:
        if group.inputs is not None:
            known = {path: input_key(site, group.inputs[path], path) for path in group.paths}
            keys.update(known)
            stale = {path for path, key in known.items() if previous_keys.get(path) != key}
            if group.alike and stale:  # pages known to be an earlier key's, unchanged
                stale.difference_update(
                    path
                    for path, key in group.alike.items()
                    if path in stale and previous_keys.get(path) == input_key(site, key, path)
                )
            for path in group.paths:
                if path not in stale:
                    sink.carry(path)
            if stale:  # only the stale pages are made and rendered
                pages = group.pages_at(stale)
                yield from (pickled(job, known[job.path]) for job in contexts.jobs(pages))
            continue
        for page in expand([group]):
            same = None
            if kept is not None and page.path not in contexts.by_page:
                same = kept.key(site, page.path, page.template, page.data)
            if same is not None:
                keys[page.path] = same
                if previous_keys.get(page.path) == same:
                    sink.carry(page.path)
                else:
                    yield from (pickled(job, same) for job in contexts.jobs([page]))
                continue
            job = next(contexts.jobs([page]))
            item = keyed(fingerprint, job)
            if item.key is not None:
                keys[job.path] = item.key
                if kept is not None and page.path not in contexts.by_page:
                    kept.keep(site, page.path, page.template, page.data, item.key)
            if item.key is not None and previous_keys.get(job.path) == item.key:
                sink.carry(job.path)
            else:
                yield item


def _write_when_done(
    sink: FileSink, items: Sequence[KeyedJob], rendering: Rendering, meanwhile: Iterator[None]
) -> None:
    """Write the batch's pages, taking steps of ``meanwhile`` until the workers are done."""
    while not rendering.ready() and next(meanwhile, _DONE) is not _DONE:
        pass
    for item, data in zip(items, rendering.pages(), strict=True):
        sink.add(item.job.path, data)


_DONE = object()


class PageContexts:
    """Each planned page with its full template context: site-wide values, data, head.

    The site-wide values are in every page's key, so none may change with the archive's
    contents: the footer once said how many articles the archive holds, and adding or deleting
    one article rendered every page again (17,700 at 5,000 articles, 36 s). The home page
    says how many there are."""

    def __init__(self, articles: Sequence[Article], config: Config) -> None:
        self.config = config
        self.shared = {
            "site_title": config.title,
            "site_description": config.description,
            "language": config.language,
            "feeds": {"atom": feeds.ATOM_PATH, "json": feeds.JSON_FEED_PATH},
            "link_base": None,
            "nav_section": None,
        }
        self.by_page = {urls.article_path(article.slug): article for article in articles}

    def site_key(self, fingerprint: str) -> str:
        """What every page reads besides its own inputs: code, templates, configuration and
        the site-wide values above; part of every input key."""
        site = f"{fingerprint}\0{self.config!r}\0{sorted(self.shared.items())!r}"
        return hashlib.sha256(site.encode()).hexdigest()

    def jobs(self, pages: Iterable[PlannedPage]) -> Iterator[PageJob]:
        for page in pages:
            context = {**self.shared, **page.data, "page": page.path}
            context.update(_head(page, self.by_page.get(page.path), self.config))
            yield PageJob(page.path, page.template, context)


def _head(page: PlannedPage, article: Article | None, config: Config) -> dict[str, Any]:
    """Description, canonical URL, OpenGraph and (for articles) JSON-LD of one page."""
    title = str(page.data.get("page_title", config.title))
    if page.template == REDIRECT_TEMPLATE:  # canonical: the article the old address moved to
        head = meta.page_meta(str(page.data["target"]), title, config.description, config)
        return {"head": head, "jsonld": None}
    if article is not None:
        description = meta.article_description(article)
        head = meta.page_meta(page.path, title, description, config, "article")
        return {"head": head, "jsonld": meta.news_article_jsonld(article, config, description)}
    head = meta.page_meta(page.path, title, config.description, config)
    if page.path == urls.NOT_FOUND:
        head["canonical"] = None
        return {"head": head, "jsonld": None, "link_base": config.site_url}
    return {"head": head, "jsonld": None}
