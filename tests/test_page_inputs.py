"""Pages are carried over by their inputs (``page_inputs``) without making their data: after
any sequence of edits an incremental build is byte for byte a cold build, and an edit to one
article renders only the pages that show something of it."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest
from benchmarks.generate import generate_corpus, write_archive

from changes import articles_of, cold, snapshot, write_story
from natowatch.build import BuildSession, build

ARTICLES = 36
# More seeds (1-11) pass too; one keeps the suite quick.
SEEDS = [3]
# Two in a session: its pages carried as alike the last build's (``PageGroup.alike``) too.
SESSION_SEEDS = [4, 9]


def generated_archive(folder: Path, seed: int) -> Path:
    """A small synthetic archive (Markdown and raw text, shared cast) paged at 3 per page, so
    entity and list pages have several pages each."""
    write_archive(generate_corpus(ARTICLES, seed=seed), folder)
    with (folder / "natowatch.yml").open("a", encoding="utf-8") as handle:
        handle.write("items_per_page: 3\n")
    return folder


def body_line(lines: list[str], rng: random.Random) -> int:
    """A long line of the body (past the front matter or the photo credit)."""
    start = lines.index("") + 1
    candidates = [i for i in range(start, len(lines)) if len(lines[i]) > 80]
    return rng.choice(candidates)


def edit_sentence(path: Path, rng: random.Random, other: Path) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[body_line(lines, rng)] += f" Officials said nothing more on {rng.randint(1, 28)} May."
    path.write_text("\n".join(lines), encoding="utf-8")


def mention_someone_else(path: Path, rng: random.Random, other: Path) -> None:
    """Name a person from another article, with a quote: new entity, quote and link."""
    names = re.findall(
        r"\b(?:President|Minister|General|Senator) ([A-Z][a-z]+ [A-Z][a-z]+)", other.read_text()
    )
    name = names[0] if names else "Marta Kowalczyk"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[body_line(lines, rng)] += f' "We will not be moved," {name} told reporters in Oslo.'
    path.write_text("\n".join(lines), encoding="utf-8")


def change_headline_and_date(path: Path, rng: random.Random, other: Path) -> None:
    """New front matter title and year: what every link to the article shows."""
    path = rng.choice([item for item in articles_of(path.parent) if item.suffix == ".md"])
    text = path.read_text(encoding="utf-8")
    title = f"title: Retitled report number {rng.randint(1, 999)}"
    text = re.sub(r"^title: .*$", title, text, count=1, flags=re.M)
    year = f"date: {rng.randint(2012, 2023)}"
    text = re.sub(r"^date: \d{4}", year, text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


def delete_article(path: Path, rng: random.Random, other: Path) -> None:
    path.unlink()


def copy_article(path: Path, rng: random.Random, other: Path) -> None:
    """A new article: another one's text under a new name (same entities, related coverage)."""
    shutil.copy(other, path.with_name(f"copy-{rng.randint(0, 10**6)}{other.suffix}"))


EDITS = [
    edit_sentence,
    mention_someone_else,
    change_headline_and_date,
    delete_article,
    copy_article,
]


@pytest.mark.parametrize(
    ("seed", "in_session"),
    [*((seed, False) for seed in SEEDS), *((seed, True) for seed in SESSION_SEEDS)],
)
def test_incremental_builds_after_random_edits_equal_cold_builds(tmp_path, seed, in_session):
    """As ``natowatch build`` runs them, and in one process keeping a ``BuildSession`` (as
    ``natowatch serve`` does: records, digests and the last build kept in memory)."""
    archive = generated_archive(tmp_path / "archive", seed)
    out = tmp_path / "site"
    session = BuildSession() if in_session else None
    build(archive, out, session=session)
    rng = random.Random(seed)
    edits = [*EDITS, *EDITS, change_headline_and_date, change_headline_and_date]
    rng.shuffle(edits)
    for step, edit in enumerate(edits):
        target, other = rng.sample(articles_of(archive), 2)
        edit(target, rng, other)
        build(archive, out, session=session)
        assert snapshot(out) == cold(archive, tmp_path, f"{seed}-{step}"), edit.__name__


def test_an_edit_renders_only_the_pages_that_show_the_article(tmp_path, rendered_pages):
    archive = generated_archive(tmp_path / "archive", 5)
    out = tmp_path / "site"
    build(archive, out)
    every_page = len(rendered_pages)
    rendered_pages.clear()
    target = articles_of(archive)[ARTICLES // 2]
    edit_sentence(target, random.Random(1), target)
    build(archive, out)
    article_pages = [path for path in rendered_pages if path.startswith("articles/")]
    assert len(article_pages) == 1  # its own page; neighbours show only its headline and date
    # Entity pages: at most the one page of each entity that lists this article.
    entity_pages = [path for path in rendered_pages if path.startswith("entities/")]
    assert len({path.split("/")[1].removesuffix(".html") for path in entity_pages}) == len(
        entity_pages
    )
    assert len(rendered_pages) < every_page / 4


def test_an_added_article_renders_only_the_pages_that_show_it(tmp_path, rendered_pages):
    """Adding an article, the commonest change to a news archive, renders its own page and the
    listings it lands on, not every page: no site-wide value in every page's key may count the
    articles (the footer did, and every addition rendered the whole site again)."""
    archive = generated_archive(tmp_path / "archive", 5)
    out = tmp_path / "site"
    build(archive, out)
    every_page = len(rendered_pages)
    rendered_pages.clear()
    (archive / "added.md").write_text(
        "---\ntitle: A quiet week in the capital\ndate: 2016-05-04\npublisher: Evening Post\n"
        "---\n\nNothing of note happened in the capital this week, the clerks said.\n",
        encoding="utf-8",
    )
    build(archive, out)
    assert "articles/a-quiet-week-in-the-capital.html" in rendered_pages
    assert not [path for path in rendered_pages if path.startswith("entities/")]
    assert len(rendered_pages) < every_page / 4
    assert snapshot(out) == cold(archive, tmp_path, "added")


def test_an_article_joining_a_long_thread_renders_only_its_neighbours(
    tmp_path, rendered_pages, monkeypatch
):
    """The page keys read what a long thread's pages show (``thread_window``): the new
    member's neighbours are rendered again, the rest of the thread is carried over, and the
    site is a cold build's."""
    from natowatch.publish import coverage_views

    monkeypatch.setattr(coverage_views, "THREAD_COUNTED", 20)
    archive = tmp_path / "story"
    write_story(archive, 30)
    out = tmp_path / "site"
    build(archive, out)
    rendered_pages.clear()
    write_story(archive, 31)
    build(archive, out)
    articles = [path for path in rendered_pages if path.startswith("articles/")]
    assert 1 < len(articles) <= coverage_views.THREAD_WINDOW + 2  # the new one, its neighbours
    assert snapshot(out) == cold(archive, tmp_path, "joined")


def test_an_edit_renders_only_the_timeline_pages_whose_entries_moved(tmp_path, rendered_pages):
    """The timeline pages are keyed by their entries: a new event renders the pages it lands
    on or shifts (and the index, whose counts move), and the pages showing the edited
    article's other entries (its record changed), not the whole timeline."""
    archive = generated_archive(tmp_path / "archive", 6)
    out = tmp_path / "site"
    build(archive, out)
    before = snapshot(out)
    timeline = [path for path in before if path.startswith("timeline")]
    assert len(timeline) > 10  # several years, several pages each
    rendered_pages.clear()
    target = articles_of(archive)[ARTICLES // 3]
    edit_sentence(target, random.Random(2), target)
    build(archive, out)
    rendered = {path for path in rendered_pages if path.startswith("timeline")}
    [edited] = [path for path in rendered_pages if path.startswith("articles/")]
    after = snapshot(out)
    assert after == cold(archive, tmp_path, "timeline")
    changed = {
        path for path in after if path.startswith("timeline") and after[path] != before[path]
    }
    assert changed <= rendered
    for path in rendered - changed:
        assert edited.removeprefix("articles/").encode() in after[path], path
    assert 0 < len(rendered) < len(timeline) / 2


def test_in_a_session_an_edit_nothing_else_shows_renders_the_article_alone(
    tmp_path, rendered_pages
):
    """``serve``: the pages of the edited record's entities and timeline entries get new input
    keys (the record's digest changed) but show what they showed (``PageGroup.alike``), so
    they are carried, not made and rendered again; the site is still a cold build's."""
    archive = generated_archive(tmp_path / "archive", 7)
    out = tmp_path / "site"
    session = BuildSession()
    build(archive, out, session=session)
    target = articles_of(archive)[ARTICLES // 2]
    lines = target.read_text(encoding="utf-8").split("\n")
    lines[body_line(lines, random.Random(3))] += " The talks went on."
    target.write_text("\n".join(lines), encoding="utf-8")
    rendered_pages.clear()
    build(archive, out, session=session)
    rendered = list(rendered_pages)
    assert snapshot(out) == cold(archive, tmp_path, "alike")
    assert [path for path in rendered if path.startswith(("entities/", "timeline"))] == []
    assert [path for path in rendered if path.startswith("articles/")] != []


def test_in_a_session_an_edit_to_what_an_entity_page_shows_renders_it(tmp_path, rendered_pages):
    """The other side of ``alike``: words changed next to a person's name change the text an
    entity page shows around the mention, so that page is made and rendered again."""
    archive = generated_archive(tmp_path / "archive", 7)
    out = tmp_path / "site"
    session = BuildSession()
    build(archive, out, session=session)
    before = snapshot(out)
    pattern = re.compile(r"\b(President|Minister|General|Senator) ([A-Z][a-z]+ [A-Z][a-z]+)")
    target = next(path for path in articles_of(archive) if pattern.search(path.read_text()))
    head, blank, body = target.read_text().partition("\n\n")  # past front matter or credit
    target.write_text(head + blank + pattern.sub(r"\1 \2 (again)", body, count=1))
    rendered_pages.clear()
    build(archive, out, session=session)
    rendered = set(rendered_pages)
    after = snapshot(out)
    assert after == cold(archive, tmp_path, "shown")
    changed = {
        path for path in after if path.startswith("entities/") and after[path] != before.get(path)
    }
    assert changed  # the mention's context is on the person's page
    assert changed <= rendered


def test_an_article_pages_key_follows_the_merged_type_and_name_of_what_it_names():
    """The key reads each named entity's merged name and type (the page shows both): either
    changing gives another key."""
    import dataclasses

    from natowatch.core.model import EntityType
    from natowatch.corpus.coverage import build_coverage
    from natowatch.corpus.index import build_entity_index
    from natowatch.publish.page_inputs import LinkTexts, RecordDigests, article_page_inputs
    from site_factory import make_article

    article = make_article()
    archive = {article.id: article}
    digests = RecordDigests()
    coverage = build_coverage([article])
    index = build_entity_index([article])

    def key(entity_index) -> str:
        return article_page_inputs(
            article,
            digests,
            coverage,
            archive,
            entity_index,
            "publishers/x.html",
            LinkTexts(archive),
        )

    person = next(e for e in index.values() if e.type is EntityType.PERSON)
    keys = {key(index)}
    for changed in (
        dataclasses.replace(person, type=EntityType.ORG),
        dataclasses.replace(person, type=EntityType.GPE),
        dataclasses.replace(person, name=person.name + " Jr"),
    ):
        keys.add(key({**index, person.id: changed}))
    assert len(keys) == 4
    assert key(dict(index)) in keys  # the same inputs, the same key
