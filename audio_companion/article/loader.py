"""Reading article files from disk, with the checks a user needs to hear about."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from audio_companion.article import markdown, plaintext
from audio_companion.article.model import Article
from audio_companion.errors import ArticleError, InputError

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})

# Format name → parser; the one table to extend when a new input format lands.
PARSERS: dict[str, Callable[[str], Article]] = {
    "text": plaintext.parse,
    "markdown": markdown.parse,
}


def read_text(path: Path) -> str:
    """The file's text, or an InputError that says what is wrong with it."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give an article file (.txt or .md)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: looks like a binary file, not a text article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: is not UTF-8 text (bad byte at offset {exc.start}); "
            f"convert it first, e.g. iconv -f latin1 -t utf-8"
        ) from exc
    return text


def detect_format(path: Path, text: str) -> str:
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        return "markdown"
    return "text"


def parse_text(text: str, fmt: str, origin: str = "<text>") -> Article:
    try:
        return PARSERS[fmt](text)
    except ArticleError as exc:
        raise ArticleError(f"{origin}: {exc}") from exc


def load_article(path: Path) -> Article:
    text = read_text(path)
    return parse_text(text, detect_format(path, text), str(path))
