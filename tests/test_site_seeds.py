"""The seed archive built end to end: every page parses, links resolve, content is where it belongs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from html_check import parse, resolve_link
from natowatch.build import build
from paths import SEEDS


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seeds") / "site"
    build(SEEDS, out)
    return out


def _pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}


def test_pages_expected_for_the_seeds_exist(site):
    pages = _pages(site)
    assert {"index.html", "timeline.html", "entities.html"} <= set(pages)
    assert len([p for p in pages if p.startswith("articles/")]) == 2
    assert "entities/north-atlantic-treaty-organization.html" in pages
    assert "entities/benjamin-netanyahu.html" in pages


def test_every_page_has_one_h1_a_title_and_only_resolving_relative_links(site):
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    for path, html in _pages(site).items():
        page = parse(html)
        assert len(page.all("h1")) == 1, path
        assert page.texts("title") and page.texts("title")[0], path
        ids_by_target: dict[str, list[str]] = {}
        for link in page.links():
            if link.startswith(("http://", "https://")):
                continue
            assert not link.startswith("/"), f"{path}: absolute link {link}"
            target, fragment = resolve_link(path, link)
            assert target in files, f"{path}: broken link {link}"
            if fragment and target.endswith(".html"):
                ids = ids_by_target.setdefault(target, parse((site / target).read_bytes()).ids)
                assert fragment in ids, f"{path}: missing anchor {link}"


def test_article_page_shows_byline_caption_body_and_labelled_comments(site):
    html = site / "articles/israel-to-open-permanent-office-at-nato-headquarters-in-brussels.html"
    page = parse(html.read_bytes())
    text = " ".join(page.text.split())
    assert "Hana Levi Julian" in text and "4 May 2016" in text
    assert "Credit: NATO" in text
    assert "Reader comments" in page.texts("h2")
    assert len([a for a in page.all("li") if (a.get("class") or "") == "comment"]) == 6
    assert "replying to Norman Gardner" in text
    # Six comments are a long thread: collapsed behind a summary, still all in the page.
    thread = [d for d in page.all("details") if d.get("class") == "comment-thread"]
    assert len(thread) == 1 and "Show all 6 reader comments" in page.texts("summary")
    # Page furniture is not shown as body text.
    body = " ".join(page.texts("p"))
    assert "Previous article" not in body and "Loading Facebook Comments" not in body


def _timeline_year_pages(site: Path) -> list[str]:
    """The year pages in the order timeline.html lists them (its year navigation)."""
    index = parse((site / "timeline.html").read_bytes())
    years = [link for link in index.links() if link.startswith("timeline/") and "#" not in link]
    return list(dict.fromkeys(years))


def test_timeline_lists_the_dated_events_in_order_linking_to_paragraphs(site):
    years = _timeline_year_pages(site)
    assert years[:2] == ["timeline/1949.html", "timeline/1994.html"]
    assert years[-1] == "timeline/undated.html"
    pages = [parse((site / path).read_bytes()) for path in years]
    text = " ".join(" ".join(page.text.split()) for page in pages)
    written = ("in 1949", "in late 1994", "9/11", "October 2006", "since 2010")
    order = [text.index(f"“{label}”") for label in written]
    assert order == sorted(order)
    assert any(link.endswith("#p9") for link in pages[0].links()), "NATO founded: 9th paragraph"
    assert "“on Thursday”" in " ".join(pages[-1].text.split()), "undated entries are kept"


def test_entity_page_lists_its_articles_and_mentions_in_context(site):
    page = parse((site / "entities/benjamin-netanyahu.html").read_bytes())
    assert page.texts("h1") == ["Benjamin Netanyahu"]
    article_links = {link for link in page.links() if link.startswith("../articles/")}
    assert len({link.split("#")[0] for link in article_links}) == 2
    assert page.texts("mark"), "mentions are highlighted in context"


def test_articles_json_holds_every_record_as_loaded(site):
    records = json.loads((site / "data/articles.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == ["000_643e925b5d599b63", "003_204e1f5f7911c1bf"]
    assert records[0]["comments"][4]["addressee"] == "Norman Gardner"
    assert {"entities", "events", "boilerplate", "headline_source"} <= set(records[1])
    assert any(e["name"] == "Yair Golan" for e in records[1]["entities"])


def test_two_builds_are_byte_identical(site, tmp_path):
    again = tmp_path / "again"
    build(SEEDS, again)
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


def test_capital_used_for_its_government_says_what_it_stands_for(site):
    page = parse((site / "entities/ankara.html").read_bytes())
    assert "Often stands for Government of Turkey." in " ".join(page.text.split())


def test_a_small_timeline_is_shown_whole_on_its_index(site):
    page = parse((site / "timeline.html").read_bytes())
    text = " ".join(page.text.split())
    written = ("in 1949", "in late 1994", "9/11", "October 2006", "since 2010")
    order = [text.index(f"“{label}”") for label in written]
    assert order == sorted(order)
    assert any(link.endswith("#p9") for link in page.links())


def test_every_page_has_the_same_footer_whatever_it_shows(site):
    """The footer is site-wide: it once counted the archive's articles, and an entity page of
    one article took its own count for the archive's ("An archive of 1 article"); then the
    count made every page's key change whenever an article was added or deleted."""
    records = json.loads((site / "data" / "articles.json").read_text(encoding="utf-8"))
    footers = set()
    for page in sorted(site.rglob("*.html")):
        if page.parts[len(site.parts)].startswith("pagefind"):
            continue
        html = page.read_text(encoding="utf-8")
        footer = html[html.index('<footer class="site-footer">') : html.index("</footer>")]
        footers.add(footer.replace("../", ""))  # the same links, relative to each page
    assert len(footers) == 1
    [footer] = footers
    assert "data/articles.json" in footer and "data/coverage.json" in footer
    assert str(len(records)) not in footer
