"""Enrich an extracted article with what it is about: named entities, dated events and quotes.

Runs per article (no cross-article state), after extraction and the merge of facts, because
relative dates need the publication date and entity lookup needs the archive's dictionary.
"""

from __future__ import annotations

from dataclasses import replace

from natowatch.core.model import Article, Zone
from natowatch.understand.dictionary import Dictionary
from natowatch.understand.entities import find_entities
from natowatch.understand.events import find_events
from natowatch.understand.quotes import find_quotes


def understand(article: Article, dictionary: Dictionary) -> Article:
    """The article with its entities, its body and caption events and its body quotes filled in.

    Reader comments contribute entities (kept apart as comment mentions) but no events: a
    reader's "last year" is not a dated fact of the story.
    """
    captions = [image.caption or "" for image in article.images]
    comments = [comment.text for comment in article.comments]
    entities = find_entities(article.body, captions, comments, dictionary)
    events = find_events(article.body, article.published, entities) + find_events(
        captions, article.published, entities, zone=Zone.CAPTION
    )
    quotes = find_quotes(article.body, entities)
    return replace(article, entities=entities, events=events, quotes=quotes)
