"""Broken and awkward input: every problem reported at once, the old site kept, and with
--keep-going the rest built and the problems listed on the console and on build-report.html."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from natowatch.cli import main
from paths import SEEDS

WIRE = (
    "Allies agree to expand air policing\n\nBy Jane Roe\n\n"
    "Ministers agreed on Tuesday to expand the air policing mission over the Baltic states.\n"
)


def broken_archive(root: Path) -> Path:
    """The seeds plus one file of every broken kind the issue names."""
    archive = root / "archive"
    shutil.copytree(SEEDS, archive)
    outside = root / "outside.txt"
    outside.write_text(WIRE, encoding="utf-8")
    files: dict[str, bytes] = {
        "empty.txt": b"",
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00",
        "latin1.txt": "Caf\xe9 au lait and more text\n".encode("latin-1"),
        "bom.txt": b"\xef\xbb\xbf" + WIRE.encode(),
        "utf16.txt": "\ufeff".encode("utf-16-le") + WIRE.encode("utf-16-le"),
        "crlf.txt": WIRE.replace("\n", "\r\n").encode(),
        "cr.txt": WIRE.replace("\n", "\r").encode(),
        "huge.txt": b"word " * 1_200_000,
        "bad-yaml.md": b"---\ntitle: [unclosed\n---\nText of the article.\n",
        "bad-date.md": b"---\ndate: soon\n---\nText of the article.\n",
        "bad-tags.md": b"---\ntags: 5\n---\nText of the article.\n",
        "bad-toml.md": b'+++\ntitle = "ok"\ndate = soon\n+++\nText of the article.\n',
        "bad-draft.md": b'+++\ndraft = "yes"\n+++\nText of the article.\n',
        "unknown-key.md": b"---\ncolour: blue\n---\nText of the article.\n",
        "escape.md": b"---\nslug: ../../x\ntitle: Escape\n---\nText of the article.\n",
        "absolute.md": b"---\nslug: /etc/passwd\ntitle: Absolute\n---\nText of the article.\n",
        "backslash.md": b"---\nslug: a\\\\..\\\\b\ntitle: Backslash\n---\nText of the article.\n",
        "same-1.md": b"---\nslug: same\ntitle: One\n---\nFirst text.\n",
        "same-2.md": b"---\nslug: same\ntitle: Two\n---\nSecond text.\n",
    }
    for name, data in files.items():
        (archive / name).write_bytes(data)
    (archive / "linked.txt").symlink_to(outside)
    return archive


@pytest.fixture
def archive(tmp_path) -> Path:
    return broken_archive(tmp_path)


EXPECTED_ERRORS = {
    "empty.txt": "is empty",
    "binary.txt": "not a text file",
    "latin1.txt": "not valid utf-8",
    "huge.txt": "over the 5.0 mb limit",
    "bad-yaml.md": "invalid yaml front matter",
    "bad-date.md": "date must be a date",
    "bad-tags.md": "tags must be a text or a list",
    "bad-toml.md": "bad-toml.md:3: invalid toml front matter",
    "bad-draft.md": "front matter: draft must be true or false, got 'yes'",
    "linked.txt": "outside the archive",
}


def test_every_problem_is_reported_and_the_old_site_is_kept(archive, tmp_path, capsys):
    out = tmp_path / "site"
    assert main(["build", str(SEEDS), "--out", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    capsys.readouterr()
    assert main(["build", str(archive), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    error_lines = [line for line in err.splitlines() if line.startswith("natowatch: error:")]
    for name, message in EXPECTED_ERRORS.items():
        [line] = [line for line in error_lines if f"/{name}" in line]
        assert message in line.lower(), line
    assert len(error_lines) == len(EXPECTED_ERRORS), "one line per problem, nothing else fails"
    assert "Traceback" not in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_yaml_problems_name_the_line(archive, capsys):
    main(["build", str(archive), "--out", str(archive.parent / "site")])
    err = capsys.readouterr().err
    assert "bad-yaml.md:2:" in err


def test_keep_going_builds_the_rest_lists_the_skipped_and_exits_non_zero(archive, tmp_path, capsys):
    out = tmp_path / "site"
    assert main(["build", str(archive), "--out", str(out), "--keep-going"]) == 1
    captured = capsys.readouterr()
    skipped = [line for line in captured.err.splitlines() if line.startswith("natowatch: skipped:")]
    assert len(skipped) == len(EXPECTED_ERRORS)
    assert f"skipped {len(EXPECTED_ERRORS)}" in captured.out
    report = (out / "build-report.html").read_text(encoding="utf-8")
    for name in EXPECTED_ERRORS:
        assert name in report
    # What could be read is there: the seeds, and the valid encodings as articles.
    pages = {p.name for p in (out / "articles").glob("*.html")}
    assert "israel-to-open-permanent-office-at-nato-headquarters-in-brussels.html" in pages
    assert "allies-agree-to-expand-air-policing.html" in pages


def test_decoded_variants_are_articles_and_slugs_stay_inside_the_site(archive, tmp_path, capsys):
    out = tmp_path / "site"
    main(["build", str(archive), "--out", str(out), "--keep-going"])
    err = capsys.readouterr().err
    articles = out / "articles"
    # bom, utf16, crlf and cr all read as the same article: four pages with the same headline.
    same = [p for p in articles.glob("allies-agree-to-expand-air-policing*.html")]
    assert len(same) == 4
    names = {p.name for p in articles.glob("*.html")}
    assert {"x.html", "etc-passwd.html", "a-b.html", "same.html", "same-2.html"} <= names
    for path in out.rglob("*"):
        assert path.resolve().is_relative_to(out.resolve())
    assert "slug '../../x' is not a safe page name; using 'x'" in err
    assert "published as 'same-2'" in err
    # A key natowatch does not use is read, not refused: a warning, and its value in extra.
    [unknown] = [line for line in err.splitlines() if "unknown key 'colour'" in line]
    assert unknown.startswith("natowatch: warning:") and "/unknown-key.md:" in unknown
    records = json.loads((out / "data" / "articles.json").read_text(encoding="utf-8"))
    [record] = [record for record in records if record["source_file"] == "unknown-key.md"]
    assert record["extra"] == {"colour": "blue"}


def test_config_and_dictionary_problems_are_reported_with_lines(tmp_path, capsys):
    archive = tmp_path / "archive"
    shutil.copytree(SEEDS, archive)
    (archive / "natowatch.yml").write_text("title: ok\ncolour: blue\n", encoding="utf-8")
    (archive / "entities.yml").write_text("- name: X\n  type: PLANET\n", encoding="utf-8")
    assert main(["build", str(archive), "--out", str(tmp_path / "site")]) == 1
    err = capsys.readouterr().err
    assert "natowatch.yml:2:" in err and "entities.yml" in err


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize("delay", [0.05, 0.25, 0.5, 0.8])
def test_a_build_killed_at_any_moment_leaves_the_old_site_intact(tmp_path, delay):
    out = tmp_path / "site"
    assert main(["build", str(SEEDS), "--out", str(out)]) == 0
    before = _snapshot(out)
    command = [sys.executable, "-m", "natowatch", "build", str(SEEDS), "--out", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    # Killed before, during or after the swap: either the old site or a complete new one.
    if out.exists():
        assert _snapshot(out) == before
    assert main(["build", str(SEEDS), "--out", str(out)]) == 0
    assert _snapshot(out) == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".site-")]
    assert leftovers == []


def test_builds_from_two_working_directories_are_byte_identical(tmp_path, monkeypatch):
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    monkeypatch.chdir(first)
    assert main(["build", str(SEEDS), "--out", "site"]) == 0
    monkeypatch.chdir(second)
    relative = os.path.relpath(SEEDS, second)
    assert main(["build", relative, "--out", "site"]) == 0
    assert _snapshot(first / "site") == _snapshot(second / "site")
