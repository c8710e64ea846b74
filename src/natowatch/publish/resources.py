"""Where the templates and stylesheet live, in a checkout and in an installed wheel.

A checkout keeps them at the repository top level; a wheel copies them into the package
(pyproject's hatch force-include). The package copy wins so an installed natowatch never reads
files from whatever directory happens to sit two levels above it.
"""

from __future__ import annotations

from pathlib import Path

from natowatch.core.errors import BuildError

# This file is natowatch/publish/resources.py: the package is one folder up, a checkout three.
_PACKAGE_DIR = Path(__file__).resolve().parents[1]
_CHECKOUT_ROOT = Path(__file__).resolve().parents[3]


def templates_dir() -> Path:
    """The folder holding the Jinja2 page templates."""
    return _find_resource_dir("templates")


def static_dir() -> Path:
    """The folder holding files copied verbatim into the site (the stylesheet)."""
    return _find_resource_dir("static")


def _find_resource_dir(name: str) -> Path:
    candidates = (_PACKAGE_DIR / name, _CHECKOUT_ROOT / name)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    looked = " or ".join(str(path) for path in candidates)
    raise BuildError(f"cannot find the {name} folder: looked in {looked}; is natowatch installed?")
