"""Finished articles to the bytes of every file in the site, handed to a sink as they are made.

Every page is planned by path first, so that two pages landing on the same path are caught
before anything is rendered; the data of the article and entity pages is made only when their
batch renders, so a large archive's pages never sit in memory all at once. Each page renders its
template at most once, and not at all when its inputs are those of the previous build's page
(``page_jobs``). The sink is the site writer (``write.SiteWriter``) or memory (``render_site``).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urljoin

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context

from natowatch.archive.config import Config
from natowatch.core.errors import BuildError, InputError
from natowatch.core.fingerprints import code_fingerprint, folder_fingerprint
from natowatch.core.jsonfile import json_array_parts, json_text
from natowatch.core.model import Article
from natowatch.corpus.coverage import Coverage, build_coverage, coverage_json
from natowatch.corpus.index import (
    IndexedEntity,
    Publisher,
    Timeline,
    build_entity_index,
    build_publisher_index,
    build_timeline,
)
from natowatch.publish import feeds, meta, urls
from natowatch.publish.browse_views import (
    Paged,
    archive_pages,
    entities_view,
    entity_type_pages,
    front_pages,
    publisher_links,
    publisher_pages,
    publishers_view,
)
from natowatch.publish.coverage_views import article_coverage_view, entity_coverage_view
from natowatch.publish.datafiles import data_file_parts
from natowatch.publish.entity_views import entity_page_paths, entity_pages
from natowatch.publish.page_jobs import KeyedJob, PageJob, PageRenderer, batches, keyed, workers_for
from natowatch.publish.resources import static_dir, templates_dir
from natowatch.publish.timeline_views import timeline_pages, timeline_per_page
from natowatch.publish.views import article_summary, article_view, newest_first

# Site-relative paths the templates may link to, so no template spells out a file name.
SITE_PATHS: Mapping[str, str] = {
    "index": urls.INDEX,
    "timeline": urls.TIMELINE,
    "entities": urls.ENTITIES,
    "articles_json": urls.ARTICLES_JSON,
    "coverage_json": urls.COVERAGE_JSON,
    "stylesheet": urls.STYLESHEET,
    "search": urls.SEARCH,
    "archive": urls.ARCHIVE,
    "publishers": urls.PUBLISHERS,
    "people": urls.PEOPLE,
    "organisations": urls.ORGANISATIONS,
    "places": urls.PLACES,
}


@dataclass(frozen=True)
class PlannedPage:
    """One page to render: where it goes, with which template and data, and what it shows."""

    path: str
    template: str
    data: Mapping[str, Any]
    origin: str  # e.g. "article 'abc'", named in collision errors


def make_environment(template_folder: Path | None = None) -> Environment:
    """A Jinja2 environment that escapes everything and fails loudly on missing values."""
    folder = template_folder if template_folder is not None else templates_dir()
    environment = Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    environment.globals["url"] = _relative_link
    environment.globals["paths"] = dict(SITE_PATHS)
    return environment


@pass_context
def _relative_link(context: Context, target: str) -> str:
    """Template helper: ``url(paths.index)`` from the page being rendered.

    A page served at unknown addresses (404.html) links absolutely when the site's address is
    known (``link_base``); every other page links relatively.
    """
    base = context.get("link_base")
    if base:
        return urljoin(str(base), target)
    return urls.relative_url(str(context["page"]), target)


@dataclass(frozen=True)
class PageGroup:
    """Pages known by path now, whose data is made only when they are rendered.

    Paths are needed up front (collisions, the sitemap); the data of every article and entity
    page at once is not, and for a large archive it is the largest thing a build holds.
    """

    claims: tuple[tuple[str, str], ...]  # (path, what the page is), for collision errors
    make: Callable[[], list[PlannedPage]]

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(path for path, _ in self.claims)


def plan_pages(
    articles: Sequence[Article],
    coverage: Coverage | None = None,
    config: Config | None = None,
    entity_index: Mapping[str, IndexedEntity] | None = None,
    timeline: Timeline | None = None,
) -> list[PlannedPage]:
    """Every HTML page of the site with the data its template needs.

    Long lists are paginated at ``config.items_per_page`` (the timeline at a multiple of it),
    so no page grows with the archive.
    """
    groups = plan_groups(articles, coverage, config, entity_index, timeline)
    return list(expand(groups))


def plan_groups(
    articles: Sequence[Article],
    coverage: Coverage | None = None,
    config: Config | None = None,
    entity_index: Mapping[str, IndexedEntity] | None = None,
    timeline: Timeline | None = None,
) -> list[PageGroup]:
    """``plan_pages`` as groups: one per article and entity page set, made when rendered."""
    per_page = (config or Config()).items_per_page
    entity_index = entity_index if entity_index is not None else build_entity_index(articles)
    timeline = timeline if timeline is not None else build_timeline(articles)
    coverage = coverage if coverage is not None else build_coverage(articles)
    archive = {article.id: article for article in articles}
    publishers = build_publisher_index(articles)
    publisher_hrefs = publisher_links(publishers)
    groups = [
        ready(browse_pages(articles, entity_index, publishers, per_page)),
        ready(timeline_planned(timeline, timeline_per_page(per_page))),
        ready([search_page()]),
    ]

    def article_page(article: Article) -> list[PlannedPage]:
        data = {
            **article_view(article, entity_index),
            **article_coverage_view(article, coverage, archive, entity_index),
            "publisher_href": publisher_hrefs[article.id],
        }
        origin = f"article {article.id!r} ({article.source_file})"
        return [PlannedPage(urls.article_path(article.slug), "article.html", data, origin)]

    def entity_page_set(entity: IndexedEntity) -> list[PlannedPage]:
        quotes = entity_coverage_view(entity, coverage, archive, entity_index)
        return [
            PlannedPage(path, "entity.html", data, f"entity {entity.id!r} ({path})")
            for path, data in entity_pages(entity, entity_index, per_page, quotes)
        ]

    groups.extend(
        PageGroup(
            ((urls.article_path(article.slug), f"article {article.id!r} ({article.source_file})"),),
            functools.partial(article_page, article),
        )
        for article in sorted(articles, key=lambda item: item.id)
    )
    groups.extend(
        PageGroup(
            tuple(
                (path, f"entity {entity.id!r} ({path})")
                for path in entity_page_paths(entity, per_page)
            ),
            functools.partial(entity_page_set, entity),
        )
        for entity in entity_index.values()
    )
    return groups


def ready(pages: Sequence[PlannedPage]) -> PageGroup:
    """Pages whose data is already made (the few list pages)."""
    made = list(pages)
    return PageGroup(tuple((page.path, page.origin) for page in made), lambda: made)


def expand(groups: Iterable[PageGroup]) -> Iterator[PlannedPage]:
    """Every group's pages, made one group at a time, checked against the planned paths."""
    for group in groups:
        pages = group.make()
        made = tuple(page.path for page in pages)
        if made != group.paths:
            raise BuildError(f"internal error: pages {made!r} were planned as {group.paths!r}")
        yield from pages


def timeline_planned(timeline: Timeline, per_page: int) -> list[PlannedPage]:
    """timeline.html (the years), a paginated page per year, and the undated entries."""
    index, years, undated = timeline_pages(timeline, per_page)
    return [
        *_planned([(urls.TIMELINE, index)], "timeline.html", "the timeline"),
        *_planned(years, "timeline_year.html", "the timeline of a year", "timeline"),
        *_planned(undated, "timeline_undated.html", "the undated timeline", "timeline"),
    ]


def browse_pages(
    articles: Sequence[Article],
    entity_index: Mapping[str, IndexedEntity],
    publishers: Sequence[Publisher],
    per_page: int,
) -> list[PlannedPage]:
    """The paginated lists: front page, date archive, entity types and publishers."""
    ordered = newest_first(articles)
    summaries = {article.id: article_summary(article) for article in ordered}
    archive_index, years, undated = archive_pages(ordered, summaries, per_page)
    return [
        *_planned(
            front_pages(ordered, summaries, per_page), "index.html", "the front page", "articles"
        ),
        *_planned([(urls.ARCHIVE, archive_index)], "archive.html", "the archive", "archive"),
        *_planned(years, "archive_year.html", "the archive of a year", "archive"),
        *_planned(undated, "article_list.html", "the date-unknown archive", "archive"),
        *_planned(
            [(urls.ENTITIES, entities_view(entity_index))], "entities.html", "the entity list"
        ),
        *_planned(
            entity_type_pages(entity_index, per_page), "entity_type.html", "a type list", "entities"
        ),
        *_planned(
            [(urls.PUBLISHERS, publishers_view(publishers))], "publishers.html", "the publishers"
        ),
        *_planned(
            publisher_pages(publishers, summaries, per_page), "article_list.html", "a publisher"
        ),
    ]


def _planned(
    paged: Paged, template: str, what: str, nav_section: str | None = None
) -> list[PlannedPage]:
    """Pages of one kind; ``nav_section`` marks the site-nav entry they belong under."""
    return [
        PlannedPage(path, template, {**data, "nav_section": nav_section}, f"{what} ({path})")
        for path, data in paged
    ]


def check_unique_paths(claims: Iterable[tuple[str, str]]) -> None:
    """Raise BuildError naming both claimants if two outputs map to the same path.

    Paths are compared case-insensitively too, since macOS and Windows file systems would
    silently let one file overwrite the other.
    """
    seen: dict[str, tuple[str, str]] = {}
    for path, origin in claims:
        urls.check_site_path(path)
        key = path.casefold()
        if key in seen:
            other_path, other_origin = seen[key]
            raise BuildError(
                f"two outputs map to the same path {path!r}: {other_origin} "
                f"({other_path}) and {origin}; give one of them a different slug or id"
            )
        seen[key] = (path, origin)


def static_files(folder: Path | None = None) -> dict[str, bytes]:
    """The files copied verbatim into the site root, keyed by their path below ``static/``."""
    root = folder if folder is not None else static_dir()
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            files[relative.as_posix()] = path.read_bytes()
    return files


def articles_json(articles: Sequence[Article]) -> bytes:
    """All article records as one JSON array, sorted by id, stable byte for byte."""
    return b"".join(articles_json_parts(articles))


def articles_json_parts(articles: Sequence[Article]) -> Iterator[bytes]:
    """``articles_json`` a record at a time: the whole array of a large archive is hundreds of
    megabytes, as text and again as the dicts it is made from. An article whose record JSON
    cannot hold is named."""
    return json_array_parts(_record_json(article) for article in sorted(articles, key=_by_id))


def _by_id(article: Article) -> str:
    return article.id


def _record_json(article: Article) -> bytes:
    try:
        return json_text(article.to_dict()).encode("utf-8")
    except (TypeError, ValueError) as error:
        raise BuildError(
            f"article {article.id!r} ({article.source_file}) cannot be written as JSON: {error}"
        ) from error


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


class FileSink(Protocol):
    """Where rendered files go: the site writer, or memory (``render_site``, tests)."""

    def add(self, path: str, data: bytes) -> None: ...

    def add_parts(self, path: str, parts: Iterable[bytes]) -> None: ...

    def carry(self, path: str) -> None: ...


@dataclass
class MemorySink:
    """Rendered files kept in memory."""

    files: dict[str, bytes] = field(default_factory=dict)
    carried: set[str] = field(default_factory=set)

    def add(self, path: str, data: bytes) -> None:
        self.files[path] = data

    def add_parts(self, path: str, parts: Iterable[bytes]) -> None:
        self.files[path] = b"".join(parts)

    def carry(self, path: str) -> None:
        self.carried.add(path)


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
) -> dict[str, str]:
    """Render the whole site into ``sink``, page batch by page batch; returns the page keys.

    Pages whose key is in ``previous_keys`` (path -> key of the previous build's page, for
    files still on disk) are carried over instead of rendered; the others are rendered over
    ``workers`` processes (see ``PageRenderer``). ``words`` holds the articles' content-word
    counts where the loader has them (see ``understand.words.word_keys``). ``problems`` adds
    build-report.html.
    """
    config = config or Config()
    coverage = build_coverage(articles, words)
    # Computed once: the pages and the data files show the same index and timeline.
    entity_index = build_entity_index(articles)
    timeline = build_timeline(articles)
    groups = [
        *plan_groups(articles, coverage, config, entity_index, timeline),
        ready([not_found_page()]),
    ]
    if problems:
        groups.append(ready([build_report_page(problems)]))
    paths = [path for group in groups for path in group.paths]
    statics = static_files()
    extras = site_files(articles, config, paths)
    check_unique_paths(
        [claim for group in groups for claim in group.claims]
        + [(path, f"static file {path!r}") for path in statics]
        + [(path, f"the generated file {path!r}") for path in extras]
        + [(urls.ARTICLES_JSON, "the article data file")]
        + [(urls.COVERAGE_JSON, "the coverage data file")]
    )
    jobs = page_jobs(expand(groups), articles, config)
    renderer = PageRenderer(make_environment, templates_dir(), workers_for(len(paths), workers))
    with renderer:
        keys = _render_pages(sink, jobs, previous_keys, renderer)
    for path, data in [*statics.items(), *extras.items()]:
        sink.add(path, data)
    sink.add_parts(urls.ARTICLES_JSON, articles_json_parts(articles))
    sink.add(urls.COVERAGE_JSON, coverage_json(coverage))
    for path, parts in data_file_parts(articles, entity_index, timeline).items():
        sink.add_parts(path, parts)
    return dict(sorted(keys.items()))


def _render_pages(
    sink: FileSink,
    jobs: Iterator[PageJob],
    previous_keys: Mapping[str, str] | None,
    renderer: PageRenderer,
) -> dict[str, str]:
    """Carry over or render every page, a batch at a time; returns the pages' keys."""
    fingerprint = templates_fingerprint()
    previous_keys = previous_keys or {}
    keys: dict[str, str] = {}
    waiting: Callable[[], None] | None = None
    for batch in batches(jobs):
        todo = []
        for item in (keyed(fingerprint, job) for job in batch):
            path = item.job.path
            if item.key is not None:
                keys[path] = item.key
            if item.key is not None and previous_keys.get(path) == item.key:
                sink.carry(path)
            else:
                todo.append(item)
        rendering = _written_when_done(sink, todo, renderer.start(todo))
        if waiting is not None:
            waiting()  # the previous batch, rendered while this one was prepared
        waiting = rendering
    if waiting is not None:
        waiting()
    return keys


def _written_when_done(
    sink: FileSink, items: Sequence[KeyedJob], pages: Callable[[], list[bytes]]
) -> Callable[[], None]:
    """A function that waits for the batch's pages and writes them."""

    def write() -> None:
        for item, data in zip(items, pages(), strict=True):
            sink.add(item.job.path, data)

    return write


def page_jobs(
    pages: Iterable[PlannedPage], articles: Sequence[Article], config: Config
) -> Iterator[PageJob]:
    """Each planned page with its full template context: site-wide values, data, head."""
    shared = {
        "site_title": config.title,
        "site_description": config.description,
        "language": config.language,
        "article_count": len(articles),
        "feeds": {"atom": feeds.ATOM_PATH, "json": feeds.JSON_FEED_PATH},
        "link_base": None,
        "nav_section": None,
    }
    by_page = {urls.article_path(article.slug): article for article in articles}
    for page in pages:
        context = {**shared, **page.data, "page": page.path}
        context.update(_head(page, by_page.get(page.path), config))
        yield PageJob(page.path, page.template, context)


def templates_fingerprint() -> str:
    """What every page's bytes depend on besides its context: natowatch's code and templates."""
    return f"{code_fingerprint()}:{folder_fingerprint(templates_dir())}"


def search_page() -> PlannedPage:
    return PlannedPage(urls.SEARCH, "search.html", {"page_title": "Search"}, "the search page")


def build_report_page(problems: Sequence[InputError]) -> PlannedPage:
    """What a --keep-going build skipped or read with a caveat, file by file."""
    rows = [
        {"file": problem.path, "line": problem.line, "message": problem.message}
        for problem in problems
    ]
    return PlannedPage(
        urls.BUILD_REPORT,
        "build-report.html",
        {"page_title": "Build report", "problems": rows},
        "the build report",
    )


def not_found_page() -> PlannedPage:
    return PlannedPage(
        urls.NOT_FOUND,
        "404.html",
        {"page_title": "Page not found"},
        "the not-found page",
    )


def _head(page: PlannedPage, article: Article | None, config: Config) -> dict[str, Any]:
    """Description, canonical URL, OpenGraph and (for articles) JSON-LD of one page."""
    title = str(page.data.get("page_title", config.title))
    if article is not None:
        description = meta.article_description(article)
        head = meta.page_meta(page.path, title, description, config, "article")
        return {"head": head, "jsonld": meta.news_article_jsonld(article, config, description)}
    head = meta.page_meta(page.path, title, config.description, config)
    if page.path == urls.NOT_FOUND:
        head["canonical"] = None
        return {"head": head, "jsonld": None, "link_base": config.site_url}
    return {"head": head, "jsonld": None}


def site_files(
    articles: Sequence[Article], config: Config, pages: Sequence[str]
) -> dict[str, bytes]:
    """Feeds, sitemap, robots.txt and the files GitHub Pages looks for."""
    files = {
        feeds.ATOM_PATH: feeds.atom_feed(articles, config),
        feeds.JSON_FEED_PATH: feeds.json_feed(articles, config),
        feeds.SITEMAP_PATH: feeds.sitemap(pages, config),
        feeds.ROBOTS_PATH: feeds.robots(config),
        # Serve the files as they are: no Jekyll processing on GitHub Pages.
        ".nojekyll": b"",
    }
    if config.cname:
        files["CNAME"] = (config.cname + "\n").encode("ascii")
    return files
