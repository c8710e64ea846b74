"""Raw scraped text -> the text's own parts of a record: headline, byline, captions and credits,
body paragraphs, reader comments; navigation, widgets and other boilerplate dropped.

Two passes over units of text (``blocks``): each unit alone (``classify``), then in its context
(``layout``); ``assemble`` turns the labels into record fields. Phrase lists and thresholds are
data (``rules.yml``).

May import: core, language.
"""
