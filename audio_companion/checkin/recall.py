"""One kind sentence from the journal, said after the greeting: a companion that remembers.

Hearing that this is the third night in a row, or what you appreciated a week ago, makes
the ritual feel like company. Bringing back a hard night, or telling one partner what the
other said in confidence, would do harm. So recall says at most one short sentence, only
from what was said on good nights, and nothing at all when there is nothing kind to say.

The first of these with something to say wins:

1. A streak milestone (the 3rd, 7th, 14th, 21st, 30th, 50th, 100th or 365th night, or any
   hundredth): "This is your seventh night in a row." Rare, and worth marking on its night.
2. This night last year: "A year ago tonight, you appreciated the snow.", else a good mood
   then: "A year ago tonight, you gave the day a five." Once a year at most.
3. An appreciation from exactly a week ago: "A week ago you appreciated the soup."
4. Any other streak of two nights or more: "This is your second night in a row."

The everyday streak comes last because anyone who checked in a week ago is usually on a
streak too: first, it would crowd out every memory.

What is never recalled:

- anything from a night on which any mood was low (2 or less), and never a low mood;
- free answers and feelings (they can hold anything): only appreciations, and moods of 4+;
- what someone not here tonight said; for a couple, what one partner said is addressed to
  that partner by name ("Sam, a week ago you appreciated the tea."), an answer the couple
  gave together only when both are here;
- a private step's answers (``private = true``) to anyone but the one who gave them, alone:
  never in a couple session, where both would hear. A step whose deck cannot be found (a
  deck since deleted or renamed, an imported diary) counts as private;
- an answer that would not make one short sentence (more than one, or over 12 words).

Nights are check-in nights (`journal.nights`: until 4 am it is still the night before), the
one definition `journal trend` counts its streak with too, so both agree on a check-in at
00:30. The streak is the journal's own rule (`trend.streak`: a single missed night is
forgiven), counted over the nights on which a session with an answer began that tonight's
people took part in, tonight included. Among several memories the night chooses, as it
chooses wordings.

A pure function of the journal's records, tonight's date, the partners and the decks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from typing import Final

from audio_companion.checkin.couple import BOTH
from audio_companion.checkin.steps import NAME_PATTERN, Deck, StepKind
from audio_companion.errors import DeckError
from audio_companion.journal import AnswerRecord, SessionRecord
from audio_companion.journal.nights import night_at, nights_at
from audio_companion.journal.trend import streak
from audio_companion.numbers import number_to_words, ordinal_words

LOW_MOOD: Final = 2  # a night with a mood this low or lower is never recalled
GOOD_MOOD: Final = 4  # a mood is recalled only this high or higher
MAX_WORDS: Final = 12  # an answer longer than this does not make one short sentence
MILESTONES: Final = frozenset({3, 7, 14, 21, 30, 50, 100, 365})
WEEK: Final = timedelta(days=7)

_SENTENCE_END = re.compile(r"[.!?;]")
# The person spoke of themselves; the companion speaks to them.
_TO_YOU: Final[Mapping[str, str]] = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "i'm": "you're",
    "i've": "you've",
    "i'd": "you'd",
    "i'll": "you'll",
    "i was": "you were",
    "i am": "you are",
}
_WORD = re.compile(r"\bI (?:was|am)\b|\b(?:I'm|I've|I'd|I'll|myself|mine|my|me|I)\b", re.I)
_SUBJECTS: Final = frozenset({"i", "i'm", "i've", "i'd", "i'll", "we", "we're", "we've"})
_LOWER_FIRST: Final = frozenset({"the", "a", "an", "my", "our", "that", "this", "some", "how"})


@dataclass(frozen=True)
class _Memory:
    """Something said on a night, by someone, that may be recalled."""

    night: date
    who: str | None  # a partner's name, BOTH, or None (nobody named)
    kind: str
    text: str
    mood: int | None


def recall(
    records: Sequence[SessionRecord],
    tonight: date,
    partners: Sequence[str],
    deck: Deck,
    *,
    decks: Mapping[str, Deck] | None = None,
    tz: tzinfo | None = None,
) -> str | None:
    """The one sentence to say after tonight's greeting, or None when there is none.

    `deck` is tonight's; `decks` the others the journal's sessions were held with (by
    name), for their steps' ``private``; `tz` the zone the journal's times are read in
    (None: this machine's). See the module for the priority and the rules.
    """
    present = tuple(p.strip() for p in partners if p.strip())
    nights = nights_at((r.started_at for r in records if r.answers and _ours(r, present)), tz)
    run = streak(nights | {tonight}, tonight)
    if run in MILESTONES or (run >= 100 and run % 100 == 0):
        return _streak_line(run)
    known = {**(decks or {}), deck.name: deck}
    memories = list(_memories(records, present, known, tz))
    year_ago = _year_before(tonight)
    last_year = [m for m in memories if m.night == year_ago]
    thanks = [m for m in last_year if m.kind == StepKind.GRATITUDE.value]
    if said := _choose(thanks or [m for m in last_year if m.mood is not None], tonight):
        if said.mood is None:
            line = f"A year ago tonight, you appreciated {said.text}."
        else:
            line = f"A year ago tonight, you gave the day a {number_to_words(said.mood)}."
        return _addressed(line, said.who, present)
    week_ago = [
        m for m in memories if m.night == tonight - WEEK and m.kind == StepKind.GRATITUDE.value
    ]
    if said := _choose(week_ago, tonight):
        return _addressed(f"A week ago you appreciated {said.text}.", said.who, present)
    return _streak_line(run) if run >= 2 else None


def other_decks(
    records: Iterable[SessionRecord], deck: Deck, load: Callable[[str], Deck]
) -> dict[str, Deck]:
    """The decks the journal's other sessions were held with, loaded by name with `load`.

    Only plain deck names are looked up (never a path a journal field might hold); a
    deck that cannot be loaded is left out, so its answers count as private.
    """
    found: dict[str, Deck] = {}
    for name in sorted({r.deck for r in records} - {deck.name}):
        if NAME_PATTERN.fullmatch(name):
            try:
                found[name] = load(name)
            except DeckError:
                continue
    return found


# ------------------------------------------------------------------ rules


def _same(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.casefold() == b.casefold()


def _ours(record: SessionRecord, present: tuple[str, ...]) -> bool:
    """Whether tonight's people took part in `record` (with nobody named: every session)."""
    if not present:
        return True
    return any(_same(p, q) for p in record.partners for q in present)


def _private(record: SessionRecord, answer: AnswerRecord, decks: Mapping[str, Deck]) -> bool:
    """Whether the step was private; a step no known deck has counts as private."""
    deck = decks.get(record.deck)
    step = next((s for s in deck.steps if s.id == answer.step), None) if deck else None
    return step is None or step.private


def _may_hear(
    who: str | None, private: bool, record: SessionRecord, present: tuple[str, ...]
) -> bool:
    """Whether tonight's people may hear what `who` said: only their own words."""
    if private:  # to the one who gave it, alone
        return len(present) <= 1 and who != BOTH and _same(who, present[0] if present else None)
    if who is None:
        return not present
    if who == BOTH:
        return len(present) > 1 and all(any(_same(p, q) for q in present) for p in record.partners)
    return any(_same(who, q) for q in present)


def _memories(
    records: Sequence[SessionRecord],
    present: tuple[str, ...],
    decks: Mapping[str, Deck],
    tz: tzinfo | None,
) -> Iterable[_Memory]:
    """Appreciations and good moods tonight's people may hear, from nights without a low mood."""
    low = {
        night_at(r.started_at, tz)
        for r in records
        if any(a.mood is not None and a.mood <= LOW_MOOD for a in r.answers)
    }
    for record in records:
        night = night_at(record.started_at, tz)
        if night in low:
            continue
        for answer in record.answers:
            if not _may_hear(answer.partner, _private(record, answer, decks), record, present):
                continue
            if answer.kind == StepKind.GRATITUDE.value:
                text = _phrase(answer.transcript)
                if text:
                    yield _Memory(night, answer.partner, answer.kind, text, None)
            elif answer.mood is not None and answer.mood >= GOOD_MOOD:
                yield _Memory(night, answer.partner, answer.kind, "", answer.mood)


# ---------------------------------------------------------------- wording


def _phrase(transcript: str) -> str | None:
    """An appreciation as the companion can say it back, or None if it is not one short
    phrase: "I finished my book." -> "that you finished your book"."""
    text = " ".join(transcript.replace("\u2019", "'").split()).rstrip(".!?,;: ")
    if not text or _SENTENCE_END.search(text) or len(text.split()) > MAX_WORDS:
        return None
    first = text.split(" ", 1)[0].casefold()
    text = _WORD.sub(lambda m: _TO_YOU[" ".join(m.group(0).casefold().split())], text)
    if first in _LOWER_FIRST or first in _SUBJECTS:
        text = text[0].lower() + text[1:]
    return f"that {text}" if first in _SUBJECTS else text


def _choose(memories: Sequence[_Memory], tonight: date) -> _Memory | None:
    """One of several, chosen by the night (the same all night, another the next)."""
    return memories[tonight.toordinal() % len(memories)] if memories else None


def _addressed(line: str, who: str | None, present: tuple[str, ...]) -> str:
    """For a couple, one partner's memory goes to that partner by name, as spelt tonight."""
    if len(present) < 2 or who is None or who == BOTH:
        return line
    name = next(q for q in present if _same(who, q))
    return f"{name}, {line[0].lower()}{line[1:]}"


def _streak_line(nights: int) -> str:
    return f"This is your {ordinal_words(nights)} night in a row."


def _year_before(night: date) -> date:
    """The same night last year; 29 February looks back to the 28th."""
    try:
        return night.replace(year=night.year - 1)
    except ValueError:
        return night.replace(year=night.year - 1, day=28)
