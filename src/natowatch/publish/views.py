"""Records to plain dicts for the templates, so templates never reach into dataclasses.

All wording for unknown facts and all date formatting happens here, explicitly in English and
never through the locale, so a build gives the same bytes on every machine. Link targets are
site-relative paths from ``natowatch.publish.urls``; the templates turn them into relative links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from natowatch.core.ids import slugify
from natowatch.core.memory import SameObjects, archive_cache
from natowatch.core.model import Article, EntityType, HeadlineSource, Zone
from natowatch.core.snippets import first_sentence, html_to_text
from natowatch.corpus.index import IndexedEntity, TimelineEntry, date_key
from natowatch.publish import urls

View = dict[str, Any]

# Longer reader-comment threads start collapsed so the article stays the focus of its page.
COMMENTS_SHOWN_OPEN = 3
UNKNOWN = "unknown"
DATE_UNKNOWN = "Date unknown"

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
TYPE_HEADINGS: Mapping[EntityType, str] = {
    EntityType.PERSON: "People",
    EntityType.ORG: "Organisations",
    EntityType.GPE: "Countries and cities",
    EntityType.LOC: "Other places",
    EntityType.EVENT: "Named events",
    EntityType.OTHER: "Other",
}
TYPE_LABELS: Mapping[EntityType, str] = {
    EntityType.PERSON: "Person",
    EntityType.ORG: "Organisation",
    EntityType.GPE: "Country or city",
    EntityType.LOC: "Place",
    EntityType.EVENT: "Named event",
    EntityType.OTHER: "Other",
}
_WIKIDATA_ID = re.compile(r"Q[1-9][0-9]*")
_TYPE_ORDER = {entity_type: position for position, entity_type in enumerate(EntityType)}


def month_name(month: int) -> str:
    """The English name of a month 1-12, independent of the locale."""
    return _MONTHS[month - 1]


def format_date(date: str | None) -> str:
    """The date in words at its own precision: 4 May 2016, May 2016 or 2016; None is unknown.

    Text that is not an ISO date is shown as it is rather than guessed at.
    """
    key = date_key(date)
    if date is None:
        return DATE_UNKNOWN
    if key is None:
        return date
    year, month, day = key
    year_text = str(year) if year > 0 else f"{1 - year} BCE"
    if not 1 <= month <= 12:
        return year_text
    if day:
        return f"{day} {_MONTHS[month - 1]} {year_text}"
    return f"{_MONTHS[month - 1]} {year_text}"


def machine_date(date: str | None) -> str | None:
    """The value for a ``<time datetime>`` attribute, or None when the date is not ISO."""
    key = date_key(date)
    if key is None or key[0] < 1:
        return None
    year, month, day = key
    text = f"{year:04d}"
    if month:
        text += f"-{month:02d}"
        if day:
            text += f"-{day:02d}"
    return text


def external_link(url: str | None) -> str | None:
    """The URL if it is safe to link to (http or https with a host), otherwise None."""
    if not url or any(char.isspace() or ord(char) < 32 for char in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def wikidata_link(item: str | None) -> str | None:
    """The Wikidata page of an item id such as "Q7184"; None for anything else."""
    if item is None or _WIKIDATA_ID.fullmatch(item) is None:
        return None
    return f"https://www.wikidata.org/wiki/{item}"


def join_names(names: Sequence[str]) -> str:
    """Names as prose: A; A and B; A, B and C."""
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """Dated articles newest first, then undated ones; ties broken by id.

    Remembered for the very same records, in whatever order they come: the front page, the
    feeds and an entity's every page ask for the same orders in every build (6 ms for 5,000
    articles, 60 ms a rebuild in all)."""
    return list(_newest_first(SameObjects(sorted(articles, key=id))))


@archive_cache(maxsize=64)
def _newest_first(given: SameObjects[Article]) -> tuple[Article, ...]:
    by_id = {article.id: article for article in given.items}
    slot = _last_order(frozenset(by_id))
    if slot and len(by_id) == len(given.items) and _same_dates(slot[0], by_id):
        order = tuple(by_id[article.id] for article in slot[0])
    else:
        order = _sorted_newest_first(given.items)
    slot[:] = [order]
    return order


@archive_cache(maxsize=64)
def _last_order(ids: frozenset[str]) -> list[tuple[Article, ...]]:
    """A slot for the last order made of records with these ids: after an edit, the records
    of a frequent entity are the same but for the edited one, and its place in the order is
    the same while its date is (sorting again was 0.03 s of each rebuild at 5,000 articles)."""
    return []


def _same_dates(order: Sequence[Article], by_id: Mapping[str, Article]) -> bool:
    """Whether each record of ``order`` has the date of its namesake in ``by_id``."""
    return all(
        by_id[article.id] is article or by_id[article.id].published == article.published
        for article in order
    )


def _sorted_newest_first(articles: Iterable[Article]) -> tuple[Article, ...]:
    return tuple(sorted(articles, key=newest_first_key))


def newest_first_key(article: Article) -> tuple[int, int, int, int, str]:
    """``newest_first``'s order as a sort key: dated records first, newest date first (a date
    known to the year only after that year's months and days), then the undated; ties by id.
    A total order, so any subset of the records sorts as ``newest_first`` orders it."""
    date = date_key(article.published)
    if date is None:
        return (1, 0, 0, 0, article.id)
    year, month, day = date
    return (0, -year, -month, -day, article.id)


def paragraph_texts(article: Article) -> list[str]:
    """Each body paragraph as plain text (rendered Markdown stripped of its tags)."""
    if article.body_html is not None:
        return list(_html_texts(article.body_html))
    return [" ".join(paragraph.split()) for paragraph in article.body]


def lede_text(article: Article) -> str:
    """The first non-empty body paragraph as plain text (only as many paragraphs as needed
    are converted: every article page and listing asks for it)."""
    if article.body_html is not None:
        texts = (_html_text(html) for html in article.body_html)
        return next((text for text in texts if text), "")
    paragraphs = (" ".join(paragraph.split()) for paragraph in article.body)
    return next((text for text in paragraphs if text), "")


@archive_cache(maxsize=1 << 15)
def _html_text(html: str) -> str:
    """One paragraph's text, remembered: the listings of every build ask for every article's
    lede, and a cache of whole bodies smaller than the archive missed on every one of them."""
    return html_to_text(html)


@archive_cache(maxsize=4096)
def _html_texts(body_html: tuple[str, ...]) -> tuple[str, ...]:
    """Remembered: an article's listing, page, description and JSON-LD all ask, and parsing
    the HTML again each time was a tenth of a rebuild's rendering."""
    return tuple(html_to_text(html) for html in body_html)


def article_link(article: Article) -> View:
    """What a link to an article shows: headline, publisher and date."""
    return {
        "headline": article.headline,
        "href": urls.article_path(article.slug),
        "publisher": article.publisher or UNKNOWN,
        "date_text": format_date(article.published),
        "datetime": machine_date(article.published),
    }


def article_summary(article: Article) -> View:
    """What a listing shows about an article: headline, publisher, date and first sentence."""
    lede = lede_text(article)
    return {
        "id": article.id,
        "headline": article.headline,
        "href": urls.article_path(article.slug),
        "publisher": article.publisher or UNKNOWN,
        "date_text": format_date(article.published),
        "datetime": machine_date(article.published),
        "first_sentence": first_sentence(lede),
    }


def headline_note(article: Article) -> str | None:
    """A short provenance note when natowatch, not the outlet, wrote the headline."""
    if article.headline_source != HeadlineSource.DERIVED:
        return None
    if article.url and slugify(article.headline) in article.url.lower():
        return "Headline derived from the URL; the text has none."
    return "Headline derived from the opening text; the article has none."


def article_view(article: Article, entity_index: Mapping[str, IndexedEntity]) -> View:
    """Everything the article page shows, in reading order."""
    link = external_link(article.url)
    return {
        "page_title": article.headline,
        "id": article.id,
        "headline": article.headline,
        "headline_note": headline_note(article),
        "byline": join_names(article.authors) or article.byline or UNKNOWN,
        "publisher": article.publisher or UNKNOWN,
        "date_text": format_date(article.published),
        "datetime": machine_date(article.published),
        **_updated_view(article),
        "original_href": link,
        "original_text": None if link else article.url,
        "dateline": article.dateline.text if article.dateline else None,
        "figures": [
            {
                "anchor": urls.figure_fragment(position),
                "title": image.title,
                "caption": image.caption,
                "credit": image.credit,
            }
            for position, image in enumerate(article.images)
        ],
        "blocks": _body_blocks(article),
        "author_bio": article.author_bio,
        "tags": sorted(set(article.tags)),
        "entities": _article_entities(article, entity_index),
        "comments": _comments(article),
        "comments_collapsed": len(article.comments) > COMMENTS_SHOWN_OPEN,
        "comments_closed": article.comments_closed,
        "boilerplate": [
            {"kind": item.kind.value, "text": item.text, "line": item.line}
            for item in sorted(article.boilerplate, key=lambda item: (item.line, item.text))
        ],
    }


def _updated_view(article: Article) -> View:
    """The day the article was last changed (front matter ``lastmod``/``updated``), when it
    is a date and not the day it was published."""
    updated = article.extra.get("updated")
    day = updated[:10] if isinstance(updated, str) else None
    if day is None or machine_date(day) is None or day == article.published:
        return {"updated_text": None, "updated_datetime": None}
    return {"updated_text": format_date(day), "updated_datetime": machine_date(day)}


def _body_blocks(article: Article) -> list[View]:
    """Section headings and paragraphs interleaved; each paragraph carries its pN anchor."""
    paragraphs: Sequence[str] = article.body if article.body_html is None else article.body_html
    headings: dict[int, list[str]] = {}
    for section in sorted(article.sections, key=lambda item: item.paragraph):
        at = min(max(section.paragraph, 0), len(paragraphs))
        headings.setdefault(at, []).append(section.heading)
    blocks: list[View] = []
    section_number = 0
    for position in range(len(paragraphs) + 1):
        for heading in headings.get(position, []):
            section_number += 1
            blocks.append(
                {"kind": "heading", "text": heading, "anchor": f"section-{section_number}"}
            )
        if position == len(paragraphs):
            break
        is_html = article.body_html is not None
        blocks.append(
            {
                "kind": "paragraph",
                "anchor": urls.paragraph_fragment(position),
                "text": None if is_html else paragraphs[position],
                "html": paragraphs[position] if is_html else None,
            }
        )
    return blocks


def _article_entities(article: Article, entity_index: Mapping[str, IndexedEntity]) -> list[View]:
    """The article's entities by type then name, under their merged (site-wide) names."""
    mention_counts: dict[str, int] = {}
    local: dict[str, tuple[str, EntityType]] = {}
    for entity in article.entities:
        mention_counts[entity.id] = mention_counts.get(entity.id, 0) + len(entity.mentions)
        merged = entity_index.get(entity.id)
        local.setdefault(
            entity.id, (merged.name, merged.type) if merged else (entity.name, entity.type)
        )
    ordered = sorted(
        local, key=lambda key: (_TYPE_ORDER[local[key][1]], local[key][0].casefold(), key)
    )
    return [
        {
            "name": local[entity_id][0],
            "type_label": TYPE_LABELS[local[entity_id][1]],
            "href": urls.entity_path(entity_id),
            "mention_count": mention_counts[entity_id],
        }
        for entity_id in ordered
    ]


def _comments(article: Article) -> list[View]:
    return [
        {
            "anchor": urls.comment_fragment(position),
            "number": comment.number,
            "author": comment.author,
            "timestamp": comment.timestamp,
            "addressee": comment.addressee,
            "paragraphs": [line.strip() for line in comment.text.splitlines() if line.strip()],
        }
        for position, comment in enumerate(article.comments)
    ]


def where_in_article(article: Article, zone: Zone, position: int) -> tuple[str, str]:
    """(site-relative target, human description) of a paragraph, caption or comment."""
    page = urls.article_path(article.slug)
    paragraph_count = len(article.body if article.body_html is None else article.body_html)
    if zone == Zone.BODY and 0 <= position < paragraph_count:
        return urls.with_fragment(page, urls.paragraph_fragment(position)), (
            f"paragraph {position + 1}"
        )
    if zone == Zone.CAPTION and 0 <= position < len(article.images):
        return urls.with_fragment(page, urls.figure_fragment(position)), (
            f"caption of image {position + 1}"
        )
    if zone == Zone.COMMENT and 0 <= position < len(article.comments):
        return urls.with_fragment(page, urls.comment_fragment(position)), (
            f"reader comment {article.comments[position].number}"
        )
    return page, "the article"


def timeline_entry_view(entry: TimelineEntry) -> View:
    """One timeline entry: its date as written and resolved, its sentence and where it is from."""
    article = entry.article
    event = entry.event
    if event is None:
        return {
            "kind": "publication",
            "date_text": format_date(entry.date),
            "datetime": machine_date(entry.date),
            "expression": None,
            "qualifier": None,
            "resolved": entry.date is not None,
            "sentence": f"Published by {article.publisher or 'an unknown publisher'}",
            "headline": article.headline,
            "href": urls.article_path(article.slug),
            "where": "the article",
        }
    href, where = where_in_article(article, event.zone, event.paragraph)
    return {
        "kind": "event",
        "date_text": format_date(entry.date),
        "datetime": machine_date(entry.date),
        "expression": event.expression,
        "qualifier": event.qualifier,
        "resolved": event.resolved and entry.date is not None,
        "sentence": event.sentence,
        "headline": article.headline,
        "href": href,
        "where": where,
    }
