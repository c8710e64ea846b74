"""Dated statements: temporal expressions in the text, normalised to ISO 8601 at true precision.

"May 4, 2016" is a day, "October 2006" a month, "in 1949" a year, "in late 1994" the year 1994
qualified as late. Relative expressions ("on Thursday", "five years ago") are resolved against
the publication date when it is known and kept unresolved otherwise, never guessed. A bare
number counts as a year only in a year-like context ("in 1949", "a 2016 visit"), so "28
nations" or "F-15" never become dates.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from natowatch.core.model import Entity, Event, Zone
from natowatch.core.yamlload import safe_load
from natowatch.language.lexicon import named_dates
from natowatch.language.tokens import sentence_spans
from natowatch.understand import dates

_YEAR = r"(?:1[0-9]{3}|20[0-9]{2}|2100)"
_NOT_AFTER_YEAR = r"(?![0-9]|[.,][0-9]|%|-[0-9]|\s?(?:per ?cent|percent)\b)"
_ORDINAL = r"(?:st|nd|rd|th)?"


@dataclass(frozen=True)
class _DateWords:
    months: dict[str, int]
    weekdays: tuple[str, ...]
    numbers: dict[str, int]
    qualifiers: tuple[str, ...]
    year_prepositions: tuple[str, ...]
    parts: tuple[str, ...]
    event_nouns: frozenset[str]
    quantity_words: frozenset[str]
    quantity_nouns: frozenset[str]
    currencies: tuple[str, ...]
    future: re.Pattern[str]


@functools.cache
def _words() -> _DateWords:
    text = (
        resources.files("natowatch.understand")
        .joinpath("data", "dates.yml")
        .read_text(encoding="utf-8")
    )
    data: dict[str, Any] = safe_load(text)
    future = "|".join(re.escape(str(word)) for word in data["future_markers"])
    return _DateWords(
        months={str(key): int(value) for key, value in data["months"].items()},
        weekdays=tuple(str(day) for day in data["weekdays"]),
        numbers={str(key): int(value) for key, value in data["numbers"].items()},
        qualifiers=tuple(str(word) for word in data["qualifiers"]),
        year_prepositions=tuple(str(word) for word in data["year_prepositions"]),
        parts=tuple(str(word) for word in data["parts"]),
        event_nouns=frozenset(str(word) for word in data["event_nouns"]),
        quantity_words=frozenset(str(word) for word in data["quantity_words"]),
        quantity_nouns=frozenset(str(word) for word in data["quantity_nouns"]),
        currencies=tuple(str(sign) for sign in data["currencies"]),
        future=re.compile(rf"\b(?:{future})\b", re.IGNORECASE),
    )


def _either_case(words: Sequence[str]) -> str:
    """An alternation of lower-case ``words`` that also takes them with a capital first letter
    (sentence starts: "In 2019, ..."), one branch per word."""
    return "|".join(
        f"[{word[0]}{word[0].upper()}]{re.escape(word[1:])}"
        for word in sorted(words, key=len, reverse=True)
    )


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _Found:
    """A temporal expression before it is placed in its sentence."""

    start: int
    end: int
    date: str | None
    precision: str
    qualifier: str | None = None
    resolved: bool = True


_Reader = Callable[[re.Match[str], str, dt.date | None], "_Found | None"]


_Need = Callable[[str], bool]


def _matching(pattern: str, flags: int = 0) -> _Need:
    """A test that ``pattern`` matches somewhere in a text."""
    search = re.compile(pattern, flags).search
    return lambda text: search(text) is not None


def _containing(*words: str) -> _Need:
    """A test that a text contains one of ``words`` as written (faster than a pattern)."""
    return lambda text: any(word in text for word in words)


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern[str], _Reader, tuple[_Need, ...]], ...]:
    """Each pattern with the function that reads its match; earlier patterns win ties.

    The third item lists cheap tests that each hold for any text the pattern matches in: a
    paragraph without a digit or a month name skips the patterns that need one, which is most
    of the work, and finds the same expressions.
    """
    words = _words()
    month_word = rf"(?:{_alternation(list(words.months))})\.?"
    month = rf"(?P<month>{_alternation(list(words.months))})\.?"
    qualifier = rf"(?:(?P<qual>{_alternation(words.qualifiers)})\s+)?"
    part = rf"(?:(?P<part>{_alternation(words.parts)})[\s-]+)?"
    weekday = rf"(?P<weekday>{_alternation(words.weekdays)})"
    number = rf"(?P<count>\d+|{_alternation(list(words.numbers))})"
    named = _alternation(list(named_dates()))
    year_prep = _either_case(words.year_prepositions)
    month_rel = _either_case(
        ("in", "since", "until", "by", "last", "next", "this", "early", "late", "mid")
    )
    b = r"(?<![\w/-])"
    digit = _matching(r"\d")
    month_name = _matching(_alternation(list(words.months)))
    weekday_name = _matching(_alternation(words.weekdays))
    year_digits = _matching(r"\d\d\d\d")  # every pattern that needs a year
    digits_apart = _matching(r"\d[/.]\d")  # "23/06/2016", "3.10.1990", "2016/05/04"
    digits_dash = _matching(r"\d\s?[–-]\s?\d")  # "14-15 March", "2016-17"
    return (
        (
            re.compile(rf"{b}{qualifier}(?P<y>\d{{4}})-(?P<m>\d{{2}})-(?P<d>\d{{2}})\b"),
            _iso,
            (year_digits, _containing("-")),
        ),
        (
            re.compile(
                rf"(?<![\w/.,-])(?P<a>\d{{1,2}})(?P<sep>[/.])(?P<b>\d{{1,2}})(?P=sep)"
                rf"(?P<y>{_YEAR})(?![/.]?\d)"
            ),
            _numeric,
            (digits_apart,),
        ),
        (
            re.compile(rf"{b}(?P<y>{_YEAR})/(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})(?![/.]?\d)"),
            _iso,
            (digits_apart,),
        ),
        (
            re.compile(
                rf"{b}{qualifier}(?:{weekday},?\s+)?(?P<d>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?"
                rf"{month},?\s+(?P<y>{_YEAR}){_NOT_AFTER_YEAR}"
            ),
            _full,
            (year_digits, month_name),
        ),
        (
            re.compile(
                rf"{b}{qualifier}(?:{weekday},?\s+)?{month}\s+(?P<d>\d{{1,2}}){_ORDINAL},?\s+"
                rf"(?P<y>{_YEAR}){_NOT_AFTER_YEAR}"
            ),
            _full,
            (year_digits, month_name),
        ),
        (
            re.compile(
                rf"{b}{qualifier}(?P<d>\d{{1,2}}){_ORDINAL}\s?[–-]\s?(?P<d2>\d{{1,2}}){_ORDINAL}\s+"
                rf"(?:of\s+)?{month}(?:,?\s+(?P<y>{_YEAR}){_NOT_AFTER_YEAR})?"
            ),
            _day_range,
            (digits_dash, month_name),
        ),
        (
            re.compile(
                rf"{b}{qualifier}{month}\s+(?P<d>\d{{1,2}}){_ORDINAL}\s?[–-]\s?(?P<d2>\d{{1,2}})"
                rf"{_ORDINAL}\b(?![–-]\d)(?:,?\s+(?P<y>{_YEAR}){_NOT_AFTER_YEAR})?"
            ),
            _day_range,
            (digits_dash, month_name),
        ),
        (
            re.compile(rf"{b}{qualifier}{part}{month},?\s+(?P<y>{_YEAR}){_NOT_AFTER_YEAR}"),
            _month_year,
            (year_digits, month_name),
        ),
        (
            re.compile(
                rf"{b}{qualifier}(?:{weekday},?\s+)?{month}\s+(?P<d>\d{{1,2}}){_ORDINAL}"
                r"(?![\d:.,]\d|\s*(?:%|per)|[–-]\d)\b"
            ),
            _month_day,
            (digit, month_name),
        ),
        (
            re.compile(
                rf"{b}{qualifier}(?:{weekday},?\s+)?(?P<d>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?{month}"
                r"\b"
            ),
            _month_day,
            (digit, month_name),
        ),
        (
            re.compile(
                rf"\b(?:[Ff]rom|[Bb]etween)\s+(?P<y>{_YEAR})\s+(?:to|and|until|till)\s+"
                rf"(?P<y2>{_YEAR}){_NOT_AFTER_YEAR}"
            ),
            _year_range,
            (year_digits, _containing("from", "between", "From", "Between")),
        ),
        (
            re.compile(rf"{b}(?P<y>{_YEAR})\s?[–-]\s?(?P<y2>{_YEAR}|\d{{2}})\b(?![–-]\d)"),
            _year_range,
            (digits_dash,),
        ),
        (
            re.compile(rf"\b(?:the\s+)?{part}(?P<decade>1[0-9]{{2}}0|20[0-9]0)['’]?s\b"),
            _decade,
            (year_digits, _containing("0s", "0's", "0’s")),
        ),
        (
            re.compile(
                rf"\b(?P<prep>{year_prep})\s+(?:the\s+year\s+)?{part}(?P<y>{_YEAR})"
                rf"{_NOT_AFTER_YEAR}(?!['’]?s\b)"
            ),
            _year,
            (year_digits,),
        ),
        (
            re.compile(
                rf"(?P<y>{_YEAR})[ \t\u00a0]+"
                r"(?P<rest>[A-Za-z][\w-]*(?:[ \t\u00a0]+[A-Za-z][\w-]*){0,2})"
            ),
            _year_before_noun,
            (year_digits,),
        ),
        (
            re.compile(rf"(?<![\w/])(?P<named>{named})(?![\w/])"),
            _named,
            (_containing(*named_dates()),),
        ),
        (
            re.compile(
                rf"\b(?:(?P<rel>(?i:last|next|this|on|early|late))\s+)?{weekday}"
                r"(?:\s+(?:morning|afternoon|evening|night))?\b"
                rf"(?!,?\s+(?:\d{{1,2}}{_ORDINAL}\s+(?:of\s+)?{month_word}|{month_word}\s+\d))"
            ),
            _weekday,
            (weekday_name,),
        ),
        (
            re.compile(r"\b(?P<word>[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]onight)\b"),
            _day_word,
            (_containing("esterday", "oday", "omorrow", "onight"),),
        ),
        (
            re.compile(
                r"\b(?:(?P<edge>earlier|later)\s+)?(?P<rel>last|next|this)\s+"
                r"(?P<unit>week|weekend|month|year)\b"
            ),
            _this_unit,
            (_containing("last", "next", "this"), _containing("week", "month", "year")),
        ),
        (
            re.compile(rf"\b{number}\s+(?P<unit>day|week|month|year|decade)s?\s+ago\b", re.I),
            _ago,
            (_matching("ago", re.IGNORECASE),),
        ),
        (
            re.compile(
                rf"\b(?P<rel>{month_rel})[\s-]+"
                rf"{month}\b"
            ),
            _month_only,
            (month_name,),
        ),
    )


# --- numbers that are amounts, not years or days --------------------------------------------

_AFTER_NUMBER = re.compile(r"(?P<joined>-[A-Za-z]|:\d|\s?%)|[ \t\u00a0]+(?P<word>[A-Za-z][\w/]*)")
_WORD_BEFORE = re.compile(r"(?P<word>[^\s(\[\"“‘]+)\s+$")
_NUMBER_AFTER = re.compile(r"\.?(?P<comma>,)?[ \t\u00a0]*(?P<number>\d(?:[\d,.]*\d)?)")
_RANGE_ON = re.compile(r"\s*(?:and|to|until|till|[-–])\s*\d")
_TO_NUMBER = re.compile(r"\s+to\s+\d")
_SPLIT = re.compile(r"\S+")
_DETERMINERS = frozenset(("a", "an", "the", "its", "his", "her", "their", "our", "this", "that"))
_ADJECTIVE_ENDINGS = ("al", "ar", "ary", "ic", "ian", "an", "ese", "ish", "ed", "ern", "ive")


def _quantity_after(text: str, position: int, plurals: bool = True) -> bool:
    """Whether the number ending at ``position`` is an amount: "2000 km", "1500-strong",
    "2030 GMT", "75%", and with ``plurals`` "1500 soldiers" (a plural that is not an event noun).
    """
    if _clock_then_day().match(text, position) and _clock(text[position - 4 : position]):
        return True  # "from 1800 on Saturday": a time of day
    match = _AFTER_NUMBER.match(text, position)
    if match is None:
        return False
    if match["joined"]:
        return True
    word = match["word"]
    words = _words()
    lower = word.lower()
    if lower in words.quantity_words and (word.islower() or word.isupper()):
        return True
    return plurals and _plural_count(word)


@functools.cache
def _clock_then_day() -> re.Pattern[str]:
    days = _alternation([*_words().weekdays, "today", "tonight", "tomorrow", "yesterday"])
    return re.compile(rf"[ \t\u00a0]+(?:(?:on|this|last|next)[ \t\u00a0]+)?(?:{days})\b")


def _clock(digits: str) -> bool:
    """Whether four digits read as a time of day on the 24-hour clock ("1800", "2030")."""
    return len(digits) == 4 and digits.isdigit() and int(digits[:2]) < 24 and int(digits[2:]) < 60


def _plural_count(word: str) -> bool:
    """A lower-case plural noun that counts things ("soldiers"), not one that names events."""
    return (
        word.islower()
        and len(word) > 3
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is", "as"))
        and word not in _words().event_nouns
    )


def _word_before(text: str, position: int) -> str:
    match = _WORD_BEFORE.search(text, max(0, position - 40), position)
    return match["word"] if match else ""


def _after_currency(text: str, position: int) -> bool:
    """Whether a currency sign or code stands just before ``position`` ("$1500", "Rs 2000")."""
    before = text[max(0, position - 5) : position].rstrip()
    for sign in _words().currencies:
        if before.endswith(sign):
            rest = before[: -len(sign)]
            if not sign[-1].isalpha() or not rest[-1:].isalpha():
                return True
    return False


def _month_stands_alone(match: re.Match[str], text: str, rel: str) -> bool:
    """Whether "in May" is the whole date: no number follows, or one that is a count ("In May
    12 soldiers were hurt", "In March, 2000 people fled"), not the day or year of a date."""
    number = _NUMBER_AFTER.match(text, match.end())
    if number is None:
        return True
    digits, end = number["number"], number.end()
    if not digits.isdigit() or len(digits) not in (1, 2, 4):
        return True
    if len(digits) <= 2:
        if number["comma"] or _day(2000, _month_number(match), int(digits)) is None:
            return True
        return _quantity_after(text, end, plurals=rel == "in")
    if not re.fullmatch(_YEAR, digits) or _NOT_YEAR_END.match(text, end) is None:
        return True
    return _quantity_after(text, end, plurals=number["comma"] is not None)


_NOT_YEAR_END = re.compile(_NOT_AFTER_YEAR)


# --- readers: one per pattern ---------------------------------------------------------------


def _qualifier(match: re.Match[str]) -> str | None:
    found = [
        match.groupdict().get(name)
        for name in ("qual", "part")
        if match.groupdict().get(name) is not None
    ]
    return " ".join(word.lower() for word in found if word) or None


def _day(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _iso(match: re.Match[str], text: str, published: dt.date | None) -> _Found | None:
    date = _day(int(match["y"]), int(match["m"]), int(match["d"]))
    if date is None:
        return None
    return _Found(match.start(), match.end(), date, "day", _qualifier(match))


def _numeric(match: re.Match[str], text: str, published: dt.date | None) -> _Found | None:
    """ "23/06/2016" or "06/23/2016" when a part above 12 shows the order; "3.10.1990" is always
    day first. "04/05/2016" could be either and is no date."""
    first, second = int(match["a"]), int(match["b"])
    if match["sep"] == "." or first > 12 >= second:
        day, month = first, second
    elif second > 12 >= first:
        day, month = second, first
    else:
        return None
    date = _day(int(match["y"]), month, day)
    if date is None:
        return None
    return _Found(match.start(), match.end(), date, "day")


def _month_number(match: re.Match[str]) -> int:
    return _words().months[match["month"].rstrip(".")]


def _full(match: re.Match[str], text: str, published: dt.date | None) -> _Found | None:
    date = _day(int(match["y"]), _month_number(match), int(match["d"]))
    if date is None:
        return None
    return _Found(match.start(), match.end(), date, "day", _qualifier(match))


def _month_year(match: re.Match[str], text: str, published: dt.date | None) -> _Found | None:
    comma = "," in text[match.end("month") : match.start("y")]
    if _quantity_after(text, match.end(), plurals=comma):
        return None  # "In March, 2000 people fled"; "by May 2000 km"
    date = f"{int(match['y']):04d}-{_month_number(match):02d}"
    return _Found(match.start(), match.end(), date, "month", _qualifier(match))


def _month_day(match: re.Match[str], text: str, published: dt.date | None) -> _Found | None:
    """ "May 4" with no year: the publication year when known, else ISO ``--05-04``."""
    month, day = _month_number(match), int(match["d"])
    if _day(2000, month, day) is None:  # 2000 is a leap year: accepts 29 February
        return None
    if match.end() == match.end("d"):  # "May 12 ...": the number may be a count
        after_in = _word_before(text, match.start("month")).lower() == "in"
        if _quantity_after(text, match.end(), plurals=after_in):
            return None  # "In May 12 soldiers were hurt", "In June 25-year-old Smith"
    qualifier = _qualifier(match)
    if published is None:
        return _Found(
            match.start(), match.end(), f"--{month:02d}-{day:02d}", "day", qualifier, False
        )
    date = _day(published.year, month, day)
    return _Found(match.start(), match.end(), date, "day", qualifier, date is not None)


def _day_range(match: re.Match[str], text: str, published: dt.date | None) -> _Found | None:
    """ "14-15 March", "May 4-6, 2016": two days of one month, as a range of days."""
    month, first, last = _month_number(match), int(match["d"]), int(match["d2"])
    if first >= last or _day(2000, month, last) is None:
        return None
    qualifier = _qualifier(match)
    if match["y"] is None and published is None:
        date = f"--{month:02d}-{first:02d}/--{month:02d}-{last:02d}"
        return _Found(match.start(), match.end(), date, "day", qualifier, False)
    year = int(match["y"]) if match["y"] else published.year if published else 0
    start, end = _day(year, month, first), _day(year, month, last)
    if start is None or end is None:
        return None
    return _Found(match.start(), match.end(), f"{start}/{end}", "day", qualifier)


def _year(match: re.Match[str], text: str, published: dt.date | None) -> _Found | None:
    prep = match["prep"].lower()
    if _quantity_after(text, match.end()) or _TO_NUMBER.match(text, match.end()):
        return None  # "from 1500 feet", "until 2000 hrs", "by 1952 votes", "by 1952 to 1203"
    if prep in ("between", "from") and _RANGE_ON.match(text, match.end()):
        return None  # a range of numbers that the range pattern did not take as years
    if prep == "of" and _word_before(text, match.start()).lower() in _words().quantity_nouns:
        return None  # "a total of 1945", "a force of 1500"
    part = match["part"]
    if prep in _words().parts:
        part, prep = prep, "in"
    qualifiers = [word.lower() for word in (prep, part) if word and word.lower() in _qualifying()]
    return _Found(match.start(), match.end(), match["y"], "year", " ".join(qualifiers) or None)


@functools.cache
def _qualifying() -> frozenset[str]:
    return frozenset((*_words().qualifiers, *_words().parts))


def _year_range(match: re.Match[str], text: str, published: dt.date | None) -> _Found | None:
    first, second = match["y"], match["y2"]
    if len(second) == 2:
        second = first[:2] + second
        if int(second) - int(first) > 30:
            return None  # "2016-55" is no abbreviated range of years
    if int(second) <= int(first):
        return None
    # "2016-17 stands at": no count is written that way, so a plural after it may be a verb
    plurals = len(match["y2"]) == 4
    if _quantity_after(text, match.end(), plurals) or _after_currency(text, match.start()):
        return None  # "from 1400 to 1800 local time", "1500-2000 euros", "$1500-2000"
    return _Found(match.start(), match.end(), f"{first}/{second}", "year")


def _decade(match: re.Match[str], text: str, published: dt.date | None) -> _Found | None:
    first = int(match["decade"])
    start = match.start("part") if match["part"] else match.start("decade")
    return _Found(start, match.end(), f"{first}/{first + 9}", "year", _qualifier(match))


def _year_before_noun(match: re.Match[str], text: str, published: dt.date | None) -> _Found | None:
    """ "a 2016 visit", "Israel's 2006 war", "the 2016 presidential election" date an event: a
    determiner or possessive, the year, and an event noun in lower case, after at most two
    modifiers. "the 2000 soldiers" is a count, "a 1911 pistol" a model, "the 2012 Summit" and
    "the 2030 Agenda" names."""
    if not text[match.start() - 1 : match.start()].isspace():
        return None
    before = _word_before(text, match.start())
    if before.lower() not in _DETERMINERS and not before.endswith(("'s", "’s", "s'", "s’")):
        return None
    for word in _SPLIT.finditer(match["rest"]):
        if word[0] in _words().event_nouns:
            start = match.start() - len(before) - 1
            return _Found(start, match.start("rest") + word.end(), match["y"], "year")
        modifier = word[0][0].isupper() or word[0].endswith(_ADJECTIVE_ENDINGS)
        if not modifier or _plural_count(word[0]):
            return None
    return None


def _named(match: re.Match[str], text: str, published: dt.date | None) -> _Found | None:
    return _Found(match.start(), match.end(), named_dates()[match["named"]], "day")


def _is_future(text: str, position: int) -> bool:
    sentence = next(
        (text[start:end] for start, end in sentence_spans(text) if start <= position < end),
        text,
    )
    return bool(_words().future.search(sentence))


def _weekday(match: re.Match[str], text: str, published: dt.date | None) -> _Found | None:
    rel = (match["rel"] or "").lower()
    start = match.start() if rel in ("last", "next", "this", "on") else match.start("weekday")
    if published is None:
        return _Found(start, match.end(), None, "day", resolved=False)
    day = _words().weekdays.index(match["weekday"])
    if rel in ("last", "next"):
        direction = rel
    else:
        direction = "future" if _is_future(text, match.start()) else "past"
    return _Found(start, match.end(), dates.weekday(published, day, direction), "day")


def _day_word(match: re.Match[str], text: str, published: dt.date | None) -> _Found | None:
    if published is None:
        return _Found(match.start(), match.end(), None, "day", resolved=False)
    shift = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[match["word"].lower()]
    return _Found(match.start(), match.end(), dates.shift_days(published, shift), "day")


def _this_unit(match: re.Match[str], text: str, published: dt.date | None) -> _Found | None:
    unit = match["unit"]
    precision = {"week": "week", "weekend": "week", "month": "month", "year": "year"}[unit]
    qualifier = match["edge"].lower() if match["edge"] else None
    if published is None:
        return _Found(match.start(), match.end(), None, precision, qualifier, False)
    step = {"last": -1, "next": 1, "this": 0}[match["rel"]]
    if precision == "week":
        date = dates.shift_weeks(published, step)
    elif precision == "month":
        date = dates.shift_months(published, step)
    else:
        date = dates.shift_years(published, step)
    return _Found(match.start(), match.end(), date, precision, qualifier)


def _ago(match: re.Match[str], text: str, published: dt.date | None) -> _Found | None:
    count_text = match["count"].lower()
    count = int(count_text) if count_text.isdigit() else _words().numbers.get(count_text)
    if count is None:
        return None
    unit = match["unit"].lower()
    precision = {"day": "day", "week": "week", "month": "month"}.get(unit, "year")
    if published is None:
        return _Found(match.start(), match.end(), None, precision, resolved=False)
    if unit == "day":
        date = dates.shift_days(published, -count)
    elif unit == "week":
        date = dates.shift_weeks(published, -count)
    elif unit == "month":
        date = dates.shift_months(published, -count)
    else:
        date = dates.shift_years(published, -count * (10 if unit == "decade" else 1))
    return _Found(match.start(), match.end(), date, precision)


def _month_only(match: re.Match[str], text: str, published: dt.date | None) -> _Found | None:
    """ "in May" with no year: this year's May when the publication date is known."""
    rel = match["rel"].lower()
    if match["month"] == "May" and rel in ("in", "by", "until", "since"):
        following = text[match.end() : match.end() + 12]
        if re.match(r"\s+(?:be|have|not|well|also|I|we|you|they)\b", following):
            return None  # "in May be ..." is the verb
    if not _month_stands_alone(match, text, rel):
        return None  # "in May 2016", "in May 12": a longer date
    month = _month_number(match)
    qualifier = rel if rel in _qualifying() else None
    if published is None:
        return _Found(match.start(), match.end(), f"--{month:02d}", "month", qualifier, False)
    direction = rel if rel in ("last", "next") else "this"
    return _Found(
        match.start(),
        match.end(),
        dates.month_near(published, month, direction),
        "month",
        qualifier,
    )


# --- finding -------------------------------------------------------------------------------


def _expressions(text: str, published: dt.date | None) -> list[_Found]:
    """All temporal expressions in ``text``, longest first where they overlap, in order."""
    found: list[tuple[int, int, int, _Found]] = []
    present: dict[_Need, bool] = {}
    for rank, (pattern, reader, needs) in enumerate(_patterns()):
        if not _holds(needs, text, present):
            continue
        for match in pattern.finditer(text):
            item = reader(match, text, published)
            if item is not None:
                found.append((item.start, -(item.end - item.start), rank, item))
    found.sort(key=lambda entry: entry[:3])
    chosen: list[_Found] = []
    for _, _, _, item in found:
        if chosen and item.start < chosen[-1].end:
            continue
        chosen.append(item)
    return chosen


def _holds(needs: tuple[_Need, ...], text: str, known: dict[_Need, bool]) -> bool:
    """Whether every need holds for ``text``; each is tested once per text (patterns share them)."""
    for need in needs:
        held = known.get(need)
        if held is None:
            held = known[need] = need(text)
        if not held:
            return False
    return True


def find_events(
    body: Sequence[str],
    published: str | None,
    entities: Sequence[Entity] = (),
    zone: Zone = Zone.BODY,
) -> tuple[Event, ...]:
    """Dated statements in ``body`` (paragraphs of ``zone``), sorted by paragraph and position.

    ``published`` (``YYYY-MM-DD``) anchors relative dates; ``entities`` supplies the ids of
    entities mentioned in each event's sentence.
    """
    day = dates.parse_day(published)
    by_paragraph: dict[int, list[tuple[int, str]]] = {}
    for entity in entities:
        for mention in entity.mentions:
            if mention.zone == zone:
                by_paragraph.setdefault(mention.paragraph, []).append((mention.start, entity.id))
    events: list[Event] = []
    for paragraph, text in enumerate(body):
        spans = sentence_spans(text)
        for item in _expressions(text, day):
            start, end = next(
                ((s, e) for s, e in spans if s <= item.start < e), (item.start, item.end)
            )
            ids = sorted(
                {
                    key
                    for position, key in by_paragraph.get(paragraph, ())
                    if start <= position < end
                }
            )
            events.append(
                Event(
                    date=item.date,
                    precision=item.precision,
                    expression=text[item.start : item.end],
                    sentence=text[start : max(end, item.end)],
                    paragraph=paragraph,
                    qualifier=item.qualifier,
                    resolved=item.resolved,
                    zone=zone,
                    entities=tuple(ids),
                )
            )
    return tuple(events)
