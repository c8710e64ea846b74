"""What natowatch knows about language before it reads an article: the tokenizer, the closed word
classes and title phrases (``lexicon``, ``data/*.yml``), the built-in table of places and
organisations (``gazetteer``, ``nametable``) and the stemmer with its stopwords.

Shared by extraction (is this line a dateline? how many stopwords?) and understanding (is this a
name?); it holds data and pure functions over text, never an article's record.

May import: core.
"""
