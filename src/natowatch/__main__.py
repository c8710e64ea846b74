"""Entry point for ``python -m natowatch``."""

from natowatch.cli import main

raise SystemExit(main())
