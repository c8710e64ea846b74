"""Whole web pages, as a browser's "select all" copies them: the article comes out, the site's
menus, banners, lists and footers do not.

These pages are not in the classifier's training data (``scripts/train_classifier.py`` reads the
dev pages, ``fixtures/raw`` and the seeds), so they test it as an unseen page would. Each
``fixtures/pages/<name>.txt`` has a hand-written ``<name>.expected.yml``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from natowatch.archive.loader import load_file
from paths import PAGE_FIXTURES

CASES = sorted(PAGE_FIXTURES.glob("*.expected.yml"))


@pytest.fixture(params=CASES, ids=[case.name.split(".")[0] for case in CASES])
def page(request):
    expected = yaml.safe_load(request.param.read_text(encoding="utf-8"))
    source = request.param.with_name(request.param.name.replace(".expected.yml", ".txt"))
    return load_file(source), expected


def test_the_body_starts_and_ends_where_the_article_does(page):
    record, expected = page
    leaks = expected.get("known_leaks", [])
    article = [p for p in record.body if not any(leak in p for leak in leaks)]
    assert expected["first_body"] in article[0]
    assert expected["last_body"] in article[-1]
    if "body_count" in expected:
        assert len(article) == expected["body_count"]


def test_no_page_furniture_in_the_body(page):
    record, expected = page
    body = "\n".join(record.body)
    leaked = [line for line in expected["not_in_body"] if line in body]
    assert leaked == []


def test_known_leaks_are_the_only_ones(page):
    """Every body paragraph is the article's or a leak this fixture owns up to."""
    record, expected = page
    source = Path(PAGE_FIXTURES, f"{record.source_file}").read_text(encoding="utf-8")
    start = source.rfind("\n", 0, source.index(expected["first_body"])) + 1  # its whole line
    end = source.index(expected["last_body"]) + len(expected["last_body"])
    article = source[start:end]
    strays = [
        p
        for p in record.body
        if p not in article and not any(leak in p for leak in expected.get("known_leaks", []))
    ]
    assert strays == []


def test_no_reader_comments_invented(page):
    record, expected = page
    assert len(record.comments) == expected["comments"]
