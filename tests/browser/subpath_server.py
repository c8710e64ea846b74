"""A site served below a sub-path on 127.0.0.1, as GitHub Pages serves a project site."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves ``directory`` below ``sub_path`` only; anything outside it is not found."""

    sub_path = "/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.sub_path):
            return str(Path(self.directory) / "__outside_the_sub_path__")
        return super().translate_path("/" + path[len(self.sub_path) :])

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_below(site: Path, sub_path: str) -> Iterator[str]:
    """Serve ``site`` at ``http://127.0.0.1:PORT{sub_path}``; yields that address."""
    handler_class = type("Handler", (SubPathHandler,), {"sub_path": sub_path})
    handler = functools.partial(handler_class, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{sub_path}"
    finally:
        server.shutdown()
        server.server_close()
