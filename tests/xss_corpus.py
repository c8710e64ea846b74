"""A corpus of classic cross-site scripting vectors, and an archive that carries them everywhere.

Every vector tries to run ``__xss(N)`` (a marker the browser test defines), ``alert(N)``,
``confirm(N)`` or ``prompt(N)``. ``write_xss_archive`` writes an archive folder in which the
vectors sit in every field of both input formats: headlines (front matter and the raw text's
own headline line), Markdown headings, paragraphs, lists, quotes, code, links and images,
captions, credits, body paragraphs, numbered reader comments, author bios, authors, publishers,
URLs, tags, slugs, Hugo's and Jekyll's front matter keys (summary, categories, images, aliases,
layout, and unknown keys, names and values, kept in the record's ``extra``), file and folder
names, ``sources.yml``, the site's title and description, and the entity dictionary (names,
descriptions, ``refers_to``).

The loader keeps some fields name-shaped (a commenter's name must look like a name), so
``hostile_records`` also gives hand-made records with the vectors in every text field of the
record: comment authors, timestamps and addressees, datelines, image titles, boilerplate,
events, quotes and speakers.

The vectors are split into groups (one Markdown and one raw-text article each) and packed into
headline lines, so the site stays small enough to load every page in a browser.
"""

from __future__ import annotations

import base64
import dataclasses
import enum
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from natowatch.core.model import Article, Quote
from natowatch.extract.blocks import WORD
from site_factory import make_article


@dataclass(frozen=True)
class Vector:
    id: str
    kind: str  # the class of attack, for reports
    text: str  # one line: no newline, so it fits every field of a raw-text file


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


_RAW = [
    # --- script elements -----------------------------------------------------------------------
    ("script", "script", "<script>__xss(1)</script>"),
    ("script-src-data", "script", '<script src="data:text/javascript,__xss(2)"></script>'),
    ("script-upper", "script", "<SCRIPT>alert(3)</SCRIPT>"),
    ("script-split", "script", "<scr<script>ipt>__xss(4)</scr</script>ipt>"),
    ("script-close-first", "script", "</script><script>__xss(5)</script>"),
    ("script-in-comment", "script", "<!--<script>__xss(6)</script>-->"),
    ("script-slash-attr", "script", "<script/xss>__xss(7)</script>"),
    ("script-tab", "script", "<script\t>confirm(8)</script\t>"),
    ("script-unclosed", "script", "<script>__xss(9)//"),
    # --- event handler attributes --------------------------------------------------------------
    ("img-onerror", "event", "<img src=x onerror=__xss(10)>"),
    ("img-onerror-quoted", "event", '<img src="x" onerror="alert(11)">'),
    ("svg-onload", "event", "<svg onload=__xss(12)>"),
    ("svg-slash-onload", "event", "<svg/onload=prompt(13)>"),
    ("body-onload", "event", "<body onload=__xss(14)>"),
    ("details-ontoggle", "event", "<details open ontoggle=__xss(15)>"),
    ("input-onfocus", "event", "<input autofocus onfocus=__xss(16)>"),
    ("video-source", "event", "<video><source onerror=__xss(17)></video>"),
    ("audio-onerror", "event", "<audio src=x onerror=__xss(18)>"),
    ("marquee-onstart", "event", "<marquee onstart=__xss(19)>x</marquee>"),
    ("a-onmouseover", "event", "<a href=# onmouseover=__xss(20)>hover</a>"),
    ("custom-onclick", "event", "<x-tag tabindex=1 autofocus onfocus=__xss(21)>x</x-tag>"),
    ("style-onload", "event", "<style onload=__xss(22)></style>"),
    ("img-backtick", "event", "<img src=`x` onerror=`__xss(23)`>"),
    # --- javascript: and data: URLs ------------------------------------------------------------
    ("js-url", "url", "javascript:__xss(24)"),
    ("js-url-mixed-case", "url", "JaVaScRiPt:alert(25)"),
    ("js-url-tab", "url", "java\tscript:__xss(26)"),
    ("js-url-control", "url", "\x01javascript:__xss(27)"),
    ("js-url-anchor", "url", '<a href="javascript:__xss(28)">click</a>'),
    ("js-url-entity-colon", "url", '<a href="javascript&colon;__xss(29)">x</a>'),
    ("vbscript-url", "url", "vbscript:msgbox(30)"),
    ("data-html-url", "url", "data:text/html,<script>__xss(31)</script>"),
    ("data-base64-url", "url", "data:text/html;base64," + _b64("<script>__xss(32)</script>")),
    ("data-svg-url", "url", "data:image/svg+xml,<svg onload=__xss(33)>"),
    ("js-url-after-https", "url", 'https://example.com/"><script>__xss(34)</script>'),
    ("js-url-quote-https", "url", "https://example.com/' onmouseover='__xss(35)"),
    # --- Markdown links and images -------------------------------------------------------------
    ("md-js-link", "markdown", "[click me](javascript:__xss(36))"),
    ("md-js-link-upper", "markdown", "[click](JAVASCRIPT:alert(37))"),
    ("md-js-link-entity", "markdown", "[click](java&#115;cript:__xss(38))"),
    ("md-js-link-hex", "markdown", "[click](&#x6A;avascript:__xss(39))"),
    ("md-js-link-angle", "markdown", "[click](<javascript:__xss(40)>)"),
    ("md-data-link", "markdown", "[click](data:text/html;base64," + _b64("<b>41</b>") + ")"),
    ("md-js-image", "markdown", "![pic](javascript:__xss(42))"),
    ("md-data-image", "markdown", "![pic](data:image/svg+xml;base64," + _b64("<svg/>") + ")"),
    ("md-js-autolink", "markdown", "<javascript:__xss(44)>"),
    ("md-vbscript-link", "markdown", "[click](vbscript:msgbox(45))"),
    (
        "md-title-breakout",
        "markdown",
        '[click](https://example.com "a\\" onmouseover=\\"__xss(46)")',
    ),
    ("md-url-breakout", "markdown", '[click](https://example.com/"onmouseover="__xss(47))'),
    ("md-image-alt-breakout", "markdown", '![x" onerror="__xss(48)](https://example.com/a.png)'),
    ("md-js-link-percent", "markdown", "[click](%6Aavascript:__xss(49))"),
    # --- SVG, iframe srcdoc and other embedding elements ---------------------------------------
    ("svg-script", "svg", "<svg><script>__xss(50)</script></svg>"),
    ("svg-animate", "svg", "<svg><animate onbegin=__xss(51) attributeName=x dur=1s>"),
    ("svg-xlink", "svg", '<svg><a xlink:href="javascript:__xss(52)"><text>x</text></a></svg>'),
    ("math-mxss", "svg", "<math><mtext><table><mglyph><style><img src=x onerror=__xss(53)>"),
    ("iframe-srcdoc", "iframe", '<iframe srcdoc="<script>parent.__xss(54)</script>"></iframe>'),
    (
        "iframe-srcdoc-entities",
        "iframe",
        '<iframe srcdoc="&lt;img src=x onerror=parent.__xss(55)&gt;"></iframe>',
    ),
    ("iframe-js-src", "iframe", '<iframe src="javascript:parent.__xss(56)"></iframe>'),
    ("object-data", "iframe", '<object data="javascript:__xss(57)"></object>'),
    ("embed-src", "iframe", '<embed src="data:text/html,<script>__xss(58)</script>">'),
    ("base-href", "iframe", '<base href="javascript:__xss(59)//">'),
    ("form-action", "iframe", '<form action="javascript:__xss(60)"><button>go</button></form>'),
    ("meta-refresh", "iframe", '<meta http-equiv="refresh" content="0;url=javascript:__xss(61)">'),
    ("css-import", "iframe", "<style>@import 'data:text/css,*{}';</style>"),
    ("css-url", "iframe", '<div style="background:url(javascript:__xss(63))">x</div>'),
    # --- breaking out of attributes and raw-text elements --------------------------------------
    ("dq-attr", "breakout", '" onmouseover="__xss(64)" x="'),
    ("sq-attr", "breakout", "' onfocus='__xss(65)' autofocus x='"),
    ("dq-tag", "breakout", '"><script>__xss(66)</script>'),
    ("sq-tag", "breakout", "'><svg onload=__xss(67)>"),
    ("backtick-tag", "breakout", "`><img src=x onerror=__xss(68)>"),
    ("unquoted-attr", "breakout", "x onmouseover=__xss(69) "),
    ("title-close", "breakout", "</title><script>__xss(70)</script>"),
    ("textarea-close", "breakout", "</textarea><script>__xss(71)</script>"),
    ("style-close", "breakout", "</style><script>__xss(72)</script>"),
    (
        "noscript-close",
        "breakout",
        '<noscript><p title="</noscript><img src=x onerror=__xss(73)>">',
    ),
    ("long-attr", "breakout", '"' + "A" * 3000 + '" onmouseover="__xss(74)" x="'),
    # --- JSON-LD and XML break-outs ------------------------------------------------------------
    (
        "jsonld-close",
        "data",
        '</script><script>__xss(75)</script><script type="application/ld+json">',
    ),
    ("jsonld-comment", "data", "<!--<script>__xss(76)//-->"),
    ("jsonld-string", "data", '"}]}</script><img src=x onerror=__xss(77)>'),
    ("cdata-close", "data", "]]><script>__xss(78)</script><![CDATA["),
    ("xml-pi", "data", '<?xml-stylesheet type="text/xsl" href="javascript:__xss(79)"?>'),
    ("xml-entity", "data", '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;'),
    ("xml-control", "data", "\x0b\x1b<script>__xss(81)</script>\x7f\x08"),
    ("unicode-separators", "data", "\u2028</script>\u2029<script>__xss(82)</script>"),
    # --- entity-encoded and unicode-escaped variants -------------------------------------------
    ("html-entities", "encoded", "&lt;script&gt;__xss(83)&lt;/script&gt;"),
    ("decimal-entities", "encoded", "&#60;script&#62;__xss(84)&#60;/script&#62;"),
    ("hex-entities", "encoded", "&#x3C;img src=x onerror=__xss(85)&#x3E;"),
    ("entities-no-semicolon", "encoded", "&#60img src=x onerror=__xss(86)&#62"),
    ("js-unicode-escapes", "encoded", "\\u003cscript\\u003e__xss(87)\\u003c/script\\u003e"),
    ("js-hex-escapes", "encoded", "\\x3cscript\\x3e__xss(88)\\x3c/script\\x3e"),
    ("percent-encoded", "encoded", "%3Cscript%3E__xss(89)%3C%2Fscript%3E"),
    ("fullwidth", "encoded", "＜script＞__xss(90)＜/script＞"),
    ("utf7", "encoded", "+ADw-script+AD4-__xss(91)+ADw-/script+AD4-"),
    ("zero-width", "encoded", "<scr\u200bipt>__xss(92)</scr\u200bipt>"),
    ("rtl-override", "encoded", "\u202e<script>__xss(93)</script>\u202c"),
    ("combining", "encoded", "<\u0338script>__xss(94)</script>"),
    # --- template injection: must be shown literally, never evaluated -------------------------
    ("jinja-expression", "template", "{{ 7*7 }}"),
    ("jinja-product", "template", "{{ 1234*5 }}"),
    ("jinja-raw", "template", "{% raw %}{{ 2345*3 }}{% endraw %}"),
    ("jinja-statement", "template", "{%for x in range(3)%}{{x*7}}q{%endfor%}"),
    ("jinja-globals", "template", "{{ self.__init__.__globals__ }}{{ config }}"),
    ("dollar-template", "template", "${8765*3}"),
    ("hash-template", "template", "#{4321*2}"),
    ("erb-template", "template", "<%= 2468*3 %>"),
    ("angular-template", "template", "{{constructor.constructor('__xss(103)')()}}"),
]

VECTORS: tuple[Vector, ...] = tuple(Vector(*item) for item in _RAW)

# Results a template engine would print if it evaluated the template vectors; never in a file.
TEMPLATE_RESULTS = ("6170", "7035", "26295", "8642", "7404", "0q7q14q")
# Template vectors that must reach the pages exactly as written.
LITERAL_TEMPLATES = ("{{ 7*7 }}", "{% raw %}", "{{ 1234*5 }}", "${8765*3}", "#{4321*2}")

GROUP_SIZE = 12
SITE_TITLE = "Archive <script>__xss(900)</script> {{ 7*7 }}"
SITE_DESCRIPTION = '"><img src=x onerror=__xss(901)> {% raw %}'


def groups() -> list[tuple[Vector, ...]]:
    """The vectors in groups of ``GROUP_SIZE``; each group gets its own articles."""
    return [VECTORS[i : i + GROUP_SIZE] for i in range(0, len(VECTORS), GROUP_SIZE)]


def file_safe(vector: Vector) -> bool:
    """Whether the vector can be part of a file name on Linux (no slash, not too long)."""
    return "/" not in vector.text and len(vector.text.encode()) < 150 and vector.text.isprintable()


def one_line(text: str) -> str:
    """The vector with the characters that end a line in Python (splitlines) replaced."""
    return "".join(" " if char in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029" else char for char in text)


# --- the archive -------------------------------------------------------------------------------

HEADLINE_MAX_CHARS = 200  # the raw-text extractor's limits for a headline line (rules.yml)
HEADLINE_MAX_WORDS = 15  # a longer line is not "short", so never a headline


def write_xss_archive(folder: Path) -> Path:
    """Write the hostile archive into ``folder`` (created) and return it.

    * per group of vectors: a Markdown article (vectors in every front matter key, the title
      heading, subheadings, paragraphs, lists, quotes, code, links, images) and a raw-text
      article (headline facts in ``sources.yml``, captions, credits, body, bio, numbered
      comments), the text file in a folder named after a vector on odd groups;
    * per vector: a short raw-text article whose headline line (when short enough to be read
      as one), file name and front matter (url, authors, tags, slug) carry it;
    * two dictionary entities per group, with the vectors in their names, descriptions and
      ``refers_to`` (found in the text by a plain alias), and the site title and description.
    """
    folder.mkdir(parents=True, exist_ok=True)
    sidecar: dict[str, dict[str, object]] = {}
    dictionary: list[dict[str, object]] = []
    for number, group in enumerate(groups(), start=1):
        md_name, txt_name = _group_file_names(number, group)
        _write(folder / md_name, _markdown_article(number, group))
        _write(folder / txt_name, _text_article(number, group))
        sidecar[txt_name] = _facts(number, group)
        dictionary.extend(_entities(number, group))
    for number, batch in enumerate(headline_batches(), start=1):
        _write(folder / headline_file_name(number, batch), _headline_article(number, batch))
    _write_yaml(folder / "sources.yml", sidecar)
    _write_yaml(folder / "entities.yml", dictionary)
    _write_yaml(folder / "natowatch.yml", {"title": SITE_TITLE, "description": SITE_DESCRIPTION})
    return folder


def headline_batches() -> list[tuple[Vector, ...]]:
    """The vectors packed, in order, into as few headline lines as the extractor still reads
    as headlines (a vector too long for any headline line gets an article of its own)."""
    batches: list[tuple[Vector, ...]] = []
    for vector in VECTORS:
        # One URL-shaped vector per article, so that each is some article's URL.
        urls = [item for item in batches[-1] if item.kind == "url"] if batches else []
        if (
            batches
            and fits_headline(headline_line((*batches[-1], vector)))
            and not (urls and vector.kind == "url")
        ):
            batches[-1] = (*batches[-1], vector)
        else:
            batches.append((vector,))
    return batches


def headline_line(batch: tuple[Vector, ...]) -> str:
    return "News about " + " and ".join(one_line(vector.text) for vector in batch) + " today"


def fits_headline(line: str) -> bool:
    return len(line) <= HEADLINE_MAX_CHARS and len(WORD.findall(line)) <= HEADLINE_MAX_WORDS


def headline_file_name(number: int, batch: tuple[Vector, ...]) -> str:
    """``h001 <vectors>.txt``: the batch's vectors that fit in a file name (255 bytes)."""
    name = f"h{number:03d}"
    for vector in batch:
        if file_safe(vector) and len(f"{name} {vector.text}.txt".encode()) <= 255:
            name = f"{name} {vector.text}"
    return f"{name}.txt"


def entity_names(number: int, group: tuple[Vector, ...]) -> tuple[str, str]:
    """The two dictionary names of a group: each carries half of the group's vectors."""
    half = len(group) // 2
    return (f"Zorblax{number} {_joined(group[:half])}", f"Quuxcorp{number} {_joined(group[half:])}")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _write_yaml(path: Path, data: object) -> None:
    _write(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000))


def _group_file_names(number: int, group: tuple[Vector, ...]) -> tuple[str, str]:
    """File names carrying a vector; odd groups put the text file in a hostile folder."""
    usable = [vector.text for vector in group if file_safe(vector)] or ["plain"]
    md_name = f"g{number:02d} {usable[0]}.md"
    txt_name = f"g{number:02d} {usable[-1]}.txt"
    if number % 2:
        txt_name = f"{usable[len(usable) // 2]}/{txt_name}"
    return md_name, txt_name


def _joined(group: tuple[Vector, ...]) -> str:
    return " ".join(one_line(vector.text) for vector in group)


def _facts(number: int, group: tuple[Vector, ...]) -> dict[str, object]:
    """Facts for ``sources.yml`` or front matter, every value hostile."""
    urls = [vector.text for vector in group if vector.kind == "url"] or [group[0].text]
    return {
        "url": urls[number % len(urls)],
        "publisher": f"Publisher {_joined(group)}",
        "published": f"2020-01-{number:02d}",
        "authors": [f"Author {vector.text}" for vector in group],
        "tags": [vector.text for vector in group],
        "slug": group[0].text,
    }


def _hugo_facts(number: int, group: tuple[Vector, ...]) -> dict[str, object]:
    """Front matter keys of Hugo and Jekyll, every value (and an unknown key's name) hostile:
    the summary becomes the page's description, the rest goes to tags or the record's extra."""
    summary_key = "summary" if number % 2 else "description"
    return {
        summary_key: f"Summary {_joined(group)}",
        "categories": [f"Category {vector.text}" for vector in group],
        "lastmod": f"2020-02-{number:02d}T10:00:00+02:00",
        "images": [vector.text for vector in group],
        "aliases": [vector.text for vector in group],
        "layout": group[0].text,
        "params": {"note": _joined(group), group[-1].text: group[0].text},
        f"x-{group[0].text}": _joined(group),
    }


def _entities(number: int, group: tuple[Vector, ...]) -> Iterator[dict[str, object]]:
    first, second = entity_names(number, group)
    yield {
        "name": first,
        "type": "ORG",
        "aliases": [f"Zorblax{number} Agency"],
        "description": f"Described as {_joined(group)}",
    }
    yield {
        "name": second,
        "type": "PERSON",
        "aliases": [f"Quuxcorp{number} Smith", f"Quuxcorp{number} {_joined(group[:2])}"],
        "description": f"Also known for {_joined(group)}",
        "refers_to": first,
    }


def _entity_sentence(number: int) -> str:
    return f"The Zorblax{number} Agency hired Quuxcorp{number} Smith on 4 May 2016."


def _markdown_article(number: int, group: tuple[Vector, ...]) -> str:
    facts = _facts(number, group)
    if number % 2:
        facts = {"title": f"Headline {_joined(group)}", **facts}  # else the first heading
    facts.update(_hugo_facts(number, group))
    front = yaml.safe_dump(facts, allow_unicode=True, sort_keys=False, width=10_000)
    lines = ["---", front.rstrip("\n"), "---", ""]
    if number % 2 == 0:
        lines += [f"# Heading {_joined(group)}", ""]
    lines += [_entity_sentence(number), ""]
    for position, vector in enumerate(group):
        text = vector.text
        lines += [f"Paragraph {position} says {text} and ends here.", ""]
        lines += [f"## Section {text}", ""]
        lines += [f"- item {text}", "", f"> quoted {text}", ""]
        if "`" not in text:
            lines += [f"Code `{text}` inline.", ""]
    lines += ["```", _joined(group), "```", ""]
    lines += [f"A [reference link][evil{number}] and [another one][safe{number}].", ""]
    lines += [f"[evil{number}]: javascript:__xss({910 + number})", ""]
    lines += [
        f'[safe{number}]: https://example.com/?q="><script>__xss({920 + number})</script>',
        "",
    ]
    lines += [f'An autolink <https://example.com/"onmouseover="__xss({930 + number})>.', ""]
    return "\n".join(lines)


def _text_article(number: int, group: tuple[Vector, ...]) -> str:
    """A scraped page: byline, captions and credits, body, author bio, numbered comments."""
    lines = [f"Headline of group {number} today", "", "By Jane Roe | June 30, 2022", ""]
    lines += [_entity_sentence(number), ""]
    for position, vector in enumerate(group):
        text = one_line(vector.text)
        # A paragraph as long and plain as a news paragraph, so extraction keeps it as body.
        lines += [
            f"Paragraph {position} of the story says {text} and then it goes on, as the "
            "officials who were there told reporters on Tuesday when they were asked about it.",
            "",
        ]
        lines += [
            f"Soldiers near the border with {text} during an exercise. Photograph: Photo {text}/AFP",
            "",
        ]
    bio = f"Jane Roe is a senior fellow who writes about {_joined(group)}."
    lines += ["About the author", bio, "", f"Comments ({len(group)})", ""]
    for position, vector in enumerate(group, start=1):
        lines += [f"  {position}. A reader writes {one_line(vector.text)} here.", ""]
    return "\n".join(lines)


def _headline_article(number: int, batch: tuple[Vector, ...]) -> str:
    """A short raw text: the vectors in its headline line, file name and front matter."""
    urls = [vector.text for vector in batch if vector.kind == "url"]
    facts = {
        "url": (urls or [batch[0].text])[0],
        "authors": [f"Author {vector.text}" for vector in batch],
        "tags": [vector.text for vector in batch],
        "slug": batch[-1].text,
    }
    front = yaml.safe_dump(facts, allow_unicode=True, sort_keys=False, width=10_000)
    body = (
        f"The story of the headline continues here in a long paragraph that is plainly the "
        f"body of the article number {number}, with many words in it."
    )
    return "\n".join(["---", front.rstrip("\n"), "---", headline_line(batch), "", body, ""])


# --- hand-made records -------------------------------------------------------------------------

# Record fields that are identifiers, dates or formats rather than text a source supplies.
_NOT_TEXT = {"slug", "format", "published", "date", "precision"}
_ID_FIELDS = {"id", "speaker_id", "refers_to"}


def hostile_records() -> list[Article]:
    """One record per group with the group's vectors appended to every text field.

    The loader only lets some fields carry arbitrary text (a commenter's name must look like a
    name, for instance); these records reach the rest: comment authors, timestamps and
    addressees, datelines, image titles, boilerplate, events, quotes and their speakers.
    """
    records = []
    for number, group in enumerate(groups(), start=1):
        suffix = " " + _joined(group)
        base = make_article()
        said = Quote(f"Words{suffix}", f"Speaker{suffix}", base.entities[0].id, 1, 0, 5, (1,))
        record = _poisoned(dataclasses.replace(base, quotes=(said,)), suffix, f"-{number}")
        urls = [vector.text for vector in group if vector.kind == "url"] or [group[0].text]
        records.append(dataclasses.replace(record, slug=f"{base.slug}-{number}", url=urls[0]))
    return records


def _poisoned(value: Any, suffix: str, id_suffix: str, name: str = "") -> Any:
    """``value`` with ``suffix`` appended to every text, ids kept distinct per group."""
    if isinstance(value, enum.Enum) or name in _NOT_TEXT or value is None:
        return value
    if name in _ID_FIELDS and isinstance(value, str):
        return value + id_suffix
    if name == "entities" and all(isinstance(item, str) for item in value):
        return tuple(item + id_suffix for item in value)  # an event's entity ids
    if isinstance(value, str):
        return value + suffix
    if isinstance(value, tuple):
        return tuple(_poisoned(item, suffix, id_suffix) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: _poisoned(getattr(value, field.name), suffix, id_suffix, field.name)
            for field in dataclasses.fields(value)
            if field.name != "extra"
        }
        return dataclasses.replace(value, **changes)
    return value
