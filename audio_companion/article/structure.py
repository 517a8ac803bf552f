"""Turn a flat stream of tokens (from any input format) into an Article tree.

Parsers decide what each line *is*; this module decides where sections begin
and end, so plain text and Markdown share one notion of structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from audio_companion.article import lines
from audio_companion.article.model import Article, Block, BlockKind, Section
from audio_companion.errors import ArticleError

INTRO_TITLE = "Introduction"


@dataclass
class Token:
    kind: str  # "title" | "heading" | "block" | "highlight" | "citation"
    text: str
    level: int | None = None  # heading level when the format says; None = infer
    block: Block | None = None
    after_caption: bool = False  # an image caption stood right before this heading


@dataclass
class _Open:
    title: str
    blocks: list[Block] = field(default_factory=list)
    subs: list[_Open] = field(default_factory=list)

    def close(self) -> Section:
        return Section(
            title=self.title,
            blocks=tuple(self.blocks),
            subsections=tuple(s.close() for s in self.subs if s.blocks or s.subs),
        )


def infer_levels(tokens: list[Token]) -> None:
    """Give every heading with an unknown level a level of 2 (main) or 3 (sub).

    Flattened pages keep one trace of their layout: a hero image (whose caption
    survives as a lowercase line) opens each main section. When captions mark
    headings like that, the other headings are sub-sections, except the first
    one and a closing heading after the last sub-section (articles end on a
    top-level conclusion). Without that signal every heading is a main section.
    """
    heads = [t for t in tokens if t.kind == "heading" and t.level is None]
    if not heads:
        return
    marked = any(t.after_caption for t in heads[1:])
    if not marked:
        for t in heads:
            t.level = 2
        return
    for i, t in enumerate(heads):
        t.level = 2 if (i == 0 or t.after_caption) else 3
    last = heads[-1]
    if len(heads) > 1 and not last.after_caption and heads[-2].level == 3:
        last.level = 2


def assemble(tokens: list[Token]) -> Article:
    infer_levels(tokens)
    title = next((t.text for t in tokens if t.kind == "title"), "")
    teaser = next((t.text for t in tokens if t.kind == "teaser"), "")
    highlights = tuple(t.text for t in tokens if t.kind == "highlight")
    citations = tuple(t.text for t in tokens if t.kind == "citation")

    levels = sorted({t.level for t in tokens if t.kind == "heading" and t.level is not None})
    main_level = levels[0] if levels else 2

    sections: list[_Open] = []
    current_sub: _Open | None = None
    for t in tokens:
        if t.kind == "heading":
            if t.level == main_level or not sections:
                sections.append(_Open(t.text))
                current_sub = None
            else:
                current_sub = _Open(t.text)
                sections[-1].subs.append(current_sub)
        elif t.kind == "block" and t.block is not None:
            if not sections:
                sections.append(_Open(INTRO_TITLE))
            target = current_sub if current_sub is not None else sections[-1]
            target.blocks.append(t.block)

    if teaser and sections:
        # The standfirst is the article's first paragraph: read first, and kept as
        # the show's description too (a listener must not lose what a reader sees).
        sections[0].blocks.insert(0, Block(BlockKind.PARAGRAPH, teaser))
    closed = tuple(s.close() for s in sections if s.blocks or s.subs)
    if not title:
        title = closed[0].title if closed else ""
    if not closed:
        raise ArticleError(
            "no section found: the article needs headings followed by paragraphs "
            "(plain text: a short line without a final period; Markdown: '## Heading')"
        )
    return Article(
        title=title, teaser=teaser, highlights=highlights, sections=closed, citations=citations
    )


def content_token(kind: str, text: str, seen_heading: bool, tokens: list[Token]) -> Token:
    """One block of content as a token, the same for every input format.

    `kind` is "code", "item", "quote" or anything else (prose). A list before
    the first heading is the page's highlights; the first prose before it is
    the teaser; a quote or a line that opens with a callout lead is a callout.
    """
    if kind == "code":
        return Token("block", text, block=Block(BlockKind.CODE, text))
    if kind == "item":
        if not seen_heading:
            return Token("highlight", text)
        label, rest = lines.split_label(text)
        return Token("block", text, block=Block(BlockKind.LIST_ITEM, rest, label))
    co = lines.callout(text)
    if co is not None:
        return Token("block", text, block=Block(BlockKind.CALLOUT, co[1], co[0]))
    if kind == "quote":
        return Token("block", text, block=Block(BlockKind.QUOTE, text))
    if not seen_heading and not any(t.kind in ("teaser", "block") for t in tokens):
        return Token("teaser", text)
    return paragraph(text)


def paragraph(text: str) -> Token:
    return Token("block", text, block=Block(BlockKind.PARAGRAPH, text))
