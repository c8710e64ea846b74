"""Cut raw article text into units (one line or one re-joined wrapped paragraph) with features.

Scraped text puts one paragraph per line and separates paragraphs by blank lines, but page
furniture (a credit above its caption, "Previous article" above "Next article") often sits on
adjacent lines of one block, and wire copy is sometimes hard-wrapped at ~70 characters. A unit is
therefore a single line, except that a block whose lines look hard-wrapped becomes one unit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from natowatch.extract.rules import Thresholds

# Whitespace as scraped pages have it: NBSP, thin spaces and zero-width characters included.
STRIP_CHARS = " \t\u00a0\u2007\u202f\u200b\u200c\u200d\ufeff"
TERMINAL_PUNCTUATION = '.!?…:;"”’»)]'
NUMBERED_ITEM = re.compile(r"^(?P<number>\d{1,4})[.)]\s+(?P<text>\S.*)$")
WORD = re.compile(r"[^\s]+")


@dataclass(frozen=True)
class Unit:
    """A line (or wrapped paragraph) of the source with the features the classifier reads."""

    text: str
    line: int  # 1-based line number of the unit's first line
    block: int  # index of the blank-line-separated block it belongs to
    position: int  # index within the block
    block_size: int
    indent: int  # leading spaces of the first line

    @property
    def words(self) -> int:
        return len(WORD.findall(self.text))

    @property
    def ends_sentence(self) -> bool:
        return self.text.endswith(tuple(TERMINAL_PUNCTUATION))

    @property
    def numbered(self) -> re.Match[str] | None:
        return NUMBERED_ITEM.match(self.text)


def strip(text: str) -> str:
    return text.strip(STRIP_CHARS)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_units(
    text: str, thresholds: Thresholds, is_furniture: Callable[[str], bool] = lambda _: False
) -> list[Unit]:
    """Units of ``text`` in reading order.

    ``is_furniture`` names lines that are page furniture on their own ("Next article..."): a block
    holding one is never joined as wrapped prose.
    """
    units: list[Unit] = []
    for block_index, block in enumerate(_blocks(normalise_newlines(text))):
        lines = [line for _, line in block]
        if _looks_wrapped(lines, thresholds) and not any(is_furniture(strip(x)) for x in lines):
            first_number, first_line = block[0]
            joined = " ".join(strip(line) for _, line in block)
            units.append(Unit(joined, first_number, block_index, 0, 1, _indent(first_line)))
            continue
        for position, (number, line) in enumerate(block):
            units.append(
                Unit(strip(line), number, block_index, position, len(block), _indent(line))
            )
    return units


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if strip(line):
            current.append((number, line))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _looks_wrapped(lines: list[str], thresholds: Thresholds) -> bool:
    """True for a block of hard-wrapped prose: similar, medium-length lines that run on."""
    if len(lines) < 2:
        return False
    stripped = [strip(line) for line in lines]
    leading = stripped[:-1]
    lengths = [len(line) for line in leading]
    if min(lengths) < thresholds.wrapped_line_min_chars:
        return False
    if max(len(line) for line in stripped) > thresholds.wrapped_line_max_chars:
        return False
    if max(lengths) - min(lengths) > 0.35 * max(lengths):
        return False
    if any(NUMBERED_ITEM.match(line) for line in stripped[1:]):
        return False
    # Prose runs on: at least one line break falls mid-sentence.
    return any(not line.endswith(tuple(TERMINAL_PUNCTUATION)) for line in leading)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t\u00a0"))
