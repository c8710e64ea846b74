"""Properties over generated input: any bytes give a record or a clear input error, never another
exception; slugs are always safe relative paths."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from natowatch.archive.loader import read_article
from natowatch.archive.sources import load_source
from natowatch.core.errors import InputError
from natowatch.core.ids import slugify
from natowatch.core.jsonfile import json_array_parts, json_bytes, json_text
from natowatch.extract.assemble import extract_text
from natowatch.publish import urls

SAFE_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Text shaped like scraped pages: lines, blank lines, numbers, quotes, page furniture words.
LINE = st.one_of(
    st.text(max_size=120),
    st.sampled_from(
        [
            "",
            "  1. a reader comment",
            "Photo Credit: Reuters",
            "Comments are closed.",
            "By Jane Roe",
            "---",
            "###",
            "Previous articleSomething",
            "BRUSSELS (Reuters) - text",
            "“Quoted,” she said.",
            "May 4, 2016 at 3:15 pm",
        ]
    ),
)
SCRAPED = st.lists(LINE, max_size=30).map("\n".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _load(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"article{suffix}"
        path.write_bytes(data)
        try:
            source = load_source(path, Path(folder))
            article, _ = read_article(source)
        except InputError as error:
            assert error.path.endswith(path.name)
            assert str(error).strip()
            return
        assert article.headline.strip()
        assert SAFE_SLUG.match(article.slug)
        article.to_dict()


@SETTINGS
@given(st.binary(max_size=2000), st.sampled_from([".txt", ".md"]))
def test_any_bytes_give_a_record_or_an_input_error(data, suffix):
    _load(data, suffix)


@SETTINGS
@given(SCRAPED, st.sampled_from([".txt", ".md"]), st.sampled_from(["utf-8", "utf-16", "utf-8-sig"]))
def test_any_text_in_any_supported_encoding_gives_a_record_or_an_input_error(text, suffix, codec):
    _load(text.encode(codec, errors="surrogatepass"), suffix)


@SETTINGS
@given(SCRAPED)
def test_extraction_keeps_every_body_paragraph_as_text_from_the_input(text):
    parts = extract_text(text)
    flat = " ".join(text.split())
    for paragraph in parts.body:
        assert " ".join(paragraph.split()) in flat


@SETTINGS
@given(st.text(max_size=200))
def test_slugs_are_always_safe_relative_page_names(text):
    slug = slugify(text)
    assert SAFE_SLUG.match(slug), slug
    assert len(slug) <= 80
    path = urls.article_path(text)
    urls.check_site_path(path)
    assert path.startswith("articles/") and path.count("/") == 1


@SETTINGS
@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40))
def test_relative_links_between_any_two_pages_resolve(first, second):
    a, b = urls.article_path(first), urls.entity_path(second)
    link = urls.relative_url(a, b)
    assert not link.startswith("/") and "//" not in link
    resolved = Path("/site", a).parent.joinpath(link).resolve()
    assert resolved == Path("/site", b).resolve()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(st.lists(JSON_VALUES, max_size=6))
def test_a_json_array_written_item_by_item_is_the_array_written_whole(items) -> None:
    parts = json_array_parts(json_text(item).encode("utf-8") for item in items)
    assert b"".join(parts) == json_bytes(items)


_DATES = st.one_of(
    st.none(),
    st.just("not a date"),
    st.integers(1990, 1992).map(str),
    st.tuples(st.integers(1990, 1992), st.integers(1, 2)).map(lambda ym: f"{ym[0]}-{ym[1]:02d}"),
    st.tuples(st.integers(1990, 1992), st.integers(1, 2), st.integers(1, 2)).map(
        lambda ymd: f"{ymd[0]}-{ymd[1]:02d}-{ymd[2]:02d}"
    ),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcdef"), _DATES), max_size=12))
def test_newest_first_puts_dated_articles_newest_first_then_undated_ties_by_id(items):
    """The order every list and feed uses, against its definition: dated articles by date,
    newest first (a date known to the year only comes after that year's months and days),
    ties by id; then the undated by id."""
    from dataclasses import replace

    from natowatch.corpus.index import date_key
    from natowatch.publish.views import newest_first
    from site_factory import make_article

    articles = [
        replace(make_article(), id=f"{name}{n}", published=date)
        for n, (name, date) in enumerate(items)
    ]
    by_id = sorted(articles, key=lambda article: article.id)
    dated = [article for article in by_id if date_key(article.published) is not None]
    dated.sort(key=lambda article: date_key(article.published), reverse=True)  # stable
    undated = [article for article in by_id if date_key(article.published) is None]
    assert newest_first(reversed(articles)) == dated + undated


def _newest_first_by_definition(articles):
    from natowatch.corpus.index import date_key

    by_id = sorted(articles, key=lambda article: article.id)
    dated = [article for article in by_id if date_key(article.published) is not None]
    dated.sort(key=lambda article: date_key(article.published), reverse=True)  # stable
    return dated + [article for article in by_id if date_key(article.published) is None]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(_DATES, min_size=1, max_size=10),
    st.lists(st.tuples(st.integers(0, 9), st.one_of(st.just("same"), _DATES)), max_size=4),
)
def test_newest_first_after_records_are_replaced_is_still_by_definition(dates, edits):
    """``serve`` replaces an edited record by a new object of the same id: the order of the
    same ids is derived from the last one while the dates are the same, and sorted again
    when they are not; either way it is the order by definition."""
    from dataclasses import replace

    from natowatch.publish.views import newest_first
    from site_factory import make_article

    articles = [replace(make_article(), id=f"r{n}", published=d) for n, d in enumerate(dates)]
    assert newest_first(articles) == _newest_first_by_definition(articles)
    for place, date in edits:
        place %= len(articles)
        published = articles[place].published if date == "same" else date
        articles[place] = replace(articles[place], published=published)  # a new object
        assert newest_first(articles) == _newest_first_by_definition(articles)


def _events_view_by_definition(events):
    """``entity_events_view`` as first written: a key per entry, years counted one by one."""
    from natowatch.corpus.index import date_key
    from natowatch.publish.browse_views import year_label
    from natowatch.publish.entity_views import EVENT_YEARS_SHOWN, EVENTS_SHOWN
    from natowatch.publish.urls import TIMELINE_UNDATED, timeline_year_path
    from natowatch.publish.views import timeline_entry_view

    dated = [entry for entry in events if date_key(entry.date) is not None]
    undated = [entry for entry in events if date_key(entry.date) is None]
    shown = dated[-EVENTS_SHOWN:]
    shown += undated[: EVENTS_SHOWN - len(shown)]
    counts: dict[int, int] = {}
    for entry in dated:
        year = date_key(entry.date)[0]
        counts[year] = counts.get(year, 0) + 1
    years = [
        {"label": year_label(year), "href": timeline_year_path(year), "count": counts[year]}
        for year in sorted(counts)[-EVENT_YEARS_SHOWN:]
    ]
    if undated:
        years.append({"label": "Undated", "href": TIMELINE_UNDATED, "count": None})
    note = len(shown) < len(events)
    return {
        "events": [timeline_entry_view(entry) for entry in shown],
        "event_count": len(events),
        "events_note": (
            f"Showing {len(shown)} of {len(events)} entries, the latest dated ones."
            if note
            else None
        ),
        "event_years": years if note else [],
    }


_EVENT_DATES = st.one_of(
    st.none(),
    st.just("soon"),
    st.integers(1980, 2030).map(str),
    st.tuples(st.integers(1980, 2030), st.integers(1, 12)).map(lambda ym: f"{ym[0]}-{ym[1]:02d}"),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_EVENT_DATES, max_size=120))
@example([f"{year}-0{1 + year % 3}" for year in range(1960, 2020) for _ in range(1 + year % 2)])
def test_an_entity_timeline_view_found_by_bisection_is_the_view_by_definition(dates):
    """The entity's events come dated in date order, then undated (``_merge_entity``): the
    split and each of the latest years are found by bisection, with the same view."""
    from dataclasses import replace

    from natowatch.corpus.index import TimelineEntry, _split_and_sort
    from natowatch.publish.entity_views import entity_events_view
    from site_factory import make_article

    base = make_article()
    entries = [
        TimelineEntry(date=date, article=replace(base, id=f"r{n}", published=date), event=None)
        for n, date in enumerate(dates)
    ]
    timeline = _split_and_sort(entries)
    events = timeline.dated + timeline.undated
    assert entity_events_view(events) == _events_view_by_definition(events)


PAGE_DATA = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-2, 2)
    | st.sampled_from([0.0, -0.0, 1.0, 2.5])
    | st.sampled_from(["", "a", "b", "1"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(st.sampled_from(["k", "m", "n"]), inner, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(PAGE_DATA, PAGE_DATA)
@example({"k": 1, "m": 2}, {"m": 2, "k": 1})
@example({"k": 1, "m": 1}, {"m": 1, "k": 1})
@example(True, 1)
@example(-0.0, 0.0)
@example([1], (1,))
def test_page_data_are_the_same_values_only_when_they_render_alike(first, second):
    """``same_values`` (a page's kept key, ``KeptContextKeys``) holds exactly when the two
    would be written alike: a copy always; otherwise only if their pickles (the context key
    they stand for) are equal."""
    import copy
    import pickle

    from natowatch.core.remembered import same_values

    assert same_values(first, copy.deepcopy(first))
    if same_values(first, second):
        assert pickle.dumps(first) == pickle.dumps(copy.deepcopy(second)) or repr(first) == repr(
            second
        )
    if repr(first) != repr(second):  # True and 1, -0.0 and 0.0, a list and a tuple
        assert not same_values(first, second)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcdef"), _DATES), max_size=12))
def test_an_entitys_appearances_are_in_the_order_of_its_records_newest_first(items):
    """An entity's pages list its articles by ``newest_first_key``: the order ``newest_first``
    gives its records, by definition."""
    from dataclasses import replace

    from natowatch.corpus.index import EntityInArticle
    from natowatch.publish.entity_views import newest_appearances
    from site_factory import make_article

    articles = [
        replace(make_article(), id=f"{name}{n}", published=date)
        for n, (name, date) in enumerate(items)
    ]
    appearances = [EntityInArticle(article=article, located=()) for article in reversed(articles)]
    shown = [item.article for item in newest_appearances(appearances)]
    assert shown == _newest_first_by_definition(articles)


def _sentence_spans_by_definition(text: str) -> tuple[tuple[int, int], ...]:
    """Sentences as ``core.snippets`` defines them, the plain way: split at each sentence end
    unless the text up to it ends with an abbreviation or an initial; whitespace trimmed."""
    from natowatch.core.snippets import _ABBREVIATIONS, _SENTENCE_END

    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        word = re.search(r"([A-Za-z.]+)$", text[start : match.start() + 1])
        last = word.group(1).lower().rstrip(".") if word else None
        if last is not None and (last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())):
            continue
        spans.append((start, len(text[: match.end()].rstrip())))
        start = match.end()
    rest_end = len(text.rstrip())
    if rest_end > start or not spans:
        spans.append((start, max(rest_end, start)))
    return tuple(spans)


_SENTENCE_PIECES = st.sampled_from(
    [
        "Mr.",
        "U.S.",
        "e.g.",
        "J.",
        "word",
        "Sept.",
        "A",
        "x.y.z.",
        ".",
        "?",
        "!",
        '"',
        "”",
        ")",
        " ",
        "  ",
        "\n",
        "\u00a0",
        "The",
        "2024.",
        "..........",
        "Internationalisation.",
        "(",
        "'",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_SENTENCE_PIECES, max_size=40).map("".join))
@example("Gen. Smith met Dr. J. Doe.  Then he left! Later \u201cyes.\u201d Done")
@example("a word before many dots: Xmr.............. Next one")
def test_sentence_spans_are_the_sentences_by_definition(text):
    """``split_sentences`` (``sentence_spans`` remembered) looks for the word before a full
    stop near it (not across the whole sentence so far) and takes the sentence's end from the
    match: the same spans as the plain definition, for any mix of abbreviations, initials,
    quotes and whitespace."""
    from natowatch.core.snippets import sentence_spans, split_sentences

    assert split_sentences(text) == _sentence_spans_by_definition(text)
    assert sentence_spans(text) == split_sentences(text)
