"""An article's content words: the stems of its headline, body and captions, counted.

Per article, like entities and events, so the loader computes them in its worker processes and
caches them with the record; the cross-article indexes (``corpus.similar``) compare articles by
them.
"""

from __future__ import annotations

from collections import Counter

from natowatch.core.model import Article
from natowatch.core.snippets import html_to_text
from natowatch.language.stems import content_stems

WORD_PREFIX = "word:"

# A headline word is the outlet's own summary of the story: it counts as this many body words.
HEADLINE_WEIGHT = 3


def word_keys(article: Article) -> Counter[str]:
    """Content-word stems of the article's headline, body and captions, counted.

    They depend on the article's own text only (not on other articles or entity ids), so the
    loader computes them beside the record, in its worker processes, and caches them with it.
    """
    keys: Counter[str] = Counter()
    paragraphs = article.body if article.body_html is None else map(html_to_text, article.body_html)
    for text in [*paragraphs, *(image.caption or "" for image in article.images)]:
        keys.update(WORD_PREFIX + stem for stem in content_stems(text))
    for stem in content_stems(article.headline):
        keys[WORD_PREFIX + stem] += HEADLINE_WEIGHT
    return keys
