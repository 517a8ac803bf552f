"""What the companion says between a deck's own words, and which night's wordings it uses."""

from __future__ import annotations

import re

from audio_companion.journal.mood import MOOD_MAX, MOOD_MIN

# The night's wordings follow the journal's nights: one rule for a night, in one place.
from audio_companion.journal.nights import NIGHT_ENDS_HOUR as NIGHT_ENDS_HOUR
from audio_companion.journal.nights import night_of as night_of
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


def time_up_line(time_box_s: float) -> str:
    """What is said when the time box runs out: its own length, in words, if whole minutes.

    A time box of 15 minutes must not be announced as "our ten minutes".
    """
    minutes, seconds = divmod(round(time_box_s), 60)
    if seconds or not minutes:
        return LINES["time_up_unround"]
    said = "one minute" if minutes == 1 else f"{number_to_words(minutes)} minutes"
    return LINES["time_up"].format(minutes=said)
