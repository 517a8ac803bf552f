"""Tables in trafilatura's outline: which heading only titles a table.

Kept apart from `html` so that module stays one reader of the outline; this
one answers a single question about a heading and what follows it.
"""

from __future__ import annotations

from lxml import etree

from audio_companion.article import lines

TITLE_LEVEL = 4  # a chart's or table's title is set small: h4 to h6
SUBTITLE_MAX_WORDS = 20
# What a layout table's cell holds (a whole story: AP's pages); a data table's cells hold text.
_CELL_BLOCKS = frozenset({"p", "head", "list", "quote", "table"})


def titles_a_table(head: etree._Element, level: int) -> bool:
    """Whether a small heading is the title of the data table right after it.

    News pages set a table's title as a heading ("Few senators … have flipped
    parties", an <h5>), often with a subtitle under it; the article goes on
    after the table. Taken as a section, it would end the episode there and
    title the next one after the table. Read as the table's introduction
    ("Table: …"), it tells the listener that rows follow. A section heading
    (h2, h3) that opens on a table stays a section.
    """
    if level < TITLE_LEVEL:
        return False
    after = head.getnext()
    if after is not None and after.tag == "p":  # a subtitle: short, no sentence
        said = " ".join("".join(after.itertext()).split())
        if said.endswith(lines.SENTENCE_END) or len(said.split()) > SUBTITLE_MAX_WORDS:
            return False
        after = after.getnext()
    return (
        after is not None
        and after.tag == "table"
        and not any(child.tag in _CELL_BLOCKS for cell in after.iter("cell") for child in cell)
    )
