"""The breathing package's one error type."""

from __future__ import annotations

from audio_companion.errors import InputError


class BreathingError(InputError):
    """A pattern, pattern file or session length cannot be used (exit code 2)."""
