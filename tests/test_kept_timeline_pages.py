"""The timeline's pages kept per year between a session's builds (``plan.timeline_group``
with ``KeptPageKeys.timeline_years``): the same pages and keys as made afresh after any
changes, and a year whose entries did not move is neither paginated nor keyed again."""

from __future__ import annotations

import dataclasses
import random

import pytest
from benchmarks.generate import generate_corpus, write_archive
from hypothesis import given
from hypothesis import strategies as st

from natowatch.archive.loader import load_archive
from natowatch.core.model import Article
from natowatch.core.remembered import Remembered
from natowatch.corpus.index import TimelineEntry, build_timeline, date_key
from natowatch.corpus.kept_timeline import KeptTimeline
from natowatch.publish import plan
from natowatch.publish.page_inputs import RecordDigests
from natowatch.publish.timeline_views import KeptYear, split_by_year, split_sorted_by_year
from record_changes import IN_PLACE, add_copy, delete, redate_events, republish

PER_PAGE = 15  # several pages a year


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> list[Article]:
    folder = tmp_path_factory.mktemp("archive")
    write_archive(generate_corpus(60, seed=21), folder)
    return load_archive(folder)


def planned(group: plan.PageGroup) -> tuple[dict[str, str] | None, list[plan.PlannedPage]]:
    return group.inputs, list(plan.expand([group]))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_timeline_pages_equal_fresh_ones_after_any_changes(records, seed):
    rng = random.Random(seed)
    archive = list(records)
    digests = RecordDigests()
    kept: Remembered[KeptYear] = Remembered()
    timelines = KeptTimeline()  # unchanged records' entries stay the same objects, as in serve
    changes = [*IN_PLACE, redate_events, redate_events, republish, delete, add_copy]
    for _ in range(10):
        timeline = timelines.timeline(archive)
        fresh = plan.timeline_group(build_timeline(archive), PER_PAGE, digests)
        assert planned(plan.timeline_group(timeline, PER_PAGE, digests, kept)) == planned(fresh)
        rng.choice(changes)(archive, rng)


def year_outlines(timeline) -> dict[int, tuple[list[int], int | None, int | None]]:
    """Each year's entries (by identity) and its neighbouring years: what its pages show."""
    years = split_by_year(timeline.dated)
    order = list(years)
    return {
        year: (
            [id(entry) for entry in entries],
            order[i - 1] if i else None,
            order[i + 1] if i + 1 < len(order) else None,
        )
        for i, (year, entries) in enumerate(years.items())
    }


def test_a_year_whose_entries_did_not_move_is_not_made_again(records, monkeypatch):
    """(The session's kept timeline keeps unchanged records' entries as the same objects.)"""
    archive = list(records)
    digests = RecordDigests()
    kept: Remembered[KeptYear] = Remembered()
    timelines = KeptTimeline()
    made: list[int] = []
    real = plan.year_pages
    monkeypatch.setattr(
        plan, "year_pages", lambda year, *rest: made.append(year) or real(year, *rest)
    )
    before = timelines.timeline(archive)
    first = plan.timeline_group(before, PER_PAGE, digests, kept)
    assert len(made) > 5
    made.clear()
    plan.timeline_group(timelines.timeline(archive), PER_PAGE, digests, kept)
    assert made == []  # nothing changed: every year kept
    # One article's events all moved to 1990: that year, the years they left, and the
    # neighbours of 1990 change; the other years are kept.
    index = next(i for i, article in enumerate(archive) if len(article.events) > 2)
    events = tuple(dataclasses.replace(e, date="1990") for e in archive[index].events)
    archive[index] = dataclasses.replace(archive[index], events=events)
    after = timelines.timeline(archive)
    second = plan.timeline_group(after, PER_PAGE, digests, kept)
    old, new = year_outlines(before), year_outlines(after)
    changed = {year for year, outline in new.items() if old.get(year) != outline}
    assert 1990 in changed and len(changed) < len(new) / 2
    assert sorted(made) == sorted(changed)
    assert second.inputs != first.inputs
    fresh = plan.timeline_group(after, PER_PAGE, digests)
    assert planned(second) == planned(fresh)


_DATES = st.builds(
    lambda year, month, day: "-".join(part for part in (year, month, day) if part),
    st.sampled_from(["-0044", "0800", "1949", "2016", "2024"]),
    st.sampled_from(["", "00", "01", "05", "12", "13", "99"]),
    st.sampled_from(["", "04", "31"]),
)


@given(st.lists(_DATES, max_size=60))
def test_the_timeline_split_by_bisection_equals_the_split_by_every_entry(dates):
    """``split_sorted_by_year`` (the timeline's own order) against ``split_by_year``, on dates
    of every precision, negative years, and malformed months (00, 13, 99)."""
    record = object()
    entries = [TimelineEntry(date, record, None) for date in dates]  # type: ignore[arg-type]
    dated = sorted(entries, key=lambda entry: date_key(entry.date))
    split = split_sorted_by_year(dated)
    assert split == split_by_year(dated)
    assert [list(map(id, items)) for items in split.values()] == [
        list(map(id, items)) for items in split_by_year(dated).values()
    ]


def test_a_year_made_again_keys_again_only_the_pages_showing_new_entries(records, monkeypatch):
    """A body edit gives the record new timeline entries (a new record object): its years
    are paginated again, but only their pages showing its entries are keyed again."""
    archive = list(records)
    digests = RecordDigests()
    kept: Remembered[KeptYear] = Remembered()
    timelines = KeptTimeline()
    plan.timeline_group(timelines.timeline(archive), PER_PAGE, digests, kept)
    keyed: list[str] = []
    real = plan.timeline_page_inputs
    monkeypatch.setattr(
        plan,
        "timeline_page_inputs",
        lambda template, data, entries: keyed.append(template) or real(template, data, entries),
    )
    index = max(range(len(archive)), key=lambda i: len(archive[i].events))
    edited = archive[index]
    archive[index] = dataclasses.replace(edited, body=(*edited.body, "Officials said more."))
    after = timelines.timeline(archive)
    again = plan.timeline_group(after, PER_PAGE, digests, kept)
    showing = {
        page.path
        for page in plan.timeline_planned(after, PER_PAGE, plan.as_placeholder)
        if any(
            entry.article is archive[index]
            for month in page.data.get("months", [])
            for entry in month["entries"]
        )
        or any(entry.article is archive[index] for entry in page.data.get("entries", []))
    }
    assert showing and len(keyed) <= len(showing) + 2  # + the index and an undated page
    assert len(keyed) < len(again.inputs) / 3
    assert planned(again) == planned(plan.timeline_group(after, PER_PAGE, digests))
