"""A small standard-library HTML reader for checking rendered pages in tests."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)


@dataclass
class ParsedPage:
    tags: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    text_by_tag: dict[str, list[str]] = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)
    text: str = ""

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def texts(self, tag: str) -> list[str]:
        """The text content of each ``tag`` element, whitespace collapsed."""
        return [" ".join(text.split()) for text in self.text_by_tag.get(tag, [])]

    def links(self) -> list[str]:
        found = []
        for _, attrs in self.tags:
            for attribute in ("href", "src"):
                value = attrs.get(attribute)
                if value is not None:
                    found.append(value)
        return found


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self.open: list[tuple[str, list[str]]] = []
        self.all_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.page.tags.append((tag, attributes))
        if attributes.get("id"):
            self.page.ids.append(str(attributes["id"]))
        if tag not in VOID_ELEMENTS:
            self.open.append((tag, []))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            name, parts = self.open.pop()
            text = "".join(parts)
            self.page.text_by_tag.setdefault(name, []).append(text)
            if self.open:
                self.open[-1][1].append(text)
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        self.all_text.append(data)
        if self.open:
            self.open[-1][1].append(data)


def parse(html: bytes | str) -> ParsedPage:
    reader = _Reader()
    reader.feed(html.decode("utf-8") if isinstance(html, bytes) else html)
    reader.close()
    reader.page.text = "".join(reader.all_text)
    return reader.page


def resolve_link(page_path: str, link: str) -> tuple[str | None, str]:
    """(site path the link points at or None if external, fragment)."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None, parts.fragment
    if not parts.path:
        return page_path, parts.fragment
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), parts.path))
    return joined, parts.fragment
