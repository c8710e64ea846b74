"""A deterministic synthetic news archive: Markdown with front matter and raw scraped text.

``python -m benchmarks.generate --articles 5000 --out /dev/shm/nw-5000`` writes N articles
(by default 70% Markdown with YAML front matter, 30% raw text like ``seeds/``), a ``sources.yml``
with the raw articles' facts, an ``entities.yml`` and a ``natowatch.yml``. The same N, seed and
share give a byte-identical archive.

Markdown articles match the reference corpus of the issue (~520 words, title, date, 2-5 tags of
200 names); every third also has Hugo's ``category`` and ``summary`` keys. Raw articles carry
what scraped pages carry: a photo credit and caption, an "Also Read:" line, "Previous
article"/"Next article" links, an author bio, numbered reader comments and "Comments are
closed.". Sentences mention people, places and organisations from fixed lists, about
1.5 names per sentence and a date expression in about one sentence in four.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks import vocabulary as v

DEFAULT_SEED = 6
RAW_SHARE = 0.3
MARKER = ".natowatch-benchmark-archive"
FIRST_DAY = datetime.date(2012, 1, 1)
DAYS_SPAN = 12 * 365
DATE_CHANCE = 0.27
QUOTE_CHANCE = 0.15
TAIL_CHANCE = 0.2
SLUG_KEY_LENGTH = 70
HUGO_KEYS_EVERY = 3  # Markdown articles with Hugo's `category` and `summary` keys


@dataclass(frozen=True)
class SyntheticArticle:
    """One generated article, before it is written in either format."""

    stem: str
    raw: bool
    title: str
    published: datetime.date
    tags: tuple[str, ...]
    author: str
    publisher: str
    url: str
    paragraphs: tuple[str, ...]
    subheading_at: int | None  # Markdown: a "## " heading before this paragraph
    subheading: str
    credit: str
    caption: str
    also_read: str | None
    previous_title: str
    next_title: str
    bio: str
    comments: tuple[str, ...]
    headline_known: bool
    authors_known: bool
    date_known: bool

    @property
    def file_name(self) -> str:
        return f"{self.stem}.txt" if self.raw else f"{self.stem}.md"


class _Cast:
    """The people, places and organisations one article keeps coming back to."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        surnames = rng.sample(v.LAST_NAMES, rng.randint(3, 6))  # distinct: "Szabo" is one person
        self.people = [
            (rng.choice(v.TITLES), f"{rng.choice(v.FIRST_NAMES)} {surname}") for surname in surnames
        ]
        self.places = rng.sample(v.PLACES, 4)
        self.orgs = rng.sample(v.ORGANISATIONS, 3)
        self.mentioned: set[str] = set()
        self.last_person = ""

    def person(self, exclude: frozenset[str] = frozenset()) -> str:
        """A cast member as news names them: title and full name first, then mostly surname."""
        choices = [person for person in self.people if person[1] not in exclude]
        title, name = self.rng.choice(choices or self.people)
        self.last_person = name
        if name not in self.mentioned:
            self.mentioned.add(name)
            return f"{title} {name}"
        return name.split()[-1] if self.rng.random() < 0.6 else name

    def place(self, exclude: frozenset[str] = frozenset()) -> str:
        pool = self.places if self.rng.random() < 0.8 else v.PLACES
        return self.rng.choice([place for place in pool if place not in exclude] or pool)

    def org(self, exclude: frozenset[str] = frozenset()) -> str:
        pool = self.orgs if self.rng.random() < 0.8 else v.ORGANISATIONS
        return self.rng.choice([org for org in pool if org not in exclude] or pool)

    def fill(self, pattern: str) -> str:
        """Replace each {p}, {g} and {o} slot, left to right, never naming anyone twice."""
        parts = pattern.split("{")
        out = [parts[0]]
        used: set[str] = set()
        for part in parts[1:]:
            slot, rest = part.split("}", 1)
            name = self._draw(slot, frozenset(used))
            used.add(self.last_person if slot == "p" else name)
            out.append(name + rest)
        return "".join(out)

    def _draw(self, slot: str, exclude: frozenset[str]) -> str:
        draw = {"p": self.person, "g": self.place, "o": self.org}[slot]
        return draw(exclude)


def _person(rng: random.Random) -> tuple[str, str]:
    name = f"{rng.choice(v.FIRST_NAMES)} {rng.choice(v.LAST_NAMES)}"
    return rng.choice(v.TITLES), name


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _date_expression(rng: random.Random, published: datetime.date) -> str:
    """A date as news writes it: relative, full, month and year, or a year."""
    day = published - datetime.timedelta(days=rng.randint(0, 400))
    month = v.MONTHS[day.month - 1]
    kind = rng.randrange(7)
    if kind == 0:
        return f"on {v.WEEKDAYS[day.weekday()]}"
    if kind == 1:
        return f"on {day.day} {month} {day.year}"
    if kind == 2:
        return f"on {month} {day.day}, {day.year}"
    if kind == 3:
        return f"in {month} {day.year}"
    if kind == 4:
        return f"in {rng.randint(1949, day.year)}"
    if kind == 5:
        return f"since {rng.randint(1990, day.year)}"
    return rng.choice(("last week", "earlier this month", "last year"))


def _sentence(rng: random.Random, cast: _Cast, published: datetime.date) -> str:
    clause = cast.fill(rng.choice(v.CLAUSES))
    if rng.random() < TAIL_CHANCE:
        clause = f"{clause} {rng.choice(v.TAILS)}"
    if rng.random() < DATE_CHANCE:
        clause = f"{clause} {_date_expression(rng, published)}"
    form = rng.random()
    if form < QUOTE_CHANCE:
        return f"“{_capitalise(clause)},” {cast.person()} {rng.choice(v.SPEECH_VERBS)}."
    if form < 0.55:
        return f"{_capitalise(cast.person())} {rng.choice(v.SPEECH_VERBS)} that {clause}."
    if form < 0.7:
        return f"{_capitalise(cast.org())} {rng.choice(v.SPEECH_VERBS)} that {clause}."
    if form < 0.85:
        return f"{rng.choice(v.GENERIC_SUBJECTS)} {rng.choice(v.SPEECH_VERBS)} that {clause}."
    return f"{_capitalise(clause)}."


def _body(rng: random.Random, cast: _Cast, published: datetime.date) -> tuple[str, ...]:
    target = rng.randint(460, 540)
    paragraphs: list[str] = []
    words = 0
    while words < target:
        sentences = [_sentence(rng, cast, published) for _ in range(rng.randint(2, 4))]
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    return tuple(paragraphs)


def _titles(rng: random.Random, count: int) -> list[str]:
    """``count`` headlines whose slugs differ in their first ``SLUG_KEY_LENGTH`` characters.

    A repeat is drawn again, so no two articles want the same page name (natowatch cuts slugs at
    80 characters) and the build has no renaming warnings.
    """
    seen: set[str] = set()
    titles: list[str] = []
    while len(titles) < count:
        title, name = _person(rng)
        places = rng.sample(v.PLACES, 2)
        pattern = rng.choice(v.HEADLINE_PATTERNS)
        headline = pattern.format(
            g=places[0], g2=places[1], o=rng.choice(v.ORGANISATIONS), p=name, t=title,
            topic=rng.choice(v.TAGS),
        )  # fmt: skip
        headline = _capitalise(headline)
        key = _slug(headline)[:SLUG_KEY_LENGTH]
        if key not in seen:
            seen.add(key)
            titles.append(headline)
    return titles


def _slug(title: str) -> str:
    kept = "".join(ch if ch.isalnum() else "-" for ch in title.lower())
    return "-".join(part for part in kept.split("-") if part)


def _comments(rng: random.Random, cast: _Cast) -> tuple[str, ...]:
    comments = []
    for _ in range(rng.choice((0, 0, 1, 2, 3, 4, 5, 6))):
        text = rng.choice(v.COMMENT_OPENERS)
        if rng.random() < 0.8:
            text = f"{text} {cast.fill(rng.choice(v.COMMENT_BODIES))}"
        comments.append(text)
    return tuple(comments)


def _article(
    rng: random.Random, index: int, titles: Sequence[str], raw_share: float
) -> SyntheticArticle:
    title = titles[index]
    cast = _Cast(rng)
    published = FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS_SPAN))
    publisher, host = rng.choice(v.PUBLISHERS)
    author = f"{rng.choice(v.FIRST_NAMES)} {rng.choice(v.LAST_NAMES)}"
    caption_person = cast.person()
    paragraphs = _body(rng, cast, published)
    return SyntheticArticle(
        stem=f"{index:05d}_{rng.getrandbits(64):016x}",
        raw=rng.random() < raw_share,
        title=title,
        published=published,
        tags=tuple(rng.sample(v.TAGS, rng.randint(2, 5))),
        author=author,
        publisher=publisher,
        url=f"https://{host}/news/{published:%Y/%m/%d}/{_slug(title)}/",
        paragraphs=paragraphs,
        subheading_at=rng.randrange(2, len(paragraphs)) if rng.random() < 0.3 else None,
        subheading=_capitalise(f"what comes next for {cast.place()}"),
        credit=rng.choice(v.CREDITS),
        caption=f"{_capitalise(caption_person)} during a {published.year} visit to {cast.place()}.",
        also_read=rng.choice(titles) if rng.random() < 0.6 else None,
        previous_title=titles[index - 1],
        next_title=titles[(index + 1) % len(titles)],
        bio=_bio(rng, author, cast),
        comments=_comments(rng, cast),
        headline_known=rng.random() < 0.8,
        authors_known=rng.random() < 0.7,
        date_known=rng.random() < 0.85,
    )


def _bio(rng: random.Random, author: str, cast: _Cast) -> str:
    surname = author.split()[-1]
    return (
        f"{author} is {rng.choice(v.BIO_ROLES)}. {surname} has reported from "
        f"{cast.place()} and {rng.choice(v.PLACES)}, and writes for several outlets."
    )


def generate_corpus(
    articles: int, seed: int = DEFAULT_SEED, raw_share: float = RAW_SHARE
) -> list[SyntheticArticle]:
    """The archive's articles, in file order; a pure function of its arguments."""
    rng = random.Random(f"natowatch-benchmark:{seed}")
    titles = _titles(rng, articles)
    return [_article(rng, index, titles, raw_share) for index in range(articles)]


def _yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def render_markdown(article: SyntheticArticle) -> str:
    """The article as Markdown with YAML front matter (title, date, tags; every
    ``HUGO_KEYS_EVERY``-th article also Hugo's ``category`` and ``summary``)."""
    tags = ", ".join(_yaml_string(tag) for tag in article.tags)
    lines = [
        "---",
        f"title: {_yaml_string(article.title)}",
        f"date: {article.published.isoformat()}",
        f"tags: [{tags}]",
    ]
    if int(article.stem[:5]) % HUGO_KEYS_EVERY == 0:  # no random draw: the rest stays the same
        summary = article.paragraphs[0].split(". ")[0].rstrip(".") + "."
        lines += [f"category: {_yaml_string(article.tags[0])}", f"summary: {_yaml_string(summary)}"]
    lines += ["---", ""]
    for number, paragraph in enumerate(article.paragraphs):
        if number == article.subheading_at:
            lines += [f"## {article.subheading}", ""]
        lines += [paragraph, ""]
    return "\n".join(lines)


def render_raw_text(article: SyntheticArticle) -> str:
    """The article as scraped from a web page, page furniture and all (as in ``seeds/``)."""
    lines = [f"Photo Credit: {article.credit}", article.caption, ""]
    for number, paragraph in enumerate(article.paragraphs):
        lines += [paragraph, ""]
        if number == 1 and article.also_read:
            lines += [f"Also Read: {article.also_read}", ""]
    lines += [
        "",
        f"Previous article{article.previous_title}",
        f"Next article{article.next_title}",
        article.bio,
        "",
    ]
    for number, comment in enumerate(article.comments, start=1):
        lines += ["", f"  {number}. {comment}"]
    if article.comments:
        lines += ["", "Comments are closed."]
    return "\n".join(lines) + "\n"


def render_sources(articles: Sequence[SyntheticArticle]) -> str:
    """``sources.yml``: what is known about each raw article beyond its own text."""
    lines = ["# Facts about the raw-text articles (generated by benchmarks.generate)."]
    for article in articles:
        if not article.raw:
            continue
        authors = _yaml_string(article.author) if article.authors_known else ""
        headline = _yaml_string(article.title) if article.headline_known else "null"
        published = article.published.isoformat() if article.date_known else "null"
        tags = ", ".join(_yaml_string(tag) for tag in article.tags)
        lines += [
            f"{article.file_name}:",
            f"  url: {article.url}",
            f"  publisher: {_yaml_string(article.publisher)}",
            f"  published: {published}",
            f"  authors: [{authors}]",
            f"  headline: {headline}",
            f"  tags: [{tags}]",
        ]
    return "\n".join(lines) + "\n"


ENTITIES_YML = """\
# Entity dictionary of the synthetic archive (generated by benchmarks.generate).
- name: North Atlantic Treaty Organization
  type: ORG
  aliases: [NATO, Nato, North Atlantic Alliance]
- name: European Union
  type: ORG
  aliases: [EU]
- name: Organization for Security and Co-operation in Europe
  type: ORG
  aliases: [OSCE]
- name: United Nations
  type: ORG
  aliases: [UN]
- name: Mediterranean Dialogue
  type: ORG
- name: Brussels
  type: GPE
"""

CONFIG_YML = """\
title: Synthetic archive
description: A synthetic news archive generated for natowatch's benchmark.
"""


def prepare_folder(out: Path) -> None:
    """Make ``out`` an empty folder; refuse to empty a non-empty folder we did not write."""
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise SystemExit(f"{out} is not empty and was not written by benchmarks.generate")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("Written by python -m benchmarks.generate; safe to delete.\n")


def write_archive(articles: Sequence[SyntheticArticle], out: Path) -> None:
    """Write the archive folder (replacing one this module wrote before)."""
    prepare_folder(out)
    for article in articles:
        text = render_raw_text(article) if article.raw else render_markdown(article)
        (out / article.file_name).write_text(text, encoding="utf-8", newline="\n")
    (out / "sources.yml").write_text(render_sources(articles), encoding="utf-8")
    (out / "entities.yml").write_text(ENTITIES_YML, encoding="utf-8")
    (out / "natowatch.yml").write_text(CONFIG_YML, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True, help="number of articles")
    parser.add_argument("--out", type=Path, required=True, help="archive folder to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--raw-share", type=float, default=RAW_SHARE, help="share of raw text")
    args = parser.parse_args(argv)
    articles = generate_corpus(args.articles, args.seed, args.raw_share)
    write_archive(articles, args.out)
    raw = sum(article.raw for article in articles)
    print(f"wrote {len(articles)} articles ({raw} raw text) to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
