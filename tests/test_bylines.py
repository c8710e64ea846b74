"""Bylines and authors: the byline parser on many shapes, and what must never become an author.

The parser judges a line alone (``read_byline``); names without a label or a title become the
byline only beside the date line (pass two), and bios and wire credits name authors at the end.
"""

from __future__ import annotations

import pytest

from natowatch.extract.assemble import extract_text
from natowatch.extract.classify import bio_author, looks_like_bio, read_byline
from natowatch.extract.rules import default_rules

HEADLINE = "Allies agree to send more jets to the eastern flank"
LEDE = "The alliance agreed on Tuesday to send more aircraft to the eastern flank, officials said."
MORE = "The decision follows months of talks between the member governments and their militaries."
LAST = "Officials said the first aircraft would arrive within weeks, with more to follow later on."


def people(line: str) -> list[str] | None:
    parts = read_byline(line, default_rules())
    return None if parts is None else parts[0]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Jane Roe", ["Jane Roe"]),
        ("by Jane Roe", ["Jane Roe"]),
        ("BY JANE ROE", ["Jane Roe"]),
        ("By Jane Roe and John Smith", ["Jane Roe", "John Smith"]),
        ("BY JANE ROE AND JOHN SMITH", ["Jane Roe", "John Smith"]),
        (
            "By Jane Roe, John Smith and Ana de la Cruz",
            ["Jane Roe", "John Smith", "Ana de la Cruz"],
        ),
        ("By Jane Roe & John Smith", ["Jane Roe", "John Smith"]),
        ("By Jane Roe | Reuters", ["Jane Roe"]),
        ("By Jane Roe, Reuters", ["Jane Roe"]),
        ("By JANE ROE, Associated Press", ["Jane Roe"]),
        ("By JANE ROE Associated Press", ["Jane Roe"]),
        ("By Jane Roe and John Smith, AFP", ["Jane Roe", "John Smith"]),
        ("By Jane Roe in Brussels", ["Jane Roe"]),
        ("By Jane Roe in Brussels and John Smith in Kyiv", ["Jane Roe", "John Smith"]),
        ("By Jane Roe, New Delhi", ["Jane Roe"]),
        ("By Jane Roe, Defence Correspondent", ["Jane Roe"]),
        ("BY JANE ROE, DEFENCE CORRESPONDENT", ["Jane Roe"]),
        ("By Jane Roe, CNN", ["Jane Roe"]),
        ("By Jane Roe, The Example Times", ["Jane Roe"]),
        ("By Jane Roe · 5 min read", ["Jane Roe"]),
        ("By Jane Roe | May 4, 2025", ["Jane Roe"]),
        ("By Jane Roe Published May 4, 2025", ["Jane Roe"]),
        ("Posted by Jane Roe on March 3, 2017", ["Jane Roe"]),
        ("Written by Jane Roe", ["Jane Roe"]),
        ("Written by Ana de la Cruz", ["Ana de la Cruz"]),
        ("Words by Jane Roe", ["Jane Roe"]),
        ("Words: Jane Roe", ["Jane Roe"]),
        ("Author: Jane Roe", ["Jane Roe"]),
        ("Story by Jane O'Neil-Smith", ["Jane O'Neil-Smith"]),
        ("By Tomasz Wiśniewski and Łukasz Żak", ["Tomasz Wiśniewski", "Łukasz Żak"]),
        ("Jane Roe, Special Correspondent", ["Jane Roe"]),
        ("Jane Roe, Defence Correspondent", ["Jane Roe"]),
        ("Jane Roe | Senior Reporter", ["Jane Roe"]),
        ("Jane Roe, Reuters", ["Jane Roe"]),
        ("Jane Roe and John Smith, Reuters", ["Jane Roe", "John Smith"]),
        ("Jane Roe | May 4, 2025", ["Jane Roe"]),
        ("Helen Marsh Defence and security editor", ["Helen Marsh"]),
        ("By Reuters", []),
        ("Reuters", []),
        ("By TOI Staff", []),
        ("By Example News Staff", []),
    ],
)
def test_byline_shapes(line, expected):
    assert people(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "By 2030, NATO will have more troops on its eastern flank than at any time since 1990.",
        "By contrast, the alliance wants more.",
        "By the time the ministers met, the decision had been taken.",
        "By the numbers: NATO's defence spending in 2025",
        "By Tuesday",
        "By Monday the ministers had agreed on a plan",
        "By Ukraine's reckoning, the attack failed",
        "By air and by sea",
        "By Russia",
        "Words matter in diplomacy, the minister said.",
        "Photo by Jane Roe/Reuters",
        "Jane Roe, a defence analyst, said the plan would work.",
        "Jens Stoltenberg speaks to the press in Brussels",
        "NATO Secretary General Jens Stoltenberg",
        "Jens Stoltenberg, NATO Secretary General",
        "Kaja Kallas, EU foreign policy chief",
        "Jane Roe and John Smith",  # bare names: only beside the date line (pass two)
        "Jane Roe",
        "Reporting by Jane Roe; Editing by John Smith",  # closing credits, not a byline
    ],
)
def test_lines_that_are_not_bylines(line):
    assert read_byline(line, default_rules()) is None


def _article(*blocks: str) -> str:
    return "\n\n".join(blocks) + "\n"


def test_a_byline_line_is_never_taken_into_the_body():
    parts = extract_text(_article(HEADLINE, "Words: Jane Roe\nIllustration: Example Studio", LEDE))
    assert parts.authors == ("Jane Roe",) and parts.byline == "Words: Jane Roe"
    assert parts.body == (LEDE,)
    assert [(i.caption, i.credit) for i in parts.images] == [(None, "Example Studio")]


@pytest.mark.parametrize(
    ("top", "authors"),
    [
        ("Jane Roe\nMay 4, 2025", ("Jane Roe",)),
        ("JANE ROE\nMay 4, 2025", ("Jane Roe",)),
        ("Jane Roe and John Smith\nMay 4, 2025", ("Jane Roe", "John Smith")),
        ("May 4, 2025\nJane Roe", ("Jane Roe",)),
        ("Jane Roe\nSenior defence correspondent\n4 June 2025 • 6:00am", ("Jane Roe",)),
        ("Jane Roe\nNEW DELHI\nUpdated: June 6, 2025 21:04 IST", ("Jane Roe",)),
        ("Pieter van den Berg\nUpdated: 5 June 2025, 14:32", ("Pieter van den Berg",)),
        # Not names: a section, a place, a caption's title.
        ("World News\nMay 4, 2025", ()),
        ("North Korea\nMay 4, 2025", ()),
        ("NEW DELHI\nMay 4, 2025", ()),
    ],
)
def test_bare_names_beside_the_date_line_are_the_byline(top, authors):
    parts = extract_text(_article(HEADLINE, top, LEDE, MORE))
    assert parts.authors == authors
    assert parts.body == (LEDE, MORE)


def test_names_that_are_not_beside_a_date_are_not_authors():
    subheading = "Donald Tusk and Emmanuel Macron"
    parts = extract_text(_article(HEADLINE, LEDE, subheading, MORE, LAST))
    assert parts.authors == ()
    assert [s.heading for s in parts.sections] == [subheading]
    caption = "May 4, 2025\n\nJens Stoltenberg\nThe secretary general in Brussels. Photo: Reuters"
    assert extract_text(_article(HEADLINE, caption, LEDE, MORE)).authors == ()


def test_a_person_named_in_the_first_sentence_is_not_an_author():
    first = "Jens Stoltenberg said on Tuesday that the alliance would send more aircraft east."
    parts = extract_text(_article(HEADLINE, first, MORE, LAST))
    assert parts.authors == () and parts.body[0] == first


def test_commenters_are_not_authors():
    thread = "3 Comments\n\nJohn Smith\nMay 5, 2025 at 3:12 pm\nGood article.\n\nMary Major\nMay 5, 2025 at 4:00 pm\nAgreed."
    parts = extract_text(_article(HEADLINE, LEDE, MORE, LAST, thread))
    assert parts.authors == ()
    assert [c.author for c in parts.comments] == ["John Smith", "Mary Major"]
    parts = extract_text(_article(HEADLINE, "By Jane Roe", LEDE, MORE, LAST, thread))
    assert parts.authors == ("Jane Roe",)


@pytest.mark.parametrize(
    ("credits", "authors"),
    [
        ("Reporting by Jane Roe; Editing by John Smith", ("Jane Roe",)),
        ("(Reporting by Jane Roe; Editing by John Smith)", ("Jane Roe",)),
        (
            "Reporting by Jane Roe in Brussels and Piotr Nowak in Warsaw; Additional reporting by "
            "Ana Ruiz; Writing by Tom Hale; Editing by John Smith and Mary Major",
            ("Jane Roe", "Piotr Nowak", "Tom Hale"),
        ),
        ("Editing by John Smith", ()),
    ],
)
def test_closing_credits_name_the_reporters_not_the_editors(credits, authors):
    parts = extract_text(_article(HEADLINE, f"BRUSSELS (Reuters) - {LEDE}", MORE, LAST, credits))
    assert parts.authors == authors
    assert credits not in parts.body and parts.body[-1] == LAST


def test_credits_glued_to_the_last_paragraph_name_the_authors():
    glued = f"{LAST} (Reporting by Jane Roe; Writing by Tom Hale; Editing by John Smith)"
    parts = extract_text(_article(HEADLINE, f"BRUSSELS (Reuters) - {LEDE}", MORE, glued))
    assert parts.authors == ("Jane Roe", "Tom Hale")
    assert parts.body[-1] == LAST


def test_a_top_byline_and_closing_credits_together():
    credits = "(Reporting by Jane Roe and Piotr Nowak; Editing by John Smith)"
    parts = extract_text(_article(HEADLINE, "By Jane Roe", LEDE, MORE, LAST, credits))
    assert parts.authors == ("Jane Roe", "Piotr Nowak")


@pytest.mark.parametrize(
    ("bio", "author"),
    [
        ("Jane Roe is a former war correspondent and a podcast producer.", "Jane Roe"),
        ("Jane Roe covers defence for Example Weekly.", "Jane Roe"),
        ("— Jane Roe is a freelance journalist based in Warsaw.", "Jane Roe"),
        ("*Jane Roe is a freelance journalist based in Warsaw.", "Jane Roe"),
        ("Dr Jane Roe is a senior lecturer in war studies at Example University.", "Jane Roe"),
        ("Jane Roe (@jroe) is a doctoral researcher who writes about Baltic security.", "Jane Roe"),
        (
            "Jane Roe, a former NATO official, is a senior fellow at the Example Institute.",
            "Jane Roe",
        ),
        ("Łukasz Żak writes about Polish defence policy for Example Weekly.", "Łukasz Żak"),
        ("The writer is a Delhi-based journalist who covers foreign affairs.", None),
        ("The author is a retired colonel who served with the alliance in Kosovo.", None),
    ],
)
def test_bios_at_the_end_leave_the_body_and_name_the_author(bio, author):
    parts = extract_text(_article(HEADLINE, LEDE, MORE, LAST, bio))
    assert parts.body == (LEDE, MORE, LAST)
    assert parts.author_bio == bio
    assert parts.authors == ((author,) if author else ())
    assert looks_like_bio(bio, default_rules()) and bio_author(bio) == author


def test_a_bio_carried_on_by_a_second_paragraph():
    bio = "Jane Roe is a freelance journalist based in Warsaw."
    more = "She previously worked in Kyiv and Minsk for a news agency."
    parts = extract_text(_article(HEADLINE, LEDE, MORE, LAST, bio, more))
    assert parts.body == (LEDE, MORE, LAST) and parts.authors == ("Jane Roe",)


def test_a_bio_naming_two_authors():
    bio = "Jane Roe is a senior fellow at the Example Institute. John Smith is a research assistant there."
    parts = extract_text(_article(HEADLINE, LEDE, MORE, LAST, bio))
    assert parts.authors == ("Jane Roe", "John Smith")


@pytest.mark.parametrize(
    ("sentence", "last_too"),
    [
        ("John Smith, a defence analyst at the Example Institute, has been critical of it.", True),
        (
            "John Smith, a defence analyst at the Example Institute, said the plan was overdue.",
            True,
        ),
        # Bio-shaped: read as a bio when it closes the article, a body sentence before that.
        ("Jane Roe is a senior analyst in Washington and she said the plan would work.", False),
    ],
)
def test_a_person_in_a_body_sentence_is_not_an_author(sentence, last_too):
    orders = [(LEDE, sentence, MORE)] + ([(LEDE, MORE, sentence)] if last_too else [])
    for order in orders:
        parts = extract_text(_article(HEADLINE, *order))
        assert parts.authors == () and sentence in parts.body


def test_a_bio_shaped_paragraph_followed_by_the_story_stays_in_the_story():
    bio_shaped = "John Smith is a former reporter who now runs a think tank in Warsaw."
    after = "He said the plan would fail without more money from the largest members."
    parts = extract_text(_article(HEADLINE, LEDE, MORE, bio_shaped, after))
    assert parts.body == (LEDE, MORE, bio_shaped, after) and parts.authors == ()
