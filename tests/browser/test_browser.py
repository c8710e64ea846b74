"""The seed site in a real browser, served under a GitHub-Pages-like sub-path."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urljoin, urlsplit

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@contextmanager
def watched_page(browser, viewport=None) -> Iterator[tuple[object, list[str]]]:
    """A page whose console errors, failed requests and off-host requests are collected."""
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []

    def guard(route) -> None:
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            problems.append(f"request left localhost: {route.request.url}")
            route.abort()

    page.route("**/*", guard)
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    # A request cancelled because the test moved on (the favicon, fetched after load) is not a
    # fault of the site; a missing file shows up as an HTTP error below.
    page.on(
        "requestfailed",
        lambda r: r.failure != "net::ERR_ABORTED" and problems.append(f"failed: {r.url}"),
    )
    page.on(
        "response",
        lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"),
    )
    try:
        yield page, problems
    finally:
        context.close()


def crawl(page, start: str) -> list[str]:
    """Every page of the site reachable from ``start`` (links staying under the base)."""
    seen: list[str] = []
    queue = [start]
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.append(url)
        page.goto(url)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            target = urljoin(url, href).split("#")[0]
            if target.startswith(start.rsplit("/", 1)[0]) and target.endswith(".html"):
                if target not in seen:
                    queue.append(target)
    return seen


def test_every_page_loads_without_errors_or_outside_requests(browser, base_url, seed_site):
    with watched_page(browser) as (page, problems):
        visited = crawl(page, base_url + "index.html")
        page.goto(base_url + "404.html")  # linked from nowhere: servers show it for bad URLs
        assert page.locator("h1").inner_text() == "Page not found"
    pages = {p.relative_to(seed_site).as_posix() for p in seed_site.rglob("*.html")}
    pages = {path for path in pages if not path.startswith("pagefind/")}
    assert {url[len(base_url) :] for url in visited} | {"404.html"} == pages
    assert problems == []


def test_nothing_scrolls_sideways_at_390px(browser, base_url, seed_site):
    with watched_page(browser, PHONE) as (page, problems):
        for path in sorted(p.relative_to(seed_site).as_posix() for p in seed_site.rglob("*.html")):
            page.goto(base_url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} is {width}px wide"
    assert problems == []


def test_timeline_and_entity_pages_render_their_entries(browser, base_url):
    """timeline.html lists the years; each year page shows its entries, and the year pages
    chain from the earliest to the latest."""
    with watched_page(browser, PHONE) as (page, problems):
        page.goto(base_url + "timeline.html")
        years = page.get_by_role("navigation", name="Years")
        assert years.get_by_role("link").count() >= 8
        years.get_by_role("link", name="1994", exact=True).click()
        page.wait_for_url("**/natowatch/timeline/1994.html")
        assert page.get_by_text("“in late 1994”").is_visible()
        page.goto(base_url + "timeline/1949.html")
        entries = page.locator(".timeline-entry").count()
        step = page.get_by_role("navigation", name="Other years").locator("a[rel=next]")
        while step.count():
            step.click()
            page.wait_for_load_state()
            entries += page.locator(".timeline-entry").count()
            step = page.get_by_role("navigation", name="Other years").locator("a[rel=next]")
        assert entries >= 8
        page.goto(base_url + "entities/benjamin-netanyahu.html")
        assert page.locator("h1").inner_text() == "Benjamin Netanyahu"
        assert page.locator("mark").count() >= 3
    assert problems == []


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "articles/israel-to-open-permanent-office-at-nato-headquarters-in-brussels.html",
        "timeline.html",
        "timeline/1994.html",
        "timeline/undated.html",
        "entities.html",
        "entities/north-atlantic-treaty-organization.html",
        "archive/index.html",
        "archive/2016.html",
        "archive/undated.html",
        "people.html",
        "places.html",
        "places/page-2.html",
        "publishers.html",
        "publishers/the-jewish-press-jewishpress-com.html",
    ],
)
def test_no_serious_accessibility_violations(browser, base_url, axe_source, path):
    with watched_page(browser) as (page, problems):
        page.goto(base_url + path)
        # Evaluated, not injected as a <script>, so the page's CSP neither blocks nor reports it.
        page.evaluate(axe_source)
        result = page.evaluate("async () => await axe.run(document)")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert problems == []


def test_pagination_and_browse_links_work_on_a_phone(browser, base_url):
    """The seeds name more places than fit one page: follow next/previous under the sub-path."""
    with watched_page(browser, PHONE) as (page, problems):
        page.goto(base_url + "index.html")
        page.get_by_role("navigation", name="Browse").get_by_role("link", name="Places").click()
        page.wait_for_url("**/natowatch/places.html")
        pagination = page.get_by_role("navigation", name="Pagination")
        current = pagination.get_by_role("link", name="Page 1", exact=True)
        assert current.get_attribute("aria-current") == "page"
        pagination.locator("a[rel=next]").click()
        page.wait_for_url("**/natowatch/places/page-2.html")
        assert page.locator("h1").inner_text() == "Places"
        pagination = page.get_by_role("navigation", name="Pagination")
        current = pagination.get_by_role("link", name="Page 2", exact=True)
        assert current.get_attribute("aria-current") == "page"
        pagination.locator("a[rel=prev]").click()
        page.wait_for_url("**/natowatch/places.html")
        page.goto(
            base_url
            + "articles/israel-to-open-permanent-office-at-nato-headquarters-in-brussels.html"
        )
        page.locator("a.publisher").click()
        page.wait_for_url("**/natowatch/publishers/the-jewish-press-jewishpress-com.html")
        assert page.locator(".article-card").count() == 1
    assert problems == []


def test_search_finds_both_seed_articles_under_the_sub_path(browser, base_url):
    with watched_page(browser) as (page, problems):
        page.goto(base_url + "index.html")
        page.fill("#site-search-query", "Stoltenberg")
        page.press("#site-search-query", "Enter")
        page.wait_for_url("**/search.html?q=Stoltenberg")
        results = page.locator(".pagefind-ui__result-link")
        results.first.wait_for(timeout=15000)
        page.wait_for_timeout(500)
        hrefs = sorted(results.evaluate_all("els => els.map(e => e.getAttribute('href'))"))
        assert len(hrefs) == 2, hrefs
        assert all(href.startswith("/natowatch/articles/") for href in hrefs), hrefs
        page.goto(hrefs[0] if hrefs[0].startswith("http") else base_url + hrefs[0][11:])
        assert page.locator("h1").count() == 1
    assert problems == []
