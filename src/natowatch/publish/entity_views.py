"""Entity pages, bounded: a page of articles at a time, a few mentions each, a short timeline.

A frequent entity is named in most of the archive, so one page listing every mention in
context and every dated event grows with the archive (6 MB per entity at 1,000 articles).
Here the articles are paginated newest first, each shows its first ``MENTIONS_SHOWN`` mentions
and a pointer to the rest, and the entity's own timeline keeps its latest ``EVENTS_SHOWN``
entries with links to the full timeline's year pages. Every article naming the entity is still
listed on exactly one of its pages.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Collection, Mapping, Sequence

from natowatch.core.ids import entity_id
from natowatch.core.memory import SameObjects, archive_cache
from natowatch.core.model import Article
from natowatch.core.snippets import mention_snippet
from natowatch.corpus.index import (
    EntityInArticle,
    IndexedEntity,
    TimelineEntry,
    date_key,
    zone_text,
)
from natowatch.publish import urls
from natowatch.publish.browse_views import Paged, chunks, paginated, year_label
from natowatch.publish.views import (
    TYPE_LABELS,
    View,
    article_link,
    newest_first_key,
    timeline_entry_view,
    where_in_article,
    wikidata_link,
)

# Mentions shown in context per article; the article page has them all.
MENTIONS_SHOWN = 3
# Entries of the entity's own timeline shown on its first page; the rest are on the timeline.
EVENTS_SHOWN = 20
# Year links under the entity's timeline; the timeline index lists every year.
EVENT_YEARS_SHOWN = 30


def entity_pages(
    entity: IndexedEntity,
    entity_index: Mapping[str, IndexedEntity],
    per_page: int,
    first_page: View,
    only: Collection[str] | None = None,
    link: Callable[[Article], View] = article_link,
) -> Paged:
    """entities/<id>.html and its continuation pages, ``per_page`` articles each (``only``
    those at the given paths, when given); ``link`` gives each article's ``article_link``
    (``plan`` gives ``LinkTexts.view``: made once per record for every entity page listing it).

    ``first_page`` adds what only the first page shows (the quotes by this speaker), as does
    the entity's own timeline; the data is shared, and ``is_first_page`` tells the template
    whether to show it, so later pages hold just more articles.
    """
    about = {**entity_about(entity, entity_index), **entity_events_view(entity.events)}
    first = urls.entity_path(entity.id)
    appearances = newest_appearances(entity.articles)
    return [
        (
            path,
            {
                **frame,
                **about,
                **first_page,
                "is_first_page": path == first,
                "appearances": [appearance_view(item, link) for item in part],
            },
        )
        for path, part, frame in paginated(first, entity.name, appearances, per_page)
        if only is None or path in only
    ]


def entity_page_paths(entity: IndexedEntity, per_page: int) -> tuple[str, ...]:
    """The paths ``entity_pages`` gives, without making the pages' data."""
    count = max(1, -(-len(entity.articles) // per_page)) if per_page >= 1 else 0
    if count == 0:
        chunks(entity.articles, per_page)  # raises the configuration error
    return _paged_paths(entity.id, count)


@archive_cache(maxsize=1 << 15)
def _paged_paths(entity_id: str, count: int) -> tuple[str, ...]:
    """Remembered: every build plans every entity's pages (2,200 entities, 5,000 pages at
    5,000 articles), and few entities gain or lose a page."""
    first = urls.entity_path(entity_id)
    return tuple(urls.paged_path(first, number) for number in range(1, count + 1))


def newest_appearances(appearances: Sequence[EntityInArticle]) -> list[EntityInArticle]:
    """The entity's articles newest first (undated last, ties by id), as the front page.
    Remembered for the very same appearances: a changed entity's keys and its stale page
    both ask (1,400 appearances for a frequent entity at 5,000 articles)."""
    return list(_newest_appearances(SameObjects(appearances)))


@archive_cache(maxsize=64)
def _newest_appearances(given: SameObjects[EntityInArticle]) -> tuple[EntityInArticle, ...]:
    # By the order's key, not through ``newest_first`` (remembered orders, keyed by the very
    # records): for the thousands of entities a command-line build plans, that cost 0.25 s
    # at 5,000 articles where a key per appearance costs a fifth of it.
    return tuple(sorted(given.items, key=_newest_first_key))


def _newest_first_key(item: EntityInArticle) -> tuple[int, int, int, int, str]:
    return newest_first_key(item.article)


def entity_about(entity: IndexedEntity, entity_index: Mapping[str, IndexedEntity]) -> View:
    """What the entity is: shown at the top of each of its pages."""
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type.value,
        "type_label": TYPE_LABELS[entity.type],
        "description": entity.description,
        "wikidata": entity.wikidata,
        "wikidata_href": wikidata_link(entity.wikidata),
        "refers_to": _refers_to(entity, entity_index),
        "mention_count": entity.mention_count,
        "article_count": len(entity.articles),
    }


def _refers_to(entity: IndexedEntity, entity_index: Mapping[str, IndexedEntity]) -> View | None:
    """What a place stands for ("Government of Turkey"): linked when the archive has that
    entity (by id or by name), otherwise said in words."""
    refers_to = entity.refers_to
    if not refers_to:
        return None
    referred = referred_entity(entity, entity_index)
    if referred is not None and referred.id != entity.id:
        return {"name": referred.name, "href": urls.entity_path(referred.id)}
    return {"name": refers_to, "href": None}


def referred_entity(
    entity: IndexedEntity, entity_index: Mapping[str, IndexedEntity]
) -> IndexedEntity | None:
    """The archive's entity that ``entity.refers_to`` names (by id or by name), if any."""
    refers_to = entity.refers_to
    if not refers_to:
        return None
    return entity_index.get(refers_to) or entity_index.get(entity_id(refers_to))


def appearance_view(
    appearance: EntityInArticle, link: Callable[[Article], View] = article_link
) -> View:
    """One article on an entity page: its first mentions, and where the rest are. Each shown
    mention carries what its snippet is cut from (``cut``: its paragraph, the text its offsets
    point into, the offsets and the mention's text), and the template cuts it
    (``snippets.mention_snippet(*mention.cut)``, in the page workers: the main process makes
    every page's data, and the workers waited for it)."""
    article = appearance.article
    mentions: list[View] = []
    for mention in appearance.located[:MENTIONS_SHOWN]:
        href, where = where_in_article(article, mention.zone, mention.paragraph)
        paragraph = zone_text(article, mention.zone, mention.paragraph)
        mentions.append(
            {
                "cut": (paragraph, mention.start, mention.end, mention.text),
                "href": href,
                "where": where,
            }
        )
    return {
        **link(article),  # (copied: a shared link is never changed)
        "mention_count": appearance.mention_count,
        "mentions": mentions,
        "more": _more_mentions(appearance),
    }


def appearance_as_shown(appearance: EntityInArticle) -> View:
    """``appearance_view`` as the page shows it: each mention's snippet cut as the template
    cuts it, in place of its paragraph and offsets, so an edit elsewhere in a paragraph does
    not count as a change of the entity page (``page_inputs``)."""
    view = appearance_view(appearance)
    view["mentions"] = [
        (mention_snippet(*m["cut"]), m["href"], m["where"]) for m in view["mentions"]
    ]
    return view


def _more_mentions(appearance: EntityInArticle) -> View | None:
    """How many mentions are not shown, linked to the place where the first of them is."""
    hidden = appearance.located[MENTIONS_SHOWN:]
    if not hidden:
        return None
    href, where = where_in_article(appearance.article, hidden[0].zone, hidden[0].paragraph)
    return {"count": len(hidden), "href": href, "where": where}


def entity_events_view(events: Sequence[TimelineEntry]) -> View:
    """The entity's own timeline, bounded: all of it when short, else its latest dated entries.

    ``events`` is the entity's timeline (dated in order, then undated). When it is longer than
    ``EVENTS_SHOWN`` the latest dated entries are kept, in order, and undated ones fill any room
    left; links to the year pages of the full timeline lead to the rest.
    """
    # Dated first, so the split is found by bisection: a frequent entity has thousands of
    # entries, and those of each entity an edit reaches are viewed again on every rebuild.
    split = bisect.bisect_left(events, True, key=_undated)
    dated, undated = events[:split], events[split:]
    shown = list(dated[-EVENTS_SHOWN:])
    shown += undated[: EVENTS_SHOWN - len(shown)]
    note = None
    if len(shown) < len(events):
        note = f"Showing {len(shown)} of {len(events)} entries, the latest dated ones."
    return {
        "events": [timeline_entry_view(entry) for entry in shown],
        "event_count": len(events),
        "events_note": note,
        "event_years": event_years(dated, bool(undated)) if note else [],
    }


def _undated(entry: TimelineEntry) -> bool:
    return date_key(entry.date) is None


def _year(entry: TimelineEntry) -> int:
    key = date_key(entry.date)
    return key[0] if key is not None else 0


def event_years(dated: Sequence[TimelineEntry], has_undated: bool) -> list[View]:
    """The latest years with this entity's events (count each), linking the timeline's year
    pages, plus the undated page when some are undated. ``dated`` is in date order: each
    year's entries are found by bisection, from the last year back."""
    counts: dict[int, int] = {}
    end = len(dated)
    while end and len(counts) < EVENT_YEARS_SHOWN:
        year = _year(dated[end - 1])
        start = bisect.bisect_left(dated, year, 0, end, key=_year)
        counts[year] = end - start
        end = start
    years = sorted(counts)
    links = [
        {"label": year_label(year), "href": urls.timeline_year_path(year), "count": counts[year]}
        for year in years
    ]
    if has_undated:
        links.append({"label": "Undated", "href": urls.TIMELINE_UNDATED, "count": None})
    return links
