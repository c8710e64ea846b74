"""Pass two: settle uncertain labels from neighbours and from the article's layout.

Where the reader comments start, what sits next to a photo credit, what comes before the first
body paragraph (headline, deck, byline, date), what follows an end marker. Each step rewrites the
list of labels for its own concern, in a fixed order.
"""

from __future__ import annotations

from collections.abc import Sequence

from natowatch.extract import patterns
from natowatch.extract.blocks import Unit
from natowatch.extract.classify import is_role, looks_like_bio, name_rules
from natowatch.extract.labels import BOILERPLATE_AFTER_BODY, Label
from natowatch.extract.rules import Rules
from natowatch.language import lexicon
from natowatch.language.gazetteer import is_place

# The comment thread comes after an article of at least this much body text.
MIN_BODY_BEFORE_COMMENTS = 2
MIN_BODY_CHARS = 200
# Decks/standfirsts: at most this many body-like paragraphs sit above the byline or date.
MAX_DECK_PARAGRAPHS = 2
TOP_FURNITURE = (Label.BYLINE, Label.DATE, Label.TIMESTAMP)
DATE_LINES = (Label.DATE, Label.TIMESTAMP)
# At most this many paragraphs carry a bio on after its first sentence.
MAX_BIO_FOLLOWERS = 2
# Verbs of the lexicon's "person said" list that a bio uses too ("She wrote a book on ...").
BIO_VERBS = frozenset({"wrote", "who", "believes", "thinks"})
QUOTE_MARKS = ('"', "“", "”", "«")


def revise(units: Sequence[Unit], labels: Sequence[Label], rules: Rules) -> list[Label]:
    """Pass two: settle uncertain labels from the article's layout."""
    revised = list(labels)
    comments_start = find_comments_start(units, revised, rules)
    _label_comment_region(units, revised, comments_start, rules)
    _settle_name_bylines(units, revised, comments_start, rules)
    _settle_decks(revised, comments_start)
    _settle_end_matter(revised, comments_start)
    _settle_bios(units, revised, comments_start, rules)
    _settle_captions(units, revised, rules)
    _settle_related_lists(units, revised)
    _settle_widget_blocks(units, revised)
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
    body_units = body_chars = 0
    furniture_since_body = False
    for index, (unit, label) in enumerate(zip(units, labels, strict=True)):
        if label is Label.COMMENTS_HEADER and seen_body:
            return index
        # A thread needs an article before it: a name and a date under the headline are a
        # byline, not a commenter's signature.
        after_article = body_units >= MIN_BODY_BEFORE_COMMENTS and body_chars >= MIN_BODY_CHARS
        if label is Label.NUMBERED and seen_body and _starts_comment_run(units, index):
            if unit.indent > 0 or furniture_since_body or _closed_after(labels, index):
                return index
        if after_article and _is_signature(units, labels, index, rules):
            return index
        if label is Label.BODY:
            seen_body = True
            body_units += 1
            body_chars += len(unit.text)
            furniture_since_body = False
        elif label in BOILERPLATE_AFTER_BODY:
            furniture_since_body = True
    return len(units)


def _starts_comment_run(units: Sequence[Unit], index: int) -> bool:
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
        if (
            label in (Label.TIMESTAMP, Label.COMMENT_META)
            or rules.comment_meta.matches(units[index].text)
            or _is_signature(units, labels, index, rules)
        ):
            labels[index] = Label.COMMENT_META
        else:
            labels[index] = Label.COMMENT


def _settle_name_bylines(
    units: Sequence[Unit], labels: list[Label], comments_start: int, rules: Rules
) -> None:
    """Bare names next to the date line near the top are the byline: "Jane Roe" / "May 4",
    "Jane Roe and John Smith" / "May 4", "May 4" / "Jane Roe", and a job title or the place
    filed from may sit between ("Jane Roe" / "Defence correspondent" / "NEW DELHI" / "May 4").
    """
    names = name_rules(rules)
    body_seen = 0
    end = min(comments_start, len(units))
    for index in range(end):
        if labels[index] is Label.BODY:
            body_seen += 1
        if body_seen > MAX_DECK_PARAGRAPHS:
            return
        if (
            labels[index] is not Label.SHORT
            or patterns.names_only(units[index].text, names) is None
        ):
            continue
        between: list[int] = []
        after = index + 1
        while after < end and len(between) < 2 and labels[after] is Label.SHORT:
            text = units[after].text
            if not (is_role(text, rules) or is_place(text)):
                break
            between.append(after)
            after += 1
        dated_after = after < end and labels[after] in DATE_LINES
        dated_before = (
            not between
            and index > 0
            and labels[index - 1] in DATE_LINES
            and (after >= end or labels[after] not in (Label.CAPTION, Label.CREDIT))
        )
        if dated_after or dated_before:
            labels[index] = Label.BYLINE
            for other in between:
                labels[other] = Label.OTHER


def _settle_decks(labels: list[Label], comments_start: int) -> None:
    """Body-like lines above the byline/date are the deck (standfirst), not the story."""
    body_before = 0
    last_furniture = -1
    for index, label in enumerate(labels[:comments_start]):
        if label is Label.BODY:
            body_before += 1
            if body_before > MAX_DECK_PARAGRAPHS:
                break
        elif label in TOP_FURNITURE:
            last_furniture = index
    for index in range(last_furniture):
        if labels[index] is Label.BODY:
            labels[index] = Label.OTHER


def _settle_end_matter(labels: list[Label], comments_start: int) -> None:
    """After an end marker ("###"), or under "About the <organisation>", it is the publisher's."""
    closing = False
    for index in range(comments_start):
        label = labels[index]
        if label in (Label.END_MARKER, Label.FOOTER_HEADER):
            closing = True
            labels[index] = Label.FOOTER
        elif closing and label in (Label.BODY, Label.SHORT, Label.OTHER, Label.TIMESTAMP):
            labels[index] = Label.FOOTER


def _settle_widget_blocks(units: Sequence[Unit], labels: list[Label]) -> None:
    """Text inside a block made mostly of widgets (a newsletter box) is part of the widget."""
    by_block: dict[int, list[int]] = {}
    for index, unit in enumerate(units):
        by_block.setdefault(unit.block, []).append(index)
    for members in by_block.values():
        widgets = sum(1 for index in members if labels[index] is Label.WIDGET)
        if widgets >= 2 and widgets * 2 >= len(members):
            for index in members:
                if labels[index] in (Label.BODY, Label.SHORT):
                    labels[index] = Label.WIDGET


def _settle_bios(
    units: Sequence[Unit], labels: list[Label], comments_start: int, rules: Rules
) -> None:
    """A bio closes the article: one followed by body text was a body sentence after all, unless
    that text carries the bio on to the end ("She lives in Vilnius.", "Follow her on ...")."""
    last_body = _last_body(labels, comments_start)
    for index, label in enumerate(labels[:comments_start]):
        if label is Label.BIO and index < last_body:
            followers = [i for i in range(index + 1, last_body + 1) if labels[i] is Label.BODY]
            if len(followers) <= MAX_BIO_FOLLOWERS and all(
                _continues_bio(units[i].text, rules) for i in followers
            ):
                for follower in followers:
                    labels[follower] = Label.BIO
                last_body = _last_body(labels, comments_start)
    for index, label in enumerate(labels[:comments_start]):
        if label is Label.BIO and index < last_body:
            labels[index] = Label.BODY
        if label is Label.BIO_HEADER and index + 1 < comments_start:
            if labels[index + 1] in (Label.BODY, Label.SHORT) and index + 1 >= last_body:
                labels[index + 1] = Label.BIO


def _last_body(labels: Sequence[Label], comments_start: int) -> int:
    return max(
        (i for i, label in enumerate(labels[:comments_start]) if label is Label.BODY), default=-1
    )


def _continues_bio(text: str, rules: Rules) -> bool:
    """ "She lives in Vilnius." carries a bio on; "He said ..." or a quote is the story's."""
    words = text.split()
    if not words or any(mark in text for mark in QUOTE_MARKS):
        return False
    speech = lexicon.words().person_verbs - BIO_VERBS
    if any(word.strip(".,;:").casefold() in speech for word in words):
        return False
    return words[0] in rules.bio_continuations or looks_like_bio(text, rules)


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
            labels[index] in (Label.SHORT, Label.OTHER)
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
