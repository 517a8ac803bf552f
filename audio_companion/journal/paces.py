"""A person's own resonance pace, as the journal keeps it (the `paces` table, schema 2).

The breathing protocol that finds the pace lives in `breathing.resonance`; the journal only
keeps what it found, with every pace tried and how it was rated, so the choice can be read
back and checked later. The values are plain so that the journal never imports breathing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, Final, Literal, Protocol, get_args

from audio_companion.errors import JournalError

PaceMeasure = Literal["comfort", "hrv"]
"""What chose the pace: the person's comfort ratings, or a heart-rate variability sensor."""
PACE_MEASURES: Final = frozenset(get_args(PaceMeasure))
MAX_BREATHS_PER_MINUTE: Final = 30.0  # the table's CHECK: more is panting, not a pace
# The comfort scale: the journal keeps and checks ratings on it, and `breathing.resonance`
# (which may import the journal; the journal may not import it) asks on it.
COMFORT_RANGE: Final = range(1, 6)
PACE_COLUMNS: Final = "id, measured_at, breaths_per_minute, measure, protocol, steps"


class Row(Protocol):
    """A database row read by column name (sqlite3's, or SQLCipher's for a sealed journal)."""

    def __getitem__(self, column: str, /) -> Any: ...


@dataclass(frozen=True)
class PaceStep:
    """One pace tried: how fast, for how long, and how it was rated (None: not rated)."""

    breaths_per_minute: float
    seconds: float
    comfort: int | None = None
    hrv: float | None = None
    heard: str = ""  # what the person said, as recognised (or typed)


@dataclass(frozen=True)
class Pace:
    """A protocol's result, to store: the chosen pace and the steps that led to it."""

    measured_at: float  # wall-clock seconds
    breaths_per_minute: float
    measure: PaceMeasure
    protocol: str
    steps: tuple[PaceStep, ...] = ()

    def __post_init__(self) -> None:
        bpm = self.breaths_per_minute
        if not math.isfinite(bpm) or not 0 < bpm <= MAX_BREATHS_PER_MINUTE:
            raise ValueError(f"a pace must be 0 to {MAX_BREATHS_PER_MINUTE:g} a minute, not {bpm}")
        if self.measure not in PACE_MEASURES:
            raise ValueError(f"measure must be one of {sorted(PACE_MEASURES)}, not {self.measure}")


@dataclass(frozen=True)
class PaceRecord(Pace):
    """A stored pace, with its row id."""

    id: int = 0


def steps_json(steps: tuple[PaceStep, ...]) -> str:
    return json.dumps([vars(s) for s in steps], ensure_ascii=False)


def pace_row(pace: Pace, row_id: int | None = None) -> dict[str, object]:
    """The `paces` row for *pace*, by column name (`PACE_COLUMNS`); None lets SQLite number it."""
    return {
        "id": row_id,
        "measured_at": float(pace.measured_at),
        "breaths_per_minute": float(pace.breaths_per_minute),
        "measure": pace.measure,
        "protocol": pace.protocol,
        "steps": steps_json(pace.steps),
    }


def pace_from_row(row: Row, where: str) -> PaceRecord:
    """A `paces` row read back; JournalError naming *where* if its steps are unreadable."""
    return PaceRecord(
        measured_at=row["measured_at"],
        breaths_per_minute=row["breaths_per_minute"],
        measure=row["measure"],
        protocol=row["protocol"],
        steps=steps_from_json(row["steps"], where),
        id=row["id"],
    )


def steps_from_json(text: str, where: str) -> tuple[PaceStep, ...]:
    """The steps column read back; JournalError naming *where* if it is not what we wrote."""
    try:
        return tuple(PaceStep(**item) for item in json.loads(text))
    except (TypeError, ValueError) as exc:
        raise JournalError(f"{where}: a stored resonance pace has unreadable steps") from exc


def pace_table(paces: Sequence[PaceRecord], tz: tzinfo | None = None) -> str:
    """`journal paces` as text: one line a measurement, in the order given (newest first).

    Times are ISO dates with the hour in *tz* (None: this machine's), readable in any locale.
    Each step is its pace and its comfort (1 to 5, "-" when not rated), and the sensor's score
    when there was one, so the choice can be checked by eye. *paces* is not empty (with none,
    `journal paces` says how to find one instead).
    """
    lines = [f"{'when':16}  {'breaths/min':>11}  {'measure':7}  steps (breaths/min: comfort)"]
    for p in paces:
        when = datetime.fromtimestamp(p.measured_at, tz).astimezone(tz)
        steps = ", ".join(_step_text(s) for s in p.steps) or "-"
        lines.append(
            f"{when:%Y-%m-%d %H:%M}  {p.breaths_per_minute:>11.1f}  {p.measure:7}  {steps}"
        )
    newest = max(paces, key=lambda p: (p.measured_at, p.id))
    lines.append(
        f"breathe --pattern resonance uses the newest: {newest.breaths_per_minute:g} a minute"
    )
    return "\n".join(lines) + "\n"


def _step_text(step: PaceStep) -> str:
    comfort = "-" if step.comfort is None else str(step.comfort)
    hrv = "" if step.hrv is None else f" (hrv {step.hrv:g})"
    return f"{step.breaths_per_minute:g}: {comfort}{hrv}"
