"""Entry point for ``python -m natowatch``.

Guarded: worker processes started through multiprocessing's fork server import the main module
again, and must not run the command a second time.
"""

from natowatch.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
