"""Where the tests find the seed archive, the gold records and the layout fixtures."""

import atexit
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
RAW_FIXTURES = FIXTURES / "raw"
# Whole web pages as "select all" copies them (menus, banners, footers), with their true bodies.
PAGE_FIXTURES = FIXTURES / "pages"
GOLD = FIXTURES / "gold" / "seeds.yml"


def _private_seeds() -> Path:
    """A copy of ``seeds/`` (without its record cache) for this test process alone.

    Many tests build the seed archive in place, and a build keeps its record cache and saved
    indexes inside the archive. The suite runs in several processes at once (pytest-xdist),
    so each process builds its own copy: no two processes ever share, or race on, one cache.
    """
    folder = Path(tempfile.mkdtemp(prefix="natowatch-seeds-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return Path(
        shutil.copytree(ROOT / "seeds", folder / "seeds", ignore=shutil.ignore_patterns(".*"))
    )


SEEDS = _private_seeds()
