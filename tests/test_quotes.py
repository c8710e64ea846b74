"""Direct quotes and their speakers: on the seed articles, and on hand-written paragraphs in other
outlets' layouts (wire copy, British single marks, straight quotes, run-on paragraphs), which show
the rules are general rather than seed-tuned."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from natowatch.archive.loader import load_archive
from natowatch.core.model import Article, Quote, Zone
from natowatch.understand.dictionary import Dictionary
from natowatch.understand.entities import find_entities
from natowatch.understand.quotes import find_quotes
from paths import SEEDS


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    return {Path(article.source_file).name[:3]: article for article in load_archive(SEEDS)}


def _quotes(*paragraphs: str) -> tuple[Quote, ...]:
    body = list(paragraphs)
    return find_quotes(body, find_entities(body, [], [], Dictionary.empty()))


def _pairs(quotes: Sequence[Quote]) -> list[tuple[str, str | None, str | None]]:
    return [(quote.text, quote.speaker, quote.speaker_id) for quote in quotes]


def _assert_located(body: Sequence[str], quotes: Sequence[Quote]) -> None:
    for quote in quotes:
        parts = quote.text.split("\n\n")
        assert parts[0] == body[quote.paragraph][quote.start : quote.end]
        assert len(parts) == len(quote.paragraphs)
        for index, part in zip(quote.paragraphs, parts, strict=True):
            assert part in body[index]
        assert quote.zone is Zone.BODY


# --- the seeds ---------------------------------------------------------------------------------


def test_seed_000_both_quote_paragraphs_are_netanyahus(seeds: dict[str, Article]) -> None:
    article = seeds["000"]
    quotes = article.quotes
    assert [quote.paragraph for quote in quotes] == [2, 3]
    assert quotes[0].text == "This is something we worked on for many years"
    assert quotes[0].speaker == "Netanyahu"
    assert quotes[1].text.startswith("I think this is important to Israel’s standing")
    assert quotes[1].text.endswith("and other reasons.")
    assert {quote.speaker_id for quote in quotes} == {"benjamin-netanyahu"}
    assert all(quote.paragraphs == (quote.paragraph,) for quote in quotes)
    _assert_located(article.body, quotes)


def test_seed_000_scare_quotes_are_not_quotes(seeds: dict[str, Article]) -> None:
    assert not any("big chill" in quote.text for quote in seeds["000"].quotes)


def test_seed_003_speaker_behind_a_parenthetical_clause(seeds: dict[str, Article]) -> None:
    article = seeds["003"]
    welcome = [quote for quote in article.quotes if quote.text.startswith("I welcome the NATO")]
    assert len(welcome) == 1
    quote = welcome[0]
    assert quote.speaker == "Prime Minister Benjamin Netanyahu"
    assert quote.speaker_id == "benjamin-netanyahu"
    assert quote.text.endswith("and our intelligence services.")
    _assert_located(article.body, article.quotes)


def test_seed_003_it_is_the_organisation_of_the_sentence_before(
    seeds: dict[str, Article],
) -> None:
    pledge = [quote for quote in seeds["003"].quotes if quote.text.startswith("safeguard")]
    assert [(quote.speaker, quote.speaker_id) for quote in pledge] == [
        ("It", "north-atlantic-treaty-organization")
    ]


def test_seed_quotes_are_in_the_json_record(seeds: dict[str, Article]) -> None:
    data = seeds["000"].to_dict()
    assert data["quotes"][0]["speaker_id"] == "benjamin-netanyahu"
    assert data["quotes"][0]["in"] == "body"


# --- other layouts -----------------------------------------------------------------------------


def test_wire_copy_told_reuters_and_a_pronoun() -> None:
    body = [
        "BRUSSELS (Reuters) - NATO Secretary General Anna Lindqvist said on Tuesday the alliance "
        "would not be intimidated.",
        '"We will defend every inch of allied territory," Lindqvist told Reuters in an interview.',
        '"The alliance has never been stronger," she said, adding that talks would continue.',
    ]
    quotes = _quotes(*body)
    assert _pairs(quotes) == [
        ("We will defend every inch of allied territory", "Lindqvist", "anna-lindqvist"),
        ("The alliance has never been stronger", "she", "anna-lindqvist"),
    ]
    _assert_located(body, quotes)


def test_said_on_tuesday_after_an_inverted_verb() -> None:
    quotes = _quotes('"We will not back down," said Colonel Ahmed Nasser on Tuesday.')
    assert _pairs(quotes) == [("We will not back down", "Colonel Ahmed Nasser", "ahmed-nasser")]


def test_said_in_a_statement_by_a_role_noun_stays_unresolved() -> None:
    quotes = _quotes(
        "Talks resumed on Monday in Vienna.",
        "“No decision has been taken,” the spokesman said in a statement.",
        "“We will see what happens next week,” a spokesman for the ministry told reporters.",
    )
    assert _pairs(quotes) == [
        ("No decision has been taken", "the spokesman", None),
        ("We will see what happens next week", "a spokesman for the ministry", None),
    ]


def test_quote_before_and_after_the_attribution() -> None:
    body = [
        "“We are ready,” said Foreign Minister Jan Kowalski, “and we will act if we have to.”",
        "Kowalski said: “Our patience has limits.”",
    ]
    quotes = _quotes(*body)
    assert _pairs(quotes) == [
        ("We are ready", "Foreign Minister Jan Kowalski", "jan-kowalski"),
        ("and we will act if we have to.", "Foreign Minister Jan Kowalski", "jan-kowalski"),
        ("Our patience has limits.", "Kowalski", "jan-kowalski"),
    ]
    _assert_located(body, quotes)


def test_a_second_quote_after_the_attribution_sentence_keeps_the_speaker() -> None:
    quotes = _quotes(
        "“The High North is not a quiet backwater any more,” Defence Secretary Ruth Amos said. "
        "“What happens under the sea matters to every household.” Talks with the “Nordic five” "
        "resume in May."
    )
    assert _pairs(quotes) == [
        (
            "The High North is not a quiet backwater any more",
            "Defence Secretary Ruth Amos",
            "ruth-amos",
        ),
        (
            "What happens under the sea matters to every household.",
            "Defence Secretary Ruth Amos",
            "ruth-amos",
        ),
    ]


def test_abbreviated_titles_and_a_unit_after_the_name() -> None:
    quotes = _quotes(
        '"We want to know how it performs in European weather," Brig. Gen. Daniel Ortiz told '
        "reporters at a briefing in Washington.",
        '"Nowhere else do we train in conditions like these," said Lieutenant Colonel Erik Lind '
        "of the Swedish army.",
    )
    assert [(quote.speaker, quote.speaker_id) for quote in quotes] == [
        ("Brig. Gen. Daniel Ortiz", "daniel-ortiz"),
        ("Lieutenant Colonel Erik Lind of the Swedish army", "erik-lind"),
    ]


def test_an_aide_is_not_the_person_named_as_owner() -> None:
    quotes = _quotes(
        "Anna Lindqvist flew to Riga.",
        "“The visit is going ahead as planned,” Karl Berg’s spokesman said.",
    )
    assert _pairs(quotes) == [
        ("The visit is going ahead as planned", "Karl Berg’s spokesman", None)
    ]


def test_according_to_and_told_with_a_colon() -> None:
    quotes = _quotes(
        "According to officials, “the decision was taken at the highest level of government.”",
        'Mayor Tom Reyes, 54, told the council: "The bridge will reopen in May."',
    )
    assert _pairs(quotes) == [
        ("the decision was taken at the highest level of government.", "officials", None),
        ("The bridge will reopen in May.", "Mayor Tom Reyes", "tom-reyes"),
    ]


def test_a_speaker_separated_from_the_verb_by_a_clause() -> None:
    quotes = _quotes(
        "Interior Minister Paul Duval, speaking to reporters in Paris, said, "
        '"The border will remain open to all citizens."'
    )
    assert _pairs(quotes) == [
        (
            "The border will remain open to all citizens.",
            "Interior Minister Paul Duval",
            "paul-duval",
        )
    ]


def test_multi_paragraph_quote_with_the_closing_mark_omitted() -> None:
    body = [
        "Defence Secretary Mark Ellis told the committee: “We face the most serious threat in a "
        "generation. Our forces are stretched.",
        "“But we will meet every commitment we have made to our allies.”",
        "The committee will report in June.",
    ]
    quotes = _quotes(*body)
    assert len(quotes) == 1
    quote = quotes[0]
    assert quote.text == (
        "We face the most serious threat in a generation. Our forces are stretched."
        "\n\nBut we will meet every commitment we have made to our allies."
    )
    assert (quote.paragraph, quote.paragraphs) == (0, (0, 1))
    assert (quote.speaker, quote.speaker_id) == ("Defence Secretary Mark Ellis", "mark-ellis")
    _assert_located(body, quotes)


def test_run_on_quote_attributed_in_its_second_paragraph() -> None:
    body = [
        '"We face a long winter. The alliance is ready.',
        '"Every member will do its part," Anna Lindqvist said.',
    ]
    quotes = _quotes(*body)
    assert len(quotes) == 1
    assert quotes[0].paragraphs == (0, 1)
    assert (quotes[0].speaker, quotes[0].speaker_id) == ("Anna Lindqvist", "anna-lindqvist")


def test_a_new_quote_paragraph_continues_the_previous_speaker() -> None:
    body = [
        "“We worked on this for many years,” Duval said.",
        "“It is a great day for the country and its people.”",
        "Paul Duval is the interior minister.",
    ]
    quotes = _quotes(*body)
    assert [(quote.paragraph, quote.speaker, quote.speaker_id) for quote in quotes] == [
        (0, "Duval", "paul-duval"),
        (1, "Duval", "paul-duval"),
    ]


def test_an_unattributed_quote_paragraph_after_narration_has_no_speaker() -> None:
    quotes = _quotes(
        "Anna Lindqvist arrived in Riga on Monday.",
        "“Nobody expected the decision to come so soon.”",
    )
    assert _pairs(quotes) == [("Nobody expected the decision to come so soon.", None, None)]


def test_nested_single_quotes_stay_inside_the_quote() -> None:
    quotes = _quotes(
        "“When they told me the plan was ‘under review’ I knew it was dead,” said Maria Lopez, "
        "a senior diplomat."
    )
    assert _pairs(quotes) == [
        (
            "When they told me the plan was ‘under review’ I knew it was dead",
            "Maria Lopez",
            "maria-lopez",
        )
    ]


def test_british_single_quotes_with_a_speech_verb() -> None:
    body = [
        "Sir John Hart said: ‘We have heard these promises before and they came to nothing.",
        "‘This time we expect action, not words,’ he added.",
        "The ambassador’s staff said the talks were ‘going well’.",
    ]
    quotes = _quotes(*body)
    assert len(quotes) == 1
    assert quotes[0].paragraphs == (0, 1)
    assert quotes[0].text.endswith("\n\nThis time we expect action, not words")
    assert (quotes[0].speaker, quotes[0].speaker_id) == ("Sir John Hart", "john-hart")
    _assert_located(body, quotes)


def test_pronoun_is_the_subject_not_a_name_inside_the_quote() -> None:
    quotes = _quotes(
        "President Elena Marsh met Chancellor Otto Brandt in Berlin.",
        "“I told Brandt that we are with him all the way,” she said after the meeting.",
    )
    assert _pairs(quotes) == [
        ("I told Brandt that we are with him all the way", "she", "elena-marsh")
    ]


def test_participle_and_and_attribute_to_the_sentence_subject() -> None:
    quotes = _quotes(
        "Kristin Dahl welcomed the decision, saying: “This is a good day for Europe.”",
        'The NATO chief warned that Russia "will pay a heavy price" for any attack, and added: '
        '"We are ready for anything."',
    )
    assert _pairs(quotes) == [
        ("This is a good day for Europe.", "Kristin Dahl", "kristin-dahl"),
        ("will pay a heavy price", "The NATO chief", None),
        ("We are ready for anything.", "The NATO chief", None),
    ]


def test_question_mark_before_the_attribution() -> None:
    quotes = _quotes("“Are we ready?” General Lisa Wong asked. “Yes, we are ready for anything.”")
    assert _pairs(quotes)[0] == ("Are we ready?", "General Lisa Wong", "lisa-wong")


def test_a_closed_sentence_is_not_attributed_to_the_next_sentence() -> None:
    quotes = _quotes(
        "Anna Lindqvist spoke first.",
        "“We are done here.” Karl Berg said the talks would resume in May.",
    )
    assert _pairs(quotes) == [("We are done here.", None, None)]


@pytest.mark.parametrize(
    "paragraph",
    [
        "Critics call the plan a “paper tiger” and the summit a ‘talking shop’.",
        'The so-called "Article 5 moment" has not come, and the members’ mood is ‘wait and see’.',
        "The documentary “The Long Road to Brussels and Back” aired on Sunday.",
        "It signals a warming of the ‘big chill’ between the two capitals since 2010.",
        "Rock 'n' roll came to the Baltic states in the '60s, long before the Soviet collapse.",
    ],
)
def test_scare_quotes_and_titles_are_not_quotes(paragraph: str) -> None:
    assert _quotes("Anna Lindqvist arrived in Riga on Monday.", paragraph) == ()


def test_straight_quotes_with_a_colon_and_an_unclosed_paragraph() -> None:
    body = [
        'Anna Lindqvist said: "We face a long winter. The alliance is ready.',
        '"Every member will do its part," she said.',
        'Karl Berg, the Norwegian envoy, said: "We agree."',
    ]
    quotes = _quotes(*body)
    assert _pairs(quotes) == [
        (
            "We face a long winter. The alliance is ready.\n\nEvery member will do its part",
            "Anna Lindqvist",
            "anna-lindqvist",
        ),
        ("We agree.", "Karl Berg", "karl-berg"),
    ]
    _assert_located(body, quotes)


def test_no_quotes_and_no_entities() -> None:
    assert find_quotes([], []) == ()
    assert find_quotes(["Nothing was said.", ""], []) == ()


def test_quotes_are_sorted_and_cover_every_long_body() -> None:
    paragraph = '"We will win this argument," Anna Lindqvist said. ' * 50
    body = [paragraph] * 20
    quotes = _quotes(*body)
    assert len(quotes) == 1000
    assert [(q.paragraph, q.start) for q in quotes] == sorted(
        (q.paragraph, q.start) for q in quotes
    )
    assert {quote.speaker_id for quote in quotes} == {"anna-lindqvist"}
