"""The private check-in journal: storage, exports and mood trends.

Everything said in a check-in is written here the moment it is said; nothing leaves the
machine unless the person exports it.
"""

from __future__ import annotations

from audio_companion.journal.mood import MOOD_MAX, MOOD_MIN, MOOD_RANGE
from audio_companion.journal.schema import END_REASONS, SessionEndReason
from audio_companion.journal.store import (
    Answer,
    AnswerRecord,
    Journal,
    MoodPoint,
    SessionRecord,
    SessionSummary,
    default_journal_path,
)

__all__ = [
    "END_REASONS",
    "MOOD_MAX",
    "MOOD_MIN",
    "MOOD_RANGE",
    "Answer",
    "AnswerRecord",
    "Journal",
    "MoodPoint",
    "SessionEndReason",
    "SessionRecord",
    "SessionSummary",
    "default_journal_path",
]
