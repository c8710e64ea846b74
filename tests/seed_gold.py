"""The seed articles' body paragraphs and expected records, for the finder tests."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from paths import GOLD, SEEDS


def gold_articles() -> list[dict[str, Any]]:
    """The gold records, or a skip when the shared gold file is not beside the repository."""
    if not GOLD.exists():
        pytest.skip(f"gold file {GOLD} not available")
    data: dict[str, Any] = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    articles: list[dict[str, Any]] = data["articles"]
    return articles


def body_paragraphs(record: dict[str, Any]) -> list[str]:
    """Blank-line paragraphs from the one holding the first body sentence to the last one's."""
    text = (SEEDS / record["file"]).read_text(encoding="utf-8")
    first, last = record["first_body_sentence"], record["last_body_sentence"]
    paragraphs: list[str] = []
    inside = False
    for block in text.split("\n\n"):
        lines = [line for line in block.split("\n") if line.strip()]
        lines = [line for line in lines if not line.startswith("Also Read:")]
        paragraph = "\n".join(lines).strip()
        if not paragraph:
            continue
        inside = inside or first in paragraph
        if inside:
            paragraphs.append(paragraph)
            if last in paragraph:
                break
    assert paragraphs and last in paragraphs[-1]
    return paragraphs
