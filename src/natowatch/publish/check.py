"""``natowatch check``: validate a built site the way a reader and a feed reader would meet it.

Every page has a title and exactly one h1; every internal link and asset resolves, anchors
included; no link is absolute-path ("/x") or leaves the site; feeds and sitemap parse. The check
reads only the built folder, so it works on any site, from any build.
"""

from __future__ import annotations

import json
import posixpath
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRIBUTES = ("href", "src")
EXTERNAL_SCHEMES = ("http", "https", "mailto")
ATOM = "{http://www.w3.org/2005/Atom}feed"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class PageFacts:
    """What the checker needs from one HTML page."""

    titles: list[str] = field(default_factory=list)
    h1_count: int = 0
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class _PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self._in_title = False
        self._title: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "h1":
            self.facts.h1_count += 1
        if tag == "title":
            self._in_title = True
        if values.get("id"):
            self.facts.ids.add(str(values["id"]))
        if tag == "a" and values.get("name"):
            self.facts.ids.add(str(values["name"]))
        for attribute in LINK_ATTRIBUTES:
            value = values.get(attribute)
            if value is not None and not (tag == "link" and values.get("rel") == "canonical"):
                self.facts.links.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title = False
            self.facts.titles.append("".join(self._title).strip())

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)


def read_page(html: str) -> PageFacts:
    reader = _PageReader()
    reader.feed(html)
    reader.close()
    return reader.facts


def check_site(site: Path) -> list[Problem]:
    """All problems found in the built site at ``site`` (empty when it is sound)."""
    if not site.is_dir():
        return [Problem(str(site), "is not a built site folder; run natowatch build first")]
    files = {
        path.relative_to(site).as_posix() for path in sorted(site.rglob("*")) if path.is_file()
    }
    pages = {
        path: read_page((site / path).read_text(encoding="utf-8"))
        for path in sorted(files)
        if path.endswith(".html")
    }
    problems: list[Problem] = []
    if "index.html" not in files:
        problems.append(Problem("index.html", "missing: the site has no front page"))
    for path, facts in pages.items():
        problems.extend(_page_problems(path, facts, files, pages))
    problems.extend(_feed_problems(site, files))
    return problems


def _page_problems(
    path: str, facts: PageFacts, files: set[str], pages: dict[str, PageFacts]
) -> list[Problem]:
    problems = []
    if len(facts.titles) != 1 or not facts.titles[0]:
        problems.append(Problem(path, "needs exactly one non-empty <title>"))
    if facts.h1_count != 1:
        problems.append(Problem(path, f"has {facts.h1_count} <h1> elements; a page needs one"))
    for link in sorted(set(facts.links)):
        problem = _link_problem(path, link, files, pages)
        if problem:
            problems.append(Problem(path, problem))
    return problems


def _link_problem(page: str, link: str, files: set[str], pages: dict[str, PageFacts]) -> str | None:
    parts = urlsplit(link)
    if parts.scheme in EXTERNAL_SCHEMES:
        return None
    if parts.scheme or parts.netloc:
        return f"link {link!r} uses a scheme or host the site cannot serve"
    if parts.path.startswith("/"):
        return f"link {link!r} is absolute; it breaks under a sub-path and from file://"
    target = page
    if parts.path:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
        if target.startswith("../") or target == "..":
            return f"link {link!r} leaves the site"
        if target not in files and posixpath.join(target, "index.html") not in files:
            return f"broken link {link!r}: {target} does not exist"
    fragment = unquote(parts.fragment)
    if fragment and target in pages and fragment not in pages[target].ids:
        return f"broken anchor {link!r}: no id {fragment!r} in {target}"
    return None


def _feed_problems(site: Path, files: set[str]) -> list[Problem]:
    problems = []
    for name, root_tag in (("feed.xml", ATOM), ("sitemap.xml", SITEMAP)):
        if name not in files:
            continue
        try:
            root = ET.fromstring((site / name).read_bytes())
        except ET.ParseError as error:
            problems.append(Problem(name, f"is not well-formed XML: {error}"))
            continue
        if root.tag != root_tag:
            problems.append(Problem(name, f"root element is {root.tag}, expected {root_tag}"))
    if "feed.json" in files:
        try:
            feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
        except ValueError as error:
            problems.append(Problem("feed.json", f"is not valid JSON: {error}"))
        else:
            if not str(feed.get("version", "")).startswith("https://jsonfeed.org/version/"):
                problems.append(Problem("feed.json", "has no JSON Feed version"))
    return problems
