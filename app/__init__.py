"""newsfacts: a provenance-first REST API serving the facts of news articles."""

__version__ = "0.1.0"
