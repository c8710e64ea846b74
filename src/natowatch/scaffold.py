"""``natowatch new DIR``: start an archive with a configuration, an example article and a
dictionary, each commented so the files themselves explain what goes where."""

from __future__ import annotations

from pathlib import Path

from natowatch.core.errors import NatowatchError

TEMPLATE_DIR = Path(__file__).with_name("scaffold")
FILES = ("natowatch.yml", "entities.yml", "sources.yml", "example-article.md")


def new_archive(target: Path) -> list[Path]:
    """Create the starter files in ``target``; refuse to touch a folder that has files in it."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise NatowatchError(f"{target}: already exists and is not empty; choose a new folder")
    try:
        target.mkdir(parents=True, exist_ok=True)
        written = []
        for name in FILES:
            path = target / name
            path.write_bytes((TEMPLATE_DIR / name).read_bytes())
            written.append(path)
    except OSError as error:
        raise NatowatchError(f"{target}: cannot create the archive: {error.strerror}") from None
    return written
