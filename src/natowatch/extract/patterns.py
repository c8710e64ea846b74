"""Shapes of text that recur across outlets: names, timestamps, bylines, glued credits, datelines.

Each function looks at the form of a string (capitalisation, punctuation, position), not at any
particular wording, so the same rule holds for an article from any site.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Collection

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
    rf"(?:{WEEKDAY},?\s+)?(?:(?:{DATE}|{SHORT_DATE})(?:,?\s*(?:at|@|-|–|\|)?\s*{TIME})?"
    rf"|{TIME}(?:\s*(?:on|,|-|\|)?\s*{DATE})?|{AGO}"
    rf"|(?:yesterday|today)(?:\s+at\s+{TIME})?|just now)"
)
TIMESTAMP = re.compile(
    rf"^(?:(?:(?:posted|published|updated|last updated|date)(?:\s+on)?|on)\s*:?\s*)?"
    rf"{TIMESTAMP_BODY}$",
    re.IGNORECASE,
)
FULL_DATE_IN_TEXT = re.compile(DATE, re.IGNORECASE)

NAME_PARTICLES = frozenset(
    "de da di del della der den van von la le du bin ibn al el ben abu st. st mc".split()
)
NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|[A-Z]{2,}[\w'’.-]*)$")
# A person's name glued to comment meta: "Jane Doe says:", "jdoe wrote:".
SAYS = re.compile(r"^(?P<name>\S.{0,60}?)\s+(?:says|said|wrote|writes|commented)\s*:?$", re.I)
NAME_THEN_TIMESTAMP = re.compile(
    rf"^(?P<name>[^,|]{{2,60}}?)\s*(?:,|\||·|-|–|—|on)?\s+(?P<timestamp>{TIMESTAMP_BODY})$",
    re.IGNORECASE,
)

TRAILING_TIMESTAMP = re.compile(rf"\s*(?:,|on|\||-|–|—|·)?\s*{TIMESTAMP_BODY}$", re.IGNORECASE)
HANDLE = re.compile(r"^@?[\w.-]{2,30}$")
REPLY_TO = re.compile(r"^(?:reply|replying|in reply|in response) to @?(?P<name>\S.{0,60})$", re.I)
# "Helen Marsh Defence and security editor": a name followed by the writer's job title.
NAME_THEN_ROLE = re.compile(
    r"^(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}?)\s+(?P<role>[A-Z]?[a-z][\w ,&'’-]{2,60})$"
)
# Lines that close an article: AP's "___", press releases' "###", "-30-", "ENDS".
END_MARKER = re.compile(r"^(?:_{3,}|#{3,}|-30-|-?ends?-?|-+\s*end\s*-+)$", re.IGNORECASE)
RULE_LINE = re.compile(r"^[\W_]{3,}$")
BYLINE = re.compile(
    r"^(?:by|written by|posted by|words by|story by|reported by|author|authors)\s*:?\s+"
    r"(?P<names>.+)$",
    re.IGNORECASE,
)
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
    if not NAME_WORD.match(words[0]) or words[0] in non_name_words:
        return False
    return all(NAME_WORD.match(word) or word.lower() in NAME_PARTICLES for word in words[1:])


def is_commenter(text: str, max_words: int, non_name_words: Collection[str] = ()) -> bool:
    """A commenter's display name: a person's name, or a one-word handle such as "@jdoe"."""
    text = text.strip()
    return HANDLE.match(text) is not None or is_name(text, max_words, non_name_words)


def is_timestamp(text: str) -> bool:
    return TIMESTAMP.match(text.strip()) is not None


def byline_names(
    text: str,
    max_words: int,
    agencies: Collection[str],
    desk_words: Collection[str] = (),
    is_place: Callable[[str], bool] = lambda _: False,
) -> tuple[list[str], list[str]] | None:
    """Split a byline into (people, agencies); None when the line is not a byline.

    "By contrast, the alliance ..." is a sentence, not a byline: every part after "By" must be
    a name or a known agency (a trailing date or place after a separator is allowed).
    """
    match = BYLINE.match(text.strip())
    if not match:
        return None
    names = match.group("names").strip().rstrip(".")
    names = TRAILING_TIMESTAMP.sub("", names)
    names = re.split(r"\s+(?:[|·–—-])\s+|\s+in\s+(?=[A-Z])", names, maxsplit=1)[0]
    people: list[str] = []
    wires: list[str] = []
    for part in NAME_SEPARATORS.split(names):
        part = part.strip(" .")
        if not part:
            continue
        if part in agencies or part.title() in agencies or part.upper() in agencies:
            wires.append(part)
        elif any(word.casefold() in desk_words for word in part.split()):
            wires.append(part)  # a newsroom desk ("TOI Staff"), not a person
        elif people and is_place(part):
            continue  # "By Jane Roe, New Delhi": where she filed from
        elif is_name(part, max_words) and not FULL_DATE_IN_TEXT.search(part):
            people.append(_tidy_name(part))
        elif is_timestamp(part):
            continue
        else:
            return None
    if not people and not wires:
        return None
    return people, wires


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
