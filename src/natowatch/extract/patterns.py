"""Shapes of text that recur across outlets: names, timestamps, bylines, glued credits, datelines.

Each function looks at the form of a string (capitalisation, punctuation, position), not at any
particular wording, so the same rule holds for an article from any site.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

MONTHS = (
    "january february march april may june july august september october november december"
).split()
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?"
DATE = (
    rf"(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?\s+\d{{4}}"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{4}-\d{2}-\d{2})"
)
TIME = r"\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[aApP]\.?[mM]\.?)?(?:\s+[A-Z]{2,4})?"
AGO = (
    r"(?:\d+|an?|one|two|three|few)\s+"
    r"(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago"
)
SHORT_DATE = rf"(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH})"
TIMESTAMP_BODY = (
    rf"(?:{WEEKDAY},?\s+)?(?:(?:{DATE}|{SHORT_DATE})(?:,?\s*(?:at|@|-|–|\||•|·)?\s*{TIME})?"
    rf"|{TIME}(?:\s*(?:on|,|-|\|)?\s*{DATE})?|{AGO}"
    rf"|(?:yesterday|today)(?:\s+at\s+{TIME})?|just now)"
)
TIMESTAMP = re.compile(
    rf"^(?:(?:(?:posted|published|updated|last updated|date)(?:\s+on)?|on)\s*[:|–—-]?\s*)?"
    rf"{TIMESTAMP_BODY}(?:\s*[|·•–—-]\s*\d+\s*min(?:ute)?s?\s+read)?$",
    re.IGNORECASE,
)
FULL_DATE_IN_TEXT = re.compile(DATE, re.IGNORECASE)

NAME_PARTICLES = frozenset(
    "de da di del della der den van von la le du bin ibn al el ben abu st. st mc".split()
)
# A capitalised word of a name in any script: "Roe", "Wiśniewski", "Łukasz", "O'Neil-Smith".
NAME_WORD = re.compile(r"^(?=[^\W\d_])[\w'’.-]+$")
# A person's name glued to comment meta: "Jane Doe says:", "jdoe wrote:".
SAYS = re.compile(r"^(?P<name>\S.{0,60}?)\s+(?:says|said|wrote|writes|commented)\s*:?$", re.I)
NAME_THEN_TIMESTAMP = re.compile(
    rf"^(?P<name>[^,|]{{2,60}}?)\s*(?:,|\||·|-|–|—|on)?\s+(?P<timestamp>{TIMESTAMP_BODY})$",
    re.IGNORECASE,
)

TRAILING_TIMESTAMP = re.compile(rf"\s*(?:,|on|\||-|–|—|·)?\s*{TIMESTAMP_BODY}$", re.IGNORECASE)
# Every timestamp holds a digit or one of these words: lines with neither skip the slow search.
TIMESTAMP_WORDS = re.compile(r"ago|yesterday|today|just now", re.IGNORECASE)
HANDLE = re.compile(r"^@?[\w.-]{2,30}$")
REPLY_TO = re.compile(r"^(?:reply|replying|in reply|in response) to @?(?P<name>\S.{0,60})$", re.I)
# "Helen Marsh Defence and security editor": a name followed by the writer's job title.
NAME_THEN_ROLE = re.compile(
    r"^(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}?)\s+(?P<role>[A-Z]?[a-z][\w ,&'’-]{2,60})$"
)
# Lines that close an article: AP's "___", press releases' "###", "-30-", "ENDS".
END_MARKER = re.compile(r"^(?:_{3,}|#{3,}|-30-|-?ends?-?|-+\s*end\s*-+)$", re.IGNORECASE)
RULE_LINE = re.compile(r"^[\W_]{3,}$")
NAME_SEPARATORS = re.compile(r"\s*(?:,|;|\||/|&|\band\b|\bwith\b)\s*", re.IGNORECASE)

# "...at the summit in Madrid.Reuters": a credit glued to a caption's full stop, no space.
GLUED_CREDIT = re.compile(
    r"^(?P<caption>.*[a-z0-9)”\"’]\.)(?P<credit>[A-Z][\w&'’-]+(?:[ /][A-Z][\w&'’.-]*){0,3})$"
)
# "... in Brussels. REUTERS/Yves Herman" or "(AP Photo/Virginia Mayo)" after a caption.
TRAILING_CREDIT = re.compile(
    r"^(?P<caption>.*[.!?”\"])\s+\(?(?P<credit>(?:[A-Z][\w&'’.-]*\s){0,3}"
    r"(?:[A-Z][\w&'’.-]*(?:\s(?:Photo|Images|Pictures))?)/[A-Z][\w&'’.-]*(?:\s[A-Z][\w&'’.-]*){0,3})\)?$"
)
# "caption. Photograph: Name/Agency", "caption [File: Name/AFP]", "caption (PTI Photo)".
BRACKETED_TAIL = re.compile(r"^(?P<caption>.*\S)\s*(?P<credit>\[[^\[\]]{2,80}\]|\([^()]{2,80}\))$")
AGENCY_PHOTO = re.compile(
    r"^[(\[](?P<credit>[A-Z][\w&.-]*(?:\s[A-Z][\w&.-]*)?)\s+(?:Photo|Photos|Picture|Image|File)[)\]]$"
)
SLASH_CREDIT = re.compile(r"^[(\[](?:File:\s*)?(?P<credit>[^()\[\]]*\S/\S[^()\[\]]*)[)\]]$")
AGENCY_CREDIT_LINE = re.compile(
    r"^\(?(?:[A-Z][\w&'’.-]*\s){0,3}[A-Z][\w&'’.-]*(?:\s(?:Photo|Images|Pictures))?"
    r"/[A-Z][\w&'’.-]*(?:\s[A-Z][\w&'’.-]*){0,3}\)?$"
)

# Wire datelines: "BRUSSELS (Reuters) - ", "JERUSALEM, May 4 (AP) — ", "Brussels, May 4 (IANS): ".
DATELINE = re.compile(
    r"^(?P<text>(?P<place>[A-Z][A-Z.'’ -]{1,40}[A-Z.]|[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2})"
    r"(?:,\s*(?P<region>[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+){0,2}))?"
    rf"(?:,?\s*(?P<date>{MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?|\d{{1,2}}\s+{MONTH}(?:\s+\d{{4}})?)\.?)?"
    r"\s*(?:\((?P<agency>[A-Za-z][\w .&/-]{0,30})\)\s*(?:--|[-—–:])"
    r"|/(?P<slashed>[A-Za-z][\w .&-]{0,30})/\.?"
    r"|--|[-—–:])\s+)(?=\S)"
)
WIRE_END_MARKER = re.compile(
    r"\s*(?P<marker>\((?:reporting|writing|editing|additional reporting|compiled|with reporting)"
    r"\s+by[^()]*\)|\(\s*(?:[A-Z]{2,}|AP|dpa)\s*\)|-{2,}\s*[A-Z][\w ]{0,20}|#{3}|\bEnds\b\.?)\s*$",
    re.IGNORECASE,
)


def is_name(text: str, max_words: int, non_name_words: Collection[str] = ()) -> bool:
    """True when ``text`` is shaped like a person's name: 1..max capitalised words."""
    words = text.replace("\u00a0", " ").split()
    if not 1 <= len(words) <= max_words:
        return False
    if not _name_word(words[0]) or words[0] in non_name_words:
        return False
    return all(_name_word(word) or word.lower() in NAME_PARTICLES for word in words[1:])


def _name_word(word: str) -> bool:
    return word[0].isupper() and NAME_WORD.match(word) is not None


def is_commenter(text: str, max_words: int, non_name_words: Collection[str] = ()) -> bool:
    """A commenter's display name: a person's name, or a one-word handle such as "@jdoe"."""
    text = text.strip()
    return HANDLE.match(text) is not None or is_name(text, max_words, non_name_words)


def without_trailing_timestamp(text: str) -> str:
    """The text with a timestamp at its end removed (searched from every position: slow)."""
    if not (any(char.isdigit() for char in text) or TIMESTAMP_WORDS.search(text)):
        return text
    return TRAILING_TIMESTAMP.sub("", text)


def is_timestamp(text: str) -> bool:
    return TIMESTAMP.match(text.strip()) is not None


# What may follow a byline's names after a separator: "| Reuters", "· 5 min read", "- Special to".
BYLINE_SEGMENT_BREAK = re.compile(r"\s+[|·•–—-]\s+|\s*\|\s*")
# "Jane Roe in Brussels and John Smith in Kyiv": where each of them filed from.
FILED_FROM = re.compile(
    r"\s+(?:in|from)\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}(?=\s*(?:,|;|&|\band\b|$))"
)
TRAILING_PUBLISHED = re.compile(
    r"\s*[|·•,]?\s*\b(?:published|updated|posted|last updated)(?:\s+on)?\s*:?\s*$", re.IGNORECASE
)
READING_TIME = re.compile(r"^\d+\s*(?:-\s*)?(?:min(?:ute)?s?|mins?)(?:\s+read)?$", re.IGNORECASE)
CALENDAR_WORD = re.compile(rf"^(?:{WEEKDAY}|{MONTH})$", re.IGNORECASE)
# One part of a wire story's closing credits: "Reporting by A and B in Brussels".
CREDIT_PART = re.compile(r"^(?P<label>[A-Za-z][A-Za-z ]{0,30}?\s+by)\s*:?\s+(?P<names>\S.*)$")


@dataclass(frozen=True)
class NameRules:
    """What tells a byline's people from the rest of it: the classifier's word lists."""

    max_words: int
    agencies: Collection[str] = ()
    desk_words: Collection[str] = ()
    non_name_words: Collection[str] = ()
    is_place: Callable[[str], bool] = lambda _: False
    is_role: Callable[[str], bool] = lambda _: False
    section_words: Collection[str] = ()  # "World", "News": a section's name, not a person's


@dataclass
class _Reading:
    people: list[str] = field(default_factory=list)
    wires: list[str] = field(default_factory=list)
    extras: int = 0  # roles, places and reading times beside the names
    unknown: int = 0  # segments after a separator that are none of these


@functools.lru_cache(maxsize=8)
def byline_label_pattern(labels: tuple[str, ...]) -> re.Pattern[str]:
    """ "By Jane Roe", "Written by Jane Roe", "Words: Jane Roe": a label, then the names.

    A label that ends in "by" may be followed by a colon or a space; any other ("Words") needs
    the colon, so a sentence that opens with the same word is left alone.
    """
    ordered = sorted(set(labels), key=lambda label: (-len(label), label))
    by = "|".join(re.escape(label) for label in ordered if label.casefold().endswith("by"))
    other = "|".join(re.escape(label) for label in ordered if not label.casefold().endswith("by"))
    alternatives = [rf"(?:{by})\s*:?\s+"] if by else []
    alternatives += [rf"(?:{other})\s*:\s*"] if other else []
    return re.compile(rf"^(?:{'|'.join(alternatives)})(?P<names>\S.*)$", re.IGNORECASE)


def byline_names(
    text: str, labels: Collection[str], rules: NameRules
) -> tuple[list[str], list[str]] | None:
    """Split a labelled byline into (people, agencies); None when the line is not a byline.

    "By contrast, the alliance ..." is a sentence, not a byline: every part after "By" must be
    a name, a known agency or desk, a job title, or where the writer filed from; what follows a
    separator ("| Reuters", "· 5 min read") may also be a date.
    """
    match = byline_label_pattern(tuple(labels)).match(text.strip())
    if not match:
        return None
    reading = _read_names(match.group("names"), rules)
    if reading is None or not (reading.people or reading.wires):
        return None
    return reading.people, reading.wires


def name_line(text: str, rules: NameRules) -> tuple[list[str], list[str]] | None:
    """An unlabelled byline: names with an agency or a job title ("Jane Roe, Reuters",
    "Jane Roe, Special Correspondent", "Jane Roe | Defence Correspondent").

    Bare names ("Jane Roe", "Jane Roe and John Smith") are not enough on their own: only their
    place next to the date line makes them a byline (layout's pass two).
    """
    # A full name has two capitalised words; most lines have not, and reading one costs a lot.
    if sum(1 for word in text.split() if word[:1].isupper()) < 2:
        return None
    reading = _read_names(text, rules)
    if reading is None or reading.unknown or not reading.people:
        return None
    if not (reading.wires or reading.extras) or any(len(p.split()) < 2 for p in reading.people):
        return None
    if rules.is_place(reading.people[0]):
        return None
    return reading.people, reading.wires


def names_only(text: str, rules: NameRules) -> list[str] | None:
    """The people of a line made only of full names: "Jane Roe", "Jane Roe and John Smith"."""
    parts = [part.strip() for part in NAME_SEPARATORS.split(text.strip()) if part.strip()]
    if not parts or rules.is_place(text.strip()):
        return None
    for part in parts:
        words = part.split()
        if (
            len(words) < 2
            or not is_name(part, rules.max_words, rules.non_name_words)
            or rules.is_place(part)
            or rules.is_role(part)
            or any(word.casefold() in rules.desk_words for word in words)
            or any(word.casefold() in rules.section_words for word in words)
        ):
            return None
    return [_tidy_name(part) for part in parts]


def credited_people(text: str, author_labels: Collection[str], rules: NameRules) -> list[str]:
    """The reporters and writers of a wire story's closing credits.

    "(Reporting by A and B in Brussels; Writing by C; Editing by D)" -> [A, B, C]: the parts
    whose label is one of ``author_labels``; editors and additional reporting are not authors.
    """
    inner = text.strip()
    if inner.startswith("(") and inner.endswith(")"):
        inner = inner[1:-1]
    people: list[str] = []
    for segment in re.split(r"\s*;\s*", inner.strip().rstrip(".")):
        match = CREDIT_PART.match(segment.strip())
        if not match:
            return []
        if match.group("label").casefold() not in author_labels:
            continue
        names = FILED_FROM.sub("", match.group("names"))
        for part in NAME_SEPARATORS.split(names):
            part = part.strip(" .")
            if part and is_name(part, rules.max_words, rules.non_name_words):
                if part not in rules.agencies and not rules.is_place(part):
                    people.append(_tidy_name(part))
    return people


def _read_names(text: str, rules: NameRules) -> _Reading | None:
    """People, agencies and the rest of a byline's text; None when a part is none of these."""
    text = text.strip().rstrip(".")
    undated = TRAILING_PUBLISHED.sub("", without_trailing_timestamp(text))
    first, *rest = BYLINE_SEGMENT_BREAK.split(undated)
    reading = _Reading(extras=int(undated != text))
    located = FILED_FROM.sub("", first)
    reading.extras += located != first
    for part in NAME_SEPARATORS.split(located):
        part = part.strip(" .")
        if not part:
            continue
        agency = _trailing_agency(part, rules) if _part_kind(part, rules, True) != "wire" else None
        if agency:  # "By JANE ROE Associated Press"
            reading.wires.append(agency)
            part = part[: -len(agency)].strip()
        kind = _part_kind(part, rules, after_people=bool(reading.people))
        if kind is None:
            return None
        _take(reading, part, kind)
    for segment in rest:
        segment = segment.strip(" .,")
        kind = _part_kind(segment, rules, after_people=True) if segment else "extra"
        _take(reading, segment, "unknown" if kind in (None, "person") else kind)
    return reading


def _part_kind(part: str, rules: NameRules, after_people: bool) -> str | None:
    if part in rules.agencies or part.title() in rules.agencies or part.upper() in rules.agencies:
        return "wire"
    if any(word.casefold() in rules.desk_words for word in part.split()):
        return "wire"  # a newsroom desk ("TOI Staff"), not a person
    if rules.is_role(part):
        return "extra"  # "Defence Correspondent"
    if rules.is_place(part):
        return "extra" if after_people else None  # "By Jane Roe, New Delhi": where she filed
    if is_timestamp(part) or READING_TIME.match(part):
        return "extra"
    if CALENDAR_WORD.match(part) or FULL_DATE_IN_TEXT.search(part):
        return None
    if len(part.split()) == 1 and is_name(part, 1):
        return "wire"  # "By Jane Roe, CNN": one word is an outlet, not a person
    if is_name(part, rules.max_words, rules.non_name_words):
        return "person"
    if after_people and is_name(part, rules.max_words + 2):
        return "extra"  # "By Jane Roe, The Example Times": the outlet
    return None


def _trailing_agency(part: str, rules: NameRules) -> str | None:
    words = part.split()
    for size in (3, 2, 1):
        tail = " ".join(words[-size:])
        if len(words) > size + 1 and (tail in rules.agencies or tail.title() in rules.agencies):
            return tail
    return None


def _take(reading: _Reading, part: str, kind: str) -> None:
    if kind == "person":
        reading.people.append(_tidy_name(part))
    elif kind == "wire":
        reading.wires.append(part)
    elif kind == "extra":
        reading.extras += 1
    else:
        reading.unknown += 1


def _tidy_name(name: str) -> str:
    """ "JOHN SMITH" -> "John Smith"; mixed-case names are kept as written."""
    return name.title() if name.isupper() and len(name) > 3 else name


def iso_date(text: str) -> str | None:
    """An ISO date from a full date written in any common style, or None."""
    text = text.strip().rstrip(".")
    match = re.search(r"(\d{4})-(\d{2})-(\d{2})", text)
    if match:
        return _valid(int(match[1]), int(match[2]), int(match[3]))
    match = re.search(rf"({MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", text, re.I)
    if match:
        return _valid(int(match[3]), _month_number(match[1]), int(match[2]))
    match = re.search(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH}),?\s+(\d{{4}})", text, re.I)
    if match:
        return _valid(int(match[3]), _month_number(match[2]), int(match[1]))
    return None


def _month_number(name: str) -> int:
    prefix = name.rstrip(".").lower()[:3]
    return next(index for index, month in enumerate(MONTHS, start=1) if month.startswith(prefix))


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None
