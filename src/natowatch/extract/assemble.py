"""Labelled units -> the parts of an article that its own text supplies.

Metadata (front matter, sidecar facts) is merged later by the loader; this module only reports
what the text says, and keeps every line it removed as boilerplate with its kind and line number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from natowatch.core.model import Boilerplate, BoilerplateKind, Comment, Dateline, Image, Section
from natowatch.extract import patterns
from natowatch.extract.blocks import Unit, split_units
from natowatch.extract.classify import (
    bio_author,
    bio_authors,
    label_alone,
    name_rules,
    read_byline,
    split_caption_credit,
)
from natowatch.extract.comments import parse_comments
from natowatch.extract.labels import Label
from natowatch.extract.layout import revise
from natowatch.extract.model import Judgement, default_model
from natowatch.extract.rules import Rules, default_rules

BOILERPLATE_KINDS = {
    Label.BYLINE: BoilerplateKind.BYLINE,
    Label.DATE: BoilerplateKind.DATE,
    Label.CREDIT: BoilerplateKind.CREDIT,
    Label.CAPTION: BoilerplateKind.CAPTION,
    Label.IMAGE_TITLE: BoilerplateKind.IMAGE_TITLE,
    Label.NAVIGATION: BoilerplateKind.NAVIGATION,
    Label.RELATED: BoilerplateKind.RELATED_LINK,
    Label.BIO: BoilerplateKind.BIO,
    Label.BIO_HEADER: BoilerplateKind.BIO,
    Label.COMMENTS_CLOSED: BoilerplateKind.COMMENTS_CLOSED,
    Label.COMMENTS_HEADER: BoilerplateKind.COMMENTS_HEADER,
    Label.COMMENT_META: BoilerplateKind.COMMENT_META,
    Label.WIDGET: BoilerplateKind.WIDGET,
    Label.FOOTER: BoilerplateKind.FOOTER,
    Label.OTHER: BoilerplateKind.OTHER,
    Label.END_MARKER: BoilerplateKind.FOOTER,
    Label.FOOTER_HEADER: BoilerplateKind.FOOTER,
}
IMAGE_PARTS = (Label.IMAGE_TITLE, Label.CAPTION, Label.CREDIT)


@dataclass(frozen=True)
class TextParts:
    """What a scraped text says about itself; None where it says nothing."""

    headline: str | None
    authors: tuple[str, ...]
    byline: str | None
    author_bio: str | None
    published: str | None
    dateline: Dateline | None
    images: tuple[Image, ...]
    body: tuple[str, ...]
    sections: tuple[Section, ...]
    boilerplate: tuple[Boilerplate, ...]
    comments: tuple[Comment, ...]
    comments_closed: bool


def extract_text(text: str, rules: Rules | None = None) -> TextParts:
    """Classify a raw scraped article and assemble its parts."""
    rules = rules or default_rules()
    units, labels, _ = classify_text(text, rules)
    return assemble(units, labels, rules)


def classify_text(
    text: str, rules: Rules | None = None
) -> tuple[list[Unit], list[Label], Judgement]:
    """The units of a scraped text, their final labels, and the model's judgement of each.

    The rule passes label every unit; the learned model (``model.json``) then drops text it
    judges to be page furniture and recovers an article the rules took for a comment thread.
    """
    units, alone, layout = prepare(text, rules)
    labels, judgement = default_model().classify(units, alone, layout)
    return units, labels, judgement


def prepare(text: str, rules: Rules | None = None) -> tuple[list[Unit], list[Label], list[Label]]:
    """The units of a scraped text with their labels from pass one and from pass two."""
    rules = rules or default_rules()
    units = split_units(text, rules.thresholds, lambda line: _is_furniture(line, rules))
    alone = [label_alone(unit, rules) for unit in units]
    return units, alone, revise(units, alone, rules)


def _is_furniture(line: str, rules: Rules) -> bool:
    phrase_sets = (
        rules.navigation,
        rules.related,
        rules.widget,
        rules.comments_closed,
        rules.footer,
        rules.kickers,
    )
    return any(phrases.matches(line) for phrases in phrase_sets) or bool(
        rules.credit_pattern.match(line)
        or read_byline(line, rules)
        or patterns.is_timestamp(line)
        or patterns.END_MARKER.match(line)
    )


def assemble(units: Sequence[Unit], labels: Sequence[Label], rules: Rules) -> TextParts:
    body: list[str] = []
    sections: list[Section] = []
    boilerplate: list[Boilerplate] = []
    headline = byline = published = None
    people: list[str] = []
    bios: list[str] = []
    for unit, label in zip(units, labels, strict=True):
        if label is Label.BODY:
            body.append(unit.text)
        elif label is Label.SECTION_HEADING:
            sections.append(Section(unit.text, len(body)))
        elif label is Label.HEADLINE and headline is None:
            headline = unit.text
        elif label in BOILERPLATE_KINDS:
            boilerplate.append(Boilerplate(BOILERPLATE_KINDS[label], unit.text, unit.line))
        if label is Label.BYLINE and byline is None:
            byline = unit.text
            people.extend(_byline_people(unit.text, rules))
        elif label is Label.BIO:
            bios.append(unit.text)
        if label in (Label.DATE, Label.BYLINE) and published is None:
            published = patterns.iso_date(unit.text)
    body_units = [unit for unit, label in zip(units, labels, strict=True) if label is Label.BODY]
    dateline = _take_dateline(body, body_units, boilerplate)
    if published is None and dateline is not None:
        published = patterns.iso_date(dateline.text)
    _take_end_marker(body, body_units, boilerplate)
    people.extend(_credited_people(boilerplate, rules))
    # The bio that names its author, else the first ("The writer is ...").
    bio = next((text for text in bios if bio_author(text)), bios[0] if bios else None)
    if not people:
        people.extend(name for text in bios for name in bio_authors(text))
    return TextParts(
        headline=headline,
        authors=tuple(dict.fromkeys(people)),
        byline=byline,
        author_bio=bio,
        published=published,
        dateline=dateline,
        images=tuple(_images(units, labels, rules)),
        body=tuple(body),
        sections=tuple(sections),
        boilerplate=tuple(sorted(boilerplate, key=lambda item: (item.line, item.fragment))),
        comments=tuple(parse_comments(units, labels, rules)),
        comments_closed=any(label is Label.COMMENTS_CLOSED for label in labels),
    )


def _byline_people(text: str, rules: Rules) -> list[str]:
    """The people of a byline line; pass two may have made bare names one ("Jane Roe and X")."""
    parts = read_byline(text, rules)
    if parts is not None:
        return parts[0]
    return patterns.names_only(text, name_rules(rules)) or []


def _credited_people(boilerplate: Sequence[Boilerplate], rules: Rules) -> list[str]:
    """Reporters and writers named by a wire story's closing credits ("Reporting by ...")."""
    names = name_rules(rules)
    people: list[str] = []
    for item in sorted(boilerplate, key=lambda item: item.line):
        if item.kind is BoilerplateKind.FOOTER:
            people.extend(patterns.credited_people(item.text, rules.author_credit_labels, names))
    return people


def _take_dateline(
    body: list[str], body_units: Sequence[Unit], boilerplate: list[Boilerplate]
) -> Dateline | None:
    """Cut a wire dateline ("BRUSSELS (Reuters) - ") off the first body paragraph."""
    if not body:
        return None
    match = patterns.DATELINE.match(body[0])
    if not match:
        return None
    place = match.group("place")
    shouted = place.isupper() and len(place.replace(" ", "")) >= 3
    if not shouted and not (match.group("agency") or match.group("date")):
        return None
    text = match.group("text").strip()
    body[0] = body[0][match.end() :]
    boilerplate.append(Boilerplate(BoilerplateKind.DATELINE, text, body_units[0].line, True))
    agency = match.group("agency") or match.group("slashed")
    place = place.strip().title() if shouted else place.strip()
    return Dateline(text=text, place=place, agency=agency)


def _take_end_marker(
    body: list[str], body_units: Sequence[Unit], boilerplate: list[Boilerplate]
) -> None:
    """Cut a wire end-marker ("(Reporting by ...)", "-- AP") off the last body paragraph."""
    if not body:
        return
    match = patterns.WIRE_END_MARKER.search(body[-1])
    if not match or match.start() == 0:
        return
    body[-1] = body[-1][: match.start()].rstrip()
    line = body_units[-1].line
    boilerplate.append(Boilerplate(BoilerplateKind.FOOTER, match.group("marker"), line, True))


def _images(units: Sequence[Unit], labels: Sequence[Label], rules: Rules) -> list[Image]:
    """Group adjacent title/caption/credit units into images, in reading order."""
    images: list[Image] = []
    parts: dict[Label, str] = {}
    previous = -2
    for index, (unit, label) in enumerate(zip(units, labels, strict=True)):
        if label not in IMAGE_PARTS:
            continue
        if parts and (index != previous + 1 or label in parts or _credit_ends(parts, label)):
            images.append(_image(parts))
            parts = {}
        _add_image_part(parts, unit.text, label, rules)
        previous = index
    if parts:
        images.append(_image(parts))
    return images


def _credit_ends(parts: dict[Label, str], label: Label) -> bool:
    """A title after a caption and its credit starts the next image."""
    return label is Label.IMAGE_TITLE and Label.CAPTION in parts


def _add_image_part(parts: dict[Label, str], text: str, label: Label, rules: Rules) -> None:
    if label is Label.CREDIT:
        match = rules.credit_pattern.match(text)
        parts[label] = match.group("credit").strip() if match else text.strip("() ")
    elif label is Label.CAPTION:
        glued = split_caption_credit(text, rules)
        labelled = rules.caption_label_pattern.match(text)
        credited = rules.credit_pattern.match(text)
        if glued:
            parts[label] = glued[0]
            parts[Label.CREDIT] = glued[1]
        elif labelled:
            parts[label] = labelled.group("caption")
        elif credited:
            parts[label] = credited.group("credit")
        else:
            parts[label] = text
    else:
        parts[label] = text


def _image(parts: dict[Label, str]) -> Image:
    return Image(
        caption=parts.get(Label.CAPTION),
        credit=parts.get(Label.CREDIT),
        title=parts.get(Label.IMAGE_TITLE),
    )
