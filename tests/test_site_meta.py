"""Site-level files and per-page metadata: feeds, sitemap, robots, 404, CNAME, canonical,
OpenGraph and NewsArticle JSON-LD."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from html_check import parse
from natowatch.archive.config import Config
from natowatch.archive.loader import load_archive
from natowatch.publish.render import render_site
from paths import SEEDS

ARTICLE = "articles/israel-to-open-permanent-office-at-nato-headquarters-in-brussels.html"
PUBLISHED = Config(
    title="Watch", site_url="https://example.github.io/watch/", cname="news.example.org"
)


@pytest.fixture(scope="module")
def seeds():
    return load_archive(SEEDS)


@pytest.fixture(scope="module")
def site(seeds):
    return render_site(seeds, PUBLISHED)


def jsonld(html: bytes) -> dict:
    match = re.search(rb'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "article pages carry a JSON-LD block"
    return json.loads(match.group(1))


def test_machine_readable_files_are_part_of_the_site(site):
    for path in ("feed.xml", "feed.json", "sitemap.xml", "robots.txt", ".nojekyll", "404.html"):
        assert path in site
    assert site["CNAME"] == b"news.example.org\n"
    assert b"https://example.github.io/watch/timeline.html" in site["sitemap.xml"]


def test_no_cname_file_unless_configured(seeds):
    assert "CNAME" not in render_site(seeds, Config())


def test_every_page_has_description_canonical_and_opengraph(site):
    for path, html in site.items():
        if not path.endswith(".html") or path == "404.html":
            continue
        page = parse(html)
        metas = {m.get("name") or m.get("property"): m.get("content") for m in page.all("meta")}
        assert metas.get("description"), path
        assert metas.get("og:title") and metas.get("og:type"), path
        [canonical] = [link["href"] for link in page.all("link") if link.get("rel") == "canonical"]
        assert canonical == "https://example.github.io/watch/" + path


def test_article_jsonld_is_a_news_article_with_known_facts_only(site, seeds):
    data = jsonld(site[ARTICLE])
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Israel to open permanent office at NATO headquarters in Brussels"
    assert data["datePublished"] == "2016-05-04"
    assert data["author"] == [{"@type": "Person", "name": "Hana Levi Julian"}]
    assert {"@type": "Person", "name": "Benjamin Netanyahu"} in data["mentions"]
    undated = render_site(seeds, PUBLISHED)[
        "articles/israel-opens-new-office-nato-headquarters-brussels-712989.html"
    ]
    assert "datePublished" not in jsonld(undated) and "author" not in jsonld(undated)


def test_jsonld_cannot_be_broken_out_of(seeds):
    hostile = "</script><script>alert(1)</script><!--"
    article = dataclasses.replace(seeds[0], headline=hostile)
    html = render_site([article], PUBLISHED)[ARTICLE]
    assert b"<script>alert(1)" not in html
    assert jsonld(html)["headline"] == hostile


def test_without_site_url_no_canonical_is_guessed(seeds):
    html = render_site(seeds, Config())[ARTICLE]
    assert b'rel="canonical"' not in html and b"og:url" not in html


def test_not_found_page_links_absolutely_when_the_address_is_known(site, seeds):
    page = parse(site["404.html"])
    assert page.texts("h1") == ["Page not found"]
    hrefs = [a["href"] for a in page.all("a")]
    assert "https://example.github.io/watch/index.html" in hrefs
    local = parse(render_site(seeds, Config())["404.html"])
    assert "index.html" in [a["href"] for a in local.all("a")]
