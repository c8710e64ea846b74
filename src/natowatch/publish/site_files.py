"""The site's files that are not pages: static files, the record export, feeds, sitemap and the
files GitHub Pages looks for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from natowatch.archive.config import Config
from natowatch.core.errors import BuildError
from natowatch.core.jsonfile import json_array_parts, json_text
from natowatch.core.model import Article
from natowatch.publish import feeds
from natowatch.publish.resources import static_dir


def static_files(folder: Path | None = None) -> dict[str, bytes]:
    """The files copied verbatim into the site root, keyed by their path below ``static/``."""
    root = folder if folder is not None else static_dir()
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            files[relative.as_posix()] = path.read_bytes()
    return files


def articles_json(articles: Sequence[Article]) -> bytes:
    """All article records as one JSON array, sorted by id, stable byte for byte."""
    return b"".join(articles_json_parts(articles))


def articles_json_parts(
    articles: Sequence[Article], encode: Callable[[Article], bytes] | None = None
) -> Iterator[bytes]:
    """``articles_json`` a record at a time: the whole array of a large archive is hundreds of
    megabytes, as text and again as the dicts it is made from. An article whose record JSON
    cannot hold is named. ``encode`` (default ``record_json``) may take stored bytes instead
    (``stored_json``)."""
    encode = encode or record_json
    return json_array_parts(encode(article) for article in sorted(articles, key=_by_id))


def _by_id(article: Article) -> str:
    return article.id


def record_json(article: Article) -> bytes:
    try:
        return json_text(article.to_dict()).encode("utf-8")
    except (TypeError, ValueError) as error:
        raise BuildError(
            f"article {article.id!r} ({article.source_file}) cannot be written as JSON: {error}"
        ) from error


def site_files(
    articles: Sequence[Article], config: Config, pages: Sequence[str]
) -> dict[str, bytes]:
    """Feeds, sitemap, robots.txt and the files GitHub Pages looks for."""
    files = {
        feeds.ATOM_PATH: feeds.atom_feed(articles, config),
        feeds.JSON_FEED_PATH: feeds.json_feed(articles, config),
        feeds.SITEMAP_PATH: feeds.sitemap(pages, config),
        feeds.ROBOTS_PATH: feeds.robots(config),
        # Serve the files as they are: no Jekyll processing on GitHub Pages.
        ".nojekyll": b"",
    }
    if config.cname:
        files["CNAME"] = (config.cname + "\n").encode("ascii")
    return files
