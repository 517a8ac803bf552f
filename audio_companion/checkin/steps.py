"""A check-in deck as data: its steps, their kinds and fields, and the night's wording.

What `deck` loads and the session runs. The TOML file format is described in
`deck`; how a file is validated into these is `deck_toml`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Final

DEFAULT_DECK: Final = "nightly"
MIN_BREATHING_MINUTES: Final = 0.5
MAX_BREATHING_MINUTES: Final = 10.0
MAX_COUNT: Final = 10
DEFAULT_GRATITUDE_COUNT: Final = 3
DEFAULT_TIME_BOX_MINUTES: Final = 10.0
MAX_TIME_BOX_MINUTES: Final = 120.0


class StepKind(Enum):
    """What a step does; the TOML ``kind`` is the lowercase value."""

    SAY = "say"  # the companion speaks; no answer
    FREE = "free"  # a free answer, journaled
    MOOD = "mood"  # a number on the mood scale (journal.mood)
    GRATITUDE = "gratitude"  # `count` appreciations, asked one at a time
    FEELING = "feeling"  # one feeling as an I-statement: "I feel ... when ..."
    CLOSE = "close"  # the warm close; may read back {appreciations}
    BREATHING = "breathing"  # `minutes` of paced breathing, run by another module

    @property
    def answered(self) -> bool:
        """Whether the step waits for an answer (and so may re-prompt and go per partner)."""
        return self in _ANSWERED


_ANSWERED: Final = frozenset({StepKind.FREE, StepKind.MOOD, StepKind.GRATITUDE, StepKind.FEELING})


@dataclass(frozen=True)
class Step:
    """One step of a deck. `line` is its ``[[step]]`` line in the file it was written in."""

    id: str
    kind: StepKind
    prompts: tuple[str, ...]
    softer: tuple[str, ...] = ()
    per_partner: bool = True  # False: asked once of both partners together
    count: int = 1
    nudge: str = ""
    explain: str = ""
    confirm: str = ""
    minutes: float = 0.0
    line: int = 0
    more: tuple[str, ...] = ()  # gratitude: wordings for answers 2..count; empty: reuse prompts
    read_back: bool = True  # gratitude: read each partner's list to the other afterwards
    # Answers recalled on a later night only to the one person who gave them, never to a couple.
    private: bool = False


@dataclass(frozen=True)
class Deck:
    """A whole check-in. `source` is the file it was loaded from."""

    name: str
    title: str
    description: str
    time_box_s: float
    steps: tuple[Step, ...]
    source: str
    recall: bool = False  # say one kind sentence from the journal after the greeting (`recall`)


PLACEHOLDERS: Final[Mapping[str, str]] = {
    "name": "the partner being asked (per_partner steps only)",
    "names": '", Sam and Alex" for a couple, ", Sam" for one, "" with no names',
    "value": "the mood number heard (confirm only)",
    "appreciations": "tonight's appreciations read back (say and close prompts only)",
    "count": "how many answers a gratitude step asks for",
    "remaining": "how many answers a gratitude step still needs",
}

# What a step id and a deck name may be: letters, digits, - and _, not starting with - or _.
NAME_PATTERN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


# --------------------------------------------------------------- wording


def choose_wording(options: tuple[str, ...], night: date, salt: str) -> str:
    """One of `options` for this night: the same all night, a different one the next.

    Rotating by the date (rather than hashing it) guarantees no wording is heard
    two nights running; `salt` (e.g. the step id) offsets the rotation so the
    steps of a deck do not all move in lockstep.
    """
    if not options:
        raise ValueError("no wordings to choose from")
    offset = int.from_bytes(hashlib.sha256(salt.encode("utf-8")).digest()[:4], "big")
    return options[(night.toordinal() + offset) % len(options)]


def names_phrase(partners: Sequence[str]) -> str:
    """The value of {names}: ", Sam and Alex", ", Sam", or "" when nobody is named."""
    names = [n.strip() for n in partners if n.strip()]
    if not names:
        return ""
    if len(names) == 1:
        return ", " + names[0]
    return ", " + ", ".join(names[:-1]) + " and " + names[-1]
