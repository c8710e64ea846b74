from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natowatch.core.errors import BuildError
from natowatch.core.ids import slugify
from natowatch.publish import urls


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
    assert slugify(text) == expected


def test_slugify_non_latin_text_gets_distinct_stable_slugs() -> None:
    first = slugify("Столтенберг")
    second = slugify("Нетаньяху")
    assert first != second
    assert first == slugify("Столтенберг")
    assert first.startswith("n-") and first.isascii()


def test_slugify_is_bounded_and_safe() -> None:
    slug = slugify("word " * 100)
    assert len(slug) <= 80
    assert not slug.endswith("-")
    for text in ["../../etc/passwd", "/abs", ".", "-", "...", "a..b"]:
        slug = slugify(text)
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
    "bad",
    [
        "/etc/passwd",
        "../up.html",
        "a/../b.html",
        "",
        "a//b",
        "C:/x",
        "a\\b.html",
        "a/",
        ".",
        "..",
        "a/.",
        "./a",
        "a/..",
        "a\x00b.html",
        "a\nb.html",
        "\\share",
    ],
)
def test_unsafe_paths_are_rejected(bad: str) -> None:
    with pytest.raises(BuildError):
        urls.check_site_path(bad)
    with pytest.raises(BuildError):
        urls.relative_url(bad, "index.html")


@pytest.mark.parametrize("bad", ["/etc/passwd", "../up.html", "a/../b.html", "a\\b.html"])
def test_relative_url_rejects_unsafe_targets(bad: str) -> None:
    for page in ("index.html", "articles/a.html", "index.html"):  # every time, from any folder
        with pytest.raises(BuildError):
            urls.relative_url(page, bad)


def test_relative_url_rejects_an_empty_target() -> None:
    with pytest.raises(BuildError, match="empty link target"):
        urls.relative_url("articles/a.html", "")


def test_timeline_and_entity_page_paths() -> None:
    assert urls.timeline_year_path(1994) == "timeline/1994.html"
    assert urls.timeline_year_path(-43) == "timeline/44-bce.html"  # as the archive names it
    assert urls.timeline_year_path(0) == "timeline/1-bce.html"
    assert urls.TIMELINE_UNDATED == "timeline/undated.html"
    assert urls.paged_path("timeline/1994.html", 2) == "timeline/1994/page-2.html"
    assert urls.paged_path("timeline/undated.html", 3) == "timeline/undated/page-3.html"
    assert urls.paged_path(urls.entity_path("org-nato"), 2) == "entities/org-nato/page-2.html"


def test_remembered_links_are_the_links_computed_afresh() -> None:
    """relative_url caches per folder; the answer must not depend on what was asked before."""
    pairs = [
        ("entities/a.html", "articles/x.html#p2"),
        ("entities/a/page-2.html", "articles/x.html#p2"),
        ("entities/b.html", "articles/x.html"),
        ("timeline/1994/page-3.html", "timeline/1994.html"),
        ("timeline/1994.html", "timeline/1994.html#month-05"),
        ("index.html", "timeline/1994.html"),
    ]
    first = [urls.relative_url(a, b) for a, b in pairs]
    assert first == [urls.relative_url(a, b) for a, b in pairs]
    assert first == [
        "../articles/x.html#p2",
        "../../articles/x.html#p2",
        "../articles/x.html",
        "../1994.html",
        "#month-05",
        "timeline/1994.html",
    ]


def test_an_unsafe_path_is_rejected_every_time() -> None:
    for _ in range(3):
        with pytest.raises(BuildError):
            urls.relative_url("index.html", "../up.html")
        with pytest.raises(BuildError):
            urls.relative_url("a//b.html", "index.html")


def _plainly_safe(path: str) -> bool:
    """The path rule written out segment by segment and character by character."""
    if not path or path[0] in "/\\" or "\\" in path:
        return False
    if len(path) >= 2 and path[0].isascii() and path[0].isalpha() and path[1] == ":":
        return False
    if any(part in ("", ".", "..") for part in path.split("/")):
        return False
    return all(ord(char) >= 32 for char in path)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab./\\:C\x00\x1f\n é")), max_size=12))
def test_path_check_is_the_plain_rule(path: str) -> None:
    try:
        urls.check_site_path(path)
        accepted = True
    except BuildError:
        accepted = False
    assert accepted == _plainly_safe(path)


_SEGMENT = st.sampled_from(["a", "b", "articles", "entities", "x.html", "page-2.html", "b.c"])
_SITE_PATH = st.lists(_SEGMENT, min_size=1, max_size=4).map("/".join)


@settings(max_examples=300, deadline=None)
@given(_SITE_PATH, st.one_of(st.just(""), _SITE_PATH))
def test_relative_path_is_what_posix_relpath_gives_for_site_paths(target, folder):
    """Links are worked out from the segments; relpath asks the OS for the working folder."""
    import posixpath

    assert urls.relative_path(target, folder) == posixpath.relpath(target, folder or ".")


def test_unique_paths_are_checked_again_only_when_the_paths_change(monkeypatch):
    """A list of paths that passed passes again unchecked (a rebuild asks twice per build);
    any other list is checked, collisions and case-only differences included."""
    from natowatch.publish import plan

    monkeypatch.setattr(plan, "_PASSED", [])
    checked: list[int] = []
    real = plan._check_unique
    monkeypatch.setattr(plan, "_check_unique", lambda claims: checked.append(1) or real(claims))
    articles = [(f"articles/{n}.html", f"article {n}") for n in range(5)]
    everything = [*articles, ("index.html", "the front page")]
    for claims in (articles, everything, articles, everything):
        plan.check_unique_paths(claims)
    assert len(checked) == 2
    with pytest.raises(BuildError, match="same path"):
        plan.check_unique_paths([*everything, ("Index.html", "another page")])
    with pytest.raises(BuildError, match="same path"):
        plan.check_unique_paths([*articles, articles[0]])
