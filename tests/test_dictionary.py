"""Loading an archive's entities.yml: valid files load, mistakes name the file and YAML line."""

from __future__ import annotations

from pathlib import Path

import pytest

from natowatch.core.errors import InputError
from natowatch.core.model import EntityType
from natowatch.understand.dictionary import Dictionary, DictionaryEntry, load_dictionary
from seed_gold import SEEDS


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "entities.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_seed_dictionary_loads() -> None:
    dictionary = load_dictionary(SEEDS / "entities.yml")
    names = {entry.name: entry for entry in dictionary.entries}
    assert names["Israel Defense Forces"].type is EntityType.ORG
    assert "IDF" in names["Israel Defense Forces"].aliases
    assert names["Ankara"].refers_to == "Government of Turkey"
    assert names["2004 Istanbul summit"].type is EntityType.EVENT


def test_entry_fields(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "- name: European Commission\n"
        "  type: ORG\n"
        "  aliases: [Commission, EC]\n"
        "  description: The EU's executive.\n"
        "  wikidata: Q8880\n"
        "- name: Kyiv\n"
        "  type: GPE\n"
        "  refers_to: Government of Ukraine\n",
    )
    assert load_dictionary(path).entries == (
        DictionaryEntry(
            "European Commission",
            EntityType.ORG,
            ("Commission", "EC"),
            "The EU's executive.",
            "Q8880",
        ),
        DictionaryEntry("Kyiv", EntityType.GPE, refers_to="Government of Ukraine"),
    )


def test_empty_file_and_empty_dictionary(tmp_path: Path) -> None:
    assert load_dictionary(_write(tmp_path, "# nothing yet\n")) == Dictionary.empty()
    assert len(Dictionary.empty()) == 0


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("- name: NATO\n  type: ORG\n  alias: [Nato]\n", 3, "unknown key 'alias'"),
        ("- name: NATO\n  type: ORGANISATION\n", 2, "type 'ORGANISATION'"),
        ("- name: NATO\n  type: ORG\n  aliases: Nato\n", 3, "aliases must be a list"),
        ("- name: NATO\n  type: ORG\n  aliases: [1949]\n", 3, "quotes"),
        ("- name: NATO\n  type: ORG\n  wikidata: 7184\n", 3, "wikidata must be text"),
        ("- name: NATO\n  type: ORG\n  wikidata: X1\n", 3, "item id"),
        ("- name: NATO\n", 1, "no 'type'"),
        ("- type: ORG\n", 1, "no 'name'"),
        ("- NATO\n", 1, "must be a mapping"),
        ("name: NATO\ntype: ORG\n", 1, "expected a list"),
        ("- name: NATO\n  type: ORG\n  name: Nato\n", 3, "given twice"),
        # The "[" that is never closed opens on line 1: that is where the fix goes.
        ("- name: [NATO\n  type: ORG\n", 1, "not valid YAML"),
        (
            "- name: Jordan\n  type: GPE\n- name: Michael Jordan\n  type: PERSON\n"
            "  aliases: [Jordan]\n",
            3,
            "'Jordan' is given for both",
        ),
    ],
)
def test_mistakes_name_the_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_dictionary(path)
    assert caught.value.line == line
    assert words in caught.value.message
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_dictionary(tmp_path / "missing.yml")
    assert "cannot read" in caught.value.message
