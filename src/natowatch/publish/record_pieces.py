"""What is made from one record alone and stored in the record cache by its key: the data
files' pieces and the listings' summary.

A record used as extracted (``RecordDigests.record_key``) has three: its record in
``data/articles.json``, stored under the record's cache key; its lines in ``data/timeline.json``
(its publication, then its events), under ``timeline:`` and that key; and what the listings
show of it (``article_summary``: the lede's first sentence needs its HTML read as text), as
JSON under ``summary:`` and that key. ``StoredJson`` reads them back and makes them when
missing; ``early_pieces`` makes them beforehand on a core the build leaves idle. Both make them
here, so they cannot differ.
"""

from __future__ import annotations

import json
from typing import cast

from natowatch.core.model import Article
from natowatch.corpus.index import article_entries
from natowatch.publish.datafiles import timeline_entry_json
from natowatch.publish.site_files import record_json
from natowatch.publish.views import View, article_summary

TIMELINE = "timeline:"
SUMMARY = "summary:"


def article_piece(article: Article) -> bytes:
    """The record's entry in ``data/articles.json``."""
    return record_json(article)


def timeline_piece(article: Article) -> bytes:
    """The record's entries in ``data/timeline.json``, one line each, in ``article_entries``
    order."""
    return b"\n".join(map(timeline_entry_json, article_entries(article)))


def summary_piece(article: Article) -> bytes:
    """The record's ``article_summary`` as JSON (``json.loads`` gives it back, equal)."""
    return json.dumps(article_summary(article), ensure_ascii=False).encode("utf-8")


def listed_summary(article: Article) -> View:
    """``article_summary`` as the listings use it: read back from its piece's JSON, as a build
    that stored it reads it, however it was made (a page's key hashes its data pickled, and
    pickling shares strings the summary shares with the record, which one read back does not)."""
    return summary_from(summary_piece(article))


def summary_from(piece: bytes) -> View:
    """The summary a ``summary_piece`` holds."""
    return cast(View, json.loads(piece))


def timeline_key(record_key: str) -> str:
    return TIMELINE + record_key


def summary_key(record_key: str) -> str:
    return SUMMARY + record_key


def piece_keys(record_key: str) -> tuple[str, ...]:
    """The keys ``record_pieces`` stores a record's pieces under."""
    return record_key, timeline_key(record_key), summary_key(record_key)


def record_pieces(record_key: str, article: Article) -> dict[str, bytes]:
    """Every piece of a record used as extracted, by their keys."""
    return {
        record_key: article_piece(article),
        timeline_key(record_key): timeline_piece(article),
        summary_key(record_key): summary_piece(article),
    }
