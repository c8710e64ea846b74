"""Shared fixtures: paths to the seed archive, the gold records and the layout fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from paths import SEEDS


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def write_archive(tmp_path: Path):
    """Write {relative path: text or bytes} into a fresh archive folder and return it."""

    def write(files: dict[str, str | bytes]) -> Path:
        archive = tmp_path / "archive"
        archive.mkdir(exist_ok=True)
        for name, content in files.items():
            path = archive / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return archive

    return write


@pytest.fixture
def rendered_pages(monkeypatch) -> list[str]:
    """The paths of the pages actually rendered, build after build."""
    from natowatch.publish import page_jobs

    seen: list[str] = []
    real = page_jobs.PageRenderer.start

    def counting(self, jobs):
        seen.extend(item.job.path for item in jobs)
        return real(self, jobs)

    monkeypatch.setattr(page_jobs.PageRenderer, "start", counting)
    return seen
