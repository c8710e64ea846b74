"""``natowatch serve``: build, serve the site on this machine, rebuild and reload on every change.

The built files stay exactly what ``natowatch build`` writes. Live reload lives only in the
server: HTML responses get one same-origin ``<script>`` tag (the pages' Content-Security-Policy
allows ``'self'`` scripts, never inline ones), and that script listens to a Server-Sent Events
stream carrying the build version. The output folder is swapped by renaming (write.py), so every
request resolves its file from the folder's path afresh instead of holding an old directory.
"""

from __future__ import annotations

import errno
import gc
import mimetypes
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BufferedIOBase
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote

import watchfiles

from natowatch.archive.cache import CACHE_DIR
from natowatch.build import BuildReport, BuildSession, build
from natowatch.core.discarded import free_discarded
from natowatch.core.errors import NatowatchError
from natowatch.preview import preview_pages, warm_up
from natowatch.publish.resources import static_dir, templates_dir
from natowatch.publish.write import OLD_PREFIX, TEMP_PREFIX, wait_for_removals

# Loopback only: a preview server is for the person at this machine, never for the network.
HOST = "127.0.0.1"
RELOAD_PATH = "/__natowatch/reload.js"
EVENTS_PATH = "/__natowatch/events"
RELOAD_TAG = f'<script src="{RELOAD_PATH}" defer></script>'.encode()
_VERSION_SLOT = "__NATOWATCH_VERSION__"
# Served at RELOAD_PATH, never written into the site. The version the page was built at is
# baked in when the script is fetched, so a rebuild that lands before the stream opens still
# reloads the page; a restarted server (versions start again at 1) reloads it too.
RELOAD_JS = f"""\
// natowatch serve: reload this page when the site is rebuilt. Not part of the built site.
(() => {{
  "use strict";
  const loaded = "{_VERSION_SLOT}";
  const events = new EventSource("{EVENTS_PATH}");
  events.onmessage = (event) => {{
    if (event.data !== loaded) {{
      events.close();
      location.reload();
    }}
  }};
}})();
"""
_WATCH_TICK_MS = 100  # how often the watcher wakes when nothing changes (readiness, stopping)
_READY_TIMEOUT = 5.0
# A full collection runs once the site has landed and nothing changed for this long.
_COLLECT_WHEN_IDLE_S = 1.0
# Between rebuilds, a full collection after this many middle-generation ones (Python's own
# threshold is 10, tempered by a rule this cannot see: a full collection costs 0.3 s here).
_IDLE_FULL_AFTER = 100
_JOIN_TIMEOUT = 5.0


class ServeError(NatowatchError):
    """The preview server cannot start (the port is taken, not allowed, out of range)."""


class Server:
    """A preview server: ``start()`` builds and serves, a watcher rebuilds, ``stop()`` ends it.

    Nothing blocks forever, so tests can drive it with ``port=0`` and real HTTP requests.
    """

    def __init__(
        self,
        source: Path,
        out_dir: Path,
        *,
        port: int = 8000,
        site_url: str | None = None,
        drafts: bool = False,
        watch: bool = True,
        debounce_ms: int = 1600,
        heartbeat: float = 1.0,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.source = Path(source)
        self.out_dir = Path(out_dir)
        self.root = Path(os.path.abspath(out_dir))
        self.port = port
        self.site_url = site_url
        self.drafts = drafts  # build draft articles too (``build --drafts``)
        self.watch = watch
        self.debounce_ms = debounce_ms
        self.heartbeat = heartbeat
        self._stdout = stdout
        self._session = BuildSession()  # records kept in memory between rebuilds
        # Site path -> an edited article's page, served until the rebuild lands (preview.py).
        self._previews: dict[str, bytes] = {}
        self._stderr = stderr
        self._version = 0
        self._changed = threading.Condition()
        self._stopping = threading.Event()
        self._build_lock = threading.Lock()
        self._watch_ready = threading.Event()
        self._streams = 0
        self._stopped = False
        self._httpd: _PreviewHTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._collector = IdleCollector()
        self._warmed = False  # ``preview.warm_up`` done (once, while idle)

    # -- public interface -------------------------------------------------------------------

    def start(self) -> None:
        """Listen first (a taken port fails at once), build, then serve and watch."""
        self._httpd = _listen(self.port, self)
        if self.watch:
            self._collector.take_over()
        try:
            self._build_or_raise()
            self._spawn("natowatch-serve", self._serve)
            if self._session.last is None:  # the site was up to date: nothing is in memory yet
                self._spawn("natowatch-warm", self._fill_session)
            if self.watch:
                self._spawn("natowatch-watch", self._watch_loop)
                self._watch_ready.wait(_READY_TIMEOUT)
        except BaseException:
            self.stop()
            raise

    @property
    def address(self) -> tuple[str, int]:
        """The (host, port) actually bound; the port is the real one even for ``port=0``."""
        if self._httpd is None:
            raise RuntimeError("the server is not started")
        host, port = self._httpd.server_address[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        host, port = self.address
        return f"http://{host}:{port}/"

    @property
    def version(self) -> int:
        """How many builds succeeded; the reload script reloads pages when it changes."""
        with self._changed:
            return self._version

    def watched(self) -> list[Path]:
        """The folders whose changes trigger a rebuild: the archive, templates, static files."""
        return [Path(os.path.abspath(self.source)), templates_dir(), static_dir()]

    def rebuild(self) -> bool:
        """Build again; on bad input report it and keep serving the previous site."""
        started = time.perf_counter()
        try:
            articles = self._build_or_raise()
        except NatowatchError as error:
            err = self._err()
            for line in str(error).splitlines():
                print(f"natowatch: error: {line}", file=err, flush=True)
            print(
                "natowatch: rebuild failed; still serving the previous site", file=err, flush=True
            )
            return False
        seconds = time.perf_counter() - started
        print(
            f"Rebuilt {articles} article{'s' if articles != 1 else ''} in {seconds:.2f} s",
            file=self._out(),
            flush=True,
        )
        return True

    def wait(self) -> None:
        """Block until ``stop()`` (or Ctrl+C, which the caller handles)."""
        while not self._stopping.wait(0.5):
            pass

    def stop(self) -> None:
        """Stop serving and watching, end event streams, join every thread we started."""
        if self._stopped:
            return
        self._stopped = True
        self._stopping.set()
        with self._changed:
            self._changed.notify_all()
        if self._httpd is not None:
            if self._threads:
                self._httpd.shutdown()
            self._httpd.server_close()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(_JOIN_TIMEOUT)
        self._wait_for_streams()
        wait_for_removals()  # replaced sites still being deleted (no leftover beside --out)
        self._session.close()
        self._collector.give_back()

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- building and watching --------------------------------------------------------------

    def _build_or_raise(self) -> int:
        """One build at a time (the watcher and callers may overlap); bump the version."""
        with self._build_lock:
            report = self._build()
        self._previews = {}  # the rebuilt site has the edits: one reload shows it
        self._announce()
        self._collector.landed()
        return report.articles

    def _build(self, skip_if_up_to_date: bool = True) -> BuildReport:
        """``natowatch build`` with this server's options, keeping the records in memory."""
        return build(
            self.source,
            self.out_dir,
            site_url=self.site_url,
            drafts=self.drafts,
            session=self._session,
            skip_if_up_to_date=skip_if_up_to_date,
        )

    def _announce(self) -> None:
        """A new version of the site is served: open pages reload."""
        with self._changed:
            self._version += 1
            self._changed.notify_all()

    def _fill_session(self) -> None:
        """Read the archive into memory in the background (a build whose output is the site
        already served), so the first edit is previewed and rebuilt like the next ones."""
        try:
            with self._build_lock:
                if not self._stopping.is_set():
                    self._build(skip_if_up_to_date=False)
                    self._collector.landed()
        except Exception:  # the watcher's rebuilds report problems; this only costs speed
            pass

    def _watch_loop(self) -> None:
        """Rebuild after each batch of changes; a failing rebuild never ends the watching."""
        try:
            for changes in self._changes():
                if self._stopping.is_set():
                    return
                if changes:
                    self.show_edits(changes)
                    self._rebuild_reporting_bugs()
                else:
                    self._collector.tick()
                    self.warm_up_previews()
        except Exception as error:  # the watcher died (folder removed...): keep serving
            print(f"natowatch: error: stopped watching: {error}", file=self._err(), flush=True)
        finally:
            self._watch_ready.set()

    def _changes(self) -> Iterator[set[tuple[watchfiles.Change, str]]]:
        """Batches of changes; an empty batch every tick tells us the watcher is running."""
        for changes in watchfiles.watch(
            *self.watched(),
            watch_filter=OutputFilter(self.root),
            debounce=self.debounce_ms,
            stop_event=self._stopping,
            rust_timeout=_WATCH_TICK_MS,
            yield_on_timeout=True,
            raise_interrupt=False,
        ):
            self._watch_ready.set()
            yield changes

    def show_edits(self, changes: set[tuple[watchfiles.Change, str]]) -> bool:
        """Serve the edited articles' pages at once, rendered against the last build, until
        the rebuild that follows replaces them (``natowatch.preview``). False when the changes
        are not edits a preview can show; the rebuild then does everything, as before."""
        last = self._session.last
        if last is None:
            return False
        started = time.perf_counter()
        try:
            paths = [Path(path) for _, path in changes]
            pages = preview_pages(last, paths, self._session.extracted)
        except Exception:  # a bug here must not cost the rebuild: report it and go on
            traceback.print_exc(file=self._err())
            return False
        if not pages:
            return False
        self._previews = pages
        self._session.previews = pages  # the rebuild's search guess (publish.search_guess)
        self._announce()
        seconds = time.perf_counter() - started
        edited = ", ".join(sorted(pages))
        print(
            f"Showing {edited} ({seconds:.2f} s); rebuilding the rest", file=self._out(), flush=True
        )
        return True

    def warm_up_previews(self) -> None:
        """Once the session holds a build, load what a first preview would (``warm_up``), so
        the first edit shows as quickly as the next; skipped while a build runs, and any
        failure only costs the first preview its speed."""
        last = self._session.last
        if self._warmed or last is None or not self._build_lock.acquire(blocking=False):
            return
        try:
            warm_up(last)
        except Exception:  # (the edit's own preview reports what is wrong with its input)
            pass
        finally:
            self._warmed = True
            self._build_lock.release()

    def edited_page(self, site_path: str) -> bytes | None:
        """The preview of an edited article's page, while its rebuild runs."""
        return self._previews.get(site_path)

    def _drop_previews(self) -> None:
        """The rebuild landed (or failed): serve the site on disk again, and reload pages."""
        if self._previews:
            self._previews = {}
            self._announce()

    def _rebuild_reporting_bugs(self) -> None:
        """A bug (not bad input) in a rebuild prints its traceback but keeps the server up."""
        try:
            self.rebuild()
        except Exception:
            traceback.print_exc(file=self._err())
        finally:
            self._drop_previews()

    # -- serving ----------------------------------------------------------------------------

    def _serve(self) -> None:
        assert self._httpd is not None
        self._httpd.serve_forever(poll_interval=0.1)

    def _spawn(self, name: str, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def stream_versions(self, wfile: BufferedIOBase) -> None:
        """Send the build version now and after each rebuild, a comment as heartbeat, until
        the client goes away or the server stops (so streams never hold up shutdown)."""
        with self._changed:
            self._streams += 1
        try:
            self._send_versions(wfile)
        except (OSError, ValueError):
            pass  # the browser closed the page
        finally:
            with self._changed:
                self._streams -= 1
                self._changed.notify_all()

    def _send_versions(self, wfile: BufferedIOBase) -> None:
        sent: int | None = None
        wfile.write(b"retry: 1000\n\n")
        while True:
            version = self._next_version(sent)
            if version is None:
                return
            wfile.write(f"data: {version}\n\n".encode() if version != sent else b": tick\n\n")
            wfile.flush()
            sent = version

    def _next_version(self, sent: int | None) -> int | None:
        """The version once it differs from ``sent`` or a heartbeat passed; None: stopping."""
        with self._changed:
            self._changed.wait_for(
                lambda: self._stopping.is_set() or self._version != sent, self.heartbeat
            )
            return None if self._stopping.is_set() else self._version

    def _wait_for_streams(self) -> None:
        with self._changed:
            self._changed.wait_for(lambda: self._streams == 0, _JOIN_TIMEOUT)

    def reload_script(self) -> bytes:
        return RELOAD_JS.replace(_VERSION_SLOT, str(self.version)).encode()

    def _out(self) -> TextIO:
        return self._stdout if self._stdout is not None else sys.stdout

    def _err(self) -> TextIO:
        return self._stderr if self._stderr is not None else sys.stderr


class IdleCollector:
    """Python's cycle collector, run by the watcher while nothing happens, instead of during a
    rebuild after an edit.

    A build keeps the collector off while it runs (``build.collector_paused``); a build with
    a session (this server's) also skips the full collection a plain build makes before the
    search indexers start, as the session keeps the records it would free. That collection
    still has the rebuild's own leftovers to find (0.24 s at 5,000 articles), and on with
    its usual thresholds the collector would make it at the first allocations after the
    rebuild, while the reloaded pages are served. So while the server watches, the collector
    is off, and the watcher collects: everything once the site has landed and a second has
    passed without changes, and between rebuilds whatever generation Python itself would have
    collected by now (full collections rarer), so an idle server frees its garbage.
    """

    def __init__(self) -> None:
        self._was_enabled: bool | None = None
        self._landed: float | None = None

    def take_over(self) -> None:
        if self._was_enabled is None:
            self._was_enabled = gc.isenabled()
            gc.disable()

    def give_back(self) -> None:
        if self._was_enabled:
            gc.enable()
        self._was_enabled = None

    def landed(self) -> None:
        """A build finished: collect everything once the server is idle."""
        self._landed = time.monotonic()

    def tick(self) -> None:
        """The watcher found no change in its last wait: collect what is due."""
        if self._was_enabled is None:
            return
        if self._landed is not None:  # a full collection is pending: nothing else before it
            if time.monotonic() - self._landed >= _COLLECT_WHEN_IDLE_S:
                self._landed = None
                free_discarded()
                gc.collect()
            return
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if counts[2] > _IDLE_FULL_AFTER:
            gc.collect()
        elif thresholds[1] and counts[1] > thresholds[1]:
            gc.collect(1)
        elif thresholds[0] and counts[0] > thresholds[0]:
            gc.collect(0)


class OutputFilter(watchfiles.DefaultFilter):
    """Ignore the output folder and write.py's temporary siblings, so a build never
    triggers the next one, besides the usual editor and VCS noise."""

    def __init__(self, out_dir: Path) -> None:
        super().__init__()
        self._outputs = {os.path.abspath(out_dir), os.path.realpath(out_dir)}

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        if _is_build_output(path, self._outputs):
            return False
        return bool(super().__call__(change, path))


def _is_build_output(path: str, outputs: set[str]) -> bool:
    if any(path == out or path.startswith(out + os.sep) for out in outputs):
        return True
    parts = Path(path).parts
    # The record cache lives in the archive and changes on every build.
    return CACHE_DIR in parts or any(part.startswith((TEMP_PREFIX, OLD_PREFIX)) for part in parts)


class _PreviewHTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its preview; idle sockets never delay shutdown."""

    daemon_threads = True
    block_on_close = False  # Server.stop() ends the event streams itself

    def __init__(self, port: int, preview: Server) -> None:
        self.preview = preview
        super().__init__((HOST, port), _Handler)


def _listen(port: int, preview: Server) -> _PreviewHTTPServer:
    """Bind 127.0.0.1:port, turning the usual failures into one-line errors."""
    try:
        return _PreviewHTTPServer(port, preview)
    except OverflowError as error:
        raise ServeError(f"port {port} is out of range (0-65535)") from error
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise ServeError(
                f"port {port} on {HOST} is already in use; stop the other server or choose "
                "another port with --port"
            ) from error
        raise ServeError(f"cannot listen on {HOST}:{port}: {error.strerror or error}") from error


class _Handler(BaseHTTPRequestHandler):
    """GET/HEAD for site files (HTML gets the reload tag), the reload script and the stream."""

    server_version = "natowatch-serve"
    timeout = 10  # a connection that never sends its request does not keep a thread for long

    def do_GET(self) -> None:  # http.server's naming
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: one line per request would bury the rebuild messages."""

    @property
    def preview(self) -> Server:
        server = self.server
        assert isinstance(server, _PreviewHTTPServer)
        return server.preview

    def _respond(self, head: bool) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == RELOAD_PATH:
            self._send(
                HTTPStatus.OK, "text/javascript; charset=utf-8", self.preview.reload_script(), head
            )
        elif path == EVENTS_PATH and not head:
            self._stream()
        else:
            self._send_site_file(path, head)

    def _send_site_file(self, url_path: str, head: bool) -> None:
        root = self.preview.root
        parts = url_parts(url_path)
        edited = self.preview.edited_page("/".join(parts))
        if edited is not None:
            self._send(HTTPStatus.OK, content_type(parts[-1]), inject_reload_script(edited), head)
            return
        target = site_file(root, parts)
        if target is not None and target.is_dir():
            if not url_path.endswith("/"):
                self._redirect("/" + "".join(f"{part}/" for part in parts))
                return
            target = site_file(root, [*parts, "index.html"])
        body = _read(target)
        if target is None or body is None:
            self._send_not_found(root, head)
            return
        self._send(HTTPStatus.OK, content_type(target.name), _page(target.name, body), head)

    def _send_not_found(self, root: Path, head: bool) -> None:
        """The site's own 404 page when it has one, so the preview shows what Pages would."""
        page = root / "404.html"
        body = _read(page)
        if body is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        self._send(HTTPStatus.NOT_FOUND, content_type(page.name), inject_reload_script(body), head)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, mime: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # a preview is always the latest build
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _stream(self) -> None:
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.preview.stream_versions(self.wfile)


def url_parts(url_path: str) -> list[str]:
    """The decoded path segments, without empty and ``.`` ones."""
    return [part for part in unquote(url_path).split("/") if part not in ("", ".")]


def site_file(root: Path, parts: list[str]) -> Path | None:
    """The path under ``root`` for URL segments, or None when it would leave ``root``
    (``..``, backslashes, NUL, or a symlink pointing outside)."""
    if any(part == ".." or "\\" in part or "\0" in part for part in parts):
        return None
    candidate = root.joinpath(*parts)
    real_root = os.path.realpath(root)
    real = os.path.realpath(candidate)
    if real != real_root and not real.startswith(real_root + os.sep):
        return None
    return candidate


def _read(path: Path | None) -> bytes | None:
    """The file's bytes, or None when it is missing (also mid-swap) or not a file."""
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def content_type(name: str) -> str:
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if mime.startswith("text/") or mime in ("application/json", "application/xml"):
        return f"{mime}; charset=utf-8"
    return mime


def _page(name: str, body: bytes) -> bytes:
    return inject_reload_script(body) if name.endswith((".html", ".htm")) else body


def inject_reload_script(html: bytes) -> bytes:
    """Put the reload tag just before the last ``</body>`` (or at the end when there is none)."""
    index = html.lower().rfind(b"</body>")
    if index == -1:
        return html + RELOAD_TAG
    return html[:index] + RELOAD_TAG + html[index:]


def describe(server: Server, source: Path, out_dir: Path) -> str:
    """The one line ``natowatch serve`` prints once it is serving."""
    watching = f"watching {source}/, templates, static" if server.watch else "not watching"
    return f"Serving {out_dir}/ at {server.url} — {watching} (Ctrl+C to stop)"


def serve(
    source: Path,
    out_dir: Path,
    *,
    port: int = 8000,
    site_url: str | None = None,
    drafts: bool = False,
) -> None:
    """Run the preview until Ctrl+C, which stops it cleanly (no traceback, normal exit)."""
    server = Server(source, out_dir, port=port, site_url=site_url, drafts=drafts)
    try:
        server.start()
        print(describe(server, source, out_dir), flush=True)
        server.wait()
    except KeyboardInterrupt:
        print("\nStopped.", flush=True)
    finally:
        server.stop()
