"""Full-text search: index the finished site with Pagefind before it is swapped into place.

Pagefind comes from PyPI with its binary inside the wheel (``pagefind[bin]``), so indexing needs
no download at build time. It reads the built pages: only elements marked ``data-pagefind-body``
(the article text) are indexed. Pagefind has no incremental mode, so the whole site is indexed
in one call (never page by page).

No ``data-pagefind-filter``: Pagefind writes its filter index in hash-map order, which changes
from run to run, and natowatch builds must be byte-identical. Without filters its output is
deterministic (checked by the build-twice test).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from natowatch.errors import BuildError
from natowatch.write import link_or_copy

BUNDLE_DIR = "pagefind"


def index_for_search(
    site: Path, previous: Path | None = None, changed: frozenset[str] = frozenset()
) -> None:
    """Write the search index and UI bundle into ``site/pagefind/``.

    ``previous`` is the last build's site and ``changed`` the paths that differ from it: when no
    page changed, its index is reused (hard-linked) instead of indexing every page again.
    """
    unchanged = previous is not None and not any(path.endswith(".html") for path in changed)
    if previous is not None and unchanged and (previous / BUNDLE_DIR / "pagefind-ui.js").is_file():
        for path in sorted((previous / BUNDLE_DIR).rglob("*")):
            if path.is_file():
                link_or_copy(path, site / path.relative_to(previous))
        return
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise BuildError(f"cannot run the Pagefind search indexer: {error}") from None
    if result.returncode != 0 or not (site / BUNDLE_DIR / "pagefind-ui.js").is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()
        reason = detail[-1] if detail else f"exit status {result.returncode}"
        raise BuildError(
            f"the Pagefind search indexer failed: {reason} "
            "(is natowatch installed with its dependencies? pip install -e .)"
        )
