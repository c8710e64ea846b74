"""A search index split into shards, in Chromium: the search page merges every shard.

The site is small, so the pages per shard are lowered to get three shards. A word that occurs in
one article only, whose page lies in a shard other than the first (the one the search UI
loads itself), can only be found if search.js read ``pagefind-shards.json`` and merged the
other bundles; its result link must open that article under a GitHub-Pages-like sub-path.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_browser import watched_page

from natowatch import search
from natowatch.build import build
from search_archive import WORDS, write_search_archive

pytestmark = pytest.mark.browser

SUB_PATH = "/repo/"


class _SubPath(http.server.SimpleHTTPRequestHandler):
    """Serves the site below /repo/ only, as a GitHub Pages project site is served."""

    def translate_path(self, path: str) -> str:
        if not path.startswith(SUB_PATH):
            return str(Path(self.directory) / "__outside_the_sub_path__")
        return super().translate_path("/" + path[len(SUB_PATH) :])

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("shards")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "PAGES_PER_SHARD", 4)  # 13 articles: 3 shards
        build(write_search_archive(root / "archive"), root / "site")
    return root / "site"


@pytest.fixture(scope="module")
def shard_url(sharded_site: Path) -> Iterator[str]:
    handler = functools.partial(_SubPath, directory=str(sharded_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
    server.shutdown()
    server.server_close()


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
