"""The sharded search index: pages go to shards by path alone, an incremental build re-indexes
only the shards whose pages changed, and its bytes equal a cold build's."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from changes import cold, snapshot
from natowatch.build import BuildSession, build
from natowatch.core.errors import BuildError
from natowatch.publish import search, write
from natowatch.publish.write import manifest_list
from search_archive import article, write_search_archive

PER_SHARD = 4  # 13 articles // 4 = 3 shards


def bundle_inodes(site: Path, bundle: str) -> dict[str, int]:
    return {
        p.relative_to(site).as_posix(): p.stat().st_ino
        for p in (site / bundle).rglob("*")
        if p.is_file()
    }


def indexed_text(site: Path) -> str:
    """Everything the search bundles hold as page text (Pagefind's gzipped fragments)."""
    fragments = sorted(site.glob("pagefind*/fragment/*.pf_fragment"))
    return "".join(gzip.decompress(f.read_bytes()).decode("utf-8", "replace") for f in fragments)


def page_with(site: Path, word: str) -> str:
    """The site path of the one article page containing ``word``."""
    found = [
        p.relative_to(site).as_posix()
        for p in (site / "articles").glob("*.html")
        if word in p.read_text(encoding="utf-8")
    ]
    assert len(found) == 1, found
    return found[0]


@pytest.fixture
def sharded(monkeypatch) -> list[str]:
    """Three shards on a small site; returns the bundles Pagefind runs wrote, in call order."""
    monkeypatch.setattr(search, "PAGES_PER_SHARD", PER_SHARD)
    runs: list[str] = []
    run_pagefind = search._run_pagefind

    def counted(pages: Path, bundle: Path, *running: list[object]) -> None:
        runs.append(bundle.name)
        run_pagefind(pages, bundle, *running)

    monkeypatch.setattr(search, "_run_pagefind", counted)
    return runs


@pytest.fixture(params=["build", "serve"])
def session(request) -> BuildSession | None:
    """As ``natowatch build`` runs, and as ``serve`` does (a session: the search indexer
    starts while the data files are written, ``SiteWriter``'s early hook)."""
    return BuildSession() if request.param == "serve" else None


@pytest.fixture
def archive(tmp_path) -> Path:
    return write_search_archive(tmp_path / "archive")


# --- shard assignment --------------------------------------------------------------------------


def test_a_page_shard_depends_on_its_path_only_and_is_the_same_in_every_process():
    # Fixed values: Python's hash() of a string changes from one process to the next.
    assert search.shard_of("articles/nato-summit.html", 16) == 11
    assert search.shard_of("articles/nato-summit.html", 3) == 0


def test_shards_are_balanced_and_cover_every_page_once():
    pages = [f"articles/report-{n}-on-the-exercise.html" for n in range(5000)]
    shards = search.assign_shards(list(reversed(pages)))
    assert len(shards) == 10
    assert sorted(page for shard in shards for page in shard) == sorted(pages)
    assert all(shard == sorted(shard) for shard in shards)
    assert all(430 <= len(shard) <= 570 for shard in shards), [len(s) for s in shards]
    assert search.assign_shards(pages) == shards  # input order does not matter


@pytest.mark.parametrize(
    ("pages", "count"), [(0, 1), (2, 1), (999, 1), (1000, 2), (5000, 10), (100_000, 16)]
)
def test_shard_count_grows_with_the_pages_up_to_a_cap(pages, count):
    assert search.shard_count(pages) == count


def test_no_shard_is_left_empty():
    # One page a shard would make 5 shards, but the hash leaves some of 5, 4 and 3 shards empty.
    pages = ["a.html", "b.html", "c.html", "d.html", "e.html"]
    assert search.assign_shards(pages, 1) == [["c.html", "d.html"], ["a.html", "b.html", "e.html"]]
    assert search.assign_shards(pages, 3) == [pages]


def test_only_pages_with_a_marked_element_are_indexed(tmp_path):
    pages = {
        "article.html": b'<article class="article" data-pagefind-body><p>x</p></article>',
        "nested/main.html": b"<main\ndata-pagefind-body>",
        "text.html": b"<p>the data-pagefind-body attribute</p>",
        "other.html": b'<p data-pagefind-bodyless title="data-pagefind-body">x</p>',
        "pagefind/ui.html": b"<div data-pagefind-body></div>",
    }
    for name, data in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    assert search.indexed_pages(tmp_path) == ["article.html", "nested/main.html"]


def test_a_rebuild_reads_only_the_changed_pages_to_know_which_are_indexed(tmp_path, monkeypatch):
    """The build keeps the indexed pages in the site's manifest; the next one takes an
    unchanged page's status from there, and reads each changed page (added ones included)."""
    from paths import SEEDS

    out = tmp_path / "site"
    build(SEEDS, out)
    indexed = search.indexed_pages(out)
    assert len(indexed) == 2  # the seeds' article pages
    assert manifest_list(out, search.INDEXED_LIST) == indexed
    site = tmp_path / "next"
    shutil.copytree(out, site, ignore=shutil.ignore_patterns("pagefind*"))
    unmarked, kept = indexed
    page = site / unmarked
    page.write_bytes(page.read_bytes().replace(b"data-pagefind-body", b"data-other"))
    (site / "new.html").write_bytes(b"<main data-pagefind-body><p>new</p></main>")
    read: list[str] = []
    real = search.is_indexed
    monkeypatch.setattr(search, "is_indexed", lambda path: read.append(str(path)) or real(path))
    listed = search.index_for_search(site, out, frozenset({unmarked, "new.html"}))
    assert listed == {search.INDEXED_LIST: sorted([kept, "new.html"])}
    assert sorted(Path(path).name for path in read) == sorted([Path(unmarked).name, "new.html"])


def test_what_pagefind_reads_of_a_page_leaves_out_the_rest(tmp_path):
    page = (
        '<html lang="{lang}"><head><title>T</title></head><body><nav>{nav}</nav>'
        "<article data-pagefind-body><h1>{title}</h1><article>inner</article>{text}</article>"
        "<section>{thread}</section>{extra}</body></html>"
    )
    base = {"lang": "en", "nav": "n", "title": "t", "text": "x", "thread": "s", "extra": ""}

    def key(**change: str) -> bytes | None:
        path = tmp_path / "page.html"
        path.write_text(page.format(**(base | change)), encoding="utf-8")
        return search.search_input(path)

    assert key() is not None
    assert key(nav="other", thread="3 articles") == key()
    assert key(title="u") != key()
    assert key(text="<p>y</p>") != key()
    assert key(extra='<p data-pagefind-meta="date:2024">d</p>') != key()
    assert key(lang="fr") != key()
    assert search.search_input(tmp_path / "missing.html") is None


def test_pagefind_is_given_a_page_cut_down_to_what_it_reads(tmp_path):
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<title>T</title>\n</head>\n<body><nav>n</nav>'
        "<article data-pagefind-body><h1>t</h1><div data-pagefind-body>inner</div>x</article>"
        "<section>{outside}</section></body></html>"
    )

    def document(outside: str = "s", template: str = page) -> bytes | None:
        path = tmp_path / "page.html"
        path.write_text(template.format(outside=outside), encoding="utf-8")
        return search.search_document(path)

    assert document() == (
        b'<!DOCTYPE html>\n<html lang="en">\n<head>\n<title>T</title>\n</head>\n<body>\n'
        b"<article data-pagefind-body><h1>t</h1><div data-pagefind-body>inner</div>x</article>"
        b"\n</body>\n</html>\n"
    )  # the inner marked element once, inside the outer one
    assert document("3 related articles <a href='x.html'>x</a>") == document()
    # Whatever Pagefind could read outside: the whole page is indexed instead.
    for outside in (
        '<p data-pagefind-meta="date:2024">d</p>',
        "<H1>Other</H1>",
        '<img src="a.png">',
    ):
        assert document(outside) is None, outside
    assert document(template=page.replace("data-pagefind-body", "data-other")) is None
    assert document(template=page.replace("<head>", "<head data-x>")) is None  # not our layout
    assert document(template=page.replace("</head>", "")) is None  # no end to the head
    assert search.search_document(tmp_path / "missing.html") is None


@pytest.mark.parametrize("site_of", ["seeds", "archive"])
def test_the_cut_down_pages_give_the_bytes_of_pagefind_on_the_whole_pages(
    tmp_path, site_of, archive
):
    """What search_document keeps is all Pagefind reads: its bundle from the whole pages is
    the same, byte for byte, as the one the build made."""
    from paths import SEEDS

    site = tmp_path / "site"
    build(SEEDS if site_of == "seeds" else archive, site)
    pages = search.indexed_pages(site)
    assert pages and all(search.search_document(site / page) is not None for page in pages)
    whole = tmp_path / "whole"
    for page in pages:
        write.link_or_copy(site / page, whole / page)
    search._run_pagefind(whole, tmp_path / "bundle")
    assert snapshot(tmp_path / "bundle") == snapshot(site / "pagefind")


# --- builds ------------------------------------------------------------------------------------


def test_the_seeds_keep_one_bundle(tmp_path):
    from paths import SEEDS

    build(SEEDS, tmp_path / "site")
    listed = json.loads((tmp_path / "site" / search.SHARD_LIST).read_text())
    assert listed == {"bundles": ["pagefind/"]}
    assert sorted(p.name for p in (tmp_path / "site").glob("pagefind*")) == [
        "pagefind",
        "pagefind-shards.json",
    ]


def test_an_edit_reindexes_only_its_shard_and_gives_the_bytes_of_a_cold_build(
    sharded, archive, tmp_path, session
):
    out = tmp_path / "site"
    build(archive, out, session=session)
    bundles = ["pagefind", "pagefind-2", "pagefind-3"]
    assert sorted(sharded) == bundles
    assert json.loads((out / search.SHARD_LIST).read_text()) == {
        "bundles": [name + "/" for name in bundles]
    }
    edited = page_with(out, "gadrimol")
    shard = search.bundle_name(search.shard_of(edited, 3))
    before = {name: bundle_inodes(out, name) for name in bundles}

    path = archive / "10.md"
    path.write_text(path.read_text().replace("gadrimol", "gadrimox"), encoding="utf-8")
    sharded.clear()
    build(archive, out, session=session)

    assert sharded == [shard]
    assert "gadrimox" in indexed_text(out) and "gadrimol" not in indexed_text(out)
    for name in bundles:
        if name == shard:
            assert bundle_inodes(out, name) != before[name]
        else:
            assert bundle_inodes(out, name) == before[name], f"{name} was not reused"
    assert snapshot(out) == cold(archive, tmp_path, "edit")


def test_adding_and_deleting_pages_reindexes_their_shards(sharded, archive, tmp_path, session):
    out = tmp_path / "site"
    build(archive, out, session=session)
    deleted = page_with(out, "trovimex")
    (archive / "05.md").unlink()
    (archive / "13.md").write_text(article(13, "wembrisk"), encoding="utf-8")
    sharded.clear()
    build(archive, out, session=session)
    added = page_with(out, "wembrisk")
    expected = {search.bundle_name(search.shard_of(page, 3)) for page in (deleted, added)}
    # Every other article page changed too (the footer's count, the story thread) but not its
    # marked element, so at least one shard is carried over.
    assert len(expected) < 3
    assert sorted(sharded) == sorted(expected)
    assert snapshot(out) == cold(archive, tmp_path, "add-delete")
    text = indexed_text(out)
    assert "wembrisk" in text and "trovimex" not in text and "gadrimol" in text


def test_a_new_shard_count_reindexes_every_shard(sharded, archive, tmp_path, monkeypatch):
    out = tmp_path / "site"
    build(archive, out)
    monkeypatch.setattr(search, "PAGES_PER_SHARD", 6)  # now 13 // 6 = 2 shards
    (archive / "00.md").write_text(article(0, "quorvanx"), encoding="utf-8")
    sharded.clear()
    build(archive, out)
    assert sorted(sharded) == ["pagefind", "pagefind-2"]
    assert not (out / "pagefind-3").exists()
    assert snapshot(out) == cold(archive, tmp_path, "recount")


def test_shards_from_another_pagefind_version_are_not_merged_with_new_ones(
    sharded, archive, tmp_path
):
    out = tmp_path / "site"
    build(archive, out)
    edited = page_with(out, "gadrimol")
    other = next(
        n
        for n in ("pagefind", "pagefind-2", "pagefind-3")
        if n != search.bundle_name(search.shard_of(edited, 3))
    )
    entry = out / other / "pagefind-entry.json"
    entry.unlink()  # a hard link shared with nothing else now; write a copy claiming 0.0.1
    entry.write_text('{"version":"0.0.1","languages":{}}', encoding="utf-8")
    path = archive / "10.md"
    path.write_text(path.read_text().replace("gadrimol", "gadrimox"), encoding="utf-8")
    sharded.clear()
    build(archive, out)
    assert sorted(sharded) == ["pagefind", "pagefind-2", "pagefind-3"]
    assert snapshot(out) == cold(archive, tmp_path, "version")


def test_an_empty_archive_has_its_pages_indexed_in_one_bundle_reused_until_a_page_changes(
    sharded, tmp_path
):
    (tmp_path / "archive").mkdir()
    out = tmp_path / "site"
    build(tmp_path / "archive", out)
    assert json.loads((out / search.SHARD_LIST).read_text()) == {"bundles": ["pagefind/"]}
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text())
    assert sum(language["page_count"] for language in entry["languages"].values()) > 0
    for name, changed in (("feed", {"feed.xml"}), ("page", {"feed.xml", "index.html"})):
        site = tmp_path / name
        shutil.copytree(out, site, ignore=shutil.ignore_patterns("pagefind*"))
        sharded.clear()
        search.index_for_search(site, out, frozenset(changed))
        reused = bundle_inodes(site, "pagefind") == bundle_inodes(out, "pagefind")
        assert (reused, sharded) == ((True, []) if name == "feed" else (False, ["pagefind"]))


@pytest.mark.parametrize("setting", ["config-file", "environment"])
def test_pagefind_settings_around_the_build_do_not_change_the_index(tmp_path, monkeypatch, setting):
    from paths import SEEDS

    if setting == "config-file":
        monkeypatch.chdir(tmp_path)
        (tmp_path / "pagefind.yml").write_text("force_language: fr\n", encoding="utf-8")
    else:
        monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "fr")
    build(SEEDS, tmp_path / "site")
    entry = json.loads((tmp_path / "site" / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["en"]


def test_pagefind_runs_as_its_binary_without_a_python_in_between(tmp_path, monkeypatch):
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    program = search._pagefind_program()
    assert len(program) == 1 and Path(program[0]).name in ("pagefind", "pagefind_extended")
    assert Path(program[0]).read_bytes()[:4] == b"\x7fELF"  # the wheel's executable itself
    # PAGEFIND_BINARY_PATH is honoured, as by ``python -m pagefind``: a wrapper that logs its runs
    log = tmp_path / "runs.log"
    wrapper = tmp_path / "pagefind-wrapper"
    wrapper.write_text(f'#!/bin/sh\necho run >> "{log}"\nexec "{program[0]}" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(wrapper))
    from paths import SEEDS

    build(SEEDS, tmp_path / "site")
    assert log.read_text() == "run\n"
    assert (tmp_path / "site" / "pagefind" / "pagefind-entry.json").is_file()


@pytest.mark.parametrize("given", [None, "/opt/elsewhere/pagefind"])
def test_pagefind_is_found_where_pagefinds_own_lookup_finds_it(monkeypatch, given):
    """Looked up without importing ``pagefind.service`` (it imports asyncio), in its order."""
    from pagefind.service import get_executable

    if given is None:
        monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    else:
        monkeypatch.setenv("PAGEFIND_BINARY_PATH", given)
    assert search._pagefind_executable() == get_executable()


def test_a_failing_indexer_is_a_clear_build_error(sharded, archive, tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(BuildError, match="cannot run the Pagefind search indexer"):
        build(archive, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_only_the_article_template_marks_its_content_for_pagefind():
    """Indexing starts once the article pages are written, before the others
    (``SiteWriter.indexed_pages_done``): that is exact only while no other template marks
    content, which this guards."""
    from natowatch.publish.resources import templates_dir

    marking = sorted(
        path.name
        for path in templates_dir().rglob("*.html")
        if "data-pagefind-body" in path.read_text(encoding="utf-8")
    )
    assert marking == ["article.html"]


def test_indexing_started_on_the_article_pages_alone_finds_the_deleted_ones(
    sharded, archive, tmp_path
):
    """Started before the other pages are written, the indexer is told the written pages and
    the changed ones among them; a page it indexed last time and not written is deleted."""
    out = tmp_path / "site"
    build(archive, out)
    deleted = page_with(out, "trovimex")
    articles = sorted(manifest_list(out, search.INDEXED_LIST) or [])
    site = tmp_path / "next"
    for page in articles:
        if page != deleted:
            (site / page).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(out / page, site / page)
    written = frozenset(page for page in articles if page != deleted)
    sharded.clear()
    listed = search.index_for_search(site, out, frozenset(), written=written)
    assert listed == {search.INDEXED_LIST: sorted(written)}
    assert sharded == [search.bundle_name(search.shard_of(deleted, 3))]
    assert "trovimex" not in indexed_text(site) and "gadrimol" in indexed_text(site)
    with pytest.raises(BuildError, match="internal error"):  # no article page among them
        search.index_for_search(tmp_path / "next", out, frozenset(), written=frozenset())
