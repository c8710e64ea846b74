"""Feeds, sitemap and robots.txt parse as their readers expect, escape everything, and are stable."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

import feedparser
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from natowatch.archive.config import Config
from natowatch.archive.loader import load_archive
from natowatch.publish.feeds import _xml, absolute, atom_feed, json_feed, robots, sitemap
from paths import SEEDS

SITE = Config(title="Alliance Watch", site_url="https://example.github.io/watch/")
HOSTILE = '<script>alert(1)</script> & "quotes" ]]>'


@pytest.fixture(scope="module")
def seeds():
    return load_archive(SEEDS)


def test_atom_feed_parses_cleanly_newest_first_with_absolute_links(seeds):
    parsed = feedparser.parse(atom_feed(seeds, SITE))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "Alliance Watch"
    titles = [entry.title for entry in parsed.entries]
    assert titles[0] == "Israel to open permanent office at NATO headquarters in Brussels"
    assert len(titles) == 2, "undated articles are included, after the dated ones"
    first = parsed.entries[0]
    assert first.link.startswith("https://example.github.io/watch/articles/")
    assert first.published.startswith("2016-05-04")
    assert first.author == "Hana Levi Julian"


def test_hostile_text_is_escaped_in_both_feeds(seeds):
    article = dataclasses.replace(seeds[0], headline=HOSTILE)
    atom = atom_feed([article], SITE)
    ET.fromstring(atom)  # well-formed XML whatever the headline holds
    assert b"<script>" not in atom
    assert feedparser.parse(atom).entries[0].title == HOSTILE
    assert json.loads(json_feed([article], SITE))["items"][0]["title"] == HOSTILE


def test_json_feed_is_version_1_1_with_items(seeds):
    feed = json.loads(json_feed(seeds, SITE))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == "https://example.github.io/watch/feed.json"
    assert feed["items"][0]["title"].startswith("Israel to open")
    assert "date_published" not in feed["items"][1], "an unknown date is left out, not invented"


def test_feeds_without_site_url_use_relative_links_and_stay_valid(seeds):
    parsed = feedparser.parse(atom_feed(seeds, Config()))
    assert not parsed.bozo
    assert "home_page_url" not in json.loads(json_feed(seeds, Config()))


def test_feeds_are_deterministic_and_do_not_depend_on_the_clock(seeds, monkeypatch):
    first = atom_feed(seeds, SITE), json_feed(seeds, SITE)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert (atom_feed(seeds, SITE), json_feed(seeds, SITE)) == first


def test_feed_of_undated_articles_uses_source_date_epoch(seeds, monkeypatch):
    undated = [a for a in seeds if a.published is None]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert feedparser.parse(atom_feed(undated, SITE)).feed.updated == "2023-11-14T22:13:20Z"


def test_sitemap_lists_pages_with_absolute_urls_and_robots_points_to_it():
    root = ET.fromstring(sitemap(["index.html", "articles/a.html", "404.html", "style.css"], SITE))
    locs = [
        element.text for element in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert locs == [
        "https://example.github.io/watch/articles/a.html",
        "https://example.github.io/watch/index.html",
    ]
    assert "Sitemap: https://example.github.io/watch/sitemap.xml" in robots(SITE).decode()


def _sitemap_through_elementtree(pages, config):
    """The sitemap as ElementTree writes it (what ``sitemap`` wrote before it was hand-built)."""
    namespace = "http://www.sitemaps.org/schemas/sitemap/0.9"
    ET.register_namespace("", namespace)
    root = ET.Element(f"{{{namespace}}}urlset")
    for page in sorted(pages):
        if page.endswith(".html") and page != "404.html":
            url = ET.SubElement(root, f"{{{namespace}}}url")
            loc = ET.SubElement(url, f"{{{namespace}}}loc")
            loc.text = absolute(config, page)
    return _xml(root)


_PAGE_NAMES = st.lists(
    st.builds(
        lambda stem, suffix: stem + suffix,
        st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
        st.sampled_from([".html", ".css", "", "/index.html"]),
    )
    | st.just("404.html"),
    max_size=8,
)


@given(_PAGE_NAMES, st.sampled_from([SITE, Config(title="Relative")]))
def test_sitemap_bytes_are_what_elementtree_writes(pages, config):
    assert sitemap(pages, config) == _sitemap_through_elementtree(pages, config)


def test_publication_dates_are_midnight_in_the_archive_time_zone(seeds):
    config = dataclasses.replace(SITE, time_zone="Asia/Jerusalem")
    parsed = feedparser.parse(atom_feed(seeds, config))
    assert parsed.entries[0].published == "2016-05-04T00:00:00+03:00"
    items = json.loads(json_feed(seeds, config))["items"]
    assert items[0]["date_published"] == "2016-05-04T00:00:00+03:00"
    assert feedparser.parse(atom_feed(seeds, SITE)).entries[0].published == "2016-05-04T00:00:00Z"


_URL_PARTS = st.text(alphabet="ab./-_~:?#%@é", max_size=10)


@given(
    st.builds(
        lambda scheme, host, path: f"{scheme}{host}{path}",
        st.sampled_from(["https://", "http://", "", "//"]),
        st.sampled_from(["example.github.io", "e.x:8080", ""]),
        _URL_PARTS,
    ),
    st.lists(_URL_PARTS | st.sampled_from([".", ".."]), max_size=4).map("/".join),
)
@example(site_url="https://e.x/w/", path="a/../b")
@example(site_url="https://e.x/w", path="a/.")
def test_absolute_urls_are_urljoins_of_the_site_url(site_url, path):
    config = Config(title="Joined", site_url=site_url)
    expected = urljoin(site_url, path) if site_url else path
    assert absolute(config, path) == expected
