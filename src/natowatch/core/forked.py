"""Run one function in a forked child process while this one goes on with other work.

The child is a fork, so the function's arguments (a large archive's records) are shared with
this process as they are, not pickled; only the result comes back, pickled through a pipe. For
work that needs only the records and whose result is small: a build's cross-article coverage,
computed on the second core while this process builds the other indexes and plans the pages.
If the child cannot start or dies without an answer, the function runs here instead, so the
result is always the one a plain call gives (an exception it raises is raised here).
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

Result = TypeVar("Result")


class Forked(Generic[Result]):
    """``function(*args)`` computed in a forked child; ``result()`` waits for it (once: later
    calls give the same object)."""

    def __init__(self, function: Callable[..., Result], *args: Any) -> None:
        self._call: Callable[[], Result] = functools.partial(function, *args)
        self._answer: tuple[Result] | None = None
        self._child: tuple[Any, Connection] | None = None
        try:
            context = multiprocessing.get_context("fork")
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_run_child, args=(send, self._call), daemon=True)
            process.start()
        except (OSError, ValueError):  # no fork on this platform, or no process to spare
            return
        send.close()
        self._child = process, receive

    @classmethod
    def done(cls, value: Result) -> Forked[Result]:
        """A result computed already, behind the same interface."""
        made: Forked[Result] = cls.__new__(cls)
        made._call, made._answer, made._child = (lambda: value), (value,), None
        return made

    def result(self) -> Result:
        """The function's result (or its exception), computed here if the child gave none."""
        if self._answer is None:
            self._answer = self._from_child() or (self._call(),)
        return self._answer[0]

    def _from_child(self) -> tuple[Result] | None:
        """The child's answer (its exception raised), or None when it gave none."""
        if self._child is None:
            return None
        process, receive = self._child
        self._child = None
        try:
            succeeded, value = receive.recv()
        except Exception:  # the child died without answering, or its answer did not load
            return None
        finally:
            receive.close()
            process.join()
        if not succeeded:
            raise value
        return (value,)

    def cancel(self) -> None:
        """Stop the child if it still runs (the build is failing already)."""
        if self._child is not None:
            process, receive = self._child
            self._child = None
            process.kill()
            process.join()
            receive.close()


def _run_child(send: Connection, call: Callable[[], Any]) -> None:
    try:
        answer: tuple[bool, Any] = (True, call())
    except BaseException as error:  # handed to the parent, which raises it
        answer = (False, error)
    with contextlib.suppress(Exception):  # an unpicklable answer: the parent computes it
        send.send(answer)
    send.close()
    os._exit(0)  # no exit handlers: they belong to the parent (its cache, its temp folders)
