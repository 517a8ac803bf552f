"""The mood scale: one number from 1 (low) to 5 (high), said, stored, exported and charted.

Every place that asks for, checks, stores or draws a mood uses these names, so the scale
is written down once: the check-in's question and its range check, the journal's
column constraint, the exports' "4/5" and the trend's sparkline.
"""

from __future__ import annotations

from typing import Final

MOOD_MIN: Final = 1
MOOD_MAX: Final = 5
MOOD_RANGE: Final = range(MOOD_MIN, MOOD_MAX + 1)


def validate_mood(mood: int) -> None:
    """ValueError (a caller's bug) for a mood off the scale; a bool is not a mood."""
    if isinstance(mood, bool) or int(mood) not in MOOD_RANGE:
        raise ValueError(f"mood must be {MOOD_MIN}-{MOOD_MAX}, not {mood!r}")
