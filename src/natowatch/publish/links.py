"""Hard links made by a helper process while the build goes on (``SiteWriter.carry``).

A rebuild of 5,000 articles carries ~12,000 unchanged pages into the new site by hard link:
0.07-0.09 s of the build's own thread spent in ``link`` system calls, while the machine's other
core waits for Pagefind (``serve``). A thread would not help: each of its 12,000 calls would wait
for the interpreter lock held by the busy build. So a small Python process, started once per
build, reads the paths from a pipe and links them; the build only queues them, and waits for it
where the links must be there (before the search indexer reads the pages, and before the swap).

The protocol is NUL-separated records on the helper's standard input: ``L`` and a site path to
link from the old folder into the new one (its folder already made by the caller), ``T`` and a
folder to link whole (the search shards reused: ~4,500 files of each rebuild), or an empty
record asking for an answer, one line on standard output: ``ok``, or the first failure as
``missing <path>`` (the old file is gone) or ``failed <errno> <path>``. After a failure the
helper links nothing more.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys

try:
    import fcntl
except ImportError:  # not on Windows
    fcntl = None  # type: ignore[assignment]

from natowatch.core.errors import BuildError

BATCH_PATHS = 2_000  # paths queued before they are sent to the helper (each send can wait for
# the interpreter lock once the write returns, ~0.5 ms)
PIPE_BYTES = 1 << 20  # Linux's default limit for an unprivileged process

_HELPER = r"""
import os, sys
old_root, new_root = sys.argv[1], sys.argv[2]
flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
old_fd, new_fd = os.open(old_root, flags), os.open(new_root, flags)
failure = None
pending = b""
while True:
    chunk = os.read(0, 1 << 16)
    if not chunk:
        break
    *records, pending = (pending + chunk).split(b"\0")
    for record in records:
        if not record:
            answer = failure or "ok"
            os.write(1, answer.encode("utf-8", "surrogateescape") + b"\n")
            continue
        if failure is not None:
            continue
        kind, path = record[:1], os.fsdecode(record[1:])
        paths = [path]
        if kind == b"T":
            paths = []
            try:
                for folder, _, names in os.walk(os.path.join(old_root, path)):
                    relative = os.path.relpath(folder, old_root)
                    os.makedirs(os.path.join(new_root, relative), exist_ok=True)
                    paths.extend(os.path.join(relative, name) for name in names)
            except OSError as error:
                failure = "failed %d %s" % (error.errno or 0, path)
                continue
        for path in paths:
            try:
                os.link(path, path, src_dir_fd=old_fd, dst_dir_fd=new_fd)
            except (FileNotFoundError, IsADirectoryError):
                failure = "missing " + path
            except OSError:
                try:
                    import shutil
                    shutil.copy2(os.path.join(old_root, path), os.path.join(new_root, path))
                except FileNotFoundError:
                    failure = "missing " + path
                except OSError as error:
                    failure = "failed %d %s" % (error.errno or 0, path)
            if failure is not None:
                break
"""


def _widen(pipe: object) -> None:
    """A pipe that holds every path a rebuild queues (~700 KB at 5,000 articles), where the
    system allows: writing to the default 64 KiB one waited for the helper (0.015 s a rebuild)."""
    setsize = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if setsize is None or not hasattr(pipe, "fileno"):
        return
    with contextlib.suppress(OSError):
        fcntl.fcntl(pipe.fileno(), setsize, PIPE_BYTES)


class BackgroundLinks:
    """Links from ``old_root`` into ``new_root`` (same relative path), made by a helper
    process. ``add`` queues one; ``wait`` returns once every queued link is made, raising
    BuildError for the first that failed; ``stop`` ends the helper (``close`` waits first)."""

    def __init__(self, old_root: str, new_root: str) -> None:
        self.old_root = old_root
        self._queued: list[bytes] = []
        command = [sys.executable, "-I", "-S", "-c", _HELPER, old_root, new_root]
        try:
            self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE
            )
        except OSError as error:
            raise BuildError(f"cannot start a process to link the site's files: {error}") from None
        _widen(self._process.stdin)

    def add(self, path: str) -> None:
        """Link the file ``path``, whose folder the caller made in the new root."""
        self._queued.append(b"L" + path.encode("utf-8", "surrogateescape"))  # os.fsencode
        if len(self._queued) >= BATCH_PATHS:
            self._send()

    def add_tree(self, folder: str) -> None:
        """Link every file below ``folder`` (relative), its folders made by the helper."""
        self._queued.append(b"T" + folder.encode("utf-8", "surrogateescape"))

    def wait(self) -> None:
        """Every link queued so far made (or the first failure raised as BuildError)."""
        process = self._process
        assert process is not None and process.stdin is not None and process.stdout is not None
        self._queued.append(b"")  # the request for an answer
        self._send()
        answer = process.stdout.readline().decode("utf-8", "surrogateescape").rstrip("\n")
        if answer == "ok":
            return
        self.stop()
        if answer.startswith("missing "):
            old = os.path.join(self.old_root, answer.removeprefix("missing "))
            raise BuildError(f"{old} was changed while natowatch was building; build again")
        raise BuildError(f"cannot link the previous site's files: {answer or 'the helper ended'}")

    def close(self) -> None:
        """Wait for the queued links, then end the helper."""
        try:
            self.wait()
        finally:
            self.stop()

    def stop(self) -> None:
        """End the helper now (links queued may or may not be made)."""
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(OSError):
            assert process.stdin is not None
            process.stdin.close()
        try:
            process.wait(timeout=10)  # it ends at the end of its input
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        assert process.stdout is not None
        process.stdout.close()

    def _send(self) -> None:
        process = self._process
        if process is None:
            raise BuildError("internal error: links queued after the helper ended")
        assert process.stdin is not None
        data = b"\0".join(self._queued) + b"\0"
        self._queued.clear()
        try:
            process.stdin.write(data)
            process.stdin.flush()
        except OSError as error:  # the helper ended: its answer says why, if it can
            raise BuildError(f"cannot link the previous site's files: {error}") from None
