"""The XSS corpus in every field of both input formats: the built files hold it only as text.

Static checks on the files (the browser test in ``tests/browser/test_xss_browser.py`` loads the
same sites in Chromium): no element, attribute or URL that could run script came from input; a
strict Content-Security-Policy on every page; JSON-LD, feeds, sitemap, data files and the search
index hold the vectors as data; template syntax is shown as written, never evaluated.
"""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from natowatch.archive.config import Config
from natowatch.archive.loader import load_archive
from natowatch.archive.markdown import render_body
from natowatch.build import build
from natowatch.publish.render import render_site
from xss_corpus import (
    LITERAL_TEMPLATES,
    SITE_DESCRIPTION,
    SITE_TITLE,
    TEMPLATE_RESULTS,
    VECTORS,
    Vector,
    entity_names,
    file_safe,
    fits_headline,
    groups,
    headline_batches,
    headline_file_name,
    headline_line,
    hostile_records,
    one_line,
    write_xss_archive,
)

# Elements the templates and the Markdown renderer write; anything else came from input.
SAFE_ELEMENTS = frozenset(
    """html head meta title link script body a abbr article aside b blockquote br button caption
    cite code dd del details div dl dt em figcaption figure footer form h1 h2 h3 h4 h5 h6 header
    hr i input ins kbd label li main mark nav noscript ol p pre q s section small span strong sub
    summary sup table tbody td tfoot th thead time tr u ul""".split()
)
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "poster", "xlink:href"})
SAFE_SCHEMES = frozenset({"", "http", "https", "mailto"})
SITE_SCRIPTS = frozenset({"pagefind/pagefind-ui.js", "search.js"})
JSON_LD = "application/ld+json"
# Characters XML 1.0 does not allow, even as character references.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
CLASSES = {"script", "event", "url", "markdown", "svg", "iframe", "breakout", "data"}


def collapse(text: str) -> str:
    return " ".join(text.split())


# --- the sites ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xss_archive(tmp_path_factory) -> Path:
    return write_xss_archive(tmp_path_factory.mktemp("xss") / "archive")


@pytest.fixture(scope="module")
def xss_site(xss_archive: Path) -> Path:
    out = xss_archive.parent / "site"
    build(xss_archive, out)
    return out


@pytest.fixture(scope="module")
def records_site(tmp_path_factory) -> Path:
    """Hand-made records carrying the vectors in the fields the loader keeps name-shaped."""
    out = tmp_path_factory.mktemp("xss-records") / "site"
    config = Config(title=SITE_TITLE, description=SITE_DESCRIPTION)
    for path, content in render_site(hostile_records(), config).items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(content)
    return out


@pytest.fixture(scope="module", params=["archive", "records"])
def any_site(request) -> Path:
    return request.getfixturevalue("xss_site" if request.param == "archive" else "records_site")


def html_pages(site: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if not relative.startswith("pagefind/"):
            yield relative, path.read_text(encoding="utf-8")


# --- reading pages -----------------------------------------------------------------------------


@dataclass
class Page:
    elements: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    scripts: list[tuple[dict[str, str | None], str]] = field(default_factory=list)
    texts: dict[str, list[str]] = field(default_factory=dict)  # h1, title, p: their text
    text: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    CAPTURE = ("h1", "title")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._script: dict[str, str | None] | None = None
        self._script_text: list[str] = []
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.page.elements.append((tag, values))
        if tag == "script":
            self._script, self._script_text = values, []
        if tag in self.CAPTURE:
            self._open.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.page.scripts.append((self._script, "".join(self._script_text)))
            self._script = None
        if self._open and self._open[-1][0] == tag:
            name, parts = self._open.pop()
            self.page.texts.setdefault(name, []).append(collapse("".join(parts)))

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)
            return
        self.page.text.append(data)
        for _, parts in self._open:
            parts.append(data)


def read(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


def meta_content(page: Page, key: str, value: str) -> list[str | None]:
    return [
        attrs.get("content")
        for tag, attrs in page.elements
        if tag == "meta" and attrs.get(key) == value
    ]


# --- the corpus and the archive ----------------------------------------------------------------


def test_the_corpus_has_over_sixty_distinct_vectors_of_every_class():
    assert len(VECTORS) >= 60
    assert len({vector.id for vector in VECTORS}) == len(VECTORS)
    assert len({vector.text for vector in VECTORS}) == len(VECTORS)
    assert CLASSES | {"encoded", "template"} <= {vector.kind for vector in VECTORS}
    assert all("\n" not in vector.text and "\r" not in vector.text for vector in VECTORS)


def test_the_archive_puts_every_vector_into_every_field(xss_archive: Path):
    """The loader really carries each vector into each field, so the site tests test something."""
    articles = load_archive(xss_archive)
    markdown = [article for article in articles if article.format == "markdown"]
    text = [article for article in articles if article.format == "text"]
    groups_text = [article for article in text if article.images]
    fields: dict[str, list[str]] = {
        "markdown headline": [article.headline for article in markdown],
        "markdown body": [p for article in markdown for p in article.body],
        "markdown section": [s.heading for article in markdown for s in article.sections],
        "text headline": [article.headline for article in text if not article.images],
        "text body": [p for article in groups_text for p in article.body],
        "caption": [image.caption or "" for article in text for image in article.images],
        "credit": [image.credit or "" for article in text for image in article.images],
        "bio": [article.author_bio or "" for article in text],
        "comment": [comment.text for article in text for comment in article.comments],
        "authors": [name for article in articles for name in article.authors],
        "publisher": [article.publisher or "" for article in articles],
        "url": [article.url or "" for article in articles],
        "tags": [tag for article in articles for tag in article.tags],
        "categories": [tag for article in markdown for tag in article.tags if "Category" in tag],
        "summary": [str(article.extra.get("summary", "")) for article in markdown],
        "extra": [text for article in markdown for text in _texts(article.extra)],
        "file name": [article.source_file for article in articles],
        "entity": [
            f"{entity.name} {entity.description}"
            for article in articles
            for entity in article.entities
        ],
    }
    missing = {
        name: [vector.id for vector in VECTORS if not _reached(vector, name, values)]
        for name, values in fields.items()
    }
    assert {name: ids for name, ids in missing.items() if ids} == {}


def _texts(value: object) -> list[str]:
    """Every text in a record's ``extra``: keys and values, however nested."""
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in [str(key), *_texts(item)]]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return [value] if isinstance(value, str) else []


def _reached(vector: Vector, name: str, values: list[str]) -> bool:
    if name == "text headline" and not fits_headline(headline_line((vector,))):
        return True  # too long for a headline line: the text's headline is then derived
    if name == "file name" and not file_safe(vector):
        return True
    if name == "url" and vector.kind != "url":
        return True  # an article has one URL: the URL-shaped vectors are each given as one
    if name.startswith("markdown") and vector.kind == "markdown":
        return True  # Markdown syntax is rendered (links checked below), not kept as text
    wanted = {collapse(one_line(vector.text))}
    if name.startswith("markdown"):
        # Markdown decodes entities and reads `code` and *emphasis* (which may span vectors).
        wanted |= {collapse(" ".join(render_body(vector.text).paragraphs))}
        wanted |= {form.replace("*", "") for form in wanted}
    return any(form in collapse(value) for value in values for form in wanted)


# --- HTML --------------------------------------------------------------------------------------


def markup_problems(path: str, html: str) -> list[str]:
    """Elements, attributes, URLs and scripts on the page that the site itself never writes."""
    problems = []
    page = read(html)
    for tag, attrs in page.elements:
        where = f"{path}: <{tag}>"
        if tag not in SAFE_ELEMENTS:
            problems.append(f"{where} is not an element the site writes")
        for name, value in attrs.items():
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                problems.append(f"{where} has {name}={value!r}")
            if name in URL_ATTRIBUTES and value is not None:
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme not in SAFE_SCHEMES or not value.isprintable():
                    problems.append(f"{where} links to {value!r}")
        if tag == "meta" and attrs.get("http-equiv", "Content-Security-Policy") != (
            "Content-Security-Policy"
        ):
            problems.append(f"{where} is {attrs!r}")
        if tag == "form" and not re.fullmatch(r"(\.\./)*search\.html", attrs.get("action") or ""):
            problems.append(f"{where} sends to {attrs.get('action')!r}")
    for attrs, body in page.scripts:
        if attrs.get("type") == JSON_LD and not attrs.get("src"):
            continue
        if path == "search.html" and attrs.get("src") in SITE_SCRIPTS and not body.strip():
            continue
        problems.append(f"{path}: script {attrs!r} {body[:80]!r}")
    return problems


def test_the_markup_check_finds_injected_markup():
    """A control: the check below does report what a vector would leave behind."""
    injected = [
        "<script>x()</script>",
        '<script src="search.js"></script>',
        "<img src=x>",
        '<a href="javascript:x()">x</a>',
        '<a href=" JAVASCRIPT:x()">x</a>',
        '<p onclick="x()">x</p>',
        '<p style="x">x</p>',
        '<iframe srcdoc="x"></iframe>',
        '<meta http-equiv="refresh" content="0;url=x">',
        '<form action="https://example.com/"></form>',
        "<svg><a>x</a></svg>",
    ]
    for html in injected:
        assert markup_problems("articles/a.html", f"<p>{html}</p>"), html
    assert markup_problems("articles/a.html", "<p>&lt;script&gt;x()&lt;/script&gt;</p>") == []


def test_no_page_holds_markup_that_came_from_input(any_site: Path):
    problems = [
        problem for path, html in html_pages(any_site) for problem in markup_problems(path, html)
    ]
    assert problems == []


def test_every_page_has_a_csp_that_allows_no_inline_script_and_no_other_origin(any_site: Path):
    for path, html in html_pages(any_site):
        page = read(html)
        policies = meta_content(page, "http-equiv", "Content-Security-Policy")
        assert len(policies) == 1, path
        first = next(tag for tag, _ in page.elements if tag not in ("html", "head"))
        assert first == "meta", f"{path}: the policy must come before anything it governs"
        directives = {
            name: sources
            for name, *sources in (part.split() for part in (policies[0] or "").split(";"))
        }
        assert directives["default-src"] == ["'self'"], path
        assert set(directives["script-src"]) <= {"'self'", "'wasm-unsafe-eval'"}, path
        assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'none'"]
        for name, sources in directives.items():
            for source in sources:
                assert source.startswith("'") or (source == "data:" and name == "img-src"), (
                    f"{path}: {name} allows {source}"
                )
                assert source not in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'")


def test_headlines_are_shown_exactly_as_written(xss_site: Path):
    """Each raw-text headline line: in h1, title, OpenGraph and JSON-LD, character for character."""
    articles = {
        article.source_file: article for article in load_archive(xss_site.parent / "archive")
    }
    checked = 0
    for number, batch in enumerate(headline_batches(), start=1):
        if not fits_headline(headline_line(batch)):
            continue  # too long to be read as a headline line
        article = articles[headline_file_name(number, batch)]
        expected = collapse(headline_line(batch))
        html = (xss_site / "articles" / f"{article.slug}.html").read_text(encoding="utf-8")
        page = read(html)
        assert page.texts["h1"] == [expected], batch
        assert page.texts["title"][0].startswith(expected + " · "), batch
        (og_title,) = meta_content(page, "property", "og:title")
        assert collapse(og_title or "") == expected, batch
        (jsonld,) = [
            json.loads(body) for attrs, body in page.scripts if attrs.get("type") == JSON_LD
        ]
        assert jsonld["headline"] == headline_line(batch), batch
        checked += len(batch)
    assert checked >= 60


def test_every_text_field_shows_the_vectors_as_text(any_site: Path):
    """Each vector's text is on the pages of its group; only Markdown syntax is rendered."""
    pages = {path: collapse("".join(read(html).text)) for path, html in html_pages(any_site)}
    everything = "\n".join(pages.values())
    for vector in VECTORS:
        if vector.kind != "markdown":
            assert collapse(vector.text) in everything, vector.id
    assert collapse(SITE_TITLE) in pages["index.html"]


REJECTED_MARKDOWN = (
    "md-js-link md-js-link-upper md-js-link-entity md-js-link-hex md-js-link-angle md-js-image "
    "md-js-autolink md-vbscript-link md-js-link-percent".split()
)
CALL = re.compile(r"(?:__xss|alert|confirm|prompt|msgbox)\(\d+\)")


def test_markdown_links_keep_only_safe_schemes_and_the_rest_is_text(xss_site: Path):
    links, text = [], []
    for path, html in html_pages(xss_site):
        if path.startswith("articles/"):
            page = read(html)
            links += [(tag, attrs) for tag, attrs in page.elements if tag in ("a", "img")]
            text += page.text
    hrefs = [attrs.get("href") or attrs.get("src") or "" for _, attrs in links]
    assert {urlsplit(href).scheme for href in hrefs} <= SAFE_SCHEMES
    assert any(href.startswith("https://example.com/") for href in hrefs)  # safe links stay
    visible = "".join(text)
    for vector in VECTORS:
        if vector.id in REJECTED_MARKDOWN:
            call = CALL.search(vector.text)
            assert call and call.group() in visible, vector.id
    assert not [attrs for tag, attrs in links if tag == "img"], "an image from another origin"


def test_template_syntax_is_shown_literally_and_never_evaluated(any_site: Path):
    results = re.compile(
        "|".join(rf"(?<![0-9a-z.]){re.escape(r)}(?![0-9a-z])" for r in TEMPLATE_RESULTS)
    )
    literal_found = set()
    for path in sorted(any_site.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt"):
            text = path.read_text(encoding="utf-8")
            assert results.search(text) is None, (path, results.search(text))
            if path.suffix == ".html":
                visible = "".join(read(text).text)
                literal_found |= {template for template in LITERAL_TEMPLATES if template in visible}
    assert literal_found == set(LITERAL_TEMPLATES)


# --- JSON-LD, feeds, sitemap, data files, search index -----------------------------------------


def test_json_ld_cannot_end_its_script_and_holds_the_text(any_site: Path):
    seen = 0
    for path, html in html_pages(any_site):
        for attrs, body in read(html).scripts:
            if attrs.get("type") != JSON_LD:
                continue
            assert not set(body) & set("<>&"), path
            data = json.loads(body)
            assert data["@type"] == "NewsArticle"
            assert read(html).texts["h1"] == [collapse(data["headline"])], path
            seen += 1
    assert seen >= len(groups())


def test_a_front_matter_summary_is_the_description_as_text(xss_site: Path):
    """Hugo's summary (or description) becomes the article's description: in the meta tags and
    the JSON-LD as text, never markup (test_no_page_holds_markup_that_came_from_input)."""
    seen = 0
    for path, html in html_pages(xss_site):
        page = read(html)
        [description] = meta_content(page, "name", "description")
        if not path.startswith("articles/") or not (description or "").startswith("Summary "):
            continue
        assert meta_content(page, "property", "og:description") == [description]
        for attrs, body in page.scripts:
            if attrs.get("type") == JSON_LD:
                assert json.loads(body)["description"] == description
        seen += 1
    assert seen == len(groups())


def test_feeds_and_sitemap_parse_and_hold_the_text(any_site: Path):
    articles = (
        load_archive(any_site.parent / "archive")
        if any_site.parent.joinpath("archive").is_dir()
        else hostile_records()
    )
    headlines = {NOT_XML.sub("", article.headline) for article in articles}
    atom = ET.parse(any_site / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [entry.findtext("a:title", namespaces=ns) for entry in atom.findall("a:entry", ns)]
    assert titles and set(titles) <= headlines
    assert ET.parse(any_site / "feed.xml").getroot().findtext("a:title", namespaces=ns)
    for link in atom.iter(f"{{{ns['a']}}}link"):
        assert urlsplit(link.get("href", "")).scheme in SAFE_SCHEMES - {"mailto"}
    json_feed = json.loads((any_site / "feed.json").read_text(encoding="utf-8"))
    assert {item["title"] for item in json_feed["items"]} <= {a.headline for a in articles}
    for item in json_feed["items"]:
        assert urlsplit(item.get("external_url", "")).scheme in ("", "http", "https")
    sitemap = ET.parse(any_site / "sitemap.xml").getroot()
    for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
        assert re.fullmatch(r"[a-z0-9/._-]+\.html", loc.text or ""), loc.text


def test_data_files_hold_the_vectors_as_data(xss_site: Path, xss_archive: Path):
    loaded = {article.id: article for article in load_archive(xss_archive)}
    records = json.loads((xss_site / "data" / "articles.json").read_text(encoding="utf-8"))
    assert {record["id"]: record["headline"] for record in records} == {
        key: article.headline for key, article in loaded.items()
    }
    entities = json.loads((xss_site / "data" / "entities.json").read_text(encoding="utf-8"))
    names = {entity["name"] for entity in entities}
    for number, group in enumerate(groups(), start=1):
        assert set(entity_names(number, group)) <= names


def test_the_search_index_holds_the_headlines_as_plain_text(xss_site: Path):
    titles = set()
    for fragment in (xss_site / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        titles.add(collapse(json.loads(data)["meta"]["title"]))
    for batch in headline_batches():
        if fits_headline(headline_line(batch)):
            assert collapse(headline_line(batch)) in titles, batch
