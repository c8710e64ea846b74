"""Errors a user can act on: each names the file (and line when known) and what went wrong."""

from __future__ import annotations

from pathlib import Path


class NatowatchError(Exception):
    """Base class for problems reported to the user as one line, never as a traceback."""


class InputError(NatowatchError):
    """An article, metadata or dictionary file that cannot be read as intended."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class BuildError(NatowatchError):
    """The site could not be built or written (output folder problems, path collisions)."""
