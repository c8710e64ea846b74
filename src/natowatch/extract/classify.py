"""Label each unit of scraped text in two passes (the jusText way).

Pass one looks at each unit alone: phrasing, shape and punctuation. Pass two revises uncertain
labels from their neighbours and from the article's layout: where the reader comments start, what
sits next to a photo credit, what comes before the first body paragraph. Each pass returns a new
list; nothing is mutated in place.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence

from natowatch.extract import patterns
from natowatch.extract.blocks import Unit
from natowatch.extract.rules import Rules

COMMENT_COUNT_HEADER = re.compile(
    r"^(?:\d+|no|one|two|three)\s+(?:comments?|responses?|replies|reactions?|thoughts? on\b.*)$"
    r"|^(?:comments?|responses?|replies)\s*[(\[]\d+[)\]]$",
    re.IGNORECASE,
)
BIO_SENTENCE = re.compile(
    r"^(?P<name>[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|bin|al|el|da|di|le|la)){1,3})"
    r"\s+(?:is|was|has been|serves as|works as|covers|writes|reports)\b"
)
CREDIT_MAX_WORDS = 8
ALL_RIGHTS_RESERVED = re.compile(r"\ball rights reserved\.?$", re.IGNORECASE)
PARENTHESISED_TAIL = re.compile(r"^(?P<caption>.*[.!?”\"])\s*(?P<credit>\([^()]{2,60}\))$")


class Label(enum.Enum):
    BODY = "body"
    SHORT = "short"  # no closing punctuation and few words: decided in pass two
    HEADLINE = "headline"
    BYLINE = "byline"
    DATE = "date"
    CREDIT = "credit"
    CAPTION = "caption"
    IMAGE_TITLE = "image-title"
    NAVIGATION = "navigation"
    RELATED = "related-link"
    BIO = "bio"
    BIO_HEADER = "bio-header"
    COMMENTS_CLOSED = "comments-closed"
    COMMENTS_HEADER = "comments-header"
    NUMBERED = "numbered"  # "1. ..." : a comment or a list item, decided in pass two
    TIMESTAMP = "timestamp"  # a date/time line: comment meta or publication date
    COMMENT = "comment"
    COMMENT_META = "comment-meta"
    WIDGET = "widget"
    FOOTER = "footer"
    SECTION_HEADING = "section-heading"
    OTHER = "other"  # page furniture with no more specific kind


BOILERPLATE_AFTER_BODY = frozenset(
    {
        Label.NAVIGATION,
        Label.BIO,
        Label.BIO_HEADER,
        Label.COMMENTS_CLOSED,
        Label.COMMENTS_HEADER,
        Label.WIDGET,
        Label.FOOTER,
    }
)


def label_alone(unit: Unit, rules: Rules) -> Label:
    """Pass one: the label a unit earns on its own."""
    text = unit.text
    if rules.comments_closed.matches(text):
        return Label.COMMENTS_CLOSED
    if rules.comments_header.matches(text) or COMMENT_COUNT_HEADER.match(text):
        return Label.COMMENTS_HEADER
    if rules.widget.matches(text):
        return Label.WIDGET
    if rules.navigation.matches(text):
        return Label.NAVIGATION
    if rules.related.matches(text):
        return Label.RELATED
    credit = rules.credit_pattern.match(text)
    if credit:
        words = len(credit.group("credit").split())
        return Label.CREDIT if words <= CREDIT_MAX_WORDS else Label.CAPTION
    if patterns.AGENCY_CREDIT_LINE.match(text):
        return Label.CREDIT
    if rules.caption_label_pattern.match(text):
        return Label.CAPTION
    limits = rules.thresholds
    if patterns.byline_names(text, limits.name_max_words, rules.agencies) is not None:
        return Label.BYLINE
    if rules.footer.matches(text) or ALL_RIGHTS_RESERVED.search(text):
        return Label.FOOTER
    if rules.bio_headers.matches(text):
        return Label.BIO_HEADER
    if looks_like_bio(text, rules):
        return Label.BIO
    if patterns.is_timestamp(text):
        return Label.TIMESTAMP
    if unit.numbered:
        return Label.NUMBERED
    if split_caption_credit(text, rules) is not None:
        return Label.CAPTION
    if unit.words <= limits.short_line_max_words and not unit.ends_sentence:
        return Label.SHORT
    return Label.BODY


def looks_like_bio(text: str, rules: Rules) -> bool:
    """ "<Name> is a ... journalist ..." or "<Name> covers ...": an author's bio."""
    if len(text.split()) < rules.thresholds.bio_min_words:
        return False
    match = BIO_SENTENCE.match(text)
    if not match or match.group("name").split()[0] in rules.non_name_words:
        return False
    return bool(rules.bio_profession_pattern.search(text) or rules.bio_cue_pattern.search(text))


def bio_author(text: str) -> str | None:
    match = BIO_SENTENCE.match(text)
    return match.group("name") if match else None


def split_caption_credit(text: str, rules: Rules) -> tuple[str, str] | None:
    """(caption, credit) when a credit is glued to or trails a caption, else None."""
    glued = patterns.GLUED_CREDIT.match(text)
    limit = rules.thresholds.glued_credit_max_words
    if glued and len(glued.group("credit").split()) <= limit and len(glued["caption"].split()) > 3:
        return glued.group("caption"), glued.group("credit")
    trailing = patterns.TRAILING_CREDIT.match(text)
    if trailing and len(trailing.group("caption").split()) > 3:
        return trailing.group("caption"), trailing.group("credit")
    tail = PARENTHESISED_TAIL.match(text)
    labelled = rules.credit_pattern.match(tail.group("credit")) if tail else None
    if tail and labelled and len(tail.group("caption").split()) > 3:
        return tail.group("caption"), labelled.group("credit")
    return None


def revise(units: Sequence[Unit], labels: Sequence[Label], rules: Rules) -> list[Label]:
    """Pass two: settle uncertain labels from the article's layout."""
    revised = list(labels)
    comments_start = find_comments_start(units, revised, rules)
    _label_comment_region(units, revised, comments_start, rules)
    _settle_bios(revised, comments_start)
    _settle_captions(units, revised, rules)
    _settle_related_lists(units, revised)
    _settle_top(units, revised, comments_start, rules)
    _settle_short_lines(revised, comments_start)
    return revised


def find_comments_start(units: Sequence[Unit], labels: Sequence[Label], rules: Rules) -> int:
    """Index of the first unit of the reader-comment thread (len(units) when there is none).

    Comments are split off before the body is decided (trafilatura's habit): a comments
    header, a numbered run that starts at 1 after the article's end furniture, or a
    "name + timestamp" signature once the body has begun.
    """
    seen_body = False
    furniture_since_body = False
    for index, (unit, label) in enumerate(zip(units, labels, strict=True)):
        if label is Label.COMMENTS_HEADER and seen_body:
            return index
        if label is Label.NUMBERED and seen_body and _starts_comment_run(units, labels, index):
            if unit.indent > 0 or furniture_since_body or _closed_after(labels, index):
                return index
        if seen_body and _is_signature(units, labels, index, rules):
            return index
        if label is Label.BODY:
            seen_body = True
            furniture_since_body = False
        elif label in BOILERPLATE_AFTER_BODY:
            furniture_since_body = True
    return len(units)


def _starts_comment_run(units: Sequence[Unit], labels: Sequence[Label], index: int) -> bool:
    match = units[index].numbered
    return match is not None and match.group("number") == "1"


def _closed_after(labels: Sequence[Label], index: int) -> bool:
    """The numbered run goes on, item after item, up to a "Comments are closed"."""
    thread = (Label.NUMBERED, Label.TIMESTAMP, Label.WIDGET)
    for label in labels[index:]:
        if label is Label.COMMENTS_CLOSED:
            return True
        if label not in thread:
            return False
    return False


def _is_signature(units: Sequence[Unit], labels: Sequence[Label], index: int, rules: Rules) -> bool:
    """A commenter's name line followed by a timestamp line, or "Name says:"."""
    text = units[index].text
    max_words = rules.thresholds.name_max_words
    words = rules.non_name_words
    for shape in (patterns.SAYS, patterns.NAME_THEN_TIMESTAMP):
        match = shape.match(text)
        if match and patterns.is_commenter(match.group("name"), max_words, words):
            return True
    following = labels[index + 1] if index + 1 < len(labels) else None
    return (
        labels[index] is Label.SHORT
        and following is Label.TIMESTAMP
        and patterns.is_commenter(text, max_words, words)
    )


def _label_comment_region(
    units: Sequence[Unit], labels: list[Label], start: int, rules: Rules
) -> None:
    keep = {Label.COMMENTS_CLOSED, Label.COMMENTS_HEADER, Label.WIDGET, Label.FOOTER}
    keep |= {Label.NAVIGATION, Label.RELATED}
    for index in range(start, len(units)):
        label = labels[index]
        if label in keep:
            continue
        if label is Label.TIMESTAMP or _is_signature(units, labels, index, rules):
            labels[index] = Label.COMMENT_META
        else:
            labels[index] = Label.COMMENT


def _settle_bios(labels: list[Label], comments_start: int) -> None:
    """A bio closes the article: one followed by body text was a body sentence after all."""
    last_body = max(
        (i for i, label in enumerate(labels[:comments_start]) if label is Label.BODY), default=-1
    )
    for index, label in enumerate(labels[:comments_start]):
        if label is Label.BIO and index < last_body:
            labels[index] = Label.BODY
        if label is Label.BIO_HEADER and index + 1 < comments_start:
            if labels[index + 1] in (Label.BODY, Label.SHORT) and index + 1 >= last_body:
                labels[index + 1] = Label.BIO


def _settle_captions(units: Sequence[Unit], labels: list[Label], rules: Rules) -> None:
    """Text beside a photo credit in the same block is its caption; a word or two above is its
    title."""
    limit = rules.thresholds.caption_max_chars
    for index, label in enumerate(labels):
        if label is not Label.CREDIT:
            continue
        for neighbour in (index + 1, index - 1):
            if _same_block(units, index, neighbour) and labels[neighbour] in (
                Label.BODY,
                Label.SHORT,
            ):
                if len(units[neighbour].text) <= limit:
                    labels[neighbour] = Label.CAPTION
                    break
    title_limit = rules.thresholds.image_title_max_words
    for index, label in enumerate(labels):
        if label not in (Label.CAPTION, Label.CREDIT) or index == 0:
            continue
        above = index - 1
        if (
            labels[above] is Label.SHORT
            and units[above].words <= title_limit
            and units[above].block in (units[index].block, units[index].block - 1)
        ):
            labels[above] = Label.IMAGE_TITLE


def _settle_related_lists(units: Sequence[Unit], labels: list[Label]) -> None:
    """Short lines right under a "Related Topics" header are its links."""
    for index in range(1, len(units)):
        if (
            labels[index] is Label.SHORT
            and labels[index - 1] is Label.RELATED
            and units[index].block == units[index - 1].block
        ):
            labels[index] = Label.RELATED


def _same_block(units: Sequence[Unit], a: int, b: int) -> bool:
    return 0 <= b < len(units) and units[a].block == units[b].block


def _settle_top(
    units: Sequence[Unit], labels: list[Label], comments_start: int, rules: Rules
) -> None:
    """Before the first body paragraph: the headline line, a date line, a kicker."""
    body = [i for i, label in enumerate(labels[:comments_start]) if label is Label.BODY]
    # A headline may be a question ("Will the alliance grow?"): a short first "sentence" that
    # ends in ? or ! and is followed by more body is the headline, not the lede.
    if (
        len(body) > 1
        and _headline_shaped(units[body[0]], rules)
        and units[body[0]].text[-1] in "?!"
    ):
        if not any(label is Label.SHORT for label in labels[: body[0]]):
            labels[body[0]] = Label.SHORT
            body = body[1:]
    first_body = body[0] if body else comments_start
    headline_found = False
    for index in range(first_body):
        if labels[index] is Label.TIMESTAMP:
            labels[index] = Label.DATE
        elif labels[index] is Label.SHORT and not headline_found:
            if _headline_shaped(units[index], rules):
                labels[index] = Label.HEADLINE
                headline_found = True
    for index in range(first_body, comments_start):
        if labels[index] is Label.NUMBERED:
            labels[index] = Label.BODY
        elif labels[index] is Label.TIMESTAMP:
            labels[index] = Label.DATE


def _headline_shaped(unit: Unit, rules: Rules) -> bool:
    limits = rules.thresholds
    return (
        limits.headline_min_words <= unit.words <= limits.short_line_max_words + 10
        and len(unit.text) <= limits.headline_max_chars
    )


def _settle_short_lines(labels: list[Label], comments_start: int) -> None:
    """Short lines between body paragraphs are subheadings; elsewhere they are furniture."""
    body = [i for i, label in enumerate(labels[:comments_start]) if label is Label.BODY]
    first, last = (body[0], body[-1]) if body else (comments_start, -1)
    for index, label in enumerate(labels[:comments_start]):
        if label is Label.SHORT:
            labels[index] = Label.SECTION_HEADING if first < index < last else Label.OTHER
