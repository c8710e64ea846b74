"""natowatch check: a sound site passes; each kind of fault is found and named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from natowatch.build import build
from natowatch.cli import main
from natowatch.publish.check import check_site
from paths import SEEDS


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("check") / "site"
    build(SEEDS, out)
    return out


@pytest.fixture
def site(built, tmp_path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(built, copy)
    return copy


def test_the_seed_site_passes(built):
    assert check_site(built) == []


def _page(site: Path, body: str) -> None:
    (site / "extra.html").write_text(
        f"<!DOCTYPE html><html><head><title>Extra</title></head><body>{body}</body></html>",
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<h1>A</h1><a href='missing.html'>x</a>", "broken link 'missing.html'"),
        ("<h1>A</h1><a href='index.html#nowhere'>x</a>", "broken anchor"),
        ("<h1>A</h1><a href='/index.html'>x</a>", "is absolute"),
        ("<h1>A</h1><img src='../outside.png' alt=''>", "leaves the site"),
        ("<h1>A</h1><h1>B</h1>", "has 2 <h1> elements"),
        ("<p>no heading</p>", "has 0 <h1> elements"),
        ("<h1>A</h1><a href='javascript:alert(1)'>x</a>", "scheme or host"),
    ],
)
def test_page_faults_are_reported_with_the_page(site, body, message):
    _page(site, body)
    problems = [str(problem) for problem in check_site(site)]
    assert any(p.startswith("extra.html:") and message in p for p in problems), problems


def test_a_page_without_title_is_reported(site):
    (site / "extra.html").write_text("<html><body><h1>A</h1></body></html>", encoding="utf-8")
    assert any("<title>" in str(p) for p in check_site(site))


def test_broken_feeds_are_reported(site):
    (site / "feed.xml").write_text("<feed><unclosed></feed>", encoding="utf-8")
    (site / "feed.json").write_text("{not json", encoding="utf-8")
    (site / "sitemap.xml").write_text("<html/>", encoding="utf-8")
    messages = {str(p).split(":")[0] for p in check_site(site)}
    assert {"feed.xml", "feed.json", "sitemap.xml"} <= messages


def test_check_command_exit_codes(built, site, capsys):
    assert main(["check", str(built)]) == 0
    assert "no problems" in capsys.readouterr().out
    _page(site, "<h1>A</h1><a href='missing.html'>x</a>")
    assert main(["check", str(site)]) == 1
    assert "missing.html" in capsys.readouterr().out
    assert main(["check", str(site / "nope")]) == 1
