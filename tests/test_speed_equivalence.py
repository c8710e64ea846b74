"""The fast paths of the extractors give exactly what the plain versions they replaced gave.

Each oracle below is the straightforward code a speed-up replaced; the properties compare them
on generated text rich in the characters the shortcuts depend on (dots, apostrophes, capitals,
letters without case, digits, spaces of every kind).
"""

from __future__ import annotations

import dataclasses
import enum
import itertools
import pickle
import re
import unicodedata

import pytest
from benchmarks.generate import DEFAULT_SEED, generate_corpus, write_archive
from hypothesis import given, settings
from hypothesis import strategies as st

from natowatch.archive.loader import load_archive
from natowatch.archive.markdown import _BLANKS
from natowatch.core.jsonfile import json_text
from natowatch.core.model import JSON_KEYS, Article
from natowatch.extract.rules import normalise_line
from natowatch.language import stems
from natowatch.language.nametable import NameTable
from natowatch.language.tokens import sentence_spans, tokenize
from natowatch.understand import names
from paths import SEEDS

_WORD = re.compile(r"(?:[A-Z]\.){2,}|\d{1,2}/\d{1,2}(?:/\d{2,4})?|[^\W_]+(?:[-‐'’.][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s?$")

# Characters the shortcuts look at, plus a few that behave unusually (uncased letters,
# lower-case numerals, letters whose case changes their length).
TRICKY = st.text(
    alphabet=st.sampled_from(
        [*"aAbZsS1٣9./-‐'’_ \t\n\u00a0\u2009()[]:!…", "中", "ⅰ", "Ⅰ", "ª", "ǅ", "ß", "İ"]
    ),
    max_size=40,
)


def _all_caps(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters)


def _reference_tokens(text: str) -> list[tuple[str, int, int, bool, bool, bool]]:
    """Words as the first tokenizer found them: (text, start, end, possessive, caps tests)."""
    found = []
    for match in _WORD.finditer(text):
        word, start = match.group(), match.start()
        if not word.endswith(".") and "." in word and not re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?", word):
            pieces = [(part.group(), start + part.start()) for part in re.finditer(r"[^.]+", word)]
        else:
            pieces = [(word, start)]
        for piece, offset in pieces:
            possessive = _POSSESSIVE.search(piece)
            cut = possessive is not None and len(piece) - len(possessive.group()) >= 2
            if possessive is not None and cut:
                piece = piece[: possessive.start()]
            found.append(
                (piece, offset, offset + len(piece), cut, piece[0].isupper(), _all_caps(piece))
            )
    return found


@settings(max_examples=400)
@given(TRICKY)
def test_tokenize_matches_the_plain_tokenizer(text: str) -> None:
    got = [
        (token.text, token.start, token.end, token.possessive, token.capitalised, token.all_caps)
        for token in tokenize(text)
    ]
    assert got == _reference_tokens(text)


@settings(max_examples=400)
@given(TRICKY)
def test_normalise_line_matches_the_end_anchored_pattern(text: str) -> None:
    expected = re.sub(r"[\s.…:!\d()\[\]]+$", "", text.strip()).casefold()
    assert normalise_line(text) == expected


@settings(max_examples=400)
@given(TRICKY)
def test_markdown_blanks_match_collapsing_every_run(text: str) -> None:
    assert _BLANKS.sub(" ", text) == re.sub(r"[ \t]+", " ", text)


def _reference_stems(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    found = []
    for match in re.finditer(r"[^\W\d_]+(?:['’][^\W\d_]+)*", folded):
        word = re.sub(r"['’]s?$", "", match.group())
        if len(word) < stems.MIN_WORD or word in stems.stopwords():
            continue
        found.append(stems.stem(word.replace("’", "'")))
    return found


@settings(max_examples=400)
@given(
    st.lists(
        st.one_of(
            TRICKY,
            st.sampled_from(["Café", "naïve", "Türkiye’s", "the", "countries", "ﬁnance", "Ⅻ"]),
        ),
        max_size=8,
    ).map(" ".join)
)
def test_content_stems_match_the_plain_folding(text: str) -> None:
    assert stems.content_stems(text) == _reference_stems(text)


def _reference_sentence_marks(text: str) -> tuple[set[int], set[int]]:
    """(initial, headline) word indexes as the name finder first marked them."""
    tokens = tokenize(text)
    initial: set[int] = set()
    headline: set[int] = set()
    index = 0
    for start, end in sentence_spans(text):
        members: list[int] = []
        while index < len(tokens) and tokens[index].start < end:
            if tokens[index].start >= start:
                members.append(index)
            index += 1
        if not members:
            continue
        initial.add(members[0])
        for previous, current in itertools.pairwise(members):
            if names._CLAUSE_BREAK.match(text[tokens[previous].end : tokens[current].start]):
                initial.add(current)
        long_words = [
            i for i in members if tokens[i].text[0].isalpha() and len(tokens[i].text) >= 4
        ]
        capitalised = [i for i in long_words if tokens[i].capitalised]
        if len(long_words) >= 4 and len(capitalised) >= 0.9 * len(long_words):
            if not names._PROSE_END.search(text, 0, end):
                headline.update(members)
    return initial, headline


@settings(max_examples=400)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                ["Minister", "Tells", "Envoy", "about", "NATO", "said", "U.S.", "May", "the"]
            ),
            st.sampled_from(['"', "“", "‘", ":", " - ", " – ", "—", ". ", "? ", ", ", "\n"]),
            TRICKY,
        ),
        max_size=14,
    ).map(" ".join)
)
def test_sentence_marks_match_the_word_by_word_marking(text: str) -> None:
    paragraph = names._Paragraph(text, NameTable([]))
    assert (paragraph.initial, paragraph.headline) == _reference_sentence_marks(text)


# --- records to JSON data -------------------------------------------------------------------


def _reference_jsonable(value: object) -> object:
    """Records as JSON data the plain way: every field of every record, asked its type."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            JSON_KEYS.get(item.name, item.name): _reference_jsonable(getattr(value, item.name))
            for item in dataclasses.fields(value)
        }
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {key: _reference_jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_reference_jsonable(item) for item in value]
    return value


_EXTRA = st.dictionaries(
    st.text(max_size=5),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
        max_leaves=6,
    ),
    max_size=3,
)


@settings(max_examples=150, deadline=None)
@given(st.builds(Article, extra=_EXTRA))
def test_a_records_json_data_is_what_asking_every_value_its_type_gives(article):
    """``to_dict`` converts by the fields' declared types (code written per record class)."""
    data = article.to_dict()
    assert data == _reference_jsonable(article)
    assert json_text(data) == json_text(_reference_jsonable(article))


@pytest.fixture(scope="module")
def seeds_and_generated(tmp_path_factory) -> list[Article]:
    """The seeds and 60 benchmark articles, loaded once for the tests below."""
    folder = tmp_path_factory.mktemp("generated") / "archive"
    write_archive(generate_corpus(60, DEFAULT_SEED), folder)
    return [*load_archive(SEEDS), *load_archive(folder)]


def test_the_seeds_and_generated_articles_convert_as_the_plain_way_does(seeds_and_generated):
    articles = seeds_and_generated
    assert any(article.entities and article.events and article.images for article in articles)
    for article in articles:
        assert json_text(article.to_dict()) == json_text(_reference_jsonable(article))


def _fields_as_set_by_hand(record: object) -> object:
    """A record's field values, nested records included, read one attribute at a time."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return (
            type(record),
            tuple(
                _fields_as_set_by_hand(getattr(record, item.name))
                for item in dataclasses.fields(record)
            ),
        )
    if isinstance(record, tuple):
        return tuple(_fields_as_set_by_hand(item) for item in record)
    return record


@settings(max_examples=150, deadline=None)
@given(st.builds(Article, extra=_EXTRA))
def test_a_record_unpickles_to_the_same_values_field_by_field(article):
    """Records unpickle through ``__setstate__`` written out per class (``model._restorer``)."""
    again = pickle.loads(pickle.dumps(article, protocol=5))
    assert again == article
    assert _fields_as_set_by_hand(again) == _fields_as_set_by_hand(article)


def test_the_seeds_and_generated_articles_unpickle_to_themselves(seeds_and_generated):
    for article in seeds_and_generated:
        again = pickle.loads(pickle.dumps(article, protocol=5))
        assert _fields_as_set_by_hand(again) == _fields_as_set_by_hand(article)
