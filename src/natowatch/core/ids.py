"""Stable ids and slugs: entity ids from canonical names, and the one-segment slugs of article and
publisher pages, so links survive rebuilds. Below every stage: the loader, the indexes and the
site all name things this way."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from natowatch.core.memory import archive_cache

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Letters that Unicode does not decompose into an ASCII base letter.
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})


def entity_id(name: str) -> str:
    """Lower-case ASCII words joined by hyphens ("Türkiye" -> "turkiye", "9/11" -> "9-11")."""
    text = unicodedata.normalize("NFKD", name.lower().translate(_LETTERS))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.replace("'", "").replace("’", "")
    return _NOT_SLUG.sub("-", text).strip("-") or "entity"


# The publisher group of articles that name none; slugify never yields a leading underscore,
# so no real publisher's slug can claim it.
UNKNOWN_PUBLISHER_SLUG = "_unknown"

MAX_SLUG_LENGTH = 80
# Texts whose slug is remembered (one per article, entity and publisher a site links to).
_SLUG_CACHE_SIZE = 1 << 16
_NOT_SLUG_CHARS = re.compile(r"[^a-z0-9]+")
# Names Windows refuses as file names whatever their extension.
_RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{digit}" for digit in range(1, 10)}
    | {f"lpt{digit}" for digit in range(1, 10)}
)


@archive_cache(maxsize=_SLUG_CACHE_SIZE)
def slugify(text: str) -> str:
    """A lowercase ASCII, hyphen-separated name that is safe as one relative path segment.

    Accents are folded ("Zürich" -> "zurich"). Text with no ASCII letters or digits at all (a
    Cyrillic name, say) gets a stable hash-based slug instead of an empty one, so different
    non-Latin names do not all collide. The result is never empty, "." or "..". Remembered:
    every link to an article or entity page slugifies its name again.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG_CHARS.sub("-", folded.lower()).strip("-")
    slug = slug[:MAX_SLUG_LENGTH].rstrip("-")
    if not slug:
        if not text.strip():
            return "untitled"
        return "n-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    if slug in _RESERVED_NAMES:
        return f"{slug}-page"
    return slug
