"""Records and indexes -> the files of the site: where every page lives (``urls``), the plain
data each template shows (``views`` and ``*_views``), page metadata, feeds and data files,
rendering (``render``, ``page_jobs``), writing and swapping in the finished site (``write``),
the search index (``search``), and checking a built site (``check``).

May import: core, archive (the configuration), corpus.
"""
