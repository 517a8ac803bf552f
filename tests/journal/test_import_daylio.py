"""Daylio's CSV export: each entry a one-answer session, its local time read in a given zone.

The sample (tests/journal/data/daylio_sample.csv) is invented, in Daylio's documented columns:
newest first, 12- and 24-hour times, moods by name in any case (and one by number), activities
joined by " | ", a quoted note over two lines, and the night the clocks went forward in Berlin.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from helpers import added

from audio_companion.errors import InputError
from audio_companion.journal import Journal
from audio_companion.journal.export import iso, to_csv
from audio_companion.journal.importer import DAYLIO_MOODS, parse

SAMPLE = Path(__file__).parent / "data" / "daylio_sample.csv"
BERLIN = ZoneInfo("Europe/Berlin")


def sample() -> str:
    return SAMPLE.read_text("utf-8")


def test_each_entry_is_a_one_answer_session_oldest_first() -> None:
    found = parse(sample(), "daylio.csv", BERLIN)
    assert found.format == "daylio" and found.recordings == 0
    starts = [iso(s.started_at, BERLIN) for s in found.sessions]
    assert starts == [
        "2024-01-15T22:45:00+01:00",  # "10:45 PM"
        "2024-03-30T08:05:00+01:00",
        "2024-03-30T21:00:00+01:00",  # "9:00 pm", the last evening of winter time
        "2024-03-31T21:00:00+02:00",  # the first of summer time
        "2024-07-01T00:15:00+02:00",  # "12:15 am" is just after midnight
        "2024-07-02T12:40:00+02:00",  # "12:40 pm" is just after noon
    ]
    assert [s.answers[0].mood for s in found.sessions] == [1, 2, 4, 3, 4, 5]
    for s in found.sessions:
        (answer,) = s.answers
        assert (s.deck, s.engine, s.end_reason, s.partners) == ("daylio", "daylio", "completed", ())
        assert (answer.kind, answer.prompt, answer.partner) == ("mood", "How are you?", None)
        assert s.ended_at == answer.started_at == answer.written_at == s.started_at


def test_title_note_and_activities_make_what_was_said() -> None:
    said = [s.answers[0].transcript for s in parse(sample(), "daylio.csv", BERLIN).sessions]
    assert said[5] == (
        'Lake day\n\nSwam across the lake with Zoë, then "the best" crêpes.\n\n'
        "Activities: friends | swimming | good meal"
    )
    assert said[2] == "Quiet evening\n\nTea, a film,\nand an early night."
    assert said[3] == "Clocks went forward; tired.\n\nActivities: family | cleaning"
    assert said[4] == "Activities: reading"


def test_local_times_are_read_in_the_zone_given() -> None:
    berlin = parse(sample(), "d", BERLIN).sessions
    utc = parse(sample(), "d", timezone.utc).sessions
    india = parse(sample(), "d", timezone(timedelta(hours=5, minutes=30))).sessions
    assert [u.started_at - b.started_at for u, b in zip(utc, berlin, strict=True)] == [
        3600.0,
        3600.0,
        3600.0,
        7200.0,
        7200.0,
        7200.0,
    ]
    assert india[0].started_at == datetime(2024, 1, 15, 17, 15, tzinfo=timezone.utc).timestamp()


def test_importing_the_same_file_twice_adds_nothing(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as j:
        assert added(j, parse(sample(), "d", BERLIN).sessions) == 6
        assert added(j, parse(sample(), "d", BERLIN).sessions) == 0
        # A newer export holds the old entries and one more: only that one is new.
        newer = sample().replace(
            "full_date,date,weekday,time,mood,activities,note_title,note\n",
            "full_date,date,weekday,time,mood,activities,note_title,note\n"
            '2024-07-03,3 July,Wednesday,22:00,good,"","",""\n',
        )
        assert added(j, parse(newer, "d", BERLIN).sessions) == 1
        assert len(j.records()) == 7
        # Our own export of it comes back as the same sessions too.
        again = parse(to_csv(j.records(), BERLIN), "export.csv").sessions
        assert added(j, again) == 0


def test_a_mood_of_ones_own_is_named_on_the_command_line() -> None:
    text = sample().replace(",bad,", ",Sleepy,").replace(",rad,", ",ecstatic,")
    with pytest.raises(InputError) as caught:
        parse(text, "daylio.csv", BERLIN)
    message = str(caught.value)
    assert message.startswith('daylio.csv:2: unknown mood "ecstatic" (and "Sleepy" on line 7)')
    assert "--mood NAME=1..5" in message and "rad 5, good 4, meh 3, bad 2, awful 1" in message
    found = parse(text, "daylio.csv", BERLIN, {"sleepy": 2, "Ecstatic": 5})
    assert [s.answers[0].mood for s in found.sessions] == [1, 2, 4, 3, 4, 5]
    # A name of one's own may also move one of Daylio's: it is the person's scale.
    moved = parse(sample(), "daylio.csv", BERLIN, {"MEH": 2})
    assert moved.sessions[3].answers[0].mood == 2
    assert DAYLIO_MOODS == {"rad": 5, "good": 4, "meh": 3, "bad": 2, "awful": 1}


def test_a_mood_by_number_must_be_on_the_scale() -> None:
    with pytest.raises(InputError, match=r'^daylio\.csv:3: mood: "9" is not a mood, 1 to 5'):
        parse(sample().replace(",12:15 am,4,", ",12:15 am,9,"), "daylio.csv", BERLIN)


def test_an_entry_without_a_mood_keeps_none() -> None:
    text = sample().replace(",12:15 am,4,", ",12:15 am,,")
    assert parse(text, "d", BERLIN).sessions[4].answers[0].mood is None


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("2024-03-31,", "31/03/2024,", "daylio.csv:4: full_date '31/03/2024' is not YYYY-MM-DD"),
        (",21:00,", ",25:00,", "daylio.csv:4: time '25:00' is not a time of day"),
        (",9:00 pm,", ",13:00 pm,", "daylio.csv:5: time '13:00 pm' is not a time of day"),
        (',"work","Deadline"', ',"work"', "daylio.csv:8: 7 values where the first line names 8"),
    ],
)
def test_a_mistake_names_the_line(old: str, new: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        parse(sample().replace(old, new), "daylio.csv", BERLIN)
    assert str(caught.value).startswith(expected) and "\n" not in str(caught.value)


def test_older_exports_without_a_title_and_windows_line_ends() -> None:
    lines = [
        "\ufefffull_date,date,weekday,time,mood,activities,note",
        '2023-12-24,24 December,Sunday,19:30,rad,"family","Candles, and ""snow"""',
    ]
    (session,) = parse("\r\n".join(lines) + "\r\n", "old.csv", BERLIN).sessions
    assert session.answers[0].transcript == 'Candles, and "snow"\n\nActivities: family'
    assert iso(session.started_at, BERLIN) == "2023-12-24T19:30:00+01:00"
