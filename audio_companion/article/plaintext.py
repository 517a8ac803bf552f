"""Plain text as copied from a web page: one block per line, headings by shape."""

from __future__ import annotations

from audio_companion.article import lines
from audio_companion.article.model import Article, Block, BlockKind
from audio_companion.article.structure import Token, assemble, paragraph


def tokenize(text: str) -> list[Token]:
    raw = [ln.rstrip() for ln in text.splitlines()]
    tokens: list[Token] = []
    have_title = False
    seen_heading = False
    in_citations = False
    after_caption = False
    for line in raw:
        if not line.strip():
            continue
        kind = lines.chrome_kind(line)
        if kind == "stop" and seen_heading:
            break
        if kind is not None:
            continue
        clean = lines.strip_symbols(line)
        if not have_title:
            if lines.looks_like_caption(line):
                continue
            tokens.append(Token("title", clean))
            have_title = True
            continue
        if clean.lower().rstrip(":") in lines.CITATION_HEADINGS and lines.looks_like_heading(line):
            in_citations = True
            continue
        if in_citations:
            tokens.append(Token("citation", clean))
            continue
        if lines.looks_like_caption(line):
            after_caption = True
            continue
        item = lines.bullet_text(line)
        if item is not None:
            if not seen_heading:
                tokens.append(Token("highlight", item))
            else:
                label, body = lines.split_label(item)
                tokens.append(Token("block", item, block=Block(BlockKind.LIST_ITEM, body, label)))
        elif (co := lines.callout(clean)) is not None:
            tokens.append(Token("block", clean, block=Block(BlockKind.CALLOUT, co[1], co[0])))
        elif lines.looks_like_heading(line):
            tokens.append(Token("heading", clean, after_caption=after_caption))
            seen_heading = True
        elif not seen_heading and not any(t.kind in ("teaser", "block") for t in tokens):
            tokens.append(Token("teaser", clean))
        else:
            tokens.append(paragraph(clean))
        after_caption = False
    return tokens


def parse(text: str) -> Article:
    return assemble(tokenize(text))
