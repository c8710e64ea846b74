"""Editorial facts about an article (front matter or the archive's ``sources.yml`` sidecar).

natowatch's own keys, and the common keys Hugo and Jekyll write, are mapped to the record
(README.md, "Front matter from other generators", has the table). A key that natowatch has no
use for is not refused: its value is kept in the record's ``extra`` and the build warns once
per key name. Values are still checked strictly: a wrong type is an error naming the file and
key, because a typo in a date or an author list would otherwise publish silently wrong data.
"""

from __future__ import annotations

import datetime
import email.utils
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from natowatch.core.errors import InputError
from natowatch.core.ids import slugify

# Accepted keys (compared in lower case), with the aliases people and other generators use.
KEY_ALIASES = {
    # natowatch's own
    "headline": "headline",
    "title": "headline",
    "url": "url",
    "link": "url",
    "publisher": "publisher",
    "source": "publisher",
    "published": "published",  # a date; Jekyll's `published: false` marks a draft
    "publishdate": "published",  # Hugo's publishDate: the day it was published
    "publish_date": "published",
    "date": "published",
    "authors": "authors",
    "author": "authors",
    "tags": "tags",
    "slug": "slug",
    # Hugo and Jekyll
    "categories": "categories",
    "category": "categories",
    "draft": "draft",
    "summary": "summary",
    "description": "summary",
    "excerpt": "summary",
    "updated": "updated",
    "lastmod": "updated",
    "last_modified_at": "updated",
    "image": "images",
    "images": "images",
    "aliases": "aliases",
    "redirect_from": "aliases",
    "permalink": "permalink",
    "layout": "layout",
    "weight": "weight",
}
# When two aliases of one key are given, the one listed first wins and a different value of
# the other is kept in ``extra`` under its own name (lists are joined; a draft is a draft).
ALIAS_RANK = {alias: rank for rank, alias in enumerate(KEY_ALIASES)}
LISTS = ("authors", "tags", "categories", "images", "aliases")
# Mapped keys with no field of their own in the record: kept in ``extra`` under these names.
EXTRA_KEYS = ("summary", "updated", "images", "aliases", "permalink", "layout", "weight")
# The text of a date with an optional time and UTC offset, as Hugo and Jekyll write them:
# 2016-05-04, 2016-05-04T10:00:00+02:00, 2016-05-04 10:00:00 +0200, 2016-05-04T10:00:00.5Z.
DATE_TIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[Tt ](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"
    r"(?:\s*(?P<zone>[Zz]|[+-]\d{2}(?::?\d{2})?))?)?"
)


@dataclass(frozen=True)
class Facts:
    """Known facts; None (or empty) means unknown, never guessed."""

    headline: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: str | None = None
    authors: tuple[str, ...] | None = None
    tags: tuple[str, ...] = ()
    slug: str | None = None
    draft: bool | None = None  # None: not said
    # JSON-ready values for the record's ``extra``, by key (sorted).
    extra: Mapping[str, Any] = field(default_factory=dict)
    # (key as written, file, where in it) of each key natowatch does not know.
    unknown: tuple[tuple[str, str, str], ...] = ()


class UnknownKey(InputError):
    """A key natowatch does not use, kept in the record's ``extra``; a warning, not an error.

    The build reports one per key name, however many files use it.
    """

    def __init__(self, path: Path | str, key: str, where: str = "front matter") -> None:
        self.key = key
        self.where = where
        super().__init__(path, f"{where}: unknown key {key!r}")

    def __reduce__(self) -> tuple[type[UnknownKey], tuple[str, str, str]]:  # type: ignore[override]
        # Warnings travel between worker processes and through the record cache.
        return (UnknownKey, (self.path, self.key, self.where))


def facts_from_mapping(raw: Any, path: Path | str, where: str = "front matter") -> Facts:
    """Validate a mapping of facts; errors name the file, the key and what was expected."""
    if raw is None:
        return Facts()
    if not isinstance(raw, Mapping):
        raise InputError(path, f"{where} must be a mapping of keys to values")
    found: dict[str, list[tuple[int, str, Any]]] = {}
    extra: dict[str, Any] = {}
    unknown: list[tuple[str, str, str]] = []
    for key, value in raw.items():
        name = str(key).strip()
        canonical = KEY_ALIASES.get(name.lower())
        if canonical is None:
            extra[name] = _json_ready(value)
            unknown.append((name, str(path), where))
            continue
        converted = _convert(canonical, value, path, where, name)
        if canonical == "published" and isinstance(converted, bool):
            canonical, converted = "draft", not converted  # Jekyll's `published: false`
        found.setdefault(canonical, []).append((ALIAS_RANK[name.lower()], name, converted))
    values: dict[str, Any] = {}
    for canonical, candidates in found.items():
        candidates.sort(key=lambda candidate: candidate[0])
        given = [(name, item) for _, name, item in candidates if item is not None]
        if not given:
            values[canonical] = None
        elif canonical == "draft":
            values[canonical] = any(item for _, item in given)
        elif canonical in LISTS:  # `category: World` and `categories: [Europe]`: both
            values[canonical] = _unique(*(item for _, item in given))
        else:  # `summary` over `description`, `publishDate` over `date`: KEY_ALIASES' order
            values[canonical] = given[0][1]
            extra.update((name, item) for name, item in given[1:] if item != given[0][1])
    return _facts(values, extra, unknown)


def _facts(
    values: dict[str, Any],
    extra: dict[str, Any],
    unknown: list[tuple[str, str, str]],
) -> Facts:
    """Facts from converted values: categories among tags, the rest in extra."""
    draft = values.pop("draft", None)
    published = values.pop("published", None)
    tags = _unique(values.pop("tags", None) or (), values.pop("categories", None) or ())
    for key in EXTRA_KEYS:
        item = values.pop(key, None)
        if item not in (None, ()):
            extra[key] = list(item) if isinstance(item, tuple) else item
    if not values.get("slug") and isinstance(extra.get("permalink"), str):
        values["slug"] = _permalink_slug(extra["permalink"])
    return Facts(
        published=published[:10] if published else None,
        tags=tags,
        draft=draft,
        extra=dict(sorted(extra.items())),
        unknown=tuple(unknown),
        **values,
    )


def _convert(key: str, value: Any, path: Path | str, where: str, name: str) -> Any:
    if value is None:
        return None if key not in ("tags", "categories") else ()
    if key == "published" and isinstance(value, bool):
        return value
    if key in ("published", "updated"):
        return _timestamp(value, path, where, name)
    if key == "draft":
        if not isinstance(value, bool):
            raise InputError(path, f"{where}: {name} must be true or false, got {value!r}")
        return value
    if key == "weight":
        if not isinstance(value, int) or isinstance(value, bool):
            raise InputError(path, f"{where}: {name} must be a whole number, got {value!r}")
        return value
    if key in ("authors", "images"):
        return _texts(value, path, where, name, "name" if key == "authors" else "path")
    if key in ("tags", "categories", "aliases"):
        return _texts(value, path, where, name)
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise InputError(path, f"{where}: {name} must be text, got {type(value).__name__}")
    text = str(value).strip()
    return text or None


def _texts(
    value: Any, path: Path | str, where: str, name: str, field_name: str | None = None
) -> tuple[str, ...]:
    """A text or a list of texts; with ``field_name``, a mapping may stand for its text there
    (Jekyll's ``author: {name: ...}`` and ``image: {path: ...}``)."""
    items = value if isinstance(value, list) else [value]
    texts = []
    for item in items:
        if field_name and isinstance(item, Mapping) and isinstance(item.get(field_name), str):
            item = item[field_name]
        if not isinstance(item, str):
            shape = f" or mappings with a {field_name!r}" if field_name else ""
            raise InputError(path, f"{where}: {name} must be a text or a list of texts{shape}")
        texts.append(item.strip())
    return tuple(text for text in texts if text)


def _unique(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for group in groups for item in group))


def _timestamp(value: Any, path: Path | str, where: str, name: str) -> str:
    """A date, or a date and time, as ISO 8601 text; the day is the one written (not UTC's)."""
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        try:
            return _timestamp_text(text)
        except (TypeError, ValueError, IndexError):
            pass
    raise InputError(
        path,
        f"{where}: {name} must be a date like 2016-05-04 or 2016-05-04T10:00:00+02:00, "
        f"got {value!r}",
    )


def _timestamp_text(text: str) -> str:
    match = DATE_TIME.fullmatch(text)
    if match is None:  # RFC 1123 / RFC 2822, which Hugo also reads: "Wed, 04 May 2016 ..."
        return email.utils.parsedate_to_datetime(text).isoformat()
    if not match["time"]:
        return datetime.date.fromisoformat(match["date"]).isoformat()
    zone = (match["zone"] or "").upper()
    if len(zone) == 5:  # +0200
        zone = f"{zone[:3]}:{zone[3:]}"
    moment = datetime.datetime.fromisoformat(f"{match['date']}T{match['time']}{zone}")
    return moment.isoformat()


def _permalink_slug(permalink: str) -> str | None:
    """The page name a permalink chose (/news/nato-summit/ -> nato-summit); None for a
    pattern with placeholders (/:year/:title/) or one that names no page."""
    if ":" in permalink or "{" in permalink:
        return None
    segments = [part for part in urlsplit(permalink).path.split("/") if part]
    if not segments:
        return None
    stem = re.sub(r"\.html?$", "", segments[-1], flags=re.IGNORECASE)
    return slugify(stem) or None


def _json_ready(value: Any) -> Any:
    """A front matter value as JSON data: dates and times as ISO 8601 text, keys as text,
    anything else YAML or TOML can hold (sets, bytes, non-finite numbers) as text."""
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): _json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(str(_json_ready(item)) for item in value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def merge(primary: Facts, fallback: Facts) -> Facts:
    """``primary`` wins wherever it knows something (front matter over the sidecar)."""
    return Facts(
        headline=primary.headline or fallback.headline,
        url=primary.url or fallback.url,
        publisher=primary.publisher or fallback.publisher,
        published=primary.published or fallback.published,
        authors=primary.authors if primary.authors is not None else fallback.authors,
        tags=primary.tags or fallback.tags,
        slug=primary.slug or fallback.slug,
        draft=primary.draft if primary.draft is not None else fallback.draft,
        extra=dict(sorted({**fallback.extra, **primary.extra}.items())),
        unknown=fallback.unknown + primary.unknown,
    )
