from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from natowatch.core.model import Entity, EntityType, Event, Mention, Zone
from natowatch.core.snippets import first_sentence
from natowatch.corpus.index import build_entity_index, build_timeline, date_key
from site_factory import make_article, make_second_article


def test_date_key_orders_precisions_within_a_year() -> None:
    keys = [date_key(d) for d in ["2016-05-04", "2016", "2016-05", "1949"]]
    assert sorted(k for k in keys if k) == [(1949, 0, 0), (2016, 0, 0), (2016, 5, 0), (2016, 5, 4)]
    assert date_key(None) is None
    assert date_key("last Tuesday") is None


def test_timeline_is_chronological_with_publications_and_undated_kept() -> None:
    first, second = make_article(), make_second_article()
    timeline = build_timeline([second, first])
    dates = [entry.date for entry in timeline.dated]
    assert dates == sorted(dates, key=lambda d: date_key(d) or (0, 0, 0))
    assert dates[0] == "1994"
    # The first article's publication is an entry, placed before its own same-day events.
    same_day = [e for e in timeline.dated if e.date == "2016-05-04"]
    assert [(e.article.id, e.is_publication) for e in same_day] == [
        ("000_israel", True),
        ("000_israel", False),
        ("003_ibtimes", False),
    ]
    # Undated: the unresolved event and the second article's unknown publication date.
    undated = {(e.article.id, e.event.expression if e.event else None) for e in timeline.undated}
    assert undated == {("000_israel", "later this year"), ("003_ibtimes", None)}


def test_timeline_does_not_depend_on_input_order() -> None:
    first, second = make_article(), make_second_article()
    assert build_timeline([first, second]) == build_timeline([second, first])


def test_timeline_ties_break_by_article_id_then_paragraph() -> None:
    events = tuple(
        Event(date="2000", precision="year", expression=f"e{p}", sentence="s", paragraph=p)
        for p in (3, 1, 2)
    )
    b = make_article(id="b", slug="b", events=events, published=None)
    a = make_article(id="a", slug="a", events=events[:1], published=None)
    order = [(e.article.id, e.event.paragraph) for e in build_timeline([b, a]).dated if e.event]
    assert order == [("a", 3), ("b", 1), ("b", 2), ("b", 3)]


def test_entity_index_merges_the_same_id_across_articles() -> None:
    index = build_entity_index([make_article(), make_second_article()])
    nato = index["org-nato"]
    assert nato.type == EntityType.ORG
    assert nato.name == "NATO"  # two mentions under this name beat one under the long name
    assert nato.description == "North Atlantic Treaty Organization"
    assert [a.article.id for a in nato.articles] == ["000_israel", "003_ibtimes"]
    assert nato.mention_count == 3
    assert sorted(index) == list(index)
    # Events tagged with the entity, from both articles.
    assert [(e.article.id, e.date) for e in nato.events] == [
        ("000_israel", "1994"),
        ("003_ibtimes", "2016-05-04"),
    ]


def test_mentions_come_with_context() -> None:
    index = build_entity_index([make_article()])
    nato = index["org-nato"].articles[0].mentions
    body, comment = nato
    assert body.zone == Zone.BODY and body.paragraph == 0
    assert body.text == "NATO"
    assert body.before.endswith("a permanent office at ")
    assert body.after.startswith(" headquarters in Brussels")
    assert "Officials called it" not in body.after  # just the sentence, not the paragraph
    assert comment.zone == Zone.COMMENT
    assert (comment.before, comment.text, comment.after) == ("Good news for ", "NATO", ".")
    caption = index["person-jens-stoltenberg"].articles[0].mentions[1]
    assert caption.zone == Zone.CAPTION and caption.after.startswith(" speaks to reporters")


def test_long_sentence_context_is_a_window() -> None:
    paragraph = "word " * 80 + "Brussels " + "word " * 80
    start = paragraph.index("Brussels")
    entity = Entity(
        "gpe-brussels",
        "Brussels",
        EntityType.GPE,
        (Mention("Brussels", 0, start, start + 8),),
    )
    article = make_article(body=(paragraph,), entities=(entity,), events=())
    mention = build_entity_index([article])["gpe-brussels"].articles[0].mentions[0]
    assert mention.text == "Brussels"
    assert mention.before.startswith("…") and mention.after.endswith("…")
    assert 80 <= len(mention.before + mention.text + mention.after) <= 160


def test_stale_offsets_fall_back_to_searching_the_text() -> None:
    entity = Entity(
        "gpe-turkey",
        "Turkey",
        EntityType.GPE,
        (Mention("Turkey", 2, 500, 506), Mention("X", 99, 0, 1)),
    )
    article = make_article(entities=(entity,))
    first, second = build_entity_index([article])["gpe-turkey"].articles[0].mentions
    assert first.text == "Turkey" and first.after.startswith(" had blocked")
    assert (second.before, second.text, second.after) == ("", "X", "")


def test_entity_without_mentions_still_lists_the_article() -> None:
    entity = Entity("org-un", "United Nations", EntityType.ORG)
    article = make_article(entities=(entity,))
    indexed = build_entity_index([article])["org-un"]
    assert [a.article.id for a in indexed.articles] == ["000_israel"]
    assert indexed.mention_count == 0


def test_index_scales_linearly() -> None:
    """Many articles sharing entities: one pass, no pairwise work (guards against regressions)."""
    base = make_article()
    articles = [dataclasses.replace(base, id=f"a{n:05d}", slug=f"a{n:05d}") for n in range(3000)]
    index = build_entity_index(articles)
    assert len(index["org-nato"].articles) == 3000
    assert len(build_timeline(articles).dated) == 3000 * 4


def test_first_sentence_skips_abbreviations_and_initials() -> None:
    text = "Mr. Smith met Gen. J. Doe in the U.S. capital on Jan. 5. They talked."
    assert first_sentence(text) == "Mr. Smith met Gen. J. Doe in the U.S. capital on Jan. 5."
    assert first_sentence('"We agree," she said. Then she left.') == '"We agree," she said.'
    assert first_sentence("   ") == ""
    long = "word " * 200
    short = first_sentence(long, limit=50)
    assert len(short) <= 50 and short.endswith("…")


MENTIONS = st.builds(
    Mention,
    text=st.sampled_from(["NATO", "Nato", "the alliance"]),
    paragraph=st.integers(-1, 3),
    start=st.integers(0, 4),
    end=st.integers(0, 6),
    zone=st.sampled_from(list(Zone)),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(MENTIONS, max_size=8), st.booleans())
def test_an_entitys_mentions_are_distinct_and_in_reading_order_however_given(mentions, as_list):
    """The entity index takes an article's mentions as they are, so a record keeps them so."""
    reading_order = {Zone.BODY: 0, Zone.CAPTION: 1, Zone.COMMENT: 2}

    def place(item: Mention) -> tuple[object, ...]:
        return (reading_order[item.zone], item.paragraph, item.start, item.end, item.text)

    given_mentions = mentions if as_list else tuple(mentions)
    entity = Entity(id="org-nato", name="NATO", type=EntityType.ORG, mentions=given_mentions)
    expected = sorted({place(item): item for item in mentions}.items())
    assert entity.mentions == tuple(item for _, item in expected)
    assert isinstance(entity.mentions, tuple)
    if tuple(mentions) == entity.mentions:  # already so: the very objects kept
        assert all(a is b for a, b in zip(entity.mentions, mentions, strict=True))
    assert dataclasses.replace(entity, name="Nato").mentions == entity.mentions


EVENTS = st.builds(
    Event,
    date=st.sampled_from([None, "1949", "2016", "2016-05", "2016-05-04", "not a date"]),
    precision=st.just("year"),
    expression=st.sampled_from(["in 2016", "then"]),
    sentence=st.sampled_from(["It happened.", "It happened again."]),
    paragraph=st.integers(0, 2),
    zone=st.sampled_from(list(Zone)),
    entities=st.lists(st.sampled_from(["org-nato", "gpe-turkey", "person-x"]), max_size=4).map(
        tuple
    ),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c", "d"]), st.lists(EVENTS, max_size=6)),
        min_size=1,
        max_size=4,
        unique_by=lambda item: item[0],
    )
)
def test_the_entity_index_takes_its_events_from_the_timeline_in_the_same_order(records):
    """Given the timeline, each entity's events are the timeline's own entries, and the index
    equals one that makes and sorts every entity's events itself (as ``serve`` does): events
    naming an entity twice, several entities, ties within a record, undated ones."""
    articles = [
        make_article(id=article_id, slug=article_id, events=tuple(events))
        for article_id, events in records
    ]
    timeline = build_timeline(articles)
    index = build_entity_index(articles, None, timeline)
    assert index == build_entity_index(articles)
    entries = {id(entry) for entry in (*timeline.dated, *timeline.undated)}
    assert all(id(entry) in entries for entity in index.values() for entry in entity.events)


def test_an_article_naming_one_id_twice_shows_its_mentions_once_in_reading_order() -> None:
    """Two entities of one article may share an id (names told apart by the loader, merged
    by the dictionary): the index lists the article once, with both entities' mentions."""
    article = make_article()
    nato = next(entity for entity in article.entities if entity.id == "org-nato")
    later, earlier = nato.mentions[-1], nato.mentions[0]
    alias = Entity(
        id="org-nato", name="the alliance", type=EntityType.ORG, mentions=(later, earlier)
    )
    twice = dataclasses.replace(article, entities=(alias, *article.entities))
    (appearance,) = build_entity_index([twice])["org-nato"].articles
    assert appearance.article is twice
    assert appearance.located == nato.mentions  # each once, body before comment


def test_a_merged_entity_takes_the_first_description_wikidata_and_referent_given() -> None:
    """In record id order, empty values skipped: the dictionary's facts may sit on any of the
    articles naming the entity."""
    base = make_article()
    nato = next(entity for entity in base.entities if entity.id == "org-nato")
    given = [
        (None, "", None),
        ("", "Q7184", None),
        ("The alliance", "Q1", "gpe-brussels"),
        ("Another", None, "gpe-turkey"),
    ]
    articles = [
        dataclasses.replace(
            base,
            id=f"a{number}",
            slug=f"a{number}",
            entities=(
                dataclasses.replace(nato, description=d, wikidata=w, refers_to=r),
                *(entity for entity in base.entities if entity.id != "org-nato"),
            ),
        )
        for number, (d, w, r) in enumerate(given)
    ]
    merged = build_entity_index(list(reversed(articles)))["org-nato"]
    assert (merged.description, merged.wikidata, merged.refers_to) == (
        "The alliance",
        "Q7184",
        "gpe-brussels",
    )
    only_empty = build_entity_index(articles[:1])["org-nato"]
    assert (only_empty.description, only_empty.wikidata) == (None, None)
