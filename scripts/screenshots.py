"""Take the README's screenshots with the browser setup the tests use (Debian's Chromium through
Playwright): build the seeds, serve them on 127.0.0.1, capture the article page and the timeline.

Run: .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import functools
import http.server
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from natowatch.build import build

ROOT = Path(__file__).resolve().parents[1]
SHOTS = {
    "article.png": "articles/israel-to-open-permanent-office-at-nato-headquarters-in-brussels.html",
    "timeline.png": "timeline.html",
}
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        build(ROOT / "seeds", site)
        handler = functools.partial(QuietHandler, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            page = browser.new_page(viewport={"width": 1100, "height": 1400})
            for name, path in SHOTS.items():
                page.goto(base + path)
                page.screenshot(path=str(ROOT / "docs" / "screenshots" / name))
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
