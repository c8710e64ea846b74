"""Front matter as Hugo and Jekyll write it is read, not refused (fixtures/frontmatter/).

Their common keys land in the record (README.md, "Front matter from other generators"), keys
natowatch has no use for are kept in the record's ``extra`` with one warning per key name per
build, drafts are left out unless asked for, and wrong types are still errors naming the file.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from natowatch.archive.loader import load_file, read_archive
from natowatch.build import build
from natowatch.cli import main
from paths import FIXTURES

FRONT = FIXTURES / "frontmatter"
SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "schemas" / "articles.schema.json"
TEXT = "Ministers of the alliance met in Brussels on Wednesday to agree the plan.\n"


def test_hugo_yaml_front_matter_lands_in_the_record():
    record = load_file(FRONT / "hugo_post.md")
    assert record.headline == "Baltic air policing mission expands to four jets"
    assert record.published == "2016-05-05"  # publishDate wins over date
    assert record.authors == ("Jane Roe",)
    assert record.tags == ("air policing", "Baltic states", "Europe", "Defence")
    assert record.slug == "baltic-air-policing-expands"
    assert record.extra == {
        "summary": "NATO doubles the jets on Baltic air policing duty.",
        # description lost to summary, date to publishDate: kept under their own names
        "description": "Allied jets will patrol Baltic airspace from two bases from next month.",
        "date": "2016-05-04T10:00:00+02:00",
        "updated": "2016-05-06T09:30:00+02:00",
        "images": ["/images/2016/eurofighter-amari.jpg"],
        "aliases": ["/news/2016/05/air-policing/", "/post/baltic-jets/"],
        "weight": 10,
        "layout": "single",
        # not Hugo keys natowatch maps: kept as they were
        "keywords": ["NATO", "Baltic", "air policing"],
        "toc": False,
        "series": ["Eastern flank"],
    }
    assert [section.heading for section in record.sections] == ["From two bases"]


def test_hugo_toml_front_matter_lands_in_the_record():
    record = load_file(FRONT / "hugo_post_toml.md")
    assert record.headline == "Summit in Warsaw to decide on eastern battalions"
    assert record.published == "2016-06-20"
    assert record.authors == ("John Smith", "Jane Roe")
    assert record.tags == ("Warsaw summit", "Summits")
    assert record.extra == {
        "summary": "Leaders meet in Warsaw in July.",
        "updated": "2016-06-21",
        "images": ["/images/warsaw.jpg"],
        "weight": 2,
        "toc": True,
        "params": {"subtitle": "What the leaders will sign"},
    }
    assert record.body[0].startswith("Leaders of the alliance will meet in Warsaw")


def test_jekyll_front_matter_lands_in_the_record():
    record = load_file(FRONT / "jekyll_post.md")
    assert record.headline == "Allies agree new readiness plan"
    assert record.published == "2016-05-04"
    assert record.authors == ("Jane Roe",)  # author: {name: ...}
    assert record.tags == ("readiness", "NATO", "Europe", "Defence", "World")
    assert record.slug == "allies-agree-new-readiness-plan"  # from the permalink
    assert record.extra == {
        "summary": "Ministers agree a plan to move troops faster.",
        "updated": "2016-05-05T08:15:00+02:00",
        "images": ["/assets/img/readiness.jpg"],  # image: {path: ...}
        "aliases": ["/2016/05/04/readiness/"],  # redirect_from
        "permalink": "/world/allies-agree-new-readiness-plan/",
        "layout": "post",
        "comments": True,
        "sitemap": False,
    }


@pytest.mark.parametrize(
    ("date", "day"),
    [
        ("2016-05-04", "2016-05-04"),
        ("2016-05-04T10:00:00+02:00", "2016-05-04"),  # a YAML timestamp
        ("2016-05-04T23:30:00-05:00", "2016-05-04"),  # the day as written, not UTC's
        ("2016-05-04 10:00:00", "2016-05-04"),
        ("2016-05-04 10:00:00 +0200", "2016-05-04"),  # Jekyll's form (a string in YAML)
        ('"2016-05-04 23:30:00 -0500"', "2016-05-04"),
        ("2016-05-04T10:00:00.000Z", "2016-05-04"),
        ("Wed, 04 May 2016 10:00:00 +0200", "2016-05-04"),  # RFC 1123, which Hugo reads
    ],
)
def test_hugo_and_jekyll_dates_give_the_day_written(tmp_path, date, day):
    path = tmp_path / "a.md"
    path.write_text(f"---\ndate: {date}\n---\n{TEXT}", encoding="utf-8")
    assert load_file(path).published == day


def test_toml_dates_and_natowatch_keys(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(
        f'+++\ntitle = "T"\ndate = 2016-05-04T23:30:00-05:00\npublisher = "P"\n+++\n{TEXT}',
        encoding="utf-8",
    )
    record = load_file(path)
    assert (record.headline, record.published, record.publisher) == ("T", "2016-05-04", "P")


def fixture_archive(root: Path, *names: str) -> Path:
    archive = root / "archive"
    archive.mkdir()
    for name in names or [path.name for path in FRONT.glob("*.md")]:
        shutil.copy(FRONT / name, archive / name)
    return archive


def test_drafts_are_left_out_unless_asked_for(tmp_path):
    archive = fixture_archive(tmp_path)
    loaded = read_archive(archive)
    assert sorted(article.source_file for article in loaded.articles) == [
        "hugo_post.md",
        "hugo_post_toml.md",
        "jekyll_post.md",
    ]
    assert loaded.drafts == ["hugo_draft.md", "jekyll_unpublished.md"]
    with_drafts = read_archive(archive, drafts=True)
    assert len(with_drafts.articles) == 5 and with_drafts.drafts == []
    drafts = {a.source_file: a.extra for a in with_drafts.articles if a.extra.get("draft")}
    assert set(drafts) == {"hugo_draft.md", "jekyll_unpublished.md"}


def test_build_drafts_option(tmp_path, capsys):
    archive = fixture_archive(tmp_path)
    out = tmp_path / "site"
    assert main(["build", str(archive), "--out", str(out)]) == 0
    assert "left out 2 drafts (--drafts builds them)" in capsys.readouterr().out
    pages = {path.name for path in (out / "articles").glob("*.html")}
    assert "unfinished-notes-on-the-summit-agenda.html" not in pages
    assert "draft-readiness-plan-explainer.html" not in pages
    assert main(["build", str(archive), "--out", str(out), "--drafts"]) == 0
    assert "left out" not in capsys.readouterr().out
    pages = {path.name for path in (out / "articles").glob("*.html")}
    assert {
        "unfinished-notes-on-the-summit-agenda.html",
        "draft-readiness-plan-explainer.html",
    } <= pages
    # An up-to-date build repeats what the last one said.
    assert main(["build", str(archive), "--out", str(out)]) == 0
    assert "left out 2 drafts" in capsys.readouterr().out
    assert main(["build", str(archive), "--out", str(out)]) == 0
    captured = capsys.readouterr().out
    assert "up to date" in captured and "left out 2 drafts" in captured


def test_extra_is_exported_and_valid_against_the_schema(tmp_path):
    archive = fixture_archive(tmp_path)
    out = tmp_path / "site"
    build(archive, out, workers=1, drafts=True)
    records = json.loads((out / "data" / "articles.json").read_text(encoding="utf-8"))
    jsonschema.validate(records, json.loads(SCHEMA.read_text(encoding="utf-8")))
    extras = {record["source_file"]: record["extra"] for record in records}
    assert extras["hugo_post_toml.md"]["params"] == {"subtitle": "What the leaders will sign"}
    assert extras["hugo_draft.md"] == {"draft": True}
    page = (out / "articles" / "baltic-air-policing-expands.html").read_text(encoding="utf-8")
    assert '<meta name="description" content="NATO doubles the jets on Baltic air' in page


def test_extra_keys_are_kept_as_written(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(
        "---\nzone: one\nWhen: 2016-05-04\nnested: {zone: two, at: 2016-05-04 10:00:00}\n"
        f"ratio: .nan\nset: !!set {{b: null, a: null}}\n---\n{TEXT}",
        encoding="utf-8",
    )
    extra = load_file(path).to_dict()["extra"]
    assert extra == {
        "zone": "one",  # not renamed "in" like a mention's zone
        "When": "2016-05-04",
        "nested": {"zone": "two", "at": "2016-05-04T10:00:00"},
        "ratio": "nan",
        "set": ["a", "b"],
    }
    json.dumps(extra, allow_nan=False)


def test_one_warning_per_unknown_key_name_however_many_files(write_archive):
    files = {
        f"{number:02d}.md": f"---\ntitle: Story {number}\nkeywords: [a]\ntoc: true\n---\n{TEXT}"
        for number in range(30)
    }
    files["30.md"] = f"---\ntitle: Story 30\nseries: [x]\n---\n{TEXT}"
    files["sources.yml"] = "31.txt:\n  mood: calm\n"
    files["31.txt"] = "A headline of the story\n\n" + TEXT
    loaded = read_archive(write_archive(files))
    assert not loaded.errors and len(loaded.articles) == 32
    messages = sorted(str(warning) for warning in loaded.warnings)
    assert len(messages) == 4, messages
    keywords, toc, series, mood = messages
    assert "00.md: front matter: unknown key 'keywords' (and 29 more files)" in keywords
    assert "00.md: front matter: unknown key 'toc' (and 29 more files)" in toc
    assert "30.md: front matter: unknown key 'series';" in series
    assert "sources.yml: entry '31.txt': unknown key 'mood';" in mood
    assert all("keeps its value in the record's extra" in message for message in messages)


def test_the_console_shows_each_unknown_key_once(tmp_path, capsys):
    archive = fixture_archive(tmp_path, "hugo_post.md", "hugo_post_toml.md")
    assert main(["build", str(archive), "--out", str(tmp_path / "site")]) == 0
    err = capsys.readouterr().err
    assert err.count("unknown key 'toc'") == 1
    assert "unknown key 'toc' (and 1 more file)" in err
    assert "unknown key 'layout'" not in err  # mapped, though natowatch does not use it


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("summary: [a, b]", "summary must be text"),
        ("description: {a: 1}", "description must be text"),
        ("weight: heavy", "weight must be a whole number"),
        ("draft: 'no'", "draft must be true or false"),
        ("published: maybe", "published must be a date"),
        ("lastmod: soon", "lastmod must be a date"),
        ("publishDate: '2016-13-45'", "publishDate must be a date"),
        ("date: 2016-05-04 25:00:00 +0200", "date must be a date"),
        ("categories: {a: 1}", "categories must be a text or a list of texts"),
        ("category: 5", "category must be a text or a list of texts"),
        ("images: [5]", "images must be a text or a list of texts or mappings with a 'path'"),
        ("author: {twitter: x}", "author must be a text or a list of texts or mappings"),
        ("aliases: 3", "aliases must be a text or a list of texts"),
        ("layout: [a]", "layout must be text"),
    ],
)
def test_wrong_types_are_errors_naming_the_file_and_key(write_archive, front, message):
    archive = write_archive(
        {"ok.md": f"---\ntitle: Fine\n---\n{TEXT}", "bad.md": f"---\n{front}\n---\n{TEXT}"}
    )
    loaded = read_archive(archive, drafts=True)
    [error] = loaded.errors
    assert error.path.endswith("bad.md")
    assert f"front matter: {message}" in str(error)
    assert [article.source_file for article in loaded.articles] == ["ok.md"]


def test_wrong_types_in_toml_name_the_file_and_key(write_archive):
    archive = write_archive({"bad.md": f'+++\nweight = "heavy"\n+++\n{TEXT}'})
    [error] = read_archive(archive).errors
    assert error.path.endswith("bad.md")
    assert "front matter: weight must be a whole number, got 'heavy'" in str(error)


def test_invalid_toml_names_the_file_and_line(write_archive):
    archive = write_archive({"bad.md": f'+++\ntitle = "T"\ntags = [unclosed\n+++\n{TEXT}'})
    [error] = read_archive(archive).errors
    assert error.path.endswith("bad.md") and error.line == 3
    assert "invalid TOML front matter" in str(error)


def test_lastmod_is_shown_on_the_page_and_given_to_feeds_and_json_ld(tmp_path):
    """Hugo's lastmod (extra.updated): the page says when, the feeds and JSON-LD carry it."""
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(FRONT / "hugo_post.md", archive / "hugo_post.md")
    out = tmp_path / "site"
    build(archive, out)
    page = (out / "articles" / "baltic-air-policing-expands.html").read_text(encoding="utf-8")
    assert 'updated <time datetime="2016-05-06">6 May 2016</time>' in page
    jsonld = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(jsonld)["dateModified"] == "2016-05-06T09:30:00+02:00"
    atom = (out / "feed.xml").read_text(encoding="utf-8")
    assert "<updated>2016-05-06T09:30:00+02:00</updated>" in atom
    item = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"][0]
    assert item["date_modified"] == "2016-05-06T09:30:00+02:00"


@pytest.mark.parametrize(
    ("updated", "atom"),
    [
        ("2016-05-07", "2016-05-07T00:00:00Z"),  # a day: midnight in the archive's zone (UTC)
        ("2016-05-07T08:00:00", "2016-05-07T08:00:00Z"),  # no offset: the archive's zone
        ("2016-05-07T08:00:00Z", "2016-05-07T08:00:00Z"),
        ("2016-05-07T10:00:00+02:00", "2016-05-07T10:00:00+02:00"),
    ],
)
def test_lastmod_forms(tmp_path, updated, atom):
    from natowatch.archive.config import Config
    from natowatch.publish.feeds import article_updated

    path = tmp_path / "post.md"
    path.write_text(
        f"---\ntitle: A post\ndate: 2016-05-05\nlastmod: {updated}\n---\n\n{TEXT}",
        encoding="utf-8",
    )
    assert article_updated(load_file(path), Config()) == atom
