"""Recall: the one kind sentence after the greeting, from fixed journals on fixed nights.

Every record is made here with its time in an explicit zone, and every call names tonight
and the zone, so nothing depends on the clock, the machine's zone or the locale.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import fields
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from audio_companion.checkin.couple import BOTH
from audio_companion.checkin.deck import load_deck
from audio_companion.checkin.recall import other_decks, recall
from audio_companion.checkin.steps import Deck, Step, StepKind
from audio_companion.errors import DeckError
from audio_companion.journal import Answer, AnswerRecord, Journal, SessionRecord
from audio_companion.journal.records import SpokenAnswer
from audio_companion.journal.trend import streak

ZONE = ZoneInfo("America/New_York")
TONIGHT = date(2026, 11, 27)
_ids = itertools.count(1)
SPOKEN = tuple(f.name for f in fields(SpokenAnswer))

STEPS = {  # kind -> the step of DECK that asks it
    "free": "checkin",
    "mood": "mood",
    "gratitude": "appreciations",
    "feeling": "feeling",
}
DECK = Deck(
    name="nightly",
    title="Nightly",
    description="",
    time_box_s=600.0,
    steps=(
        Step("greeting", StepKind.SAY, ("Hi{names}.",)),
        Step("checkin", StepKind.FREE, ("How are you?",)),
        Step("mood", StepKind.MOOD, ("One to five?",)),
        Step("appreciations", StepKind.GRATITUDE, ("What do you appreciate?",)),
        Step("secret", StepKind.GRATITUDE, ("Just for you?",), private=True),
        Step("feeling", StepKind.FEELING, ("A feeling?",)),
    ),
    source="test",
    recall=True,
)


def at(night: date, hour: int = 21, zone: timezone | ZoneInfo = ZONE) -> float:
    """A moment of `night`: hours before 4 am fall on the next calendar day."""
    day = night + timedelta(days=1) if hour < 4 else night
    return datetime(day.year, day.month, day.day, hour, 30, tzinfo=zone).timestamp()


Said = tuple[str | None, str, str, int | None]  # who, kind, transcript, mood


def session(
    night: date | float,
    *said: Said,
    partners: Sequence[str] = (),
    deck: str = "nightly",
    step: str = "",
) -> SessionRecord:
    start = at(night) if isinstance(night, date) else night
    sid = next(_ids)
    answers = tuple(
        AnswerRecord(
            partner=who,
            step=step or STEPS[kind],
            kind=kind,
            prompt="?",
            transcript=text,
            mood=mood,
            confidence=None,
            started_at=start + 10 * n,
            ended_at=start + 10 * n + 5,
            id=next(_ids),
            session_id=sid,
            written_at=start + 10 * n + 5,
            audio_seconds=None,
        )
        for n, (who, kind, text, mood) in enumerate(said, 1)
    )
    return SessionRecord(
        id=sid,
        started_at=start,
        ended_at=start + 600,
        deck=deck,
        partners=tuple(partners),
        engine="text",
        end_reason="completed",
        answers=answers,
    )


def thanks(text: str, who: str | None = None) -> Said:
    return (who, "gratitude", text, None)


def mood(value: int, who: str | None = None) -> Said:
    return (who, "mood", str(value), value)


def ago(nights: int) -> date:
    return TONIGHT - timedelta(days=nights)


def say(
    records: Sequence[SessionRecord],
    partners: Sequence[str] = (),
    decks: Mapping[str, Deck] | None = None,
) -> str | None:
    return recall(records, TONIGHT, partners, DECK, decks=decks, tz=ZONE)


def nights(*back: int) -> list[SessionRecord]:
    return [session(ago(n), mood(4)) for n in back]


# --- the streak ---------------------------------------------------------------------------


def test_nothing_to_say_in_a_new_journal() -> None:
    assert say([]) is None
    assert say(nights(0)) is None  # tonight alone is no streak
    assert say(nights(3, 4)) is None  # the two nights before tonight missed: broken


@pytest.mark.parametrize(
    ("back", "line"),
    [
        ((1,), "This is your second night in a row."),
        ((1, 2), "This is your third night in a row."),
        ((1, 3), "This is your third night in a row."),  # one missed night is forgiven
        ((1, 2, 3), "This is your fourth night in a row."),
        (tuple(range(1, 21)), "This is your twenty first night in a row."),
        (tuple(range(1, 100)), "This is your one hundredth night in a row."),
        ((0, 1, 2), "This is your third night in a row."),  # a second check-in tonight
    ],
)
def test_the_streak_is_said_in_ordinal_words(back: tuple[int, ...], line: str) -> None:
    assert say(nights(*back)) == line


def test_a_night_runs_until_four_in_the_morning() -> None:
    def on(hour: int) -> str | None:
        return say([session(datetime(2026, 11, 27, hour, 30, tzinfo=ZONE).timestamp(), mood(4))])

    assert on(3) == "This is your second night in a row."  # 03:30 today is still last night
    assert on(4) is None  # 04:30 is tonight's


def test_recall_and_journal_trend_count_the_same_nights(tmp_path: Path) -> None:
    # 23:59, 00:30 and 03:59: three nights in a row, though by calendar day the last two
    # fall on the days after theirs (and 03:59 on tonight's date).
    moments = [
        datetime(2026, 11, 24, 23, 59, tzinfo=ZONE),
        datetime(2026, 11, 26, 0, 30, tzinfo=ZONE),
        datetime(2026, 11, 27, 3, 59, tzinfo=ZONE),
    ]
    records = [session(m.timestamp(), mood(4)) for m in moments]
    assert say(records) == "This is your fourth night in a row."  # tonight's included
    with Journal.open(tmp_path / "j.sqlite3") as j:
        for r in records:
            sid = j.start_session(r.deck, r.partners, r.engine, r.started_at)
            j.add_answer(sid, Answer(**{k: getattr(r.answers[0], k) for k in SPOKEN}))
        counted = j.checkin_nights(ZONE)
    assert counted == {ago(3), ago(2), ago(1)}
    # What `journal trend` says once tonight's check-in is in: the same fourth night.
    assert streak(counted | {TONIGHT}, TONIGHT) == 4


def test_the_zone_decides_the_night() -> None:
    # 23:30 in New York is 04:30 the next morning in UTC: last night there, tonight here.
    record = [session(datetime(2026, 11, 26, 23, 30, tzinfo=ZONE).timestamp(), mood(4))]
    assert say(record) == "This is your second night in a row."
    assert recall(record, TONIGHT, (), DECK, tz=timezone.utc) is None


def test_a_couples_streak_counts_the_nights_they_were_in() -> None:
    journal = [session(ago(n), mood(4, "Alex"), partners=("Alex",)) for n in (1, 2)]
    assert say(journal, ("Sam",)) is None  # Alex's nights are not Sam's
    assert say(journal, ("sam", "alex")) == "This is your third night in a row."
    assert say(journal) == "This is your third night in a row."  # nobody named: every night


# --- a week ago, a year ago, and which comes first -----------------------------------------


def test_a_week_ago_you_appreciated() -> None:
    journal = [session(ago(7), mood(4), thanks("The soup you made."))]
    assert say(journal) == "A week ago you appreciated the soup you made."


def test_a_year_ago_tonight() -> None:
    journal = [session(date(2025, 11, 27), mood(5), thanks("the first snow"))]
    assert say(journal) == "A year ago tonight, you appreciated the first snow."
    good_night = [session(date(2025, 11, 27), mood(5))]
    assert say(good_night) == "A year ago tonight, you gave the day a five."


def test_a_year_ago_from_the_twenty_ninth_of_february() -> None:
    journal = [session(date(2027, 2, 28), thanks("the long walk"))]
    assert recall(journal, date(2028, 2, 29), (), DECK, tz=ZONE) == (
        "A year ago tonight, you appreciated the long walk."
    )


def test_priority_milestone_then_a_year_ago_then_a_week_ago_then_the_streak() -> None:
    last_year = session(date(2025, 11, 27), thanks("the first snow"))
    week = session(ago(7), mood(4), thanks("the soup"))
    run = nights(1, 2, 3)  # with tonight: the fourth night, no milestone
    assert say([last_year, week, *run]) == "A year ago tonight, you appreciated the first snow."
    assert say([week, *run]) == "A week ago you appreciated the soup."
    assert say(run) == "This is your fourth night in a row."
    # Nights 7 back to 2 and tonight, with last night forgiven: the seventh, a milestone.
    milestone = [week, *nights(2, 3, 4, 5, 6)]
    assert say([last_year, *milestone]) == "This is your seventh night in a row."


def test_one_of_several_chosen_by_the_night() -> None:
    def on(tonight: date) -> str | None:
        items = [thanks("the tea"), thanks("the rain"), thanks("the call")]
        record = session(tonight - timedelta(days=7), *items)
        return recall([record], tonight, (), DECK, tz=ZONE)

    chosen = {on(TONIGHT + timedelta(days=n)) for n in range(3)}
    assert chosen == {f"A week ago you appreciated the {w}." for w in ("tea", "rain", "call")}
    assert on(TONIGHT) == on(TONIGHT)  # the same all night


# --- what is never recalled ---------------------------------------------------------------


@pytest.mark.parametrize("low", [1, 2])
def test_nothing_from_a_night_with_a_low_mood(low: int) -> None:
    assert say([session(ago(7), mood(low), thanks("the soup"))]) is None
    last_year = date(2025, 11, 27)
    assert say([session(last_year, mood(low), thanks("the snow"))]) is None
    # A low mood in another session of the same night (after midnight) is enough.
    later = session(at(ago(7), hour=1), mood(low, "Alex"), partners=("Alex",))
    assert say([session(ago(7), thanks("the soup")), later]) is None


def test_never_a_low_or_middling_mood_and_never_a_free_answer_or_a_feeling() -> None:
    last_year = date(2025, 11, 27)
    assert say([session(last_year, mood(3))]) is None
    assert say([session(last_year, ("", "free", "I feel awful", None))]) is None
    assert say([session(last_year, (None, "feeling", "I feel calm when we walk", None))]) is None
    assert say([session(ago(7), mood(5))]) is None  # a week ago: appreciations only


@pytest.mark.parametrize(
    "text",
    [
        "the soup. And then the rain",  # two sentences
        "the way the light fell across the kitchen table while we talked about the trip",
        "   ",
    ],
)
def test_only_what_makes_one_short_sentence(text: str) -> None:
    assert say([session(ago(7), thanks(text))]) is None


def test_what_the_person_said_of_themselves_is_said_back_to_them() -> None:
    def back(text: str) -> str | None:
        return say([session(ago(7), thanks(text))])

    assert back("I finished my book.") == "A week ago you appreciated that you finished your book."
    assert back("My sister called me") == "A week ago you appreciated your sister called you."
    assert back("I’m rested") == "A week ago you appreciated that you're rested."
    assert back("Alex made dinner") == "A week ago you appreciated Alex made dinner."
    assert back("We cooked together!") == "A week ago you appreciated that we cooked together."


def test_a_couple_hears_each_partners_memory_by_name() -> None:
    couple = ("Sam", "Alex")
    journal = [session(ago(7), thanks("the soup", "sam"), partners=("sam", "alex"))]
    assert say(journal, couple) == "Sam, a week ago you appreciated the soup."
    assert say(journal, ("Sam",)) == "A week ago you appreciated the soup."  # alone: no name
    assert say(journal, ("Alex",)) is None  # never someone else's words
    assert say(journal) is None  # nor to somebody unnamed
    year = [session(date(2025, 11, 27), mood(5, "Alex"), partners=couple)]
    assert say(year, couple) == "Alex, a year ago tonight, you gave the day a five."


def test_what_a_couple_said_together_only_when_both_are_here() -> None:
    couple = ("Sam", "Alex")
    journal = [session(ago(7), thanks("our walk", BOTH), partners=couple)]
    assert say(journal, ("Alex", "Sam")) == "A week ago you appreciated our walk."
    assert say(journal, ("Sam",)) is None
    assert say(journal, ("Sam", "Robin")) is None


def test_a_private_step_is_recalled_only_to_its_author_alone() -> None:
    couple = ("Sam", "Alex")
    secret = [session(ago(7), thanks("the letter", "Sam"), partners=couple, step="secret")]
    assert say(secret, ("Sam",)) == "A week ago you appreciated the letter."
    assert say(secret, ("Alex",)) is None
    assert say(secret, couple) is None  # both would hear: not even to Sam
    alone = [session(ago(7), thanks("the letter"), step="secret")]
    assert say(alone) == "A week ago you appreciated the letter."
    assert say(alone, ("Sam",)) is None  # nobody named it then: it may not be Sam's


def test_a_step_no_known_deck_has_counts_as_private() -> None:
    couple = ("Sam", "Alex")
    gone = [session(ago(7), thanks("the tea", "Sam"), partners=couple, step="renamed")]
    assert say(gone, couple) is None
    assert say(gone, ("Sam",)) == "A week ago you appreciated the tea."  # Sam's own, alone
    other = [session(ago(7), thanks("the tea", "Sam"), partners=couple, deck="weekly")]
    assert say(other, couple) is None  # weekly's steps are unknown unless given
    weekly = Deck("weekly", "W", "", 1200.0, (DECK.steps[3],), "test")
    assert say(other, couple, decks={"weekly": weekly}) == (
        "Sam, a week ago you appreciated the tea."
    )
    private_weekly = Deck("weekly", "W", "", 1200.0, (DECK.steps[4],), "test")
    renamed = [session(ago(7), thanks("the tea", "Sam"), partners=couple, deck="weekly",
                       step="secret")]  # fmt: skip
    assert say(renamed, couple, decks={"weekly": private_weekly}) is None
    daylio = [session(date(2025, 11, 27), (None, "mood", "rad", 5), deck="daylio", step="entry")]
    assert say(daylio) == "A year ago tonight, you gave the day a five."
    assert say(daylio, couple) is None


def test_the_future_is_not_recalled() -> None:
    assert say([session(TONIGHT + timedelta(days=7), thanks("the tea"))]) is None
    assert say(nights(-1, -2)) is None


def test_the_bundled_nightly_recalls_its_appreciations(tmp_path: Path) -> None:
    nightly = load_deck("nightly", user_dir=tmp_path)
    journal = [session(ago(7), mood(4, "Sam"), thanks("the soup", "Sam"), partners=("Sam", "Alex"))]
    assert recall(journal, TONIGHT, ("Sam", "Alex"), nightly, tz=ZONE) == (
        "Sam, a week ago you appreciated the soup."
    )


def test_other_decks_loads_plain_names_only() -> None:
    asked: list[str] = []

    def load(name: str) -> Deck:
        asked.append(name)
        if name == "weekly":
            return DECK
        raise DeckError(f'unknown deck "{name}"')

    records = [session(ago(1), deck=d) for d in ("nightly", "weekly", "daylio", "../../etc/passwd")]
    assert other_decks(records, DECK, load) == {"weekly": DECK}
    assert asked == ["daylio", "weekly"]
