"""The classifier's phrase lists and thresholds, loaded from data so callers can extend them.

The defaults live in ``rules.yml`` beside this module. Phrases describe page furniture common to
news sites ("Previous article", "Also Read:", "Comments are closed."), never one outlet's text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from natowatch.core.yamlload import safe_load

RULES_FILE = Path(__file__).with_name("rules.yml")

# Separators that follow a label: "Photo Credit: X", "Image source, X", "Related | X".
SEPARATOR = r"\s*[:|,\-–—»›]"


@dataclass(frozen=True)
class Thresholds:
    short_line_max_words: int
    headline_min_words: int
    headline_max_chars: int
    image_title_max_words: int
    caption_max_chars: int
    glued_credit_max_words: int
    wrapped_line_min_chars: int
    wrapped_line_max_chars: int
    name_max_words: int
    bio_min_words: int


@dataclass(frozen=True)
class PhraseSet:
    """Phrases matched at the start of a line (prefixes) or as the whole line (lines)."""

    prefixes: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()
    # Loose prefixes match whatever follows them ("This discussion is now closed for ...").
    loose: bool = False

    @functools.cached_property
    def _prefix_pattern(self) -> re.Pattern[str] | None:
        return _prefix_regex(self.prefixes)

    @functools.cached_property
    def _line_set(self) -> frozenset[str]:
        return frozenset(normalise_line(line) for line in self.lines)

    def match(self, text: str) -> re.Match[str] | None:
        """The prefix match (group ``rest`` holds what follows the label), if any."""
        pattern = self._prefix_pattern
        return pattern.match(text) if pattern else None

    @functools.cached_property
    def _folded_prefixes(self) -> tuple[str, ...]:
        return tuple(prefix.casefold() for prefix in self.prefixes)

    def starts(self, text: str) -> bool:
        return text.strip().casefold().startswith(self._folded_prefixes)

    def matches(self, text: str) -> bool:
        if normalise_line(text) in self._line_set:
            return True
        return self.starts(text) if self.loose else self.match(text) is not None


@dataclass(frozen=True, eq=False)
class Rules:
    """Everything the raw-text classifier knows about page furniture.

    Compared and hashed by identity (``eq=False``): caches keyed on a Rules object are asked on
    every line, and hashing all its phrase lists each time cost more than they saved.
    """

    credit_labels: tuple[str, ...]
    caption_labels: tuple[str, ...]
    navigation: PhraseSet
    related: PhraseSet
    comments_closed: PhraseSet
    comments_header: PhraseSet
    widget: PhraseSet
    footer: PhraseSet
    bio_professions: tuple[str, ...]
    bio_cues: tuple[str, ...]
    bio_headers: PhraseSet
    # Bylines and authors: "By"/"Words:" labels, the closing credits that name authors
    # ("Reporting by"), bios that name no one ("The writer is ...") and how a bio runs on.
    byline_labels: tuple[str, ...]
    author_credit_labels: frozenset[str]
    bio_subjects: tuple[str, ...]
    bio_continuations: frozenset[str]
    kickers: PhraseSet
    comment_meta: PhraseSet
    desk_words: frozenset[str]
    agencies: frozenset[str]
    sentence_openers: frozenset[str]
    non_name_words: frozenset[str]
    thresholds: Thresholds
    # The site's own notices, whatever words follow them: cookie consent, "official website"
    # banners, text-size widgets, comment policies.
    site_notices: PhraseSet = PhraseSet(loose=True)

    @functools.cached_property
    def credit_pattern(self) -> re.Pattern[str]:
        """``Photo Credit: X``, ``Photo by X``, ``(Photo: X)``; group ``credit`` is X."""
        labels = "|".join(re.escape(label) for label in _longest_first(self.credit_labels))
        return re.compile(
            rf"^\(?(?:{labels})(?:{SEPARATOR}|(?<=by)|(?<=©)|(?<=\(c\)))\s*(?P<credit>[^\s].*?)\)?\s*$",
            re.IGNORECASE,
        )

    @functools.cached_property
    def caption_label_pattern(self) -> re.Pattern[str]:
        labels = "|".join(re.escape(label) for label in _longest_first(self.caption_labels))
        return re.compile(rf"^(?:{labels}){SEPARATOR}\s*(?P<caption>\S.*)$", re.IGNORECASE)

    @functools.cached_property
    def bio_profession_pattern(self) -> re.Pattern[str]:
        words = "|".join(re.escape(word) for word in _longest_first(self.bio_professions))
        return re.compile(rf"\b(?:{words})s?\b", re.IGNORECASE)

    @functools.cached_property
    def bio_cue_pattern(self) -> re.Pattern[str]:
        cues = "|".join(re.escape(cue) for cue in _longest_first(self.bio_cues))
        return re.compile(rf"\b(?:{cues})\b", re.IGNORECASE)


# What ``normalise_line`` cuts off the end of a line, matched at the start of the reversed line:
# a pattern anchored at the end would be tried at every space of a long line.
_LINE_END = re.compile(r"[\s.…:!\d()\[\]]*")


@functools.lru_cache(maxsize=256)  # each line is tried against every phrase set in turn
def normalise_line(text: str) -> str:
    """Lower-case, without trailing dots, ellipses, colons or spaces, for whole-line matching."""
    text = text.strip()
    cut = _LINE_END.match(text[::-1])
    return text[: len(text) - cut.end()].casefold() if cut else text.casefold()


def _longest_first(phrases: Iterable[str]) -> list[str]:
    return sorted(set(phrases), key=lambda phrase: (-len(phrase), phrase))


def _prefix_regex(prefixes: Iterable[str]) -> re.Pattern[str] | None:
    """A label at the start of a line, followed by the end, a separator or glued text.

    A one-word label ("Related") needs a separator after it, so ordinary sentences that begin
    with the same word are left alone; a multi-word label ("Previous article") may be glued to
    the linked headline, as scrapers often leave it.
    """
    alternatives = []
    for prefix in _longest_first(prefixes):
        escaped = re.escape(prefix)
        if " " in prefix.strip() or not prefix[-1].isalnum():
            after = rf"(?:$|{SEPARATOR}|\s*[.…]|\s*(?=[A-Z0-9“\"‘'(])|(?<=\W))"
        else:
            after = rf"(?:$|{SEPARATOR}|\s*[.…]+\s*$|\s+(?=[0-9©]))"
        alternatives.append(f"{escaped}{after}")
    if not alternatives:
        return None
    # The label itself is case-insensitive, but what follows a glued label must really start with
    # a capital, so "(?i:...)" scopes the flag to the label.
    return re.compile(rf"^\s*(?i:(?:{'|'.join(alternatives)}))\s*(?P<rest>.*)$")


def _phrases(data: Mapping[str, Any], prefixes: str, lines: str | None = None) -> PhraseSet:
    return PhraseSet(
        prefixes=tuple(data.get(prefixes, ())),
        lines=tuple(data.get(lines, ())) if lines else (),
    )


def rules_from_data(data: Mapping[str, Any]) -> Rules:
    """Build Rules from a mapping shaped like ``rules.yml``."""
    return Rules(
        credit_labels=tuple(data["credit_labels"]),
        caption_labels=tuple(data["caption_labels"]),
        navigation=_phrases(data, "navigation_prefixes", "navigation_lines"),
        related=_phrases(data, "related_prefixes", "related_lines"),
        comments_closed=PhraseSet(
            prefixes=tuple(data["comments_closed"]),
            lines=tuple(data["comments_closed"]),
            loose=True,
        ),
        comments_header=PhraseSet(lines=tuple(data["comments_header_lines"])),
        widget=_phrases(data, "widget_prefixes", "widget_lines"),
        footer=_phrases(data, "footer_prefixes"),
        bio_professions=tuple(data["bio_professions"]),
        bio_cues=tuple(data["bio_cues"]),
        bio_headers=PhraseSet(lines=tuple(data["bio_headers"])),
        byline_labels=tuple(data.get("byline_labels", ())),
        author_credit_labels=frozenset(
            label.casefold() for label in data.get("author_credit_labels", ())
        ),
        bio_subjects=tuple(data.get("bio_subjects", ())),
        bio_continuations=frozenset(data.get("bio_continuations", ())),
        kickers=PhraseSet(lines=tuple(data["kicker_lines"])),
        site_notices=PhraseSet(prefixes=tuple(data.get("site_notices", ())), loose=True),
        comment_meta=PhraseSet(lines=tuple(data["comment_meta_lines"])),
        desk_words=frozenset(word.casefold() for word in data["desk_words"]),
        agencies=frozenset(data["agencies"]),
        sentence_openers=frozenset(data["sentence_openers"]),
        non_name_words=frozenset(data["non_name_words"]),
        thresholds=Thresholds(**data["thresholds"]),
    )


@functools.cache
def default_rules() -> Rules:
    """The shipped rules, parsed once per process."""
    with RULES_FILE.open(encoding="utf-8") as handle:
        return rules_from_data(safe_load(handle))
