from __future__ import annotations

import pytest

from natowatch import urls
from natowatch.errors import BuildError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Israel to Open Office", "israel-to-open-office"),
        ("  Zürich & Genève!  ", "zurich-geneve"),
        ("NATO's 2016 summit", "nato-s-2016-summit"),
        ("a/b\\c", "a-b-c"),
        ("", "untitled"),
        ("con", "con-page"),
        ("person:Jens_Stoltenberg", "person-jens-stoltenberg"),
    ],
)
def test_slugify(text: str, expected: str) -> None:
    assert urls.slugify(text) == expected


def test_slugify_non_latin_text_gets_distinct_stable_slugs() -> None:
    first = urls.slugify("Столтенберг")
    second = urls.slugify("Нетаньяху")
    assert first != second
    assert first == urls.slugify("Столтенберг")
    assert first.startswith("n-") and first.isascii()


def test_slugify_is_bounded_and_safe() -> None:
    slug = urls.slugify("word " * 100)
    assert len(slug) <= 80
    assert not slug.endswith("-")
    for text in ["../../etc/passwd", "/abs", ".", "-", "...", "a..b"]:
        slug = urls.slugify(text)
        assert slug and "/" not in slug and slug not in (".", "..")
        assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")


def test_page_paths() -> None:
    assert urls.article_path("My Slug") == "articles/my-slug.html"
    assert urls.entity_path("org-nato") == "entities/org-nato.html"
    assert urls.INDEX == "index.html"
    assert urls.TIMELINE == "timeline.html"
    assert urls.ENTITIES == "entities.html"
    assert urls.ARTICLES_JSON == "data/articles.json"
    assert urls.paragraph_fragment(0) == "p1"


@pytest.mark.parametrize(
    ("from_page", "to_page", "expected"),
    [
        ("index.html", "style.css", "style.css"),
        ("articles/a.html", "index.html", "../index.html"),
        ("articles/a.html", "style.css", "../style.css"),
        ("articles/a.html", "articles/b.html", "b.html"),
        ("articles/a.html", "entities/x.html", "../entities/x.html"),
        ("timeline.html", "articles/a.html#p3", "articles/a.html#p3"),
        ("articles/a.html", "articles/a.html#p3", "#p3"),
        ("articles/a.html", "articles/a.html", "a.html"),
        ("index.html", "data/articles.json", "data/articles.json"),
    ],
)
def test_relative_url(from_page: str, to_page: str, expected: str) -> None:
    assert urls.relative_url(from_page, to_page) == expected


@pytest.mark.parametrize(
    "bad", ["/etc/passwd", "../up.html", "a/../b.html", "", "a//b", "C:/x", "a\\b.html"]
)
def test_unsafe_paths_are_rejected(bad: str) -> None:
    with pytest.raises(BuildError):
        urls.check_site_path(bad)
    with pytest.raises(BuildError):
        urls.relative_url(bad, "index.html")


@pytest.mark.parametrize("bad", ["/etc/passwd", "../up.html", "a/../b.html", "a\\b.html"])
def test_relative_url_rejects_unsafe_targets(bad: str) -> None:
    with pytest.raises(BuildError):
        urls.relative_url("index.html", bad)
