"""An archive's editable entity dictionary (``entities.yml``): canonical names, types, aliases.

Editors use it to merge spellings ("Israel Defence Force" -> "Israel Defense Forces"), fix types
and add descriptions. It helps the entity finder but is not required: ``Dictionary.empty()`` is
used when an archive has none. Mistakes are reported with the file and YAML line so the editor
can fix them, never silently ignored.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from natowatch.core.errors import InputError, yaml_error
from natowatch.core.model import EntityType
from natowatch.language.nametable import Known, NameTable

_FIELDS = {"name", "type", "aliases", "description", "wikidata", "refers_to"}
_REQUIRED = ("name", "type")
_WIKIDATA = re.compile(r"Q[1-9][0-9]*")


@dataclass(frozen=True)
class DictionaryEntry:
    """One entity the archive's editors named: how it is written and what it is."""

    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    description: str | None = None
    wikidata: str | None = None
    refers_to: str | None = None

    @property
    def known(self) -> Known:
        return Known(
            self.name,
            self.type,
            description=self.description,
            wikidata=self.wikidata,
            refers_to=self.refers_to,
            source="dictionary",
        )


@dataclass(frozen=True)
class Dictionary:
    """All entries of one archive's dictionary (possibly none)."""

    entries: tuple[DictionaryEntry, ...] = ()

    @classmethod
    def empty(cls) -> Dictionary:
        return cls(())

    def __len__(self) -> int:
        return len(self.entries)

    @functools.cached_property
    def table(self) -> NameTable:
        """Every name and alias of the dictionary, for matching in text."""
        from natowatch.language.gazetteer import not_names

        pairs: list[tuple[str, Known]] = []
        for entry in self.entries:
            known = entry.known
            pairs.append((entry.name, known))
            pairs.extend((alias, known) for alias in entry.aliases)
        return NameTable(pairs, not_names())

    @functools.cached_property
    def by_name(self) -> dict[str, DictionaryEntry]:
        """Entries by canonical name folded to lower case."""
        return {entry.name.casefold(): entry for entry in self.entries}


def load_dictionary(path: Path) -> Dictionary:
    """Read ``path``; raise ``InputError`` (with the YAML line) when it is not valid."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(path, f"cannot read the entity dictionary: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise InputError(path, "the entity dictionary is not UTF-8 text") from error
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise yaml_error(path, error, "not valid YAML") from None
    if root is None:
        return Dictionary.empty()
    if not isinstance(root, yaml.SequenceNode):
        raise InputError(
            path, "expected a list of entities (lines starting with '- ')", _line(root)
        )
    entries = tuple(_entry(path, node) for node in root.value)
    _check_unique(path, entries, root)
    return Dictionary(entries)


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _entry(path: Path, node: yaml.Node) -> DictionaryEntry:
    if not isinstance(node, yaml.MappingNode):
        raise InputError(path, "each entity must be a mapping with name and type", _line(node))
    fields: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in _FIELDS:
            allowed = ", ".join(sorted(_FIELDS))
            raise InputError(path, f"unknown key {key!r} (allowed: {allowed})", _line(key_node))
        if key in fields:
            raise InputError(path, f"key {key!r} given twice", _line(key_node))
        fields[key] = value_node
    for key in _REQUIRED:
        if key not in fields:
            raise InputError(path, f"entity has no {key!r}", _line(node))
    name = _text(path, fields["name"], "name")
    type_text = _text(path, fields["type"], "type")
    try:
        entity_type = EntityType(type_text)
    except ValueError:
        allowed = ", ".join(member.value for member in EntityType)
        raise InputError(
            path, f"type {type_text!r} is not one of {allowed}", _line(fields["type"])
        ) from None
    aliases: tuple[str, ...] = ()
    if "aliases" in fields:
        alias_node = fields["aliases"]
        if not isinstance(alias_node, yaml.SequenceNode):
            raise InputError(path, "aliases must be a list of names", _line(alias_node))
        aliases = tuple(_text(path, item, "alias") for item in alias_node.value)
    wikidata = _optional(path, fields, "wikidata")
    if wikidata is not None and not _WIKIDATA.fullmatch(wikidata):
        raise InputError(
            path, f"wikidata {wikidata!r} is not an item id like Q7184", _line(fields["wikidata"])
        )
    return DictionaryEntry(
        name=name,
        type=entity_type,
        aliases=aliases,
        description=_optional(path, fields, "description"),
        wikidata=wikidata,
        refers_to=_optional(path, fields, "refers_to"),
    )


def _text(path: Path, node: yaml.Node, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise InputError(path, f"{what} must be text", _line(node))
    if node.tag != "tag:yaml.org,2002:str":
        hint = f" (write it in quotes: '{node.value}')" if node.value else ""
        raise InputError(path, f"{what} must be text{hint}", _line(node))
    value = str(node.value).strip()
    if not value:
        raise InputError(path, f"{what} is empty", _line(node))
    return value


def _optional(path: Path, fields: dict[str, yaml.Node], key: str) -> str | None:
    node = fields.get(key)
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
        return None
    return _text(path, node, key)


def _check_unique(path: Path, entries: tuple[DictionaryEntry, ...], root: yaml.Node) -> None:
    """Two entities may not claim the same name or alias: the finder could not choose."""
    owner: dict[str, str] = {}
    for entry, node in zip(entries, root.value, strict=True):
        for surface in dict.fromkeys((entry.name, *entry.aliases)):
            previous = owner.setdefault(surface, entry.name)
            if previous != entry.name:
                raise InputError(
                    path,
                    f"{surface!r} is given for both {previous!r} and {entry.name!r}",
                    _line(node),
                )
