"""Editorial facts about an article (front matter or the archive's ``sources.yml`` sidecar).

Facts are checked strictly: an unknown key or a wrong type is an error naming the file and key,
because a typo in a date or an author list would otherwise publish silently wrong data.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from natowatch.core.errors import InputError

# Accepted keys, with the aliases people type in front matter.
KEY_ALIASES = {
    "headline": "headline",
    "title": "headline",
    "url": "url",
    "link": "url",
    "publisher": "publisher",
    "source": "publisher",
    "published": "published",
    "date": "published",
    "authors": "authors",
    "author": "authors",
    "tags": "tags",
    "slug": "slug",
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


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


def facts_from_mapping(raw: Any, path: Path | str, where: str = "front matter") -> Facts:
    """Validate a mapping of facts; errors name the file, the key and what was expected."""
    if raw is None:
        return Facts()
    if not isinstance(raw, Mapping):
        raise InputError(path, f"{where} must be a mapping of keys to values")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        canonical = KEY_ALIASES.get(str(key).strip().lower())
        if canonical is None:
            known = ", ".join(sorted(set(KEY_ALIASES)))
            raise InputError(path, f"{where}: unknown key {key!r} (known keys: {known})")
        values[canonical] = _convert(canonical, value, path, where)
    return Facts(**values)


def _convert(key: str, value: Any, path: Path | str, where: str) -> Any:
    if value is None:
        return None if key not in ("tags",) else ()
    if key == "published":
        return _iso_date(value, path, where)
    if key in ("authors", "tags"):
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise InputError(path, f"{where}: {key} must be a text or a list of texts")
        return tuple(item.strip() for item in items if item.strip())
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise InputError(path, f"{where}: {key} must be text, got {type(value).__name__}")
    text = str(value).strip()
    return text or None


def _iso_date(value: Any, path: Path | str, where: str) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and ISO_DATE.match(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            pass
    raise InputError(path, f"{where}: published must be a date like 2016-05-04, got {value!r}")


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
    )
