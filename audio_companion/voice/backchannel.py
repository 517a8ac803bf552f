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
    Work was hard." -> "Today was long. Work was hard."), and so do backchannel
    phrases between commas after the answer's opening: whisper joins the
    partner's "Yeah" to the speaker's next sentence ("...helped. Yeah, and I
    slept well" on the rig). The answer's own first words stay ("Yeah, it was
    a good day." answers the question); a speaker's filler later in the answer
    ("it was, yeah, long") is lost with the partner's, which costs the journal
    nothing.
    """
    out: list[str] = []
    for sentence in (s.strip() for s in _SENTENCE.findall(text) if s.strip()):
        if _is_backchannel_sentence(sentence):
            continue
        parts = [p.strip() for p in sentence.split(",")]
        kept = [
            p
            for i, p in enumerate(parts)
            if (not out and i == 0) or not _is_backchannel_sentence(p)
        ]
        joined = ", ".join(p for p in kept if p)
        if joined and kept[0] != parts[0]:  # the sentence lost its opening "Yeah,"
            joined = joined[0].upper() + joined[1:]
        out.append(joined)
    return " ".join(p for p in out if p)
