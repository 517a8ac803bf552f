"""What a check-in "night" is: the one definition the streak, the recall and the check-in share.

People check in late: a check-in at 00:30 is part of the evening that began before midnight,
not of the next day, so a night runs until 4 am by the wall clock. Counting calendar days in
one place and nights in another made `journal trend` and the spoken recall disagree about the
same check-in; both now ask this module.

The rule is the wall clock's, not elapsed time since midnight: on the morning clocks go forward
04:00 comes three hours after midnight, and it is still the new day's 04:00 that ends the night.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo
from typing import Final

NIGHT_ENDS_HOUR: Final = 4  # before this hour, a moment belongs to the evening before
_ONE_DAY: Final = timedelta(days=1)


def night_of(moment: datetime) -> date:
    """The night *moment* belongs to, by its own wall clock: before 4 am, the evening before.

    A check-in that starts at 23:50 and the wording a couple hears at 00:10 must stay on the
    same night, so the hour is read from *moment* as given (aware or naive).
    """
    day = moment.date()
    return day - _ONE_DAY if moment.hour < NIGHT_ENDS_HOUR else day


def night_at(at: float, tz: tzinfo | None = None) -> date:
    """The night of Unix time *at*, read in *tz* (None: this machine's zone)."""
    return night_of(datetime.fromtimestamp(at, tz))


def nights_at(times: Iterable[float], tz: tzinfo | None = None) -> set[date]:
    """The nights of several moments: the set a streak is counted over."""
    return {night_at(t, tz) for t in times}
