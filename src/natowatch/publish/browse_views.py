"""Browsing: the front page, the date archive, entity-type and publisher lists, paginated.

Long lists are cut into pages of ``items_per_page`` here, so a template only ever shows one
page. Every article lands on one front page, one archive page and one publisher page, and every
entity on one list page; with a fixed-size page-number window the whole is linear in the
archive. Each function returns ``(site path, template data)`` pairs; ``render`` plans them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from natowatch.core.errors import BuildError
from natowatch.core.ids import slugify
from natowatch.core.model import Article, EntityType
from natowatch.corpus.index import IndexedEntity, Publisher, date_key
from natowatch.publish import urls
from natowatch.publish.views import (
    DATE_UNKNOWN,
    TYPE_HEADINGS,
    TYPE_LABELS,
    View,
    month_name,
    newest_first,
)

Item = TypeVar("Item")
Paged = list[tuple[str, View]]

# Page numbers shown either side of the current page; first and last are always shown.
PAGE_WINDOW = 2
UNKNOWN_PUBLISHER = "Unknown publisher"
MONTH_UNKNOWN = "Month unknown"


@dataclass(frozen=True)
class EntityList:
    """One entity-type page: which types it gathers, and what it is called."""

    path: str
    heading: str
    types: tuple[EntityType, ...]
    lead: str


ENTITY_LISTS = (
    EntityList(urls.PEOPLE, "People", (EntityType.PERSON,), "People named in the articles"),
    EntityList(
        urls.ORGANISATIONS,
        "Organisations",
        (EntityType.ORG,),
        "Organisations named in the articles",
    ),
    EntityList(
        urls.PLACES,
        "Places",
        (EntityType.GPE, EntityType.LOC),
        "Countries, cities and other places named in the articles",
    ),
)
# Types with no page of their own stay listed in full on the entities page.
INLINE_TYPES = (EntityType.EVENT, EntityType.OTHER)


# --- pagination -----------------------------------------------------------------------------


def chunks(items: Sequence[Item], per_page: int) -> list[list[Item]]:
    """``items`` in pages of ``per_page``; an empty list is one empty page, so it has a home."""
    if per_page < 1:
        raise BuildError(f"items_per_page must be at least 1, got {per_page}")
    return [list(items[start : start + per_page]) for start in range(0, len(items), per_page)] or [
        []
    ]


def page_numbers(count: int, current: int) -> list[int | None]:
    """The page numbers to show (1-based), None marking a gap: first, last, and a window."""
    shown = {1, count, *range(current - PAGE_WINDOW, current + PAGE_WINDOW + 1)}
    numbers = sorted(number for number in shown if 1 <= number <= count)
    result: list[int | None] = []
    for number in numbers:
        if result and number - (result[-1] or 0) == 2:
            result.append(number - 1)  # a gap of one page is shown as that page
        elif result and number - (result[-1] or 0) > 2:
            result.append(None)
        result.append(number)
    return result


def pagination_view(paths: Sequence[str], index: int) -> View | None:
    """Previous/next and page-number links for page ``index`` (0-based); None for one page."""
    if len(paths) < 2:
        return None
    current = index + 1
    return {
        "number": current,
        "count": len(paths),
        "previous": paths[index - 1] if index > 0 else None,
        "next": paths[index + 1] if current < len(paths) else None,
        "links": [
            {"gap": True}
            if number is None
            else {
                "gap": False,
                "number": number,
                "href": paths[number - 1],
                "current": number == current,
            }
            for number in page_numbers(len(paths), current)
        ],
    }


def paginated(
    first: str, heading: str, items: Sequence[Item], per_page: int
) -> list[tuple[str, list[Item], View]]:
    """(path, the page's items, shared page data) for each page of one list."""
    parts = chunks(items, per_page)
    paths = [urls.paged_path(first, number) for number in range(1, len(parts) + 1)]
    pages = []
    start = 0
    for index, part in enumerate(parts):
        title = heading if index == 0 else f"{heading}, page {index + 1} of {len(parts)}"
        frame: View = {
            "page_title": title,
            "heading": heading,
            "total": len(items),
            "range_text": _range_text(start, len(part), len(items), len(parts)),
            "pagination": pagination_view(paths, index),
        }
        pages.append((paths[index], part, frame))
        start += len(part)
    return pages


def _range_text(start: int, size: int, total: int, page_count: int) -> str | None:
    if page_count < 2:
        return None
    return f"Showing {start + 1}–{start + size} of {total}."


# --- article lists ----------------------------------------------------------------------------


def front_pages(ordered: Sequence[Article], summaries: Mapping[str, View], per_page: int) -> Paged:
    """The front page and its continuation pages: every article, newest first."""
    return [
        (path, {**frame, "articles": [summaries[article.id] for article in part]})
        for path, part, frame in paginated(urls.INDEX, "Articles", ordered, per_page)
    ]


def article_list_pages(
    first: str,
    heading: str,
    lead: str,
    articles: Sequence[Article],
    summaries: Mapping[str, View],
    per_page: int,
    up: View,
) -> Paged:
    """A paginated list of article cards under a heading, a one-line explanation and a link
    ``up`` (href and text) to the list it belongs to."""
    return [
        (
            path,
            {**frame, "lead": lead, "up": up, "articles": [summaries[item.id] for item in part]},
        )
        for path, part, frame in paginated(first, heading, articles, per_page)
    ]


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """ "1 article", "2 articles"; ``plural`` for nouns that do not just add an s ("entries")."""
    if count == 1:
        return f"{count} {noun}"
    return f"{count} {plural if plural is not None else noun + 's'}"


# --- the date archive -------------------------------------------------------------------------


def month_of(article: Article) -> int:
    """The article's month 1-12, or 0 when only the year (or a malformed month) is known."""
    key = date_key(article.published)
    return key[1] if key is not None and 1 <= key[1] <= 12 else 0


def split_by_year(ordered: Sequence[Article]) -> tuple[dict[int, list[Article]], list[Article]]:
    """Articles by year (newest year first, months newest first, month unknown last) and the
    undated ones, each keeping the newest-first order of ``ordered``."""
    years: dict[int, list[Article]] = {}
    undated: list[Article] = []
    for article in ordered:
        key = date_key(article.published)
        if key is None:
            undated.append(article)
        else:
            years.setdefault(key[0], []).append(article)
    for items in years.values():
        items.sort(key=lambda article: (month_of(article) == 0, -month_of(article)))
    return years, undated


def year_label(year: int) -> str:
    return str(year) if year > 0 else f"{1 - year} BCE"


def month_heading(year: int, month: int) -> str:
    if month == 0:
        return f"{year_label(year)}, month unknown"
    return f"{month_name(month)} {year_label(year)}"


def month_anchor(month: int) -> str:
    return f"month-{month:02d}" if month else "month-unknown"


def year_pages(
    year: int, articles: Sequence[Article], summaries: Mapping[str, View], per_page: int
) -> tuple[Paged, list[View]]:
    """The pages of one year, articles grouped by month; and, for the archive index, each
    month with its count and a link to the page where the month starts."""
    label = year_label(year)
    lead = f"{counted(len(articles), 'article')} published in {label}, newest first."
    pages: Paged = []
    months: dict[int, View] = {}
    for path, part, frame in paginated(urls.archive_year_path(year), label, articles, per_page):
        groups: list[View] = []
        for article in part:
            month = month_of(article)
            if not groups or groups[-1]["month"] != month:
                groups.append(month_group(year, month, continued=month in months))
                months.setdefault(month, month_link(month, path))
            groups[-1]["articles"].append(summaries[article.id])
            months[month]["count"] += 1
        pages.append((path, {**frame, "lead": lead, "months": groups}))
    return pages, list(months.values())


def month_group(year: int, month: int, continued: bool, items: str = "articles") -> View:
    """A month heading on a year page (archive or timeline), collecting its ``items``."""
    heading = month_heading(year, month)
    return {
        "month": month,
        "heading": f"{heading} (continued)" if continued else heading,
        "anchor": month_anchor(month),
        items: [],
    }


def month_link(month: int, path: str) -> View:
    """A month on an index: its name, the page and anchor where it starts, and a count."""
    return {
        "label": month_name(month) if month else MONTH_UNKNOWN,
        "href": urls.with_fragment(path, month_anchor(month)),
        "count": 0,
    }


def archive_pages(
    ordered: Sequence[Article], summaries: Mapping[str, View], per_page: int
) -> tuple[View, Paged, Paged]:
    """The archive index, the pages of every year, and the date-unknown pages (maybe none)."""
    years, undated = split_by_year(ordered)
    pages: Paged = []
    entries: list[View] = []
    for year, articles in years.items():
        year_paged, months = year_pages(year, articles, summaries, per_page)
        pages.extend(year_paged)
        entries.append(
            {
                "label": year_label(year),
                "anchor": f"year-{slugify(year_label(year))}",
                "href": urls.archive_year_path(year),
                "count": len(articles),
                "months": months,
            }
        )
    index: View = {
        "page_title": "Archive",
        "total": len(ordered),
        "years": entries,
        "undated": {"href": urls.ARCHIVE_UNDATED, "count": len(undated)} if undated else None,
    }
    lead = "Articles whose publication date is not known, by id."
    undated_pages = (
        article_list_pages(
            urls.ARCHIVE_UNDATED,
            DATE_UNKNOWN,
            lead,
            undated,
            summaries,
            per_page,
            {"href": urls.ARCHIVE, "text": "All years"},
        )
        if undated
        else []
    )
    return index, pages, undated_pages


# --- entities by type -------------------------------------------------------------------------


def by_mentions(entities: Sequence[IndexedEntity]) -> list[IndexedEntity]:
    """Most mentioned first, then by name; the id breaks any remaining tie."""
    return sorted(
        entities,
        key=lambda entity: (-entity.mention_count, entity.name.casefold(), entity.name, entity.id),
    )


def entity_item(entity: IndexedEntity) -> View:
    return {
        "name": entity.name,
        "href": urls.entity_path(entity.id),
        "type_label": TYPE_LABELS[entity.type],
        "mention_count": entity.mention_count,
        "article_count": len(entity.articles),
    }


def _entities_of(
    entity_index: Mapping[str, IndexedEntity],
) -> dict[EntityType, list[IndexedEntity]]:
    by_type: dict[EntityType, list[IndexedEntity]] = {entity_type: [] for entity_type in EntityType}
    for entity in entity_index.values():
        by_type[entity.type].append(entity)
    return by_type


def entity_type_pages(entity_index: Mapping[str, IndexedEntity], per_page: int) -> Paged:
    """people.html, organisations.html and places.html, most mentioned first, paginated."""
    by_type = _entities_of(entity_index)
    pages: Paged = []
    for listing in ENTITY_LISTS:
        members = by_mentions([entity for kind in listing.types for entity in by_type[kind]])
        pages.extend(
            (
                path,
                {
                    **frame,
                    "lead": listing.lead,
                    "show_type": len(listing.types) > 1,
                    "entities": [entity_item(entity) for entity in part],
                },
            )
            for path, part, frame in paginated(listing.path, listing.heading, members, per_page)
        )
    return pages


def entities_view(entity_index: Mapping[str, IndexedEntity]) -> View:
    """The entities page: the type pages with their counts, then the smaller types in full."""
    by_type = _entities_of(entity_index)
    return {
        "page_title": "Entities",
        "lists": [
            {
                "heading": listing.heading,
                "href": listing.path,
                "count": sum(len(by_type[kind]) for kind in listing.types),
            }
            for listing in ENTITY_LISTS
        ],
        "groups": [
            {
                "heading": TYPE_HEADINGS[kind],
                "anchor": f"type-{kind.value.lower()}",
                "entities": [entity_item(entity) for entity in by_mentions(by_type[kind])],
            }
            for kind in INLINE_TYPES
            if by_type[kind]
        ],
    }


# --- publishers -------------------------------------------------------------------------------


def publisher_heading(publisher: Publisher) -> str:
    return publisher.name if publisher.name is not None else UNKNOWN_PUBLISHER


def publishers_view(publishers: Sequence[Publisher]) -> View:
    """publishers.html: every publisher with its article count, unknown publisher last."""
    return {
        "page_title": "Publishers",
        "publishers": [
            {
                "name": publisher_heading(publisher),
                "unknown": publisher.name is None,
                "href": urls.publisher_path(publisher.slug),
                "count": len(publisher.articles),
            }
            for publisher in publishers
        ],
    }


def publisher_pages(
    publishers: Sequence[Publisher],
    summaries: Mapping[str, View],
    per_page: int,
) -> Paged:
    """publishers/<slug>.html (and its continuation pages) per publisher, newest first."""
    pages: Paged = []
    for publisher in publishers:
        lead = (
            "Articles that name no publisher, newest first."
            if publisher.name is None
            else f"Articles published by {publisher.name}, newest first."
        )
        pages.extend(
            article_list_pages(
                urls.publisher_path(publisher.slug),
                publisher_heading(publisher),
                lead,
                newest_first(publisher.articles),
                summaries,
                per_page,
                {"href": urls.PUBLISHERS, "text": "All publishers"},
            )
        )
    return pages


def publisher_links(publishers: Sequence[Publisher]) -> dict[str, str]:
    """Article id -> its publisher's page, for the link on the article page."""
    return {
        article.id: urls.publisher_path(publisher.slug)
        for publisher in publishers
        for article in publisher.articles
    }
