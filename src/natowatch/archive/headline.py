"""A headline for an article whose text has none: from its URL slug, else from its lede.

Both are marked ``derived`` in the record. Slugs lose capitalisation, so each word takes the case
the article itself writes it in ("nato" -> "NATO", "brussels" -> "Brussels").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from urllib.parse import unquote, urlsplit

SLUG_WORDS = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[A-Z“\"‘'])")
CLAUSE_BREAK = re.compile(r",\s|;\s|\s[–—-]\s|:\s")
LEDE_MAX_WORDS = 14
MIN_SLUG_WORDS = 3


def from_url(url: str | None, text: str) -> str | None:
    """The words of the URL's slug, cased as the article writes them, or None."""
    slug = url_slug(url)
    if slug is None:
        return None
    words = [word for word in re.split(r"[-_+]+", slug) if word]
    # Trailing numeric ids ("...-brussels-712989") are the site's, not the headline's.
    while words and words[-1].isdigit() and len(words[-1]) >= 4:
        words.pop()
    if len(words) < MIN_SLUG_WORDS:
        return None
    cases = _case_forms(text)
    cased = [cases.get(word.lower(), word.lower()) for word in words]
    cased[0] = cased[0][:1].upper() + cased[0][1:]
    return " ".join(cased)


def url_slug(url: str | None) -> str | None:
    """The path segment of ``url`` that reads like words (not a date, an id or index.html)."""
    if not url:
        return None
    path = unquote(urlsplit(url).path)
    for segment in reversed([part for part in path.split("/") if part]):
        stem = re.sub(r"\.(?:html?|php|aspx?|cms)$", "", segment, flags=re.IGNORECASE)
        if stem.lower() in ("index", "amp", "story", "article", "news"):
            continue
        if sum(1 for word in re.split(r"[-_+]+", stem) if word.isalpha()) >= MIN_SLUG_WORDS:
            return stem
    return None


def _case_forms(text: str) -> dict[str, str]:
    """For each word, the capitalisation the text uses most away from sentence starts."""
    counts: dict[str, Counter[str]] = {}
    for sentence in SENTENCE_END.split(text):
        for index, match in enumerate(SLUG_WORDS.finditer(sentence)):
            word = match.group()
            if index == 0 and word[:1].isupper() and not word.isupper():
                continue  # a capital at a sentence start says nothing about the word
            counts.setdefault(word.lower(), Counter())[word] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in sorted(counts.items())}


def from_lede(body: Sequence[str]) -> str | None:
    """The first sentence, cut at a clause boundary when long."""
    if not body:
        return None
    first = SENTENCE_END.split(body[0].strip(), maxsplit=1)[0].rstrip(".")
    words = first.split()
    if len(words) <= LEDE_MAX_WORDS:
        return first
    for match in CLAUSE_BREAK.finditer(first):
        if 5 <= len(first[: match.start()].split()) <= LEDE_MAX_WORDS:
            return first[: match.start()]
    return " ".join(words[:LEDE_MAX_WORDS]) + " …"
