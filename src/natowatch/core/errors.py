"""Errors a user can act on: each names the file (and line when known) and what went wrong."""

from __future__ import annotations

from pathlib import Path

import yaml


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

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, int | None]]:
        # Errors travel between worker processes and through the record cache.
        return (InputError, (self.path, self.message, self.line))


class BuildError(NatowatchError):
    """The site could not be built or written (output folder problems, path collisions)."""


def yaml_error(
    path: Path | str, error: yaml.YAMLError, what: str = "invalid YAML", lines_before: int = 0
) -> InputError:
    """An InputError for a YAML syntax error, at the line a person should look at.

    For an unclosed construct ("[a, b" with no "]") that is where it opened (the context mark),
    not where the parser gave up; ``lines_before`` shifts lines for YAML inside a larger file.
    """
    if not isinstance(error, yaml.MarkedYAMLError):
        return InputError(path, f"{what}: {error}")
    unclosed = any(word in (error.context or "") for word in ("flow", "quoted", "scanning"))
    mark = error.context_mark if unclosed and error.context_mark else error.problem_mark
    line = mark.line + 1 + lines_before if mark is not None else None
    return InputError(path, f"{what}: {error.problem}", line)
