"""The archive folder -> article records: finding and decoding article files (``sources``), their
facts (``metadata``, ``sources.yml``, front matter), Markdown bodies, the archive's
``natowatch.yml`` (``config``), derived headlines, and the per-article record cache.

``loader`` runs each article through extraction (raw text) and understanding, so this stage sits
above both.

May import: core, language, extract, understand.
"""
