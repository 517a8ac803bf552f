"""Sentences: the unit the narrator synthesises, caches and times.

A sentence is small enough that editing one paragraph re-synthesises only
that paragraph, and long enough to keep its own intonation. Speech text has
had its abbreviations expanded by the normaliser, but written text has not,
so the splitter still steps over "Dr.", "e.g." and initials.
"""

from __future__ import annotations

import re

# Words after which a full stop does not end a sentence (lower case, no dot).
ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "cf",
        "al",
        "fig",
        "no",
        "vol",
        "approx",
        "ca",
        "dept",
        "univ",
        "inc",
        "ltd",
    }
)

# A candidate boundary: terminal punctuation (and any closing quotes or
# brackets), whitespace, then something that can open a sentence.
_BOUNDARY = re.compile(r"""([.!?…]+["'”’)\]]*)\s+(?=["'“‘(\[]?[A-Z0-9])""")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def _is_abbreviation(before: str) -> bool:
    m = _LAST_WORD.search(before)
    if m is None:
        return False
    word = m.group(1).lower()
    return word in ABBREVIATIONS or len(word) == 1 or "." in word  # "J. Smith", "U.S. law"


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, in order, stripped; joined by spaces they give back its words."""
    text = " ".join(text.split())
    if not text:
        return []
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end(1)
        if m.group(1) == "." and _is_abbreviation(text[start:end]):
            continue
        out.append(text[start:end].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def paired_sentences(speech: str, written: str) -> list[tuple[str, str]]:
    """Each spoken sentence with its written form, for transcripts.

    The written form reads better ("3 things", "Dr. Ng") but only when both
    split into the same number of sentences is the pairing certain; otherwise
    the transcript shows what was said.
    """
    spoken = split_sentences(speech)
    shown = split_sentences(written) if written else []
    if len(shown) != len(spoken):
        shown = spoken
    return list(zip(spoken, shown, strict=True))
