"""One definition of a check-in night, for the streak and the recall: until 4 am by the wall clock.

Every moment is built in an explicit zone (Europe/Berlin, whose clocks change in March and
October 2026), so nothing depends on the clock, the date or the machine's zone.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from audio_companion.journal import Answer, Journal
from audio_companion.journal.nights import NIGHT_ENDS_HOUR, night_at, night_of, nights_at
from audio_companion.journal.trend import streak

BERLIN = ZoneInfo("Europe/Berlin")
SUNDAY, MONDAY = date(2026, 11, 29), date(2026, 11, 30)


@pytest.mark.parametrize(
    ("moment", "night"),
    [
        (datetime(2026, 11, 29, 23, 59), SUNDAY),
        (datetime(2026, 11, 30, 0, 30), SUNDAY),  # after midnight: still Sunday's evening
        (datetime(2026, 11, 30, 3, 59), SUNDAY),
        (datetime(2026, 11, 30, 4, 0), MONDAY),  # 4 am begins the new day's night
    ],
)
def test_a_night_lasts_until_four_in_the_morning(moment: datetime, night: date) -> None:
    assert NIGHT_ENDS_HOUR == 4
    assert night_of(moment) == night
    aware = moment.replace(tzinfo=BERLIN)
    assert night_of(aware) == night
    assert night_at(aware.timestamp(), BERLIN) == night


@pytest.mark.parametrize(
    ("moment", "night"),
    [
        # Spring: at 02:00 CET the clocks jump to 03:00 CEST (29 March 2026).
        (datetime(2026, 3, 29, 1, 59, tzinfo=BERLIN), date(2026, 3, 28)),
        (datetime(2026, 3, 29, 3, 0, tzinfo=BERLIN), date(2026, 3, 28)),  # a minute later
        (datetime(2026, 3, 29, 3, 59, tzinfo=BERLIN), date(2026, 3, 28)),
        # Three hours after midnight, but 4 am on the wall: the new night.
        (datetime(2026, 3, 29, 4, 0, tzinfo=BERLIN), date(2026, 3, 29)),
        # Autumn: at 03:00 CEST the clocks go back to 02:00 CET (25 October 2026); 02:30 is
        # lived twice, and both belong to the evening before.
        (datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN), date(2026, 10, 24)),
        (datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=BERLIN), date(2026, 10, 24)),
        (datetime(2026, 10, 25, 3, 59, tzinfo=BERLIN), date(2026, 10, 24)),
        # Five hours after midnight, but 4 am on the wall: the new night.
        (datetime(2026, 10, 25, 4, 0, tzinfo=BERLIN), date(2026, 10, 25)),
    ],
)
def test_a_night_follows_the_wall_clock_across_a_clock_change(
    moment: datetime, night: date
) -> None:
    assert night_at(moment.timestamp(), BERLIN) == night


def test_the_zone_decides_the_night() -> None:
    # 02:30 in Berlin is 01:30 in UTC and 20:30 the evening before in New York.
    t = datetime(2026, 11, 30, 2, 30, tzinfo=BERLIN).timestamp()
    assert night_at(t, BERLIN) == SUNDAY
    assert night_at(t, ZoneInfo("America/New_York")) == SUNDAY
    assert night_at(t, ZoneInfo("Asia/Tokyo")) == MONDAY  # 10:30 on Monday there
    assert nights_at([t, t + 3600], BERLIN) == {SUNDAY}


def check_in(j: Journal, when: datetime) -> None:
    """A session with one answer, begun at *when*."""
    t = when.timestamp()
    sid = j.start_session("nightly", ["Alex"], "vosk", t)
    j.add_answer(sid, Answer("Alex", "mood", "mood", "Mood?", "four", 4, None, t + 5, t + 9))


def test_the_journal_counts_check_in_nights_not_calendar_days(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as j:
        # The nights of the spring change: Friday 23:00, Saturday (the change) at 03:30 CEST,
        # Sunday after midnight at 00:30. Three calendar days apart, three nights in a row.
        check_in(j, datetime(2026, 3, 27, 23, 0, tzinfo=BERLIN))
        check_in(j, datetime(2026, 3, 29, 3, 30, tzinfo=BERLIN))
        check_in(j, datetime(2026, 3, 30, 0, 30, tzinfo=BERLIN))
        nights = j.checkin_nights(BERLIN)
    assert nights == {date(2026, 3, 27), date(2026, 3, 28), date(2026, 3, 29)}
    assert streak(nights, date(2026, 3, 29)) == 3
    # Counted by calendar day the same check-ins were the 27th, 29th and 30th.
    assert streak(nights, date(2026, 3, 30)) == 3  # tonight not yet: counted to last night
