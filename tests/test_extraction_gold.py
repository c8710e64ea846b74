"""The seed records match what a careful reader extracts (tests/fixtures/gold/seeds.yml).

Each seed is loaded twice: from the seed archive (with its sidecar facts) and as an untouched
file alone in a folder, where everything must come from the text itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from natowatch.archive.loader import load_archive, load_file
from natowatch.core.model import Article, BoilerplateKind, HeadlineSource
from paths import GOLD, SEEDS

GOLD_ARTICLES = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["articles"]
IDS = [entry["file"] for entry in GOLD_ARTICLES]


@pytest.fixture(scope="module")
def archive_records() -> dict[str, Article]:
    return {article.source_file: article for article in load_archive(SEEDS)}


@pytest.fixture(params=["archive", "untouched"])
def record_and_gold(request, archive_records, tmp_path: Path):
    def get(gold: dict) -> Article:
        if request.param == "archive":
            return archive_records[gold["file"]]
        copy = tmp_path / gold["file"]
        shutil.copyfile(SEEDS / gold["file"], copy)
        return load_file(copy)

    return get


def _text(gold: dict) -> str:
    return (SEEDS / gold["file"]).read_text(encoding="utf-8")


@pytest.mark.parametrize("gold", GOLD_ARTICLES, ids=IDS)
def test_seed_has_no_headline_line_so_headline_is_derived(gold, record_and_gold):
    record = record_and_gold(gold)
    assert gold["headline"] is None
    assert record.headline_source is HeadlineSource.DERIVED
    assert record.headline.strip()
    body_and_bp = [*record.body, *(item.text for item in record.boilerplate)]
    assert record.headline not in body_and_bp


@pytest.mark.parametrize("gold", GOLD_ARTICLES, ids=IDS)
def test_seed_author_comes_from_bio_or_is_absent(gold, record_and_gold):
    record = record_and_gold(gold)
    expected = [gold["author"]] if gold["author"] else []
    assert list(record.authors) == expected


@pytest.mark.parametrize("gold", GOLD_ARTICLES, ids=IDS)
def test_seed_body_runs_from_first_to_last_body_sentence(gold, record_and_gold):
    record = record_and_gold(gold)
    assert record.body[0].startswith(gold["first_body_sentence"])
    assert record.body[-1].endswith(gold["last_body_sentence"])
    text = _text(gold)
    for paragraph in record.body:
        assert paragraph in text, "body paragraphs are exact text from the file"


@pytest.mark.parametrize("gold", GOLD_ARTICLES, ids=IDS)
def test_seed_boilerplate_lines_are_exactly_the_gold_lines(gold, record_and_gold):
    record = record_and_gold(gold)
    removed = [item.text for item in record.boilerplate if not item.fragment]
    assert sorted(removed) == sorted(gold["boilerplate_lines"])
    for line in gold["boilerplate_lines"]:
        assert all(line not in paragraph for paragraph in record.body)


@pytest.mark.parametrize("gold", GOLD_ARTICLES, ids=IDS)
def test_seed_captions_and_credits(gold, record_and_gold):
    record = record_and_gold(gold)
    expected = [(c["text"], c["credit"], c.get("title")) for c in gold["captions"]]
    assert [(image.caption, image.credit, image.title) for image in record.images] == expected


@pytest.mark.parametrize("gold", GOLD_ARTICLES, ids=IDS)
def test_seed_comments_are_numbered_with_exact_text(gold, record_and_gold):
    record = record_and_gold(gold)
    assert len(record.comments) == gold["comment_count"]
    for number, (comment, expected) in enumerate(
        zip(record.comments, gold["comments"], strict=True), start=1
    ):
        assert comment.number == number
        assert comment.text == expected["text"]
        assert comment.author == expected["author"]
        assert comment.timestamp == expected["timestamp"]


def test_comment_opening_with_a_name_records_the_addressee(archive_records):
    comments = archive_records["000_643e925b5d599b63.txt"].comments
    addressees = {comment.number: comment.addressee for comment in comments}
    assert addressees == {1: None, 2: None, 3: None, 4: None, 5: "Norman Gardner", 6: None}


def test_comments_closed_flag_and_boilerplate_kinds(archive_records):
    record = archive_records["000_643e925b5d599b63.txt"]
    assert record.comments_closed is True
    kinds = {item.text: item.kind for item in record.boilerplate}
    assert kinds["Photo Credit: NATO"] is BoilerplateKind.CREDIT
    assert kinds["Comments are closed."] is BoilerplateKind.COMMENTS_CLOSED
    assert kinds["Loading Facebook Comments ..."] is BoilerplateKind.WIDGET
    assert {kinds[t] for t in kinds if t.startswith(("Previous article", "Next article"))} == {
        BoilerplateKind.NAVIGATION
    }
    assert kinds[record.author_bio or ""] is BoilerplateKind.BIO
    other = archive_records["003_204e1f5f7911c1bf.txt"]
    assert other.comments_closed is False
    other_kinds = {item.kind for item in other.boilerplate}
    assert other_kinds == {
        BoilerplateKind.IMAGE_TITLE,
        BoilerplateKind.CAPTION,
        BoilerplateKind.RELATED_LINK,
    }


def test_sidecar_facts_pass_through_unchanged(archive_records):
    jewish_press = archive_records["000_643e925b5d599b63.txt"]
    assert jewish_press.published == "2016-05-04"
    assert jewish_press.publisher == "The Jewish Press (jewishpress.com)"
    assert jewish_press.url and jewish_press.url.startswith("https://www.jewishpress.com/")
    ibtimes = archive_records["003_204e1f5f7911c1bf.txt"]
    assert ibtimes.published is None, "the text only says 'Thursday': no date is invented"
    assert ibtimes.authors == ()


def test_headline_derived_from_url_slug_takes_the_articles_capitalisation(archive_records):
    record = archive_records["000_643e925b5d599b63.txt"]
    assert record.headline == "Israel to open permanent office at NATO headquarters in Brussels"
    assert record.slug == "israel-to-open-permanent-office-at-nato-headquarters-in-brussels"


def test_untouched_seed_takes_its_headline_from_the_lede(tmp_path: Path):
    copy = tmp_path / "article.txt"
    shutil.copyfile(SEEDS / "003_204e1f5f7911c1bf.txt", copy)
    record = load_file(copy)
    assert record.headline_source is HeadlineSource.DERIVED
    assert record.headline.startswith("Israel on Thursday opened a new office")
    assert record.url is None and record.published is None and record.publisher is None
