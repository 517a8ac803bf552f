"""audio-companion: an offline voice companion and narrated-podcast builder."""

__version__ = "0.1.0"

# The artist and author of everything the companion publishes, unless told otherwise.
DEFAULT_AUTHOR = "Audio Companion"
