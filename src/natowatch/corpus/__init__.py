"""Cross-article indexes over the loaded records: the entity index and the timeline (``index``),
related articles (``similar``), story threads, quotes repeated across outlets (``quote_links``),
all gathered in ``coverage``. Built with inverted indexes so they grow linearly with the archive.

May import: core, language, understand.
"""
