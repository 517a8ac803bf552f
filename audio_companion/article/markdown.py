"""Markdown articles: heading levels are explicit, inline markup is dropped.

Only the subset that articles use is read (ATX and setext headings, lists,
quotes, fences, images); nothing here renders HTML.
"""

from __future__ import annotations

import re

from audio_companion.article import lines
from audio_companion.article.model import Article
from audio_companion.article.structure import Token, assemble, content_token

_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_IMAGE_LINE = re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_SETEXT = re.compile(r"^\s*(=+|-+)\s*$")


def inline_text(text: str) -> str:
    """Strip inline Markdown and HTML, keeping what a reader would say."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)  # images
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links → their text
    text = re.sub(r"\[\^[^\]]+\]", "", text)  # footnote references
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])", r"\2", text)
    text = re.sub(r"`([^`]+)`", r"\1", text)
    return lines.strip_symbols(text)


def _headings_and_blocks(text: str) -> list[tuple[str, str, int]]:
    """First pass: (kind, text, level) with paragraphs joined across lines."""
    out: list[tuple[str, str, int]] = []
    buf: list[str] = []
    raw = text.splitlines()

    def flush() -> None:
        if buf:
            out.append(("para", " ".join(s.strip() for s in buf), 0))
            buf.clear()

    i = 0
    while i < len(raw):
        line = raw[i]
        if _FENCE.match(line):
            flush()
            j = i + 1
            while j < len(raw) and not _FENCE.match(raw[j]):
                j += 1
            out.append(("code", "\n".join(raw[i + 1 : j]), 0))
            i = j + 1
            continue
        if not line.strip():
            flush()
        elif m := _ATX.match(line):
            flush()
            out.append(("heading", m.group(2), len(m.group(1))))
        elif buf and len(buf) == 1 and _SETEXT.match(line) and not _RULE.match(buf[0]):
            level = 1 if line.strip().startswith("=") else 2
            out.append(("heading", buf.pop(), level))
        elif _RULE.match(line):
            flush()
        elif _IMAGE_LINE.match(line):
            flush()
            out.append(("image", line, 0))
        elif lines.bullet_text(line) is not None:
            flush()
            out.append(("item", line, 0))
        elif line.lstrip().startswith(">"):
            flush()
            out.append(("quote", line.lstrip()[1:].strip(), 0))
        else:
            buf.append(line)
        i += 1
    flush()
    return out


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    in_citations = False
    seen_heading = False
    have_title = False
    for kind, raw, level in _headings_and_blocks(text):
        if kind == "image":
            continue
        clean = inline_text(raw) if kind != "code" else raw
        chrome = lines.chrome_kind(clean) if kind != "code" else None
        if chrome == "stop" and seen_heading:
            break
        if chrome is not None:
            continue
        if kind == "heading":
            if level == 1 and not have_title:
                tokens.append(Token("title", clean))
                have_title = True
                continue
            in_citations = clean.lower().rstrip(":") in lines.CITATION_HEADINGS
            if not in_citations:
                tokens.append(Token("heading", clean, level=level))
                seen_heading = True
            continue
        if in_citations:
            item = lines.bullet_text(raw)
            tokens.append(Token("citation", inline_text(item) if item is not None else clean))
            continue
        if kind == "code":
            text = raw
        elif kind == "item":
            text = inline_text(lines.bullet_text(raw) or "")
        else:
            text = clean
        tokens.append(content_token(kind, text, seen_heading, tokens))
    return tokens


def parse(text: str) -> Article:
    return assemble(tokenize(text))
