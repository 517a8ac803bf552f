"""The words spoken commands are made of: intents, their phrases, number words and the
fillers, lead-ins and trailers that may wrap a command.

Data only, written as the normaliser outputs it (lowercase, contracted); how an
utterance is matched against these words is `intents`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType
from typing import Final

MAX_COMMAND_WORDS: Final = 6
"""Longest utterance (after fillers) that may still be a wrapped phrase command."""
MAX_NUMBER_WORDS: Final = 8
"""Longest utterance (after fillers) that may still be a wrapped number answer."""
FUZZY_MIN_RATIO: Final = 0.8
"""Minimum difflib ratio for a misrecognised word; lower lets "master" mean "faster"."""
MIN_NUMBER: Final = 1
MAX_NUMBER: Final = 10
AMBIGUOUS_CONFIDENCE: Final = 0.5
"""Confidence for hedged numbers ("three or four"): low enough that callers confirm."""
HOMOPHONE_CONFIDENCE: Final = 0.9
SOUNDALIKE_CONFIDENCE: Final = 0.85


class Intent(Enum):
    """What the user asked the companion to do."""

    STOP = "stop"
    REPEAT = "repeat"
    SKIP = "skip"
    PAUSE = "pause"
    RESUME = "resume"
    YES = "yes"
    NO = "no"
    NUMBER = "number"
    SLOWER = "slower"
    FASTER = "faster"
    NONE = "none"


@dataclass(frozen=True)
class Command:
    """A recognised command.

    `value` is set only for NUMBER. `confidence` is in [0, 1]; NONE has 0.
    `matched` is the normalised heard text that formed the command (without
    lead-ins), for logs and "did you say ...?" confirmations.
    """

    intent: Intent
    value: int | None = None
    confidence: float = 1.0
    matched: str = ""

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be within [0, 1], got {self.confidence}")


NO_COMMAND: Final = Command(Intent.NONE, confidence=0.0)

DEFAULT_PHRASES: Final[Mapping[Intent, tuple[str, ...]]] = MappingProxyType(
    {
        Intent.REPEAT: (
            "repeat",
            "repeat that",
            "repeat it",
            "repeat the question",
            "say that again",
            "say it again",
            "come again",
            "one more time",
            "pardon",
            "pardon me",
            "what",
            "sorry what",
            "what was that",
            "what did you say",
        ),
        Intent.SKIP: (
            "skip",
            "skip this",
            "skip that",
            "skip it",
            "skip this one",
            "skip this question",
            "skip the question",
            "next",
            "next one",
            "next question",
            "move on",
            "pass",
        ),
        Intent.PAUSE: (
            "pause",
            "wait",
            "hold on",
            "hang on",
            "one moment",
            "just a moment",
            "wait a moment",
            "one second",
            "wait a second",
            "give me a moment",
            "give me a minute",
            "give me a second",
        ),
        Intent.RESUME: (
            "resume",
            "continue",
            "go on",
            "i'm back",
            "carry on",
            "keep going",
            "go ahead",
            "unpause",
            "i'm ready",
        ),
        Intent.YES: (
            "yes",
            "yeah",
            "yep",
            "yup",
            "sure",
            "correct",
            "that's right",
            "right",
            "okay",
            "alright",
        ),
        Intent.NO: (
            "no",
            "nope",
            "nah",
            "not really",
            "no thanks",
            "wrong",
            "that's wrong",
            "not right",
            "incorrect",
        ),
        Intent.SLOWER: ("slower", "slow down", "more slowly", "too fast", "go slower", "slow"),
        Intent.FASTER: ("faster", "speed up", "quicker", "too slow", "go faster", "hurry up"),
    }
)
"""Phrases per intent, written as the normaliser outputs them (lowercase, contracted).

STOP is deliberately absent: stopping is tied to the agreed stop words only.
"""

NUMBER_NAMES: Final = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen", "twenty"),
)
NUMBER_WORDS: Final[Mapping[str, int]] = MappingProxyType(
    {word: value for value, word in enumerate(NUMBER_NAMES)}
)
"""Number words we parse; those outside 1..10 are recognised only to reject them."""

NUMBER_HOMOPHONES: Final[Mapping[str, int]] = MappingProxyType(
    {"won": 1, "to": 2, "too": 2, "tree": 3, "free": 3, "for": 4, "fore": 4, "ate": 8}
)
"""What recognizers write for spoken numbers; trusted only when a number is expected."""

# Removed anywhere: they never change what a command means.
FILLERS: Final = frozenset(
    {"um", "umm", "uh", "uhh", "uhm", "erm", "er", "hmm", "hm", "mm", "mmm", "ah", "eh", "please"}
)
# Spellings recognizers produce for the same word.
WORD_FIXES: Final[Mapping[str, str]] = MappingProxyType(
    {"ok": "okay", "im": "i'm", "thats": "that's", "lets": "let's", "id": "i'd", "its": "it's"}
)
PAIR_FIXES: Final[Mapping[tuple[str, str], str]] = MappingProxyType(
    {
        ("i", "am"): "i'm",
        ("that", "is"): "that's",
        ("let", "us"): "let's",
        ("i", "would"): "i'd",
        ("it", "is"): "it's",
        ("all", "right"): "alright",
    }
)
SOUNDALIKES: Final[Mapping[str, str]] = MappingProxyType({"paws": "pause"})

# Dropped at the start/end of an utterance when something else remains.
WAKE: Final = (("hey", "companion"), ("companion",), ("hey",), ("okay",), ("alright",))
COURTESY: Final = (("thank", "you"), ("thanks",))


def word_tuples(*texts: str) -> tuple[tuple[str, ...], ...]:
    """Split phrases into word tuples, longest first so greedy stripping prefers them."""
    return tuple(sorted((tuple(t.split()) for t in texts), key=len, reverse=True))


CLOSERS: Final = word_tuples(
    "that's all", "that's it", "that's enough", "enough", "i'm done", "i'm finished"
)
LEAD_INS: Final = CLOSERS + word_tuples(
    "and",
    "so",
    "just",
    "now",
    "then",
    "well",
    "oh",
    "actually",
    "yes",
    "yeah",
    "yep",
    "sure",
    "you can",
    "you may",
    "can you",
    "could you",
    "would you",
    "will you",
    "can we",
    "could we",
    "let's",
    "i want to",
    "i wanna",
    "i'd like to",
    "i want you to",
    "i need to",
    "i need you to",
    "go ahead and",
    "a little",
    "a little bit",
    "a bit",
)
TRAILERS: Final = CLOSERS + word_tuples(
    "now",
    "right now",
    "again",
    "okay",
    "it",
    "that",
    "this",
    "then",
    "a bit",
    "a little",
    "a little bit",
    "for me",
    "for now",
    "for a moment",
    "for a second",
    "for a bit",
)
# Words that may wrap a rating: "I'd give it a 4", "it's about a four", "maybe 3 I think".
NUMBER_LEAD: Final = frozenset(
    {
        *("a", "an", "it's", "it", "is", "was", "i", "i'd", "i'll", "would", "be", "my"),
        *("say", "maybe", "perhaps", "number", "about", "around", "roughly", "probably"),
        *("think", "guess", "like", "give", "rate", "solid", "definitely", "honestly"),
        *("just", "feel", "feels", "felt", "go", "with", "answer"),
    }
)
NUMBER_TRAIL: Final = frozenset(
    {
        *("maybe", "perhaps", "probably", "i", "think", "guess", "today", "tonight"),
        *("honestly", "really", "now", "or", "so"),
    }
)
RANGE_JOINERS: Final = frozenset({"or", "to", "and", "maybe"})

SLASH_RE: Final = re.compile(r"(\d)\s*/\s*(\d)")
TOKEN_RE: Final = re.compile(r"\[unk\]|\d+(?:\.\d+)?|[a-z]+(?:'[a-z]+)*|[,;:!?.…—–]")
BREAKS: Final = frozenset(",;:!?.…—–")

Words = tuple[str, ...]
