"""The vocabulary every stage shares: the article record (``model``), errors, ids and slugs,
JSON and YAML reading and writing, text snippets, and the fingerprint of natowatch's own code.

Owns no stage of the pipeline; holds what would otherwise be imported sideways between them.

May import: nothing else of natowatch.
"""
