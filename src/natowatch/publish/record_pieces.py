"""The data files' pieces made from one record alone, stored in the record cache by its key.

A record used as extracted (``RecordDigests.record_key``) has two: its record in
``data/articles.json``, stored under the record's cache key, and its lines in
``data/timeline.json`` (its publication, then its events), stored under ``timeline:`` and that
key. ``StoredJson`` reads them back and makes them when missing; ``early_pieces`` makes them
beforehand on a core the build leaves idle. Both make them here, so they cannot differ.
"""

from __future__ import annotations

from natowatch.core.model import Article
from natowatch.corpus.index import article_entries
from natowatch.publish.datafiles import timeline_entry_json
from natowatch.publish.site_files import record_json

TIMELINE = "timeline:"


def article_piece(article: Article) -> bytes:
    """The record's entry in ``data/articles.json``."""
    return record_json(article)


def timeline_piece(article: Article) -> bytes:
    """The record's entries in ``data/timeline.json``, one line each, in ``article_entries``
    order."""
    return b"\n".join(map(timeline_entry_json, article_entries(article)))


def timeline_key(record_key: str) -> str:
    return TIMELINE + record_key


def record_pieces(record_key: str, article: Article) -> dict[str, bytes]:
    """Both pieces of a record used as extracted, by their keys."""
    return {record_key: article_piece(article), timeline_key(record_key): timeline_piece(article)}
