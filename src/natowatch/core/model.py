"""The article record and its parts: what the loader produces and every later stage reads.

Records are plain frozen dataclasses with no I/O, so they can be cached, compared and serialised
to JSON (``to_dict``) without surprises. Unknown facts stay ``None``: the loader never invents a
date, an author or a URL.
"""

from __future__ import annotations

import dataclasses
import enum
import operator
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

Record = TypeVar("Record")


def fast_pickle(cls: type[Record]) -> type[Record]:
    """Pickle a frozen slotted dataclass as a tuple of its field values.

    The record cache unpickles about a hundred of these per article; the state methods that
    ``dataclass`` supplies look the fields up again for every object, which made reading 5,000
    cached records take twice as long.
    """
    names = tuple(item.name for item in dataclasses.fields(cls))  # type: ignore[arg-type]
    slots = tuple(cls.__dict__[name] for name in names)  # their member descriptors
    getter = operator.attrgetter(*names)

    def state(self: Any) -> tuple[Any, ...]:
        values = getter(self)
        return values if len(names) > 1 else (values,)

    cls.__getstate__ = state  # type: ignore[method-assign]
    cls.__setstate__ = _restorer(slots)  # type: ignore[attr-defined]
    return cls


def _restorer(slots: tuple[Any, ...]) -> Callable[[Any, tuple[Any, ...]], None]:
    """``__setstate__`` for these slots, written out once per class: one ``__set__`` call per
    slot (the frozen class refuses setattr; its slots do not) and no loop. Made from our own
    dataclass fields, never from input. A loop over ``zip`` cost 40% more to unpickle a
    record (0.2 s more to read 5,000 cached records)."""
    setters = {f"set_{index}": slot.__set__ for index, slot in enumerate(slots)}
    values = "".join(f"value_{index}, " for index in range(len(slots)))
    calls = "".join(f"    set_{index}(self, value_{index})\n" for index in range(len(slots)))
    namespace: dict[str, Any] = dict(setters)
    exec(f"def restore(self, values):\n    {values}= values\n{calls}", namespace)
    restore: Callable[[Any, tuple[Any, ...]], None] = namespace["restore"]
    return restore


class HeadlineSource(enum.StrEnum):
    """Where an article's headline came from, so readers know how far to trust it."""

    METADATA = "metadata"  # front matter or the sidecar facts file
    TEXT = "text"  # a headline line found in the article text
    DERIVED = "derived"  # made up from the URL slug or the lede; not the outlet's own words


class BoilerplateKind(enum.StrEnum):
    """Why a line of scraped text is not part of the article body."""

    HEADLINE = "headline"
    BYLINE = "byline"
    DATE = "date"
    DATELINE = "dateline"
    CREDIT = "credit"
    CAPTION = "caption"
    IMAGE_TITLE = "image-title"
    NAVIGATION = "navigation"
    RELATED_LINK = "related-link"
    BIO = "bio"
    COMMENTS_CLOSED = "comments-closed"
    COMMENTS_HEADER = "comments-header"
    COMMENT_META = "comment-meta"
    WIDGET = "widget"
    FOOTER = "footer"
    SECTION_HEADING = "section-heading"
    OTHER = "other"


class EntityType(enum.StrEnum):
    PERSON = "PERSON"
    ORG = "ORG"
    GPE = "GPE"  # countries, cities, states
    LOC = "LOC"  # other places: regions, seas, buildings
    EVENT = "EVENT"
    OTHER = "OTHER"


class Zone(enum.StrEnum):
    """Which part of the article a mention or event was found in."""

    BODY = "body"
    CAPTION = "caption"
    COMMENT = "comment"


@fast_pickle
@dataclass(frozen=True, slots=True)
class Image:
    """A photo reference in the text: its caption, credit and optional title line."""

    caption: str | None
    credit: str | None
    title: str | None = None


@fast_pickle
@dataclass(frozen=True, slots=True)
class Boilerplate:
    """A line (or glued fragment) removed from the body, kept so nothing is silently lost.

    ``line`` is the 1-based line number in the source file; ``fragment`` is true when the text was
    glued to another line (a credit stuck to a caption, a wire end-marker) rather than a whole line.
    """

    kind: BoilerplateKind
    text: str
    line: int
    fragment: bool = False


@fast_pickle
@dataclass(frozen=True, slots=True)
class Comment:
    """A reader comment. ``addressee`` is the person the comment opens by answering."""

    number: int
    text: str
    author: str | None = None
    timestamp: str | None = None
    addressee: str | None = None


@fast_pickle
@dataclass(frozen=True, slots=True)
class Section:
    """An in-article subheading, shown before body paragraph ``paragraph`` (0-based)."""

    heading: str
    paragraph: int


@fast_pickle
@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity: ``start``/``end`` are offsets into that paragraph's text.

    ``paragraph`` indexes ``Article.body`` for body mentions, ``Article.images`` for caption
    mentions and ``Article.comments`` for comment mentions (see ``zone``).
    """

    text: str
    paragraph: int
    start: int
    end: int
    zone: Zone = Zone.BODY


# The order an article is read in: its body, then its captions, then its reader comments.
ZONE_ORDER = {Zone.BODY: 0, Zone.CAPTION: 1, Zone.COMMENT: 2}


def distinct_mentions(mentions: Iterable[Mention]) -> tuple[Mention, ...]:
    """Each mention once (two entities of an article may share an id), in reading order: how
    the entity index counts them and the data files list them."""
    if isinstance(mentions, list) and len(mentions) == 1:
        return (mentions[0],)  # most articles name an entity once: nothing to sort
    unique = {
        (ZONE_ORDER.get(m.zone, len(ZONE_ORDER)), m.paragraph, m.start, m.end, m.text): m
        for m in mentions
    }
    return tuple(unique[key] for key in sorted(unique))


def _moved(ordered: tuple[Mention, ...], given: Sequence[Mention]) -> bool:
    return len(ordered) != len(given) or any(
        a is not b for a, b in zip(ordered, given, strict=True)
    )


@fast_pickle
@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation, place or named event the article mentions."""

    id: str
    name: str
    type: EntityType
    mentions: tuple[Mention, ...] = ()
    description: str | None = None
    wikidata: str | None = None
    refers_to: str | None = None

    def __post_init__(self) -> None:
        """The mentions made distinct and put in reading order (``distinct_mentions``) once,
        when the record is made: the entity index takes an article's mentions as they are,
        where sorting every mention of every cached record again cost ~0.5 s of each build
        at 5,000 articles. (An unpickled record was made so already.)"""
        mentions = self.mentions
        if isinstance(mentions, tuple) and len(mentions) < 2:
            return
        ordered = distinct_mentions(mentions)
        if not isinstance(mentions, tuple) or _moved(ordered, mentions):
            object.__setattr__(self, "mentions", ordered)


@fast_pickle
@dataclass(frozen=True, slots=True)
class Event:
    """A dated statement: a temporal expression normalised to ISO 8601 at its true precision.

    ``date`` is ``1949``, ``2016-05`` or ``2016-05-04`` (None when a relative expression could not
    be resolved); ``precision`` is year, month or day; ``qualifier`` records words such as
    early/late/since/before that change what the date means.
    """

    date: str | None
    precision: str
    expression: str
    sentence: str
    paragraph: int
    qualifier: str | None = None
    resolved: bool = True
    zone: Zone = Zone.BODY
    entities: tuple[str, ...] = ()


@fast_pickle
@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quote and who said it.

    ``text`` is the quoted words without the quote marks, exactly as printed (a quote that runs
    over several paragraphs is joined with a blank line). ``paragraph``/``start``/``end`` locate
    the opening quote mark's paragraph and the span of the quoted words in it; ``paragraphs``
    lists every body paragraph the quote covers. ``speaker`` is the speaker as written ("he",
    "Netanyahu", "the minister"), ``speaker_id`` the entity it resolved to (None if unresolved).
    """

    text: str
    speaker: str | None
    speaker_id: str | None
    paragraph: int
    start: int
    end: int
    paragraphs: tuple[int, ...] = ()
    zone: Zone = Zone.BODY


@fast_pickle
@dataclass(frozen=True, slots=True)
class Dateline:
    """A wire-copy dateline ("BRUSSELS, May 4 (Reuters) -") removed from the first paragraph."""

    text: str
    place: str | None = None
    agency: str | None = None


@fast_pickle
@dataclass(frozen=True, slots=True)
class Article:
    """One article of the archive, as the loader understood it.

    ``body`` holds the article's paragraphs as exact text from the source (Markdown source for
    ``.md`` files, whose rendered HTML is in ``body_html``). Everything removed from a scraped
    text is in ``boilerplate`` with its kind and line, so a reader can audit the extraction.
    """

    id: str
    slug: str
    source_file: str
    format: str  # "text" or "markdown"
    headline: str
    headline_source: HeadlineSource
    url: str | None
    publisher: str | None
    published: str | None  # ISO date (YYYY-MM-DD) or None when unknown
    authors: tuple[str, ...]
    byline: str | None
    author_bio: str | None
    dateline: Dateline | None
    images: tuple[Image, ...]
    body: tuple[str, ...]
    sections: tuple[Section, ...]
    boilerplate: tuple[Boilerplate, ...]
    comments: tuple[Comment, ...]
    comments_closed: bool
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()
    quotes: tuple[Quote, ...] = ()
    tags: tuple[str, ...] = ()
    body_html: tuple[str, ...] | None = None
    # Front matter with no field of its own, JSON-ready: summary, updated, images, aliases,
    # permalink, layout, weight, draft (only when true), and keys natowatch does not know.
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data (enums as their values, tuples as lists)."""
        return _converter(Article)(self)


# Field names that read differently in the JSON export: a mention is "in" the body, a caption...
JSON_KEYS = {"zone": "in"}
_PLAIN = (str, int, float, bool, type(None))


def _jsonable(value: Any) -> Any:
    """Any value of a record as JSON-ready data: records through their class's converter
    (``_converter``), enums as their values, tuples as lists, dicts value by value."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if hasattr(kind, "__dataclass_fields__"):
        return _converter(kind)(value)
    if isinstance(value, dict):  # ``extra``: keys as the source wrote them (a "zone" stays one)
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


_Converter = Callable[[Any], dict[str, Any]]
_CONVERTERS: dict[type, _Converter] = {}


def _converter(cls: type) -> _Converter:
    """A function from a record of ``cls`` to its JSON-ready dict, written for the class's
    field types: a record holds hundreds of values (every mention of every entity), and
    asking each value's type, as a generic converter must, cost most of exporting it."""
    made = _CONVERTERS.get(cls)
    if made is None:
        hints = typing.get_type_hints(cls)
        namespace: dict[str, Any] = {"_jsonable": _jsonable}
        fields = ", ".join(
            f"{JSON_KEYS.get(item.name, item.name)!r}: "
            + _converted(hints[item.name], f"record.{item.name}", namespace)
            for item in dataclasses.fields(cls)
        )
        exec(f"def convert(record):\n    return {{{fields}}}\n", namespace)
        made = _CONVERTERS[cls] = namespace["convert"]
    return made


def _converted(hint: Any, value: str, namespace: dict[str, Any]) -> str:
    """A Python expression giving ``value`` (an expression of type ``hint``) as JSON data."""
    args = typing.get_args(hint)
    if hint in _PLAIN:
        return value
    if isinstance(hint, types.UnionType) and type(None) in args and len(args) == 2:
        inner = _converted(next(arg for arg in args if arg is not type(None)), value, namespace)
        return value if inner == value else f"(None if {value} is None else {inner})"
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return f"{value}.value"
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        name = f"_convert_{hint.__name__}"
        namespace[name] = _converter(hint)
        return f"{name}({value})"
    if typing.get_origin(hint) is tuple and len(args) == 2 and args[1] is Ellipsis:
        inner = _converted(args[0], "item", namespace)
        return f"list({value})" if inner == "item" else f"[{inner} for item in {value}]"
    return f"_jsonable({value})"
