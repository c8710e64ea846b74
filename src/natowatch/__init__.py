"""natowatch: a static site generator that understands news articles."""

__version__ = "0.1.0"
