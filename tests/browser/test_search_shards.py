"""A search index split into shards, in Chromium: the search page merges every shard.

The site is small, so the pages per shard are lowered to get three shards. A word that occurs in
one article only, whose page lies in a shard other than the first (the one the search UI
loads itself), can only be found if search.js read ``pagefind-shards.json`` and merged the
other bundles; its result link must open that article under a GitHub-Pages-like sub-path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from subpath_server import serve_below
from test_browser import watched_page

from natowatch.build import build
from natowatch.publish import search
from search_archive import WORDS, write_search_archive

pytestmark = pytest.mark.browser

SUB_PATH = "/repo/"


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("shards")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "PAGES_PER_SHARD", 4)  # 13 articles: 3 shards
        build(write_search_archive(root / "archive"), root / "site")
    return root / "site"


@pytest.fixture(scope="module")
def shard_url(sharded_site: Path) -> Iterator[str]:
    with serve_below(sharded_site, SUB_PATH) as url:
        yield url


def shard_of_word(site: Path, word: str) -> tuple[str, int]:
    """The article page holding ``word`` and the index of its shard."""
    pages = [p for p in (site / "articles").glob("*.html") if word in p.read_text("utf-8")]
    assert len(pages) == 1, pages
    page = pages[0].relative_to(site).as_posix()
    return page, search.shard_of(page, 3)


def search_for(page, url: str, word: str) -> list[str]:
    page.goto(f"{url}search.html?q={word}")
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=15000)
    page.wait_for_timeout(500)  # let every shard answer
    return page.locator(".pagefind-ui__result-link").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )


def test_the_site_has_three_shards(sharded_site):
    listed = json.loads((sharded_site / search.SHARD_LIST).read_text())
    assert listed == {"bundles": ["pagefind/", "pagefind-2/", "pagefind-3/"]}
    assert {shard_of_word(sharded_site, word)[1] for word in WORDS} == {0, 1, 2}


def test_a_word_in_another_shard_is_found_and_its_link_opens_the_article(
    browser, sharded_site, shard_url
):
    for shard in (1, 2):
        word = next(w for w in WORDS if shard_of_word(sharded_site, w)[1] == shard)
        path = shard_of_word(sharded_site, word)[0]
        with watched_page(browser) as (page, problems):
            hrefs = search_for(page, shard_url, word)
            assert hrefs == [SUB_PATH + path], (word, hrefs)
            page.locator(".pagefind-ui__result-link").first.click()
            page.wait_for_url(shard_url + path)
            assert word in page.locator("article").inner_text()
        assert problems == []


def test_a_word_in_every_article_is_found_in_all_shards(browser, shard_url):
    with watched_page(browser) as (page, problems):
        search_for(page, shard_url, "exercise")
        message = page.locator(".pagefind-ui__message").inner_text()
        assert message.startswith(f"{len(WORDS)} results"), message
    assert problems == []
