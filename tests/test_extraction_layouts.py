"""Hand-written articles in other outlets' layouts: each extraction rule holds beyond the seeds.

Every ``fixtures/raw/<name>.txt`` has a ``<name>.expected.yml`` written by hand: exact values
where the text fixes them, snippets (first/last body text) where whitespace may vary.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from natowatch.archive.loader import load_file
from natowatch.core.model import Article
from paths import RAW_FIXTURES

CASES = sorted(RAW_FIXTURES.glob("*.expected.yml"))


def _load(expected_path: Path) -> tuple[Article, dict, str]:
    source = expected_path.with_name(expected_path.name.replace(".expected.yml", ".txt"))
    expected = yaml.safe_load(expected_path.read_text(encoding="utf-8"))
    return load_file(source), expected, source.read_text(encoding="utf-8")


@pytest.fixture(params=CASES, ids=[case.name.split(".")[0] for case in CASES])
def case(request) -> tuple[Article, dict, str]:
    return _load(request.param)


def test_headline_and_where_it_came_from(case):
    record, expected, _ = case
    assert record.headline == expected["headline"]
    assert record.headline_source.value == expected["headline_source"]


def test_authors_byline_and_date(case):
    record, expected, _ = case
    if "authors" in expected:
        assert list(record.authors) == expected["authors"]
    if "byline" in expected:
        assert record.byline == expected["byline"]
    assert record.published == expected.get("published")


def test_dateline_is_cut_from_the_first_paragraph(case):
    record, expected, _ = case
    dateline = expected.get("dateline")
    if dateline is None:
        assert record.dateline is None
        return
    assert record.dateline is not None
    assert (record.dateline.text, record.dateline.place, record.dateline.agency) == (
        dateline["text"],
        dateline["place"],
        dateline["agency"],
    )
    assert not record.body[0].startswith(dateline["text"])


def test_body_paragraphs(case):
    record, expected, text = case
    assert len(record.body) == expected["body_count"]
    if "body" in expected:
        assert list(record.body) == expected["body"]
    if "first_body" in expected:
        assert record.body[0].startswith(expected["first_body"])
        assert record.body[-1].endswith(expected["last_body"])
        for paragraph in record.body:
            assert paragraph in text
    for snippet in expected.get("body_contains", []):
        assert snippet in record.body


def test_boilerplate_kinds_and_nothing_leaks_into_the_body(case):
    record, expected, _ = case
    found: dict[str, list[str]] = {}
    for item in record.boilerplate:
        found.setdefault(item.kind.value, []).append(item.text)
    for kind, lines in expected.get("boilerplate", {}).items():
        assert found.get(kind, []) == lines, kind
        for line in lines:
            assert line not in record.body
            # A caption may repeat a phrase of the story, a topic link a word of it; longer
            # furniture must not turn up inside a body paragraph.
            if len(line.split()) >= 8:
                assert all(line not in paragraph for paragraph in record.body)


def test_images_sections_and_comments(case):
    record, expected, _ = case
    images = [{"caption": i.caption, "credit": i.credit, "title": i.title} for i in record.images]
    assert images == expected.get("images", [])
    sections = [{"heading": s.heading, "paragraph": s.paragraph} for s in record.sections]
    assert sections == expected.get("sections", [])
    comments = [
        {
            "number": c.number,
            "author": c.author,
            "timestamp": c.timestamp,
            "addressee": c.addressee,
            "text": c.text,
        }
        for c in record.comments
    ]
    assert comments == expected.get("comments", [])
    assert record.comments_closed == expected.get("comments_closed", False)
