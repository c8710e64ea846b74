"""The published data files: each matches its JSON Schema in docs/, cross-references hold and the
bytes are stable. Run on the built seed site and on the hand-made records of ``site_factory``."""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from benchmarks.generate import generate_corpus, write_archive
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from html_check import parse
from natowatch.archive.cache import RecordCache
from natowatch.archive.loader import load_archive, read_archive
from natowatch.build import build
from natowatch.core.jsonfile import json_bytes, json_text
from natowatch.core.model import Article, Entity, EntityType, Mention, Zone, distinct_mentions
from natowatch.corpus.coverage import build_coverage, coverage_json
from natowatch.corpus.index import build_entity_index, build_timeline, date_key, timeline_order
from natowatch.publish import stored_json, urls
from natowatch.publish.datafiles import (
    ENTITIES_JSON,
    TIMELINE_JSON,
    appearance_json,
    data_files,
    entity_json,
    timeline_json_parts,
    timeline_run_json,
    timeline_runs,
)
from natowatch.publish.page_inputs import RecordDigests
from natowatch.publish.render import render_site
from natowatch.publish.site_files import articles_json
from natowatch.publish.stored_json import KeptPieces, StoredJson
from natowatch.understand.aliases import resolve_aliases
from paths import ROOT, SEEDS
from site_factory import make_article, make_hostile_article, make_second_article

SCHEMAS = ROOT / "docs" / "schemas"
NAMES = ("articles", "entities", "timeline", "coverage")

Data = dict[str, Any]


def _validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _errors(name: str, data: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in _validator(name).iter_errors(data)
    ]


def _all_data(articles: Sequence[Article]) -> dict[str, bytes]:
    """Every data file for ``articles``, whether or not ``render_site`` writes it yet."""
    return {
        urls.ARTICLES_JSON: articles_json(articles),
        urls.COVERAGE_JSON: coverage_json(build_coverage(articles)),
        **data_files(articles),
    }


def _decoded(files: dict[str, bytes]) -> dict[str, Any]:
    """{"articles": data, ...} keyed by the file's stem."""
    return {Path(path).stem: json.loads(content) for path, content in files.items()}


def _hand_made() -> list[Article]:
    return [make_article(), make_second_article(), make_hostile_article()]


@pytest.fixture(scope="module")
def seed_articles() -> list[Article]:
    return resolve_aliases(load_archive(SEEDS))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("datafiles") / "site"
    build(SEEDS, out)
    return out


@pytest.fixture(scope="module")
def seed_data(site: Path, seed_articles: list[Article]) -> dict[str, Any]:
    """The data files of the built site, plus those ``render_site`` does not write yet."""
    files = _all_data(seed_articles)
    for path in list(files):
        if (site / path).exists():
            files[path] = (site / path).read_bytes()
    return _decoded(files)


# --- the schemas themselves ----------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_data_file_the_site_publishes_has_a_schema_and_a_section_in_the_docs(
    site: Path,
) -> None:
    published = {path.stem for path in (site / "data").glob("*.json")}
    assert published >= {"articles", "coverage"}
    assert published <= set(NAMES)
    documented = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    for name in NAMES:
        assert f"data/{name}.json" in documented
        assert f"schemas/{name}.schema.json" in documented


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_seed_data_file_matches_its_schema(seed_data: dict[str, Any], name: str) -> None:
    assert _errors(name, seed_data[name]) == []


@pytest.mark.parametrize("name", NAMES)
def test_hand_made_records_match_the_schemas(name: str) -> None:
    data = _decoded(_all_data(_hand_made()))
    assert _errors(name, data[name]) == []


def test_data_files_written_by_the_site_are_the_ones_data_files_makes(
    site: Path, seed_articles: list[Article]
) -> None:
    for path, content in data_files(seed_articles).items():
        if (site / path).exists():
            assert (site / path).read_bytes() == content


def test_data_files_claim_safe_paths_no_other_output_uses() -> None:
    articles = _hand_made()
    files = data_files(articles)
    assert set(files) == {ENTITIES_JSON, TIMELINE_JSON}
    others = set(render_site(articles)) - set(files)
    for path in files:
        urls.check_site_path(path)
        assert path.casefold() not in {other.casefold() for other in others}


# --- strictness: records a consumer could not rely on must fail ----------------------------


def _mutated(data: Any, change: Callable[[Any], None]) -> Any:
    copied = copy.deepcopy(data)
    change(copied)
    return copied


def _set(path: Sequence[str | int], value: Any) -> Callable[[Any], None]:
    def change(data: Any) -> None:
        for key in path[:-1]:
            data = data[key]
        data[path[-1]] = value

    return change


def _delete(path: Sequence[str | int]) -> Callable[[Any], None]:
    def change(data: Any) -> None:
        for key in path[:-1]:
            data = data[key]
        del data[path[-1]]

    return change


MUTATIONS: list[tuple[str, str, Callable[[Any], None]]] = [
    ("articles", "unknown key", _set([0, "summary"], "x")),
    ("articles", "missing key", _delete([0, "tags"])),
    ("articles", "headline source", _set([0, "headline_source"], "guessed")),
    ("articles", "date format", _set([0, "published"], "May 4, 2016")),
    ("articles", "impossible day", _set([0, "published"], "2016-02-30")),
    ("articles", "zone key", _set([0, "entities", 0, "mentions", 0, "zone"], "body")),
    ("articles", "zone value", _set([0, "entities", 0, "mentions", 0, "in"], "footer")),
    ("articles", "entity type", _set([0, "entities", 0, "type"], "PER")),
    ("articles", "boilerplate kind", _set([0, "boilerplate", 0, "kind"], "advert")),
    ("articles", "event date", _set([0, "events", 0, "date"], "1990s")),
    ("articles", "precision", _set([0, "events", 0, "precision"], "decade")),
    ("articles", "wikidata", _set([0, "entities", 0, "wikidata"], "7184")),
    ("articles", "negative offset", _set([0, "quotes", 0, "start"], -1)),
    ("entities", "missing page", _delete([0, "page"])),
    ("entities", "absolute page", _set([0, "page"], "/entities/x.html")),
    ("entities", "count as text", _set([0, "mention_count"], "3")),
    ("entities", "unknown key", _set([0, "articles", 0, "headline"], "x")),
    ("entities", "no articles", _set([0, "articles"], [])),
    ("timeline", "undated in dated", _set(["dated", 0, "date"], None)),
    ("timeline", "week in dated", _set(["dated", 0, "date"], "2016-W18")),
    ("timeline", "kind", _set(["dated", 0, "kind"], "quote")),
    ("timeline", "bad anchor", _set(["dated", 0, "link"], "articles/x.html#para-1")),
    ("timeline", "unknown key", _set(["undated", 0, "headline"], "x")),
    ("coverage", "lonely thread", _set(["threads", 0, "articles"], ["000_a"])),
    ("coverage", "score above one", _set(["quote_links", 0, "also_reported_by", 0, "score"], 2)),
    ("coverage", "unknown key", _set(["similar"], {})),
]


@pytest.mark.parametrize(
    ("name", "change"),
    [pytest.param(name, change, id=f"{name}-{label}") for name, label, change in MUTATIONS],
)
def test_schema_rejects_a_broken_record(
    seed_data: dict[str, Any], name: str, change: Callable[[Any], None]
) -> None:
    assert _errors(name, seed_data[name]) == []
    assert _errors(name, _mutated(seed_data[name], change)) != []


def test_publication_entry_cannot_carry_event_fields(seed_data: dict[str, Any]) -> None:
    timeline = seed_data["timeline"]
    position = next(i for i, e in enumerate(timeline["dated"]) if e["kind"] == "publication")
    broken = _mutated(timeline, _set(["dated", position, "expression"], "on Wednesday"))
    assert _errors("timeline", broken) != []


# --- cross-references ----------------------------------------------------------------------


def _article_ids(data: dict[str, Any]) -> set[str]:
    return {record["id"] for record in data["articles"]}


def _timeline_entries(data: dict[str, Any]) -> list[Data]:
    return [*data["timeline"]["dated"], *data["timeline"]["undated"]]


def _cross_reference_errors(data: dict[str, Any]) -> list[str]:
    """Every id a data file names must be defined where it belongs."""
    articles = _article_ids(data)
    entities = {entity["id"] for entity in data["entities"]}
    problems = [
        f"entity {entity['id']} cites unknown article {item['article']}"
        for entity in data["entities"]
        for item in entity["articles"]
        if item["article"] not in articles
    ]
    for entry in _timeline_entries(data):
        if entry["article"] not in articles:
            problems.append(f"timeline cites unknown article {entry['article']}")
        problems.extend(
            f"timeline cites unknown entity {e}" for e in entry["entities"] if e not in entities
        )
    mentioned = {e["id"] for record in data["articles"] for e in record["entities"]}
    if mentioned != entities:
        problems.append(f"entity ids differ: {sorted(mentioned ^ entities)}")
    return problems


def test_seed_cross_references_resolve(seed_data: dict[str, Any]) -> None:
    assert _cross_reference_errors(seed_data) == []


def test_hand_made_cross_references_resolve() -> None:
    assert _cross_reference_errors(_decoded(_all_data(_hand_made()))) == []


def _expected_pages(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(page in a data file, page natowatch.publish.urls gives for the same record)."""
    slugs = {record["id"]: record["slug"] for record in data["articles"]}
    pages = [(entity["page"], urls.entity_path(entity["id"])) for entity in data["entities"]]
    pages += [
        (item["page"], urls.article_path(slugs[item["article"]]))
        for entity in data["entities"]
        for item in entity["articles"]
    ]
    pages += [(e["page"], urls.article_path(slugs[e["article"]])) for e in _timeline_entries(data)]
    return pages


def test_pages_are_the_ones_natowatch_urls_gives_and_exist_in_the_site(
    site: Path, seed_data: dict[str, Any]
) -> None:
    pages = _expected_pages(seed_data)
    assert pages
    assert [given for given, _ in pages] == [expected for _, expected in pages]
    assert sorted({page for page, _ in pages if not (site / page).is_file()}) == []


def test_timeline_links_point_at_anchors_on_the_article_page(
    site: Path, seed_data: dict[str, Any]
) -> None:
    ids: dict[str, set[str]] = {}
    for entry in _timeline_entries(seed_data):
        page, _, fragment = entry["link"].partition("#")
        assert page == entry["page"]
        if entry["kind"] == "event" and entry["in"] == "body":
            assert fragment == urls.paragraph_fragment(entry["paragraph"])
        if fragment:
            if page not in ids:
                ids[page] = set(parse((site / page).read_bytes()).ids)
            assert fragment in ids[page], entry["link"]


def test_hand_made_caption_and_comment_events_link_to_figure_and_comment() -> None:
    timeline = _decoded(data_files([make_article()]))["timeline"]
    links = {
        (e["in"], e["expression"]): e["link"] for e in _timeline_entries({"timeline": timeline})
    }
    page = urls.article_path(make_article().slug)
    assert links[("comment", "Wednesday")] == f"{page}#comment-1"
    assert links[("body", "since 1994")] == f"{page}#p2"
    assert links[(None, None)] == page


# --- content -------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["seeds", "hand-made"])
def test_entities_agree_with_the_entity_index(seed_articles: list[Article], source: str) -> None:
    articles = seed_articles if source == "seeds" else _hand_made()
    index = build_entity_index(articles)
    records = _decoded(data_files(articles))["entities"]
    assert [record["id"] for record in records] == sorted(index)
    for record in records:
        entity = index[record["id"]]
        assert (record["name"], record["type"]) == (entity.name, entity.type.value)
        assert record["mention_count"] == entity.mention_count
        assert record["mention_count"] == sum(len(item["mentions"]) for item in record["articles"])
        assert [item["article"] for item in record["articles"]] == sorted(
            appearance.article.id for appearance in entity.articles
        )


@pytest.mark.parametrize("source", ["seeds", "hand-made"])
def test_entity_records_spliced_from_their_appearances_are_the_canonical_json(
    seed_articles: list[Article], source: str
) -> None:
    """``entity_json`` encodes the appearances apart and splices them in: the bytes are those
    of the record encoded whole in the data files' style (non-ASCII and markup included)."""
    articles = seed_articles if source == "seeds" else _hand_made()
    index = build_entity_index(articles)
    assert index
    for entity in index.values():
        encoded = entity_json(entity)
        record = json.loads(encoded)
        assert json_text(record).encode("utf-8") == encoded
        assert len(record["articles"]) == len(entity.articles)


def test_merged_entity_keeps_each_articles_mentions_with_offsets() -> None:
    records = _decoded(data_files(_hand_made()))["entities"]
    nato = next(record for record in records if record["id"] == "org-nato")
    by_article = {item["article"]: item["mentions"] for item in nato["articles"]}
    assert sorted(by_article) == ["000_israel", "003_ibtimes"]
    lede = make_article().body[0]
    start = lede.index("NATO")
    assert by_article["000_israel"][0] == {
        "text": "NATO",
        "paragraph": 0,
        "start": start,
        "end": start + len("NATO"),
        "in": "body",
    }
    assert [mention["in"] for mention in by_article["000_israel"]] == ["body", "comment"]
    assert nato["description"] == "North Atlantic Treaty Organization"


@pytest.mark.parametrize("source", ["seeds", "hand-made"])
def test_timeline_holds_every_event_and_publication_in_order(
    seed_articles: list[Article], source: str
) -> None:
    articles = seed_articles if source == "seeds" else _hand_made()
    timeline = _decoded(data_files(articles))["timeline"]
    expected = build_timeline(articles)
    assert len(timeline["dated"]) == len(expected.dated)
    assert len(timeline["undated"]) == len(expected.undated)
    assert len(timeline["dated"]) + len(timeline["undated"]) == len(articles) + sum(
        len(article.events) for article in articles
    )
    keys = [key for entry in timeline["dated"] if (key := date_key(entry["date"])) is not None]
    assert len(keys) == len(timeline["dated"])
    assert keys == sorted(keys)
    assert [(e["article"], e["expression"]) for e in timeline["dated"]] == [
        (entry.article.id, entry.event.expression if entry.event else None)
        for entry in expected.dated
    ]
    assert all(entry["date"] is None or entry["kind"] == "event" for entry in timeline["undated"])


# --- determinism ---------------------------------------------------------------------------


def test_data_files_are_byte_identical_across_calls_and_article_order(
    seed_articles: list[Article],
) -> None:
    for articles in (seed_articles, _hand_made()):
        first = data_files(articles)
        assert data_files(articles) == first
        assert data_files(list(reversed(articles))) == first
        for content in first.values():
            assert content.endswith(b"\n")
            text = content.decode("utf-8")
            assert text == json_bytes(json.loads(text)).decode("utf-8")


def test_timeline_ties_are_broken_by_the_whole_record_as_before():
    """Only tied entries are encoded for the tie-break now, and only neighbours from one
    record are keyed; the order is still the one given by sorting every entry on (key, its
    JSON), with many ties forced by repeating entries and by entries that differ only in
    their qualifier (given in the timeline's order, as
    ``build_timeline`` and the kept timeline give them: a stable sort on ``timeline_order``)."""
    from natowatch.publish import datafiles
    from paths import SEEDS

    timeline = build_timeline(resolve_aliases(load_archive(SEEDS)))
    with_events = [entry for entry in timeline.dated if entry.event is not None]
    requalified = [
        dataclasses.replace(entry, event=dataclasses.replace(entry.event, qualifier=qualifier))
        for entry in with_events
        for qualifier in ("late", "early", None)
    ]
    entries = [*timeline.dated, *reversed(timeline.dated), *timeline.dated[::3], *requalified]
    expected = sorted(
        ((timeline_order(entry), datafiles._entry_record(entry)) for entry in entries),
        key=lambda pair: (pair[0], json.dumps(pair[1], sort_keys=True)),
    )
    assert len(entries) > len(timeline.dated) > 5
    in_timeline_order = sorted(entries, key=lambda entry: timeline_order(entry)[1])
    ordered = datafiles._in_order(in_timeline_order)
    assert [datafiles._entry_record(entry) for entry in ordered] == [r for _, r in expected]


def cached_archive(tmp_path: Path):
    """A generated archive read through its record cache: the cache, what was read, the
    records' digests and the timeline."""
    write_archive(generate_corpus(30, seed=5), tmp_path / "archive")
    cache = RecordCache(tmp_path / "archive")
    loaded = read_archive(tmp_path / "archive", cache=cache)
    digests = RecordDigests()
    digests.learn(loaded.articles, loaded.record_keys)
    return cache, loaded, digests, build_timeline(loaded.articles)


def test_stored_timeline_entries_are_the_plain_encoding_and_let_go_once_written(tmp_path):
    """``StoredJson`` writes data/timeline.json from per-article stored lines: the same bytes
    as encoding every entry, and an article's lines are dropped once its last entry is out."""
    cache, loaded, digests, timeline = cached_archive(tmp_path)
    stored = StoredJson(cache, digests)
    open_articles = []

    def encode(entry):
        line = stored.timeline_entry(entry)
        open_articles.append(len(stored._entries))
        return line

    def encode_run(name, entries):
        return timeline_run_json(entries, encode)

    written = b"".join(timeline_json_parts(loaded.articles, timeline, encode_run))
    assert written == b"".join(timeline_json_parts(loaded.articles, timeline))
    assert stored._entries == {}  # every article's lines let go, before finish
    assert max(open_articles) < len(loaded.articles)
    stored.finish()
    cache.close()


def test_timeline_runs_split_the_entries_by_date_and_undated_record_in_order(tmp_path):
    write_archive(generate_corpus(30, seed=5), tmp_path / "archive")
    loaded = read_archive(tmp_path / "archive")
    timeline = build_timeline(loaded.articles)
    for entries in (timeline.dated, timeline.undated):
        runs = list(timeline_runs(entries))
        assert [entry for _, run in runs for entry in run] == list(entries)
        names = [name for name, _ in runs]
        assert len(set(names)) == len(names) > 1
        for (key, _), run in runs:
            assert all((date_key(e.date) or e.article.id) == key for e in run)


def _runs_one_entry_at_a_time(entries):
    """``timeline_runs`` as first written: a key per entry, longest stretches of one key."""
    runs, seen = [], {}
    for entry in entries:
        key = date_key(entry.date) or entry.article.id
        if runs and runs[-1][0] == key:
            runs[-1][1].append(entry)
        else:
            runs.append((key, [entry]))
    named = []
    for key, run in runs:
        seen[key] = seen.get(key, -1) + 1
        named.append(((key, seen[key]), run))
    return named


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [None, "2024", "2024-05", "2024-05-04", " 2024-05-04", "2024-05-04 ", "soon", ""]
            ),
            st.sampled_from(["a", "b", "c"]),
        ),
        max_size=30,
    )
)
def test_timeline_runs_are_the_longest_stretches_of_one_day_or_undated_record(items):
    """Taken by date as written, then joined and split: the same runs as a key per entry,
    whether dates written differently mean one day, or the same record comes back later."""
    records = {name: SimpleNamespace(id=name) for name in "abc"}
    entries = [SimpleNamespace(date=date, article=records[name]) for date, name in items]
    assert list(timeline_runs(entries)) == _runs_one_entry_at_a_time(entries)


def test_a_kept_timeline_run_is_reused_while_its_entries_are_the_same_objects(tmp_path):
    """``serve`` keeps each run's bytes: the next build re-encodes only runs whose entries
    changed, gives the plain encoding's bytes, and still counts the stored pieces as used."""
    cache, loaded, digests, timeline = cached_archive(tmp_path)
    kept = KeptPieces()
    first = StoredJson(cache, digests, kept)
    plain = b"".join(timeline_json_parts(loaded.articles, timeline))
    assert b"".join(timeline_json_parts(loaded.articles, timeline, first.timeline_run)) == plain
    first.finish()
    used = {key for key in first.used if key.startswith("timeline:")}
    assert used

    encoded: list[object] = []
    second = StoredJson(cache, digests, kept)

    def counted(name, entries):
        encoded.extend(entries)
        return second.timeline_run(name, entries)

    real_join = stored_json.timeline_run_json
    try:
        stored_json.timeline_run_json = lambda entries, encode=None: (
            encoded.append("made") or real_join(entries, encode)
        )
        again = b"".join(timeline_json_parts(loaded.articles, timeline, counted))
        assert "made" not in encoded  # every run the same objects: none made again
        changed = [dataclasses.replace(timeline.dated[0])]  # a new object for the first entry
        edited = dataclasses.replace(timeline, dated=(*changed, *timeline.dated[1:]))
        third_bytes = b"".join(timeline_json_parts(loaded.articles, edited, second.timeline_run))
        assert encoded.count("made") == 1
    finally:
        stored_json.timeline_run_json = real_join
    assert again == plain and third_bytes == plain
    assert used <= second.used
    second.finish()
    cache.close()


def _appearance_as_record(article: Article, entity_id: str) -> dict[str, Any]:
    """An item of an entity's "articles" in ``data/entities.json`` as plain data (the schema)."""
    mentions = [m for entity in article.entities if entity.id == entity_id for m in entity.mentions]
    return {
        "article": article.id,
        "slug": article.slug,
        "page": urls.article_path(article.slug),
        "mentions": [
            {"text": m.text, "paragraph": m.paragraph, "start": m.start, "end": m.end, "in": m.zone}
            for m in distinct_mentions(mentions)
        ],
    }


_TRICKY_TEXT = st.text(
    st.sampled_from(
        ['"', "\\", "/", "\n", "\t", "\x00", "\x1f", "\u2028", "é", "😀", "a", " ", "'"]
    ),
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(  # entities of one article: (id, mentions); ids repeat, as after alias merging
        st.tuples(
            st.sampled_from(["a", "b"]),
            st.lists(
                st.tuples(
                    _TRICKY_TEXT,
                    st.integers(0, 3),
                    st.integers(0, 2**40),
                    st.integers(0, 9),
                    st.sampled_from(list(Zone)),
                ),
                max_size=4,
            ),
        ),
        max_size=4,
    ),
    _TRICKY_TEXT,
)
def test_an_appearance_is_encoded_as_json_text_encodes_its_record(entities, slug_text):
    """``appearance_json`` writes the bytes out itself from the mentions the entity index
    located (no dict, no ``json.dumps``): the same bytes as the data files' JSON style gives
    the plain record of the article's mentions, for any text, in any zone, with an id shared
    by several entities and mentions repeated."""
    article = make_article(
        id=f"id-{slug_text}",
        slug=f"slug-{slug_text}",
        entities=tuple(
            Entity(
                entity_id,
                "Name",
                EntityType.PERSON,
                tuple(
                    Mention(text, p, start, start + width, zone)
                    for text, p, start, width, zone in mentions
                ),
            )
            for entity_id, mentions in entities
        ),
    )
    index = build_entity_index([article])
    assert set(index) == {entity_id for entity_id, _ in entities}
    for entity_id, merged in index.items():
        (appearance,) = merged.articles
        record = _appearance_as_record(article, entity_id)
        encoded, count = appearance_json(appearance)
        assert encoded == json_text(record).encode("utf-8")
        assert count == len(record["mentions"])


def test_a_records_timeline_lines_are_placed_by_its_entries_events():
    """``StoredJson`` finds an entry's line in its record's stored lines by the entry's
    event (``entry_events``), counting the publication first, as ``article_entries`` makes
    the entries."""
    from natowatch.corpus.index import article_entries, entry_events

    article = make_article()
    repeated = dataclasses.replace(article, events=(*article.events, article.events[0]))
    for record in (article, make_second_article(), repeated):
        entries = article_entries(record)
        assert [entry.event for entry in entries] == entry_events(record)
        assert [entry.date for entry in entries] == [
            record.published,
            *(event.date for event in record.events),
        ]
