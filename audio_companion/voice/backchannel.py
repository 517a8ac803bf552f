"""Backchannels: the "mm-hm" and "yeah" a listener gives to keep a speaker going.

When a couple does the check-in together, one partner answers and the other is in
the room. The listener's small signals of attention are not the answer and must
not end the speaker's turn: whisper would write "Today was long. Mm-hmm." and the
finished-sounding full stop would cut the speaker off at the next short pause.
So, while a partner's turn is protected (`Ask.backchannels`), sentences made only
of backchannel words are taken out of what was heard, and an utterance that is
nothing else is no turn at all.

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


def ends_with_backchannel(text: str) -> bool:
    """True when the last sentence of `text` is a backchannel: the speaker was just
    invited to go on, so a pause now is theirs to break, not the end of the turn."""
    sentences = [s for s in _SENTENCE.findall(text) if s.strip()]
    return bool(sentences) and _is_backchannel_sentence(sentences[-1])


def without_backchannels(text: str) -> str:
    """`text` with every sentence that is only a backchannel taken out.

    "Today was long. Mm-hmm. Work was hard." -> "Today was long. Work was hard."
    A backchannel inside a sentence ("it was, yeah, long") is the speaker's own
    and stays; so does a sentence that merely starts with one ("Yeah, it was.").
    """
    kept = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    return " ".join(s for s in kept if not _is_backchannel_sentence(s))
