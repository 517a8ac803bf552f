"""Reading one value of an imported file, with a mistake named where it is and how to fix it.

Kept apart from `importer` (which reads whole files: sessions, answers, paces, Daylio) so that
each stays readable. A check takes a value as a JSON document or a CSV cell has it and returns
it as the journal keeps it, or raises `Bad` saying what is wrong; `Fields` adds the place
(`FILE: sessions[2].mood`, `FILE:7: mood`) and the fix, as one InputError.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, cast

from audio_companion.errors import InputError
from audio_companion.journal.export import split_partners
from audio_companion.journal.mood import MOOD_MAX, MOOD_MIN, MOOD_RANGE
from audio_companion.journal.paces import COMFORT_RANGE, MAX_BREATHS_PER_MINUTE, PACE_MEASURES
from audio_companion.journal.schema import END_REASONS

FIX = "correct it, or export the journal again (audio-companion journal export)"
Check = Callable[[object], Any]  # a field's value as the file has it -> as the journal keeps it


class Bad(Exception):
    """One value is unusable: what is wrong (the caller adds where, and how to fix it)."""


# -- values, as JSON has them or as CSV text --------------------------------------------------


def show(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def text(value: object) -> str:
    if not isinstance(value, str):
        raise Bad(f"{show(value)} is not text (in double quotes)")
    return value


def whole(value: object, least: int) -> int:
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9]+\s*", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise Bad(f"{show(value)} is not a whole number of {least} or more")
    return value


def mood(value: object) -> int:
    try:
        return MOOD_RANGE[MOOD_RANGE.index(whole(value, 0))]
    except (Bad, ValueError):
        raise Bad(f"{show(value)} is not a mood, {MOOD_MIN} to {MOOD_MAX} (or none)") from None


def number(value: object) -> float:
    try:
        got = float(value) if isinstance(value, str | int | float) else math.nan
    except ValueError:
        got = math.nan
    if isinstance(value, bool) or not math.isfinite(got):
        raise Bad(f"{show(value)} is not a number")
    return got


def instant(value: object) -> float:
    """An ISO-8601 time with its UTC offset, as Unix seconds (the offset makes it exact)."""
    try:
        when = datetime.fromisoformat(text(value).strip().replace("Z", "+00:00"))
    except ValueError:
        raise Bad(f"{show(value)} is not a time like 2024-05-14T21:30:00+02:00") from None
    if when.tzinfo is None:
        raise Bad(f"{show(value)} has no UTC offset (such as +02:00)")
    return when.timestamp()


def reason(value: object) -> str:
    if text(value) not in END_REASONS:
        known = ", ".join(sorted(END_REASONS))
        raise Bad(f"{show(value)} is not one of {known} (leave it out if unfinished)")
    return text(value)


def names(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return split_partners(value)
    if not isinstance(value, list):
        raise Bad(f"{show(value)} is not a list of names")
    return tuple(text(v) for v in value)


def flag(value: object) -> bool:
    if value is True or value == "1":
        return True
    if value is False or value == "0":
        return False
    raise Bad(f"{show(value)} is not true or false (1 or 0)")


def pace(value: object) -> float:
    """Breaths a minute, as the journal's `paces` table allows them."""
    bpm = number(value)
    if not 0 < bpm <= MAX_BREATHS_PER_MINUTE:
        raise Bad(f"{show(value)} is not a pace, above 0 and at most {MAX_BREATHS_PER_MINUTE:g}")
    return bpm


def measure(value: object) -> str:
    if text(value) not in PACE_MEASURES:
        raise Bad(f"{show(value)} is not one of {', '.join(sorted(PACE_MEASURES))}")
    return text(value)


def comfort(value: object) -> int:
    low, high = COMFORT_RANGE[0], COMFORT_RANGE[-1]
    try:
        return COMFORT_RANGE[COMFORT_RANGE.index(whole(value, 0))]
    except (Bad, ValueError):
        raise Bad(f"{show(value)} is not a comfort rating, {low} to {high} (or null)") from None


def seconds(value: object) -> float:
    got = number(value)
    if got < 0:
        raise Bad(f"{show(value)} is not a length in seconds, 0 or more")
    return got


row_id: Check = partial(whole, least=1)
_NEEDED: Any = object()


@dataclass(frozen=True)
class Fields:
    """One session, answer, pace or step as the file gives it: a JSON object, or a CSV row by
    column.

    Reading a field checks it; a mistake names its place, `FILE: sessions[2].answers[0].mood`
    (any JSON editor or `jq` finds it) or `FILE:LINE: mood`, and how to fix it.
    """

    values: object  # a JSON object (checked here) or a CSV row by column name
    where: str  # "export.json: sessions[2]" or "export.csv:7"
    columns: Mapping[str, str]  # field -> CSV column, where their names differ
    sep: str = "."

    def __post_init__(self) -> None:
        if not isinstance(self.values, dict):
            raise InputError(f"{self.where}: {show(self.values)[:30]} is not an object; {FIX}")

    def __call__(self, name: str, check: Check, empty: bool = False, absent: Any = _NEEDED) -> Any:
        """The field *name* through *check*; None when *empty* allows it and it is null or "";
        *absent* when it is missing (a field added to the format later)."""
        key = self.columns.get(name, name)
        place = f"{self.where}{self.sep}{key}"
        values = cast("dict[str, object]", self.values)  # a dict: see __post_init__
        value = values.get(key)
        if key not in values or (absent is not _NEEDED and value in ("", None)):
            if absent is _NEEDED:
                raise InputError(f"{place}: missing; {FIX}")
            return absent
        if empty and (value is None or (isinstance(value, str) and not value.strip())):
            return None
        try:
            return check(value)
        except Bad as exc:
            raise InputError(f"{place}: {exc}; {FIX}") from None


def listed(value: object) -> list[object]:
    if not isinstance(value, list):
        raise Bad("not a list [...]")
    return value
