"""Pagefind's head start in ``serve`` (``publish.search_guess``): the edited article's page,
rendered against the last build, is indexed before the build has written it. A guess that
proves right is kept; any other is stopped and redone, and the site is always the bytes of a
cold build."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest

from changes import cold, snapshot
from natowatch import preview
from natowatch import preview as preview_module
from natowatch.build import BuildSession, build
from natowatch.core.errors import BuildError
from natowatch.publish import search
from natowatch.publish.search_guess import KeptDocuments, SearchGuess
from natowatch.publish.write import read_manifest
from search_archive import write_search_archive

PER_SHARD = 4  # 13 articles // 4 = 3 shards


@pytest.fixture
def runs(monkeypatch) -> list[tuple[str, str]]:
    """(what asked, bundle) of every Pagefind run, on a site of three shards."""
    monkeypatch.setattr(search, "PAGES_PER_SHARD", PER_SHARD)
    made: list[tuple[str, str]] = []
    run_pagefind = search._run_pagefind

    def counted(pages: Path, bundle: Path, *running: list[object]) -> None:
        made.append(
            (
                "guess"
                if pages.parent.name.startswith((".pagefind-guess-", "natowatch-search-"))
                else "build",
                bundle.name,
            )
        )
        run_pagefind(pages, bundle, *running)

    monkeypatch.setattr(search, "_run_pagefind", counted)
    return made


@pytest.fixture
def taken(monkeypatch) -> list[set[int]]:
    """The shards each build took from its guess."""
    seen: list[set[int]] = []
    take = SearchGuess.take

    def recorded(self, *args, **kwargs):
        shards, wait = take(self, *args, **kwargs)
        seen.append(shards)
        return shards, wait

    monkeypatch.setattr(SearchGuess, "take", recorded)
    return seen


def bundle_inodes(site: Path, bundle: str) -> dict[str, int]:
    return {
        str(p.relative_to(site)): p.stat().st_ino for p in (site / bundle).rglob("*") if p.is_file()
    }


def edit(archive: Path, name: str, old: str, new: str) -> None:
    path = archive / name
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def leftovers(out: Path) -> list[str]:
    beside = [p.name for p in out.parent.iterdir() if p.name.startswith(".site-")]
    inside = [p.name for p in out.iterdir() if p.name.startswith(".pagefind")]
    return beside + inside


def test_a_right_guess_is_the_only_run_of_its_shard(runs, taken, tmp_path, monkeypatch):
    from natowatch.publish import write

    monkeypatch.setattr(write, "BACKGROUND_LINKS_FROM", 1)  # the other shards linked by it
    archive = write_search_archive(tmp_path / "archive")
    out, session = tmp_path / "site", BuildSession()
    build(archive, out, session=session)
    before = {name: bundle_inodes(out, search.bundle_name(name)) for name in range(3)}
    edit(archive, "10.md", "gadrimol", "gadrimox")
    runs.clear()
    build(archive, out, session=session)
    assert len(runs) == 1 and runs[0][0] == "guess"  # started before the pages were written
    edited = search.shard_of("articles/" + _slug(out, "gadrimox"), 3)
    assert taken == [{edited}]
    for shard in set(range(3)) - {edited}:
        assert bundle_inodes(out, search.bundle_name(shard)) == before[shard]
    assert snapshot(out) == cold(archive, tmp_path, "right-guess")
    assert leftovers(out) == []


def _slug(out: Path, word: str) -> str:
    found = [p.name for p in (out / "articles").glob("*.html") if word in p.read_text()]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize(
    "wrong", ["the edited page", "a page of its shard left as it was", "a page of another shard"]
)
def test_a_wrong_guess_is_stopped_and_the_shard_indexed_as_without_one(
    runs, taken, tmp_path, monkeypatch, wrong
):
    """The guess's run is thrown away: the edited page's shard is indexed from the written
    pages, and a shard guessed to change but not changed is the previous build's again."""
    archive = write_search_archive(tmp_path / "archive")
    out, session = tmp_path / "site", BuildSession()
    build(archive, out, session=session)
    edited = "articles/" + _slug(out, "gadrimol")
    pages = sorted("articles/" + p.name for p in (out / "articles").glob("*.html"))
    same = search.shard_of(edited, 3)
    other = next(
        page
        for page in pages
        if page != edited
        and (search.shard_of(page, 3) == same) == (wrong != "a page of another shard")
    )
    guessed = preview.changed_article_pages

    def misguessed(*args, **kwargs):
        made = guessed(*args, **kwargs)
        if wrong == "the edited page":
            return {path: data.replace(b"Baltic", b"Adriatic") for path, data in made.items()}
        return {**made, other: (out / other).read_bytes().replace(b"Baltic", b"Adriatic")}

    monkeypatch.setattr(preview, "changed_article_pages", misguessed)
    elsewhere = search.bundle_name(search.shard_of(other, 3))
    before = bundle_inodes(out, elsewhere)
    edit(archive, "10.md", "gadrimol", "gadrimox")
    runs.clear()
    build(archive, out, session=session)
    if wrong == "a page of another shard":  # the edited page's shard guessed right
        assert taken == [{same}]
        assert sorted(runs) == sorted([("guess", search.bundle_name(same)), ("guess", elsewhere)])
        assert bundle_inodes(out, elsewhere) == before  # the previous build's, linked again
    else:
        assert taken == [set()]
        assert runs[-1] == ("build", search.bundle_name(same))
    assert snapshot(out) == cold(archive, tmp_path, "wrong-guess")
    assert leftovers(out) == []


def test_a_build_that_fails_after_guessing_stops_the_guess_and_keeps_the_old_site(
    runs, tmp_path, monkeypatch
):
    from natowatch.publish import render

    archive = write_search_archive(tmp_path / "archive")
    out, session = tmp_path / "site", BuildSession()
    build(archive, out, session=session)
    before = snapshot(out)

    def failing(*args, **kwargs):
        raise BuildError("a page failed to render")

    monkeypatch.setattr(render, "render_into", failing)
    guesses: list[SearchGuess] = []
    start = SearchGuess.start
    monkeypatch.setattr(
        SearchGuess, "start", lambda self, *args: guesses.append(self) or start(self, *args)
    )
    edit(archive, "10.md", "gadrimol", "gadrimox")
    runs.clear()
    with pytest.raises(BuildError, match="failed to render"):
        build(archive, out, session=session)
    assert [who for who, _ in runs] == ["guess"]
    assert len(guesses) == 1 and guesses[0]._runs == {}  # stopped
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_no_guess_for_a_new_article_or_outside_a_session(runs, tmp_path):
    from search_archive import article

    archive = write_search_archive(tmp_path / "archive")
    out, session = tmp_path / "site", BuildSession()
    build(archive, out, session=session)
    (archive / "14.md").write_text(article(14, "plovendar"), encoding="utf-8")
    runs.clear()
    build(archive, out, session=session)
    assert runs and all(who == "build" for who, _ in runs)
    edit(archive, "10.md", "gadrimol", "gadrimox")
    runs.clear()
    build(archive, out)
    assert runs and all(who == "build" for who, _ in runs)
    assert snapshot(out) == cold(archive, tmp_path, "no-guess")


def test_a_session_keeps_the_guessed_shards_documents_and_cuts_only_what_changed(
    runs, taken, tmp_path, monkeypatch
):
    """Save after save the guess indexes the same shard, from a scratch folder made anew in
    the new site but filled with the documents the session kept: a page whose bytes are those
    its document was cut from is not read again. Edits, a second article of the shard and a
    deletion all still give a cold build's bytes; the site is put on a memory file system
    where there is one (Pagefind's index depends on the order it finds its files in, which
    differs from one file system to another)."""
    shm = Path("/dev/shm")
    where = Path(tempfile.mkdtemp(dir=shm)) if shm.is_dir() else tmp_path
    try:
        _keep_documents_across_saves(runs, taken, tmp_path, where, monkeypatch)
    finally:
        if where != tmp_path:
            shutil.rmtree(where, ignore_errors=True)


def _keep_documents_across_saves(runs, taken, tmp_path, where, monkeypatch):
    archive = write_search_archive(tmp_path / "archive")
    out, session = where / "site", BuildSession()
    build(archive, out, session=session)
    served: list[set[str]] = []  # the pages each guess took from the kept documents
    real_documents = KeptDocuments.documents
    monkeypatch.setattr(
        KeptDocuments,
        "documents",
        lambda self, *args: served.append(set(kept := real_documents(self, *args))) or kept,
    )
    edited = "articles/" + _slug(out, "gadrimol")
    shard = search.shard_of(edited, 3)
    words = {
        p.name: re.search(r"in the (\w+) exercise", p.read_text()).group(1)
        for p in archive.glob("*.md")
    }
    neighbour, deleted = [
        name
        for name, word in sorted(words.items())
        if name != "10.md" and search.shard_of("articles/" + _slug(out, word), 3) == shard
    ][:2]
    sites = [read_manifest(out)]  # each build's page digests
    changes = ["again", "again", "neighbour", "delete", "again"]
    for round_number, change in enumerate(changes):
        path = archive / (neighbour if change == "neighbour" else "10.md")
        text = re.sub(r"Baltic Sea[^.]*", f"Baltic Sea in round {round_number}", path.read_text())
        path.write_text(text, encoding="utf-8")
        if change == "delete":  # no guess: the build indexes the shard (its page is gone)
            (archive / deleted).unlink()
        served.clear()
        runs.clear()
        build(archive, out, session=session)
        assert [who for who, _ in runs] == ["build" if change == "delete" else "guess"], change
        assert snapshot(out) == cold(archive, where, f"kept-{round_number}")
        sites.append(read_manifest(out))
        if changes[round_number - 1 : round_number + 1] == ["again", "again"]:
            # the documents were kept the round before: only pages changed since are cut again
            before, now = sites[-3], sites[-2]  # the site they were cut from, the last one
            shard_pages = {
                p for p in now if p.startswith("articles/") and search.shard_of(p, 3) == shard
            }
            moved = {p for p in shard_pages if now[p] != before.get(p)}
            assert len(served) == 1
            assert shard_pages - served[0] <= moved | {edited}
            assert served[0]
    session.close()
    assert session.search_documents is not None and session.search_documents._pages == {}


def test_a_page_pagefind_reads_whole_is_compared_whole(runs, taken, tmp_path, monkeypatch):
    """A page with something Pagefind reads outside its marked element is put in the scratch
    folder whole: when its bytes change (here the date it shows of a related article, after
    that article's edit) the guess that gave Pagefind its old bytes is not kept."""
    archive = write_search_archive(tmp_path / "archive")
    out = tmp_path / "site"
    build(archive, out)
    edited = "articles/" + _slug(out, "gadrimol")
    before = read_manifest(out)
    edit(archive, "10.md", "date: 2024-03-11", "date: 2024-02-11")
    build(archive, tmp_path / "fresh")  # which pages' bytes the edit changes
    after = read_manifest(tmp_path / "fresh")
    edit(archive, "10.md", "date: 2024-02-11", "date: 2024-03-11")
    shard = search.shard_of(edited, 3)
    whole = next(
        page
        for page in sorted(after)
        if page.startswith("articles/")
        and page != edited
        and search.shard_of(page, 3) == shard
        and after[page] != before.get(page)
    )
    real = search.search_document
    monkeypatch.setattr(
        search,
        "search_document",
        lambda page: None if page.name == whole.removeprefix("articles/") else real(page),
    )
    session = BuildSession()
    build(archive, out, session=session, skip_if_up_to_date=False)
    edit(archive, "10.md", "date: 2024-03-11", "date: 2024-02-11")
    runs.clear()
    taken.clear()
    build(archive, out, session=session)
    assert taken == [set()]
    assert snapshot(out) == cold(archive, tmp_path, "whole")


@pytest.mark.parametrize("preview", ["as saved", "stale"])
def test_serves_preview_is_the_guess_and_a_stale_one_is_not_kept(
    runs, taken, tmp_path, monkeypatch, preview
):
    """``serve`` hands the rebuild the preview it just showed (``BuildSession.previews``): the
    guess is not rendered again. A preview of an earlier save (the file changed again since)
    is checked like any guess, and not kept."""
    from natowatch.preview import preview_pages

    archive = write_search_archive(tmp_path / "archive")
    out, session = tmp_path / "site", BuildSession()
    build(archive, out, session=session)
    edit(archive, "10.md", "gadrimol", "gadrimox")
    assert session.last is not None
    shown = preview_pages(session.last, [archive / "10.md"])
    assert shown
    if preview == "stale":
        edit(archive, "10.md", "gadrimox", "gadrimoz")
    session.previews = shown
    monkeypatch.setattr(preview_module, "changed_article_pages", _not_called)
    runs.clear()
    build(archive, out, session=session)
    assert session.previews is None  # used once
    edited = search.shard_of("articles/" + _slug(out, "gadrimo"), 3)
    assert taken == [{edited} if preview == "as saved" else set()]
    assert snapshot(out) == cold(archive, tmp_path, f"preview-{preview}")


def _not_called(*args, **kwargs):
    raise AssertionError("the guess was rendered again")
