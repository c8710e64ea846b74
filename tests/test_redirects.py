"""Old addresses (Hugo's ``aliases``, Jekyll's ``redirect_from``) get a page that sends the
reader on to the article, relatively, so it works under any site path and from disk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from html_check import parse
from natowatch.build import build
from natowatch.cli import main
from natowatch.core.errors import BuildError
from natowatch.publish.urls import alias_path
from paths import FIXTURES

FRONT = FIXTURES / "frontmatter"
ARTICLE = "articles/baltic-air-policing-expands.html"


@pytest.mark.parametrize(
    ("alias", "path"),
    [
        ("/news/2016/05/air-policing/", "news/2016/05/air-policing/index.html"),
        ("/post/baltic-jets", "post/baltic-jets/index.html"),
        ("old-page.html", "old-page.html"),
        ("/2016/05/04/readiness/", "2016/05/04/readiness/index.html"),
        ("https://example.com/old/", None),
        ("//example.com/old/", None),
        ("/old/?page=2", None),
        ("/old/#top", None),
        ("/", None),
        ("/../secret/", None),
        ("/.well-known/x", None),
        ("/a b/", None),
        ("/<script>/", None),
    ],
)
def test_an_alias_becomes_a_site_path_or_nothing(alias, path):
    assert alias_path(alias) == path


@pytest.fixture
def hugo_archive(tmp_path) -> Path:
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(FRONT / "hugo_post.md", archive / "hugo_post.md")
    return archive


def test_each_alias_gets_a_page_that_sends_the_reader_to_the_article(hugo_archive, tmp_path):
    out = tmp_path / "site"
    build(hugo_archive, out)
    for old, up in (("news/2016/05/air-policing", "../../../../"), ("post/baltic-jets", "../../")):
        page = out / old / "index.html"
        html = page.read_text(encoding="utf-8")
        doc = parse(html)
        metas = doc.all("meta")
        refresh = [meta["content"] for meta in metas if meta.get("http-equiv") == "refresh"]
        assert refresh == [f"0; url={up}{ARTICLE}"]
        assert {"name": "robots", "content": "noindex"} in metas
        assert doc.texts("h1") == ["This page has moved"]
        assert f"{up}{ARTICLE}" in doc.links()
        assert (page.parent / up / ARTICLE).resolve().is_file()
    assert main(["check", str(out)]) == 0  # links resolve, one h1, the rest of the checks
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "news/2016" not in sitemap and "post/baltic-jets" not in sitemap and ARTICLE in sitemap


def test_an_alias_on_a_page_of_the_site_is_an_error_naming_both(hugo_archive, tmp_path):
    path = hugo_archive / "hugo_post.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("aliases:", "aliases:\n  - /timeline.html"), encoding="utf-8")
    with pytest.raises(BuildError, match=r"timeline\.html.*redirect from '/timeline\.html'"):
        build(hugo_archive, tmp_path / "site")


def test_an_alias_where_a_file_of_the_site_is_a_folder_is_an_error_naming_both(
    hugo_archive, tmp_path
):
    path = hugo_archive / "hugo_post.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("aliases:", "aliases:\n  - /style.css"), encoding="utf-8")
    with pytest.raises(BuildError, match=r"'style\.css' \(static file .*needs a folder"):
        build(hugo_archive, tmp_path / "site")
    assert not (tmp_path / "site").exists()
