"""Every kind of change a user makes to an archive, for tests that rebuild after each one, and
what a cold build of the result gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from natowatch.archive.cache import CACHE_DIR
from natowatch.build import build
from natowatch.publish import resources
from paths import RAW_FIXTURES, SEEDS


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def cold(archive: Path, tmp_path: Path, name: str) -> dict[str, bytes]:
    """What a fresh clone would build from ``archive``: a copy without any cache, ``--fresh``."""
    copy = tmp_path / f"cold-{name}"
    shutil.copytree(archive, copy, ignore=shutil.ignore_patterns(CACHE_DIR))
    out = tmp_path / f"cold-site-{name}"
    build(copy, out, fresh=True)
    return snapshot(out)


def mixed_archive(folder: Path) -> Path:
    """The seeds (their cache left behind) and three fixtures of other layouts, in ``folder``."""
    shutil.copytree(SEEDS, folder, ignore=shutil.ignore_patterns(CACHE_DIR))
    for name in ("wire_reuters.txt", "guardian.txt", "markdown_article.md"):
        shutil.copy(RAW_FIXTURES / name, folder / name)
    return folder


def edit_article(archive: Path) -> None:
    path = archive / "wire_reuters.txt"
    path.write_text(path.read_text().replace("32 member states", "32 allies"), encoding="utf-8")


def retitle_article(archive: Path) -> None:
    """A new headline: the article's line in every list changes (``browse_pages``)."""
    path = archive / "markdown_article.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("first year in the alliance", "second year"), encoding="utf-8")


def add_article(archive: Path) -> None:
    shutil.copy(RAW_FIXTURES / "dw.txt", archive / "dw.txt")


def delete_article(archive: Path) -> None:
    (archive / "guardian.txt").unlink()


def rename_article(archive: Path) -> None:
    (archive / "guardian.txt").rename(archive / "guardian-renamed.txt")


def change_dictionary(archive: Path) -> None:
    with (archive / "entities.yml").open("a", encoding="utf-8") as handle:
        handle.write("\n- name: Robin Emmott\n  type: PERSON\n  description: A reporter.\n")


def change_config(archive: Path) -> None:
    (archive / "natowatch.yml").write_text("title: Changed title\nitems_per_page: 2\n")


def change_sidecar(archive: Path) -> None:
    with (archive / "sources.yml").open("a", encoding="utf-8") as handle:
        handle.write("wire_reuters.txt:\n  published: 2024-06-05\n")


ARCHIVE_CHANGES = [
    edit_article,
    retitle_article,
    add_article,
    delete_article,
    rename_article,
    change_dictionary,
    change_config,
    change_sidecar,
]


def use_template_copy(monkeypatch: pytest.MonkeyPatch, folder: Path) -> Path:
    """Make natowatch read its templates from a copy in ``folder``, which a test may edit."""
    copy = folder / "templates"
    if not copy.exists():
        shutil.copytree(resources.templates_dir(), copy)
    real = resources._find_resource_dir
    monkeypatch.setattr(
        resources, "_find_resource_dir", lambda name: copy if name == "templates" else real(name)
    )
    return copy


def edit_template(templates: Path) -> None:
    """A visible change to every page: a line in the base template's footer area."""
    base = templates / "base.html"
    text = base.read_text(encoding="utf-8")
    assert "</body>" in text
    base.write_text(text.replace("</body>", "<!-- edited template -->\n</body>"), encoding="utf-8")


def write_story(folder: Path, count: int) -> None:
    """``count`` dated updates of one story, similar enough to form one thread."""
    folder.mkdir(exist_ok=True)
    for index in range(count):
        (folder / f"s{index:02d}.md").write_text(
            f"---\ntitle: Alliance opens office in Vilnius, update {index}\n"
            f"date: 2024-{1 + index // 28:02d}-{index % 28 + 1:02d}\n---\n\n"
            "The alliance opened a liaison office in Vilnius on Tuesday, Lithuanian Defence "
            "Minister Laurynas Kasciunas said, after months of talks with Warsaw and Riga "
            f"about the Baltic air policing mission and its budget (report {index}).\n",
            encoding="utf-8",
        )


def articles_of(archive: Path) -> list[Path]:
    """The archive's article files (its top folder), sorted."""
    return sorted(path for path in archive.iterdir() if path.suffix in (".md", ".txt"))
