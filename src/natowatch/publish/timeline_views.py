"""The timeline as bounded pages: an index of years, a paginated page per year, and the undated.

One page holding every event of every article grows without limit (33 MB at 1,000 articles),
so the timeline is cut by year and each year into pages of a fixed number of entries. Every
entry lands on exactly one page and is viewed once, so the whole is linear in the archive.
Each function returns ``(site path, template data)`` pairs, like ``browse_views``.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from natowatch.corpus.index import Timeline, TimelineEntry, date_key
from natowatch.publish import urls
from natowatch.publish.browse_views import (
    Paged,
    counted,
    month_group,
    month_link,
    paginated,
    year_label,
)
from natowatch.publish.views import View, timeline_entry_view

# A timeline entry is a few lines, far shorter than an article card, so a timeline page holds
# this many times ``items_per_page`` entries: 100 with the default of 20.
TIMELINE_PAGE_FACTOR = 5
UNDATED_HEADING = "Timeline: undated or unresolved"
UNDATED_LEAD = (
    "Dates the archive could not pin down: relative expressions without an anchor, and "
    "articles whose publication date is unknown."
)


def timeline_per_page(items_per_page: int) -> int:
    """Entries on one timeline page for the configured ``items_per_page``."""
    return items_per_page * TIMELINE_PAGE_FACTOR


def entry_year(entry: TimelineEntry) -> int:
    """The year of a dated entry (the timeline only calls this for dated ones)."""
    key = date_key(entry.date)
    return key[0] if key is not None else 0


def entry_month(entry: TimelineEntry) -> int:
    """The entry's month 1-12, or 0 when only the year (or a malformed month) is known."""
    key = date_key(entry.date)
    return key[1] if key is not None and 1 <= key[1] <= 12 else 0


def split_by_year(dated: Sequence[TimelineEntry]) -> dict[int, list[TimelineEntry]]:
    """Dated entries by year, earliest year first, keeping the timeline's order within a year.

    Entries known only to the year (and any malformed month) come first in their year, in one
    group, so a month heading and its anchor never appear twice on a page.
    """
    years: dict[int, list[TimelineEntry]] = {}
    for entry in dated:
        years.setdefault(entry_year(entry), []).append(entry)
    for entries in years.values():
        entries.sort(key=entry_month)  # stable: chronological order kept within each month
    return dict(sorted(years.items()))


def split_sorted_by_year(dated: Sequence[TimelineEntry]) -> dict[int, list[TimelineEntry]]:
    """``split_by_year`` for entries in the timeline's order (``Timeline.dated``: sorted by
    ``date_key``), found by bisection instead of asking each entry its year and month: 55,000
    entries at 5,000 articles, 0.1 s of every ``serve`` rebuild.

    In that order a year's entries are together, and within it those known only to the year
    come first, then months 1 to 12, then any malformed month (which ``split_by_year`` moves to
    the front, after the year-only ones)."""
    years: dict[int, list[TimelineEntry]] = {}
    start = 0
    while start < len(dated):
        year = entry_year(dated[start])
        end = bisect.bisect_right(dated, year, start, key=entry_year)
        items = dated[start:end]
        plain = bisect.bisect_right(items, 0, key=_month_as_written)
        malformed = bisect.bisect_left(items, 13, plain, key=_month_as_written)
        years[year] = [*items[:plain], *items[malformed:], *items[plain:malformed]]
        start = end
    return years


def _month_as_written(entry: TimelineEntry) -> int:
    key = date_key(entry.date)
    return key[1] if key is not None else 0


# How an entry appears in a page's data: ``timeline_entry_view``, or the entry itself as a
# placeholder (``plan.timeline_group`` keys the pages by their entries and views only the
# pages it renders; ``with_entry_views``).
EntryView = Callable[[TimelineEntry], Any]
# How a year's pages are made: ``year_pages`` (``plan.timeline_group`` may reuse them).
YearPages = Callable[[int, Sequence[TimelineEntry], int, View, EntryView], tuple[Paged, list[View]]]


@dataclass
class KeptYear:
    """One year's timeline pages (entries as placeholders) and months, with the pages' input
    keys once made (``plan.timeline_group``, in ``serve``)."""

    pages: Paged
    months: list[View]
    keys: dict[str, str] = field(default_factory=dict)


def timeline_pages(
    timeline: Timeline,
    per_page: int,
    view: EntryView = timeline_entry_view,
    make_year: YearPages | None = None,
) -> tuple[View, Paged, Paged]:
    """timeline.html's data, the pages of every year, and the undated pages (maybe none).

    ``make_year`` (default ``year_pages``) makes one year's pages."""
    make_year = make_year or year_pages
    years = split_sorted_by_year(timeline.dated)
    neighbours = _year_neighbours(list(years))
    pages: Paged = []
    entries: list[View] = []
    # A timeline that fits on one page is also shown whole on the index, so a small archive's
    # readers see its events at once; a large one's index stays a bounded list of years.
    whole = len(timeline.dated) + len(timeline.undated) <= per_page
    for year, items in years.items():
        year_paged, months = make_year(year, items, per_page, neighbours[year], view)
        pages.extend(year_paged)
        entries.append(_year_entry(year, len(items), months))
        entries[-1]["groups"] = year_paged[0][1]["months"] if whole else []
    undated = undated_pages(timeline.undated, per_page, view)
    index: View = {
        "whole": whole,
        "undated_entries": undated[0][1]["entries"] if whole and undated else [],
        "page_title": "Timeline",
        "total": len(timeline.dated) + len(timeline.undated),
        "years": entries,
        "undated": (
            {"href": urls.TIMELINE_UNDATED, "count": len(timeline.undated)}
            if timeline.undated
            else None
        ),
    }
    return index, pages, undated


def _year_entry(year: int, count: int, months: list[View]) -> View:
    """One year on the timeline index: its link, its entry count and its months."""
    return {
        "label": year_label(year),
        "anchor": f"year-{urls.year_name(year)}",
        "href": urls.timeline_year_path(year),
        "count": count,
        "months": months,
    }


def _year_neighbours(years: Sequence[int]) -> dict[int, View]:
    """The previous and next year that have entries, so a reader can go on through time."""
    links = [{"label": year_label(year), "href": urls.timeline_year_path(year)} for year in years]
    return {
        year: {
            "previous": links[position - 1] if position > 0 else None,
            "next": links[position + 1] if position + 1 < len(links) else None,
        }
        for position, year in enumerate(years)
    }


def year_pages(
    year: int,
    entries: Sequence[TimelineEntry],
    per_page: int,
    neighbours: View,
    view: EntryView = timeline_entry_view,
) -> tuple[Paged, list[View]]:
    """The pages of one year, grouped by month; and, for the index, each month with its count
    and a link to the page where the month starts."""
    label = year_label(year)
    lead = f"{counted(len(entries), 'entry', 'entries')} dated {label}, earliest first."
    first = urls.timeline_year_path(year)
    pages: Paged = []
    months: dict[int, View] = {}
    for path, part, frame in paginated(first, f"Timeline: {label}", entries, per_page):
        groups: list[View] = []
        for entry in part:
            month = entry_month(entry)
            if not groups or groups[-1]["month"] != month:
                groups.append(month_group(year, month, continued=month in months, items="entries"))
                months.setdefault(month, month_link(month, path))
            groups[-1]["entries"].append(view(entry))
            months[month]["count"] += 1
        pages.append((path, {**frame, **neighbours, "lead": lead, "months": groups}))
    return pages, list(months.values())


def undated_pages(
    undated: Sequence[TimelineEntry], per_page: int, view: EntryView = timeline_entry_view
) -> Paged:
    """timeline/undated.html and its continuation pages; none when every entry has a date."""
    if not undated:
        return []
    lead = f"{counted(len(undated), 'entry', 'entries')}. {UNDATED_LEAD}"
    return [
        (path, {**frame, "lead": lead, "entries": [view(entry) for entry in part]})
        for path, part, frame in paginated(
            urls.TIMELINE_UNDATED, UNDATED_HEADING, undated, per_page
        )
    ]


def as_placeholder(entry: TimelineEntry) -> TimelineEntry:
    """The entry itself in place of its view (``EntryView``)."""
    return entry


def with_entries(data: Any, view: EntryView) -> Any:
    """``data`` (pages made with ``as_placeholder``) with each entry replaced by ``view(entry)``."""
    if isinstance(data, TimelineEntry):
        return view(data)
    if isinstance(data, dict):
        return {key: with_entries(value, view) for key, value in data.items()}
    if isinstance(data, list):
        if data and isinstance(data[0], TimelineEntry):  # a page's entries: no deeper walk
            return [view(item) if isinstance(item, TimelineEntry) else item for item in data]
        return [with_entries(item, view) for item in data]
    if isinstance(data, tuple):
        return tuple(with_entries(item, view) for item in data)
    return data
