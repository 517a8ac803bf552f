"""Articles in (plain text, Markdown), a tree of sections out."""

from audio_companion.article.loader import load_article, parse_text, read_text
from audio_companion.article.model import Article, Block, BlockKind, Section, slugify

__all__ = [
    "Article",
    "Block",
    "BlockKind",
    "Section",
    "load_article",
    "parse_text",
    "read_text",
    "slugify",
]
