"""The command line: exit codes, one-line summaries, JSON on stdout, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from natowatch.cli import main
from paths import SEEDS


def test_build_writes_the_site_and_prints_one_summary_line(tmp_path, capsys):
    out = tmp_path / "site"
    assert main(["build", str(SEEDS), "--out", str(out)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Built 2 articles")
    assert (out / "index.html").is_file()
    assert (out / "data" / "articles.json").is_file()


def test_inspect_prints_exactly_one_json_record(capsys):
    assert main(["inspect", str(SEEDS / "000_643e925b5d599b63.txt")]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["source_file"] == "000_643e925b5d599b63.txt"
    assert record["published"] == "2016-05-04", "inspect uses the archive's sidecar facts"
    assert record["authors"] == ["Hana Levi Julian"]


def test_build_of_a_broken_archive_fails_cleanly_and_writes_nothing(
    write_archive, tmp_path, capsys
):
    archive = write_archive({"empty.txt": b"", "binary.txt": b"\x00\xff\x00"})
    out = tmp_path / "site"
    assert main(["build", str(archive), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "empty.txt" in captured.err and "binary.txt" in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""
    assert not out.exists()


def test_build_keeps_the_old_site_when_the_new_one_fails(write_archive, tmp_path):
    out = tmp_path / "site"
    assert main(["build", str(SEEDS), "--out", str(out)]) == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    archive = write_archive({"empty.txt": b""})
    assert main(["build", str(archive), "--out", str(out)]) == 1
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_inspect_of_a_missing_file_is_a_clear_error(tmp_path, capsys):
    assert main(["inspect", str(tmp_path / "missing.txt")]) == 1
    err = capsys.readouterr().err
    assert "missing.txt" in err and "Traceback" not in err


@pytest.mark.parametrize("command", [[], ["build"], ["inspect"]])
def test_help_is_available_for_every_command(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: natowatch" in capsys.readouterr().out


def test_module_entry_point_runs(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "natowatch", "inspect", str(SEEDS / "003_204e1f5f7911c1bf.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "003_204e1f5f7911c1bf"


def test_new_scaffolds_an_archive_that_builds_and_checks(tmp_path, capsys):
    archive = tmp_path / "my-archive"
    assert main(["new", str(archive)]) == 0
    assert {p.name for p in archive.iterdir()} == {
        "natowatch.yml",
        "entities.yml",
        "sources.yml",
        "example-article.md",
    }
    out = tmp_path / "site"
    assert main(["build", str(archive), "--out", str(out)]) == 0
    assert main(["check", str(out)]) == 0
    assert main(["new", str(archive)]) == 1, "an existing archive is never overwritten"
    assert "not empty" in capsys.readouterr().err


def test_site_url_from_the_command_line_is_checked(tmp_path, capsys):
    out = tmp_path / "site"
    assert main(["build", str(SEEDS), "--out", str(out), "--site-url", "not a url"]) == 1
    assert "site_url" in capsys.readouterr().err
    assert (
        main(["build", str(SEEDS), "--out", str(out), "--site-url", "https://x.github.io/a"]) == 0
    )


def test_quiet_prints_nothing_and_verbose_prints_stage_timings(tmp_path, capsys):
    out = tmp_path / "site"
    assert main(["build", str(SEEDS), "--out", str(out), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    assert main(["build", str(SEEDS), "--out", str(out), "--verbose", "--fresh"]) == 0
    err = capsys.readouterr().err
    assert "read and understand articles" in err and "render and write pages and data" in err
    assert "files unchanged" in err


def test_a_build_with_nothing_changed_says_the_site_is_up_to_date(tmp_path, capsys):
    out = tmp_path / "site"
    assert main(["build", str(SEEDS), "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith("Built 2 articles (")
    assert main(["build", str(SEEDS), "--out", str(out), "--verbose"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(f"{out}/ is up to date with 2 articles (")
    assert "check inputs against the last build" in captured.err
    assert "render and write pages and data" not in captured.err


def test_no_progress_bar_when_output_is_not_a_terminal(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "natowatch", "build", str(SEEDS), "--out", str(tmp_path / "s")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stderr == "" and result.stdout.startswith("Built 2 articles")


def test_a_bar_is_drawn_for_a_long_build_and_none_for_a_short_one(capsys):
    """tqdm is imported only when a bar is drawn (it costs every other build its import)."""
    from natowatch import progress

    with progress.article_bar(True) as update:
        assert update is not None
        update(0, progress.MIN_ARTICLES_FOR_BAR - 1)
    assert capsys.readouterr().err == ""
    with progress.article_bar(True) as update:
        assert update is not None
        update(10, progress.MIN_ARTICLES_FOR_BAR)
        update(progress.MIN_ARTICLES_FOR_BAR, progress.MIN_ARTICLES_FOR_BAR)
    assert "Reading articles" in capsys.readouterr().err
    with progress.article_bar(False) as update:
        assert update is None
