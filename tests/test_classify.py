"""One rule at a time: each test feeds the classifier a small hand-written page."""

from __future__ import annotations

import pytest

from natowatch.core.model import BoilerplateKind
from natowatch.extract.assemble import extract_text
from natowatch.extract.comments import addressee
from natowatch.extract.rules import default_rules

LEDE = "The alliance agreed on Tuesday to send more aircraft to the eastern flank, officials said."
MORE = "The decision follows months of talks between the member governments and their militaries."


def kinds(text: str) -> dict[str, str]:
    return {item.text: item.kind.value for item in extract_text(text).boilerplate}


def test_short_block_between_body_blocks_becomes_a_section_heading():
    parts = extract_text(f"{LEDE}\n\nWhat comes next\n\n{MORE}\n")
    assert parts.body == (LEDE, MORE)
    assert [(s.heading, s.paragraph) for s in parts.sections] == [("What comes next", 1)]


def test_first_short_line_on_top_is_the_headline_but_a_single_word_is_not():
    assert extract_text(f"Allies send jets east\n\n{LEDE}\n").headline == "Allies send jets east"
    assert extract_text(f"Defence\n\n{LEDE}\n").headline is None


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Photo Credit: NATO", "credit"),
        ("Photo: Reuters", "credit"),
        ("(AP Photo/Virginia Mayo)", "credit"),
        ("REUTERS/Yves Herman", "credit"),
        ("Previous articleSomething Else Happened Today", "navigation"),
        ("Next article Leaders Meet Again", "navigation"),
        ("Also Read: Another story about defence", "related-link"),
        ("READ MORE: Another story about defence", "related-link"),
        ("Related | Another story", "related-link"),
        ("Comments are closed.", "comments-closed"),
        ("Comments for this article are closed", "comments-closed"),
        ("Loading Facebook Comments ...", "widget"),
        ("Share this:", "widget"),
        ("Advertisement", "widget"),
        ("Copyright 2024 Example Media. All rights reserved.", "footer"),
        ("(Reporting by A Person; Editing by B Person)", "footer"),
    ],
)
def test_page_furniture_is_recognised_by_general_phrasing(line, kind):
    found = kinds(f"{LEDE}\n\n{line}\n\n{MORE}\n")
    assert found.get(line) == kind
    assert line not in extract_text(f"{LEDE}\n\n{line}\n\n{MORE}\n").body


@pytest.mark.parametrize(
    "sentence",
    [
        "Previously, the ministers had met in Brussels to discuss the plan for the eastern flank.",
        "Related talks will continue next week, the spokesman for the alliance told reporters.",
        "By contrast, the southern members want more attention paid to migration and terrorism.",
        "Next, the ministers will travel to Warsaw for talks with the Polish government there.",
        "Photographs of the meeting were released by the alliance on its website on Tuesday.",
    ],
)
def test_body_sentences_that_start_like_furniture_stay_in_the_body(sentence):
    assert sentence in extract_text(f"{LEDE}\n\n{sentence}\n\n{MORE}\n").body


def test_caption_next_to_a_credit_in_the_same_block_is_the_caption():
    parts = extract_text(f"Photo: AFP\nTroops on parade in Vilnius.\n\n{LEDE}\n")
    assert [(i.caption, i.credit) for i in parts.images] == [
        ("Troops on parade in Vilnius.", "AFP")
    ]
    assert parts.body == (LEDE,)


def test_credit_glued_to_a_caption_is_split_off():
    parts = extract_text(
        f"{LEDE}\n\nSoldiers march past the parliament building in Riga.Getty Images\n\n{MORE}\n"
    )
    assert [(i.caption, i.credit) for i in parts.images] == [
        ("Soldiers march past the parliament building in Riga.", "Getty Images")
    ]
    assert parts.body == (LEDE, MORE)


def test_abbreviations_are_not_mistaken_for_glued_credits():
    sentence = "The talks involved the U.S.A and its partners from across the whole region."
    assert sentence in extract_text(f"{LEDE}\n\n{sentence}\n").body


def test_bio_closes_the_article_and_names_the_author():
    bio = "Jane Roe is a defence correspondent based in Brussels who has covered the alliance since 2010."
    parts = extract_text(f"{LEDE}\n\n{MORE}\n\n{bio}\n")
    assert parts.author_bio == bio and parts.authors == ("Jane Roe",)
    assert parts.body == (LEDE, MORE)


def test_bio_shaped_sentence_followed_by_body_stays_body():
    sentence = "John Smith is a senior analyst at a think tank in Washington and he said the plan would work."
    parts = extract_text(f"{LEDE}\n\n{sentence}\n\n{MORE}\n")
    assert sentence in parts.body and parts.author_bio is None


@pytest.mark.parametrize(
    ("byline", "people"),
    [
        ("By Jane Roe", ("Jane Roe",)),
        ("By JANE ROE and John Smith", ("Jane Roe", "John Smith")),
        ("By Jane Roe, Reuters", ("Jane Roe",)),
        ("By Reuters", ()),
        ("Written by Ana de la Cruz", ("Ana de la Cruz",)),
    ],
)
def test_bylines_name_people_and_leave_agencies_out(byline, people):
    parts = extract_text(f"Headline of the story here\n\n{byline}\n\n{LEDE}\n")
    assert parts.authors == people
    assert parts.byline == byline


def test_numbered_comments_after_the_article_are_comments_but_a_list_in_the_body_is_not():
    body_list = "1. Send jets.\n2. Send ships.\n3. Send troops."
    text = f"{LEDE}\n\n{body_list}\n\n{MORE}\n\nComments\n\n1. First reader.\n\n2. Second reader.\n"
    parts = extract_text(text)
    assert "1. Send jets." in parts.body and MORE in parts.body
    assert [(c.number, c.text) for c in parts.comments] == [
        (1, "First reader."),
        (2, "Second reader."),
    ]


def test_indented_numbered_run_after_navigation_is_the_comment_thread():
    text = f"{LEDE}\n\nNext article Something Else\n\n  1. a reader writes here\n\n  2. another reader\n"
    parts = extract_text(text)
    assert [c.text for c in parts.comments] == ["a reader writes here", "another reader"]


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("Norman Gardner They pay some of the cost.", "Norman Gardner"),
        ("Jane Roe, you have it backwards.", "Jane Roe"),
        ("@policywonk this is wrong", "policywonk"),
        ("Mike, you forget the budget.", "Mike"),
        ("Donald Trump is going to change this.", None),
        ("Hopefully President Trump will act.", None),
        ("If Israel joins, everything changes.", None),
        ("Obviously, nobody read the treaty.", None),
        ("Several countries including Germany pay.", None),
        ("NATO They said nothing.", None),
        ("this has nothing to do with it", None),
    ],
)
def test_addressee_is_a_name_followed_by_punctuation_or_a_sentence_opener(comment, expected):
    assert addressee(comment, default_rules()) == expected


def test_dateline_in_lower_case_prose_is_not_a_dateline():
    sentence = "Officials in Brussels - and in Washington - said the plan would be ready by June."
    parts = extract_text(f"{sentence}\n\n{MORE}\n")
    assert parts.dateline is None and parts.body[0] == sentence


def test_wire_end_marker_glued_to_the_last_paragraph_is_cut_off():
    parts = extract_text(f"{LEDE}\n\n{MORE} (Reporting by Jane Roe; Editing by John Smith)\n")
    assert parts.body[-1] == MORE
    assert any(b.kind is BoilerplateKind.FOOTER and b.fragment for b in parts.boilerplate)


def test_nothing_is_lost_every_line_is_body_comment_or_boilerplate():
    text = (
        "Headline here for the story\n\nBy Jane Roe\n\nPhoto: AFP\nA caption of the photo.\n\n"
        f"{LEDE}\n\nAlso Read: Other\n\n{MORE}\n\nShare this:\n\n3 Comments\n\nJo Bloggs says:\n"
        "May 4, 2016 at 3:15 pm\nGreat article.\n\nComments are closed.\n"
    )
    parts = extract_text(text)
    kept = [*parts.body, *(b.text for b in parts.boilerplate), parts.headline or ""]
    kept += [c.text for c in parts.comments]
    for line in filter(None, (line.strip() for line in text.splitlines())):
        assert any(line in item for item in kept), line
