"""Stable ids for entities: a slug of the canonical name, so links survive rebuilds."""

from __future__ import annotations

import re
import unicodedata

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Letters that Unicode does not decompose into an ASCII base letter.
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})


def entity_id(name: str) -> str:
    """Lower-case ASCII words joined by hyphens ("Türkiye" -> "turkiye", "9/11" -> "9-11")."""
    text = unicodedata.normalize("NFKD", name.lower().translate(_LETTERS))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.replace("'", "").replace("’", "")
    return _NOT_SLUG.sub("-", text).strip("-") or "entity"
