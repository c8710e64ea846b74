"""Cross-article alias resolution: short forms join the archive's one matching full name."""

from __future__ import annotations

from natowatch.core.model import Article, Entity, EntityType, Event, Mention
from natowatch.understand.aliases import KeptRenames, find_renames, resolve_aliases
from site_factory import make_article, mention, quote

FULL_BODY = (
    "Secretary General Jens Stoltenberg met soldiers of the Israel Defense Forces (IDF) today.",
    "The North Atlantic Treaty Organization opened the meeting.",
)
SHORT_BODY = (
    "Stoltenberg said the IDF would take part.",
    "“We will train together and share what we learn,” Stoltenberg said.",
    "NATO confirmed the exercise.",
)


def _entity(
    entity_id: str, name: str, entity_type: EntityType, *mentions: Mention, **extra: str
) -> Entity:
    return Entity(entity_id, name, entity_type, tuple(mentions), **extra)


def full_article(**overrides: object) -> Article:
    entities = (
        _entity(
            "jens-stoltenberg",
            "Jens Stoltenberg",
            EntityType.PERSON,
            mention(FULL_BODY[0], "Jens Stoltenberg", 0),
        ),
        _entity(
            "israel-defense-forces",
            "Israel Defense Forces",
            EntityType.ORG,
            mention(FULL_BODY[0], "Israel Defense Forces", 0),
            mention(FULL_BODY[0], "IDF", 0),
        ),
        _entity(
            "north-atlantic-treaty-organization",
            "North Atlantic Treaty Organization",
            EntityType.ORG,
            mention(FULL_BODY[1], "North Atlantic Treaty Organization", 1),
        ),
    )
    fields: dict[str, object] = {
        "id": "001_full",
        "slug": "full",
        "body": FULL_BODY,
        "entities": entities,
        "events": (),
        "quotes": (),
        "sections": (),
    }
    fields.update(overrides)
    return make_article(**fields)


def short_article(**overrides: object) -> Article:
    entities = (
        _entity(
            "idf",
            "IDF",
            EntityType.ORG,
            mention(SHORT_BODY[0], "IDF", 0),
        ),
        _entity(
            "nato",
            "NATO",
            EntityType.ORG,
            mention(SHORT_BODY[2], "NATO", 2),
        ),
        _entity(
            "stoltenberg",
            "Stoltenberg",
            EntityType.PERSON,
            mention(SHORT_BODY[0], "Stoltenberg", 0),
            mention(SHORT_BODY[1], "Stoltenberg", 1),
        ),
    )
    event = Event(
        date="2016-05-04",
        precision="day",
        expression="today",
        sentence=SHORT_BODY[0],
        paragraph=0,
        entities=("idf", "stoltenberg"),
    )
    said = quote(
        SHORT_BODY[1],
        "We will train together and share what we learn,",
        1,
        "Stoltenberg",
        "stoltenberg",
    )
    fields: dict[str, object] = {
        "id": "002_short",
        "slug": "short",
        "body": SHORT_BODY,
        "entities": entities,
        "events": (event,),
        "quotes": (said,),
        "sections": (),
    }
    fields.update(overrides)
    return make_article(**fields)


def test_surname_and_acronyms_take_the_full_names_of_another_article() -> None:
    full, short = resolve_aliases([full_article(), short_article()])
    assert full == full_article()  # nothing to rename in the article with the full names
    assert [(e.id, e.name) for e in short.entities] == [
        ("israel-defense-forces", "Israel Defense Forces"),  # the mention "IDF" elsewhere
        ("jens-stoltenberg", "Jens Stoltenberg"),
        ("north-atlantic-treaty-organization", "North Atlantic Treaty Organization"),  # initials
    ]
    person = short.entities[1]
    assert [m.text for m in person.mentions] == ["Stoltenberg", "Stoltenberg"]  # kept as written


def test_events_and_quote_speakers_follow_the_renames() -> None:
    _, short = resolve_aliases([full_article(), short_article()])
    assert short.events[0].entities == ("israel-defense-forces", "jens-stoltenberg")
    assert short.quotes[0].speaker_id == "jens-stoltenberg"
    assert short.quotes[0].speaker == "Stoltenberg"  # as written


def test_duplicates_within_an_article_are_merged_with_mentions_sorted() -> None:
    body = ("Jens Stoltenberg arrived.", "Later Stoltenberg spoke.")
    both = short_article(
        id="003_both",
        body=body,
        entities=(
            _entity(
                "stoltenberg", "Stoltenberg", EntityType.PERSON, mention(body[1], "Stoltenberg", 1)
            ),
            _entity(
                "jens-stoltenberg",
                "Jens Stoltenberg",
                EntityType.PERSON,
                mention(body[0], "Jens Stoltenberg", 0),
                description="NATO Secretary General",
            ),
        ),
        events=(),
        quotes=(),
    )
    (merged_article,) = [a for a in resolve_aliases([full_article(), both]) if a.id == "003_both"]
    (merged,) = merged_article.entities
    assert merged.id == "jens-stoltenberg" and merged.name == "Jens Stoltenberg"
    assert [(m.paragraph, m.text) for m in merged.mentions] == [
        (0, "Jens Stoltenberg"),
        (1, "Stoltenberg"),
    ]
    assert merged.description == "NATO Secretary General"


def test_ambiguous_surnames_are_left_alone() -> None:
    other = full_article(
        id="004_father",
        entities=(
            _entity(
                "thorvald-stoltenberg",
                "Thorvald Stoltenberg",
                EntityType.PERSON,
                mention(FULL_BODY[0], "Jens Stoltenberg", 0),
            ),
        ),
    )
    renames = find_renames([full_article(), other, short_article()])
    assert "stoltenberg" not in renames
    assert renames["idf"] == "israel-defense-forces"


def test_only_a_person_takes_a_persons_name() -> None:
    body = ("Jordan and Michael Jordan.",)
    jordan_person = full_article(
        id="005_person",
        body=body,
        entities=(
            _entity(
                "michael-jordan",
                "Michael Jordan",
                EntityType.PERSON,
                mention(body[0], "Michael Jordan", 0),
            ),
        ),
    )
    country = short_article(
        id="006_country",
        body=body,
        entities=(_entity("jordan", "Jordan", EntityType.GPE, mention(body[0], "Jordan", 0)),),
        events=(),
        quotes=(),
    )
    assert find_renames([jordan_person, country]) == {}


def test_dictionary_entities_keep_their_identity() -> None:
    known = dict(wikidata="Q1")
    body = ("Stoltenberg spoke.",)
    article = short_article(
        body=body,
        entities=(
            _entity(
                "stoltenberg",
                "Stoltenberg",
                EntityType.PERSON,
                mention(body[0], "Stoltenberg", 0),
                **known,
            ),
        ),
        events=(),
        quotes=(),
    )
    assert find_renames([full_article(), article]) == {}


def test_result_does_not_depend_on_article_order_and_untouched_articles_are_kept() -> None:
    brussels = make_article().entities[2]
    untouched = make_article(id="000_untouched", slug="untouched", entities=(brussels,))
    forward = resolve_aliases([untouched, full_article(), short_article()])
    backward = resolve_aliases([short_article(), full_article(), untouched])
    assert sorted(forward, key=lambda a: a.id) == sorted(backward, key=lambda a: a.id)
    assert forward[0] is untouched
    assert resolve_aliases([]) == []


def test_kept_renames_reuse_a_renamed_record_only_while_its_source_and_tables_stand() -> None:
    """``serve`` keeps the renamed records: the same record renamed by the same tables is
    the same object as last build; any other change gives what a fresh pass gives."""
    kept = KeptRenames()
    full, short = full_article(), short_article()
    first = resolve_aliases([full, short], kept)
    again = resolve_aliases([full, short], kept)
    assert again[1] is first[1] and again[0] is full  # nothing renamed in the full article
    edited = short_article(slug="short-edited")  # another record object
    after_edit = resolve_aliases([full, edited], kept)
    assert after_edit[1] is not first[1]
    assert after_edit == resolve_aliases([full, edited])
    # The tables change (a second Stoltenberg makes the surname ambiguous): renamed afresh,
    # though the short article's record is the same object.
    other = full_article(
        id="003_other",
        entities=(_entity("erik-stoltenberg", "Erik Stoltenberg", EntityType.PERSON),),
    )
    with_other = resolve_aliases([full, edited, other], kept)
    assert with_other == resolve_aliases([full, edited, other])
    assert "stoltenberg" in {entity.id for entity in with_other[1].entities}
    assert resolve_aliases([full, edited], kept) == resolve_aliases([full, edited])


def test_kept_rename_parts_give_the_tables_of_a_fresh_pass_and_are_reused_by_record(
    monkeypatch,
) -> None:
    """``serve`` keeps what each record adds to the lookup tables, by record object."""
    from natowatch.understand import aliases

    kept = KeptRenames()
    full, short = full_article(), short_article()
    other = full_article(
        id="003_other",
        entities=(_entity("erik-stoltenberg", "Erik Stoltenberg", EntityType.PERSON),),
    )
    states = [[full, short], [full, short], [full, short, other], [short], [full, short]]
    made: list[list[str]] = []
    real = aliases._parts_of
    monkeypatch.setattr(
        aliases, "_parts_of", lambda article: made[-1].append(article.id) or real(article)
    )
    found = []
    for archive in states:
        made.append([])  # what the fresh pass makes, then what the kept pass makes
        fresh = find_renames(archive)
        made.append([])
        found.append(find_renames(archive, kept.parts))
        assert found[-1] == fresh
    assert found[0] == {
        "stoltenberg": "jens-stoltenberg",
        "idf": "israel-defense-forces",
        "nato": "north-atlantic-treaty-organization",
    }
    assert "stoltenberg" not in found[2]  # two Stoltenbergs: ambiguous
    # Parts are made only for records the last pass did not see.
    assert made[1::2] == [["001_full", "002_short"], [], ["003_other"], [], ["001_full"]]


def test_a_preview_renames_as_the_next_build_will_and_leaves_what_serve_kept(monkeypatch) -> None:
    """``previewed_aliases`` (``natowatch.preview``) gives what ``resolve_aliases`` gives, takes
    the kept parts and renamed records of unchanged record objects, and changes nothing kept:
    the rebuild after the preview finds the last build's state as that build left it."""
    from natowatch.understand import aliases

    kept = KeptRenames()
    full, short = full_article(), short_article()
    other = full_article(
        id="003_other",
        entities=(_entity("erik-stoltenberg", "Erik Stoltenberg", EntityType.PERSON),),
    )
    edited = short_article(slug="short-edited")  # the saved file, read again
    cases = [
        [full, short],  # nothing changed: the build's records as they are
        [full, edited],
        [full, edited, other],  # (the tables change: Stoltenberg is ambiguous)
        [edited],  # no full names left: nothing renamed
    ]
    expected = [resolve_aliases(case) for case in cases]
    built = resolve_aliases([full, short], kept)
    state = (kept.tables, dict(kept.parts._last), dict(kept.records._last))
    made: list[str] = []
    real = aliases._parts_of
    monkeypatch.setattr(
        aliases, "_parts_of", lambda article: made.append(article.id) or real(article)
    )
    for case, fresh in zip(cases, expected, strict=True):
        made.clear()
        assert aliases.previewed_aliases(case, kept) == fresh
        assert made == [record.id for record in case if record is edited or record is other]
        assert (kept.tables, kept.parts._last, kept.records._last) == state
        assert not kept.parts._now and not kept.records._now
    previewed = aliases.previewed_aliases([full, short], kept)
    assert previewed[0] is full and previewed[1] is built[1] is not short  # the kept rename
