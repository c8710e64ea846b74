"""Cross-article coverage: related articles, story threads and statements reported twice."""

from __future__ import annotations

import dataclasses
import json
import random
import re
import time

import pytest

from changes import write_story
from natowatch.archive.loader import load_archive, read_archive
from natowatch.core.jsonfile import json_bytes
from natowatch.core.model import Article, Entity, EntityType, HeadlineSource, Quote
from natowatch.corpus import coverage as coverage_module
from natowatch.corpus.coverage import RELATED_LIMIT, build_coverage, coverage_data, coverage_json
from natowatch.corpus.kept import KeptIndexes
from natowatch.corpus.quote_links import MIN_SHARED_STEMS, QuoteRef, containment, link_quotes
from natowatch.corpus.similar import MAX_POSTINGS, SIGNATURE_SIZE
from natowatch.corpus.threads import THREAD_SIMILARITY
from natowatch.language.stems import content_stems, stem
from natowatch.understand.aliases import resolve_aliases
from natowatch.understand.words import word_keys
from paths import SEEDS
from site_factory import make_article, quote

FIRST_SEED = "000_643e925b5d599b63"
SECOND_SEED = "003_204e1f5f7911c1bf"
NETANYAHU = "benjamin-netanyahu"
# The statement both seed outlets report, as each printed it (paragraph 4 of 000, 7 of 003).
SEED_QUOTE_JEWISH_PRESS = (
    "I think this is important to Israel’s standing in the world. The countries of the world "
    "want to cooperate with us because of our determined struggle against terrorism, because of "
    "our technological knowledge, our intelligence deployment and other reasons."
)
SEED_QUOTE_IBTIMES = (
    "I welcome the NATO statement inviting the State of Israel to open an office at the "
    "organization's headquarters. This is a goal that we have worked on for many years. I "
    "announce that Israel will accept the invitation; we will open an office soon. I think that "
    "this is also an important expression of Israel's standing in the world. The countries of "
    "the world are looking to cooperate with us due to, inter alia, our determined fight against "
    "terrorism, our technological know-how and our intelligence services."
)
SEED_SHORT_QUOTE = "This is something we worked on for many years"


def seeds_with_hand_built_quotes() -> list[Article]:
    """The seed archive with the quotes copied from the seed text (as quotes.py will find them)."""
    articles = {article.id: article for article in load_archive(SEEDS)}
    first, second = articles[FIRST_SEED], articles[SECOND_SEED]
    first = dataclasses.replace(
        first,
        quotes=(
            quote(first.body[2], SEED_SHORT_QUOTE, 2, "Netanyahu", NETANYAHU),
            quote(first.body[3], SEED_QUOTE_JEWISH_PRESS, 3, "Netanyahu", NETANYAHU),
        ),
    )
    second = dataclasses.replace(
        second,
        quotes=(quote(second.body[6], SEED_QUOTE_IBTIMES, 6, "Benjamin Netanyahu", NETANYAHU),),
    )
    return resolve_aliases([first, second])


# --- stems ---------------------------------------------------------------------------------


def test_stems_meet_across_word_forms() -> None:
    assert stem("determined") == stem("determine")
    assert stem("cooperating") == stem("cooperate") == stem("cooperation")
    assert stem("countries") == stem("country")
    assert stem("services") == stem("service")
    assert stem("stopped") == stem("stop")
    assert stem("pass") == "pass" and stem("crisis") == "crisis"


def test_content_stems_drop_function_words_and_possessives() -> None:
    assert content_stems("The countries of the world want to cooperate with us") == [
        "country",
        "world",
        "want",
        "cooperat",
    ]
    assert content_stems("Israel’s standing") == content_stems("Israel's standing")


# --- the seeds -------------------------------------------------------------------------------


def test_seed_articles_form_one_thread_and_list_each_other_as_related() -> None:
    coverage = build_coverage(seeds_with_hand_built_quotes())
    assert [thread.articles for thread in coverage.threads] == [(FIRST_SEED, SECOND_SEED)]
    assert coverage.threads[0].id == f"thread-{FIRST_SEED}"  # dated 000 first, undated 003 last
    assert [item.article_id for item in coverage.related[FIRST_SEED]] == [SECOND_SEED]
    assert [item.article_id for item in coverage.related[SECOND_SEED]] == [FIRST_SEED]
    shared = coverage.related[FIRST_SEED][0].shared_entities
    assert {"israel", "north-atlantic-treaty-organization", NETANYAHU} <= set(shared)


def test_seed_threads_do_not_need_the_quotes() -> None:
    bare = [dataclasses.replace(article, quotes=()) for article in load_archive(SEEDS)]
    coverage = build_coverage(bare)
    assert [thread.articles for thread in coverage.threads] == [(FIRST_SEED, SECOND_SEED)]
    (pair_score,) = {item.score for item in coverage.related[FIRST_SEED]}
    assert pair_score >= THREAD_SIMILARITY


def test_seed_statement_reported_by_both_outlets_is_linked() -> None:
    coverage = build_coverage(seeds_with_hand_built_quotes())
    assert coverage.quote_links == {
        QuoteRef(FIRST_SEED, 1): coverage.quote_links[(FIRST_SEED, 1)],
        QuoteRef(SECOND_SEED, 0): coverage.quote_links[(SECOND_SEED, 0)],
    }
    (match,) = coverage.quote_links[(FIRST_SEED, 1)]
    assert match.other == (SECOND_SEED, 0)
    assert match.score >= 0.6
    (back,) = coverage.quote_links[(SECOND_SEED, 0)]
    assert back.other == (FIRST_SEED, 1)
    # The short opening remark shares too few content words to be linked.
    assert (FIRST_SEED, 0) not in coverage.quote_links


def test_seed_quotes_found_by_the_loader_are_linked() -> None:
    articles = resolve_aliases(load_archive(SEEDS))
    if not any(article.quotes for article in articles):
        pytest.skip("the loader does not extract quotes yet")
    coverage = build_coverage(articles)
    linked = {
        (ref.article_id, match.other.article_id)
        for ref, matches in coverage.quote_links.items()
        for match in matches
    }
    assert (FIRST_SEED, SECOND_SEED) in linked and (SECOND_SEED, FIRST_SEED) in linked


# --- hand-made articles ----------------------------------------------------------------------


def story(
    article_id: str,
    headline: str,
    body: tuple[str, ...],
    entity_names: tuple[tuple[str, EntityType], ...],
    published: str | None = "2020-01-01",
    quotes: tuple[Quote, ...] = (),
) -> Article:
    entities = tuple(
        Entity(name.lower().replace(" ", "-"), name, entity_type)
        for name, entity_type in entity_names
    )
    return make_article(
        id=article_id,
        slug=article_id,
        headline=headline,
        headline_source=HeadlineSource.METADATA,
        published=published,
        body=body,
        images=(),
        sections=(),
        comments=(),
        entities=entities,
        events=(),
        quotes=quotes,
    )


SUMMIT = (("Madrid", EntityType.GPE), ("Finland", EntityType.GPE), ("Sweden", EntityType.GPE))
FLOODS = (("Valencia", EntityType.GPE), ("Red Cross", EntityType.ORG))


def three_stories() -> list[Article]:
    return [
        story(
            "b_summit_two",
            "Finland and Sweden invited to join alliance at Madrid summit",
            (
                "Leaders at the Madrid summit invited Finland and Sweden to join the alliance.",
                "The accession protocols will be signed next week, diplomats said.",
            ),
            SUMMIT,
            published="2022-06-29",
        ),
        story(
            "a_summit_one",
            "Madrid summit: alliance invites Finland and Sweden",
            (
                "The alliance invited Finland and Sweden at its Madrid summit on Wednesday.",
                "Accession protocols for both countries follow next week.",
            ),
            SUMMIT,
            published=None,
        ),
        story(
            "c_floods",
            "Floods in Valencia leave thousands homeless",
            (
                "Heavy rain flooded Valencia, and the Red Cross opened shelters for thousands.",
                "Rescue teams searched cars swept away by the water.",
            ),
            FLOODS,
            published="2022-06-30",
        ),
    ]


def test_same_story_is_threaded_in_date_order_and_other_stories_are_not() -> None:
    coverage = build_coverage(three_stories())
    (thread,) = coverage.threads
    assert thread.articles == ("b_summit_two", "a_summit_one")  # undated last
    assert thread.id == "thread-b_summit_two"
    assert coverage.thread_of["a_summit_one"] is thread
    assert "c_floods" not in coverage.thread_of
    assert coverage.related["a_summit_one"][0].article_id == "b_summit_two"


def test_related_are_ranked_capped_and_positive() -> None:
    articles = [
        story(
            f"s{number:02d}",
            f"Madrid summit report {number}",
            ("Leaders met at the Madrid summit.", f"Detail {number} of the summit talks."),
            SUMMIT,
        )
        for number in range(RELATED_LIMIT + 3)
    ]
    articles.append(story("lonely", "Unrelated floods", ("Rain fell in Valencia.",), FLOODS))
    coverage = build_coverage(articles)
    for article in articles:
        related = coverage.related[article.id]
        assert len(related) <= RELATED_LIMIT
        assert all(item.score > 0 for item in related)
        keys = [(-item.score, item.article_id) for item in related]
        assert keys == sorted(keys)
        assert article.id not in {item.article_id for item in related}
    assert coverage.related["lonely"] == ()


def test_coverage_is_deterministic_and_independent_of_input_order() -> None:
    articles = three_stories() + seeds_with_hand_built_quotes()
    first = coverage_json(build_coverage(articles))
    again = coverage_json(build_coverage(list(reversed(articles))))
    assert first == again
    data = json.loads(first)
    assert list(data) == ["quote_links", "related", "threads"]
    assert list(data["related"]) == sorted(data["related"])
    assert first.endswith(b"}\n")


def test_coverage_json_is_the_encoding_of_its_data_and_kept_pieces_are_reused() -> None:
    """The file is joined from a piece per related list and per quote's links; ``serve``
    keeps the pieces by the very lists they encode, and a changed list is encoded again."""
    articles = three_stories() + seeds_with_hand_built_quotes()
    coverage = build_coverage(articles)
    plain = json_bytes(coverage_data(coverage))
    assert coverage_json(coverage) == plain
    kept = KeptIndexes()
    assert coverage_json(coverage, kept) == plain
    some_id = next(article_id for article_id, items in coverage.related.items() if items)
    first = coverage.related[some_id][0]
    changed = (dataclasses.replace(first, score=first.score / 2), *coverage.related[some_id][1:])
    edited = dataclasses.replace(coverage, related={**coverage.related, some_id: changed})
    made: list[str] = []
    real = coverage_module._related_piece
    try:
        coverage_module._related_piece = lambda article_id, items: (
            made.append(article_id) or real(article_id, items)
        )
        again = coverage_json(edited, kept)
    finally:
        coverage_module._related_piece = real
    assert made == [some_id]  # the others reused
    assert again == json_bytes(coverage_data(edited)) != plain
    assert coverage_json(build_coverage([])) == json_bytes(coverage_data(build_coverage([])))


def test_word_counts_computed_by_the_loader_give_the_same_coverage() -> None:
    articles = three_stories() + seeds_with_hand_built_quotes()
    words = {article.id: word_keys(article) for article in articles}
    assert build_coverage(articles, words) == build_coverage(articles)
    loaded = read_archive(SEEDS)
    assert set(loaded.words) == {article.id for article in loaded.articles}
    assert all(loaded.words[article.id] == word_keys(article) for article in loaded.articles)


# --- quote links -----------------------------------------------------------------------------

STATEMENT = (
    "We will strengthen our defences on the eastern flank and deploy more troops to the region."
)
PARAPHRASE = (
    "We are going to strengthen defences on our eastern flank, deploying additional troops there."
)


def quoted(
    article_id: str, text: str, speaker_id: str | None, published: str = "2020-01-01"
) -> Article:
    body = (f"“{text}” the minister said.",)
    return story(
        article_id,
        f"Headline {article_id}",
        body,
        (),
        published=published,
        quotes=(quote(body[0], text, 0, "the minister", speaker_id),),
    )


def test_paraphrases_by_the_same_speaker_are_linked() -> None:
    links = link_quotes([quoted("a", STATEMENT, "anna-berg"), quoted("b", PARAPHRASE, "anna-berg")])
    assert [(ref, [m.other for m in matches]) for ref, matches in links.links.items()] == [
        (("a", 0), [("b", 0)]),
        (("b", 0), [("a", 0)]),
    ]


def test_other_speakers_unresolved_speakers_and_the_same_article_are_not_linked() -> None:
    assert not link_quotes(
        [quoted("a", STATEMENT, "anna-berg"), quoted("b", PARAPHRASE, "carl-dahl")]
    ).links
    assert not link_quotes([quoted("a", STATEMENT, None), quoted("b", PARAPHRASE, None)]).links
    twice = quoted("a", STATEMENT, "anna-berg")
    twice = dataclasses.replace(twice, quotes=twice.quotes * 2)
    assert not link_quotes([twice]).links


def test_short_or_different_statements_are_not_linked() -> None:
    assert containment(frozenset({"win", "war"}), frozenset({"win", "war", "soon"})) is None
    assert MIN_SHARED_STEMS > 2
    other = "The budget for schools and hospitals will rise next year, the eastern regions first."
    assert not link_quotes(
        [quoted("a", STATEMENT, "anna-berg"), quoted("b", other, "anna-berg")]
    ).links


# --- complexity guard ------------------------------------------------------------------------

COMMON_WORDS = "alliance defence minister government security military officials talks".split()


def letters(number: int) -> str:
    """A number spelled in letters ("ba", "bb", ...), since stems skip words with digits."""
    text = ""
    while True:
        number, digit = divmod(number, 26)
        text = chr(ord("a") + digit) + text
        if not number:
            return "b" + text


def synthetic_archive(size: int, per_story: int = 4) -> list[Article]:
    """``size`` small articles: stories of ``per_story`` articles sharing names and words,
    words every article uses, and filler drawn from a vocabulary that grows with the archive."""
    chooser = random.Random(size)
    filler = [f"fill{letters(number)}" for number in range(size * 5)]
    articles = []
    for number in range(size):
        topic = number // per_story
        tag = letters(topic)
        names = ((f"Person Story{tag}", EntityType.PERSON), (f"Town{tag}", EntityType.GPE))
        words = " ".join(f"topic{tag}x{letters(k)}" for k in range(6))
        noise = " ".join(chooser.sample(filler, 8))
        common = " ".join(chooser.sample(COMMON_WORDS, 4))
        speaker = f"person-story{tag}"
        text = f"We promise {words} for everyone in the town."
        body = (f"{words} {common}.", f"{noise}.", f"“{text}” she said.")
        articles.append(
            story(
                f"{number:05d}",
                f"Story {tag} headline {words}",
                body,
                names,
                published=f"2020-{1 + topic % 12:02d}-{1 + number % 28:02d}",
                quotes=(quote(body[2], text, 2, "she", speaker),),
            )
        )
    return articles


def test_index_work_grows_linearly_with_the_archive() -> None:
    examined = {}
    for size in (500, 1000, 2000):
        articles = synthetic_archive(size)
        started = time.perf_counter()
        coverage = build_coverage(articles)
        elapsed = time.perf_counter() - started
        examined[size] = coverage.pairs_examined
        assert coverage.pairs_examined <= size * SIGNATURE_SIZE * MAX_POSTINGS
        assert len(coverage.threads) == size // 4
        assert all(len(thread.articles) == 4 for thread in coverage.threads)
        assert len(coverage.quote_links) == size
        assert coverage.quote_pairs_examined <= size * 20
        assert elapsed < 30  # a generous ceiling; the counters above are the real guard
    # Doubling the archive about doubles the work (all pairs would quadruple it).
    assert examined[2000] <= 2.3 * examined[1000] <= 2.3 * 2.3 * examined[500]
    assert examined[2000] / 2000 < 50


def test_a_long_story_thread_shows_a_bounded_window_on_each_page(tmp_path):
    from html_check import parse
    from natowatch.publish.render import render_site

    write_story(tmp_path / "story", 30)
    site = render_site(load_archive(tmp_path / "story"))
    pages = [parse(data) for path, data in site.items() if path.startswith("articles/")]
    threads = [page for page in pages if "Story thread" in page.texts("h2")]
    assert threads, "the thirty updates form a story thread"
    for page in threads:
        items = [a for a in page.all("ol") if a.get("class") == "thread-list"]
        assert len(items) == 1
        assert page.text.count("(this article)") == 1
        text = " ".join(page.text.split())
        assert "30 articles on the same story" in text
        shown = re.search(r"showing the (\d+) nearest", text)
        assert shown and 6 <= int(shown.group(1)) <= 11, text
    sizes = [len(data) for path, data in site.items() if path.startswith("articles/")]
    assert max(sizes) < 3 * min(sizes), "thread lists do not grow with the thread"


@pytest.mark.parametrize("counted", [20, 100])
def test_a_thread_too_long_to_count_changes_only_the_pages_near_an_addition(
    tmp_path, monkeypatch, counted
):
    """A thread of more than ``THREAD_COUNTED`` articles is not counted: an article joining
    it changes the pages whose window it enters, not every member's (a count and positions
    would: ``counted=100`` here, where the thread of 30 and 31 is counted)."""
    from html_check import parse
    from natowatch.publish import coverage_views
    from natowatch.publish.render import render_site

    monkeypatch.setattr(coverage_views, "THREAD_COUNTED", counted)
    write_story(tmp_path / "story", 30)
    before = render_site(load_archive(tmp_path / "story"))
    write_story(tmp_path / "story", 31)  # one more update, the newest
    after = render_site(load_archive(tmp_path / "story"))
    articles = sorted(path for path in before if path.startswith("articles/"))
    changed = [path for path in articles if before[path] != after[path]]
    if counted == 100:
        assert len(changed) == 30  # "31 articles on the same story" on every page
        return
    assert 0 < len(changed) <= coverage_views.THREAD_WINDOW + 1  # the newest few only
    for path in articles:
        page = parse(after[path])
        text = " ".join(page.text.split())
        assert "Part of a long story thread, of more than 20 articles" in text, path
        assert "articles on the same story" not in text
        [listing] = [a for a in page.all("ol") if a.get("class") == "thread-list"]
        assert listing.get("start") is None


def test_signatures_are_the_tf_idf_formula_exactly(tmp_path):
    """The weights are computed with each factor once per key; they must be the very floats
    (and the same keys, in the same order) of the formula written out per article and key."""
    import math

    from benchmarks.generate import generate_corpus, write_archive

    from natowatch.corpus import similar

    write_archive(generate_corpus(60, seed=4), tmp_path / "archive")
    articles = load_archive(tmp_path / "archive")
    counts = {article.id: similar.article_keys(article) for article in articles}
    frequency: dict[str, int] = {}
    for keys in counts.values():
        for key in keys:
            frequency[key] = frequency.get(key, 0) + 1
    expected = {}
    for article_id in sorted(counts):
        weights = {
            key: (1.0 + math.log(count))
            * math.log(1.0 + len(counts) / frequency[key])
            * (similar.ENTITY_WEIGHT if key.startswith(similar.ENTITY_PREFIX) else 1.0)
            for key, count in counts[article_id].items()
        }
        top = sorted(weights, key=lambda key: (-weights[key], key))[: similar.SIGNATURE_SIZE]
        expected[article_id] = {key: weights[key] for key in sorted(top)}
    found = similar.signatures(articles)
    assert found == expected
    assert [list(found[key].items()) for key in found] == [
        list(expected[key].items()) for key in expected
    ]
