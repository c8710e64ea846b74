"""A small archive for the sharded search tests: each article holds one made-up word that occurs
in no other, so a search for it must find exactly that article, in whichever shard it lies."""

from __future__ import annotations

from pathlib import Path

WORDS = [
    "quorvane",
    "blistrap",
    "fendolux",
    "marquith",
    "zelbrant",
    "trovimex",
    "palundre",
    "skervash",
    "ombrella",
    "vintrosk",
    "gadrimol",
    "hestiquo",
    "clumbrix",
]


def article(number: int, word: str) -> str:
    """A Markdown article whose body (not its title, so not its path) holds ``word``."""
    return (
        "---\n"
        f'title: "Report number {number} on the naval exercise"\n'
        f"url: https://example.org/news/{number}/\n"
        "publisher: Example News\n"
        f"date: 2024-03-{number + 1:02d}\n"
        "---\n\n"
        f"Allied ships took part in the {word} exercise in the Baltic Sea on Tuesday.\n\n"
        "Officials said the drills would continue until the end of the month.\n"
    )


def write_search_archive(folder: Path) -> Path:
    """Write the archive (one article per word) into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, word in enumerate(WORDS):
        (folder / f"{number:02d}.md").write_text(article(number, word), encoding="utf-8")
    return folder
