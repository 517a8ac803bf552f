"""Backchannels: the "mm-hm" and "yeah" a listener gives to keep a speaker going.

When a couple does the check-in together, one partner answers and the other is in
the room. The listener's small signals of attention are not the answer and must
not end the speaker's turn. While a partner's turn is protected (`Ask.backchannels`),
sentences made only of backchannel words are taken out of what was heard, an
utterance that is nothing else is no turn at all, and the turn ends on the
reflective silence, never early on a finished-sounding sentence (`VoiceLoop`).

Pure functions of a transcript; the voice loop decides when they apply.
"""

from __future__ import annotations

import re
from typing import Final

# Written as whisper writes them (after lower-casing and splitting on hyphens):
# "Mm-hmm." -> "mm hmm", "Uh-huh." -> "uh huh". Two-word ones are listed whole.
BACKCHANNEL_WORDS: Final = frozenset(
    {
        "mm", "mmm", "hmm", "hm", "mhm", "uh", "huh", "ah", "oh", "aha",
        "yeah", "yep", "yes", "okay", "ok", "right", "sure", "alright",
    }
)  # fmt: skip
BACKCHANNEL_PHRASES: Final = frozenset({("i", "see"), ("go", "on")})
MAX_WORDS: Final = 4
"""A backchannel is short: "Yeah, yeah, mm-hmm." at most; longer is someone talking."""

_SENTENCE = re.compile(r"[^.!?…]+[.!?…]*")
_WORD = re.compile(r"[a-z]+")


def _words(sentence: str) -> list[str]:
    return _WORD.findall(sentence.lower().replace("-", " "))


def _is_backchannel_sentence(sentence: str) -> bool:
    words = _words(sentence)
    if not words or len(words) > MAX_WORDS:
        return False
    i = 0
    while i < len(words):
        if tuple(words[i : i + 2]) in BACKCHANNEL_PHRASES:
            i += 2
        elif words[i] in BACKCHANNEL_WORDS:
            i += 1
        else:
            return False
    return True


def is_backchannel(text: str) -> bool:
    """True when `text` is only backchannels ("Mm-hmm.", "Yeah. Okay."): no answer in it."""
    sentences = [s for s in _SENTENCE.findall(text) if s.strip()]
    return bool(sentences) and all(_is_backchannel_sentence(s) for s in sentences)


def without_backchannels(text: str) -> str:
    """`text` without the listener's backchannels, as far as the words can tell.

    Whole sentences that are only backchannels go ("Today was long. Mm-hmm.
    Work was hard." -> "Today was long. Work was hard."), and so do, after the
    answer's opening, comma-separated pieces that are only backchannels and
    the unmistakable ones ("yeah", "mm-hmm", not "right" or "sure", which
    speakers say as words) at either edge of a piece: whisper joins the
    partner's "Yeah" to the speaker's words in every way ("...helped. Yeah, and
    I slept well", "...helped yeah, and I slept well" on the rig). The answer's
    own first words stay ("Yeah, it was a good day." answers the question); a
    speaker's filler later in the answer ("it was, yeah, long") is lost with
    the partner's, which costs the journal nothing.
    """
    out: list[str] = []
    for sentence in (s.strip() for s in _SENTENCE.findall(text) if s.strip()):
        if _is_backchannel_sentence(sentence):
            continue
        body, end = _ENDING.match(sentence).groups()  # type: ignore[union-attr]
        pieces: list[str] = []
        for i, piece in enumerate(p.strip() for p in body.split(",")):
            opening = not out and i == 0
            if not opening and _is_backchannel_sentence(piece):
                continue
            kept = _trim_edges(piece, lead=not opening)
            if kept:
                pieces.append(kept)
        if pieces:
            said = ", ".join(pieces)
            if not body.lstrip().startswith(said.split()[0]):  # its opening "Yeah" went
                said = said[0].upper() + said[1:]
            out.append(said + end)
    return " ".join(out)


_ENDING = re.compile(r"^(.*?)([.!?…]*)$", re.DOTALL)
_UNMISTAKABLE: Final = frozenset({"mm", "mmm", "hmm", "hm", "mhm", "yeah", "yep", "uh", "huh"})


def _trim_edges(piece: str, *, lead: bool) -> str:
    """`piece` without unmistakable backchannel words at its end (and its start, if `lead`)."""
    words = piece.split()

    def unmistakable(word: str) -> bool:
        parts = _words(word)
        return bool(parts) and all(p in _UNMISTAKABLE for p in parts)

    while lead and len(words) > 1 and unmistakable(words[0]):
        words.pop(0)
    while len(words) > 1 and unmistakable(words[-1]):
        words.pop()
    return " ".join(words)
