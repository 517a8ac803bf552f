"""What the companion says between a deck's own words, and which night's wordings it uses."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from audio_companion.journal.mood import MOOD_MAX, MOOD_MIN
from audio_companion.numbers import number_to_words

# What the companion says between the deck's own words.
LINES = {
    "paused": "Paused. Say resume when you are ready.",
    "resumed": "Welcome back.",
    "stopped": "Okay, we stop here. Everything you said is saved. Be gentle with yourselves.",
    "stopped_one": "Okay, we stop here. Everything you said is saved. Be gentle with yourself.",
    "moving_on": "That's all right, let's move on.",
    "number_range": (
        f"Just a number from {number_to_words(MOOD_MIN)} to {number_to_words(MOOD_MAX)}, please."
    ),
    "one_minute": "We have about a minute left.",
    "time_up": "We are at our {minutes}, so let's close for tonight.",
    "time_up_unround": "We are at the end of our time, so let's close for tonight.",
    "next_one": "And another one?",
    "go_ahead": "Go ahead, I'm listening.",
}
I_STATEMENT = re.compile(r"\bi\s*(?:feel|felt|am feeling|was feeling|'m feeling)\b.*\bwhen\b", re.I)


# A check-in that starts before this hour belongs to the evening before: the
# wording a couple heard at 23:50 must not change under them at 00:10.
NIGHT_ENDS_HOUR = 4


def time_up_line(time_box_s: float) -> str:
    """What is said when the time box runs out: its own length, in words, if whole minutes.

    A time box of 15 minutes must not be announced as "our ten minutes".
    """
    minutes, seconds = divmod(round(time_box_s), 60)
    if seconds or not minutes:
        return LINES["time_up_unround"]
    said = "one minute" if minutes == 1 else f"{number_to_words(minutes)} minutes"
    return LINES["time_up"].format(minutes=said)


def night_of(moment: datetime) -> date:
    """The night a moment belongs to, for choosing the night's wordings."""
    return (moment - timedelta(hours=NIGHT_ENDS_HOUR)).date()
