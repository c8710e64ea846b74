"""Files written in parts and kept by a session (``publish.streams``): whatever the last build
wrote, the file holds the new parts and its digest is theirs; parts the same as the last
build's are not hashed again, and a file of the very same parts is linked, not written."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natowatch.publish import streams, write
from natowatch.publish.streams import KeptStreams, Stream, write_in_parts


@pytest.fixture(autouse=True)
def small_checkpoints(monkeypatch) -> None:
    monkeypatch.setattr(streams, "CHECKPOINT_BYTES", 8)


def written(target: Path, parts: list[bytes], last: Stream | None) -> Stream | None:
    steps = write_in_parts(str(target), parts, last, remember=True)
    count = 0
    while True:
        try:
            next(steps)
            count += 1
        except StopIteration as done:
            assert count == len(parts)  # a step after every part
            return done.value


_PARTS = st.lists(st.binary(max_size=12), max_size=12)


@settings(max_examples=150, deadline=None)
@given(_PARTS, st.lists(st.tuples(st.integers(0, 12), st.integers(0, 2), _PARTS), max_size=4))
def test_every_build_writes_the_parts_given_and_their_digest(tmp_path_factory, first, edits):
    """Builds in a row, each changing the parts after some point (replacing, cutting, adding):
    the file and digest are always the parts', whatever was resumed."""
    folder = tmp_path_factory.mktemp("streams")
    parts, last = first, None
    for number, (at, drop, added) in enumerate([(0, 0, []), *edits]):
        parts = [*parts[:at], *added, *parts[at + drop :]] if number else parts
        target = folder / f"{number}.json"
        made = written(target, parts, last)
        if made is None:  # the same parts: nothing written, the last file stands
            assert last is not None and b"".join(last.parts) == b"".join(parts)
            assert not target.exists()
            made = last
        else:
            assert target.read_bytes() == b"".join(parts)
        assert made.digest == hashlib.sha256(b"".join(parts)).hexdigest()
        for count, state in made.checkpoints:
            assert state.hexdigest() == hashlib.sha256(b"".join(parts[:count])).hexdigest()
        last = made


def test_the_same_parts_again_write_nothing(tmp_path):
    parts = [b"[", b'{"a":1}', b",", b'{"b":2}', b"]\n"]
    last = written(tmp_path / "one.json", parts, None)
    assert last is not None and last.parts == tuple(parts)
    assert written(tmp_path / "two.json", list(parts), last) is None
    assert not (tmp_path / "two.json").exists()


def test_a_resumed_file_hashes_only_what_follows_the_last_checkpoint(tmp_path, monkeypatch):
    parts = [b"%08d" % number for number in range(10)]  # a checkpoint after every part
    last = written(tmp_path / "one.json", parts, None)
    assert last is not None and [count for count, _ in last.checkpoints] == list(range(1, 11))
    hashed: list[bytes] = []
    real = streams._Writing.add

    def add(self, part, count):
        hashed.append(part)
        real(self, part, count)

    monkeypatch.setattr(streams._Writing, "add", add)
    edited = [*parts[:7], b"changed!", *parts[8:]]
    made = written(tmp_path / "two.json", edited, last)
    assert made is not None and made.digest == hashlib.sha256(b"".join(edited)).hexdigest()
    assert hashed == [b"changed!", *parts[8:]]  # the seven before it: the checkpoint's state


def test_without_a_session_no_part_is_kept(tmp_path):
    steps = write_in_parts(str(tmp_path / "one.json"), [b"a", b"b"], None, remember=False)
    made = None
    try:
        while True:
            next(steps)
    except StopIteration as done:
        made = done.value
    assert made == Stream((), (), hashlib.sha256(b"ab").hexdigest())


def build(out: Path, kept: KeptStreams, files: dict[str, list[bytes]]) -> dict[str, int]:
    """One build writing ``files`` in parts; the inode of each file written."""
    with write.SiteWriter(out, streams=kept) as writer:
        for path, parts in files.items():
            for _ in writer.adding(path, iter(parts)):
                pass
        writer.finish()
    return {path: os.stat(out / path).st_ino for path in files}


def test_a_session_links_a_data_file_of_the_very_same_parts(tmp_path):
    """``SiteWriter.adding``: the unchanged file is the previous site's (one inode), the one
    changed is written; both digests in the manifest are the files' own."""
    kept, out = KeptStreams(), tmp_path / "site"
    same, edited = [b"[", b"1", b",", b"2", b"]\n"], [b"[", b"1", b",", b"3", b"]\n"]
    first = build(out, kept, {"data/same.json": same, "data/edited.json": same})
    second = build(out, kept, {"data/same.json": same, "data/edited.json": edited})
    assert second["data/same.json"] == first["data/same.json"]
    assert second["data/edited.json"] != first["data/edited.json"]
    assert (out / "data" / "edited.json").read_bytes() == b"[1,3]\n"
    listed = write.read_manifest(out)
    assert listed is not None
    assert listed["data/same.json"] == hashlib.sha256(b"[1,2]\n").hexdigest()
    assert listed["data/edited.json"] == hashlib.sha256(b"[1,3]\n").hexdigest()


def test_what_a_session_kept_counts_only_for_the_file_the_manifest_lists(tmp_path):
    kept, out = KeptStreams(), tmp_path / "site"
    parts = [b"[", b"1", b"]\n"]
    first = build(out, kept, {"data/a.json": parts})
    kept.keep("data/a.json", Stream(tuple(parts), (), "not the manifest's digest"))
    second = build(out, kept, {"data/a.json": parts})
    assert second != first  # written again, not linked
    assert (out / "data" / "a.json").read_bytes() == b"[1]\n"
