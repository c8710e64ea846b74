from __future__ import annotations

import dataclasses
import json
import posixpath
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import StrictUndefined
from markupsafe import Markup, escape

from html_check import ParsedPage, parse, resolve_link
from natowatch.archive.config import Config
from natowatch.core.errors import BuildError
from natowatch.core.jsonfile import json_bytes
from natowatch.core.model import (
    Article,
    Entity,
    EntityType,
    HeadlineSource,
    Mention,
    distinct_mentions,
)
from natowatch.corpus.index import build_entity_index
from natowatch.publish import plan, urls
from natowatch.publish.entity_views import MENTIONS_SHOWN
from natowatch.publish.environment import escape_for_template, make_environment
from natowatch.publish.render import MemorySink, render_into, render_site
from natowatch.publish.resources import static_dir, templates_dir
from site_factory import (
    BODY,
    HOSTILE,
    HOSTILE_TEXT,
    make_article,
    make_hostile_article,
    make_second_article,
    mention,
    quote,
)

CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'"
)
FIRST_PAGE = "articles/israel-to-open-office-at-nato.html"
SECOND_PAGE = "articles/israel-opens-new-office-nato.html"
HOSTILE_PUBLISHER_PAGE = (
    "publishers/publisher-script-alert-1-script-img-src-x-onerror-alert-1-7-7.html"
)
HOSTILE_PAGES = {
    "articles/hostile.html",
    "entities/person-evil.html",
    "people.html",
    "index.html",
    "archive/2016.html",
    "publishers.html",
    HOSTILE_PUBLISHER_PAGE,
}


STOLTENBERG = "person-jens-stoltenberg"
# One statement as two outlets printed it, in paragraph 4 of the first article and 3 of the second.
FIRST_QUOTE = (
    "The office will deepen our cooperation against terrorism and our intelligence sharing"
)
FIRST_QUOTE_PARAGRAPH = (
    f"“{FIRST_QUOTE},” Jens Stoltenberg said, adding it would open later this year."
)
SECOND_QUOTE = (
    "This office deepens cooperation against terrorism and intelligence sharing with Israel"
)
SECOND_QUOTE_PARAGRAPH = f"Jens Stoltenberg said: “{SECOND_QUOTE}.”"


def quoted_first_article() -> Article:
    """The first article with a quote by Stoltenberg in its last paragraph."""
    body = (*BODY[:3], FIRST_QUOTE_PARAGRAPH)
    said = quote(body[3], FIRST_QUOTE, 3, "Jens Stoltenberg", STOLTENBERG)
    return make_article(body=body, quotes=(said,))


def quoted_second_article() -> Article:
    """The second article reporting the same statement in other words, plus an unlinked one."""
    base = make_second_article()
    body = (*base.body, SECOND_QUOTE_PARAGRAPH)
    stoltenberg = dataclasses.replace(
        make_article().entities[1],
        mentions=(mention(body[2], "Jens Stoltenberg", 2),),
    )
    said = quote(body[2], SECOND_QUOTE, 2, "Jens Stoltenberg", STOLTENBERG)
    unlinked = quote(body[1], "lifted its veto", 1, None, None)
    return make_second_article(
        body=body,
        entities=(*base.entities, stoltenberg),
        quotes=(said, unlinked),
    )


def quoted_hostile_article() -> Article:
    hostile = make_hostile_article()
    said = quote(hostile.body[1], HOSTILE_TEXT, 1, f"Speaker {HOSTILE_TEXT}", "person-evil")
    return dataclasses.replace(hostile, quotes=(said,))


def all_articles() -> list[Article]:
    return [quoted_first_article(), quoted_second_article(), quoted_hostile_article()]


@pytest.fixture(scope="module")
def site() -> dict[str, bytes]:
    return render_site(all_articles(), Config(title="Test archive"))


JSONLD = "application/ld+json"


def without_jsonld(html: str) -> str:
    """The page without its JSON-LD block (escaped data, checked in test_site_meta.py) and
    the search page's own script files, so what is left must hold no script at all."""
    html = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S)
    return re.sub(r'<script src="[^"<>]*" defer></script>', "", html)


@pytest.fixture(scope="module")
def pages(site: dict[str, bytes]) -> dict[str, ParsedPage]:
    return {path: parse(data) for path, data in site.items() if path.endswith(".html")}


def test_site_has_every_page(site: dict[str, bytes]) -> None:
    expected = {
        "index.html",
        "timeline.html",
        "timeline/1994.html",
        "timeline/2016.html",
        "timeline/undated.html",
        "entities.html",
        "style.css",
        "data/articles.json",
        "data/coverage.json",
        FIRST_PAGE,
        SECOND_PAGE,
        "articles/hostile.html",
        "entities/org-nato.html",
        "entities/person-jens-stoltenberg.html",
        "entities/gpe-brussels.html",
        "entities/gpe-turkey.html",
        "entities/person-evil.html",
        "404.html",
        ".nojekyll",
        "feed.xml",
        "feed.json",
        "sitemap.xml",
        "robots.txt",
        "search.html",
        "search.js",
        "favicon.svg",
        "data/entities.json",
        "data/timeline.json",
        "archive/index.html",
        "archive/2016.html",
        "archive/undated.html",
        "people.html",
        "organisations.html",
        "places.html",
        "publishers.html",
        "publishers/the-example-press.html",
        "publishers/_unknown.html",
        HOSTILE_PUBLISHER_PAGE,
    }
    assert set(site) == expected
    assert list(site) == sorted(site)


def test_every_page_has_the_shared_frame(
    site: dict[str, bytes], pages: dict[str, ParsedPage]
) -> None:
    for path, page in pages.items():
        raw = site[path].decode("utf-8")
        assert raw.startswith('<!DOCTYPE html>\n<html lang="en">'), path
        assert len(page.all("h1")) == 1, path
        metas = page.all("meta")
        assert {"charset": "utf-8"} in metas, path
        assert any(m.get("name") == "viewport" for m in metas), path
        csp = [m for m in metas if m.get("http-equiv") == "Content-Security-Policy"]
        assert [m.get("content") for m in csp] == [CSP], path
        assert page.all("a")[0].get("href") == "#main", path  # skip link comes first
        assert [m.get("id") for m in page.all("main")] == ["main"], path
        assert page.all("header") and page.all("nav") and page.all("footer"), path
        nav_text = page.texts("nav")[0]
        for item in ("Articles", "Timeline", "Entities", "Archive", "Search"):
            assert item in nav_text, path
        assert page.texts("title")[0].endswith("· Test archive"), path


def test_no_scripts_inline_styles_or_external_resources(pages: dict[str, ParsedPage]) -> None:
    for path, page in pages.items():
        # Scripts are JSON-LD (data no browser executes) or, on the search page only, files
        # of our own (Pagefind's UI and search.js): never inline code.
        names = {
            name
            for name, attrs in page.tags
            if not (name == "script" and attrs.get("type") == "application/ld+json")
            and not (name == "script" and path == "search.html" and attrs.get("src"))
        }
        assert not names & {"script", "style", "iframe", "object", "embed", "img", "base"}, path
        for name, attrs in page.tags:
            assert "style" not in attrs, (path, name)
            assert not any(key.startswith("on") for key in attrs), (path, name, attrs)
            if name in ("link", "img", "source", "script") and attrs.get("type") != JSONLD:
                target, _ = resolve_link(path, attrs.get("href") or attrs.get("src") or "")
                assert target is not None, (path, attrs)


def test_internal_links_resolve_to_rendered_files_and_anchors(
    site: dict[str, bytes], pages: dict[str, ParsedPage]
) -> None:
    checked = 0
    for path, page in pages.items():
        for link in page.links():
            target, fragment = resolve_link(path, link)
            if target is None:
                continue
            assert not link.startswith("/"), (path, link)  # relative only: works under sub-paths
            assert not link.endswith("/"), (path, link)  # never a bare directory URL
            if target.startswith("pagefind/"):
                continue  # written by the search indexer at build time (tests/browser)
            assert target in site, (path, link)
            if fragment and target.endswith(".html"):
                assert fragment in pages[target].ids, (path, link)
            checked += 1
    assert checked > 100


def test_external_links_are_http_only_and_noopener(pages: dict[str, ParsedPage]) -> None:
    for path, page in pages.items():
        for attrs in page.all("a"):
            href = attrs.get("href") or ""
            if ":" in href.split("/")[0]:
                assert href.startswith(("http://", "https://")), (path, href)
                assert attrs.get("rel") == "noopener noreferrer", (path, href)


def test_ids_are_unique_per_page(pages: dict[str, ParsedPage]) -> None:
    for path, page in pages.items():
        assert len(page.ids) == len(set(page.ids)), path


def test_hostile_text_is_escaped_everywhere(
    site: dict[str, bytes], pages: dict[str, ParsedPage]
) -> None:
    for path, data in site.items():
        if not path.endswith(".html"):
            continue
        raw = without_jsonld(data.decode("utf-8"))
        assert "<script" not in raw, path
        assert "<img" not in raw, path
        assert "onerror=alert(1)>" not in raw, path
        assert "&lt;script&gt;" in raw or path not in HOSTILE_PAGES, path
        assert "49" not in pages[path].texts("h1")[0]
    hostile = pages["articles/hostile.html"]
    for text in HOSTILE:
        assert text in hostile.texts("h1")[0]  # headline, shown literally
        assert any(text in paragraph for paragraph in hostile.texts("p"))  # body, comment
        assert any(text in caption for caption in hostile.texts("figcaption"))
        assert any(text in heading for heading in hostile.texts("h2"))  # section heading
        assert text in pages["entities/person-evil.html"].texts("h1")[0]  # entity name
        assert text in pages["people.html"].text
        assert text in pages[HOSTILE_PUBLISHER_PAGE].texts("h1")[0]  # publisher name
        assert text in pages["publishers.html"].text
        assert text in pages["timeline/2016.html"].text
        assert text in pages["index.html"].text
    comment_text = hostile.texts("section")[-1]
    assert "Comment <script>alert(1)</script>" in comment_text
    assert "replying to Addressee" in comment_text
    # The javascript: URL is shown as text, never as a link.
    assert not any((a.get("href") or "").startswith("javascript") for a in hostile.all("a"))
    assert "javascript:alert(1)" in hostile.text


def test_output_is_deterministic_and_order_independent(site: dict[str, bytes]) -> None:
    again = render_site(list(reversed(all_articles())), Config(title="Test archive"))
    assert again == site
    assert list(again) == list(site)
    for path, data in site.items():
        if path.endswith(".html"):
            assert b"\r" not in data and data.endswith(b"\n"), path


def test_articles_json(site: dict[str, bytes]) -> None:
    data = site["data/articles.json"]
    assert data.endswith(b"}]\n")
    records = json.loads(data)
    assert [r["id"] for r in records] == ["000_israel", "003_ibtimes", "999_hostile"]
    assert records[0] == quoted_first_article().to_dict()
    assert "BRUSSELS –" in data.decode("utf-8")  # ensure_ascii=False
    text = json_bytes(records).decode("utf-8")
    assert data == text.encode("utf-8")


def test_index_lists_newest_first_with_undated_last(pages: dict[str, ParsedPage]) -> None:
    older = make_article(id="001_old", slug="old", published="2015-01-02")
    same_day = make_article(id="000_same_day", slug="same-day")
    site = render_site([make_second_article(), older, make_article(), same_day])
    index = parse(site["index.html"])
    headings = [a.get("href") for a in index.all("a") if (a.get("href") or "").startswith("art")]
    assert headings == [
        "articles/israel-to-open-office-at-nato.html",  # same day: "000_israel" < "000_same_day"
        "articles/same-day.html",
        "articles/old.html",
        "articles/israel-opens-new-office-nato.html",
    ]
    first_card = index.texts("article")[0]
    assert "The Example Press" in first_card
    assert "4 May 2016" in first_card
    assert (
        "BRUSSELS – Israel will open a permanent office at NATO headquarters in Brussels, the "
        "alliance said on Wednesday." in first_card
    )
    assert "Officials called it" not in first_card  # only the first sentence
    undated = index.texts("article")[-1]
    assert "unknown" in undated and "Date unknown" in undated


def test_article_page_content(pages: dict[str, ParsedPage]) -> None:
    page = pages[FIRST_PAGE]
    assert page.texts("h1") == ["Israel to Open Permanent Office at NATO Headquarters"]
    assert "By Hana Levi Julian" in page.text
    assert [i for i in page.ids if i.startswith("p") and i[1:].isdigit()] == [
        "p1",
        "p2",
        "p3",
        "p4",
    ]
    body_order = [
        (name, attrs.get("id"))
        for name, attrs in page.tags
        if attrs.get("id") in {"p1", "p2", "section-1"}
    ]
    assert body_order == [("p", "p1"), ("h2", "section-1"), ("p", "p2")]
    original = [a for a in page.all("a") if a.get("class") == "original"]
    assert original == [
        {
            "class": "original",
            "href": "https://example.com/news/israel-to-open-office-at-nato/2016/05/04/",
            "rel": "noopener noreferrer",
        }
    ]
    assert page.all("time")[0].get("datetime") == "2016-05-04"  # the header's
    figure = page.texts("figure")[0]
    assert "Jens Stoltenberg speaks to reporters in Brussels." in figure
    assert "Credit: Photo: NATO" in figure
    entity_links = [a.get("href") for a in page.all("a") if "entities/" in (a.get("href") or "")]
    assert "../entities/org-nato.html" in entity_links
    assert "Headline derived" not in page.text


def test_reader_comments_section(pages: dict[str, ParsedPage]) -> None:
    page = pages[FIRST_PAGE]
    sections = [s for s in page.all("section") if s.get("aria-labelledby") == "comments-heading"]
    assert sections == [{"class": "comments", "aria-labelledby": "comments-heading"}]
    heading = [h for n, h in page.tags if n == "h2" and h.get("id") == "comments-heading"]
    assert heading
    assert "Reader comments" in page.texts("h2")
    comments = page.texts("li")
    first = next(c for c in comments if c.startswith("Comment 1"))
    assert "reader1" in first and "May 4, 2016 at 10:01 am" in first
    assert "Good news for NATO." in first
    second = next(c for c in comments if c.startswith("Comment 2"))
    assert "replying to reader1" in second


def test_article_with_unknowns_and_derived_headline(pages: dict[str, ParsedPage]) -> None:
    page = pages[SECOND_PAGE]
    assert "By unknown" in page.text
    assert "Date unknown" in page.text
    assert "Headline derived from the URL; the text has none." in page.text
    assert "Reader comments" not in page.text  # no comments, not closed: no empty section


def test_body_html_is_inserted_as_is() -> None:
    article = make_article(
        format="markdown",
        body=("Some *emphasis* here.", "- item"),
        body_html=("<p>Some <em>emphasis</em> here.</p>", "<ul>\n<li>item</li>\n</ul>"),
        sections=(),
        entities=(),
        events=(),
    )
    site = render_site([article])
    raw = site[FIRST_PAGE].decode("utf-8")
    assert '<div class="paragraph" id="p1"><p>Some <em>emphasis</em> here.</p></div>' in raw
    assert "<li>item</li>" in raw
    index = parse(site["index.html"])
    assert "Some emphasis here." in index.texts("article")[0]  # tags stripped for the lede


def test_timeline_index_lists_the_years_with_counts(pages: dict[str, ParsedPage]) -> None:
    page = pages["timeline.html"]
    assert page.texts("h2") == ["1994 1 entry", "2016 6 entries", "Undated or unresolved 2 entries"]
    years = [link for link in page.links() if link.startswith("timeline/") and "#" not in link]
    assert list(dict.fromkeys(years)) == [
        "timeline/1994.html",
        "timeline/2016.html",
        "timeline/undated.html",
    ]
    # Small enough for one page: the entries are on the index too, under their months.
    assert page.texts("h3") == ["1994, month unknown", "May 2016"]
    assert f"{FIRST_PAGE}#p2" in page.links()


def test_a_long_timeline_index_lists_months_instead_of_entries() -> None:
    site = render_site(all_articles(), Config(title="Test archive", items_per_page=1))
    page = parse(site["timeline.html"])
    assert page.texts("h3") == []
    links = [a.get("href") for a in page.all("a")]
    assert "timeline/2016.html#month-05" in links  # each month links where it starts
    assert [t for t in page.texts("li") if t.startswith("May")] == ["May (6)"]


def test_timeline_year_pages_group_by_month_and_link_to_paragraphs(
    pages: dict[str, ParsedPage],
) -> None:
    page = pages["timeline/1994.html"]
    assert page.texts("h1") == ["Timeline: 1994"]
    assert page.texts("h2") == ["1994, month unknown"]
    links = [a.get("href") for a in page.all("a")]
    assert f"../{FIRST_PAGE}#p2" in links  # the 1994 event, paragraph index 1
    assert "2016.html" in links and "../timeline.html" in links  # next year, all years
    assert any("written “since 1994”" in e for e in page.texts("li"))
    may = pages["timeline/2016.html"]
    assert may.texts("h2") == ["May 2016"]
    links = [a.get("href") for a in may.all("a")]
    assert f"../{FIRST_PAGE}#p3" in links
    assert f"../{FIRST_PAGE}#comment-1" in links  # comment-zone event links to the comment
    assert f"../{FIRST_PAGE}" in links  # the publication entry
    assert "1994.html" in links and "../timeline.html" in links
    assert any("early May 2016" in e for e in may.texts("li"))


def test_timeline_undated_page_keeps_what_has_no_date(pages: dict[str, ParsedPage]) -> None:
    page = pages["timeline/undated.html"]
    assert page.texts("h1") == ["Timeline: undated or unresolved"]
    text = " ".join(page.text.split())
    assert "later this year" in text and "not resolved" in text
    assert "Israel opens new office nato" in text  # publication date unknown
    assert "../timeline.html" in [a.get("href") for a in page.all("a")]


def test_entity_page(pages: dict[str, ParsedPage]) -> None:
    page = pages["entities/org-nato.html"]
    assert page.texts("h1") == ["NATO"]
    assert "Organisation" in page.text
    assert "North Atlantic Treaty Organization" in page.text  # description
    assert page.texts("mark") == ["NATO", "NATO", "NATO"]
    contexts = page.texts("span")
    assert any(
        c.startswith("BRUSSELS – Israel will open a permanent office at NATO") for c in contexts
    )
    links = [a.get("href") for a in page.all("a")]
    assert f"../{FIRST_PAGE}#p1" in links
    assert f"../{FIRST_PAGE}#comment-1" in links
    assert f"../{SECOND_PAGE}" in links
    assert "Dated events" in page.texts("h2")
    assert f"../{FIRST_PAGE}#p2" in links  # the 1994 event tagged with this entity
    appearances = [h for h in page.texts("h3")]
    assert appearances[0] == "Israel to Open Permanent Office at NATO Headquarters"  # dated first
    assert "3 mentions in 2 articles" in " ".join(page.text.split())
    assert "more mention" not in page.text  # no article has more than a few
    assert page.all("nav")[-1].get("aria-label") != "Pagination"  # two articles fit one page


def test_entities_page_links_the_type_pages_with_counts(pages: dict[str, ParsedPage]) -> None:
    page = pages["entities.html"]
    assert page.texts("h2") == []  # no named events or "other" entities in these articles
    items = page.texts("li")
    assert "People 2 names" in items
    assert "Organisations 1 name" in items
    assert "Places 2 names" in items
    places = pages["places.html"].texts("li")
    assert "Turkey Country or city 2 mentions in 2 articles" in places
    assert "Brussels Country or city 1 mention in 1 article" in places
    assert "NATO 3 mentions in 2 articles" in pages["organisations.html"].texts("li")


def test_the_pages_indexed_for_search_come_first_and_are_announced(monkeypatch) -> None:
    """The sink hears ``indexed_pages_done`` once every article page is in it and before any
    other page is planned or written, so the search indexer starts while the rest is made."""
    order: list[str] = []
    browse_pages = plan.browse_pages
    monkeypatch.setattr(
        plan, "browse_pages", lambda *args: order.append("<planned browse>") or browse_pages(*args)
    )

    class Recording(MemorySink):
        def add(self, path: str, data: bytes) -> None:
            order.append(path)
            super().add(path, data)

        def indexed_pages_done(self) -> None:
            order.append("<indexed pages done>")

        def pages_done(self) -> None:
            order.append("<pages done>")

    render_into(Recording(), [make_article(), make_second_article()])
    pages = [path for path in order if path.endswith(".html")]
    done = order.index("<indexed pages done>")
    articles = {FIRST_PAGE, SECOND_PAGE}
    assert set(order[:done]) == articles
    assert not articles & set(order[done:]) and "<pages done>" in order[done:]
    assert order[done + 1] == "<planned browse>"
    assert len(pages) > len(articles)  # the other pages follow it


def test_same_output_path_is_a_build_error() -> None:
    clash = make_second_article(slug="israel-to-open-office-at-nato")
    with pytest.raises(BuildError) as caught:
        render_site([make_article(), clash])
    message = str(caught.value)
    assert "000_israel" in message and "003_ibtimes" in message
    assert "articles/israel-to-open-office-at-nato.html" in message


def test_paths_that_differ_only_in_case_clash() -> None:
    entity = dataclasses.replace(make_article().entities[0], id="ORG-NATO")
    other = make_second_article(entities=(entity,))
    with pytest.raises(BuildError, match="org-nato"):
        render_site([make_article(), other])


def test_empty_archive_renders() -> None:
    site = render_site([])
    for path in (
        "index.html",
        "timeline.html",
        "entities.html",
        "archive/index.html",
        "people.html",
        "publishers.html",
    ):
        assert len(parse(site[path]).all("h1")) == 1
    assert "archive/undated.html" not in site
    assert not [path for path in site if path.startswith("publishers/")]
    assert site["data/articles.json"] == b"[]\n"


def test_environment_escapes_and_is_strict() -> None:
    environment = make_environment()
    assert environment.autoescape is True
    assert environment.undefined is StrictUndefined
    template = environment.from_string("{{ value }}")
    assert template.render(value="<b>") == "&lt;b&gt;"


class _WithHtml:
    def __html__(self) -> str:
        return "<i>trusted</i>"


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.text(st.sampled_from("<>&'\"a\u00e9\U0001f600 ")),
        st.integers(),
        st.none(),
        st.floats(allow_nan=False),
        st.builds(Markup, st.text(st.sampled_from("<>&'\"ab"))) | st.just(_WithHtml()),
    )
)
def test_templates_escape_exactly_as_markupsafe_does(value: object) -> None:
    """The templates' ``{{ }}`` go through ``escape_for_template`` (a quicker path for a
    ``str``): the same Markup text as ``markupsafe.escape`` for any value, so the same pages."""
    escaped = escape_for_template(value)
    assert type(escaped) is Markup and escaped == escape(value)
    template = make_environment().from_string(
        "{{ value }}|{% macro m(v) %}{{ v }}{% endmacro %}{{ m(value) }}"
    )
    assert template.render(value=value) == f"{escape(value)}|{escape(value)}"


def test_every_site_template_escapes_through_the_quick_path() -> None:
    environment = make_environment()
    names = environment.list_templates()
    assert "article.html" in names
    for name in names:
        template = environment.get_template(name)
        assert template.root_render_func.__globals__["escape"] is escape_for_template, name


def test_templates_link_through_the_url_filter() -> None:
    """Links are made by the ``url`` filter, called directly, and by no ``url()`` function:
    Jinja2 calls a function through ``Context.call``, deriving a new context for each call
    inside a loop (a sixth of rendering entity pages). Checked in the compiled code, which
    the template source maps to."""
    environment = make_environment()
    assert "url" in environment.filters and "url" not in environment.globals
    for name in environment.list_templates():
        source = environment.loader.get_source(environment, name)[0]  # type: ignore[union-attr]
        code = environment.compile(source, name=name, raw=True)
        assert "name='url'" not in code, name
        assert "|url" in source or "href" not in source, name


def test_no_template_includes_another_inside_a_loop() -> None:
    """A list's items are looped over inside the included template (``_timeline_entries``,
    ``_quotes``), not included one per pass of a loop: each include makes a new context from
    a copy of every variable of the page, and timeline and entity pages list thousands of
    entries (a tenth of rendering a 1,000-article site's pages)."""
    from jinja2 import nodes

    environment = make_environment()
    for name in environment.list_templates():
        source = environment.loader.get_source(environment, name)[0]  # type: ignore[union-attr]
        for loop in environment.parse(source).find_all(nodes.For):
            assert not any(isinstance(node, nodes.Include) for node in loop.body), name


def test_each_template_renders_once_per_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from jinja2 import Template

    calls: list[str | None] = []
    original = Template.render

    def counting(self: Template, *args: object, **kwargs: object) -> str:
        calls.append(self.name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Template, "render", counting)
    site = render_site(all_articles())
    html_pages = [path for path in site if path.endswith(".html")]
    assert len(calls) == len(html_pages)


def test_resources_are_found() -> None:
    assert (templates_dir() / "base.html").is_file()
    assert (static_dir() / "style.css").is_file()


def test_stylesheet_basics(site: dict[str, bytes]) -> None:
    css = site[urls.STYLESHEET].decode("utf-8")
    for needle in (
        "prefers-color-scheme: dark",
        "overflow-wrap: anywhere",
        ":focus-visible",
        "max-width: 70ch",
        "system-ui",
        ".comments",
    ):
        assert needle in css
    assert "@import" not in css and "url(" not in css  # no fonts or other requests


def test_headline_source_values_cover_derived_note() -> None:
    article = make_second_article(url=None)
    site = render_site([article])
    page = parse(site[SECOND_PAGE])
    assert "Headline derived from the opening text" in page.text
    metadata = make_second_article(headline_source=HeadlineSource.TEXT)
    assert "Headline derived" not in parse(render_site([metadata])[SECOND_PAGE]).text


def test_relative_links_work_from_nested_pages(site: dict[str, bytes]) -> None:
    page = parse(site[FIRST_PAGE])
    stylesheet = [
        attrs.get("href") for attrs in page.all("link") if attrs.get("rel") == "stylesheet"
    ]
    assert stylesheet == ["../style.css"]
    assert posixpath.normpath(posixpath.join("articles", "../style.css")) == "style.css"


def test_wikidata_ids_link_out_only_when_well_formed() -> None:
    base = make_article()
    good = dataclasses.replace(base.entities[0], wikidata="Q7184")
    site = render_site([make_article(entities=(good,))])
    links = parse(site["entities/org-nato.html"]).all("a")
    assert {
        "href": "https://www.wikidata.org/wiki/Q7184",
        "rel": "noopener noreferrer",
    } in links
    bad = dataclasses.replace(base.entities[0], wikidata="javascript:alert(1)")
    page = parse(render_site([make_article(entities=(bad,))])["entities/org-nato.html"])
    assert not any("javascript" in (a.get("href") or "") for a in page.all("a"))


# --- cross-article coverage on the pages ----------------------------------------------------


def _section(page: ParsedPage, heading_id: str) -> list[tuple[str, dict[str, str | None]]]:
    """The tags from the section labelled by ``heading_id`` up to the next section."""
    found: list[tuple[str, dict[str, str | None]]] = []
    inside = False
    for name, attrs in page.tags:
        if name == "section":
            inside = attrs.get("aria-labelledby") == heading_id
        elif inside:
            found.append((name, attrs))
    return found


def _links_in(page: ParsedPage, heading_id: str) -> list[str]:
    return [str(a["href"]) for n, a in _section(page, heading_id) if n == "a" and a.get("href")]


def test_article_page_lists_quotes_with_speaker_and_other_reports(
    site: dict[str, bytes], pages: dict[str, ParsedPage]
) -> None:
    page = pages[FIRST_PAGE]
    assert "Quotes" in page.texts("h2")
    assert FIRST_QUOTE in page.texts("blockquote")[0]
    links = _links_in(page, "quotes-heading")
    assert links[:3] == [
        "../entities/person-jens-stoltenberg.html",  # the speaker's entity page
        "#p4",  # where the quote is in this article
        "israel-opens-new-office-nato.html#p3",  # the other outlet's paragraph
    ]
    also = [p for p in page.texts("p") if p.startswith("Also reported by")]
    assert also == ["Also reported by Israel opens new office nato (unknown, paragraph 3)"]
    for link in links:
        target, fragment = resolve_link(FIRST_PAGE, link)
        assert target in site, link
        if fragment:
            assert fragment in pages[str(target)].ids, link


def test_unattributed_quote_has_no_speaker_link_and_no_other_reports(
    pages: dict[str, ParsedPage],
) -> None:
    page = pages[SECOND_PAGE]
    quotes = [t for t in page.texts("li") if t.startswith("lifted its veto")]
    assert quotes == ["lifted its veto — speaker unknown, paragraph 2"]


def test_article_page_shows_related_coverage_and_the_story_thread(
    pages: dict[str, ParsedPage],
) -> None:
    first, second = pages[FIRST_PAGE], pages[SECOND_PAGE]
    assert "Related coverage" in first.texts("h2") and "Story thread" in first.texts("h2")
    assert _links_in(first, "related-heading")[0] == "israel-opens-new-office-nato.html"
    assert _links_in(second, "related-heading")[0] == "israel-to-open-office-at-nato.html"
    related = [t for t in first.texts("li") if t.startswith("Israel opens new office nato")]
    assert any("Both name" in text and "NATO" in text for text in related)
    thread_text = " ".join(first.texts("section")[1].split())
    assert "Part of the story thread" in thread_text
    # Oldest first: the dated first article (this one, not linked), then the undated second.
    assert _links_in(first, "thread-heading") == ["israel-opens-new-office-nato.html"]
    assert [a.get("class") for n, a in _section(first, "thread-heading") if n == "li"] == [
        "thread-current",
        None,
    ]
    assert _links_in(second, "thread-heading") == ["israel-to-open-office-at-nato.html"]


def test_speaker_page_lists_quotes_across_articles_with_paragraph_links(
    pages: dict[str, ParsedPage],
) -> None:
    page = pages["entities/person-jens-stoltenberg.html"]
    assert "Quotes" in page.texts("h2")
    assert page.texts("blockquote") == [FIRST_QUOTE, SECOND_QUOTE]  # dated article first
    links = _links_in(page, "quotes-heading")
    assert f"../{FIRST_PAGE}#p4" in links and f"../{SECOND_PAGE}#p3" in links
    assert [i for i in page.ids if i.startswith("quote-")] == ["quote-1", "quote-2"]
    # An entity's own timeline is on its page; events of other entities are not.
    assert "Dated events" not in page.texts("h2")
    nato = pages["entities/org-nato.html"]
    assert "Dated events" in nato.texts("h2")
    assert "written “since 1994”" in " ".join(nato.text.split())


def test_entity_page_shows_its_events_after_aliases_are_resolved() -> None:
    from natowatch.understand.aliases import resolve_aliases

    body = ("Stoltenberg spoke in 2016.",)
    short = make_second_article(
        id="004_short",
        slug="short",
        body=body,
        entities=(
            dataclasses.replace(
                make_article().entities[1],
                id="stoltenberg",
                name="Stoltenberg",
                mentions=(mention(body[0], "Stoltenberg", 0),),
            ),
        ),
        events=(
            dataclasses.replace(
                make_article().events[0],
                date="2016",
                expression="in 2016",
                sentence=body[0],
                paragraph=0,
                entities=("stoltenberg",),
            ),
        ),
    )
    site = render_site(resolve_aliases([make_article(), short]))
    assert "entities/stoltenberg.html" not in site
    page = parse(site["entities/person-jens-stoltenberg.html"])
    assert "written “in 2016”" in " ".join(page.text.split())
    assert "articles/short.html#p1" in " ".join(page.links())


def test_coverage_json_is_sorted_and_names_the_thread(site: dict[str, bytes]) -> None:
    data = site["data/coverage.json"]
    records = json.loads(data)
    assert records["threads"] == [
        {"id": "thread-000_israel", "articles": ["000_israel", "003_ibtimes"]}
    ]
    assert [link["article"] for link in records["quote_links"]] == ["000_israel", "003_ibtimes"]
    assert data == json_bytes(records)


def test_hostile_quotes_are_escaped(site: dict[str, bytes], pages: dict[str, ParsedPage]) -> None:
    raw = without_jsonld(site["articles/hostile.html"].decode("utf-8"))
    assert "<script" not in raw
    quote_text = pages["articles/hostile.html"].texts("blockquote")
    assert quote_text == [HOSTILE_TEXT]
    speaker_page = pages["entities/person-evil.html"]
    assert speaker_page.texts("blockquote") == [HOSTILE_TEXT]


def test_entity_pages_make_each_articles_link_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every entity page listing an article shows the same link to it: made once per record
    in a build (``LinkTexts.view``), and every entity page still links its articles."""
    from natowatch.publish import page_inputs
    from natowatch.publish.views import article_link

    articles = all_articles()
    made: list[str] = []
    monkeypatch.setattr(page_inputs, "article_link", lambda a: made.append(a.id) or article_link(a))
    site = render_site(articles)
    entity_pages = [path for path in site if path.startswith("entities/")]
    assert entity_pages and made and len(made) == len(set(made))
    for path in entity_pages:
        targets = {resolve_link(path, link)[0] or "" for link in parse(site[path]).links()}
        assert any(target.startswith("articles/") for target in targets), path


_SNIPPET_WORDS = st.sampled_from(["NATO", "said", "<b>x</b>", "&amp;", "Mr.", "end.", "A.", "“q”"])


@settings(max_examples=25, deadline=None)
@given(
    paragraphs=st.lists(
        st.lists(_SNIPPET_WORDS, min_size=1, max_size=90).map(" ".join), min_size=1, max_size=3
    ),
    places=st.lists(
        st.tuples(st.integers(0, 4), st.integers(-5, 700), st.integers(0, 12)), max_size=5
    ),
)
def test_entity_pages_cut_each_mention_as_the_index_does(
    paragraphs: list[str], places: list[tuple[int, int, int]]
) -> None:
    """An entity page shows each of an article's first mentions as the entity index cuts it
    (``EntityInArticle.mentions``), escaped, for any offsets: stale, out of range, pointing at
    other text, or in a paragraph the article does not have."""
    mentions = tuple(
        Mention(
            paragraphs[p][s : s + n] if p < len(paragraphs) and s >= 0 and n else "NATO",
            p,
            s,
            s + max(n, 1),
        )
        for p, s, n in places
    ) or (Mention("NATO", 0, 0, 4),)
    entity = Entity("org-nato", "NATO", EntityType.ORG, distinct_mentions(mentions))
    article = make_article(body=tuple(paragraphs), entities=(entity,), events=(), quotes=())
    site = render_site([article])
    shown = build_entity_index([article])["org-nato"].articles[0].mentions[:MENTIONS_SHOWN]
    page = parse(site["entities/org-nato.html"])
    contexts = [
        text
        for text in page.texts("span")
        if text in {" ".join((m.before + m.text + m.after).split()) for m in shown}
    ]
    assert contexts == [" ".join((m.before + m.text + m.after).split()) for m in shown]
    assert page.texts("mark") == [" ".join(m.text.split()) for m in shown]
