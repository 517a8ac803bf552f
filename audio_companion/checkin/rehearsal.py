"""Everything a check-in may say, known before it starts, so it can be rendered ahead.

The session fills and addresses each wording as it goes (`address`, and the
fields of `fill_known`); rendering the same texts before the first question
means no prompt waits for synthesis. Both sides use the functions here, so the
texts rendered ahead are the texts said (a test runs a whole check-in and
checks it). Texts that depend on an answer ({value}, {appreciations}) cannot
be known ahead and are left out.

The night's recall sentence (`checkin.recall`) is known ahead too, but it is made
of what people said on other nights, and this list is the companion's own wording,
kept on disk for next time. So it is not here: `checkin` renders it ahead with
`PromptCache.soon`, in memory only, and deleting the journal deletes it.
"""

from __future__ import annotations

from datetime import date

from audio_companion.checkin.couple import people_for, spoken_name
from audio_companion.checkin.steps import Deck, StepKind, choose_wording, names_phrase
from audio_companion.checkin.wording import LINES

ANSWER_FIELDS = ("{value}", "{appreciations}")


def address(prompt: str, person: str | None) -> str:
    """Turn-taking: each partner hears their name before their question."""
    if not person or person.lower() in prompt.lower():
        return prompt
    first = prompt.split(" ", 1)[0]
    keep_case = first in ("I", "I'm", "I'd", "I'll") or first.isupper()
    return f"{person}, {prompt if keep_case else prompt[0].lower() + prompt[1:]}"


def _fill_known(text: str, count: int, person: str | None, names: str) -> str | None:
    """`text` with the fields known before the check-in, or None if it needs an answer."""
    if any(field in text for field in ANSWER_FIELDS):
        return None
    try:
        return text.format(name=person or "", names=names, count=count, remaining=count)
    except (KeyError, IndexError, ValueError):
        return None


def deck_prompts(deck: Deck, night: date, partners: tuple[str, ...] = ()) -> list[str]:
    """What the check-in may say, in the order it would: `night`'s wordings (each
    partner addressed by name), the companion's own lines, then every other
    night's wordings, for next time."""
    names = names_phrase(partners)
    steps = sorted(deck.steps, key=lambda s: s.kind is StepKind.CLOSE)  # close comes last
    tonight: list[str] = []
    later: list[str] = []
    for step in steps:
        people = people_for(step, partners)
        chosen = choose_wording(step.prompts, night, step.id) if step.prompts else ""
        for person in people:
            for option in (chosen, *step.prompts, *step.softer, *step.more, step.nudge):
                text = _fill_known(option, step.count, person, names) if option else None
                if text is None:
                    continue
                # A partner hears their name on a new turn; follow-ups come plain.
                name = spoken_name(person, partners)
                said = [address(text, name), text] if step.kind.answered else [text]
                (tonight if option == chosen else later).extend(said)
        if step.explain and (text := _fill_known(step.explain, step.count, None, names)):
            later.append(text)
    lines = [line for line in LINES.values() if "{" not in line]
    addressed = [address(line, person) for person in partners for line in lines]
    return list(dict.fromkeys([*tonight, *lines, *addressed, *later]))
