"""The private check-in journal: storage, exports and mood trends.

Everything said in a check-in is written here the moment it is said; nothing leaves the
machine unless the person exports it.
"""

from __future__ import annotations

from audio_companion.journal.store import (
    END_REASONS,
    AnswerRecord,
    Journal,
    MoodPoint,
    SessionRecord,
    SessionSummary,
    default_journal_path,
)

__all__ = [
    "END_REASONS",
    "AnswerRecord",
    "Journal",
    "MoodPoint",
    "SessionRecord",
    "SessionSummary",
    "default_journal_path",
]
