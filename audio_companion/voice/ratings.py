"""Spoken numbers 1..10 as a rating answer: "four", "4", "I'd say a four", "three or four".

Pure text in, `Command` out; `intents` calls this for every utterance. See the
`intents` module docstring for which wrapped forms and homophones count when.
"""

from __future__ import annotations

from audio_companion.voice.words import (
    AMBIGUOUS_CONFIDENCE,
    HOMOPHONE_CONFIDENCE,
    MAX_NUMBER,
    MIN_NUMBER,
    NUMBER_HOMOPHONES,
    NUMBER_LEAD,
    NUMBER_TRAIL,
    NUMBER_WORDS,
    RANGE_JOINERS,
    Command,
    Intent,
    Words,
)


def number_value(token: str, homophones: bool) -> tuple[float, float] | None:
    """(value, confidence) for one token, or None if it is not a number."""
    if token in NUMBER_WORDS:
        return float(NUMBER_WORDS[token]), 1.0
    if token[:1].isdigit():
        return float(token), 1.0
    if homophones and token in NUMBER_HOMOPHONES:
        return float(NUMBER_HOMOPHONES[token]), HOMOPHONE_CONFIDENCE
    return None


def match_number(words: Words, *, homophones: bool) -> Command | None:
    if not homophones:  # outside a rating question only "4" or "number 4" count
        core = words[1:] if words[:1] == ("number",) else words
        return _number_core(core, homophones=False)
    start = 0
    while start < len(words) - 1 and words[start] in NUMBER_LEAD:
        start += 1
    rest = words[start:]
    end = len(rest)
    while end > 0:  # longest core first: "four or five" before "four" + trailing "or so"
        result = _number_core(rest[:end], homophones=True)
        if result is not None:
            return result
        if rest[end - 1] not in NUMBER_TRAIL:
            return None
        end -= 1
    return None


def _number_core(core: Words, *, homophones: bool) -> Command | None:
    """Parse "4", "4 out of 10", "3 or 4", "between 3 and 4", "3 and a half"."""
    if homophones and len(core) >= 2 and core[0] in ("to", "too", "for"):
        core = core[1:]  # "I'd go to four"
    heard = " ".join(core)
    confidence = 1.0
    if homophones and len(core) == 4 and core[0] == "between" and core[2] == "and":
        core, confidence = (core[1], core[3]), AMBIGUOUS_CONFIDENCE
    first = number_value(core[0], homophones) if core else None
    if first is None:
        return None
    value, confidence = first[0], min(confidence, first[1])
    tail = core[1:]
    if tail and not homophones:
        return None
    if tail[:2] == ("out", "of") and len(tail) == 3 and number_value(tail[2], False):
        pass  # "three out of five" is a three, whatever the scale
    elif tail == ("and", "a", "half") or _is_second_number(tail):
        confidence = AMBIGUOUS_CONFIDENCE
    elif tail:
        return None
    if value != int(value):
        confidence = AMBIGUOUS_CONFIDENCE
    number = int(value)
    if not MIN_NUMBER <= number <= MAX_NUMBER:
        return None
    return Command(Intent.NUMBER, number, round(confidence, 3), heard)


def _is_second_number(tail: Words) -> bool:
    """ "4" or "or 4" / "to 4" after a first number: a hedge between two values."""
    if len(tail) == 1 or (len(tail) == 2 and tail[0] in RANGE_JOINERS):
        return number_value(tail[-1], True) is not None
    return False
