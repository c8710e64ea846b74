"""Hand-built Article records for the site-layer tests, shaped like real extracted articles."""

from __future__ import annotations

import dataclasses
from typing import Any

from natowatch.core.model import (
    Article,
    Boilerplate,
    BoilerplateKind,
    Comment,
    Dateline,
    Entity,
    EntityType,
    Event,
    HeadlineSource,
    Image,
    Mention,
    Quote,
    Section,
    Zone,
)

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}",
]
HOSTILE_TEXT = " ".join(HOSTILE)


def mention(paragraph_text: str, needle: str, paragraph: int, zone: Zone = Zone.BODY) -> Mention:
    """A mention with correct offsets for the first ``needle`` in ``paragraph_text``."""
    start = paragraph_text.index(needle)
    return Mention(needle, paragraph, start, start + len(needle), zone)


def quote(
    paragraph_text: str,
    words: str,
    paragraph: int,
    speaker: str | None,
    speaker_id: str | None,
) -> Quote:
    """A quote of ``words`` (found in ``paragraph_text``) with correct offsets."""
    start = paragraph_text.index(words)
    return Quote(words, speaker, speaker_id, paragraph, start, start + len(words), (paragraph,))


BODY = (
    "BRUSSELS – Israel will open a permanent office at NATO headquarters in Brussels, the "
    "alliance said on Wednesday. Officials called it a milestone.",
    "Secretary General Jens Stoltenberg welcomed the decision, which follows years of "
    "cooperation since 1994 through the Mediterranean Dialogue.",
    "Turkey had blocked the move until early May 2016, diplomats said.",
    "The office is expected to open later this year.",
)
CAPTION = "Jens Stoltenberg speaks to reporters in Brussels."
COMMENT_TEXT = "Good news for NATO.\nLong overdue."


def make_article(**overrides: Any) -> Article:
    """A realistic article; keyword arguments replace any field."""
    nato = Entity(
        id="org-nato",
        name="NATO",
        type=EntityType.ORG,
        mentions=(
            mention(BODY[0], "NATO", 0),
            mention(COMMENT_TEXT, "NATO", 0, Zone.COMMENT),
        ),
        description="North Atlantic Treaty Organization",
    )
    person = Entity(
        id="person-jens-stoltenberg",
        name="Jens Stoltenberg",
        type=EntityType.PERSON,
        mentions=(
            mention(BODY[1], "Jens Stoltenberg", 1),
            mention(CAPTION, "Jens Stoltenberg", 0, Zone.CAPTION),
        ),
    )
    brussels = Entity(
        id="gpe-brussels",
        name="Brussels",
        type=EntityType.GPE,
        mentions=(mention(BODY[0], "Brussels", 0),),
    )
    turkey = Entity(
        id="gpe-turkey",
        name="Turkey",
        type=EntityType.GPE,
        mentions=(mention(BODY[2], "Turkey", 2),),
    )
    events = (
        Event(
            date="1994",
            precision="year",
            expression="since 1994",
            sentence=BODY[1],
            paragraph=1,
            qualifier="since",
            entities=("org-nato",),
        ),
        Event(
            date="2016-05",
            precision="month",
            expression="early May 2016",
            sentence=BODY[2],
            paragraph=2,
            qualifier="early",
            entities=("gpe-turkey",),
        ),
        Event(
            date=None,
            precision="year",
            expression="later this year",
            sentence=BODY[3],
            paragraph=3,
            resolved=False,
        ),
        Event(
            date="2016-05-04",
            precision="day",
            expression="Wednesday",
            sentence=COMMENT_TEXT,
            paragraph=0,
            zone=Zone.COMMENT,
        ),
    )
    article = Article(
        id="000_israel",
        slug="israel-to-open-office-at-nato",
        source_file="seeds/000_israel.txt",
        format="text",
        headline="Israel to Open Permanent Office at NATO Headquarters",
        headline_source=HeadlineSource.METADATA,
        url="https://example.com/news/israel-to-open-office-at-nato/2016/05/04/",
        publisher="The Example Press",
        published="2016-05-04",
        authors=("Hana Levi Julian",),
        byline=None,
        author_bio="Hana Levi Julian is a reporter.",
        dateline=Dateline("BRUSSELS –", place="Brussels"),
        images=(Image(caption=CAPTION, credit="Photo: NATO", title="Press conference"),),
        body=BODY,
        sections=(Section("Years of talks", 1),),
        boilerplate=(Boilerplate(BoilerplateKind.NAVIGATION, "Home | World", 1),),
        comments=(
            Comment(1, COMMENT_TEXT, author="reader1", timestamp="May 4, 2016 at 10:01 am"),
            Comment(2, "I agree with you.", author="reader2", addressee="reader1"),
        ),
        comments_closed=False,
        entities=(nato, person, brussels, turkey),
        events=events,
        tags=("NATO", "Israel"),
    )
    return dataclasses.replace(article, **overrides)


def make_second_article(**overrides: Any) -> Article:
    """An undated article with no authors, a derived headline and a shared entity."""
    body = (
        "Israel opened a new office at NATO headquarters in Brussels on Wednesday.",
        "The move came after Turkey lifted its veto.",
    )
    article = make_article(
        id="003_ibtimes",
        slug="israel-opens-new-office-nato",
        source_file="seeds/003_ibtimes.txt",
        headline="Israel opens new office nato",
        headline_source=HeadlineSource.DERIVED,
        url="https://example.org/israel-opens-new-office-nato-712989",
        publisher=None,
        published=None,
        authors=(),
        author_bio=None,
        dateline=None,
        images=(),
        body=body,
        sections=(),
        boilerplate=(),
        comments=(),
        entities=(
            Entity(
                id="org-nato",
                name="North Atlantic Treaty Organization",
                type=EntityType.ORG,
                mentions=(mention(body[0], "NATO", 0),),
            ),
            Entity(
                id="gpe-turkey",
                name="Turkey",
                type=EntityType.GPE,
                mentions=(mention(body[1], "Turkey", 1),),
            ),
        ),
        events=(
            Event(
                date="2016-05-04",
                precision="day",
                expression="Wednesday",
                sentence=body[0],
                paragraph=0,
                entities=("org-nato",),
            ),
        ),
        tags=(),
    )
    return dataclasses.replace(article, **overrides)


def make_hostile_article() -> Article:
    """Every displayed text field carries markup and template syntax."""
    body = (f"Lede {HOSTILE_TEXT} ends here.", f"Second {HOSTILE_TEXT}.")
    name = f"Evil {HOSTILE_TEXT}"
    return make_article(
        id="999_hostile",
        slug="hostile",
        headline=f"Headline {HOSTILE_TEXT}",
        publisher=f"Publisher {HOSTILE_TEXT}",
        authors=(f"Author {HOSTILE_TEXT}",),
        url="javascript:alert(1)",
        images=(Image(caption=f"Caption {HOSTILE_TEXT}", credit=f"Credit {HOSTILE_TEXT}"),),
        body=body,
        sections=(Section(f"Section {HOSTILE_TEXT}", 1),),
        comments=(
            Comment(
                1,
                f"Comment {HOSTILE_TEXT}",
                author=f"Commenter {HOSTILE_TEXT}",
                addressee=f"Addressee {HOSTILE_TEXT}",
            ),
        ),
        entities=(
            Entity(
                id="person-evil",
                name=name,
                type=EntityType.PERSON,
                mentions=(mention(body[0], "<script>", 0),),
                description=f"Description {HOSTILE_TEXT}",
            ),
        ),
        events=(
            Event(
                date="2016-05-04",
                precision="day",
                expression=f"Expression {HOSTILE_TEXT}",
                sentence=f"Sentence {HOSTILE_TEXT}",
                paragraph=0,
            ),
        ),
        boilerplate=(Boilerplate(BoilerplateKind.WIDGET, f"Widget {HOSTILE_TEXT}", 3),),
    )
