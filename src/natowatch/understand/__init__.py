"""What one article is about: named entities (``names``, ``entities``, the archive's
``dictionary``), dated events (``events``, ``dates``), direct quotes and their speakers
(``quotes``, which runs ``quote_marks``, ``attribution`` with ``speaker_phrases``, ``quote_groups``
and ``speaker_ids`` over the word lists of ``quote_cues``), and its content words (``words``);
``article.understand`` fills them into a record.

Per article, with no cross-article state, so it runs in the loader's worker processes; the one
cross-article step of this stage, ``aliases`` (a surname resolved to the full name another
article gives), runs after loading.

May import: core, language.
"""
