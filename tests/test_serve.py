"""``natowatch serve``: real HTTP on 127.0.0.1 (port 0), live reload, rebuilds, no leaks.

Every wait is bounded, and the fixture checks that stopping the server ends every thread it
started, so a broken server fails a test instead of hanging the suite.
"""

from __future__ import annotations

import contextlib
import gc
import http.client
import io
import shutil
import socket
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import watchfiles

from natowatch import serve as serve_module
from natowatch.cli import main
from natowatch.serve import EVENTS_PATH, RELOAD_PATH, RELOAD_TAG, ServeError, Server
from paths import SEEDS

ARTICLE = "003_204e1f5f7911c1bf.txt"
ARTICLE_PAGE = "/articles/israel-opens-new-office-nato-headquarters-brussels-712989.html"
WAIT = 8.0  # upper bound for anything asynchronous; normally well under a second


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SEEDS, tmp_path / "archive"))


@contextlib.contextmanager
def _running(archive: Path, out: Path) -> Iterator[Server]:
    """A started server on a free port; on exit, every thread it started must be gone."""
    before = set(threading.enumerate())
    preview = Server(archive, out, port=0, stdout=io.StringIO(), stderr=io.StringIO())
    preview.start()
    try:
        yield preview
    finally:
        preview.stop()
    assert _eventually(lambda: set(threading.enumerate()) <= before), "threads left running"


@pytest.fixture
def server(archive: Path, tmp_path: Path) -> Iterator[Server]:
    """A server of its own, for tests that change the archive."""
    with _running(archive, tmp_path / "site") as preview:
        yield preview


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the tests that only read (a build per test would make them slow).

    Beside its output folder: a secret file, and a symlink inside the site pointing at it.
    """
    root = tmp_path_factory.mktemp("shared")
    archive = Path(shutil.copytree(SEEDS, root / "archive"))
    (root / "secret.txt").write_text("top secret", encoding="utf-8")
    with _running(archive, root / "site") as preview:
        (preview.root / "escape").symlink_to(root)
        (preview.root / "articles" / "index.html").write_text("<body>list</body>", "utf-8")
        yield preview


def _eventually(condition: Callable[[], bool], timeout: float = WAIT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def _get(server: Server, path: str) -> tuple[int, dict[str, str], bytes]:
    """A raw request: http.client sends the path as given (no ``..`` normalising)."""
    host, port = server.address
    connection = http.client.HTTPConnection(host, port, timeout=WAIT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _errors(server: Server) -> str:
    stream = server._stderr
    assert isinstance(stream, io.StringIO)
    return stream.getvalue()


class _EventStream:
    """A minimal EventSource: reads ``data:`` lines from the server's event stream."""

    def __init__(self, server: Server) -> None:
        host, port = server.address
        self.connection = http.client.HTTPConnection(host, port, timeout=WAIT)
        self.connection.request("GET", EVENTS_PATH)
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream"

    def next_data(self) -> str:
        while True:
            line = self.response.fp.readline().decode()
            assert line, "the event stream ended"
            if line.startswith("data: "):
                return line[len("data: ") :].strip()

    def close(self) -> None:
        self.connection.close()


def test_pages_get_the_reload_script_but_the_files_on_disk_do_not(shared: Server):
    for path, file in (("/", "index.html"), (ARTICLE_PAGE, ARTICLE_PAGE.lstrip("/"))):
        status, headers, body = _get(shared, path)
        assert status == 200
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        on_disk = (shared.root / file).read_bytes()
        assert b"__natowatch" not in on_disk
        assert body.count(RELOAD_TAG) == 1
        assert RELOAD_TAG + b"</body>" in body
        assert body.replace(RELOAD_TAG, b"") == on_disk
    status, _, css = _get(shared, "/style.css")
    assert status == 200 and css == (shared.root / "style.css").read_bytes()


def test_the_reload_script_is_served_but_never_written_into_the_site(shared: Server):
    status, headers, body = _get(shared, RELOAD_PATH)
    assert status == 200
    assert headers["Content-Type"].startswith("text/javascript")
    script = body.decode()
    assert "new EventSource" in script and EVENTS_PATH in script and "location.reload()" in script
    assert f'"{shared.version}"' in script, "the script knows the version the page came from"
    assert not any("natowatch" in path.name for path in shared.root.rglob("*.js"))


def test_editing_an_article_rebuilds_changes_the_page_and_notifies_the_browser(
    server: Server, archive: Path
):
    events = _EventStream(server)
    try:
        assert events.next_data() == "1" and server.version == 1
        article = archive / ARTICLE
        article.write_text(
            article.read_text(encoding="utf-8").replace("counts 28 nations", "counts 32 nations"),
            encoding="utf-8",
        )
        assert events.next_data() == "2", "the stream announces the edit"
        _, _, body = _get(server, ARTICLE_PAGE)  # the preview, or already the rebuilt page
        assert b"counts 32 nations" in body and b"counts 28 nations" not in body
        assert events.next_data() == "3", "and then the rebuild"
        assert server.edited_page(ARTICLE_PAGE.lstrip("/")) is None
        on_disk = (server.root / ARTICLE_PAGE.lstrip("/")).read_bytes()
        assert b"counts 32 nations" in on_disk
    finally:
        events.close()


def test_a_broken_article_keeps_the_old_site_until_the_next_good_change(
    server: Server, archive: Path
):
    _, _, before = _get(server, "/")
    (archive / "broken.txt").write_bytes(b"")
    assert _eventually(lambda: "broken.txt" in _errors(server)), "the error is reported"
    assert "Traceback" not in _errors(server)
    assert server.version == 1
    status, _, after = _get(server, "/")
    assert status == 200 and after == before, "the previous site is still served"

    (archive / "broken.txt").unlink()
    assert _eventually(lambda: server.version == 2), "the next good change rebuilds"
    assert _get(server, "/")[0] == 200


def test_changes_to_the_output_folder_do_not_trigger_builds(archive: Path):
    """Output inside the watched archive: a rebuild must not trigger itself."""
    with Server(archive, archive / "site", port=0, stdout=io.StringIO()) as preview:
        assert preview.rebuild() and preview.version == 2
        time.sleep(0.3)  # long enough for the watcher to have reacted to its own output
        assert preview.version == 2


def test_the_server_listens_on_loopback_only(shared: Server):
    host, port = shared.address
    assert host == "127.0.0.1" and port > 0
    assert shared.url == f"http://127.0.0.1:{port}/"


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/../../secret.txt",
        "/articles/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%5csecret.txt",
        "/escape/secret.txt",
    ],
)
def test_paths_cannot_escape_the_output_folder(shared: Server, path: str):
    status, _, body = _get(shared, path)
    assert status == 404
    assert b"top secret" not in body


def test_a_folder_redirects_to_its_slash_form_and_serves_its_index(shared: Server):
    status, headers, _ = _get(shared, "/articles?x=1")
    assert status == 301 and headers["Location"] == "/articles/"
    status, _, body = _get(shared, "/articles/")
    assert status == 200 and body == b"<body>list" + RELOAD_TAG + b"</body>"
    status, headers, _ = _get(shared, "//articles")
    assert status == 301 and headers["Location"] == "/articles/", "never //host (open redirect)"


def test_a_port_in_use_is_a_one_line_error(archive: Path, tmp_path: Path, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServeError, match="already in use"):
            Server(archive, tmp_path / "site", port=port).start()
        assert (
            main(["serve", str(archive), "--out", str(tmp_path / "site"), "--port", str(port)]) == 1
        )
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already in use" in err and "Traceback" not in err
    assert not (tmp_path / "site").exists(), "nothing is built when the port is taken"


def test_cli_serve_prints_one_line_and_ctrl_c_exits_cleanly(
    archive: Path, tmp_path: Path, capsys, monkeypatch
):
    def interrupt(self: Server) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(serve_module.Server, "wait", interrupt)
    out = tmp_path / "site"
    assert main(["serve", str(archive), "--out", str(out), "--port", "0"]) == 0
    captured = capsys.readouterr()
    first = captured.out.splitlines()[0]
    assert first.startswith(f"Serving {out}/ at http://127.0.0.1:")
    assert f"watching {archive}/, templates, static (Ctrl+C to stop)" in first
    assert "Traceback" not in captured.err
    assert (out / "index.html").is_file()


def test_an_initial_build_failure_is_reported_like_build(tmp_path: Path, capsys):
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "empty.txt").write_bytes(b"")
    assert main(["serve", str(archive), "--out", str(tmp_path / "site"), "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert "empty.txt" in err and "Traceback" not in err


@pytest.fixture
def unwatched(archive: Path, tmp_path: Path) -> Iterator[Server]:
    """A server that does not watch: the test drives previews and rebuilds itself."""
    preview = Server(archive, tmp_path / "site", port=0, watch=False, stdout=io.StringIO())
    preview.start()
    try:
        yield preview
    finally:
        preview.stop()


def test_an_edited_article_is_shown_at_once_and_the_rebuild_gives_the_same_page(
    unwatched: Server, archive: Path
):
    article = archive / ARTICLE
    article.write_text(
        article.read_text(encoding="utf-8").replace("counts 28 nations", "counts 32 nations"),
        encoding="utf-8",
    )
    assert unwatched.show_edits({(watchfiles.Change.modified, str(article))})
    assert unwatched.version == 2
    _, _, shown = _get(unwatched, ARTICLE_PAGE)
    assert b"counts 32 nations" in shown
    on_disk = unwatched.root / ARTICLE_PAGE.lstrip("/")
    assert b"counts 28 nations" in on_disk.read_bytes(), "the site on disk is not touched"
    output = unwatched._stdout
    assert isinstance(output, io.StringIO) and "Showing articles/" in output.getvalue()

    unwatched._rebuild_reporting_bugs()
    assert unwatched.edited_page(ARTICLE_PAGE.lstrip("/")) is None
    assert unwatched.version == 3  # one reload for the rebuild
    _, _, rebuilt = _get(unwatched, ARTICLE_PAGE)
    assert rebuilt == shown, "the preview was the rebuilt page (nothing else changed)"


@pytest.mark.parametrize("change", ["new article", "sidecar", "deleted", "not an article"])
def test_changes_a_preview_cannot_show_wait_for_the_rebuild(
    unwatched: Server, archive: Path, change: str
):
    if change == "new article":
        path = archive / "new.txt"
        shutil.copy(archive / ARTICLE, path)
        changes = {(watchfiles.Change.added, str(path))}
    elif change == "sidecar":
        path = archive / "sources.yml"
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        changes = {(watchfiles.Change.modified, str(path))}
    elif change == "deleted":
        (archive / ARTICLE).unlink()
        changes = {(watchfiles.Change.deleted, str(archive / ARTICLE))}
    else:
        path = archive / "notes.pdf"
        path.write_bytes(b"%PDF")
        changes = {(watchfiles.Change.added, str(path))}
    assert not unwatched.show_edits(changes)
    assert unwatched.version == 1


def test_a_server_started_on_an_up_to_date_site_fills_its_memory_in_the_background(
    archive: Path, tmp_path: Path
):
    """So the first edit is previewed too; the site on disk stays what it was."""
    from natowatch.build import build

    out = tmp_path / "site"
    build(archive, out)
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    preview = Server(archive, out, port=0, watch=False, stdout=io.StringIO())
    preview.start()
    try:
        assert _eventually(lambda: preview._session.last is not None), "memory filled"
        assert preview.version == 1, "no reload for filling it"
        article = archive / ARTICLE
        article.write_text(article.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        assert preview.show_edits({(watchfiles.Change.modified, str(article))})
    finally:
        preview.stop()
    after = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    assert after == before


@pytest.mark.parametrize("drafts", [False, True])
def test_serve_drafts_builds_draft_articles_as_build_drafts_does(
    archive: Path, tmp_path: Path, drafts: bool
):
    (archive / "unfinished.md").write_text(
        "---\ntitle: An unfinished draft about the alliance\ndate: 2024-05-01\ndraft: true\n---\n\n"
        "The draft's only paragraph is long enough to be a paragraph of an article body.\n",
        encoding="utf-8",
    )
    server = Server(archive, tmp_path / "site", port=0, watch=False, drafts=drafts)
    server.start()
    try:
        page = server.root / "articles" / "an-unfinished-draft-about-the-alliance.html"
        assert page.is_file() == drafts
    finally:
        server.stop()


def test_cli_serve_passes_drafts_on(monkeypatch):
    seen: dict[str, object] = {}
    monkeypatch.setattr(serve_module, "serve", lambda *args, **options: seen.update(options))
    assert main(["serve", "--drafts", "--port", "0"]) == 0
    assert seen["drafts"] is True


def test_an_editor_saving_through_a_temporary_file_is_previewed(unwatched: Server, archive: Path):
    """Editors write a temporary file and rename it over the article (sed -i, many IDEs), or
    keep a swap file beside it: neither is a change the preview has to refuse."""
    article = archive / ARTICLE
    temporary = archive / ".sedX1f2a"
    temporary.write_text(
        article.read_text(encoding="utf-8").replace("counts 28 nations", "counts 32 nations"),
        encoding="utf-8",
    )
    temporary.replace(article)
    (archive / f".{ARTICLE}.swp").write_bytes(b"\0swap")
    changes = {
        (watchfiles.Change.added, str(temporary)),
        (watchfiles.Change.deleted, str(temporary)),
        (watchfiles.Change.modified, str(article)),
        (watchfiles.Change.added, str(archive / f".{ARTICLE}.swp")),
    }
    assert unwatched.show_edits(changes)
    assert b"counts 32 nations" in _get(unwatched, ARTICLE_PAGE)[2]


class _Cycle:
    """Garbage only the cycle collector frees."""

    def __init__(self) -> None:
        self.me = self


def _cyclic_garbage() -> weakref.ref[_Cycle]:
    return weakref.ref(_Cycle())


def test_a_watching_server_collects_garbage_when_idle_not_during_rebuilds(
    server: Server, archive: Path, monkeypatch
):
    """The collector is off while the server watches; the watcher collects once a rebuild
    has landed and a second passed, so the rebuild itself never waits for a collection."""
    assert not gc.isenabled()
    full: list[int] = []
    real_collect = gc.collect

    def collect(generation: int = 2) -> int:
        full.append(generation)
        return real_collect(generation)

    server._collector._landed = None  # the first build's collection is not this test's
    monkeypatch.setattr(gc, "collect", collect)
    article = archive / ARTICLE
    article.write_text(article.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    output = server._stdout
    assert isinstance(output, io.StringIO)
    assert _eventually(lambda: "Rebuilt" in output.getvalue()), "rebuilt"
    monkeypatch.undo()
    assert 2 not in full, "no full collection until the server is idle"
    garbage = _cyclic_garbage()
    assert garbage() is not None
    assert _eventually(lambda: garbage() is None), "collected once idle"


def _collections_here(monkeypatch) -> list[int]:
    """The generations collected from this thread from now on (other servers' watchers of
    this module may collect meanwhile, from theirs)."""
    collections: list[int] = []
    here = threading.current_thread()

    def collect(generation: int = 2) -> int:
        if threading.current_thread() is here:
            collections.append(generation)
        return 0

    monkeypatch.setattr(gc, "collect", collect)
    return collections


@pytest.mark.parametrize("enabled", [True, False])
def test_the_idle_collector_gives_the_collector_back_as_it_found_it(enabled: bool):
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    collector = serve_module.IdleCollector()
    collector.take_over()
    try:
        assert not gc.isenabled()
        garbage = _cyclic_garbage()
        collector.tick()  # nothing landed and nothing due: the garbage stays
        assert garbage() is not None
        collector.landed()
        for _ in range(gc.get_threshold()[0] + 1):
            _cyclic_garbage()  # enough young objects for a collection of the youngest
        collector.tick()  # a full collection is pending: none of the young alone before it
        assert garbage() is not None
        collector._landed = time.monotonic() - serve_module._COLLECT_WHEN_IDLE_S
        collector.tick()
        assert garbage() is None
    finally:
        collector.give_back()
        assert gc.isenabled() == enabled
        (gc.enable if was else gc.disable)()


def test_a_build_with_a_session_leaves_the_full_collection_to_its_owner(
    archive: Path, tmp_path: Path, monkeypatch
):
    from natowatch.build import BuildSession, build

    collections = _collections_here(monkeypatch)
    build(archive, tmp_path / "plain")
    assert collections == [2], "a plain build frees its records before the search indexers"
    build(archive, tmp_path / "session", session=BuildSession())
    assert collections == [2]


def test_a_watching_server_warms_up_previews_once_when_idle(server: Server, monkeypatch):
    """Once idle, the watcher loads what the first preview needs (``preview.warm_up``), once."""
    assert _eventually(lambda: server._warmed), "warmed up while idle"
    from natowatch import serve as serve_module

    calls: list[object] = []
    monkeypatch.setattr(serve_module, "warm_up", calls.append)
    server.warm_up_previews()
    assert calls == []  # once per server


def test_after_warming_up_a_preview_compiles_no_template_and_loads_no_word_list(
    unwatched: Server, archive: Path, monkeypatch
):
    from jinja2 import Environment

    from natowatch.core import yamlload

    # As in a large archive's session, whose build extracted and rendered in worker processes:
    # nothing loaded or compiled in this one yet.
    for module in [m for name, m in sys.modules.items() if name.startswith("natowatch")]:
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
    last = unwatched._session.last
    assert last is not None
    last.environment().cache.clear()
    unwatched.warm_up_previews()
    assert unwatched._warmed
    loaded: list[str] = []
    real_compile, real_load = Environment.compile, yamlload.safe_load
    monkeypatch.setattr(
        Environment, "compile", lambda *a, **k: loaded.append("template") or real_compile(*a, **k)
    )
    monkeypatch.setattr(yamlload, "safe_load", lambda *a: loaded.append("yaml") or real_load(*a))
    article = archive / ARTICLE
    article.write_text(article.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert unwatched.show_edits({(watchfiles.Change.modified, str(article))})
    assert loaded == []
