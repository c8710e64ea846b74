"""The benchmark's own parts, small: the corpus is a pure function of its arguments, the Hugo
site holds every article, measuring reports time and memory, and the benchmark's edit gives a
rebuild equal to a cold build (its core check, on a dozen articles)."""

from __future__ import annotations

import json
import sys

import pytest
from benchmarks.generate import generate_corpus, write_archive
from benchmarks.hugo import write_hugo_site
from benchmarks.measure import CommandFailed, measure
from benchmarks.run import (
    add_one_article,
    compare,
    edit_one_article,
    hash_tree,
    remove_added_articles,
)

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
    added = add_one_article(archive, 1)
    assert build(archive, site, workers=1).articles == len(corpus) + 1
    build(archive, check, workers=1, fresh=True)
    assert compare(hash_tree(check), hash_tree(site)) == []
    records = json.loads((site / "data" / "articles.json").read_text(encoding="utf-8"))
    newest = max(record["published"] or "" for record in records)
    [record] = [record for record in records if record["source_file"] == added.name]
    assert record["published"] == newest  # the archive grows at its new end
    remove_added_articles(archive)
    assert not added.exists() and len(list(archive.glob("0*"))) == len(corpus)


def test_the_extraction_benchmark_scores_the_loaders_bodies(tmp_path, capsys):
    """benchmarks.extraction builds the dev pages as one archive and scores them with the dev
    folder's own scorer (here a stand-in with the same functions: word overlap)."""
    from benchmarks import extraction

    dev = tmp_path / "dev"
    (dev / "pages").mkdir(parents=True)
    story = (
        "Nato defence ministers agreed on Thursday to expand the alliance's air policing "
        "mission over the Baltic states, officials said after the meeting in Brussels."
    )
    page = "Home\nWorld\nSport\n\nMinisters agree to expand air policing\n\n" + story + "\n"
    (dev / "pages" / "a1.txt").write_text(page, encoding="utf-8")
    (dev / "ground-truth.json").write_text(json.dumps({"a1": {"articleBody": story}}), "utf-8")
    (dev / "evaluate.py").write_text(
        "import re\n"
        "def _words(t):\n    return set(re.findall(r'\\w+', t))\n"
        "def string_shingle_matching(true, pred):\n"
        "    t, p = _words(true), _words(pred)\n"
        "    return (len(t & p), len(p - t), len(t - p))\n"
        "def metrics_from_tp_fp_fns(rows):\n"
        "    tp, fp, fn = (sum(r[i] for r in rows) for i in range(3))\n"
        "    p, r = tp / (tp + fp), tp / (tp + fn)\n"
        "    return {'f1': 2 * p * r / (p + r), 'precision': p, 'recall': r}\n",
        encoding="utf-8",
    )
    out = tmp_path / "figures.json"
    assert extraction.main(["--dev", str(dev), "--json", str(out), "--worst", "1"]) == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["natowatch"]["f1"] == 1.0  # the menu is not in the body
    assert figures["keep every line"]["precision"] < 1.0
    assert "1 pages from" in capsys.readouterr().out


def test_the_extraction_benchmark_names_a_missing_dev_folder(tmp_path, capsys):
    from benchmarks import extraction

    assert extraction.main(["--dev", str(tmp_path / "nowhere")]) == 2
    assert "nowhere: no ground-truth.json" in capsys.readouterr().err


def test_the_serve_benchmark_times_session_rebuilds_that_equal_a_cold_build(tmp_path, capsys):
    from benchmarks import serve_edit

    assert serve_edit.main(["--articles", "12", "--edits", "2", "--workdir", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "median one-edit rebuild in serve" in printed
    assert "median preview of the edited page in serve" in printed and "no preview" not in printed
    assert "rebuild output equals a cold build's: yes" in printed


def test_the_timeline_benchmark_samples_a_builds_cpu_and_memory(capsys):
    from benchmarks import timeline

    assert timeline.main(["--articles", "12", "--interval", "0.1"]) == 0
    printed = capsys.readouterr().out
    rows = [line for line in printed.splitlines() if line.rstrip().endswith(" MiB") and "%" in line]
    assert rows  # at least one sample of a build that takes over a tenth of a second
    busy = [float(line.split()[1].rstrip("%")) for line in rows]
    assert all(0 <= value <= 100 for value in busy)
    assert "peak tree PSS" in printed and "Built 12 articles" in printed


def test_busy_percent_reads_tick_differences():
    from benchmarks.timeline import busy_percent

    assert busy_percent((100, 40), (200, 90)) == 50.0  # 100 ticks, 50 of them idle
    assert busy_percent((100, 40), (100, 40)) == 0.0
