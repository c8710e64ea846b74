"""What each page tells search engines and link previews: description, canonical URL,
OpenGraph tags, and for articles a schema.org ``NewsArticle`` JSON-LD block.

Absolute URLs need ``site_url``; without it the canonical link and ``og:url`` are left out rather
than guessed. JSON-LD is embedded as data (never executed) and escaped so no text an article
supplies can close the script element.
"""

from __future__ import annotations

import json
from typing import Any

from natowatch.archive.config import Config
from natowatch.core.model import Article, EntityType
from natowatch.core.snippets import first_sentence
from natowatch.corpus.index import date_key
from natowatch.publish import urls
from natowatch.publish.feeds import absolute
from natowatch.publish.views import lede_text

DESCRIPTION_MAX = 200
SCHEMA_TYPES = {
    EntityType.PERSON: "Person",
    EntityType.ORG: "Organization",
    EntityType.GPE: "Place",
    EntityType.LOC: "Place",
    EntityType.EVENT: "Event",
    EntityType.OTHER: "Thing",
}


def article_description(article: Article) -> str:
    """The front matter's summary, else the lede's first sentence, cut to a length previews
    show in full."""
    summary = article.extra.get("summary")
    if isinstance(summary, str) and summary.strip():
        return shorten(summary)
    lede = lede_text(article)
    return shorten(first_sentence(lede) or article.headline)


def shorten(text: str, limit: int = DESCRIPTION_MAX) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def page_meta(
    page: str, title: str, description: str, config: Config, og_type: str = "website"
) -> dict[str, Any]:
    """Template data for the <head>: description, canonical URL and OpenGraph properties."""
    canonical = absolute(config, page) if config.site_url else None
    og = [
        ("og:type", og_type),
        ("og:title", title),
        ("og:description", description),
        ("og:site_name", config.title),
        ("og:locale", config.language.replace("-", "_")),
    ]
    if canonical:
        og.append(("og:url", canonical))
    return {"description": description, "canonical": canonical, "og": og}


def news_article_jsonld(article: Article, config: Config, description: str | None = None) -> str:
    """The article as schema.org NewsArticle, safe to place inside <script type=...json>.

    ``description`` is ``article_description(article)`` when the caller has it already.
    """
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": description if description is not None else article_description(article),
        "inLanguage": config.language,
    }
    if config.site_url:
        data["url"] = absolute(config, urls.article_path(article.slug))
    if article.url and article.url.startswith(("http://", "https://")):
        data["isBasedOn"] = article.url
    if article.published:
        data["datePublished"] = article.published
    updated = article.extra.get("updated")
    if isinstance(updated, str) and date_key(updated[:10]) is not None:
        data["dateModified"] = updated  # ISO 8601 as the front matter gave it
    if article.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in article.authors]
    if article.publisher:
        data["publisher"] = {"@type": "Organization", "name": article.publisher}
    mentions = [
        {"@type": SCHEMA_TYPES[entity.type], "name": entity.name}
        for entity in sorted(article.entities, key=lambda item: item.id)
    ]
    if mentions:
        data["mentions"] = mentions
    return script_safe_json(data)


def script_safe_json(data: Any) -> str:
    """JSON that cannot end its <script> element or open a comment, whatever the strings hold.

    Compact: Python encodes indented JSON in pure Python, 4x slower (0.05 against 0.014 ms for
    an article with 17 entities: a tenth of a second over 2,000 article pages)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
