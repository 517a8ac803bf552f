"""What an article is once parsed: a title, a teaser and a tree of sections."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import Enum


class BlockKind(str, Enum):
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    CALLOUT = "callout"
    QUOTE = "quote"
    CODE = "code"


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str
    label: str = ""  # the callout's lead ("Tip") or a list item's label


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()

    def all_blocks(self) -> tuple[Block, ...]:
        out = list(self.blocks)
        for sub in self.subsections:
            out.extend(sub.all_blocks())
        return tuple(out)


@dataclass(frozen=True)
class Article:
    title: str
    sections: tuple[Section, ...]
    teaser: str = ""
    highlights: tuple[str, ...] = ()
    citations: tuple[str, ...] = field(default=())
    author: str = ""
    """The byline a page declares (``article.meta``): for the feed and show notes, not read."""
    published: date | None = None
    """The date a page declares it was published, when it does."""

    @property
    def slug(self) -> str:
        return slugify(self.title)


def slugify(text: str, max_len: int = 60) -> str:
    """ASCII slug for file names and identifiers: stable for a given title."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", norm.lower()).strip("-")
    return slug[:max_len].rstrip("-") or "untitled"
