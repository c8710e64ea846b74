"""Every page of the site by path, planned before anything is rendered.

Two pages landing on the same path are caught here, before any work is done. The data of the
article and entity pages is made only when their batch renders (``PageGroup.make``), so a large
archive's pages never sit in memory all at once.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import (
    Callable,
    Collection,
    Hashable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass
from typing import Any

from natowatch.archive.config import Config
from natowatch.core.errors import BuildError, InputError
from natowatch.core.model import Article
from natowatch.core.remembered import Remembered, same_values
from natowatch.corpus.coverage import Coverage, build_coverage
from natowatch.corpus.index import (
    IndexedEntity,
    Publisher,
    Timeline,
    TimelineEntry,
    build_entity_index,
    build_publisher_index,
    build_timeline,
)
from natowatch.publish import urls
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
from natowatch.publish.entity_views import entity_page_paths, entity_pages, referred_entity
from natowatch.publish.kept_keys import EntityReads, KeptPageKeys
from natowatch.publish.page_inputs import (
    EntityPageKeys,
    LinkTexts,
    RecordDigests,
    TimelineEntryKeys,
    article_page_inputs,
    article_reads,
    entity_inputs_mark,
    entity_page_keys,
    timeline_page_inputs,
)
from natowatch.publish.record_pieces import listed_summary
from natowatch.publish.saved_keys import SavedPageKeys
from natowatch.publish.timeline_views import (
    EntryView,
    KeptYear,
    YearPages,
    as_placeholder,
    timeline_pages,
    timeline_per_page,
    with_entries,
    year_pages,
)
from natowatch.publish.views import (
    View,
    article_view,
    newest_first,
    timeline_entry_view,
)

REDIRECT_TEMPLATE = "redirect.html"
ARTICLE_TEMPLATE = "article.html"


@dataclass(frozen=True)
class PlannedPage:
    """One page to render: where it goes, with which template and data, and what it shows."""

    path: str
    template: str
    data: Mapping[str, Any]
    origin: str  # e.g. "article 'abc'", named in collision errors


@dataclass(frozen=True)
class PageGroup:
    """Pages known by path now, whose data is made only when they are rendered.

    Paths are needed up front (collisions, the sitemap); the data of every article and entity
    page at once is not, and for a large archive it is the largest thing a build holds.
    """

    claims: tuple[tuple[str, str], ...]  # (path, what the page is), for collision errors
    make: Callable[[], list[PlannedPage]]
    # Path -> a hash of everything the page reads (``page_inputs``), when known without
    # making the page's data.
    inputs: Mapping[str, str] | None = None
    # Makes just the pages at the given paths (in planned order): after an edit one page of
    # a frequent entity's hundreds is stale, and making all of their data cost the most.
    make_some: Callable[[Collection[str]], list[PlannedPage]] | None = None
    # Its pages are the ones indexed for search (article pages; no other template marks its
    # content for Pagefind): rendered first, so indexing starts before the rest is made.
    indexed: bool = False
    # Path -> an input key of the last build's whose page this one is known to equal (in
    # ``serve``: the page of an edited record's entity, where the edit changed nothing it
    # shows): carried like a page of an unchanged key, and given its own key.
    alike: Mapping[str, str] | None = None

    @functools.cached_property
    def paths(self) -> tuple[str, ...]:
        return tuple(path for path, _ in self.claims)

    def pages_at(self, paths: Collection[str]) -> list[PlannedPage]:
        """The group's pages at ``paths`` (in planned order), checked against the plan."""
        if self.make_some is None:
            return [page for page in expand([self]) if page.path in paths]
        pages = self.make_some(paths)
        made = tuple(page.path for page in pages)
        if made != tuple(path for path in self.paths if path in paths):
            raise BuildError(f"internal error: pages {made!r} were planned as {paths!r}")
        return pages


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
    return list(expand(plan_site(articles, coverage, config, entity_index, timeline).groups()))


@dataclass(frozen=True)
class LaterGroups:
    """Page groups whose paths are known now (``claims``, in the order of ``groups``) and
    which are made as ``groups`` is consumed: the entity pages' keys and quotes are most of
    planning the pages after the articles', and made while the pages already planned render,
    they no longer leave a core idle (~3 s of one core at 5,000 articles)."""

    claims: list[tuple[str, str]]
    groups: Iterator[PageGroup]


@dataclass(frozen=True)
class SitePlan:
    """The page groups of the site in two parts: the article pages, the ones indexed
    for search, planned at once; the others planned when ``rest`` is called, so the article
    pages can be rendered and indexed while the browse, timeline and entity pages are planned
    (a third of a second of a ``serve`` rebuild at 5,000 articles)."""

    indexed: list[PageGroup]
    rest: Callable[[], LaterGroups]

    def groups(self) -> list[PageGroup]:
        """Every group, the article pages' first (call once: it plans the rest)."""
        return [*self.indexed, *self.rest().groups]


def plan_site(
    articles: Sequence[Article],
    coverage: Coverage | None = None,
    config: Config | None = None,
    entity_index: Mapping[str, IndexedEntity] | None = None,
    timeline: Timeline | None = None,
    digests: RecordDigests | None = None,
    kept_keys: KeptPageKeys | None = None,
    saved_keys: SavedPageKeys | None = None,
    summarize: Callable[[Sequence[Article]], dict[str, View]] | None = None,
) -> SitePlan:
    """``plan_pages`` as groups: one per article and entity page set, made when rendered;
    the article groups at once and the rest when asked (``SitePlan``).

    Article and entity groups carry their input key, from the records' ``digests`` (kept by
    ``natowatch serve`` between rebuilds; made afresh when None). ``kept_keys`` holds the last
    build's keys (``serve``): a page whose inputs are unchanged keeps its key unhashed.
    Without them, ``saved_keys`` holds the entity, article and timeline page keys of the last
    command-line build, taken where their inputs are the same (``saved_keys``), and
    ``summarize`` gives the listings' summaries of the records (``browse_pages``).
    """
    digests = digests if digests is not None else RecordDigests()
    per_page = (config or Config()).items_per_page
    entity_index = entity_index if entity_index is not None else build_entity_index(articles)
    timeline = timeline if timeline is not None else build_timeline(articles)
    coverage = coverage if coverage is not None else build_coverage(articles)
    archive = {article.id: article for article in articles}
    publishers = build_publisher_index(articles)
    publisher_hrefs = publisher_links(publishers)
    links = LinkTexts(archive)
    reuse = kept_keys.round(archive, entity_index) if kept_keys is not None else None

    def article_page(article: Article) -> list[PlannedPage]:
        return [
            planned_article_page(
                article, coverage, archive, entity_index, publisher_hrefs[article.id]
            )
        ]

    def entity_page_set(
        entity: IndexedEntity, quotes: Callable[[], View], only: Collection[str] | None = None
    ) -> list[PlannedPage]:
        return [
            PlannedPage(path, "entity.html", data, f"entity {entity.id!r} ({path})")
            for path, data in entity_pages(
                entity, entity_index, per_page, quotes(), only, links.view
            )
        ]

    def entity_group(entity: IndexedEntity) -> PageGroup:
        make_quotes = functools.partial(
            entity_coverage_view, entity, coverage, archive, entity_index
        )
        # The speaker's quotes are viewed when the entity's keys or pages are made: a
        # command-line build after an edit takes most entities' keys by their mark, which
        # stands for the quotes too (``entity_inputs_mark``); viewing every speaker's quotes
        # was ~0.3 s of it at 5,000 articles.
        if reuse is not None:
            known = reuse.speaker_quotes(entity, make_quotes)
            quotes: Callable[[], View] = lambda: known  # noqa: E731
        else:
            quotes = functools.cache(make_quotes)

        def keys(last: EntityPageKeys | None = None) -> EntityPageKeys:
            return entity_page_keys(entity, digests, entity_index, per_page, quotes(), last)

        if reuse is not None:
            reads = EntityReads(entity, referred_entity(entity, entity_index), per_page, known)
            made = reuse.entity_keys(reads, keys)
        elif saved_keys is not None:
            referred = referred_entity(entity, entity_index)
            made = EntityPageKeys(
                "",
                {},
                saved_keys.keys(
                    entity,
                    (per_page, (referred.id, referred.name) if referred is not None else None),
                    lambda: entity_inputs_mark(entity, digests, entity_index, per_page),
                    lambda: keys().keys,
                ),
            )
        else:
            made = keys()
        return PageGroup(
            entity_claims(entity, per_page),
            functools.partial(entity_page_set, entity, quotes),
            made.keys,
            functools.partial(entity_page_set, entity, quotes),
            alike=made.alike,
        )

    def article_group(article: Article) -> PageGroup:
        publisher_href = publisher_hrefs[article.id]

        def key() -> str:
            return article_page_inputs(
                article, digests, coverage, archive, entity_index, publisher_href, links
            )

        path = urls.article_path(article.slug)
        if reuse is not None:
            reads = reuse.article_reads(article, coverage, publisher_href)
            made = reuse.article_key(article, reads, key)
        elif saved_keys is not None:
            reads = article_reads(article, coverage, publisher_href)
            made = saved_keys.article_key(article.id, digests.of(article), reads, key)
        else:
            made = key()
        return PageGroup(
            ((path, f"article {article.id!r} ({article.source_file})"),),
            functools.partial(article_page, article),
            {path: made},
            indexed=True,
        )

    def rest() -> LaterGroups:
        groups = [
            ready(browse_pages(articles, entity_index, publishers, per_page, summarize)),
            timeline_group(
                timeline,
                timeline_per_page(per_page),
                digests,
                kept_keys.timeline_years if kept_keys is not None else None,
                saved_keys if reuse is None else None,
            ),
            ready([search_page()]),
        ]
        entities = list(entity_index.values())
        claims = [claim for group in groups for claim in group.claims]
        claims += [claim for entity in entities for claim in entity_claims(entity, per_page)]

        def made_in_turn() -> Iterator[PageGroup]:
            yield from groups
            yield from map(entity_group, entities)  # (its claims: ``entity_claims``)
            if reuse is not None:
                reuse.finish()

        return LaterGroups(claims, made_in_turn())

    if saved_keys is not None and reuse is None:
        saved_keys.start_articles(
            {article.id: digests.of(article) for article in articles},
            {entity.id: (entity.name, entity.type.value) for entity in entity_index.values()},
        )
    indexed = [article_group(article) for article in sorted(articles, key=lambda a: a.id)]
    return SitePlan(indexed, rest)


def entity_claims(entity: IndexedEntity, per_page: int) -> tuple[tuple[str, str], ...]:
    """The paths of an entity's pages, each with what it is (``PageGroup.claims``)."""
    return tuple(
        (path, f"entity {entity.id!r} ({path})") for path in entity_page_paths(entity, per_page)
    )


def planned_article_page(
    article: Article,
    coverage: Coverage,
    archive: Mapping[str, Article],
    entity_index: Mapping[str, IndexedEntity],
    publisher_href: str,
) -> PlannedPage:
    """An article's page with everything it shows of the archive around it."""
    data = {
        **article_view(article, entity_index),
        **article_coverage_view(article, coverage, archive, entity_index),
        "publisher_href": publisher_href,
    }
    origin = f"article {article.id!r} ({article.source_file})"
    return PlannedPage(urls.article_path(article.slug), ARTICLE_TEMPLATE, data, origin)


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


def timeline_group(
    timeline: Timeline,
    per_page: int,
    digests: RecordDigests,
    kept: Remembered[KeptYear] | None = None,
    saved: SavedPageKeys | None = None,
) -> PageGroup:
    """The timeline's pages, keyed by their outline and entries (``timeline_page_inputs``):
    an edit moves the entries of a few pages, and only those pages' entries are viewed.

    Viewing every entry (55,000 at 5,000 articles) and hashing the pages made from them was
    the largest cost of planning pages after one edit. ``kept`` (``serve``) holds each year's
    pages and keys from the last build: a year whose entries are the same objects, in the same
    order, with the same neighbouring years, is not paginated or keyed again (an edit moves
    the entries of one or two years of a dozen); a year made again keeps the keys of its
    pages whose data is the same values (``same_values``: the very same entries, or entries
    of an edited record that show the same as before), so an edit keys again the pages whose
    entries it changed, not its years' fifty. Without ``kept``, ``saved`` (a command-line
    build) holds the last build's keys of each year's pages, taken for a year of as many
    entries, none of a changed record, under the same page size and neighbours
    (``SavedPageKeys.year_keys``).
    """
    entries = TimelineEntryKeys(digests)
    year_of: dict[str, KeptYear] = {}  # page path -> the year it belongs to, if kept
    saved_years: list[tuple[Hashable, int, KeptYear]] = []  # (name, entries, pages) if saved
    alike: dict[str, str] = {}  # ``PageGroup.alike``

    def make_year(
        year: int, items: Sequence[TimelineEntry], size: int, neighbours: View, view: EntryView
    ) -> tuple[Paged, list[View]]:
        name = (year, size, repr(neighbours))
        if kept is None:
            made = year_pages(year, items, size, neighbours, view)
            if saved is not None:  # its pages keyed below, unless the saved keys stand
                taken = KeptYear(*made, dict(saved.year_keys(name, items)))
                saved_years.append((name, len(items), taken))
                year_of.update((path, taken) for path, _ in made[0])
            return made
        made_from = tuple(items)

        def make() -> KeptYear:
            made = KeptYear(*year_pages(year, items, size, neighbours, view))
            last = kept.last(name) if kept is not None else None
            if last is not None:  # a page showing the very same entries keeps its key
                before = dict(last.pages)
                for path, data in made.pages:
                    if path not in last.keys:
                        continue
                    key = _kept_key(path, before.get(path), data, last.keys[path], alike)
                    if key is not None:
                        made.keys[path] = key
            return made

        known = kept.made(name, made_from, make)
        year_of.update((path, known) for path, _ in known.pages)
        return known.pages, known.months

    outlines = timeline_planned(timeline, per_page, as_placeholder, make_year)
    inputs = {}
    for page in outlines:
        year = year_of.get(page.path)
        key = None if year is None else year.keys.get(page.path)
        if key is None and year is None and kept is not None:
            key = _kept_page_key(kept, page, entries, alike)  # the index, the undated pages
        elif key is None:
            key = timeline_page_inputs(page.template, page.data, entries)
            if year is not None:
                year.keys[page.path] = key
        inputs[page.path] = key
    if kept is not None:
        kept.finish()
    if saved is not None:
        for name, count, year in saved_years:
            saved.keep_year(name, count, year.keys)

    def make_some(paths: Collection[str]) -> list[PlannedPage]:
        return [
            dataclasses.replace(page, data=with_entries(page.data, timeline_entry_view))
            for page in outlines
            if page.path in paths
        ]

    return PageGroup(
        tuple((page.path, page.origin) for page in outlines),
        lambda: make_some(inputs),
        inputs,
        make_some,
        alike=alike,
    )


def _kept_page_key(
    kept: Remembered[KeptYear],
    page: PlannedPage,
    entries: TimelineEntryKeys,
    alike: dict[str, str],
) -> str:
    """The key of a timeline page outside the years (kept as a year of one page): the last
    build's while its data is the same values, else made again (and ``alike`` the last
    build's while it shows the same)."""
    last = kept.last(page.path)
    before = last.keys.get(page.path) if last is not None else None
    data = last.pages[0][1] if last is not None else None
    key = None if before is None else _kept_key(page.path, data, page.data, before, alike)
    if key is None:
        key = timeline_page_inputs(page.template, page.data, entries)
    kept.put(page.path, (), KeptYear([(page.path, dict(page.data))], [], {page.path: key}))
    return key


def _kept_key(
    path: str, before: object, data: object, last_key: str, alike: dict[str, str]
) -> str | None:
    """The last build's key of a timeline page whose data is the same values; else None, and
    the page marked ``alike`` that key if it shows the same (``_shown_alike``)."""
    if same_values(before, data):
        return last_key
    if same_values(before, data, _shown_alike):
        alike[path] = last_key
    return None


def _shown_alike(before: object, now: object) -> bool:
    """Two timeline entries shown alike (an edited record's entry, a new object, whose view
    is the same as its old one's)."""
    if not isinstance(before, TimelineEntry) or not isinstance(now, TimelineEntry):
        return False
    return repr(timeline_entry_view(before)) == repr(timeline_entry_view(now))


def timeline_planned(
    timeline: Timeline,
    per_page: int,
    view: EntryView = timeline_entry_view,
    make_year: YearPages | None = None,
) -> list[PlannedPage]:
    """timeline.html (the years), a paginated page per year, and the undated entries."""
    index, years, undated = timeline_pages(timeline, per_page, view, make_year)
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
    summarize: Callable[[Sequence[Article]], dict[str, View]] | None = None,
) -> list[PlannedPage]:
    """The paginated lists: front page, date archive, entity types and publishers.

    ``summarize`` gives the records' summaries by id (``StoredJson.summaries``: read back from
    the cache, or kept by ``serve`` for the very same record); by default they are made."""
    ordered = newest_first(articles)
    if summarize is not None:
        summary = summarize(ordered)
    else:
        summary = {article.id: listed_summary(article) for article in ordered}
    archive_index, years, undated = archive_pages(ordered, summary, per_page)
    return [
        *_planned(
            front_pages(ordered, summary, per_page), "index.html", "the front page", "articles"
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
            publisher_pages(publishers, summary, per_page), "article_list.html", "a publisher"
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
    """Raise BuildError naming both claimants if two outputs map to the same path, or one
    output's path is a folder another output needs (``style.css`` and ``style.css/index.html``).

    Paths are compared case-insensitively too, since macOS and Windows file systems would
    silently let one file overwrite the other. The verdict depends on the paths alone: paths
    the same as one of the last lists that passed pass again unchecked (a ``serve`` rebuild
    asks twice about ~12,000 paths that seldom change; 0.02 s).
    """
    claims = list(claims)
    paths = [path for path, _ in claims]
    if any(paths == passed for passed in _PASSED):
        return
    _check_unique(claims)
    _PASSED[:] = [paths, *_PASSED[: _PASSED_KEPT - 1]]


_PASSED: list[list[str]] = []  # the last path lists that passed, newest first
_PASSED_KEPT = 2  # a build asks about the article pages, then about every page


def _check_unique(claims: Sequence[tuple[str, str]]) -> None:
    seen: dict[str, tuple[str, str]] = {}
    folders: dict[str, tuple[str, str]] = {}  # folder -> the first output inside it
    for path, origin in claims:
        urls.check_site_path(path)
        key = path.casefold()
        if key in seen:
            _collision(path, seen[key], origin)
        seen[key] = (path, origin)
        parts = key.split("/")
        for depth in range(1, len(parts)):
            folders.setdefault("/".join(parts[:depth]), (path, origin))
    for key, (path, origin) in seen.items():
        if key in folders:
            inside, inside_origin = folders[key]
            raise BuildError(
                f"the output {path!r} ({origin}) is a file where {inside_origin} needs a "
                f"folder ({inside}); give one of them another slug, id or alias"
            )


def _collision(path: str, other: tuple[str, str], origin: str) -> None:
    other_path, other_origin = other
    raise BuildError(
        f"two outputs map to the same path {path!r}: {other_origin} "
        f"({other_path}) and {origin}; give one of them a different slug or id"
    )


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


def redirect_pages(articles: Sequence[Article]) -> list[PlannedPage]:
    """A page at each old address an article lists (``extra.aliases``: Hugo's ``aliases``,
    Jekyll's ``redirect_from``) sending readers on to the article; an alias that cannot be a
    page of this site (``urls.alias_path``) makes none."""
    pages: list[PlannedPage] = []
    for article in sorted(articles, key=lambda item: item.id):
        aliases = article.extra.get("aliases")
        paths: dict[str, str] = {}
        for alias in aliases if isinstance(aliases, list) else ():
            path = urls.alias_path(alias) if isinstance(alias, str) else None
            if path is not None:
                paths.setdefault(path, alias)
        target = urls.article_path(article.slug)
        for path, alias in paths.items():
            data = {
                "page_title": "This page has moved",
                "target": target,
                "headline": article.headline,
            }
            origin = (
                f"the redirect from {alias!r} to article {article.id!r} ({article.source_file})"
            )
            pages.append(PlannedPage(path, REDIRECT_TEMPLATE, data, origin))
    return pages


def not_found_page() -> PlannedPage:
    return PlannedPage(
        urls.NOT_FOUND,
        "404.html",
        {"page_title": "Page not found"},
        "the not-found page",
    )
