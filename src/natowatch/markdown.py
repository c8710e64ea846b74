"""Markdown articles: front matter, and a body split into top-level blocks rendered safely.

Each top-level block (paragraph, list, quote...) becomes one body item with its plain text (for
entities, events and search) and its HTML (for the page), so paragraph anchors line up with the
plain-text records. Raw HTML is off and links may only use safe schemes.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from natowatch.errors import InputError

SAFE_LINK = re.compile(r"^(?:https?:|mailto:|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)
FRONT_MATTER_START = re.compile(r"^---[ \t]*\n")


@dataclass(frozen=True)
class MarkdownBody:
    paragraphs: tuple[str, ...]
    html: tuple[str, ...]
    headings: tuple[tuple[int, int, str], ...]  # (level, index of the next paragraph, text)


def split_front_matter(text: str, path: Path | str) -> tuple[Any, str]:
    """(metadata, content); metadata is None when the text has no front matter."""
    if not FRONT_MATTER_START.match(text):
        return None, text
    try:
        metadata, content = frontmatter.parse(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 2 if mark is not None else None  # +1 for 1-based, +1 for "---"
        raise InputError(path, f"invalid YAML front matter: {error.problem}", line) from None
    except (yaml.YAMLError, ValueError, TypeError) as error:
        raise InputError(path, f"invalid front matter: {error}") from None
    return metadata, content


@functools.cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "typographer": False})
    parser.validateLink = lambda url: SAFE_LINK.match(url.strip()) is not None  # type: ignore[method-assign]
    return parser


def render_body(content: str) -> MarkdownBody:
    """Split Markdown into top-level blocks with their plain text and HTML."""
    parser = _parser()
    env: dict[str, Any] = {}
    tokens = parser.parse(content, env)
    paragraphs: list[str] = []
    html: list[str] = []
    headings: list[tuple[int, int, str]] = []
    for block in _top_level_blocks(tokens):
        opening = block[0]
        text = _plain_text(block)
        if opening.type == "heading_open":
            headings.append((int(opening.tag[1]), len(paragraphs), text))
            continue
        if opening.type == "hr" or not text.strip():
            continue
        html.append(parser.renderer.render(block, parser.options, env).strip())
        paragraphs.append(text)
    return MarkdownBody(tuple(paragraphs), tuple(html), tuple(headings))


def _top_level_blocks(tokens: list[Token]) -> list[list[Token]]:
    blocks: list[list[Token]] = []
    depth = 0
    current: list[Token] = []
    for token in tokens:
        current.append(token)
        depth += token.nesting
        if depth == 0:
            blocks.append(current)
            current = []
    return blocks


def _plain_text(block: list[Token]) -> str:
    parts: list[str] = []
    for token in block:
        if token.type == "inline" and token.children is not None:
            for child in token.children:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            parts.append("\n")
        elif token.type in ("fence", "code_block"):
            parts.append(token.content)
    return re.sub(r"[ \t]+", " ", "".join(parts)).strip()
