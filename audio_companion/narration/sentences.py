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
# Longest sentence handed to a voice whole. Real sentences are rarely over 300
# characters; a longer run is a list or a paste without punctuation, which
# engines read breathlessly (or truncate), so it is cut at a clause break.
MAX_SENTENCE_CHARS = 600
# Where a long run is cut: after a clause mark, or else at a space.
_CLAUSE_BREAKS = (";", ":", ",")
_WORD_WINDOW = 64  # an abbreviation is judged by the last few characters only


def _is_abbreviation(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends in an abbreviation; looks back a few words only,
    so a long run of candidates stays linear."""
    m = _LAST_WORD.search(text, max(start, end - _WORD_WINDOW), end)
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
        if m.group(1) == "." and _is_abbreviation(text, start, end):
            continue
        out.extend(_capped(text[start:end].strip()))
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.extend(_capped(tail))
    return out


def _capped(sentence: str, limit: int = MAX_SENTENCE_CHARS) -> list[str]:
    """`sentence` in pieces of at most `limit` characters, each cut after the last
    clause mark in its second half, or else at its last space; one piece when short.

    Positions move forward through the one string (no re-slicing of the rest),
    so a run of any length is cut in linear time.
    """
    if len(sentence) <= limit:
        return [sentence]
    pieces = []
    start, n = 0, len(sentence)
    while n - start > limit:
        end = start + limit
        cut = max(sentence.rfind(mark, start + limit // 2, end) for mark in _CLAUSE_BREAKS) + 1
        if cut <= 0:
            cut = sentence.rfind(" ", start + 1, end + 1)
        if cut <= start:  # one unbroken word: cut it where the limit falls
            cut = end
        pieces.append(sentence[start:cut].strip())
        start = cut
        while start < n and sentence[start] == " ":
            start += 1
    if start < n:
        pieces.append(sentence[start:])
    return [p for p in pieces if p]


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
