"""Pass one of the classifier (the jusText way): label each unit of scraped text on its own.

Each unit is judged by its phrasing, shape and punctuation alone; ``layout.revise`` (pass two)
then settles what only the neighbours can tell.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from natowatch.core.memory import archive_cache
from natowatch.extract import patterns
from natowatch.extract.blocks import Unit
from natowatch.extract.labels import Label
from natowatch.extract.rules import PhraseSet, Rules
from natowatch.language.gazetteer import is_place

COMMENT_COUNT_HEADER = re.compile(
    r"^(?:\d+|no|one|two|three)\s+(?:comments?|responses?|replies|reactions?|thoughts? on\b.*)$"
    r"|^(?:comments?|responses?|replies)\s*[(\[]\d+[)\]]$",
    re.IGNORECASE,
)
# "Jane Roe is ...", "— Jane Roe covers ...", "Dr Jane Roe (@jroe) writes ...", "Jane Roe, a former
# diplomat, is ...": a person's name opening a sentence about their work.
BIO_SENTENCE = re.compile(
    r"^[\s—–*_•-]*(?:(?:Dr|Prof|Professor|Sir|Dame)\.?\s+)?"
    r"(?P<name>[^\W\d_][\w'’.-]+(?:\s+[^\W\d_][\w'’.-]+){1,3}?)"
    r"(?:\s*\([^()]{1,40}\))?"
    r"(?:\s+(?:is|was|has been|serves as|works as|covers|covered|writes|wrote|reports|reported"
    r"|edits|teaches|leads|heads|directs)\b|,\s+[^,]{2,80},\s+(?:is|was)\s+(?:a|an|the)\b)"
)
BYLINE_MAX_WORDS = 12
ROLE_MAX_WORDS = 7
CREDIT_MAX_WORDS = 8
ABOUT_MAX_WORDS = 10
QUESTION_HEADING_MAX_WORDS = 12
QUOTE_MARKS = ('"', "“", "‘", "'", "«")
ABOUT = re.compile(r"^About\s+(?P<subject>\S.{1,80})$")
COUNTER = re.compile(r"^\d{1,6}$")
COPYRIGHT_YEAR = re.compile(r"^\d{4}\b")
ALL_RIGHTS_RESERVED = re.compile(r"\ball rights reserved\.?$", re.IGNORECASE)
CAPTION_MIN_WORDS = 3
COLON_LABEL = re.compile(r"^[A-Z][\w ]{0,20}:\s")  # "Photograph: ", never "Courtesy, however"
SENTENCE_BOUNDARY = re.compile(r"[.!?”\"]\s+(?=[A-Z(©])")


def label_alone(unit: Unit, rules: Rules) -> Label:
    """Pass one: the label a unit earns on its own, from the first rule that claims it."""
    for rule in PASS_ONE:
        label = rule(unit, rules)
        if label is not None:
            return label
    if unit.words <= rules.thresholds.short_line_max_words and not unit.ends_sentence:
        return Label.SHORT
    if _question_heading(unit):
        return Label.SHORT
    return Label.BODY


Rule = Callable[[Unit, Rules], "Label | None"]


def _phrases(label: Label, attribute: str) -> Rule:
    """A rule that labels units matching one of the Rules' phrase sets."""

    def rule(unit: Unit, rules: Rules) -> Label | None:
        phrases: PhraseSet = getattr(rules, attribute)
        return label if phrases.matches(unit.text) else None

    return rule


def _shape(label: Label, test: Callable[[Unit, Rules], object]) -> Rule:
    def rule(unit: Unit, rules: Rules) -> Label | None:
        return label if test(unit, rules) else None

    return rule


def read_byline(text: str, rules: Rules) -> tuple[list[str], list[str]] | None:
    """(people, agencies/desks) of a byline line, or None when the line is not one.

    Shapes: a labelled byline ("By X", "By X and Y", "By X, Y and Z in Brussels", "BY X, ROLE",
    "By X | Reuters", "Written by X", "Words: X"), names with an agency or a job title
    ("X, Reuters", "X, Special Correspondent"), a name run into its title ("X Defence editor")
    and an agency alone. Bare names need their neighbours (``layout``).
    """
    found = _read_byline(text.strip(), rules)
    return (list(found[0]), list(found[1])) if found is not None else None


# Each line is asked twice (is it furniture? which label?), and reading one costs many patterns.
@archive_cache(maxsize=4096)
def _read_byline(line: str, rules: Rules) -> tuple[list[str], list[str]] | None:
    names = name_rules(rules)
    parts = patterns.byline_names(line, rules.byline_labels, names)
    if parts is not None:
        return parts
    if len(line.split()) > BYLINE_MAX_WORDS:
        return None
    role = patterns.NAME_THEN_ROLE.match(line)
    if role and is_role(role["role"], rules):
        return [role.group("name")], []
    parts = patterns.name_line(line, names)
    if parts is not None:
        return parts
    if line in rules.agencies:
        return [], [line]
    return None


@functools.lru_cache(maxsize=4)
def name_rules(rules: Rules) -> patterns.NameRules:
    """The word lists that tell a byline's people from agencies, desks, job titles and places."""
    return patterns.NameRules(
        max_words=rules.thresholds.name_max_words,
        agencies=rules.agencies,
        desk_words=rules.desk_words,
        non_name_words=rules.non_name_words,
        is_place=is_place,
        is_role=lambda text: is_role(text, rules),
        section_words=frozenset(
            line.casefold() for line in rules.kickers.lines + rules.related.lines if " " not in line
        ),
    )


def is_role(text: str, rules: Rules) -> bool:
    """A writer's job title: "Special Correspondent", "Defence and security editor"."""
    return (
        len(text.split()) <= ROLE_MAX_WORDS
        and not text.endswith((".", "!", "?"))
        and rules.bio_profession_pattern.search(text) is not None
    )


def _credit(unit: Unit, rules: Rules) -> Label | None:
    credit = rules.credit_pattern.match(unit.text)
    if credit:
        value = credit.group("credit")
        if COPYRIGHT_YEAR.match(value) or ALL_RIGHTS_RESERVED.search(value):
            return Label.FOOTER  # "© 2024 Example Media": the site's copyright, not a photo's
        return Label.CREDIT if len(value.split()) <= CREDIT_MAX_WORDS else Label.CAPTION
    if patterns.AGENCY_CREDIT_LINE.match(unit.text):
        return Label.CREDIT
    return None


def _about_header(unit: Unit, rules: Rules) -> Label | None:
    """ "About Jane Roe" heads a bio; "About the Centre" heads an organisation's boilerplate."""
    match = ABOUT.match(unit.text)
    if not match or unit.ends_sentence or unit.words > ABOUT_MAX_WORDS:
        return None
    limit = rules.thresholds.name_max_words
    if patterns.is_name(match.group("subject"), limit, rules.non_name_words):
        return Label.BIO_HEADER
    return Label.FOOTER_HEADER


def _end_marker(unit: Unit, rules: Rules) -> Label | None:
    if patterns.END_MARKER.match(unit.text):
        return Label.END_MARKER
    return Label.OTHER if patterns.RULE_LINE.match(unit.text) else None


def _question_heading(unit: Unit) -> bool:
    """A short question standing alone ("What do the critics say?") reads as a subheading."""
    text = unit.text
    return (
        text.endswith("?")
        and unit.words <= QUESTION_HEADING_MAX_WORDS
        and unit.block_size == 1
        and not text.startswith(QUOTE_MARKS)
    )


# Pass one, in order: the first rule that claims a unit labels it. Page furniture with fixed
# phrasing comes first, then shapes (bylines, bios, timestamps), then what is left of captions.
PASS_ONE: tuple[Rule, ...] = (
    _phrases(Label.COMMENTS_CLOSED, "comments_closed"),
    _shape(
        Label.COMMENTS_HEADER,
        lambda u, r: r.comments_header.matches(u.text) or COMMENT_COUNT_HEADER.match(u.text),
    ),
    _end_marker,
    _phrases(Label.WIDGET, "widget"),
    _phrases(Label.WIDGET, "site_notices"),
    _shape(Label.WIDGET, lambda u, r: COUNTER.match(u.text)),
    _phrases(Label.NAVIGATION, "navigation"),
    _phrases(Label.RELATED, "related"),
    _credit,
    _shape(Label.CAPTION, lambda u, r: r.caption_label_pattern.match(u.text)),
    _shape(Label.BYLINE, lambda u, r: read_byline(u.text, r) is not None),
    _shape(
        Label.FOOTER, lambda u, r: r.footer.matches(u.text) or ALL_RIGHTS_RESERVED.search(u.text)
    ),
    _phrases(Label.BIO_HEADER, "bio_headers"),
    _about_header,
    _shape(Label.BIO, lambda u, r: looks_like_bio(u.text, r)),
    _shape(Label.COMMENT_META, lambda u, r: patterns.REPLY_TO.match(u.text)),
    _shape(Label.TIMESTAMP, lambda u, r: patterns.is_timestamp(u.text)),
    _phrases(Label.OTHER, "kickers"),
    _shape(Label.NUMBERED, lambda u, r: u.numbered),
    _shape(Label.CAPTION, lambda u, r: split_caption_credit(u.text, r) is not None),
)


def looks_like_bio(text: str, rules: Rules) -> bool:
    """ "<Name> is a ... journalist ...", "<Name> covers ...", "The writer is ...": a bio."""
    if len(text.split()) < rules.thresholds.bio_min_words:
        return False
    if _bio_subject(rules.bio_subjects).match(text):
        return True
    name = bio_author(text)
    if name is None or name.split()[0] in rules.non_name_words:
        return False
    return bool(rules.bio_profession_pattern.search(text) or rules.bio_cue_pattern.search(text))


def bio_author(text: str) -> str | None:
    """The person a bio sentence is about, or None."""
    match = BIO_SENTENCE.match(text)
    if not match:
        return None
    name = match.group("name")
    words = name.split()
    if (
        all(word[0].isupper() or word in patterns.NAME_PARTICLES for word in words)
        and words[0][0].isupper()
    ):
        return name
    return None


def bio_authors(text: str) -> list[str]:
    """Everyone a bio paragraph introduces: "A is a fellow at X. B is a researcher there."."""
    starts = [0, *(match.end() for match in SENTENCE_BOUNDARY.finditer(text))]
    names = (bio_author(text[start:]) for start in starts)
    return list(dict.fromkeys(name for name in names if name))


@functools.lru_cache(maxsize=4)
def _bio_subject(subjects: tuple[str, ...]) -> re.Pattern[str]:
    """ "The writer is ...", "The authors are ...": a bio that names no one."""
    words = "|".join(re.escape(subject) for subject in sorted(subjects, key=len, reverse=True))
    if not words:
        return re.compile(r"(?!)")
    return re.compile(
        rf"^[\s—–*_•-]*(?:{words})\s+(?:is|are|was|were|has|have|teaches|writes|covers)\b",
        re.IGNORECASE,
    )


def split_caption_credit(text: str, rules: Rules) -> tuple[str, str] | None:
    """(caption, credit) when a credit is glued to or trails a caption, else None.

    Shapes, in order: a bracketed tail ("[File: Name/AFP]", "(AP Photo/Name)", "(PTI Photo)",
    "(Photo: IANS)"), a credit glued to the full stop ("...in Riga.Reuters"), an agency/photographer
    tail ("... REUTERS/Name") and a labelled tail ("... Photograph: Name/Agency").
    """
    if len(text.split()) <= CAPTION_MIN_WORDS:
        return None
    tail = patterns.BRACKETED_TAIL.match(text)
    if tail and len(tail.group("caption").split()) > CAPTION_MIN_WORDS:
        credit = _bracketed_credit(tail.group("credit"), rules)
        if credit:
            return tail.group("caption"), credit
    glued = patterns.GLUED_CREDIT.match(text)
    limit = rules.thresholds.glued_credit_max_words
    if glued and len(glued["credit"].split()) <= limit and len(glued["caption"].split()) > 3:
        return glued.group("caption"), glued.group("credit")
    trailing = patterns.TRAILING_CREDIT.match(text)
    if trailing and len(trailing.group("caption").split()) > CAPTION_MIN_WORDS:
        return trailing.group("caption"), trailing.group("credit")
    for boundary in SENTENCE_BOUNDARY.finditer(text):
        rest = text[boundary.end() :]
        labelled = rules.credit_pattern.match(rest) if COLON_LABEL.match(rest) else None
        if labelled and len(labelled.group("credit").split()) <= CREDIT_MAX_WORDS:
            return text[: boundary.start() + 1], labelled.group("credit")
    return None


def _bracketed_credit(bracketed: str, rules: Rules) -> str | None:
    for shape in (patterns.SLASH_CREDIT, patterns.AGENCY_PHOTO):
        match = shape.match(bracketed)
        if match:
            return match.group("credit").strip()
    labelled = rules.credit_pattern.match(bracketed.strip("[]"))
    if labelled and len(labelled.group("credit").split()) <= CREDIT_MAX_WORDS:
        return labelled.group("credit").strip("() ")
    return None
