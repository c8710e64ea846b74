"""Short plain-text excerpts for listings: a lede's first sentence, a mention in its context.

Kept apart from the page code because both the cross-article index and the page views need the
same notion of "sentence", and neither should re-derive it differently.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from natowatch.core.memory import archive_cache

ELLIPSIS = "…"

# A sentence ends at . ! or ? (plus closing quotes/brackets) followed by space and something that
# can start a sentence. Abbreviations and initials are filtered out afterwards.
# The group is the sentence's last characters (the mark and any closing quotes or brackets).
_SENTENCE_END = re.compile(r"([.!?][\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATION_WORDS = (
    "mr mrs ms dr prof st gen lt col maj capt cmdr adm sgt sen rep gov pres rev jr sr no vs "
    "etc jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_WORD_BEFORE = re.compile(r"[A-Za-z.]+$")
# How far back the word before a full stop is looked for first: longer than any abbreviation.
_LOOK_BACK = 16


@archive_cache(maxsize=1 << 16)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """``split_sentences``, remembered: a lede is summarised for several pages (its own, the
    lists, the feeds). The keys are the records' own strings."""
    return split_sentences(text)


def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Start/end offsets of each sentence in ``text`` (whitespace between sentences excluded).

    Not remembered for the mentions' snippets (``mention_context``): they are cut in the page
    workers, where the paragraphs are unpickled copies, and a worker remembering 65,536 of
    them raised a build's memory peak by ~40 MiB at 5,000 articles.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if _ends_with_abbreviation(text, start, match.start() + 1):
            continue
        spans.append((start, match.end(1)))
        start = match.end()
    rest_end = len(text.rstrip())
    if rest_end > start or not spans:
        spans.append((start, max(rest_end, start)))
    return tuple(spans)


def _ends_with_abbreviation(text: str, start: int, stop: int) -> bool:
    """Whether ``text[start:stop]`` (up to a full stop) ends with an abbreviation or an initial.

    The word is looked for in the last few characters first: searching the whole sentence so
    far for a word at its end, and slicing it, made splitting long paragraphs quadratic.
    """
    near = max(start, stop - _LOOK_BACK)
    match = _WORD_BEFORE.search(text, near, stop)
    if match is None:
        return False
    if match.start() == near > start:  # the word may start further back: find all of it
        match = _WORD_BEFORE.search(text, start, stop) or match
    word = match.group().lower().rstrip(".")
    if word in _ABBREVIATIONS:
        return True
    return len(word) == 1 and word.isalpha()  # an initial: "J. Smith"


def first_sentence(text: str, limit: int = 300) -> str:
    """The opening sentence of ``text``, cut at a word boundary if it is longer than ``limit``."""
    stripped = text.strip()
    if not stripped:
        return ""
    start, end = sentence_spans(stripped)[0]
    return shorten(stripped[start:end], limit)


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + ELLIPSIS


def mention_snippet(
    paragraph: str | None, start: int, end: int, shown: str
) -> tuple[str, str, str]:
    """(before, mention, after) of a mention written ``shown`` at ``paragraph[start:end]``:
    ``mention_context``, found again by its text when the offsets are stale, and the mention
    alone when it is not in ``paragraph`` (or there is none).

    A function of the paragraph, not of the record, so the page workers can call it: an entity
    page's context carries each shown mention's paragraph and offsets, and the template cuts
    the snippet (``entity.html``). Cut in the main process, the ~185,000 snippets of a build
    at 5,000 articles kept it busy while the page workers waited for it.
    """
    if paragraph is None:
        return "", shown, ""
    if not (0 <= start < end <= len(paragraph)) or paragraph[start:end] != shown:
        found = paragraph.find(shown) if shown else -1
        if found < 0:
            return "", shown, ""
        start, end = found, found + len(shown)
    return mention_context(paragraph, start, end)


def mention_context(text: str, start: int, end: int, window: int = 120) -> tuple[str, str, str]:
    """(before, mention, after): the sentence holding ``text[start:end]``, or a window around it.

    A sentence up to twice ``window`` characters is shown whole; a longer one is cut to about
    ``window`` characters centred on the mention, at word boundaries, with ellipses.
    """
    for sentence_start, sentence_end in split_sentences(text):
        if sentence_start <= start < max(sentence_end, sentence_start + 1):
            break
    else:
        sentence_start, sentence_end = 0, len(text)
    sentence_end = max(sentence_end, end)
    if sentence_end - sentence_start <= 2 * window:
        return text[sentence_start:start], text[start:end], text[end:sentence_end]
    side = max((window - (end - start)) // 2, 20)
    left = max(sentence_start, start - side)
    right = min(sentence_end, end + side)
    before = text[left:start]
    after = text[end:right]
    if left > sentence_start:
        before = ELLIPSIS + (before.split(" ", 1)[1] if " " in before else before)
    if right < sentence_end:
        after = (after.rsplit(" ", 1)[0] if " " in after else after) + ELLIPSIS
    return before, text[start:end], after


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed (for ledes from Markdown)."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return " ".join("".join(collector.parts).split())
