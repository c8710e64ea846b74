"""An edit to the archive's dictionary extracts again only the records it can reach
(``archive.dictionary_change``), and the site is a cold build's whatever the edit."""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path

import pytest
from benchmarks.generate import generate_corpus, write_archive

from changes import articles_of, cold, snapshot
from natowatch.archive import loader
from natowatch.archive.dictionary_change import dictionary_change, save_dictionary
from natowatch.build import BuildSession, build
from natowatch.core.model import EntityType
from natowatch.understand.dictionary import Dictionary, DictionaryEntry, load_dictionary

ARTICLES = 30
FULL_NAME = re.compile(r"\b(?:President|Minister|General|Senator) ([A-Z][a-z]+ [A-Z][a-z]+)")


@pytest.fixture
def extracted(monkeypatch) -> list[str]:
    """The files each build extracts (not taken from the cache), build after build."""
    seen: list[str] = []
    real = loader._extract_all

    def counting(sources, *args, **kwargs):
        seen.extend(source.relpath for source in sources)
        return real(sources, *args, **kwargs)

    monkeypatch.setattr(loader, "_extract_all", counting)
    return seen


def generated(folder: Path, seed: int) -> Path:
    write_archive(generate_corpus(ARTICLES, seed=seed), folder)
    return folder


def add_entry(archive: Path, text: str) -> None:
    with (archive / "entities.yml").open("a", encoding="utf-8") as handle:
        handle.write(text)


def test_a_new_entry_extracts_only_the_articles_holding_its_first_word(tmp_path, extracted):
    archive = generated(tmp_path / "archive", 2)
    out = tmp_path / "site"
    build(archive, out)
    assert len(extracted) == ARTICLES
    texts = {path.name: path.read_text(encoding="utf-8") for path in articles_of(archive)}
    names = sorted({name for text in texts.values() for name in FULL_NAME.findall(text)})
    name = min(names, key=lambda n: (sum(n.split()[0] in t for t in texts.values()), n))
    holding = {file for file, text in texts.items() if name.split()[0] in text}
    assert 0 < len(holding) < ARTICLES / 2
    extracted.clear()
    add_entry(archive, f"- name: {name}\n  type: PERSON\n  description: Named in a test.\n")
    build(archive, out)
    assert set(extracted) == holding
    assert snapshot(out) == cold(archive, tmp_path, "entry")
    pages = [p for p in (out / "entities").glob("*.html") if "Named in a test." in p.read_text()]
    assert len(pages) == 1  # the description reached the person's page


def _edits(archive: Path, rng: random.Random) -> list[str]:
    """The dictionary's entries as YAML texts, after one random edit."""
    path = archive / "entities.yml"
    entries = list(load_dictionary(path).entries)
    texts = [path.read_text(encoding="utf-8") for path in articles_of(archive)]
    names = sorted({name for text in texts for name in FULL_NAME.findall(text)})
    kind = rng.choice(["add", "remove", "alias", "retype", "reorder", "describe"])
    if kind == "add" and names:
        entries.append(DictionaryEntry(rng.choice(names), EntityType("PERSON")))
    elif kind == "remove" and entries:
        entries.pop(rng.randrange(len(entries)))
    elif kind == "alias" and entries:
        at = rng.randrange(len(entries))
        alias = rng.choice(["Alliance", "the Bloc", "HQ", f"Alias {rng.randint(1, 99)}"])
        taken = {s for e in entries for s in (e.name, *e.aliases)}
        if alias not in taken:
            entries[at] = dataclasses.replace(entries[at], aliases=(*entries[at].aliases, alias))
    elif kind == "retype" and entries:
        at = rng.randrange(len(entries))
        entries[at] = dataclasses.replace(
            entries[at], type=EntityType(rng.choice(["ORG", "GPE", "PERSON"]))
        )
    elif kind == "describe" and entries:
        at = rng.randrange(len(entries))
        entries[at] = dataclasses.replace(
            entries[at], description=f"Described {rng.randint(1, 999)}."
        )
    else:
        rng.shuffle(entries)
    path.write_text("".join(_yaml(entry) for entry in entries), encoding="utf-8")
    return [kind]


def _yaml(entry: DictionaryEntry) -> str:
    text = f'- name: "{entry.name}"\n  type: {entry.type.value}\n'
    if entry.aliases:
        text += "  aliases: [" + ", ".join(f'"{a}"' for a in entry.aliases) + "]\n"
    if entry.description:
        text += f'  description: "{entry.description}"\n'
    return text


@pytest.mark.parametrize(("seed", "in_session"), [(5, False), (6, True)])
def test_after_any_dictionary_edits_the_site_is_a_cold_builds(tmp_path, seed, in_session):
    archive = generated(tmp_path / "archive", seed)
    out = tmp_path / "site"
    session = BuildSession() if in_session else None
    build(archive, out, session=session)
    rng = random.Random(seed)
    for step in range(6):
        kind = _edits(archive, rng)
        build(archive, out, session=session)
        assert snapshot(out) == cold(archive, tmp_path, f"{seed}-{step}"), kind


def test_a_reordered_or_unsaved_dictionary_reuses_nothing(tmp_path):
    first = DictionaryEntry("Marta Kovac", EntityType("PERSON"))
    second = DictionaryEntry("North Atlantic Treaty Organization", EntityType("ORG"), ("NATO",))
    folder = tmp_path / "cache"
    assert dictionary_change(folder, "code", "context-1", Dictionary((first,))) is None
    save_dictionary(folder, "code", "context-1", Dictionary((first, second)))
    assert dictionary_change(folder, "code", "context-1", Dictionary((first, second))) is None
    assert dictionary_change(folder, "code", "context-2", Dictionary((second, first))) is None
    assert dictionary_change(folder, "other code", "context-2", Dictionary((first,))) is None
    third = DictionaryEntry("Ilona Olsen", EntityType("PERSON"))
    moved = Dictionary((second, first, third))  # one added, the others swapped
    assert dictionary_change(folder, "code", "context-2", moved) is None
    change = dictionary_change(folder, "code", "context-2", Dictionary((first,)))
    assert change is not None and change.old_context == "context-1"
    # The removed entry's first words as the table looks them up: its name's, its alias's
    # and the alias's capitalised variant.
    assert {"North", "NATO", "Nato"} <= change.triggers
    assert "Marta" not in change.triggers
