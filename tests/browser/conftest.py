"""Browser fixtures: Debian's Chromium driven by Playwright, the seed site served under a sub-path.

Locally, missing Chromium, Playwright or axe-core skips these tests; in CI (``CI`` set) it fails
them, so a green CI run always means the browser tests ran.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from subpath_server import serve_below

from natowatch.build import build
from paths import ROOT, SEEDS

CHROMIUM = os.environ.get("NATOWATCH_CHROMIUM", "/usr/bin/chromium")
AXE = Path(os.environ.get("NATOWATCH_AXE", ROOT / "node_modules" / "axe-core" / "axe.min.js"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SUB_PATH = "/natowatch/"


def unavailable(reason: str) -> None:
    """Skip locally, fail in CI: browser tests must never be silently skipped there."""
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    build(SEEDS, out)
    return out


@pytest.fixture(scope="session")
def base_url(seed_site: Path) -> Iterator[str]:
    with serve_below(seed_site, SUB_PATH) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        unavailable(f"{CHROMIUM} not found (apt-get install -y chromium)")
    # Playwright gives every launch a fresh, empty profile of its own.
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        unavailable(f"axe-core not found at {AXE} (npm install axe-core)")
    return AXE.read_text(encoding="utf-8")
