"""Who a step asks, and what the companion says back to a couple.

The ritual is for two: some questions are for each partner in turn (how was
your day, your mood), some for both at once (what shall we do this weekend).
A deck says which with `per_partner`; the journal keeps who answered, a name or
`BOTH`. After both partners have named what they appreciate, the companion reads
each one's list to the other, by name: hearing what your partner noticed is the
point of naming it aloud.

Pure functions of the deck's step, the partners and the answers so far.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from audio_companion.checkin.steps import Step, StepKind
from audio_companion.journal.store import Answer

BOTH: Final = "both"
"""The partner an answer is kept under when a step asked both partners together."""


def people_for(step: Step, partners: Sequence[str]) -> list[str | None]:
    """Who answers `step`, in order: each partner, both together, or one unnamed person."""
    if not partners or not step.kind.answered:
        return [None]
    if step.per_partner or len(partners) == 1:
        return list(partners)
    return [BOTH]


def spoken_name(person: str | None, partners: Sequence[str]) -> str | None:
    """The name a question is addressed to: "Sam and Alex" for a together step."""
    if person == BOTH:
        return join(list(partners))
    return person


def join(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def appreciations_of(answers: Sequence[Answer], person: str | None, step: str = "") -> list[str]:
    """What `person` appreciated (at `step`, or at any gratitude step), as said."""
    return [
        a.transcript.rstrip(".!? ")
        for a in answers
        if a.kind == StepKind.GRATITUDE.value
        and a.partner == person
        and (not step or a.step == step)
    ]


def read_back(answers: Sequence[Answer], partners: Sequence[str], step: Step) -> str:
    """ "Sam, Alex noticed the walk and the tea. Alex, Sam noticed the soup.", or "".

    Only when the step asked each partner and at least two of them named
    something; each partner hears the others' lists, never their own.
    """
    if not step.read_back or not step.per_partner or len(partners) < 2:
        return ""
    named = {p: appreciations_of(answers, p, step.id) for p in partners}
    if sum(bool(items) for items in named.values()) < 2:
        return ""
    lines = []
    for listener in partners:
        others = [f"{p} noticed {join(named[p])}" for p in partners if p != listener and named[p]]
        if others:
            lines.append(f"{listener}, {join(others)}.")
    return " ".join(lines)


def close_appreciations(answers: Sequence[Answer], partners: Sequence[str]) -> str:
    """Tonight's appreciations as one phrase for the closing words' ``{appreciations}``."""
    parts = []
    for person in (*partners, BOTH) if partners else (None,):
        items = appreciations_of(answers, person)
        if items:
            listed = join(items)
            if person is None:
                parts.append(listed)
            elif person == BOTH:
                parts.append(f"together you appreciated {listed}")
            else:
                parts.append(f"{person}, you appreciated {listed}")
    return "; ".join(parts) if parts else "the small things of today"
