"""The benchmark's own parts, small: the corpus is a pure function of its arguments, the Hugo
site holds every article, measuring reports time and memory, and the benchmark's edit gives a
rebuild equal to a cold build (its core check, on a dozen articles)."""

from __future__ import annotations

import sys

import pytest
from benchmarks.generate import generate_corpus, write_archive
from benchmarks.hugo import write_hugo_site
from benchmarks.measure import CommandFailed, measure
from benchmarks.run import compare, edit_one_article, hash_tree

from natowatch.build import build


def test_the_corpus_is_a_pure_function_of_its_arguments(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    write_archive(generate_corpus(12, seed=7), first)
    write_archive(generate_corpus(12, seed=7), second)
    assert hash_tree(first) == hash_tree(second)
    write_archive(generate_corpus(12, seed=8), second)
    assert hash_tree(first) != hash_tree(second)
    corpus = generate_corpus(12, seed=7)
    assert any(article.raw for article in corpus) and not all(article.raw for article in corpus)


def test_the_hugo_site_has_a_page_for_every_article(tmp_path):
    corpus = generate_corpus(12)
    write_hugo_site(corpus, tmp_path / "hugo")
    pages = sorted((tmp_path / "hugo" / "content" / "articles").glob("*.md"))
    assert [page.stem for page in pages] == sorted(article.stem for article in corpus)
    assert (tmp_path / "hugo" / "hugo.toml").is_file()


def test_measuring_a_command_reports_its_time_and_memory(tmp_path):
    taken = measure([sys.executable, "-c", "x = bytearray(30_000_000); x[-1] = 1"], tmp_path, 60)
    assert taken.seconds > 0
    assert taken.max_rss_mib >= 28 and taken.tree_peak_mib >= taken.max_rss_mib
    assert taken.tree_pss_mib > 0
    with pytest.raises(CommandFailed, match="failed"):
        measure([sys.executable, "-c", "raise SystemExit(3)"], tmp_path, 60)


def test_the_benchmark_edit_rebuilds_to_a_cold_build(tmp_path):
    archive, site, check = tmp_path / "archive", tmp_path / "site", tmp_path / "check"
    corpus = generate_corpus(12)
    write_archive(corpus, archive)
    build(archive, site, workers=1)
    edit_one_article(archive, [article.file_name for article in corpus], 1)
    assert not build(archive, site, workers=1).up_to_date
    build(archive, check, workers=1, fresh=True)
    assert compare(hash_tree(check), hash_tree(site)) == []
