"""Output paths and links: the one place that knows where each page lives in the site.

Paths are site-relative POSIX strings ("articles/some-slug.html"). Links between pages are always
relative ("../index.html") and always name a file, so the site works from ``file://``, under
``python -m http.server`` and below a sub-path such as GitHub Pages' ``/natowatch/``.
"""

from __future__ import annotations

import posixpath
import re

from natowatch.core.errors import BuildError
from natowatch.core.ids import UNKNOWN_PUBLISHER_SLUG, slugify
from natowatch.core.memory import archive_cache

INDEX = "index.html"
TIMELINE = "timeline.html"
ENTITIES = "entities.html"
ARTICLES_JSON = "data/articles.json"
COVERAGE_JSON = "data/coverage.json"
STYLESHEET = "style.css"
NOT_FOUND = "404.html"
SEARCH = "search.html"
BUILD_REPORT = "build-report.html"
ARCHIVE = "archive/index.html"
ARCHIVE_UNDATED = "archive/undated.html"
TIMELINE_UNDATED = "timeline/undated.html"
PUBLISHERS = "publishers.html"
PEOPLE = "people.html"
ORGANISATIONS = "organisations.html"
PLACES = "places.html"
# Distinct pages a site links between and from: the caches below hold one entry per page, so
# this bounds their memory, not the size of site they can serve.
_LINK_CACHE_SIZE = 1 << 16
# (folder, page) pairs remembered: the links of the pages being rendered now. One per pair of
# the whole site (65,536 at 5,000 articles) took 25 MB of every page worker; a miss costs only
# the path arithmetic, the page's check being remembered per page.
_PAIR_CACHE_SIZE = 1 << 12
_ALIAS_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")


def article_path(slug: str) -> str:
    """The page of one article, from the loader's slug (re-slugified so it is always safe)."""
    return f"articles/{slugify(slug)}.html"


def entity_path(entity_id: str) -> str:
    """The page of one entity, from its id."""
    return f"entities/{slugify(entity_id)}.html"


def publisher_path(slug: str) -> str:
    """The first page of one publisher's articles, from its (already unique) slug."""
    if slug == UNKNOWN_PUBLISHER_SLUG:
        return f"publishers/{slug}.html"
    return f"publishers/{slugify(slug)}.html"


def year_name(year: int) -> str:
    """A year as a path segment: ``2016``; years before 1 CE as ``44-bce`` (year 0 is 1 BCE)."""
    return str(year) if year > 0 else f"{1 - year}-bce"


def archive_year_path(year: int) -> str:
    """The archive page of one year: ``archive/2016.html``; years before 1 CE as ``44-bce``."""
    return f"archive/{year_name(year)}.html"


def timeline_year_path(year: int) -> str:
    """The first timeline page of one year: ``timeline/1994.html``, BCE as the archive does.

    Year names are digits (and ``-bce``), so no year can land on ``timeline/undated.html``.
    """
    return f"timeline/{year_name(year)}.html"


def paged_path(first: str, number: int) -> str:
    """Page ``number`` (1-based) of a list whose first page is ``first``.

    Later pages go in a folder named after the first page (``people.html`` ->
    ``people/page-2.html``; ``index.html`` -> ``page-2.html``). Slugs never contain "/", so a
    page of one list can never land on another list's page or on a slug-named page.

    >>> paged_path("index.html", 2)
    'page-2.html'
    >>> paged_path("publishers/reuters.html", 3)
    'publishers/reuters/page-3.html'
    """
    check_site_path(first)
    if number < 1 or not first.endswith(".html"):
        raise BuildError(f"no page {number} of {first!r}")
    if number == 1:
        return first
    folder, name = posixpath.split(first)
    stem = folder if name == "index.html" else posixpath.join(folder, name[: -len(".html")])
    return posixpath.join(stem, f"page-{number}.html")


def paragraph_fragment(paragraph: int) -> str:
    """The anchor of a body paragraph on its article page; ``paragraph`` is 0-based."""
    return f"p{paragraph + 1}"


def figure_fragment(image: int) -> str:
    """The anchor of an image's figure on its article page; ``image`` is 0-based."""
    return f"figure-{image + 1}"


def comment_fragment(comment: int) -> str:
    """The anchor of a reader comment on its article page; ``comment`` is a 0-based position."""
    return f"comment-{comment + 1}"


def with_fragment(page: str, fragment: str) -> str:
    """A site-relative target pointing at an anchor inside ``page``."""
    return f"{page}#{fragment}"


def alias_path(alias: str) -> str | None:
    """Where the redirect page of an old address goes (Hugo's ``aliases``, Jekyll's
    ``redirect_from``): ``/posts/old-title/`` -> ``posts/old-title/index.html``, ``/old.html``
    as it is, relative to the site root as the old site's were to its root.

    None for what cannot be a file of this site: a full URL, a query or fragment, the site root
    itself, or a segment other than letters, digits and ``-_.~`` (starting with a letter or
    digit, so no ``..`` and no hidden files).
    """
    text = alias.strip()
    if "://" in text or text.startswith("//") or "?" in text or "#" in text:
        return None
    parts = [part for part in text.split("/") if part]
    if not parts or not all(_ALIAS_SEGMENT.match(part) for part in parts):
        return None
    if not parts[-1].endswith((".html", ".htm")):
        parts.append("index.html")
    return "/".join(parts)


def relative_url(from_page: str, to_page: str) -> str:
    """The relative link from one site page to another (``to_page`` may carry a ``#fragment``).

    >>> relative_url("articles/a.html", "index.html")
    '../index.html'
    >>> relative_url("articles/a.html", "articles/a.html#p2")
    '#p2'
    """
    folder = _folder_of(from_page)
    target, hash_mark, fragment = to_page.partition("#")
    if hash_mark and (not target or target == from_page):
        return f"#{fragment}"
    link = _link_from(folder, target)
    return f"{link}#{fragment}" if hash_mark else link


@archive_cache(maxsize=_LINK_CACHE_SIZE)
def _folder_of(page: str) -> str:
    """The folder of a page (``""`` for the site root), the page checked once: a site links
    from the same few thousand pages hundreds of thousands of times."""
    check_site_path(page)
    return posixpath.dirname(page)


@archive_cache(maxsize=_PAIR_CACHE_SIZE)
def _link_from(folder: str, target: str) -> str:
    """``target`` (checked) relative to ``folder``, remembered for the recent pairs: pages
    rendered together link the same entity pages and site sections, and fragments are added by
    the caller, so ``#p1`` ... ``#p40`` share one entry."""
    _checked_target(target)
    return relative_path(target, folder)


@archive_cache(maxsize=_LINK_CACHE_SIZE)
def _checked_target(target: str) -> None:
    """Raise for a link target that is not a safe site path; remembered per page checked (a
    path that fails raises every time, since exceptions are not cached)."""
    if not target:
        raise BuildError("empty link target")
    check_site_path(target)


def relative_path(target: str, folder: str) -> str:
    """``posixpath.relpath(target, folder or ".")`` for checked site paths (no ``.``, ``..``
    or empty segments), from the segments alone: relpath makes both absolute first, asking
    the operating system for the working directory each time, and the site's pages make tens
    of thousands of distinct links."""
    if not folder:
        return target
    up, down = folder.split("/"), target.split("/")
    shared = 0
    for first, second in zip(up, down, strict=False):  # stops at the shorter
        if first != second:
            break
        shared += 1
    return "/".join([".."] * (len(up) - shared) + down[shared:]) or "."


def check_site_path(path: str) -> None:
    """Reject a path that could escape the output folder or is not a plain relative file path.

    Every page passes here when planned and when written or carried over (40,000 times a
    build at 5,000 articles), so the checks are C-level scans, not Python loops over segments
    and characters, and each path's verdict is remembered."""
    problem = _path_problem(path)
    if problem is not None:
        raise BuildError(f"unsafe output path {path!r}: {problem}")


@archive_cache(maxsize=1 << 17)
def _path_problem(path: str) -> str | None:
    if not path or path.startswith(("/", "\\")) or "\\" in path or _DRIVE.match(path):
        return "must be relative and use '/'"
    if _DOT_SEGMENT.search(path):
        return "empty, '.' or '..' segment"
    if _CONTROL.search(path):
        return "control character"
    return None


_DRIVE = re.compile(r"[A-Za-z]:")
# An empty, "." or ".." segment: between two slashes or at either end of the path.
_DOT_SEGMENT = re.compile(r"(?:^|/)\.{0,2}(?:/|$)")
_CONTROL = re.compile(r"[\x00-\x1f]")
