"""Source files -> Article records: parse the text, merge facts, fill gaps without inventing.

Precedence for every field: front matter, then the archive's sidecar facts, then what the text
itself says, then (for the headline only) a derivation marked as such.
"""

from __future__ import annotations

import copy
import hashlib
import multiprocessing
import os
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from natowatch.archive import headline as headlines
from natowatch.archive.cache import (
    PUT_BATCH,
    Entry,
    RecordCache,
    archive_context,
    code_context,
    entry_bytes,
    read_entry,
    record_key,
)
from natowatch.archive.dictionary_change import (
    DictionaryChange,
    dictionary_change,
    save_dictionary,
)
from natowatch.archive.markdown import render_body, split_front_matter, with_file_lines
from natowatch.archive.metadata import Facts, UnknownKey, facts_from_mapping, merge
from natowatch.archive.sources import (
    DICTIONARY_NAME,
    Source,
    find_articles,
    links_outside,
    load_sidecar,
    load_source,
)
from natowatch.archive.word_counts import WordCounts, shared_words
from natowatch.core.errors import InputError, NatowatchError
from natowatch.core.file_facts import FileFacts
from natowatch.core.ids import MAX_SLUG_LENGTH, slugify
from natowatch.core.known_files import KnownFiles, listed, read_bytes
from natowatch.core.model import Article, HeadlineSource, Section
from natowatch.extract.assemble import TextParts, extract_text
from natowatch.extract.rules import Rules, default_rules
from natowatch.understand.article import understand
from natowatch.understand.dictionary import Dictionary, load_dictionary
from natowatch.understand.words import word_keys

# Below this many articles per worker, starting processes costs more than it saves.
MIN_SOURCES_PER_WORKER = 24
PROGRESS_STEP = 10
URL_DATE = re.compile(r"/(\d{4})[/-](\d{2})[/-](\d{2})(?:/|$|-)")


class ArchiveErrors(NatowatchError):
    """Every problem found in an archive, so the user can fix them all in one go."""

    def __init__(self, errors: Sequence[InputError], warnings: Sequence[InputError] = ()) -> None:
        self.errors = list(errors)
        self.warnings = list(warnings)
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass(frozen=True)
class LoadedArchive:
    """What could be read of an archive, what could not, and what was read with a caveat."""

    articles: list[Article]
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)
    # Article id -> content-word counts (words.word_keys), computed beside each record and
    # unpickled when asked for.
    words: Mapping[str, Counter[str]] = field(default_factory=dict)
    # Source files of the drafts left out (``drafts=False``).
    drafts: list[str] = field(default_factory=list)
    # Article id -> the cache key of its record, for every record used exactly as extracted:
    # the key hashes all the record was made from, so it stands for the record's contents
    # (``page_inputs.RecordDigests``) at no cost.
    record_keys: dict[str, str] = field(default_factory=dict)
    # The archive's facts and dictionary as read, so one article can be read again alone
    # (``natowatch serve``'s preview of an edit).
    sidecar: dict[str, Facts] = field(default_factory=dict)
    dictionary: Dictionary = field(default_factory=Dictionary.empty)
    # The cache keys of the records extracted by this read (not found in the cache).
    extracted: frozenset[str] = frozenset()


def load_archive(
    archive: Path, rules: Rules | None = None, max_bytes: int | None = None
) -> list[Article]:
    """All articles of an archive folder, with unique slugs; raises ArchiveErrors listing all
    the files that could not be read."""
    loaded = read_archive(archive, rules, max_bytes)
    if loaded.errors:
        raise ArchiveErrors(loaded.errors)
    return loaded.articles


@dataclass
class _KeptSource:
    """A file's ``Source`` and record key, kept with its bytes (``KnownFiles.made``), and
    what else they were made from: the archive, the size limit and the archive's context."""

    source: Source | None = None
    key: str = ""
    made_for: tuple[str, int | None, str] | None = None


def _source_and_key(
    path: Path,
    archive: Path,
    sidecar: Mapping[str, Facts],
    max_bytes: int | None,
    files: KnownFiles | None,
    context: str,
) -> tuple[Source, str]:
    """``load_source`` and ``record_key`` of one file; in a session (``files``) kept while
    its bytes, its facts in the sidecar and the rest they are made from are the same:
    reading, decoding and hashing 5,000 unchanged files again cost ~0.15 s of each ``serve``
    rebuild. One is kept per file, the last."""
    if files is None:
        source = load_source(path, archive, sidecar, max_bytes)
        return source, record_key(source, context)
    kept = files.made(path, "source and key", lambda _: _KeptSource())
    made_for = (os.fspath(archive), max_bytes, context)
    if kept.source is None or kept.made_for != made_for:
        kept.source = None  # made again below; kept only once made
        source = load_source(path, archive, sidecar, max_bytes, files)
        kept.source, kept.key, kept.made_for = source, record_key(source, context), made_for
        return kept.source, kept.key
    facts = sidecar.get(kept.source.relpath) or sidecar.get(path.name) or Facts()
    if facts != kept.source.facts:  # the sidecar changed, not the file
        kept.source = replace(kept.source, facts=facts)
        kept.key = record_key(kept.source, context)
    return kept.source, kept.key


def _saved_key(
    path: Path,
    archive: Path,
    sidecar: Mapping[str, Facts],
    max_bytes: int | None,
    context: str,
    facts: FileFacts,
    made_for: tuple[object, ...],
) -> tuple[Source | Path, str]:
    """``_source_and_key`` of one file for a command-line build: the record key the last build
    made of it while the file is unchanged (``FileFacts``), with the path instead of the source
    (read only if its record is not cached); else the source read now and its key."""
    read: list[Source] = []

    def make() -> str:
        read.append(load_source(path, archive, sidecar, max_bytes))
        return record_key(read[0], context)

    key = facts.made(path, made_for, make)
    return (read[0] if read else path), key


def _sidecar_mark(sidecar: Mapping[str, Facts]) -> str:
    """A digest of every file's facts (a record key includes its file's)."""
    return hashlib.sha256(repr(sorted(sidecar.items())).encode()).hexdigest()


def read_archive(
    archive: Path,
    rules: Rules | None = None,
    max_bytes: int | None = None,
    cache: RecordCache | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    drafts: bool = False,
    files: KnownFiles | None = None,
    extracted: Mapping[str, Entry] | None = None,
    facts: FileFacts | None = None,
) -> LoadedArchive:
    """Every article that can be read, and a one-line problem for each file that cannot.

    Nothing stops at the first problem: a user fixing an archive sees them all at once.
    Records come from ``cache`` when their inputs are unchanged; the rest are extracted, over
    ``workers`` processes when there are many, and the results are the same either way.
    Drafts (``draft: true``, or Jekyll's ``published: false``) are left out unless ``drafts``.
    ``files`` keeps the input files read by earlier builds of this process (``serve``), and
    ``extracted`` the records its preview extracted already, by cache key (``read_one``).
    ``facts`` holds the record keys the last command-line build made of each file
    (``core.file_facts``): an unchanged file is then not read at all when its record is cached.
    """
    errors: list[InputError] = list(listed(archive, links_outside, files))
    skipped = {error.path for error in errors}
    listing = listed(archive, find_articles, files, lasting=True)
    paths = [path for path in listing if str(path) not in skipped]
    try:
        sidecar = load_sidecar(
            archive,
            files,
            saved=cache.path.parent if cache is not None else None,
            read_saved=cache is not None and cache.read,
        )
    except InputError as error:
        errors.append(error)
        sidecar = {}
    try:
        dictionary = archive_dictionary(archive)
    except InputError as error:
        errors.append(error)
        dictionary = Dictionary.empty()
    context = archive_context(_dictionary_bytes(archive, files))
    # What a record key is made from besides the file (``record_key``), for ``facts``.
    made_for = ("record key", context, max_bytes, _sidecar_mark(sidecar))
    sources: list[Source | Path] = []  # a path: not read, its key known (``facts``)
    keys: list[str] = []
    for path in paths:
        try:
            if facts is not None and files is None:
                source, key = _saved_key(
                    path, archive, sidecar, max_bytes, context, facts, made_for
                )
            else:
                source, key = _source_and_key(path, archive, sidecar, max_bytes, files, context)
        except InputError as error:
            errors.append(error)
        else:
            sources.append(source)
            keys.append(key)
    entries = cache.get_many(keys) if cache is not None else {}
    handed: dict[str, Entry] = {}  # extracted by the preview: stored like those made here
    if extracted:
        handed = {key: extracted[key] for key in keys if key not in entries and key in extracted}
        entries.update(handed)
    missing: list[tuple[str, Source]] = []
    for key, source in zip(keys, sources, strict=True):
        if key in entries:
            continue
        if isinstance(source, Path):  # its key known, its record not cached: read it now
            try:
                source = load_source(source, archive, sidecar, max_bytes)
            except InputError as error:
                errors.append(error)
                continue
        missing.append((key, source))
    # Some record not cached under this context: the dictionary saved for the next build's
    # ``dictionary_change`` is written again (not on a build that finds every record cached).
    made_anew = bool(missing)
    if cache is not None and cache.read and missing:
        change = dictionary_change(cache.path.parent, code_context(), context, dictionary)
        if change is not None:
            taken = _beyond_dictionary_change(missing, change, cache)
            entries.update(taken)
            handed.update(taken)  # stored under their new keys, like those extracted here
            missing = [(key, source) for key, source in missing if key not in taken]
    if progress is not None:
        progress(len(entries), len(keys))
    # Records pickled by the extraction workers go into the cache as they come, a batch at a
    # time: neither pickled twice nor all held at once.
    batch: dict[str, bytes] = {}
    stored: set[str] = set()

    def store(position: int, pickled: bytes) -> None:
        batch[missing[position][0]] = pickled
        if cache is not None and len(batch) >= PUT_BATCH:
            cache.put_pickled(batch)
            stored.update(batch)
            batch.clear()

    fresh = _extract_all(
        [source for _, source in missing],
        rules,
        dictionary,
        workers,
        (lambda done: progress(len(entries) + done, len(keys))) if progress else None,
        store if cache is not None else None,
    )
    new_entries: dict[str, Entry] = dict(handed)
    for (key, _), result in zip(missing, fresh, strict=True):
        if isinstance(result, InputError):
            errors.append(result)
        else:
            entries[key] = new_entries[key] = result
    if cache is not None:
        cache.put_pickled(batch)  # the last, partial batch
        cache.put_many(new_entries, stored | batch.keys())
        cache.prune(keys)
        if made_anew:
            save_dictionary(cache.path.parent, code_context(), context, dictionary)
    articles: list[Article] = []
    notes: list[InputError] = []
    words = WordCounts()
    left_out: list[str] = []
    key_of: dict[int, str] = {}  # record (by id) -> its cache key
    for key in keys:
        if key in entries:
            article, article_notes, counts = entries[key]
            if article.extra.get("draft") is True and not drafts:
                left_out.append(article.source_file)
                continue
            articles.append(article)
            notes.extend(article_notes)
            words.add(article.id, counts)
            key_of[id(article)] = key
    warnings = once_per_unknown_key(notes)
    unique, collisions = unique_slugs(articles)
    warnings.extend(collisions)
    errors.sort(key=lambda error: (error.path, error.line or 0))
    record_keys = {article.id: key_of[id(article)] for article in unique if id(article) in key_of}
    return LoadedArchive(
        unique,
        errors,
        warnings,
        words,
        left_out,
        record_keys,
        sidecar,
        dictionary,
        frozenset(new_entries),
    )


def once_per_unknown_key(notes: Sequence[InputError]) -> list[InputError]:
    """The notes, with the unknown-key ones folded into one warning per key name: where it was
    first met, and in how many files (an archive from Hugo has the same keys in every file)."""
    kept: list[InputError] = []
    first: dict[str, UnknownKey] = {}
    files: dict[str, set[str]] = {}
    for note in notes:
        if isinstance(note, UnknownKey):
            first.setdefault(note.key, note)
            files.setdefault(note.key, set()).add(note.path)
        else:
            kept.append(note)
    for key, note in first.items():
        count = len(files[key])
        also = f" (and {count - 1} more file{'s' if count > 2 else ''})" if count > 1 else ""
        kept.append(
            InputError(
                note.path,
                f"{note.where}: unknown key {key!r}{also}; natowatch does not use it and keeps "
                "its value in the record's extra (data/articles.json)",
            )
        )
    return kept


def _beyond_dictionary_change(
    missing: Sequence[tuple[str, Source]], change: DictionaryChange, cache: RecordCache
) -> dict[str, Entry]:
    """The records of ``missing`` that the dictionary's change cannot reach, by their new
    keys: the last build's, cached under its context (``archive.dictionary_change``).

    Each is a copy: a record's digest is its cache key (``page_inputs.RecordDigests``), and a
    session (``serve``) keeps what it made of a record, and the page keys made from its
    digest, while it is the same object: the same object under its new key would keep keys
    made from the old one."""
    new_key = {record_key(source, change.old_context): key for key, source in missing}
    found = cache.get_many(new_key)
    return {
        new_key[old]: (copy.copy(article), notes, words)
        for old, (article, notes, words) in found.items()
        if not change.reaches(article)
    }


def _dictionary_bytes(archive: Path, files: KnownFiles | None = None) -> bytes:
    path = archive / DICTIONARY_NAME
    try:
        return read_bytes(path, files) if path.is_file() else b""
    except OSError:
        return b""


def _extract_all(
    sources: Sequence[Source],
    rules: Rules | None,
    dictionary: Dictionary,
    workers: int,
    done: Callable[[int], None] | None = None,
    pickled: Callable[[int, bytes], None] | None = None,
) -> list[Entry | InputError]:
    """Records for sources, in order; spread over processes when it pays off.

    A worker sends its entry pickled, as the cache stores it: ``pickled(position, bytes)``
    receives those bytes, so the cache does not pickle every record a second time.
    """
    results: list[Entry | InputError] = []
    if workers > 1 and len(sources) >= MIN_SOURCES_PER_WORKER * workers:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start_worker, initargs=(rules, dictionary)
        ) as pool:
            for result in pool.map(_extract_in_worker, sources, chunksize=16):
                if isinstance(result, bytes):
                    if pickled is not None:
                        pickled(len(results), result)
                    results.append(read_entry(result))
                else:
                    results.append(result)
                if done is not None and len(results) % PROGRESS_STEP == 0:
                    done(len(results))
    else:
        for source in sources:
            made = _extract_one(source, rules, dictionary)
            results.append(made if isinstance(made, InputError) else _with_shared_words(made))
            if done is not None and len(results) % PROGRESS_STEP == 0:
                done(len(results))
    if done is not None:
        done(len(results))
    return results


def read_one(
    path: Path,
    archive: Path,
    sidecar: Mapping[str, Facts],
    max_bytes: int | None,
    dictionary: Dictionary,
) -> tuple[str, Entry]:
    """One article file's cache key and entry, as ``read_archive`` makes them; raises
    InputError or OSError. ``serve``'s preview reads an edited file this way and hands the
    entry to the rebuild that follows (``read_archive``'s ``extracted``): extracting it again
    was ~0.02 s of that rebuild."""
    context = archive_context(_dictionary_bytes(archive))
    source, key = _source_and_key(path, archive, sidecar, max_bytes, None, context)
    made = _extract_one(source, None, dictionary)
    if isinstance(made, InputError):
        raise made
    return key, _with_shared_words(made)


def _with_shared_words(entry: Entry) -> Entry:
    """The entry with its counts' keys interned (``shared_words``), if they are not pickled."""
    article, notes, counts = entry
    return article, notes, counts if isinstance(counts, bytes) else shared_words(counts)


def _extract_one(source: Source, rules: Rules | None, dictionary: Dictionary) -> Entry | InputError:
    try:
        article, notes = read_article(source, rules, dictionary)
    except InputError as error:
        return error
    return article, notes, word_keys(article)


_WORKER_STATE: dict[str, Any] = {}


def _start_worker(rules: Rules | None, dictionary: Dictionary) -> None:
    _WORKER_STATE["rules"] = rules
    _WORKER_STATE["dictionary"] = dictionary


def _extract_in_worker(source: Source) -> bytes | InputError:
    """The entry pickled here, once: the parent stores these very bytes in the cache."""
    result = _extract_one(source, _WORKER_STATE["rules"], _WORKER_STATE["dictionary"])
    return result if isinstance(result, InputError) else entry_bytes(result)


def load_file(path: Path, rules: Rules | None = None) -> Article:
    """One article file, using the facts and dictionary of the folder it sits in."""
    archive = path.parent
    source = load_source(path, archive, load_sidecar(archive))
    return load_article(source, rules, archive_dictionary(archive))


def archive_dictionary(archive: Path) -> Dictionary:
    """The archive's ``entities.yml``, or an empty dictionary when it has none."""
    path = archive / DICTIONARY_NAME
    return load_dictionary(path) if path.is_file() else Dictionary.empty()


def load_article(
    source: Source, rules: Rules | None = None, dictionary: Dictionary | None = None
) -> Article:
    """Parse one source into its record, with its entities, events and quotes."""
    return read_article(source, rules, dictionary)[0]


def read_article(
    source: Source, rules: Rules | None = None, dictionary: Dictionary | None = None
) -> tuple[Article, list[InputError]]:
    """The record, and warnings about what was read with a caveat (an unsafe slug, a key
    natowatch does not use)."""
    raw_facts, content = split_front_matter(source.text, source.path)
    facts = merge(facts_from_mapping(raw_facts, source.path), source.facts)
    if source.format == "markdown":
        parts, html = _markdown_parts(source, content)
    else:
        # Removed lines are reported with the file's line numbers, front matter included.
        text = with_file_lines(source.text, content)
        parts, html = extract_text(text, rules or default_rules()), None
    article = _article(source, facts, parts, "\n".join(parts.body), html)
    notes: list[InputError] = [UnknownKey(path, key, where) for key, path, where in facts.unknown]
    if facts.slug and article.slug != facts.slug:
        notes.append(
            InputError(
                source.path,
                f"slug {facts.slug!r} is not a safe page name; using {article.slug!r} "
                "(use lower-case letters, digits and hyphens)",
            )
        )
    return understand(article, dictionary or Dictionary.empty()), notes


def _markdown_parts(source: Source, content: str) -> tuple[TextParts, tuple[str, ...]]:
    """A Markdown body as the same parts a scraped text yields (it has no furniture)."""
    body = render_body(content)
    # A level-1 heading before any paragraph is the article's title, not a section.
    top = [text for level, paragraph, text in body.headings if level == 1 and paragraph == 0]
    title = top[0] if top else None
    sections = tuple(
        Section(text, paragraph)
        for level, paragraph, text in body.headings
        if not (level == 1 and paragraph == 0 and text == title)
    )
    if not body.paragraphs and title is None:
        raise InputError(source.path, "has no article text after its front matter")
    parts = TextParts(
        headline=title,
        authors=(),
        byline=None,
        author_bio=None,
        published=None,
        dateline=None,
        images=(),
        body=body.paragraphs,
        sections=sections,
        boilerplate=(),
        comments=(),
        comments_closed=False,
    )
    return parts, body.html


def _article(
    source: Source, facts: Facts, parts: TextParts, text: str, html: tuple[str, ...] | None
) -> Article:
    title, title_source = _headline(facts, parts.headline, parts.body, text)
    return Article(
        id=_article_id(source.relpath),
        slug=_slug(facts, title, source.relpath),
        source_file=source.relpath,
        format=source.format,
        headline=title,
        headline_source=title_source,
        url=facts.url,
        publisher=facts.publisher or _publisher_from_url(facts.url),
        published=facts.published or _date_from_url(facts.url) or parts.published,
        authors=facts.authors if facts.authors is not None else parts.authors,
        byline=parts.byline,
        author_bio=parts.author_bio,
        dateline=parts.dateline,
        images=parts.images,
        body=parts.body,
        sections=parts.sections,
        boilerplate=parts.boilerplate,
        comments=parts.comments,
        comments_closed=parts.comments_closed,
        tags=facts.tags,
        body_html=html,
        extra={**facts.extra, "draft": True} if facts.draft else dict(facts.extra),
    )


def _headline(
    facts: Facts, from_text: str | None, body: Sequence[str], text: str
) -> tuple[str, HeadlineSource]:
    """Fallbacks in order: metadata, the text's headline line, the URL slug, the lede."""
    if facts.headline:
        return facts.headline, HeadlineSource.METADATA
    if from_text:
        return from_text, HeadlineSource.TEXT
    derived = headlines.from_url(facts.url, text) or headlines.from_lede(body)
    return derived or "Untitled article", HeadlineSource.DERIVED


def _slug(facts: Facts, title: str, relpath: str) -> str:
    """The page name: chosen slug, else the URL's slug, else the headline, else the file."""
    for candidate in (facts.slug, headlines.url_slug(facts.url), title, Path(relpath).stem):
        if candidate and slugify(candidate) not in ("", "untitled"):
            return slugify(candidate)
    return slugify(Path(relpath).stem)


def _article_id(relpath: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", relpath.rsplit(".", 1)[0]).strip("-.") or "article"


def _publisher_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _date_from_url(url: str | None) -> str | None:
    """A publication date the URL's path states (/2016/05/04/), or None."""
    match = URL_DATE.search(urlsplit(url).path) if url else None
    if not match:
        return None
    year, month, day = (int(group) for group in match.groups())
    if not (1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def unique_slugs(articles: Sequence[Article]) -> tuple[list[Article], list[InputError]]:
    """Give articles that want the same slug distinct ones (-2, -3 ... in id order), with a
    warning for each renamed page."""
    taken: set[str] = set()
    result: list[Article] = []
    warnings: list[InputError] = []
    for article in sorted(articles, key=lambda item: item.id):
        slug, counter = article.slug, 2
        while slug in taken:
            # The suffix must fit inside the slug length limit, or cutting would undo it.
            suffix = f"-{counter}"
            slug = article.slug[: MAX_SLUG_LENGTH - len(suffix)].rstrip("-") + suffix
            counter += 1
        taken.add(slug)
        if slug != article.slug:
            warnings.append(
                InputError(
                    article.source_file,
                    f"another article already has the page name {article.slug!r}; "
                    f"this one is published as {slug!r} (set a slug to choose)",
                )
            )
            article = replace(article, slug=slug)
        result.append(article)
    return result, warnings
