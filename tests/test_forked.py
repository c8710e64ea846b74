"""``core.forked``: a function run in a forked child gives what calling it here gives, and
every way the child can fail ends in that same result or exception, never in a hang."""

from __future__ import annotations

import os
import time

import pytest

from natowatch.core.forked import Forked
from natowatch.publish import render
from site_factory import make_article, make_second_article

PARENT = os.getpid()


def where_and_what(value: list[int]) -> tuple[int, int]:
    return os.getpid(), sum(value)


def test_the_result_comes_from_a_child_process_and_is_kept():
    forked = Forked(where_and_what, [1, 2, 3])
    pid, total = forked.result()
    assert total == 6
    assert pid != PARENT
    assert forked.result() is forked.result()


def fails(message: str) -> None:
    raise ValueError(message)


def test_an_exception_in_the_child_is_raised_here():
    with pytest.raises(ValueError, match="bad input"):
        Forked(fails, "bad input").result()


def dies_unless_here() -> int:
    if os.getpid() != PARENT:
        os._exit(3)
    return 42


def unpicklable_away_from_home() -> object:
    return (lambda: None) if os.getpid() != PARENT else "made here"


@pytest.mark.parametrize("function", [dies_unless_here, unpicklable_away_from_home])
def test_a_child_that_gives_no_answer_is_replaced_by_a_call_here(function):
    assert Forked(function).result() == function()


def sleeps() -> int:
    time.sleep(60)
    return 1


def test_cancel_stops_a_running_child():
    forked = Forked(sleeps)
    started = time.perf_counter()
    forked.cancel()
    assert time.perf_counter() - started < 10
    assert forked._child is None


def test_a_result_computed_already_is_given_as_it_is():
    value = object()
    assert Forked.done(value).result() is value


def test_coverage_from_a_child_process_builds_the_same_site(monkeypatch):
    """The build computes coverage in a child while it builds the other indexes."""
    articles = [make_article(), make_second_article()]
    here = render.render_changes(articles).files
    started: list[object] = []
    original = Forked.__init__

    def counted(self, *args):
        started.append(args[0])
        original(self, *args)

    monkeypatch.setattr(Forked, "__init__", counted)
    monkeypatch.setattr(render, "MIN_ARTICLES_TO_FORK", 1)
    assert render.render_changes(articles).files == here
    assert started == [render.build_coverage]


def nothing() -> None:
    if os.getpid() == PARENT:
        raise AssertionError("computed here, not in the child")


def test_a_function_that_returns_none_is_not_called_again_here():
    assert Forked(nothing).result() is None
