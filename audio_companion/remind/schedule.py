"""When a reminder rings: a time on the 24-hour clock and a set of weekdays.

What a person types (``21:30``, ``mon-fri``, ``sat,sun``, ``weekdays``) is read
here, once, into values that know how to write themselves for each scheduler:
systemd's ``OnCalendar=`` weekdays (``Mon..Fri``) and cron's day-of-week field
(``1-5``, Sunday is 0). Every mistake is an `InputError` that names the word
that was wrong and shows the form to use, because it is read at a terminal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from audio_companion.errors import InputError

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SYSTEMD_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_GROUPS = {
    "daily": frozenset(range(7)),
    "everyday": frozenset(range(7)),
    "weekdays": frozenset(range(5)),
    "weekends": frozenset({5, 6}),
    "weekend": frozenset({5, 6}),
}
DAYS_FORM = "use mon..sun, a range like mon-fri, a list like sat,sun, or daily, weekdays, weekends"
_TIME_RE = re.compile(r"(\d{1,2}):(\d{2})")
ID_RE = re.compile(r"[0-9]{1,9}")
"""Reminder ids are small numbers: typed by hand (``remind remove 2``), and safe
in a unit file's name and a crontab comment without quoting."""


@dataclass(frozen=True, order=True)
class ClockTime:
    """A time of day, minute precision, on the local clock."""

    hour: int
    minute: int

    def __post_init__(self) -> None:
        if not (0 <= self.hour <= 23 and 0 <= self.minute <= 59):
            raise InputError(f"{self.hour}:{self.minute:02d} is not a time of day")

    @classmethod
    def parse(cls, text: str) -> ClockTime:
        """``21:30`` or ``7:05``; anything else (``9pm``, ``24:00``) names the form."""
        match = _TIME_RE.fullmatch(text.strip())
        hour, minute = (int(match.group(1)), int(match.group(2))) if match else (-1, -1)
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise InputError(
                f"{text!r} is not a time; write it as HH:MM on the 24-hour clock, e.g. 21:30"
            )
        return cls(hour, minute)

    def __str__(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"


@dataclass(frozen=True)
class Days:
    """The weekdays a reminder rings on: 0 is Monday, 6 is Sunday."""

    weekdays: frozenset[int]

    def __post_init__(self) -> None:
        if not self.weekdays or not self.weekdays <= frozenset(range(7)):
            raise InputError(f"no days to ring on; {DAYS_FORM}")

    @classmethod
    def parse(cls, text: str) -> Days:
        """A comma-separated list of days, ranges (``fri-sun``; ``sat-mon`` wraps
        past Sunday) and the words daily, weekdays and weekends, in any case."""
        chosen: set[int] = set()
        items = [item.strip() for item in text.lower().split(",")]
        if not any(items):
            raise InputError(f"--days is empty; {DAYS_FORM}")
        for item in items:
            if not item:
                raise InputError(f"--days {text!r} has an empty item between commas; {DAYS_FORM}")
            chosen |= _days_of(item)
        return cls(frozenset(chosen))

    @property
    def every_day(self) -> bool:
        return len(self.weekdays) == 7

    def label(self) -> str:
        """The canonical spelling, as `parse` reads it back: ``mon-fri``, ``sat,sun``, ``daily``."""
        if self.every_day:
            return "daily"
        return ",".join(
            DAY_NAMES[a] if a == b else f"{DAY_NAMES[a]}-{DAY_NAMES[b]}"
            for a, b in _runs(self.weekdays)
        )

    def systemd(self) -> str:
        """The weekday part of an ``OnCalendar=`` value; empty for every day."""
        if self.every_day:
            return ""
        return ",".join(
            _SYSTEMD_NAMES[a] if a == b else f"{_SYSTEMD_NAMES[a]}..{_SYSTEMD_NAMES[b]}"
            for a, b in _runs(self.weekdays)
        )

    def cron(self) -> str:
        """cron's day-of-week field, where Sunday is 0: ``1-5``, ``0,6``, ``*``."""
        if self.every_day:
            return "*"
        numbers = {(day + 1) % 7 for day in self.weekdays}
        return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in _runs(numbers))


def _day(word: str, item: str) -> int:
    if word in DAY_NAMES:
        return DAY_NAMES.index(word)
    if word in _FULL_NAMES:
        return _FULL_NAMES.index(word)
    where = f" (in {item!r})" if word != item else ""
    raise InputError(f"--days: {word!r} is not a day{where}; {DAYS_FORM}")


def _days_of(item: str) -> frozenset[int]:
    if item in _GROUPS:
        return _GROUPS[item]
    if "-" in item:
        first, _, last = (part.strip() for part in item.partition("-"))
        if not first or not last or "-" in last:
            raise InputError(f"--days: {item!r} is not a range; write it as mon-fri")
        start, end = _day(first, item), _day(last, item)
        return frozenset((start + i) % 7 for i in range((end - start) % 7 + 1))
    return frozenset({_day(item, item)})


def _runs(values: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted values as (first, last) runs; runs shorter than three stay single days,
    because ``sat,sun`` reads better than ``sat-sun``."""
    runs: list[list[int]] = []
    for value in sorted(values):
        if runs and runs[-1][-1] == value - 1:
            runs[-1].append(value)
        else:
            runs.append([value])
    out: list[tuple[int, int]] = []
    for run in runs:
        if len(run) >= 3:
            out.append((run[0], run[-1]))
        else:
            out.extend((v, v) for v in run)
    return out


def _printable(text: str, what: str) -> str:
    """Refuse control characters: a newline in a unit file or crontab ends the line,
    and what followed would be read as a setting or a job of its own."""
    if any(unicodedata.category(c).startswith("C") for c in text):
        raise InputError(f"{what} {text!r} has a control character (a newline or tab)")
    return text


def parse_partners(text: str | None) -> tuple[str, ...]:
    """``"Sam, Alex"`` as ("Sam", "Alex"), the way `checkin --partners` reads it."""
    names = tuple(n.strip() for n in (text or "").split(",") if n.strip())
    for name in names:
        _printable(name, "--partners: the name")
    return names


@dataclass(frozen=True)
class Reminder:
    """One reminder: when it rings, and which check-in it offers.

    `deck` is a deck name or the absolute path of a deck file (the scheduler
    runs the companion from the home folder, not from where `set` was typed).
    """

    id: str
    time: ClockTime
    days: Days
    deck: str = "nightly"
    partners: tuple[str, ...] = ()
    stop_word: str = ""  # as `checkin --stop-word` takes it: a word, or NAME=WORD,…
    headphones: bool = False  # `--headphones`: the check-in is heard in headphones

    def __post_init__(self) -> None:
        if not ID_RE.fullmatch(self.id):
            raise InputError(f"{self.id!r} is not a reminder id; ids are numbers, e.g. 1")
        if not self.deck.strip():
            raise InputError("--deck is empty; give a deck name such as nightly")
        _printable(self.deck, "--deck")
        for name in self.partners:
            _printable(name, "--partners: the name")
            if "," in name or name != name.strip() or not name:
                raise InputError(f"--partners: {name!r} is not one name")
        _printable(self.stop_word, "--stop-word")

    def same_as(self, other: Reminder) -> bool:
        """The same reminder whatever its id: a second one would only ring twice."""
        mine = (self.time, self.days, self.deck, self.partners, self.stop_word, self.headphones)
        return mine == (
            other.time,
            other.days,
            other.deck,
            other.partners,
            other.stop_word,
            other.headphones,
        )

    def describe(self) -> str:
        """One line for people: ``21:30 mon-fri, deck nightly, for Sam and Alex``."""
        names = self.partners
        both = f"{', '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else "".join(names)
        who = f", for {both}" if names else ""
        heard = ", in headphones" if self.headphones else ""
        return f"{self.time} {self.days.label()}, deck {self.deck}{who}{heard}"
