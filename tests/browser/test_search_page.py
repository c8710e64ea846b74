"""search.html in Chromium: submitting its form, and its accessibility with results shown.

Pagefind's UI gives its form the action ``javascript:void(0);``, which the pages' policy
(``form-action 'self'``) refuses; search.js makes it a GET form for the page itself. Every test
records Content-Security-Policy violations (the ``securitypolicyviolation`` event) besides the
console errors, failed requests and off-host requests ``watched_page`` collects, and runs under
the GitHub-Pages-like sub-path.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from test_browser import watched_page

pytestmark = pytest.mark.browser

QUERY = "Stoltenberg"  # in both seed articles
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violation(`${event.violatedDirective} blocked ${event.blockedURI}`);
}, true);
"""
# Both results drawn, with their titles and excerpts (Pagefind shows placeholders until then).
RESULTS_SHOWN = """
(count) => document.querySelectorAll("#search .pagefind-ui__result-link").length === count
  && !document.querySelector("#search .pagefind-ui__loading")
"""


@contextmanager
def search_page(browser, base_url: str) -> Iterator[tuple[object, list[str]]]:
    """search.html with its search box drawn; problems include policy violations."""
    with watched_page(browser) as (page, problems):
        page.expose_binding("__violation", lambda source, text: problems.append(f"CSP: {text}"))
        page.add_init_script(REPORT_VIOLATIONS)
        page.goto(base_url + "search.html")
        page.locator("#search form input").wait_for()
        yield page, problems


def search_box(page):
    """The search page's own box, found by its accessible name (not by its title)."""
    return page.locator("#search").get_by_role("textbox", name="Search the articles", exact=True)


def result_links(page) -> list[str]:
    page.wait_for_function(RESULTS_SHOWN, arg=2, timeout=15000)
    return sorted(
        page.locator("#search .pagefind-ui__result-link").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        )
    )


SUBMISSIONS = {
    # What a user does.
    "enter": lambda page: search_box(page).press("Enter"),
    # What the search box's button or the browser's implicit submission does: a submit event.
    "submit-event": lambda page: page.locator("#search form").evaluate("f => f.requestSubmit()"),
    # A submission no script can stop (no submit event): it must stay within the policy too.
    "native": lambda page: page.locator("#search form").evaluate("f => f.submit()"),
}


@pytest.mark.parametrize("how", sorted(SUBMISSIONS))
def test_submitting_the_search_form_shows_results_without_a_policy_violation(
    browser, base_url, how
):
    with search_page(browser, base_url) as (page, problems):
        search_box(page).fill(QUERY)
        SUBMISSIONS[how](page)
        if how == "native":  # an ordinary GET form for this page, whose script runs the query
            page.wait_for_url(f"{base_url}search.html?q={QUERY}")
        hrefs = result_links(page)
        assert len(hrefs) == 2
        articles = urlsplit(base_url).path + "articles/"  # /natowatch/articles/
        assert all(href.startswith(articles) for href in hrefs), hrefs
        assert search_box(page).input_value() == QUERY
        assert page.url in (f"{base_url}search.html", f"{base_url}search.html?q={QUERY}")
    assert problems == []


def serious_violations(page, axe_source: str) -> list[str]:
    # Evaluated, not injected as a <script>, so the page's CSP neither blocks nor reports it.
    page.evaluate(axe_source)
    result = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: {[node['html'][:100] for node in v['nodes']]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_search_page_has_no_serious_accessibility_violations_with_results_shown(
    browser, base_url, axe_source
):
    with search_page(browser, base_url) as (page, problems):
        assert serious_violations(page, axe_source) == []  # the empty search box
        search_box(page).press_sequentially(QUERY)
        search_box(page).press("Enter")
        assert len(result_links(page)) == 2
        assert serious_violations(page, axe_source) == []
    assert problems == []
