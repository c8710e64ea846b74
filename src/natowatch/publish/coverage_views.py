"""Cross-article coverage as plain dicts for the templates: quotes, related articles, threads.

Kept apart from ``views`` (which shows one article or entity on its own) because these parts
need the whole archive and the ``Coverage`` computed from it. Links are site-relative targets,
as everywhere; a speaker links to an entity page only when that page exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from natowatch.core.model import Article, Quote
from natowatch.corpus.coverage import Coverage
from natowatch.corpus.index import IndexedEntity, SpokenQuote, date_key
from natowatch.corpus.quote_links import QuoteRef
from natowatch.publish import urls
from natowatch.publish.views import UNKNOWN, View, article_link, where_in_article

# Shared entities named next to a related article.
SHARED_SHOWN = 3
# Quotes on a speaker's entity page, newest first; a frequent speaker's page stays bounded.
SPEAKER_QUOTES_SHOWN = 20


# Articles shown on either side of this one in its story thread.
THREAD_WINDOW = 5
# A thread of more articles is called long, and its pages give no count or positions.
THREAD_COUNTED = 100


@dataclass(frozen=True)
class ThreadWindow:
    """What an article page shows of its story thread: the member ids around it, oldest
    first, and, unless the thread is long, how many members it has and where the window
    starts (1-based).

    A long thread's pages say neither: an article joining or leaving a thread of thousands
    (in the benchmark's archive one thread gathers 4,800 of 5,000 articles) would otherwise
    change every member's page, and an addition to the archive would render them all again.
    Its pages show their own neighbours only, and change only when those do."""

    members: tuple[str, ...]
    total: int | None
    first_position: int | None


def thread_window(article_id: str, coverage: Coverage) -> ThreadWindow | None:
    """The part of ``article_id``'s story thread its page shows; None outside any thread.
    The page's view and its key are both made from it."""
    thread = coverage.thread_of.get(article_id)
    if thread is None:
        return None
    here = coverage.thread_position.get(article_id, 0)
    start = max(0, here - THREAD_WINDOW)
    members = thread.articles[start : here + THREAD_WINDOW + 1]
    if len(thread.articles) > THREAD_COUNTED:
        return ThreadWindow(members, None, None)
    return ThreadWindow(members, len(thread.articles), start + 1)


def article_coverage_view(
    article: Article,
    coverage: Coverage,
    archive: Mapping[str, Article],
    entity_index: Mapping[str, IndexedEntity],
) -> View:
    """The article page's quotes, related coverage and story thread."""
    return {
        "quotes": [
            quote_view(article, position, quote, coverage, archive, entity_index)
            for position, quote in enumerate(article.quotes)
        ],
        "related": related_view(article, coverage, archive, entity_index),
        "thread": thread_view(article, coverage, archive),
    }


def entity_coverage_view(
    entity: IndexedEntity,
    coverage: Coverage,
    archive: Mapping[str, Article],
    entity_index: Mapping[str, IndexedEntity],
) -> View:
    """The entity page's quotes by this speaker: the ``SPEAKER_QUOTES_SHOWN`` newest (newest
    article first, in reading order within one), and how many there are in all."""
    spoken = sorted(entity.quotes, key=_newest_first)[:SPEAKER_QUOTES_SHOWN]
    views = [_spoken_view(item, coverage, archive, entity_index) for item in spoken]
    for number, view in enumerate(views, start=1):
        view["anchor"] = f"quote-{number}"  # one page lists quotes of many articles
    return {"speaker_quotes": views, "speaker_quote_count": len(entity.quotes)}


def _newest_first(item: SpokenQuote) -> tuple[bool, tuple[int, int, int], str, int]:
    """Dated articles newest first, then undated; within an article, in reading order."""
    key = date_key(item.article.published)
    newest = (-key[0], -key[1], -key[2]) if key else (0, 0, 0)
    return (key is None, newest, item.article.id, item.position)


def _spoken_view(
    item: SpokenQuote,
    coverage: Coverage,
    archive: Mapping[str, Article],
    entity_index: Mapping[str, IndexedEntity],
) -> View:
    return quote_view(item.article, item.position, item.quote, coverage, archive, entity_index)


def quote_view(
    article: Article,
    position: int,
    quote: Quote,
    coverage: Coverage,
    archive: Mapping[str, Article],
    entity_index: Mapping[str, IndexedEntity],
) -> View:
    """One quote: its words, who said it, where it is and who else reported it."""
    href, where = where_in_article(article, quote.zone, quote.paragraph)
    speaker = entity_index.get(quote.speaker_id) if quote.speaker_id else None
    also: list[View] = []
    for match in coverage.quote_links.get(QuoteRef(article.id, position), ()):
        other = archive.get(match.other.article_id)
        if other is None or match.other.position >= len(other.quotes):
            continue
        reported = other.quotes[match.other.position]
        other_href, other_where = where_in_article(other, reported.zone, reported.paragraph)
        also.append(
            {
                "headline": other.headline,
                "publisher": other.publisher or UNKNOWN,
                "href": other_href,
                "where": other_where,
            }
        )
    return {
        "anchor": f"quote-{position + 1}",
        "paragraphs": [part.strip() for part in quote.text.split("\n\n") if part.strip()],
        "speaker": speaker.name if speaker else quote.speaker,
        "speaker_href": urls.entity_path(speaker.id) if speaker else None,
        "headline": article.headline,
        "href": href,
        "where": where,
        "also": also,
    }


def related_view(
    article: Article,
    coverage: Coverage,
    archive: Mapping[str, Article],
    entity_index: Mapping[str, IndexedEntity],
) -> list[View]:
    """Related articles, most related first, each with a few entities it shares."""
    items: list[View] = []
    for related in coverage.related.get(article.id, ()):
        other = archive.get(related.article_id)
        if other is None:
            continue
        shared = [entity_index[key].name for key in related.shared_entities if key in entity_index]
        items.append({**article_link(other), "shared": shared[:SHARED_SHOWN]})
    return items


def thread_view(
    article: Article, coverage: Coverage, archive: Mapping[str, Article]
) -> View | None:
    """The story thread the article belongs to, in date order, around this article.

    A long-running story can gather hundreds of articles; every one of them listing all the
    others would make the site grow with the square of the archive, so each page shows the
    ``THREAD_WINDOW`` nearest articles on either side (``thread_window``): with how many
    there are in all, unless the thread is long.
    """
    window = thread_window(article.id, coverage)
    if window is None:
        return None
    return {
        "total": window.total,
        "counted": THREAD_COUNTED,
        "first_position": window.first_position,
        "articles": [
            {**article_link(archive[member]), "current": member == article.id}
            for member in window.members
            if member in archive
        ],
    }
