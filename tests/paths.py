"""Where the tests find the seed archive, the gold records and the layout fixtures."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
RAW_FIXTURES = FIXTURES / "raw"
# Whole web pages as "select all" copies them (menus, banners, footers), with their true bodies.
PAGE_FIXTURES = FIXTURES / "pages"
GOLD = FIXTURES / "gold" / "seeds.yml"
