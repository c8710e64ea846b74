"""Markdown articles: front matter, and a body split into top-level blocks rendered safely.

Each top-level block (paragraph, list, quote...) becomes one body item with its plain text (for
entities, events and search) and its HTML (for the page), so paragraph anchors line up with the
plain-text records. Raw HTML is off and links may only use safe schemes; anything else stays
text. Images are not archived, so a Markdown image becomes a link to where it was (the pages
never load anything from another site): "Image: <alt text>".
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import BaseHandler
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from natowatch.core.errors import InputError, yaml_error

SAFE_LINK = re.compile(r"^(?:https?:|mailto:|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)
FRONT_MATTER_START = re.compile(r"^---[ \t]*\n")
TOML_START = re.compile(r"^\+\+\+[ \t]*\n")
TOML_ERROR_LINE = re.compile(r"\(at line (\d+), column \d+\)$")
# Runs of spaces and tabs become one space; a lone space (most of them) is left as it is.
_BLANKS = re.compile(r"[ \t]{2,}|\t")


@dataclass(frozen=True)
class MarkdownBody:
    paragraphs: tuple[str, ...]
    html: tuple[str, ...]
    headings: tuple[tuple[int, int, str], ...]  # (level, index of the next paragraph, text)


class TomlHandler(BaseHandler):
    """Hugo's TOML front matter between ``+++`` lines, read with the standard library's
    tomllib (python-frontmatter's own TOML handler needs the third-party ``toml`` package)."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        return tomllib.loads(fm)


def split_front_matter(text: str, path: Path | str) -> tuple[Any, str]:
    """(metadata, content); metadata is None when the text has no front matter.

    Front matter is YAML between ``---`` lines or TOML between ``+++`` lines (as Hugo writes).
    """
    if TOML_START.match(text):
        return _toml_front_matter(text, path)
    if not FRONT_MATTER_START.match(text):
        return None, text
    try:
        metadata, content = frontmatter.parse(text)
    except yaml.YAMLError as error:
        # python-frontmatter hands YAML the text from the end of the "---" line, so the
        # parser's line numbers are already the file's.
        raise yaml_error(path, error, "invalid YAML front matter") from None
    except (ValueError, TypeError) as error:
        raise InputError(path, f"invalid front matter: {error}") from None
    return metadata, content


def with_file_lines(text: str, content: str) -> str:
    """``content`` behind one blank line for each line of ``text`` above it (the front matter
    and its fences), so that line numbers counted in it are the file's. The parser strips the
    content, so it is found as the last occurrence in the file."""
    start = text.rfind(content) if content else len(text)
    return "\n" * text.count("\n", 0, max(start, 0)) + content


def _toml_front_matter(text: str, path: Path | str) -> tuple[Any, str]:
    try:
        metadata, content = frontmatter.parse(text, handler=TomlHandler())
    except tomllib.TOMLDecodeError as error:
        # As with YAML, the parser is handed the text from the end of the "+++" line, so its
        # line numbers are already the file's.
        message = str(error)
        where = TOML_ERROR_LINE.search(message)
        line = int(where.group(1)) if where else None
        reason = TOML_ERROR_LINE.sub("", message).strip()
        raise InputError(path, f"invalid TOML front matter: {reason}", line) from None
    return metadata, content


@functools.cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "typographer": False})
    parser.validateLink = lambda url: SAFE_LINK.match(url.strip()) is not None  # type: ignore[method-assign]
    parser.add_render_rule("image", _image_reference)
    return parser


def _image_reference(
    renderer: RendererHTML, tokens: Sequence[Token], index: int, options: OptionsDict, env: Any
) -> str:
    """An image as a link to it, or as its label inside a link (links do not nest)."""
    token = tokens[index]
    alt = renderer.renderInlineAsText(token.children or [], options, env).strip()
    label = escapeHtml(f"Image: {alt}" if alt else "Image")
    depth = sum(item.nesting for item in tokens[:index] if item.type in ("link_open", "link_close"))
    src = str(token.attrGet("src") or "")
    if depth > 0 or not src:
        return f'<span class="image-ref">{label}</span>'
    return f'<a class="image-ref" href="{escapeHtml(src)}">{label}</a>'


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
    return _BLANKS.sub(" ", "".join(parts)).strip()
