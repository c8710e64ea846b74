"""The event finder: the seed articles' dated statements and hand-made cases in other styles."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from benchmarks.events import Score, score, score_sentences
from hypothesis import given, settings
from hypothesis import strategies as st

from natowatch.core.model import Event, Zone
from natowatch.understand.dictionary import load_dictionary
from natowatch.understand.entities import find_entities
from natowatch.understand.events import find_events
from paths import FIXTURES
from seed_gold import SEEDS, body_paragraphs, gold_articles


def _one(text: str, published: str | None = None) -> Event:
    events = find_events([text], published)
    assert len(events) == 1, events
    return events[0]


@pytest.mark.parametrize("index", [0, 1])
def test_every_gold_event_is_found_with_its_date(index: int) -> None:
    record = gold_articles()[index]
    body = body_paragraphs(record)
    entities = find_entities(body, [], [], load_dictionary(SEEDS / "entities.yml"))
    events = find_events(body, record["date"], entities)
    for gold in record["events"]:
        matches = [
            event
            for event in events
            if event.date == gold["normalized"]
            and (gold["when"] in event.expression or event.expression in gold["when"])
        ]
        assert matches, gold
        assert matches[0].qualifier == gold.get("qualifier", matches[0].qualifier)
    for event in events:
        paragraph = body[event.paragraph]
        assert event.expression in event.sentence
        assert event.sentence in paragraph
    assert [(e.paragraph, body[e.paragraph].index(e.sentence)) for e in events] == sorted(
        (e.paragraph, body[e.paragraph].index(e.sentence)) for e in events
    )


def test_seed_event_sentences_carry_their_entities() -> None:
    record = gold_articles()[1]
    body = body_paragraphs(record)
    entities = find_entities(body, [], [], load_dictionary(SEEDS / "entities.yml"))
    founded = next(e for e in find_events(body, None, entities) if e.date == "1949")
    assert founded.expression == "in 1949"
    assert founded.sentence.startswith("NATO was founded in 1949")
    assert founded.entities == ("north-atlantic-treaty-organization",)


@pytest.mark.parametrize(
    ("text", "date", "precision", "expression"),
    [
        ("The treaty was signed on May 4, 2016, in Brussels.", "2016-05-04", "day", "May 4, 2016"),
        ("The treaty was signed on 4 May 2016 in Brussels.", "2016-05-04", "day", "4 May 2016"),
        ("Filed 2016-05-04 by the agency.", "2016-05-04", "day", "2016-05-04"),
        ("It was approved in May 2016.", "2016-05", "month", "May 2016"),
        ("It signed the agreement in October 2006.", "2006-10", "month", "October 2006"),
        ("The alliance was founded in 1949.", "1949", "year", "in 1949"),
        ("Hostilities resumed during 2014.", "2014", "year", "during 2014"),
        ("Stoltenberg made a 2016 visit to Washington.", "2016", "year", "a 2016 visit"),
        ("Since the 9/11 attacks, cooperation grew.", "2001-09-11", "day", "9/11"),
        ("He served from 2014 to 2024 as head.", "2014/2024", "year", "from 2014 to 2024"),
    ],
)
def test_absolute_dates(text: str, date: str, precision: str, expression: str) -> None:
    event = _one(text)
    assert (event.date, event.precision, event.expression) == (date, precision, expression)
    assert event.resolved
    assert event.sentence == text


@pytest.mark.parametrize(
    ("text", "date", "qualifier"),
    [
        ("Relations have been frozen since 2010.", "2010", "since"),
        ("The dialogue began in late 1994.", "1994", "late"),
        ("Growth slowed in the early 2000s.", "2000/2009", "early"),
        ("Talks stalled until March 2019.", "2019-03", "until"),
        ("The pact ends by mid-2026.", "2026", "by mid"),
    ],
)
def test_qualified_dates(text: str, date: str, qualifier: str) -> None:
    event = _one(text)
    assert (event.date, event.qualifier) == (date, qualifier)


@pytest.mark.parametrize(
    "text",
    [
        "The alliance counts 28 nations as its members.",
        "A plane almost as good as an F-15 which went into service 20 years earlier.",
        "Officials counted 2016 ballots and 1949 complaints.",
        "Prices rose 2016.5 points, or 2010% of the base.",
        "The company sent the 2000 soldiers home.",
        "Room 1949 is on floor 12.",
        "May I ask whether he may come?",
    ],
)
def test_numbers_that_are_not_dates(text: str) -> None:
    assert find_events([text], "2016-05-04") == ()


@pytest.mark.parametrize(
    ("text", "published", "date", "precision", "expression"),
    [
        ("Israel on Thursday opened an office.", "2016-05-06", "2016-05-05", "day", "on Thursday"),
        ("The office opened Tuesday.", "2016-05-04", "2016-05-03", "day", "Tuesday"),
        ("Ministers will meet on Friday.", "2016-05-04", "2016-05-06", "day", "on Friday"),
        ("The veto was lifted yesterday.", "2016-05-04", "2016-05-03", "day", "yesterday"),
        ("The upgrade was blocked five years ago.", "2016-05-04", "2011", "year", "five years ago"),
        ("Troops arrived last week.", "2016-05-04", "2016-W17", "week", "last week"),
        ("Sales fell last month.", "2016-05-04", "2016-04", "month", "last month"),
        ("The report came out last year.", "2016-05-04", "2015", "year", "last year"),
        ("They met on March 3 in Warsaw.", "2025-03-06", "2025-03-03", "day", "March 3"),
    ],
)
def test_relative_dates_resolve_against_publication(
    text: str, published: str, date: str, precision: str, expression: str
) -> None:
    event = _one(text, published)
    assert (event.date, event.precision, event.expression) == (date, precision, expression)
    assert event.resolved


def test_relative_dates_stay_unresolved_without_a_publication_date() -> None:
    thursday = _one("Israel on Thursday opened a new office.")
    assert (thursday.date, thursday.resolved, thursday.precision) == (None, False, "day")
    ago = _one("The veto came five years ago.")
    assert (ago.date, ago.resolved, ago.precision) == (None, False, "year")
    no_year = _one("They met on March 3 in Warsaw.")
    assert (no_year.date, no_year.resolved) == ("--03-03", False)


def test_wire_copy_and_zones() -> None:
    body = [
        "WARSAW, March 3 (Reuters) - The chancellor arrived on Monday. Poland joined NATO in "
        "1999 and the EU in 2004.",
    ]
    events = find_events(body, "2025-03-04")
    assert [(e.expression, e.date) for e in events] == [
        ("March 3", "2025-03-03"),
        ("on Monday", "2025-03-03"),
        ("in 1999", "1999"),
        ("in 2004", "2004"),
    ]
    assert events[2].sentence == "Poland joined NATO in 1999 and the EU in 2004."
    caption = find_events(["Stoltenberg during a 2016 visit."], None, zone=Zone.CAPTION)
    assert caption[0].zone is Zone.CAPTION
    assert caption[0].date == "2016"


# --- the labelled sentences (tests/fixtures/events.yml) and properties ----------------------

LABELLED = yaml.safe_load((FIXTURES / "events.yml").read_text(encoding="utf-8"))["sentences"]


@pytest.mark.parametrize("item", LABELLED, ids=[item["text"][:40] for item in LABELLED])
def test_labelled_sentence(item: dict[str, Any]) -> None:
    result = Score()
    score(find_events([item["text"]], None), item["events"], item["text"], result)
    assert result.errors == []
    found = {e.date: e for e in find_events([item["text"]], None)}
    for label in item["events"]:
        if "qualifier" in label:
            assert found[label["date"]].qualifier == label["qualifier"]


def test_held_out_sentences_reach_the_precision_and_recall_goal() -> None:
    result = score_sentences(FIXTURES / "events_held_out.yml")
    assert result.precision >= 0.95 and result.recall >= 0.9, result.errors


MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip


@settings(max_examples=300)
@given(st.dates(dt.date(1800, 1, 1), dt.date(2100, 12, 31)), st.booleans())
def test_a_written_day_always_gives_its_date(day: dt.date, british: bool) -> None:
    month = MONTHS[day.month - 1]
    written = f"{day.day} {month} {day.year}" if british else f"{month} {day.day}, {day.year}"
    event = _one(f"The accord was signed on {written}, officials said.")
    assert (event.date, event.precision, event.expression) == (day.isoformat(), "day", written)


PREPOSITIONS = ["in", "In", "since", "by", "from", "of", "around", "until", "after", "before"]
COUNTED = [
    "troops", "soldiers", "people", "km", "feet", "kg", "GMT", "hrs", "crore", "euros", "votes",
    "cases", "per cent", "million", "local time", "tonnes", "rockets",
]  # fmt: skip


@settings(max_examples=300)
@given(st.integers(1000, 2100), st.sampled_from(PREPOSITIONS), st.sampled_from(COUNTED))
def test_a_number_before_a_unit_or_plural_is_no_date(number: int, prep: str, unit: str) -> None:
    text = f"The ministry said the figure rose {prep} {number} {unit} at the border."
    assert find_events([text], "2016-05-04") == ()


@settings(max_examples=200)
@given(
    st.integers(1000, 2100),
    st.sampled_from(["a", "the", "its", "Israel's"]),
    st.sampled_from(["pistol", "model", "Summit", "Agenda", "series", "block", "members", "km"]),
)
def test_a_year_before_a_noun_that_is_no_event_is_no_date(number: int, det: str, noun: str) -> None:
    assert find_events([f"Officials mentioned {det} {number} {noun} again."], None) == ()


@settings(max_examples=200)
@given(st.integers(0, 99), st.sampled_from(MONTHS))
def test_ages_and_counts_after_a_month_are_no_days(number: int, month: str) -> None:
    for text in (
        f"The suspect, aged {number}, was held. A {number}-year-old was hurt.",
        f"In {month} {number}-year-old Smith was hurt.",
        f"In {month} {number} soldiers were hurt.",
    ):
        assert all(
            e.date in (None, f"--{MONTHS.index(month) + 1:02d}") for e in find_events([text], None)
        )


@pytest.mark.parametrize(
    ("text", "published", "date"),
    [
        ("Talks held on 14-15 March failed.", "2016-05-04", "2016-03-14/2016-03-15"),
        ("The summit ran May 4-6, 2016 in Warsaw.", None, "2016-05-04/2016-05-06"),
        ("Talks held on 14-15 March failed.", None, "--03-14/--03-15"),
        ("Filed on 2016/05/04 at the registry.", None, "2016-05-04"),
        ("Detained on 23/06/2016 at Heathrow.", None, "2016-06-23"),
        ("Dated 09/30/2019 by the clerk.", None, "2019-09-30"),
        ("In force since 3.10.1990 in Berlin.", None, "1990-10-03"),
    ],
)
def test_day_ranges_and_numeric_dates(text: str, published: str | None, date: str) -> None:
    assert _one(text, published).date == date


def test_an_all_numeric_date_of_either_order_is_no_date() -> None:
    assert find_events(["The order was dated 04/05/2016, the court heard."], None) == ()
