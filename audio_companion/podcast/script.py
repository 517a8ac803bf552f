"""The narration script of an episode: what is said, in order, and the pauses.

Pure data from an article section; rendering to audio happens elsewhere, so
the script can be tested, diffed and cached without any speech engine.
"""

from __future__ import annotations

from dataclasses import dataclass

from audio_companion.article.model import Block, BlockKind, Section
from audio_companion.podcast.speech_text import speakable

# Pauses in seconds after each kind of line: structure a listener can hear.
PAUSES = {
    "intro": 1.0,
    "paragraph": 0.6,
    "list_item": 0.35,
    "list_end": 0.6,
    "callout": 0.8,
    "heading": 0.7,
    "before_heading": 0.6,
    "outro": 0.5,
}


@dataclass(frozen=True)
class Line:
    text: str
    pause_after: float
    kind: str = "paragraph"
    chapter: str | None = None  # set on the first line of a sub-section


def _block_text(block: Block) -> str:
    if block.kind is BlockKind.LIST_ITEM:
        return f"{block.label}. {block.text}" if block.label else block.text
    if block.kind is BlockKind.CALLOUT:
        return f"{block.label}. {block.text}"
    if block.kind is BlockKind.QUOTE:
        return f"Quote. {block.text} End quote."
    if block.kind is BlockKind.CODE:
        return "The article shows a code example here, which is best read on the page."
    return block.text


def _blocks(blocks: tuple[Block, ...]) -> list[Line]:
    out: list[Line] = []
    for i, block in enumerate(blocks):
        text = speakable(_block_text(block))
        if not text:
            continue
        if block.kind is BlockKind.LIST_ITEM:
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            last = nxt is None or nxt.kind is not BlockKind.LIST_ITEM
            out.append(Line(text, PAUSES["list_end" if last else "list_item"], "list_item"))
        elif block.kind is BlockKind.CALLOUT:
            out.append(Line(text, PAUSES["callout"], "callout"))
        else:
            out.append(Line(text, PAUSES["paragraph"], block.kind.value))
    return out


def episode_script(show_title: str, number: int, section: Section) -> list[Line]:
    lines = [
        Line(
            f"{speakable(show_title)}. Episode {number}: {speakable(section.title)}.",
            PAUSES["intro"],
            "intro",
        )
    ]
    lines.extend(_blocks(section.blocks))
    for sub in section.subsections:
        if lines:
            last = lines[-1]
            lines[-1] = Line(
                last.text, max(last.pause_after, PAUSES["before_heading"]), last.kind, last.chapter
            )
        lines.append(Line(speakable(sub.title) + ".", PAUSES["heading"], "heading", sub.title))
        lines.extend(_blocks(sub.blocks))
    lines.append(Line(f"That was {speakable(section.title)}.", PAUSES["outro"], "outro"))
    return lines


def script_text(lines: list[Line]) -> str:
    """The script as readable text, for show notes, transcripts and hashing."""
    return "\n".join(line.text for line in lines)
