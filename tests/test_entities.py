"""The entity finder on the seed articles (scored against the gold records) and on hand-made
articles in other outlets' styles, which show the rules are general rather than seed-tuned."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from natowatch.core.ids import entity_id
from natowatch.core.model import Entity, EntityType, Zone
from natowatch.understand.dictionary import Dictionary, load_dictionary
from natowatch.understand.entities import find_entities
from seed_gold import SEEDS, body_paragraphs, gold_articles


def _by_name(entities: tuple[Entity, ...]) -> dict[str, Entity]:
    return {entity.name: entity for entity in entities}


def _pairs(entities: tuple[Entity, ...]) -> set[tuple[str, str]]:
    return {(entity.name, entity.type.value) for entity in entities}


def _score(record: dict[str, Any], dictionary: Dictionary) -> tuple[float, float]:
    body = body_paragraphs(record)
    found = _pairs(find_entities(body, [], [], dictionary))
    gold = {(e["name"], e["type"]) for e in record["entities"] if not e.get("optional")}
    optional = {(e["name"], e["type"]) for e in record["entities"] if e.get("optional")}
    found -= optional
    hits = len(found & gold)
    return hits / len(found), hits / len(gold)


@pytest.fixture(scope="module")
def seed_dictionary() -> Dictionary:
    return load_dictionary(SEEDS / "entities.yml")


@pytest.mark.parametrize("index", [0, 1])
def test_seed_precision_and_recall_with_the_dictionary(
    index: int, seed_dictionary: Dictionary
) -> None:
    precision, recall = _score(gold_articles()[index], seed_dictionary)
    assert precision >= 0.95
    assert recall >= 0.95


@pytest.mark.parametrize("index", [0, 1])
def test_seed_precision_and_recall_without_a_dictionary(index: int) -> None:
    precision, recall = _score(gold_articles()[index], Dictionary.empty())
    assert precision >= 0.80
    assert recall >= 0.80


@pytest.mark.parametrize("index", [0, 1])
def test_mentions_point_at_their_text(index: int, seed_dictionary: Dictionary) -> None:
    record = gold_articles()[index]
    body = body_paragraphs(record)
    captions = [caption["text"] for caption in record["captions"]]
    comments = [comment["text"] for comment in record["comments"]]
    entities = find_entities(body, captions, comments, seed_dictionary)
    texts = {Zone.BODY: body, Zone.CAPTION: captions, Zone.COMMENT: comments}
    assert [entity.id for entity in entities] == sorted(entity.id for entity in entities)
    for entity in entities:
        assert entity.id == entity_id(entity.name)
        order = [(m.zone != Zone.BODY, m.zone, m.paragraph, m.start) for m in entity.mentions]
        assert order == sorted(order)
        for mention in entity.mentions:
            assert (
                texts[mention.zone][mention.paragraph][mention.start : mention.end] == mention.text
            )


def test_equal_mention_texts_of_a_record_are_one_string_before_and_after_pickling() -> None:
    """A record pickles each string object once: "NATO" said twenty times is stored once."""
    record = gold_articles()[0]
    entities = find_entities(body_paragraphs(record), [], [], Dictionary.empty())
    for found in (entities, pickle.loads(pickle.dumps(entities))):
        first_seen: dict[str, str] = {}
        mentions = [mention for entity in found for mention in entity.mentions]
        for mention in mentions:
            assert first_seen.setdefault(mention.text, mention.text) is mention.text
        assert len(first_seen) < len(mentions)


def test_surname_and_acronym_join_the_full_name() -> None:
    record = gold_articles()[0]
    entities = _by_name(find_entities(body_paragraphs(record), [], [], Dictionary.empty()))
    assert {m.text for m in entities["Benjamin Netanyahu"].mentions} == {
        "Benjamin Netanyahu",
        "Netanyahu",
    }
    nato = entities["North Atlantic Treaty Organization"]
    assert {m.text for m in nato.mentions} == {"North Atlantic Treaty Organization", "NATO"}
    # "NATO Mediterranean Dialogue" is NATO's dialogue, not an organisation of that name
    assert entities["Mediterranean Dialogue"].type is EntityType.ORG


def test_dictionary_aliases_and_facts(seed_dictionary: Dictionary) -> None:
    record = gold_articles()[1]
    entities = _by_name(find_entities(body_paragraphs(record), [], [], seed_dictionary))
    idf = entities["Israel Defense Forces"]
    assert {m.text for m in idf.mentions} == {"Israel Defence Force", "IDF"}
    assert entities["Aharon Leshno-Yaar"].mentions[0].text == "Roni Leshno Yaar"
    assert entities["Tel Aviv"].refers_to == "Government of Israel"
    assert entities["Islamic State"].wikidata == "Q2429253"


def test_captions_and_comments_keep_their_zone_and_index() -> None:
    entities = _by_name(
        find_entities(
            ["Officials met in Brussels."],
            ["NATO Secretary General Jens Stoltenberg at the White House."],
            ["Nice.", "Hopefully President Trump will pull the US out of NATO."],
            Dictionary.empty(),
        )
    )
    person = entities["Jens Stoltenberg"]
    assert [(m.zone, m.paragraph) for m in person.mentions] == [(Zone.CAPTION, 0)]
    assert [(m.zone, m.paragraph) for m in entities["Trump"].mentions] == [(Zone.COMMENT, 1)]
    assert entities["United States"].type is EntityType.GPE
    assert entities["White House"].type is EntityType.LOC
    assert "Hopefully" not in entities


# --- other outlets ---------------------------------------------------------------------------

WIRE = [
    "BRUSSELS (Reuters) - NATO allies on Tuesday agreed to send more air defence systems to "
    "Ukraine, Secretary-General Mark Rutte told reporters after a meeting of defence ministers "
    "in Brussels.",
    "Rutte said the alliance would also step up patrols in the Baltic Sea after damage to "
    "undersea cables in December 2024. Nato officials declined to comment.",
]

CHANCELLOR = [
    "WARSAW, March 3 (Reuters) - German Chancellor Olaf Scholz arrived in Warsaw on Monday for "
    "talks with Polish Prime Minister Donald Tusk about European defence spending.",
    "Scholz and Tusk also discussed the European Commission's plan to borrow up to 150 billion "
    "euros, a proposal backed by France and the Netherlands.",
    "Dr. Anna Kowalski of the University of Warsaw said Poland had spent 4% of GDP on defence.",
]

IAEA = [
    "The International Atomic Energy Agency (IAEA) said on Friday that Iran had enriched "
    "uranium to 60% purity. IAEA Director General Rafael Grossi is expected to visit Tehran.",
    "Grossi told the agency's Board of Governors in Vienna that inspectors had been denied "
    "access. Iranian officials said Tehran would respond.",
]


def test_wire_copy_dateline_and_agency() -> None:
    entities = _by_name(find_entities(WIRE, [], [], Dictionary.empty()))
    assert entities["Brussels"].type is EntityType.GPE
    assert [m.text for m in entities["Brussels"].mentions] == ["BRUSSELS", "Brussels"]
    assert entities["Reuters"].type is EntityType.ORG
    assert entities["Mark Rutte"].type is EntityType.PERSON
    assert {m.text for m in entities["Mark Rutte"].mentions} == {"Mark Rutte", "Rutte"}
    assert entities["Baltic Sea"].type is EntityType.LOC
    assert {m.text for m in entities["North Atlantic Treaty Organization"].mentions} == {
        "NATO",
        "Nato",
    }
    assert "Secretary-General Mark Rutte" not in entities


def test_chancellor_visits_warsaw() -> None:
    entities = _by_name(find_entities(CHANCELLOR, [], [], Dictionary.empty()))
    expected = {
        ("Olaf Scholz", EntityType.PERSON),
        ("Donald Tusk", EntityType.PERSON),
        ("Anna Kowalski", EntityType.PERSON),
        ("Warsaw", EntityType.GPE),
        ("Poland", EntityType.GPE),
        ("France", EntityType.GPE),
        ("Netherlands", EntityType.GPE),
        ("European Commission", EntityType.ORG),
        ("University of Warsaw", EntityType.ORG),
        ("Reuters", EntityType.ORG),
    }
    assert {(name, entity.type) for name, entity in entities.items()} == expected
    assert {m.text for m in entities["Olaf Scholz"].mentions} == {"Olaf Scholz", "Scholz"}


def test_acronym_spelled_out_by_another_agency() -> None:
    entities = _by_name(find_entities(IAEA, [], [], Dictionary.empty()))
    agency = entities["International Atomic Energy Agency"]
    assert [m.text for m in agency.mentions] == [
        "International Atomic Energy Agency",
        "IAEA",
        "IAEA",
    ]
    assert entities["Rafael Grossi"].type is EntityType.PERSON
    assert len(entities["Rafael Grossi"].mentions) == 2
    assert entities["Board of Governors"].type is EntityType.ORG
    assert entities["Tehran"].type is EntityType.GPE
    assert "Iranian" not in entities


def test_acronym_defined_in_the_text_without_any_list() -> None:
    text = ["The Baltic Defence College (BDC) opened in Tartu. BDC staff teach officers."]
    entities = _by_name(find_entities(text, [], [], Dictionary.empty()))
    college = entities["Baltic Defence College"]
    assert college.type is EntityType.ORG
    assert [m.text for m in college.mentions] == ["Baltic Defence College", "BDC", "BDC"]


@pytest.mark.parametrize(
    ("text", "not_names"),
    [
        ("Previously, officials said the talks failed.", {"Previously"}),
        ("Several countries objected. Later that day they agreed.", {"Several", "Later"}),
        ("This is important. It was signed on Thursday in May.", {"This", "It", "Thursday", "May"}),
        ("Turkish, Israeli and Arab diplomats met German officials.", {"Turkish", "Arab"}),
        ("We will never agree, I think. They know that.", {"We", "I", "They"}),
        ("Officials Say Talks With Rebels Are Failing Across The Region", {"Officials Say"}),
        ("THIS IS WHAT THEY DO NOT WANT YOU TO KNOW", {"THIS", "THEY", "KNOW"}),
        ("Monday and Tuesday were calm; January was not.", {"Monday", "Tuesday", "January"}),
    ],
)
def test_words_that_are_not_names(text: str, not_names: set[str]) -> None:
    entities = find_entities([text], [], [], Dictionary.empty())
    surfaces = {m.text for entity in entities for m in entity.mentions}
    assert not surfaces & not_names
    assert all(entity.type is not EntityType.PERSON for entity in entities)


def test_titles_are_stripped_from_people() -> None:
    text = [
        "Deputy Chief of Staff Major General Avi Cohen met Foreign Minister Maria Lopez and "
        "Ms. Julia Brandt. Cohen later spoke to reporters."
    ]
    entities = _by_name(find_entities(text, [], [], Dictionary.empty()))
    assert set(entities) == {"Avi Cohen", "Maria Lopez", "Julia Brandt"}
    assert all(entity.type is EntityType.PERSON for entity in entities.values())
    assert len(entities["Avi Cohen"].mentions) == 2


def test_ids_are_ascii_slugs() -> None:
    assert entity_id("Türkiye") == "turkiye"
    assert entity_id("Individual Cooperation Programme (NATO–Israel)") == (
        "individual-cooperation-programme-nato-israel"
    )
    assert entity_id("Kurdistan Workers' Party") == "kurdistan-workers-party"
    assert entity_id("Łódź") == "lodz"


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("The plan was agreed, Jan Kowalski told reporters in Warsaw.", "Jan Kowalski"),
        ("Theresa May met the chancellor in Berlin.", "Theresa May"),
    ],
)
def test_month_words_inside_names_stay_names(text: str, person: str) -> None:
    found = {(e.name, e.type) for e in find_entities([text], [], [], Dictionary.empty())}
    assert (person, EntityType.PERSON) in found


@pytest.mark.parametrize("text", ["In May Israel opened an office.", "On Jan 5 Poland signed."])
def test_month_words_before_dates_or_known_names_are_not_names(text: str) -> None:
    names = {e.name for e in find_entities([text], [], [], Dictionary.empty())}
    assert not any(name.startswith(("May", "Jan")) for name in names)
