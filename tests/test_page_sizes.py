"""Pages stay bounded as the archive grows, and bounding them drops nothing.

A hand-made archive of 300 articles in which one person, one city and one speaker appear in
every article, each article carrying ten dated or undated events: unbounded, the timeline and
those entity pages would each hold thousands of entries.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from html_check import ParsedPage, parse, resolve_link
from natowatch.archive.config import Config
from natowatch.core.model import Article, Entity, EntityType, Event
from natowatch.corpus.index import build_entity_index
from natowatch.publish import urls
from natowatch.publish.check import check_site
from natowatch.publish.entity_views import EVENTS_SHOWN, MENTIONS_SHOWN
from natowatch.publish.render import render_site
from natowatch.publish.timeline_views import timeline_per_page
from site_factory import make_article, mention, quote

ARTICLES = 300
PARAGRAPHS = 8
EVENTS_PER_ARTICLE = 10
# The biggest page, in bytes. Unbounded, the timeline here is several megabytes and the
# speaker's entity page over one.
MAX_PAGE_BYTES = 120_000
STOLTENBERG = "person-jens-stoltenberg"
SAID = "We stand together"


def paragraph(number: int, position: int) -> str:
    return (
        f"In story {number} part {position}, Jens Stoltenberg spoke in Brussels about the "
        f"alliance. Officials there said: “{SAID} in part {position}.”"
    )


def published(number: int) -> str | None:
    """Three years of articles, one in thirty undated."""
    if number % 30 == 29:
        return None
    return f"{2014 + number % 3}-{1 + number % 12:02d}-{1 + number % 28:02d}"


def event(number: int, position: int, sentence: str) -> Event:
    """Ten events per article: day, month and year precision, and one not resolved."""
    label = f"label-{number:03d}-{position:02d}"
    year = 2010 + (number + position) % 8
    dates = [f"{year}-{1 + position:02d}-{1 + number % 28:02d}", f"{year}-{1 + position:02d}"]
    date = None if position == 9 else str(year) if position == 8 else dates[position % 2]
    return Event(
        date=date,
        precision="day",
        expression=label,
        sentence=sentence,
        paragraph=position % PARAGRAPHS,
        resolved=date is not None,
        entities=(STOLTENBERG,),
    )


def big_article(number: int) -> Article:
    body = tuple(paragraph(number, position) for position in range(PARAGRAPHS))
    entities = (
        Entity(
            STOLTENBERG,
            "Jens Stoltenberg",
            EntityType.PERSON,
            tuple(mention(text, "Jens Stoltenberg", at) for at, text in enumerate(body)),
        ),
        Entity(
            "gpe-brussels",
            "Brussels",
            EntityType.GPE,
            tuple(mention(text, "Brussels", at) for at, text in enumerate(body)),
        ),
        Entity(
            f"person-officer-{number % 7}",
            f"Officer {number % 7}",
            EntityType.PERSON,
            (mention(body[0], "Officials", 0),),
        ),
    )
    return make_article(
        id=f"{number:03d}_big",
        slug=f"big-story-{number:03d}",
        headline=f"Big story {number:03d}",
        published=published(number),
        body=body,
        sections=(),
        images=(),
        comments=(),
        entities=entities,
        events=tuple(event(number, at, body[at % PARAGRAPHS]) for at in range(EVENTS_PER_ARTICLE)),
        quotes=(quote(body[1], SAID, 1, "Jens Stoltenberg", STOLTENBERG),),
    )


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return [big_article(number) for number in range(ARTICLES)]


@pytest.fixture(scope="module")
def site(articles: list[Article]) -> dict[str, bytes]:
    return render_site(articles, Config())


@pytest.fixture(scope="module")
def pages(site: dict[str, bytes]) -> dict[str, ParsedPage]:
    return {path: parse(data) for path, data in site.items() if path.endswith(".html")}


def test_no_page_grows_with_the_archive(site: dict[str, bytes]) -> None:
    sizes = {path: len(data) for path, data in site.items() if path.endswith(".html")}
    biggest = max(sizes, key=lambda path: sizes[path])
    assert sizes[biggest] <= MAX_PAGE_BYTES, f"{biggest} is {sizes[biggest]:,} bytes"
    assert "timeline/2014/page-2.html" in site  # a year paginated
    assert "entities/person-jens-stoltenberg/page-15.html" in site  # 300 articles, 20 a page


def test_every_internal_link_and_anchor_resolves(
    site: dict[str, bytes], pages: dict[str, ParsedPage]
) -> None:
    broken = []
    for path, page in pages.items():
        for link in page.links():
            target, fragment = resolve_link(path, link)
            if target is None or target.startswith("pagefind/"):  # written by the indexer
                continue
            if target not in site:
                broken.append(f"{path}: {link}")
            elif fragment and target.endswith(".html") and fragment not in pages[target].ids:
                broken.append(f"{path}: missing anchor {link}")
    assert broken == []


def test_the_written_site_passes_check_site(site: dict[str, bytes], tmp_path: Path) -> None:
    for path, data in site.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    problems = [str(problem) for problem in check_site(tmp_path)]
    # Only the search indexer's files are missing: a real build writes them after rendering.
    assert [problem for problem in problems if "pagefind/" not in problem] == []


def _timeline_pages(site: dict[str, bytes]) -> dict[str, str]:
    return {
        path: data.decode("utf-8") for path, data in site.items() if path.startswith("timeline/")
    }


def test_every_timeline_entry_is_on_exactly_one_timeline_page(
    articles: list[Article], site: dict[str, bytes]
) -> None:
    pages = _timeline_pages(site)
    labels = Counter(
        label for html in pages.values() for label in re.findall(r"“(label-\d+-\d+)”", html)
    )
    expected = {event.expression for article in articles for event in article.events}
    assert set(labels) == expected and set(labels.values()) == {1}
    published = Counter(
        headline
        for html in pages.values()
        for headline in re.findall(r">(Big story \d+)</a>", html)
    )
    assert set(published) == {article.headline for article in articles}
    assert set(published.values()) == {1}
    per_page = timeline_per_page(Config().items_per_page)
    counts = [len(re.findall(r'class="timeline-entry ', html)) for html in pages.values()]
    assert max(counts) == per_page
    assert sum(counts) == ARTICLES * (EVENTS_PER_ARTICLE + 1)


def test_year_pages_are_in_date_order_and_the_index_counts_them(
    site: dict[str, bytes], pages: dict[str, ParsedPage]
) -> None:
    year_2014 = ["timeline/2014.html"] + [
        urls.paged_path("timeline/2014.html", number) for number in range(2, 30)
    ]
    dates = [
        stamp
        for path in year_2014
        if path in site
        for stamp in re.findall(r'<time datetime="([0-9-]+)"', site[path].decode("utf-8"))
    ]
    assert len(dates) > timeline_per_page(Config().items_per_page)
    assert dates == sorted(dates) and all(date.startswith("2014") for date in dates)
    index = " ".join(pages["timeline.html"].text.split())
    undated = ARTICLES // 30 + ARTICLES  # no publication date, and the unresolved events
    assert f"Undated or unresolved {undated} entries" in index


def _entity_pages(pages: dict[str, ParsedPage], entity_id: str) -> dict[str, ParsedPage]:
    first = urls.entity_path(entity_id)
    folder = first[: -len(".html")] + "/"
    return {path: page for path, page in pages.items() if path == first or path.startswith(folder)}


def test_every_article_naming_an_entity_is_listed_on_exactly_one_of_its_pages(
    articles: list[Article], pages: dict[str, ParsedPage]
) -> None:
    for entity in build_entity_index(articles).values():
        listed = Counter(
            resolve_link(path, str(link.get("href")))[0]
            for path, page in _entity_pages(pages, entity.id).items()
            for link in _heading_links(page)
        )
        expected = {urls.article_path(item.article.slug) for item in entity.articles}
        assert set(listed) == expected, entity.id
        assert set(listed.values()) == {1}, entity.id


def _heading_links(page: ParsedPage) -> list[dict[str, str | None]]:
    """The links inside the <h3> of each listed article (the page's only h3 elements)."""
    found = []
    inside = False
    for tag, attrs in page.tags:
        if tag == "h3":
            inside = True
        elif inside and tag == "a":
            found.append(attrs)
            inside = False
    return found


def test_entity_pages_cap_mentions_quotes_and_events(pages: dict[str, ParsedPage]) -> None:
    first = pages[urls.entity_path(STOLTENBERG)]
    text = " ".join(first.text.split())
    assert len(first.texts("mark")) == 20 * MENTIONS_SHOWN
    more = PARAGRAPHS - MENTIONS_SHOWN
    assert text.count(f"and {more} more mentions in this article, from paragraph 4") == 20
    assert f"Showing the newest 20 of {ARTICLES}." in text
    events = ARTICLES * EVENTS_PER_ARTICLE
    assert f"Showing {EVENTS_SHOWN} of {events} entries, the latest dated ones." in text
    assert f"{PARAGRAPHS * ARTICLES} mentions in {ARTICLES} articles" in text
    assert "Showing 1–20 of 300." in text
    later = pages["entities/person-jens-stoltenberg/page-2.html"]
    assert "Quotes" not in later.texts("h2") and "Dated events" not in later.texts("h2")
    assert later.texts("title")[0].startswith("Jens Stoltenberg, page 2 of 15 ·")
