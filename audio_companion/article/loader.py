"""Reading article files and web pages, with the checks a user needs to hear about."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from audio_companion import limits
from audio_companion.article import fetch, lines, markdown, plaintext
from audio_companion.article.html import parse_html
from audio_companion.article.model import Article, Block, BlockKind
from audio_companion.article.structure import Token, assemble, paragraph
from audio_companion.errors import ArticleError, InputError

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html)[\s>]", re.I | re.S)
_MARKDOWN_TYPES = frozenset({"text/markdown", "text/x-markdown"})

# An article's size limit, checked before anything is parsed. A long book
# chapter is 100-300 KB of text and a whole novel about 1 MB, so 2 MB leaves
# room for any one article while refusing a 50 MB dump that would take minutes
# and hundreds of MB of memory to narrate (the README's limits).
DEFAULT_MAX_INPUT_BYTES = limits.DEFAULT_MAX_INPUT_BYTES  # its own module: see limits.py
# A saved web page is mostly markup, scripts and styles: HTML may be this many
# times the limit. At the default that is fetch's own 20 MB cap on a page.
HTML_FACTOR = 10
SIZE_OPTION = "--max-input-size"

# Format name → parser; the one table to extend when a new input format lands.
PARSERS: dict[str, Callable[[str], Article]] = {
    "text": plaintext.parse,
    "markdown": markdown.parse,
    "html": parse_html,
}


@dataclass(frozen=True)
class LoadedArticle:
    """An article plus what the loader had to assume to read it (one line each)."""

    article: Article
    source: str
    notes: tuple[str, ...] = ()


def human_size(n: int) -> str:
    """Bytes as a person reads them, rounded up: 2000000 → '2 MB', 2001049 → '2.1 MB'.

    Up, so that a size named as the value for --max-input-size is enough.
    """
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if n >= scale:
            tenths = -(-n * 10 // scale)
            return f"{tenths // 10}.{tenths % 10}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def too_big(origin: str, size: int, limit: int, what: str = "text", factor: int = 1) -> InputError:
    """One line refusing an over-sized article, naming the option (and a value) to raise it."""
    need = human_size(-(-size // factor)).replace(" ", "")
    return InputError(
        f"{origin}: is {human_size(size)} of {what}, over the {human_size(limit)} limit for one "
        f"article; split it into several files, or raise the limit with {SIZE_OPTION} {need}"
    )


def check_size(origin: str, size: int, html: bool, max_bytes: int) -> None:
    """InputError when an article of `size` bytes is over the limit (HTML: HTML_FACTOR x)."""
    limit = max_bytes * HTML_FACTOR if html else max_bytes
    if size > limit:
        raise (
            too_big(origin, size, limit, "HTML", HTML_FACTOR)
            if html
            else too_big(origin, size, limit)
        )


def _read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> bytes:
    """The file's bytes; its size is checked first, so a huge file is never read."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give an article file (.txt, .md or .html)")
    try:
        size = path.stat().st_size
        if size > max_bytes:  # HTML may be larger; whether it is shows in its first bytes
            with path.open("rb") as f:
                check_size(str(path), size, is_html(path, f.read(4096)), max_bytes)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path}: looks like a binary file, not a text article")
    return data


def _not_utf8(path: Path, data: bytes) -> InputError:
    try:
        data.decode("utf-8")
        offset = 0
    except UnicodeDecodeError as exc:
        offset = exc.start
    return InputError(
        f"{path}: is not UTF-8 text (bad byte at offset {offset}); "
        f"convert it first, e.g. iconv -f latin1 -t utf-8"
    )


def looks_like_html(data: bytes) -> bool:
    return _HTML_START.match(data[:4096].lstrip(b"\xef\xbb\xbf")) is not None


def is_html(path: Path, data: bytes) -> bool:
    """By the suffix, or for an unknown one by how the bytes start."""
    suffix = path.suffix.lower()
    return suffix in HTML_SUFFIXES or (suffix not in MARKDOWN_SUFFIXES and looks_like_html(data))


def _decode_file(path: Path, data: bytes, html: bool, guess: bool) -> tuple[str, tuple[str, ...]]:
    decoded = fetch.decode_bytes(data, html=html)
    if decoded is None or (decoded.how == "detected" and not guess):
        raise _not_utf8(path, data)
    if decoded.how == "declared":
        return decoded.text, (f"{path} is not UTF-8; read it as {decoded.encoding} (declared)",)
    if decoded.how == "detected":
        return decoded.text, (f"{path} is not UTF-8; read it as {decoded.encoding}",)
    return decoded.text, ()


def read_text(path: Path) -> str:
    """The file's UTF-8 text, or an InputError that says what is wrong with it."""
    data = _read_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _not_utf8(path, data) from None


def parse_text(
    text: str, fmt: str, origin: str = "<text>", max_bytes: int = DEFAULT_MAX_INPUT_BYTES
) -> Article:
    """Parse `text` as `fmt` ("text", "markdown" or "html") after checking its size."""
    check_size(origin, len(text.encode("utf-8")), fmt == "html", max_bytes)
    return _parse_format(text, fmt, origin)


def _parse_format(text: str, fmt: str, origin: str) -> Article:
    try:
        return PARSERS[fmt](text)
    except ArticleError as exc:
        raise ArticleError(f"{origin}: {exc}") from exc


def title_from_name(name: str) -> str:
    """'evening-notes_v2.md' → 'Evening notes v2'."""
    stem = re.sub(r"[-_.\s]+", " ", Path(name).stem).strip()
    return (stem[:1].upper() + stem[1:]) if stem else "Article"


def parse_markdown_named(text: str, name: str, origin: str) -> Article:
    """Markdown; without any section heading it becomes one section named after the file."""
    tokens = markdown.tokenize(text)
    if not any(t.kind == "heading" for t in tokens):
        fallback = title_from_name(name)
        titles = [t for t in tokens if t.kind == "title"] or [Token("title", fallback)]
        body = [_as_block(t) for t in tokens if t.kind != "title"]
        tokens = [*titles, Token("heading", fallback, level=2), *body]
    try:
        return assemble(tokens)
    except ArticleError as exc:
        raise ArticleError(f"{origin}: {exc}") from exc


def _as_block(t: Token) -> Token:
    """Teasers and highlights are body text when there is no heading to precede."""
    if t.kind == "teaser":
        return paragraph(t.text)
    if t.kind == "highlight":
        label, rest = lines.split_label(t.text)
        return Token("block", t.text, block=Block(BlockKind.LIST_ITEM, rest, label))
    return t


def _parse(text: str, fmt: str, origin: str, name: str) -> Article:
    if fmt == "markdown":
        return parse_markdown_named(text, name, origin)
    return _parse_format(text, fmt, origin)


def _load_url(url: str, max_bytes: int) -> LoadedArticle:
    # The fetch cap follows a raised limit, so one option raises both.
    cap = max(fetch.FetchSettings().max_bytes, max_bytes * HTML_FACTOR)
    page = fetch.fetch_page(url, fetch.FetchSettings(max_bytes=cap))
    ctype = page.content_type
    path_name = Path(url.split("?", 1)[0].split("#", 1)[0]).name
    if ctype in _MARKDOWN_TYPES or (
        ctype == "text/plain" and Path(path_name).suffix.lower() in MARKDOWN_SUFFIXES
    ):
        fmt = "markdown"
    elif ctype == "text/plain":
        fmt = "text"
    elif "html" in ctype or "xml" in ctype or looks_like_html(page.text[:4096].encode()):
        fmt = "html"
    else:
        raise InputError(f"{url}: is {ctype}, not a web page or text article")
    check_size(url, len(page.text.encode("utf-8")), fmt == "html", max_bytes)
    notes: tuple[str, ...] = ()
    if page.encoding_how == "detected":
        notes = (f"{url} declares no character set; read it as {page.encoding}",)
    article = _parse(page.text, fmt, url, path_name or "article")
    return LoadedArticle(article, url, notes)


def load_article_with_notes(
    source: Path | str, max_bytes: int = DEFAULT_MAX_INPUT_BYTES
) -> LoadedArticle:
    """Read a file or an http(s) URL; legacy encodings are decoded and noted.

    The notes say what was assumed (e.g. "x.txt is not UTF-8; read it as
    windows-1252") so the caller can print them. An article over `max_bytes`
    (HTML: HTML_FACTOR times that) is refused before it is parsed.
    """
    return _load(source, guess=True, max_bytes=max_bytes)


def load_article(source: Path | str, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> Article:
    """Read a file or an http(s) URL.

    Encodings that are neither UTF-8 nor declared are refused here (this call
    cannot tell anyone what it assumed); use load_article_with_notes to read
    them with a note instead.
    """
    return _load(source, guess=False, max_bytes=max_bytes).article


def _load(source: Path | str, guess: bool, max_bytes: int) -> LoadedArticle:
    if isinstance(source, str) and fetch.is_url(source):
        return _load_url(source, max_bytes)
    path = Path(source)
    data = _read_bytes(path, max_bytes)
    suffix = path.suffix.lower()
    html = is_html(path, data)
    text, notes = _decode_file(path, data, html, guess)
    fmt = "html" if html else ("markdown" if suffix in MARKDOWN_SUFFIXES else "text")
    return LoadedArticle(_parse(text, fmt, str(path), path.name), str(path), notes)
