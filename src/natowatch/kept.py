"""What a build session (``natowatch serve``) keeps from one build to the next beyond the
records: each part is brought up to date by a build instead of made afresh."""

from __future__ import annotations

from dataclasses import dataclass, field

from natowatch.corpus.kept import KeptIndexes
from natowatch.publish.kept_keys import KeptPageKeys
from natowatch.publish.stored_json import KeptPieces
from natowatch.publish.streams import KeptStreams
from natowatch.understand.aliases import KeptRenames


@dataclass
class Kept:
    renames: KeptRenames = field(default_factory=KeptRenames)  # records the alias pass renamed
    indexes: KeptIndexes = field(default_factory=KeptIndexes)  # similarities, merged entities
    page_keys: KeptPageKeys = field(default_factory=KeptPageKeys)  # with what each page read
    pieces: KeptPieces = field(default_factory=KeptPieces)  # data file pieces, by source
    streams: KeptStreams = field(default_factory=KeptStreams)  # the data files, as written
