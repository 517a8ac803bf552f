"""audio-companion: an offline voice companion and narrated-podcast builder."""

__version__ = "0.1.0"
