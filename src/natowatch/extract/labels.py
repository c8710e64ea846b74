"""The labels the two classification passes give units of scraped text."""

from __future__ import annotations

import enum


class Label(enum.Enum):
    BODY = "body"
    SHORT = "short"  # no closing punctuation and few words: decided in pass two
    HEADLINE = "headline"
    BYLINE = "byline"
    DATE = "date"
    CREDIT = "credit"
    CAPTION = "caption"
    IMAGE_TITLE = "image-title"
    NAVIGATION = "navigation"
    RELATED = "related-link"
    BIO = "bio"
    BIO_HEADER = "bio-header"
    COMMENTS_CLOSED = "comments-closed"
    COMMENTS_HEADER = "comments-header"
    NUMBERED = "numbered"  # "1. ..." : a comment or a list item, decided in pass two
    TIMESTAMP = "timestamp"  # a date/time line: comment meta or publication date
    COMMENT = "comment"
    COMMENT_META = "comment-meta"
    WIDGET = "widget"
    FOOTER = "footer"
    SECTION_HEADING = "section-heading"
    OTHER = "other"  # page furniture with no more specific kind
    END_MARKER = "end-marker"  # "###", "___": what follows is the publisher's, not the story
    FOOTER_HEADER = "footer-header"  # "About the Centre": an organisation's boilerplate follows


BOILERPLATE_AFTER_BODY = frozenset(
    {
        Label.NAVIGATION,
        Label.BIO,
        Label.BIO_HEADER,
        Label.COMMENTS_CLOSED,
        Label.COMMENTS_HEADER,
        Label.WIDGET,
        Label.FOOTER,
    }
)

# The labels of the article's own text: its paragraphs and subheadings.
TEXT_LABELS = (Label.BODY, Label.SECTION_HEADING)
