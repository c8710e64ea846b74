"""Browsing the archive: paginated front page, archive by date, entity types and publishers."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest

from html_check import ParsedPage, parse, resolve_link
from natowatch.archive.config import Config, load_config
from natowatch.archive.loader import load_archive
from natowatch.core.errors import BuildError
from natowatch.core.model import Article, Entity, EntityType
from natowatch.corpus.index import build_publisher_index
from natowatch.publish import urls
from natowatch.publish.browse_views import chunks, page_numbers
from natowatch.publish.check import check_site
from natowatch.publish.render import render_site
from natowatch.understand.aliases import resolve_aliases
from paths import SEEDS
from site_factory import BODY, make_article, mention

PER_PAGE = 20
PUBLISHERS = ("Alpha Wire", "Beta Times", "Gamma Post")


def published(number: int) -> str | None:
    """Dates that fall newest first as ``number`` grows: 25 in 2016 (three a month from
    December), 12 in 2015, 6 in 2014 (one known only by its year), then 2 undated."""
    if number < 25:
        return f"2016-{12 - number // 3:02d}-{20 - number % 3 * 5:02d}"
    if number < 37:
        return f"2015-{12 - (number - 25) // 2:02d}-{20 - (number - 25) % 2 * 5:02d}"
    if number < 42:
        return f"2014-{12 - (number - 37):02d}-01"
    if number == 42:
        return "2014"
    return None


def publisher(number: int) -> str | None:
    if number == 44:
        return None
    return PUBLISHERS[0] if number % 3 else PUBLISHERS[1 + number % 2]


def person(number: int) -> Entity:
    """One person per article; every fifth is mentioned twice."""
    mentions = (mention(BODY[0], "Israel", 0),)
    if number % 5 == 0:
        mentions += (mention(BODY[2], "Turkey", 2),)
    return Entity(f"person-{number:02d}", f"Person {number:02d}", EntityType.PERSON, mentions)


def browse_article(number: int) -> Article:
    base = make_article()
    extra: tuple[Entity, ...] = (person(number),)
    if number == 0:
        extra += (
            Entity("loc-med", "Mediterranean", EntityType.LOC, (mention(BODY[1], "Mediter", 1),)),
            Entity("event-summit", "Summit", EntityType.EVENT, (mention(BODY[0], "NATO", 0),)),
        )
    return make_article(
        id=f"a{number:02d}",
        slug=f"story-{number:02d}",
        headline=f"Story {number:02d}",
        published=published(number),
        publisher=publisher(number),
        entities=(*base.entities, *extra),
    )


ARTICLES = [browse_article(number) for number in range(45)]
NEWEST_FIRST = [f"articles/story-{number:02d}.html" for number in range(45)]


@pytest.fixture(scope="module")
def site() -> dict[str, bytes]:
    return render_site(ARTICLES, Config(items_per_page=PER_PAGE))


@pytest.fixture(scope="module")
def pages(site: dict[str, bytes]) -> dict[str, ParsedPage]:
    return {path: parse(data) for path, data in site.items() if path.endswith(".html")}


def card_links(page: ParsedPage) -> list[str]:
    """The article each card on a list page links to, as written."""
    found = []
    inside = False
    for name, attrs in page.tags:
        if name == "article":
            inside = attrs.get("class") == "article-card"
        elif inside and name == "a":
            found.append(str(attrs["href"]))
            inside = False
    return found


def site_cards(pages: dict[str, ParsedPage], path: str) -> list[str]:
    """The cards of one page as site paths."""
    return [str(resolve_link(path, link)[0]) for link in card_links(pages[path])]


def pagination(page: ParsedPage) -> list[dict[str, str | None]]:
    """The links inside the page's Pagination nav."""
    links: list[dict[str, str | None]] = []
    inside = False
    for name, attrs in page.tags:
        if name in ("nav", "footer"):
            inside = attrs.get("aria-label") == "Pagination"
        elif inside and name == "a":
            links.append(attrs)
    return links


def rel(page: ParsedPage, value: str) -> list[str | None]:
    return [attrs.get("href") for attrs in pagination(page) if attrs.get("rel") == value]


def current(page: ParsedPage) -> list[str | None]:
    return [attrs.get("href") for attrs in pagination(page) if attrs.get("aria-current")]


# --- pagination ---------------------------------------------------------------------------------


def test_paged_paths_live_beside_or_below_the_first_page() -> None:
    assert urls.paged_path("index.html", 1) == "index.html"
    assert urls.paged_path("index.html", 2) == "page-2.html"
    assert urls.paged_path("people.html", 3) == "people/page-3.html"
    assert urls.paged_path("archive/2016.html", 2) == "archive/2016/page-2.html"
    assert urls.paged_path("publishers/reuters.html", 2) == "publishers/reuters/page-2.html"
    with pytest.raises(BuildError):
        urls.paged_path("index.html", 0)


def test_page_numbers_show_first_last_and_a_window() -> None:
    assert page_numbers(1, 1) == [1]
    assert page_numbers(3, 2) == [1, 2, 3]
    assert page_numbers(10, 1) == [1, 2, 3, None, 10]
    assert page_numbers(10, 5) == [1, 2, 3, 4, 5, 6, 7, None, 10]
    assert page_numbers(10, 10) == [1, None, 8, 9, 10]
    assert page_numbers(500, 250) == [1, None, 248, 249, 250, 251, 252, None, 500]
    assert chunks([], 5) == [[]]
    assert chunks([1, 2, 3], 2) == [[1, 2], [3]]


def test_front_page_is_paginated_newest_first(pages: dict[str, ParsedPage]) -> None:
    front = ["index.html", "page-2.html", "page-3.html"]
    assert "page-4.html" not in pages
    assert [len(card_links(pages[path])) for path in front] == [20, 20, 5]
    assert [card for path in front for card in site_cards(pages, path)] == NEWEST_FIRST
    assert pages["index.html"].texts("title")[0].startswith("Articles ·")
    assert pages["page-2.html"].texts("title")[0].startswith("Articles, page 2 of 3 ·")
    assert "Showing 21–40 of 45." in pages["page-2.html"].text
    for path in front:
        assert pages[path].texts("h1") == ["Articles"]


def test_pagination_links_prev_next_and_marks_the_current_page(
    pages: dict[str, ParsedPage],
) -> None:
    first, second, third = pages["index.html"], pages["page-2.html"], pages["page-3.html"]
    assert (rel(first, "prev"), rel(first, "next")) == ([], ["page-2.html"])
    assert (rel(second, "prev"), rel(second, "next")) == (["index.html"], ["page-3.html"])
    assert (rel(third, "prev"), rel(third, "next")) == (["page-2.html"], [])
    assert current(first) == ["index.html"]
    assert current(second) == ["page-2.html"]
    assert [a.get("aria-current") for a in pagination(second)] == [
        None,  # previous
        None,
        "page",
        None,
        None,  # next
    ]
    numbers = [t for t in second.texts("a") if t.startswith("Page ")]
    assert numbers == ["Page 1", "Page 2", "Page 3"]
    # The site nav keeps "Articles" marked on the later pages too.
    nav = [a for a in second.all("a") if a.get("href") == "index.html" and a.get("aria-current")]
    assert nav == [{"href": "index.html", "aria-current": "true"}]


def test_a_single_page_has_no_pagination(pages: dict[str, ParsedPage]) -> None:
    assert pagination(pages["archive/2015.html"]) == []
    assert not [a for a in pages["archive/2015.html"].all("nav") if a.get("class") == "pagination"]


# --- the archive by date ------------------------------------------------------------------------


def test_archive_index_lists_years_months_and_the_undated(pages: dict[str, ParsedPage]) -> None:
    page = pages["archive/index.html"]
    assert page.texts("h1") == ["Archive"]
    assert page.texts("h2") == [
        "2016 25 articles",
        "2015 12 articles",
        "2014 6 articles",
        "Date unknown 2 articles",
    ]
    links = page.links()
    for target in ("2016.html", "2015.html", "2014.html", "undated.html"):
        assert target in links
    months_2016 = [link for link in links if link.startswith(("2016.html#", "2016/"))]
    assert months_2016 == [
        "2016.html#month-12",
        "2016.html#month-11",
        "2016.html#month-10",
        "2016.html#month-09",
        "2016.html#month-08",
        "2016.html#month-07",
        "2016.html#month-06",  # starts on page 1, continues on page 2
        "2016/page-2.html#month-05",
        "2016/page-2.html#month-04",
    ]
    items = page.texts("li")
    assert "December (3)" in items and "April (1)" in items
    assert "Month unknown (1)" in items  # the 2014 article known only by its year


def test_year_pages_group_by_month_newest_first(pages: dict[str, ParsedPage]) -> None:
    first, second = pages["archive/2016.html"], pages["archive/2016/page-2.html"]
    assert first.texts("h1") == second.texts("h1") == ["2016"]
    assert first.texts("h2") == [
        "December 2016",
        "November 2016",
        "October 2016",
        "September 2016",
        "August 2016",
        "July 2016",
        "June 2016",
    ]
    assert second.texts("h2") == ["June 2016 (continued)", "May 2016", "April 2016"]
    cards = site_cards(pages, "archive/2016.html") + site_cards(pages, "archive/2016/page-2.html")
    assert cards == NEWEST_FIRST[:25]
    assert rel(second, "prev") == ["../2016.html"]
    assert [h for h in pages["archive/2014.html"].texts("h2")][-1] == "2014, month unknown"
    assert "month-unknown" in pages["archive/2014.html"].ids


def test_undated_articles_have_their_own_page(pages: dict[str, ParsedPage]) -> None:
    page = pages["archive/undated.html"]
    assert page.texts("h1") == ["Date unknown"]
    assert site_cards(pages, "archive/undated.html") == NEWEST_FIRST[43:]
    assert "index.html" in page.links()  # back to the archive index


def test_every_article_is_listed_once_per_kind_of_list(pages: dict[str, ParsedPage]) -> None:
    """Front pages, the date archive and the publisher pages each show each article once."""
    kinds = {
        "front": lambda path: path == "index.html" or path.startswith("page-"),
        "archive": lambda path: path.startswith("archive/") and path != urls.ARCHIVE,
        "publishers": lambda path: path.startswith("publishers/"),
    }
    for kind, belongs in kinds.items():
        seen = Counter(card for path in pages if belongs(path) for card in site_cards(pages, path))
        assert sorted(seen) == sorted(NEWEST_FIRST), kind
        assert set(seen.values()) == {1}, kind


# --- entities by type ---------------------------------------------------------------------------


def test_people_are_paginated_by_mentions_then_name(pages: dict[str, ParsedPage]) -> None:
    paths = ["people.html", "people/page-2.html", "people/page-3.html"]
    assert "people/page-4.html" not in pages
    names = [
        text.split(" ", 2)[0] + " " + text.split(" ", 2)[1]
        for path in paths
        for text in pages[path].texts("li")
        if text.startswith(("Person ", "Jens "))
    ]
    twice = [f"Person {n:02d}" for n in range(45) if n % 5 == 0]
    once = [f"Person {n:02d}" for n in range(45) if n % 5]
    assert names == ["Jens Stoltenberg", *twice, *once]
    assert "Jens Stoltenberg 90 mentions in 45 articles" in pages["people.html"].texts("li")
    assert "Person 00 2 mentions in 1 article" in pages["people.html"].texts("li")
    assert current(pages["people/page-2.html"]) == ["page-2.html"]
    assert pages["people/page-3.html"].texts("h1") == ["People"]


def test_places_gather_countries_cities_and_other_places(pages: dict[str, ParsedPage]) -> None:
    items = pages["places.html"].texts("li")
    assert "Brussels Country or city 45 mentions in 45 articles" in items
    assert "Mediterranean Place 1 mention in 1 article" in items
    assert pages["organisations.html"].texts("li")[-1] == "NATO 90 mentions in 45 articles"


def test_entities_page_links_the_types_and_lists_the_rest(pages: dict[str, ParsedPage]) -> None:
    page = pages["entities.html"]
    assert {"people.html", "organisations.html", "places.html"} <= set(page.links())
    assert "People 46 names" in page.texts("li")
    assert page.texts("h2") == ["Named events"]
    assert "Summit 1 mention in 1 article" in page.texts("li")


# --- publishers -----------------------------------------------------------------------------------


def test_publishers_page_lists_every_publisher_with_counts(pages: dict[str, ParsedPage]) -> None:
    counts = Counter(publisher(number) for number in range(45))
    page = pages["publishers.html"]
    assert [t for t in page.texts("li") if "article" in t] == [
        f"Alpha Wire {counts['Alpha Wire']} articles",
        f"Beta Times {counts['Beta Times']} articles",
        f"Gamma Post {counts['Gamma Post']} articles",
        "Unknown publisher 1 article",
    ]
    assert [link for link in page.links() if link.startswith("publishers/")] == [
        "publishers/alpha-wire.html",
        "publishers/beta-times.html",
        "publishers/gamma-post.html",
        "publishers/_unknown.html",
    ]


def test_publisher_pages_are_paginated_newest_first(pages: dict[str, ParsedPage]) -> None:
    alpha = [path for path in NEWEST_FIRST if publisher(int(path[-7:-5])) == "Alpha Wire"]
    assert len(alpha) > PER_PAGE
    paths = ["publishers/alpha-wire.html", "publishers/alpha-wire/page-2.html"]
    assert [card for path in paths for card in site_cards(pages, path)] == alpha
    assert rel(pages[paths[0]], "next") == ["alpha-wire/page-2.html"]
    assert rel(pages[paths[1]], "prev") == ["../alpha-wire.html"]
    assert pages[paths[1]].texts("h1") == ["Alpha Wire"]
    unknown = pages["publishers/_unknown.html"]
    assert unknown.texts("h1") == ["Unknown publisher"]
    assert site_cards(pages, "publishers/_unknown.html") == ["articles/story-44.html"]


def test_article_pages_link_their_publisher(pages: dict[str, ParsedPage]) -> None:
    def publisher_link(path: str) -> list[str | None]:
        return [
            a.get("href") for a in pages[path].all("a") if "publisher" in (a.get("class") or "")
        ]

    assert publisher_link("articles/story-01.html") == ["../publishers/alpha-wire.html"]
    assert publisher_link("articles/story-44.html") == ["../publishers/_unknown.html"]


def test_publishers_named_like_pages_or_each_other_get_their_own_pages() -> None:
    names = ["Publishers", "Index", "unknown", "Page 2", "Reuters", "REUTERS", "REUTERS", None]
    articles = [
        make_article(id=f"p{n}", slug=f"p{n}", publisher=name, published=None)
        for n, name in enumerate(names)
    ]
    site = render_site(articles, Config(items_per_page=1))
    groups = build_publisher_index(articles)
    slugs = {group.name: group.slug for group in groups}
    assert slugs["REUTERS"] == "reuters"  # the spelling with more articles keeps the plain slug
    assert slugs["Reuters"].startswith("reuters-") and len(slugs["Reuters"]) == len("reuters-") + 8
    assert slugs["unknown"] == "unknown" and slugs[None] == "_unknown"
    headings = {
        path: parse(site[path]).texts("h1")[0] for path in site if path.startswith("publishers/")
    }
    assert headings == {
        "publishers/index.html": "Index",
        "publishers/page-2.html": "Page 2",
        "publishers/publishers.html": "Publishers",
        "publishers/reuters.html": "REUTERS",
        "publishers/reuters/page-2.html": "REUTERS",
        f"publishers/{slugs['Reuters']}.html": "Reuters",
        "publishers/unknown.html": "unknown",
        "publishers/_unknown.html": "Unknown publisher",
    }
    assert parse(site["publishers.html"]).texts("h1") == ["Publishers"]


def test_colliding_paths_are_still_a_build_error() -> None:
    clash = make_article(id="b", slug="a", published=None)
    with pytest.raises(BuildError, match=r"articles/a\.html"):
        render_site([make_article(id="a", slug="a"), clash])


# --- the whole site -----------------------------------------------------------------------------


def test_every_internal_link_resolves(site: dict[str, bytes], pages: dict[str, ParsedPage]) -> None:
    for path, page in pages.items():
        assert len(page.all("h1")) == 1, path
        for link in page.links():
            target, fragment = resolve_link(path, link)
            if target is None or target.startswith("pagefind/"):
                continue  # pagefind/ is written by the search indexer during a real build
            assert not link.startswith("/") and not link.endswith("/"), (path, link)
            assert target in site, (path, link)
            if fragment and target.endswith(".html"):
                assert fragment in pages[target].ids, (path, link)


def test_browse_pages_are_deterministic(site: dict[str, bytes]) -> None:
    shuffled = ARTICLES[1::2] + ARTICLES[::2]
    assert render_site(list(reversed(shuffled)), Config(items_per_page=PER_PAGE)) == site


def test_one_item_per_page_and_an_empty_archive() -> None:
    articles = [dataclasses.replace(article, entities=()) for article in ARTICLES[:3]]
    site = render_site(articles, Config(items_per_page=1))
    assert {"index.html", "page-2.html", "page-3.html"} <= set(site)
    assert "page-4.html" not in site
    empty = render_site([], Config(items_per_page=1))
    for path in ("index.html", "archive/index.html", "people.html", "publishers.html"):
        assert "no" in parse(empty[path]).text.lower(), path
    assert "page-2.html" not in empty


def test_the_seed_site_builds_and_passes_the_checker(tmp_path: Path) -> None:
    articles = resolve_aliases(load_archive(SEEDS))
    files = render_site(articles, load_config(SEEDS))
    for path, data in files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    assert {"archive/index.html", "people.html", "publishers.html"} <= set(files)
    problems = [str(problem) for problem in check_site(tmp_path)]
    # Only the search indexer's files are missing: a real build writes them after rendering.
    assert [problem for problem in problems if "pagefind/" not in problem] == []
